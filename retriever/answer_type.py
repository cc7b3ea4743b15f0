"""What kind of answer a question asks for, and whether a clause gives one.
"牵头企业营收要多少？" asks for money; "多久交年报？" for a time; "联合体是什么？" for a
definition; "不参加评估会怎么样？" for a consequence. A clause that gives an answer of the
asked kind is more likely the answer than a sibling that only talks about the topic."""
from __future__ import annotations

import re

from corpus.question_words import answer_types, question_pattern

# type → (how a question asks for it, how a clause states it): corpus/question_words.yaml
ANSWER_TYPES: dict[str, tuple[re.Pattern, re.Pattern]] = answer_types()
# "想换几个成员，需要报备吗？", "几家共建单位之间的知识产权怎么分？": where a sub-question asks
# something else (a yes/no, 怎么, 什么, 哪…), "几个/几家" is "a few", not a question.
_INDEFINITE = question_pattern("indefinite")
_OTHER_QUESTION = question_pattern("other_question")


def asking_text(question: str) -> str:
    """The question with its indefinite "几个/几家" made plain ("某个"), same length."""
    parts = re.split(r"(?<=[？?。！!])", question)
    return "".join(_INDEFINITE.sub("某", p) if _OTHER_QUESTION.search(p) else p for p in parts)


def expected_answer_types(question: str) -> tuple[str, ...]:
    asking = asking_text(question)
    return tuple(t for t, (asks, _) in ANSWER_TYPES.items() if asks.search(asking))


def states_answer_type(text: str, types: tuple[str, ...]) -> bool:
    return any(ANSWER_TYPES[t][1].search(text) for t in types)


# A short quoted name ("评估等次为“撤销”的") names a grade or a title; it states nothing.
_QUOTED_NAME = question_pattern("quoted_name")


def answer_types_stated(text: str, types: tuple[str, ...]) -> int:
    """How many of the asked kinds of answer a clause gives."""
    text = _QUOTED_NAME.sub("", text)
    return sum(1 for t in types if ANSWER_TYPES[t][1].search(text))
