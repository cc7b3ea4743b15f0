"""猜你想问: what to ask next, from the document around the clauses an answer cited. The
nearest clauses with a heading of their own ("参与单位应具备的条件", "创建程序") become
questions about that heading in that document — so a suggestion is always about something the
library states, for any document, with no list of topics kept anywhere."""
from __future__ import annotations

from assistant.types import Answer
from ingest.markers import match_heading
from ingest.model import Clause
from retriever.corpus import Corpus

MAX_TOPIC_CHARS = 16   # a heading longer than this is a sentence, not a topic
SUGGESTIONS = 3


def next_questions(answer: Answer, corpus: Corpus, k: int = SUGGESTIONS) -> list[str]:
    """Up to k questions about the cited clauses' nearest headed neighbours (nearest first, in
    the first cited clause's document first); none for a refusal (nothing was found to go on)."""
    if answer.refused or not answer.citations:
        return []
    cited = [c.clause for c in answer.citations if c.clause.id in corpus]
    seen = {topic for c in cited for topic in (c.heading, *(_crumb_topic(b) for b in c.breadcrumb))}
    seen |= {answer.question, answer.resolved_question or ""}
    out: list[str] = []
    for anchor in cited:
        for clause in _nearest_in_document(anchor, corpus):
            topic = clause.heading
            if topic in seen or any(topic in s for s in seen if s):
                continue
            seen.add(topic)
            out.append(question_about(clause))
            if len(out) == k:
                return out
    return out


def question_about(clause: Clause) -> str:
    """"《广西壮族自治区创新联合体管理办法（试行）》对“参与单位应具备的条件”是怎么规定的？" """
    return f"《{clause.short_title or clause.doc_title}》对“{clause.heading}”是怎么规定的？"


def _nearest_in_document(anchor: Clause, corpus: Corpus) -> list[Clause]:
    """The document's headed clauses, closest in the outline first (siblings under the same
    heading, then under the parent's…), then closest in the text (ties: the one after)."""
    here = corpus.position(anchor.id)

    def closeness(c: Clause) -> tuple:
        shared = next((i for i, (a, b) in enumerate(zip(anchor.breadcrumb, c.breadcrumb)) if a != b),
                      min(len(anchor.breadcrumb), len(c.breadcrumb)))
        where = corpus.position(c.id)
        return -shared, abs(where - here), where < here

    same = [c for c in corpus.of_document(anchor.doc_id) if c.part == 0 and _is_topic(c.heading)]
    return sorted(same, key=closeness)


def _is_topic(heading: str) -> bool:
    return 2 <= len(heading) <= MAX_TOPIC_CHARS and not any(p in heading for p in "。；，：:")


def _crumb_topic(crumb: str) -> str:
    """"第五条【组建条件】" → 组建条件, "（二）牵头单位应具备的条件" → 牵头单位应具备的条件."""
    heading = match_heading(crumb)
    return heading.title if heading else crumb
