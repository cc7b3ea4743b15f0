"""Rank fusion: combine rankings from signals whose scores are not comparable."""
from __future__ import annotations

from typing import Hashable, Mapping, Sequence


def reciprocal_rank_fusion(
    rankings: Mapping[str, Sequence[Hashable]],
    k: int = 60,
    weights: Mapping[str, float] | None = None,
) -> dict[Hashable, float]:
    """Cormack et al. (2009): score(d) = Σ_signal w_s / (k + rank_s(d)), ranks from 1.

    Only ranks matter, so BM25 scores and cosine similarities never need calibrating
    against each other; k damps the influence of the very top ranks.
    """
    fused: dict[Hashable, float] = {}
    for signal, ranking in rankings.items():
        w = 1.0 if weights is None else weights.get(signal, 1.0)
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + w / (k + rank)
    return fused
