"""Read a document in any format a user brings into the same stream of blocks:
cleaned lines of text, tables, and the title where the format marks one (Word's Title style,
a PDF's large type). The clause parser only ever sees blocks."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean_line, clean_text
from ingest.errors import UnreadableDocument
from ingest.markers import closes_paragraph, match_heading, opens_level

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Title:
    """The document's title as its author marked it: Word paragraphs in the Title style (or a
    Heading 1 above the text), a PDF's first lines set in larger type. Metadata, not a clause."""

    text: str


Block = str | Table | Title


def blocks_from_text(text: str) -> list[Block]:
    """Plain text. A table flattened by Word into tab-led lines (one cell per line, rows
    separated by blank lines) is rebuilt into a Table."""
    blocks: list[Block] = []
    rows: list[tuple[str, ...]] = []
    row: list[str] = []
    for line in clean_text(text).split("\n"):
        if line.startswith("\t"):
            row.append(line.strip())
            continue
        if row:
            rows.append(tuple(row))
            row = []
        if not line.strip():
            continue
        if rows:
            blocks.append(Table(tuple(rows)))
            rows = []
        blocks.append(line.strip())
    if row:
        rows.append(tuple(row))
    if rows:
        blocks.append(Table(tuple(rows)))
    return blocks


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[-*+]\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")


def blocks_from_markdown(text: str) -> list[Block]:
    """Markdown: drop heading hashes, bullets and emphasis; pipe tables become Tables."""
    blocks: list[Block] = []
    table: list[tuple[str, ...]] = []
    for line in clean_text(text).split("\n"):
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|"):
            cells = tuple(c.strip() for c in stripped.strip("|").split("|"))
            if not all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
                table.append(cells)
            continue
        if table:
            blocks.append(Table(tuple(table)))
            table = []
        stripped = _MD_EMPHASIS.sub("", _MD_BULLET.sub("", _MD_HEADING.sub("", stripped)))
        if stripped:
            blocks.append(stripped)
    if table:
        blocks.append(Table(tuple(table)))
    return blocks


_WORD_TITLE_STYLES = ("Title", "标题")
_WORD_HEADING_STYLES = ("Heading 1", "标题 1")


# What a policy document can plausibly hold. A .docx is a zip: a small file can unpack into
# gigabytes of XML (a "zip bomb") that would take the parser many minutes; a PDF of thousands
# of pages is a book, not a policy. Both are refused before they are parsed. (zipfile itself
# stops each member at its declared size, so the declared sizes are the ones to check.)
MAX_DOCX_XML_BYTES = 16 * 1024 * 1024     # the text parts (word/*.xml) unpacked
MAX_DOCX_UNPACKED_BYTES = 200 * 1024 * 1024  # everything, images included
MAX_DOCX_MEMBERS = 5000
MAX_PDF_PAGES = 500


def _check_docx_size(path: Path) -> None:
    import zipfile
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableDocument(f"无法读取 Word 文件“{path.name}”：文件已损坏或不是 .docx 格式") from exc
    xml = sum(m.file_size for m in members if m.filename.startswith("word/") and m.filename.endswith(".xml"))
    total = sum(m.file_size for m in members)
    if len(members) > MAX_DOCX_MEMBERS or xml > MAX_DOCX_XML_BYTES or total > MAX_DOCX_UNPACKED_BYTES:
        raise UnreadableDocument(
            f"Word 文件“{path.name}”解压后过大（正文 {xml / 1048576:.0f} MB，共 {total / 1048576:.0f} MB，"
            f"{len(members)} 个部件；上限为正文 {MAX_DOCX_XML_BYTES // 1048576} MB、共 "
            f"{MAX_DOCX_UNPACKED_BYTES // 1048576} MB）：不像一份政策文件，请检查文件")


def blocks_from_docx(path: Path) -> list[Block]:
    """Word: paragraphs and tables in document order; the Title-style paragraphs (else the
    Heading 1 above the text) become the Title."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    _check_docx_size(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise UnreadableDocument(f"无法读取 Word 文件“{path.name}”：文件已损坏或不是 .docx 格式") from exc
    blocks: list[Block] = []
    styles: list[str] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = Paragraph(element, document)
            text = clean_line(paragraph.text).strip()
            if text:
                blocks.append(text)
                styles.append(paragraph.style.name if paragraph.style is not None else "")
        elif tag == "tbl":
            rows = tuple(
                tuple(clean_line(cell.text).strip() for cell in r.cells)
                for r in DocxTable(element, document).rows
            )
            if rows:
                blocks.append(Table(rows))
                styles.append("")
    titled = [s if s in _WORD_TITLE_STYLES else None for s in styles]
    run = _first_run(titled)
    if not run:
        run = _title_run(blocks, [s if s in _WORD_HEADING_STYLES else None for s in styles])
    return _with_title(blocks, run)


def blocks_from_pdf(path: Path) -> list[Block]:
    """PDF: page text with the layout's line wraps joined back into paragraphs; the first
    page's lines set larger than its body text, above the text, become the Title."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            if len(pdf.pages) > MAX_PDF_PAGES:
                raise UnreadableDocument(f"PDF 文件“{path.name}”有 {len(pdf.pages)} 页，超过 {MAX_PDF_PAGES} 页的上限："
                                         "不像一份政策文件，请只上传文件正文")
            pages = [page.extract_text_lines(return_chars=True) for page in pdf.pages]
    except UnreadableDocument:
        raise
    except Exception as exc:
        raise UnreadableDocument(f"无法读取 PDF 文件“{path.name}”：文件已损坏或加密") from exc
    lines: list[str] = []
    sizes: list[float] = []
    first_page = 0
    for number, page in enumerate(pages):
        for entry in page:
            line = clean_line(entry["text"]).strip()
            if not line or re.fullmatch(r"[-—\s\d]+|第\s*\d+\s*页.*", line):  # page numbers
                continue
            lines.append(line)
            sizes.append(_median([c["size"] for c in entry["chars"]]))
            if number == 0:
                first_page += 1
    body = _body_size(pages[0]) if pages else 0.0
    large = [round(size) if size >= 1.15 * body else None for size in sizes[:first_page]]
    run = _title_run(lines, large)
    if not run:
        return _join_wrapped(lines)
    title = Title("".join(lines[run.start:run.stop]))
    return [*_join_wrapped(lines[:run.start]), title, *_join_wrapped(lines[run.stop:])]


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines into paragraphs: a line that stops mid-sentence goes on in the next one, unless
    that one opens a level."""
    paragraphs: list[str] = []
    for line in lines:
        if paragraphs and not closes_paragraph(paragraphs[-1]) and not opens_level(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else 0.0


def _body_size(page_lines: list[dict]) -> float:
    """The type size most of a page's characters are set in."""
    counts = Counter(round(c["size"], 1) for entry in page_lines for c in entry["chars"])
    return counts.most_common(1)[0][0] if counts else 0.0


def _first_run(keys: list[object | None]) -> range:
    """The first stretch of consecutive entries with the same non-None key."""
    start = next((i for i, k in enumerate(keys) if k is not None), None)
    if start is None:
        return range(0)
    stop = start
    while stop < len(keys) and keys[stop] == keys[start]:
        stop += 1
    return range(start, stop)


def _title_run(blocks: list[Block], keys: list[object | None]) -> range:
    """Where the title is among the first blocks: the last stretch of consecutive marked ones
    (same key: style, type size) before the text begins, i.e. before a table, a line that opens
    a level, or an unmarked line that ends a sentence. The last, because a red-header line
    ("……科学技术厅文件") set still larger comes above the title."""
    runs: list[range] = []
    for i, (block, key) in enumerate(zip(blocks, keys)):
        if not isinstance(block, str) or match_heading(block) or (key is None and closes_paragraph(block)):
            break
        if key is None:
            continue
        if runs and runs[-1].stop == i and keys[runs[-1].start] == key:
            runs[-1] = range(runs[-1].start, i + 1)
        else:
            runs.append(range(i, i + 1))
    return runs[-1] if runs else range(0)


def _with_title(blocks: list[Block], run: range) -> list[Block]:
    """The blocks with those in `run` replaced by one Title (a title set on two lines is one)."""
    if not run:
        return blocks
    title = Title("".join(str(b) for b in blocks[run.start:run.stop]))
    return [*blocks[:run.start], title, *blocks[run.stop:]]


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, which covers GBK and GB2312."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableDocument(f"无法识别文件“{name}”的文字编码（支持 UTF-8、GBK）")


def read_blocks(path: Path) -> list[Block]:
    """Any supported file → blocks."""
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return blocks_from_docx(path)
    if suffix == ".pdf":
        return blocks_from_pdf(path)
    if suffix in (".txt", ".md"):
        text = decode_text(path.read_bytes(), path.name)
        return blocks_from_markdown(text) if suffix == ".md" else blocks_from_text(text)
    raise UnreadableDocument(
        f"不支持的文件类型“{suffix or path.name}”，可选：{'、'.join(SUPPORTED_SUFFIXES)}")
