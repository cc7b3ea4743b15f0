"""Resolving a follow-up against the previous turns, deterministically:
"那湖南呢？" re-asks the last question for 湖南; "需要多少人？" keeps the last turn's documents;
"这个要求是原则上的吗？" is about the clause the last answer quoted."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.chitchat import after_small_talk, is_small_talk
from assistant.types import Turn
from corpus.glossary import load_glossary
from corpus.question_words import question_pattern, question_words
from corpus.sentences import split_sentences
from retriever.scope import LibraryScope

_FILLER = question_pattern("filler")
_REFERS_BACK = question_pattern("refers_back")
SHORT_FOLLOW_UP = 8  # characters of its own, once names and fillers are removed
_IN_PRINCIPLE = question_pattern("in_principle")
_OTHER_QUESTION = question_pattern("other_question")
_ASKS_QUANTITY = question_pattern("asks_quantity")
_ENDS_ON_NE = question_pattern("ends_on_ne")
_PHRASE_ON_NE = question_pattern("phrase_on_ne")


@dataclass(frozen=True)
class Resolution:
    question: str                 # what to retrieve with
    regions: tuple[str, ...] = ()  # carried-over regions (empty: let the question decide)
    doc_ids: tuple[str, ...] = ()  # carried-over documents
    about_previous_clause: bool = False  # "这个要求是原则上的吗？"
    near: tuple[str, ...] = ()     # breadcrumb of the clause the last answer quoted: same list
    dangling: bool = False        # "那湖南呢？" opening a conversation: it refers to nothing


def _region_words(library: LibraryScope) -> list[str]:
    return sorted(library.region_words() - {"自治区", "省"}, key=len, reverse=True)


def _strip_names(text: str, library: LibraryScope) -> str:
    for w in sorted(library.name_words() - {"自治区", "省"}, key=len, reverse=True):
        text = text.replace(w, "")
    return text


def resolve(question: str, history: Sequence[Turn], library: LibraryScope) -> Resolution:
    """`library`: what the indexed documents cover (the names of its places and programmes)."""
    history = after_small_talk(history)
    if not history or is_small_talk(question, library):  # "谢谢" follows nothing
        return Resolution(question, dangling=dangling(question, library))
    prev = history[-1]
    scope = library.detect(question)
    rest = _FILLER.sub("", _strip_names(question, library))
    if scope.doc_types and _elliptical(question) and (swapped := _swap_parallel(prev.resolved, question)):
        # "那以后要是评上了国家级的示范区呢？" after "…自治区级成果转化示范区，能拿多少项目经费？":
        # the same question, of the other one, though it names its programme again
        return Resolution(swapped, prev.regions, prev.doc_ids)
    places = scope.regions + scope.other_regions
    if places and not scope.doc_types and (not _asks_something(_strip_names(question, library), prev.resolved)
                                           or _points_back(question, rest)):
        # "那湖南呢？", "湖南那边怎么报？", "湖南有这种补助吗？", "那广东的呢？": the previous question,
        # asked of the new region (one without documents is then said to be out of scope). A question that names
        # its programme, or asks something the previous one did not ("内蒙古技术创新中心怎么申报？"),
        # stands as it is.
        base = prev.resolved
        for w in _region_words(library):
            base = base.replace(w, "")
        return Resolution("".join(places) + base)
    cited = next((t for t in reversed(history) if t.answer and t.answer.citations), None)
    if _IN_PRINCIPLE.search(question) and _REFERS_BACK.search(question) and cited:
        return Resolution(cited.resolved, cited.regions, cited.doc_ids, about_previous_clause=True)
    if not scope.regions and not scope.doc_types and _borrows_subject(question, rest):
        return borrowed(question, history, library)
    return Resolution(question)


def _elliptical(question: str) -> bool:
    """"那…呢？" asking nothing of its own (no question word, no quantity asked)."""
    return (_REFERS_BACK.match(question) is not None and _ENDS_ON_NE.search(question) is not None
            and not _OTHER_QUESTION.search(question) and not _ASKS_QUANTITY.search(question))


def _points_back(question: str, rest: str) -> bool:
    """Whether a question that names a place points at the last one ("湖南有这种补助吗？", "那湖南
    那边呢？"). An opening 那 that only leads into a question of its own ("那湖南对中心负责人是什么
    要求？能让集团副总兼着吗？") points at nothing."""
    m = _REFERS_BACK.search(question)
    if m and m.start() == 0 and m.group().startswith("那") and len(rest) > SHORT_FOLLOW_UP:
        m = _REFERS_BACK.search(question, m.end())
    return m is not None


def dangling(question: str, library: LibraryScope) -> bool:
    """A follow-up with nothing to follow: it refers back ("那…呢") and, its place named, asks
    nothing of its own ("那湖南呢？" as the first question) — there is no previous question."""
    scope = library.detect(question)
    if scope.doc_types or not (scope.regions or scope.other_regions) or not _REFERS_BACK.search(question):
        return False
    return not _FILLER.sub("", _strip_names(question, library))


def borrowed(question: str, history: Sequence[Turn], library: LibraryScope) -> Resolution | None:
    """The question with the conversation's subject: "需要多少人？" keeps the last turn's
    documents, whom it was about, and the list it quoted from. None without history, or when the
    question names its own place or programme. Also the second reading of a question that names
    only an entity ("依托单位的人能占多少？") when, read alone, the documents do not answer it."""
    scope = library.detect(question)
    history = after_small_talk(history)
    if not history or scope.regions or scope.doc_types or scope.other_regions:
        return None
    prev = history[-1]
    rest = _FILLER.sub("", _strip_names(question, library))
    cited = next((t for t in reversed(history) if t.answer and t.answer.citations), None)
    near = cited.answer.citations[0].clause.breadcrumb if cited else ()
    if len(rest) <= SHORT_FOLLOW_UP and (swapped := _swap_parallel(prev.resolved, question)):
        # "自治区级的呢？" after "国家级示范区给多少经费？": the same question, of the other one.
        return Resolution(swapped, prev.regions, prev.doc_ids, near=near)
    subject = _subject(prev.resolved, library, exclude=_replaced_parallels(question))
    if len(rest) <= SHORT_FOLLOW_UP:
        subject += _elided_object(prev.resolved, question, library)
    return Resolution(f"{subject}{question}", prev.regions, prev.doc_ids, near=near)


def _asks_something(rest: str, previous: str) -> bool:
    """Whether what is left of a question, its names removed, asks anything of its own: a word that is neither topic-less ("要求") nor already in the previous question ("报"
    after "…怎么申报？"; "申报" after "…建设期多长？" does ask something)."""
    from ingest.tokenize import jieba_words

    generic = _GENERIC_WORDS | question_words("generic")
    return any(len(w) >= 2 and w not in generic and w not in previous and _FILLER.sub("", w)
               for w in jieba_words()(rest))


def _borrows_subject(question: str, rest: str) -> bool:
    """A question naming no place and no programme takes its subject from the conversation
    unless it names its own (an entity such as 牵头企业 or 成员单位 plus what it asks):
    "能拿几次？" borrows, "牵头企业营收要多少？" stands alone, "那成员单位呢？" (the entity and
    nothing else), "那要是…" (it says it refers back) and "高校牵头的话呢，…" (a phrase on 呢:
    "and what about …") borrow."""
    named = [e for e in load_glossary().entities if e in question]
    if not named:
        return True
    for e in sorted(named, key=len, reverse=True):
        rest = rest.replace(e, "")
    return not rest or bool(_REFERS_BACK.match(question) or _CONTINUES.search(question) or _PHRASE_ON_NE.search(question))


# A question that carries on from the last one without naming its subject again
# ("推荐上去以后科技厅怎么审？", "今年也要交吗？", "还有别的路子吗？").
_CONTINUES = question_pattern("continues")


def _parallel_classes() -> tuple[tuple[str, ...], ...]:
    """Terms that stand in for one another in an elliptical follow-up ("那成员单位呢？")."""
    g = load_glossary()
    return (g.levels, g.entities, g.grades)


def _replaced_parallels(question: str) -> set[str]:
    """The terms a follow-up replaces: every term of a class it names one of ("那成员单位最多能参加
    几个？" after a 牵头单位 question is about 成员单位 instead, not as well)."""
    return {t for cls in _parallel_classes() if any(t in question for t in cls) for t in cls}


def _swap_parallel(previous: str, question: str) -> str | None:
    """The previous question with its term replaced by the follow-up's term of the same kind
    (国家级 → 自治区级, 中心主任 → 共建单位), or None if there is no such pair."""
    for cls in _parallel_classes():
        ordered = sorted(cls, key=len, reverse=True)
        new = next((t for t in ordered if t in question), None)
        # a level is also said without its 级 ("新获批国家科技成果转移转化示范区")
        said = [w for t in ordered if t != new for w in (t, t[:-1] if t.endswith("级") and len(t) >= 3 else "") if w]
        old = next((w for w in said if w in previous), None)
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
