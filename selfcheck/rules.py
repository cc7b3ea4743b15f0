"""Load corpus/rules/<program>.yaml into checked, frozen rules; the registry of programs.

The rules files are the single source of every "choose from" list: program ids, field keys,
enum values and their Chinese labels. A file that is malformed, refers to an unknown field or
value, or has drifted from the clause it cites (see citations.py) is refused with a RulesError.
"""
from __future__ import annotations

import hashlib
import re
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from corpus import CORPUS_DIR, document, load_documents
from selfcheck.citations import check_criterion, check_exception
from selfcheck.errors import RulesError, UnknownProgramError
from selfcheck.figures import is_money, parse_figure, unit_info
from selfcheck.model import (
    FIELD_TYPES, ClauseRef, Condition, Consistency, Criterion, ExceptionRule, FieldSpec,
    Program, ProgramRules, Test,
)
from selfcheck.operators import CONDITIONS, MEASURE_ARITY, MEASURE_OPERATORS

RULES_DIR = CORPUS_DIR / "rules"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_MEASURE_TYPES = {"value": ("integer", "number"), "ratio": ("integer", "number"),
                  "declared": ("boolean",), "choice": ("enum",)}
_KINDS = {"value": "quantitative", "ratio": "quantitative", "declared": "declared",
          "choice": "declared"}


class _Reader:
    """Parses one rules file; every complaint names the file and the rule."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.fields: dict[str, FieldSpec] = {}

    def fail(self, rule_id: str | None, message: str) -> RulesError:
        return RulesError(self.source, rule_id, message)

    def get(self, rec: Any, key: str, rule_id: str | None, kind: type = str) -> Any:
        """rec[key], required and of the given type."""
        if not isinstance(rec, dict):
            raise self.fail(rule_id, f"应为映射（key: value），读取“{key}”时遇到 {type(rec).__name__}")
        if key not in rec:
            raise self.fail(rule_id, f"缺少“{key}”")
        value = rec[key]
        if not isinstance(value, kind) or (kind is str and not value.strip()):
            raise self.fail(rule_id, f"“{key}”应为{_TYPE_WORDS.get(kind, kind.__name__)}")
        return value

    # ------------------------------------------------------------ fields

    def field_spec(self, rec: dict) -> FieldSpec:
        key = self.get(rec, "key", None)
        if not _KEY.match(key):
            raise self.fail(key, "字段名应为小写英文、数字和下划线")
        ftype = self.get(rec, "type", key)
        if ftype not in FIELD_TYPES:
            raise self.fail(key, f"字段类型“{ftype}”未知，可选：{'、'.join(FIELD_TYPES)}")
        unit = rec.get("unit")
        if ftype in ("integer", "number"):
            if not unit:
                raise self.fail(key, "数值字段必须写明单位（unit）")
            self.check_unit(unit, key)
        raw_choices = rec.get("choices") or ()
        choices = tuple(self.choice(c, key) for c in raw_choices)
        if (ftype == "enum") != bool(choices):
            raise self.fail(key, "只有 enum 字段有、且必须有选项（choices）")
        minimum = rec.get("minimum", 0 if ftype in ("integer", "number") else None)
        aggregate, counts_in = rec.get("aggregate", ""), rec.get("counts_in", "")
        if aggregate not in ("", "mean", "sum") or counts_in not in ("", "asker", "this"):
            raise self.fail(key, "aggregate 只能为 mean 或 sum，counts_in 只能为 asker 或 this")
        if (aggregate or counts_in) and ftype not in ("integer", "number"):
            raise self.fail(key, "aggregate、counts_in 只用于数值字段")
        maximum = rec.get("maximum")
        return FieldSpec(
            key=key, label=self.get(rec, "label", key), type=ftype, help=rec.get("help", ""),
            unit=unit, short=rec.get("short", ""), choices=choices,
            minimum=None if minimum is None else self.number(minimum, key),
            maximum=None if maximum is None else self.number(maximum, key),
            said_as=self.words(rec, "said_as", key), said_yes=self.words(rec, "said_yes", key),
            said_no=self.words(rec, "said_no", key), aggregate=aggregate, counts_in=counts_in,
            choices_said=tuple((str(c["value"]), self.words(c, "said_as", key)) for c in raw_choices
                               if c.get("said_as")),
        )

    def words(self, rec: dict, name: str, key: str) -> tuple[str, ...]:
        """A list of phrases (said_as, said_yes, said_no): non-empty strings."""
        value = rec.get(name) or []
        if not isinstance(value, list) or not all(isinstance(w, str) and w.strip() for w in value):
            raise self.fail(key, f"{name} 应为非空词语的列表")
        return tuple(w.strip() for w in value)

    def choice(self, rec: Any, key: str) -> tuple[str, str]:
        if not isinstance(rec, dict) or not {"value", "label"} <= set(rec) <= {"value", "label", "said_as"}:
            raise self.fail(key, "选项应写作 {value: …, label: …}（可加 said_as: [说法…]）")
        return str(rec["value"]), str(rec["label"])

    def check_unit(self, unit: str, rule_id: str) -> None:
        try:
            unit_info(unit)
        except ValueError as exc:
            raise self.fail(rule_id, str(exc)) from exc

    def number(self, value: Any, rule_id: str) -> Fraction:
        """A threshold as written in YAML: 8, 2.5 or "100/3"."""
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise self.fail(rule_id, f"“{value}”不是数字")
        try:
            return Fraction(str(value))
        except (ValueError, ZeroDivisionError) as exc:
            raise self.fail(rule_id, f"“{value}”不是数字") from exc

    def field_ref(self, key: Any, rule_id: str, types: tuple[str, ...] | None = None) -> FieldSpec:
        if key not in self.fields:
            raise self.fail(rule_id, f"引用了未定义的字段“{key}”")
        spec = self.fields[key]
        if types and spec.type not in types:
            raise self.fail(rule_id, f"字段“{key}”的类型 {spec.type} 不适用，应为 {'/'.join(types)}")
        return spec

    # ------------------------------------------------------------ conditions

    def condition(self, rec: Any, rule_id: str) -> Condition:
        if not isinstance(rec, dict) or "field" not in rec or len(rec) != 2:
            raise self.fail(rule_id, "条件应写作 {field: …, equals|in|at_least: …}")
        spec = self.field_ref(rec["field"], rule_id)
        (op, value), = ((k, v) for k, v in rec.items() if k != "field")
        if op not in CONDITIONS:
            raise self.fail(rule_id, f"条件运算“{op}”未知，可选：{'、'.join(CONDITIONS)}")
        if op == "in":
            value = tuple(value) if isinstance(value, list) else (value,)
        if op == "at_least":
            value = self.number(value, rule_id)
        self.check_values(spec, value if op == "in" else (value,), rule_id, op)
        return Condition(spec.key, op, value)

    def check_values(self, spec: FieldSpec, values: tuple, rule_id: str, op: str) -> None:
        """Enum values must come from the field's choices; booleans must be booleans."""
        if spec.type == "enum":
            unknown = [v for v in values if v not in dict(spec.choices)]
            if unknown:
                raise self.fail(rule_id, f"字段“{spec.key}”没有选项：{'、'.join(map(str, unknown))}")
        elif spec.type == "boolean" and (op != "equals" or not isinstance(values[0], bool)):
            raise self.fail(rule_id, f"布尔字段“{spec.key}”只能用 equals: true/false")

    def consistency(self, rec: Any) -> Consistency:
        """`field: a` or `fields: [a, b]` (summed), then `not_greater_than: c`, `less_than: c`
        or `at_least: n`."""
        if not isinstance(rec, dict):
            raise self.fail("consistency", "每条一致性检查应为映射")
        keys = rec.get("fields") or [rec.get("field")]
        specs = [self.field_ref(k, "consistency", ("integer", "number")) for k in keys]
        if len({s.unit for s in specs}) != 1:
            raise self.fail("consistency", "相加的字段单位须一致")
        when = self.condition(rec["when"], "consistency") if "when" in rec else None
        reason, fields = rec.get("reason", ""), tuple(s.key for s in specs)
        for op in ("not_greater_than", "less_than"):
            if op in rec:
                other = self.field_ref(rec[op], "consistency", ("integer", "number"))
                return Consistency(fields, op, other=other.key, when=when, reason=reason)
        if "at_least" in rec and len(fields) == 1:
            value = self.number(rec["at_least"], "consistency")
            return Consistency(fields, "at_least", value=value, when=when, reason=reason)
        raise self.fail("consistency", "一致性检查应有 not_greater_than、less_than，或对单个字段的 at_least")

    # ------------------------------------------------------------ criteria

    def test(self, rec: Any, rule_id: str, kind: str) -> Test:
        if not isinstance(rec, dict):
            raise self.fail(rule_id, "any_of 的每个分支应为映射")
        measure = rec.get("measure", "value" if kind == "quantitative" else "declared")
        if measure not in MEASURE_ARITY:
            raise self.fail(rule_id, f"计量方式“{measure}”未知，可选：{'、'.join(MEASURE_ARITY)}")
        if _KINDS[measure] != kind:
            raise self.fail(rule_id, f"计量方式 {measure} 与类别 {kind} 不符")
        keys = rec.get("fields")
        if not isinstance(keys, list) or len(keys) != MEASURE_ARITY[measure]:
            raise self.fail(rule_id, f"{measure} 需要 {MEASURE_ARITY[measure]} 个字段（fields）")
        specs = [self.field_ref(k, rule_id, _MEASURE_TYPES[measure]) for k in keys]
        operator = rec.get("operator", {"declared": "is_true", "choice": "one_of"}.get(measure))
        if operator not in MEASURE_OPERATORS[measure]:
            raise self.fail(rule_id, f"运算“{operator}”不适用于 {measure}，"
                                     f"可选：{'、'.join(sorted(MEASURE_OPERATORS[measure]))}")
        unit = "%" if measure == "ratio" else specs[0].unit
        if rec.get("unit", unit) != unit:
            raise self.fail(rule_id, f"阈值单位应为字段单位“{unit}”，原文单位写在 figure 中")
        threshold, threshold_field, figure = self.threshold(rec, rule_id, measure, specs, operator)
        return Test(
            measure=measure, operator=operator, fields=tuple(keys),
            subject=rec.get("subject") or self.subject(measure, specs), threshold=threshold,
            threshold_field=threshold_field, unit=unit, figure=figure,
            display_unit=self.display_unit(figure, unit, rule_id),
            plus=int(rec.get("plus", 0)), plus_label=rec.get("plus_label", ""),
            strictness=self.strictness(rec, rule_id) if "strictness" in rec else None,
        )

    def threshold(self, rec: dict, rule_id: str, measure: str, specs: list[FieldSpec],
                  operator: str) -> tuple[Any, str | None, str | None]:
        if measure == "declared":
            return True, None, None
        if measure == "choice":
            values = tuple(rec.get("threshold") or ())
            self.check_values(specs[0], values, rule_id, "in")
            if not values:
                raise self.fail(rule_id, "choice 需要可接受的选项（threshold）")
            return values, None, None
        if "threshold_field" in rec:
            other = self.field_ref(rec["threshold_field"], rule_id, ("integer", "number"))
            if measure != "value" or other.unit != specs[0].unit:
                raise self.fail(rule_id, "threshold_field 须为同单位的数值字段")
            return None, other.key, None
        figure = rec.get("figure")
        if not isinstance(figure, str) or "threshold" not in rec:
            raise self.fail(rule_id, "量化规则须写明 threshold 与原文数字 figure")
        raw = rec["threshold"]
        if operator == "between":
            if not isinstance(raw, list) or len(raw) != 2:
                raise self.fail(rule_id, "between 的 threshold 应为 [下限, 上限]")
            return tuple(self.number(v, rule_id) for v in raw), None, figure
        return self.number(raw, rule_id), None, figure

    def display_unit(self, figure: str | None, unit: str, rule_id: str) -> str:
        """Money is shown in the figure's own unit (10亿元 → gaps in 亿元); all else in the
        threshold's unit."""
        if not figure:
            return unit
        try:
            written = parse_figure(figure).unit
        except ValueError as exc:
            raise self.fail(rule_id, f"原文数字“{figure}”无法解析：{exc}") from exc
        return written if is_money(written) else unit

    def subject(self, measure: str, specs: list[FieldSpec]) -> str:
        if measure == "ratio":
            return f"{specs[0].brief}占{specs[1].brief}的比例"
        return specs[0].brief

    def strictness(self, rec: dict, rule_id: str) -> str:
        value = self.get(rec, "strictness", rule_id)
        if value not in ("hard", "in_principle"):
            raise self.fail(rule_id, "strictness 应为 hard 或 in_principle")
        return value

    def criterion(self, rec: dict) -> Criterion:
        rule_id = self.get(rec, "id", None)
        if not _KEY.match(rule_id):
            raise self.fail(rule_id, "规则 id 应为小写英文、数字和下划线")
        kind = self.get(rec, "kind", rule_id)
        if kind not in ("quantitative", "declared"):
            raise self.fail(rule_id, "kind 应为 quantitative 或 declared")
        branches = rec.get("any_of") or [rec]
        if "any_of" in rec and (not isinstance(rec["any_of"], list) or len(branches) < 2):
            raise self.fail(rule_id, "any_of 至少要有两个分支")
        cite = self.get(rec, "citation", rule_id, dict)
        return Criterion(
            id=rule_id, title=self.get(rec, "title", rule_id), kind=kind,
            strictness=self.strictness(rec, rule_id),
            tests=tuple(self.test(b, rule_id, kind) for b in branches),
            citation=ClauseRef(self.get(cite, "doc", rule_id), self.get(cite, "clause", rule_id)),
            quote=self.get(rec, "quote", rule_id),
            applies_when=self.condition(rec["applies_when"], rule_id) if "applies_when" in rec else None,
            required=rec.get("required"), description=rec.get("description", ""),
        )


_TYPE_WORDS = {str: "非空文本", dict: "映射（key: value）", list: "列表"}


def _check_coverage(reader: _Reader, criteria: tuple[Criterion, ...]) -> None:
    """Every field is read by some rule, and rule ids are unique: no dead or doubled entries."""
    ids = [c.id for c in criteria]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise reader.fail(dupes[0], "规则 id 重复")
    used = {k for c in criteria for k in c.fields}
    used |= {c.applies_when.field for c in criteria if c.applies_when}
    unused = [k for k in reader.fields if k not in used]
    if unused:
        raise reader.fail(None, f"字段未被任何规则使用：{'、'.join(unused)}")


def parse_rules(data: Any, source: str, digest: str = "") -> ProgramRules:
    """Rules from parsed YAML, checked against the corpus. Raises RulesError."""
    reader = _Reader(source)
    if not isinstance(data, dict):
        raise reader.fail(None, "规则文件应为映射")
    head = reader.get(data, "program", None, dict)
    program_id = reader.get(head, "id", None)
    try:
        doc = document(program_id)
    except KeyError as exc:
        raise reader.fail(None, f"项目 id“{program_id}”不是语料中的文件 id") from exc
    program = Program(program_id, reader.get(head, "name", None), doc.id, doc.title,
                      doc.status, doc.region)
    consistency, criteria = _fields_and_criteria(reader, data, source)
    limits = None
    if data.get("limits"):
        part = _Reader(f"{source}#limits")
        limit_consistency, limit_criteria = _fields_and_criteria(part, reader.get(data, "limits", None, dict), part.source)
        limits = ProgramRules(program, tuple(part.fields.values()), limit_consistency, limit_criteria, None,
                              part.source, digest, of_limits=True)
    exception = None
    if data.get("exception"):
        rec = reader.get(data, "exception", None, dict)
        exception = ExceptionRule(reader.get(rec, "clause", "exception"),
                                  reader.get(rec, "quote", "exception"),
                                  reader.get(rec, "message", "exception"))
        check_exception(exception, doc.id, source)
    return ProgramRules(program, tuple(reader.fields.values()), consistency, criteria,
                        exception, source, digest, limits)


def _fields_and_criteria(reader: _Reader, data: dict, source: str) -> tuple[tuple[Consistency, ...], tuple[Criterion, ...]]:
    """One set of fields and the criteria on them (the file's, or its `limits` section's)."""
    for rec in reader.get(data, "fields", None, list):
        spec = reader.field_spec(rec)
        if spec.key in reader.fields:
            raise reader.fail(spec.key, "字段重复")
        reader.fields[spec.key] = spec
    consistency = tuple(reader.consistency(r) for r in data.get("consistency") or ())
    criteria = tuple(reader.criterion(r) for r in reader.get(data, "criteria", None, list))
    _check_coverage(reader, criteria)
    for criterion in criteria:
        check_criterion(criterion, source)
    return consistency, criteria


def load_rules_file(path: Path) -> ProgramRules:
    """Read and check one rules file."""
    raw = path.read_bytes()
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise RulesError(path.name, None, f"不是合法的 YAML：{exc}") from exc
    rules = parse_rules(data, path.name, hashlib.sha256(raw).hexdigest()[:12])
    if rules.program.id != path.stem:
        raise RulesError(path.name, None, f"文件名应与项目 id“{rules.program.id}”一致")
    return rules


def program_ids() -> list[str]:
    """Ids of the programs that have a rules file, in corpus document order."""
    present = {p.stem for p in RULES_DIR.glob("*.yaml")}
    return [d.id for d in load_documents() if d.id in present]


def load_program(program_id: str) -> ProgramRules:
    """The checked rules of one program. Raises UnknownProgramError."""
    if not isinstance(program_id, str) or program_id not in program_ids():
        raise UnknownProgramError(str(program_id), program_ids())
    return _load_cached(program_id)


@lru_cache(maxsize=None)
def _load_cached(program_id: str) -> ProgramRules:
    """Rules are immutable and checking them against the corpus is the costly part: once."""
    return load_rules_file(RULES_DIR / f"{program_id}.yaml")


def list_programs() -> list[Program]:
    """Every self-assessable program, in corpus order."""
    return [load_program(pid).program for pid in program_ids()]
