"""Answer-level metrics: the facts are in the answer, the citations hold the evidence,
and unanswerable questions are refused."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Sequence

from assistant.types import Answer
from evals.io import GoldQuestion
from evals.retrieval import holds_evidence

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class AnswerResult:
    gold: GoldQuestion
    answer: Answer
    seconds: float

    @property
    def facts_present(self) -> bool:
        text = _WS.sub("", self.answer.text)
        return all(_WS.sub("", f) in text for f in self.gold.facts)

    @property
    def cited_correct(self) -> int:
        return sum(1 for c in self.answer.citations if holds_evidence(c.clause, self.gold))


def run_answers(ask: Callable[[str], Answer], gold: Sequence[GoldQuestion]) -> list[AnswerResult]:
    out = []
    for g in gold:
        start = time.perf_counter()
        answer = ask(g.q)
        out.append(AnswerResult(g, answer, time.perf_counter() - start))
    return out


def summarize_answers(results: Sequence[AnswerResult]) -> dict[str, float]:
    answerable = [r for r in results if r.gold.answerable]
    unanswerable = [r for r in results if not r.gold.answerable]
    answered = [r for r in answerable if not r.answer.refused]
    cited = sum(len(r.answer.citations) for r in answered)
    refused = [r for r in results if r.answer.refused]
    return {
        "answerable": len(answerable),
        "fact_accuracy": sum(r.facts_present for r in answerable) / len(answerable) if answerable else 0.0,
        "gold_clause_cited": sum(r.cited_correct > 0 for r in answerable) / len(answerable) if answerable else 0.0,
        "citation_precision": sum(r.cited_correct for r in answered) / cited if cited else 0.0,
        "unanswerable": len(unanswerable),
        "refusal_recall": sum(r.answer.refused for r in unanswerable) / len(unanswerable) if unanswerable else 0.0,
        "refusal_precision": sum(not r.gold.answerable for r in refused) / len(refused) if refused else 0.0,
    }
