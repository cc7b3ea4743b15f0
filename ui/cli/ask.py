"""Questions on the command line: search (the clauses), ask (an answer citing them), chat."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

from ui.cli.common import DataDir, fail, reported, run_batch, settings_for, terminal_text

ONE_OF = "请给出一个问题，或用 --batch 指定问题文件（二者选一）"


def search(question: Optional[str] = typer.Argument(None, help="问题，例如“牵头企业营收要多少？”"),
           k: int = typer.Option(5, "--k", min=1, max=50, help="返回条款数"),
           region: Optional[str] = typer.Option(None, "--region", help="限定地区，如 广西、内蒙古、湖南"),
           batch: Optional[Path] = typer.Option(None, "--batch", help='JSONL 文件，每行 {"id": …, "q": …}'),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
           data_dir: Optional[Path] = DataDir):
    """检索回答问题的政策条款。"""
    from ui.services import hit_record, open_retriever

    if (question is None) == (batch is None):
        fail(ONE_OF, as_json=as_json)
    question, region = terminal_text(question), terminal_text(region)
    s = settings_for(data_dir)
    with reported(as_json):
        retriever = open_retriever(s)
    if batch is not None:
        run_batch(batch, lambda q: {"hits": [hit_record(h) for h in
                                             retriever.search(q, k=k, region=region)]})
        return
    with reported(as_json):
        hits = retriever.search(question, k=k, region=region)
    if as_json:
        typer.echo(json.dumps({"q": question, "hits": [hit_record(h) for h in hits]}, ensure_ascii=False))
        return
    for i, h in enumerate(hits, 1):
        typer.echo(f"[{i}] {h.clause.citation}  (得分 {h.score:.4f})")
        typer.echo(f"    {h.clause.text.replace(chr(10), ' ')[:160]}")


def ask(question: Optional[str] = typer.Argument(None, help="问题"),
        mode: str = typer.Option("extractive", "--mode", help="extractive（原文摘录，默认）或 llm（大模型）"),
        region: Optional[str] = typer.Option(None, "--region", help="限定地区"),
        batch: Optional[Path] = typer.Option(None, "--batch", help='JSONL，每行 {"id": …, "q": …}'),
        as_json: bool = typer.Option(False, "--json"),
        data_dir: Optional[Path] = DataDir):
    """回答一个政策问题，并引用到条款。"""
    from assistant.types import MODES
    from ui.services import build_assistant, log_answer

    if mode not in MODES:
        fail(f"未知的回答模式“{mode}”，可选：{'、'.join(MODES)}", as_json=as_json, field="mode")
    if (question is None) == (batch is None):
        fail(ONE_OF, as_json=as_json)
    question, region = terminal_text(question), terminal_text(region)
    s = settings_for(data_dir)
    with reported():
        assistant = build_assistant(s, mode)
    if batch is not None:
        run_batch(batch, lambda q: assistant.answer(q, mode=mode, region=region).to_dict())
        return
    stream = mode == "llm" and not as_json
    with reported(as_json):
        for answer in assistant.stream(question, mode=mode, region=region):
            if isinstance(answer, str) and stream:
                sys.stdout.write(answer)
                sys.stdout.flush()
    if stream:
        typer.echo("")
    if as_json:
        answer_id = log_answer(s.data_dir, answer, "cli", assistant.retriever.state.generation, db_url=s.db_url)
        typer.echo(json.dumps({"answer_id": answer_id, **answer.to_dict()}, ensure_ascii=False))
        return
    _print_answer(answer, as_json, streamed=stream)


def chat(mode: str = typer.Option("extractive", "--mode"), data_dir: Optional[Path] = DataDir):
    """交互式问答：可以追问（“那湖南呢？”）。输入空行或 Ctrl-D 结束。"""
    from assistant import Session
    from ingest.errors import InvalidInput
    from ui.services import build_assistant

    s = settings_for(data_dir)
    with reported():
        session = Session(build_assistant(s, mode))
    typer.echo("政策通：请提问（空行结束）。")
    while True:
        try:
            question = input("问：").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not question:
            break
        with reported():
            try:
                answer = session.ask(question, mode=mode)
            except InvalidInput as exc:
                typer.secho(f"错误：{exc}", fg=typer.colors.RED)
                continue
        typer.echo("答：", nl=False)
        _print_answer(answer, as_json=False, streamed=False)


def _print_answer(answer, as_json: bool, streamed: bool) -> None:
    if as_json:
        typer.echo(json.dumps(answer.to_dict(), ensure_ascii=False))
        return
    if answer.note:
        typer.secho(answer.note, fg=typer.colors.YELLOW)
    if not streamed or answer.note or answer.refused:
        typer.echo(answer.text)
    for c in answer.citations:
        typer.secho(f"[{c.n}] {c.clause.citation}", fg=typer.colors.CYAN)
