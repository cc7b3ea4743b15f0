"""A bounded load test of the served app: N concurrent chat sessions for T seconds on loopback,
each a real Gradio client going through the same queue as a browser (`/chat`), asking first
questions and follow-ups in its own session; then the same through the HTTP API (`/api/ask`,
its session_id carrying the follow-ups) on the same server. Reports answers, errors, latency
and throughput of each, and the web chat's throughput as a share of the API's.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import json
import logging
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from evals.stats import percentile

FOLLOW_UPS = ("那湖南呢？", "需要多少人？", "这个要求是原则上的吗？")
STARTUP_SECONDS = 240


@dataclass(frozen=True)
class Call:
    seconds: float
    error: str | None = None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def served(data_dir: Path, log_path: Path | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """`policy-assistant serve` in its own process on a free loopback port, until the block ends."""
    port = free_port()
    log = open(log_path or os.devnull, "w")
    proc = subprocess.Popen([sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)],
                            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + STARTUP_SECONDS
        while not _healthy(url):
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"服务未能启动（退出码 {proc.poll()}），日志：{log_path}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/api/health", timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


OPEN_QUESTION = "你好"  # a page's first event: creates the session's state on the server


def gradio_client(url: str) -> tuple[object, float]:
    """A browser tab on the web app, opened: the app's config read and the session's state
    created on the server by a first event (a page load's events do that before anyone types).
    Returns the client and how long opening took. Waits as long as a browser would (60 s),
    not httpx's default 5 s."""
    from gradio_client import Client
    start = time.perf_counter()
    # ssl_verify off: plain http on loopback; on, every call of the client builds a certificate store
    client = Client(url, verbose=False, httpx_kwargs={"timeout": 60}, ssl_verify=False)
    client.predict(OPEN_QUESTION, [], "", "", "原文摘录", api_name="/chat")
    return client, time.perf_counter() - start


def chat_session(client, questions: list[str], deadline: float, calls: list[Call], seed: int) -> None:
    """One user on the web chat: a question, a follow-up or two, then a new conversation;
    until the deadline."""
    messages: list = []
    turn = seed
    while time.time() < deadline:
        first = turn % 3 == 0 or not messages
        q = questions[turn % len(questions)] if first else FOLLOW_UPS[turn % len(FOLLOW_UPS)]
        if first:
            messages = []
        start = time.perf_counter()
        error = None
        try:
            messages, _ = client.predict(q, messages, "", "", "原文摘录", api_name="/chat")
            if not messages or messages[-1].get("role") != "assistant" or not messages[-1].get("content"):
                error = f"没有回答：{q}"
        except Exception as exc:  # counted, and the session goes on
            error = f"{type(exc).__name__}: {exc}"[:300]
        calls.append(Call(time.perf_counter() - start, error))
        turn += 1


def api_session(url: str, questions: list[str], deadline: float, calls: list[Call], seed: int) -> None:
    """The same user through /api/ask: the session_id it is given carries the follow-ups."""
    session_id = None
    turn = seed
    while time.time() < deadline:
        first = turn % 3 == 0 or session_id is None
        q = questions[turn % len(questions)] if first else FOLLOW_UPS[turn % len(FOLLOW_UPS)]
        body = {"q": q, **({} if first else {"session_id": session_id})}
        request = urllib.request.Request(f"{url}/api/ask", data=json.dumps(body).encode("utf-8"),
                                         headers={"content-type": "application/json"}, method="POST")
        start = time.perf_counter()
        error = None
        try:
            with urllib.request.urlopen(request, timeout=120) as r:
                record = json.loads(r.read())
            session_id = record.get("session_id")
            if not record.get("answer"):
                error = f"没有回答：{q}"
        except Exception as exc:  # counted, and the session goes on
            error = f"{type(exc).__name__}: {exc}"[:300]
        calls.append(Call(time.perf_counter() - start, error))
        turn += 1


def run_load(url: str, questions: list[str], sessions: int = 50, seconds: float = 60.0, api: bool = False) -> dict:
    """N sessions for `seconds`: web chat users (their Gradio clients connected before the clock
    starts, as pages already open), or with `api` HTTP API users."""
    from concurrent.futures import ThreadPoolExecutor

    opening: list[float] = []
    if api:
        session, ends = api_session, [url] * sessions
    else:
        with ThreadPoolExecutor(8) as pool:
            opened = list(pool.map(lambda _: gradio_client(url), range(sessions)))
        session, ends, opening = chat_session, [c for c, _ in opened], sorted(t for _, t in opened)
    calls: list[Call] = []
    deadline = time.time() + seconds
    started = time.perf_counter()
    logging.getLogger("zhengcetong.load").info("%d %s sessions open; measuring for %s s", sessions,
                                               "API" if api else "web", seconds)
    threads = [threading.Thread(target=session, args=(end, questions, deadline, calls, i * 7), daemon=True)
               for i, end in enumerate(ends)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 300)
    elapsed = time.perf_counter() - started
    ok = sorted(c.seconds for c in calls if c.error is None)
    errors = [c.error for c in calls if c.error is not None]
    return {
        "sessions": sessions, "seconds": round(elapsed, 1), "answers": len(ok), "errors": len(errors),
        "error_examples": sorted(set(errors))[:5], "stuck_sessions": sum(t.is_alive() for t in threads),
        "answer_p50_ms": round(1000 * percentile(ok, 0.5), 1) if ok else None,
        "answer_p95_ms": round(1000 * percentile(ok, 0.95), 1) if ok else None,
        "answers_per_second": round(len(ok) / elapsed, 2),
        "opening_p50_ms": round(1000 * percentile(opening, 0.5), 1) if opening else None,
    }




CLIENT_NICENESS = 10  # the clients yield the shared cores to the server, as if on other machines


def compare_web_and_api(data_dir: Path, questions: list[str], sessions: int, seconds: float,
                        log_path: Path | None = None, env: dict[str, str] | None = None) -> dict:
    """One served app: N sessions through the web chat's /chat for `seconds`, then N through
    /api/ask for as long; both reported, and the web chat's throughput over the API's. The
    clients run in a process of their own at a lower priority: on a machine of few cores,
    50 gradio_clients (each polling its calls every 50 ms) would otherwise take the server's
    CPU, which browsers on other machines do not."""
    with served(data_dir, log_path, env) as url:
        web = _clients(url, questions, sessions, seconds, "web")
        api = _clients(url, questions, sessions, seconds, "api")
    ratio = round(web["answers_per_second"] / api["answers_per_second"], 2) if api["answers_per_second"] else None
    return {"sessions": sessions, "seconds": seconds, "web": web, "api": api, "web_to_api": ratio,
            "client_niceness": CLIENT_NICENESS}


def _clients(url: str, questions: list[str], sessions: int, seconds: float, kind: str) -> dict:
    proc = subprocess.run([sys.executable, "-m", "evals.load", kind, url, str(sessions), str(seconds)],
                          input="\n".join(questions), stdout=subprocess.PIPE, text=True,
                          preexec_fn=lambda: os.nice(CLIENT_NICENESS), timeout=seconds + STARTUP_SECONDS + 300)
    if proc.returncode != 0:  # its traceback went to stderr
        raise RuntimeError(f"并发测试的客户端进程失败（{kind}，退出码 {proc.returncode}）")
    return json.loads(proc.stdout.strip().splitlines()[-1])


if __name__ == "__main__":  # python -m evals.load web|api URL SESSIONS SECONDS < questions, one a line
    kind, url, n, secs = sys.argv[1:]
    print(json.dumps(run_load(url, [q for q in sys.stdin.read().splitlines() if q], int(n), float(secs),
                              api=kind == "api"), ensure_ascii=False))
