"""Figures in policy text, normalised so that the same quantity matches however it is
written: 10亿元 = 100000万元, 三年 = 3年 = 36个月, 半年 = 6个月, 三分之一 ≈ 33.3%."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10000}
_CN_NUM = "零〇一二两三四五六七八九十百千"


def cn_to_number(text: str) -> float | None:
    """"三" → 3, "十二" → 12, "二十五" → 25, "3" → 3, "1.5" → 1.5; None if not a number."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text == "半":
        return 0.5
    total, current = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            current = _CN_DIGITS[ch]
        elif ch in _CN_UNITS:
            total += (current or 1) * _CN_UNITS[ch]
            current = 0
        else:
            return None
    return float(total + current)


@dataclass(frozen=True)
class Figure:
    kind: str      # money (万元) | duration (月) | ratio (%) | count (unit) | date | year
    value: float | str
    unit: str
    text: str      # as written

    @property
    def key(self) -> tuple:
        value = round(self.value, 4) if isinstance(self.value, float) else self.value
        return (self.kind, value, self.unit)


_N = rf"(\d+(?:\.\d+)?|[{_CN_NUM}]+|半)"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("date", re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*日")),
    ("month_end", re.compile(rf"{_N}\s*月底")),
    ("year", re.compile(r"(\d{4})\s*年")),
    ("ratio_frac", re.compile(rf"([{_CN_NUM}]+)分之([{_CN_NUM}]+)")),
    ("ratio", re.compile(r"(\d+(?:\.\d+)?)\s*[%％]")),
    ("money", re.compile(rf"{_N}\s*(亿元|万元|元)")),
    ("duration", re.compile(rf"{_N}\s*(个月|年|天)")),
    ("count", re.compile(rf"{_N}\s*(家|个|人|名|次|例|项|件|所|场)")),
]
_MONEY_IN_WAN = {"亿元": 10000.0, "万元": 1.0, "元": 0.0001}
_DURATION_IN_MONTHS = {"年": 12.0, "个月": 1.0, "天": 1 / 30}


def extract_figures(text: str) -> list[Figure]:
    """Every figure in a text, normalised. Overlaps are resolved left to right, so
    "2020年12月31日" is one date and a year, and "10亿元" is money, not a count."""
    found: list[tuple[int, int, Figure]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            fig = _figure(kind, m)
            if fig is not None:
                found.append((m.start(), m.end(), fig))
                taken.append((m.start(), m.end()))
    return [f for _, _, f in sorted(found, key=lambda x: x[0])]


def _figure(kind: str, m: re.Match) -> Figure | None:
    t = m.group(0)
    if kind == "date":
        return Figure("date", f"{int(m.group(1))}-{int(m.group(2))}", "", t)
    if kind == "month_end":
        n = cn_to_number(m.group(1))
        return None if n is None else Figure("date", f"{int(n)}-end", "", t)
    if kind == "year":
        # A bare "2025年" is a year; "三年" is a duration (handled below).
        return Figure("year", float(m.group(1)), "年", t)
    if kind == "ratio_frac":
        den, num = cn_to_number(m.group(1)), cn_to_number(m.group(2))
        return None if not den or num is None else Figure("ratio", round(100 * num / den, 1), "%", t)
    if kind == "ratio":
        return Figure("ratio", float(m.group(1)), "%", t)
    n = cn_to_number(m.group(1))
    if n is None:
        return None
    if kind == "money":
        return Figure("money", n * _MONEY_IN_WAN[m.group(2)], "万元", t)
    if kind == "duration":
        return Figure("duration", n * _DURATION_IN_MONTHS[m.group(2)], "月", t)
    return Figure("count", n, m.group(2), t)


def figure_keys(text: str) -> set[tuple]:
    return {f.key for f in extract_figures(text)}


def unsupported_figures(answer: str, sources: list[str]) -> list[Figure]:
    """Figures the answer states that none of its sources state (after normalisation)."""
    supported = set().union(*(figure_keys(s) for s in sources)) if sources else set()
    return [f for f in extract_figures(answer) if f.key not in supported]
