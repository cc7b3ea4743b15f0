"""Self-assessment gold cases: does the engine reach the expected verdict, and agree with
the expected status of each listed criterion?"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from selfcheck import SelfcheckError, evaluate

SELFCHECK_GOLD = Path(__file__).resolve().parent / "gold" / "selfcheck.jsonl"


@dataclass(frozen=True)
class CaseResult:
    id: str
    program: str
    expected_verdict: str
    verdict: str
    agreed: int
    listed: int
    disagreements: tuple[str, ...]


def run_selfcheck_gold(path: Path = SELFCHECK_GOLD) -> list[CaseResult]:
    results = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        case = json.loads(line)
        expected = case.get("criteria", {})
        try:
            assessment = evaluate(case["program"], case["inputs"])
        except SelfcheckError as exc:
            results.append(CaseResult(case["id"], case["program"], case["verdict"], "error", 0,
                                      len(expected), (f"输入错误：{exc}",)))
            continue
        status = {c.id: c.status for c in assessment.criteria}
        wrong = tuple(f"{cid}: 期望 {want}，实际 {status.get(cid, '（无此条）')}"
                      for cid, want in expected.items() if status.get(cid) != want)
        results.append(CaseResult(case["id"], case["program"], case["verdict"], assessment.verdict,
                                  len(expected) - len(wrong), len(expected), wrong))
    return results


def selfcheck_metrics(results: list[CaseResult]) -> dict:
    listed = sum(r.listed for r in results)
    return {
        "cases": len(results),
        "verdict_accuracy": sum(r.verdict == r.expected_verdict for r in results) / len(results) if results else 0.0,
        "criterion_agreement": sum(r.agreed for r in results) / listed if listed else 0.0,
        "disagreements": [{"id": r.id, "expected_verdict": r.expected_verdict, "verdict": r.verdict,
                           "criteria": list(r.disagreements)}
                          for r in results if r.disagreements or r.verdict != r.expected_verdict],
    }
