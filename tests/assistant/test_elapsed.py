"""Time the asker states against the period a clause sets (assistant.elapsed): real figure reader,
real clause wording."""
from __future__ import annotations

from assistant.elapsed import deadline, elapsed

WHEN = ("什么时候", "最晚")
RUN_TWO_YEARS = "定期组织开展技术创新中心运行绩效评价，一般为认定运行满两年后开展绩效评价。"


def test_months_short_of_the_period_are_not_met_with_the_gap():
    found = elapsed("我们2024年9月认定的，2026年6月可以参加绩效评价吗？", RUN_TWO_YEARS)
    assert found is not None and found.months == 21 and not found.met
    assert found.headline().startswith("结论：不满足") and "还差 3 个月" in found.headline()


def test_the_period_reached_exactly_is_met():
    found = elapsed("2021年1月认定，2023年1月能评价了吗", RUN_TWO_YEARS)
    assert found is not None and found.met and found.headline().startswith("结论：满足")


def test_a_period_said_as_not_reached_is_no_requirement():
    assert elapsed("2021年1月成立，2022年5月算不算", "实际经营期不满三年的按实际经营时间计算。") is None


def test_one_month_named_is_no_elapsed_time():
    assert elapsed("我们2024年9月认定的，可以参加绩效评价吗？", RUN_TWO_YEARS) is None


def test_a_deadline_is_the_month_named_plus_the_period_of_the_sentence_asked_about():
    clause = "每3年开展一次综合评估考核。评估等次为“整改”的，在评估等次公布后认真组织实施整改，限1年的整改期。"
    found = deadline("整改等次2024年11月公布，最晚什么时候整改完？", clause, WHEN)
    assert found is not None and found.headline().startswith("结论：2025年11月前")


def test_no_deadline_without_asking_when():
    assert deadline("整改等次2024年11月公布，要整改吗？", "限1年的整改期。", WHEN) is None
