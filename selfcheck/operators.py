"""The engine's vocabulary as tables of pure functions: no eval, nothing but lookups.

- COMPARATORS: operator name → how it decides and how far an actual value is from passing.
  Boundary words follow 民法典 第一千二百五十九条: 以上、以下、以内、不少于、不低于、不超过、至多
  include the number itself (at_least / at_most / between); 超过、不满 exclude it
  (more_than / less_than).
- MEASURES: how a test turns input fields into the one value it compares.
- CONDITIONS: how `applies_when` and consistency guards read a field.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Mapping

from selfcheck.figures import exact

SHORT, EXCESS = "short", "excess"


@dataclass(frozen=True)
class Comparator:
    """One operator: its words in the rule text, its decision, and its gap.

    `gap(actual, threshold, whole)` returns (SHORT|EXCESS, amount) for a failing numeric value:
    how much more is needed, or how much too much there is. `whole` says the quantity is
    counted in whole units, so "超过 8 个" needs 9.
    """

    words: str
    inclusive: bool | None
    passes: Callable[[Any, Any], bool]
    gap: Callable[[Fraction, Any, bool], tuple[str, Fraction]] | None = None
    numeric: bool = True


def _more_than_gap(a: Fraction, t: Fraction, whole: bool) -> tuple[str, Fraction]:
    target = Fraction(math.floor(t) + 1) if whole else t
    return SHORT, target - a


def _less_than_gap(a: Fraction, t: Fraction, whole: bool) -> tuple[str, Fraction]:
    target = Fraction(math.ceil(t) - 1) if whole else t
    return EXCESS, a - target


def _between_gap(a: Fraction, t: tuple[Fraction, Fraction], whole: bool) -> tuple[str, Fraction]:
    low, high = t
    return (SHORT, low - a) if a < low else (EXCESS, a - high)


COMPARATORS: dict[str, Comparator] = {
    "at_least": Comparator("不少于", True, lambda a, t: a >= t, lambda a, t, w: (SHORT, t - a)),
    "more_than": Comparator("超过", False, lambda a, t: a > t, _more_than_gap),
    "at_most": Comparator("不超过", True, lambda a, t: a <= t, lambda a, t, w: (EXCESS, a - t)),
    "less_than": Comparator("不满", False, lambda a, t: a < t, _less_than_gap),
    "between": Comparator("在", True, lambda a, t: t[0] <= a <= t[1], _between_gap),
    "is_true": Comparator("为", None, lambda a, t: a is True, numeric=False),
    "one_of": Comparator("属于", None, lambda a, t: a in t, numeric=False),
}

# Operators under which a larger actual value never hurts ("more is better").
MONOTONE_UP = frozenset({"at_least", "more_than"})


# ---------------------------------------------------------------- measures

@dataclass(frozen=True)
class Measured:
    """What a measure yields: a value, or why there is none (missing fields / undefined)."""

    value: Any = None
    missing: tuple[str, ...] = ()
    undefined: str | None = None

    @property
    def ok(self) -> bool:
        return not self.missing and self.undefined is None


def _missing(inputs: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(k for k in keys if inputs.get(k) is None)


def measure_value(inputs: Mapping[str, Any], fields: tuple[str, ...], plus: int = 0) -> Measured:
    """The field's number, plus a fixed count when the rule counts "this one included"."""
    gone = _missing(inputs, fields)
    return Measured(missing=gone) if gone else Measured(exact(inputs[fields[0]]) + plus)


def measure_ratio(inputs: Mapping[str, Any], fields: tuple[str, ...], plus: int = 0) -> Measured:
    """numerator / denominator in percent, exactly; undefined when the denominator is 0."""
    gone = _missing(inputs, fields)
    if gone:
        return Measured(missing=gone)
    num, den = exact(inputs[fields[0]]), exact(inputs[fields[1]])
    if den == 0:
        return Measured(undefined=fields[1])
    return Measured(num / den * 100)


def measure_field(inputs: Mapping[str, Any], fields: tuple[str, ...], plus: int = 0) -> Measured:
    """A declared yes/no or an enum choice, as given."""
    gone = _missing(inputs, fields)
    return Measured(missing=gone) if gone else Measured(inputs[fields[0]])


MEASURES: dict[str, Callable[..., Measured]] = {
    "value": measure_value,
    "ratio": measure_ratio,
    "declared": measure_field,
    "choice": measure_field,
}
MEASURE_ARITY = {"value": 1, "ratio": 2, "declared": 1, "choice": 1}
# Which operators each measure may be combined with.
MEASURE_OPERATORS = {
    "value": {"at_least", "more_than", "at_most", "less_than", "between"},
    "ratio": {"at_least", "more_than", "at_most", "less_than", "between"},
    "declared": {"is_true"},
    "choice": {"one_of"},
}


# ---------------------------------------------------------------- conditions

def _cond_equals(actual: Any, expected: Any) -> bool:
    return actual == expected and type(actual) is type(expected)


def _cond_in(actual: Any, expected: tuple) -> bool:
    return actual in expected


def _cond_at_least(actual: Any, expected: Fraction) -> bool:
    return not isinstance(actual, (bool, str)) and exact(actual) >= expected


CONDITIONS: dict[str, Callable[[Any, Any], bool]] = {
    "equals": _cond_equals,
    "in": _cond_in,
    "at_least": _cond_at_least,
}


def condition_holds(op: str, actual: Any, expected: Any) -> bool | None:
    """True / False, or None when the field it reads is not given."""
    if actual is None:
        return None
    return CONDITIONS[op](actual, expected)
