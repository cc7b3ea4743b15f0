"""What every edge (CLI, web app, HTTP API) does with the settings, written once: open the
index, make the chat model, build the assistant, run an ingest, and the records they print.
Errors are raised typed (ingest.errors, assistant.errors); the edges translate them."""
from __future__ import annotations

import time

from typing import TYPE_CHECKING, Callable

from ui.settings import Settings

if TYPE_CHECKING:
    from assistant import Assistant
    from ingest.embedders import Embedder
    from ingest.pipeline import IngestReport
    from retriever import Hit, Retriever


def open_retriever(settings: Settings, embedder: Embedder | None = None) -> Retriever:
    """The index the settings point at (IndexError_ when missing or broken). `embedder`: one
    already loaded, reused when it is the index's."""
    from retriever import Retriever
    return Retriever.open(settings.data_dir, chroma_url=settings.chroma_url, chroma_token=settings.chroma_token,
                          embedder=embedder)


def chat_model(settings: Settings):
    """The configured chat model (LLMNotConfigured without a provider, LLMUnavailable when it
    cannot be loaded or reached)."""
    from assistant.errors import LLMNotConfigured
    from assistant.llm import make_chat_model
    if not settings.llm_provider:
        raise LLMNotConfigured()
    return make_chat_model(settings.llm_provider, cache_dir=settings.data_dir / "models",
                           base_url=settings.llm_base_url, model=settings.llm_model,
                           api_key=settings.llm_api_key, timeout=settings.llm_timeout)


def build_assistant(settings: Settings, mode: str) -> Assistant:
    """The assistant over the index; a chat model only when the LLM mode is asked for."""
    from assistant import Assistant
    retriever = open_retriever(settings)
    return Assistant(retriever, chat_model(settings) if mode == "llm" else None, answer_timeout=settings.llm_timeout,
                     revision_notes=revision_notes(settings))


def revision_notes(settings: Settings) -> dict[tuple[str, str], str]:
    """What answers citing lately revised clauses say (POLICY_REVISION_NOTE_DAYS)."""
    from ingest.alignment import revision_notes as notes
    return notes(settings.data_dir, settings.revision_note_days)


def run_ingest(settings: Settings, *, embedder: Embedder | None = None, rebuild: bool = False,
               progress: bool = False, on_progress: Callable[[int, int], None] | None = None) -> IngestReport:
    """Bring the index up to date with the library (the settings' embedder unless one is given)."""
    from ingest.embedders import make_embedder
    from ingest.library import all_sources
    from ingest.pipeline import ingest
    return ingest(all_sources(settings.data_dir), settings.data_dir, embedder or make_embedder(settings.embedder),
                  chroma_url=settings.chroma_url, chroma_token=settings.chroma_token, namespace=settings.namespace, rebuild=rebuild,
                  progress=progress, on_progress=on_progress)


def log_answer(data_dir, answer, channel: str, generation: str | None, logbook=None,
               db_url: str | None = None) -> str | None:
    """Keep an answer in the logbook (evals/logbook.py) and return its answer_id; None when the
    log cannot be written: a log failure never breaks an answer. Without `logbook`, the one at
    `db_url` (POLICY_DB_URL) or else under the data directory is opened."""
    import logging

    from evals.logbook import Logbook, LogbookError
    try:
        return (logbook or Logbook(data_dir, url=db_url)).record(answer, channel=channel, generation=generation)
    except LogbookError as exc:
        logging.getLogger("zhengcetong.ui").warning("answer not logged: %s", exc)
        return None


def remember_eval(data_dir, report: dict, generation: str | None, embedder: str | None,
                  open_logbook: Callable | None = None, db_url: str | None = None) -> list[dict]:
    """Keep an eval run in the logbook's history and return that set's history in this mode,
    this run last (oldest first). A history that cannot be written never loses the report: the
    run alone comes back. `open_logbook`: the server's own (AppContext.logbook); by default one
    is opened at `db_url` (POLICY_DB_URL) or else under the data directory."""
    import logging

    from evals.logbook import Logbook, LogbookError
    try:
        logbook = open_logbook() if open_logbook else Logbook(data_dir, url=db_url)
        logbook.record_eval(report, generation=generation, embedder=embedder)
        return logbook.eval_history(report["set"], report["mode"])
    except LogbookError as exc:
        logging.getLogger("zhengcetong.ui").warning("eval run not kept: %s", exc)
        return [{"created": time.time(), "generation": generation, "embedder": embedder, "overall": report["overall"]}]


def hit_record(hit: Hit) -> dict:
    """A search hit as the CLI's --json and the API return it."""
    c = hit.clause
    return {"doc_id": c.doc_id, "doc_title": c.doc_title, "clause_path": c.path, "text": c.text,
            "score": round(hit.score, 6)}
