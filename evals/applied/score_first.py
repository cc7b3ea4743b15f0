"""Scores an applied-question eval run the way issue 25 states its target: a question is right
when the answer's first line gives the verdict or the number in words ("结论：…"), the expected
verdicts are exactly those judged, every expected fact or number is in the answer, and the
clause the question rests on is cited first.

    python evals/applied/score_first.py REPORT_DIR/report.json GOLD.jsonl

Reads what `policy-assistant eval --set GOLD.jsonl --out REPORT_DIR` wrote; prints one line per
question that is not right, then the counts. Questions whose gold has neither expected_verdicts
nor expected_answer are not applied questions the engine answers (e.g. a date to work out) and
are counted apart.

A blind set written without the code states the expected conclusion in words instead
("expected": "满足" | "不满足" | "最多5人"): then the first line must say that conclusion —
不满足 for 不满足, 满足 without 不 for 满足, the number for a number. Other expectations (a
duty, a date) are counted apart."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path


def said_first(first: str, expected: str) -> bool | None:
    """Whether the answer's first line says the expected conclusion (None: not a verdict or number)."""
    if expected in ("满足", "不满足"):
        return ("不满足" in first) == (expected == "不满足") and "满足" in first
    numbers = re.findall(r"\d+(?:\.\d+)?", expected)
    return all(n in re.findall(r"\d+(?:\.\d+)?", first) for n in numbers) if numbers else None


def score(report: dict, gold: dict[str, dict]) -> dict:
    rows, wrong = [], []
    for r in report["questions"]:
        g = gold[r["id"]]
        first = r["answer"].split("\n", 1)[0]
        if "expected" in g:
            said = said_first(first, g["expected"])
            if said is None:
                continue
            verdicts = said
        elif "expected_verdicts" in g or "expected_answer" in g:
            verdicts = r["verdicts_right"] is not False
        else:
            continue
        checks = {
            "verdict_first": first.startswith("结论：") or ("expected" in g and verdicts),
            "verdicts": verdicts,
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
