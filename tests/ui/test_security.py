"""The holes an operator's probe of the running service found (issue 28), each through the real
server as a client would try it: raw Gradio queue calls naming server files, anonymous evaluations
and the officials' history, oversized and trickled bodies, damaged index files, and the settings
that must not be accepted."""
from __future__ import annotations

import json
import shutil
import socket
import time
from pathlib import Path

import httpx
import pytest

from evals.load import served

pytestmark = pytest.mark.slow
TOKEN = "s3cret-admin-token"
PHONE = "13812345678"


def _pid_serving(url: str) -> int:
    port = url.rsplit(":", 1)[1]
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmd and b"--port" in cmd and cmd[cmd.index(b"--port") + 1] == port.encode():
            return int(proc.name)
    raise AssertionError(f"no server process on port {port}")


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1]) / 1024


BODY_SECONDS = 5  # the server's POLICY_BODY_TIMEOUT here (30 s by default)


@pytest.fixture(scope="module")
def server(real_index, tmp_path_factory):
    root = tmp_path_factory.mktemp("security")
    data_dir = root / "data"
    shutil.copytree(real_index, data_dir)
    uploads = root / "gradio-uploads"
    env = {"POLICY_LLM_PROVIDER": "", "POLICY_ADMIN_TOKEN": TOKEN, "GRADIO_TEMP_DIR": str(uploads),
           "POLICY_BODY_TIMEOUT": str(BODY_SECONDS)}
    with served(data_dir, root / "serve.log", env) as url:
        yield url, data_dir, uploads, root


def _dependency(url: str, elem_id: str) -> int:
    """The index of the event a button with this elem_id triggers (as the page calls it)."""
    config = httpx.get(f"{url}/config", timeout=30).json()
    labels = {c["id"]: c.get("props", {}).get("elem_id") for c in config["components"]}
    return next(i for i, d in enumerate(config["dependencies"])
                if any(labels.get(t[0] if isinstance(t, list) else t) == elem_id for t in d["targets"]))


def _join(url: str, fn_index: int, data: list, session: str) -> str:
    """queue/join then the event stream, as a scripted client would; the whole stream's text."""
    joined = httpx.post(f"{url}/gradio_api/queue/join", timeout=30,
                        json={"data": data, "fn_index": fn_index, "session_hash": session})
    if joined.status_code != 200:
        return joined.text
    return httpx.get(f"{url}/gradio_api/queue/data", params={"session_hash": session}, timeout=120).text


def _file(path: str) -> dict:
    return {"path": path, "meta": {"_type": "gradio.FileData"}, "orig_name": Path(path).name}


def test_no_server_file_reaches_a_client_through_an_event(server, tmp_path):
    """A FileData naming a server path — a planted gold set with personal data, /etc/passwd, a
    ../ path — is refused by the evaluation and by the administrator's upload alike; nothing of it
    comes back and nothing is copied into the files the server hands out."""
    url, data_dir, uploads, root = server
    planted = root / "复核集导出.jsonl"
    planted.write_text(json.dumps({"id": "p1", "q": f"我的电话{PHONE}，营收要多少？", "doc": "gx-consortium",
                                   "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"],
                                   "answerable": True}, ensure_ascii=False) + "\n", encoding="utf-8")
    secret = root / "secret.txt"
    secret.write_text("某市内部文件\n第一条 机密内容XYZZY。\n", encoding="utf-8")
    run_eval, add_doc = _dependency(url, "run-eval"), _dependency(url, "add-doc")
    attempts = [(run_eval, [_file(str(planted)), False, "原文摘录", None, TOKEN]),
                (run_eval, [_file("/etc/passwd"), False, "原文摘录", None, None]),
                (run_eval, [_file(f"{uploads}/../{planted.name}"), False, "原文摘录", None, None]),
                (add_doc, [_file(str(secret)), "", "", TOKEN])]
    for n, (fn, data) in enumerate(attempts):
        stream = _join(url, fn, data, f"probe-{n}")
        assert PHONE not in stream and "root:" not in stream and "XYZZY" not in stream
        assert "评测报告" not in stream and "已加入" not in stream, stream[-500:]
    copies = [p.name for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else []
    assert not {"passwd", planted.name, secret.name} & set(copies)
    assert httpx.get(f"{url}/api/health", timeout=30).json()["documents"] == 5  # nothing published


def test_anonymous_runs_never_touch_the_officials_history(server, tmp_path):
    """An uploaded set named like an official one: evaluated for the stranger, masked, kept out
    of the history and the trend; the stored sets' names are not in the public page config."""
    from gradio_client import Client, handle_file

    from evals.logbook import Logbook
    url, data_dir, _, _ = server
    gold = tmp_path / "官方复核集甲.jsonl"
    gold.write_text(json.dumps({"id": "a1", "q": f"联系电话 {PHONE}，牵头企业营收要多少？", "doc": "gx-consortium",
                                "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"],
                                "answerable": True}, ensure_ascii=False) + "\n", encoding="utf-8")
    Logbook(data_dir).save_gold_row("官方复核集甲", {"id": "r-1", "q": "官方题", "answerable": False, "type": "复核"})
    assert "官方复核集甲" not in httpx.get(f"{url}/config", timeout=30).text
    client = Client(url, verbose=False)
    shown = client.predict(handle_file(str(gold)), False, "原文摘录", None, "", api_name="/run_eval")
    summary = shown[0]
    assert "不计入评测历史" in summary and shown[5] is None  # no trend chart
    assert Logbook(data_dir).eval_history("官方复核集甲.jsonl", "extractive") == []
    report = Path(shown[8]["value"] if isinstance(shown[8], dict) else shown[8]).read_text(encoding="utf-8")
    assert PHONE not in report and "【手机号】" in report
    with pytest.raises(Exception, match="管理员口令"):  # a stored set, anonymously
        client.predict(None, False, "原文摘录", "官方复核集甲", "", api_name="/run_eval")


def test_bodies_are_limited_before_they_are_read(server):
    """A declared 100 MB body is refused unread; an undeclared one is cut off at the limit; a 422
    never repeats what was sent; the server's memory stays bounded."""
    url, *_ = server
    pid = _pid_serving(url)
    before = _rss_mb(pid)
    host, port = url.removeprefix("http://").split(":")
    for path in ("/gradio_api/queue/join", "/api/ask", "/gradio_api/upload"):
        with socket.create_connection((host, int(port)), timeout=30) as s:  # declares 100 MB, sends 1 byte
            s.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
                      f"Content-Length: {100 * 1024 * 1024}\r\n\r\nx".encode())
            reply = b""
            while chunk := s.recv(65536):  # the server answers and closes
                reply += chunk
            reply = reply.decode("utf-8", "replace")
        assert " 413 " in reply.splitlines()[0] and "请求体过大" in reply, reply[:300]

    def chunks():
        for _ in range(100):
            yield b"y" * (1024 * 1024)
    for _ in range(3):
        try:
            r = httpx.post(f"{url}/gradio_api/queue/join", content=chunks(), timeout=60)
            assert r.status_code == 413
        except httpx.HTTPError:
            pass  # the server answered 413 and closed while the client was still sending
    marker = "MARKER" + "z" * 5000
    r = httpx.post(f"{url}/gradio_api/queue/join", json={"data": marker, "fn_index": "x"}, timeout=30)
    assert r.status_code == 422 and "MARKER" not in r.text
    assert _rss_mb(pid) - before < 150


def test_a_trickled_body_times_out(server):
    url, *_ = server
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as s:
        s.sendall(b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{")
        started = time.time()
        reply = s.recv(4096).decode("utf-8", "replace")
    waited = time.time() - started
    assert " 408 " in reply.splitlines()[0] and BODY_SECONDS - 1 < waited < BODY_SECONDS + 10


def test_health_names_each_damaged_file(real_index, tmp_path):
    """Every file search needs is probed: a missing vocabulary, a corrupted array, the vector store
    removed under the running server — 503 naming the part, and ask/search 503, never 400."""
    from fastapi.testclient import TestClient

    from ingest.store import generation_dir, read_state
    from ui.context import AppContext
    from ui.settings import Settings
    from ui.web import create_app

    for damage in ("vocab", "array", "chroma"):
        data_dir = tmp_path / damage
        shutil.copytree(real_index, data_dir)
        with TestClient(create_app(AppContext(Settings(data_dir=data_dir))), raise_server_exceptions=False) as client:
            assert client.get("/api/health").status_code == 200
            assert client.post("/api/search", json={"q": "牵头企业营收"}).status_code == 200
            bm25 = generation_dir(data_dir, read_state(data_dir).generation) / "bm25"
            if damage == "vocab":
                (bm25 / "vocab.index.json").unlink()
            elif damage == "array":
                (bm25 / "indptr.csc.index.npy").write_bytes(b"\x93NUMPY garbage")
            else:
                shutil.rmtree(data_dir / "chroma")
            health = client.get("/api/health")
            assert health.status_code == 503, health.text
            part = "向量" if damage == "chroma" else "关键词索引"
            assert part in health.json()["error"]["message"]
            for path in ("/api/search", "/api/ask"):
                r = client.post(path, json={"q": "牵头企业营收要多少？"})
                if damage == "chroma":  # the open index still has its BM25 files; the vectors are gone
                    assert r.status_code == 503 and "向量" in r.json()["error"]["message"], r.text


def test_a_flood_of_sessions_from_one_address_evicts_only_its_own(real_index, tmp_path, monkeypatch):
    from fastapi.testclient import TestClient

    import ui.context
    from ui.context import AppContext
    from ui.settings import Settings
    from ui.web import create_app

    monkeypatch.setattr(ui.context, "MAX_API_SESSIONS", 8)
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    ctx = AppContext(Settings(data_dir=data_dir, max_sessions_per_client=5))
    app = create_app(ctx)
    with TestClient(app, client=("10.0.0.1", 1000)) as alice, TestClient(app, client=("10.0.0.2", 1000)) as mallory:
        sid = alice.post("/api/ask", json={"q": "广西创新联合体牵头企业营收要多少？"}).json()["session_id"]
        for _ in range(12):
            mallory.post("/api/ask", json={"q": "你好"})
        follow = alice.post("/api/ask", json={"q": "那湖南呢？", "session_id": sid}).json()
        assert follow["session_id"] == sid and "session_notice" not in follow
        for _ in range(25):  # a conversation remembers its last 20 turns, as the web chat does
            alice.post("/api/ask", json={"q": "牵头企业营收要多少？", "session_id": sid})
    same, session, expired = ctx.session(sid, client="10.0.0.1")
    assert same == sid and not expired and len(session.history) == 20


def test_a_local_server_without_a_token_answers_only_this_machine(real_index, tmp_path):
    """DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends Host/Origin evil.example."""
    from fastapi.testclient import TestClient

    from ui.context import AppContext
    from ui.settings import Settings
    from ui.web import create_app

    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    app = create_app(AppContext(Settings(data_dir=data_dir)), local_only=True)
    with TestClient(app, base_url="http://127.0.0.1:7860") as client:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health", headers={"host": "evil.example:7860"}).status_code == 403
        ask = client.post("/api/ask", json={"q": "你好"}, headers={"origin": "http://evil.example"})
        assert ask.status_code == 403 and "本机" in ask.json()["error"]["message"]
        assert client.post("/api/ask", json={"q": "你好"}, headers={"origin": "http://localhost:7860"}).status_code == 200
        assert client.get("/", headers={"host": "localhost:7860"}).status_code == 200


@pytest.mark.parametrize("token", [" ", "\t", "short", "           x"])
def test_a_blank_or_short_admin_token_is_refused(token, tmp_path):
    from pydantic import ValidationError

    from ui.settings import Settings, settings_error_message
    with pytest.raises(ValidationError) as exc:
        Settings(data_dir=tmp_path, admin_token=token)
    assert "POLICY_ADMIN_TOKEN" in settings_error_message(exc.value)
