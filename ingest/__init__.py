"""Ingest: policy files → clause tree → Chroma (dense) + bm25s (lexical) index."""
