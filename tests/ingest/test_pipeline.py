"""Idempotent, incremental and atomic ingest — on real Chroma and real jieba, with the
fast fake embedder (its call count is what is being checked)."""
from dataclasses import replace

import pytest

from ingest.blocks import blocks_from_text
from ingest.library import Source, builtin_sources
from ingest.pipeline import ingest
from ingest.store import (
    LEGACY_NAMESPACE, collection_name, default_namespace, open_client, read_state,
)
from retriever import Retriever
from tests.conftest import FakeEmbedder


def _with_text(source: Source, text: str) -> Source:
    return replace(source, sha=f"edited-{hash(text)}", blocks=tuple(blocks_from_text(text)))


def test_second_ingest_embeds_nothing(tmp_path):
    sources = builtin_sources()
    first = FakeEmbedder()
    report = ingest(sources, tmp_path, first, progress=False)
    assert report.embedded == report.clauses == first.embedded > 200
    second = FakeEmbedder()
    again = ingest(sources, tmp_path, second, progress=False)
    assert again.unchanged and again.embedded == 0 and second.embedded == 0
    assert again.generation == report.generation


def test_changed_document_replaces_exactly_its_stale_clauses(tmp_path):
    sources = builtin_sources()
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    before = {c.id: c for c in Retriever.open(tmp_path, embedder=FakeEmbedder()).clauses}
    gx = next(s for s in sources if s.meta.id == "gx-consortium")
    text = gx.meta.read_text().replace("年主营业务收入原则上应达到10亿元以上", "年主营业务收入原则上应达到20亿元以上")
    edited = [(_with_text(s, text) if s is gx else s) for s in sources]

    embedder = FakeEmbedder()
    report = ingest(edited, tmp_path, embedder, progress=False)
    after = {c.id: c for c in Retriever.open(tmp_path, embedder=FakeEmbedder()).clauses}
    assert report.embedded == embedder.embedded == 1
    assert report.removed == 1 and report.reused == len(before) - 1
    gone, new = set(before) - set(after), set(after) - set(before)
    assert [before[i].path for i in gone] == ["第五条（二）1"]
    assert [after[i].path for i in new] == ["第五条（二）1"] and "20亿元" in after[new.pop()].text


def test_removed_document_clauses_go(tmp_path):
    sources = builtin_sources()
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    report = ingest([s for s in sources if s.meta.id != "gx-demo-zone"], tmp_path, FakeEmbedder(), progress=False)
    retriever = Retriever.open(tmp_path, embedder=FakeEmbedder())
    assert report.embedded == 0 and report.removed > 50
    assert "gx-demo-zone" not in {c.doc_id for c in retriever.clauses}
    assert "gx-demo-zone" not in read_state(tmp_path).documents


def test_failed_ingest_leaves_previous_index_serving(tmp_path):
    sources = builtin_sources()
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    state = read_state(tmp_path)
    gx = next(s for s in sources if s.meta.id == "gx-tic")
    edited = [(_with_text(s, gx.meta.read_text() + "\n六、附则\n本方案自2099年1月1日起施行。") if s is gx else s)
              for s in sources]

    with pytest.raises(RuntimeError, match="simulated"):
        ingest(edited, tmp_path, FakeEmbedder(fail_after=0), progress=False)

    assert read_state(tmp_path) == state
    retriever = Retriever.open(tmp_path, embedder=FakeEmbedder())
    assert len(retriever.clauses) == state.clause_count
    assert retriever.search("中心主任每年工作时间", k=3)
    names = {c if isinstance(c, str) else c.name for c in open_client(tmp_path).list_collections()}
    assert names == {state.collection}  # the half-built generation was dropped
    assert not any(p.name != state.generation for p in (tmp_path / "generations").iterdir())
    report = ingest(edited, tmp_path, FakeEmbedder(), progress=False)  # the next ingest completes
    assert report.embedded == 1 and read_state(tmp_path).generation != state.generation


@pytest.mark.parametrize("namespace", ["own", "legacy"])
@pytest.mark.parametrize("changed", [True, False])
def test_leftover_generation_from_a_killed_ingest_is_cleaned(tmp_path, namespace, changed):
    """Also by an ingest with nothing to do (after a killed --rebuild nothing has changed),
    and also a pre-namespace clauses_<generation> leftover in the embedded store."""
    sources = builtin_sources()
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    ns = default_namespace(tmp_path) if namespace == "own" else LEGACY_NAMESPACE
    client = open_client(tmp_path)
    client.create_collection(collection_name(ns, "19990101T000000000000"))
    (tmp_path / "generations" / "19990101T000000000000").mkdir()
    report = ingest(sources[:-1] if changed else sources, tmp_path, FakeEmbedder(), progress=False)
    assert report.unchanged is not changed
    names = {c if isinstance(c, str) else c.name for c in open_client(tmp_path).list_collections()}
    assert names == {read_state(tmp_path).collection}
    assert [p.name for p in (tmp_path / "generations").iterdir()] == [read_state(tmp_path).generation]


def test_corrupt_state_file_is_rebuilt(tmp_path):
    sources = builtin_sources()[:1]
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    (tmp_path / "CURRENT.json").write_text("{half", encoding="utf-8")
    with pytest.raises(RuntimeError, match="rebuild"):
        Retriever.open(tmp_path, embedder=FakeEmbedder())
    report = ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    assert not report.unchanged and Retriever.open(tmp_path, embedder=FakeEmbedder()).clauses


def test_changing_the_model_re_embeds_everything(tmp_path):
    sources = builtin_sources()[:1]
    ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    other = FakeEmbedder()
    other.spec = "fake-other"
    report = ingest(sources, tmp_path, other, progress=False)
    assert report.embedded == report.clauses


def test_a_text_shared_by_several_clauses_goes_through_the_model_once(tmp_path):
    """A document re-issued under another id with the same wording: its clauses get new ids
    (and their own entries), but each distinct text is embedded once."""
    original = next(s for s in builtin_sources() if s.meta.id == "gx-consortium")
    reissue = replace(original, meta=replace(original.meta, id="gx-consortium-2024"), sha="reissue")
    embedder = FakeEmbedder()
    report = ingest([original, reissue], tmp_path, embedder, progress=False)
    texts = {c.search_text for c in original.clauses()}
    assert report.clauses == report.embedded == 2 * len(original.clauses())
    assert report.texts_embedded == embedder.embedded == len(texts)
    r = Retriever.open(tmp_path, embedder=embedder)
    first, again = original.clauses()[5], reissue.clauses()[5]
    got = r._collection.get(ids=[first.id, again.id], include=["embeddings"])
    assert first.id != again.id and (got["embeddings"][0] == got["embeddings"][1]).all()


def test_a_changed_dictionary_rebuilds_bm25_without_re_embedding(tmp_path, monkeypatch):
    """The BM25 index depends on the user dictionary, stopwords and synonyms: a change makes
    the next ingest rebuild it (vectors reused) and a server refuse the stale one meanwhile."""
    from ingest import tokenize
    from ingest.errors import IndexDamaged

    sources = builtin_sources()
    first = ingest(sources, tmp_path, FakeEmbedder(), progress=False)
    assert read_state(tmp_path).tokenizer == tokenize.tokenizer_fingerprint()
    monkeypatch.setattr(tokenize, "TOKENIZER_VERSION", tokenize.TOKENIZER_VERSION + "-changed")
    with pytest.raises(IndexDamaged) as stale:
        Retriever.open(tmp_path, embedder=FakeEmbedder())
    assert stale.value.part == "bm25" and "policy-assistant ingest" in str(stale.value)
    again = FakeEmbedder()
    report = ingest(sources, tmp_path, again, progress=False)
    assert not report.unchanged and report.generation != first.generation
    assert again.embedded == 0 and report.reused == report.clauses  # only BM25 was rebuilt
    assert Retriever.open(tmp_path, embedder=FakeEmbedder()).search("牵头企业营收要多少？")
