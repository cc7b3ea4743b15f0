"""A regulation puts its penalties in articles of their own that name the duty they enforce only
by number ("违反本条例第十六条第二款规定的，……罚款"): a question about the consequence of breaking
a duty is answered by the article citing it. Unit tests on the clause tree, then the real model
and index with a real regulation nobody here wrote (blind set G's 重庆市专利促进与保护条例)."""
from __future__ import annotations

import pytest

from evals.io import GOLD_DIR
from ingest.model import Clause
from retriever.corpus import Corpus, cited_articles


def _clause(path: str, text: str, doc: str = "d", level: str = "article") -> Clause:
    return Clause(id=f"{doc}-{path}", doc_id=doc, doc_title="某条例", short_title="某条例", region="重庆",
                  doc_type="x", path=path, text=text, level=level)


@pytest.mark.parametrize("text, cited", [
    ("违反本条例第十六条第二款规定的，由市专利管理部门责令改正", {"十六"}),
    ("违反本条例第二十条第一款第二项的，处二千元以上二万元以下罚款", {"二十"}),
    ("违反本办法第五条、第六条规定的，予以通报", {"五", "六"}),
    ("依照《中华人民共和国专利法》第十六条处理", set()),     # another law's article, not this text's
])
def test_the_articles_a_clause_cites_in_its_own_text(text, cited):
    assert cited_articles(text) == cited


def test_the_clauses_citing_an_article_are_found_from_any_of_its_parts():
    duty = _clause("第十六条", "不得为侵权行为提供场所。")
    item = _clause("第十六条（一）", "提供仓储", level="l2")
    penalty = _clause("第二十八条", "违反本条例第十六条第二款规定的，处罚款。")
    other_doc = _clause("第二十八条", "违反本条例第十六条规定的，处罚款。", doc="e")
    corpus = Corpus([duty, item, penalty, other_doc])
    assert corpus.citing(duty) == (penalty,)
    assert corpus.citing(penalty) == ()


def test_the_articles_a_clause_cites_are_found_with_their_parts():
    duty = _clause("第十六条", "不得为侵权行为提供场所。")
    item = _clause("第十六条（一）", "提供仓储", level="l2")
    paragraph = _clause("第十六条第二款", "不得为侵权行为提供仓储。", level="paragraph")
    sixty = _clause("第一百六十条", "其他。")
    penalty = _clause("第二十八条", "违反本条例第十六条第二款规定的，处罚款。")
    corpus = Corpus([duty, item, paragraph, sixty, penalty])
    assert corpus.cited_by(penalty) == (duty, item, paragraph)
    assert corpus.cited_by(duty) == ()


def test_a_penalty_states_the_fine_asked_about_the_duty_it_cites():
    """"接到投诉不管，会被罚多少？": the article with the fine never says 投诉 — it cites the article
    that does, which it is about as much as its own headings."""
    from assistant import guard

    penalty = _clause("第四十七条", "违反本条例第三十四条规定，交易平台提供者未履行规定义务的，由专利行政部门责令改正，"
                                 "给予警告，可以并处五万元以上二十万元以下的罚款。")
    duty = "交易平台提供者接到投诉后，应当在三个工作日内告知被投诉人。"
    answers = guard.answers_figure_question("电商平台接到专利侵权投诉不管，会被罚多少？", ["投诉"],
                                            cited=lambda clause: duty)
    assert answers(penalty)
    assert not guard.answers_figure_question("电商平台接到专利侵权投诉不管，会被罚多少？", ["投诉"])(penalty)


@pytest.fixture(scope="module")
def chongqing(index_with):
    from retriever import Retriever

    return Retriever.open(index_with((GOLD_DIR.parent / "blind" / "set_g" / "documents" / "cq-zl.txt", "cq-zl")))


@pytest.mark.slow
@pytest.mark.parametrize("question, path", [
    ("明知别人侵权还给他提供厂房、帮他做广告，在重庆会怎么罚？", "第二十八条"),
    ("专利代理机构违规泄露客户商业秘密，会受到什么处罚？", "第三十一条"),
])
def test_a_penalty_is_found_through_the_article_citing_the_duty(chongqing, question, path):
    hits = chongqing.search(question, k=5)
    assert (hits[0].clause.doc_id, hits[0].clause.path) == ("cq-zl", path)


@pytest.mark.slow
def test_without_the_stage_the_duty_itself_comes_first(chongqing):
    chongqing.disabled = frozenset({"citing"})
    try:
        hits = chongqing.search("明知别人侵权还给他提供厂房、帮他做广告，在重庆会怎么罚？", k=5)
    finally:
        chongqing.disabled = frozenset()
    assert hits[0].clause.path != "第二十八条"


def test_an_item_is_about_what_its_lead_in_says():
    """"…按照下列标准对…人员给予奖励和报酬：（一）…提取不低于百分之五十的比例": the item never says
    报酬; its lead-in does, and says what every item is about."""
    from assistant import guard

    item = _clause("第四十五条（一）", "将该项职务科技成果转让给他人实施的，从转让净收入中提取不低于百分之五十的比例；", level="l2")
    lead_in = "未约定奖励和报酬的方式和数额的，按照下列标准对做出重要贡献的人员给予奖励和报酬："
    question = "成果转让以后，科技人员的报酬最少占多少比例？"
    assert guard.answers_figure_question(question, ["报酬"], lead_in=lambda clause: lead_in)(item)
    assert not guard.answers_figure_question(question, ["报酬"])(item)
