"""`policy-assistant serve`: the web app and the HTTP API on one server."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ui.errors import os_problem
from ui.cli.common import DataDir, fail, reported, settings_for
from ui.cli.library import ingest


def serve(host: Optional[str] = typer.Option(None, "--host", help="监听地址（默认 $POLICY_HOST 或 127.0.0.1）"),
          port: Optional[int] = typer.Option(None, "--port", min=1, max=65535, help="端口（默认 $POLICY_PORT 或 7860）"),
          data_dir: Optional[Path] = DataDir):
    """启动网页版（政策问答、申报自评、评测、政策文件）与 HTTP API；首次运行时先建立索引。"""
    from ingest.store import read_state
    from ingest.tokenize import tokenizer_fingerprint
    from ui.access import is_loopback
    from ui.context import AppContext
    from ui.web import serve as run_server

    s = settings_for(data_dir)
    if not s.admin_token and not is_loopback(host or s.host):
        fail(f"要在 {host or s.host} 上对外提供服务，请先设置 POLICY_ADMIN_TOKEN（管理员口令）：否则任何能访问该端口的人"
             "都能增删政策文件。只在本机使用时不必设置（默认 --host 127.0.0.1）。", field="host")
    with reported():
        state = read_state(s.data_dir)
    if state is None:
        typer.echo(f"{s.data_dir} 下还没有索引，先建立索引……")
        ingest(rebuild=False, data_dir=s.data_dir, quiet=False)
    elif state.tokenizer != tokenizer_fingerprint():
        typer.echo("分词词典、停用词或同义词表已更改，先更新关键词索引（向量沿用）……")
        ingest(rebuild=False, data_dir=s.data_dir, quiet=True)
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
        return os_problem(exc)
