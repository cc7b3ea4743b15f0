"""The answering chain: resolve follow-up → retrieve → decide refusal → extractive or LLM
answer → grounding check. One LCEL pipeline, one Answer type for both modes."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Generator, Iterator, Mapping, Sequence

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.language_models import BaseChatModel
from langchain_core.output_parsers import StrOutputParser
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import RunnableBranch, RunnableLambda

from assistant import applied as applied_questions
from assistant import elapsed, extractive, followup, guard, proposed_facts
from assistant.errors import LLMNotConfigured
from assistant.grounding import check_grounding
from assistant.llm import failure_note
from assistant.prompt import PROMPT, REWRITE, number_clauses
from assistant.types import MODES, Answer, Citation, Turn
from corpus import load_synonyms
from corpus.glossary import load_glossary
from ingest.clean import clean_question
from ingest.errors import QueryError
from ingest.lures import find_lure, flagged
from ingest.model import Clause
from ingest.tokenize import jieba_nouns
from retriever import Hit, Retriever
from retriever.answerability import evidence
from retriever.corpus import Corpus
from retriever.lexicon import Lexicon

TOP_K = 5


class ClauseRetriever(BaseRetriever):
    """Our hybrid retriever as a LangChain BaseRetriever: each Document carries its Hit."""

    retriever: Any
    k: int = TOP_K
    region: str | None = None
    doc_ids: tuple[str, ...] = ()

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        hits = self.retriever.search(query, k=self.k, region=self.region, doc_ids=list(self.doc_ids) or None)
        return [Document(page_content=h.clause.text, metadata={"hit": h, "citation": h.clause.citation})
                for h in hits]


@dataclass(frozen=True)
class _State:
    question: str
    history: tuple[Turn, ...]
    mode: str
    region: str | None
    doc_ids: tuple[str, ...] = ()      # the user's own filter (web UI), over the conversation's
    resolution: followup.Resolution | None = None
    # the resolved question analysed once: what it is about, and whether a clause states what it asks
    topic: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()      # its nouns no clause of the library says
    answers: Callable[[Clause], bool] | None = None
    hits: tuple[Hit, ...] = ()
    verdict: guard.Verdict | None = None
    timings: dict[str, float] = field(default_factory=dict)
    llm_failure: str | None = None     # the model already failed in this answer (its note)
    applied: applied_questions.Applied | None = None  # the asker's own facts, judged
    reading: followup.Resolution | None = None  # a resolution decided before (the second reading)
    weighed: bool = False              # the evidence step ran (not decided by scope or the rules engine)
    answerability: float | None = None # the classifier's P(answered), when it decided
    evidence: tuple[float, ...] = ()   # what it weighed (retriever/answerability.py COLUMNS)


class Assistant:
    def __init__(self, retriever: Retriever, chat_model: BaseChatModel | None = None,
                 answer_timeout: float | None = None,
                 revision_notes: Mapping[tuple[str, str], str] | None = None) -> None:
        """answer_timeout: seconds a generated answer may take in all (the model's own timeout
        bounds each wait for a chunk; an endpoint trickling chunks is cut off here).
        revision_notes: (doc_id, clause path) → what the latest revision changed there
        (ingest.alignment.revision_notes); an answer citing such a clause says so."""
        self.retriever = retriever
        self.revision_notes = dict(revision_notes or {})
        self.chat_model = chat_model
        self.answer_timeout = answer_timeout
        # What every answer goes through; a generated answer then streams (self.stream), the
        # others are composed in one step.
        self.prepare = (RunnableLambda(self._resolve) | RunnableLambda(self._analyse) | RunnableLambda(self._retrieve)
                        | RunnableLambda(self._decide))
        self.compose = RunnableBranch(
            (lambda s: s.verdict.refused, RunnableLambda(self._refusal)),
            (lambda s: s.resolution.about_previous_clause, RunnableLambda(self._in_principle)),
            (lambda s: s.verdict.kind == "delegated", RunnableLambda(self._delegated)),
            RunnableLambda(self._extractive),
        )

    # The library's clauses and words, as the retriever over the current index holds them.
    @property
    def corpus(self) -> Corpus:
        return self.retriever.corpus

    @property
    def lexicon(self) -> Lexicon:
        return self.retriever.lexicon

    # ---- public -----------------------------------------------------------------------
    def answer(self, question: str, history: Sequence[Turn] | None = None, mode: str = "extractive",
               region: str | None = None, doc_ids: Sequence[str] | None = None) -> Answer:
        """The whole answer at once (see stream for the text as the model writes it)."""
        for item in self.stream(question, history, mode, region, doc_ids):
            pass
        return item

    def stream(self, question: str, history: Sequence[Turn] | None = None, mode: str = "extractive",
               region: str | None = None, doc_ids: Sequence[str] | None = None) -> Iterator[str | Answer]:
        """Yields the model's text piece by piece as it writes (LLM mode only), then the Answer
        — the one to show: it may replace the streamed text (a failed check, the model cut off)."""
        question = clean_question(question)  # QueryError: empty, too long, not text
        if region is not None and not isinstance(region, str):
            raise QueryError("region", f"地区 region 应为文本（收到 {type(region).__name__}）")
        if doc_ids is not None and not all(isinstance(d, str) for d in doc_ids):
            raise QueryError("doc_id", "文件 doc_ids 应为文件编号（文本）的列表")
        if mode not in MODES:
            raise QueryError("mode", f"未知的回答模式“{mode}”，可选：{'、'.join(MODES)}")
        if mode == "llm" and self.chat_model is None:
            raise LLMNotConfigured()
        start = time.perf_counter()
        start_state = _State(question, tuple(history or ()), mode, region, tuple(doc_ids or ()))
        state = self.prepare.invoke(start_state)
        if state.verdict.kind in ("out_of_scope", "not_specified") and state.resolution.question == question:
            # Read alone it is not answered; read as part of the conversation ("依托单位的人能占多少？"
            # after a question on 内蒙古's 专家委员会) it may be: the answer the documents give wins.
            reading = followup.borrowed(question, state.history, self.retriever.scope)
            second = self.prepare.invoke(replace(start_state, reading=reading)) if reading else None
            if second is not None and not second.verdict.refused:
                state = second
        if mode == "llm" and not state.verdict.refused and not state.resolution.about_previous_clause \
                and state.verdict.kind != "delegated":
            answer = yield from self._generate(state)
        else:
            answer = self.compose.invoke(state)
        yield replace(answer, note=self._with_revisions(answer), timings={**answer.timings, "total": time.perf_counter() - start})

    def _with_revisions(self, answer: Answer) -> str | None:
        """The answer's note, plus "[n] 本条于 … 修订，修订前为……" for each cited clause revised lately."""
        revised = [f"[{c.n}] {self.revision_notes[(c.clause.doc_id, c.clause.path)]}" for c in answer.citations
                   if (c.clause.doc_id, c.clause.path) in self.revision_notes]
        return "\n".join(x for x in (answer.note, *revised) if x) or None

    def _missing_programme_note(self, question: str) -> str:
        library = self.retriever.scope
        scoped = library.detect(applied_questions.scope_question(question))
        return _missing_note(library.programmes_missing(scoped), library.regions_with)

    # ---- chain steps ------------------------------------------------------------------
    def _resolve(self, s: _State) -> _State:
        t = time.perf_counter()
        resolution = s.reading or followup.resolve(s.question, s.history, self.retriever.scope)
        failure = None
        if s.mode == "llm" and s.history and resolution.question != s.question and not resolution.about_previous_clause:
            resolution, failure = self._rewrite_with_llm(s, resolution)
        return replace(s, resolution=resolution, llm_failure=failure,
                       timings={**s.timings, "resolve": time.perf_counter() - t})

    def _rewrite_with_llm(self, s: _State, resolution: followup.Resolution) -> tuple[followup.Resolution, str | None]:
        """With a model configured, a follow-up is also rewritten by it into a standalone
        question; the deterministic resolution stays whenever the rewrite is unusable. A model
        that failed here (down, slow) is not asked again for the answer: its note comes back."""
        history = "\n".join(f"{i}. {t.question}" for i, t in enumerate(s.history[-3:], 1))
        try:
            text = (REWRITE | self.chat_model | StrOutputParser()).invoke(
                {"history": history, "question": s.question}).strip().splitlines()[0].strip()
        except Exception as exc:  # model down or slow: the deterministic resolution is enough
            return resolution, failure_note(exc)
        if not 2 <= len(text) <= 120 or guard.looks_like_injection(text):
            return resolution, None
        return replace(resolution, question=text), None

    def _analyse(self, s: _State) -> _State:
        """The resolved question read once for every later step: its topic words, its nouns no clause
        says, and the predicate "does a clause state what it asks". A follow-up ("需要多少人？") takes
        its topic from the conversation, so only the kind of figure is checked there."""
        r = s.resolution
        topic = self._topic_terms(r.question)
        answers = guard.answers_figure_question(r.question, [] if r.near else topic, self.lexicon.document_frequency,
                                                lead_in=self._lead_in_text, cited=self._cited_text)
        unknown = guard.unknown_words(jieba_nouns()(r.question), self.lexicon.document_frequency,
                                      self.retriever.scope.name_words())
        return replace(s, topic=tuple(topic), unknown=tuple(unknown), answers=answers)

    def _retrieve(self, s: _State) -> _State:
        t = time.perf_counter()
        r = s.resolution
        region = s.region or (r.regions[0] if len(r.regions) == 1 and not self.retriever.scope.detect(r.question).regions else None)
        lc = ClauseRetriever(retriever=self.retriever, region=region, doc_ids=s.doc_ids or r.doc_ids)
        hits = tuple(d.metadata["hit"] for d in lc.invoke(applied_questions.scope_question(r.question)))
        if r.near:  # a follow-up stays with the list the last answer quoted, when it answers there
            answers = s.answers
            hits = tuple(sorted(hits, key=lambda h: not (h.clause.breadcrumb == r.near and answers(h.clause))))
        return replace(s, hits=hits, timings={**s.timings, "retrieve": time.perf_counter() - t})

    def _decide(self, s: _State) -> _State:
        question = s.resolution.question
        scoped = applied_questions.scope_question(question)  # places the facts name are not the scope
        verdict = guard.check_scope(scoped, self.retriever.scope.detect(scoped), self.retriever.scope)
        if not verdict.refused and s.resolution.dangling:
            verdict = guard.needs_context(question, self.retriever.scope)
        if verdict.refused or s.resolution.about_previous_clause:
            return replace(s, verdict=verdict)
        applied = self._applied(s)
        if applied is not None and (applied.decided or applied.solutions or applied.conditional):
            # the rules engine judged the asker's facts: the clauses it judged on answer first
            return replace(s, verdict=verdict, applied=applied, hits=self._lead_with(s.hits, applied.clause_refs))
        verdict, p, row = self._weigh(question, s.hits, s.answers, list(s.topic), self._continues(s), s.unknown)
        return replace(s, verdict=verdict, applied=applied if not verdict.refused else None, weighed=True,
                       answerability=p, evidence=() if row is None else tuple(row))

    @staticmethod
    def _continues(s: _State) -> bool:
        """Whether the best clause is in a document the last answer quoted: the conversation is
        still there ("这笔费用的使用要不要审计？" after a question on 企业技术开发费), so a short
        follow-up far from every clause in words is not about something the library lacks."""
        if not s.history or not s.hits:
            return False
        last = s.history[-1]
        docs = {c.clause.doc_id for c in last.answer.citations} if last.answer is not None else set(last.doc_ids)
        return s.hits[0].clause.doc_id in docs

    def _weigh(self, question: str, hits: Sequence[Hit], answers,
               topic: list[str], continuing: bool = False, unknown: Sequence[str] = ()) -> tuple[guard.Verdict, float | None, np.ndarray | None]:
        """Whether the retrieved clauses answer, the classifier's probability that they do, and
        the evidence it weighed. The hand guard's evidence stands (no clause states a value of
        the asked kind: not answered; a clause leaves the figure to someone else: that is the
        answer); with a model for the index's embedder (retriever/answerability.py) the
        classifier also refuses what the guard let through on weak evidence — never when the
        first clause's own article (its items, its other paragraphs) states a value of the asked
        kind on the topic: "文件未明确规定" would then be false. A refusal names what is not stated and
        quotes the closest clause when it speaks of the thing asked. `continuing`: the best clause
        is in the document the conversation is about; then, as when the best clause says the question's
        topic words, no similarity floor says "out of scope"."""
        measured = guard.measured_terms(question, topic)
        if not hits:
            return guard.Verdict(True, "out_of_scope", "现有政策文件未涉及这个问题。"), None, None
        states_kind = guard.answers_figure_question(question, topic, self.lexicon.document_frequency,
                                                    measured_only=False, lead_in=self._lead_in_text,
                                                    cited=self._cited_text)
        top5 = any(answers(h.clause) for h in hits[:5])
        row = evidence(hits, (float(guard.asks_figure(question)), float(answers(hits[0].clause)), float(top5),
                              float(states_kind(hits[0].clause))))
        # the floor says "about nothing here": not when the conversation is in the best clause's
        # document, nor when that clause says the question's topic words
        about = continuing or guard.speaks_of(hits[0].clause.search_text, question, topic, unknown,
                                               self.lexicon.rarity)
        verdict = guard.check_evidence(question, list(hits), answers, states_kind,
                                       min_similarity=-1.0 if about else self.retriever.calibration.min_top_similarity,
                                       topic=measured)
        rescued = (verdict.kind == "not_specified" and verdict.clause is None
                   and self._stated_in_article(question, hits[0].clause, answers))
        if rescued:  # "第四十五条第二款" retrieved, its article's （一） states 不低于百分之五十
            verdict = guard.ANSWERABLE
        model = self.retriever.answerability
        p = model.probability(row) if model is not None and row is not None else None
        if verdict == guard.ANSWERABLE and p is not None and not model.answers(row)[0] \
                and not (rescued or self._stated_in_article(question, hits[0].clause, answers)):
            verdict = guard.unstated(question, hits[0].clause)
        if verdict.kind != "not_specified":
            return verdict, p, row
        top = extractive.whole_clause(hits[0].clause, self.corpus.clauses)
        if not any(guard.says(top.text, t) for t in (measured or topic)):  # not close: no quote
            return verdict, p, row
        sentence = "……".join(extractive.pick_sentences(top, self.lexicon.expand(question), question,
                                                       self.lexicon.document_frequency,
                                                       self.retriever.scope.name_words()))
        return guard.unstated(question, hits[0].clause, guard.asked_what(question, measured), sentence), p, row

    def _stated_in_article(self, question: str, top: Clause, answers) -> bool:
        """Whether the best clause's article (its items, its other paragraphs) states a value of
        the asked kind on the topic — asked only when the classifier doubts."""
        return guard.asks_figure(question) and top.id in self.corpus and any(
            answers(m) for m in self.corpus.members_of(self.corpus.article_of(top)))

    def _applied(self, s: _State) -> applied_questions.Applied | None:
        """The asker's facts judged against the programme the question (or the conversation)
        names, else the programmes of the documents retrieved, best first."""
        library = self.retriever.scope
        scope = library.detect(applied_questions.scope_question(s.resolution.question))
        named = library.allowed_documents(scope, s.region) if (scope.regions or scope.doc_types or s.region) else set()
        retrieved = list(dict.fromkeys(h.clause.doc_id for h in s.hits))
        # nothing named: the programme of the document the question is about, the first retrieved
        # ("我们是省属研究所，专利自己实施投产了…" asked of a patent regulation is not judged against
        # a consortium's rules retrieved further down)
        candidates = ([d for d in retrieved if d in named] + sorted(named - set(retrieved))) if named else retrieved[:1]
        propose = None
        if s.mode == "llm" and self.chat_model is not None:  # the model proposes, the reader checks
            def propose(question, rules):
                return proposed_facts.propose_facts(self.chat_model, question, rules)
        return applied_questions.assess_question(s.question, candidates, self.retriever.embedder, propose)

    def _lead_with(self, hits: tuple[Hit, ...], refs: list[tuple[str, str]]) -> tuple[Hit, ...]:
        by_ref = self.corpus.first_parts()
        top = hits[0].score if hits else 1.0
        first = [next((h for h in hits if (h.clause.doc_id, h.clause.path) == r), None) or Hit(by_ref[r], top)
                 for r in refs if r in by_ref]
        chosen = {h.clause.id for h in first}
        rest = tuple(h for h in hits if h.clause.id not in chosen)
        return (tuple(first) + rest)[:max(len(hits), len(first))]

    def _lead_in_text(self, clause: Clause) -> str:
        lead_in = self.corpus.lead_in_of(clause) if clause.id in self.corpus else None
        return lead_in.text if lead_in is not None else ""

    def _cited_text(self, clause: Clause) -> str:
        """The text of the articles of its document a clause cites (Corpus.cited_by)."""
        return "\n".join(c.text for c in self.corpus.cited_by(clause)) if clause.id in self.corpus else ""

    def _topic_terms(self, question: str) -> list[str]:
        return guard.topic_terms(self.lexicon.expand(question, words_only=True),
                                 self.lexicon.document_frequency, load_synonyms(), question,
                                 self.retriever.scope.name_words())

    def _refusal(self, s: _State) -> Answer:
        related = (tuple(h.clause for h in s.hits[:3])
                   if s.verdict.kind not in ("injection", "needs_context", "small_talk") else ())
        text = s.verdict.message
        quoted: tuple[Clause, ...] = ()
        if s.verdict.clause is not None and s.verdict.sentence:  # "文件未明确规定…；最相关的规定是…" + the quote
            text += f"“{s.verdict.sentence}”[1]"
            quoted = (s.verdict.clause,)
            related = tuple(c for c in related if c != s.verdict.clause)
        if related:
            text += "\n可能相关的条款：" + "；".join(c.citation for c in related)
        return self._make(s, text, quoted, refused=True, refusal=s.verdict.kind, related=related)

    def _delegated(self, s: _State) -> Answer:
        """The figure asked is left to someone else: say so, quoting the clause that says it."""
        c = s.verdict.clause
        return self._make(s, f"{s.verdict.message}《{c.doc_title}》{c.path}写明：“{s.verdict.sentence}”[1]", (c,))

    def _in_principle(self, s: _State) -> Answer:
        turn = next(t for t in reversed(s.history) if t.answer and t.answer.citations)
        text, clauses = followup.in_principle_answer(turn.answer.text, [c.clause for c in turn.answer.citations])
        return self._make(s, text, tuple(clauses))

    def _extractive(self, s: _State, note: str | None = None) -> Answer:
        t = time.perf_counter()
        question = s.resolution.question
        scope = self.retriever.scope.detect(question)
        per_document = (not s.region and not s.doc_ids and not s.resolution.regions
                        and not s.resolution.doc_ids and not scope.regions)
        answers = s.answers
        comp = extractive.compose(question, list(s.hits), self.lexicon.expand(question),
                                  self.corpus.clauses, per_document, answers,
                                  self.lexicon.document_frequency,
                                  compared=self.retriever.scope.compared_documents(scope) if not s.region else (),
                                  names=self.retriever.scope.name_words(),
                                  margin=self.retriever.calibration.document_margin, tree=self.corpus)
        s = replace(s, timings={**s.timings, "compose": time.perf_counter() - t})
        return self._make(s, comp.text, comp.clauses, note=note, mode="extractive" if note is None else "llm")

    def _generate(self, s: _State) -> Generator[str, None, Answer]:
        """Yields the model's pieces; returns the checked Answer (or the extractive one)."""
        if s.llm_failure:  # it already failed on the follow-up rewrite: do not wait for it twice
            return self._extractive(s, note=s.llm_failure)
        t = time.perf_counter()
        clauses = [h.clause for h in s.hits]
        inputs = {"clauses": number_clauses(clauses), "question": s.resolution.question}
        if warning := lure_warning(clauses):  # seen before anything the model writes from them
            yield warning
        pieces: list[str] = []
        first_token = None
        deadline = t + self.answer_timeout if self.answer_timeout else None
        try:
            # The model's own stream, not an LCEL pipe: stopping it at the deadline closes the
            # connection (a piped stream drains the rest of the response while it closes).
            for chunk in self.chat_model.stream(PROMPT.format_messages(**inputs)):
                if deadline is not None and time.perf_counter() > deadline:
                    raise TimeoutError(f"answer took more than {self.answer_timeout} s")
                piece = chunk.text if isinstance(chunk.content, list) else chunk.content
                if not piece:
                    continue
                if first_token is None:
                    first_token = time.perf_counter() - t
                pieces.append(piece)
                yield piece
        except Exception as exc:  # endpoint down, timeout, model error: never leave the user hanging
            return self._extractive(s, note=failure_note(exc))
        text = "".join(pieces).strip()
        timings = {**s.timings, "generate": time.perf_counter() - t, "first_token": first_token or 0.0}
        s = replace(s, timings=timings)
        report = check_grounding(text, clauses)
        if not report.ok:
            return self._extractive(s, note="生成的回答未通过核验（" + "；".join(report.problems)
                                    + "），以下为原文摘录答案。")
        cited = tuple(clauses[n - 1] for n in report.cited)
        warn = ()
        if find_lure(text) and not any(find_lure(c.text) for c in cited):
            # the model passed on a lure without citing where it comes from
            warn = tuple(c for c in clauses if find_lure(c.text))
            if not warn:
                return self._extractive(s, note="生成的回答含有缴费/链接要求或指令，以下为原文摘录答案。")
        renumbered = _renumber(text, report.cited)
        return self._make(s, renumbered, cited, mode="llm", warn=warn)

    def _make(self, s: _State, text: str, clauses: Sequence[Clause], *, refused: bool = False,
              refusal: str | None = None, related: tuple[Clause, ...] = (), note: str | None = None,
              mode: str | None = None, warn: tuple[Clause, ...] = ()) -> Answer:
        if not refused:
            verdict = applied_questions.render(s.applied) if s.applied else self._elapsed(s, clauses, text)
            text = self._missing_programme_note(s.resolution.question) + verdict + text
        text = lure_warning([*clauses, *related, *warn]) + text  # a lure is never shown without it
        return Answer(
            question=s.question, text=text, citations=tuple(Citation(i, c) for i, c in enumerate(clauses, 1)),
            refused=refused, refusal=refusal, hits=s.hits, related=related, mode=mode or s.mode, note=note,
            resolved_question=s.resolution.question if s.resolution.question != s.question else None,
            timings=s.timings, assessment=s.applied if not refused else None,
            answerability=s.answerability, weighed=s.weighed, evidence=s.evidence,
        )


    @staticmethod
    def _elapsed(s: _State, clauses: Sequence[Clause], quoted: str) -> str:
        """"2023年5月认定的，2025年3月能参加了吗？" against the first clause's "满两年", or
        "2025年6月公布的，最晚什么时候…" against its "限1年": the conclusion in words before the
        quotation (assistant.elapsed), with the clause's sentence it rests on when the quotation
        (`quoted`) does not hold it."""
        question = s.resolution.question
        if not clauses:
            return ""
        cues = load_glossary().applied_cues
        # a yes/no part is judged when the question names what to judge by; its "when" part (“建设期
        # 什么时候满，到时候可以申请验收吗？”) is answered either way
        judged = (applied_questions.asks_to_judge(question)
                  and (elapsed.elapsed(question, clauses[0].text) or elapsed.on_time(question, clauses[0].text)))
        found = (judged
                 or elapsed.deadline(question, clauses[0].text, *(cues.get(k, ()) for k in ("when", "range_upper", "range_lower")))
                 or elapsed.yearly_due(question, clauses[0].text, cues.get("when", ())))
        if not found:
            return ""
        if not found.sentence or found.sentence in quoted:
            return found.headline()
        return found.headline().rstrip("\n") + f"依据：“{found.sentence}”[1]\n"


def lure_warning(clauses: Sequence[Clause]) -> str:
    """A line above the answer for each clause quoted that is a lure (ingest/lures.py):
    "⚠ 《…》第二条：本条含有缴费/链接要求，请向发文机关核实。"."""
    return "".join(f"⚠ {c.citation}：{lure.warning}。\n" for c, lure in flagged(dict.fromkeys(clauses)))


def _missing_note(missing: list[tuple[str, str]], regions_with) -> str:
    """"湖南的创新联合体": say that no such document exists before quoting the nearest one."""
    parts = [f"现有政策文件中没有{region}的{programme}文件（{programme}文件来自：{'、'.join(regions_with(programme))}）"
             for region, programme in missing]
    return "；".join(parts) + "。以下是最接近的规定：\n" if parts else ""


def _renumber(text: str, cited: tuple[int, ...]) -> str:
    """Markers refer to the retrieved list; renumber them to the citation list [1..n]."""
    mapping = {old: new for new, old in enumerate(cited, 1)}
    return re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text)


MAX_TURNS = 20  # a conversation's memory for follow-ups (web and API alike); older turns are dropped


class Session:
    """One user's conversation: history for follow-ups, its last MAX_TURNS turns. The history
    list may be owned by the caller (a web session keeps it in its own state) and is changed in
    place."""

    def __init__(self, assistant: Assistant, history: list[Turn] | None = None) -> None:
        self.assistant = assistant
        self.history: list[Turn] = history if history is not None else []

    def ask(self, question: str, **kwargs) -> Answer:
        for item in self.stream(question, **kwargs):
            pass
        return item

    def stream(self, question: str, **kwargs) -> Iterator[str | Answer]:
        """Assistant.stream within the conversation; the turn is kept once the Answer is out."""
        for item in self.assistant.stream(question, self.history, **kwargs):
            if isinstance(item, Answer):
                self._keep(question, item)
            yield item

    def _keep(self, question: str, answer: Answer) -> None:
        resolved = answer.resolved_question or answer.question
        scope = self.assistant.retriever.scope.detect(resolved)
        doc_ids = tuple(dict.fromkeys(c.clause.doc_id for c in answer.citations))
        self.history.append(Turn(question, resolved, scope.regions, doc_ids if len(doc_ids) == 1 else (), answer))
        del self.history[:-MAX_TURNS]
