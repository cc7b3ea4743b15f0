"""The public API and the assessment records: determinism, immutability, exports."""
from __future__ import annotations

import copy
import dataclasses
import json

import pytest

import selfcheck
from selfcheck import (
    Assessment, InputError, evaluate, list_programs, render_markdown, render_text,
)

SHORT_APPLICANT = {
    "members_total": 9, "members_registered_in_guangxi": 2, "members_enterprises": 5,
    "lead_annual_revenue_wan": 80000, "lead_rd_staff": 25, "lead_is_enterprise": True,
    "lead_rd_expense_3y_wan": 2500, "lead_sales_3y_wan": 100000,
}


def test_public_api() -> None:
    for name in ("evaluate", "list_programs", "schema", "render_markdown", "InputError",
                 "UnknownProgramError", "UnknownFieldError", "InvalidValueError",
                 "InconsistentInputError", "RulesError", "CitationError"):
        assert hasattr(selfcheck, name), name
    programs = list_programs()
    assert [p.id for p in programs] == ["gx-tic", "nm-tic", "gx-consortium", "hn-tic", "gx-demo-zone"]
    assert {p.name for p in programs} >= {"湖南省技术创新中心", "广西壮族自治区创新联合体"}


def test_deterministic_and_does_not_touch_inputs() -> None:
    inputs = copy.deepcopy(SHORT_APPLICANT)
    first, second = evaluate("gx-consortium", inputs), evaluate("gx-consortium", inputs)
    assert first == second
    assert first.to_dict() == second.to_dict()
    assert inputs == SHORT_APPLICANT


def test_records_are_frozen() -> None:
    a = evaluate("gx-consortium", SHORT_APPLICANT)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.verdict = "eligible"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.criteria[0].status = "pass"  # type: ignore[misc]


def test_output_fields_of_the_issue() -> None:
    data = evaluate("gx-consortium", SHORT_APPLICANT).to_dict()
    assert data["verdict"] in ("eligible", "not_eligible", "incomplete")
    assert data["score"] == {"passed": 3, "applicable": 28}
    for c in data["criteria"]:
        assert {"id", "title", "status", "strictness", "fields", "actual", "required", "gap",
                "citation"} <= set(c)
        assert set(c["citation"]) >= {"doc_title", "clause_path", "text"}
        assert c["status"] in ("pass", "fail", "unknown", "not_applicable")
        assert c["strictness"] in ("hard", "in_principle")
    json.dumps(data, ensure_ascii=False, allow_nan=False)


def test_gaps_in_words_and_figures() -> None:
    a = evaluate("gx-consortium", SHORT_APPLICANT)
    assert a.criterion("lead_revenue").gap == "还差 2 亿元"
    assert a.criterion("lead_rd_staff").gap == "还差 5 人"
    assert a.criterion("members_guangxi_ratio").gap.startswith("还差 7.78 个百分点")


def test_failed_in_principle_cites_article_8() -> None:
    result = evaluate("gx-consortium", SHORT_APPLICANT).criterion("lead_revenue")
    assert result.strictness == "in_principle"
    assert "一事一议" in result.exception.message
    assert result.exception.citation.clause_path == "第八条"
    hard = evaluate("gx-consortium", SHORT_APPLICANT).criterion("members_guangxi_ratio")
    assert hard.status == "fail" and hard.exception is None


def test_audit_trail_records_each_step() -> None:
    result = evaluate("gx-consortium", SHORT_APPLICANT).criterion("lead_rd_expense")
    trail = "\n".join(result.trail)
    assert "读取 lead_rd_expense_3y_wan = 2500 万元" in trail
    assert "计算 lead_rd_expense_3y_wan ÷ lead_sales_3y_wan × 100 = 2.5%" in trail
    assert "任一分支满足即可 → 不满足" in trail
    na = evaluate("hn-tic", {"lead_type": "university"}).criterion("lead_avg_rd_expense")
    assert na.status == "not_applicable" and "不适用" in na.trail[0]


def test_draft_documents_are_flagged() -> None:
    notes = evaluate("gx-consortium", {}).notes
    assert any("征求意见稿" in n for n in notes)
    assert not any("征求意见稿" in n for n in evaluate("hn-tic", {}).notes)


def test_nothing_is_scored_from_bad_input() -> None:
    with pytest.raises(InputError):
        evaluate("gx-consortium", {**SHORT_APPLICANT, "lead_rd_staff": "二十五"})


def test_markdown_report() -> None:
    a = evaluate("gx-consortium", SHORT_APPLICANT)
    from datetime import datetime
    md = render_markdown(a, when=datetime(2026, 12, 4, 9, 30))
    assert md.startswith("# 申报自评报告：广西壮族自治区创新联合体\n")
    assert "- 生成日期：2026-12-04 09:30" in md
    assert "**不符合条件**" in md
    assert "| 序号 | 条件 |" in md
    assert "还差 2 亿元" in md
    assert "**《广西壮族自治区创新联合体管理办法（试行）》第八条**" in md
    assert "> 对自治区党委、政府重点扶持" in md
    assert md.count("**《广西壮族自治区创新联合体管理办法（试行）》第五条（一）**") == 1
    for row in (line for line in md.splitlines() if line.startswith("| ") and "---" not in line):
        assert row.count(" | ") == 7, row


def test_text_report() -> None:
    text = render_text(evaluate("gx-tic", {"director_months_per_year": 8}))
    assert "✘ 未通过" in text and "差距：还差 1 个月" in text
    assert isinstance(evaluate("gx-tic", {}), Assessment)


def test_every_problem_of_a_form_at_once_and_the_first_is_what_evaluate_raises():
    """A form with three wrong fields hears of all three in one go (selfcheck.problems), in
    schema order after unknown keys; evaluate still raises the first."""
    from selfcheck import InputError, evaluate, problems
    inputs = {"members_total": "十个", "members_enterprises": -1, "lead_annual_revenue_wan": 80000,
              "member_totl": 3}
    found = problems("gx-consortium", inputs)
    assert [e.field for e in found] == ["member_totl", "members_total", "members_enterprises"]
    with pytest.raises(InputError) as first:
        evaluate("gx-consortium", inputs)
    assert first.value.message == found[0].message
    assert problems("gx-consortium", {"members_total": 9}) == []


def test_reports_for_people_name_fields_by_their_words_not_their_keys():
    import re

    from selfcheck import evaluate, render_markdown, schema
    from selfcheck.pdf import render_pdf
    keys = set(schema("gx-tic")["properties"])
    report = render_markdown(evaluate("gx-tic", {"organizer_type": "city_government"}))
    assert not keys & set(re.findall(r"[a-z][a-z0-9_]+", report)), "a field key in the report"
    import pymupdf
    pdf = pymupdf.open(stream=render_pdf(evaluate("gx-tic", {})), filetype="pdf")
    text = "".join(page.get_text() for page in pdf)
    assert "未填写" in text and not keys & set(re.findall(r"[a-z][a-z0-9_]+", text))
