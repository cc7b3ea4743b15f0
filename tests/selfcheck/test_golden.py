"""Every golden case, scored by the engine and compared field by field."""
from __future__ import annotations

import json

import pytest

from selfcheck import InputError, evaluate

# Expected key → how it is read off a criterion result.
_EXACT_KEYS = ("status", "actual", "gap", "gap_amount", "gap_unit")


def check_error(case) -> None:
    with pytest.raises(InputError) as info:
        evaluate(case.program, case.inputs)
    error = info.value
    assert type(error).__name__ == case.expect["error"]
    assert error.field == case.expect.get("field")
    for words in case.expect.get("message_contains") or ():
        assert words in error.message, error.message
    assert error.to_dict() == {"error": {"field": error.field, "message": error.message,
                                         "type": type(error).__name__}}


def check_criterion(result, expected: dict) -> None:
    for key in _EXACT_KEYS:
        if key in expected:
            assert getattr(result, key) == expected[key], (key, getattr(result, key))
    if "exception" in expected:
        assert expected["exception"] is None and result.exception is None, result.exception
    if "exception_clause" in expected:
        assert result.exception is not None, "expected an exception hint"
        cited = result.exception.citation.clause_path if result.exception.citation else None
        assert cited == expected["exception_clause"]
        if cited:
            assert "一事一议" in result.exception.citation.text
    if "exception_contains" in expected:
        assert expected["exception_contains"] in result.exception.message
    if "note_contains" in expected:
        assert result.note and expected["note_contains"] in result.note, result.note


def test_golden_case(golden_case) -> None:
    if golden_case.is_error:
        check_error(golden_case)
        return
    expect = golden_case.expect
    assessment = evaluate(golden_case.program, golden_case.inputs)
    if "verdict" in expect:
        failing = [(c.id, c.status) for c in assessment.criteria if c.status != "pass"]
        assert assessment.verdict == expect["verdict"], failing
    if "score" in expect:
        assert assessment.score == expect["score"]
    if "missing" in expect:
        assert list(assessment.missing) == expect["missing"]
    for criterion_id, expected in (expect.get("criteria") or {}).items():
        check_criterion(assessment.criterion(criterion_id), expected)
    for words in expect.get("notes_contain") or ():
        assert any(words in note for note in assessment.notes), assessment.notes
    json.dumps(assessment.to_dict(), ensure_ascii=False, allow_nan=False)
