"""Where an index lives: a Chroma collection per generation (see ingest.vectorstore) plus, on
local disk, the generation's clause store and BM25 files, and CURRENT.json naming the
generation that serves.

Swapping generations is one atomic os.replace of CURRENT.json, so a failed or killed ingest
leaves the previous generation serving. Collections are named <namespace>_<generation>; the
namespace keeps deployments that share one Chroma server from touching each other's."""
from __future__ import annotations

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

import numpy as np

from ingest.errors import IndexDamaged
from ingest.lexical import probe as lexical_probe
from ingest.model import Clause
from ingest.namespace import (  # re-exported
    LEGACY_NAMESPACE, NamespaceError, check_namespace, collection_name, default_namespace,
    generation_of, is_generation,
)
from ingest.vectorstore import (  # re-exported: the retriever and the UI import them from here
    REBUILD_HINT, EmbedderFunction, IndexClient, IndexCollection, IndexError_, open_client,
)

__all__ = ["REBUILD_HINT", "EmbedderFunction", "IndexClient", "IndexCollection", "IndexError_",
           "open_client", "LEGACY_NAMESPACE", "NamespaceError", "check_namespace", "collection_name",
           "default_namespace", "generation_of", "is_generation"]

CURRENT = "CURRENT.json"
HEADER = "__clauses__"  # first line of clauses.jsonl: {"__clauses__": <count>}
LOCK = ".ingest.lock"


class IngestBusy(IndexError_):
    """Another ingest holds this data dir."""


@dataclass(frozen=True)
class IndexState:
    generation: str
    collection: str
    embedder: str
    clause_count: int
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    created: str = ""
    namespace: str = ""
    tokenizer: str = ""   # ingest.tokenize.tokenizer_fingerprint() of the BM25 index ("" before it was kept)


# ---- CURRENT.json -----------------------------------------------------------------------------
def read_state(data_dir: Path) -> IndexState | None:
    path = data_dir / CURRENT
    if not path.exists():
        return None
    try:
        state = IndexState(**json.loads(path.read_bytes().decode("utf-8")))
    except (OSError, ValueError, TypeError) as exc:  # truncated, garbage, not an object
        raise IndexDamaged("state", f"索引状态文件 {path} 已损坏（无法解析），{REBUILD_HINT}") from exc
    problem = state_problem(state)
    if problem:
        raise IndexDamaged("state", f"索引状态文件 {path} 内容无效（{problem}），{REBUILD_HINT}")
    return state


def state_problem(state: IndexState) -> str | None:
    """What is wrong with a parsed state, if anything (a hand-edited or foreign file)."""
    if not isinstance(state.generation, str) or not is_generation(state.generation):
        return f"索引版本“{state.generation}”格式不对"
    if not isinstance(state.collection, str) or not state.collection:
        return "缺少向量集合名"
    if not isinstance(state.embedder, str) or not state.embedder:
        return "缺少向量模型"
    if isinstance(state.clause_count, bool) or not isinstance(state.clause_count, int) or state.clause_count < 0:
        return "条款数无效"
    if not isinstance(state.documents, dict) or not all(isinstance(m, dict) for m in state.documents.values()):
        return "文件清单无效"
    return None


def write_state(data_dir: Path, state: IndexState) -> None:
    """Atomic swap: write beside, fsync, rename over."""
    tmp = data_dir / f".{CURRENT}.tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh, ensure_ascii=False, indent=1)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, data_dir / CURRENT)


# ---- generations on disk ----------------------------------------------------------------------
def generation_dir(data_dir: Path, generation: str) -> Path:
    return data_dir / "generations" / generation


def write_clauses(gen_dir: Path, clauses: list[Clause]) -> None:
    """A header line with the count, then one clause record a line: a file cut short anywhere,
    even at a line boundary, is recognised as incomplete."""
    with open(gen_dir / "clauses.jsonl", "w", encoding="utf-8") as fh:
        fh.write(json.dumps({HEADER: len(clauses)}) + "\n")
        for c in clauses:
            fh.write(json.dumps(c.to_record(), ensure_ascii=False) + "\n")


def read_clauses(gen_dir: Path) -> list[Clause]:
    """The generation's clauses; IndexError_ when missing, unparsable or cut short. (Stores
    written before the header existed are read as they are, unless empty.)"""
    path = gen_dir / "clauses.jsonl"
    try:
        with open(path, encoding="utf-8") as fh:
            records = [json.loads(line) for line in fh if line.strip()]
        expected = records.pop(0)[HEADER] if records and HEADER in records[0] else None
        clauses = [Clause.from_record(r) for r in records]
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise IndexDamaged("clauses", f"条款库 {path} 缺失或已损坏，{REBUILD_HINT}") from exc
    if len(clauses) != expected and (expected is not None or not clauses):
        raise IndexDamaged("clauses", f"条款库 {path} 不完整（应有 {expected or '若干'} 条，读到 {len(clauses)} 条），"
                          f"{REBUILD_HINT}")
    return clauses


def generation_intact(gen_dir: Path) -> bool:
    """Are a generation's files all there? An ingest with nothing to change must not leave a
    damaged generation serving."""
    try:
        read_clauses(gen_dir)
    except IndexError_:
        return False
    return (gen_dir / "bm25").is_dir() and any((gen_dir / "bm25").iterdir())


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


def drop_generation(client: IndexClient, data_dir: Path, collection: str, generation: str) -> None:
    """Remove a generation that no longer serves (or never finished)."""
    client.drop(collection)
    shutil.rmtree(generation_dir(data_dir, generation), ignore_errors=True)


def stale_collections(names: set[str], namespaces: tuple[str, ...], keep: str) -> list[str]:
    """Collections of our namespaces other than the one that serves. Anything else on a
    shared Chroma server belongs to another deployment and is never touched."""
    return sorted(n for n in names if n != keep and any(generation_of(n, ns) for ns in namespaces))


def stale_generation_dirs(data_dir: Path, keep: str) -> list[Path]:
    """Generation directories (all ours: they live under data_dir) other than the serving one."""
    root = data_dir / "generations"
    return sorted(p for p in root.iterdir() if p.name != keep) if root.exists() else []


@contextmanager
def ingest_lock(data_dir: Path) -> Iterator[None]:
    """One ingest per data dir at a time, so cleaning up half-built generations never removes
    one another ingest is still building. The kernel releases the lock when its holder dies,
    so a killed ingest never leaves it stuck."""
    with open(data_dir / LOCK, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise IngestBusy(f"另一个入库任务正在更新 {data_dir}，请等它完成后再试") from exc
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def with_rebuild_hint(exc: IndexError_) -> IndexError_:
    """The same problem, telling the user how to recover when it does not say so already."""
    message = str(exc)
    return exc if REBUILD_HINT in message else IndexError_(f"{message}；{REBUILD_HINT}")


_BM25_PROBED: dict[str, tuple] = {}  # directory → the files' (name, size, mtime) when last found sound


def check_bm25(gen_dir: Path) -> None:
    """Every file of the keyword index that search needs is there, readable and consistent
    (ingest.lexical.probe); IndexDamaged part bm25 naming the problem if not. A directory found
    sound is probed again only when one of its files changes (health checks poll this)."""
    bm25 = gen_dir / "bm25"
    try:
        seen = tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in bm25.iterdir()))
    except OSError:
        seen = ()
    if not seen:
        raise IndexDamaged("bm25", f"关键词索引（BM25）文件缺失：{bm25}；{REBUILD_HINT}")
    if _BM25_PROBED.get(str(bm25)) == seen:
        return
    problem = lexical_probe(bm25)
    if problem:
        _BM25_PROBED.pop(str(bm25), None)
        raise IndexDamaged("bm25", f"关键词索引（BM25）{bm25} 损坏：{problem}；{REBUILD_HINT}")
    _BM25_PROBED[str(bm25)] = seen


def check_index(data_dir: Path, chroma_url: str | None, state: IndexState,
                chroma_token: str | None = None) -> dict[str, int]:
    """Clauses per document of the serving generation, after checking that its clause store
    and its vector collection are readable and agree with CURRENT.json; IndexError_ if not."""
    clauses = read_clauses(generation_dir(data_dir, state.generation))
    check_bm25(generation_dir(data_dir, state.generation))
    try:
        vectors = open_client(data_dir, chroma_url, chroma_token).get_collection(state.collection).count()
    except IndexError_ as exc:
        raise with_rebuild_hint(exc) from exc
    if not len(clauses) == vectors == state.clause_count:
        raise IndexError_(f"索引不完整：状态文件记录 {state.clause_count} 条条款，条款库有 {len(clauses)} 条，"
                          f"向量集合有 {vectors} 条；{REBUILD_HINT}")
    counts: dict[str, int] = {}
    for c in clauses:
        counts[c.doc_id] = counts.get(c.doc_id, 0) + 1
    return counts
