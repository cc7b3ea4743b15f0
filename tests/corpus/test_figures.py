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
