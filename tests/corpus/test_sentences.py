"""One sentence splitter: the answer side (stripped sentences) and the indexer (lossless pieces)
cut at the same places."""
from hypothesis import given, strategies as st

from corpus.sentences import sentence_pieces, split_sentences
from ingest.split import split_long

TEXT = "牵头企业营收原则上应达到10亿元以上。研发人员不少于30人；\n成员单位至多参与3个? 是的！"


def test_both_cut_at_the_same_sentence_ends():
    assert split_sentences(TEXT) == [p.strip() for p in sentence_pieces(TEXT) if p.strip()]
    assert split_sentences(TEXT)[-2:] == ["成员单位至多参与3个?", "是的！"]


def test_markers_stay_with_their_sentence():
    assert split_sentences("应达到10亿元以上。[1][2]人数不少于30人。[3]", keep_markers=True) == [
        "应达到10亿元以上。[1][2]", "人数不少于30人。[3]"]


@given(st.text(alphabet="规定。；！？!?\n 元1", max_size=200))
def test_pieces_lose_nothing(text):
    assert "".join(sentence_pieces(text)) == text


def test_a_long_clause_is_packed_at_sentence_ends():
    long = "第一句话讲的是牵头企业的条件，内容很长很长。" * 40
    parts = split_long(long)
    assert len(parts) > 1 and all(p.endswith("。") for p in parts) and "".join(parts) == long
