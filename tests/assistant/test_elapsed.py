"""Time the asker states against the period a clause sets (assistant.elapsed): real figure reader,
real clause wording."""
from __future__ import annotations

from assistant.elapsed import deadline, elapsed, on_time

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


def test_a_year_end_is_the_end_of_december():
    found = elapsed("内蒙古技创中心2023年5月认定的，2024年底能参加运行绩效评价吗？", RUN_TWO_YEARS)
    assert found is not None and found.months == 19 and not found.met
    assert "2025年5月满两年" in found.headline()


YEARLY_SUMMARY = "获批建设的广西技术创新中心每年12月底须向牵头单位和自治区科技厅提交年度工作总结报告；自治区科技厅每年定期组织专家考核评价。"
YEARLY_REPORT = "设区市科技局组织示范区于每年1月底前向自治区科技厅及市人民政府报送示范区年度建设报告。"


def test_a_date_the_asker_names_is_judged_against_the_yearly_date_of_the_same_act():
    late = on_time("我们广西技创中心打算每年次年1月中旬再交年度总结报告，这样可以吗？", YEARLY_SUMMARY)
    assert late is not None and not late.met and late.headline().startswith("结论：不满足（次年1月中旬")
    after = on_time("我们示范区今年2月10日才把年度建设报告报上去，算按时吗？", YEARLY_REPORT)
    assert after is not None and not after.met
    within = on_time("我们示范区1月20日把年度建设报告报上去了，算按时吗？", YEARLY_REPORT)
    assert within is not None and within.met and within.headline().startswith("结论：满足")


def test_a_date_about_another_act_is_not_judged():
    assert on_time("我们3月份刚成立，可以申报吗？", YEARLY_REPORT) is None
    assert on_time("我们3月10日成立的公司，能牵头吗？", YEARLY_REPORT) is None  # shares no act with the clause


UPPER, LOWER = ("上限", "最晚"), ("最早",)


def test_a_deadline_takes_the_end_of_a_range_the_question_asks_for():
    clause = "示范区建设时间原则上为2—3年。"
    found = deadline("我们园区2023年5月获批建设，按建设时间的上限算，最晚到什么时候建完？", clause, WHEN, UPPER, LOWER)
    assert found is not None and found.headline().startswith("结论：2026年5月前") and "上限" in found.headline()
    assert deadline("我们园区2023年5月获批建设，什么时候建完？", clause, WHEN, UPPER, LOWER) is None  # which end?


def test_a_month_without_a_year_counts_within_its_year():
    found = deadline("今年6月年度考核结果是不合格，什么时候重新考核？", "对评价结果不合格的给予半年整改期。", WHEN)
    assert found is not None and found.headline().startswith("结论：当年12月前")
    assert deadline("2025年的事，今年6月考核不合格，什么时候重新考核？", "给予半年整改期。", WHEN) is None  # a year named apart


def test_the_report_on_a_year_is_due_at_the_clauses_yearly_date_once_that_year_is_over():
    from assistant.elapsed import yearly_due
    in_january = "设区市科技局组织示范区于每年1月底前向自治区科技厅报送示范区年度建设报告。建设期满后开展总结评估。"
    found = yearly_due("示范区2025年度建设报告最晚哪天要报？", in_january, WHEN)
    assert found is not None and found.headline().startswith("结论：2026年1月底前")
    at_year_end = "应当在每年12月31日前向推荐单位报送本年度的总结和下一年度工作计划。"
    assert yearly_due("2025年度总结最晚什么时候报？", at_year_end, WHEN).headline().startswith("结论：2025年12月31日前")
    assert yearly_due("2025年度总结要报吗？", at_year_end, WHEN) is None  # not asked when


def test_an_act_counted_from_a_month_is_due_at_the_first_yearly_date_after_it():
    from assistant.elapsed import yearly_due
    clause = "省技术创新中心实行年度报告制度。从批准组建次年开始，建设单位每年1月底前编写上年度工作总结报省科技厅。"
    found = yearly_due("2024年11月批准组建的，第一次年度报告最晚什么时候交？", clause, WHEN)
    assert found is not None and found.headline().startswith("结论：2025年1月底前")
    # a clause that excepts some months ("6月后批复的次年无需提交") is not read this way
    excepting = "每年3月底前提交上年度报告，对在6月后批复的技术创新中心，次年无需提交上年度报告。"
    assert yearly_due("2024年9月批复的，年度报告最晚什么时候交？", excepting, WHEN) is None


def test_a_conclusion_keeps_the_sentence_it_rests_on():
    clause = "开放运行时间为获得认定起始时间至评估通知发布之日。经确认组建的创新联合体每3年开展一次综合评估考核，其中，开放运行满3年的，必须参与评估。"
    found = elapsed("2021年6月获得认定，2024年9月发的评估通知，要参加吗？", clause)
    assert found is not None and found.met and found.sentence.endswith("开放运行满3年的，必须参与评估。")
    assert deadline("2024年11月公布，最晚什么时候整改完？", "评估等次为“整改”的，限1年的整改期。",
                    WHEN).sentence == "评估等次为“整改”的，限1年的整改期。"
