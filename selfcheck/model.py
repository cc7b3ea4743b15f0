"""The records of the engine: rules as loaded from corpus/rules, and the assessment it returns.

All frozen: an assessment is evidence an enterprise keeps, so nothing may change it after scoring.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

STATUS_LABELS = {"pass": "通过", "fail": "未通过", "unknown": "待补充", "not_applicable": "不适用"}
VERDICT_LABELS = {"eligible": "符合条件", "not_eligible": "不符合条件",
                  "incomplete": "信息不全，暂无法判定"}
STRICTNESS_LABELS = {"hard": "硬性要求", "in_principle": "原则性要求"}
KIND_LABELS = {"quantitative": "量化指标", "declared": "自评声明"}
FIELD_TYPES = ("integer", "number", "boolean", "enum")


# ---------------------------------------------------------------- rules (loaded from YAML)

@dataclass(frozen=True)
class Program:
    """One self-assessable program; its id is the id of the document it rests on."""

    id: str
    name: str
    doc_id: str
    doc_title: str
    doc_status: str
    region: str

    def to_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "doc_id": self.doc_id,
                "doc_title": self.doc_title, "doc_status": self.doc_status, "region": self.region}


@dataclass(frozen=True)
class FieldSpec:
    """One input field: its key, Chinese label and help, type, unit and allowed range."""

    key: str
    label: str
    type: str
    help: str = ""
    unit: str | None = None
    short: str = ""
    minimum: Fraction | None = None
    maximum: Fraction | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value, Chinese label), in form order
    # How people say it in a question (data in the rules file, read by selfcheck/facts.py):
    # the words naming a number field ("营收" → lead_annual_revenue_wan), the phrases stating
    # yes or no for a yes/no field, and for an option field the phrases naming each option.
    said_as: tuple[str, ...] = ()
    said_yes: tuple[str, ...] = ()
    said_no: tuple[str, ...] = ()
    choices_said: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # How a question's figures make the value: a yearly series averaged or summed ("mean" |
    # "sum"; also several groups summed, "依托单位3人，共建单位1人"), and a count that includes
    # the asker ("asker": 含牵头单位) or this one ("this": 含本联合体).
    aggregate: str = ""
    counts_in: str = ""

    @property
    def name(self) -> str:
        """How messages name the field: its label and its key."""
        return f"“{self.label}”（{self.key}）"

    @property
    def said(self) -> str:
        """How reports for people name the field: its label only (the key is for API clients)."""
        return f"“{self.label}”"

    @property
    def brief(self) -> str:
        return self.short or self.label

    def choice_label(self, value: str) -> str:
        return dict(self.choices).get(value, value)


@dataclass(frozen=True)
class Condition:
    """`applies_when` and consistency guards: field equals / in / at_least a value."""

    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class Consistency:
    """A cross-field check on input: the sum of `fields` not greater than `other`, or at
    least `value` (a single field, under an optional `when`)."""

    fields: tuple[str, ...]
    op: str
    other: str | None = None
    value: Fraction | None = None
    when: Condition | None = None
    reason: str = ""


@dataclass(frozen=True)
class Test:
    """One comparison. A criterion has one, or several joined by OR (`any_of`)."""

    measure: str                     # value | ratio | declared | choice
    operator: str                    # a key of operators.COMPARATORS
    fields: tuple[str, ...]
    subject: str                     # what is measured, in words
    threshold: Any = None            # Fraction, (low, high), or tuple of enum values
    threshold_field: str | None = None
    unit: str | None = None          # the threshold's unit (the field's unit; % for ratios)
    figure: str | None = None        # the figure as written in the cited clause
    display_unit: str | None = None  # the figure's own unit, for "还差 2 亿元"
    plus: int = 0                    # added to the field ("this consortium included")
    plus_label: str = ""
    strictness: str | None = None    # when one OR branch is 原则上 and another is not


@dataclass(frozen=True)
class ClauseRef:
    doc_id: str
    clause_path: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    kind: str                        # quantitative | declared
    strictness: str                  # hard | in_principle
    tests: tuple[Test, ...]
    citation: ClauseRef
    quote: str                       # verbatim words of the cited clause this rule rests on
    applies_when: Condition | None = None
    required: str | None = None      # override for the generated requirement text
    description: str = ""

    @property
    def fields(self) -> tuple[str, ...]:
        """Every input field the criterion reads, in order, without repeats."""
        keys = [k for t in self.tests for k in (*t.fields, t.threshold_field) if k]
        return tuple(dict.fromkeys(keys))


@dataclass(frozen=True)
class ExceptionRule:
    """The document's own 一事一议 clause, offered when an in-principle criterion fails."""

    clause_path: str
    quote: str
    message: str


@dataclass(frozen=True)
class ProgramRules:
    program: Program
    fields: tuple[FieldSpec, ...]
    consistency: tuple[Consistency, ...]
    criteria: tuple[Criterion, ...]
    exception: ExceptionRule | None
    source: str
    digest: str
    # The limits on what a recognised programme may then receive (支持措施: "最高不超过500万元",
    # "最多获得1次"): rules of their own, judged on the asker's facts in the chat, never part
    # of the eligibility self-assessment (its form, its verdict).
    limits: "ProgramRules | None" = None
    of_limits: bool = False   # these rules are a programme's limits section


    def field(self, key: str) -> FieldSpec:
        return next(f for f in self.fields if f.key == key)

    @property
    def cited_criteria(self) -> tuple[Criterion, ...]:
        """Every criterion that cites a clause: its own and its limits' (what a revision touches)."""
        return self.criteria + (self.limits.criteria if self.limits else ())

    @property
    def field_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields)


# ---------------------------------------------------------------- the assessment

@dataclass(frozen=True)
class Citation:
    doc_id: str
    doc_title: str
    clause_path: str
    text: str

    def to_dict(self) -> dict:
        return {"doc_id": self.doc_id, "doc_title": self.doc_title,
                "clause_path": self.clause_path, "text": self.text}


@dataclass(frozen=True)
class ExceptionHint:
    message: str
    citation: Citation | None = None

    def to_dict(self) -> dict:
        return {"message": self.message,
                "citation": self.citation.to_dict() if self.citation else None}


@dataclass(frozen=True)
class CriterionResult:
    id: str
    title: str
    kind: str
    status: str
    strictness: str
    fields: tuple[str, ...]
    required: str
    citation: Citation
    actual: str | None = None
    gap: str | None = None
    gap_amount: int | float | None = None
    gap_unit: str | None = None
    note: str | None = None
    exception: ExceptionHint | None = None
    trail: tuple[str, ...] = ()
    incalculable: bool = False      # undecided with every value given (a ratio over 0)

    @property
    def status_label(self) -> str:
        return "无法计算" if self.incalculable else STATUS_LABELS[self.status]

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "kind": self.kind, "status": self.status,
            "status_label": self.status_label,
            "strictness": self.strictness, "fields": list(self.fields), "actual": self.actual,
            "required": self.required, "gap": self.gap, "gap_amount": self.gap_amount,
            "gap_unit": self.gap_unit, "note": self.note,
            "exception": self.exception.to_dict() if self.exception else None,
            "citation": self.citation.to_dict(), "trail": list(self.trail),
        }


@dataclass(frozen=True)
class Assessment:
    program: Program
    verdict: str
    passed: int
    applicable: int
    criteria: tuple[CriterionResult, ...]
    inputs: tuple[tuple[str, Any], ...] = ()
    missing: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    rules_digest: str = ""

    @property
    def score(self) -> str:
        return f"{self.passed}/{self.applicable}"

    def criterion(self, criterion_id: str) -> CriterionResult:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def to_dict(self) -> dict:
        return {
            "program": self.program.to_dict(),
            "verdict": self.verdict,
            "verdict_label": VERDICT_LABELS[self.verdict],
            "score": {"passed": self.passed, "applicable": self.applicable},
            "criteria": [c.to_dict() for c in self.criteria],
            "missing": list(self.missing),
            "notes": list(self.notes),
            "inputs": dict(self.inputs),
            "rules_digest": self.rules_digest,
        }
