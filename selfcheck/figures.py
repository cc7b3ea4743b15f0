"""Figures as the documents write them ("10亿元", "三分之一", "5例", "2—3年") and as we compute.

All arithmetic is on `fractions.Fraction`, so 30% of 7 members, one third of 9 experts and
3000万元 against 10亿元 compare exactly, with no float rounding at a boundary.
"""
from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from corpus.figures import CHINESE_NUMERALS, NUMBER, Unit, load_units, parse_number

def _dimension(unit: Unit) -> str:
    return {"duration": "time", "count": f"count:{unit.canonical}"}.get(unit.family, unit.family)


# Unit → (dimension, factor to the dimension's base unit), from the one unit table
# (corpus/units.yaml). Money's base is 万元, time's is 个月; counting words each form their own
# dimension: 5 人 and 5 个 are not the same quantity.
UNITS: dict[str, tuple[str, Fraction]] = {
    **{name: (_dimension(u), u.factor) for name, u in load_units().items() if name == u.canonical},
    "分之": ("ratio", Fraction(100)),  # 三分之一 = 1/3 = 100/3 %
}
_NUM = NUMBER
_CN_CHARS = CHINESE_NUMERALS
_UNIT_ALT = "|".join(sorted((re.escape(u) for u in UNITS if u != "分之"), key=len, reverse=True))
_SIMPLE = re.compile(rf"^(?P<a>{_NUM})(?:[—–\-~～至到](?P<b>{_NUM}))?(?P<unit>{_UNIT_ALT})$")
_FRACTION = re.compile(rf"^(?P<den>[{_CN_CHARS}]+|\d+)分之(?P<num>[{_CN_CHARS}]+|\d+)$")


@dataclass(frozen=True)
class Figure:
    """A parsed figure: one value, or two for a range ("2—3年"), in the unit as written."""

    values: tuple[Fraction, ...]
    unit: str


def normalise_text(text: str) -> str:
    """Text for containment checks: full-width forms folded (NFKC) and all whitespace dropped,
    so "5 例" in a Word conversion still matches the figure "5例"."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def parse_figure(figure: str) -> Figure:
    """Parse a figure as written in a clause. Raises ValueError for anything else."""
    text = normalise_text(figure)
    m = _FRACTION.match(text)
    if m:
        return Figure((parse_number(m["num"]) / parse_number(m["den"]),), "分之")
    m = _SIMPLE.match(text)
    if not m:
        raise ValueError(f"无法解析数字与单位：“{figure}”")
    values = tuple(parse_number(m[g]) for g in ("a", "b") if m[g])
    return Figure(values, m["unit"])


def convert(value: Fraction, from_unit: str, to_unit: str) -> Fraction:
    """The same quantity in another unit of the same dimension (10 亿元 → 100000 万元)."""
    (dim_from, f_from), (dim_to, f_to) = unit_info(from_unit), unit_info(to_unit)
    if dim_from != dim_to:
        raise ValueError(f"单位“{from_unit}”与“{to_unit}”不可换算")
    return value * f_from / f_to


def unit_info(unit: str) -> tuple[str, Fraction]:
    if unit not in UNITS:
        raise ValueError(f"未知单位“{unit}”，可选：{'、'.join(UNITS)}")
    return UNITS[unit]


def is_money(unit: str) -> bool:
    return unit in UNITS and UNITS[unit][0] == "money"


def exact(value: int | float | Fraction) -> Fraction:
    """An input number as an exact fraction, reading floats by their decimal form (0.1 → 1/10)."""
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError("不是有限数")
        return Fraction(repr(value))
    return Fraction(value)


def to_plain(value: Fraction) -> int | float:
    """A fraction for JSON: an int when whole, else a float."""
    return value.numerator if value.denominator == 1 else float(value)


def format_number(value: Fraction, places: int = 2) -> str:
    """3 → "3", 1/3 → "0.33", 2.50 → "2.5": no trailing zeros, half-up rounding."""
    value = exact(value)
    if value.denominator == 1:
        return str(value.numerator)
    d = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = format(d, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_quantity(value: Fraction, unit: str, places: int = 2) -> str:
    """"8 亿元", "30 人", "25%": a space between figure and unit, none before %."""
    sep = "" if unit == "%" else " "
    return f"{format_number(value, places)}{sep}{unit}"


def is_round(value: Fraction, places: int = 2) -> bool:
    """Whether a value is written exactly with at most `places` decimals."""
    return (exact(value) * 10 ** places).denominator == 1


def format_in_units(value: Fraction, field_unit: str, display_unit: str) -> str:
    """A value held in the field's unit, shown in the unit the text uses, and in the field's
    unit too when they differ: "8 亿元（80000 万元）", "9.9999 亿元（99999 万元）" — never
    rounded onto the threshold it is compared with."""
    if display_unit == field_unit:
        return format_quantity(value, field_unit)
    shown = convert(value, field_unit, display_unit)
    return f"{format_quantity(shown, display_unit, 6)}（{format_quantity(value, field_unit)}）"


def format_gap(amount: Fraction, field_unit: str, display_unit: str) -> str:
    """A gap in the text's unit ("2 亿元"), with the field's unit added when the gap is a
    fraction of the text's unit ("0.2 亿元（2000 万元）", "0.0001 亿元（1 万元）")."""
    if display_unit == field_unit:
        return format_quantity(amount, field_unit)
    shown = convert(amount, field_unit, display_unit)
    if is_round(shown) and abs(shown) >= 1:
        return format_quantity(shown, display_unit)
    return format_in_units(amount, field_unit, display_unit)
