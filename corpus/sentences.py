"""Sentences of policy text and of answers, split one way everywhere: after 。；！？ or at a
line end. An answer's citation markers ("…以上[1][2]。") stay with their sentence on request."""
from __future__ import annotations

import re

_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_WITH_MARKERS = re.compile(r"[^。；！？\n]+[。；！？]?(?:\s*(?:\[\d+\])+)?")


def split_sentences(text: str, keep_markers: bool = False) -> list[str]:
    """The non-empty sentences of `text`, stripped."""
    pattern = _WITH_MARKERS if keep_markers else _SENTENCE
    return [s.strip() for s in pattern.findall(text) if s.strip()]
