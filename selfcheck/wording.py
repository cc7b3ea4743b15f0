"""The Chinese words of an assessment: what is required, what was found, what is missing.

Money is shown in the unit the document uses ("还差 2 亿元" against "10亿元以上"), counts in
their own counting word ("还差 5 人"), ratios in percentage points plus the count that would
close the gap at the current denominator.
"""
from __future__ import annotations

import math
from fractions import Fraction
from typing import Any, Mapping

from selfcheck.figures import (
    convert, exact, format_gap, format_in_units, format_number, is_money,
    parse_figure, to_plain,
)
from selfcheck.model import FieldSpec, ProgramRules, Test
from selfcheck.operators import COMPARATORS, EXCESS

_IN_PRINCIPLE = "原则上"
MAX_PLACES = 6


def distinct_number(value: Fraction, other: Fraction | None = None) -> str:
    """`value` with as many decimals as it takes (up to MAX_PLACES) not to read as `other`
    (2999 ÷ 100000 is "2.999%", not "3%" against 3%) and, when non-zero, not as 0."""
    value = exact(value)
    for places in range(2, MAX_PLACES + 1):
        text = format_number(value, places)
        same = other is not None and value != other and text == format_number(exact(other), places)
        if not same and not (value and text in ("0", "-0")):
            return text
    return text


def comparison_words(test: Test) -> str:
    """不少于 for counts; 不低于 for money and ratios, as the documents write them."""
    if test.operator == "at_least" and (test.unit == "%" or is_money(test.unit or "")):
        return "不低于"
    return COMPARATORS[test.operator].words


def figure_text(figure: str) -> str:
    """The figure as the rule text shows it: " 8 个", " 10 亿元", " 2—3 年", "三分之一"."""
    if not figure[:1].isdigit():
        return figure  # Chinese numerals run on: "不超过一个", "不超过总人数三分之一"
    parsed = parse_figure(figure)
    number = "—".join(format_number(v) for v in parsed.values)
    return f" {number}{'' if parsed.unit == '%' else ' '}{parsed.unit}"


def subject_text(test: Test) -> str:
    return f"{test.subject}（含{test.plus_label}）" if test.plus else test.subject


def requirement_text(test: Test, rules: ProgramRules, in_principle: bool) -> str:
    """"组成单位数原则上不少于 8个（含本数）" — the rule in words, boundary made explicit."""
    soft = _IN_PRINCIPLE if in_principle else ""
    if test.measure == "choice":
        labels = "、".join(rules.field(test.fields[0]).choice_label(v) for v in test.threshold)
        return f"{test.subject}{soft}属于：{labels}"
    if test.measure == "declared":
        return f"{test.subject}：是" + ("（原则上）" if in_principle else "")
    if test.threshold_field:
        other = rules.field(test.threshold_field)
        return f"{subject_text(test)}{soft}{comparison_words(test)}{other.brief}（含本数）"
    if test.operator == "between":
        return f"{subject_text(test)}{soft}为{figure_text(test.figure)}（含两端）"
    bound = "（含本数）" if COMPARATORS[test.operator].inclusive else "（不含本数）"
    return f"{subject_text(test)}{soft}{comparison_words(test)}{figure_text(test.figure)}{bound}"


def value_text(value: Any, spec: FieldSpec, display_unit: str | None = None) -> str:
    """One input value in words: "8 亿元（80000 万元）", "是", "企业"."""
    if spec.type == "boolean":
        return "是" if value else "否"
    if spec.type == "enum":
        return spec.choice_label(value)
    return format_in_units(exact(value), spec.unit, display_unit or spec.unit)


def actual_text(test: Test, rules: ProgramRules, inputs: Mapping[str, Any], value: Any) -> str:
    """What the applicant has, as compared: the measured value with how it was obtained."""
    first = rules.field(test.fields[0])
    if test.measure == "declared":
        return f"{'是' if value else '否'}（自评）"
    if test.measure == "choice":
        return first.choice_label(value)
    if test.measure == "ratio":
        den = rules.field(test.fields[1])
        parts = (value_text(inputs[first.key], first), value_text(inputs[den.key], den))
        threshold = test.threshold if isinstance(test.threshold, Fraction) else None
        return f"{distinct_number(value, threshold)}%（{parts[0]} ÷ {parts[1]}）"
    shown = value_text(value, first, test.display_unit)
    if test.plus:
        own = value_text(inputs[first.key], first)
        return f"{first.brief} {own}，含{test.plus_label}共 {shown}"
    if test.threshold_field:
        other = rules.field(test.threshold_field)
        return f"{shown}（{other.brief} {value_text(inputs[other.key], other)}）"
    return shown


def value_gap(test: Test, rules: ProgramRules, value: Fraction, threshold: Any
              ) -> tuple[str, Fraction, str]:
    """(words, amount, unit) for a failing value: "还差 2 亿元" / "超出 1 个"; the amount is
    in the text's unit (亿元 when the threshold is written in 亿元)."""
    spec = rules.field(test.fields[0])
    whole = spec.type == "integer"
    direction, amount = COMPARATORS[test.operator].gap(value, threshold, whole)
    display = test.display_unit or spec.unit
    figure = format_gap(amount, spec.unit, display)
    amount, unit = convert(amount, spec.unit, display), display
    if unit == "%":  # a percentage falls short by percentage points, not by percent
        unit = "个百分点"
        figure = f"{distinct_number(amount)} 个百分点"
    exclusive = COMPARATORS[test.operator].inclusive is False and not whole
    if direction == EXCESS:
        return (f"须再减少超过 {figure}" if exclusive else f"超出 {figure}"), amount, unit
    return (f"须再增加超过 {figure}" if exclusive else f"还差 {figure}"), amount, unit


def ratio_gap(test: Test, rules: ProgramRules, inputs: Mapping[str, Any], value: Fraction
              ) -> tuple[str, Fraction, str]:
    """Percentage points, and the numerator that would pass at the current denominator."""
    num, den = rules.field(test.fields[0]), rules.field(test.fields[1])
    direction, points = COMPARATORS[test.operator].gap(value, test.threshold, False)
    have, base = exact(inputs[num.key]), exact(inputs[den.key])
    bound = test.threshold * base / 100
    if direction == EXCESS:
        limit = Fraction(math.floor(bound)) if num.type == "integer" else bound
        head = f"超出 {distinct_number(points)} 个百分点"
        detail = f"{num.brief}至多 {value_text(limit, num)}，超出 {value_text(have - limit, num)}"
    else:
        need = Fraction(math.ceil(bound)) if num.type == "integer" else bound
        head = f"还差 {distinct_number(points)} 个百分点"
        detail = f"{num.brief}需至少 {value_text(need, num)}，还差 {value_text(need - have, num)}"
    if test.operator in ("more_than", "less_than"):
        return head, points, "个百分点"
    return f"{head}（按{den.brief} {value_text(base, den)}计，{detail}）", points, "个百分点"


def gap_of(test: Test, rules: ProgramRules, inputs: Mapping[str, Any], value: Any
           ) -> tuple[str, int | float | None, str | None]:
    """The gap of a failing test in words, with its amount and unit when it has one."""
    if test.measure == "declared":
        return f"文件要求{test.subject.replace('是否', '')}，自评为“否”", None, None
    if test.measure == "choice":
        label = rules.field(test.fields[0]).choice_label(value)
        return f"当前为“{label}”，不在要求范围内", None, None
    if test.measure == "ratio":
        words, amount, unit = ratio_gap(test, rules, inputs, value)
    else:
        threshold = exact(inputs[test.threshold_field]) if test.threshold_field else test.threshold
        words, amount, unit = value_gap(test, rules, value, threshold)
    plain = to_plain(amount)
    return words, round(plain, 6) if isinstance(plain, float) else plain, unit
