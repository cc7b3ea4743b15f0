"""Chroma behind the index: the client (embedded PersistentClient under data_dir, or a Chroma
server through HttpClient — the same code path), our embedder behind Chroma's interface, and
Chroma's failures raised as IndexError_ naming the problem in Chinese, where they happen.

Translation for people (exit codes, gr.Error) happens only at the CLI/UI edge; they show
str(exc), which is already a complete Chinese sentence."""
from __future__ import annotations

import re
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlparse

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError, NotFoundError

from ingest.embedders import Embedder, make_embedder
from ingest.errors import IndexDamaged, IndexError_

REBUILD_HINT = "请运行 policy-assistant ingest --rebuild"
STORE_DIR = "chroma"
ACCESS_REFUSED = "Chroma 服务拒绝访问：请检查 POLICY_CHROMA_TOKEN 是否与服务（或其前面的代理）要求的一致"


def _failures() -> tuple[type[BaseException], ...]:
    """What Chroma raises when its store, not our call, is at fault (a server down included)."""
    import httpx
    return ChromaError, OSError, httpx.HTTPError


def _remedy(exc: BaseException) -> str:
    """A server that cannot be reached needs starting, not rebuilding."""
    import httpx
    if isinstance(exc, (httpx.TransportError, ConnectionError)):
        return "请检查 POLICY_CHROMA_URL 与 Chroma 服务是否在运行"
    if _refused_access(exc):
        return ACCESS_REFUSED
    return f"可能已损坏；{REBUILD_HINT}"


def _access_hint(exc: BaseException) -> str:
    return f"，{ACCESS_REFUSED}" if _refused_access(exc) else ""


def _refused_access(exc: BaseException) -> bool:
    """401/403 from the server or the proxy in front of it, however the client wrapped it."""
    import httpx
    from chromadb.errors import AuthorizationError
    if isinstance(exc, AuthorizationError):
        return True
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return isinstance(exc, httpx.HTTPStatusError) and status in (401, 403) or \
        re.search(r"(?<!\d)40[13](?!\d)|Unauthorized|Forbidden", str(exc)) is not None


def _reason(exc: BaseException) -> str:
    """Chroma's own words, shortened, as the technical detail after our Chinese sentence."""
    text = " ".join(str(exc).split())[:160]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class EmbedderFunction(EmbeddingFunction[Documents]):
    """Our embedder behind Chroma's interface, so Chroma never falls back to its default
    model (which would try to download weights). Queries get the query-side encoding."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        return list(self._embedder.embed_passages(list(input)))

    def embed_query(self, input: Documents) -> Embeddings:
        return [self._embedder.embed_query(text) for text in input]

    @staticmethod
    def name() -> str:
        return "zhengcetong"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self._embedder.spec}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "EmbedderFunction":
        return EmbedderFunction(make_embedder(config["embedder"]))

    def default_space(self) -> str:
        return "cosine"


class IndexCollection:
    """A Chroma collection whose read and write failures are IndexError_ (a deleted or
    truncated segment, a store replaced underneath a long-running reader, a server gone)."""

    def __init__(self, collection, where: str, alive: Callable[[], bool] = lambda: True) -> None:
        self._collection = collection
        self._where = where
        self._alive = alive

    def __getattr__(self, name: str):
        return getattr(self._collection, name)

    def _call(self, method: str, *args, **kwargs):
        if not self._alive():  # the store was closed under us: Chroma would fail with an AttributeError
            raise IndexDamaged("vectors", f"{self._where}在服务运行期间被删除、替换或关闭，向量集合"
                                          f"“{self._collection.name}”已不可用；{REBUILD_HINT}")
        try:
            return getattr(self._collection, method)(*args, **kwargs)
        except _failures() as exc:
            raise IndexError_(f"{self._where}中的向量集合“{self._collection.name}”无法读写"
                              f"（{_reason(exc)}），{_remedy(exc)}") from exc

    def query(self, *args, **kwargs):
        return self._call("query", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def count(self) -> int:
        return self._call("count")

    def probe(self) -> "IndexCollection":
        """Read one stored vector back. Without its segment files Chroma may still open the
        collection and answer queries from a partial index; reading a vector fails instead."""
        self.get(limit=1, include=["embeddings"])
        return self


class IndexClient:
    """A Chroma client that hands out IndexCollections; anything else passes through."""

    def __init__(self, client, where: str, alive: Callable[[], bool] = lambda: True) -> None:
        """`alive`: whether the store this client opened is still the one open (embedded stores)."""
        self._client = client
        self.where = where
        self._alive = alive

    def __getattr__(self, name: str):
        return getattr(self._client, name)

    def get_collection(self, name: str, **kwargs) -> IndexCollection:
        try:
            collection = self._client.get_collection(name, **kwargs)
        except NotFoundError as exc:
            raise IndexDamaged("vectors", f"{self.where}中没有向量集合“{name}”（已被删除，或索引状态文件指向了别处）") from exc
        except _failures() as exc:
            raise IndexError_(f"{self.where}无法读取（{_reason(exc)}）{_access_hint(exc)}") from exc
        return IndexCollection(collection, self.where, self._alive).probe()

    def create_collection(self, name: str, **kwargs) -> IndexCollection:
        try:
            return IndexCollection(self._client.create_collection(name, **kwargs), self.where, self._alive)
        except _failures() as exc:
            raise IndexError_(f"{self.where}无法写入（{_reason(exc)}）{_access_hint(exc)}") from exc

    def collection_names(self) -> set[str]:
        try:
            return {c if isinstance(c, str) else c.name for c in self._client.list_collections()}
        except _failures() as exc:
            raise IndexError_(f"{self.where}无法读取（{_reason(exc)}）{_access_hint(exc)}") from exc

    def drop(self, name: str) -> None:
        """Delete a collection; one already gone (or unreadable) is nothing left to clean."""
        try:
            self._client.delete_collection(name)
        except _failures():
            pass


def store_dir(data_dir: Path) -> Path:
    return data_dir / STORE_DIR


def open_client(data_dir: Path, chroma_url: str | None = None, chroma_token: str | None = None) -> IndexClient:
    """Embedded Chroma under data_dir, or the Chroma server at chroma_url. `chroma_token` is sent
    as `Authorization: Bearer …` (Chroma's token client), for a server behind a proxy that checks it."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        if chroma_token:
            settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False,
                                      chroma_client_auth_provider="chromadb.auth.token_authn.TokenAuthClientProvider",
                                      chroma_client_auth_credentials=chroma_token)
        try:
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                         ssl=url.scheme == "https", settings=settings)
        except Exception as exc:  # connection refused, wrong address, not a Chroma server
            remedy = ACCESS_REFUSED if _refused_access(exc) else "请检查 POLICY_CHROMA_URL 与服务是否在运行"
            raise IndexError_(f"无法连接 Chroma 服务 {chroma_url}（{_reason(exc)}），{remedy}") from exc
        return IndexClient(client, f"Chroma 服务 {chroma_url} ")
    path = store_dir(data_dir)
    path.mkdir(parents=True, exist_ok=True)
    with _OPEN_LOCK:
        if _OPENED.get(str(path), _file_identity(path)) != _file_identity(path):
            close_store(data_dir)  # replaced by another process (rm -rf + rebuild): not the files we hold
        try:
            client = chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:  # "file is not a database", "database disk image is malformed"
            _forget_failed_store(path)
            raise IndexDamaged("vectors", f"向量库 {path / 'chroma.sqlite3'} 已损坏，无法打开（{_reason(exc)}）") from exc
        identity = _OPENED[str(path)] = _file_identity(path)
    return IndexClient(client, f"向量库 {path} ", alive=lambda: _OPENED.get(str(path)) == identity)


# Chroma keeps one open system per store path for the life of the process. When another
# process deletes the store and rebuilds it, that system still reads the deleted files; the
# identity of the database file at the time we opened it tells the two apart.
_OPENED: dict[str, tuple[int, int] | None] = {}
_OPEN_LOCK = threading.Lock()


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        st = (path / "chroma.sqlite3").stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _forget_failed_store(path: Path) -> None:
    """Chroma caches one System per path even when starting it failed; drop that entry, or
    every later client for this path in this process (the rebuild's included) is broken."""
    from chromadb.api.shared_system_client import SharedSystemClient
    SharedSystemClient._identifier_to_system.pop(str(path), None)


def close_store(data_dir: Path) -> None:
    """Stop this process's Chroma system for an embedded store, as if the process had exited:
    before its files are moved (or, in tests, damaged) underneath it."""
    from chromadb.api.shared_system_client import SharedSystemClient
    key = str(store_dir(data_dir))
    system = SharedSystemClient._identifier_to_system.pop(key, None)
    SharedSystemClient._identifier_to_refcount.pop(key, None)
    _OPENED.pop(key, None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a system that never started properly has nothing to stop
            pass


def move_aside(data_dir: Path) -> Path:
    """Rename an embedded store that cannot be opened, so a rebuild starts from an empty one.
    It is kept beside (chroma.broken-<time>) for inspection, never deleted."""
    target = data_dir / f"{STORE_DIR}.broken-{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%S%f')}"
    close_store(data_dir)
    store_dir(data_dir).rename(target)
    return target
