import pytest

from retriever.answer_type import expected_answer_types, states_answer_type
from retriever.fusion import reciprocal_rank_fusion
from retriever.scope import detect_scope


def test_rrf_rewards_agreement_between_signals():
    fused = reciprocal_rank_fusion({"bm25": ["a", "b", "c"], "dense": ["b", "a", "d"]}, k=60)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["a"] == pytest.approx(fused["b"]) and fused["a"] > fused["c"]
    assert sorted(fused, key=lambda x: -fused[x])[:2] == ["a", "b"]
    assert fused["c"] == pytest.approx(fused["d"])


def test_rrf_weights_and_k():
    fused = reciprocal_rank_fusion({"x": ["a"], "y": ["b"]}, k=10, weights={"x": 2.0})
    assert fused == {"a": pytest.approx(2 / 11), "b": pytest.approx(1 / 11)}


@pytest.mark.parametrize("question,regions", [
    ("广西创新联合体牵头企业营收要多少？", ("广西",)),
    ("桂的示范区一年建几个？", ("广西",)),
    ("内蒙的技术创新中心年报什么时候交？", ("内蒙古",)),
    ("蒙技创中心主任要干满几个月？", ("内蒙古",)),
    ("湘技术创新中心注册资金多少？", ("湖南",)),
    ("自治区技术创新中心建设期几年？", ()),  # 广西 and 内蒙古 are both 自治区
    ("那湖南和广西比呢？", ("广西", "湖南")),
])
def test_regions_named_in_question(question, regions):
    assert detect_scope(question).regions == regions


def test_document_types_and_regions_outside_the_corpus():
    scope = detect_scope("广东的创新联合体要几家单位？")
    assert scope.doc_types == ("创新联合体",) and scope.regions == () and scope.other_regions == ("广东",)
    assert detect_scope("示范区指标体系").doc_types == ("成果转化示范区",)
    assert detect_scope("技创中心怎么申请").doc_types == ("技术创新中心",)


@pytest.mark.parametrize("question,types", [
    ("牵头企业营收要多少？", ("money",)),
    ("最少要几家单位？", ("count",)),
    ("区内注册比例要多少？", ("ratio",)),
    ("年报多久交一次？什么时候截止？", ("time",)),
    ("创新联合体是什么？", ("definition",)),
    ("不参加评估会怎么样？", ("consequence",)),
    ("创新联合体有哪些组建原则", ()),
])
def test_expected_answer_types(question, types):
    assert expected_answer_types(question) == types


def test_clause_states_answer_type():
    assert states_answer_type("年主营业务收入原则上应达到10亿元以上", ("money",))
    assert states_answer_type("原则上不少于8个组成单位", ("count",))
    assert states_answer_type("工作时间不少于9个月", ("time",))
    assert states_answer_type("不超过总人数三分之一", ("ratio",))
    assert not states_answer_type("具备较强的行业影响力", ("money", "count"))
