import pytest

from ingest.model import Clause
from retriever.answer_type import (
    answer_types_stated,
    asking_text,
    expected_answer_types,
    states_answer_type,
)
from retriever.fusion import reciprocal_rank_fusion
from retriever.hybrid import _asked_of, fused_order, items_before_lead_ins
from tests.retriever.test_scope import SHIPPED
from retriever.structure import is_bare_lead_in, is_item_of


def test_rrf_rewards_agreement_between_signals():
    fused = reciprocal_rank_fusion({"bm25": ["a", "b", "c"], "dense": ["b", "a", "d"]}, k=60)
    assert fused["a"] == pytest.approx(1 / 61 + 1 / 62)
    assert fused["a"] == pytest.approx(fused["b"]) and fused["a"] > fused["c"]
    assert sorted(fused, key=lambda x: -fused[x])[:2] == ["a", "b"]
    assert fused["c"] == pytest.approx(fused["d"])


def test_rrf_weights_and_k():
    fused = reciprocal_rank_fusion({"x": ["a"], "y": ["b"]}, k=10, weights={"x": 2.0})
    assert fused == {"a": pytest.approx(2 / 11), "b": pytest.approx(1 / 11)}


@pytest.mark.parametrize("question,types", [
    ("牵头企业营收要多少？", ("money",)),
    ("最少要几家单位？", ("count",)),
    ("区内注册比例要多少？", ("ratio",)),
    ("年报多久交一次？什么时候截止？", ("time", "deadline")),
    ("湖南和广西的技术创新中心年度报告截止时间有什么不同？", ("deadline",)),
    ("想换几个专家委员会成员，需要跟科技厅打招呼吗？", ("approval",)),  # 几个 = "a few" here
    ("一家龙头企业能不能同时牵头两个创新联合体？", ("limit",)),
    ("示范区指标体系里技术转移这块考核哪些指标？", ("indicator",)),
    ("广西技术创新中心主要在哪些产业领域布局？", ("enumeration",)),
    ("几家共建单位之间的知识产权怎么分？", ()),
    ("创新联合体是什么？", ("definition",)),
    ("不参加评估会怎么样？", ("consequence",)),
    ("创新联合体有哪些组建原则", ()),
    ("广西创新联合体管理办法啥时候开始施行？", ("time", "effective")),  # 啥时候 = 什么时候
    ("湖南这轮建设目标是定到哪一年完成的？", ("deadline",)),
    ("建设期满以后搞绩效评估，主要看哪些方面？", ()),  # 期满 says when; it asks nothing of it
])
def test_expected_answer_types(question, types):
    assert expected_answer_types(question) == types


def test_clause_states_answer_type():
    assert states_answer_type("年主营业务收入原则上应达到10亿元以上", ("money",))
    assert states_answer_type("原则上不少于8个组成单位", ("count",))
    assert states_answer_type("工作时间不少于9个月", ("time",))
    assert states_answer_type("不超过总人数三分之一", ("ratio",))
    assert not states_answer_type("具备较强的行业影响力", ("money", "count"))


def test_when_a_document_takes_effect():
    assert states_answer_type("本办法自发布之日起实施。", ("effective",))
    assert not states_answer_type("建设期为三年", ("effective",))
    assert states_answer_type("到2025年，围绕我省战略性新兴产业……布局建设若干省技术创新中心", ("deadline",))


def test_deadline_is_a_date_and_time_a_span():
    assert states_answer_type("每年12月底须向牵头单位和自治区科技厅提交年度工作总结报告", ("deadline",))
    assert states_answer_type("应当在每年12月31日前向推荐单位和自治区科技厅报送", ("deadline",))
    assert not states_answer_type("对于评价结果不合格的给予一年整改期", ("deadline",))
    assert states_answer_type("对于评价结果不合格的给予一年整改期", ("time",))
    assert not states_answer_type("每年1月底前编写上年度工作总结", ("time",))


def test_answer_types_count_what_a_clause_answers_and_skip_quoted_names():
    text = "中心主任每年在技术创新中心工作时间不少于9个月。主任聘用须报归口管理部门和自治区科技厅备案。"
    assert answer_types_stated(text, ("time", "approval")) == 2
    assert answer_types_stated("备案。更换中心主任等，须报送推荐部门、科技厅备案；", ("time", "approval")) == 1
    # "评估等次为“撤销”的" names a grade; it is not a consequence.
    assert answer_types_stated("不按期参加（含中途退出）评估或评估等次为“撤销”的；", ("consequence",)) == 0
    assert answer_types_stated("无正当理由不参加评估或中途退出评估的，视为自动放弃创新联合体资格。", ("consequence",)) == 1


def test_indefinite_ji_beside_another_question_word():
    assert asking_text("几家共建单位之间的知识产权怎么分？") == "某家共建单位之间的知识产权怎么分？"
    assert asking_text("成员里至少要有几所高校？") == "成员里至少要有几所高校？"
    assert asking_text("还能申专项吗？能申几次？") == "还能申专项吗？能申几次？"


def test_each_region_of_a_comparison_is_asked_alone():
    named = ("内蒙古", "湖南")
    q = "内蒙古和湖南的技术创新中心，对中心负责人是不是全职有啥不同要求？"
    names = SHIPPED.region_names()
    assert _asked_of(q, "湖南", named, names) == "湖南的技术创新中心，对中心负责人是不是全职有啥不同要求？"
    assert _asked_of(q, "内蒙古", named, names) == "内蒙古的技术创新中心，对中心负责人是不是全职有啥不同要求？"
    assert _asked_of("湖南呢？", "湖南", ("湖南",), names) == "湖南呢？"


def _clause(path, text, heading=""):
    return Clause(id=path, doc_id="d", doc_title="t", short_title="t", region="广西", doc_type="x",
                  path=path, text=text, heading=heading)


def test_bare_lead_ins_and_their_items():
    bare = _clause("第十四条", "创新联合体有下列情况之一的，取消创新联合体资格，存在违规情况的，按照相关规定处理：", "责任义务")
    own = _clause("三、（五）", "创建程序\n技术创新中心申报长年受理，坚持“成熟一个，建设一个”的原则，开展创建工作。一般应符合以下程序：",
                  "创建程序")
    assert is_bare_lead_in(bare) and not is_bare_lead_in(own)
    assert not is_bare_lead_in(_clause("第五条（二）1", "年主营业务收入原则上应达到10亿元以上。"))
    assert is_item_of(_clause("第十四条（四）", "在科研诚信系统中有失信行为记录且仍在惩戒期内的；"), bare)
    assert not is_item_of(bare, bare)


def test_an_exact_tie_goes_to_the_question_s_own_wording_then_document_order():
    position = {"parent": 0, "child": 1, "other": 2}
    fused = reciprocal_rank_fusion({"bm25": ["child", "parent", "other"], "dense": ["parent", "child", "other"]}, k=20)
    assert fused["parent"] == pytest.approx(fused["child"])
    assert fused_order(fused, ["child", "parent", "other"], position.get) == ["child", "parent", "other"]
    assert fused_order({"parent": 0.5, "child": 0.5}, [], position.get) == ["parent", "child"]


def test_a_lead_in_with_only_weak_items_gives_its_place_to_the_next_clause():
    lead = _clause("第十四条", "创新联合体有下列情况之一的，取消创新联合体资格：")
    item = _clause("第十四条（一）", "发生重大变更后不具备创新联合体基本条件的；")
    other = _clause("第十六条", "本办法自发布之日起实施。")
    clauses = {c.id: c for c in (lead, item, other)}
    order = ["第十四条", "第十六条", "第十四条（一）"]
    strong = {"第十四条": 0.08, "第十六条": 0.078, "第十四条（一）": 0.07}
    assert items_before_lead_ins(order, strong, clauses.get) == ["第十四条（一）", "第十四条", "第十六条"]
    weak = {**strong, "第十四条（一）": 0.045}  # barely a candidate: the lead-in answers nothing here
    assert items_before_lead_ins(order, weak, clauses.get) == ["第十六条", "第十四条", "第十四条（一）"]
    assert items_before_lead_ins(["第十六条", "第十四条"], strong, clauses.get) == ["第十六条", "第十四条"]


def test_region_words_are_told_apart_from_topic_words():
    words = SHIPPED.region_words()

    def names_region(token):
        return any(token in w for w in words)
    assert all(names_region(t) for t in ("内蒙古", "广西壮族自治区", "自治区", "湖南", "省"))
    assert not any(names_region(t) for t in ("自治区级", "中心主任", "技术创新中心", "省级"))


def test_top_indices_without_a_full_sort():
    import numpy as np
    from retriever.hybrid import top_indices

    scores = np.array([0.1, 0.9, 0.5, 0.9, 0.0, 0.7])
    assert top_indices(scores, 3).tolist() == [1, 3, 5]  # ties in index order
    assert top_indices(scores, 10).tolist() == [1, 3, 5, 2, 0, 4]


def test_a_scoped_dense_search_equals_chroma_s_filtered_query(tmp_path, fake_embedder, monkeypatch):
    """Scoped searches take the unfiltered nearest clauses and keep the allowed ones (Chroma's
    filter is slow at 100k clauses); the result must be the filtered query's, on real Chroma."""
    import retriever.hybrid as hybrid
    from ingest.library import builtin_sources
    from ingest.pipeline import ingest

    ingest(builtin_sources(), tmp_path, fake_embedder, progress=False)
    r = hybrid.Retriever.open(tmp_path, embedder=fake_embedder)
    calls = []
    nearest = r._nearest
    r._nearest = lambda vector, n, where=None: calls.append((n, where)) or nearest(vector, n, where)
    question = "技术创新中心的中心主任每年工作时间有什么要求？"
    for allowed in ({"gx-tic", "hn-tic", "nm-tic"}, {"gx-consortium"}):
        calls.clear()
        ids, similarity = r._dense_ranking(question, allowed)
        assert all(where is None for _, where in calls)  # never Chroma's filter here
        expected, _ = nearest(fake_embedder.embed_query(question), len(ids), {"doc_id": {"$in": sorted(allowed)}})
        assert ids == expected and len(ids) == hybrid.CANDIDATES
        assert all(r.corpus.at(c).doc_id in allowed for c in ids) and set(similarity) == set(ids)
    monkeypatch.setattr(hybrid, "OVERFETCH_MAX", 10)  # a scope too small to fetch around: Chroma filters
    calls.clear()
    r._dense_ranking(question, {"gx-consortium"})
    assert calls[-1][1] == {"doc_id": {"$in": ["gx-consortium"]}}
