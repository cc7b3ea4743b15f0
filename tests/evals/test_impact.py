"""What a new version affects (evals/impact.py), on the real rules, the real gold sets and a real
logbook: the 印发 text of the 广西创新联合体 rules made from its draft (evals/revisions.py) lowers the
lead enterprise's revenue threshold from 10亿元 to 8亿元, among ten edits."""
import json

import pytest

from assistant.types import Answer, Citation
from corpus import document
from evals.impact import load_impact, pending_rules, report_revision
from evals.logbook import Logbook
from evals.revisions import make_revision
from ingest.documents import corpus_clauses
from ingest.library import add_document, impact_path, remove_document
from selfcheck import evaluate
from selfcheck.engine import with_pending


def _clause(path):
    return next(c for c in corpus_clauses() if c.doc_id == "gx-consortium" and c.path == path)


@pytest.fixture
def revised(tmp_path):
    meta = document("gx-consortium")
    data = tmp_path / "data"
    book = Logbook(data)
    for path in ("第五条（二）1", "第三条"):
        book.record(Answer(f"问{path}", "答", citations=(Citation(1, _clause(path)),)), channel="api", generation="g")
    final = tmp_path / "final.txt"
    final.write_text(make_revision(meta.read_text(), meta).new_text, encoding="utf-8")
    add_document(data, final, replace="gx-consortium", today="2026-12-01")
    report = report_revision(data, "gx-consortium", 2, logbook=book)
    yield data, book, report
    book.close()


def test_rules_whose_clause_or_figure_changed(revised):
    _, _, report = revised
    by_id = {(r.criterion, r.old_figure): r for r in report.rules}
    revenue = by_id[("lead_revenue", "10亿元")]
    assert (revenue.old_path, revenue.kind, revenue.new_figure, revenue.needs_update) == (
        "第五条（二）1", "changed", "8亿元", True)
    # the same clause changed elsewhere (8个 → 6个): the ratio's quote and 30% still stand
    assert by_id[("members_guangxi_ratio", "30%")].needs_update is False
    assert by_id[("members_count", "8个")].new_figure == "6个"
    exception = by_id[("exception", None)]
    assert (exception.old_path, exception.new_path, exception.kind) == ("第八条", "第七条", "moved")
    assert not any(r.program != "gx-consortium" for r in report.rules)  # other programmes untouched


def test_gold_rows_whose_evidence_changed_or_went(revised):
    _, _, report = revised
    why = {(g.gold_set, g.row_id): g.why for g in report.gold}
    assert why[("questions.jsonl", "gx-consortium-01")] == "金标原文已改"   # 10亿元 → 8亿元
    assert why[("questions.jsonl", "gx-consortium-08")] == "金标原文已删"   # the removed item
    assert not any(k[1].startswith(("gx-tic", "hn-tic", "nm-tic")) for k in why)


def test_logged_answers_citing_changed_clauses(revised):
    data, book, report = revised
    assert [a.citation for a in report.answers] == ["《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1"]
    # kept beside the version and in the logbook
    assert load_impact(data, "gx-consortium", 2) == report
    [kept] = book.revision_reports("gx-consortium")
    assert kept["version"] == 2 and kept["report"]["rules"] and kept["report"]["answers"]


def test_the_self_assessment_marks_affected_criteria_until_the_rules_change(revised):
    data, _, _ = revised
    pending = pending_rules(data, "gx-consortium")
    assert "lead_revenue" in pending and "members_guangxi_ratio" not in pending
    assessment = with_pending(evaluate("gx-consortium", {"lead_annual_revenue_wan": 90000}), pending)
    note = assessment.criterion("lead_revenue").note
    assert note.startswith("待更新：原文第五条（二）1已修改（10亿元 → 8亿元）")
    assert assessment.criterion("members_guangxi_ratio").note is None or "待更新" not in assessment.criterion(
        "members_guangxi_ratio").note
    # a report made against another version of the rules file no longer marks anything
    path = impact_path(data, "gx-consortium", 2)
    stale = json.loads(path.read_text(encoding="utf-8"))
    for r in stale["rules"]:
        r["rules_digest"] = "0" * 12
    path.write_text(json.dumps(stale, ensure_ascii=False), encoding="utf-8")
    assert pending_rules(data, "gx-consortium") == {}
    # removing the version removes its report: nothing pending
    remove_document(data, "gx-consortium", 2)
    assert not path.exists() and pending_rules(data, "gx-consortium") == {}


def test_a_revised_support_limit_is_reported_like_any_criterion(tmp_path):
    """The rules' limits section (第九条's caps) cites clauses too: a new version lowering
    最高不超过500万元 to 300万元 is reported against platform_support_cap."""
    meta = document("gx-consortium")
    data = tmp_path / "data"
    final = tmp_path / "final.txt"
    final.write_text(meta.read_text().replace("最高不超过500万元", "最高不超过300万元"), encoding="utf-8")
    add_document(data, final, replace="gx-consortium", today="2026-12-01")
    book = Logbook(data)
    try:
        report = report_revision(data, "gx-consortium", 2, logbook=book)
    finally:
        book.close()
    cap = next(r for r in report.rules if r.criterion == "platform_support_cap")
    assert (cap.old_path, cap.kind, cap.old_figure, cap.new_figure, cap.needs_update) == (
        "第九条（一）1", "changed", "500万元", "300万元", True)
