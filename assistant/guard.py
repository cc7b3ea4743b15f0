"""Deciding, before any generation, whether the documents answer a question at all.
Every check is deterministic: patterns, the scope the question names, and the retrieval
evidence (thresholds calibrated on evals/gold)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from corpus import DOC_TYPE_ALIASES, REGION_ALIASES
from ingest.model import Clause
from retriever import Hit
from retriever.scope import Scope

# Below this cosine similarity of the best clause, nothing in the corpus is about the question.
# Gold set: answerable questions ≥ 0.893; chit-chat and injections ≤ 0.838.
MIN_TOP_SIMILARITY = 0.865

_INJECTION = re.compile(
    r"忽略(?:之前|以上|上面|前面|所有|你的)|无视(?:之前|以上|规则)|系统提示|system\s*prompt|提示词|"
    r"ignore\s+(?:all|any|previous|the)|developer\s*mode|调试模式|越狱|jailbreak|"
    r"你现在是|扮演|不受限制|不用看政策|复述.{0,8}(?:规则|指令|提示)|(?:规则|指令|提示词).{0,8}复述|"
    r"API\s*密钥|api[_\s-]*key|"
    r"【系统|\[system|做假账|伪造|弄虚作假.{0,6}(?:方法|怎么)", re.IGNORECASE)

# Programmes that are not in the corpus: a question about one of them, that does not also
# name one of ours, is outside what the documents cover.
OTHER_PROGRAMS = ("高新技术企业认定", "高企认定", "重点实验室", "专精特新", "小巨人", "科技型中小企业评价",
                  "工程技术研究中心认定", "企业技术中心认定", "众创空间认定", "孵化器认定", "院士工作站",
                  "个人所得税", "税率", "社保", "落户", "天气", "下雨")

# Words that say "how much/when" but carry no topic.
_GENERIC = {"多少", "要求", "需要", "达到", "什么", "多久", "时候", "比例", "至少", "最少", "最多",
            "规定", "条件", "标准", "具体", "可以", "能够", "现在", "一下", "哪些", "怎么", "如何",
            "每年", "一年", "时间", "工作", "情况", "已经", "还能", "能否", "是否", "目前"}
# Quantifiers and modal phrases ("两个", "几次", "要建") say how much, not about what.
_NOT_TOPIC = re.compile(r"[几两一二三四五六七八九十多]+[个次年项家人名件]|^[要能会可该得还再]|多少|多久")
# A question that asks for a quantity (not "什么时候", whose answer may be 长年受理).
_ASKS_QUANTITY = re.compile(r"多少|(?<!哪)几(?:个|家|人|名|次|年|个月|项|件|例|所|亿|万|成)|多久|多长时间|比例是|占比|百分之|几分之")
# Unit families: "几家单位" is answered by "8个组成单位", "多少亿" by "10亿元".
_UNIT_FAMILIES = {
    "org": (r"家|个|所", r"家|个|所|例|项|次|件"), "person": (r"人|名", r"人|名"), "piece": (r"件", r"件"),
    "money": (r"亿|万元|钱|经费|资金|营收|收入|营业额|投入", r"亿元|万元|元"), "ratio": (r"%|比例|占比|百分之|几成|分之", r"[%％]|分之"),
    "duration": (r"几年|几个月|多久|多长时间", r"年|个月|月|天"),
}
_FIGURE = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百半]+)\s*(?:{units})"
_RELATIVE = re.compile(r"不低于|不少于|不超过|不高于|以上|以下|以内|至多|至少|最高|最多")


@dataclass(frozen=True)
class Verdict:
    refused: bool
    kind: str | None = None      # injection | out_of_scope | not_specified | indicator_without_value
    message: str = ""


ANSWERABLE = Verdict(False)


def looks_like_injection(question: str) -> bool:
    return bool(_INJECTION.search(question))


def _names_our_program(question: str) -> bool:
    return any(w in question for words in DOC_TYPE_ALIASES.values() for w in words)


def check_scope(question: str, scope: Scope, corpus_regions: tuple[str, ...]) -> Verdict:
    """Injections, places and programmes the corpus has no document for."""
    if looks_like_injection(question):
        return Verdict(True, "injection", "我只根据现有政策文件回答政策问题，不执行改变规则或泄露设置的指令。"
                                         "请直接提出与技术创新中心、创新联合体或成果转化示范区相关的问题。")
    if scope.other_regions and not scope.regions:
        places = "、".join(scope.other_regions)
        return Verdict(True, "out_of_scope", f"现有政策文件未涉及{places}。已收录的文件来自：{'、'.join(corpus_regions)}。")
    others = [p for p in OTHER_PROGRAMS if p in question]
    if others and not _names_our_program(question):
        return Verdict(True, "out_of_scope", f"现有政策文件未涉及“{others[0]}”。已收录的是技术创新中心、创新联合体"
                                             "和科技成果转移转化示范区的建设与管理文件。")
    return ANSWERABLE


def answers_figure_question(question: str, topic: list[str]) -> Callable[[Clause], bool]:
    """A predicate: does a clause state what the question asks for? Always true unless the
    question asks for a quantity; then a sentence on the question's topic must state a figure
    in the asked unit family ("多少亿" needs 亿元/万元) or a relative bound ("不低于…资金")."""
    # Only parts that are not yes/no questions: "想换几个成员，需要报备吗？" asks no quantity.
    asking = [p for p in re.split(r"[？?。]", question) if p.strip() and not p.rstrip().endswith(("吗", "么"))]
    if not any(_ASKS_QUANTITY.search(p) for p in asking):
        return lambda clause: True
    asked = [(a, stated) for a, stated in _UNIT_FAMILIES.values() if re.search(a, question)]
    figure = re.compile("|".join(_FIGURE.format(units=stated) for _, stated in asked) if asked
                        else r"\d|[一二两三四五六七八九十半]+\s*(?:家|个|人|名|次|年|个月|项|件|例|所)|分之")
    # "多少万元" wants a figure in 万元; "配套多少研发投入" is also answered by "不低于…资金" —
    # a bound on the same kind of quantity, not on whatever else the sentence mentions.
    relative_ok = not re.search(r"多少(?:万|亿|件|人|家|个|%)|几(?:万|亿|件|人|家|个)", question)
    relative = re.compile("|".join(a for a, _ in asked)) if asked and relative_ok else None
    return lambda clause: states_figure_on_topic(clause, figure, topic, relative_ok, relative)


def check_evidence(question: str, hits: list[Hit], answers: Callable[[Clause], bool]) -> Verdict:
    """Whether the retrieved clauses answer: something on topic, and — when the question asks
    for a figure — a clause that states it."""
    if not hits or max((h.dense_similarity or 0.0) for h in hits) < MIN_TOP_SIMILARITY:
        return Verdict(True, "out_of_scope", "现有政策文件未涉及这个问题。")
    if any(answers(h.clause) for h in hits[:5]):
        return ANSWERABLE
    top = hits[0].clause
    if top.level == "table_row":
        return Verdict(True, "indicator_without_value",
                       f"文件列为指标但未规定数值：{top.citation}“{top.text.splitlines()[0]}”只列出指标，未规定需达到的数值。")
    return Verdict(True, "not_specified", "现有政策文件未作规定：检索到的相关条款没有给出这一数值。")


def states_figure_on_topic(clause: Clause, figure: re.Pattern, topic_terms: list[str],
                           relative_ok: bool = True, relative_of: re.Pattern | None = None) -> bool:
    for sentence in split_sentences(clause.text):
        bound = relative_ok and _RELATIVE.search(sentence) and (relative_of is None or relative_of.search(sentence))
        if not (figure.search(sentence) or bound):
            continue
        if not topic_terms or any(t in sentence or t in clause.heading for t in topic_terms):
            return True
    return False


SPECIFIC_SHARE = 0.06  # a word in at most this share of clauses names a topic
WORDING_SHARE = 0.15   # the documents' wording for a user's word may be a little more common (参加 → 参与)


def topic_terms(tokens: list[str], document_frequency: Callable[[str], float],
                synonyms: dict[str, tuple[str, ...]] | None = None, question: str = "") -> list[str]:
    """What an answer must speak about: the question's specific words (in few clauses, not
    generic, not quantifiers, not names of regions or programmes) and the documents' own
    wording for the user's words (参加 → 参与)."""
    names = {w for words in (*REGION_ALIASES.values(), *DOC_TYPE_ALIASES.values()) for w in words}
    specific = [t for t in dict.fromkeys(tokens)
                if len(t) >= 2 and t not in _GENERIC and not _NOT_TOPIC.search(t)
                and not any(t in n for n in names) and 0 < document_frequency(t) <= SPECIFIC_SHARE]
    wording = [w for key, words in (synonyms or {}).items() if key in question and key not in _GENERIC
               for w in words if 0 < document_frequency(w) <= WORDING_SHARE]
    return list(dict.fromkeys(specific + wording))


_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]
