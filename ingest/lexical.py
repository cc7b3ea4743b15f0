"""The BM25 side of the index: bm25s over injected tokens, saved beside the generation."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import bm25s
import numpy as np

from ingest.tokenize import Tokenizer


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

    def document_frequency(self, token: str) -> float:
        """Share of clauses that contain the token (0 for unknown tokens)."""
        idx = self._model.vocab_dict.get(token)
        if idx is None:
            return 0.0
        indptr = self._model.scores["indptr"]
        return float(indptr[idx + 1] - indptr[idx]) / max(1, self._model.scores["num_docs"])
