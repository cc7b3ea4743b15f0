"""This browser's conversations as stored data (ui/conversations.py)."""
from ui import conversations as conv


def _messages(q):
    return [{"role": "user", "content": q}, {"role": "assistant", "content": "答"}]


def test_the_newest_first_bounded_and_empty_ones_not_kept():
    saved = conv.empty()
    for i in range(conv.MAX_CONVERSATIONS + 3):
        saved = conv.saved_with(saved, f"c{i}", _messages(f"问题{i}"))
    assert len(saved["conversations"]) == conv.MAX_CONVERSATIONS
    assert conv.choices(saved)[0][1] == "c22" and "问题22（1 问）" in conv.choices(saved)[0][0]
    assert saved["current"] == "c22"
    saved = conv.saved_with(saved, "c5", _messages("问题5 改") + _messages("那湖南呢？"))
    assert conv.choices(saved)[0][1] == "c5" and "问题5 改 … 那湖南呢？（2 问）" in conv.choices(saved)[0][0]
    assert conv.find(conv.saved_with(saved, "c5", []), "c5") is None  # cleared: forgotten


def test_questions_are_read_from_text_or_parts_and_garbage_is_ignored():
    messages = [{"role": "user", "content": [{"type": "text", "text": "那湖南呢？"}]}, {"role": "user", "content": " "},
                "not a message", {"role": "assistant", "content": "答"}, {"role": "user", "content": "营收要多少？"}]
    assert conv.user_questions(messages) == ["那湖南呢？", "营收要多少？"]
    assert conv.choices(None) == [] and conv.find({"conversations": "broken"}, "x") is None


def test_an_entry_says_when_and_how_it_ended():
    import re
    import time
    saved = conv.saved_with(conv.empty(), "a", _messages("牵头企业营收要多少？") + _messages("那湖南呢？"))
    listed = conv.choices(saved)[0][0]
    assert re.match(r"\d\d-\d\d \d\d:\d\d 牵头企业营收要多少？ … 那湖南呢？（2 问）$", listed), listed
    assert listed.startswith(time.strftime("%m-%d"))
    kept = conv.without(conv.current(saved, "b"), "a")
    assert kept == {"current": "b", "conversations": []}
