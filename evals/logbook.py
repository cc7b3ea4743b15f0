"""What enterprises asked and how it went: every answer the web app and the API give, with the
question, the resolved question, the mode, the index generation, the citations, the refusal
kind, the latency — and the asker's feedback (有用 / 有误 and a comment). By default an embedded
SQLite file (WAL, so readers never block the writer) under the data directory; with
POLICY_DB_URL a PostgreSQL database that several servers share. SQLAlchemy Core, one set of
tables for both, with a versioned schema. It is where officials' review of real questions
starts; a failure to log never breaks an answer (callers catch LogbookError)."""
from __future__ import annotations

import importlib
import json
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import (Column, Float, Index, Integer, MetaData, Table, Text, create_engine, delete, event, func, insert,
                        or_, select, update)
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from assistant import Answer

LOGBOOK_FILE = "logbook.sqlite3"
# 2: eval_runs; 3: gold_rows (the review queue's corrected questions). The schema_version table
# is bookkeeping, not a change: a v3 file from before SQLAlchemy opens as it is, and back. The
# revisions table (impact reports of document versions) is only added beside the others, so older
# code still opens the file: no new version for it.
SCHEMA_VERSION = 3
RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 500
_LOCK_KEY = 0x6C6F67626F6F6B  # PostgreSQL advisory lock: one server at a time creates the tables

metadata = MetaData()
answers = Table(
    "answers", metadata,
    Column("answer_id", Text, primary_key=True), Column("created", Float, nullable=False),
    Column("channel", Text, nullable=False), Column("question", Text, nullable=False),
    Column("resolved_question", Text), Column("mode", Text, nullable=False), Column("generation", Text),
    Column("refusal", Text), Column("citations", Text, nullable=False), Column("answer", Text, nullable=False),
    Column("latency_ms", Float), Column("rating", Text), Column("comment", Text), Column("rated", Float),
    Index("answers_created", "created"), Index("answers_rating", "rating"))
eval_runs = Table(
    "eval_runs", metadata,
    Column("run_id", Text, primary_key=True), Column("created", Float, nullable=False),
    Column("gold_set", Text, nullable=False), Column("mode", Text, nullable=False), Column("generation", Text),
    Column("embedder", Text), Column("figures", Text, nullable=False),
    Index("eval_runs_set", "gold_set", "mode", "created"))
gold_rows = Table(
    "gold_rows", metadata,
    Column("gold_set", Text, primary_key=True), Column("id", Text, primary_key=True),
    Column("row", Text, nullable=False), Column("created", Float, nullable=False), Column("answer_id", Text))
revisions = Table(
    "revisions", metadata,
    Column("doc_id", Text, primary_key=True), Column("version", Integer, primary_key=True),
    Column("created", Float, nullable=False), Column("report", Text, nullable=False))
schema_version = Table("schema_version", metadata, Column("version", Integer, nullable=False))


class LogbookError(Exception):
    """The log could not be written or read (disk full, damaged file, database down…)."""


class UnknownAnswer(KeyError):
    """Feedback for an answer the log does not hold."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(answer_id)
        self.field = "answer_id"
        self.message = f"没有编号为“{answer_id[:50]}”的回答（编号来自 /api/ask 或 ask --json 的 answer_id）"

    def __str__(self) -> str:
        return self.message


class Logbook:
    def __init__(self, data_dir: Path, retention_days: float = 0.0, url: str | None = None) -> None:
        """url None: the SQLite file under data_dir (the same file as ever); any other SQLAlchemy
        URL (postgresql+psycopg://…) as given. retention_days > 0: answers older than that are
        deleted as the log is opened."""
        url = url or None  # POLICY_DB_URL= (empty) is the default too
        self.path: Path | None = data_dir / LOGBOOK_FILE if url is None else None
        try:
            if self.path is not None:
                data_dir.mkdir(parents=True, exist_ok=True)
            self.engine = _engine(url or URL.create("sqlite", database=str(self.path)))  # any characters in the path
        except (ArgumentError, ValueError) as exc:
            raise LogbookError("问答记录库地址（POLICY_DB_URL）格式不对，应形如 "
                               "postgresql+psycopg://用户:密码@主机:端口/库名") from exc
        except ImportError as exc:
            raise LogbookError(f"问答记录库地址（POLICY_DB_URL）所需的数据库驱动未安装：{exc.name or exc}") from exc
        except OSError as exc:
            raise LogbookError(f"无法打开问答记录库 {self.path}：{exc}") from exc
        self.name = str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)
        with self._begin("打开") as conn:
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_LOCK_KEY})")
            schema_version.create(conn, checkfirst=True)
            stored = conn.execute(select(func.max(schema_version.c.version))).scalar() or 0
            if conn.dialect.name == "sqlite":
                stored = max(stored, conn.exec_driver_sql("PRAGMA user_version").scalar())
            if stored > SCHEMA_VERSION:
                raise LogbookError(f"问答记录库 {self.name} 来自更新的版本（{stored}），本程序只认到 {SCHEMA_VERSION}")
            metadata.create_all(conn)
            if conn.execute(select(schema_version.c.version)).scalars().all() != [SCHEMA_VERSION]:
                conn.execute(delete(schema_version))
                conn.execute(insert(schema_version).values(version=SCHEMA_VERSION))
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
        if retention_days > 0:
            self.forget_before(time.time() - retention_days * 86400)

    def close(self) -> None:
        """Release the pooled connections (tests; a server keeps its logbook open)."""
        self.engine.dispose()

    def record(self, answer: Answer, *, channel: str, generation: str | None) -> str:
        """Store one answer; its id is what feedback refers to."""
        answer_id = uuid.uuid4().hex
        citations = json.dumps([c.clause.citation for c in answer.citations], ensure_ascii=False)
        self._write(insert(answers).values(
            answer_id=answer_id, created=time.time(), channel=channel, question=answer.question,
            resolved_question=answer.resolved_question, mode=answer.mode, generation=generation,
            refusal=answer.refusal, citations=citations, answer=answer.text,
            latency_ms=round(1000 * answer.timings.get("total", 0.0), 1)))
        return answer_id

    def feedback(self, answer_id: str, rating: str, comment: str | None = None) -> None:
        """有用 (up) or 有误 (down), with an optional comment. UnknownAnswer for an unknown id."""
        if rating not in RATINGS:
            raise ValueError(f"rating 应为 {' 或 '.join(RATINGS)}")
        changed = self._write(update(answers).where(answers.c.answer_id == answer_id).values(
            rating=rating, comment=(comment or "")[:MAX_COMMENT_CHARS] or None, rated=time.time()))
        if changed == 0:
            raise UnknownAnswer(answer_id)

    def rated(self, rating: str = "down", limit: int = 100) -> list[dict]:
        """The latest answers marked `rating`, newest first (the review queue's first source)."""
        c = answers.c
        return self._read(select(c.answer_id, c.question, c.answer, c.citations, c.comment)
                          .where(c.rating == rating).order_by(c.rated.desc()).limit(limit))

    def answers(self, since: float | None = None) -> list[dict]:
        """Every answer kept (since a time), oldest first, as stored — personal data included."""
        c = answers.c
        return self._read(select(c.answer_id, c.created, c.channel, c.question, c.resolved_question, c.mode,
                                 c.generation, c.refusal, c.citations, c.answer, c.latency_ms, c.rating, c.comment)
                          .where(c.created >= (since or 0.0)).order_by(c.created))

    def forget_before(self, cutoff: float) -> int:
        """Retention: delete the answers older than `cutoff` (a time); how many went."""
        return self._write(delete(answers).where(answers.c.created < cutoff))

    # ---- review queue and the gold sets made from it -----------------------------------------
    def review_queue(self, sample: int = 10, limit: int = 100) -> list[dict]:
        """What an official should look at: answers marked 有误 (newest first), then refusals,
        then a random sample of the rest — each once, none already saved into a gold set."""
        c = answers.c
        base = select(c.answer_id, c.created, c.question, c.resolved_question, c.answer, c.citations, c.refusal,
                      c.rating, c.comment).where(
            c.answer_id.not_in(select(gold_rows.c.answer_id).where(gold_rows.c.answer_id.is_not(None))))
        not_down = or_(c.rating.is_(None), c.rating != "down")
        rows = self._read(base.where(c.rating == "down").order_by(c.rated.desc()).limit(limit))
        rows += self._read(base.where(c.refusal.is_not(None), not_down).order_by(c.created.desc()).limit(limit))
        rows += self._read(base.where(c.refusal.is_(None), not_down).order_by(func.random()).limit(sample))
        return rows[:limit]

    def save_gold_row(self, gold_set: str, row: dict, answer_id: str | None = None) -> None:
        """One checked question (the gold-set JSONL shape) into a named set; the same id replaces
        it (an upsert where the dialect has one, else delete + insert in one transaction)."""
        values = {"gold_set": gold_set, "id": row["id"], "row": json.dumps(row, ensure_ascii=False),
                  "created": time.time(), "answer_id": answer_id}
        with self._begin("写入") as conn:
            if conn.dialect.name in ("sqlite", "postgresql"):
                stmt = importlib.import_module(f"sqlalchemy.dialects.{conn.dialect.name}").insert(gold_rows).values(values)
                conn.execute(stmt.on_conflict_do_update(index_elements=["gold_set", "id"], set_={
                    k: stmt.excluded[k] for k in ("row", "created", "answer_id")}))
            else:
                conn.execute(delete(gold_rows).where(gold_rows.c.gold_set == gold_set, gold_rows.c.id == row["id"]))
                conn.execute(insert(gold_rows).values(values))

    def gold_sets(self) -> list[str]:
        query = select(gold_rows.c.gold_set).distinct().order_by(gold_rows.c.gold_set)
        return [r["gold_set"] for r in self._read(query)]

    def gold_set_jsonl(self, gold_set: str) -> bytes:
        """A stored set in the gold-set file format (JSONL), for eval and for download."""
        rows = self._read(select(gold_rows.c.row).where(gold_rows.c.gold_set == gold_set).order_by(gold_rows.c.created))
        return "".join(r["row"] + "\n" for r in rows).encode("utf-8")

    # ---- evaluation history -------------------------------------------------------------
    def record_eval(self, report: dict, *, generation: str | None, embedder: str | None) -> str:
        """Keep one eval run's headline figures (its set, mode, index generation and model)."""
        run_id = uuid.uuid4().hex
        self._write(insert(eval_runs).values(
            run_id=run_id, created=time.time(), gold_set=report["set"], mode=report["mode"], generation=generation,
            embedder=embedder, figures=json.dumps(report["overall"], ensure_ascii=False)))
        return run_id

    def eval_history(self, gold_set: str, mode: str, limit: int = 50) -> list[dict]:
        """The last runs on a set in a mode, oldest first: {created, generation, embedder, overall}."""
        c = eval_runs.c
        rows = self._read(select(c.created, c.generation, c.embedder, c.figures)
                          .where(c.gold_set == gold_set, c.mode == mode).order_by(c.created.desc()).limit(limit))
        return [{"created": r["created"], "generation": r["generation"], "embedder": r["embedder"],
                 "overall": json.loads(r["figures"])} for r in reversed(rows)]

    # ---- document revisions ----------------------------------------------------------------
    def record_revision(self, doc_id: str, version: int, report: dict) -> None:
        """Keep the impact report of a document version added (evals/impact.py); the same
        version added again (after removing it) replaces its report."""
        with self._begin("写入") as conn:
            conn.execute(delete(revisions).where(revisions.c.doc_id == doc_id, revisions.c.version == version))
            conn.execute(insert(revisions).values(doc_id=doc_id, version=version, created=time.time(),
                                                  report=json.dumps(report, ensure_ascii=False)))

    def revision_reports(self, doc_id: str | None = None) -> list[dict]:
        """Kept impact reports, newest first: {doc_id, version, created, report}."""
        c = revisions.c
        query = select(c.doc_id, c.version, c.created, c.report).order_by(c.created.desc())
        if doc_id is not None:
            query = query.where(c.doc_id == doc_id)
        return [{**r, "report": json.loads(r["report"])} for r in self._read(query)]

    # ---- plumbing -----------------------------------------------------------------------
    def _read(self, query) -> list[dict]:
        with self._begin("读取") as conn:
            return [dict(r) for r in conn.execute(query).mappings()]

    def _write(self, statement) -> int:
        with self._begin("写入") as conn:
            return conn.execute(statement).rowcount

    @contextmanager
    def _begin(self, doing: str) -> Iterator[Connection]:
        """engine.begin() whose database errors come out as LogbookError in Chinese — naming the
        database, never its password, nor the statement's parameters (they hold what people typed)."""
        try:
            with self.engine.begin() as conn:
                yield conn
        except SQLAlchemyError as exc:
            detail = (str(getattr(exc, "orig", None) or exc).strip().splitlines() or [""])[0]
            if self.engine.url.password:
                detail = detail.replace(str(self.engine.url.password), "***")
            raise LogbookError(f"问答记录库 {self.name} {doing}失败：{detail}") from exc


def _engine(url: str | URL):
    """SQLite: WAL on every connection, usable from the web app's worker threads (the pool
    hands each thread its own connection). Others: connections checked before use, so a
    restarted database server does not fail the first answer after it."""
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", lambda dbapi_conn, _: dbapi_conn.execute("PRAGMA journal_mode=WAL"))
        return engine
    return create_engine(url, pool_pre_ping=True)
