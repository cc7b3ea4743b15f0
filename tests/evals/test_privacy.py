"""Masking personal data in exported questions (golden table as data)."""
import pytest

from evals.privacy import mask_personal


@pytest.mark.parametrize("raw, masked", [
    ("我电话13812345678，营收8亿能牵头吗", "我电话【手机号】，营收8亿能牵头吗"),
    ("手机 +86 138-1234-5678 联系", "手机 【手机号】 联系"),
    ("座机0771-5551234", "座机【电话】"),
    ("身份证110105199003071234，我是法人", "身份证【身份证号】，我是法人"),
    ("身份证11010519900307123X", "身份证【身份证号】"),
    ("我们的信用代码91450100MA5KXXXX1Y", "我们的信用代码【统一社会信用代码】"),
    ("发到 zhang.san@example.com.cn 吧", "发到 【邮箱】 吧"),
    ("牵头企业营收要达到10亿元以上吗？近3年研发投入3%", "牵头企业营收要达到10亿元以上吗？近3年研发投入3%"),
    ("2023年营收120000万元", "2023年营收120000万元"),
    ("", ""),
    (None, None),
])
def test_masking(raw, masked):
    assert mask_personal(raw) == masked


def test_a_typed_formula_stays_text_in_the_csv(tmp_path):
    from evals.export import export_answers
    row = {"answer_id": "x", "created": 0.0, "channel": "web", "question": "=HYPERLINK(\"http://x\")营收多少",
           "resolved_question": None, "mode": "extractive", "generation": "g", "refusal": None, "citations": "[]",
           "answer": "…", "latency_ms": 1.0, "rating": None, "comment": None}
    export_answers([row], tmp_path / "a.csv")
    assert "'=HYPERLINK" in (tmp_path / "a.csv").read_text(encoding="utf-8-sig")
