"""Split a long clause at sentence ends so that every indexed unit stays small."""
from __future__ import annotations

import re

from corpus.sentences import sentence_pieces

TARGET_CHARS = 260   # pack sentences up to about this size
MAX_CHARS = 600      # no unit is ever longer than this

_CLAUSE_END = re.compile(r"(?<=[，、：,])")


def _pieces(text: str) -> list[str]:
    """Sentences (or, for a runaway sentence, comma phrases, then fixed cuts)."""
    out: list[str] = []
    for sentence in sentence_pieces(text):
        if len(sentence) <= MAX_CHARS:
            out.append(sentence)
            continue
        for phrase in (p for p in _CLAUSE_END.split(sentence) if p):
            out.extend(phrase[i:i + MAX_CHARS] for i in range(0, len(phrase), MAX_CHARS))
    return out


def split_long(text: str, target: int = TARGET_CHARS) -> list[str]:
    """The text itself if short; else consecutive sentence packs of about `target` chars."""
    text = text.strip()
    if len(text) <= target + 40:
        return [text] if text else []
    packs: list[str] = []
    current = ""
    for piece in _pieces(text):
        if current and len(current) + len(piece) > target:
            packs.append(current.strip())
            current = ""
        current += piece  # a piece is never over MAX_CHARS, so neither is a pack
    if current.strip():
        packs.append(current.strip())
    return [p for p in packs if p]
