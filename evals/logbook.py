"""What enterprises asked and how it went: every answer the web app and the API give, with the
question, the resolved question, the mode, the index generation, the citations, the refusal
kind, the latency — and the asker's feedback (有用 / 有误 and a comment). An embedded SQLite
database (WAL, so readers never block the writer) under the data directory, with a versioned
schema. It is where officials' review of real questions starts; a failure to log never breaks
an answer (callers catch LogbookError)."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
import uuid
from pathlib import Path

from assistant import Answer

LOGBOOK_FILE = "logbook.sqlite3"
SCHEMA_VERSION = 3  # 2: eval_runs; 3: gold_rows (the review queue's corrected questions)
RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 500
_SCHEMA = """
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
"""


class LogbookError(Exception):
    """The log could not be written or read (disk full, damaged file…)."""


class UnknownAnswer(KeyError):
    """Feedback for an answer the log does not hold."""

    def __init__(self, answer_id: str) -> None:
        super().__init__(answer_id)
        self.field = "answer_id"
        self.message = f"没有编号为“{answer_id[:50]}”的回答（编号来自 /api/ask 或 ask --json 的 answer_id）"

    def __str__(self) -> str:
        return self.message


class Logbook:
    def __init__(self, data_dir: Path, retention_days: float = 0.0) -> None:
        """retention_days > 0: answers older than that are deleted as the log is opened."""
        self.path = data_dir / LOGBOOK_FILE
        self._lock = threading.Lock()
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise LogbookError(f"问答记录库 {self.path} 来自更新的版本（{version}）")
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise LogbookError(f"无法打开问答记录库 {self.path}：{exc}") from exc
        if retention_days > 0:
            self.forget_before(time.time() - retention_days * 86400)

    def record(self, answer: Answer, *, channel: str, generation: str | None) -> str:
        """Store one answer; its id is what feedback refers to."""
        answer_id = uuid.uuid4().hex
        citations = json.dumps([c.clause.citation for c in answer.citations], ensure_ascii=False)
        row = (answer_id, time.time(), channel, answer.question, answer.resolved_question, answer.mode, generation,
               answer.refusal, citations, answer.text, round(1000 * answer.timings.get("total", 0.0), 1))
        self._write("INSERT INTO answers (answer_id, created, channel, question, resolved_question, mode, generation, "
                    "refusal, citations, answer, latency_ms) VALUES (?,?,?,?,?,?,?,?,?,?,?)", row)
        return answer_id

    def feedback(self, answer_id: str, rating: str, comment: str | None = None) -> None:
        """有用 (up) or 有误 (down), with an optional comment. UnknownAnswer for an unknown id."""
        if rating not in RATINGS:
            raise ValueError(f"rating 应为 {' 或 '.join(RATINGS)}")
        changed = self._write("UPDATE answers SET rating=?, comment=?, rated=? WHERE answer_id=?",
                              (rating, (comment or "")[:MAX_COMMENT_CHARS] or None, time.time(), answer_id))
        if changed == 0:
            raise UnknownAnswer(answer_id)

    def rated(self, rating: str = "down", limit: int = 100) -> list[dict]:
        """The latest answers marked `rating`, newest first (the review queue's first source)."""
        keys = ("answer_id", "question", "answer", "citations", "comment")
        rows = self._read(f"SELECT {', '.join(keys)} FROM answers WHERE rating=? ORDER BY rated DESC LIMIT ?",
                          (rating, limit))
        return [dict(zip(keys, r)) for r in rows]

    def answers(self, since: float | None = None) -> list[dict]:
        """Every answer kept (since a time), oldest first, as stored — personal data included."""
        keys = ("answer_id", "created", "channel", "question", "resolved_question", "mode", "generation", "refusal",
                "citations", "answer", "latency_ms", "rating", "comment")
        rows = self._read(f"SELECT {', '.join(keys)} FROM answers WHERE created >= ? ORDER BY created", (since or 0.0,))
        return [dict(zip(keys, r)) for r in rows]

    def forget_before(self, cutoff: float) -> int:
        """Retention: delete the answers older than `cutoff` (a time); how many went."""
        return self._write("DELETE FROM answers WHERE created < ?", (cutoff,))

    # ---- review queue and the gold sets made from it -----------------------------------------
    def review_queue(self, sample: int = 10, limit: int = 100) -> list[dict]:
        """What an official should look at: answers marked 有误 (newest first), then refusals,
        then a random sample of the rest — each once, none already saved into a gold set."""
        keys = ("answer_id", "question", "answer", "citations", "refusal", "rating", "comment")
        cols = ", ".join(keys)
        reviewed = "answer_id NOT IN (SELECT answer_id FROM gold_rows WHERE answer_id IS NOT NULL)"
        not_down = "(rating IS NULL OR rating != 'down')"
        rows = self._read(f"SELECT {cols} FROM answers WHERE rating='down' AND {reviewed} "
                          "ORDER BY rated DESC LIMIT ?", (limit,))
        rows += self._read(f"SELECT {cols} FROM answers WHERE refusal IS NOT NULL AND {not_down} AND {reviewed} "
                           "ORDER BY created DESC LIMIT ?", (limit,))
        rows += self._read(f"SELECT {cols} FROM answers WHERE refusal IS NULL AND {not_down} AND {reviewed} "
                           "ORDER BY random() LIMIT ?", (sample,))
        return [dict(zip(keys, r)) for r in rows[:limit]]

    def save_gold_row(self, gold_set: str, row: dict, answer_id: str | None = None) -> None:
        """One checked question (the gold-set JSONL shape) into a named set; the same id replaces it."""
        self._write("INSERT OR REPLACE INTO gold_rows (gold_set, id, row, created, answer_id) VALUES (?,?,?,?,?)",
                    (gold_set, row["id"], json.dumps(row, ensure_ascii=False), time.time(), answer_id))

    def gold_sets(self) -> list[str]:
        return [r[0] for r in self._read("SELECT DISTINCT gold_set FROM gold_rows ORDER BY gold_set")]

    def gold_set_jsonl(self, gold_set: str) -> bytes:
        """A stored set in the gold-set file format (JSONL), for eval and for download."""
        rows = self._read("SELECT row FROM gold_rows WHERE gold_set=? ORDER BY created", (gold_set,))
        return "".join(r[0] + "\n" for r in rows).encode("utf-8")

    # ---- evaluation history -------------------------------------------------------------
    def record_eval(self, report: dict, *, generation: str | None, embedder: str | None) -> str:
        """Keep one eval run's headline figures (its set, mode, index generation and model)."""
        run_id = uuid.uuid4().hex
        figures = json.dumps(report["overall"], ensure_ascii=False)
        self._write("INSERT INTO eval_runs (run_id, created, gold_set, mode, generation, embedder, figures) "
                    "VALUES (?,?,?,?,?,?,?)", (run_id, time.time(), report["set"], report["mode"], generation,
                                               embedder, figures))
        return run_id

    def eval_history(self, gold_set: str, mode: str, limit: int = 50) -> list[dict]:
        """The last runs on a set in a mode, oldest first: {created, generation, embedder, overall}."""
        rows = self._read("SELECT created, generation, embedder, figures FROM eval_runs "
                          "WHERE gold_set=? AND mode=? ORDER BY created DESC LIMIT ?", (gold_set, mode, limit))
        return [{"created": c, "generation": g, "embedder": e, "overall": json.loads(f)} for c, g, e, f in reversed(rows)]

    def _read(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            with self._lock:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise LogbookError(f"问答记录库读取失败：{exc}") from exc

    def _write(self, sql: str, params: tuple) -> int:
        try:
            with self._lock:
                return self._db.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            raise LogbookError(f"问答记录库写入失败：{exc}") from exc
