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
    deps = config["dependencies"]
    # 删除 asks first; the removal itself runs after 确认删除 (remove-yes)
    confirmed = next(d["id"] for d in deps if any(labels.get(t[0] if isinstance(t, list) else t) == "remove-yes"
                                                   for t in d["targets"]))
    remove = next(i for i, d in enumerate(deps) if d.get("trigger_after") == confirmed)
    session = "attacker-session"
    joined = httpx.post(f"{url}/gradio_api/queue/join", timeout=30,
                        json={"data": ["yl-popsci", None], "fn_index": remove, "session_hash": session})
    if joined.status_code == 200:
        stream = httpx.get(f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=60).text
        # refused in the status line (in_status: no red 错误 badge beside the old text), nothing removed
        assert "需要管理员口令" in stream and "已删除" not in stream, stream[-600:]
    assert (data_dir / "library" / "yl-popsci.json").exists()
    assert httpx.get(f"{url}/api/health", timeout=30).json()["documents"] == 6


def _sample(parameter: dict):
    """A value for a parameter as view_api documents it: one of its listed values, else one of its type."""
    schema = parameter["type"]
    if schema.get("enum"):
        return schema["enum"][-1]
    kind = parameter["python_type"]["type"]
    return {"str": "营收", "bool": False}.get(kind, [] if kind.startswith("list") else None)


def test_every_named_endpoint_takes_the_values_view_api_documents(server, tmp_path):
    """Issue 29 item 4: each named endpoint, called with a value view_api lists for every
    parameter it names in words, answers; a stored gold set (with the administrator's token,
    its name not listed to anyone) and an uploaded one both run."""
    from gradio_client import Client, handle_file

    from evals.logbook import Logbook
    url, data_dir = server
    Logbook(data_dir).save_gold_row("复核集甲", {"id": "r1", "q": "广西创新联合体牵头企业营收要多少？", "answerable": True,
                                              "doc": "gx-consortium", "evidence": "年主营业务收入原则上应达到10亿元以上",
                                              "facts": ["10亿元"], "type": "复核"})
    client = Client(url, verbose=False)
    endpoints = client.view_api(print_info=False, return_format="dict")["named_endpoints"]
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "q": "广西创新联合体牵头企业营收要多少？", "doc": "gx-consortium", '
                    '"evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"]}\n', encoding="utf-8")
    assert "复核集甲" not in json.dumps(endpoints, ensure_ascii=False)
    for name, endpoint in endpoints.items():
        values = {}
        for parameter in endpoint["parameters"]:
            assert not parameter["parameter_name"].startswith("param"), (name, parameter)
            assert not parameter["label"].startswith("parameter_"), (name, parameter)
            values[parameter["parameter_name"]] = _sample(parameter)
        if name == "/run_eval":  # the stored set, then an uploaded file (not the long shipped set)
            values.update(gold_file=None, stored_set="复核集甲", admin_token=TOKEN)
            summary = client.predict(**values, api_name=name)[0]
            assert "复核集甲" in summary and "1 题" in summary
            values.update(gold_file=handle_file(str(gold)), stored_set=None)
        result = client.predict(**values, api_name=name)
        assert result not in (None, "", []), name
    log = (data_dir.parent / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in log, log[-2000:]


def test_names_people_use_are_accepted_and_wrong_ones_said_in_chinese(server):
    from gradio_client import Client
    url, data_dir = server
    client = Client(url, verbose=False)
    for region in ("湖南省", "湖南", "hn-tic"):
        messages, _ = client.predict("技术创新中心牵头单位有什么条件？", [], region, "", "原文摘录", api_name="/chat")
        shown = json.dumps(messages, ensure_ascii=False)
        assert "湖南省技术创新中心建设实施方案" in shown and "广西" not in shown.split("可能相关")[0], region
    for document in ("hn-tic", "湖南省技术创新中心建设实施方案", "《湖南省技术创新中心建设实施方案》"):
        assert "三高四新" in client.predict(document, api_name="/clause_tree"), document
    verdict = client.predict(members_total="9", lead_annual_revenue_wan="80000",
                             members_all_independent_legal_entities="true", api_name="/selfcheck_gx_consortium")[1]
    assert "不符合条件" in verdict
    for call, words in ((lambda: client.predict("上海", api_name="/clause_tree"), "没有“上海”这份文件"),
                        (lambda: client.predict("问题", [], "上海", "", "原文摘录", api_name="/chat"), "没有“上海”的文件"),
                        (lambda: client.predict(members_all_independent_legal_entities="也许",
                                                api_name="/selfcheck_gx_consortium"), "可选：是、否")):
        with pytest.raises(Exception) as exc:
            call()
        assert words in str(exc.value), str(exc.value)
    log = (data_dir.parent / "serve.log").read_text(encoding="utf-8")
    assert "Traceback" not in log and "not in the list of choices" not in log, log[-2000:]
