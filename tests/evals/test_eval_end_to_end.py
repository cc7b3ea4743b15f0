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
    # what the report says, not retrieval quality (that is `eval --check` on the whole gold set)
    assert overall["n"] == 4 and overall["hit@5"] == 1.0 and overall["fact_accuracy"] == 1.0
    assert overall["hit@1"] == sum(q["rank"] == 1 for q in report["questions"] if q["rank"] is not None) / 3
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


def test_applied_questions_are_scored_on_their_verdicts(real_retriever, tmp_path):
    from assistant import Assistant
    from evals.io import read_gold_set
    from evals.runner import build_report, run_questions

    gold = tmp_path / "applied.csv"
    gold.write_text(
        "id,q,doc,evidence,facts,expected_verdicts,expected_answer,type\n"
        "a,我们公司去年营收8亿元，能牵头组建广西创新联合体吗？,gx-consortium,年主营业务收入原则上应达到10亿元以上,"
        "10亿元,lead_revenue=fail,,applied\n"
        "b,专家委员会15个人，里面最多能有几个是我们自己单位的？,gx-tic,其中牵头单位和共建单位的人员不超过总人数三分之一,"
        "三分之一,,5人,applied\n"
        "c,我们营收12亿，专职研发人员40人，够格牵头广西创新联合体吗？,gx-consortium,年主营业务收入原则上应达到10亿元以上,"
        "10亿元,lead_revenue=pass|lead_rd_staff=fail,,applied\n", encoding="utf-8")
    questions = read_gold_set(gold).questions
    assert questions[1].facts == ("三分之一", "5人") and questions[1].expected_verdicts is None
    results = run_questions(Assistant(real_retriever), questions)
    overall = build_report(read_gold_set(gold), results, "extractive")["overall"]
    assert overall["fact_accuracy"] == 1.0
    # c expects rd_staff to fail, but 40 人 meets 30 人: its verdicts are wrong, a and b's are not scored/right
    assert overall["verdict_accuracy"] == 0.5 and overall["criteria_overjudged"] == 0


def test_one_progress_count_runs_through_the_baseline_and_the_charts_show_it(tmp_path, fake_embedder):
    """The bar does not sit at 100% while the baseline embeds: one count over every phase,
    ending at its total; the baseline's figures per type are there for the charts. (The counting
    is the same whatever the model: the small one here; the real one in the test above.)"""
    from assistant.chain import Assistant
    from evals.io import read_gold_set
    from evals.runner import evaluate_set
    from ingest.library import builtin_sources
    from ingest.pipeline import ingest
    from retriever import Retriever

    gold_file = tmp_path / "g.jsonl"
    rows = [{"id": "a", "q": "广西创新联合体牵头企业营收要多少？", "doc": "gx-consortium",
             "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"], "type": "门槛"},
            {"id": "b", "q": "广东省技术创新中心要什么条件？", "answerable": False, "type": "超范围"}]
    gold_file.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    ingest(builtin_sources(), tmp_path / "data", fake_embedder, progress=False)
    assistant = Assistant(Retriever.open(tmp_path / "data", embedder=fake_embedder))
    seen = []
    report = evaluate_set(assistant, read_gold_set(gold_file), baseline="naive",
                          on_progress=lambda done, total, phase: seen.append((done, total, phase)))
    done = [d for d, _, _ in seen]
    assert done == sorted(done) and seen[-1][0] == seen[-1][1] and len({t for _, t, _ in seen}) == 1
    assert seen[-1][1] > len(rows) + 10  # the baseline's chunks are counted, not only the questions
    assert [p for p in dict.fromkeys(p for _, _, p in seen)] == ["评测本系统", "基线：向量化 500 字切块", "基线：检索"]
    assert set(report["baseline"]["by_type"]) == {"门槛"} and 0.0 <= report["baseline"]["by_type"]["门槛"]["hit@1"] <= 1.0
