"""The JSON Schemas a web form is generated from, and their documentation."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from selfcheck import UnknownProgramError, list_programs, load_program, schema

jsonschema = pytest.importorskip("jsonschema")

PROGRAMS = [p.id for p in list_programs()]
SCHEMAS_MD = Path(__file__).resolve().parents[2] / "selfcheck" / "SCHEMAS.md"


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_schema_is_valid_draft_2020_12(program_id: str) -> None:
    doc = schema(program_id)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(doc)
    json.dumps(doc, ensure_ascii=False, allow_nan=False)
    assert doc["additionalProperties"] is False
    assert doc["x-program"]["id"] == program_id


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_every_property_is_labelled_for_a_form(program_id: str) -> None:
    rules = load_program(program_id)
    props = schema(program_id)["properties"]
    assert list(props) == list(rules.field_keys)
    for key, prop in props.items():
        spec = rules.field(key)
        assert prop["title"] == spec.label and prop["description"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in prop["title"])
        assert prop["x-used-by"], key
        if spec.type in ("integer", "number"):
            assert prop["x-unit"] == spec.unit and prop["minimum"] >= 0
        if spec.type == "enum":
            assert prop["enum"][:-1] == list(prop["x-enum-labels"]) == [v for v, _ in spec.choices]


def test_money_is_in_wan_and_counts_are_integers() -> None:
    for program_id in PROGRAMS:
        for key, prop in schema(program_id)["properties"].items():
            if key.endswith("_wan"):
                assert prop["x-unit"] == "万元" and "number" in prop["type"]
            if prop.get("x-unit") in ("个", "人", "例"):
                assert "integer" in prop["type"], key


def test_unknown_program_schema() -> None:
    with pytest.raises(UnknownProgramError):
        schema("gx")


def test_golden_inputs_agree_with_the_schema(tables) -> None:
    """What the engine scores, the schema accepts; type and range errors it rejects too.
    (Cross-field consistency, NaN and infinity are beyond JSON Schema / JSON.)"""
    for program_id, cases in tables.items():
        validator = jsonschema.Draft202012Validator(schema(program_id))
        for case in cases:
            if case.program != program_id:
                continue
            error = case.expect.get("error")
            if error is None:
                assert validator.is_valid(case.inputs), case.name
            elif error in ("InvalidValueError", "UnknownFieldError", "InputError"):
                values = case.inputs.values() if isinstance(case.inputs, dict) else ()
                if any(isinstance(v, float) and not math.isfinite(v) for v in values):
                    continue
                assert not validator.is_valid(case.inputs), case.name


def test_schemas_md_documents_every_field_and_program() -> None:
    text = SCHEMAS_MD.read_text(encoding="utf-8")
    for program_id in PROGRAMS:
        assert f"`{program_id}`" in text
        rules = load_program(program_id)
        for spec in rules.fields:
            assert f"`{spec.key}`" in text, (program_id, spec.key)
            for value, label in spec.choices:
                assert f"`{value}`" in text and label in text, (spec.key, value)
