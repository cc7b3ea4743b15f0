"""申报自评：deterministic scoring of an applicant against every criterion of a program.

    from selfcheck import evaluate, list_programs, schema, render_markdown
    assessment = evaluate("gx-consortium", {"members_total": 9, ...})
    assessment.verdict            # eligible | not_eligible | incomplete
    assessment.to_dict()          # JSON export
    render_markdown(assessment)   # a report the enterprise can keep

Rules are data (corpus/rules/<program>.yaml), checked against the cited clauses at load.
"""
from __future__ import annotations

from selfcheck.engine import evaluate, problems
from selfcheck.errors import (
    CitationError, InconsistentInputError, InputError, InvalidValueError, RulesError,
    SelfcheckError, UnknownFieldError, UnknownProgramError,
)
from selfcheck.model import Assessment, Citation, CriterionResult, Program
from selfcheck.report import render_markdown, render_text
from selfcheck.rules import list_programs, load_program
from selfcheck.schema import schema

__all__ = [
    "evaluate", "problems", "list_programs", "schema", "render_markdown", "render_text", "load_program",
    "Assessment", "CriterionResult", "Citation", "Program",
    "SelfcheckError", "InputError", "UnknownProgramError", "UnknownFieldError",
    "InvalidValueError", "InconsistentInputError", "RulesError", "CitationError",
]
