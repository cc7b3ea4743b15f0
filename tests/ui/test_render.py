"""What the web page shows, as pure functions: answers with sources, criteria tables, the
self-assessment form's values, the API's Chinese validation messages."""
import pytest

from assistant import Answer, Citation
from ingest.model import Clause
from selfcheck import evaluate, schema
from ui.render import answer_messages, clause_tree_markdown, criteria_rows, metrics_rows, user_message, verdict_markdown
from ui.selfcheck_tab import form_values, typed_number


def _clause(path="第五条（二）1", text="年主营业务收入原则上应达到10亿元以上。", breadcrumb=("第2章 组建",)):
    return Clause(id="x" + path, doc_id="gx-consortium", doc_title="广西壮族自治区创新联合体管理办法（试行）",
                  short_title="广西创新联合体", region="广西", doc_type="创新联合体", path=path, text=text,
                  heading="", breadcrumb=breadcrumb, level="l3", seq=1, part=0)


def test_answer_then_each_cited_clause_as_a_collapsed_source():
    clause = _clause()
    answer = Answer("营收要多少？", "年主营业务收入原则上应达到10亿元以上。[1]", (Citation(1, clause),))
    main, source = answer_messages(answer)
    assert main == {"role": "assistant", "content": "年主营业务收入原则上应达到10亿元以上。[1]"}
    assert source["metadata"] == {"title": "[1] 《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1", "status": "done"}
    assert source["content"] == clause.text


def test_a_source_that_is_a_lure_says_so_in_its_title():
    lure = _clause("第二条", "申领前请先访问 http://evil.example/apply 缴纳服务费200元。")
    _, source = answer_messages(Answer("怎么申领？", "…[1]", (Citation(1, lure),)))
    assert source["metadata"]["title"].endswith("（⚠ 本条含有缴费/链接要求，请向发文机关核实）")
    assert source["content"] == lure.text


def test_refusal_is_labelled_and_lists_the_nearest_clauses():
    answer = Answer("建设经费多少？", "现有政策文件未作规定。", refused=True, refusal="not_specified",
                    related=(_clause(),))
    main, related = answer_messages(answer)
    assert main["content"].startswith("**文件未作规定**")
    assert related["metadata"]["title"].startswith("可能相关：《广西")


def test_html_typed_by_a_user_is_shown_as_text():
    assert user_message("<script>alert(1)</script>")["content"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    answer = Answer("<img src=x onerror=alert(1)>", "现有政策文件未涉及这个问题。", refused=True, refusal="out_of_scope",
                    resolved_question="<b>x</b>")
    assert "<b>" not in answer_messages(answer)[0]["content"]


def test_criteria_table_has_status_gap_and_clause():
    assessment = evaluate("gx-consortium", {"members_total": 9, "lead_annual_revenue_wan": 80000})
    rows = {row[1]: row for row in criteria_rows(assessment)}
    revenue = next(r for title, r in rows.items() if "收入" in title)
    assert revenue[0] == "✘ 未通过" and "2" in revenue[4] and "亿元" in revenue[4]
    assert revenue[5] == "《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1"
    assert rows["组成单位数量"][0] == "✔ 通过"
    assert "不符合条件" in verdict_markdown(assessment) and "1/" in verdict_markdown(assessment)
    assert f"**未满足**：{revenue[1]}" in verdict_markdown(assessment)  # named; bold closes before the colon (CommonMark)


def test_form_values_become_the_engine_input():
    props = schema("gx-consortium")["properties"]
    keys = list(props)
    values = {k: None for k in keys}
    values.update({"members_total": "9", "lead_is_enterprise": "true", "lead_registered_in_guangxi": "false",
                   "lead_annual_revenue_wan": " 1,200.5 ", "members_enterprises": ""})
    out = form_values(props, [values[k] for k in keys])
    assert out == {"members_total": 9, "lead_is_enterprise": True, "lead_registered_in_guangxi": False,
                   "lead_annual_revenue_wan": 1200.5}


@pytest.mark.parametrize("typed, value", [("12", 12), ("3.5", 3.5), ("1,200", 1200), ("十个", "十个"),
                                          ("12.0", 12.0), ("-3", -3)])
def test_typed_number(typed, value):
    assert typed_number(typed) == value and type(typed_number(typed)) is type(value)


def test_form_errors_name_the_field_in_chinese():
    from selfcheck import InvalidValueError
    props = schema("gx-consortium")["properties"]
    with pytest.raises(InvalidValueError) as exc:
        evaluate("gx-consortium", form_values(props, ["十个"] + [None] * (len(props) - 1)))
    assert exc.value.field == list(props)[0] and "组成单位总数" in exc.value.message


def test_clause_tree_indents_by_depth_and_heads_sections():
    tree = clause_tree_markdown([_clause("第五条", "创新联合体应当具备以下基本条件："),
                                 _clause("第五条（二）1", breadcrumb=("第2章 组建", "第五条【组建条件】", "（二）"))])
    assert tree.startswith("#### 第2章 组建")
    assert "\n\n&emsp;&emsp;**第五条（二）1**" in tree


def test_metrics_beside_the_baseline():
    rows = metrics_rows({"hit@1": 0.9, "hit@5": 1.0, "n": 3}, {"hit@1": 0.5})
    assert rows[0] == ["条款命中 hit@1", "0.900", "0.500"]
    assert rows[1] == ["条款命中 hit@5", "1.000", "—"]
