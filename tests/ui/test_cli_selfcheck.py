"""`policy-assistant selfcheck` (ui/cli/selfcheck.py), driven through the application's app."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from selfcheck.rules import program_ids
from ui.cli import app

GOOD_HN = {"lead_type": "enterprise", "lead_avg_rd_expense_3y_wan": 3500,
           "center_independent_legal_entity": True, "center_registered_capital_wan": 1000}


@pytest.fixture()
def run():
    runner = CliRunner()

    def invoke(*args: str, stdin: str | None = None):
        return runner.invoke(app, ["selfcheck", *args], input=stdin)
    return invoke


def write(tmp_path: Path, data, name: str = "input.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return str(path)


def test_list_programs(run) -> None:
    result = run("--list-programs")
    assert result.exit_code == 0
    for pid in program_ids():
        assert pid in result.output
    assert "广西壮族自治区创新联合体" in result.output
    listed = json.loads(run("--list-programs", "--json").output)
    assert [p["id"] for p in listed] == program_ids()


def test_schema_option(run) -> None:
    result = run("--schema", "hn-tic")
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["lead_type"]["x-enum-labels"]["enterprise"] == "企业"


def test_human_output_in_chinese(run, tmp_path: Path) -> None:
    result = run("--program", "hn-tic", "--input", write(tmp_path, GOOD_HN))
    assert result.exit_code == 0
    out = result.output
    assert "湖南省技术创新中心 · 申报自评" in out
    assert "结论：不符合条件" in out
    assert "还差 500 万元" in out
    assert "〔三、（四）〕" in out


def test_json_output(run, tmp_path: Path) -> None:
    result = run("-p", "hn-tic", "-i", write(tmp_path, GOOD_HN), "--json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["verdict"] == "not_eligible"
    assert set(data["score"]) == {"passed", "applicable"}
    criterion = next(c for c in data["criteria"] if c["id"] == "lead_avg_rd_expense")
    assert criterion["gap"] == "还差 500 万元"
    assert criterion["citation"]["clause_path"] == "三、（四）"
    assert "4000万元" in criterion["citation"]["text"]


def test_stdin_input(run) -> None:
    result = run("-p", "gx-tic", "-i", "-", "--json", stdin=json.dumps({"director_months_per_year": 9}))
    assert result.exit_code == 0
    assert json.loads(result.output)["verdict"] == "incomplete"


def test_yaml_input_file(run, tmp_path: Path) -> None:
    path = write(tmp_path, "director_months_per_year: 8\n", "input.yaml")
    result = run("-p", "gx-tic", "-i", path)
    assert result.exit_code == 0 and "还差 1 个月" in result.output


def test_markdown_report_file(run, tmp_path: Path) -> None:
    report = tmp_path / "报告.md"
    result = run("-p", "hn-tic", "-i", write(tmp_path, GOOD_HN), "--markdown", str(report))
    assert result.exit_code == 0
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# 申报自评报告：湖南省技术创新中心")
    assert "## 引用条款原文" in text


@pytest.mark.parametrize("args,stdin,field,words", [
    (("-p", "gx-consortium", "-i", "-"), '{"members_total": "十个"}', "members_total", "十个"),
    (("-p", "gx-consortium", "-i", "-"), '{"members_total": -3}', "members_total", "负数"),
    (("-p", "gx-consortium", "-i", "-"), '{"members_total": NaN}', "members_total", "NaN"),
    (("-p", "gx-consortium", "-i", "-"), '{"lead_rd_staff": true}', "lead_rd_staff", "布尔值"),
    (("-p", "gx-consortium", "-i", "-"), '{"members_total": 8, "members_registered_in_guangxi": 9}',
     "members_registered_in_guangxi", "不能大于"),
    (("-p", "gx-consortium", "-i", "-"), '{"revenue": 1}', "revenue", "未知字段"),
    (("-p", "gx-consortia", "-i", "-"), "{}", "program", "gx-consortium"),
    (("-p", "gx-tic", "-i", "-"), "{not json", "input", "JSON"),
    (("-p", "gx-tic", "-i", "-"), "", "input", "输入为空"),
    (("-p", "gx-tic", "-i", "-"), "[1]", None, "JSON 对象"),
    (("-p", "gx-tic", "-i", "no-such-file.json"), None, "input", "找不到"),
    (("-i", "-"), "{}", "program", "--program"),
    (("-p", "gx-tic"), None, "input", "--input"),
    (("--schema", "xx"), None, "program", "未知的申报项目"),
])
def test_bad_input_exits_2_with_json_error(run, args, stdin, field, words) -> None:
    result = run(*args, "--json", stdin=stdin)
    assert result.exit_code == 2, result.output
    error = json.loads(result.output)["error"]
    assert error["field"] == field
    assert words in error["message"]


def test_bad_input_human_message(run) -> None:
    result = run("-p", "gx-consortium", "-i", "-", stdin='{"members_total": "十个"}')
    assert result.exit_code == 2
    assert "“组成单位总数（含牵头单位）”（members_total）" in result.output
    assert "整数" in result.output
