"""The BM25 side of the index: bm25s over injected tokens, saved beside the generation."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import bm25s
import numpy as np

from ingest.tokenize import Tokenizer


# The files bm25s.BM25.save writes under its default names, each of which load() needs.
ARRAYS = ("data.csc.index.npy", "indices.csc.index.npy", "indptr.csc.index.npy")
RECORDS = ("params.index.json", "vocab.index.json")


def probe(directory: Path) -> str | None:
    """What is wrong with a saved keyword index, in Chinese, or None when every file load() needs
    is there and readable and the arrays agree with each other and with the vocabulary — without
    loading the arrays (only their headers are read)."""
    try:
        vocab = json.loads((directory / "vocab.index.json").read_text(encoding="utf-8"))
        json.loads((directory / "params.index.json").read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        return f"缺少文件 {Path(exc.filename).name}"
    except (OSError, ValueError) as exc:
        return f"文件无法读取或不是有效的 JSON（{type(exc).__name__}）"
    shapes = {}
    for name in ARRAYS:
        try:
            shapes[name] = np.load(directory / name, mmap_mode="r", allow_pickle=False)
        except FileNotFoundError:
            return f"缺少文件 {name}"
        except (OSError, ValueError) as exc:
            return f"文件 {name} 已损坏（{type(exc).__name__}）"
    data, indices, indptr = (shapes[n] for n in ARRAYS)
    if indptr.ndim != 1 or not 1 <= len(indptr) <= len(vocab) + 1 or len(data) != len(indices) \
            or int(indptr[-1]) != len(data):
        return "各数组长度彼此或与词表不一致"
    return None


class LexicalIndex:
    """BM25 scores for every clause of a generation, in clause-store order."""

    def __init__(self, model: bm25s.BM25, tokenizer: Tokenizer) -> None:
        self._model = model
        self._tokenize = tokenizer

    @classmethod
    def build(cls, texts: Sequence[str], tokenizer: Tokenizer) -> "LexicalIndex":
        model = bm25s.BM25(k1=1.2, b=0.75)
        # An empty token list would break bm25s; a clause always has at least one token.
        model.index([tokenizer(t) or ["∅"] for t in texts], show_progress=False)
        return cls(model, tokenizer)

    def save(self, directory: Path) -> None:
        self._model.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, tokenizer: Tokenizer) -> "LexicalIndex":
        return cls(bm25s.BM25.load(str(directory), show_progress=False, verbosity=0), tokenizer)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """One BM25 score per clause (0 where no query token occurs)."""
        if not query_tokens:
            return np.zeros(self._model.scores["num_docs"], dtype=np.float32)
        return self._model.get_scores(query_tokens)

    def tokenize(self, text: str) -> list[str]:
        return self._tokenize(text)

    @property
    def size(self) -> int:
        """How many clauses the index holds."""
        return int(self._model.scores["num_docs"])

    def document_frequency(self, token: str) -> float:
        """Share of clauses that contain the token (0 for unknown tokens)."""
        idx = self._model.vocab_dict.get(token)
        if idx is None:
            return 0.0
        indptr = self._model.scores["indptr"]
        return float(indptr[idx + 1] - indptr[idx]) / max(1, self._model.scores["num_docs"])
