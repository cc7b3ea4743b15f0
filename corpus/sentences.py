"""Sentences of policy text and of answers, split one way everywhere: after 。；！？ (or an ASCII
! ?) or at a line end. An answer's citation markers ("…以上[1][2]。") stay with their sentence on request;
the indexer cuts long clauses at the same places, losing nothing (sentence_pieces)."""
from __future__ import annotations

import re

_ENDS = "。；！？!?"
_SENTENCE = re.compile(rf"[^{_ENDS}\n]+[{_ENDS}]?")
_WITH_MARKERS = re.compile(rf"[^{_ENDS}\n]+[{_ENDS}]?(?:\s*(?:\[\d+\])+)?")
_PIECE_END = re.compile(rf"(?<=[{_ENDS}])|(?<=\n)")


def sentence_pieces(text: str) -> list[str]:
    """The text cut after each sentence end and line end with nothing lost ("".join(pieces) ==
    text): what the indexer packs into parts of a long clause (ingest/split.py)."""
    return [p for p in _PIECE_END.split(text) if p]


def sentence_at(text: str, at: int) -> str:
    """The sentence of `text` (as split_sentences gives it) that holds the character at `at`."""
    return next((m.group().strip() for m in _SENTENCE.finditer(text) if m.start() <= at < m.end()), "")


def split_sentences(text: str, keep_markers: bool = False) -> list[str]:
    """The non-empty sentences of `text`, stripped."""
    pattern = _WITH_MARKERS if keep_markers else _SENTENCE
    return [s.strip() for s in pattern.findall(text) if s.strip()]
