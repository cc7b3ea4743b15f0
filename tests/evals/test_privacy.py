"""Masking personal data in exported questions (golden table as data), and a property test: a
phone number, ID number, credit code or e-mail typed any way — full-width, 中文数字, spaced,
dotted, lower-case, (at) — is masked inside any question, and nothing else is."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evals.privacy import mask_personal


@pytest.mark.parametrize("raw, masked", [
    ("我电话13812345678，营收8亿能牵头吗", "我电话【手机号】，营收8亿能牵头吗"),
    ("手机 +86 138-1234-5678 联系", "手机 【手机号】 联系"),
    ("座机0771-5551234", "座机【电话】"),
    ("身份证110105199003071234，我是法人", "身份证【身份证号】，我是法人"),
    ("身份证11010519900307123X", "身份证【身份证号】"),
    ("我们的信用代码91450100MA5KXXXX1Y", "我们的信用代码【统一社会信用代码】"),
    ("发到 zhang.san@example.com.cn 吧", "发到 【邮箱】 吧"),
    # the variants issue 28 found leaking
    ("手机１３８１２３４５６７８，营收8亿", "手机【手机号】，营收8亿"),
    ("手机一三八一二三四五六七八，营收8亿", "手机【手机号】，营收8亿"),
    ("电话138.1234.5678", "电话【手机号】"),
    ("座机(0771)5551234", "座机【电话】"),
    ("座机（0771）555-1234", "座机【电话】"),
    ("身份证 110105 19900307 1234 请核对", "身份证 【身份证号】 请核对"),
    ("身份证11010519900307123x", "身份证【身份证号】"),
    ("邮箱 zhang(at)example.com", "邮箱 【邮箱】"),
    ("邮箱 zhang＠example.com", "邮箱 【邮箱】"),
    ("邮箱 zhang@例子.中国吧", "邮箱 【邮箱】吧"),
    ("代码91450100ma5kxxxx1y", "代码【统一社会信用代码】"),
    ("代码 9145 0100 MA5K XXXX 1Y。", "代码 【统一社会信用代码】。"),
    ("回款账号6222 0210 0112 3456 789", "回款账号【银行账号】"),
    # figures of an ordinary question stay
    ("牵头企业营收要达到10亿元以上吗？近3年研发投入3%", "牵头企业营收要达到10亿元以上吗？近3年研发投入3%"),
    ("2023年营收120000万元", "2023年营收120000万元"),
    ("2021-2023年营收分别为1.2亿、1.5亿、1.8亿", "2021-2023年营收分别为1.2亿、1.5亿、1.8亿"),
    ("二〇二三年营收三千万，统一社会信用代码要填吗", "二〇二三年营收三千万，统一社会信用代码要填吗"),
    ("", ""),
    (None, None),
])
def test_masking(raw, masked):
    assert mask_personal(raw) == masked


# ---- property: any typing of a number is masked ---------------------------------------------
FULL_WIDTH = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")
CHINESE = str.maketrans("0123456789", "〇一二三四五六七八九")
SEPARATORS = ["", " ", "-", ".", " - ", "·", "—"]
BEFORE = ["我的", "我电话是", "联系人王经理 ", "请打", "填的是：", "营收8亿，"]
AFTER = ["", "，谢谢", "吧", " 能申报吗？", "。营收8亿能牵头吗"]

digits = st.sampled_from("0123456789")


def _number(draw, *parts: str, chinese: bool = True) -> str:
    """Digit groups joined by one separator, then written in one width or in Chinese digits."""
    sep = draw(st.sampled_from(SEPARATORS))
    text = sep.join(parts)
    style = draw(st.sampled_from(["ascii", "full", "chinese"] if chinese else ["ascii", "full"]))
    return text.translate(FULL_WIDTH) if style == "full" else text.translate(CHINESE) if style == "chinese" else text


def _digits(draw, n: int, first: str = "0123456789") -> str:
    return draw(st.sampled_from(first)) + "".join(draw(digits) for _ in range(n - 1))


@st.composite
def mobiles(draw):
    number = "1" + draw(st.sampled_from("3456789")) + _digits(draw, 9)
    groups = draw(st.sampled_from([(number,), (number[:3], number[3:7], number[7:])]))
    prefix = draw(st.sampled_from(["", "+86 ", "+86-", "(+86)"]))
    return prefix + _number(draw, *groups), "手机号"


@st.composite
def landlines(draw):
    area = "0" + _digits(draw, draw(st.sampled_from([2, 3])), "123456789")
    local = _digits(draw, draw(st.sampled_from([7, 8])), "23456789")
    form = draw(st.sampled_from(["({a}){l}", "（{a}）{l}", "{a}-{l}", "{a} {l}", "{a}-{l3}-{l4}"]))
    return form.format(a=area, l=local, l3=local[:3], l4=local[3:]).translate(
        FULL_WIDTH if draw(st.booleans()) else {}), "电话"


@st.composite
def id_numbers(draw):
    number = _digits(draw, 6, "123456789") + "19900307" + _digits(draw, 3) + draw(st.sampled_from("0123456789Xx"))
    groups = draw(st.sampled_from([(number,), (number[:6], number[6:14], number[14:])]))
    return _number(draw, *groups, chinese=False), "身份证号"


@st.composite
def credit_codes(draw):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    tail = [draw(st.sampled_from(alphabet)) for _ in range(10)]
    tail[draw(st.integers(0, 8))] = draw(st.sampled_from("ABCDEFGHJKLMNPQRTUWXY"))  # a letter: not an ID number
    code = "91" + _digits(draw, 6, "123456789") + "".join(tail)
    code = code.lower() if draw(st.booleans()) else code
    groups = draw(st.sampled_from([(code,), tuple(code[i:i + 4] for i in range(0, 18, 4))]))
    return draw(st.sampled_from([" ", ""])).join(groups), "统一社会信用代码"


@st.composite
def emails(draw):
    local = draw(st.from_regex(r"[a-z][a-z0-9]{0,6}(?:[._][a-z0-9]{1,5})?", fullmatch=True))
    at = draw(st.sampled_from(["@", "＠", "(at)", " [at] ", "（at）", " @ "]))
    domain = draw(st.sampled_from(["example.com", "qq.com", "gx-kj.com.cn", "例子.中国", "公司.公司", "mail.科技.cn"]))
    return f"{local}{at}{domain}", "邮箱"


@settings(max_examples=300, deadline=None)
@given(st.one_of(mobiles(), landlines(), id_numbers(), credit_codes(), emails()),
       st.sampled_from(BEFORE), st.sampled_from(AFTER))
def test_any_typing_of_personal_data_is_masked(item, before, after):
    value, kind = item
    assert mask_personal(before + value + after) == f"{before}【{kind}】{after}"


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["营收", "研发投入", "员工", "成立", "近", "专家委员会"]),
                          st.integers(0, 999999), st.sampled_from(["亿元", "万元", "%", "人", "年", "个"])),
                min_size=1, max_size=4))
def test_the_figures_of_an_ordinary_question_stay(parts):
    question = "，".join(f"{word}{n}{unit}" for word, n, unit in parts) + "，能申报吗？"
    assert mask_personal(question) == question


@pytest.mark.parametrize("typed", ["=HYPERLINK(\"http://x\")营收多少", "\t=1+1", "  =1+1", "\u3000+1", "＝1+1",
                                   "@SUM(A1)", "-2+3", "\r=1"])
def test_a_typed_formula_stays_text_in_the_csv(tmp_path, typed):
    from evals.export import export_answers
    row = {"answer_id": "x", "created": 0.0, "channel": "web", "question": typed,
           "resolved_question": None, "mode": "extractive", "generation": "g", "refusal": None, "citations": "[]",
           "answer": "…", "latency_ms": 1.0, "rating": None, "comment": None}
    export_answers([row], tmp_path / "a.csv")
    import csv
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as f:
        cell = list(csv.reader(f))[1][2]
    assert cell == "'" + typed


def test_an_ordinary_question_is_exported_as_typed(tmp_path):
    from evals.export import export_answers
    row = {"answer_id": "x", "created": 0.0, "channel": "web", "question": " 营收8亿能牵头吗？",
           "resolved_question": None, "mode": "extractive", "generation": "g", "refusal": None, "citations": "[]",
           "answer": "…", "latency_ms": 1.0, "rating": None, "comment": None}
    export_answers([row], tmp_path / "a.csv")
    assert ", 营收8亿能牵头吗？," in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
