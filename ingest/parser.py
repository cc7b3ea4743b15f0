"""Turn a policy document into its tree of clauses.

Levels these documents use, outermost first: 附件N > 第X章 > 第X条【标题】 > 一、 > （一） >
1./1．(or appendix outlines 1.1) > （1） > ——principle items. Only a marker at the start of a
line opens a level, so cross-references in running text ("符合本办法第五条申报条件") stay text.
A heading stays with its body; ancestors become the breadcrumb. An unnumbered paragraph after
a list of items is its parent's next 款 (第十一条第二款), not part of the last item.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus import DocumentMeta
from ingest.blocks import Block, Table, Title
from ingest.clean import squeeze_spaces
from ingest.markers import (closes_paragraph, is_chapter, is_title_only, lead_phrase, match_appendix,
                            match_heading, split_spaced_article)
from ingest.model import Clause, clause_id
from ingest.split import split_long

# Nodes that never have children: any heading after them closes them.
_LEAF_KINDS = ("preamble", "list", "table_row")
_ATTACHMENT_LIST = re.compile(r"^附件[：:]\s*\S")
_NOTES = re.compile(r"^备\s*注[：:]?\s*$")
_NOTE_ITEM = re.compile(r"^\d+[\.．、]\s*指标\s*(\d+)\s*[，,：:]?")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")


@dataclass
class _Node:
    kind: str  # root, appendix, chapter, article, l1, l2, l3, outline, l4, dash, paragraph (款), table_row, preamble, list
    rank: int
    segment: str         # this level's part of the citation path
    title: str = ""      # heading shown in breadcrumbs
    lines: list[str] = field(default_factory=list)
    children: list["_Node"] = field(default_factory=list)
    absolute: bool = False  # path restarts at the appendix (outline numbers are self-contained)


class _TreeBuilder:
    def __init__(self) -> None:
        self.root = _Node("root", -1, "")
        self.stack: list[_Node] = [self.root]
        self.body_started = False
        self.notes_for: dict[int, _Node] | None = None
        self.tables = 0
        self.in_attachment_list = False

    @property
    def top(self) -> _Node:
        return self.stack[-1]

    def _push(self, node: _Node) -> None:
        while self.top.rank >= node.rank or self.top.kind in _LEAF_KINDS:
            self.stack.pop()
        if node.kind == "dash":  # numbered by position among its siblings
            n = sum(1 for c in self.top.children if c.kind == "dash") + 1
            node.segment = f"“{node.title}”" if node.title else f"第{n}项"
        self.top.children.append(node)
        self.stack.append(node)

    def _appendix_root(self) -> _Node:
        return next((n for n in reversed(self.stack) if n.kind == "appendix"), self.root)

    def line(self, raw: str) -> None:
        stripped = raw.strip()
        chapter = is_chapter(stripped)
        article = split_spaced_article(stripped)
        if chapter:
            line = stripped
        elif article:  # "第一条 为规范……": the space is what marks it as a heading, keep it
            line = f"{article[0]} {squeeze_spaces(article[1])}".strip()
        else:
            line = squeeze_spaces(raw)
        if not line:
            self.in_attachment_list = False
            return
        number = match_appendix(line)
        if number is not None and self.body_started:
            self.stack = [self.root]
            self._push(_Node("appendix", 0, f"附件{number}"))
            self.notes_for = None
            return
        if self.body_started and _ATTACHMENT_LIST.match(line):
            while self.top.kind not in ("root", "appendix"):
                self.stack.pop()
            self._push(_Node("list", 1, "附件目录", lines=[line]))
            self.in_attachment_list = True
            return
        if self.in_attachment_list and re.match(r"^\d+[\.．]", line):
            self.top.lines.append(line)
            return
        self.in_attachment_list = False
        if _NOTES.match(line) and self.notes_for is not None:
            return
        if self.notes_for is not None:
            m = _NOTE_ITEM.match(line)
            if m and int(m.group(1)) in self.notes_for:
                self.notes_for[int(m.group(1))].lines.append(f"备注：{_strip_marker(line)}")
                return
        heading = match_heading(line)
        if heading:
            self.body_started = True
            node = _Node(heading.kind, heading.rank, heading.segment, heading.title,
                         lines=[heading.rest] if heading.rest else [], absolute=heading.kind == "outline")
            self._push(node)
            return
        self._text(line)

    def _text(self, line: str) -> None:
        top = self.top
        if top.kind in ("root", "appendix"):
            # Outside any heading: title lines are metadata, sentences are the preamble.
            if (is_title_only(line) or line in ("附件：", "附件:")) and not _DATE.match(line):
                if top.kind == "appendix" and len(top.title) < 60:
                    top.title = f"{top.title}{line}"
                return
            self._push(_Node("preamble", 1, "前言" if top.kind == "root" else "", lines=[line]))
            return
        top.lines.append(line)

    def table(self, table: Table) -> None:
        parent = self._appendix_root()
        self.stack = self.stack[: self.stack.index(parent) + 1]
        rows = [[c.strip() for c in r] for r in table.rows if any(c.strip() for c in r)]
        if not rows:
            return
        header, body = rows[0], rows[1:]
        indicator = any("指标" in h for h in header) and "序号" in header[0]
        self.tables += 1
        self.notes_for = {} if indicator else None
        group = ""
        for i, row in enumerate(body, 1):
            if indicator and len(row) >= 3 and row[0].isdigit():
                group = row[1] or group
                node = _Node("table_row", 1, f"指标{row[0]}", row[2], lines=[row[2]])
                node.title = f"一级指标：{group}" if group else ""
                self.notes_for[int(row[0])] = node
            else:
                cells = [f"{h}：{c}" if h else c for h, c in zip(header, row) if c]
                node = _Node("table_row", 1, f"表{self.tables} 第{i}行", lines=["；".join(cells)])
            parent.children.append(node)
        self.body_started = True


def _strip_marker(line: str) -> str:
    return re.sub(r"^\d+[\.．、]\s*", "", line)


def build_tree(blocks: list[Block]) -> _Node:
    builder = _TreeBuilder()
    for block in blocks:
        if isinstance(block, Table):
            builder.table(block)
        elif not isinstance(block, Title):  # the title is the document's metadata, not a clause
            builder.line(block)
    _close_lists(builder.root)
    return builder.root


# The legal hierarchy 条 > 款 > 项 > 目: a paragraph that follows a list of numbered items and is
# not numbered itself closes the list's parent: it is the parent's next 款, not part of the last
# item. It is cited as the parent's path plus 第N款 (第十一条第二款, 三、（一）第二款), N counting
# the parent's own paragraphs, the one that opens the list included (so the first closing
# paragraph of an article whose only text is "…下列条件：" is 第二款).
# Where the last item ends is inferred from its siblings. In a list of 项 (each item says its
# piece in its own paragraph: "（一）在本市注册成立一年以上；") it ends with its paragraph. In a list
# of sections (bare headings with a body below: "1.综合类", "（六）长期管理。") it owns its body
# paragraph too, and what follows closes the parent only if the parent opened the list in its own
# words (an article, or an item with a sentence of its own); under a bare heading ("三、建设布局")
# sections keep all their paragraphs. A line that stops mid-sentence is a wrapped line of the
# paragraph before it, never a new paragraph.
_ITEM_KINDS = ("l1", "l2", "l3", "outline", "l4", "dash")


def _close_lists(node: _Node) -> None:
    for child in node.children:
        _close_lists(child)
    if node.kind == "article" or node.kind in _ITEM_KINDS:
        node.children = _with_closing_paragraphs(node)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Lines grouped into paragraphs: a line after one that stops mid-sentence was wrapped."""
    out: list[list[str]] = []
    for line in lines:
        if out and not closes_paragraph(out[-1][-1]):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _is_bare_heading(item: _Node) -> bool:
    return bool(item.lines) and is_title_only(item.lines[0])


def _is_section(item: _Node) -> bool:
    """A bare heading with a body of its own (paragraphs or sub-items) below it."""
    return _is_bare_heading(item) and (len(item.lines) > 1 or bool(item.children))


def _own_paragraphs(parent: _Node) -> list[list[str]]:
    """The paragraphs a parent writes before its list, its heading ("三、建设布局") not counted."""
    paragraphs = _paragraphs(parent.lines)
    if parent.kind != "article" and paragraphs and is_title_only("".join(paragraphs[0])):
        return paragraphs[1:]
    return paragraphs


def _trailing_paragraphs(item: _Node, section: bool) -> list[list[str]]:
    """The paragraphs after the item's own one (and after its body, for a section whose
    heading, "长期管理。", is a paragraph by itself)."""
    paragraphs = _paragraphs(item.lines)
    own = 2 if section and paragraphs and is_title_only("".join(paragraphs[0])) else 1
    return paragraphs[own:]


def _with_closing_paragraphs(parent: _Node) -> list[_Node]:
    """The parent's children with each closing paragraph taken out of the last item of a list
    and made a 款 of the parent. A list that restarts at its first marker after such a
    paragraph ("…应当提交下列材料：（一）…") belongs to that new 款."""
    speaks = parent.kind == "article" or any(not is_title_only(line) for line in parent.lines)
    ordinal = max(1, len(_own_paragraphs(parent)))
    items = [c for c in parent.children if c.kind in _ITEM_KINDS]
    out: list[_Node] = []
    siblings, current = out, []  # where children go; the items of the list being read
    for child in parent.children:
        siblings.append(child)
        if child.kind not in _ITEM_KINDS:
            continue
        section = _is_bare_heading(child) and (not current or any(_is_section(s) for s in current))
        current.append(child)
        later = items[items.index(child) + 1:]
        restarts = bool(later) and later[0].kind == child.kind and later[0].segment == current[0].segment
        trailing = _trailing_paragraphs(child, section)
        if child.children or not trailing or (later and not restarts) or (section and not speaks):
            continue
        child.lines = child.lines[: len(child.lines) - sum(len(p) for p in trailing)]
        for paragraph in trailing:
            ordinal += 1
            clause = _Node("paragraph", child.rank, f"第{_cn_number(ordinal)}款",
                           lead_phrase(paragraph[0]), lines=paragraph)
            out.append(clause)
        siblings, current = clause.children, []
    return out


def _cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (款 ordinals)."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(n, 10)
    if n < 10:
        return digits[n]
    return f"{digits[tens] if tens > 1 else ''}十{digits[ones] if ones else ''}"


def parse_blocks(blocks: list[Block], doc: DocumentMeta) -> list[Clause]:
    """The clauses of one document, in reading order, long ones split at sentence ends."""
    out: list[Clause] = []

    def walk(node: _Node, path: str, prefix: str, crumbs: tuple[str, ...]) -> None:
        for child in node.children:
            if child.kind == "appendix":
                walk(child, "", child.segment, (f"{child.segment} {child.title}".strip(),))
                continue
            if child.kind == "chapter":
                walk(child, path, prefix, crumbs + (child.title,))
                continue
            own = child.segment if child.absolute else path + child.segment
            full = f"{prefix} {own}".strip() if own else prefix
            label = _crumb(child)
            if child.kind == "table_row":
                label_crumbs = crumbs + ((child.title,) if child.title else ())
                _emit(out, doc, full, child.lines, "", label_crumbs, child.kind)
                continue
            text_lines = child.lines
            # A bare heading ("一、总体要求") is only a breadcrumb for its children; a short
            # sentence that states a figure is a clause of its own.
            only_title = len(text_lines) <= 1 and (not text_lines or (
                is_title_only(text_lines[0]) and not re.search(r"\d", text_lines[0])))
            if text_lines and not (only_title and child.children):
                heading = child.title if child.kind == "article" else (child.title or "")
                _emit(out, doc, full or prefix or "前言", text_lines, heading, crumbs, child.kind)
            walk(child, own, prefix, crumbs + ((label,) if label else ()))

    walk(build_tree(blocks), "", "", ())
    return [_renumber(c, i) for i, c in enumerate(out)]


def _crumb(node: _Node) -> str:
    marker = {"article": node.segment, "l1": node.segment, "l2": node.segment, "l3": f"{node.segment}.",
              "outline": node.segment, "l4": node.segment, "paragraph": node.segment}.get(node.kind, "")
    title = node.title if node.kind == "article" else (node.title or "")
    if node.kind == "article" and title:
        title = f"【{title}】"
    return f"{marker}{title}".strip()


def _emit(out: list[Clause], doc: DocumentMeta, path: str, lines: list[str], heading: str,
          crumbs: tuple[str, ...], level: str) -> None:
    for part, text in enumerate(split_long("\n".join(lines))):
        out.append(Clause(
            id="", doc_id=doc.id, doc_title=doc.title, short_title=doc.short_title,
            region=doc.region, doc_type=doc.doc_type, path=path, text=text,
            heading=heading, breadcrumb=crumbs, level=level, part=part,
        ))


def _renumber(c: Clause, seq: int) -> Clause:
    from dataclasses import replace
    c = replace(c, seq=seq)
    return replace(c, id=clause_id(c.doc_id, c.path, c.part, c.search_text))
