"""Rules cannot drift from the documents: every rule is checked against the clause it cites.

At load, for each criterion: the cited clause must exist in the parsed corpus, the rule's
verbatim `quote` must be in it, the threshold `figure` must be in it as written ("10亿元"), and
that figure, converted to the field's unit, must equal the threshold the engine compares with
(10亿元 = 100000 万元; 三分之一 = 100/3 %). Any mismatch refuses the whole rules file.
"""
from __future__ import annotations

from fractions import Fraction

from corpus import document
from ingest.documents import clause_text
from selfcheck.errors import CitationError
from selfcheck.figures import convert, format_number, normalise_text, parse_figure
from selfcheck.model import Citation, ClauseRef, Criterion, ExceptionRule, Test


def resolve(ref: ClauseRef) -> Citation | None:
    """The cited clause with its full text, or None when the corpus has no such clause."""
    try:
        doc = document(ref.doc_id)
    except KeyError:
        return None
    text = clause_text(ref.doc_id, ref.clause_path)
    if text is None:
        return None
    return Citation(doc.id, doc.title, ref.clause_path, text)


def contains(text: str, phrase: str) -> bool:
    """Whitespace- and width-insensitive containment ("5 例" contains "5例")."""
    return normalise_text(phrase) in normalise_text(text)


def require_clause(ref: ClauseRef, source: str, rule_id: str | None) -> Citation:
    citation = resolve(ref)
    if citation is None:
        raise CitationError(source, rule_id,
                            f"引用的条款不存在：文件“{ref.doc_id}”中没有条款“{ref.clause_path}”")
    return citation


def require_phrase(citation: Citation, phrase: str, what: str, source: str,
                   rule_id: str | None) -> None:
    if not contains(citation.text, phrase):
        raise CitationError(
            source, rule_id,
            f"{what}“{phrase}”不在《{citation.doc_title}》{citation.clause_path} 的原文中",
        )


def figure_threshold(figure: str, unit: str, source: str, rule_id: str) -> tuple[Fraction, ...]:
    """The figure's value(s) in the test's unit; a CitationError when it cannot be read so."""
    try:
        parsed = parse_figure(figure)
        return tuple(convert(v, parsed.unit, unit) for v in parsed.values)
    except ValueError as exc:
        raise CitationError(source, rule_id, f"原文数字“{figure}”无法换算为“{unit}”：{exc}") from exc


def check_test_figure(test: Test, citation: Citation, source: str, rule_id: str) -> None:
    """The figure is in the clause, and equals the threshold once converted."""
    if test.figure is None:
        return
    require_phrase(citation, test.figure, "阈值数字", source, rule_id)
    from_text = figure_threshold(test.figure, test.unit or "", source, rule_id)
    expected = test.threshold if isinstance(test.threshold, tuple) else (test.threshold,)
    if from_text != tuple(expected):
        shown = "—".join(format_number(v) for v in expected)
        got = "—".join(format_number(v) for v in from_text)
        raise CitationError(
            source, rule_id,
            f"阈值 {shown} {test.unit} 与原文数字“{test.figure}”（= {got} {test.unit}）不符",
        )


def check_criterion(criterion: Criterion, source: str) -> Citation:
    """Resolve a criterion's citation and check its quote and figures against the clause."""
    citation = require_clause(criterion.citation, source, criterion.id)
    require_phrase(citation, criterion.quote, "引文", source, criterion.id)
    for test in criterion.tests:
        check_test_figure(test, citation, source, criterion.id)
    return citation


def check_exception(rule: ExceptionRule, doc_id: str, source: str) -> Citation:
    citation = require_clause(ClauseRef(doc_id, rule.clause_path), source, "exception")
    require_phrase(citation, rule.quote, "引文", source, "exception")
    return citation
