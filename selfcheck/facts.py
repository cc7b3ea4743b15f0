"""The asker's own facts in a question ("我们营收8亿，拉了6家单位"), mapped to a programme's
input fields by the words its rules file says people use for them (said_as, said_yes, said_no,
an option's said_as). Deterministic and conservative: a figure no field's words claim is
reported as not understood, a field named twice or both yes and no is left unread — never
guessed. Requirement figures ("要达到10亿", "10亿以上") are the document's, not the asker's."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from selfcheck.figures import convert, parse_number, to_plain, unit_info
from selfcheck.model import FieldSpec, ProgramRules

# A number with the unit people write after it. "一" alone ("一家企业", "一年") is an article,
# not a count; "近三年" / "第二" / "过去三年" name a period or an order, not a quantity.
_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万]+|半"
_UNIT = r"个亿|亿元|亿|万元|万|元|个百分点|%|％|个月|年|个人|人|名|位|家|个|所|项|件|例|次"
_FIGURE = re.compile(rf"(?<![第近前去\d.])(百分之)?({_NUM})\s*({_UNIT})?")
_UNITS = {"个亿": ("亿元", "money"), "亿元": ("亿元", "money"), "亿": ("亿元", "money"),
          "万元": ("万元", "money"), "万": ("万元", "money"), "元": ("元", "money"),
          "个百分点": ("%", "ratio"), "%": ("%", "ratio"), "％": ("%", "ratio"),
          "个月": ("个月", "time"), "年": ("年", "time")}
_SEGMENT = re.compile(r"[^，,。；;！!？?\n]+")
_NEGATION = re.compile(r"[不没未非无](?:是|有|在)?$")
MAX_DISTANCE = 12  # characters between a field's word and its figure


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    value: Fraction
    unit: str        # 亿元/万元/元, %, 年/个月, or "count"
    family: str      # money | ratio | time | count


@dataclass(frozen=True)
class ReadFacts:
    values: dict[str, Any]            # field → value in the field's own unit
    said: dict[str, str]              # field → the words it was read from
    unmapped: tuple[str, ...] = ()    # figures the asker stated that no field claims
    asked: tuple[str, ...] = ()       # number fields asked about ("最多能有几个是我们自己单位的")


def read_figures(text: str, requirement_words: tuple[str, ...] = ()) -> list[Figure]:
    """Figures with a unit in `text`, except those a requirement word stands next to."""
    out = []
    for m in _FIGURE.finditer(text):
        pct, number, unit = m.group(1), m.group(2), m.group(3)
        if not unit and len(number) > 1 and number.endswith("万"):  # 八千万: 8000 万
            number, unit = number[:-1], "万"
        if number == "一" and not pct or (not unit and not pct):
            continue
        if number.isdigit() and unit == "年" and len(number) == 4:  # 2024年 is a date
            continue
        try:
            value = Fraction(1, 2) if number == "半" else parse_number(number)
        except ValueError:
            continue
        before = text[max(0, m.start() - 4):m.start()]
        after = re.sub(r"^(?:的|这个|那个|这条)", "", text[m.end():m.end() + 6])
        if any(before.endswith(w) or after.startswith(w) for w in requirement_words):
            continue
        if pct:
            out.append(Figure(m.start(), m.end(), value, "%", "ratio"))
            continue
        canonical, family = _UNITS.get(unit, ("count", "count"))
        out.append(Figure(m.start(), m.end(), value, canonical, family))
    return out


def _family(spec: FieldSpec) -> str:
    return unit_info(spec.unit)[0].split(":")[0] if spec.unit else ""


def _occurrences(text: str, words: list[tuple[str, str]]) -> list[tuple[int, int, str]]:
    """(start, end, field) of every word, a longer word winning where two overlap."""
    found = sorted(((m.start(), m.start() + len(w), f) for w, f in words for m in re.finditer(re.escape(w), text)),
                   key=lambda o: o[0] - o[1])
    kept: list[tuple[int, int, str]] = []
    for o in found:
        if all(o[1] <= k[0] or o[0] >= k[1] for k in kept):
            kept.append(o)
    return sorted(kept)


def _value(spec: FieldSpec, figure: Figure) -> Any:
    if figure.family == "count":
        value = figure.value
    else:
        value = convert(figure.value, figure.unit, spec.unit)
    if spec.type == "integer":
        return int(value) if value.denominator == 1 else None
    return to_plain(value)


def _segment_of(segments: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((s for s in segments if s[0] <= pos < s[1]), (pos, pos))


def read_facts(text: str, rules: ProgramRules, requirement_words: tuple[str, ...] = (),
               ask_words: tuple[str, ...] = ("几", "多少")) -> ReadFacts:
    """The facts `text` states for `rules`' fields, and the number fields it asks about."""
    text = unicodedata.normalize("NFKC", text)
    segments = [(m.start(), m.end()) for m in _SEGMENT.finditer(text)]
    numeric = {s.key: s for s in rules.fields if s.said_as and s.type in ("integer", "number")}
    words = _occurrences(text, [(w, k) for k, s in numeric.items() for w in s.said_as])
    values: dict[str, Any] = {}
    said: dict[str, str] = {}
    used: list[tuple[int, int]] = []
    unmapped = []
    for fig in read_figures(text, requirement_words):
        seg = _segment_of(segments, fig.start)
        best = None
        for start, end, key in words:
            if key in values or not (seg[0] <= start < seg[1]) or _family(numeric[key]) != fig.family:
                continue
            # the word before the figure ("营收8亿"), after it ("6家单位"), or starting in its
            # counting word ("6家单位" with the word 家单位)
            distance = (fig.start - end if end <= fig.start else start - fig.end + 0.5 if start >= fig.end
                        else 0.5 if start > fig.start else None)
            if distance is not None and distance <= MAX_DISTANCE and (best is None or distance < best[0]):
                best = (distance, start, end, key)
        value = _value(numeric[best[3]], fig) if best else None
        if best is None or value is None:
            tail = re.match(r"[^的吗呢么啊吧咋怎是有要能]{0,2}", text[fig.end:seg[1]]).group()
            unmapped.append(text[fig.start:fig.end] + tail)
            continue
        _, start, end, key = best
        values[key] = value
        said[key] = text[min(start, fig.start):max(end, fig.end)]
        used.append((start, end))
    for spec in rules.fields:
        stated = _stated(text, spec, used)
        if stated is not None:
            values[spec.key], said[spec.key] = stated
    asked = tuple(dict.fromkeys(
        key for start, end, key in words if key not in values
        and any(w in text[slice(*_segment_of(segments, start))] for w in ask_words)))
    return ReadFacts(values, said, tuple(unmapped), asked)


def _stated(text: str, spec: FieldSpec, used: list[tuple[int, int]]) -> tuple[Any, str] | None:
    """A yes/no or an option stated in so many words; None when unsaid or said both ways. A
    yes phrase right after a negation ("没在广西注册", "不是独立法人") says no."""
    def found(phrases):
        return [(m.start(), p) for p in phrases for m in re.finditer(re.escape(p), text)
                if all(m.end() <= a or m.start() >= b for a, b in used)]
    if spec.type == "boolean":
        no = found(spec.said_no)
        yes = [(i, p) for i, p in found(spec.said_yes)
               if not any(j <= i < j + len(q) for j, q in no)]
        negated = [(i, p) for i, p in yes if _NEGATION.search(text[max(0, i - 2):i])]
        answers = {False for _ in no + negated} | {True for y in yes if y not in negated}
        if len(answers) != 1:
            return None
        value = answers.pop()
        if negated:  # say it as the asker did: "没在广西注册"
            i, p = negated[0]
            start = max(0, i - 2) + _NEGATION.search(text[max(0, i - 2):i]).start()
            return value, text[start:i + len(p)]
        return value, (no + yes)[0][1]
    if spec.type == "enum":
        named = {v: hits[0][1] for v, phrases in spec.choices_said if (hits := found(phrases))}
        if len(named) == 1:
            return next(iter(named.items()))
    return None
