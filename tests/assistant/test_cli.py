"""`policy-assistant ask` / `chat` on the real index."""
import json

import pytest
from typer.testing import CliRunner

from ui.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()


def test_ask_json(real_index):
    result = runner.invoke(app, ["ask", "广西创新联合体牵头企业营收要多少？", "--json", "--data-dir", str(real_index)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert {"q", "answer", "refused", "citations", "retrieved"} <= set(out)
    assert out["refused"] is False and "10亿元" in out["answer"]
    assert out["citations"][0] == {"n": 1, "doc_id": "gx-consortium",
                                   "doc_title": "广西壮族自治区创新联合体管理办法（试行）",
                                   "clause_path": "第五条（二）1", "text": out["citations"][0]["text"],
                                   "lure": None}
    assert set(out["retrieved"][0]) == {"doc_id", "doc_title", "clause_path", "text", "score"}


def test_ask_batch(real_index, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"id": "1", "q": "湖南技术创新中心注册资金要多少？"}\n{"id": "2", "q": "广东的联合体要几家单位？"}\n'
                     '{"id": "3"}\n', encoding="utf-8")
    result = runner.invoke(app, ["ask", "--batch", str(batch), "--json", "--data-dir", str(real_index)])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["1", "2", "3"]
    assert "1000万元" in rows[0]["answer"] and rows[1]["refused"] is True and "error" in rows[2]


def test_ask_llm_without_a_model_is_explained(real_index, monkeypatch):
    monkeypatch.delenv("POLICY_LLM_PROVIDER", raising=False)
    result = runner.invoke(app, ["ask", "营收要多少", "--mode", "llm", "--data-dir", str(real_index)])
    assert result.exit_code == 2 and "POLICY_LLM_PROVIDER" in result.stderr


def test_chat_follow_up(real_index):
    result = runner.invoke(app, ["chat", "--data-dir", str(real_index)],
                           input="广西创新联合体牵头企业营收要多少？\n那湖南呢？\n\n")
    assert result.exit_code == 0
    assert "10亿元" in result.stdout and "《湖南省技术创新中心建设实施方案》" in result.stdout
