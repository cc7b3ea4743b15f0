"""The pipeline a user would otherwise build, measured beside ours on the same gold set:
LangChain RecursiveCharacterTextSplitter (500/50) over the raw texts + Chroma + the same
embedder, plain top-k by vector similarity."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import chromadb
from chromadb.config import Settings as ChromaSettings

from corpus import DocumentMeta, load_documents
from ingest.clean import clean_text
from ingest.embedders import Embedder
from ingest.store import EmbedderFunction

CHUNK_SIZE = 500
CHUNK_OVERLAP = 50


@dataclass(frozen=True)
class Chunk:
    doc_id: str
    text: str


class NaiveBaseline:
    def __init__(self, embedder: Embedder, documents: Sequence[DocumentMeta] | None = None,
                 directory: Path | None = None) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        splitter = RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP)
        self.chunks = [Chunk(doc.id, piece) for doc in (documents or load_documents())
                       for piece in splitter.split_text(clean_text(doc.read_text()))]
        self._embedder = embedder
        path = directory or Path(tempfile.mkdtemp(prefix="naive-baseline-"))
        client = chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))
        self._collection = client.get_or_create_collection(
            "naive", embedding_function=EmbedderFunction(embedder), configuration={"hnsw": {"space": "cosine"}})
        ids = [str(i) for i in range(len(self.chunks))]
        vectors = embedder.embed_passages([c.text for c in self.chunks])
        self._collection.add(ids=ids, embeddings=vectors, documents=[c.text for c in self.chunks],
                             metadatas=[{"doc_id": c.doc_id} for c in self.chunks])

    def search(self, question: str, k: int = 5) -> list[Chunk]:
        result = self._collection.query(query_embeddings=[self._embedder.embed_query(question)], n_results=k)
        return [self.chunks[int(i)] for i in result["ids"][0]]

