"""Scores an applied-question eval run the way issue 25 states its target: a question is right
when the answer's first line gives the verdict or the number in words ("结论：…"), the expected
verdicts are exactly those judged, every expected fact or number is in the answer, and the
clause the question rests on is cited first.

    python evals/applied/score_first.py REPORT_DIR/report.json GOLD.jsonl

Reads what `policy-assistant eval --set GOLD.jsonl --out REPORT_DIR` wrote; prints one line per
question that is not right, then the counts. Questions whose gold has neither expected_verdicts
nor expected_answer are not applied questions the engine answers (e.g. a date to work out) and
are counted apart."""
from __future__ import annotations

import json
import sys
from pathlib import Path


def score(report: dict, gold: dict[str, dict]) -> dict:
    rows, wrong = [], []
    for r in report["questions"]:
        g = gold[r["id"]]
        if "expected_verdicts" not in g and "expected_answer" not in g:
            continue
        first = r["answer"].split("\n", 1)[0]
        checks = {
            "verdict_first": first.startswith("结论："),
            "verdicts": r["verdicts_right"] is not False,
            "facts": bool(r["facts_present"]),
            "clause": r["rank"] == 1,
        }
        rows.append(checks)
        if not all(checks.values()):
            wrong.append((r["id"], [k for k, ok in checks.items() if not ok], r["q"]))
    n = len(rows)
    return {"n": n, "right": sum(all(c.values()) for c in rows),
            **{k: sum(c[k] for c in rows) for k in ("verdict_first", "verdicts", "facts", "clause")},
            "wrong": wrong}


def main(report_path: str, gold_path: str) -> None:
    report = json.loads(Path(report_path).read_text(encoding="utf-8"))
    gold = {}
    for line in Path(gold_path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            gold[rec["id"]] = rec
    result = score(report, gold)
    for qid, failed, q in result.pop("wrong"):
        print(f"{qid}\t{'、'.join(failed)}\t{q}")
    n = result["n"]
    print(" ".join(f"{k} {v}/{n}" for k, v in result.items() if k != "n"))


if __name__ == "__main__":
    main(*sys.argv[1:3])
