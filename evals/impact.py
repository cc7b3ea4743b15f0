"""What a new version of a document affects, beyond its own clauses (ingest/alignment.py says
what changed in it): self-assessment rules whose cited clause or figure changed (which rule, the
old and the new figure — the rules keep loading, the criterion is marked 待更新 until the rules
file is updated), gold rows whose evidence or facts changed or disappeared, and logged answers
that cited a clause that has changed since (exportable, so officials can tell the enterprises).

The report is kept beside the version in the library (ingest.library.impact_path), so the
self-assessment can mark the affected criteria and answers can note the revision."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from evals.io import read_gold_set, shipped_gold_files
from ingest.alignment import ChangeKind, ClauseChange, Revision
from ingest.library import impact_path
from selfcheck.figures import normalise_text
from selfcheck.rules import load_program, program_ids

@dataclass(frozen=True)
class RuleImpact:
    program: str
    criterion: str
    title: str
    old_path: str
    new_path: str | None
    kind: str                  # a ChangeKind value: changed / moved / removed
    old_figure: str | None = None
    new_figure: str | None = None  # None: the figure is no longer in the clause
    rules_digest: str = ""     # the rules file this was found against: the mark holds until it changes
    needs_update: bool = True  # False: the clause changed elsewhere; the rule's quote and figure still stand

    @property
    def verdict(self) -> str:
        return "待更新" if self.needs_update else "引文与数字仍在原处，请核对"

    def line(self) -> str:
        where = f"{self.old_path}（{ChangeKind(self.kind).label}" + (
            f"为 {self.new_path}）" if self.new_path and self.new_path != self.old_path else "）")
        figure = "" if self.old_figure is None else (
            f"，数字 {self.old_figure} → {self.new_figure}" if self.new_figure and self.new_figure != self.old_figure
            else f"，数字 {self.old_figure} 未变" if self.new_figure else f"，原数字 {self.old_figure} 已不在条款中")
        return f"自评规则 {self.program}/{self.criterion}「{self.title}」引用的 {where}{figure} —— {self.verdict}"

    def brief(self) -> str:
        """For the criterion itself in a self-assessment: what changed in its clause."""
        figure = f"（{self.old_figure} → {self.new_figure or '已删去'}）" if self.old_figure and self.new_figure != self.old_figure else ""
        return f"原文{self.old_path}已{ChangeKind(self.kind).label}{figure}，本条规则尚未按新版本更新"


@dataclass(frozen=True)
class GoldImpact:
    gold_set: str
    row_id: str
    question: str
    evidence: str
    old_path: str
    why: str       # 金标原文已改 / 金标原文已删 / 要点已改

    def line(self) -> str:
        return f"金标 {self.gold_set}/{self.row_id}「{self.question}」：{self.why}（{self.old_path}，原文“{self.evidence}”）"


@dataclass(frozen=True)
class AnswerImpact:
    answer_id: str
    created: float
    question: str
    citation: str
    kind: str

    def line(self) -> str:
        return f"问答记录 {self.answer_id[:8]}「{self.question}」引用了 {self.citation}（已{ChangeKind(self.kind).label}）"


@dataclass(frozen=True)
class ImpactReport:
    doc_id: str
    old: int
    new: int
    changes: int
    rules: tuple[RuleImpact, ...] = ()
    gold: tuple[GoldImpact, ...] = ()
    answers: tuple[AnswerImpact, ...] = ()
    added: str | None = None   # when the new version entered the library
    notes: tuple[str, ...] = field(default_factory=tuple)  # what could not be checked, and why

    def lines(self) -> list[str]:
        pending = len({(r.program, r.criterion) for r in self.rules if r.needs_update})
        head = (f"{self.doc_id} 第 {self.old} 版 → 第 {self.new} 版：{self.changes} 处条款变化；"
                f"自评规则待更新 {pending} 条（另有 {len({(r.program, r.criterion) for r in self.rules}) - pending} 条请核对）、"
                f"金标题 {len(self.gold)} 道、问答记录 {len(self.answers)} 条")
        return [head, *(r.line() for r in self.rules), *(g.line() for g in self.gold),
                *(a.line() for a in self.answers), *self.notes]

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "ImpactReport":
        return cls(d["doc_id"], d["old"], d["new"], d["changes"],
                   tuple(RuleImpact(**r) for r in d.get("rules", ())),
                   tuple(GoldImpact(**g) for g in d.get("gold", ())),
                   tuple(AnswerImpact(**a) for a in d.get("answers", ())),
                   d.get("added"), tuple(d.get("notes", ())))


def assess(revision: Revision, old_title: str, *, logbook=None, stored_sets: dict[str, bytes] | None = None,
           added: str | None = None) -> ImpactReport:
    """Everything the revision affects. `logbook` (evals.logbook.Logbook) adds the logged answers
    and the gold sets saved from the review queue; `stored_sets` is for those without a logbook."""
    notes: list[str] = []
    answers: tuple[AnswerImpact, ...] = ()
    sets = dict(stored_sets or {})
    if logbook is not None:
        from evals.logbook import LogbookError
        try:
            answers = answer_impacts(revision, old_title, logbook.answers())
            sets.update({name: logbook.gold_set_jsonl(name) for name in logbook.gold_sets()})
        except LogbookError as exc:
            notes.append(f"问答记录库读取失败，未检查问答记录与保存的金标集：{exc}")
    return ImpactReport(revision.doc_id, revision.old, revision.new, len(revision.changes),
                        rule_impacts(revision), gold_impacts(revision, sets), answers, added, tuple(notes))


def rule_impacts(revision: Revision) -> tuple[RuleImpact, ...]:
    """Criteria (and 一事一议 exceptions) citing a clause of this document that changed."""
    out = []
    for program_id in program_ids():
        rules = load_program(program_id)
        for criterion in rules.cited_criteria:
            ref = criterion.citation
            change = revision.of_old_path(ref.clause_path) if ref.doc_id == revision.doc_id else None
            if change is None or change.kind is ChangeKind.UNCHANGED:
                continue
            figures = [t.figure for t in criterion.tests if t.figure] or [None]
            stands = _still_stands(change, criterion.quote, figures)
            for figure in figures:
                out.append(RuleImpact(program_id, criterion.id, criterion.title, ref.clause_path, change.new_path,
                                      change.kind.value, figure, _new_figure(change, figure), rules.digest,
                                      needs_update=not stands))
        if rules.exception and rules.program.doc_id == revision.doc_id:
            change = revision.of_old_path(rules.exception.clause_path)
            if change is not None and change.kind is not ChangeKind.UNCHANGED:
                out.append(RuleImpact(program_id, "exception", "一事一议", rules.exception.clause_path,
                                      change.new_path, change.kind.value, rules_digest=rules.digest,
                                      needs_update=not _still_stands(change, rules.exception.quote, [None])))
    return tuple(out)


def _still_stands(change: ClauseChange, quote: str, figures: list[str | None]) -> bool:
    """The rule still reads right against the new text: the clause kept its path, and the
    rule's quote and every figure are in it as written."""
    if change.kind is not ChangeKind.CHANGED or change.new_text is None:
        return False
    text = normalise_text(change.new_text)
    return all(normalise_text(x) in text for x in (quote, *(f for f in figures if f)))


def _new_figure(change: ClauseChange, figure: str | None) -> str | None:
    if figure is None:
        return None
    if change.new_text and normalise_text(figure) in normalise_text(change.new_text):
        return figure
    return next((f.new for f in change.figures if f.old and normalise_text(f.old) == normalise_text(figure)), None)


def gold_impacts(revision: Revision, stored_sets: dict[str, bytes]) -> tuple[GoldImpact, ...]:
    """Gold rows (the shipped sets and those saved from the review queue) whose evidence is in a
    clause of the old version that changed, and is no longer in the new version as written, or
    whose facts that clause stated are gone from it."""
    sets = [(p.name, read_gold_set(p)) for p in shipped_gold_files()]
    sets += [(name, read_gold_set(Path(f"{name}.jsonl"), data)) for name, data in stored_sets.items()]
    new_texts = [normalise_text(c.new_text) for c in revision.clauses if c.new_text]
    out = []
    for name, gold in sets:
        for q in gold.questions:
            for doc, evidence in q.evidences:
                if doc != revision.doc_id:
                    continue
                why, change = _gold_problem(revision, evidence, q.facts, new_texts)
                if why:
                    out.append(GoldImpact(name, q.id, q.q, evidence, change.old_path or "", why))
    return tuple(out)


def _gold_problem(revision: Revision, evidence: str, facts: tuple[str, ...], new_texts: list[str]):
    wanted = normalise_text(evidence)
    change = next((c for c in revision.clauses if c.old_text and wanted in normalise_text(c.old_text)), None)
    if change is None or change.kind is ChangeKind.UNCHANGED:
        return None, change
    if not any(wanted in t for t in new_texts):
        return ("金标原文已删" if change.kind is ChangeKind.REMOVED else "金标原文已改"), change
    old, new = normalise_text(change.old_text or ""), normalise_text(change.new_text or "")
    if any(normalise_text(f) in old and normalise_text(f) not in new for f in facts):
        return "要点已改", change
    return None, change


def answer_impacts(revision: Revision, old_title: str, answers: list[dict]) -> tuple[AnswerImpact, ...]:
    """Logged answers citing a clause of the old version that changed, moved or went."""
    changed = {f"《{old_title}》{c.old_path}": c for c in revision.changes if c.old_path}
    out = []
    for a in answers:
        for citation in json.loads(a.get("citations") or "[]"):
            if citation in changed:
                out.append(AnswerImpact(a["answer_id"], a["created"], a["question"], citation,
                                        changed[citation].kind.value))
    return tuple(out)


# ---- kept beside the version ------------------------------------------------------------------
def save_impact(data_dir: Path, report: ImpactReport) -> Path:
    path = impact_path(data_dir, report.doc_id, report.new)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)
    return path


def load_impact(data_dir: Path, doc_id: str, version: int) -> ImpactReport | None:
    path = impact_path(data_dir, doc_id, version)
    try:
        return ImpactReport.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError):
        return None  # a damaged report is recomputed by `diff DOC --impact`


def report_revision(data_dir: Path, doc_id: str, version: int, *, logbook=None) -> ImpactReport | None:
    """After a version is added: what it changed against the one before, what that affects —
    kept beside the version and in the logbook. None for a document's first version."""
    from ingest.alignment import compare_versions
    from ingest.library import document_versions

    versions = {s.meta.version: s.meta for s in document_versions(data_dir, doc_id)}
    earlier = [v for v in versions if v < version]
    if not earlier:
        return None
    revision = compare_versions(data_dir, doc_id, max(earlier), version)
    report = assess(revision, versions[max(earlier)].title, logbook=logbook, added=versions[version].added)
    save_impact(data_dir, report)
    if logbook is not None:
        from evals.logbook import LogbookError
        try:
            logbook.record_revision(doc_id, version, report.to_dict())
        except LogbookError as exc:
            report = replace(report, notes=(*report.notes, f"影响报告未能写入问答记录库：{exc}"))
    return report


def pending_rules(data_dir: Path, program_id: str) -> dict[str, str]:
    """Criterion id → what changed in its clause, for the versions the library holds whose
    impact report names the criterion — until the rules file changes (its digest then differs
    from the one the report was made against)."""
    from ingest.library import library_versions

    digest = load_program(program_id).digest
    out: dict[str, str] = {}
    for doc_id, versions in library_versions(data_dir).items():
        for v in versions:
            report = load_impact(data_dir, doc_id, v.meta.version)
            for r in report.rules if report else ():
                if r.program == program_id and r.rules_digest == digest and r.needs_update:
                    out[r.criterion] = r.brief()
    return out
