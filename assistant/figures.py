"""Figures in generated text compared with the clauses it cites (the grounding check), keyed so
that the same quantity matches however it is written: 10亿元 = 100000万元, 三年 = 3年 = 36个月,
半年 = 6个月, 三分之一 ≈ 33.3%. Reading is corpus.figures' — the product's one figure reader."""
from __future__ import annotations

from dataclasses import dataclass

from corpus.figures import Figure as ReadFigure
from corpus.figures import load_units, read_figures

_BASE_UNIT = {"money": "万元", "duration": "月", "ratio": "%"}


@dataclass(frozen=True)
class Figure:
    kind: str      # money (万元) | duration (月) | ratio (%) | count (unit) | date | year | area | age
    value: float | str
    unit: str
    text: str      # as written

    @property
    def key(self) -> tuple:
        value = round(self.value, 4) if isinstance(self.value, float) else self.value
        return (self.kind, value, self.unit)


def _normalised(f: ReadFigure) -> list[Figure]:
    """One figure per stated value (a range "1—2个" states both ends), in comparable units."""
    if f.family == "date":
        return [Figure("date", f.date, "", f.text)]
    if f.family == "year":
        return [Figure("year", float(f.value), "年", f.text)]
    ends = [f.value] + ([f.upper] if f.upper is not None else [])
    out = []
    factor = load_units()[f.unit].factor if f.unit in load_units() else 1
    for value in ends:
        base = value * factor
        if f.family == "ratio":
            out.append(Figure("ratio", round(float(base), 1), "%", f.text))
        elif f.family in _BASE_UNIT:
            out.append(Figure(f.family, float(base), _BASE_UNIT[f.family], f.text))
        else:
            out.append(Figure(f.family, float(value), f.unit, f.text))
    return out


def extract_figures(text: str) -> list[Figure]:
    """Every figure in a text, normalised, left to right."""
    return [n for f in read_figures(text) for n in _normalised(f)]


def figure_keys(text: str) -> set[tuple]:
    return {f.key for f in extract_figures(text)}


def unsupported_figures(answer: str, sources: list[str]) -> list[Figure]:
    """Figures the answer states that none of its sources state (after normalisation)."""
    supported = set().union(*(figure_keys(s) for s in sources)) if sources else set()
    return [f for f in extract_figures(answer) if f.key not in supported]
