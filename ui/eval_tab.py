"""评测: officials upload a gold set (CSV/XLSX/JSONL) or use the shipped one, run it with a
progress bar, and see the metrics beside the naive baseline, the charts and the failures."""
from __future__ import annotations

import tempfile
from pathlib import Path

import gradio as gr

from assistant.types import MODE_LABELS, mode_of
from evals.io import GoldFileError, read_gold_set, shipped_gold_set
from evals.report import LABELS, compare, trend_chart, write_report
from evals.runner import evaluate_set
from ui.context import AppContext
from ui.errors import for_people
from ui import review
from ui.render import metrics_rows, text
from ui.services import remember_eval
from ui.wiring import by_name

METRIC_HEADERS = ["指标", "本系统", "朴素基线（500 字切块 + 向量检索）"]
FAILURE_HEADERS = ["编号", "问题", "题型", "应引用", "检索首条", "回答"]


def run_eval(ctx: AppContext, upload: str | None, baseline: bool, mode_label: str,
             progress: gr.Progress = gr.Progress(), stored: str | None = None):
    """`stored`: a gold set saved from the review queue (used when no file is uploaded)."""
    mode = mode_of(mode_label)
    with for_people():
        assistant = ctx.assistant(mode)
        documents = assistant.retriever.state.documents
        if upload:
            gold = read_gold_set(Path(upload), documents=documents)
        elif stored:
            gold = read_gold_set(Path(f"{stored}.jsonl"), ctx.logbook().gold_set_jsonl(stored), documents=documents)
        else:
            gold = shipped_gold_set()
        skipped = "\n".join(f"- 跳过第 {p.row} 行：{text(p.message)}" for p in gold.problems)
        if not gold.questions:
            raise GoldFileError("金标集中没有可用的题目" + (f"：\n{skipped}" if skipped else ""))
        progress((0, len(gold.questions)), desc="评测本系统")
        report = evaluate_set(assistant, gold, mode, baseline="naive" if baseline else None,
                              with_selfcheck=not upload and not stored,
                              on_progress=lambda i, n, phase: progress((i, n), desc=phase, unit="步"))
        history = remember_eval(ctx.data_dir, report, assistant.retriever.state.generation,
                                assistant.retriever.embedder.spec, open_logbook=ctx.logbook)
        previous = history[-2] if len(history) >= 2 else None
        out_dir = Path(tempfile.mkdtemp(prefix="eval-"))
        paths = write_report(report, out_dir, previous)
        trend = trend_chart(history, out_dir / "trend.png", f"{report['set']} 历次评测（{len(history)} 次）")
    o, lat = report["overall"], report["latency_ms"]
    summary = (f"**{text(report['set'])}**：{o['n']} 题（可回答 {o['answerable']}，不可回答 {o['unanswerable']}）；"
               f"回答延迟 p50 {lat['answer_p50']:.0f} 毫秒，p95 {lat['answer_p95']:.0f} 毫秒。")
    if report.get("selfcheck"):
        sc = report["selfcheck"]
        summary += f"\n\n申报自评金标案例：结论准确率 {sc['verdict_accuracy']:.3f}，逐项一致率 {sc['criterion_agreement']:.3f}。"
    regressions = [c for c in compare(report, previous) if c["regression"]] if previous else []
    if regressions:
        summary += "\n\n**与上次评测相比退步：**" + "，".join(
            f"{LABELS.get(c['metric'], c['metric'])} {c['old']:.3f} → {c['new']:.3f}" for c in regressions)
    elif previous:
        summary += "\n\n与上次评测相比没有退步。"
    if skipped:
        summary += f"\n\n以下行有问题，已跳过：\n{skipped}"
    failures = [[f["id"], f["q"], f["type"], f["expected"], f["retrieved"], f["answer"]] for f in report["failures"]]
    downloads = {name: gr.update(value=str(paths[name]), visible=True) for name in ("md", "json", "xlsx")}
    return {"summary": summary, "metrics": metrics_rows(o, report.get("baseline")), "by_type": str(paths["by_type"]),
            "by_document": str(paths["by_document"]), "latency": str(paths["latency"]), "trend": str(trend),
            "failures": failures, **downloads}


def build(ctx: AppContext) -> None:
    with gr.Tab("评测", id="eval"):
        gr.Markdown("上传金标集（CSV / XLSX / JSONL，列：id、q、doc、evidence、facts（用 | 分隔）、answerable、type、"
                    "history），或不上传、直接使用随附金标集。一题需要几条条款（如跨省比较）时，doc 与 evidence "
                    "各用 | 分隔、一一对应。坏行按行号报告并跳过。")
        with gr.Row():
            upload = gr.File(label="金标集文件", file_types=[".csv", ".xlsx", ".jsonl"], type="filepath",
                             elem_id="gold-upload")
            with gr.Column():
                baseline = gr.Checkbox(label="同时运行朴素基线（随附金标集约需 1 分钟）", value=False)
                mode = gr.Radio([MODE_LABELS[m] for m in MODE_LABELS], value=MODE_LABELS["extractive"],
                                label="回答方式", visible=ctx.llm_configured)
                stored = gr.Dropdown(review.stored_sets(ctx), label="或用复核队列保存的金标集（不上传文件时）",
                                     elem_id="stored-set")
                run = gr.Button("开始评测", variant="primary", elem_id="run-eval")
        summary = gr.Markdown(elem_id="eval-summary")
        metrics = gr.Dataframe(headers=METRIC_HEADERS, interactive=False, label="总体指标", elem_id="metrics")
        with gr.Row():
            by_type = gr.Image(label="按题型", type="filepath")
            by_doc = gr.Image(label="按文件", type="filepath")
            latency = gr.Image(label="延迟分布", type="filepath")
        trend = gr.Image(label="本金标集历次评测趋势（同一回答方式）", type="filepath", elem_id="eval-trend")
        failures = gr.Dataframe(headers=FAILURE_HEADERS, interactive=False, wrap=True, label="待复核题目",
                                elem_id="failures", column_widths=["7%", "21%", "8%", "20%", "20%", "24%"])
        with gr.Row():
            md = gr.DownloadButton("下载报告（report.md）", visible=False)
            json_file = gr.DownloadButton("下载数据（report.json）", visible=False)
            xlsx = gr.DownloadButton("下载逐题结果（results.xlsx）", visible=False)
        review.build(ctx, stored)
        evaluated, shown = by_name(lambda u, b, m, st, progress=gr.Progress(): run_eval(ctx, u, b, m, progress, st),
                                   {"summary": summary, "metrics": metrics, "by_type": by_type, "by_document": by_doc,
                                    "latency": latency, "trend": trend, "failures": failures, "md": md,
                                    "json": json_file, "xlsx": xlsx})
        run.click(evaluated, [upload, baseline, mode, stored], shown, concurrency_limit=1, api_name="run_eval")
