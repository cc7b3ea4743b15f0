"""One percentile for every latency the evaluation reports (report, bench, load test)."""
from __future__ import annotations

from typing import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank q-quantile (0 ≤ q ≤ 1) of `values`; 0.0 for none."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0
