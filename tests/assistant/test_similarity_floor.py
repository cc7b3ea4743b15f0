"""The similarity floor says "现有政策文件未涉及这个问题" of questions about nothing the library
says. A question the embedder puts far from every clause is still about the best clause when that
clause says its topic words (blind set M: three questions on 山东省人才发展促进条例 and 浙江省科学技术
进步条例 were refused although the clause that answers was retrieved first); nouns the library never
says ("老友粉") weigh against a single common word it shares ("推荐")."""
from __future__ import annotations

import math

import pytest

from assistant import guard

SHARES = {"直接费用": 0.002, "总预算": 0.002, "内部": 0.02, "推荐": 0.03}


def rarity(word: str) -> float:
    return -math.log(SHARES.get(word, 0.001))


def test_a_clause_saying_most_of_the_rarity_of_the_topic_speaks_of_it():
    question = "项目总预算不变，直接费用内部能自己调吗？"
    text = "科研项目承担单位在总预算不变的情况下可以根据科研活动实际需要，自主调整直接费用。"
    assert guard.speaks_of(text, question, ["直接费用", "总预算", "内部"], [], rarity)
    assert not guard.speaks_of("科研项目应当合理确定间接费用。", question, ["直接费用", "总预算", "内部"], [], rarity)


def test_nouns_the_library_never_says_weigh_against_a_common_shared_word():
    question = "你能推荐几家南宁好吃的老友粉吗？"
    text = "允许牵头企业自主遴选推荐符合申报条件的优秀青年人才，每次推荐1名。"
    assert guard.speaks_of(text, question, ["推荐"], [], rarity)
    assert not guard.speaks_of(text, question, ["推荐"], ["南宁", "老友"], rarity)


def test_words_added_for_the_question_are_not_its_own():
    # the documents' wording for a colloquial word (营收 → 主营业务收入) is not what was asked
    assert not guard.speaks_of("年主营业务收入原则上应达到10亿元以上", "营收要多少？", ["主营业务收入"], [], rarity)


@pytest.mark.slow
@pytest.mark.parametrize("question,doc,path,fact", [
    ("项目总预算不变，直接费用内部能自己调吗？", "sd-rcfz", "第四十五条", "自主调整直接费用"),
    ("项目管理机构立项之前要做什么查重？", "zj-kjjb", "第四十九条", "防止重复立项"),
    # "不单设比例限制" answers "有没有比例上限" as much as a figure would
    ("财政资金的科研项目，劳务费有没有比例上限？", "sd-rcfz", "第四十五条", "不单设比例限制"),
])
def test_a_question_its_first_clause_speaks_of_is_not_out_of_scope(with_set_m, question, doc, path, fact):
    answer = with_set_m.answer(question)
    assert not answer.refused, answer.text
    first = answer.citations[0].clause
    assert (first.doc_id, first.path) == (doc, path) and fact in answer.text


@pytest.mark.slow
@pytest.mark.parametrize("question", ["你能推荐几家南宁好吃的老友粉吗？", "员工试用期最长可以约定多长时间？"])
def test_a_question_about_nothing_the_library_says_stays_out_of_scope(real_retriever, question):
    from assistant import Assistant

    answer = Assistant(real_retriever).answer(question)
    assert answer.refused and answer.refusal == "out_of_scope", answer.text


def test_the_nouns_of_a_question_are_what_it_is_about_not_how_it_asks():
    from ingest.tokenize import jieba_nouns

    nouns = jieba_nouns()("你能推荐几家南宁好吃的老友粉吗？首席科学家在项目上说话算数吗")
    assert {"南宁", "老友", "首席科学家"} <= set(nouns)
    assert not {"推荐", "好吃", "说话算数", "几家"} & set(nouns)
