"""Assistants over real libraries larger than the shipped five, shared by the answer tests."""
from __future__ import annotations

import pytest

from evals.io import GOLD_DIR


@pytest.fixture(scope="session")
def with_set_i(index_with):
    """The shipped library and blind set I's three real documents (山东省专利条例, 杭州市科学技术
    进步条例, 促进科技成果转化法), added as an administrator adds them."""
    from assistant import Assistant
    from retriever import Retriever

    documents = GOLD_DIR.parent / "blind" / "set_i" / "documents"
    data_dir = index_with(*((documents / f"{d}.txt", d) for d in ("sd-zltl", "hz-kjjb", "cn-cgzh")))
    return Assistant(Retriever.open(data_dir))


@pytest.fixture(scope="session")
def with_set_m(index_with):
    """The shipped library and blind set M's two real documents (山东省人才发展促进条例, 浙江省科学技术
    进步条例 — the GBK copy, as an administrator would upload it)."""
    from assistant import Assistant
    from retriever import Retriever

    documents = GOLD_DIR.parent / "blind" / "set_m" / "documents"
    data_dir = index_with((documents / "sd-rcfz.txt", "sd-rcfz"), (documents / "zj-kjjb.gbk.txt", "zj-kjjb"))
    return Assistant(Retriever.open(data_dir))
