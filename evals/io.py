"""Reading question files and gold sets. A bad row is reported by its line number and
skipped; it never stops the rest of the file."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

GOLD_DIR = Path(__file__).resolve().parent / "gold"
MAX_QUESTION_CHARS = 2000


@dataclass(frozen=True)
class QuestionLine:
    line: int
    id: str | None
    q: str | None
    error: str | None = None


@dataclass(frozen=True)
class GoldQuestion:
    id: str
    q: str
    doc: str
    evidence: str
    facts: tuple[str, ...] = ()
    answerable: bool = True
    type: str = "fact"
    extra: dict = field(default_factory=dict, compare=False)


def read_question_lines(path: Path) -> list[QuestionLine]:
    """Lines {"id": …, "q": …}; blank lines are ignored, bad ones carry an error."""
    rows: list[QuestionLine] = []
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            rows.append(_question_line(n, raw))
    return rows


def _question_line(n: int, raw: str) -> QuestionLine:
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return QuestionLine(n, None, None, f"不是合法的 JSON（第 {exc.colno} 列）")
    if not isinstance(obj, dict):
        return QuestionLine(n, None, None, '每行应是一个对象，如 {"id": "1", "q": "问题"}')
    qid = obj.get("id")
    q = obj.get("q")
    qid = None if qid is None else str(qid)
    if not isinstance(q, str) or not q.strip():
        return QuestionLine(n, qid, None, "缺少问题字段 q，或 q 为空")
    if len(q) > MAX_QUESTION_CHARS:
        return QuestionLine(n, qid, q[:50], f"问题过长（{len(q)} 字，上限 {MAX_QUESTION_CHARS} 字）")
    return QuestionLine(n, qid if qid is not None else str(n), q.strip())


def load_gold(path: Path) -> list[GoldQuestion]:
    """A JSONL gold set (columns: id, q, doc, evidence, facts, answerable, type)."""
    out = []
    with open(path, encoding="utf-8") as fh:
        for raw in fh:
            if raw.strip():
                obj = json.loads(raw)
                out.append(GoldQuestion(
                    id=str(obj["id"]), q=obj["q"], doc=obj.get("doc") or "",
                    evidence=obj.get("evidence") or "", facts=tuple(obj.get("facts") or ()),
                    answerable=bool(obj.get("answerable", True)), type=obj.get("type") or "fact",
                    extra={k: v for k, v in obj.items() if k not in GoldQuestion.__dataclass_fields__},
                ))
    return out
