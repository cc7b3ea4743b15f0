"""Parse the shipped corpus (and user files) into clauses."""
from __future__ import annotations

from functools import lru_cache

from corpus import DocumentMeta, load_documents
from ingest.blocks import blocks_from_text
from ingest.model import Clause
from ingest.parser import parse_blocks


def parse_document(doc: DocumentMeta) -> list[Clause]:
    return parse_blocks(blocks_from_text(doc.read_text()), doc)


@lru_cache(maxsize=1)
def corpus_clauses() -> tuple[Clause, ...]:
    """Every clause of the shipped documents (parsing is pure, so this is cached)."""
    return tuple(c for doc in load_documents() for c in parse_document(doc))


def clause_text(doc_id: str, path: str) -> str | None:
    """The full text at a citation path (all parts of a split clause), or None."""
    parts = [c.text for c in corpus_clauses() if c.doc_id == doc_id and c.path == path]
    return "".join(parts) if parts else None
