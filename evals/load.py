"""A bounded load test of the served app: N concurrent chat sessions for T seconds on loopback,
each a real Gradio client going through the same queue as a browser (`/chat`), asking first
questions and follow-ups in its own session. Reports answers, errors, latency and throughput.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
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


def chat_session(url: str, questions: list[str], deadline: float, calls: list[Call], seed: int) -> None:
    """One user: a question, a follow-up or two, then a new conversation; until the deadline."""
    from gradio_client import Client

    client = Client(url, verbose=False)
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


def run_load(url: str, questions: list[str], sessions: int = 50, seconds: float = 60.0) -> dict:
    calls: list[Call] = []
    deadline = time.time() + seconds
    started = time.perf_counter()
    threads = [threading.Thread(target=chat_session, args=(url, questions, deadline, calls, i * 7), daemon=True)
               for i in range(sessions)]
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
    }


