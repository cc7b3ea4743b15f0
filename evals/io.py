"""Reading question files and gold sets (JSONL, CSV, XLSX — the same columns). A bad row is
reported by its row number and skipped; it never stops the rest of the file."""
from __future__ import annotations

import re

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

from corpus import load_documents
from ingest.clean import visible_text

GOLD_DIR = Path(__file__).resolve().parent / "gold"
MAX_QUESTION_CHARS = 2000
COLUMNS = ("id", "q", "doc", "evidence", "facts", "answerable", "type", "history", "expected_verdicts",
           "expected_answer")
# An applied question's expected verdicts: criterion id → pass/fail (or the words people write).
_VERDICTS = {"pass": "pass", "met": "pass", "满足": "pass", "通过": "pass",
             "fail": "fail", "not_met": "fail", "不满足": "fail", "未通过": "fail"}
# The labels the shipped sets use. A set's own labels are just as valid: a type only groups the
# report; whether a row is answerable is its own column.
TYPES = ("threshold", "deadline", "procedure", "list", "fact", "comparison", "applied",
         "out_of_scope", "not_specified", "injection", "follow_up")
MAX_TYPE_CHARS = 40
_TRUE = {"true", "1", "yes", "y", "是", "对", "可回答"}
_FALSE = {"false", "0", "no", "n", "否", "不", "不可回答"}


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
    history: tuple[str, ...] = ()   # earlier questions of the same conversation (follow-ups)
    extra: dict = field(default_factory=dict, compare=False)
    # Further gold clauses, (doc, evidence), when the answer needs several: "广西和内蒙古…一样吗？"
    # is answered by one clause of each. Written as doc "gx-tic|nm-tic", evidence "…|…".
    also: tuple[tuple[str, str], ...] = ()
    # Applied questions: the criteria the stated facts decide, (criterion id, pass|fail); None
    # when the row does not say (then verdicts are not scored).
    expected_verdicts: tuple[tuple[str, str], ...] | None = None

    @property
    def evidences(self) -> tuple[tuple[str, str], ...]:
        """Every gold clause as (doc, evidence), the one in doc/evidence first."""
        return ((self.doc, self.evidence), *self.also) if self.evidence else self.also


@dataclass(frozen=True)
class RowProblem:
    row: int
    message: str


@dataclass(frozen=True)
class GoldSet:
    questions: tuple[GoldQuestion, ...]
    problems: tuple[RowProblem, ...] = ()
    source: str = ""


class GoldFileError(ValueError):
    """The file as a whole cannot be read as a gold set."""


# ---- question lines (search/ask --batch) -------------------------------------------------
def read_question_lines(path: Path) -> list[QuestionLine]:
    """Lines {"id": …, "q": …}; blank lines are ignored, bad ones carry an error."""
    rows: list[QuestionLine] = []
    with open(path, encoding="utf-8-sig", errors="replace") as fh:
        for n, raw in enumerate(fh, 1):
            if raw.strip():
                rows.append(_question_line(n, raw))
    return rows


def _parse_json(line: str) -> tuple[Any, str | None]:
    """(value, None), or (None, why) for a line that is not JSON — nesting too deep for the
    parser included, which Python reports as RecursionError rather than a decode error."""
    try:
        return json.loads(line), None
    except json.JSONDecodeError as exc:
        return None, f"不是合法的 JSON（第 {exc.colno} 列）"
    except RecursionError:
        return None, "不是可用的 JSON（嵌套层数过多）"
    except ValueError:  # an integer literal of thousands of digits
        return None, "不是可用的 JSON（其中的数字位数过多）"


def _question_line(n: int, raw: str) -> QuestionLine:
    obj, problem = _parse_json(raw)
    if problem:
        return QuestionLine(n, None, None, problem)
    if not isinstance(obj, dict):
        return QuestionLine(n, None, None, '每行应是一个对象，如 {"id": "1", "q": "问题"}')
    qid = None if obj.get("id") is None else str(obj.get("id"))
    q = obj.get("q")
    if not isinstance(q, str) or not visible_text(q):
        return QuestionLine(n, qid, None, "缺少问题字段 q，或 q 为空")
    if len(q) > MAX_QUESTION_CHARS:
        return QuestionLine(n, qid, q[:50], f"问题过长（{len(q)} 字，上限 {MAX_QUESTION_CHARS} 字）")
    return QuestionLine(n, qid if qid is not None else str(n), q.strip())


# ---- gold sets --------------------------------------------------------------------------
def load_gold(path: Path) -> list[GoldQuestion]:
    """The questions of a gold set (bad rows skipped; see read_gold_set for the problems)."""
    return list(read_gold_set(path).questions)


def read_gold_set(path: Path, data: bytes | None = None,
                  documents: Mapping[str, Mapping[str, Any]] | None = None) -> GoldSet:
    """A gold set in .jsonl, .csv or .xlsx. Rows that cannot be used are listed with their
    row number (1 = first data row after a header) and a Chinese reason. `documents`: the
    index's documents (doc id → metadata with title), so that a set about uploaded documents
    reads; the shipped ones by default."""
    suffix = path.suffix.lower()
    data = path.read_bytes() if data is None else data
    if suffix == ".jsonl":
        records = _jsonl_records(data)
    elif suffix == ".csv":
        records = _csv_records(data)
    elif suffix == ".xlsx":
        records = _xlsx_records(data)
    else:
        raise GoldFileError(f"不支持的金标文件类型“{suffix or path.name}”，可选：.jsonl、.csv、.xlsx")
    questions, problems, seen = [], [], set()
    resolve = _doc_resolver(documents)
    for row, rec in records:
        if isinstance(rec, str):
            problems.append(RowProblem(row, rec))
            continue
        try:
            g = _gold_question(rec, resolve)
        except ValueError as exc:
            problems.append(RowProblem(row, str(exc)))
            continue
        if g.id in seen:
            problems.append(RowProblem(row, f"编号 id“{g.id}”重复"))
            continue
        seen.add(g.id)
        questions.append(g)
    return GoldSet(tuple(questions), tuple(problems), path.name)


def _jsonl_records(data: bytes) -> Iterable[tuple[int, dict | str]]:
    text = _decode(data)
    for n, line in enumerate(text.split("\n"), 1):  # not splitlines(): a q may hold \u2028
        if not line.strip():
            continue
        obj, problem = _parse_json(line)
        yield n, problem or (obj if isinstance(obj, dict) else "每行应是一个 JSON 对象")


def _csv_records(data: bytes) -> Iterable[tuple[int, dict | str]]:
    reader = csv.DictReader(io.StringIO(_decode(data)))
    try:
        _check_header(reader.fieldnames or [])
        for n, rec in enumerate(reader, 1):
            if any((v or "").strip() for v in rec.values() if isinstance(v, str)):
                yield n, rec
    except csv.Error as exc:  # a NUL byte, a field over the size limit, a stray quote
        raise GoldFileError(f"CSV 文件第 {reader.line_num} 行无法解析（{exc}），请检查文件是否为 CSV 文本") from exc


def _xlsx_records(data: bytes) -> Iterable[tuple[int, dict | str]]:
    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).worksheets[0]
    except Exception as exc:  # openpyxl raises several types for a broken file
        raise GoldFileError("无法读取 Excel 文件：文件已损坏或不是 .xlsx 格式") from exc
    try:
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        _check_header(header)
        for n, values in enumerate(rows, 1):
            if any(v not in (None, "") for v in values):
                yield n, {h: v for h, v in zip(header, values) if h}
    except GoldFileError:
        raise
    except Exception as exc:  # a sheet whose XML is broken fails only while being read
        raise GoldFileError("无法读取 Excel 文件：工作表内容已损坏") from exc


def _check_header(header: list[str]) -> None:
    missing = [c for c in ("id", "q") if c not in header]
    if missing:
        raise GoldFileError(f"表头缺少列：{'、'.join(missing)}（需要的列：{', '.join(COLUMNS)}）")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise GoldFileError("无法识别文件编码（支持 UTF-8、GBK）")


ANY_DOCUMENT: Mapping[str, Mapping[str, Any]] = {}
"""`documents=ANY_DOCUMENT` reads a file's shape before an index is open: any doc name passes."""


def _doc_resolver(documents: Mapping[str, Mapping[str, Any]] | None = None):
    """doc column: a document id, or a keyword of its title (湖南, 创新联合体, 示范区)."""
    if documents is ANY_DOCUMENT:
        return lambda value: value
    if documents is None:
        documents = {d.id: {"title": d.title, "short_title": d.short_title} for d in load_documents()}
    titles = {d: (str(m.get("title") or ""), str(m.get("short_title") or "")) for d, m in documents.items()}

    def resolve(value: str) -> str:
        if not value or value in titles:
            return value
        matches = [d for d, names in titles.items() if any(value in n for n in names)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise ValueError(f"文件“{value}”不存在，可选：{'、'.join(titles)}")
        raise ValueError(f"文件关键词“{value}”对应多份文件：{'、'.join(matches)}，请写文件编号")

    return resolve


def _split_list(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(p.strip() for p in str(value).split("|") if p.strip())


def _verdicts(value: Any) -> tuple[tuple[str, str], ...] | None:
    """{"lead_revenue": "fail"} (JSONL) or "lead_revenue=fail|members_count=pass" (CSV/XLSX)."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        pairs = [re.split(r"[=:：]", part, maxsplit=1) for part in _split_list(value)]
        if any(len(p) != 2 for p in pairs):
            raise ValueError(f"expected_verdicts 应写作 条件id=pass|条件id=fail，收到“{value[:50]}”")
        value = {k.strip(): v.strip() for k, v in pairs}
    if not isinstance(value, dict):
        raise ValueError("expected_verdicts 应为 {条件id: pass/fail}")
    bad = [str(v) for v in value.values() if str(v).strip().lower() not in _VERDICTS]
    if bad:
        raise ValueError(f"expected_verdicts 的结论应为 pass 或 fail，收到“{bad[0][:20]}”")
    return tuple(sorted((str(k), _VERDICTS[str(v).strip().lower()]) for k, v in value.items()))


def _as_bool(value: Any) -> bool:
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"answerable 应为 true/false（或 是/否），收到“{value}”")


def _gold_question(rec: dict, resolve) -> GoldQuestion:
    qid = rec.get("id")
    q = rec.get("q")
    if qid is None or str(qid).strip() == "":
        raise ValueError("缺少编号 id")
    if not isinstance(q, str) or not visible_text(q):
        raise ValueError("缺少问题 q")
    if len(q) > MAX_QUESTION_CHARS:
        raise ValueError(f"问题过长（{len(q)} 字，上限 {MAX_QUESTION_CHARS} 字）")
    answerable = _as_bool(rec.get("answerable"))
    qtype = str(rec.get("type") or ("fact" if answerable else "not_specified")).strip()
    if len(qtype) > MAX_TYPE_CHARS:
        raise ValueError(f"题型 type 过长（{len(qtype)} 字，上限 {MAX_TYPE_CHARS} 字）")
    pairs = _gold_clauses(rec.get("doc"), rec.get("evidence"), resolve)
    if answerable and not pairs:
        raise ValueError("可回答的问题需要填写 doc（文件）和 evidence（金标条款原文片段）")
    named = _split_list(rec.get("doc"))  # an unanswerable row may still name where it looked
    (doc, evidence), *also = pairs or [(resolve(named[0]) if named else "", "")]
    return GoldQuestion(
        id=str(qid).strip(), q=q.strip(), doc=doc, evidence=evidence, also=tuple(also),
        facts=_split_list(rec.get("facts")) + _split_list(rec.get("expected_answer")),
        answerable=answerable, type=qtype, history=_split_list(rec.get("history")),
        expected_verdicts=_verdicts(rec.get("expected_verdicts")),
        extra={k: v for k, v in rec.items() if k not in COLUMNS},
    )


def _gold_clauses(doc: Any, evidence: Any, resolve) -> list[tuple[str, str]]:
    """doc and evidence, each one value or several separated by "|": several evidences in one
    document, or one evidence per document, in the same order."""
    docs, evidences = [resolve(d) for d in _split_list(doc)], _split_list(evidence)
    if not evidences:
        return []
    if not docs:
        raise ValueError("填写了 evidence（金标条款原文片段）但缺少 doc（文件）")
    if len(docs) == 1:
        return [(docs[0], e) for e in evidences]
    if len(docs) != len(evidences):
        raise ValueError(f"doc 列出 {len(docs)} 份文件，evidence 却有 {len(evidences)} 段：应一一对应（用 | 分隔）")
    return list(zip(docs, evidences))


def shipped_gold_files() -> list[Path]:
    return sorted(p for p in GOLD_DIR.glob("*.jsonl") if p.name != "selfcheck.jsonl")


def shipped_gold_set() -> GoldSet:
    """All shipped question files as one set."""
    sets = [read_gold_set(p) for p in shipped_gold_files()]
    return GoldSet(tuple(q for s in sets for q in s.questions),
                   tuple(RowProblem(p.row, f"{s.source}：{p.message}") for s in sets for p in s.problems),
                   "evals/gold（随附金标集）")
