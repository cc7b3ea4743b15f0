"""The product's one figure reader (corpus.figures) on a golden table (figures_golden.yaml)."""
from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from corpus.figures import parse_number, read_figures

GOLDEN = yaml.safe_load((Path(__file__).parent / "figures_golden.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GOLDEN, ids=[c["text"][:12] for c in GOLDEN])
def test_figures_as_written(case):
    got = [[f.text, f.family, f.date if f.family == "date" else str(f.value), f.unit,
            None if f.upper is None else str(f.upper)] for f in read_figures(case["text"])]
    assert got == case["figures"]


@pytest.mark.parametrize("text,value", [("十万", 100000), ("两万", 20000), ("三千五百万", 35_000_000),
                                        ("一百零五", 105), ("十亿", 10 ** 9), ("半", Fraction(1, 2)), ("2.5", Fraction(5, 2))])
def test_numbers(text, value):
    assert parse_number(text) == value


def test_a_lone_large_unit_is_no_number():
    with pytest.raises(ValueError):
        parse_number("万")
    assert read_figures("每万人") == []


@pytest.mark.parametrize("question, kinds", [
    ("联合体首席科学家有年龄限制吗", ["age"]),              # 科学家 asks no 家
    ("给发明人团队的奖励最少要占净收入多少", ["money"]),      # 发明人 asks no 人
    ("要几家单位", ["org"]),                                 # after a quantity it does
    ("研发人员要多少", ["person"]),                          # inside a word it does
    ("专家人数有要求吗", ["person"]),
    ("企业自己要按多少比例配套出资", ["ratio"]),             # 比例 asks with both its characters
    ("山东优秀发明家奖的奖金是多少", ["money"]),              # an amount named by its noun (blind set I)
    ("开专利代理机构注册资本最低要多少", ["money"]),
])
def test_a_counting_character_ending_a_word_asks_no_count(question, kinds):
    from corpus.figures import kinds_in
    from ingest.tokenize import jieba_cut

    assert kinds_in(question, jieba_cut()(question)) == kinds


def test_without_the_words_every_counting_character_asks():
    from corpus.figures import kinds_in

    assert "org" in kinds_in("联合体首席科学家有年龄限制吗")


def test_a_year_end_is_a_date():
    from corpus.figures import read_figures

    assert [(f.family, f.date) for f in read_figures("2024年底")] == [("year", ""), ("date", "12-end")]
    assert [(f.family, f.date) for f in read_figures("每年年末前")] == [("date", "12-end")]


@pytest.mark.parametrize("question", ["给发明团队的奖励至少占多少", "企业出资占总投入多少"])
def test_a_share_asked_by_zhan_duoshao_names_a_ratio(question):
    """"占多少" asks a share whether or not words stand between 占 and 多少 (blind set I)."""
    import re

    from corpus.figures import asked_kinds

    _, naming = asked_kinds()
    assert next(k for ask, k in naming if re.search(ask, question)) == "ratio"


@pytest.mark.parametrize("question", ["接到投诉不管，会被罚多少？", "罚款几万"])
def test_a_fine_asked_for_names_money(question):
    """"会被罚多少" asks an amount of money (blind set K)."""
    import re

    from corpus.figures import asked_kinds

    _, naming = asked_kinds()
    assert next(k for ask, k in naming if re.search(ask, question)) == "money"


@pytest.mark.parametrize("text", ["包括下一年工作计划", "第二年起每年考核", "上一年度收入"])
def test_a_year_after_an_ordinal_says_which_year_not_how_long(text):
    """"下一年工作计划" is no period of one year (blind set L: "2024年7月批复的，第一份年度报告最晚
    什么时候交？" was answered "2025年7月前（自2024年7月起一年）" from it)."""
    from corpus.figures import read_figures

    assert [f for f in read_figures(text) if f.family == "duration"] == []
    assert [f.text for f in read_figures("给予一年整改期，近三年平均")] == ["一年", "三年"]
