"""A document's title, where its file marks one, becomes the document title and never a clause
or part of the first paragraph: Word's Title style (or a Heading 1 above the text), a PDF's
first lines in larger type. Real files are written in the test; the cases are a golden table
(tests/ingest/golden/titles.yaml)."""
from pathlib import Path

import pytest
import yaml

from corpus import DocumentMeta
from ingest.blocks import Title, read_blocks
from ingest.library import add_document
from ingest.parser import parse_blocks

CASES = yaml.safe_load((Path(__file__).parent / "golden" / "titles.yaml").read_text(encoding="utf-8"))
META = DocumentMeta(id="t", title="测试", short_title="测试", region="其他", doc_type="其他", status="用户上传")


def write_docx(path: Path, paragraphs: list[list[str]]) -> Path:
    import docx
    document = docx.Document()
    for style, text in paragraphs:
        document.add_paragraph(text, style=style)
    document.save(path)
    return path


def write_pdf(path: Path, lines: list[list]) -> Path:
    """One line per entry, each in its own type size. Written with PyMuPDF's built-in Chinese
    font: fpdf2 embeds Noto Sans SC (a CID-keyed CFF font) with its own encoding CMap, which
    pdfminer, under pdfplumber, cannot decode (pdfminer.six issue 1072), so it reads no text."""
    pymupdf = pytest.importorskip("pymupdf")
    document = pymupdf.open()
    page = document.new_page()
    y = 72.0
    for size, text in lines:
        page.insert_text((50, y), text, fontname="china-s", fontsize=size)
        y += size * 1.6
    document.save(path)
    return path


def written(tmp_path: Path, kind: str, case: dict) -> Path:
    if kind == "docx":
        return write_docx(tmp_path / f"{case['id']}.docx", case["paragraphs"])
    return write_pdf(tmp_path / f"{case['id']}.pdf", case["lines"])


CASE_PARAMS = [pytest.param(kind, case, id=f"{kind}-{case['id']}") for kind in ("docx", "pdf") for case in CASES[kind]]


@pytest.mark.parametrize("kind,case", CASE_PARAMS)
def test_title_block_and_what_follows(tmp_path, kind, case):
    blocks = read_blocks(written(tmp_path, kind, case))
    titles = [b.text for b in blocks if isinstance(b, Title)]
    assert titles == ([case["title"]] if case["title"] else [])
    assert next(b for b in blocks if isinstance(b, str)) == case["first_text"]


@pytest.mark.parametrize("kind,case", CASE_PARAMS)
def test_the_title_is_never_a_clause(tmp_path, kind, case):
    clauses = parse_blocks(read_blocks(written(tmp_path, kind, case)), META)
    assert [c.path for c in clauses] == case["clauses"]
    if case["title"]:
        assert not any(case["title"] in c.text for c in clauses)


@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_an_added_document_is_named_by_its_marked_title(tmp_path, kind):
    case = CASES[kind][0]
    meta = add_document(tmp_path / "data", written(tmp_path, kind, case), doc_id=f"new-{kind}")
    assert meta.title == case["title"] and meta.region == "湖南"
