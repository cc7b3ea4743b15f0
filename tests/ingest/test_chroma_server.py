"""The same ingest and retrieval code against a Chroma server (chromadb.HttpClient), started
on loopback from the `chroma` command the chromadb package ships."""
import shutil

import pytest

from ingest.library import builtin_sources
from ingest.pipeline import ingest
from retriever import Retriever
from tests.conftest import FakeEmbedder
from tests.servers import chroma_server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as (url, _):
        yield url


def test_ingest_and_search_through_a_chroma_server(chroma_url, tmp_path):
    sources = [s for s in builtin_sources() if s.meta.id in ("gx-consortium", "hn-tic")]
    report = ingest(sources, tmp_path, FakeEmbedder(), chroma_url=chroma_url, progress=False)
    assert report.embedded == report.clauses > 100
    assert not (tmp_path / "chroma").exists()  # nothing embedded locally: the server holds the vectors
    again = ingest(sources, tmp_path, FakeEmbedder(), chroma_url=chroma_url, progress=False)
    assert again.unchanged and again.embedded == 0
    retriever = Retriever.open(tmp_path, chroma_url=chroma_url, embedder=FakeEmbedder())
    hits = retriever.search("湖南技术创新中心注册资金不少于多少？", k=3)
    assert hits and all(h.clause.doc_id == "hn-tic" for h in hits)
    assert any(h.dense_rank for h in hits)


def test_two_data_dirs_share_one_server_without_touching_each_other(chroma_url, tmp_path):
    """Each data dir has its own namespace; each ingest's cleanup drops only its own earlier
    generations — not the other dir's serving collection, nor anything else on the server."""
    from ingest.store import collection_name, default_namespace, open_client, read_state

    sources = [s for s in builtin_sources() if s.meta.id in ("gx-consortium", "hn-tic")]
    a, b = tmp_path / "a", tmp_path / "b"
    server = open_client(tmp_path, chroma_url)
    foreign = [collection_name("clauses", "20200101T000000000000"), "someone-elses-notes"]
    for name in foreign:
        server.create_collection(name)

    ingest(sources, a, FakeEmbedder(), chroma_url=chroma_url, progress=False)
    ingest(sources, b, FakeEmbedder(), chroma_url=chroma_url, progress=False)
    first_a = read_state(a).collection
    ingest(sources, a, FakeEmbedder(), chroma_url=chroma_url, rebuild=True, progress=False)  # a cleans up
    ingest(sources, b, FakeEmbedder(), chroma_url=chroma_url, rebuild=True, progress=False)  # b cleans up
    ingest(sources, a, FakeEmbedder(), chroma_url=chroma_url, progress=False)  # and again, unchanged

    state_a, state_b = read_state(a), read_state(b)
    assert state_a.namespace == default_namespace(a) != state_b.namespace == default_namespace(b)
    names = server.collection_names()
    assert {state_a.collection, state_b.collection, *foreign} <= names
    assert first_a not in names
    assert not [n for n in names if n.startswith(state_a.namespace) and n != state_a.collection]
    answers = []
    for d in (a, b):
        hits = Retriever.open(d, chroma_url=chroma_url, embedder=FakeEmbedder()).search(
            "湖南技术创新中心注册资金不少于多少？", k=3)
        answers.append([(h.clause.doc_id, h.clause.path) for h in hits])
    assert answers[0] == answers[1] and answers[0][0][0] == "hn-tic"


def test_an_explicit_namespace_is_used_and_validated(chroma_url, tmp_path):
    from ingest.store import NamespaceError, open_client, read_state

    sources = [s for s in builtin_sources() if s.meta.id == "hn-tic"]
    ingest(sources, tmp_path, FakeEmbedder(), chroma_url=chroma_url, namespace="team-a.prod", progress=False)
    assert read_state(tmp_path).collection.startswith("team-a.prod_")
    assert read_state(tmp_path).collection in open_client(tmp_path, chroma_url).collection_names()
    with pytest.raises(NamespaceError, match="POLICY_NAMESPACE"):
        ingest(sources, tmp_path, FakeEmbedder(), chroma_url=chroma_url, namespace="团队", progress=False)


def test_a_copied_data_dir_never_drops_the_originals_collection(chroma_url, tmp_path):
    """The copy's CURRENT.json names the original's collection; replacing it in the copy must
    not delete it on the server, where the original still serves from it."""
    from ingest.store import open_client, read_state

    sources = [s for s in builtin_sources() if s.meta.id in ("gx-consortium", "hn-tic")]
    original, copy = tmp_path / "original", tmp_path / "copy"
    ingest(sources, original, FakeEmbedder(), chroma_url=chroma_url, progress=False)
    shutil.copytree(original, copy)
    report = ingest(sources[:1], copy, FakeEmbedder(), chroma_url=chroma_url, progress=False)
    assert not report.unchanged and report.embedded == 0  # vectors reused from the original's collection
    names = open_client(tmp_path, chroma_url).collection_names()
    assert {read_state(original).collection, read_state(copy).collection} <= names
    served = Retriever.open(original, chroma_url=chroma_url, embedder=FakeEmbedder())
    assert served.search("湖南技术创新中心注册资金", k=1)[0].clause.doc_id == "hn-tic"


def test_a_server_that_goes_away_is_named_not_rebuilt(tmp_path):
    """Queries against a stopped server: an IndexError_ saying to check the server (a rebuild
    would not help), from the search call itself."""
    from ingest.store import IndexError_

    sources = [s for s in builtin_sources() if s.meta.id == "hn-tic"]
    with chroma_server(tmp_path / "server") as (url, proc):
        ingest(sources, tmp_path / "data", FakeEmbedder(), chroma_url=url, progress=False)
        retriever = Retriever.open(tmp_path / "data", chroma_url=url, embedder=FakeEmbedder())
        proc.terminate()
        proc.wait(timeout=10)
        with pytest.raises(IndexError_, match="Chroma 服务.*无法读写.*请检查 POLICY_CHROMA_URL"):
            retriever.search("湖南技术创新中心注册资金", k=1)
        with pytest.raises(IndexError_, match="无法连接 Chroma 服务"):
            Retriever.open(tmp_path / "data", chroma_url=url, embedder=FakeEmbedder())
