"""Writes standalone.jsonl: complete questions of questions.jsonl (each names its own region or
programme) asked after one or two unrelated turns on other documents. The expected clause and
facts are those of the question asked alone — a conversation must not bend a complete
question towards the previous topic (issue 17). Run once: python -m evals.gold.make_standalone."""
from __future__ import annotations

import json
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROWS = 48


def main() -> None:
    from dataclasses import asdict

    from corpus import load_documents
    from retriever.scope import LibraryScope

    library = LibraryScope.from_documents({d.id: asdict(d) for d in load_documents()})
    rows = [json.loads(line) for line in (HERE / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line]
    answerable = [r for r in rows if r.get("answerable", True) and "|" not in r["doc"]]
    complete = [r for r in answerable if library.detect(r["q"]).regions or library.detect(r["q"]).doc_types]
    rng = random.Random(17)
    chosen = rng.sample(complete, min(ROWS, len(complete)))
    out = []
    for i, row in enumerate(chosen, 1):
        others = [r["q"] for r in answerable if r["doc"] != row["doc"]]
        history = rng.sample(others, 1 + (i % 3 == 0))
        out.append({**{k: row[k] for k in ("q", "doc", "evidence", "facts") if k in row}, "id": f"alone-{i:02d}",
                    "answerable": True, "type": "standalone_after_turns", "history": history, "asked_alone": row["id"]})
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in out)
    (HERE / "standalone.jsonl").write_text(text, encoding="utf-8")
    print(f"{len(out)} rows from {len(complete)} complete questions")


if __name__ == "__main__":
    main()
