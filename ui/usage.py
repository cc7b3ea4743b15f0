"""Command-line usage errors (a bad --k, an unknown option, a missing file) in Chinese, naming
the option. Typer words them in English; the translation happens here, at the edge.

Typer runs its own fork of click and exports only `typer.BadParameter` of its exceptions, so the
others are told apart by click's documented attributes (`option_name`, `possibilities`,
`param_type`, `ctx`), and the Chinese one is raised through the public `Context.fail`."""
from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any, Iterator

from typer import BadParameter
from typer.core import TyperGroup

# Typer's value checks (pydantic wording) and click's file checks → what the value should be.
_DETAILS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I), r) for p, r in (
    (r"greater than or equal to (\S+?)\.?$", r"应不小于 \1"),
    (r"less than or equal to (\S+?)\.?$", r"应不大于 \1"),
    (r"greater than (\S+?)\.?$", r"应大于 \1"),
    (r"less than (\S+?)\.?$", r"应小于 \1"),
    (r"valid integer|as an integer", "应为整数"),
    (r"valid number|as a number|valid float|finite number", "应为有限的数字"),
    (r"valid boolean", "应为 true 或 false"),
    (r"(?:file|path|directory) '(.*)' does not exist", r"文件“\1”不存在"),
    (r"'(.*)' is a directory", r"“\1”是目录，应为文件"),
    (r"is not readable", "文件不可读"),
))


def _detail(message: str) -> str:
    for pattern, replacement in _DETAILS:
        found = pattern.search(message)
        if found:
            return found.expand(replacement)
    return f"值无效（{message}）"


def _param_name(exc: BadParameter) -> str:
    param = exc.param
    opts = [o for o in getattr(param, "opts", None) or [] if o.startswith("-")]
    if opts:
        return f"选项 {max(opts, key=len)}"
    return f"参数 {(getattr(param, 'name', None) or '').upper()}".rstrip()


def is_usage_error(exc: BaseException) -> bool:
    """Click's UsageError family (exit code 2, with the context it arose in); the help shown
    for a bare `policy-assistant` is one too, and stays what it is."""
    return (getattr(exc, "exit_code", None) == 2 and hasattr(exc, "ctx")
            and isinstance(getattr(exc, "message", None), str)
            and type(exc).__name__ != "NoArgsIsHelpError")  # typer's own rich_utils tells it by name


def chinese_usage_message(exc: Exception) -> str:
    """The Chinese sentence for a usage error, naming the option or argument."""
    message = getattr(exc, "message", "") or ""
    option = getattr(exc, "option_name", None)
    if option and hasattr(exc, "possibilities"):  # NoSuchOption
        possibilities = exc.possibilities
        hint = f"，是否想用 {'、'.join(sorted(possibilities))}？" if possibilities else ""
        return f"没有 {option} 这个选项{hint}"
    if option:  # BadOptionUsage
        needs = "不带值" if "does not take a value" in message else "后面需要一个值"
        return f"选项 {option} {needs}"
    if isinstance(exc, BadParameter) and hasattr(exc, "param_type"):  # MissingParameter
        return f"缺少{_param_name(exc)}"
    if isinstance(exc, BadParameter):
        return f"{_param_name(exc)} 的值无效：{_detail(message)}"
    command = re.match(r"No such command '(.*?)'", message)
    if command:
        close = re.findall(r"'([^']+)'", message.split("Did you mean", 1)[1]) if "Did you mean" in message else []
        hint = f"，是否想用 {'、'.join(close)}？" if close else ""
        return f"没有“{command.group(1)}”这个命令{hint}（policy-assistant --help 列出全部命令）"
    extra = re.search(r"unexpected extra arguments?\S* \((.*)\)", message)
    if extra:
        return f"多余的参数“{extra.group(1)}”；含空格的问题请用引号括起来"
    return f"命令用法有误：{message}"


@contextmanager
def chinese_usage_errors() -> Iterator[None]:
    try:
        yield
    except Exception as exc:
        if not is_usage_error(exc):
            raise
        if exc.ctx is None:  # not seen in practice; keep the error, in Chinese
            exc.message = chinese_usage_message(exc)
            raise
        exc.ctx.fail(chinese_usage_message(exc))


class ChineseUsageGroup(TyperGroup):
    """The app's command group: parsing errors of the group and of every command in Chinese."""

    def make_context(self, *args: Any, **kwargs: Any):
        with chinese_usage_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx) -> Any:
        with chinese_usage_errors():
            return super().invoke(ctx)
