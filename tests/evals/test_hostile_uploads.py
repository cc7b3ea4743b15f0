"""Hostile gold-set uploads (JSONL/CSV/XLSX): the whole file refused with a Chinese reason, or
read with every bad row reported by number and the rest kept — never another exception.
Through the Python API (what the web upload calls) and `policy-assistant eval --set`."""
import json
import re

import pytest
from typer.testing import CliRunner

from evals.io import GoldFileError, read_gold_set
from tests.hostile_cases import EVAL_UPLOADS
from ui.cli import app

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("case", EVAL_UPLOADS, ids=lambda c: c.id)
def test_uploads_python_api(tmp_path, case):
    data = case.build()
    if case.error:
        with pytest.raises(GoldFileError, match=case.error):
            read_gold_set(tmp_path / case.name, data)
        return
    gold = read_gold_set(tmp_path / case.name, data)
    assert len(gold.questions) == case.questions
    assert len(gold.problems) == case.problems and all(CJK.search(p.message) for p in gold.problems)
    assert [p.row for p in gold.problems] == sorted(p.row for p in gold.problems)


@pytest.mark.parametrize("case", [c for c in EVAL_UPLOADS if c.error or c.questions == 0], ids=lambda c: c.id)
def test_unusable_uploads_cli(tmp_path, case):
    path = tmp_path / case.name
    path.write_bytes(case.build())
    result = CliRunner().invoke(app, ["eval", "--set", str(path), "--data-dir", str(tmp_path)])
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and (result.exception is None or isinstance(result.exception, SystemExit))
    assert (case.error or "金标集中没有可用的题目") in result.stderr


def test_a_missing_upload_cli(tmp_path):
    result = CliRunner().invoke(app, ["eval", "--set", str(tmp_path / "nope.jsonl"), "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output and "错误" in result.stderr


@pytest.mark.parametrize("content", ["not json", json.dumps({"overall": 1}), "\x00\x01"],
                         ids=["text", "shape", "binary"])
def test_a_hostile_compare_report_cli(tmp_path, content):
    previous = tmp_path / "old.json"
    previous.write_text(content, encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(b"")
    result = CliRunner().invoke(app, ["eval", "--set", str(gold), "--compare", str(previous),
                                      "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and "Traceback" not in result.output
