"""Check an applicant's inputs before anything is scored.

Missing fields (absent or null) are allowed: the criteria that read them become `unknown`.
Everything else that is wrong stops the assessment with a typed InputError whose Chinese message
names the field by its label and key, says what is expected and what was received.
"""
from __future__ import annotations

import difflib
import math
from typing import Any, Mapping

from selfcheck.errors import (
    InconsistentInputError, InputError, InvalidValueError, UnknownFieldError,
)
from selfcheck.figures import exact, format_number, format_quantity
from selfcheck.model import Consistency, FieldSpec, ProgramRules
from selfcheck.operators import condition_holds


# Larger than any count, amount (万元) or share an applicant has. Beyond it a number is a typo
# or an attack: Python refuses to even print an int of more than 4300 digits.
MAX_MAGNITUDE = 10 ** 15


def _exponent(value: int | float) -> int:
    """The decimal exponent of a number, without converting a huge int to text."""
    if isinstance(value, int):
        return int((abs(value).bit_length() - 1) * math.log10(2))
    return int(math.log10(abs(value)))


def describe(value: Any) -> str:
    """How a received value is shown back in an error message."""
    if isinstance(value, bool):
        return f"布尔值 {'true' if value else 'false'}"
    if isinstance(value, str):
        return f"文本“{value[:50]}{'…' if len(value) > 50 else ''}”"
    if isinstance(value, float) and math.isnan(value):
        return "NaN（非数字）"
    if isinstance(value, float) and math.isinf(value):
        return "无穷大" if value > 0 else "负无穷大"
    if isinstance(value, (int, float)) and abs(value) > MAX_MAGNITUDE:
        return f"约 {'-' if value < 0 else ''}10^{_exponent(value)} 的数"
    if isinstance(value, (int, float)):
        return format_number(exact(value), places=6)
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


def _expected(spec: FieldSpec) -> str:
    if spec.type == "boolean":
        return "true（是）或 false（否）"
    if spec.type == "enum":
        return "以下之一：" + "、".join(f"{v}（{label}）" for v, label in spec.choices)
    kind = "整数" if spec.type == "integer" else "数字"
    return f"以{spec.unit}为单位的{kind}"


def _invalid(spec: FieldSpec, value: Any, extra: str = "") -> InvalidValueError:
    return InvalidValueError(spec.key, f"{spec.name}应为{_expected(spec)}，收到{describe(value)}{extra}")


def _looks_numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


def clean_number(spec: FieldSpec, value: Any) -> int | float:
    """A number within the field's range; ints for integer fields (8.0 → 8)."""
    if isinstance(value, str):
        hint = "（数字请不要加引号）" if _looks_numeric(value) else ""
        raise _invalid(spec, value, hint)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _invalid(spec, value)
    if isinstance(value, float) and not math.isfinite(value):
        raise _invalid(spec, value)
    if abs(value) > MAX_MAGNITUDE:
        raise InvalidValueError(spec.key, f"{spec.name}数值过大（超出合理范围），收到 {describe(value)}")
    if spec.type == "integer":
        if isinstance(value, float) and not value.is_integer():
            raise _invalid(spec, value)
        value = int(value)
    number = exact(value)
    if spec.minimum is not None and number < spec.minimum:
        words = "不能为负数" if number < 0 else f"不能小于 {format_quantity(spec.minimum, spec.unit)}"
        raise InvalidValueError(spec.key, f"{spec.name}{words}，收到 {describe(value)}")
    if spec.maximum is not None and number > spec.maximum:
        raise InvalidValueError(
            spec.key, f"{spec.name}不能大于 {format_quantity(spec.maximum, spec.unit)}，收到 {describe(value)}")
    return value


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """One value checked against its field; raises InvalidValueError."""
    if spec.type in ("integer", "number"):
        return clean_number(spec, value)
    if spec.type == "boolean":
        if not isinstance(value, bool):
            raise _invalid(spec, value)
        return value
    if not isinstance(value, str) or value not in dict(spec.choices):
        raise _invalid(spec, value)
    return value


def unknown_field(rules: ProgramRules, key: Any) -> UnknownFieldError | None:
    """The error for a key the programme does not use (with the closest field as a hint)."""
    known = rules.field_keys
    if key in known:
        return None
    close = difflib.get_close_matches(str(key), known, n=1)
    hint = f"是否想填写“{rules.field(close[0]).label}”（{close[0]}）？" if close else ""
    return UnknownFieldError(
        str(key), f"未知字段“{key}”：{rules.program.name}的自评不使用该字段。{hint}"
                  f"可用 --schema {rules.program.id} 查看全部字段")


def check_unknown_fields(rules: ProgramRules, inputs: Mapping[str, Any]) -> None:
    for key in inputs:
        error = unknown_field(rules, key)
        if error is not None:
            raise error


def check_consistency(rules: ProgramRules, rule: Consistency, values: Mapping[str, Any]) -> None:
    """Raise InconsistentInputError when valid values contradict each other. Checked only
    when every value it reads is given: a missing value contradicts nothing."""
    if rule.when and condition_holds(rule.when.op, values.get(rule.when.field), rule.when.value) is not True:
        return
    if any(values.get(k) is None for k in (*rule.fields, rule.other) if k):
        return
    specs = [rules.field(k) for k in rule.fields]
    total = sum(exact(values[k]) for k in rule.fields)
    reason = f"（{rule.reason}）" if rule.reason else ""
    if len(specs) == 1:
        subject = f"{specs[0].name}为 {describe(values[specs[0].key])}"
    else:
        subject = f"{'、'.join(s.name for s in specs)}合计 {format_number(total)}"
    if rule.op == "not_greater_than" and total > exact(values[rule.other]):
        other = rules.field(rule.other)
        raise InconsistentInputError(
            specs[0].key, f"{subject}，不能大于{other.name}（当前为 {describe(values[other.key])}）{reason}")
    if rule.op == "less_than" and total >= exact(values[rule.other]):
        other = rules.field(rule.other)
        raise InconsistentInputError(
            specs[0].key, f"{subject}，应小于{other.name}（当前为 {describe(values[other.key])}）{reason}")
    if rule.op == "at_least" and total < rule.value:
        raise InconsistentInputError(
            specs[0].key, f"{subject}，应至少为 {format_number(rule.value)}{reason}")


def input_problems(rules: ProgramRules, inputs: Any) -> tuple[dict[str, Any], list[InputError]]:
    """(the valid values, every problem at once): unknown fields, then each invalid value in
    schema order, then the contradictions among the valid values. A form shows them all."""
    if not isinstance(inputs, Mapping):
        return {}, [InputError(None, f"输入应为 JSON 对象（字段名: 值），收到{describe(inputs)}")]
    problems: list[InputError] = [e for e in (unknown_field(rules, k) for k in inputs) if e is not None]
    values: dict[str, Any] = {}
    for spec in rules.fields:
        if inputs.get(spec.key) is None:
            continue
        try:
            values[spec.key] = clean_value(spec, inputs[spec.key])
        except InputError as exc:
            problems.append(exc)
    for rule in rules.consistency:
        try:
            check_consistency(rules, rule, values)
        except InputError as exc:
            problems.append(exc)
    return values, problems


def validate_inputs(rules: ProgramRules, inputs: Any) -> dict[str, Any]:
    """The inputs, checked: only given (non-null) fields, in schema order; the first problem
    is raised (input_problems gives them all)."""
    values, problems = input_problems(rules, inputs)
    if problems:
        raise problems[0]
    return values
