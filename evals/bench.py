"""Speed and scale, measured (never asserted in tests): ingest cold and unchanged, retrieval
and extractive answers p50/p95, self-assessments per second, and a synthetic corpus grown
to N clauses (the real documents re-issued for invented cities and years, figures varied)
with ingest throughput, query p50/p95 and peak RSS at each size."""
from __future__ import annotations

import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from corpus import load_documents
from corpus.glossary import load_glossary
from evals.io import GOLD_DIR, load_gold
from evals.stats import percentile
from ingest.blocks import blocks_from_text
from ingest.library import Source, builtin_sources

INGEST_RECORD = "bench-ingest.json"  # the figures of the ingest that built a kept scale index
_FIGURE = re.compile(r"(\d+)(?=\s*(?:亿元|万元|人|个|家|%|年|个月|例))")


def _percentiles(seconds: list[float]) -> dict[str, float]:
    return {"p50_ms": round(1000 * percentile(seconds, 0.5), 2), "p95_ms": round(1000 * percentile(seconds, 0.95), 2)}


def reissued_sources(target_clauses: int, seed: int = 7) -> list[Source]:
    """The shipped documents re-issued for other cities and years with varied figures, until
    the corpus holds about `target_clauses` clauses, every one with a text of its own (what
    a library of that size costs to embed). The cities are the glossary's prefecture-level
    cities, each with its province as the region; round i is city i (mod their number) in
    the year 2021 + i // that number, named in the body, the title and the short title."""
    rng = random.Random(seed)
    glossary = load_glossary()
    cities = sorted(glossary.cities)
    base = builtin_sources()
    per_round = sum(len(s.clauses()) for s in base)
    out: list[Source] = []
    for i in range(max(1, round(target_clauses / per_round))):
        city, year = cities[i % len(cities)], 2021 + i // len(cities)
        for s in base:
            text = s.meta.read_text()
            for name in glossary.regions.get(s.meta.region, ()):  # longest first: 广西壮族自治区 before 广西
                text = text.replace(name, city)
            text = re.sub(r"20\d\d年", f"{year}年", text)
            text = _FIGURE.sub(lambda m: str(max(1, int(int(m.group(1)) * rng.uniform(0.5, 2.0)))), text)
            meta = replace(s.meta, id=f"{s.meta.id}-{i:05d}", title=f"{city}{year}年{s.meta.title}",
                           short_title=f"{city}{year}年{s.meta.short_title}", region=glossary.cities[city])
            out.append(Source(meta, "synthetic", f"{i}-{s.sha}", tuple(blocks_from_text(text))))
    return out


def scale_ingest(size: int, embedder_spec: str, index_dir: Path) -> dict:
    """Build the synthetic index of `size` clauses in `index_dir` (run in a fresh process, so
    peak RSS is the ingest's). An index already there from the same corpus is kept: ingest
    then finds nothing to do, and the figures recorded when it was built are reported."""
    from ingest.embedders import make_embedder
    from ingest.pipeline import ingest

    record = index_dir / INGEST_RECORD
    embedder = make_embedder(embedder_spec)
    start = time.perf_counter()
    report = ingest(reissued_sources(size), index_dir, embedder)  # its progress bar on the bench's stderr
    seconds = time.perf_counter() - start
    if report.unchanged:  # kept from an earlier run: its recorded figures (if any) stand
        earlier = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
        return {"clauses": report.clauses, "documents": report.documents, **earlier, "reused_index": True}
    result = {"clauses": report.clauses, "documents": report.documents, "embedded": report.embedded,
              "texts_embedded": report.texts_embedded,  # distinct texts: what the model computed
              "ingest_seconds": round(seconds, 1), "ingest_clauses_per_s": round(report.clauses / seconds, 1),
              "ingest_peak_rss_mb": _peak_rss_mb()}
    record.write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return {**result, "reused_index": False}


def scale_query(index_dir: Path, embedder_spec: str) -> dict:
    """Open the index as the app does and time the shipped gold questions (a fresh process:
    its peak RSS is what serving that many clauses costs)."""
    from ingest.embedders import make_embedder
    from retriever import Retriever

    retriever = Retriever.open(index_dir, embedder=make_embedder(embedder_spec))
    questions = [g.q for g in load_gold(GOLD_DIR / "questions.jsonl")]
    retriever.search(questions[0])
    times = []
    for q in questions:
        t = time.perf_counter()
        retriever.search(q, k=5)
        times.append(time.perf_counter() - t)
    return {"query": _percentiles(times), "serving_rss_mb": _peak_rss_mb()}


def bench_scale(size: int, embedder_spec: str, keep_dir: Path | None = None) -> dict:
    """One size: ingest, then queries, each in its own process. With keep_dir the index stays
    in keep_dir/<size> and a later run re-measures the queries without re-embedding."""
    with (nullcontext(str(keep_dir / str(size))) if keep_dir else tempfile.TemporaryDirectory()) as where:
        Path(where).mkdir(parents=True, exist_ok=True)
        built = _in_process("ingest", str(size), embedder_spec, where)
        return {**built, **_in_process("query", where, embedder_spec)}


def _in_process(*args: str, env: dict[str, str] | None = None) -> dict:
    proc = subprocess.run([sys.executable, "-m", "evals.bench", *args], stdout=subprocess.PIPE, text=True, env=env)
    if proc.returncode != 0:  # its traceback went to the bench's stderr, above
        raise RuntimeError(f"基准测试子进程失败（{' '.join(args)}，退出码 {proc.returncode}）")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM starts afresh at exec; ru_maxrss
    would carry over the bench parent's own size from the fork."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


THREAD_SAMPLE = 48  # clause texts embedded per thread-policy measurement


def embed_timing(embedder_spec: str) -> dict:
    """ms per text for the model under this process's thread policy: one at a time (as a
    served question is) and in one batch (as ingest embeds)."""
    from ingest.embedders import make_embedder

    texts = [c.search_text for s in builtin_sources() for c in s.clauses()][:THREAD_SAMPLE]
    embedder = make_embedder(embedder_spec)
    embedder.embed_query(texts[0])
    singles = []
    for text in texts:
        t = time.perf_counter()
        embedder.embed_query(text)
        singles.append(time.perf_counter() - t)
    t = time.perf_counter()
    embedder.embed_passages(texts)
    batch = time.perf_counter() - t
    return {"one_at_a_time": _percentiles(singles), "batch_ms_per_text": round(1000 * batch / len(texts), 1)}


def bench_threads(embedder_spec: str) -> dict:
    """The thread policy's effect: the model timed in fresh processes with passive waiting
    (what every entry point sets) and with OpenMP's default spinning, on a quiet CPU and on one
    kept busy by as many spinning processes as there are cores."""
    from ingest.threads import WAIT_POLICY, usable_cores

    cores = usable_cores()
    rows = []
    for load in ("quiet", "busy"):
        hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(cores if load == "busy" else 0)]
        try:
            for policy in ("passive", "default"):
                env = {k: v for k, v in os.environ.items() if k != WAIT_POLICY}
                if policy == "passive":
                    env[WAIT_POLICY] = "passive"
                rows.append({"cpu": load, "policy": policy, **_in_process("embed", embedder_spec, env=env)})
        finally:
            for hog in hogs:
                hog.kill()
                hog.wait()
    return {"cores": cores, "load_average": round(os.getloadavg()[0], 2), "rows": rows}


def bench_basics(data_dir: Path, embedder_spec: str) -> dict:
    """Cold and unchanged ingest of the shipped corpus, retrieval, answers, self-assessment."""
    from assistant import Assistant
    from ingest.embedders import make_embedder
    from ingest.pipeline import ingest
    from retriever import Retriever
    from selfcheck import evaluate

    embedder = make_embedder(embedder_spec)
    cold = ingest(builtin_sources(), data_dir, embedder, rebuild=True, progress=False)
    unchanged = ingest(builtin_sources(), data_dir, embedder, progress=False)
    retriever = Retriever.open(data_dir, embedder=embedder)
    assistant = Assistant(retriever)
    questions = [g.q for g in load_gold(GOLD_DIR / "questions.jsonl")]
    assistant.answer(questions[0])
    search_times, answer_times = [], []
    for q in questions:
        t = time.perf_counter()
        retriever.search(q, k=5)
        search_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        assistant.answer(q)
        answer_times.append(time.perf_counter() - t)
    cases = [json.loads(x) for x in (GOLD_DIR / "selfcheck.jsonl").read_text(encoding="utf-8").splitlines() if x]
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2.0:
        for case in cases:
            evaluate(case["program"], case["inputs"])
            count += 1
    selfchecks = round(count / (time.perf_counter() - start), 1)
    return {
        "ingest_cold_seconds": round(cold.seconds, 2), "ingest_unchanged_seconds": round(unchanged.seconds, 3),
        "clauses": cold.clauses, "retrieval": _percentiles(search_times), "extractive_answer": _percentiles(answer_times),
        "selfchecks_per_second": selfchecks, **bench_library_changes(data_dir, embedder),
    }


ADDED_REGULATION = Path(__file__).resolve().parent / "blind" / "documents" / "hn-hitech.txt"  # a real one, ~80 clauses


def bench_library_changes(data_dir: Path, embedder) -> dict:
    """`add` of a real regulation (incremental ingest: only its clauses embedded), then a revision
    of a shipped document added as version 2 and `diff` (clause alignment) timed."""
    from corpus import document
    from evals.revisions import make_revision
    from ingest.alignment import compare_versions
    from ingest.library import add_document, all_sources
    from ingest.pipeline import ingest

    started = time.perf_counter()
    add_document(data_dir, ADDED_REGULATION, doc_id="bench-added")
    added = ingest(all_sources(data_dir), data_dir, embedder, progress=False)
    add_seconds = time.perf_counter() - started
    meta = document("gx-consortium")
    revised = data_dir / "revised.txt"
    revised.write_text(make_revision(meta.read_text(), meta).new_text, encoding="utf-8")
    add_document(data_dir, revised, replace="gx-consortium")
    diff_times = []
    for _ in range(5):
        t = time.perf_counter()
        revision = compare_versions(data_dir, "gx-consortium")
        diff_times.append(time.perf_counter() - t)
    return {"add": {"clauses": added.embedded, "seconds": round(add_seconds, 2)},
            "diff": {"clauses": len(revision.clauses), "changes": len(revision.changes), **_percentiles(diff_times)}}


PARTS = ("basics", "threads", "web", "scale")


def run_bench(out_dir: Path, sizes: list[int], embedder_spec: str, load_sessions: int = 50,
              load_seconds: float = 60.0, keep_dir: Path | None = None, parts: Sequence[str] = PARTS) -> dict:
    """The parts asked for, their figures written to bench.json and bench.md as each ends
    (a long scale run leaves the earlier parts' figures behind if it is stopped)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    results: dict = {"embedder": embedder_spec, "documents": [d.id for d in load_documents()],
                     "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "scale": []}

    def save() -> None:
        (out_dir / "bench.json").write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
        (out_dir / "bench.md").write_text(render_bench(results), encoding="utf-8")

    if "threads" in parts:
        results["threads"] = bench_threads(embedder_spec)
        save()
    with tempfile.TemporaryDirectory() as tmp:
        if "basics" in parts:
            results["basics"] = bench_basics(Path(tmp), embedder_spec)
            save()
        if "web" in parts and load_sessions > 0:  # the served app on the shipped index, in its own process
            from evals.load import compare_web_and_api
            if "basics" not in parts:
                from ingest.embedders import make_embedder
                from ingest.pipeline import ingest
                ingest(builtin_sources(), Path(tmp), make_embedder(embedder_spec), progress=False)
            questions = [g.q for g in load_gold(GOLD_DIR / "questions.jsonl")]
            results["load"] = compare_web_and_api(Path(tmp), questions, load_sessions, load_seconds,
                                                  out_dir / "load-serve.log", {"POLICY_EMBEDDER": embedder_spec})
            save()
    if "scale" in parts:
        for size in sizes:
            results["scale"].append(bench_scale(size, embedder_spec, keep_dir))
            save()
    save()
    return results


def render_bench(r: dict) -> str:
    lines = [f"# 性能基准（向量模型 {r['embedder']}）", ""]
    if r.get("load_average_at_start"):
        lines += [f"开始时本机负载（1/5/15 分钟平均）：{' / '.join(map(str, r['load_average_at_start']))}", ""]
    if r.get("basics"):
        b = r["basics"]
        lines += ["| 项目 | 结果 |", "|---|---|",
                  f"| 冷启动入库（{b['clauses']} 条） | {b['ingest_cold_seconds']} 秒 |",
                  f"| 未变化重新入库 | {b['ingest_unchanged_seconds']} 秒 |",
                  f"| 检索 p50 / p95 | {b['retrieval']['p50_ms']} / {b['retrieval']['p95_ms']} ms |",
                  f"| 原文摘录回答 p50 / p95 | {b['extractive_answer']['p50_ms']} / {b['extractive_answer']['p95_ms']} ms |",
                  f"| 申报自评 | 每秒 {b['selfchecks_per_second']} 次 |"]
        if b.get("add"):
            lines += [f"| add 一份真实法规（{b['add']['clauses']} 条新条款，增量入库） | {b['add']['seconds']} 秒 |",
                      f"| diff 修订对比（{b['diff']['clauses']} 条条款，{b['diff']['changes']} 处变化）p50 | "
                      f"{b['diff']['p50_ms']} ms |"]
        lines.append("")
    if r.get("threads"):
        t = r["threads"]
        lines += [f"## 线程策略（{t['cores']} 核；每行一个新进程，逐条向量化 {THREAD_SAMPLE} 段条款文字）", "",
                  "| CPU | OpenMP 等待 | 逐条 p50 / p95 | 整批每段 |", "|---|---|---|---|"]
        for row in t["rows"]:
            cpu = "空闲" if row["cpu"] == "quiet" else f"繁忙（另有 {t['cores']} 个忙循环进程）"
            policy = "passive（各入口设置）" if row["policy"] == "passive" else "默认（自旋）"
            lines.append(f"| {cpu} | {policy} | {row['one_at_a_time']['p50_ms']} / {row['one_at_a_time']['p95_ms']} ms | "
                         f"{row['batch_ms_per_text']} ms |")
        lines.append("")
    if r.get("load"):
        lines += render_load(r["load"])
    if r.get("scale"):
        lines += ["## 规模", "", "| 条款数 | 不同文本（模型计算） | 入库耗时 | 入库速度 | 检索 p50 / p95 | 峰值内存 |",
                  "|---|---|---|---|---|---|"]
        for s in r["scale"]:
            lines.append(f"| {s['clauses']} | {_figure(s, 'texts_embedded', '')} | {_figure(s, 'ingest_seconds', ' 秒')} | "
                         f"{_figure(s, 'ingest_clauses_per_s', ' 条/秒')} | "
                         f"{s['query']['p50_ms']} / {s['query']['p95_ms']} ms | "
                         f"入库 {_figure(s, 'ingest_peak_rss_mb', ' MB')}，检索服务 {s['serving_rss_mb']} MB |")
        if any(s.get("reused_index") for s in r["scale"]):
            lines += ["", "入库数字取自最初建立所保留索引（--keep-scale）的那一次。"]
    return "\n".join(lines) + "\n"


def render_load(ld: dict) -> list[str]:
    """The web chat (Gradio queue, /chat) and the HTTP API (/api/ask) under the same load."""
    lines = [f"## 并发：{ld['sessions']} 个会话，各 {ld['seconds']} 秒，同一服务", "",
             "| 通道 | 回答 | 出错 | 未结束会话 | 吞吐 | 延迟 p50 / p95 |", "|---|---|---|---|---|---|"]
    for name, label in (("web", "网页版 /chat（gradio_client，经 Gradio 队列）"), ("api", "HTTP API /api/ask")):
        run = ld.get(name)
        if run:
            lines.append(f"| {label} | {run['answers']} | {run['errors']} | {run['stuck_sessions']} | "
                         f"{run['answers_per_second']} 次/秒 | {run['answer_p50_ms']} / {run['answer_p95_ms']} ms |")
    if ld.get("web_to_api") is not None:
        lines += ["", f"网页版吞吐为 API 的 {ld['web_to_api']} 倍。"]
    return lines + [""]


def _figure(point: dict, key: str, unit: str) -> str:
    value = point.get(key)
    return "—" if value is None else f"{value}{unit}"


if __name__ == "__main__":  # python -m evals.bench ingest SIZE EMBEDDER DIR | query DIR EMBEDDER | embed EMBEDDER
    step, *rest = sys.argv[1:]
    if step == "ingest":
        out = scale_ingest(int(rest[0]), rest[1], Path(rest[2]))
    elif step == "embed":
        out = embed_timing(rest[0])
    else:
        out = scale_query(Path(rest[0]), rest[1])
    print(json.dumps(out, ensure_ascii=False))
