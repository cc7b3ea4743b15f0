"""Clause-level retrieval metrics: a hit is a clause of the gold document that contains
the gold evidence (whitespace-insensitive, since ingest removes Word's stray spaces). A
question with several gold clauses (a comparison of regions) is hit by any of them at
hit@k; complete@5 asks for all of them in the top 5."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Protocol, Sequence

from evals.io import GoldQuestion
from ingest.model import Clause

_WS = re.compile(r"\s+")


class Passage(Protocol):
    """What a hit is judged on: a clause, or a chunk of the naive baseline."""

    doc_id: str
    text: str


def holds_evidence(clause: Passage, gold: GoldQuestion) -> bool:
    """The clause is one of the question's gold clauses."""
    return any(contains_evidence(clause.doc_id, clause.text, doc, evidence) for doc, evidence in gold.evidences)


def contains_evidence(doc_id: str, text: str, doc: str, evidence: str) -> bool:
    return (not doc or doc_id == doc) and _WS.sub("", evidence) in _WS.sub("", text)


def all_found(clauses: Sequence[Passage], gold: GoldQuestion) -> bool:
    """Every gold clause is among `clauses` (a comparison needs each region's)."""
    return all(any(contains_evidence(c.doc_id, c.text, doc, ev) for c in clauses) for doc, ev in gold.evidences)


def first_hit_rank(clauses: Sequence[Passage], gold: GoldQuestion) -> int | None:
    """1-based rank of the first gold clause, None if absent."""
    for rank, clause in enumerate(clauses, 1):
        if holds_evidence(clause, gold):
            return rank
    return None


def hit_at(ranks: Sequence[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks) if ranks else 0.0


def mean_reciprocal_rank(ranks: Sequence[int | None]) -> float:
    return sum(1.0 / r for r in ranks if r) / len(ranks) if ranks else 0.0


@dataclass(frozen=True)
class RetrievalResult:
    gold: GoldQuestion
    rank: int | None
    retrieved: tuple[Clause, ...]
    seconds: float


def run_retrieval(search: Callable[[str], Sequence[Clause]], gold: Sequence[GoldQuestion]) -> list[RetrievalResult]:
    """Ask every answerable gold question; keep what came back and where the gold clause was."""
    out = []
    for g in gold:
        if not g.answerable:
            continue
        start = time.perf_counter()
        clauses = tuple(search(g.q))
        out.append(RetrievalResult(g, first_hit_rank(clauses, g), clauses, time.perf_counter() - start))
    return out


def summarize(results: Sequence[RetrievalResult]) -> dict[str, float]:
    ranks = [r.rank for r in results]
    return {"n": len(ranks), "hit@1": hit_at(ranks, 1), "hit@3": hit_at(ranks, 3),
            "hit@5": hit_at(ranks, 5), "mrr": mean_reciprocal_rank(ranks)}

