"""policy-assistant: the command line. One module per group of commands; errors are turned
into exit codes by their type (ui/errors.py), here and in no package of the core."""
from __future__ import annotations

from ingest.threads import apply_thread_policy

apply_thread_policy()  # before numpy or a model loads: serve, ingest, eval and bench all start here

import typer  # noqa: E402

from ui.cli import ask, evals, library, selfcheck, serve  # noqa: E402
from ui.cli.common import settings_for  # noqa: E402
from ui.usage import ChineseUsageGroup  # noqa: E402

__all__ = ["app", "main", "settings_for"]

app = typer.Typer(cls=ChineseUsageGroup, add_completion=False, no_args_is_help=True,
                  help="政策通：省级科技政策文件检索、问答与申报自评")

# In the order `--help` lists them.
for command, name, help_text in (
    (library.ingest, None, None), (library.info, None, None), (ask.search, None, None),
    (library.add, None, None), (library.remove, None, None), (library.versions, None, None),
    (library.diff, None, None), (serve.serve, None, None),
    (selfcheck.selfcheck_command, "selfcheck", selfcheck.HELP), (ask.ask, None, None), (ask.chat, None, None),
    (evals.eval_command, "eval", None), (evals.bench, None, None), (evals.export_log, "export-log", None),
):
    app.command(name, help=help_text)(command)


def main() -> None:
    app()
