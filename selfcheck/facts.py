"""The asker's own facts in a question ("我们营收8亿，拉了6家单位"), mapped to a programme's
input fields by the words its rules file says people use for them (said_as, said_yes, said_no,
an option's said_as). Deterministic and conservative: a figure no field's words claim is
reported as not understood, a field named twice or both yes and no is left unread — never
guessed. Requirement figures ("要达到10亿", "10亿以上") are the document's, not the asker's."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from corpus.figures import Figure, read_figures
from selfcheck.figures import convert, to_plain, unit_info
from selfcheck.model import FieldSpec, ProgramRules

_SEGMENT = re.compile(r"[^，,。；;！!？?\n]+")
_NEGATION = re.compile(r"[不没未非无](?:是|有|在)?$")
MAX_DISTANCE = 12  # characters between a field's word and its figure
PHRASE_GAP = 6     # characters a "…" in a said phrase stands for


@dataclass(frozen=True)
class ReadFacts:
    values: dict[str, Any]            # field → value in the field's own unit
    said: dict[str, str]              # field → the words it was read from
    unmapped: tuple[str, ...] = ()    # figures the asker stated that no field claims
    asked: tuple[str, ...] = ()       # number fields asked about ("最多能有几个是我们自己单位的")


def stated_figures(text: str, requirement_words: tuple[str, ...] = ()) -> list[Figure]:
    """The quantities `text` states (corpus.figures reads them), without what is not the asker's
    own: a requirement word beside it ("要达到10亿", "10亿以上"), a period or an order (近三年,
    第二), a lone 一 ("一家企业" is an article), a range, a date or a year."""
    out = []
    for f in read_figures(text):
        before = text[max(0, f.start - 4):f.start]
        after = re.sub(r"^(?:的|这个|那个|这条)", "", text[f.end:f.end + 6])
        if f.value is None or f.family in ("date", "year") or f.upper is not None:
            continue
        if before[-1:] in ("第", "近", "前", "去") or (f.value == 1 and f.text.startswith("一")):
            continue
        if any(before.endswith(w) or after.startswith(w) for w in requirement_words):
            continue
        out.append(f)
    return out


_FAMILY_OF_DIMENSION = {"time": "duration"}


def _family(spec: FieldSpec) -> str:
    """The figure family that fills a field: money, ratio, duration or count."""
    dimension = unit_info(spec.unit)[0].split(":")[0] if spec.unit else ""
    return _FAMILY_OF_DIMENSION.get(dimension, dimension)


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
    for fig in stated_figures(text, requirement_words):
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


def _phrase(words: str) -> str:
    """A said phrase as a pattern: "…" stands for a few other characters ("我们是…企业" says
    我们是湖南的企业), in one phrase."""
    return f"[^，,。；;？?！!]{{0,{PHRASE_GAP}}}".join(map(re.escape, words.split("…")))


def _stated(text: str, spec: FieldSpec, used: list[tuple[int, int]]) -> tuple[Any, str] | None:
    """A yes/no or an option stated in so many words; None when unsaid or said both ways. A
    yes phrase right after a negation ("没在广西注册", "不是独立法人") says no."""
    def found(phrases):
        return [(m.start(), p) for p in phrases for m in re.finditer(_phrase(p), text)
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
