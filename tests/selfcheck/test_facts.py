"""Reading the asker's facts from a question (selfcheck.facts) against the real rules files,
and solving a rule for a count (selfcheck.solve). Golden table: facts_golden.yaml."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from corpus.glossary import load_glossary
from selfcheck import RulesError, load_program
from selfcheck.facts import read_facts
from selfcheck.rules import RULES_DIR, parse_rules
from selfcheck.solve import solve_count

GOLDEN = yaml.safe_load((Path(__file__).parent / "facts_golden.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLDEN, ids=[c["q"][:16] for c in GOLDEN])
def test_facts_read_from_questions(case):
    cues = load_glossary().applied_cues
    facts = read_facts(case["q"], load_program(case["programme"]), cues["requirement"], cues["ask"])
    assert facts.values == case["values"]
    assert list(facts.unmapped) == case.get("unmapped", [])
    assert list(facts.asked) == case.get("asked", [])


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
