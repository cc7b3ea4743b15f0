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
