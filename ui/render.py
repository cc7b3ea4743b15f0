"""How the records of the other packages look on the page: answers as chat messages with
their sources, assessments as a criteria table, clause trees, eval metrics. Pure functions,
so they are tested without a browser. Everything a user or a document wrote is escaped:
it is shown as text, never run as HTML."""
from __future__ import annotations

import html
from typing import Iterable

from assistant import Answer
from assistant.types import REFUSAL_LABELS
from evals.report import HEADLINE, LABELS, fmt
from ingest.lures import find_lure
from ingest.model import Clause
from selfcheck import Assessment
from selfcheck.model import VERDICT_LABELS
from selfcheck.report import STATUS_MARKS

# Plain marks, not emoji: they render with any Chinese font.
VERDICT_MARKS = {"eligible": "✔", "not_eligible": "✘", "incomplete": "？"}
CRITERIA_HEADERS = ["状态", "条件", "企业情况", "要求", "差距", "依据条款"]


def text(value: str) -> str:
    """User or document text, safe inside Markdown: HTML shown as typed."""
    return html.escape(value, quote=False)


def user_message(question: str) -> dict:
    return {"role": "user", "content": text(question)}


def answer_messages(answer: Answer) -> list[dict]:
    """The answer, then each cited clause as a collapsed source (document title, clause path,
    text); a refusal says so and lists the clauses that came closest."""
    body = text(answer.text)
    if answer.refused:
        body = f"**{REFUSAL_LABELS.get(answer.refusal or '', '无法回答')}**\n\n{body}"
    if answer.note:
        body = f"> 注意：{text(answer.note)}\n\n{body}"
    if answer.resolved_question and answer.resolved_question != answer.question:
        body += f"\n\n<small>（按“{text(answer.resolved_question)}”理解）</small>"
    messages = [{"role": "assistant", "content": body}]
    for c in answer.citations:
        messages.append(source_message(f"[{c.n}] {c.clause.citation}", c.clause))
    for clause in answer.related:
        messages.append(source_message(f"可能相关：{clause.citation}", clause))
    return messages


def source_message(title: str, clause: Clause) -> dict:
    """A source, collapsed under its title; a lure (ingest/lures.py) says so in the title."""
    lure = find_lure(clause.text)
    return {"role": "assistant", "content": text(clause.text),
            "metadata": {"title": f"{title}（⚠ {lure.warning}）" if lure else title, "status": "done"}}


def criteria_rows(assessment: Assessment) -> list[list[str]]:
    """One row per criterion: status, what, the enterprise's figure, what is required, the
    gap, and the clause the requirement comes from."""
    return [[f"{STATUS_MARKS[r.status]} {r.status_label}", r.title, r.actual or "—", r.required,
             r.gap or "—", f"《{r.citation.doc_title}》{r.citation.clause_path}"] for r in assessment.criteria]


def criteria_cards(assessment: Assessment) -> str:
    """The criteria as cards, one per criterion, for a narrow screen (a six-column table wraps
    two characters a line there): status and condition on top, then each value on its line."""
    cards = []
    for status, title, actual, required, gap, clause in criteria_rows(assessment):
        lines = [f"**{text(status)}　{text(title)}**", f"企业情况：{text(actual)}", f"要求：{text(required)}"]
        if gap != "—":
            lines.append(f"差距：{text(gap)}")
        lines.append(f"依据：{text(clause)}")
        cards.append("\n".join(f"> {line}  " for line in lines))
    return "\n\n".join(cards)


def verdict_markdown(assessment: Assessment) -> str:
    """Verdict and score on top, then the engine's notes (what is missing, caveats)."""
    head = (f"## {VERDICT_MARKS[assessment.verdict]} {VERDICT_LABELS[assessment.verdict]}　"
            f"得分 {assessment.score}（通过 {assessment.passed} 项 / 适用 {assessment.applicable} 项）")
    failing = [r.title for r in assessment.criteria if r.status == "fail"]
    if failing:  # the summary names what fails, not only how many
        head += f"\n\n**未满足**：{text('、'.join(failing))}"
    return "\n\n".join([head, *(f"- {text(n)}" for n in assessment.notes)])


def clause_tree_markdown(clauses: Iterable[Clause], focus: str | None = None) -> str:
    """A document as its clause tree: a heading per top-level section, then each clause under
    its citation label, indented by its depth in the tree. `focus`: a clause path to mark
    (在文件中查看 from a chat source)."""
    out, section = [], None
    for c in clauses:
        top = c.breadcrumb[0] if c.breadcrumb else None
        if top and top != section:
            out.append(f"#### {text(top)}")
        section = top
        label = c.path or "前言"
        if c.heading and c.heading not in c.text[:len(c.heading) + 2]:
            label += f"【{c.heading}】"
        more = "（续）" if c.part else ""
        line = f"**{text(label)}**{more}　{text(c.text)}"
        if focus is not None and c.path == focus:
            line = f"<mark>{line}</mark>"
        out.append(f"{'&emsp;' * max(0, len(c.breadcrumb) - 1)}{line}")
    return "\n\n".join(out) or "（该文件没有条款）"


def metrics_rows(overall: dict, baseline: dict | None) -> list[list[str]]:
    """Ours beside the naive baseline, headline metric by headline metric."""
    return [[LABELS[key], fmt(overall[key]), fmt((baseline or {}).get(key))]
            for key in HEADLINE if key in overall]
