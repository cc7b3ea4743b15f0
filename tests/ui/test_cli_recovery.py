"""A damaged index on the command line: search, ask and info exit with code 3 and a Chinese
message naming the problem and `ingest --rebuild` (never a traceback); `ingest --rebuild`
recovers. The CLI runs as shipped; only the model is the fast fake one, registered by name."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from ingest import embedders
from tests.conftest import FakeEmbedder
from tests.index_damage import DAMAGE, NEEDS_REBUILD, damage
from ui.cli import app

QUESTION = "湖南技术创新中心注册资金不少于多少？"
runner = CliRunner()


@pytest.fixture(autouse=True)
def fake_model(monkeypatch):
    monkeypatch.setitem(embedders.EMBEDDERS, FakeEmbedder.spec, lambda arg: FakeEmbedder())
    monkeypatch.setenv("POLICY_EMBEDDER", FakeEmbedder.spec)
    for key in ("POLICY_CHROMA_URL", "POLICY_NAMESPACE", "POLICY_DATA_DIR"):
        monkeypatch.delenv(key, raising=False)


def _run(*args, data_dir):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)])


def _top(data_dir) -> tuple[str, str]:
    result = _run("search", QUESTION, "--k", "1", "--json", data_dir=data_dir)
    assert result.exit_code == 0, result.output
    hit = json.loads(result.stdout)["hits"][0]
    return hit["doc_id"], hit["clause_path"]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(embedders.EMBEDDERS, FakeEmbedder.spec, lambda arg: FakeEmbedder())
        mp.setenv("POLICY_EMBEDDER", FakeEmbedder.spec)
        data_dir = tmp_path_factory.mktemp("pristine")
        result = _run("ingest", "--quiet", data_dir=data_dir)
        assert result.exit_code == 0, result.output
        return data_dir


@pytest.fixture
def index(pristine, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(pristine, data_dir)
    return data_dir


def _says_rebuild(result, words: str) -> None:
    assert result.exit_code == 3, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "错误：" in result.stderr and words in result.stderr
    assert "policy-assistant ingest --rebuild" in result.stderr


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_exits_3_naming_it_and_rebuild_recovers(index, kind):
    before = _top(index)
    damage(index, kind)
    words = DAMAGE[kind]
    _says_rebuild(_run("search", QUESTION, data_dir=index), words)
    _says_rebuild(_run("ask", QUESTION, data_dir=index), words)
    _says_rebuild(_run("info", data_dir=index), words)
    as_json = _run("search", QUESTION, "--json", data_dir=index)
    assert as_json.exit_code == 3 and words in json.loads(as_json.stdout)["error"]["message"]

    rebuilt = _run("ingest", "--rebuild", "--quiet", data_dir=index)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert ("已移到" in rebuilt.stderr) == (kind in NEEDS_REBUILD)
    assert _top(index) == before
    assert _run("info", data_dir=index).exit_code == 0


@pytest.mark.parametrize("kind", sorted(NEEDS_REBUILD))
def test_plain_ingest_on_an_unreadable_store_says_to_rebuild(index, kind):
    damage(index, kind)
    _says_rebuild(_run("ingest", "--quiet", data_dir=index), "chroma.sqlite3 已损坏")
    assert not list(index.glob("chroma.broken-*"))  # the user's data is only moved on --rebuild
