"""Metric functions on tiny hand-made cases, and gold-set loading with bad rows."""
import csv
import json

import pytest

from evals.io import GoldFileError, read_gold_set
from evals.report import compare
from evals.retrieval import all_found, first_hit_rank, hit_at, holds_evidence, mean_reciprocal_rank
from ingest.documents import corpus_clauses


def test_hit_at_k_and_mrr():
    ranks = [1, 3, None, 2]
    assert hit_at(ranks, 1) == 0.25 and hit_at(ranks, 3) == 0.75 and hit_at(ranks, 5) == 0.75
    assert mean_reciprocal_rank(ranks) == pytest.approx((1 + 1 / 3 + 0 + 1 / 2) / 4)
    assert hit_at([], 1) == 0.0 and mean_reciprocal_rank([]) == 0.0


def test_a_hit_is_a_clause_of_the_named_document_holding_the_evidence():
    from evals.io import GoldQuestion
    gold = GoldQuestion("x", "q", "gx-consortium", "年主营业务收入原则上应达到10亿元以上")
    clauses = [c for c in corpus_clauses() if c.path in ("第五条（二）2", "第五条（二）1")]
    assert [c.path for c in clauses] == ["第五条（二）1", "第五条（二）2"]
    assert first_hit_rank(list(reversed(clauses)), gold) == 2
    other = GoldQuestion("y", "q", "hn-tic", gold.evidence)
    assert not holds_evidence(clauses[0], other)


def test_a_comparison_has_a_gold_clause_per_region_and_either_is_a_hit(tmp_path):
    path = tmp_path / "gold.csv"
    path.write_text(
        "id,q,doc,evidence,facts,type\n"
        "c,广西和内蒙古的中心主任工作时间一样吗？,gx-tic|nm-tic,每年在技术创新中心工作时间不少于9个月|主任聘用须报归口管理部门,9个月,comparison\n"
        "d,广西两个条款,gx-tic,每年12月底|常态化申报,,fact\n"
        "e,对不上,gx-tic|nm-tic|hn-tic,a|b,,comparison\n", encoding="utf-8")
    gold_set = read_gold_set(path)
    assert [p.row for p in gold_set.problems] == [3] and "一一对应" in gold_set.problems[0].message
    comparison, two_in_one = gold_set.questions
    assert comparison.evidences == (("gx-tic", "每年在技术创新中心工作时间不少于9个月"),
                                    ("nm-tic", "主任聘用须报归口管理部门"))
    assert [doc for doc, _ in two_in_one.evidences] == ["gx-tic", "gx-tic"]
    clauses = corpus_clauses()
    gx = next(c for c in clauses if c.doc_id == "gx-tic" and "不少于9个月" in c.text)
    nm = next(c for c in clauses if c.doc_id == "nm-tic" and "主任聘用须报" in c.text)
    unrelated = next(c for c in clauses if c.doc_id == "hn-tic")
    assert first_hit_rank([nm, gx], comparison) == 1 and first_hit_rank([unrelated, gx], comparison) == 2
    assert all_found([unrelated, gx, nm], comparison) and not all_found([unrelated, gx], comparison)


def test_compare_flags_regressions():
    old = {"overall": {"hit@1": 0.90, "fact_accuracy": 0.80, "refusal_recall": 0.5}}
    new = {"overall": {"hit@1": 0.85, "fact_accuracy": 0.82, "refusal_recall": 0.5}}
    rows = {r["metric"]: r for r in compare(new, old)}
    assert rows["hit@1"]["regression"] and rows["hit@1"]["delta"] == pytest.approx(-0.05)
    assert not rows["fact_accuracy"]["regression"] and not rows["refusal_recall"]["regression"]


ROWS = [
    {"id": "1", "q": "牵头企业营收要多少？", "doc": "创新联合体", "evidence": "10亿元以上", "facts": "10亿元|原则上",
     "answerable": "是", "type": "threshold"},
    {"id": "2", "q": "", "doc": "gx-tic", "evidence": "x", "facts": "", "answerable": "", "type": "fact"},
    {"id": "3", "q": "广东呢？", "doc": "", "evidence": "", "facts": "", "answerable": "否", "type": "out_of_scope"},
    {"id": "4", "q": "某问题", "doc": "技术创新中心", "evidence": "y", "facts": "", "answerable": "true", "type": "fact"},
    {"id": "5", "q": "某问题", "doc": "gx-tic", "evidence": "y", "facts": "", "answerable": "maybe", "type": "fact"},
    {"id": "1", "q": "重复", "doc": "gx-tic", "evidence": "y", "facts": "", "answerable": "", "type": "fact"},
    {"id": "7", "q": "那湖南呢？", "doc": "湖南", "evidence": "4000万元", "facts": "4000万元", "answerable": "",
     "type": "follow_up", "history": "广西创新联合体牵头企业营收要多少？"},
    {"id": "8", "q": "问题", "doc": "gx-tic", "evidence": "y", "facts": "", "answerable": "", "type": "definition"},
    {"id": "9", "q": "问题", "doc": "gx-tic", "evidence": "y", "facts": "", "answerable": "", "type": "很" * 41},
]
HEADER = list(ROWS[6])  # the row with every column


def _check(gold_set):
    assert [q.id for q in gold_set.questions] == ["1", "3", "7", "8"]
    first = gold_set.questions[0]
    assert first.doc == "gx-consortium" and first.facts == ("10亿元", "原则上") and first.answerable
    assert not gold_set.questions[1].answerable
    assert gold_set.questions[2].history == ("广西创新联合体牵头企业营收要多少？",)
    problems = {p.row: p.message for p in gold_set.problems}
    assert set(problems) == {2, 4, 5, 6, 9}
    assert "缺少问题 q" in problems[2] and "对应多份文件" in problems[4]
    assert "answerable" in problems[5] and "重复" in problems[6] and "题型 type 过长" in problems[9]
    # a set's own type label is a grouping label, not a reason to skip the row
    assert gold_set.questions[3].type == "definition" and gold_set.questions[3].answerable


def test_csv_with_bad_rows(tmp_path):
    path = tmp_path / "gold.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows(ROWS)
    _check(read_gold_set(path))


def test_xlsx_with_bad_rows(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    ws = wb.active
    header = HEADER
    ws.append(header)
    for row in ROWS:
        ws.append([row.get(h, "") for h in header])
    wb.save(tmp_path / "gold.xlsx")
    _check(read_gold_set(tmp_path / "gold.xlsx"))


def test_jsonl_with_bad_rows(tmp_path):
    lines = []
    for row in ROWS:
        obj = {**row, "facts": row["facts"].split("|") if row["facts"] else []}
        if "history" in row:
            obj["history"] = [row["history"]]
        lines.append(json.dumps(obj, ensure_ascii=False))
    lines.insert(3, "{not json")
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    gold_set = read_gold_set(path)
    assert [q.id for q in gold_set.questions] == ["1", "3", "7", "8"]
    assert any("JSON" in p.message and p.row == 4 for p in gold_set.problems)


def test_unreadable_gold_files(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    with pytest.raises(GoldFileError, match="可选：.jsonl、.csv、.xlsx"):
        read_gold_set(tmp_path / "a.txt")
    (tmp_path / "b.csv").write_text("question,answer\n问题,答案\n", encoding="utf-8")
    with pytest.raises(GoldFileError, match="表头缺少列：id、q"):
        read_gold_set(tmp_path / "b.csv")
    (tmp_path / "c.xlsx").write_bytes(b"not a zip")
    with pytest.raises(GoldFileError, match="Excel"):
        read_gold_set(tmp_path / "c.xlsx")
    gbk = tmp_path / "d.csv"
    gbk.write_bytes("id,q,doc,evidence\n1,营收要多少,gx-consortium,10亿元\n".encode("gbk"))
    assert read_gold_set(gbk).questions[0].q == "营收要多少"


def test_shipped_gold_sets_load_cleanly():
    from evals.io import shipped_gold_set
    gold = shipped_gold_set()
    assert not gold.problems
    assert len(gold.questions) >= 120
    assert len([q for q in gold.questions if not q.answerable]) >= 20


def test_a_gold_set_about_uploaded_documents_reads_against_the_index(tmp_path):
    """Officials write gold sets about the documents they added: the doc column is checked
    against the index's documents, not only the shipped five."""
    path = tmp_path / "uploaded.jsonl"
    path.write_text('{"id": "u1", "q": "汕头的科技创新条例什么时候施行？", "doc": "st-sti", "evidence": "施行"}\n'
                    '{"id": "u2", "q": "按标题关键词", "doc": "汕头", "evidence": "施行"}\n', encoding="utf-8")
    shipped_only = read_gold_set(path)
    assert [p.row for p in shipped_only.problems] == [1, 2] and "st-sti" in shipped_only.problems[0].message
    index_docs = {"gx-tic": {"title": "广西技术创新中心建设实施方案（暂行）"},
                  "st-sti": {"title": "汕头经济特区科技创新条例", "short_title": "汕头经济特区科技创新条例"}}
    gold = read_gold_set(path, documents=index_docs)
    assert not gold.problems and [g.doc for g in gold.questions] == ["st-sti", "st-sti"]


def test_per_question_xlsx_keeps_formulas_as_text(tmp_path):
    from openpyxl import load_workbook

    from evals.report import write_questions_xlsx

    rows = [{"id": "1", "q": '=HYPERLINK("http://evil.example","点我")', "type": "fact", "answerable": True,
             "correct": False, "rank": None, "refused": True, "answer": "@SUM(A1)"}]
    write_questions_xlsx(rows, tmp_path / "r.xlsx")
    cells = list(load_workbook(tmp_path / "r.xlsx").active.iter_rows(min_row=2))[0]
    assert cells[1].value == rows[0]["q"] and cells[1].data_type == "s"
    assert cells[3].value == "是" and cells[4].value == "否" and cells[6].value is None


def test_expected_verdicts_are_read_from_jsonl_and_csv(tmp_path):
    rows = [{"id": "1", "q": "我们营收8亿，够吗？", "doc": "gx-consortium", "evidence": "10亿元以上",
             "expected_verdicts": {"lead_revenue": "不满足"}},
            {"id": "2", "q": "我们营收8亿，够吗？", "doc": "gx-consortium", "evidence": "10亿元以上",
             "expected_verdicts": "lead_revenue=maybe"},
            {"id": "3", "q": "我们营收8亿，够吗？", "doc": "gx-consortium", "evidence": "10亿元以上",
             "expected_verdicts": "lead_revenue=pass|members_count:fail"}]
    path = tmp_path / "g.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    gold = read_gold_set(path)
    assert [q.expected_verdicts for q in gold.questions] == [
        (("lead_revenue", "fail"),), (("lead_revenue", "pass"), ("members_count", "fail"))]
    assert "pass 或 fail" in gold.problems[0].message and gold.problems[0].row == 2
