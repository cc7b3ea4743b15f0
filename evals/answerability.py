"""Training the answerability classifier (retriever/answerability.py) and measuring it honestly.

Every question of the gold sets in evals/ (and the officials' reviewed sets in the logbook) that
reaches the evidence step — not refused for its scope, not an applied question judged by the
rules engine — becomes one row: the evidence of what the assistant retrieved for it (asked in its
conversation, as the eval asks it), labelled answerable or not. Answerable rows need their gold
documents in the index; unanswerable ones are always kept.

The ranker's own score is part of the evidence, so a question's row is collected with the ranker
trained without its document (the leave-one-document-out models of evals/ranker.py): the
classifier learns from scores like those an unseen question gets, not from the ranker's memory.

The classifier decides what the hand guard lets through (assistant/chain.py _weigh), so it is
trained on those rows. Figures: leave-one-document-out cross-validation — for each document X,
the classifier trained without X's rows decides X's rows (an unanswerable question belongs to
the document of its first retrieved clause). Its scores are calibrated by Platt scaling on those
out-of-fold scores, and the threshold is the one that refuses most unanswerable rows while
refusing at most MAX_FALSE_REFUSALS of the answerable ones out of fold — counting the guard's own
refusals, as the assistant decides. Reported per document beside the hand guard alone."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Mapping, Sequence

import numpy as np

from evals.io import GoldQuestion, read_gold_set
from evals.runner import ask_gold
from retriever.answerability import COLUMNS, Answerability, calibrated, stated
from retriever.ranker import Ranker

# The share of answerable questions the threshold may refuse out of fold (the guard's own false
# refusals count: the decision measured is the assistant's, guard and classifier together).
MAX_FALSE_REFUSALS = 0.01
# Within that budget a wrong refusal weighs as much as two questions left unrefused: on the shipped
# sets the last step to 1% refused 2 more answerable questions out of fold to catch 1 more
# unanswerable one ("建设期一般多长", "能拿多少经费？国家级的呢？" among those refused).
FALSE_REFUSAL_COST = 2.0


@dataclass(frozen=True)
class Row:
    """One question's evidence, whether it is answerable, and what the hand guard decided."""

    gold: GoldQuestion
    doc: str
    evidence: np.ndarray
    guard_refused: bool


def weighing_questions(files: Sequence[Path], documents: dict, extra: Sequence[tuple[str, bytes]] = ()) -> list[GoldQuestion]:
    """Every question of the files (and of named JSONL sets): answerable ones whose gold clauses
    are documents of the index, and every unanswerable one; ids made unique by their set."""
    found: list[GoldQuestion] = []
    sources = [(p.name, p.read_bytes(), p) for p in files] + [(name, data, Path(f"{name}.jsonl")) for name, data in extra]
    for name, data, path in sources:
        for g in read_gold_set(path, data, documents=documents).questions:
            if not g.answerable or (g.evidences and all(doc in documents for doc, _ in g.evidences)):
                found.append(replace(g, id=f"{name}:{g.id}"))
    return found


def collect_rows(assistant, questions: Sequence[GoldQuestion], rankers: Mapping[str, Ranker], full: Ranker | None,
                 on_progress: Callable[[int, int], None] | None = None) -> list[Row]:
    """Each question asked with the classifier off (so the hand guard decides: the figure without
    the stage) and, when answerable, with the ranker that did not see its document."""
    retriever = assistant.retriever
    before = (retriever.answerability, retriever.ranker)
    retriever.answerability = None
    rows = []
    try:
        for i, g in enumerate(questions, 1):
            doc = g.evidences[0][0] if g.answerable and g.evidences else ""
            retriever.ranker = rankers.get(doc, full)
            answer, _ = ask_gold(assistant, g, "extractive")
            if answer.weighed and answer.evidence:
                rows.append(Row(g, doc or answer.hits[0].clause.doc_id, np.asarray(answer.evidence), answer.refused))
            if on_progress:
                on_progress(i, len(questions))
    finally:
        retriever.answerability, retriever.ranker = before
    return rows


# Small trees, many rounds at a low rate: chosen among four settings by the leave-one-document-out
# recall at 1% false refusals on the shipped sets (a standardised logistic regression reached
# 0.60–0.65, below the hand guard's 0.67; these trees 0.73–0.74).
PARAMS = {"objective": "binary", "learning_rate": 0.05, "num_leaves": 4, "min_data_in_leaf": 20,
          "feature_fraction": 0.8, "num_threads": 1, "deterministic": True, "seed": 0, "verbose": -1}
ROUNDS = 100


def _fit(x: np.ndarray, y: np.ndarray):
    import lightgbm

    data = lightgbm.Dataset(x, y, feature_name=list(COLUMNS), params={"verbose": -1})
    return lightgbm.train(PARAMS, data, num_boost_round=ROUNDS)


def _score(booster, x: np.ndarray) -> np.ndarray:
    return booster.predict(x, raw_score=True, num_threads=1)


def _platt(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Calibration of the scores: a one-feature logistic regression, hardly regularised."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=1e6, max_iter=5000).fit(scores.reshape(-1, 1), y)
    return float(model.coef_[0][0]), float(model.intercept_[0])


def threshold_for(p: np.ndarray, y: np.ndarray, max_false: float = MAX_FALSE_REFUSALS,
                  cost: float = FALSE_REFUSAL_COST) -> float:
    """Among the thresholds that refuse at most `max_false` of the answerable rows (p < threshold:
    refused), the one that refuses most unanswerable rows, each answerable one refused counting
    as `cost` of them; of equals, the lowest."""
    best, best_t = -np.inf, 0.0
    answerable, unanswerable = p[y == 1], p[y == 0]
    for t in np.unique(np.concatenate([p, [np.inf]])):
        false = int((answerable < t).sum())
        if len(answerable) and false / len(answerable) > max_false:
            break
        gain = int((unanswerable < t).sum()) - cost * false
        if gain > best:
            best, best_t = gain, float(t)
    return best_t


def cross_validate(rows: Sequence[Row], on_progress: Callable[[int, int], None] | None = None):
    """Out-of-fold scores by leaving each document out; (scores, labels, documents)."""
    x = np.vstack([r.evidence for r in rows])
    y = np.asarray([int(r.gold.answerable) for r in rows])
    docs = np.asarray([r.doc for r in rows])
    decided = _decided(rows)
    scores = np.zeros(len(rows))
    names = sorted(set(docs))
    for i, doc in enumerate(names, 1):
        held = docs == doc
        train = ~held & decided
        if len(set(y[train])) < 2:
            scores[held] = 0.0
        else:
            scores[held] = _score(_fit(x[train], y[train]), x[held])
        if on_progress:
            on_progress(i, len(names))
    return scores, y, docs


def _decided(rows: Sequence[Row]) -> np.ndarray:
    """The rows the classifier decides: those the hand guard lets through."""
    return np.asarray([not r.guard_refused for r in rows])


def per_document(rows: Sequence[Row], p: np.ndarray, threshold: float) -> list[dict]:
    """Per document and in all: answerable and unanswerable rows, false refusals and unanswerable
    recall out of fold, and the hand guard's on the same rows."""
    y = np.asarray([int(r.gold.answerable) for r in rows])
    docs = np.asarray([r.doc for r in rows])
    guard = np.asarray([r.guard_refused for r in rows])
    refused = p < threshold
    out = []
    for doc in [*sorted(set(docs)), None]:
        sel = np.ones(len(rows), bool) if doc is None else docs == doc
        a, u = sel & (y == 1), sel & (y == 0)
        out.append({"doc": str(doc or "（全部）"), "answerable": int(a.sum()), "unanswerable": int(u.sum()),
                    "false_refusals": float(refused[a].mean()) if a.any() else 0.0,
                    "recall": float(refused[u].mean()) if u.any() else None,
                    "guard_false_refusals": float(guard[a].mean()) if a.any() else 0.0,
                    "guard_recall": float(guard[u].mean()) if u.any() else None})
    return out


def train_answerability(rows: Sequence[Row], embedder: str, sets: Sequence[str],
                        on_progress: Callable[[int, int], None] | None = None) -> tuple[Answerability, list[dict]]:
    """The classifier on every row, calibrated and thresholded on the out-of-fold scores, with
    its per-document figures."""
    if len({r.gold.answerable for r in rows}) < 2:
        raise ValueError("训练可答性判断需要可回答与不可回答的题目各至少一道")
    scores, y, _ = cross_validate(rows, on_progress)
    decided = _decided(rows)
    a, b = _platt(scores[decided], y[decided])
    # the decision the assistant makes: the guard's refusals stand, a first clause stating the
    # asked kind answers (STATED), the classifier decides the rest
    p = np.asarray([0.0 if r.guard_refused else 1.0 if stated(r.evidence) else calibrated(s, a, b)
                    for r, s in zip(rows, scores)])
    threshold = threshold_for(p, y)
    figures = per_document(rows, p, threshold)
    booster = _fit(np.vstack([r.evidence for r in rows])[decided], y[decided])
    total = figures[-1]
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d")
    source = (f"{when} 在 {len(sets)} 个题集的 {len(rows)} 道题上训练（{embedder}；可回答 {total['answerable']}、"
              f"不可回答 {total['unanswerable']}）；逐文件留出交叉验证：误拒 {total['false_refusals']:.3f}，"
              f"不可回答题拒答召回 {total['recall']:.3f}（手写规则 {total['guard_false_refusals']:.3f} / "
              f"{total['guard_recall']:.3f}）")
    model = Answerability(embedder, booster.model_to_string(), (a, b), threshold, COLUMNS, source,
                          {"cv": figures, "sets": list(sets)})
    return model, figures
