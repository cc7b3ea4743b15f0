"""Figures as written in the documents, and the boundary words of 民法典 第一千二百五十九条."""
from __future__ import annotations

from fractions import Fraction

import pytest

from selfcheck.figures import (
    Figure, convert, exact, format_gap, format_in_units, format_number, normalise_text, parse_figure,
)
from selfcheck.operators import COMPARATORS, condition_holds, measure_ratio, measure_value


@pytest.mark.parametrize("text,value", [
    ("一", 1), ("三", 3), ("十", 10), ("十二", 12), ("三十", 30), ("一百零五", 105),
    ("两万", 20000), ("三千", 3000), ("十万", 100000),
])
def test_chinese_integers(text: str, value: int) -> None:
    from corpus.figures import parse_number
    assert parse_number(text) == value


@pytest.mark.parametrize("figure,parsed", [
    ("10亿元", Figure((Fraction(10),), "亿元")),
    ("3000万元", Figure((Fraction(3000),), "万元")),
    ("30%", Figure((Fraction(30),), "%")),
    ("30％", Figure((Fraction(30),), "%")),
    ("5 例", Figure((Fraction(5),), "例")),
    ("一个", Figure((Fraction(1),), "个")),
    ("三年", Figure((Fraction(3),), "年")),
    ("9个月", Figure((Fraction(9),), "个月")),
    ("三分之一", Figure((Fraction(1, 3),), "分之")),
    ("2—3年", Figure((Fraction(2), Fraction(3)), "年")),
    ("2.5亿元", Figure((Fraction(5, 2),), "亿元")),
])
def test_parse_figure(figure: str, parsed: Figure) -> None:
    assert parse_figure(figure) == parsed


@pytest.mark.parametrize("bad", ["十个亿", "约10亿元", "10", "三分之", "10亿美元"])
def test_unreadable_figures(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_figure(bad)


def test_conversions_are_exact() -> None:
    assert convert(Fraction(10), "亿元", "万元") == 100000
    assert convert(Fraction(1, 3), "分之", "%") == Fraction(100, 3)
    assert convert(Fraction(3), "年", "个月") == 36
    with pytest.raises(ValueError):
        convert(Fraction(5), "人", "个")


def test_floats_are_read_by_their_decimal_form() -> None:
    assert exact(0.1) + exact(0.2) == exact(0.3)
    with pytest.raises(ValueError):
        exact(float("nan"))


def test_formatting_never_rounds_onto_a_threshold() -> None:
    assert format_number(Fraction(1, 3)) == "0.33"
    assert format_number(Fraction(5, 2)) == "2.5"
    assert format_in_units(Fraction(99999), "万元", "亿元") == "9.9999 亿元（99999 万元）"
    assert format_gap(Fraction(20000), "万元", "亿元") == "2 亿元"
    assert format_gap(Fraction(1), "万元", "亿元") == "0.0001 亿元（1 万元）"
    assert format_gap(Fraction(2000), "万元", "亿元") == "0.2 亿元（2000 万元）"  # a fraction of 亿元 reads in 万元 too


def test_normalise_text_ignores_spaces_and_width() -> None:
    assert normalise_text("成功案例5 例以上（含5 例）") == normalise_text("成功案例5例以上(含5例)")


# 民法典 第一千二百五十九条：以上、以下、以内、届满，包括本数；不满、超过、以外，不包括本数。
@pytest.mark.parametrize("operator,actual,threshold,passes", [
    ("at_least", 10, 10, True), ("at_least", 9, 10, False), ("at_least", 11, 10, True),
    ("more_than", 10, 10, False), ("more_than", 11, 10, True),
    ("at_most", 3, 3, True), ("at_most", 4, 3, False), ("at_most", 2, 3, True),
    ("less_than", 3, 3, False), ("less_than", 2, 3, True),
    ("between", 2, (2, 3), True), ("between", 3, (2, 3), True), ("between", 1, (2, 3), False),
    ("between", 4, (2, 3), False),
])
def test_boundary_semantics(operator: str, actual, threshold, passes: bool) -> None:
    assert COMPARATORS[operator].passes(actual, threshold) is passes


def test_gaps_of_exclusive_operators_count_whole_units() -> None:
    assert COMPARATORS["more_than"].gap(Fraction(8), Fraction(8), True) == ("short", 1)
    assert COMPARATORS["less_than"].gap(Fraction(3), Fraction(3), True) == ("excess", 1)
    assert COMPARATORS["between"].gap(Fraction(4), (Fraction(2), Fraction(3)), False) == ("excess", 1)


def test_declared_and_choice_operators() -> None:
    assert COMPARATORS["is_true"].passes(True, True)
    assert not COMPARATORS["is_true"].passes(False, True)
    assert not COMPARATORS["is_true"].passes(1, True)
    assert COMPARATORS["one_of"].passes("a", ("a", "b"))


def test_measures() -> None:
    assert measure_ratio({"a": 1, "b": 3}, ("a", "b")).value == Fraction(100, 3)
    assert measure_ratio({"a": 1, "b": 0}, ("a", "b")).undefined == "b"
    assert measure_ratio({"a": 1}, ("a", "b")).missing == ("b",)
    assert measure_value({"a": 0}, ("a",), plus=1).value == 1


def test_conditions() -> None:
    assert condition_holds("in", "enterprise", ("enterprise",)) is True
    assert condition_holds("equals", 1, True) is False  # 1 is not true
    assert condition_holds("at_least", 0, Fraction(1)) is False
    assert condition_holds("equals", None, True) is None
