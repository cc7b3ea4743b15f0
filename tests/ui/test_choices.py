"""Pickers read on the server (ui/choices.py): the names people and API clients use, resolved
against the real library; anything else refused in Chinese, naming what can be chosen."""
import gradio as gr
import pytest

from ui import choices
from ui.choices import UnknownChoice, among


@pytest.mark.slow
@pytest.mark.parametrize("given, region", [("湖南", "湖南"), ("湖南省", "湖南"), ("hn-tic", "湖南"),
                                           ("广西壮族自治区", "广西"), ("玉林市", "广西"), ("", ""), ("全部地区", "")])
def test_a_region_by_any_of_its_names(real_retriever, given, region):
    assert choices.region_named(real_retriever, given) == region


@pytest.mark.slow
@pytest.mark.parametrize("given", ["hn-tic", "湖南省技术创新中心建设实施方案", "《湖南省技术创新中心建设实施方案》"])
def test_a_document_by_its_id_or_title(real_retriever, given):
    assert choices.document_named(real_retriever, given) == "hn-tic"


@pytest.mark.slow
def test_what_the_library_lacks_is_said_with_what_it_has(real_retriever):
    with pytest.raises(UnknownChoice, match="没有“上海”的文件，可选地区：.*湖南"):
        choices.region_named(real_retriever, "上海")
    with pytest.raises(UnknownChoice, match="没有“sh-tic”这份文件，可选：.*hn-tic"):
        choices.document_named(real_retriever, "sh-tic")


def test_fixed_choices_take_values_labels_and_aliases_and_say_the_rest_in_chinese():
    resolve = among([("是", "是"), ("否", "否")], {"true": "是"})
    assert resolve("是") == "是" and resolve("true") == "是"
    pick = choices.Pick(["是", "否"], aliases={"true": "是", "false": "否"}, label="是否独立法人", render=False)
    assert pick.preprocess("false") == "否"
    with pytest.raises(gr.Error, match="“是否独立法人”没有“也许”这一项，可选：是、否"):
        pick.preprocess("也许")
    assert pick.get_config()["label"] == "是否独立法人"  # a radio group's props, for the page


def test_the_eval_progress_says_its_phase_time_and_an_estimate():
    from ui.eval_tab import EvalProgress
    said, now = [], [0.0]
    shown = EvalProgress(lambda value, desc=None, unit=None: said.append((value, desc)), clock=lambda: now[0])
    now[0] = 30.0
    shown(10, 40, "评测本系统")
    now[0] = 150.0
    shown(30, 40, "基线：向量化 500 字切块")
    shown.last_phase("写出报告与图表")
    assert said[0] == ((10, 40), "第 1 阶段：评测本系统（已用 30 秒，约剩 1.5 分钟）")
    assert said[1] == ((30, 40), "第 2 阶段：基线：向量化 500 字切块（已用 2.5 分钟，约剩 50 秒）")
    assert said[2] == (None, "第 3 阶段：写出报告与图表（已用 2.5 分钟）")
