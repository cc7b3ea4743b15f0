"""What every command shares: settings from --data-dir, arguments as typed, batch files, and
the one way a command fails (a red line, or {"error": …} with --json, and the exit code that
ui/errors.py gives the error's type)."""
from __future__ import annotations

import json
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, NoReturn, Optional

import typer

from ui.errors import EXIT_BAD_INPUT, exit_code, explain, field_of, for_people_types, os_problem
from ui.settings import Settings

DataDir = typer.Option(None, "--data-dir", help="索引目录（默认 $POLICY_DATA_DIR 或 ./data）")


def fail(problem: str | BaseException, code: int | None = None, *, as_json: bool = False,
         field: str | None = None) -> NoReturn:
    """Report a problem the way the caller asked, and exit: with `code`, or the code of the
    error's type. An error's own field is used unless `field` is given."""
    record: dict = {"field": field, "message": problem}
    if isinstance(problem, BaseException):
        record = {"field": field or field_of(problem), "message": explain(problem), "type": type(problem).__name__}
        code = code or exit_code(problem)
    if as_json:
        typer.echo(json.dumps({"error": record}, ensure_ascii=False))
    else:
        typer.secho(f"错误：{record['message']}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code or EXIT_BAD_INPUT)


@contextmanager
def reported(as_json: bool = False) -> Iterator[None]:
    """Around a command's work: an error written for people ends the command through `fail`;
    anything else is a bug and keeps its traceback."""
    try:
        yield
    except for_people_types() as exc:
        fail(exc, as_json=as_json)


def check_output(path: Path, option: str, *, directory: bool, as_json: bool = False) -> None:
    """Fail before the work, not after it, when `path` cannot be written: a long eval must not
    end in a traceback that loses its report. A directory is created (as the writer would);
    a file's directory must exist and the file must not be a directory."""
    import os
    import tempfile
    try:
        if directory:
            path.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=path):
                pass
        elif path.is_dir():
            raise IsADirectoryError(21, "is a directory")
        elif not path.parent.resolve().is_dir():
            raise FileNotFoundError(2, "no such directory")
        elif not os.access(path.parent.resolve(), os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
            raise PermissionError(13, "permission denied")
    except OSError as exc:
        fail(f"无法写入“{path}”：{os_problem(exc)}", as_json=as_json, field=option)


def settings_for(data_dir: Optional[Path]) -> Settings:
    """The environment's settings, --data-dir overriding POLICY_DATA_DIR. Built anew rather
    than copied, so what derives from data_dir (the namespace) follows the directory used."""
    from pydantic import ValidationError

    from ui.settings import settings_error_message
    try:
        return Settings(data_dir=data_dir) if data_dir else Settings()
    except ValidationError as exc:
        fail(settings_error_message(exc))


def terminal_text(text: str | None) -> str | None:
    """An argument as typed. A terminal in GBK hands over bytes that are not UTF-8; Python
    keeps them as surrogate escapes, which cannot even be printed. Read them as GB18030."""
    if text is None or not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("utf-8", "surrogateescape")
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def run_batch(path: Path, answer: Callable[[str], dict]) -> None:
    """One JSON line out per question line in: `answer(q)` fills it; a bad line, or a question
    the handler rejects, gets an error object instead, and the rest of the file still runs."""
    from evals.io import read_question_lines
    from ingest.errors import InvalidInput

    try:
        rows = read_question_lines(path)
    except OSError as exc:
        fail(f"无法读取问题文件“{path}”：{os_problem(exc)}")
    for row in rows:
        error = row.error
        if error is None:
            with reported():  # a broken index ends the run; a rejected question is one line's error
                try:
                    out = {"id": row.id, "q": row.q, **answer(row.q)}
                except InvalidInput as exc:
                    error = exc.message
        if error is not None:
            typer.secho(f"第 {row.line} 行：{error}", err=True, fg=typer.colors.YELLOW)
            out = {"id": row.id, "q": row.q, "error": {"line": row.line, "message": error}}
        typer.echo(json.dumps(out, ensure_ascii=False))
