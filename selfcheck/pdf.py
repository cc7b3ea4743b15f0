"""The self-assessment report as a PDF an enterprise can file or print.

fpdf2 writes it; the Chinese text is set in Noto Sans SC (SIL OFL), which arrives as a PyPI
package (pylopdf-fonts-zh-cn), so no system font is needed and the PDF embeds the glyphs.
"""
from __future__ import annotations

from datetime import datetime

from selfcheck.model import VERDICT_LABELS, Assessment
from selfcheck.report import _cited_clauses, criterion_details

_COLOURS = {"pass": (22, 120, 60), "fail": (190, 30, 30), "unknown": (150, 110, 0), "not_applicable": (110, 110, 110)}


def cjk_font_path() -> str:
    from pylopdf_fonts_zh_cn import sans_path
    return str(sans_path())


def render_pdf(assessment: Assessment, when: datetime | None = None) -> bytes:
    """Verdict, score and notes; each criterion with its status, figures, gap and clause; then
    the full text of every cited clause — the same content as the Markdown report."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_font("cjk", fname=cjk_font_path())
    when = when or datetime.now()
    pdf.set_title(f"申报自评报告：{assessment.program.name}")
    pdf.set_creation_date(when.astimezone())
    pdf.add_page()
    p = assessment.program

    def para(text: str, size: float = 10.5, colour=(0, 0, 0), gap: float = 1.5) -> None:
        pdf.set_font("cjk", size=size)
        pdf.set_text_color(*colour)
        pdf.multi_cell(0, size * 0.55, text, align="L", new_x="LMARGIN", new_y="NEXT", wrapmode="CHAR")
        pdf.ln(gap)

    para(f"申报自评报告：{p.name}", 16, gap=3)
    para(f"依据文件：《{p.doc_title}》（{p.doc_status}）")
    para(f"自评结论：{VERDICT_LABELS[assessment.verdict]}　　通过 {assessment.passed} 项 / 适用 {assessment.applicable} 项",
         12, _COLOURS["pass" if assessment.verdict == "eligible" else "fail"
                      if assessment.verdict == "not_eligible" else "unknown"])
    para(f"生成日期：{when:%Y-%m-%d %H:%M}　　规则版本：{assessment.rules_digest or '—'}", 9, (90, 90, 90))
    for note in assessment.notes:
        para(f"· {note}", 9.5, (60, 60, 60), gap=0.8)
    pdf.ln(2)
    para("逐项结果", 13, gap=2)
    for i, c in enumerate(assessment.criteria, 1):
        para(f"{i}. {c.title}　【{c.status_label}】", 11, _COLOURS[c.status], gap=0.5)
        for label, text in criterion_details(c):
            para(f"{label}：{text}", 9.5, (40, 40, 40), gap=0.3)
        pdf.ln(1.5)
    para("所引条款原文", 13, gap=2)
    for cit in _cited_clauses(assessment):
        para(f"《{cit.doc_title}》{cit.clause_path}", 10, (20, 60, 140), gap=0.5)
        para(cit.text, 9.5, (40, 40, 40))
    return bytes(pdf.output())
