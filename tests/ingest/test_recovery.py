"""A damaged or half-written index directory: every kind of damage is named in a Chinese
error that says to run `ingest --rebuild`, and the rebuild recovers the same index. On real
Chroma and jieba with the fast fake embedder."""
import numpy as np
import pytest

from ingest.errors import IndexDamaged, IndexMissing
from ingest.library import builtin_sources
from ingest.pipeline import ingest
from ingest.store import (
    IndexError_, IngestBusy, check_index, ingest_lock, open_client, read_state,
)
from ingest.vectorstore import close_store
from retriever import Retriever
from tests.conftest import FakeEmbedder
from tests.index_damage import DAMAGE, NEEDS_REBUILD, damage, delete_vector_segments

QUESTION = "湖南技术创新中心注册资金不少于多少？"


@pytest.fixture(scope="module")
def sources():
    return [s for s in builtin_sources() if s.meta.id in ("gx-consortium", "hn-tic")]


def _top(data_dir) -> tuple[str, str]:
    hit = Retriever.open(data_dir, embedder=FakeEmbedder()).search(QUESTION, k=1)[0]
    return hit.clause.doc_id, hit.clause.path


def _serves_like_before(data_dir, before, clause_count) -> None:
    assert _top(data_dir) == before
    state = read_state(data_dir)
    assert sum(check_index(data_dir, None, state).values()) == state.clause_count == clause_count


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_is_named_and_rebuild_recovers(tmp_path, sources, kind):
    first = ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    before = _top(tmp_path)
    damage(tmp_path, kind)

    with pytest.raises(IndexError_) as raised:
        Retriever.open(tmp_path, embedder=FakeEmbedder())
    message = str(raised.value)
    assert DAMAGE[kind] in message and "policy-assistant ingest --rebuild" in message
    assert "Traceback" not in message

    report = ingest(sources, tmp_path, FakeEmbedder(), rebuild=True, progress=False)
    assert report.clauses == first.clauses and report.embedded == report.clauses
    _serves_like_before(tmp_path, before, first.clauses)


@pytest.mark.parametrize("kind, part", [("state_garbage", "state"), ("state_foreign", "state"),
                                        ("generation_deleted", "clauses"), ("clauses_cut_at_line", "clauses")])
def test_damage_is_typed_with_the_broken_part(tmp_path, sources, kind, part):
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    damage(tmp_path, kind)
    with pytest.raises(IndexDamaged) as raised:
        Retriever.open(tmp_path, embedder=FakeEmbedder())
    assert raised.value.part == part


def test_no_index_is_typed_missing(tmp_path):
    with pytest.raises(IndexMissing, match="还没有索引"):
        Retriever.open(tmp_path, embedder=FakeEmbedder())


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_plain_ingest_repairs_or_says_to_rebuild(tmp_path, sources, kind):
    """Never a silently damaged index: repaired (vectors reused where still readable), or
    refused with the --rebuild hint when the store itself cannot be opened."""
    first = ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    before = _top(tmp_path)
    damage(tmp_path, kind)
    if kind in NEEDS_REBUILD:
        with pytest.raises(IndexError_, match="chroma.sqlite3 已损坏.*ingest --rebuild"):
            ingest(sources, tmp_path, FakeEmbedder(), progress=False)
        return
    report = ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    assert not report.unchanged
    _serves_like_before(tmp_path, before, first.clauses)


def test_rebuild_moves_an_unreadable_store_aside_and_keeps_it(tmp_path, sources):
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    damage(tmp_path, "sqlite_garbage")
    report = ingest(sources, tmp_path, FakeEmbedder(), rebuild=True, progress=False)
    moved = tmp_path / report.moved_aside
    assert moved.name.startswith("chroma.broken-")
    assert (moved / "chroma.sqlite3").read_bytes().startswith(b"this is not a database")
    assert open_client(tmp_path).collection_names() == {read_state(tmp_path).collection}


def test_deleted_segments_of_a_small_index_are_replayed_by_chroma(tmp_path, sources):
    """Chroma keeps a small collection's vectors in its log too, and rebuilds the HNSW files
    from it: nothing to report, the same answers."""
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    before = _top(tmp_path)
    assert delete_vector_segments(tmp_path) == 1
    assert _top(tmp_path) == before


def test_unreadable_vectors_are_detected_when_opening(tmp_path):
    """Past Chroma's sync threshold its log is compacted away; without the segment files the
    collection still opens and answers queries from a partial index. Reading a vector back
    exposes it, so it is an IndexError_ at open rather than wrong answers later."""
    client = open_client(tmp_path)
    collection = client.create_collection("big_20260101T000000000000")
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(3000, 8)).astype(np.float32)
    for start in range(0, 3000, 1000):
        collection.add(ids=[str(i) for i in range(start, start + 1000)], embeddings=vectors[start:start + 1000])
    close_store(tmp_path)
    assert len(open_client(tmp_path).get_collection("big_20260101T000000000000").get(limit=3)["ids"]) == 3
    delete_vector_segments(tmp_path)
    with pytest.raises(IndexError_, match="big_20260101T000000000000.*无法读写.*ingest --rebuild"):
        open_client(tmp_path).get_collection("big_20260101T000000000000")


def test_a_second_ingest_of_the_same_dir_is_refused_while_one_runs(tmp_path, sources):
    with ingest_lock(tmp_path):
        with pytest.raises(IngestBusy, match="另一个入库任务正在更新"):
            ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    assert ingest(sources, tmp_path, FakeEmbedder(), progress=False).clauses > 100


def test_an_unreachable_chroma_server_is_named(tmp_path):
    import socket
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(IndexError_, match=f"无法连接 Chroma 服务 http://127.0.0.1:{port}.*POLICY_CHROMA_URL"):
        open_client(tmp_path, f"http://127.0.0.1:{port}")
