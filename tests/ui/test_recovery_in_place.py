"""A running server heals when the operator rebuilds the index from another process: after
`rm -rf $DATA/chroma; policy-assistant ingest --rebuild`, /api/health, search and ask work again
without a restart. The rebuild runs as a separate process, as an operator's CLI would."""
import os
import shutil
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from ingest import embedders
from tests.conftest import FakeEmbedder
from ui.context import AppContext
from ui.settings import Settings
from ui.web import create_app

QUESTION = "湖南技术创新中心注册资金不少于多少？"
CLI_WITH_FAKE_MODEL = (
    "import sys; from ingest import embedders; from tests.conftest import FakeEmbedder; "
    "embedders.EMBEDDERS[FakeEmbedder.spec] = lambda arg: FakeEmbedder(); "
    "from ui.cli import app; sys.argv[0] = 'policy-assistant'; app()"
)


def _cli(*args: str, data_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "POLICY_EMBEDDER": FakeEmbedder.spec, "PYTHONPATH": os.getcwd()}
    for key in ("POLICY_CHROMA_URL", "POLICY_NAMESPACE", "POLICY_DATA_DIR"):
        env.pop(key, None)
    return subprocess.run([sys.executable, "-c", CLI_WITH_FAKE_MODEL, *args, "--data-dir", str(data_dir)],
                          capture_output=True, text=True, env=env, timeout=300)


@pytest.fixture
def served(tmp_path, monkeypatch):
    monkeypatch.setitem(embedders.EMBEDDERS, FakeEmbedder.spec, lambda arg: FakeEmbedder())
    data_dir = tmp_path / "data"
    assert _cli("ingest", "--quiet", data_dir=data_dir).returncode == 0
    ctx = AppContext(Settings(data_dir=data_dir, embedder=FakeEmbedder.spec))
    with TestClient(create_app(ctx), raise_server_exceptions=False) as client:
        yield client, data_dir


def _search(client) -> int:
    return client.post("/api/search", json={"q": QUESTION, "k": 1}).status_code


def test_rebuild_under_a_running_server_heals_it(served):
    client, data_dir = served
    assert client.get("/api/health").status_code == 200 and _search(client) == 200
    before = client.post("/api/ask", json={"q": QUESTION}).json()["answer"]
    shutil.rmtree(data_dir / "chroma")
    rebuilt = _cli("ingest", "--rebuild", "--quiet", data_dir=data_dir)
    assert rebuilt.returncode == 0, rebuilt.stderr
    health = client.get("/api/health")
    assert health.status_code == 200, health.text
    assert _search(client) == 200
    ask = client.post("/api/ask", json={"q": QUESTION})
    assert ask.status_code == 200 and ask.json()["answer"] == before  # the fake model answers alike
