"""The words questions use (what a question asks for, the words that carry no topic), loaded
from corpus/question_words.yaml: one place to teach the assistant a new way of asking, for
every document, without touching the code."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

QUESTION_WORDS_PATH = Path(__file__).resolve().parent / "question_words.yaml"


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(QUESTION_WORDS_PATH.read_text(encoding="utf-8"))


def _compile(source: str) -> re.Pattern:
    """A pattern with {NUM} (the number pattern) and {name} (another named pattern) filled in."""
    return re.compile(_expand(source))


def _expand(source: str) -> str:
    def fill(m: re.Match) -> str:
        name = m.group(1)
        return _data()["number"] if name == "NUM" else f"(?:{_expand(_data()['patterns'][name])})"
    return re.sub(r"\{([A-Za-z_]\w*)\}", fill, source)


@lru_cache(maxsize=None)
def question_pattern(name: str) -> re.Pattern:
    """A named pattern ("asks_quantity", "procedure", …); KeyError names an unknown one."""
    return _compile(_data()["patterns"][name])


@lru_cache(maxsize=1)
def answer_types() -> dict[str, tuple[re.Pattern, re.Pattern]]:
    """Answer type → (how a question asks for it, how a clause states it), in file order."""
    return {t: (_compile(p["asks"]), _compile(p["states"])) for t, p in _data()["answer_types"].items()}


@lru_cache(maxsize=None)
def question_words(name: str) -> frozenset[str]:
    """A named word list ("generic", "money", …); a string value is a set of characters."""
    return frozenset(_data()["words"][name])
