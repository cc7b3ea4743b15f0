"""Answerability from evidence: the evidence row reads the learned stage's features of the hits,
the classifier is trained and thresholded on leave-one-document-out scores within the allowed
false refusals, and a model is data kept per embedder beside the ranker."""
from __future__ import annotations

import numpy as np
import pytest

from evals.answerability import Row, threshold_for, train_answerability
from evals.io import GoldQuestion
from retriever.answerability import (
    ANSWERABILITY_FILE, COLUMNS, READINGS, answerability_for, evidence, save_answerability,
)
from retriever.ranker import FEATURES


def test_the_threshold_refuses_most_within_the_allowed_false_refusals():
    answerable = np.concatenate([[0.2], np.linspace(0.6, 1.0, 99)])
    unanswerable = np.asarray([0.1, 0.25, 0.3, 0.35, 0.9])
    p = np.concatenate([answerable, unanswerable])
    y = np.asarray([1] * 100 + [0] * 5)
    # refusing the one answerable row at 0.2 catches three more unanswerable ones: worth its cost of 2
    t = threshold_for(p, y, 0.01, cost=2.0)
    assert (answerable < t).sum() == 1 and (unanswerable < t).sum() == 4
    # not worth it at a cost of 4, and never beyond the allowed share
    assert (answerable < threshold_for(p, y, 0.01, cost=4.0)).sum() == 0
    t0 = threshold_for(p, y, 0.0)
    assert (answerable < t0).sum() == 0 and (unanswerable < t0).sum() == 1


def _rows(rng: np.random.Generator, docs=("a", "b", "c"), per_doc=60) -> list[Row]:
    """Rows where the answerable ones have a high first rank score, the others a low one."""
    col = COLUMNS.index("rank_score")
    rows = []
    for doc in docs:
        for n in range(per_doc):
            answerable = n % 4 != 0
            x = rng.random(len(COLUMNS))
            x[COLUMNS.index("first_answers")] = x[COLUMNS.index("first_states_kind")] = 0
            x[col] = rng.normal(2.0 if answerable else -2.0, 0.5)
            rows.append(Row(GoldQuestion(f"{doc}{n}", "q", doc if answerable else "", "e", answerable=answerable),
                            doc, x, guard_refused=False))
    return rows


def test_trained_on_other_documents_and_kept_per_embedder(tmp_path):
    model, figures = train_answerability(_rows(np.random.default_rng(0)), "fake-bigram-64", ["x.jsonl"])
    by_doc = {f["doc"]: f for f in figures}
    assert set(by_doc) == {"a", "b", "c", "（全部）"}
    assert by_doc["（全部）"]["false_refusals"] <= 0.01 and by_doc["（全部）"]["recall"] >= 0.9
    save_answerability(tmp_path / ANSWERABILITY_FILE, model)
    loaded = answerability_for(tmp_path, "fake-bigram-64")
    assert loaded is not None and loaded.threshold == model.threshold
    row = np.zeros(len(COLUMNS))
    row[COLUMNS.index("rank_score")] = -2.0
    assert loaded.probability(row) < loaded.threshold and not loaded.answers(row)[0]
    row[COLUMNS.index("first_states_kind")] = 1   # the first clause states the asked kind: answered
    assert loaded.answers(row)[0]
    assert answerability_for(tmp_path, "another-model") is None   # made for one embedder only


@pytest.mark.slow
def test_evidence_reads_the_hits_of_a_search(real_retriever):
    hits = real_retriever.search("广西技术创新中心建设期几年？")
    assert hits[0].features and len(hits[0].features) == len(FEATURES) and hits[0].rank_score is not None
    row = evidence(hits, (1.0, 1.0, 1.0, 1.0))
    assert row is not None and row.shape == (len(COLUMNS),)
    assert list(row[-len(READINGS):]) == [1.0] * len(READINGS)
    assert row[COLUMNS.index("max_dense_similarity")] == max(h.dense_similarity or 0.0 for h in hits)
    before = real_retriever.ranker
    real_retriever.ranker = None   # the learned stage off: no evidence, nothing decided from it
    try:
        assert evidence(real_retriever.search("广西技术创新中心建设期几年？"), (0.0,) * len(READINGS)) is None
    finally:
        real_retriever.ranker = before
