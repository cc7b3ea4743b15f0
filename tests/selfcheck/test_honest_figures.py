"""What blind applicant profiles found: a failing ratio never reads as its threshold, a likely
unit slip is flagged, a ratio over zero says it cannot be computed, a "否" says what the document
asks, and a lead registered outside 广西 cannot leave every member registered inside."""
from __future__ import annotations

import pytest

from selfcheck import InconsistentInputError, evaluate


def test_a_failing_ratio_shows_enough_digits_to_differ_from_its_threshold():
    result = evaluate("gx-consortium", {"lead_rd_expense_3y_wan": 2999, "lead_sales_3y_wan": 100000}) \
        .criterion("lead_rd_expense")
    assert result.status == "fail"
    assert "2.999%" in result.actual and "3%（" not in result.actual
    assert "还差 0.001 个百分点" in result.gap and "还差 0 个百分点" not in result.gap


def test_an_amount_a_thousand_times_below_its_threshold_is_flagged_as_a_unit_slip():
    notes = evaluate("gx-consortium", {"lead_annual_revenue_wan": 8}).notes
    assert any("是否把单位填成了亿元" in n for n in notes)
    assert not any("亿元？" in n for n in evaluate("gx-consortium", {"lead_annual_revenue_wan": 80000}).notes)


def test_a_ratio_over_zero_sales_cannot_be_computed():
    result = evaluate("gx-consortium", {"lead_rd_expense_3y_wan": 2000, "lead_sales_3y_wan": 0}) \
        .criterion("lead_rd_expense")
    assert result.status == "unknown" and result.status_label == "无法计算"
    assert "无法计算比例（同期销售收入总额为 0）" in result.actual
    missing = evaluate("gx-consortium", {}).criterion("lead_rd_expense")
    assert missing.status_label == "待补充"  # nothing given is still to be filled in


def test_a_no_says_what_the_document_asks():
    result = evaluate("gx-consortium", {"lead_registered_in_guangxi": False}).criterion("lead_registered_in_guangxi")
    assert result.gap == "文件要求牵头单位在广西壮族自治区内注册，自评为“否”"


def test_a_lead_outside_guangxi_is_not_counted_among_members_registered_there():
    with pytest.raises(InconsistentInputError, match="应小于"):
        evaluate("gx-consortium", {"members_total": 8, "members_registered_in_guangxi": 8,
                                   "lead_registered_in_guangxi": False})
    assert evaluate("gx-consortium", {"members_total": 8, "members_registered_in_guangxi": 7,
                                      "lead_registered_in_guangxi": False}).verdict == "not_eligible"


def test_inputs_as_text_are_read_as_strictly_as_the_form():
    from selfcheck import InputError, InvalidValueError
    from selfcheck.input_text import parse_inputs_text

    values = parse_inputs_text("lead_registered_in_guangxi: yes\nmembers_total: 010\n", is_yaml=True)
    assert values == {"lead_registered_in_guangxi": "yes", "members_total": "010"}  # text, not True / 8
    with pytest.raises(InvalidValueError):
        evaluate("gx-consortium", values)
    for text, as_yaml in (("members_total: 8\nmembers_total: 9\n", True), ('{"members_total": 8, "members_total": 9}', False)):
        with pytest.raises(InputError, match="出现了两次") as caught:
            parse_inputs_text(text, is_yaml=as_yaml)
        assert caught.value.field == "members_total"
