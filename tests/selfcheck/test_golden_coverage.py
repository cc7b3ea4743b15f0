"""The golden tables themselves are checked: enough cases, every threshold probed at −1, =, +1,
every OR criterion passed through a later branch, every error class and every verdict."""
from __future__ import annotations

from fractions import Fraction

import pytest

from selfcheck import evaluate, list_programs, load_program
from selfcheck.engine import run_test
from selfcheck.figures import exact

ERROR_CLASSES = {"InputError", "UnknownProgramError", "UnknownFieldError", "InvalidValueError",
                 "InconsistentInputError"}
PROGRAMS = [p.id for p in list_programs()]


def scored_inputs(tables, program_id: str) -> list[dict]:
    return [c.inputs for c in tables[program_id]
            if not c.is_error and c.program == program_id and isinstance(c.inputs, dict)]


def probes(test, threshold: Fraction) -> set[Fraction]:
    return {threshold - 1, threshold, threshold + 1}


def seen_values(test, inputs_list: list[dict]) -> set[Fraction]:
    """What the golden inputs make of a test's measured quantity."""
    seen = set()
    for inputs in inputs_list:
        if any(inputs.get(k) is None for k in test.fields):
            continue
        values = [exact(inputs[k]) for k in test.fields]
        if test.measure == "ratio":
            if values[1]:
                seen.add(values[0] / values[1] * 100)
        elif test.threshold_field:
            if inputs.get(test.threshold_field) is not None:
                seen.add(values[0] - exact(inputs[test.threshold_field]))
        else:
            seen.add(values[0] + test.plus)
    return seen


def test_every_program_has_a_golden_table(tables) -> None:
    assert sorted(tables) == sorted(PROGRAMS)


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_table_size_and_verdicts(tables, program_id: str) -> None:
    cases = tables[program_id]
    assert len(cases) >= 12
    verdicts = {c.expect.get("verdict") for c in cases}
    assert {"eligible", "not_eligible", "incomplete"} <= verdicts
    statuses = {v.get("status") for c in cases for v in (c.expect.get("criteria") or {}).values()}
    assert {"pass", "fail", "unknown"} <= statuses
    errors = {c.expect["error"] for c in cases if c.is_error}
    assert {"InvalidValueError", "UnknownFieldError"} <= errors


def test_every_error_class_is_in_some_table(tables) -> None:
    errors = {c.expect["error"] for cs in tables.values() for c in cs if c.is_error}
    assert errors == ERROR_CLASSES


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_every_threshold_is_probed_below_at_and_above(tables, program_id: str) -> None:
    rules = load_program(program_id)
    inputs_list = scored_inputs(tables, program_id)
    for criterion in rules.criteria:
        for test in criterion.tests:
            if test.measure not in ("value", "ratio"):
                continue
            seen = seen_values(test, inputs_list)
            if test.threshold_field:
                wanted = {Fraction(-1), Fraction(0), Fraction(1)}
            elif test.operator == "between":
                wanted = probes(test, test.threshold[0]) | probes(test, test.threshold[1])
            elif test.measure == "ratio":
                # A ratio is probed by one member below, at and above the boundary.
                wanted = {test.threshold}
                assert any(v < test.threshold for v in seen), criterion.id
                assert any(v > test.threshold for v in seen), criterion.id
            else:
                wanted = probes(test, test.threshold)
            if test.measure == "value" and not test.threshold_field:
                lowest = (rules.field(test.fields[0]).minimum or 0) + test.plus
                wanted = {v for v in wanted if v >= lowest}  # 0 others + this one can't go lower
            assert wanted <= seen, (criterion.id, sorted(wanted - seen))


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_or_criteria_pass_through_a_later_branch(tables, program_id: str) -> None:
    rules = load_program(program_id)
    for criterion in (c for c in rules.criteria if len(c.tests) > 1):
        later_only = False
        for inputs in scored_inputs(tables, program_id):
            result = evaluate(program_id, inputs).criterion(criterion.id)
            first = run_test(criterion.tests[0], rules, inputs, False)
            later_only |= result.status == "pass" and first.status == "fail"
        assert later_only, criterion.id
