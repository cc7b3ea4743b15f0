"""Typed errors of the self-assessment engine.

Two families, because they have different audiences:
- `InputError` and its subclasses: the applicant's input is wrong. They carry the field key and
  a Chinese message that names the field and says what is expected; the CLI maps them to exit
  code 2 and `{"error": {"field": …, "message": …}}`. Nothing is scored from bad input.
- `RulesError`: a rules file is wrong (a citation that does not resolve, a figure that is not in
  the cited clause). That is our bug, not the applicant's, so it is never mixed up with input.
"""
from __future__ import annotations


class SelfcheckError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(SelfcheckError, ValueError):
    """The applicant's input cannot be scored. `field` is the input key (None = the whole input)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def to_dict(self) -> dict:
        """The machine-readable form the CLI prints with --json."""
        return {"error": {"field": self.field, "message": self.message, "type": type(self).__name__}}


class UnknownProgramError(InputError):
    """A program id that has no rules file."""

    def __init__(self, program_id: str, choices: list[str]) -> None:
        super().__init__("program", f"未知的申报项目“{program_id}”。可选项目：{'、'.join(choices)}")
        self.program_id = program_id


class UnknownFieldError(InputError):
    """An input key the program's schema does not define (often a typo)."""


class InvalidValueError(InputError):
    """A value of the wrong type or outside its range: "十个", -1, NaN, true for a number, …"""


class InconsistentInputError(InputError):
    """Values that are each valid but contradict each other (区内注册单位数 > 组成单位总数)."""


class RulesError(SelfcheckError):
    """A rules file that must not be loaded: malformed, or drifted from the document it cites."""

    def __init__(self, source: str, rule_id: str | None, message: str) -> None:
        where = f"{source}：规则“{rule_id}”" if rule_id else source
        super().__init__(f"{where}：{message}")
        self.source = source
        self.rule_id = rule_id
        self.message = message


class CitationError(RulesError):
    """A rule whose cited clause does not exist, or whose figure or quote is not in it."""
