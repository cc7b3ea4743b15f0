"""What the assistant returns: one Answer type for every mode."""
from __future__ import annotations

from dataclasses import dataclass, field

from assistant.applied import Applied
from ingest.lures import find_lure
from ingest.model import Clause
from retriever import Hit

MODES = ("extractive", "llm")
MODE_LABELS = {"extractive": "原文摘录", "llm": "大模型"}


def mode_of(label: str | None) -> str:
    """The mode a UI label stands for (extractive when the label is unknown or empty)."""
    return next((m for m, text in MODE_LABELS.items() if text == label), "extractive")


REFUSAL_LABELS = {
    "out_of_scope": "超出现有文件范围", "not_specified": "文件未作规定",
    "indicator_without_value": "文件列为指标但未规定数值", "injection": "无法执行的指令",
    "needs_context": "请把问题说完整", "small_talk": "寒暄或闲聊",
}


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: marker [n] → the clause."""

    n: int
    clause: Clause

    def to_dict(self) -> dict:
        return {"n": self.n, **clause_record(self.clause)}


def clause_record(c: Clause) -> dict:
    """A quoted clause in an answer's record, with what makes it a lure (ingest/lures.py) or None."""
    lure = find_lure(c.text)
    return {"doc_id": c.doc_id, "doc_title": c.doc_title, "clause_path": c.path, "text": c.text,
            "lure": lure.to_dict() if lure else None}


@dataclass(frozen=True)
class Turn:
    """One resolved exchange, kept in a session's history for follow-ups."""

    question: str            # as asked
    resolved: str            # with the follow-up resolved against earlier turns
    regions: tuple[str, ...]
    doc_ids: tuple[str, ...]
    answer: "Answer | None" = None


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    citations: tuple[Citation, ...] = ()
    refused: bool = False
    refusal: str | None = None         # out_of_scope | not_specified | indicator_without_value | injection | needs_context | small_talk | empty
    hits: tuple[Hit, ...] = ()          # everything retrieved, best first
    related: tuple[Clause, ...] = ()    # 可能相关 clauses shown with a refusal
    mode: str = "extractive"
    note: str | None = None             # e.g. generated text failed verification
    resolved_question: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    assessment: Applied | None = None   # an applied question's verdict from the rules engine
    # The answerability classifier's probability that the documents answer (retriever/answerability.py);
    # None when it was not asked (refused on scope, an applied question, no model for the embedder).
    answerability: float | None = None
    weighed: bool = False               # the retrieved evidence was weighed for answerability
    evidence: tuple[float, ...] = field(default=(), repr=False, compare=False)  # what was weighed

    def to_dict(self) -> dict:
        return {
            "q": self.question, "answer": self.text, "refused": self.refused, "refusal": self.refusal,
            "mode": self.mode, "note": self.note, "resolved_question": self.resolved_question,
            "citations": [c.to_dict() for c in self.citations],
            "related": [clause_record(c) for c in self.related],
            "retrieved": [{"doc_id": h.clause.doc_id, "doc_title": h.clause.doc_title,
                           "clause_path": h.clause.path, "text": h.clause.text,
                           "score": round(h.score, 6)} for h in self.hits],
            "timings_ms": {k: round(v * 1000, 1) for k, v in self.timings.items()},
            "assessment": self.assessment.to_dict() if self.assessment else None,
            "answerability": None if self.answerability is None else round(self.answerability, 4),
        }
