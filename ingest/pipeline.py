"""Build or refresh the index: idempotent (content-hash ids, nothing unchanged is re-embedded),
incremental (a changed document replaces exactly its stale clauses, a removed one's go) and
atomic (a new generation is built beside the old one and swapped in at the very end)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from tqdm import tqdm

from ingest.embedders import Embedder
from ingest.lexical import LexicalIndex
from ingest.library import Source
from ingest.model import Clause
from ingest.store import (
    COLLECTION_PREFIX, EmbedderFunction, IndexState, chroma_metadata, drop_generation,
    generation_dir, open_client, read_state, stale_generations, stored_embeddings, write_clauses,
    write_state,
)
from ingest.tokenize import Tokenizer, jieba_tokenizer

EMBED_BATCH = 32
ADD_BATCH = 1000


@dataclass(frozen=True)
class IngestReport:
    generation: str
    documents: int
    clauses: int
    embedded: int      # clauses that went through the model this time
    reused: int        # clauses whose vectors were carried over
    removed: int       # clauses of the old generation that are gone
    unchanged: bool    # nothing to do: the serving generation already matches
    seconds: float


def ingest(
    sources: Sequence[Source],
    data_dir: Path,
    embedder: Embedder,
    *,
    chroma_url: str | None = None,
    rebuild: bool = False,
    tokenizer: Tokenizer | None = None,
    progress: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    started = time.perf_counter()
    data_dir.mkdir(parents=True, exist_ok=True)
    clauses = [c for s in sources for c in s.clauses()]
    new_ids = [c.id for c in clauses]
    client = open_client(data_dir, chroma_url)
    state = None if rebuild else _usable_state(data_dir, client, embedder)
    old_ids: set[str] = set()
    if state is not None:
        old = client.get_collection(state.collection, embedding_function=EmbedderFunction(embedder))
        old_ids = set(old.get(include=[])["ids"])
        if old_ids == set(new_ids) and state.documents == _doc_records(sources):
            return IngestReport(state.generation, len(sources), len(clauses), 0, len(clauses), 0,
                                True, time.perf_counter() - started)

    generation = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    gen_dir = generation_dir(data_dir, generation)
    gen_dir.mkdir(parents=True, exist_ok=False)
    collection_name = COLLECTION_PREFIX + generation
    try:
        reuse = stored_embeddings(old, [i for i in new_ids if i in old_ids]) if state else {}
        vectors = _embed_missing(clauses, reuse, embedder, progress, on_progress)
        collection = client.create_collection(
            collection_name, embedding_function=EmbedderFunction(embedder),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedder": embedder.spec, "generation": generation},
        )
        for start in range(0, len(clauses), ADD_BATCH):
            batch = clauses[start:start + ADD_BATCH]
            collection.add(
                ids=[c.id for c in batch],
                embeddings=np.stack([vectors[c.id] for c in batch]),
                documents=[c.search_text for c in batch],
                metadatas=[chroma_metadata(c) for c in batch],
            )
        write_clauses(gen_dir, clauses)
        LexicalIndex.build([c.search_text for c in clauses], tokenizer or jieba_tokenizer()).save(gen_dir / "bm25")
        new_state = IndexState(
            generation=generation, collection=collection_name, embedder=embedder.spec,
            clause_count=len(clauses), documents=_doc_records(sources),
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        write_state(data_dir, new_state)  # the swap: from here on the new generation serves
    except BaseException:
        drop_generation(client, data_dir, collection_name, generation)
        raise
    for stale_collection, stale_gen in stale_generations(client, data_dir, keep=generation):
        drop_generation(client, data_dir, stale_collection, stale_gen)
    embedded = len(clauses) - len(reuse)
    return IngestReport(generation, len(sources), len(clauses), embedded, len(reuse),
                        len(old_ids - set(new_ids)), False, time.perf_counter() - started)


def _usable_state(data_dir: Path, client, embedder: Embedder) -> IndexState | None:
    """The serving generation, if its collection exists and was embedded by the same model."""
    try:
        state = read_state(data_dir)
    except RuntimeError:
        return None  # a corrupt state file is rebuilt from scratch
    if state is None or state.embedder != embedder.spec:
        return None
    try:
        client.get_collection(state.collection, embedding_function=EmbedderFunction(embedder))
    except Exception:
        return None
    return state


def _embed_missing(clauses: list[Clause], reuse: dict[str, np.ndarray], embedder: Embedder,
                   progress: bool, on_progress: Callable[[int, int], None] | None) -> dict[str, np.ndarray]:
    vectors = dict(reuse)
    # Similar lengths in one batch: the model pads a batch to its longest text.
    todo = sorted((c for c in clauses if c.id not in vectors), key=lambda c: len(c.search_text))
    bar = tqdm(total=len(todo), desc="向量化条款", unit="条", disable=not progress or not todo)
    for start in range(0, len(todo), EMBED_BATCH):
        batch = todo[start:start + EMBED_BATCH]
        for c, v in zip(batch, embedder.embed_passages([c.search_text for c in batch])):
            vectors[c.id] = v
        bar.update(len(batch))
        if on_progress:
            on_progress(min(start + EMBED_BATCH, len(todo)), len(todo))
    bar.close()
    return vectors


def _doc_records(sources: Sequence[Source]) -> dict[str, dict]:
    return {s.meta.id: {"title": s.meta.title, "short_title": s.meta.short_title,
                        "region": s.meta.region, "doc_type": s.meta.doc_type,
                        "status": s.meta.status, "origin": s.origin, "sha": s.sha}
            for s in sources}
