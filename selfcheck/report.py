"""Render an assessment for people: a Markdown report to keep, and the CLI's plain text."""
from __future__ import annotations

from datetime import datetime

from selfcheck.model import (
    STRICTNESS_LABELS, VERDICT_LABELS, Assessment, Citation, CriterionResult,
)

STATUS_MARKS = {"pass": "✔", "fail": "✘", "unknown": "？", "not_applicable": "－"}
_SOFT_TAG = "［原则上］"


def _cell(text: str | None) -> str:
    """Markdown table cell: no pipes or line breaks."""
    return (text or "—").replace("|", "\\|").replace("\n", " ")


def _cited_clauses(assessment: Assessment) -> list[Citation]:
    """Each cited clause once, in order of first citation."""
    seen: dict[tuple[str, str], Citation] = {}
    for c in assessment.criteria:
        seen.setdefault((c.citation.doc_id, c.citation.clause_path), c.citation)
        if c.exception and c.exception.citation:
            cit = c.exception.citation
            seen.setdefault((cit.doc_id, cit.clause_path), cit)
    return list(seen.values())


def _quote(text: str) -> str:
    """A blockquote that keeps the clause's own line breaks (one paragraph per line)."""
    return "\n>\n".join(f"> {line}" for line in text.splitlines() if line.strip())


def _hint(c: CriterionResult) -> str:
    """The 一事一议 hint with the clause it rests on: "……组织认定（见第八条）。"."""
    cit = c.exception.citation
    return f"{c.exception.message.rstrip('。')}（见{cit.clause_path}）。" if cit else c.exception.message


def criterion_details(c: CriterionResult) -> list[tuple[str, str]]:
    """(label, text) lines that explain one criterion's result; every report format uses them."""
    pairs = [("要求", c.required), ("要求类型", STRICTNESS_LABELS[c.strictness])]
    pairs += [(label, value) for label, value in (("实际", c.actual), ("差距", c.gap), ("说明", c.note)) if value]
    if c.exception:
        pairs.append(("提示", _hint(c)))
    pairs.append(("依据", f"《{c.citation.doc_title}》{c.citation.clause_path}"))
    return pairs


def _detail_lines(c: CriterionResult) -> list[str]:
    return [f"- {label}：{text}" for label, text in criterion_details(c)]


def render_markdown(assessment: Assessment, when: datetime | None = None) -> str:
    """A self-contained report: verdict, a table of every criterion, the details of what
    failed or is missing, and the full text of every cited clause."""
    p = assessment.program
    out = [
        f"# 申报自评报告：{p.name}",
        "",
        f"- 依据文件：《{p.doc_title}》（{p.doc_status}）",
        f"- 自评结论：**{VERDICT_LABELS[assessment.verdict]}**",
        f"- 通过情况：通过 {assessment.passed} 项 / 适用 {assessment.applicable} 项",
        f"- 规则版本：{assessment.rules_digest or '—'}",
        f"- 生成日期：{(when or datetime.now()):%Y-%m-%d %H:%M}",
        "",
        "## 提示",
        "",
        *(f"- {n}" for n in assessment.notes),
        "",
        "## 逐项结果",
        "",
        "| 序号 | 条件 | 要求类型 | 结果 | 实际情况 | 要求 | 差距 | 依据条款 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for i, c in enumerate(assessment.criteria, 1):
        out.append(
            f"| {i} | {_cell(c.title)} | {'原则上' if c.strictness == 'in_principle' else '硬性'} "
            f"| {STATUS_MARKS[c.status]} {c.status_label} | {_cell(c.actual)} | {_cell(c.required)} "
            f"| {_cell(c.gap)} | {_cell(c.citation.clause_path)} |")
    flagged = [c for c in assessment.criteria if c.status in ("fail", "unknown")]
    if flagged:
        out += ["", "## 未通过与待补充事项", ""]
        for i, c in enumerate(flagged, 1):
            out += [f"### {i}. {c.title}（{c.status_label}）", "", *_detail_lines(c), ""]
    out += ["", "## 引用条款原文", ""]
    for cit in _cited_clauses(assessment):
        out += [f"**《{cit.doc_title}》{cit.clause_path}**", "", _quote(cit.text), ""]
    return "\n".join(out).rstrip() + "\n"


def render_text(assessment: Assessment) -> str:
    """The CLI's human output: one block per criterion, failures with their gap."""
    p = assessment.program
    out = [
        f"{p.name} · 申报自评",
        f"依据：《{p.doc_title}》（{p.doc_status}）",
        f"结论：{VERDICT_LABELS[assessment.verdict]}（通过 {assessment.passed} 项 / 适用 {assessment.applicable} 项）",
        "",
    ]
    for c in assessment.criteria:
        tag = _SOFT_TAG if c.strictness == "in_principle" else ""
        head = f"{STATUS_MARKS[c.status]} {c.status_label:<4}{c.title}{tag}"
        where = f"  〔{c.citation.clause_path}〕"
        if c.status == "pass":
            out.append(f"{head}：{c.actual}{where}")
            continue
        out.append(head + where)
        if c.status == "not_applicable":
            out.append(f"      {c.note}")
            continue
        if c.actual:
            out.append(f"      实际：{c.actual}")
        out.append(f"      要求：{c.required}")
        if c.gap:
            out.append(f"      差距：{c.gap}")
        if c.note:
            out.append(f"      说明：{c.note}")
        if c.exception:
            out.append(f"      提示：{_hint(c)}")
    out += ["", "提示："] + [f"· {n}" for n in assessment.notes]
    return "\n".join(out) + "\n"
