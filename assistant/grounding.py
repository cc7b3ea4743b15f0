"""Checking generated text against the clauses it cites, before anyone sees it."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.figures import unsupported_figures
from corpus.sentences import split_sentences
from ingest.tokenize import cjk_bigrams
from ingest.model import Clause

_MARKER = re.compile(r"\[(\d+)\]")


@dataclass(frozen=True)
class GroundingReport:
    ok: bool
    problems: tuple[str, ...] = ()
    cited: tuple[int, ...] = ()


# A sentence citing clauses must be about what they say: at least this share of its Chinese
# character pairs occur in them (a clause's text never makes the model say something else —
# "请先访问…缴纳服务费" in a retrieved clause cannot become an instruction in the answer).
MIN_OVERLAP = 0.3


def overlap(sentence: str, sources: Sequence[str]) -> float:
    """The share of the sentence's character pairs found in the sources (1.0 when it has none)."""
    pairs = cjk_bigrams(sentence)
    text = "\n".join(sources)
    return sum(p in text for p in pairs) / len(pairs) if pairs else 1.0


def check_grounding(answer: str, clauses: Sequence[Clause]) -> GroundingReport:
    """Every marker points to a retrieved clause; every sentence that cites clauses overlaps
    them in wording; every figure appears in a clause its sentence cites (10亿元 = 100000万元,
    三年 = 3年)."""
    problems: list[str] = []
    markers = [int(m) for m in _MARKER.findall(answer)]
    if not markers:
        problems.append("回答没有标注任何条款出处")
    bad = sorted({m for m in markers if not 1 <= m <= len(clauses)})
    if bad:
        problems.append(f"引用了不存在的条款编号：{bad}")
    valid = [m for m in dict.fromkeys(markers) if 1 <= m <= len(clauses)]
    for sentence in split_sentences(answer, keep_markers=True):
        own = [int(m) for m in _MARKER.findall(sentence) if 1 <= int(m) <= len(clauses)]
        sources = [clauses[m - 1].text for m in (own or valid)]
        plain = _MARKER.sub("", sentence)
        if own and overlap(plain, sources) < MIN_OVERLAP:
            problems.append(f"“{plain[:20]}”与所引条款的内容对不上")
        for fig in unsupported_figures(_MARKER.sub("", sentence), sources):
            problems.append(f"数字“{fig.text}”在所引条款中找不到")
    return GroundingReport(not problems, tuple(problems), tuple(valid))
