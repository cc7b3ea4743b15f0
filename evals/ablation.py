"""What each named stage of the retriever is worth: the gold set's retrieval figures with all
stages on, then with each one switched off in turn (retriever.hybrid.STAGES)."""
from __future__ import annotations

from typing import Sequence

from evals.io import GoldQuestion
from evals.retrieval import all_found, first_hit_rank, hit_at, mean_reciprocal_rank
from retriever import Retriever
from retriever.hybrid import STAGES


def retrieval_figures(retriever: Retriever, gold: Sequence[GoldQuestion], k: int = 5) -> dict[str, float]:
    """hit@1, hit@5 and MRR of the first gold clause, answerable standalone questions only
    (a follow-up's retrieval depends on the conversation, measured by the full eval)."""
    asked = [g for g in gold if g.answerable and not g.history]
    found = [[h.clause for h in retriever.search(g.q, k=k)] for g in asked]
    ranks = [first_hit_rank(clauses, g) for clauses, g in zip(found, asked)]
    complete = sum(all_found(clauses, g) for clauses, g in zip(found, asked)) / len(asked) if asked else 0.0
    return {"n": len(ranks), "hit@1": hit_at(ranks, 1), "hit@5": hit_at(ranks, 5), "mrr": mean_reciprocal_rank(ranks),
            "complete@5": complete}


def ablate(retriever: Retriever, gold: Sequence[GoldQuestion], stages: Sequence[str] = tuple(STAGES)) -> list[dict]:
    """Rows: all stages on, then one per stage switched off, with the change in hit@1."""
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        raise ValueError(f"未知的检索步骤“{unknown[0]}”，可选：{'、'.join(STAGES)}")
    before = retriever.disabled
    try:
        retriever.disabled = frozenset()
        full = retrieval_figures(retriever, gold)
        rows = [{"stage": "（全部开启）", "what": "", **full, "delta_hit@1": 0.0}]
        for stage in stages:
            retriever.disabled = frozenset({stage})
            figures = retrieval_figures(retriever, gold)
            rows.append({"stage": stage, "what": STAGES[stage], **figures,
                         "delta_hit@1": figures["hit@1"] - full["hit@1"]})
        return rows
    finally:
        retriever.disabled = before
