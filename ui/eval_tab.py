"""评测: officials upload a gold set (CSV/XLSX/JSONL) or use the shipped one, run it with a
progress bar, and see the metrics beside the naive baseline, the charts and the failures."""
from __future__ import annotations

from pathlib import Path

import gradio as gr

from assistant.types import MODE_LABELS, mode_of
from evals.io import GoldFileError, read_gold_set, shipped_gold_set
from evals.report import LABELS, compare, trend_chart, write_report
from evals.runner import evaluate_set
from ui.context import AppContext
from ui.access import AdminRequired
from ui.errors import for_people
from ui import review
from evals.report import masked_report
from ui.uploads import received_file
from ui.render import metrics_rows, text
from ui.services import remember_eval
from ui.wiring import by_name

METRIC_HEADERS = ["指标", "本系统", "朴素基线（500 字切块 + 向量检索）"]
FAILURE_HEADERS = ["编号", "问题", "题型", "应引用", "检索首条", "回答"]


def run_eval(ctx: AppContext, upload: str | None, baseline: bool, mode_label: str,
             progress: gr.Progress = gr.Progress(), stored: str | None = None, token: str | None = None,
             client: str = "local"):
    """`stored`: a gold set saved from the review queue (used when no file is uploaded).

    An administrator's run (`token`, or no token set on a local app) is official: it may use the
    stored sets, enters the set's history and is compared with the previous official run. Anyone
    else may evaluate an uploaded set or the shipped one, at most one such run at a time and a few
    per hour per `client`, and the run enters no history. Nothing is read but a file this page
    uploaded (ui/uploads.py)."""
    mode = mode_of(mode_label)
    with for_people():
        official = ctx.is_admin(token)
        if stored and not upload and not official:  # stored sets hold rows officials saved from real enquiries
            raise AdminRequired("评测复核队列保存的金标集需要管理员口令：请在“管理员口令”中填写")
        path = received_file(upload, "upload")
        with ctx.eval_lanes.run(official, client):
            report, history = _evaluate(ctx, path, stored, baseline, mode, official, progress)
        previous = history[-2] if len(history) >= 2 else None
        out_dir = ctx.scratch_dir("eval")
        paths = write_report(report, out_dir, previous)
        trend = (trend_chart(history, out_dir / "trend.png", f"{report['set']} 历次评测（{len(history)} 次）")
                 if official else None)
        report = masked_report(report)
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
    if not official:
        summary += "\n\n未填管理员口令：本次评测不计入评测历史，也不与以往评测比较。"
    skipped = report.get("skipped")
    if skipped:
        summary += f"\n\n以下行有问题，已跳过：\n{skipped}"
    failures = [[f["id"], f["q"], f["type"], f["expected"], f["retrieved"], f["answer"]] for f in report["failures"]]
    downloads = {name: gr.update(value=str(paths[name]), visible=True) for name in ("md", "json", "xlsx")}
    return {"summary": summary, "metrics": metrics_rows(o, report.get("baseline")), "by_type": str(paths["by_type"]),
            "by_document": str(paths["by_document"]), "latency": str(paths["latency"]),
            "trend": str(trend) if trend else None,
            "failures": failures, **downloads}


def _evaluate(ctx: AppContext, path: Path | None, stored: str | None, baseline: bool, mode: str, official: bool,
              progress) -> tuple[dict, list[dict]]:
    """The run and, for an official run, the set's history with this run last."""
    assistant = ctx.assistant(mode)
    documents = assistant.retriever.state.documents
    if path is not None:
        gold = read_gold_set(path, documents=documents)
    elif stored:
        gold = read_gold_set(Path(f"{stored}.jsonl"), ctx.logbook().gold_set_jsonl(stored), documents=documents)
    else:
        gold = shipped_gold_set()
    skipped = "\n".join(f"- 跳过第 {p.row} 行：{text(p.message)}" for p in gold.problems)
    if not gold.questions:
        raise GoldFileError("金标集中没有可用的题目" + (f"：\n{skipped}" if skipped else ""))
    progress((0, len(gold.questions)), desc="评测本系统")
    report = evaluate_set(assistant, gold, mode, baseline="naive" if baseline else None,
                          with_selfcheck=path is None and not stored,
                          on_progress=lambda i, n, phase: progress((i, n), desc=phase, unit="步"))
    report["skipped"] = skipped
    if not official:
        return report, []
    history = remember_eval(ctx.data_dir, report, assistant.retriever.state.generation,
                            assistant.retriever.embedder.spec, open_logbook=ctx.logbook)
    return report, history


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
                # Names of the officials' stored sets are not in the public page config when a token is
                # set: the review queue's 载入 (with the token) fills this list.
                stored = gr.Dropdown([] if ctx.settings.admin_token else review.stored_sets(ctx),
                                     label="或用复核队列保存的金标集（不上传文件时，需管理员口令）", elem_id="stored-set",
                                     allow_custom_value=True)  # any name reaches the handler, which checks the token
                token = gr.Textbox(label="管理员口令（可不填；填写后评测计入评测历史，并可用保存的金标集）",
                                   type="password", elem_id="eval-token", visible=bool(ctx.settings.admin_token))
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

        def evaluate(upload: str | None, baseline: bool, mode: str, stored: str | None, token: str | None,
                     request: gr.Request, progress=gr.Progress()):
            return run_eval(ctx, upload, baseline, mode, progress, stored, token, client_of(request))
        evaluated, shown = by_name(evaluate,
                                   {"summary": summary, "metrics": metrics, "by_type": by_type, "by_document": by_doc,
                                    "latency": latency, "trend": trend, "failures": failures, "md": md,
                                    "json": json_file, "xlsx": xlsx})
        # Lanes inside the handler (ui/limits.py) keep an official's run from waiting behind anonymous ones.
        run.click(evaluated, [upload, baseline, mode, stored, token], shown, concurrency_limit=3,
                  concurrency_id="eval", api_name="run_eval")


def client_of(request: gr.Request | None) -> str:
    """Who is asking, for per-client limits: the connecting address."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"
