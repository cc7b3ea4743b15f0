"""Property: raising a "more is better" quantity never turns a pass into a fail.

A field is "more is better" when every rule reads it only as a quantity that must reach a
floor (以上 / 不少于 / 不低于 / 超过), or as the numerator of such a ratio. Inputs are drawn
from each program's own schema, so the test follows the rules files as they change.
"""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from selfcheck import (
    InconsistentInputError, InvalidValueError, evaluate, list_programs, load_program,
)
from selfcheck.model import FieldSpec, ProgramRules
from selfcheck.operators import MONOTONE_UP

PROGRAMS = [p.id for p in list_programs()]


def more_is_better(rules: ProgramRules) -> list[str]:
    """Fields read only as floors or as the numerator of a floor ratio. (A field may also
    switch a criterion on through `applies_when: at_least`; that makes a criterion apply, it
    never turns one that passed into a failure.)"""
    good, bad = set(), set()
    for c in rules.criteria:
        for t in c.tests:
            if t.measure in ("value", "ratio") and t.operator in MONOTONE_UP:
                good.add(t.fields[0])
                bad |= set(t.fields[1:])
            else:
                bad |= set(t.fields)
            if t.threshold_field:
                bad.add(t.threshold_field)
    return [k for k in rules.field_keys if k in good - bad]


def totals(rules: ProgramRules) -> set[str]:
    """Fields other counts must not exceed: drawn larger so fewer draws are inconsistent."""
    return {c.other for c in rules.consistency if c.other}


def near_thresholds(rules: ProgramRules) -> dict[str, list[int]]:
    """Values within 2 of each constant threshold, so boundaries are actually crossed."""
    near: dict[str, set[int]] = {}
    for c in rules.criteria:
        for t in c.tests:
            if t.measure != "value" or t.threshold_field:
                continue
            spec = rules.field(t.fields[0])
            bounds = t.threshold if isinstance(t.threshold, tuple) else (t.threshold,)
            for b in bounds:
                for d in range(-2, 3):
                    v = int(b) - t.plus + d
                    if v >= (spec.minimum or 0) and (spec.maximum is None or v <= spec.maximum):
                        near.setdefault(spec.key, set()).add(v)
    return {k: sorted(v) for k, v in near.items()}


def value_strategy(spec: FieldSpec, is_total: bool, near: list[int]) -> st.SearchStrategy:
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from([v for v, _ in spec.choices])
    low = int(spec.minimum or 0)
    high = int(spec.maximum) if spec.maximum is not None else (200 if is_total else 12)
    if is_total:
        low = max(low, 20)
    anywhere = st.integers(low, high)
    if spec.type == "number":
        anywhere = st.one_of(anywhere, st.decimals(low, high, places=2).map(float))
    if not near:
        return anywhere
    near_ones = st.sampled_from(near)
    return st.one_of(near_ones, near_ones, anywhere)  # two in three draws sit at a boundary


@st.composite
def applicant(draw, program_id: str) -> dict:
    rules = load_program(program_id)
    big, near = totals(rules), near_thresholds(rules)
    inputs = {}
    for spec in rules.fields:
        if draw(st.integers(0, 9)) == 0:
            continue  # about one field in ten left out: unknowns take part too
        inputs[spec.key] = draw(value_strategy(spec, spec.key in big, near.get(spec.key, [])))
    return inputs


def raised(inputs: dict, key: str, delta) -> dict:
    return {**inputs, key: inputs[key] + delta}


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_each_program_has_more_is_better_fields_or_none(program_id: str) -> None:
    names = more_is_better(load_program(program_id))
    if program_id == "gx-consortium":
        assert {"lead_annual_revenue_wan", "lead_rd_staff", "lead_rd_expense_3y_wan",
                "members_registered_in_guangxi", "members_enterprises"} <= set(names)
        assert "members_total" not in names and "lead_sales_3y_wan" not in names


QUANTITY_PROGRAMS = [p for p in PROGRAMS if more_is_better(load_program(p))]


@pytest.mark.parametrize("program_id", QUANTITY_PROGRAMS)
def test_raising_a_more_is_better_quantity_never_turns_pass_into_fail(program_id: str) -> None:
    rules = load_program(program_id)
    keys = more_is_better(rules)

    @settings(max_examples=200, deadline=None,
              suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    @given(inputs=applicant(program_id), key=st.sampled_from(keys),
           delta=st.one_of(st.integers(1, 3), st.integers(1, 100_000),
                           st.sampled_from([Fraction(1, 100), 0.5])))
    def check(inputs: dict, key: str, delta) -> None:
        assume(key in inputs)
        if rules.field(key).type == "integer" and not isinstance(delta, int):
            delta = 1
        delta = float(delta) if isinstance(delta, Fraction) else delta
        try:
            before = evaluate(program_id, inputs)
            after = evaluate(program_id, raised(inputs, key, delta))
        except (InconsistentInputError, InvalidValueError):
            assume(False)  # drawn inconsistent, or raised past the field's maximum
            return
        for b, a in zip(before.criteria, after.criteria):
            assert not (b.status == "pass" and a.status == "fail"), (b.id, key, inputs)

    check()
