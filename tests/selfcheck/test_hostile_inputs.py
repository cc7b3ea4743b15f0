"""Hostile self-assessment inputs through the Python API and the CLI: an InputError naming the
field in Chinese (exit code 2, `{"error": {"field", "message"}}` with --json) or a normal
assessment — never another exception. Curated cases plus generated JSON values."""
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from selfcheck import InputError, evaluate, load_program
from tests.hostile_cases import SELFCHECK_CASES, SELFCHECK_FILES
from ui.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")
runner = CliRunner()


@pytest.mark.parametrize("case", SELFCHECK_CASES, ids=lambda c: c.id)
def test_curated_inputs_python_api(case):
    if case.error is None:
        assessment = evaluate(case.program, case.inputs)
        json.dumps(assessment.to_dict(), ensure_ascii=False, allow_nan=False)
        return
    with pytest.raises(InputError) as raised:
        evaluate(case.program, case.inputs)
    assert raised.value.field == case.field and case.error in raised.value.message


def _cli(program, path):
    return runner.invoke(app, ["selfcheck", "--program", str(program), "--input", str(path), "--json"])


@pytest.mark.parametrize("case", [c for c in SELFCHECK_CASES if c.id != "huge-int"], ids=lambda c: c.id)
def test_curated_inputs_cli(case, tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps(case.inputs, ensure_ascii=False), encoding="utf-8")
    result = _cli(case.program, path)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if case.error is None:
        assert result.exit_code == 0 and json.loads(result.stdout)["verdict"]
        return
    error = json.loads(result.stdout)["error"]
    assert result.exit_code == 2 and error["field"] == case.field
    assert (case.error if case.program != "" else "请用 --program 指定项目") in error["message"]


@pytest.mark.parametrize("name, data, words", SELFCHECK_FILES, ids=[f[0] for f in SELFCHECK_FILES])
def test_hostile_input_files_cli(tmp_path, name, data, words):
    path = tmp_path / name
    path.write_bytes(data)
    result = _cli("gx-consortium", path)
    assert "Traceback" not in result.output
    if not words:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 2, result.output
    error = json.loads(result.stdout)["error"]
    assert words in error["message"] and error["field"] in ("input", "lead_annual_revenue_wan")


def test_hostile_stdin_cli():
    result = runner.invoke(app, ["selfcheck", "--program", "gx-consortium", "--input", "-", "--json"],
                           input=b"\xff\xfe\x00garbage")
    assert result.exit_code == 2 and "不是 UTF-8" in json.loads(result.stdout)["error"]["message"]


# ---- generated -------------------------------------------------------------------------------
FIELDS = list(load_program("gx-consortium").field_keys)
json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=True, allow_infinity=True)
    | st.integers() | st.integers(min_value=-10 ** 30, max_value=10 ** 30) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=8,
)
inputs = st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=10)), json_values, max_size=6)


@settings(max_examples=80, deadline=None)
@given(program=st.one_of(st.sampled_from(["gx-consortium", "gx-tic", "hn-tic"]), st.text(max_size=10)),
       data=st.one_of(inputs, json_values))
def test_generated_inputs_are_assessed_or_named(program, data):
    try:
        assessment = evaluate(program, data)
    except InputError as exc:
        assert CJK.search(exc.message) and (exc.field is None or isinstance(exc.field, str))
        return
    json.dumps(assessment.to_dict(), ensure_ascii=False, allow_nan=False)
