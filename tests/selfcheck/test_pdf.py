"""The PDF report: the same verdict, gaps and cited clauses as the Markdown one, in real
Chinese glyphs (read back with PyMuPDF)."""
import pymupdf

from selfcheck import evaluate
from selfcheck.pdf import render_pdf


def test_pdf_holds_verdict_gap_and_cited_clause_text():
    assessment = evaluate("gx-consortium", {"members_total": 9, "lead_annual_revenue_wan": 80000})
    from datetime import datetime
    data = render_pdf(assessment, when=datetime(2026, 12, 4, 9, 30))
    assert data.startswith(b"%PDF")
    doc = pymupdf.open(stream=data, filetype="pdf")
    text = "".join(page.get_text() for page in doc).replace("\n", "")
    assert "申报自评报告：广西壮族自治区创新联合体" in text
    assert "自评结论：不符合条件" in text
    assert "生成日期：2026-12-04 09:30" in text  # a filed report says when it was made
    assert "差距：还差" in text and "亿元" in text
    assert "《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1" in text
    assert "年主营业务收入原则上应达到10亿元以上" in text  # the clause itself, quoted
    fonts = {f[3] for page in doc for f in page.get_fonts()}
    assert any("Noto" in name for name in fonts)  # the glyphs are embedded, not a viewer's guess
