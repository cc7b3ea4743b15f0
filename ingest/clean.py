"""Undo what Word conversion does to a policy text, without changing its wording."""
from __future__ import annotations

import re
import unicodedata

from ingest.errors import QueryError

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
# Invisible characters that Word and web copies leave behind.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# A space wedged between a figure and the Chinese around it: "1 月底", "5 例", "第 3 条".
_SPACE_AFTER_DIGIT = re.compile(rf"(?<=\d)[ \u3000\u00a0]+(?=[{_CJK}％%（）])")
_SPACE_BEFORE_DIGIT = re.compile(rf"(?<=[{_CJK}（，、])[ \u3000\u00a0]+(?=\d)")
# Spaces between two Chinese characters carry no meaning in these texts.
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}，。；：、）】])[ \u3000\u00a0]+(?=[{_CJK}（【“])")


def clean_line(line: str) -> str:
    """One line, cleaned: artifacts gone, stray spaces inside figures removed, trimmed."""
    line = _BOOKMARK.sub("", line)
    line = _INVISIBLE.sub("", line)
    line = "".join(ch for ch in line if ch == "\t" or unicodedata.category(ch)[0] != "C")
    line = _SPACE_AFTER_DIGIT.sub("", line)
    line = _SPACE_BEFORE_DIGIT.sub("", line)
    return line.rstrip(" \u3000\u00a0")  # a lone tab survives: it is an empty table cell


def clean_text(text: str) -> str:
    """The whole document, line by line. Tabs at line start are kept: they mark table cells."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(clean_line(line) for line in text.split("\n"))


def squeeze_spaces(text: str) -> str:
    """Drop spaces between Chinese characters (used on heading lines: "第一章  总则")."""
    return _SPACE_BETWEEN_CJK.sub("", text).strip()


MAX_QUESTION_CHARS = 2000


def visible_text(text: str) -> str:
    """What a person sees of a one-line text: no invisible or control characters, line breaks
    as spaces, trimmed."""
    return " ".join(clean_line(line) for line in text.splitlines()).strip()


def clean_question(question: object) -> str:
    """A question as typed or pasted, cleaned like document text: invisible and control
    characters go (a zero-width space would split 营收 into two words the index never saw),
    line breaks become spaces. QueryError, in Chinese, when nothing is left or it is too long."""
    if not isinstance(question, str):
        raise QueryError("q", f"问题应为文本（收到 {type(question).__name__}）")
    text = visible_text(question)
    if not text:
        raise QueryError("q", "问题不能为空")
    if len(text) > MAX_QUESTION_CHARS:
        raise QueryError("q", f"问题过长（{len(text)} 字，上限 {MAX_QUESTION_CHARS} 字）")
    return text
