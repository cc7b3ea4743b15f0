"""Ways an index directory gets damaged (a disk filling up, a copy interrupted, a hand edit),
shared by the ingest tests (Python API) and the CLI tests. Each kind maps to the words its
error message must contain, so the message names the problem rather than a generic failure."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from ingest.store import generation_dir, open_client, read_state
from ingest.vectorstore import close_store, store_dir

# kind → what the Chinese error must name
DAMAGE = {
    "state_garbage": "索引状态文件",
    "state_truncated": "索引状态文件",
    "state_foreign": "索引状态文件",
    "missing_collection": "没有向量集合",
    "sqlite_garbage": "chroma.sqlite3 已损坏",
    "sqlite_truncated": "chroma.sqlite3 已损坏",
    "sqlite_empty": "没有向量集合",
    "generation_deleted": "条款库",
    "clauses_truncated": "条款库",
    "clauses_cut_at_line": "条款库",
    "bm25_deleted": "关键词索引",
}
# Damage a plain ingest cannot repair without moving the store aside (that takes --rebuild).
NEEDS_REBUILD = {"sqlite_garbage", "sqlite_truncated"}


def damage(data_dir: Path, kind: str) -> None:
    """Damage the index as a crashed or interrupted process would leave it. This process's
    cached Chroma system is stopped first, as if the process that wrote it had exited."""
    state = read_state(data_dir)
    if kind == "missing_collection":
        open_client(data_dir).drop(state.collection)
    close_store(data_dir)
    current = data_dir / "CURRENT.json"
    db = store_dir(data_dir) / "chroma.sqlite3"
    clauses = generation_dir(data_dir, state.generation) / "clauses.jsonl"
    if kind == "state_garbage":
        current.write_bytes(b"\x00\xff\xfe{garbage")
    elif kind == "state_truncated":
        current.write_bytes(current.read_bytes()[: len(current.read_bytes()) // 2])
    elif kind == "state_foreign":
        current.write_text(json.dumps({**json.loads(current.read_text("utf-8")), "generation": "../../etc"}),
                           encoding="utf-8")
    elif kind == "sqlite_garbage":
        db.write_bytes(b"this is not a database " * 4096)
    elif kind == "sqlite_truncated":
        db.write_bytes(db.read_bytes()[: db.stat().st_size // 3])
    elif kind == "sqlite_empty":
        db.write_bytes(b"")
    elif kind == "generation_deleted":
        shutil.rmtree(generation_dir(data_dir, state.generation))
    elif kind == "bm25_deleted":
        shutil.rmtree(generation_dir(data_dir, state.generation) / "bm25")
    elif kind == "clauses_truncated":
        clauses.write_bytes(clauses.read_bytes()[: clauses.stat().st_size // 2])
    elif kind == "clauses_cut_at_line":
        lines = clauses.read_bytes().splitlines(keepends=True)
        clauses.write_bytes(b"".join(lines[: len(lines) // 2]))
    elif kind != "missing_collection":
        raise ValueError(kind)


def delete_vector_segments(data_dir: Path) -> int:
    """Remove Chroma's per-collection segment directories (HNSW files); how many went."""
    close_store(data_dir)
    segments = [p for p in store_dir(data_dir).iterdir() if p.is_dir()]
    for p in segments:
        shutil.rmtree(p)
    return len(segments)
