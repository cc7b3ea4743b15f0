"""`policy-assistant eval` on a small set, on the real index: report files and charts."""
import json

import pytest
from typer.testing import CliRunner

from ui.cli import app

pytestmark = pytest.mark.slow


def test_eval_writes_reports_charts_and_comparison(real_index, tmp_path):
    gold = tmp_path / "small.jsonl"
    rows = [
        {"id": "a", "q": "广西创新联合体牵头企业营收要多少？", "doc": "gx-consortium",
         "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"], "type": "threshold"},
        {"id": "b", "q": "那湖南呢？", "history": ["广西创新联合体牵头企业营收要多少？"], "doc": "hn-tic",
         "evidence": "近三年平均研发经费不低于4000万元", "facts": ["4000万元"], "type": "follow_up"},
        {"id": "c", "q": "广东省技术创新中心要什么条件？", "answerable": False, "type": "out_of_scope"},
        {"id": "d", "q": "内蒙古技术创新中心年报什么时候交？", "doc": "nm-tic", "evidence": "次年3月底前提交上年度报告",
         "facts": ["3月底"], "type": "deadline"},
    ]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\nnot json\n", encoding="utf-8")
    out = tmp_path / "report"
    runner = CliRunner()
    result = runner.invoke(app, ["eval", "--set", str(gold), "--out", str(out), "--baseline", "naive",
                                 "--data-dir", str(real_index)])
    assert result.exit_code == 0, result.output
    assert "跳过第 5 行" in result.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    overall = report["overall"]
    assert overall["n"] == 4 and overall["hit@1"] == 1.0 and overall["fact_accuracy"] == 1.0
    assert overall["refusal_recall"] == 1.0 and overall["refusal_precision"] == 1.0
    assert set(report["by_type"]) == {"threshold", "follow_up", "out_of_scope", "deadline"}
    assert report["baseline"]["hit@5"] <= 1.0 and report["problems"][0]["row"] == 5
    for chart in ("accuracy_by_type.png", "accuracy_by_document.png", "latency.png"):
        assert (out / chart).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    md = (out / "report.md").read_text(encoding="utf-8")
    assert "朴素基线" in md and "按题型" in md
    from openpyxl import load_workbook
    sheet = load_workbook(out / "results.xlsx").active
    table = [[c.value for c in row] for row in sheet.iter_rows()]
    assert table[0][:5] == ["编号", "问题", "题型", "应回答", "正确"] and [r[0] for r in table[1:]] == list("abcd")
    assert all(r[4] == "是" for r in table[1:])  # every question right, as the overall figures say

    better_before = tmp_path / "old.json"
    better_before.write_text(json.dumps({"overall": {"hit@1": 1.0, "fact_accuracy": 1.0, "mrr": 1.2}}),
                             encoding="utf-8")
    result = runner.invoke(app, ["eval", "--set", str(gold), "--out", str(tmp_path / "r2"), "--compare",
                                 str(better_before), "--data-dir", str(real_index)])
    assert result.exit_code == 0
    md2 = (tmp_path / "r2" / "report.md").read_text(encoding="utf-8")
    assert "与上次评测对比" in md2 and "▼ 退步" in md2


def test_bad_set_is_a_chinese_error(real_index, tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("question\nfoo\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", "--set", str(bad), "--data-dir", str(real_index)])
    assert result.exit_code == 2 and "表头缺少列" in result.stderr
