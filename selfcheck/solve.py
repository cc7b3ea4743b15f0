"""Arithmetic on a rule: "专家委员会15个人，最多能有几个是我们自己单位的？" is the largest count
that still meets "不超过总人数三分之一" — found by running the criterion itself on each
candidate count, so every operator and measure the engine knows is solved the same way."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from selfcheck.engine import assess_criterion
from selfcheck.figures import exact, to_plain
from selfcheck.model import Criterion, CriterionResult, ProgramRules

SEARCH_LIMIT = 10_000


@dataclass(frozen=True)
class Solution:
    field: str
    value: int | float | None       # None: no count meets the criterion
    most: bool                      # the largest count allowed (else the smallest required)
    criterion: CriterionResult      # the criterion judged at that count


def solve_count(rules: ProgramRules, criterion: Criterion, inputs: Mapping[str, Any], field: str,
                most: bool | None = None) -> Solution | None:
    """The largest (most=True) or smallest count of `field` meeting `criterion`, the other fields
    as given; None when the criterion needs another field the inputs lack or `field` is not a
    count. `most` defaults to the criterion's direction (at_most → largest)."""
    spec = rules.field(field)
    others = [k for k in criterion.fields if k != field]
    if spec.type != "integer" or field not in criterion.fields or any(inputs.get(k) is None for k in others):
        return None
    if most is None:
        most = any(t.operator in ("at_most", "less_than") for t in criterion.tests)
    # A part never exceeds its whole: search up to the largest count given, else a wide bound.
    given = [v for k, v in inputs.items() if isinstance(v, int) and not isinstance(v, bool)
             and rules.field(k).unit == spec.unit]
    limit = max(given) if given else SEARCH_LIMIT
    best = None  # the passing counts form one run (0…k under a cap, k… under a floor)
    for value in range(0, limit + 1):
        result = assess_criterion(criterion, rules, {**inputs, field: value})
        if result.status == "pass":
            best = Solution(field, value, most, result)
            if not most:
                break
        elif best is not None:
            break
    return best or Solution(field, None, most, assess_criterion(criterion, rules, {**inputs, field: limit}))


def solve(rules: ProgramRules, criterion: Criterion, inputs: Mapping[str, Any], field: str,
          most: bool | None = None) -> Solution | None:
    """The bound `criterion` puts on `field`: a count searched as above; an amount ("配套资金最少
    得投多少") read off its one comparison — the threshold, or the other field it is compared
    with when the inputs give it."""
    spec = rules.field(field)
    if spec.type == "integer":
        return solve_count(rules, criterion, inputs, field, most)
    tests = [t for t in criterion.tests if t.measure == "value" and t.fields == (field,)]
    if spec.type != "number" or len(criterion.tests) != 1 or len(tests) != 1:
        return None
    test = tests[0]
    if test.operator not in ("at_least", "at_most"):
        return None
    bound = inputs.get(test.threshold_field) if test.threshold_field else test.threshold
    if bound is None:
        return None
    value = to_plain(exact(bound))
    return Solution(field, value, test.operator == "at_most",
                    assess_criterion(criterion, rules, {**inputs, field: value}))
