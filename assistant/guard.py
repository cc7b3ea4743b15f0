"""Deciding, before any generation, whether the documents answer a question at all.
Every check is deterministic: patterns, the scope the question names, and the retrieval
evidence (thresholds calibrated on evals/gold)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from assistant.chitchat import REPLY as SMALL_TALK_REPLY
from assistant.chitchat import is_small_talk
from corpus.figures import asked_kinds, kind_nouns, kinds_in, periods, read_figures
from corpus.glossary import load_glossary
from corpus.question_words import question_pattern, question_words
from corpus.sentences import split_sentences
from ingest.model import Clause
from retriever import Hit
from retriever.answer_type import asking_text
from retriever.scope import LibraryScope, Scope


# Words that say "how much/when" but carry no topic.
_GENERIC = question_words("generic")
# Quantifiers, figures and modal phrases ("两个", "几次", "100", "万元", "要建") say how much, not about what.
_NOT_TOPIC = question_pattern("not_topic")
# A question that asks for a quantity (not "什么时候", whose answer may be 长年受理; not
# "占比的数据从哪来", where 占比 names an indicator).
# "多大" asks a size only about something measured ("园区面积多大", "多大比例"); "有多大权力" asks none.
_ASKS_QUANTITY = question_pattern("asks_quantity")
# "中心主任有年龄限制吗？" asks for a limit on 年龄 although it is a yes/no question.
# "园区面积有没有最低要求？" asks for a minimum of 面积 (the thing named before it).
_ASKS_LIMIT = question_pattern("asks_limit")
_NO_LIMIT = question_pattern("no_limit").pattern


@dataclass(frozen=True)
class Stated:
    """What a sentence must state to answer a quantity question: a figure (read by the product's
    one figure reader, corpus.figures) of one of `kinds` — families such as money or duration, or
    counting words such as 家 — or a match of `extra` ("不受…限制"). No kinds: any figure, or any
    Arabic number. Unit kinds are data: corpus/units.yaml (asked)."""

    kinds: frozenset[str] = frozenset()
    extra: re.Pattern | None = None

    def search(self, text: str) -> bool:
        if self.extra is not None and self.extra.search(text):
            return True
        if "frequency" in self.kinds and periods().search(text):
            return True
        figures = read_figures(text)
        if not self.kinds:
            return bool(figures) or re.search(r"\d", text) is not None
        return any(f.family in self.kinds or (f.family == "count" and f.unit in self.kinds) for f in figures)


_RELATIVE = question_pattern("relative")
# A question that gives a total ("专家委员会打算请15位专家") and asks how many of them may
# be of some kind is answered by a share of the total ("不超过总人数三分之一").
_GIVES_TOTAL = question_pattern("gives_total")
_ASKS_HEADCOUNT = question_pattern("asks_headcount")
# "省里给多少建设经费？" asks what is granted: a requirement ("研发经费不低于4000万元") is no answer.
_ASKS_GRANT = question_pattern("asks_grant")
_GRANTS = question_pattern("grants")
_ASKS_SHARE = question_pattern("asks_share")
_DELEGATED = question_pattern("delegated")
_MONEY_WORDS = question_words("money")
# "成员里至少要有几所高校？": the thing counted, right after the classifier.
_COUNTED = question_pattern("counted")
# Characters that ask or hedge but do not act ("能申几次" acts by 申 only).
_FUNCTION_CHARS = question_words("function_chars")


@dataclass(frozen=True)
class Verdict:
    refused: bool
    kind: str | None = None      # injection | small_talk | out_of_scope | not_specified | indicator_without_value | needs_context
    message: str = ""            # (answered: delegated — the figure is left to someone else; see `clause`)
    clause: Clause | None = None
    sentence: str = ""


ANSWERABLE = Verdict(False)


def looks_like_injection(question: str) -> bool:
    """A message that tries to steer the assistant (the patterns are data: corpus/glossary.yaml)."""
    return bool(load_glossary().injection().search(question))


def check_scope(question: str, scope: Scope, library: LibraryScope) -> Verdict:
    """Injections, and places and programmes that no indexed document covers (a national
    document covers every place)."""
    if looks_like_injection(question):
        return Verdict(True, "injection", "我只根据现有政策文件回答政策问题，不执行改变规则或泄露设置的指令。"
                                         "请直接提出与已收录政策文件相关的问题。")
    if is_small_talk(question, library):
        return Verdict(True, "small_talk", SMALL_TALK_REPLY)
    if scope.other_regions and not scope.regions and not library.documents_for_place(scope):
        places = "、".join(scope.other_regions)
        have = "、".join(library.regions)
        return Verdict(True, "out_of_scope", f"现有政策文件未涉及{places}。已收录的地方文件来自：{have}。")
    if scope.other_programmes and not scope.doc_types:
        programmes = "、".join(library.programme_names()) or "（无）"
        return Verdict(True, "out_of_scope", f"现有政策文件未涉及“{scope.other_programmes[0]}”。"
                                             f"已收录的文件涉及：{programmes}。")
    return ANSWERABLE


def needs_context(question: str, library: LibraryScope) -> Verdict:
    """"那湖南呢？" with no question before it: ask what it is about, with an example of what
    the library holds for that place — not the nearest clause of anything."""
    scope = library.detect(question)
    region = (scope.regions or scope.other_regions)[0]
    programme = next((p for p in library.programme_names() if region in library.regions_with(p)), "")
    example = f"例如“{region}{programme}怎么申报？”" if programme else "请说明想了解的项目与问题"
    return Verdict(True, "needs_context", f"“{question.strip()}”像是接着上一个问题问的，但这段对话还没有上一个问题。"
                                          f"请把问题说完整，{example}。")


def asks_figure(question: str) -> bool:
    """Whether a question asks for a quantity or a limit (a figure would answer it)."""
    # Only parts that are not yes/no questions: "想换几个成员，需要报备吗？" asks no quantity.
    # "几家共建单位之间…怎么分？": a "几" beside another question word asks nothing either.
    asking = [p for p in re.split(r"[？?。]", asking_text(question)) if p.strip() and not p.rstrip().endswith(("吗", "么"))]
    return any(_ASKS_QUANTITY.search(p) for p in asking) or bool(_ASKS_LIMIT.search(question))


def answers_figure_question(question: str, topic: list[str],
                            document_frequency: Callable[[str], float] | None = None,
                            measured_only: bool = True,
                            lead_in: Callable[[Clause], str] = lambda clause: "",
                            cited: Callable[[Clause], str] = lambda clause: "") -> Callable[[Clause], bool]:
    """A predicate: does a clause state what the question asks for? Always true unless the
    question asks for a quantity; then a sentence on the question's topic must state a figure
    in the asked unit family ("多少亿" needs 亿元/万元) or a relative bound ("不低于…资金").
    The topic is what is measured — the words nearest the quantity asked ("研发投入要多少"),
    not who must meet it (牵头企业), unless the question names nothing else; with
    measured_only=False, any of the question's topic words. `cited`: the text of the articles a
    clause cites, which it is about as much as its own headings ("违反本条例第三十四条规定的……处五万元
    以上二十万元以下的罚款" is about 第三十四条's 投诉)."""
    if not asks_figure(question):
        return lambda clause: True
    limit = _ASKS_LIMIT.search(question)
    # The kind of figure asked is read where it is asked: "那100万元经费，是分几年拨？" asks
    # years (the money is given); a bare "要多少" takes its kind from its phrase ("营收要多少").
    plain = asking_text(question)
    phrases = [p for p in re.split(r"[，,？?。；;]", plain) if _ASKS_QUANTITY.search(p) or _ASKS_LIMIT.search(p)]
    kinds, naming = asked_kinds()
    asked = list(dict.fromkeys(
        [k for ask, k in naming if re.search(ask, plain)]
        or _kinds_in("".join(phrases))
        or _kinds_in(question)))
    stated = {unit for k in asked for unit in kinds[k][1]}
    if _GIVES_TOTAL.search(question) and _ASKS_HEADCOUNT.search(plain):
        stated.add("ratio")  # "请15位专家，牵头单位最多能派几个人？": 不超过总人数三分之一 answers
    given = [f for f in read_figures(question) if f.family == "money"] if "money" in asked else []
    if given or _ASKS_SHARE.search(plain):
        stated.add("ratio")  # "净收入100万，团队至少能拿多少？", "从预算内投资里拿多少？": a share answers
    # …and the share is of what the amount is ("净收入" right before it), whoever receives it.
    share_of = [t for t in topic for f in given if question.rfind(t, 0, f.start) >= 0
                and f.start - question.rfind(t, 0, f.start) - len(t) <= 1]
    # "有没有比例上限？" is answered by "不受比例限制" as much as by a figure
    figure = Stated(frozenset(stated), re.compile(_NO_LIMIT) if limit else None)
    # "多少万元" wants a figure in 万元; "配套多少研发投入" is also answered by "不低于…资金" —
    # a bound on the same kind of quantity, not on whatever else the sentence mentions.
    relative_ok = not re.search(r"多少(?:万|亿|件|人|家|个|%)|几(?:万|亿|件|人|家|个)", question)
    relative = re.compile("|".join(kinds[k][0] for k in asked)) if asked and relative_ok else None
    # "能给多少经费" asks what is granted; "要给完成人多少年使用权" asks a span, granted or not.
    grant = bool(_ASKS_GRANT.search(question)) and (not asked or "money" in asked)
    # "能给多少项目经费": what is granted is the topic; 经费/资金 only say it is money.
    topic = [t for t in topic if not (grant and t in _MONEY_WORDS)]
    terms = measured_terms(question, topic) if measured_only else [t for t in topic if t not in load_glossary().holders]
    if limit and not terms:
        terms = _word_group(limit.group(1) or limit.group(2))
    terms = [*terms, *(t for t in share_of if t not in terms)]
    # "拉几家单位一起" or "列几个不希望评我本子的专家": a counted word the documents never use
    # (一起, 本子) is the asker's own; it cannot be required of a clause.
    # (read in the asking text: "换几家核心成员，要提前多久报告？" counts nothing, 几家 is "a few")
    counted = [w for w in _counted_words(plain) if document_frequency is None or document_frequency(w) > 0]

    def answers(clause: Clause) -> bool:
        return states_figure_on_topic(clause, figure, terms, relative_ok, relative, grant=grant, counted=counted,
                                      lead_in=lead_in(clause), cited=cited(clause))
    return answers


def _kinds_in(text: str) -> list[str]:
    """The kinds of figure `text` asks for, where its words end (科学家 asks no 家)."""
    from ingest.tokenize import jieba_cut

    return kinds_in(text, jieba_cut()(text)) if text else []


def measured_terms(question: str, topic: list[str]) -> list[str]:
    """The topic words that say what is measured ("研发投入要多少", "整改期是多长"), not who must
    meet it (牵头企业): those in the phrase that asks; else the one nearest the ask in its
    sub-question ("那100万元经费，是分几年拨？" is about 经费); else the whole topic. A synonym's
    document wording (营收 → 主营业务收入) stands where its colloquial word stands."""
    if not topic:
        return []
    spans = _term_spans(question, topic)
    measured = {t: sp for t, sp in spans.items() if t not in load_glossary().holders}  # who, not what
    asks = [m.span() for m in re.finditer(_ASKS_QUANTITY.pattern + "|" + _ASKS_LIMIT.pattern, asking_text(question))]
    if not measured or not asks:
        return list(topic)
    phrases = [m.span() for m in re.finditer(r"[^，,？?。；;]+", question)]
    sub_questions = [m.span() for m in re.finditer(r"[^？?。]+", question)]

    def within(spans_of: list[tuple[int, int]]) -> list[tuple[int, int]]:
        return [sp for sp in spans_of if any(sp[0] <= a < sp[1] for a, _ in asks)]

    in_phrase = [t for t, (b, _) in measured.items() if any(p0 <= b < p1 for p0, p1 in within(phrases))]
    if in_phrase:
        return in_phrase
    asking = within(sub_questions)
    candidates = {t: sp for t, sp in measured.items() if any(q0 <= sp[0] < q1 for q0, q1 in asking)}
    if not candidates:
        # "还能申专项吗？能申几次？": the asking part reuses a verb (申) of an earlier part and
        # leaves out its object (专项) — the object is what is counted.
        verbs = {ch for q0, q1 in asking for ch in question[q0:q1] if ch not in _FUNCTION_CHARS
                 and re.fullmatch(r"[\u4e00-\u9fff]", ch)}
        elided = [t for t, (b, e) in measured.items() if verbs & set(question[max(0, b - 1):e + 1])]
        return elided or list(topic)
    distance = {t: min(abs(b - a) for a, _ in asks) for t, (b, _) in candidates.items()}
    nearest = min(candidates, key=lambda t: distance[t])
    n0, n1 = candidates[nearest]  # with the words that share its place (整改期, 整改, 改期)
    return [t for t, (b, e) in candidates.items() if b < n1 and n0 < e]


def _term_spans(question: str, topic: list[str]) -> dict[str, tuple[int, int]]:
    """Where each topic term stands in the question: its own place, or its colloquial word's."""
    from corpus import load_synonyms

    synonyms = load_synonyms()
    out: dict[str, tuple[int, int]] = {}
    for t in topic:
        if t in question:
            i = question.index(t)
            out[t] = (i, i + len(t))
            continue
        keys = [k for k, words in synonyms.items() if k in question and t in words]
        if keys:
            k = min(keys, key=question.index)
            out[t] = (question.index(k), question.index(k) + len(k))
    return out


def _word_group(word: str) -> list[str]:
    """A word and the documents' wording for it (高校 → 高等学校)."""
    from corpus import load_synonyms

    group = [word] + [w for k, ws in load_synonyms().items() if k in word for w in ws]
    return list(dict.fromkeys(group))


def _counted_words(question: str) -> list[str]:
    """"至少要有几所高校" counts 高校: a figure answers only if it counts that too."""
    from ingest.tokenize import jieba_words

    m = _COUNTED.search(question)
    if not m:
        return []
    if m.group(1).startswith("人"):  # "最多能派几个人进去": people, nothing more specific
        return []
    # a place before the counted noun only says where ("几个广西的创新联合体" counts 创新联合体)
    place = load_glossary().region_name_pattern().match(m.group(1))
    counted = m.group(1)[place.end():].removeprefix("的") if place else m.group(1)
    # the counted noun ends where a verb or preposition follows ("几个年轻人进…评审" counts 年轻人)
    noun = re.split(r"[才就的要能得吗呢了是在和与及或进到去参当给被把让]", counted)[0]
    words = jieba_words()(noun)
    head = words[-1] if words else ""
    if len(head) < 2 or head in _GENERIC or head in load_glossary().holders:
        return []
    return _word_group(head)


def check_evidence(question: str, hits: list[Hit], answers: Callable[[Clause], bool],
                   states_kind: Callable[[Clause], bool] | None = None, *, min_similarity: float,
                   topic: Sequence[str] = ()) -> Verdict:
    """Whether the retrieved clauses answer: something on topic, and — when the question asks
    for a figure — a clause that states it. "文件未作规定" is a claim about the documents: when
    the best clause states a figure of the asked kind (`states_kind`, topic aside) the words may
    simply differ ("结题后" / "项目完成后"), so it is answered from that clause, not refused.
    `states_kind`: such a figure in a sentence with any of the question's topic words.
    `min_similarity`: below it the best clause is not about the question (the index's
    calibration, on its embedder's scale: retriever/calibration.py). `topic`: what the question
    measures (measured_terms), which a sentence leaving the figure to others must speak of."""
    if not hits or max((h.dense_similarity or 0.0) for h in hits) < min_similarity:
        return Verdict(True, "out_of_scope", "现有政策文件未涉及这个问题。")
    if any(answers(h.clause) for h in hits[:5]) or (states_kind is not None and states_kind(hits[0].clause)):
        return ANSWERABLE
    return delegated(hits, topic) or unstated(question, hits[0].clause)


def speaks_of(text: str, question: str, topic: Sequence[str], unknown: Sequence[str],
              rarity: Callable[[str], float]) -> bool:
    """Whether a clause speaks of what the question is about, in words: it says the question's own
    topic words (not the documents' wording added for them) carrying at least half of the rarity
    of the question's words — its nouns no clause says (`unknown`, "老友粉") weigh against it. The
    similarity floor is for questions about nothing the library says ("在吗？", "南宁哪家老友粉好吃"):
    a clause saying "直接费用" and "总预算" is about "项目总预算不变，直接费用内部能自己调吗？",
    however far the embedder puts them."""
    own = [t for t in topic if t in question]
    total = sum(rarity(t) for t in [*own, *unknown])
    return bool(own) and sum(rarity(t) for t in own if says(text, t)) >= total / 2


def delegated(hits: Sequence[Hit], topic: Sequence[str]) -> Verdict | None:
    """"多少钱以上才算？" — "具体价值限额由市人民政府另行规定": the document does speak to it, by
    saying who sets the figure (or that it is "一定比例"); that is the answer, not "未作规定"."""
    for clause in (h.clause for h in hits[:3]):
        left = [s for s in split_sentences(clause.text) if _DELEGATED.search(s)]
        if left and any(says(s, t) for s in left for t in topic):
            return Verdict(False, "delegated", "文件没有给出具体数值：", clause, "……".join(left))
    return None


def unstated(question: str, top: Clause, what: str = "", sentence: str = "") -> Verdict:
    """Not answered although something was retrieved: an indicator the documents list without a
    value, or — `what` the question asks and the best clause's `sentence` — "文件未明确规定整改期限；
    最相关的规定是…" before the quote (never a bare refusal when a clause is close)."""
    if top.level == "table_row" and asks_figure(question) and _names_indicator(question, top.text.splitlines()[0]):
        return Verdict(True, "indicator_without_value",
                       f"文件列为指标但未规定数值：{top.citation}“{top.text.splitlines()[0]}”只列出指标，未规定需达到的数值。")
    if sentence:
        return Verdict(True, "not_specified", f"文件未明确规定{what or '这一点'}；最相关的规定是{top.citation}：", top, sentence)
    return Verdict(True, "not_specified", "现有政策文件未作规定：检索到的相关条款没有给出这一数值。")


def asked_what(question: str, measured: Sequence[str]) -> str:
    """What a question asks, in a few words: the thing measured and the kind of value asked
    ("整改期是多长？" → 整改期限; "建设期多长？" → 建设期限), through the figure reader's kinds."""
    _, naming = asked_kinds()
    plain = asking_text(question)
    phrase = next((p for p in re.split(r"[，,？?。；;]", plain) if _ASKS_QUANTITY.search(p) or _ASKS_LIMIT.search(p)), "")
    kind = next((k for ask, k in naming if re.search(ask, plain)), None) or \
        next(iter(_kinds_in(phrase)), None)
    noun = kind_nouns().get(kind or "", "")
    # the thing measured, when it stands in the phrase that asks ("整改期是多长" → 整改期)
    ask = _ASKS_QUANTITY.search(phrase) or _ASKS_LIMIT.search(phrase)
    present = [t for t in measured if t in phrase]
    term = min(present, key=lambda t: abs(phrase.index(t) - ask.start())) if present and ask else ""
    if not term:
        return f"所问的{noun}" if noun else ""
    return term + noun[1:] if noun and term.endswith(noun[0]) else term + noun


def _names_indicator(question: str, indicator: str) -> bool:
    """Whether the question asks about this indicator ("技术合同成交额要达到多少亿元" and
    "技术合同成交额（亿元）"), not merely shares a word with it."""
    def pairs(text: str) -> set[str]:
        return {text[i:i + 2] for i in range(len(text) - 1) if re.fullmatch(r"[\u4e00-\u9fff]{2}", text[i:i + 2])}
    return len(pairs(question) & pairs(indicator)) >= 3


def states_figure_on_topic(clause: Clause, figure: Stated, topic_terms: list[str],
                           relative_ok: bool = True, relative_of: re.Pattern | None = None, *,
                           grant: bool = False, counted: list[str] = (), lead_in: str = "", cited: str = "") -> bool:
    """`lead_in`: the text of the clause this one is an item of — it says what its items are about,
    and "…给予奖励时，按照下列标准执行：" grants what they state ("提取不低于百分之八十五的比例").
    `cited`: the articles it cites."""
    # What the clause's place says it is about: its heading, the headings above it, its
    # document's title ("建设时间" under 《…成果转移转化示范区建设指引》七、组织实施), the
    # articles it cites and the lead-in of its list.
    context = " ".join((clause.heading, *clause.breadcrumb, clause.doc_title, cited, lead_in))
    for sentence in split_sentences(clause.text):
        bound = relative_ok and _RELATIVE.search(sentence) and (relative_of is None or relative_of.search(sentence))
        if not (figure.search(sentence) or bound):
            continue
        if grant and not (_GRANTS.search(sentence) or _GRANTS.search(lead_in)):
            continue
        if counted and not any(counted_in_phrase(sentence, figure, counted)):
            continue
        if not topic_terms or any(says(sentence, t) or says(context, t) for t in topic_terms):
            return True
    return False


def says(text: str, term: str) -> bool:
    """Whether a text says a term, allowing the documents' fuller wording around its
    characters: 建设期 in "以三年为建设周期", 研发投入 in "研究开发投入" (each gap at most two
    characters, in the same phrase; two-character words only as written)."""
    if term in text:
        return True
    if len(term) < 3:
        return False
    gaps = "[^，。；：,;:]{0,2}"
    return re.search(gaps.join(map(re.escape, term)), text) is not None


def counted_in_phrase(sentence: str, figure: Stated, counted: list[str]):
    """For each phrase of a sentence that states a figure: whether it is about the counted thing."""
    for phrase in re.split(r"[，,；;：:]", sentence):
        if figure.search(phrase):
            yield any(says(phrase, w) for w in counted)


SPECIFIC_SHARE = 0.06  # a word in at most this share of clauses names a topic
WORDING_SHARE = 0.15   # the documents' wording for a user's word may be a little more common (参加 → 参与)
MIN_TOPIC = 2          # … and a question names at least this many words of its topic, the rarest


def unknown_words(nouns: list[str], document_frequency: Callable[[str], float],
                  names: frozenset[str] = frozenset()) -> list[str]:
    """The question's nouns that no clause of the library says ("老友粉", "试用期"), names of the
    library's places and programmes aside."""
    return [t for t in dict.fromkeys(nouns) if t not in _GENERIC and not any(t in n for n in names)
            and document_frequency(t) == 0]


def topic_terms(tokens: list[str], document_frequency: Callable[[str], float],
                synonyms: dict[str, tuple[str, ...]] | None = None, question: str = "",
                names: frozenset[str] = frozenset()) -> list[str]:
    """What an answer must speak about: the question's specific words (in few clauses, not
    generic, not quantifiers, not names of regions or programmes) and the documents' own
    wording for the user's words (参加 → 参与). `names`: the library's names of places and
    programmes (LibraryScope.name_words)."""
    # the documents' wording of what is asked ("截止" → 日前, 月底前) says how it is asked, not about what
    asked = [w for key, words in (synonyms or {}).items() if key in question and key in _GENERIC for w in words]
    content = [t for t in dict.fromkeys(tokens)
               if len(t) >= 2 and t not in _GENERIC and not _NOT_TOPIC.search(t)
               and not any(t in n for n in names) and 0 < document_frequency(t) <= WORDING_SHARE
               and (t in question or not any(t in w for w in asked))]
    specific = [t for t in content if document_frequency(t) <= SPECIFIC_SHARE]
    # a share of clauses is no fixed measure of "specific" as a library grows: a question with
    # fewer specific words than MIN_TOPIC also names its next rarest ("计划布局多少家": 布局)
    rarer = sorted((t for t in content if t not in specific), key=document_frequency)
    specific += rarer[:max(MIN_TOPIC - len(specific), 0)]
    wording = [w for key, words in (synonyms or {}).items() if key in question and key not in _GENERIC
               for w in words if 0 < document_frequency(w) <= WORDING_SHARE and not any(w in n for n in names)]
    return list(dict.fromkeys(specific + wording))


