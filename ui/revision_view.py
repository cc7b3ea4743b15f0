"""How a revision (ingest/alignment.py) and its impact (evals/impact.py) look: Markdown for the
command line and reports, and a side-by-side HTML view for the 政策文件 tab — old text left, new
right, the changed words marked (<del>/<ins>), stacked one above the other on a phone. Pure
functions; every text a document holds is escaped."""
from __future__ import annotations

import html

from evals.impact import ImpactReport
from ingest.alignment import ChangeKind, ClauseChange, Revision, text_diff

# Scoped to the view: two columns on a wide screen, one on a phone.
REVISION_CSS = """
#revision-view .rev-row{display:grid;grid-template-columns:1fr 1fr;gap:.5rem;margin:.4rem 0;
  border-top:1px solid var(--border-color-primary,#ddd);padding-top:.4rem}
#revision-view .rev-head{grid-column:1/-1;font-weight:600}
#revision-view .rev-cell{white-space:pre-wrap;word-break:break-all;line-height:1.6}
#revision-view del{background:#fdd;color:#900;text-decoration:line-through}
#revision-view ins{background:#dfd;color:#060;text-decoration:none}
#revision-view .rev-empty{color:#888}
@media (max-width:640px){#revision-view .rev-row{grid-template-columns:1fr}}
"""


def _figures(change: ClauseChange) -> str:
    return "；".join(f"{f.old or '（无）'} → {f.new or '（无）'}" for f in change.figures)


def _where(change: ClauseChange) -> str:
    if change.kind is ChangeKind.MOVED:
        return f"{change.old_path} → {change.new_path}"
    return change.new_path or change.old_path or ""


def revision_markdown(revision: Revision, title: str) -> str:
    """Every change, unchanged clauses left out: kind, where, the figures, old and new text."""
    lines = [f"# 《{title}》修订对比：第 {revision.old} 版 → 第 {revision.new} 版", "",
             f"共 {len(revision.changes)} 处变化（{_counts(revision)}）。", ""]
    for c in revision.changes:
        lines.append(f"## {c.kind.label} {_where(c)}")
        if c.figures:
            lines.append(f"- 数字：{_figures(c)}")
        if c.old_text is not None and c.kind is not ChangeKind.ADDED and (c.text_changed or c.kind is ChangeKind.REMOVED):
            lines.append(f"- 修订前：{c.old_text}")
        if c.new_text is not None and c.kind is not ChangeKind.REMOVED:
            lines.append(f"- 修订后：{c.new_text}" if c.text_changed or c.kind is ChangeKind.ADDED else "- 文字未变")
        lines.append("")
    return "\n".join(lines)


def _counts(revision: Revision) -> str:
    counts = {k: sum(1 for c in revision.changes if c.kind is k) for k in ChangeKind if k is not ChangeKind.UNCHANGED}
    return "，".join(f"{k.label} {n}" for k, n in counts.items() if n) or "无"


def revision_html(revision: Revision, title: str) -> str:
    """Side by side, the changed words marked. The caller shows it in an element whose id is
    revision-view (REVISION_CSS)."""
    rows = [f"<p><b>《{html.escape(title)}》第 {revision.old} 版 → 第 {revision.new} 版</b>："
            f"{len(revision.changes)} 处变化（{html.escape(_counts(revision))}）</p>"]
    for c in revision.changes:
        head = f"{c.kind.label} {html.escape(_where(c))}"
        if c.figures:
            head += f"　<span>数字：{html.escape(_figures(c))}</span>"
        old, new = _marked(c)
        rows.append(f'<div class="rev-row"><div class="rev-head">{head}</div>'
                    f'<div class="rev-cell" aria-label="修订前">{old}</div>'
                    f'<div class="rev-cell" aria-label="修订后">{new}</div></div>')
    if not revision.changes:
        rows.append("<p>两个版本的条款完全相同。</p>")
    return "\n".join(rows)


def _marked(c: ClauseChange) -> tuple[str, str]:
    empty = '<span class="rev-empty">（无）</span>'
    if c.old_text is None:
        return empty, f"<ins>{html.escape(c.new_text or '')}</ins>"
    if c.new_text is None:
        return f"<del>{html.escape(c.old_text)}</del>", empty
    old, new = [], []
    for seg in text_diff(c.old_text, c.new_text):
        piece = html.escape(seg.text)
        if seg.kind == "same":
            old.append(piece)
            new.append(piece)
        elif seg.kind == "old":
            old.append(f"<del>{piece}</del>")
        else:
            new.append(f"<ins>{piece}</ins>")
    return "".join(old), "".join(new)


def impact_markdown(report: ImpactReport) -> str:
    lines = report.lines()
    return "\n".join([f"**{lines[0]}**", *(f"- {line}" for line in lines[1:])])
