"""The same ingest and retrieval code against a Chroma server (chromadb.HttpClient), started
on loopback from the `chroma` command the chromadb package ships."""
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.library import builtin_sources
from ingest.pipeline import ingest
from retriever import Retriever
from tests.conftest import FakeEmbedder

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory):
    # The chromadb package installs `chroma` beside this interpreter (the venv may not be on PATH).
    sibling = Path(sys.executable).parent / "chroma"
    exe = str(sibling) if sibling.exists() else shutil.which("chroma")
    assert exe, "the chroma command from the chromadb package is missing"
    port = _free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(tmp_path_factory.mktemp("chroma-server")),
                             "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("chroma server did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


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
