"""Clause alignment between two versions (ingest/alignment.py), on a real revision made from the
shipped 征求意见稿 of the 广西创新联合体 rules (evals/revisions.py): five figures changed, a sentence
reworded, two adjacent articles swapped (renumbered), one list item removed and one added."""
import pytest

from corpus import document
from evals.revisions import make_revision, score
from ingest.alignment import ChangeKind, align, compare_versions, figure_changes, revision_notes, text_diff
from ingest.blocks import blocks_from_text
from ingest.errors import DocumentError
from ingest.library import add_document
from ingest.parser import parse_blocks


@pytest.fixture(scope="module")
def sample():
    meta = document("gx-consortium")
    return meta, make_revision(meta.read_text(), meta)


def _revision(meta, sample):
    old = parse_blocks(blocks_from_text(sample.old_text), meta)
    new = parse_blocks(blocks_from_text(sample.new_text), meta)
    return align(meta.id, 1, old, 2, new)


def test_ten_known_edits_found_and_nothing_unchanged_reported(sample):
    meta, s = sample
    revision = _revision(meta, s)
    result = score(revision, s)
    assert (result["edits"], result["found"], result["spurious"]) == (10, 10, 0), result
    kinds = {(c.kind, c.old_path, c.new_path) for c in revision.changes}
    assert (ChangeKind.MOVED, "第七条", "第八条") in kinds and (ChangeKind.MOVED, "第八条", "第七条") in kinds
    assert (ChangeKind.REMOVED, "第五条（二）5", None) in kinds and (ChangeKind.ADDED, None, "第五条（四）8") in kinds
    lead = revision.of_old_path("第五条（二）1")
    assert lead.kind is ChangeKind.CHANGED and [(f.old, f.new) for f in lead.figures] == [("10亿元", "8亿元")]
    # 10 edits touch 17 clauses (the swapped 第七条 has seven items, all renumbered; one is added);
    # the other 54 of the 70 old clauses are unchanged and not listed
    assert len(revision.changes) == len(revision.to_dict()["changes"]) == 17
    assert sum(c.kind is ChangeKind.UNCHANGED for c in revision.clauses) == 54


def test_identical_versions_have_no_changes(sample):
    meta, s = sample
    clauses = parse_blocks(blocks_from_text(s.old_text), meta)
    revision = align(meta.id, 1, clauses, 2, clauses)
    assert revision.changes == () and len(revision.clauses) == 70  # 72 parts: two clauses are in two parts each


def test_the_json_shape(sample):
    meta, s = sample
    out = _revision(meta, s).to_dict()
    assert set(out) == {"doc_id", "from", "to", "changes"} and (out["from"], out["to"]) == (1, 2)
    assert all(set(c) == {"kind", "old_path", "new_path", "old_text", "new_text", "figures"} for c in out["changes"])
    assert {"old": "3000万元", "new": "2400万元"} in [f for c in out["changes"] for f in c["figures"]]


@pytest.mark.parametrize("old, new, pairs", [
    ("期限为2—3年，资助10亿元。", "期限为3年，资助8亿元。", [("2—3年", "3年"), ("10亿元", "8亿元")]),
    ("不少于8个单位。", "不少于8个单位，另设5个席位。", [(None, "5个")]),
    ("每年3月31日前报送。", "每年3月31日前报送。", []),
    ("资助不超过百分之三十。", "资助不超过30%。", []),  # the same figure written differently
])
def test_figure_changes_through_the_figure_reader(old, new, pairs):
    assert [(f.old, f.new) for f in figure_changes(old, new)] == pairs


def test_text_diff_marks_the_changed_words():
    segments = text_diff("营收应达到10亿元以上。", "营收应达到8亿元以上。")
    assert "".join(s.text for s in segments if s.kind != "new") == "营收应达到10亿元以上。"
    assert "".join(s.text for s in segments if s.kind != "old") == "营收应达到8亿元以上。"
    assert [s.text for s in segments if s.kind == "old"] == ["10"] and [s.text for s in segments if s.kind == "new"] == ["8"]


def test_versions_in_the_library_and_the_note_answers_carry(tmp_path, sample):
    meta, s = sample
    data = tmp_path / "data"
    final = tmp_path / "final.txt"
    final.write_text(s.new_text, encoding="utf-8")
    with pytest.raises(DocumentError, match="只有一个版本") as only:
        compare_versions(data, "gx-consortium")
    assert only.value.field == "from"
    add_document(data, final, replace="gx-consortium", today="2026-12-01", date="2026-11-20")
    assert score(compare_versions(data, "gx-consortium"), s)["found"] == 10
    with pytest.raises(DocumentError, match="没有第 3 版") as wrong:
        compare_versions(data, "gx-consortium", 1, 3)
    assert wrong.value.field == "to"

    from datetime import date
    notes = revision_notes(data, 90, today=date(2026, 12, 20))
    assert notes[("gx-consortium", "第五条（二）1")].startswith("本条于 2026-11 修订，修订前为：“")
    assert "10亿元以上" in notes[("gx-consortium", "第五条（二）1")]
    assert notes[("gx-consortium", "第五条（四）8")] == "本条为 2026-11 修订时新增"
    assert "由第八条改为第七条" in notes[("gx-consortium", "第七条")]
    assert ("gx-consortium", "第三条") not in notes  # unchanged
    assert revision_notes(data, 90, today=date(2027, 6, 1)) == {}  # the period is over
    assert revision_notes(data, 0, today=date(2026, 12, 2)) == {}  # switched off
