"""A complete question after unrelated turns is answered as if asked alone: same clauses, same
refusal (issue 17). The pairs are data (standalone_pairs.yaml, written for the cases that went
wrong), and so is the gold set's standalone.jsonl (every row against its question alone)."""
import json
from pathlib import Path

import pytest
import yaml

from assistant import Assistant, Session
from evals.gold.make_standalone import HERE as GOLD_DIR

pytestmark = pytest.mark.slow
PAIRS = yaml.safe_load((Path(__file__).parent / "standalone_pairs.yaml").read_text(encoding="utf-8"))
GOLD = [json.loads(line) for line in (GOLD_DIR / "standalone.jsonl").read_text(encoding="utf-8").splitlines() if line]


def _answered(answer) -> tuple:
    return answer.refusal, [c.clause.id for c in answer.citations]


@pytest.mark.parametrize("pair", PAIRS + GOLD, ids=lambda p: p["q"][:20])
def test_a_complete_question_is_answered_as_asked(real_retriever, pair):
    assistant = Assistant(real_retriever)
    session = Session(assistant)
    for earlier in pair["history"]:
        session.ask(earlier)
    after = session.ask(pair["q"])
    assert _answered(after) == _answered(assistant.answer(pair["q"])), after.resolved_question


def test_an_elliptical_question_still_borrows(real_retriever):
    """The other side: "那湖南呢？" and "内蒙古的要求呢？" ask nothing of their own."""
    session = Session(Assistant(real_retriever))
    session.ask("广西技术创新中心的建设期是多久？")
    assert session.ask("内蒙古的要求呢？").resolved_question == "内蒙古技术创新中心的建设期是多久？"
