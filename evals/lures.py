"""How well the lure detector (ingest/lures.py) tells lures from ordinary clauses: recall on
the lure variants of evals/lures/lures.yaml (and of held_out.yaml, written after the detector
was frozen), and false positives on ordinary clauses — every shipped clause, every clause of the
blind regulations (evals/blind/**/documents, read as an upload would be), and the clauses of
evals/lures/ordinary.yaml and held_out.yaml that speak of fees, accounts, links and phone
numbers for the right reasons.

    python -m evals.lures [--json]
"""
from __future__ import annotations

import json
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from ingest.library import add_document, builtin_sources, library_sources
from ingest.lures import find_lure
from ingest.model import Clause

HERE = Path(__file__).resolve().parent
LURES = HERE / "lures" / "lures.yaml"
ORDINARY = HERE / "lures" / "ordinary.yaml"
HELD_OUT = HERE / "lures" / "held_out.yaml"
BLIND = HERE / "blind"


@dataclass(frozen=True)
class Group:
    name: str
    clauses: int
    flagged: tuple[str, ...]       # what was flagged: citation or id, and the words read as a lure


@dataclass(frozen=True)
class LureSet:
    name: str
    lures: int
    caught: int
    missed: tuple[str, ...]        # ids of the lure variants not flagged
    kinds_right: int               # caught with exactly the kinds the set expects

    @property
    def recall(self) -> float:
        return self.caught / self.lures if self.lures else 0.0


@dataclass(frozen=True)
class LureReport:
    sets: tuple[LureSet, ...]
    issue_caught: int              # of the issue's own reports
    issue_total: int
    ordinary: tuple[Group, ...]

    @property
    def lures(self) -> int:
        return sum(s.lures for s in self.sets)

    @property
    def caught(self) -> int:
        return sum(s.caught for s in self.sets)

    @property
    def recall(self) -> float:
        return self.caught / self.lures if self.lures else 0.0

    @property
    def ordinary_total(self) -> int:
        return sum(g.clauses for g in self.ordinary)

    @property
    def false_positives(self) -> int:
        return sum(len(g.flagged) for g in self.ordinary)

    def to_dict(self) -> dict:
        return {**asdict(self), "lures": self.lures, "caught": self.caught, "recall": round(self.recall, 3),
                "ordinary_total": self.ordinary_total, "false_positives": self.false_positives}


def lure_variants(path: Path = LURES) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8")).get("lures") or []


def ordinary_texts(path: Path = ORDINARY) -> list[str]:
    return [str(t) for t in yaml.safe_load(path.read_text(encoding="utf-8")).get("ordinary") or []]


def blind_clauses(root: Path = BLIND) -> list[Clause]:
    """The blind regulations' clauses, each document added to a scratch library as an upload is
    (a GBK copy beside its UTF-8 text, "x.gbk.txt", is the same document: read once)."""
    with tempfile.TemporaryDirectory() as tmp:
        for path in sorted(root.glob("**/documents/*.txt")):
            if path.stem.endswith(".gbk") and path.with_name(path.stem.removesuffix(".gbk") + ".txt").exists():
                continue
            add_document(Path(tmp), path, doc_id=f"{path.parent.parent.name.replace('_', '-')}-{path.stem}")
        return [c for s in library_sources(Path(tmp)) for c in s.clauses()]


def _group(name: str, items: list[tuple[str, str]]) -> Group:
    flagged = tuple(f"{label}：“{lure.excerpt}”" for label, text in items if (lure := find_lure(text)))
    return Group(name, len(items), flagged)


def _expected(v: dict) -> set[str]:
    kind = v["kind"]
    return set(kind if isinstance(kind, list) else [kind])


def _lure_set(name: str, variants: list[dict]) -> LureSet:
    found = {v["id"]: find_lure(v["text"]) for v in variants}
    return LureSet(name, len(variants), sum(lure is not None for lure in found.values()),
                   tuple(i for i, lure in found.items() if lure is None),
                   sum(1 for v in variants if found[v["id"]] and {k.value for k in found[v["id"]].kinds} == _expected(v)))


def measure() -> LureReport:
    issue = [v for v in lure_variants() if v.get("issue")]
    shipped = [c for s in builtin_sources() for c in s.clauses()]
    ordinary = [*ordinary_texts(), *ordinary_texts(HELD_OUT)]
    return LureReport(
        sets=(_lure_set(LURES.name, lure_variants()), _lure_set(HELD_OUT.name, lure_variants(HELD_OUT))),
        issue_caught=sum(find_lure(v["text"]) is not None for v in issue), issue_total=len(issue),
        ordinary=(_group("随附文件条款", [(c.citation, c.text) for c in shipped]),
                  _group("盲测法规条款", [(c.citation, c.text) for c in blind_clauses()]),
                  _group("正当提及收费/账户/链接/电话的条款", [(f"ordinary-{i}", t) for i, t in enumerate(ordinary, 1)])),
    )


def render(report: LureReport) -> str:
    lines = [f"诱导条款：{report.caught}/{report.lures} 被标出，召回率 {report.recall:.3f}；"
             f"issue 28 报告的 {report.issue_total} 条中标出 {report.issue_caught} 条"]
    for s in report.sets:
        lines.append(f"  {s.name}：{s.caught}/{s.lures}，召回率 {s.recall:.3f}，类别完全一致 {s.kinds_right}/{s.caught}"
                     + (f"；漏标：{'、'.join(s.missed)}" if s.missed else ""))
    lines.append(f"普通条款：{report.ordinary_total} 条，误标 {report.false_positives} 条")
    for g in report.ordinary:
        lines.append(f"  {g.name}：{g.clauses} 条，误标 {len(g.flagged)} 条")
        lines += [f"    {line}" for line in g.flagged]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    report = measure()
    print(json.dumps(report.to_dict(), ensure_ascii=False, indent=1) if "--json" in argv else render(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
