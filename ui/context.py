"""What the web app and the HTTP API share for one deployment: the settings, the retriever
(opened on first use, reopened after the library changes), the assistant, API chat sessions.

Handlers run in several threads at once (Gradio's queue, FastAPI's pool); everything here
that changes is swapped under a lock, and readers keep the object they took.
"""
from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from assistant import Assistant, Session, Turn
from evals.logbook import Logbook, LogbookError
from ingest.pipeline import IngestReport
from retriever import Retriever
from ui import services
from ui.access import check_admin, AdminRequired
from ui.limits import EvalLanes
from ui.settings import Settings

log = logging.getLogger("zhengcetong.ui")
MAX_API_SESSIONS = 1000
SESSION_IDLE_SECONDS = 2 * 3600   # a conversation untouched this long is forgotten


@dataclass
class _ApiSession:
    used: float            # time.monotonic() of the last question
    history: list[Turn]
    client: str            # the address that opened it (for fair eviction)


class AppContext:
    def __init__(self, settings: Settings, chat_model=None) -> None:
        """`chat_model`: a LangChain chat model to use as is; by default one is made from the
        settings on the first LLM request."""
        self.settings = settings
        self._lock = threading.RLock()
        self._ingest_lock = threading.Lock()
        self._retriever: Retriever | None = None
        self._assistant: Assistant | None = None
        self._chat_model = chat_model
        self._sessions: OrderedDict[str, _ApiSession] = OrderedDict()
        self._logbook: Logbook | None = None
        self.eval_lanes = EvalLanes()

    @property
    def data_dir(self) -> Path:
        return self.settings.data_dir

    @property
    def llm_configured(self) -> bool:
        return bool(self.settings.llm_provider) or self._chat_model is not None

    # ---- index ---------------------------------------------------------------------
    def retriever(self) -> Retriever:
        """The index as CURRENT.json names it now: when another worker (or the CLI) swapped in a
        new generation, it is opened here too, so every worker serves the same clauses.
        Raises ingest.errors.IndexError_ when the index is missing or broken."""
        from ingest.store import read_state
        with self._lock:
            current = read_state(self.data_dir)
            if self._retriever is None or current is None or current.generation != self._retriever.state.generation:
                embedder = self._retriever.embedder if self._retriever is not None else None
                if embedder is not None and current is not None and embedder.spec != current.embedder:
                    embedder = None  # re-ingested with another model: load that one
                self._retriever = services.open_retriever(self.settings, embedder)
            return self._retriever

    def assistant(self, mode: str = "extractive") -> Assistant:
        """The assistant over the current index; the chat model is loaded on the first
        request for the LLM mode (the local model takes seconds to load)."""
        with self._lock:
            retriever = self.retriever()
            if mode == "llm" and self._chat_model is None:
                self._chat_model = services.chat_model(self.settings)
            if self._assistant is None or self._assistant.retriever is not retriever \
                    or self._assistant.chat_model is not self._chat_model:
                self._assistant = Assistant(retriever, self._chat_model, answer_timeout=self.settings.llm_timeout,
                                            revision_notes=services.revision_notes(self.settings))
            return self._assistant

    def ingest(self, on_progress: Callable[[int, int], None] | None = None, rebuild: bool = False) -> IngestReport:
        """Bring the index up to date with the library (one ingest at a time), then serve it."""
        from ingest.embedders import make_embedder

        with self._ingest_lock:
            embedder = self._retriever.embedder if self._retriever is not None else make_embedder(self.settings.embedder)
            report = services.run_ingest(self.settings, embedder=embedder, rebuild=rebuild, on_progress=on_progress)
            fresh = services.open_retriever(self.settings, embedder)
            with self._lock:
                self._retriever = fresh
            return report

    def is_admin(self, token: str | None) -> bool:
        """The administrator's token was given (or none is set: a local, single-user app)."""
        try:
            check_admin(self.settings.admin_token, token)
        except AdminRequired:
            return False
        return True

    def scratch_dir(self, kind: str, keep_seconds: float = 3600.0) -> Path:
        """A new private directory for one run's files under the system's temp folder (outside the
        data directory, which the web server never serves from); the kind's directories older than
        `keep_seconds` are removed first (their files were handed to the web server's own cache long
        before), so runs leave nothing behind for good."""
        import shutil
        import tempfile
        root = Path(tempfile.gettempdir()) / "zhengcetong" / self.settings.namespace / kind
        root.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - keep_seconds
        for old in root.iterdir():
            try:
                if old.stat().st_mtime < cutoff:
                    shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
            except OSError:
                continue  # another worker removed it first
        return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=root))

    def has_index(self) -> bool:
        from ingest.store import read_state
        return read_state(self.data_dir) is not None

    # ---- API chat sessions ---------------------------------------------------------
    def logbook(self) -> Logbook:
        """The deployment's logbook, opened once (retention applied then); LogbookError if it
        cannot be opened."""
        with self._lock:
            if self._logbook is None:
                self._logbook = Logbook(self.data_dir, retention_days=self.settings.log_retention_days,
                                       url=self.settings.db_url)
            return self._logbook

    def log_answer(self, answer, channel: str) -> str | None:
        """Keep the answer in the logbook (evals/logbook.py); its id, or None when the log
        cannot be written — a log failure never breaks an answer."""
        try:
            logbook = self.logbook()
        except LogbookError as exc:
            log.warning("answer not logged: %s", exc)
            return None
        generation = self._retriever.state.generation if self._retriever else None
        return services.log_answer(self.data_dir, answer, channel, generation, logbook)

    def feedback(self, answer_id: str, rating: str, comment: str | None = None) -> None:
        self.logbook().feedback(answer_id, rating, comment)

    def session(self, session_id: str | None, mode: str = "extractive",
                client: str = "local") -> tuple[str, Session, bool]:
        """A conversation kept on the server for API clients: (id, session, expired). Ids are
        issued here, unguessable; one the server did not issue or has forgotten (idle too long, or
        evicted) starts a new conversation under a new id, flagged expired — never another
        client's history. Eviction is fair: a client (address) holds at most
        max_sessions_per_client conversations, its own oldest going first, and when the server
        is full the oldest conversation of the client holding the most goes — so a flood from one
        address cannot push out anyone else's live conversation. A conversation remembers its
        last turns as the web chat does (assistant.chain.MAX_TURNS)."""
        now = time.monotonic()
        with self._lock:
            while self._sessions and now - next(iter(self._sessions.values())).used > SESSION_IDLE_SECONDS:
                self._sessions.popitem(last=False)  # ordered by last use: the idle ones lead
            known = self._sessions.get(session_id) if session_id else None
            expired = bool(session_id) and known is None
            if known is None:
                session_id = secrets.token_urlsafe(24)
                self._sessions[session_id] = _ApiSession(now, [], client)
                self._evict(client)
            kept = self._sessions[session_id]
            self._sessions[session_id] = _ApiSession(now, kept.history, kept.client)
            self._sessions.move_to_end(session_id)
            return session_id, Session(self.assistant(mode), kept.history), expired

    def _evict(self, client: str) -> None:
        """Make room after a new conversation of `client` (see session)."""
        mine = [sid for sid, s in self._sessions.items() if s.client == client]
        for sid in mine[:max(0, len(mine) - self.settings.max_sessions_per_client)]:
            del self._sessions[sid]
        while len(self._sessions) > MAX_API_SESSIONS:
            held = Counter(s.client for s in self._sessions.values())
            greediest = max(held, key=held.get)
            del self._sessions[next(sid for sid, s in self._sessions.items() if s.client == greediest)]
