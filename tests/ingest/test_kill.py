"""kill -9 in the middle of an ingest: the real CLI in a subprocess, the real model, a real
on-disk index. The previous generation keeps serving, `info` works, the next ingest
completes and removes the half-built generation, and no clause is lost."""
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.library import add_document, all_sources
from ingest.pipeline import ingest
from ingest.store import open_client, read_state
from retriever import Retriever
from tests.conftest import FakeEmbedder
from ui.cli import app

pytestmark = pytest.mark.slow
QUESTION = "广西创新联合体牵头企业营收要多少？"
NEW_DOC = ("测试市科技创新券管理办法\n第一条 为支持中小企业开展研发活动，设立科技创新券。\n"
           "第二条 每家企业每年申领科技创新券总额不超过30万元。\n第三条 本办法自发布之日起施行。\n")


def _start_ingest(data_dir: Path) -> subprocess.Popen:
    exe = Path(sys.executable).parent / "policy-assistant"
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICY_")}
    return subprocess.Popen([str(exe), "ingest", "--rebuild", "--data-dir", str(data_dir)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)


def _wait_for_embedding(proc: subprocess.Popen, timeout: float = 600) -> str:
    """Block until tqdm reports some but not all clauses embedded; the stderr seen so far."""
    seen = bytearray()

    def read() -> None:
        for chunk in iter(lambda: proc.stderr.read1(4096), b""):
            seen.extend(chunk)

    threading.Thread(target=read, daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        text = seen.decode("utf-8", "replace")
        for update in text.split("\r"):
            if "向量化条款" in update and "|" in update:
                done, total = update.rsplit("|", 1)[1].split("[")[0].strip().split("/")
                if 0 < int(done) < int(total):
                    return text
        time.sleep(0.05)
    proc.kill()
    pytest.fail(f"ingest never reported embedding progress (exit {proc.poll()}): {seen.decode('utf-8', 'replace')}")


def test_kill_9_during_embedding(real_index, real_retriever, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(real_index, data)
    before = real_retriever.search(QUESTION, k=1)[0].clause.id
    state = read_state(data)
    doc = tmp_path / "创新券.txt"
    doc.write_text(NEW_DOC, encoding="utf-8")
    add_document(data, doc, doc_id="test-voucher", region="广西")  # the next ingest has work to do

    proc = _start_ingest(data)
    _wait_for_embedding(proc)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=60) == -signal.SIGKILL
    assert read_state(data) == state  # nothing was swapped in
    assert [p.name for p in (data / "generations").iterdir() if p.name != state.generation]  # half-built

    # The previous generation still serves, and `info` works.
    assert Retriever.open(data).search(QUESTION, k=1)[0].clause.id == before
    runner = CliRunner()
    info = runner.invoke(app, ["info", "--data-dir", str(data)])
    assert info.exit_code == 0 and f"共 {state.clause_count} 条条款" in info.stdout

    # The next ingest completes (the kill left no lock behind) and cleans up after the killed one.
    result = runner.invoke(app, ["ingest", "--quiet", "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    after = read_state(data)
    assert [p.name for p in (data / "generations").iterdir()] == [after.generation]
    assert open_client(data).collection_names() == {after.collection}

    # No clause lost: the same clauses as a clean ingest of the same documents.
    clean = tmp_path / "clean"
    ingest(all_sources(data), clean, FakeEmbedder(), progress=False)
    served = Retriever.open(data)
    assert after.clause_count == read_state(clean).clause_count
    assert {c.id for c in served.clauses} == {c.id for c in Retriever.open(clean, embedder=FakeEmbedder()).clauses}
    assert served.search(QUESTION, k=1)[0].clause.id == before
    assert served.search("测试市每家企业每年申领科技创新券最多多少？", k=1)[0].clause.doc_id == "test-voucher"
