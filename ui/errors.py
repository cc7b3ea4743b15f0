"""Errors reach people as Chinese messages, never as tracebacks. Each package raises its own
typed error with a Chinese message where the problem happens; here, and only here, the type
becomes an exit code (CLI), an HTTP status (API) or a gr.Error (web). No error is recognised by
its text. Anything unexpected is logged with its traceback and shown as a short apology, so the
process and the user's session carry on."""
from __future__ import annotations

import errno
import logging
import re
from contextlib import contextmanager
from functools import lru_cache

log = logging.getLogger("zhengcetong.ui")

EXIT_RULES = 1        # a self-assessment rules file disagrees with the policy text (our bug)
EXIT_BAD_INPUT = 2    # what the user gave or set: a question, an option, a file, a setting
EXIT_UNAVAILABLE = 3  # the index is missing or broken, or a model cannot be used
HTTP_UNEXPECTED = 500  # an unexpected error: the server failed, not the request


@lru_cache(maxsize=1)
def error_table() -> dict[type[BaseException], tuple[int, int]]:
    """Every error written for people: its exit code (CLI) and HTTP status (API). A subclass
    not listed takes its nearest listed base's row. (Imported here, not at the top: the CLI
    should not load the assistant to print its help.)"""
    from assistant.errors import LLMNotConfigured, LLMUnavailable
    from evals.io import GoldFileError
    from ingest.errors import (
        EmbedderError, EmbedderUnavailable, IndexError_, InvalidInput, NamespaceError,
    )
    from selfcheck.errors import InputError, RulesError
    from evals.logbook import LogbookError, UnknownAnswer
    from ui.access import AdminRequired
    from ui.limits import TooBusy
    return {
        TooBusy: (EXIT_UNAVAILABLE, 429),           # a per-client limit or a full lane: try again later
        UnknownAnswer: (EXIT_BAD_INPUT, 404),       # feedback for an answer never given
        LogbookError: (EXIT_UNAVAILABLE, 503),
        AdminRequired: (EXIT_BAD_INPUT, 403),       # a library change without the admin token
        InvalidInput: (EXIT_BAD_INPUT, 400),        # a question, its filters, a document
        InputError: (EXIT_BAD_INPUT, 400),          # a self-assessment input
        GoldFileError: (EXIT_BAD_INPUT, 400),
        NamespaceError: (EXIT_BAD_INPUT, 400),
        EmbedderError: (EXIT_BAD_INPUT, 503),       # POLICY_EMBEDDER names no model
        EmbedderUnavailable: (EXIT_UNAVAILABLE, 503),
        IndexError_: (EXIT_UNAVAILABLE, 503),
        LLMUnavailable: (EXIT_UNAVAILABLE, 503),
        LLMNotConfigured: (EXIT_BAD_INPUT, 503),
        RulesError: (EXIT_RULES, 400),
    }


def _row(exc: BaseException) -> tuple[int, int] | None:
    table = error_table()
    return next((table[cls] for cls in type(exc).__mro__ if cls in table), None)


def for_people_types() -> tuple[type[BaseException], ...]:
    """The errors whose message is written for people (for an `except` clause)."""
    return tuple(error_table())


def is_for_people(exc: BaseException) -> bool:
    return _row(exc) is not None


def exit_code(exc: BaseException) -> int:
    row = _row(exc)
    return row[0] if row else EXIT_BAD_INPUT


def http_status(exc: BaseException) -> int:
    row = _row(exc)
    return row[1] if row else HTTP_UNEXPECTED


def field_of(exc: BaseException) -> str | None:
    """The input field an error is about (InvalidInput, selfcheck's InputError), if any."""
    field = getattr(exc, "field", None)
    return field if isinstance(field, str) else None


QUOTED_MAX = 50
_QUOTED = re.compile(r"“([^”]{%d})[^”]+”" % QUOTED_MAX)


def clipped(message: str) -> str:
    """A message quotes what the user sent (“火星火星…”) at most QUOTED_MAX characters long."""
    return _QUOTED.sub(lambda m: f"“{m.group(1)}…”", message)


_OS_PROBLEMS = {
    errno.ENOENT: "路径不存在（或上级目录不存在）",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "所在文件系统只读",
    errno.ENOSPC: "磁盘空间已满",
    errno.EISDIR: "这是一个目录，不是文件",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EEXIST: "已存在同名文件",
    errno.EADDRINUSE: "端口已被占用",
    errno.EADDRNOTAVAIL: "本机没有这个地址",
}


def os_problem(exc: OSError) -> str:
    """An operating-system error in Chinese (its strerror is English); unknown ones keep theirs."""
    return _OS_PROBLEMS.get(exc.errno, exc.strerror or type(exc).__name__)


def explain(exc: BaseException) -> str:
    """What to tell the user; an unexpected error is logged with its traceback first."""
    if is_for_people(exc):
        return clipped(str(exc))
    log.error("unexpected error in a web or API handler", exc_info=exc)
    return f"处理时出现内部错误（{type(exc).__name__}），已记录在服务器日志中，请稍后重试。"


@contextmanager
def for_people():
    """Around a Gradio handler: every error becomes a gr.Error with a Chinese message."""
    import gradio as gr
    try:
        yield
    except gr.Error:
        raise
    except Exception as exc:
        raise gr.Error(explain(exc), title="出错了", print_exception=False) from None
