"""What a revision changed, clause by clause. Each clause of the new version is matched to its
counterpart in the old one — first by identical text (wherever it now stands), then by text
similarity with a preference for the same citation path — so a renumbered article is *moved*,
not removed and added. Every clause is unchanged, changed (same path, other words), moved (other
path), added or removed; the figures that differ are listed through the one figure reader
(corpus/figures.py): 10亿元 → 8亿元, 2—3年 → 3年."""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Iterable

from corpus.figures import read_figures
from ingest.errors import DocumentError
from ingest.library import document_versions
from ingest.model import Clause

MIN_SIMILARITY = 0.5          # two different texts are one clause revised at or above this …
MIN_SIMILARITY_SAME_PATH = 0.3  # … or this when they stand at the same path
SAME_PATH_BONUS = 0.2         # among candidates, the same path is preferred


class ChangeKind(str, Enum):
    UNCHANGED = "unchanged"
    CHANGED = "changed"
    MOVED = "moved"
    ADDED = "added"
    REMOVED = "removed"

    @property
    def label(self) -> str:
        return {"unchanged": "未变", "changed": "修改", "moved": "移动", "added": "新增", "removed": "删除"}[self.value]


@dataclass(frozen=True)
class FigureChange:
    old: str | None   # None: a figure the new text adds
    new: str | None   # None: a figure the new text drops

    def to_dict(self) -> dict:
        return {"old": self.old, "new": self.new}


@dataclass(frozen=True)
class ClauseChange:
    kind: ChangeKind
    old_path: str | None
    new_path: str | None
    old_text: str | None
    new_text: str | None
    figures: tuple[FigureChange, ...] = ()

    @property
    def text_changed(self) -> bool:
        return self.old_text != self.new_text

    def to_dict(self) -> dict:
        return {"kind": self.kind.value, "old_path": self.old_path, "new_path": self.new_path,
                "old_text": self.old_text, "new_text": self.new_text,
                "figures": [f.to_dict() for f in self.figures]}


@dataclass(frozen=True)
class Revision:
    """Version `old` → version `new` of one document: every clause's fate, in reading order."""

    doc_id: str
    old: int
    new: int
    clauses: tuple[ClauseChange, ...]

    @property
    def changes(self) -> tuple[ClauseChange, ...]:
        """What a reader needs to see: everything but the unchanged clauses."""
        return tuple(c for c in self.clauses if c.kind is not ChangeKind.UNCHANGED)

    def of_old_path(self, path: str) -> ClauseChange | None:
        """What became of the clause the old version had at `path` (None: no such clause)."""
        return next((c for c in self.clauses if c.old_path == path), None)

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "from": self.old, "to": self.new,
                "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True)
class _Unit:
    """One citable clause: the parts of a split clause joined, with its own heading."""

    path: str
    text: str
    key: str           # normalised text, for comparing
    grams: frozenset[str]


def units(clauses: Iterable[Clause]) -> list[_Unit]:
    """The document's clauses by path, in reading order (a clause split in parts is one unit)."""
    texts: dict[str, list[str]] = {}
    for c in sorted(clauses, key=lambda c: (c.seq, c.part)):
        parts = texts.setdefault(c.path, [])
        if not parts and c.heading and not c.text.startswith(c.heading):
            parts.append(c.heading + " ")
        parts.append(c.text)
    out = []
    for path, parts in texts.items():
        text = "".join(parts)
        key = "".join(unicodedata.normalize("NFKC", text).split())
        out.append(_Unit(path, text, key, frozenset(key[i:i + 2] for i in range(max(len(key) - 1, 1)))))
    return out


def similarity(a: _Unit, b: _Unit) -> float:
    """Dice coefficient of character bigrams: cheap enough for every pair of two documents."""
    if not a.grams or not b.grams:
        return 0.0
    return 2 * len(a.grams & b.grams) / (len(a.grams) + len(b.grams))


def align(doc_id: str, old_version: int, old: Iterable[Clause], new_version: int,
          new: Iterable[Clause]) -> Revision:
    """Match the new version's clauses to the old one's and classify every clause."""
    old_units, new_units = units(old), units(new)
    pairs: dict[int, int] = {}  # new index → old index
    _pair_identical(old_units, new_units, pairs)
    _pair_similar(old_units, new_units, pairs)
    return Revision(doc_id, old_version, new_version, _in_reading_order(old_units, new_units, pairs))


def _pair_identical(old: list[_Unit], new: list[_Unit], pairs: dict[int, int]) -> None:
    """Identical texts: at the same path first, then anywhere (a renumbered clause)."""
    free: dict[str, list[int]] = {}
    for i, u in enumerate(old):
        free.setdefault(u.key, []).append(i)
    taken: set[int] = set()
    for same_path in (True, False):
        for j, u in enumerate(new):
            if j in pairs:
                continue
            candidates = [i for i in free.get(u.key, [])
                          if i not in taken and (not same_path or old[i].path == u.path)]
            if candidates:
                pairs[j] = candidates[0]
                taken.add(candidates[0])


def _pair_similar(old: list[_Unit], new: list[_Unit], pairs: dict[int, int]) -> None:
    """The rest, most similar first: revised clauses, at their path or moved."""
    taken = set(pairs.values())
    scored = []
    for j, n in enumerate(new):
        if j in pairs:
            continue
        for i, o in enumerate(old):
            if i in taken:
                continue
            s = similarity(o, n)
            same = o.path == n.path
            if s >= (MIN_SIMILARITY_SAME_PATH if same else MIN_SIMILARITY):
                scored.append((s + (SAME_PATH_BONUS if same else 0.0), -abs(i - j), j, i))
    for _, _, j, i in sorted(scored, reverse=True):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)


def _in_reading_order(old: list[_Unit], new: list[_Unit], pairs: dict[int, int]) -> tuple[ClauseChange, ...]:
    """Every clause of the new version in its order, each removed one after the new clause that
    follows its old predecessor."""
    placed: list[tuple[float, ClauseChange]] = []
    for j, n in enumerate(new):
        i = pairs.get(j)
        placed.append((j, _change(old[i] if i is not None else None, n)))
    new_of_old = {i: j for j, i in pairs.items()}
    position = -0.5
    for i, o in enumerate(old):
        if i in new_of_old:
            position = new_of_old[i]
        else:
            position += 1e-3
            placed.append((position + 0.5, _change(o, None)))
    return tuple(c for _, c in sorted(placed, key=lambda p: p[0]))


def _change(old: _Unit | None, new: _Unit | None) -> ClauseChange:
    if old is None:
        kind = ChangeKind.ADDED
    elif new is None:
        kind = ChangeKind.REMOVED
    elif old.path != new.path:
        kind = ChangeKind.MOVED
    else:
        kind = ChangeKind.UNCHANGED if old.key == new.key else ChangeKind.CHANGED
    figures = figure_changes(old.text if old else "", new.text if new else "") \
        if kind in (ChangeKind.CHANGED, ChangeKind.MOVED) else ()
    return ClauseChange(kind, old.path if old else None, new.path if new else None,
                        old.text if old else None, new.text if new else None, figures)


def figure_changes(old: str, new: str) -> tuple[FigureChange, ...]:
    """The figures one text has and the other lacks, paired in order within a unit family
    (10亿元 → 8亿元; 2—3年 → 3年); a figure without a counterpart pairs with None."""
    def key(f) -> tuple:
        return (f.family, f.value, f.upper, f.unit, f.date)

    olds, news = read_figures(old), read_figures(new)
    new_keys = [key(f) for f in news]
    old_keys = [key(f) for f in olds]
    gone = [f for f in olds if not _take(new_keys, key(f))]
    came = [f for f in news if not _take(old_keys, key(f))]
    out = []
    for f in gone:
        match = next((g for g in came if g.family == f.family), None)
        if match is not None:
            came.remove(match)
        out.append(FigureChange(f.text.strip(), match.text.strip() if match else None))
    out += [FigureChange(None, g.text.strip()) for g in came]
    return tuple(out)


def _take(keys: list, k) -> bool:
    if k in keys:
        keys.remove(k)
        return True
    return False


@dataclass(frozen=True)
class Segment:
    """A run of a word-level comparison: the same in both, only in the old, only in the new."""

    kind: str   # "same" | "old" | "new"
    text: str


def text_diff(old: str, new: str) -> tuple[Segment, ...]:
    """The two texts as runs, for showing changed words highlighted side by side."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    out: list[Segment] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            out.append(Segment("same", old[a0:a1]))
            continue
        if a1 > a0:
            out.append(Segment("old", old[a0:a1]))
        if b1 > b0:
            out.append(Segment("new", new[b0:b1]))
    return tuple(out)


def compare_versions(data_dir: Path, doc_id: str, old: int | None = None, new: int | None = None) -> Revision:
    """Version `old` → `new` of a document in the library (default: the one before the current
    → the current). DocumentError naming `from`/`to` for a version the document does not have."""
    versions = {s.meta.version: s for s in document_versions(data_dir, doc_id)}
    numbers = sorted(versions)
    new = numbers[-1] if new is None else new
    if new not in versions:
        raise DocumentError("to", f"“{doc_id}”没有第 {new} 版（现有版本：{_listed(numbers)}）")
    if old is None:
        earlier = [v for v in numbers if v < new]
        if not earlier:
            raise DocumentError("from", f"“{doc_id}”只有一个版本，没有可对比的修订（现有版本：{_listed(numbers)}）")
        old = earlier[-1]
    if old not in versions:
        raise DocumentError("from", f"“{doc_id}”没有第 {old} 版（现有版本：{_listed(numbers)}）")
    return align(doc_id, old, versions[old].clauses(), new, versions[new].clauses())


def _listed(numbers: list[int]) -> str:
    return "、".join(f"第 {v} 版" for v in numbers)


def revision_notes(data_dir: Path, days: int, today: date | None = None) -> dict[tuple[str, str], str]:
    """What an answer citing a clause revised lately should say: (doc_id, path in the current
    version) → "本条于 2026-12 修订，修订前为：……", for documents whose current version was added
    within the last `days` days (0: never). Added clauses say they are new; moved ones where
    they stood before."""
    from ingest.library import library_versions

    if days <= 0:
        return {}
    today = today or date.today()
    notes: dict[tuple[str, str], str] = {}
    for doc_id, versions in library_versions(data_dir).items():
        current = versions[-1].meta
        if not current.added or (today - date.fromisoformat(current.added)).days > days:
            continue
        try:
            revision = compare_versions(data_dir, doc_id)
        except DocumentError:
            continue  # the document's only version: nothing was revised
        when = (current.date or current.added)[:7]
        for c in revision.changes:
            if c.new_path is None:
                continue
            if c.kind is ChangeKind.ADDED:
                note = f"本条为 {when} 修订时新增"
            elif c.text_changed:
                note = f"本条于 {when} 修订，修订前为：“{c.old_text}”" + (
                    f"（原{c.old_path}）" if c.old_path != c.new_path else "")
            else:
                note = f"本条于 {when} 修订时由{c.old_path}改为{c.new_path}，文字未变"
            notes[(doc_id, c.new_path)] = note
    return notes
