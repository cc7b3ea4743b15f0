"""Errors reach people as Chinese messages (gr.Error), never as tracebacks. Each package raises
its own typed error with a Chinese message where the problem happens; here, and only here,
they become what the browser shows. Anything unexpected is logged with its traceback on the
server and shown as a short apology, so the process and the user's session carry on."""
from __future__ import annotations

import logging
import re
from contextlib import contextmanager

import gradio as gr

log = logging.getLogger("zhengcetong.ui")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def expected_errors() -> tuple[type[BaseException], ...]:
    """Errors whose message is written for people (all carry Chinese text)."""
    from assistant.llm import LLMUnavailable
    from evals.io import GoldFileError
    from ingest.blocks import UnreadableDocument
    from ingest.embedders import EmbedderError
    from ingest.store import IndexError_
    from selfcheck import SelfcheckError
    return (IndexError_, LLMUnavailable, GoldFileError, UnreadableDocument, EmbedderError, SelfcheckError,
            ValueError, KeyError)


def message_of(exc: BaseException) -> str | None:
    """The Chinese message, or None when the error is a bug that happens to share a type
    (a ValueError from a library says nothing a user can act on)."""
    text = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
    return text if _CJK.search(text) else None


def explain(exc: Exception) -> str:
    """What to tell the user; an unexpected error is logged with its traceback first."""
    message = message_of(exc) if isinstance(exc, expected_errors()) else None
    if message is None:
        log.error("unexpected error in a web or API handler", exc_info=exc)
        message = f"处理时出现内部错误（{type(exc).__name__}），已记录在服务器日志中，请稍后重试。"
    return message


@contextmanager
def for_people():
    """Around a Gradio handler: every error becomes a gr.Error with a Chinese message."""
    try:
        yield
    except gr.Error:
        raise
    except Exception as exc:
        raise gr.Error(explain(exc), title="出错了", print_exception=False) from None
