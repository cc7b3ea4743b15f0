"""Where an index lives: a Chroma collection per generation (embedded PersistentClient, or a
Chroma server through HttpClient — the same code path) plus, on local disk, the generation's
clause store and BM25 files, and CURRENT.json naming the generation that serves.

Swapping generations is one atomic os.replace of CURRENT.json, so a failed or killed ingest
leaves the previous generation serving."""
from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings

from ingest.embedders import Embedder, make_embedder
from ingest.model import Clause

CURRENT = "CURRENT.json"
COLLECTION_PREFIX = "clauses_"


class IndexError_(RuntimeError):
    """The index is missing, half-written or unreadable (translated at the CLI/UI edge)."""


@dataclass(frozen=True)
class IndexState:
    generation: str
    collection: str
    embedder: str
    clause_count: int
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: str = ""


class EmbedderFunction(EmbeddingFunction[Documents]):
    """Our embedder behind Chroma's interface, so Chroma never falls back to its default
    model (which would try to download weights). Queries get the query-side encoding."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self._embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "zhengcetong"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "EmbedderFunction":
        return EmbedderFunction(make_embedder(config["embedder"]))

    def default_space(self) -> str:
        return "cosine"


def open_client(data_dir: Path, chroma_url: str | None = None) -> chromadb.api.ClientAPI:
    """Embedded Chroma under data_dir, or the Chroma server at chroma_url."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        return chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                   ssl=url.scheme == "https", settings=settings)
    (data_dir / "chroma").mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


def generation_dir(data_dir: Path, generation: str) -> Path:
    return data_dir / "generations" / generation


def read_state(data_dir: Path) -> IndexState | None:
    path = data_dir / CURRENT
    if not path.exists():
        return None
    try:
        return IndexState(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise IndexError_(f"索引状态文件 {path} 已损坏，请运行 policy-assistant ingest --rebuild") from exc


def write_state(data_dir: Path, state: IndexState) -> None:
    """Atomic swap: write beside, fsync, rename over."""
    tmp = data_dir / f".{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, data_dir / CURRENT)


def write_clauses(gen_dir: Path, clauses: list[Clause]) -> None:
    with open(gen_dir / "clauses.jsonl", "w", encoding="utf-8") as fh:
        for c in clauses:
            fh.write(json.dumps(c.to_record(), ensure_ascii=False) + "\n")


def read_clauses(gen_dir: Path) -> list[Clause]:
    path = gen_dir / "clauses.jsonl"
    try:
        with open(path, encoding="utf-8") as fh:
            return [Clause.from_record(json.loads(line)) for line in fh if line.strip()]
    except (OSError, ValueError, TypeError) as exc:
        raise IndexError_(f"条款库 {path} 缺失或已损坏，请运行 policy-assistant ingest --rebuild") from exc


def chroma_metadata(c: Clause) -> dict[str, Any]:
    """Scalar metadata Chroma can filter on; the full record lives in the clause store."""
    return {"doc_id": c.doc_id, "region": c.region, "doc_type": c.doc_type,
            "path": c.path, "part": c.part, "seq": c.seq}


def stored_embeddings(collection, ids: list[str]) -> dict[str, np.ndarray]:
    """Embeddings already in a collection, by clause id (to reuse instead of re-embedding)."""
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(ids), 500):
        got = collection.get(ids=ids[start:start + 500], include=["embeddings"])
        for cid, emb in zip(got["ids"], got["embeddings"]):
            found[cid] = np.asarray(emb, dtype=np.float32)
    return found


def drop_generation(client, data_dir: Path, collection: str, generation: str) -> None:
    """Remove a generation that no longer serves (or never finished)."""
    try:
        client.delete_collection(collection)
    except Exception:  # already gone: nothing to clean
        pass
    shutil.rmtree(generation_dir(data_dir, generation), ignore_errors=True)


def stale_generations(client, data_dir: Path, keep: str | None) -> list[tuple[str, str]]:
    """(collection, generation) pairs left over from earlier or failed ingests."""
    names = {c if isinstance(c, str) else c.name for c in client.list_collections()}
    gens = {p.name for p in (data_dir / "generations").glob("*")} if (data_dir / "generations").exists() else set()
    gens |= {n[len(COLLECTION_PREFIX):] for n in names if n.startswith(COLLECTION_PREFIX)}
    return [(COLLECTION_PREFIX + g, g) for g in sorted(gens) if g != keep]
