"""The pipeline a user would otherwise build, measured beside ours on the same gold set:
LangChain RecursiveCharacterTextSplitter (500/50) over the raw texts + Chroma + the same
embedder, plain top-k by vector similarity."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

import chromadb
from chromadb.config import Settings as ChromaSettings

from corpus import DocumentMeta, load_documents
from ingest.clean import clean_text
from ingest.embedders import Embedder
from ingest.store import EmbedderFunction

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50
EMBED_BATCH = 32  # chunks embedded per step of the progress bar


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    text: str


def naive_chunks(documents: Sequence[DocumentMeta] | None = None) -> list[Chunk]:
    """The texts cut as the splitter cuts them (cheap: known before the slow embedding starts)."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
    return [Chunk(doc.id, piece) for doc in (documents or load_documents())
            for piece in splitter.split_text(clean_text(doc.read_text()))]


class NaiveBaseline:
    def __init__(self, embedder: Embedder, documents: Sequence[DocumentMeta] | None = None,
                 directory: Path | None = None, chunks: Sequence[Chunk] | None = None,
                 on_progress: Callable[[int, int], None] | None = None) -> None:
        """on_progress(done, total): chunks embedded so far (the baseline's slow part)."""
        self.chunks = list(chunks) if chunks is not None else naive_chunks(documents)
        self._embedder = embedder
        path = directory or Path(tempfile.mkdtemp(prefix="naive-baseline-"))
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        self._collection = client.get_or_create_collection(
            "naive", embedding_function=EmbedderFunction(embedder), configuration={"hnsw": {"space": "cosine"}})
        texts = [c.text for c in self.chunks]
        vectors = []
        for start in range(0, len(texts), EMBED_BATCH):
            vectors.extend(embedder.embed_passages(texts[start:start + EMBED_BATCH]))
            if on_progress:
                on_progress(min(start + EMBED_BATCH, len(texts)), len(texts))
        self._collection.add(ids=[str(i) for i in range(len(self.chunks))], embeddings=vectors, documents=texts,
                             metadatas=[{"doc_id": c.doc_id} for c in self.chunks])

    def search(self, question: str, k: int = 5) -> list[Chunk]:
        result = self._collection.query(query_embeddings=[self._embedder.embed_query(question)], n_results=k)
        return [self.chunks[int(i)] for i in result["ids"][0]]

