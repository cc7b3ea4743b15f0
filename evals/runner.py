"""Run a gold set through the assistant (and, on request, the naive baseline) and compute
every metric the report shows: retrieval, answers, refusals, per type and per document,
latency, and the self-assessment gold cases."""
from __future__ import annotations

import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Callable, Sequence

from assistant import Answer, Assistant, Session
from evals.baseline import NaiveBaseline, naive_chunks
from evals.io import GoldQuestion, GoldSet
from evals.stats import percentile
from evals.retrieval import all_found, first_hit_rank, hit_at, holds_evidence, mean_reciprocal_rank

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class QuestionResult:
    gold: GoldQuestion
    answer: Answer
    rank: int | None          # where the gold clause was among the retrieved (answerable only)
    seconds: float

    @property
    def facts_present(self) -> bool:
        text = _WS.sub("", self.answer.text)
        return all(_WS.sub("", f) in text for f in self.gold.facts)

    @property
    def judged(self) -> dict[str, str]:
        """Criterion id → pass/fail as the answer's assessment judged them."""
        if self.answer.assessment is None:
            return {}
        return {c.id: c.status for c in self.answer.assessment.decided}

    @property
    def verdicts_right(self) -> bool | None:
        """Exactly the expected criteria judged, each as expected (None: not scored)."""
        if self.gold.expected_verdicts is None:
            return None
        return self.judged == dict(self.gold.expected_verdicts)

    @property
    def correct(self) -> bool:
        """Answerable: not refused and every fact present; unanswerable: refused."""
        if not self.gold.answerable:
            return self.answer.refused
        return not self.answer.refused and self.facts_present


def ask_gold(assistant: Assistant, gold: GoldQuestion, mode: str) -> tuple[Answer, float]:
    """A follow-up is asked in a session after its history; the time is the last turn's."""
    session = Session(assistant)
    for earlier in gold.history:
        session.ask(earlier, mode=mode)
    start = time.perf_counter()
    answer = session.ask(gold.q, mode=mode)
    return answer, time.perf_counter() - start


def run_questions(assistant: Assistant, gold: Sequence[GoldQuestion], mode: str = "extractive",
                  on_progress: Callable[[int, int], None] | None = None) -> list[QuestionResult]:
    results = []
    for i, g in enumerate(gold, 1):
        answer, seconds = ask_gold(assistant, g, mode)
        rank = first_hit_rank([h.clause for h in answer.hits], g) if g.answerable else None
        results.append(QuestionResult(g, answer, rank, seconds))
        if on_progress:
            on_progress(i, len(gold))
    return results


def group_metrics(results: Sequence[QuestionResult]) -> dict[str, float]:
    answerable = [r for r in results if r.gold.answerable]
    unanswerable = [r for r in results if not r.gold.answerable]
    ranks = [r.rank for r in answerable]
    answered = [r for r in answerable if not r.answer.refused]
    cited = [c for r in answered for c in r.answer.citations]
    good_cites = sum(1 for r in answered for c in r.answer.citations if holds_evidence(c.clause, r.gold))
    refused = [r for r in results if r.answer.refused]
    out: dict[str, float] = {"n": len(results), "answerable": len(answerable), "unanswerable": len(unanswerable)}
    if answerable:
        out.update({
            "hit@1": hit_at(ranks, 1), "hit@3": hit_at(ranks, 3), "hit@5": hit_at(ranks, 5),
            "mrr": mean_reciprocal_rank(ranks),
            "complete@5": sum(all_found([h.clause for h in r.answer.hits[:5]], r.gold) for r in answerable) / len(answerable),
            "fact_accuracy": sum(r.facts_present and not r.answer.refused for r in answerable) / len(answerable),
            "citation_precision": good_cites / len(cited) if cited else 0.0,
        })
    if unanswerable:
        out["refusal_recall"] = sum(r.answer.refused for r in unanswerable) / len(unanswerable)
    if refused:
        out["refusal_precision"] = sum(not r.gold.answerable for r in refused) / len(refused)
    scored = [r for r in results if r.gold.expected_verdicts is not None]
    if scored:
        out["verdict_accuracy"] = sum(bool(r.verdicts_right) for r in scored) / len(scored)
        out["criteria_overjudged"] = sum(len(set(r.judged) - dict(r.gold.expected_verdicts).keys()) for r in scored)
    return out


def breakdown(results: Sequence[QuestionResult], key: Callable[[QuestionResult], str]) -> dict[str, dict]:
    groups: dict[str, list[QuestionResult]] = defaultdict(list)
    for r in results:
        groups[key(r)].append(r)
    return {k: group_metrics(v) for k, v in sorted(groups.items())}


def question_rows(results: Sequence[QuestionResult]) -> list[dict]:
    """Every question with what came back, for people to read (report.md's review list, the
    per-question XLSX officials open in Excel)."""
    out = []
    for r in results:
        expected = ("；".join(f"{doc}：{ev}" for doc, ev in r.gold.evidences) if r.gold.answerable
                    else f"拒答（{r.gold.type}）")
        top = r.answer.hits[0].clause.citation if r.answer.hits else "—"
        out.append({"id": r.gold.id, "q": r.gold.q, "type": r.gold.type, "answerable": r.gold.answerable,
                    "expected": expected, "rank": r.rank, "retrieved": top, "refused": r.answer.refused,
                    "refusal": r.answer.refusal, "facts": "|".join(r.gold.facts),
                    "facts_present": r.facts_present, "correct": r.correct,
                    "verdicts_right": r.verdicts_right,
                    "verdicts": "|".join(f"{k}={v}" for k, v in sorted(r.judged.items())),
                    "citations": "；".join(c.clause.citation for c in r.answer.citations),
                    "answer": r.answer.text, "ms": round(1000 * r.seconds, 1)})
    return out


def failures(rows: Sequence[dict]) -> list[dict]:
    """What to review: wrong answers with the expected clause and what came back."""
    keys = ("id", "q", "type", "expected", "rank", "retrieved", "refused")
    return [{**{k: row[k] for k in keys}, "answer": row["answer"][:200]} for row in rows if not row["correct"]]


def baseline_metrics(baseline: NaiveBaseline, gold: Sequence[GoldQuestion], k: int = 5,
                     on_progress: Callable[[int, int], None] | None = None) -> dict:
    """The naive pipeline on the same questions: its top chunk is its answer; it never refuses.
    Overall figures, and hit@1 / facts per question type and per document for the charts."""
    answerable = [g for g in gold if g.answerable]
    ranks, complete, facts, latencies = [], [], [], []
    for i, g in enumerate(answerable, 1):
        start = time.perf_counter()
        chunks = baseline.search(g.q, k)
        latencies.append(time.perf_counter() - start)
        ranks.append(first_hit_rank(chunks, g))
        complete.append(all_found(chunks, g))
        top = _WS.sub("", chunks[0].text) if chunks else ""
        facts.append(all(_WS.sub("", f) in top for f in g.facts))
        if on_progress:
            on_progress(i, len(answerable))

    def grouped(key: Callable[[GoldQuestion], str]) -> dict[str, dict]:
        groups: dict[str, list[int]] = defaultdict(list)
        for i, g in enumerate(answerable):
            groups[key(g)].append(i)
        return {name: {"hit@1": hit_at([ranks[i] for i in members], 1),
                       "fact_accuracy": sum(facts[i] for i in members) / len(members)}
                for name, members in sorted(groups.items())}

    return {"answerable": len(answerable), "hit@1": hit_at(ranks, 1), "hit@3": hit_at(ranks, 3),
            "hit@5": hit_at(ranks, 5), "mrr": mean_reciprocal_rank(ranks),
            "complete@5": sum(complete) / len(complete) if complete else 0.0,
            "fact_accuracy": sum(facts) / len(facts) if facts else 0.0,
            "refusal_recall": 0.0 if any(not g.answerable for g in gold) else None,
            "chunks": len(baseline.chunks),
            "chunk_median_chars": statistics.median(len(c.text) for c in baseline.chunks),
            "retrieval_p50_ms": 1000 * percentile(latencies, 0.5),
            "by_type": grouped(lambda g: g.type), "by_document": grouped(lambda g: g.doc)}


def build_report(gold: GoldSet, results: Sequence[QuestionResult], mode: str,
                 baseline: dict | None = None, selfcheck: dict | None = None) -> dict:
    latencies = [r.seconds for r in results]
    rows = question_rows(results)
    retrieve = [r.answer.timings.get("retrieve", 0.0) for r in results]
    return {
        "set": gold.source, "mode": mode, "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "overall": group_metrics(results),
        "latency_ms": {"answer_p50": 1000 * percentile(latencies, 0.5),
                       "answer_p95": 1000 * percentile(latencies, 0.95),
                       "retrieval_p50": 1000 * percentile(retrieve, 0.5),
                       "retrieval_p95": 1000 * percentile(retrieve, 0.95)},
        "by_type": breakdown(results, lambda r: r.gold.type),
        "by_document": breakdown([r for r in results if r.gold.answerable], lambda r: r.gold.doc),
        "baseline": baseline,
        "selfcheck": selfcheck,
        "problems": [{"row": p.row, "message": p.message} for p in gold.problems],
        "failures": failures(rows),
        "questions": rows,
        "latencies_ms": [round(1000 * s, 2) for s in latencies],
    }


def evaluate_set(assistant: Assistant, gold: GoldSet, mode: str = "extractive", *, baseline: str | None = None,
                 with_selfcheck: bool = False, on_progress: Callable[[int, int, str], None] | None = None) -> dict:
    """A whole evaluation as the CLI and the web app run it: the questions through the
    assistant, optionally the naive baseline on the same questions and the self-assessment
    gold cases; returns the report (write it with evals.report.write_report).
    on_progress(done, total, phase): one count over every phase, the baseline's included, so
    a progress bar does not sit at 100% while the baseline embeds."""
    from evals.selfcheck_eval import run_selfcheck_gold, selfcheck_metrics

    questions = gold.questions
    chunks = naive_chunks() if baseline == "naive" else []
    answerable = sum(1 for g in questions if g.answerable) if chunks else 0
    total = len(questions) + len(chunks) + answerable

    def phase(offset: int, name: str) -> Callable[[int, int], None] | None:
        return (lambda done, _n: on_progress(offset + done, total, name)) if on_progress else None

    results = run_questions(assistant, questions, mode, on_progress=phase(0, "评测本系统"))
    base = None
    if chunks:
        naive = NaiveBaseline(assistant.retriever.embedder, chunks=chunks,
                              on_progress=phase(len(questions), "基线：向量化 500 字切块"))
        base = baseline_metrics(naive, questions, on_progress=phase(len(questions) + len(chunks), "基线：检索"))
    sc = selfcheck_metrics(run_selfcheck_gold()) if with_selfcheck else None
    return build_report(gold, results, mode, base, sc)
