"""Read a document in any format a user brings into the same stream of blocks:
cleaned lines of text and tables. The clause parser only ever sees blocks."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ingest.clean import clean_line, clean_text
from ingest.markers import closes_paragraph, opens_level

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf")


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]


Block = str | Table


class UnreadableDocument(ValueError):
    """The file cannot be read as a policy document (format, encoding or corruption)."""


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


def blocks_from_docx(path: Path) -> list[Block]:
    """Word: paragraphs and tables in document order."""
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many types for a broken package
        raise UnreadableDocument(f"无法读取 Word 文件“{path.name}”：文件已损坏或不是 .docx 格式") from exc
    blocks: list[Block] = []
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            text = clean_line(Paragraph(element, document).text).strip()
            if text:
                blocks.append(text)
        elif tag == "tbl":
            rows = tuple(
                tuple(clean_line(cell.text).strip() for cell in r.cells)
                for r in DocxTable(element, document).rows
            )
            if rows:
                blocks.append(Table(rows))
    return blocks


def blocks_from_pdf(path: Path) -> list[Block]:
    """PDF: page text with the layout's line wraps joined back into paragraphs."""
    import pdfplumber

    try:
        with pdfplumber.open(str(path)) as pdf:
            lines = [ln for page in pdf.pages for ln in (page.extract_text() or "").split("\n")]
    except Exception as exc:
        raise UnreadableDocument(f"无法读取 PDF 文件“{path.name}”：文件已损坏或加密") from exc
    paragraphs: list[str] = []
    for line in (clean_line(ln).strip() for ln in lines):
        if not line or re.fullmatch(r"[-—\s\d]+|第\s*\d+\s*页.*", line):  # page numbers
            continue
        if paragraphs and not closes_paragraph(paragraphs[-1]) and not opens_level(line):
            paragraphs[-1] += line
        else:
            paragraphs.append(line)
    return paragraphs


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
