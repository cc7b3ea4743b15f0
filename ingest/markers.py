"""What marks structure in one line of a policy text: the numbering that opens a level
(第X章, 第X条, 一、, （一）, 1., 1.1, （1）, ——), an appendix heading (附件2), and a line end
that can close a paragraph.

Both readers that need it use this module: the block readers (a PDF line that opens a level is
never glued onto the line before it) and the clause parser (which builds the tree). It imports
neither of them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "一二三四五六七八九十百零"
_TITLE_PUNCT = re.compile(r"[。；，：！？]")
_LINE_END = re.compile(r"[。；：！？:;!?）)」”]$")
_CHAPTER = re.compile(rf"^第([{_CN}\d]+)章\s*(.{{0,20}})$")
_ARTICLE_SPACED = re.compile(rf"^(第[{_CN}]+条)\s+")
_APPENDIX = re.compile(r"^附\s*件\s*([0-9一二三四五六七八九十]*)\s*$")

# (kind, rank, pattern, segment format). Order matters: outline before l3, l4 before l2 clash-free.
_HEADINGS: list[tuple[str, int, re.Pattern, str]] = [
    ("chapter", 1, _CHAPTER, ""),
    ("article", 2, re.compile(rf"^第([{_CN}]+)条(?=【|\s|$)\s*(?:【([^】]*)】)?\s*(.*)$"), "第{}条"),
    ("l1", 3, re.compile(rf"^([{_CN}]+)、\s*(.*)$"), "{}、"),
    ("l2", 4, re.compile(rf"^[（(]([{_CN}]+)[）)]\s*(.*)$"), "（{}）"),
    ("outline", 5, re.compile(r"^(\d+\.\d+)\s*(.*)$"), "{}"),
    ("l3", 5, re.compile(r"^(\d+)[\.．、](?!\d)\s*(.*)$"), "{}"),
    ("l4", 6, re.compile(r"^[（(](\d+)[）)]\s*(.*)$"), "（{}）"),
    ("dash", 7, re.compile(r"^——\s*(.*)$"), ""),
]


@dataclass(frozen=True)
class Heading:
    """A line that opens a level: its kind (chapter, article, l1 一、, l2 （一）, outline 1.1,
    l3 1., l4 （1）, dash ——), rank (outermost first), its part of the citation path, the
    heading shown in breadcrumbs, and the text after the marker."""

    kind: str
    rank: int
    segment: str
    title: str
    rest: str


def is_title_only(text: str) -> bool:
    """A heading with no sentence of its own: short and without inner punctuation."""
    core = text.rstrip("。.")
    return bool(core) and len(core) <= 30 and not _TITLE_PUNCT.search(core)


def lead_phrase(text: str) -> str:
    """The lead phrase of "坚持科技与产业融合。创新联合体要…" as a heading, if it is one."""
    head = re.split(r"[。：:]", text, maxsplit=1)[0]
    is_lead = 0 < len(head) <= 18 and head != text.rstrip("。")
    return head if is_lead or is_title_only(text) else ""


def match_heading(line: str) -> Heading | None:
    """The level a line opens with its marker at the start, else None (a cross-reference in
    running text, "符合本办法第五条申报条件", is not at the start and stays text)."""
    for kind, rank, pattern, fmt in _HEADINGS:
        m = pattern.match(line)
        if not m:
            continue
        if kind == "chapter":
            return Heading(kind, rank, "", f"第{m.group(1)}章 {m.group(2).strip()}".strip(), "")
        if kind == "article":
            return Heading(kind, rank, fmt.format(m.group(1)), m.group(2) or "", m.group(3))
        if kind == "dash":
            rest = m.group(1)
            return Heading(kind, rank, "", lead_phrase(rest) or "", rest)
        rest = m.group(2)
        return Heading(kind, rank, fmt.format(m.group(1)), lead_phrase(rest), rest)
    return None


def is_chapter(line: str) -> bool:
    """"第一章  总则": a chapter heading (kept as written, spaces and all, until parsed)."""
    return bool(_CHAPTER.match(line))


def split_spaced_article(line: str) -> tuple[str, str] | None:
    """("第一条", "为规范……") for "第一条 为规范……": the space after the marker is what marks
    the line as an article when it has no 【title】."""
    m = _ARTICLE_SPACED.match(line)
    return (m.group(1), line[m.end():]) if m else None


def match_appendix(line: str) -> str | None:
    """The number of an appendix heading line ("附件2" → "2", a bare "附件" → ""), else None."""
    m = _APPENDIX.match(line)
    return m.group(1) if m else None


def opens_level(line: str) -> bool:
    """Whether the line starts a new unit (a numbered level or an appendix)."""
    return match_heading(line) is not None or match_appendix(line) is not None


def closes_paragraph(line: str) -> bool:
    """Whether a line ends the way a paragraph ends (。；：, a closing quote or bracket), so
    the next line starts a new one; a line that stops mid-sentence was wrapped."""
    return bool(_LINE_END.search(line))
