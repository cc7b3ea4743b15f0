"""Score an applicant against every criterion of a program, deterministically.

No model, no retrieval: each criterion is a lookup in the operator tables (operators.py) over
validated inputs (inputs.py), and every step is written to the criterion's audit trail.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from typing import Any, Mapping

from selfcheck.citations import resolve
from selfcheck.figures import exact, format_number, is_money
from selfcheck.errors import InputError
from selfcheck.inputs import input_problems, validate_inputs
from selfcheck.model import (
    Assessment, Citation, ClauseRef, Condition, Criterion, CriterionResult, ExceptionHint,
    ProgramRules, Test,
)
from selfcheck.operators import COMPARATORS, MEASURES, condition_holds
from selfcheck.rules import load_program
from selfcheck.wording import actual_text, figure_text, gap_of, requirement_text, value_text

DISCLAIMER = ("本结果依据申报单位自填信息逐条比对文件条款得出，仅供申报前自查参考，"
              "不代表主管部门的审核或认定结论。")


@dataclass(frozen=True)
class Outcome:
    """The result of one test (one OR branch), before it is folded into a criterion."""

    status: str
    actual: str | None = None
    gap: str | None = None
    gap_amount: int | float | None = None
    gap_unit: str | None = None
    missing: tuple[str, ...] = ()
    note: str | None = None
    trail: tuple[str, ...] = ()
    incalculable: bool = False       # every value given, but the measure is undefined (÷ 0)


@lru_cache(maxsize=None)
def cited(ref: ClauseRef) -> Citation:
    """The cited clause (rules are checked at load, so it always resolves here)."""
    citation = resolve(ref)
    assert citation is not None, ref
    return citation


def _names(rules: ProgramRules, keys: tuple[str, ...]) -> str:
    return "、".join(rules.field(k).said for k in keys)


def _reads(rules: ProgramRules, test: Test, inputs: Mapping[str, Any]) -> tuple[str, ...]:
    keys = (*test.fields, *((test.threshold_field,) if test.threshold_field else ()))
    return tuple(f"读取 {k} = {value_text(inputs[k], rules.field(k))}" for k in keys)


def run_test(test: Test, rules: ProgramRules, inputs: Mapping[str, Any], in_principle: bool) -> Outcome:
    """Measure, compare, and explain one test."""
    measured = MEASURES[test.measure](inputs, test.fields, test.plus)
    missing = measured.missing + tuple(
        k for k in (test.threshold_field,) if k and inputs.get(k) is None and k not in measured.missing)
    if missing:
        return Outcome("unknown", missing=missing, note=f"未填写：{_names(rules, missing)}",
                       trail=(f"缺少 {'、'.join(missing)} → 无法判断",))
    if measured.undefined:
        spec = rules.field(measured.undefined)
        words = f"无法计算比例（{spec.brief}为 0）"
        return Outcome("unknown", actual=words, note=words, incalculable=True,
                       trail=(*_reads(rules, test, inputs), "分母为 0 → 无法判断"))
    threshold = exact(inputs[test.threshold_field]) if test.threshold_field else test.threshold
    passed = COMPARATORS[test.operator].passes(measured.value, threshold)
    actual = actual_text(test, rules, inputs, measured.value)
    required = requirement_text(test, rules, in_principle)
    trail = [*_reads(rules, test, inputs)]
    if test.measure == "ratio":
        trail.append(f"计算 {test.fields[0]} ÷ {test.fields[1]} × 100 = {format_number(measured.value)}%")
    if test.plus:
        trail.append(f"计算 {test.fields[0]} + {test.plus}（{test.plus_label}）= {format_number(measured.value)}")
    trail.append(f"比较：{actual}；要求 {required} → {'满足' if passed else '不满足'}")
    if passed:
        return Outcome("pass", actual=actual, trail=tuple(trail))
    gap, amount, unit = gap_of(test, rules, inputs, measured.value)
    return Outcome("fail", actual=actual, gap=gap, gap_amount=amount, gap_unit=unit,
                   trail=tuple(trail))


def fold(outcomes: list[Outcome]) -> str:
    """OR semantics: one pass suffices; otherwise any undecided branch leaves it undecided."""
    statuses = {o.status for o in outcomes}
    return "pass" if "pass" in statuses else "unknown" if "unknown" in statuses else "fail"


def condition_text(rules: ProgramRules, cond: Condition) -> str:
    spec = rules.field(cond.field)
    if cond.op == "in":
        return f"{spec.label}为{'或'.join(spec.choice_label(v) for v in cond.value)}"
    if cond.op == "at_least":
        return f"{spec.label}不少于 {format_number(cond.value)} {spec.unit}"
    return f"{spec.label}为{value_text(cond.value, spec)}"


NO_EXCEPTION = "本文件未规定“一事一议”等例外程序，能否放宽请向主管部门咨询。"


def exception_hint(rules: ProgramRules) -> ExceptionHint:
    """What a failed 原则上 criterion may still have: the document's 一事一议 clause, if any."""
    rule = rules.exception
    if rule is None:
        return ExceptionHint(f"本条为“原则上”要求；{NO_EXCEPTION}")
    citation = cited(ClauseRef(rules.program.doc_id, rule.clause_path))
    return ExceptionHint(f"本条为“原则上”要求，{rule.message}", citation)


def _result(c: Criterion, rules: ProgramRules, status: str, required: str, **kw: Any) -> CriterionResult:
    return CriterionResult(id=c.id, title=c.title, kind=c.kind, status=status,
                           strictness=c.strictness, fields=c.fields, required=required,
                           citation=cited(c.citation), **kw)


def is_soft(c: Criterion, t: Test) -> bool:
    """Whether a test is worded 原则上: its own strictness in an OR, else the criterion's."""
    return (t.strictness or c.strictness) == "in_principle"


def required_text(c: Criterion, rules: ProgramRules) -> str:
    if c.required:
        return c.required
    return "；或 ".join(requirement_text(t, rules, is_soft(c, t)) for t in c.tests)


_DECIDED = {"pass": "满足", "fail": "不满足", "unknown": "无法判断"}


def applicability(c: Criterion, rules: ProgramRules, inputs: Mapping[str, Any]
                  ) -> tuple[str | None, str | None, str | None]:
    """(status, note, trail line) from `applies_when`: status None means "score it"; otherwise
    the criterion stops as `unknown` (condition field missing) or `not_applicable`."""
    cond = c.applies_when
    if cond is None:
        return None, None, None
    scope = condition_text(rules, cond)
    holds = condition_holds(cond.op, inputs.get(cond.field), cond.value)
    if holds is None:
        return ("unknown", f"本条仅在{scope}时适用；请先填写{rules.field(cond.field).said}",
                f"缺少 {cond.field} → 无法确定是否适用")
    if not holds:
        shown = value_text(inputs[cond.field], rules.field(cond.field))
        return ("not_applicable", f"本条仅在{scope}时适用（当前：{shown}）",
                f"适用条件：{scope} → 不适用（当前：{shown}）")
    return None, None, f"适用条件：{scope} → 适用"


def branch_trail(outcomes: list[Outcome], status: str) -> list[str]:
    """One test's steps as they are; an OR's steps per branch, then how they combine."""
    if len(outcomes) == 1:
        return list(outcomes[0].trail)
    lines = [f"分支{i}：{line}" for i, o in enumerate(outcomes, 1) for line in o.trail]
    return lines + [f"任一分支满足即可 → {_DECIDED[status]}"]


def assess_criterion(c: Criterion, rules: ProgramRules, inputs: Mapping[str, Any]) -> CriterionResult:
    """One criterion: applicability first, then its test(s), folded with OR."""
    required = required_text(c, rules)
    stop, note, gate = applicability(c, rules, inputs)
    if stop:
        return _result(c, rules, stop, required, note=note, trail=(gate,))
    outcomes = [run_test(t, rules, inputs, is_soft(c, t)) for t in c.tests]
    status = fold(outcomes)
    failed = status == "fail"
    single = outcomes[0] if len(outcomes) == 1 else None
    return _result(
        c, rules, status, required,
        actual="；".join(o.actual for o in outcomes if o.actual) or None,
        gap="；或 ".join(o.gap for o in outcomes if o.gap) if failed else None,
        gap_amount=single.gap_amount if single and failed else None,
        gap_unit=single.gap_unit if single and failed else None,
        note="；".join(o.note for o in outcomes if o.note) if status == "unknown" else None,
        incalculable=status == "unknown" and all(o.incalculable for o in outcomes if o.status == "unknown"),
        exception=exception_hint(rules) if failed and c.strictness == "in_principle" else None,
        trail=tuple(([gate] if gate else []) + branch_trail(outcomes, status)),
    )


def verdict_of(results: tuple[CriterionResult, ...]) -> str:
    statuses = {r.status for r in results}
    return "not_eligible" if "fail" in statuses else "incomplete" if "unknown" in statuses else "eligible"


def missing_fields(rules: ProgramRules, results: tuple[CriterionResult, ...],
                   inputs: Mapping[str, Any]) -> tuple[str, ...]:
    """Fields whose absence left a criterion undecided, in schema order."""
    needed: set[str] = set()
    by_id = {c.id: c for c in rules.criteria}
    for r in (r for r in results if r.status == "unknown"):
        c = by_id[r.id]
        if c.applies_when and inputs.get(c.applies_when.field) is None:
            needed.add(c.applies_when.field)  # its own fields matter only once it applies
        else:
            needed |= {k for k in c.fields if inputs.get(k) is None}
    return tuple(k for k in rules.field_keys if k in needed)


def notes_for(rules: ProgramRules, results: tuple[CriterionResult, ...], verdict: str,
              missing: tuple[str, ...]) -> tuple[str, ...]:
    notes = []
    failed = [r for r in results if r.status == "fail"]
    if failed and all(r.strictness == "in_principle" for r in failed):
        rule = rules.exception
        hint = f"{rule.message.rstrip('。')}（见{rule.clause_path}）。" if rule else NO_EXCEPTION
        notes.append(f"未满足的条件均为“原则上”要求，{hint}")
    if missing and verdict in ("incomplete", "not_eligible"):
        labels = "；".join(rules.field(k).label for k in missing)
        notes.append(f"尚有 {len(missing)} 项信息未填写，相关条件标为“待补充”：{labels}。")
    elif verdict == "incomplete":  # every field given, yet a criterion cannot be decided (e.g. a zero denominator)
        notes.append("有条件无法根据所填数据判定（如比例的分母为 0），相关条件标为“无法计算”，请核对所填数值。")
    if rules.program.doc_status != "印发":
        notes.append(f"依据文件为{rules.program.doc_status}，正式发布时条件可能调整。")
    notes.append(DISCLAIMER)
    return tuple(notes)


SLIP_FACTOR = 1000  # an amount this many times below its threshold was probably typed in 亿元


def unit_slips(rules: ProgramRules, inputs: Mapping[str, Any]) -> list[str]:
    """"8" in a 万元 field against "10亿元以上" is most likely 8 亿元 typed in the wrong unit."""
    notes = []
    for c in rules.criteria:
        for t in c.tests:
            key = t.fields[0] if t.measure == "value" and t.fields else None
            value = inputs.get(key) if key else None
            if value is None or not isinstance(t.threshold, Fraction) or not is_money(rules.field(key).unit or ""):
                continue
            if 0 < exact(value) * SLIP_FACTOR <= t.threshold:
                spec = rules.field(key)
                notes.append(f"{spec.said}填写为 {value_text(value, spec)}，而要求为{figure_text(t.figure)}："
                             f"是否把单位填成了亿元？金额请以{spec.unit}为单位填写。")
    return list(dict.fromkeys(notes))


def assess(rules: ProgramRules, inputs: Any) -> Assessment:
    """Validate, then score every criterion. Raises InputError before anything is scored."""
    clean = validate_inputs(rules, inputs)
    results = tuple(assess_criterion(c, rules, clean) for c in rules.criteria)
    verdict = verdict_of(results)
    missing = missing_fields(rules, results, clean)
    return Assessment(
        program=rules.program, verdict=verdict,
        passed=sum(r.status == "pass" for r in results),
        applicable=sum(r.status != "not_applicable" for r in results),
        criteria=results, inputs=tuple(clean.items()), missing=missing,
        notes=tuple(unit_slips(rules, clean)) + notes_for(rules, results, verdict, missing),
        rules_digest=rules.digest,
    )


def evaluate(program_id: str, inputs: Mapping[str, Any]) -> Assessment:
    """Score `inputs` against the rules of `program_id` (see list_programs for the ids)."""
    return assess(load_program(program_id), inputs)


def problems(program_id: str, inputs: Mapping[str, Any]) -> list[InputError]:
    """Every problem of `inputs` at once (evaluate raises the first): for a form to mark
    each wrong field in one go."""
    return input_problems(load_program(program_id), inputs)[1]


def with_pending(assessment: Assessment, pending: Mapping[str, str]) -> Assessment:
    """The assessment with each criterion whose cited clause has since been revised (criterion
    id → what changed, evals/impact.py) marked 待更新: its rule still follows the old text until
    an administrator updates the rules file."""
    if not pending:
        return assessment
    marked = tuple(replace(c, note="；".join(x for x in (f"待更新：{pending[c.id]}", c.note) if x))
                   if c.id in pending else c for c in assessment.criteria)
    return replace(assessment, criteria=marked)
