"""Build or refresh the index: idempotent (content-hash ids, nothing unchanged is re-embedded),
incremental (a changed document replaces exactly its stale clauses, a removed one's go) and
atomic (a new generation is built beside the old one and swapped in at the very end).

A killed ingest leaves only a half-built generation behind; the next ingest removes it."""
from __future__ import annotations

import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Sequence

import numpy as np
from tqdm import tqdm

from ingest.embedders import Embedder
from ingest.lexical import LexicalIndex
from ingest.library import Source
from ingest.lures import flagged_clauses
from ingest.model import Clause
from ingest.store import (
    LEGACY_NAMESPACE, REBUILD_HINT, EmbedderFunction, IndexClient, IndexError_, IndexState,
    check_namespace, chroma_metadata, collection_name, default_namespace, drop_generation, generation_of,
    generation_dir, generation_intact, ingest_lock, open_client, read_state, stale_collections, stale_generation_dirs,
    stored_embeddings, write_clauses, write_state,
)
from ingest.tokenize import Tokenizer, jieba_tokenizer, tokenizer_fingerprint
from ingest.vectorstore import move_aside

EMBED_BATCH = 32  # texts per call, unless the embedder says its own (`batch`)
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
    moved_aside: str | None = None  # an unreadable embedded store, renamed by --rebuild
    texts_embedded: int = 0  # distinct texts among the embedded clauses: what the model computed
    flagged: tuple[str, ...] = ()  # clauses reading as instructions or payment lures (ingest/lures.py)


def ingest(
    sources: Sequence[Source],
    data_dir: Path,
    embedder: Embedder,
    *,
    chroma_url: str | None = None,
    chroma_token: str | None = None,
    namespace: str | None = None,
    rebuild: bool = False,
    tokenizer: Tokenizer | None = None,
    progress: bool = True,
    on_progress: Callable[[int, int], None] | None = None,
) -> IngestReport:
    """namespace: prefix of this deployment's collections (default: derived from data_dir)."""
    started = time.perf_counter()
    namespace = check_namespace(namespace or default_namespace(data_dir))
    data_dir.mkdir(parents=True, exist_ok=True)
    with ingest_lock(data_dir):
        client, moved = _open_store(data_dir, chroma_url, rebuild, chroma_token)
        # An embedded store is this data dir's alone: pre-namespace leftovers there are ours too.
        owned = (namespace,) if chroma_url else (namespace, LEGACY_NAMESPACE)
        report = _ingest_locked(sources, data_dir, embedder, client, namespace, owned, rebuild,
                                tokenizer, progress, on_progress, embedded=not chroma_url)
    return replace(report, seconds=time.perf_counter() - started, moved_aside=str(moved) if moved else None,
                   flagged=flagged_clauses(c for s in sources for c in s.clauses()))


def _open_store(data_dir: Path, chroma_url: str | None, rebuild: bool,
                chroma_token: str | None = None) -> tuple[IndexClient, Path | None]:
    """The Chroma client. An embedded store that cannot be opened is moved aside on --rebuild
    (and only then: it is the user's data); otherwise the error says to rebuild."""
    try:
        client = open_client(data_dir, chroma_url, chroma_token)
        client.collection_names()
        return client, None
    except IndexError_ as exc:
        if chroma_url:
            raise
        if not rebuild:
            raise IndexError_(f"{exc}；{REBUILD_HINT}（损坏的向量库会被移到一旁后重建）") from exc
    moved = move_aside(data_dir)
    return open_client(data_dir, None), moved


def _ingest_locked(sources, data_dir, embedder, client, namespace, owned, rebuild, tokenizer,
                   progress, on_progress, *, embedded: bool) -> IngestReport:
    clauses = [c for s in sources for c in s.clauses()]
    new_ids = [c.id for c in clauses]
    previous = _serving(data_dir)
    state, old = (None, None) if rebuild else _usable_state(data_dir, client, embedder)
    old_ids = _ids(old)
    fingerprint = tokenizer_fingerprint() if tokenizer is None else getattr(tokenizer, "fingerprint", "injected")
    if state is not None and old_ids == set(new_ids) and state.documents == _doc_records(sources) \
            and state.tokenizer == fingerprint and generation_intact(generation_dir(data_dir, state.generation)):
        _clean_up(client, data_dir, owned, keep=state, previous=None, embedded=embedded)
        return IngestReport(state.generation, len(sources), len(clauses), 0, len(clauses), 0, True, 0.0)

    generation = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    gen_dir = generation_dir(data_dir, generation)
    gen_dir.mkdir(parents=True, exist_ok=False)
    name = collection_name(namespace, generation)
    try:
        # The keyword index (jieba, pure Python) is built beside the embedding (C, which releases
        # the GIL): on a small library its seconds hide behind the model's instead of adding to them.
        with ThreadPoolExecutor(1, thread_name_prefix="bm25") as pool:
            lexical = pool.submit(_keyword_index, [c.search_text for c in clauses], tokenizer)
            reuse = _reusable(old, [i for i in new_ids if i in old_ids])
            vectors, texts_embedded = _embed_missing(clauses, reuse, embedder, progress, on_progress)
            _fill_collection(client, name, clauses, vectors, embedder, generation, namespace)
            write_clauses(gen_dir, clauses)
            lexical.result().save(gen_dir / "bm25")
        new_state = IndexState(
            generation=generation, collection=name, embedder=embedder.spec,
            clause_count=len(clauses), documents=_doc_records(sources),
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"), namespace=namespace,
            tokenizer=fingerprint,
        )
        write_state(data_dir, new_state)  # the swap: from here on the new generation serves
    except BaseException:
        drop_generation(client, data_dir, name, generation)
        raise
    _clean_up(client, data_dir, owned, keep=new_state, previous=previous, embedded=embedded)
    embedded = len(clauses) - len(reuse)
    return IngestReport(generation, len(sources), len(clauses), embedded, len(reuse),
                        len(old_ids - set(new_ids)), False, 0.0, texts_embedded=texts_embedded)


def _keyword_index(texts: list[str], tokenizer: Tokenizer | None) -> LexicalIndex:
    return LexicalIndex.build(texts, tokenizer or jieba_tokenizer())


def _fill_collection(client: IndexClient, name: str, clauses: list[Clause], vectors: dict[str, np.ndarray],
                     embedder: Embedder, generation: str, namespace: str) -> None:
    collection = client.create_collection(
        name, embedding_function=EmbedderFunction(embedder),
        configuration={"hnsw": {"space": "cosine"}},
        metadata={"embedder": embedder.spec, "generation": generation, "namespace": namespace},
    )
    for start in range(0, len(clauses), ADD_BATCH):
        batch = clauses[start:start + ADD_BATCH]
        collection.add(
            ids=[c.id for c in batch],
            embeddings=np.stack([vectors[c.id] for c in batch]),
            documents=[c.search_text for c in batch],
            metadatas=[chroma_metadata(c) for c in batch],
        )


def _usable_state(data_dir: Path, client: IndexClient, embedder: Embedder):
    """The serving generation and its collection, if that collection is readable and was
    embedded by the same model; (None, None) means: build from scratch."""
    try:
        state = read_state(data_dir)
    except IndexError_:
        return None, None  # a corrupt state file is rebuilt from scratch
    if state is None or state.embedder != embedder.spec:
        return None, None
    try:
        return state, client.get_collection(state.collection, embedding_function=EmbedderFunction(embedder))
    except IndexError_:
        return None, None


def _serving(data_dir: Path) -> IndexState | None:
    """The state this ingest replaces (None when missing or unreadable: nothing to drop)."""
    try:
        return read_state(data_dir)
    except IndexError_:
        return None


def _ids(collection) -> set[str]:
    if collection is None:
        return set()
    try:
        return set(collection.get(include=[])["ids"])
    except IndexError_:
        return set()  # unreadable: every clause is embedded again


def _reusable(collection, ids: list[str]) -> dict[str, np.ndarray]:
    if collection is None or not ids:
        return {}
    try:
        return stored_embeddings(collection, ids)
    except IndexError_:
        return {}


def _clean_up(client: IndexClient, data_dir: Path, owned: tuple[str, ...], *, keep: IndexState,
              previous: IndexState | None, embedded: bool) -> None:
    """Drop what no longer serves: half-built generations of killed or failed ingests and
    earlier generations of our namespaces — never another namespace's collections. The
    collection the replaced state named goes too when it is surely ours: in an embedded store
    (a pre-namespace name, or another POLICY_NAMESPACE before); on a server only if in our
    namespace (a copied data dir must not drop the original's serving collection)."""
    try:
        names = client.collection_names()
    except IndexError_:
        return  # the new generation serves already; the next ingest cleans up
    doomed = set(stale_collections(names, owned, keep.collection))
    if previous is not None and previous.collection != keep.collection and previous.collection in names \
            and (embedded or any(generation_of(previous.collection, ns) for ns in owned)):
        doomed.add(previous.collection)
    for name in sorted(doomed):
        client.drop(name)
    for path in stale_generation_dirs(data_dir, keep.generation):
        shutil.rmtree(path, ignore_errors=True)


def _embed_missing(clauses: list[Clause], reuse: dict[str, np.ndarray], embedder: Embedder,
                   progress: bool, on_progress: Callable[[int, int], None] | None) -> tuple[dict[str, np.ndarray], int]:
    """Vectors for every clause, and how many texts went through the model. A text that
    several clauses share (a document re-issued by another city with the same wording, a
    boilerplate article) goes through the model once: the embedder is deterministic."""
    vectors = dict(reuse)
    by_text: dict[str, list[str]] = {}
    for c in clauses:
        if c.id not in vectors:
            by_text.setdefault(c.search_text, []).append(c.id)
    # Similar lengths in one batch: the model pads a batch to its longest text.
    todo = sorted(by_text, key=len)
    bar = tqdm(total=len(todo), desc="向量化条款", unit="条", disable=not progress or not todo)
    size = getattr(embedder, "batch", EMBED_BATCH)
    for start in range(0, len(todo), size):
        batch = todo[start:start + size]
        for text, v in zip(batch, embedder.embed_passages(batch)):
            for cid in by_text[text]:
                vectors[cid] = v
        bar.update(len(batch))
        if on_progress:
            on_progress(min(start + size, len(todo)), len(todo))
    bar.close()
    return vectors, len(todo)


def _doc_records(sources: Sequence[Source]) -> dict[str, dict]:
    return {s.meta.id: {"title": s.meta.title, "short_title": s.meta.short_title,
                        "region": s.meta.region, "doc_type": s.meta.doc_type,
                        "status": s.meta.status, "origin": s.origin, "sha": s.sha, "version": s.meta.version}
            for s in sources}
