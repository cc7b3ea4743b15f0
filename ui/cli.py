"""policy-assistant: the command line. Errors are translated for people here, and only here."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable, Optional

import typer

from assistant.cli import register as register_assistant
from evals.cli import register as register_eval
from evals.cli import register_bench
from selfcheck.cli import register as register_selfcheck
from ui.settings import Settings
from ui.usage import ChineseUsageGroup

app = typer.Typer(cls=ChineseUsageGroup, add_completion=False, no_args_is_help=True,
                  help="政策通：省级科技政策文件检索、问答与申报自评")

EXIT_BAD_INPUT = 2
EXIT_INDEX = 3


def fail(message: str, code: int = EXIT_BAD_INPUT, *, as_json: bool = False, field: str | None = None):
    if as_json:
        typer.echo(json.dumps({"error": {"field": field, "message": message}}, ensure_ascii=False))
    else:
        typer.secho(f"错误：{message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


def settings_for(data_dir: Optional[Path]) -> Settings:
    """The environment's settings, --data-dir overriding POLICY_DATA_DIR. Built anew rather
    than copied, so what derives from data_dir (the namespace) follows the directory used."""
    from pydantic import ValidationError

    from ui.settings import settings_error_message
    try:
        return Settings(data_dir=data_dir) if data_dir else Settings()
    except ValidationError as exc:
        fail(settings_error_message(exc))


DataDir = typer.Option(None, "--data-dir", help="索引目录（默认 $POLICY_DATA_DIR 或 ./data）")


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


@app.command()
def ingest(rebuild: bool = typer.Option(False, "--rebuild", help="丢弃现有索引，全部重建"),
           data_dir: Optional[Path] = DataDir, quiet: bool = typer.Option(False, "--quiet")):
    """解析政策文件并建立（或增量更新）索引。"""
    from ingest.embedders import make_embedder
    from ingest.library import all_sources
    from ingest.pipeline import ingest as run_ingest
    from ingest.store import IndexError_

    s = settings_for(data_dir)
    try:
        report = run_ingest(all_sources(s.data_dir), s.data_dir, make_embedder(s.embedder),
                            chroma_url=s.chroma_url, namespace=s.namespace, rebuild=rebuild,
                            progress=not quiet)
    except IndexError_ as exc:
        fail(str(exc), EXIT_INDEX)
    except ValueError as exc:  # the embedder spec, an unreadable library document
        fail(str(exc))
    if report.moved_aside:
        typer.secho(f"原向量库无法读取，已移到 {report.moved_aside}（可删除），索引已从头重建",
                    fg=typer.colors.YELLOW, err=True)
    if report.unchanged:
        typer.echo(f"索引已是最新：{report.documents} 份文件，{report.clauses} 条条款，未重新向量化（{report.seconds:.2f} 秒）")
    else:
        shared = (f"（其中相同文本只计算一次，模型实际计算 {report.texts_embedded} 段）"
                  if report.texts_embedded < report.embedded else "")
        typer.echo(f"索引完成：{report.documents} 份文件，{report.clauses} 条条款；新向量化 {report.embedded} 条{shared}，"
                   f"沿用 {report.reused} 条，移除 {report.removed} 条（{report.seconds:.1f} 秒）")


@app.command()
def info(data_dir: Optional[Path] = DataDir, as_json: bool = typer.Option(False, "--json")):
    """文件、条款数与索引状态（并核对条款库与向量库是否完整）。"""
    from ingest.store import check_index, read_state

    s = settings_for(data_dir)
    state = _guard(lambda: read_state(s.data_dir), as_json)
    if state is None:
        fail(f"{s.data_dir} 下还没有索引，请先运行 policy-assistant ingest", EXIT_INDEX, as_json=as_json)
    counts = _guard(lambda: check_index(s.data_dir, s.chroma_url, state), as_json)
    if as_json:
        typer.echo(json.dumps({"generation": state.generation, "embedder": state.embedder,
                               "collection": state.collection, "namespace": state.namespace or None,
                               "clauses": state.clause_count, "created": state.created,
                               "documents": {d: {**m, "clauses": counts.get(d, 0)}
                                             for d, m in state.documents.items()}},
                              ensure_ascii=False, indent=1))
        return
    typer.echo(f"索引版本 {state.generation}（{state.created}），向量模型 {state.embedder}，"
               f"共 {state.clause_count} 条条款，向量集合 {state.collection}")
    for doc_id, m in state.documents.items():
        typer.echo(f"  {doc_id:<16} {m['region']:<4} {m['status']:<6} {counts.get(doc_id, 0):>4} 条  《{m['title']}》")


def _guard(fn, as_json: bool = False):
    """fn(), with a missing or broken index reported (exit code 3) instead of raised."""
    from ingest.store import IndexError_
    try:
        return fn()
    except IndexError_ as exc:
        fail(str(exc), EXIT_INDEX, as_json=as_json)


def open_retriever(s: Settings, as_json: bool = False):
    from ingest.embedders import EmbedderError
    from ingest.store import IndexError_
    from retriever import Retriever
    try:
        return Retriever.open(s.data_dir, chroma_url=s.chroma_url)
    except (IndexError_, EmbedderError) as exc:
        fail(str(exc), EXIT_INDEX, as_json=as_json)


def hit_record(hit) -> dict:
    c = hit.clause
    return {"doc_id": c.doc_id, "doc_title": c.doc_title, "clause_path": c.path, "text": c.text,
            "score": round(hit.score, 6)}


@app.command()
def search(question: Optional[str] = typer.Argument(None, help="问题，例如“牵头企业营收要多少？”"),
           k: int = typer.Option(5, "--k", min=1, max=50, help="返回条款数"),
           region: Optional[str] = typer.Option(None, "--region", help="限定地区，如 广西、内蒙古、湖南"),
           batch: Optional[Path] = typer.Option(None, "--batch", help='JSONL 文件，每行 {"id": …, "q": …}'),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
           data_dir: Optional[Path] = DataDir):
    """检索回答问题的政策条款。"""
    if (question is None) == (batch is None):
        fail("请给出一个问题，或用 --batch 指定问题文件（二者选一）", as_json=as_json)
    question, region = terminal_text(question), terminal_text(region)
    s = settings_for(data_dir)
    retriever = open_retriever(s, as_json)
    if batch is not None:
        run_batch(batch, lambda q: {"hits": [hit_record(h) for h in
                                             retriever.search(q, k=k, region=region)]})
        return
    try:
        hits = _guard(lambda: retriever.search(question, k=k, region=region), as_json)
    except ValueError as exc:
        fail(str(exc), as_json=as_json, field="region" if "地区" in str(exc) else "q")
    if as_json:
        typer.echo(json.dumps({"q": question, "hits": [hit_record(h) for h in hits]}, ensure_ascii=False))
        return
    for i, h in enumerate(hits, 1):
        typer.echo(f"[{i}] {h.clause.citation}  (得分 {h.score:.4f})")
        typer.echo(f"    {h.clause.text.replace(chr(10), ' ')[:160]}")


def run_batch(path: Path, answer: Callable[[str], dict]) -> None:
    """One JSON line out per question line in: `answer(q)` fills it; a bad line, or a question
    the handler rejects, gets an error object instead, and the rest of the file still runs."""
    from evals.io import read_question_lines

    try:
        rows = read_question_lines(path)
    except OSError as exc:
        fail(f"无法读取问题文件“{path}”：{exc.strerror or exc}")
    for row in rows:
        error = row.error
        if error is None:
            try:
                out = {"id": row.id, "q": row.q, **_guard(lambda: answer(row.q))}
            except ValueError as exc:
                error = str(exc)
        if error is not None:
            typer.secho(f"第 {row.line} 行：{error}", err=True, fg=typer.colors.YELLOW)
            out = {"id": row.id, "q": row.q, "error": {"line": row.line, "message": error}}
        typer.echo(json.dumps(out, ensure_ascii=False))


@app.command()
def add(file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".docx/.pdf/.txt/.md"),
        doc_id: Optional[str] = typer.Option(None, "--id", help="文件编号（默认由文件名生成）"),
        title: Optional[str] = typer.Option(None, "--title"),
        region: Optional[str] = typer.Option(None, "--region"),
        data_dir: Optional[Path] = DataDir):
    """把一份新的或修订的政策文件加入文件库，并增量更新索引。"""
    from ingest.blocks import UnreadableDocument
    from ingest.library import add_document

    s = settings_for(data_dir)
    try:
        meta = add_document(s.data_dir, file, doc_id=doc_id, title=title, region=region,
                            max_bytes=s.max_upload_bytes)
    except (UnreadableDocument, ValueError) as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"无法读取文件“{file}”：{exc.strerror or exc}")
    typer.echo(f"已加入：{meta.id}《{meta.title}》（{meta.region}）")
    ingest(rebuild=False, data_dir=s.data_dir, quiet=True)


@app.command()
def remove(doc_id: str = typer.Argument(...), data_dir: Optional[Path] = DataDir):
    """从文件库删除一份上传的文件，并从索引中移除它的条款。"""
    from ingest.library import remove_document

    s = settings_for(data_dir)
    try:
        remove_document(s.data_dir, doc_id)
    except KeyError as exc:
        fail(exc.args[0])
    typer.echo(f"已删除：{doc_id}")
    ingest(rebuild=False, data_dir=s.data_dir, quiet=True)


@app.command()
def serve(host: Optional[str] = typer.Option(None, "--host", help="监听地址（默认 $POLICY_HOST 或 127.0.0.1）"),
          port: Optional[int] = typer.Option(None, "--port", min=1, max=65535, help="端口（默认 $POLICY_PORT 或 7860）"),
          data_dir: Optional[Path] = DataDir):
    """启动网页版（政策问答、申报自评、评测、政策文件）与 HTTP API；首次运行时先建立索引。"""
    from ingest.store import read_state
    from ui.context import AppContext
    from ui.web import serve as run_server

    s = settings_for(data_dir)
    if _guard(lambda: read_state(s.data_dir)) is None:
        typer.echo(f"{s.data_dir} 下还没有索引，先建立索引……")
        ingest(rebuild=False, data_dir=s.data_dir, quiet=False)
    host, port = host or s.host, port or s.port
    problem = _cannot_listen(host, port)
    if problem:
        fail(f"无法在 {host}:{port} 上启动服务：{problem}（端口被占用时可用 --port 换一个）")
    typer.echo(f"政策通已启动：http://{host}:{port}/  （HTTP API：http://{host}:{port}/api/docs；Ctrl+C 退出）")
    run_server(AppContext(s), host, port)


def _cannot_listen(host: str, port: int) -> str | None:
    """Why the server could not bind (uvicorn would only log it and exit), or None."""
    import socket
    try:
        with socket.create_server((host, port)):
            return None
    except OSError as exc:
        return exc.strerror or str(exc)


# Commands that live with their package.
register_selfcheck(app)
register_assistant(app)
register_eval(app)
register_bench(app)


def main() -> None:
    app()


if __name__ == "__main__":
    sys.exit(main())
