"""`policy-assistant selfcheck`: the self-assessment engine on the command line.

    policy-assistant selfcheck --program gx-consortium --input company.json [--json] [--markdown 报告.md]
    policy-assistant selfcheck --list-programs [--json]
    policy-assistant selfcheck --schema gx-consortium

Exit codes (ui/errors.py): 0 assessed (whatever the verdict), 2 bad input or usage, 1 a broken
rules file. With --json, errors are printed as {"error": {"field": …, "message": …, "type": …}}.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from evals.impact import pending_rules
from selfcheck import InputError, evaluate, list_programs, render_markdown, render_text, schema
from selfcheck.engine import with_pending
from selfcheck.input_text import parse_inputs_text
from selfcheck.rules import program_ids
from ui.cli.common import DataDir, check_output, fail, reported, settings_for
from ui.errors import os_problem

IDS = "、".join(program_ids())
HELP = f"申报自评：按文件条款逐条比对申报单位的情况。可选项目：{IDS}"


def _dump(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def read_inputs(source: str) -> Any:
    """The applicant's inputs from a JSON (or .yaml/.yml) file, or JSON on stdin for "-"."""
    if source == "-":
        raw = sys.stdin.buffer.read() if hasattr(sys.stdin, "buffer") else sys.stdin.read().encode("utf-8")
        text, is_yaml = _decode(raw, "标准输入"), False
    else:
        path = Path(source)
        if not path.is_file():
            raise InputError("input", f"找不到输入文件“{source}”")
        text, is_yaml = _read_text(path), path.suffix.lower() in (".yaml", ".yml")
    return parse_inputs_text(text, is_yaml)


def _read_text(path: Path) -> str:
    try:
        return _decode(path.read_bytes(), f"输入文件“{path.name}”")
    except OSError as exc:
        raise InputError("input", f"无法读取输入文件“{path.name}”：{os_problem(exc)}") from exc


def _decode(data: bytes, what: str) -> str:
    """UTF-8 text (with or without BOM); anything else is named, not a traceback."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("input", f"{what}不是 UTF-8 编码的文本（请另存为 UTF-8 的 JSON）") from exc


def _print_programs(as_json: bool) -> None:
    programs = list_programs()
    if as_json:
        typer.echo(_dump([p.to_dict() for p in programs]))
        return
    for p in programs:
        typer.echo(f"{p.id:<14}{p.name}  依据《{p.doc_title}》（{p.doc_status}）")


def selfcheck_command(
    program: Optional[str] = typer.Option(None, "--program", "-p", help=f"项目 id：{IDS}"),
    input_: Optional[str] = typer.Option(
        None, "--input", "-i", help="申报信息文件（JSON；.yaml/.yml 按 YAML 读），- 表示从标准输入读 JSON"),
    as_json: bool = typer.Option(False, "--json", help="以 JSON 输出结果或错误"),
    list_only: bool = typer.Option(False, "--list-programs", help="列出可自评的项目"),
    schema_id: Optional[str] = typer.Option(None, "--schema", help="输出该项目输入信息的 JSON Schema"),
    markdown: Optional[Path] = typer.Option(None, "--markdown", help="另存一份 Markdown 自评报告"),
    data_dir: Optional[Path] = DataDir,
) -> None:
    if markdown is not None:
        check_output(markdown, "markdown", directory=False, as_json=as_json)
    with reported(as_json):
        if list_only:
            _print_programs(as_json)
            return
        if schema_id is not None:
            typer.echo(_dump(schema(schema_id)))
            return
        if not program:
            raise InputError("program", f"请用 --program 指定项目，可选：{IDS}")
        if not input_:
            raise InputError("input", "请用 --input 指定申报信息文件（JSON），或用 - 从标准输入读取")
        assessment = evaluate(program, read_inputs(input_))
        # criteria whose clause a version added since has changed are marked 待更新
        assessment = with_pending(assessment, pending_rules(settings_for(data_dir).data_dir, program))
    typer.echo(_dump(assessment.to_dict()) if as_json else render_text(assessment), nl=as_json)
    if markdown is not None:
        try:
            markdown.write_text(render_markdown(assessment), encoding="utf-8")
        except OSError as exc:  # the assessment is already printed above; only the copy failed
            fail(f"无法写入“{markdown}”：{os_problem(exc)}", as_json=False, field="markdown")
        typer.echo(f"自评报告已保存：{markdown}", err=True)
