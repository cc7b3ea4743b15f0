"""The web app's programmatic side, through `gradio_client` and raw HTTP against a served app:
named endpoints with named parameters, region choices accepted, and the library-changing
handlers neither listed nor usable without the administrator token."""
import json
import shutil

import httpx
import pytest

from evals.load import served

pytestmark = pytest.mark.slow
TOKEN = "s3cret-admin-token"


@pytest.fixture(scope="module")
def server(real_index, tmp_path_factory):
    from typer.testing import CliRunner

    from ui.cli import app
    data_dir = tmp_path_factory.mktemp("client") / "data"
    shutil.copytree(real_index, data_dir)
    doc = data_dir.parent / "玉林市科普基地管理办法.txt"
    doc.write_text("玉林市科普基地管理办法\n第一条 科普基地应当配备不少于3名专职讲解员。\n", encoding="utf-8")
    added = CliRunner().invoke(app, ["add", str(doc), "--id", "yl-popsci", "--data-dir", str(data_dir)])
    assert added.exit_code == 0, added.output
    env = {"POLICY_LLM_PROVIDER": "", "POLICY_ADMIN_TOKEN": TOKEN}
    with served(data_dir, data_dir.parent / "serve.log", env) as url:
        yield url, data_dir


def test_named_endpoints_and_a_region_from_the_client(server):
    from gradio_client import Client
    url, _ = server
    client = Client(url, verbose=False)
    named = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/chat", "/selfcheck_gx_consortium", "/search_clauses", "/clause_tree", "/run_eval"} <= named
    assert not any(name.startswith("/lambda") for name in named)
    messages, _ = client.predict("牵头企业营收要多少？", [], "广西", "", "原文摘录", api_name="/chat")
    shown = json.dumps(messages, ensure_ascii=False)
    assert "10亿元" in shown and "广西壮族自治区创新联合体管理办法" in shown


def test_the_library_cannot_be_changed_without_the_token(server):
    """The upload and delete handlers are not API endpoints; called by their index over raw HTTP
    (as a scripted client could), the server still asks for the administrator token."""
    url, data_dir = server
    config = httpx.get(f"{url}/config", timeout=30).json()
    labels = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    remove = next(i for i, d in enumerate(config["dependencies"])
                  if any(labels.get(t[0] if isinstance(t, list) else t) == "remove-doc" for t in d["targets"]))
    session = "attacker-session"
    joined = httpx.post(f"{url}/gradio_api/queue/join", timeout=30,
                        json={"data": ["yl-popsci", None], "fn_index": remove, "session_hash": session})
    if joined.status_code == 200:
        stream = httpx.get(f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=60).text
        assert '"success":false' in stream.replace(" ", "") and "已删除" not in stream, stream[-600:]
    assert (data_dir / "library" / "yl-popsci.json").exists()
    assert httpx.get(f"{url}/api/health", timeout=30).json()["documents"] == 6
