from collections import Counter
from pathlib import Path

import pytest
import yaml

from corpus import DocumentMeta, load_documents
from ingest.blocks import Table, blocks_from_text
from ingest.documents import corpus_clauses, parse_document
from ingest.parser import parse_blocks
from ingest.split import MAX_CHARS

GOLDEN = yaml.safe_load((Path(__file__).parent / "golden" / "clauses.yaml").read_text(encoding="utf-8"))
DOC = DocumentMeta(id="t", title="测试办法", short_title="测试办法", region="广西", doc_type="创新联合体", status="试行")


@pytest.mark.parametrize("doc", load_documents(), ids=lambda d: d.id)
def test_clause_counts_per_level(doc):
    counts = Counter(c.level for c in parse_document(doc))
    assert dict(counts) == GOLDEN["counts"][doc.id]


@pytest.mark.parametrize("doc_id,path,prefix", GOLDEN["prefixes"], ids=lambda x: str(x))
def test_path_begins_with(doc_id, path, prefix):
    texts = [c.text for c in corpus_clauses() if c.doc_id == doc_id and c.path == path]
    assert texts, f"no clause at {doc_id} {path}"
    assert texts[0].startswith(prefix)


def test_clause_sizes():
    lengths = sorted(len(c.text) for c in corpus_clauses())
    assert lengths[len(lengths) // 2] <= 200
    assert lengths[-1] <= MAX_CHARS


def test_ids_are_unique_and_stable():
    ids = [c.id for c in corpus_clauses()]
    assert len(ids) == len(set(ids))
    again = [c.id for doc in load_documents() for c in parse_document(doc)]
    assert ids == again


def test_cross_reference_in_text_is_not_a_heading():
    clause = next(c for c in corpus_clauses() if c.doc_id == "gx-consortium" and c.path == "第六条（一）")
    assert "符合本办法第五条申报条件" in clause.text
    assert not any(c.path.startswith("第五条申报") for c in corpus_clauses())


def test_breadcrumb_and_citation():
    clause = next(c for c in corpus_clauses() if c.doc_id == "gx-consortium" and c.path == "第五条（二）1")
    assert clause.breadcrumb == ("第2章 组建", "第五条【组建条件】", "（二）牵头单位应具备的条件")
    assert clause.citation == "《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1"
    assert "（二）牵头单位应具备的条件" in clause.search_text and "（二）牵头" not in clause.text


def test_indicator_notes_attach_to_their_indicator():
    clause = next(c for c in corpus_clauses() if c.doc_id == "gx-demo-zone" and c.path == "附件2 指标12")
    assert "备注：指标12" in clause.text and "火炬统计调查信息系统" in clause.text
    assert clause.breadcrumb[-1] == "一级指标：产业孵化"


def test_word_artifacts_are_gone():
    text = " ".join(c.text for c in corpus_clauses())
    assert "[bookmark" not in text and "_GoBack" not in text
    hn = " ".join(c.text for c in corpus_clauses() if c.doc_id == "hn-tic")
    assert "5例以上（含5例）" in hn and "每年1月底前" in hn


def test_long_clause_is_split_at_sentence_ends_keeping_its_path():
    sentence = "牵头单位应当按照规定报送材料并接受监督检查。"
    text = "第一条【目的】  " + sentence * 40
    clauses = parse_blocks(blocks_from_text(text), DOC)
    assert len(clauses) > 1
    assert {c.path for c in clauses} == {"第一条"}
    assert [c.part for c in clauses] == list(range(len(clauses)))
    assert all(c.text.endswith("。") and len(c.text) <= MAX_CHARS for c in clauses)


def test_every_level_of_a_small_document():
    text = "\n".join([
        "测试办法", "第一章  总则", "第一条【目的】  为了测试，制定本办法。", "第二章  条件",
        "第二条【条件】  申报单位应当具备以下条件：", "（一）基本条件。", "1. 年营业收入达到5亿元以上。",
        "（1）研发人员不少于20人。", "——需求导向。面向产业需求。",
    ])
    got = {c.path: c for c in parse_blocks(blocks_from_text(text), DOC)}
    # "（一）基本条件。" is a bare heading: it appears in its children's breadcrumbs only.
    assert set(got) == {"第一条", "第二条", "第二条（一）1", "第二条（一）1（1）",
                        "第二条（一）1（1）“需求导向”"}
    assert got["第二条（一）1（1）"].breadcrumb == ("第二章 条件", "第二条【条件】", "（一）基本条件", "1.年营业收入达到5亿元以上")
    assert got["第二条（一）1（1）"].text == "研发人员不少于20人。"
    assert got["第二条"].heading == "条件"


def test_articles_written_with_a_space_instead_of_a_title():
    """The common layout of a 管理办法: "第二条 申报单位应当……" (half- or full-width space)."""
    text = "\n".join(["玉林市科普示范基地管理办法", "第一条 为规范建设，制定本办法。",
                      "第二条　申报单位应当配备不少于12名专职科普讲解人员。", "第三条本办法第二条所称讲解人员为专职人员。"])
    got = [(c.path, c.text) for c in parse_blocks(blocks_from_text(text), DOC)]
    assert got == [("第一条", "为规范建设，制定本办法。"),
                   ("第二条", "申报单位应当配备不少于12名专职科普讲解人员。\n第三条本办法第二条所称讲解人员为专职人员。")]


def test_generic_table_rows_become_clauses():
    blocks = ["第一条【支持】  支持标准如下：", Table((("类别", "金额"), ("新认定", "500万元"), ("优秀", "300万元")))]
    rows = [c for c in parse_blocks(blocks, DOC) if c.level == "table_row"]
    assert [c.text for c in rows] == ["类别：新认定；金额：500万元", "类别：优秀；金额：300万元"]
