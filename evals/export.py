"""What enterprises asked, exported for officials (CSV or XLSX by the file's suffix), with
personal data masked in everything people typed (evals/privacy.py)."""
from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

from evals.privacy import mask_personal
from evals.report import write_xlsx

COLUMNS = {"created": "时间", "channel": "渠道", "question": "问题", "resolved_question": "理解为", "mode": "回答方式",
           "refusal": "拒答原因", "citations": "引用", "latency_ms": "用时（毫秒）", "rating": "反馈", "comment": "反馈说明",
           "generation": "索引版本", "answer_id": "回答编号"}
EXPORT_SUFFIXES = (".csv", ".xlsx")
RATING_NAMES = {"up": "有用", "down": "有误"}


def masked_rows(answers: list[dict]) -> list[dict]:
    """The logbook's answers as export rows: typed text masked, times and ratings in words."""
    return [{**a, "question": mask_personal(a["question"]), "resolved_question": mask_personal(a["resolved_question"]),
             "comment": mask_personal(a["comment"]), "citations": "；".join(json.loads(a["citations"] or "[]")), "rating": RATING_NAMES.get(a["rating"] or "", ""),
             "created": datetime.fromtimestamp(a["created"]).strftime("%Y-%m-%d %H:%M:%S")} for a in answers]


def export_answers(answers: list[dict], path: Path) -> int:
    """Write the masked rows to `path` (.csv in UTF-8 with BOM, for Excel; or .xlsx); how many."""
    rows = masked_rows(answers)
    if path.suffix.lower() == ".xlsx":
        write_xlsx(rows, COLUMNS, path, "问答记录")
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(COLUMNS.values())
            for row in rows:
                writer.writerow([_csv_cell(row.get(k)) for k in COLUMNS])
    return len(rows)


# What a spreadsheet may read as the start of a formula (full-width too), and the blanks it may
# skip before one ("\t=1+1" is still a formula to some).
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
_BLANKS = " \t\r\n\u3000\u00a0"


def _csv_cell(value) -> object:
    """A typed "=…" (after blanks or a tab too) must not become a formula when the CSV is opened
    in a spreadsheet: it is kept as text behind a quote mark."""
    if value is None:
        return ""
    if isinstance(value, str) and (value[:1] in ("\t", "\r") or value.lstrip(_BLANKS)[:1] in FORMULA_STARTS):
        return f"'{value}"
    return value
