"""Small talk: "谢谢", "你好", "今天天气怎么样？" — a message that says nothing the library says
and asks for no kind of answer. It is no follow-up of the question before it and no question for
the documents: it gets a short reply and no clause. Read from the library's own text (does any
clause say the word), the synonym table and the question words (corpus/question_words.yaml), not
from a list of greetings."""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

from assistant.types import Turn
from corpus import load_synonyms
from corpus.question_words import answer_types, question_pattern
from ingest.tokenize import jieba_words
from retriever.scope import LibraryScope

REPLY = "好的。我只回答已收录政策文件中的问题，如申报条件、支持金额、办理程序，请直接提问。"
_ASKING = ("asks_quantity", "procedure", "list")
_FOLLOWS_ON = ("refers_back", "continues")  # 那市县也必须设吗？ 那我38岁…呢？ carry on from the question before


@lru_cache(maxsize=1)
def _words():
    return jieba_words()


@lru_cache(maxsize=1)
def _synonyms() -> frozenset[str]:
    return frozenset(load_synonyms())


def after_small_talk(history: Sequence[Turn]) -> list[Turn]:
    """The conversation without its small talk: "那内蒙古呢？" after "谢谢" re-asks the question
    before the thanks."""
    return [t for t in history if not (t.answer is not None and t.answer.refusal == "small_talk")]


def asks_something(question: str) -> bool:
    """Whether the message asks for a kind of answer the documents give (an amount, a time, a
    procedure, a list, a definition…)."""
    return (any(asks.search(question) for asks, _ in answer_types().values())
            or any(question_pattern(p).search(question) for p in _ASKING))


def is_small_talk(question: str, library: LibraryScope) -> bool:
    scope = library.detect(question)
    if scope.regions or scope.doc_types or scope.other_regions:
        return False
    if any(question_pattern(p).search(question) for p in _FOLLOWS_ON):
        return False
    words = [w for w in _words()(question) if len(w) >= 2]
    if not words or asks_something(question):
        return False
    return not any(library.mentions(w) or w in _synonyms() for w in words)
