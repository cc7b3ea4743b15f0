"""Resolving a follow-up against the previous turns, deterministically:
"那湖南呢？" re-asks the last question for 湖南; "需要多少人？" keeps the last turn's documents;
"这个要求是原则上的吗？" is about the clause the last answer quoted."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.types import Turn
from corpus.glossary import load_glossary
from corpus.question_words import question_pattern, question_words
from corpus.sentences import split_sentences
from retriever.scope import LibraryScope

_FILLER = question_pattern("filler")
_REFERS_BACK = question_pattern("refers_back")
SHORT_FOLLOW_UP = 8  # characters of its own, once names and fillers are removed
_IN_PRINCIPLE = question_pattern("in_principle")


@dataclass(frozen=True)
class Resolution:
    question: str                 # what to retrieve with
    regions: tuple[str, ...] = ()  # carried-over regions (empty: let the question decide)
    doc_ids: tuple[str, ...] = ()  # carried-over documents
    about_previous_clause: bool = False  # "这个要求是原则上的吗？"
    near: tuple[str, ...] = ()     # breadcrumb of the clause the last answer quoted: same list


def _region_words(library: LibraryScope) -> list[str]:
    return sorted(library.region_words() - {"自治区", "省"}, key=len, reverse=True)


def _strip_names(text: str, library: LibraryScope) -> str:
    for w in sorted(library.name_words() - {"自治区", "省"}, key=len, reverse=True):
        text = text.replace(w, "")
    return text


def resolve(question: str, history: Sequence[Turn], library: LibraryScope) -> Resolution:
    """`library`: what the indexed documents cover (the names of its places and programmes)."""
    if not history:
        return Resolution(question)
    prev = history[-1]
    scope = library.detect(question)
    rest = _FILLER.sub("", _strip_names(question, library))
    if scope.regions and not _asks_something(rest):
        # "那湖南呢？" / "内蒙古的呢？": the previous question, asked of the new region. A question
        # that also says what it asks ("内蒙古技术创新中心怎么申报？") stands as it is.
        base = prev.resolved
        for w in _region_words(library):
            base = base.replace(w, "")
        return Resolution("".join(scope.regions) + base)
    cited = next((t for t in reversed(history) if t.answer and t.answer.citations), None)
    if _IN_PRINCIPLE.search(question) and _REFERS_BACK.search(question) and cited:
        return Resolution(cited.resolved, cited.regions, cited.doc_ids, about_previous_clause=True)
    if not scope.regions and not scope.doc_types and _borrows_subject(question, rest):
        # "需要多少人？": the last turn's documents, whom it was about, and the list it quoted from.
        near = cited.answer.citations[0].clause.breadcrumb if cited else ()
        if len(rest) <= SHORT_FOLLOW_UP and (swapped := _swap_parallel(prev.resolved, question)):
            # "自治区级的呢？" after "国家级示范区给多少经费？": the same question, of the other one.
            return Resolution(swapped, prev.regions, prev.doc_ids, near=near)
        subject = _subject(prev.resolved, library, exclude=_named_parallels(question))
        if len(rest) <= SHORT_FOLLOW_UP:
            subject += _elided_object(prev.resolved, question, library)
        return Resolution(f"{subject}{question}", prev.regions, prev.doc_ids, near=near)
    return Resolution(question)


def _asks_something(rest: str) -> bool:
    """Whether what is left of a question, its names and fillers removed, asks anything: a word
    that is not one of the topic-less ones ("申报" does; "要求", "" do not)."""
    from ingest.tokenize import jieba_words

    generic = _GENERIC_WORDS | question_words("generic")
    return any(w not in generic for w in jieba_words()(rest) if w.strip())


def _borrows_subject(question: str, rest: str) -> bool:
    """A question naming no place and no programme takes its subject from the conversation
    unless it names its own (an entity such as 牵头企业 or 成员单位 plus what it asks):
    "能拿几次？" borrows, "牵头企业营收要多少？" stands alone, "那成员单位呢？" (the entity and
    nothing else) and "那要是…" (it says it refers back) borrow."""
    named = [e for e in load_glossary().entities if e in question]
    if not named:
        return True
    for e in sorted(named, key=len, reverse=True):
        rest = rest.replace(e, "")
    return not rest or bool(_REFERS_BACK.match(question) or _CONTINUES.search(question))


# A question that carries on from the last one without naming its subject again
# ("推荐上去以后科技厅怎么审？", "今年也要交吗？", "还有别的路子吗？").
_CONTINUES = question_pattern("continues")


def _parallel_classes() -> tuple[tuple[str, ...], ...]:
    """Terms that stand in for one another in an elliptical follow-up ("那成员单位呢？")."""
    g = load_glossary()
    return (g.levels, g.entities, g.grades)


def _named_parallels(question: str) -> set[str]:
    return {t for cls in _parallel_classes() for t in cls if t in question}


def _swap_parallel(previous: str, question: str) -> str | None:
    """The previous question with its term replaced by the follow-up's term of the same kind
    (国家级 → 自治区级, 中心主任 → 共建单位), or None if there is no such pair."""
    for cls in _parallel_classes():
        ordered = sorted(cls, key=len, reverse=True)
        new = next((t for t in ordered if t in question), None)
        old = next((t for t in ordered if t in previous and t != new), None)
        if new and old and new not in previous:
            return previous.replace(old, new)
    return None


def _elided_object(previous: str, question: str, library: LibraryScope) -> str:
    """"交给哪些单位？" after "年报每年什么时候交？" continues the same action on the same thing:
    the previous question's words, when the follow-up reuses its verb and names nothing new."""
    from ingest.tokenize import jieba_words

    words = jieba_words()
    names = library.name_words()
    own = [w for w in words(_strip_names(question, library)) if len(w) >= 2 and w not in _GENERIC_WORDS]
    if own:
        return ""
    mine = words(_strip_names(previous, library))
    shared = [w for w in mine if w in question and w not in _GENERIC_WORDS and w not in names]
    if not shared:
        return ""
    return "".join(w for w in mine if len(w) >= 2 and w not in _GENERIC_WORDS and w not in names)


# Words a follow-up uses that say nothing of what it is about.
_GENERIC_WORDS = question_words("follow_up_generic")


def _subject(previous: str, library: LibraryScope, exclude: set[str] = frozenset()) -> str:
    """The region, programme and entity the previous question named ("广西创新联合体牵头企业"),
    less the entities the follow-up itself replaces."""
    scope = library.detect(previous)
    entities = load_glossary().entities
    words = [*scope.regions, *scope.doc_types, *(e for e in entities if e in previous and e not in exclude)]
    return "".join(dict.fromkeys(words))


def in_principle_answer(previous_text: str, clauses) -> tuple[str, list]:
    """Whether the requirement the last answer quoted is 原则上 (in principle) — read off the
    quoted sentences of the cited clauses, not guessed."""
    quoted = [(c, s) for c in clauses for s in split_sentences(c.text) if s.rstrip("。；") in previous_text]
    quoted = quoted or [(c, s) for c in clauses[:1] for s in split_sentences(c.text)][:1]
    quoted.sort(key=lambda cs: not re.search(r"\d|[一二三四五六七八九十]+(?:个|年|分之)", cs[1]))  # figures first
    soft = [(c, s) for c, s in quoted if "原则上" in s]
    if soft:
        c, sentence = soft[0]
        return (f"是。《{c.doc_title}》{c.path}写明：“{sentence.strip()}”[1]，属于“原则上”的要求，"
                "特殊情况可能另行处理。", [c])
    c, sentence = quoted[0]
    return (f"否。《{c.doc_title}》{c.path}的这项规定没有“原则上”的表述：“{sentence.strip()}”[1]", [c])
