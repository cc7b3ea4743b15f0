"""Servers the tests start on loopback: a Chroma server from the `chroma` command the chromadb
package ships (the app's own server is evals.load.served)."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from evals.load import free_port


@contextmanager
def chroma_server(path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`chroma run` on a free port; yields its URL and the process (a test may stop it early)."""
    # The chromadb package installs `chroma` beside this interpreter (the venv may not be on PATH).
    sibling = Path(sys.executable).parent / "chroma"
    exe = str(sibling) if sibling.exists() else shutil.which("chroma")
    assert exe, "the chroma command from the chromadb package is missing"
    port = free_port()
    proc = subprocess.Popen([exe, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if proc.poll() is not None or time.time() > deadline:
                    raise RuntimeError("chroma server did not start")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        if proc.poll() is None:  # still running: stop it (a return here would swallow the test's error)
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def token_proxy(upstream: str, token: str) -> Iterator[str]:
    """How a Chroma 1.x server is secured (its own auth providers are gone): a proxy in front
    that passes only requests carrying `Authorization: Bearer <token>`, else 401. Yields its URL."""
    import threading

    import httpx
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def forward(request: Request) -> Response:
        if request.headers.get("authorization") != f"Bearer {token}":
            return Response('{"error": "Unauthorized", "message": "missing or wrong token"}', status_code=401,
                            media_type="application/json")
        async with httpx.AsyncClient(base_url=upstream, timeout=60) as client:
            r = await client.request(request.method, request.url.path, params=request.query_params,
                                     content=await request.body(),
                                     headers={k: v for k, v in request.headers.items() if k.lower() != "host"})
        headers = {k: v for k, v in r.headers.items() if k.lower() not in ("content-length", "content-encoding",
                                                                          "transfer-encoding", "connection")}
        return Response(r.content, status_code=r.status_code, headers=headers)

    methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
    app = Starlette(routes=[Route("/{path:path}", forward, methods=methods)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 30
    while not server.started:
        if time.time() > deadline:
            raise RuntimeError("token proxy did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
