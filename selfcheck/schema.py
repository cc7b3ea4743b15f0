"""Each program's input schema as JSON Schema (draft 2020-12), for generating the web form.

Everything comes from the rules file: Chinese `title` and `description` (help), the unit as
`x-unit`, enum values with Chinese labels as `x-enum-labels`, and `x-used-by` listing the
criteria that read the field. Every field is optional; null means "not filled in".
"""
from __future__ import annotations

from typing import Any

from selfcheck.figures import to_plain
from selfcheck.model import FieldSpec, ProgramRules
from selfcheck.rules import load_program

DRAFT = "https://json-schema.org/draft/2020-12/schema"
_JSON_TYPES = {"integer": "integer", "number": "number", "boolean": "boolean", "enum": "string"}
CONVENTIONS = ("金额以万元为单位，人数、个数等为整数，比例以百分数（0–100）填写，"
               "是否类填 true（是）或 false（否），选项类填选项代码。"
               "未掌握的信息可不填或填 null，相关条件将标为“待补充”。")


def field_schema(spec: FieldSpec, used_by: list[str]) -> dict[str, Any]:
    """One property: type (nullable), range, unit and labels."""
    prop: dict[str, Any] = {
        "type": [_JSON_TYPES[spec.type], "null"],
        "title": spec.label,
        "description": spec.help or spec.label,
    }
    if spec.unit:
        prop["x-unit"] = spec.unit
    if spec.minimum is not None:
        prop["minimum"] = to_plain(spec.minimum)
    if spec.maximum is not None:
        prop["maximum"] = to_plain(spec.maximum)
    if spec.type == "enum":
        prop["enum"] = [value for value, _ in spec.choices] + [None]
        prop["x-enum-labels"] = dict(spec.choices)
    if spec.type == "boolean":
        prop["x-enum-labels"] = {"true": "是", "false": "否"}
    prop["x-used-by"] = used_by
    return prop


def rules_schema(rules: ProgramRules) -> dict[str, Any]:
    program = rules.program
    used_by = {key: [c.id for c in rules.criteria
                     if key in c.fields or (c.applies_when and c.applies_when.field == key)]
               for key in rules.field_keys}
    return {
        "$schema": DRAFT,
        "$id": f"urn:zhengcetong:selfcheck:{program.id}",
        "title": f"{program.name}申报自评信息",
        "description": f"依据《{program.doc_title}》逐条自评所需的信息。{CONVENTIONS}",
        "type": "object",
        "additionalProperties": False,
        "properties": {f.key: field_schema(f, used_by[f.key]) for f in rules.fields},
        "x-program": program.to_dict(),
    }


def schema(program_id: str) -> dict[str, Any]:
    """The JSON Schema of a program's inputs. Raises UnknownProgramError."""
    return rules_schema(load_program(program_id))
