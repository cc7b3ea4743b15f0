"""The question words are data (corpus/question_words.yaml): every entry compiles, the answer
types read what they should, and the file stays language knowledge — no place or programme."""
import re

import yaml

from corpus.glossary import load_glossary
from corpus.question_words import QUESTION_WORDS_PATH, answer_types, question_pattern, question_words
from retriever.answer_type import expected_answer_types


def test_every_pattern_and_answer_type_compiles():
    data = yaml.safe_load(QUESTION_WORDS_PATH.read_text(encoding="utf-8"))
    for name in data["patterns"]:
        assert isinstance(question_pattern(name), re.Pattern)
    assert all(isinstance(asks, re.Pattern) and isinstance(states, re.Pattern) for asks, states in answer_types().values())
    assert "{NUM}" not in answer_types()["money"][1].pattern  # the number placeholder is filled in


def test_answer_types_read_from_the_data():
    assert expected_answer_types("牵头企业营收要多少？") == ("money",)
    assert "time" in expected_answer_types("建设期是几年？")
    assert expected_answer_types("想换几个成员，需要报备吗？") == ("approval",)  # 几个 = a few here
    money_states = answer_types()["money"][1]
    assert money_states.search("不低于十亿元") and money_states.search("1000万元") and not money_states.search("十家")


def test_word_lists_are_sets_of_words_or_characters():
    assert "多少" in question_words("generic") and "经费" in question_words("money")
    assert "几" in question_words("function_chars")


def test_no_place_or_programme_is_named_in_the_question_words():
    """Which places and programmes exist is the library's business (its metadata), not this file's."""
    text = QUESTION_WORDS_PATH.read_text(encoding="utf-8")
    glossary = load_glossary()
    names = {n for names in glossary.regions.values() for n in names if len(n) >= 2} | set(glossary.programmes)
    assert not [n for n in names if n in text]
