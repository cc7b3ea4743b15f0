"""The legal hierarchy 条 > 款 > 项 > 目: a paragraph after a list of numbered items closes the
list's parent (its next 款) instead of joining the last item; wrapped lines stay with their item.
Golden tables: tests/ingest/golden/hierarchy/<case>.txt and expected.yaml beside them."""
from pathlib import Path

import pytest
import yaml

from corpus import DocumentMeta
from ingest.blocks import read_blocks
from ingest.documents import clause_text, corpus_clauses
from ingest.parser import parse_blocks

GOLDEN = Path(__file__).parent / "golden" / "hierarchy"
EXPECTED = yaml.safe_load((GOLDEN / "expected.yaml").read_text(encoding="utf-8"))
DOC = DocumentMeta(id="t", title="测试市科技型企业培育管理办法", short_title="测试办法", region="其他",
                   doc_type="其他", status="试行")


def clauses_of(case: str):
    return parse_blocks(read_blocks(GOLDEN / f"{case}.txt"), DOC)


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_every_clause_path_and_text(case):
    assert [[c.path, c.text] for c in clauses_of(case)] == EXPECTED[case]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_each_clause_has_a_path_of_its_own(case):
    keys = [(c.path, c.part) for c in clauses_of(case)]
    assert len(keys) == len(set(keys))


def test_a_closing_kuan_is_cited_under_its_article_and_searched_with_it():
    kuan = next(c for c in clauses_of("articles") if c.path == "第二条第二款")
    assert kuan.citation == "《测试市科技型企业培育管理办法》第二条第二款"
    assert kuan.level == "paragraph" and kuan.breadcrumb[-1] == "第二条【条件】"
    last_item = next(c for c in clauses_of("articles") if c.path == "第二条（三）")
    assert "60%" not in last_item.text


def test_items_of_a_restarted_list_belong_to_the_kuan_that_opens_it():
    got = {c.path: c for c in clauses_of("articles")}
    assert got["第三条第二款（一）"].breadcrumb[-1] == "第二款申请人应当提交下列材料"
    assert got["第三条（一）"].text == "具有独立法人资格；"


def test_shipped_closing_paragraph_is_the_outline_parents_kuan():
    """hn-tic 三、（一）: after 1.综合类 and 2.领域类 comes a paragraph about both."""
    assert clause_text("hn-tic", "三、（一）第二款").startswith("统筹技术创新中心与工程技术研究中心建设")
    assert "工程技术研究中心" not in clause_text("hn-tic", "三、（一）2")
    # a section under a bare heading ("三、建设布局与重点建设领域") keeps all its paragraphs
    assert "近三年平均研发经费不低于4000万元" in clause_text("hn-tic", "三、（四）")
    assert not [c for c in corpus_clauses() if c.doc_id == "hn-tic" and c.path.startswith("三、第")]
