"""Rules are data that cannot drift from the documents: every citation resolves, every figure
is in its clause, and a rules file that breaks either is refused at load."""
from __future__ import annotations

import copy
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from corpus import load_documents
from ingest.documents import clause_text, corpus_clauses
from selfcheck import CitationError, RulesError, UnknownProgramError, list_programs, load_program
from selfcheck.figures import convert, normalise_text, parse_figure
from selfcheck.rules import RULES_DIR, load_rules_file, parse_rules, program_ids

PROGRAMS = [p.id for p in list_programs()]
ALL_CRITERIA = [(pid, c) for pid in PROGRAMS for rules in (load_program(pid), load_program(pid).limits) if rules
                for c in rules.criteria]


def test_programs_are_the_five_documents() -> None:
    assert sorted(PROGRAMS) == sorted(d.id for d in load_documents())
    for program in list_programs():
        assert program.doc_id == program.id
        assert program.name and program.doc_title


def test_fixed_field_names_of_the_issue() -> None:
    gx = set(load_program("gx-consortium").field_keys)
    assert {"members_total", "members_registered_in_guangxi", "members_enterprises",
            "lead_is_enterprise", "lead_registered_in_guangxi", "lead_annual_revenue_wan",
            "lead_rd_staff", "lead_rd_expense_3y_wan", "lead_sales_3y_wan",
            "lead_has_provincial_platform", "lead_other_consortia_led",
            "member_max_consortia"} <= gx
    hn = load_program("hn-tic")
    assert {"lead_type", "lead_is_industry_leader", "lead_avg_rd_expense_3y_wan",
            "lead_service_income_ratio_pct", "lead_transfer_cases", "lead_has_provincial_platform",
            "lead_major_project_experience", "center_independent_legal_entity",
            "center_registered_capital_wan"} <= set(hn.field_keys)
    assert [v for v, _ in hn.field("lead_type").choices] == [
        "enterprise", "university", "research_institute", "new_rd_institution"]


@pytest.mark.parametrize("program_id,criterion", ALL_CRITERIA,
                         ids=[f"{p}:{c.id}" for p, c in ALL_CRITERIA])
def test_citation_resolves_and_figure_is_in_the_clause(program_id: str, criterion) -> None:
    """Checked here independently of the loader, straight against the parsed corpus."""
    paths = {(c.doc_id, c.path) for c in corpus_clauses()}
    ref = criterion.citation
    assert (ref.doc_id, ref.clause_path) in paths
    text = normalise_text(clause_text(ref.doc_id, ref.clause_path))
    assert normalise_text(criterion.quote) in text
    for test in criterion.tests:
        if test.figure is None:
            assert test.measure in ("declared", "choice") or test.threshold_field
            continue
        assert normalise_text(test.figure) in text
        figure = parse_figure(test.figure)
        expected = test.threshold if isinstance(test.threshold, tuple) else (test.threshold,)
        assert tuple(convert(v, figure.unit, test.unit) for v in figure.values) == expected


def test_in_principle_criteria_rest_on_such_wording() -> None:
    """A criterion marked 原则上 rests on a clause, or a parent clause, that says 原则上
    (or 主要依托, or puts the matter under 一事一议)."""
    paths = {(c.doc_id, c.path) for c in corpus_clauses()}
    for _, c in ALL_CRITERIA:
        if c.strictness != "in_principle":
            continue
        doc, path = c.citation.doc_id, c.citation.clause_path
        lineage = [path[:i] for i in range(len(path), 0, -1) if (doc, path[:i]) in paths]
        texts = "".join(clause_text(doc, p) for p in lineage)
        assert any(w in texts for w in ("原则上", "主要依托", "一事一议")), c.id


def test_exception_clauses_mention_yishiyiyi() -> None:
    for pid in PROGRAMS:
        rules = load_program(pid)
        if rules.exception:
            assert "一事一议" in clause_text(pid, rules.exception.clause_path)
    assert load_program("gx-consortium").exception.clause_path == "第八条"
    assert load_program("gx-demo-zone").exception is None


def test_unknown_program() -> None:
    with pytest.raises(UnknownProgramError) as info:
        load_program("no-such-program")
    assert info.value.field == "program"
    assert all(pid in info.value.message for pid in program_ids())
    with pytest.raises(UnknownProgramError):
        load_program(["gx-tic"])  # type: ignore[arg-type]


# ---------------------------------------------------------------- refusing drifted rules

def raw_rules(program_id: str) -> dict:
    return yaml.safe_load((RULES_DIR / f"{program_id}.yaml").read_text(encoding="utf-8"))


def criterion_named(data: dict, rule_id: str) -> dict:
    return next(c for c in data["criteria"] if c["id"] == rule_id)


def refused(data: dict, error: type = RulesError) -> str:
    with pytest.raises(error) as info:
        parse_rules(data, "test.yaml")
    return str(info.value)


def test_the_shipped_files_parse_as_data() -> None:
    for pid in PROGRAMS:
        rules = parse_rules(raw_rules(pid), f"{pid}.yaml")
        assert rules.criteria == load_program(pid).criteria


def test_the_limits_of_support_are_rules_of_their_own_not_on_the_form() -> None:
    """第九条's caps (最高不超过500万元, 最多获得1次, 每次推荐1名) are judged on a question's facts,
    never part of the eligibility self-assessment: not its fields, not its criteria, not its schema."""
    from selfcheck import schema

    rules = load_program("gx-consortium")
    limits = rules.limits
    assert limits is not None and limits.of_limits and not rules.of_limits
    assert {c.id for c in limits.criteria} == {"platform_support_cap", "special_support_per_cycle",
                                               "youth_talent_per_recommendation"}
    assert not set(limits.field_keys) & set(rules.field_keys)
    assert not {c.id for c in limits.criteria} & {c.id for c in rules.criteria}
    assert not set(limits.field_keys) & set(schema("gx-consortium")["properties"])
    assert all(load_program(p).limits is None for p in PROGRAMS if p != "gx-consortium")


def test_a_drifted_limit_is_refused_naming_its_section() -> None:
    data = raw_rules("gx-consortium")
    cap = next(c for c in data["limits"]["criteria"] if c["id"] == "platform_support_cap")
    cap["figure"], cap["threshold"] = "600万元", 600
    message = refused(data, CitationError)
    assert "#limits" in message and "600万元" in message


def test_clause_that_does_not_exist() -> None:
    data = raw_rules("gx-consortium")
    criterion_named(data, "lead_revenue")["citation"]["clause"] = "第五条（二）9"
    message = refused(data, CitationError)
    assert "lead_revenue" in message and "第五条（二）9" in message and "不存在" in message


def test_citation_to_an_unknown_document() -> None:
    data = raw_rules("gx-consortium")
    criterion_named(data, "lead_revenue")["citation"]["doc"] = "sh-consortium"
    assert "不存在" in refused(data, CitationError)


def test_figure_absent_from_the_clause() -> None:
    data = raw_rules("gx-consortium")
    rule = criterion_named(data, "lead_revenue")
    rule["figure"], rule["threshold"] = "12亿元", 120000
    message = refused(data, CitationError)
    assert "12亿元" in message and "第五条（二）1" in message


def test_threshold_that_disagrees_with_the_figure() -> None:
    data = raw_rules("gx-consortium")
    criterion_named(data, "lead_revenue")["threshold"] = 10  # 10 万元 ≠ 10亿元
    message = refused(data, CitationError)
    assert "10亿元" in message and "100000" in message


def test_fraction_threshold_must_match_the_chinese_figure() -> None:
    data = raw_rules("gx-tic")
    criterion_named(data, "expert_committee_insiders")["threshold"] = 33.33
    assert "三分之一" in refused(data, CitationError)


def test_quote_absent_from_the_clause() -> None:
    data = raw_rules("hn-tic")
    criterion_named(data, "lead_major_projects")["quote"] = "有承担过国际重大研发项目的经验"
    assert "国际重大研发项目" in refused(data, CitationError)


def test_exception_clause_without_yishiyiyi() -> None:
    data = raw_rules("gx-consortium")
    data["exception"]["clause"] = "第三条"
    assert "一事一议" in refused(data, CitationError)


@pytest.mark.parametrize("mutate,words", [
    (lambda d: criterion_named(d, "lead_rd_staff").update(operator="about"), "about"),
    (lambda d: criterion_named(d, "lead_rd_staff").update(fields=["lead_rd_staf"]), "lead_rd_staf"),
    (lambda d: criterion_named(d, "lead_rd_staff").update(strictness="soft"), "strictness"),
    (lambda d: criterion_named(d, "lead_rd_staff").update(unit="个"), "单位"),
    (lambda d: criterion_named(d, "lead_rd_staff").pop("figure"), "figure"),
    (lambda d: criterion_named(d, "lead_rd_staff").update(figure="三十来人"), "三十来人"),
    (lambda d: criterion_named(d, "lead_rd_staff").update(kind="declared"), "不适用"),
    (lambda d: criterion_named(d, "lead_rd_staff").pop("citation"), "citation"),
    (lambda d: criterion_named(d, "member_academia_qualified").update(
        applies_when={"field": "members_universities_institutes", "above": 0}), "above"),
    (lambda d: d["criteria"].append(copy.deepcopy(d["criteria"][0])), "重复"),
    (lambda d: d["fields"].append({"key": "unused_flag", "label": "未用", "type": "boolean"}), "unused_flag"),
    (lambda d: d["fields"][0].pop("unit"), "单位"),
    (lambda d: d["program"].update(id="sh-consortium"), "sh-consortium"),
    (lambda d: d["criteria"].append("lead_rd_staff"), "映射"),
    (lambda d: d["fields"].append(["members_total"]), "映射"),
])
def test_malformed_rules_are_refused(mutate, words: str) -> None:
    data = raw_rules("gx-consortium")
    mutate(data)
    assert words in refused(data)


def test_enum_values_in_rules_must_come_from_the_field() -> None:
    data = raw_rules("hn-tic")
    criterion_named(data, "lead_avg_rd_expense")["applies_when"] = {"field": "lead_type", "in": ["company"]}
    assert "company" in refused(data)


def test_file_name_must_match_program_id(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text((RULES_DIR / "gx-tic.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(RulesError, match="文件名"):
        load_rules_file(path)


def test_invalid_yaml_is_a_rules_error(tmp_path: Path) -> None:
    path = tmp_path / "gx-tic.yaml"
    path.write_text("program: [unclosed", encoding="utf-8")
    with pytest.raises(RulesError, match="YAML"):
        load_rules_file(path)


def test_rules_digest_is_stable() -> None:
    a, b = load_rules_file(RULES_DIR / "hn-tic.yaml"), load_program("hn-tic")
    assert a.digest == b.digest and len(a.digest) == 12
    insiders = next(c for c in load_program("gx-tic").criteria if c.id == "expert_committee_insiders")
    assert insiders.tests[0].threshold == Fraction(100, 3)
