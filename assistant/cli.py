"""`ask` and `chat`: the assistant on the command line (registered on the main typer app)."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer


def build_assistant(settings, mode: str):
    """Retriever from the index; a chat model only when the LLM mode is asked for."""
    from assistant import Assistant
    from assistant.llm import LLMUnavailable, make_chat_model
    from ui.cli import EXIT_INDEX, fail, open_retriever

    retriever = open_retriever(settings)
    model = None
    if mode == "llm":
        if not settings.llm_provider:
            fail("未配置大模型：请设置 POLICY_LLM_PROVIDER=local（本地 Qwen）或 openai（兼容接口）")
        try:
            model = make_chat_model(settings.llm_provider, cache_dir=settings.data_dir / "models",
                                    base_url=settings.llm_base_url, model=settings.llm_model,
                                    api_key=settings.llm_api_key, timeout=settings.llm_timeout)
        except LLMUnavailable as exc:
            fail(str(exc), EXIT_INDEX)
    return Assistant(retriever, model)


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


def register(app: typer.Typer) -> None:
    from ui.cli import DataDir, _guard, fail, run_batch, settings_for, terminal_text

    @app.command()
    def ask(question: Optional[str] = typer.Argument(None, help="问题"),
            mode: str = typer.Option("extractive", "--mode", help="extractive（原文摘录，默认）或 llm（大模型）"),
            region: Optional[str] = typer.Option(None, "--region", help="限定地区"),
            batch: Optional[Path] = typer.Option(None, "--batch", help='JSONL，每行 {"id": …, "q": …}'),
            as_json: bool = typer.Option(False, "--json"),
            data_dir: Optional[Path] = DataDir):
        """回答一个政策问题，并引用到条款。"""
        from assistant.types import MODES
        if mode not in MODES:
            fail(f"未知的回答模式“{mode}”，可选：{'、'.join(MODES)}", as_json=as_json, field="mode")
        if (question is None) == (batch is None):
            fail("请给出一个问题，或用 --batch 指定问题文件（二者选一）", as_json=as_json)
        question, region = terminal_text(question), terminal_text(region)
        assistant = build_assistant(settings_for(data_dir), mode)
        if batch is not None:
            run_batch(batch, lambda q: assistant.answer(q, mode=mode, region=region).to_dict())
            return
        stream = mode == "llm" and not as_json
        on_token = (lambda t: (sys.stdout.write(t), sys.stdout.flush())) if stream else None
        try:
            answer = _guard(lambda: assistant.answer(question, mode=mode, region=region, on_token=on_token), as_json)
        except ValueError as exc:
            fail(str(exc), as_json=as_json, field="region" if "地区" in str(exc) else "q")
        if stream:
            typer.echo("")
        _print_answer(answer, as_json, streamed=stream)

    @app.command()
    def chat(mode: str = typer.Option("extractive", "--mode"), data_dir: Optional[Path] = DataDir):
        """交互式问答：可以追问（“那湖南呢？”）。输入空行或 Ctrl-D 结束。"""
        from assistant import Session
        session = Session(build_assistant(settings_for(data_dir), mode))
        typer.echo("政策通：请提问（空行结束）。")
        while True:
            try:
                question = input("问：").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if not question:
                break
            try:
                answer = _guard(lambda: session.ask(question, mode=mode))
            except ValueError as exc:
                typer.secho(f"错误：{exc}", fg=typer.colors.RED)
                continue
            typer.echo("答：", nl=False)
            _print_answer(answer, as_json=False, streamed=False)
