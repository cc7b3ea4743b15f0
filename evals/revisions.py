"""Revisions with known edits, made from a real document's text, to measure the clause alignment
(ingest/alignment.py): figures changed, one sentence reworded, two adjacent articles (or
sections) swapped, a list item removed, one added, and the text marked as issued (印发) by its
issuer — the way a 科技厅 turns a 征求意见稿 into its final text. Each edit is
recorded with the clause it touches in the old and the new version, found by parsing both."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from corpus import DocumentMeta
from corpus.figures import read_figures
from ingest.alignment import ChangeKind, Revision, units
from ingest.blocks import blocks_from_text
from ingest.markers import match_heading
from ingest.parser import parse_blocks

ADDED_ITEM = "新增条目：成员单位应当每年报送一次合作情况。"
REWORDED = "依法"


@dataclass(frozen=True)
class Edit:
    kind: ChangeKind
    what: str                 # figure / wording / moved / added / removed
    old_path: str | None
    new_path: str | None
    old_figure: str | None = None
    new_figure: str | None = None


@dataclass(frozen=True)
class SampleRevision:
    old_text: str
    new_text: str
    edits: tuple[Edit, ...]
    swapped: tuple[str, str]  # the old paths of the two units swapped (their clauses are all moved)


def make_revision(text: str, meta: DocumentMeta, figure_edits: int = 5) -> SampleRevision:
    lines = text.split("\n")
    marks: list[tuple[str, str]] = []  # (what, line content after the edit) for locating later
    figures: list[tuple[str, str, str]] = []  # (content, old figure, new figure)
    lines, swapped_heads = _swap_units(lines)
    taken: set[int] = set()
    for i, line in enumerate(lines):
        if len(figures) == figure_edits:
            break
        h = match_heading(line)
        fig = next((f for f in read_figures(line) if f.family not in ("year", "date")
                    and re.match(r"\d+", f.text)), None) if h and h.kind != "chapter" else None
        if fig is None:
            continue
        number = re.match(r"\d+", fig.text).group(0)
        value = int(number)
        new_value = value * 4 // 5 if value >= 5 else value + 1
        new_figure = str(new_value) + fig.text[len(number):]
        start = line.index(fig.text)
        lines[i] = line[:start] + new_figure + line[start + len(fig.text):]
        figures.append((match_heading(lines[i]).rest, fig.text.strip(), new_figure.strip()))
        taken.add(i)
    reworded = next(i for i, line in enumerate(lines) if i not in taken and (h := match_heading(line))
                    and h.kind != "chapter" and "，" in h.rest and not read_figures(line) and len(h.rest) > 30)
    lines[reworded] = lines[reworded].replace("，", "，" + REWORDED, 1)
    marks.append(("wording", match_heading(lines[reworded]).rest))
    taken.add(reworded)
    ends = [i for i in range(len(lines) - 1) if _last_item(lines, i) and i not in taken]
    removed, added = ends[0], ends[1]
    marks.append(("removed", match_heading(lines[removed]).rest))
    number = int(match_heading(lines[added]).segment)
    new_line = f"{number + 1}. {ADDED_ITEM}"
    lines = lines[:added + 1] + [new_line] + lines[added + 1:]
    del lines[removed]
    marks.append(("added", ADDED_ITEM))
    new_text = _issued("\n".join(lines), meta)
    return SampleRevision(text, new_text, _located(text, new_text, meta, figures, marks, swapped_heads),
                          _paths_of(text, meta, swapped_heads))


def _last_item(lines: list[str], i: int) -> bool:
    """A numbered item (1., 2., …) that ends its list and is not the first of it."""
    h, nxt = match_heading(lines[i]), match_heading(lines[i + 1]) if lines[i + 1].strip() else None
    return bool(h and h.kind == "l3" and int(h.segment) >= 3 and (nxt is None or nxt.kind != "l3"))


def _swap_units(lines: list[str]) -> tuple[list[str], tuple[str, str]]:
    """Swap the first two adjacent top-level units (articles, else 一、 sections) of which the
    second has no sub-items, renumbering their markers: a moved article."""
    kind = "article" if any((h := match_heading(x)) and h.kind == "article" for x in lines) else "l1"
    starts = [i for i, x in enumerate(lines) if (h := match_heading(x)) and h.kind == kind]
    for a, b in zip(starts, starts[1:]):
        end = next((i for i in range(b + 1, len(lines)) if i in starts or _is_chapter(lines[i])), len(lines))
        if any(x.strip() for x in lines[b + 1:end]) or b - a < 2 or any(_is_chapter(x) for x in lines[a:b]):
            continue
        unit_a, unit_b = lines[a:b], lines[b:end]
        marker_a, marker_b = _marker(lines[a]), _marker(lines[b])
        new_b = [marker_a + unit_b[0][len(marker_b):], *unit_b[1:]]
        new_a = [marker_b + unit_a[0][len(marker_a):], *unit_a[1:]]
        return lines[:a] + new_b + new_a + lines[end:], (match_heading(lines[a]).rest, match_heading(lines[b]).rest)
    raise ValueError("文件中没有可交换的相邻条款")


def _is_chapter(line: str) -> bool:
    h = match_heading(line)
    return bool(h and h.kind == "chapter")


def _marker(line: str) -> str:
    return re.match(r"^(第[一二三四五六七八九十百零]+条|[一二三四五六七八九十]+、)", line).group(1)


def _issued(text: str, meta: DocumentMeta) -> str:
    """The final text's head: 关于印发…的通知 and the issuer; the draft mark gone."""
    text = re.sub(r"[（(]?征求意见稿[）)]?", "", text)
    head = [f"关于印发《{meta.title}》的通知", meta.issuer or ""]
    return "\n".join(x for x in head if x) + "\n\n" + text


def _clauses(text: str, meta: DocumentMeta):
    return parse_blocks(blocks_from_text(text), meta)


def _path_with(text: str, meta: DocumentMeta, content: str) -> str | None:
    return next((u.path for u in units(_clauses(text, meta)) if content in u.text), None)


def _paths_of(text: str, meta: DocumentMeta, contents: tuple[str, str]) -> tuple[str, str]:
    a, b = (_path_with(text, meta, c) for c in contents)
    return a, b


def _located(old: str, new: str, meta: DocumentMeta, figures, marks, swapped) -> tuple[Edit, ...]:
    edits = []
    for content, old_figure, new_figure in figures:
        new_content = content  # the line's text after the marker, as edited
        old_content = new_content.replace(new_figure, old_figure, 1)
        old_path, new_path = _path_with(old, meta, old_content), _path_with(new, meta, new_content)
        kind = ChangeKind.CHANGED if old_path == new_path else ChangeKind.MOVED
        edits.append(Edit(kind, "figure", old_path, new_path, old_figure, new_figure))
    for what, content in marks:
        if what == "wording":
            old_content = content.replace("，" + REWORDED, "，", 1)
            edits.append(Edit(ChangeKind.CHANGED, what, _path_with(old, meta, old_content), _path_with(new, meta, content)))
        elif what == "removed":
            edits.append(Edit(ChangeKind.REMOVED, what, _path_with(old, meta, content), None))
        else:
            edits.append(Edit(ChangeKind.ADDED, what, None, _path_with(new, meta, content)))
    for content in swapped:
        edits.append(Edit(ChangeKind.MOVED, "moved", _path_with(old, meta, content), _path_with(new, meta, content)))
    return tuple(edits)


def score(revision: Revision, sample: SampleRevision) -> dict:
    """How many known edits the alignment found and classified right, and how many clauses it
    called changed that no edit touched (a clause of a swapped unit is moved by the swap)."""
    found = 0
    for e in sample.edits:
        c = revision.of_old_path(e.old_path) if e.old_path else next(
            (x for x in revision.clauses if x.new_path == e.new_path and x.old_path is None), None)
        ok = c is not None and c.kind is e.kind and c.new_path == e.new_path
        if ok and e.what == "figure":
            ok = any(f.old == e.old_figure and f.new == e.new_figure for f in c.figures)
        found += ok
    explained = ({e.old_path for e in sample.edits} | {e.new_path for e in sample.edits}) - {None}
    spurious = [c for c in revision.changes
                if not ({c.old_path, c.new_path} - {None}) & explained
                and not (c.kind is ChangeKind.MOVED and not c.text_changed
                         and any(c.old_path.startswith(p) for p in sample.swapped if p))]
    return {"edits": len(sample.edits), "found": found, "spurious": len(spurious),
            "spurious_paths": [(c.kind.value, c.old_path, c.new_path) for c in spurious]}


def revised_meta(meta: DocumentMeta) -> DocumentMeta:
    return replace(meta, status="印发", version=meta.version + 1)
