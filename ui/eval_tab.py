"""评测: officials upload a gold set (CSV/XLSX/JSONL) or use the shipped one, run it with a
progress bar, and see the metrics beside the naive baseline, the charts and the failures."""
from __future__ import annotations

import re
import time
from pathlib import Path

import gradio as gr

from assistant.types import MODE_LABELS, mode_of
from evals.io import GoldFileError, read_gold_set, shipped_gold_set
from evals.report import LABELS, TYPE_NAMES, compare, trend_chart, write_report
from evals.runner import evaluate_set
from ui.context import AppContext
from ui.access import AdminRequired
from ui.errors import for_people
from ui import review
from ui.choices import Choice, Pick, UnknownChoice, mode_choices
from evals.report import masked_report
from ui.uploads import received_file
from ui.render import metrics_rows, text
from ui.services import remember_eval
from ui.wiring import by_name

METRIC_HEADERS = ["指标", "本系统", "朴素基线（500 字切块 + 向量检索）"]
FAILURE_HEADERS = ["编号", "问题", "题型", "应引用", "检索首条", "回答"]
# Measured on the 2-core reference machine with the shipped set (the baseline embeds every
# document again, cut into 500-character chunks): said before the run, not promised lower.
BASELINE_NOTE = "同时运行朴素基线（要把全部文件切块重新向量化：随附金标集约需 3–4 分钟；不勾选时不到 1 分钟）"


class EvalProgress:
    """The one progress bar of a run: the phase (第 k 阶段), the count over every phase, the
    time so far and an estimate of what is left from the pace so far (said as an estimate)."""

    def __init__(self, progress, clock=time.monotonic) -> None:
        self.progress, self.clock, self.start, self.phases = progress, clock, clock(), []

    def __call__(self, done: int, total: int, phase: str) -> None:
        if phase not in self.phases:
            self.phases.append(phase)
        elapsed = self.clock() - self.start
        left = elapsed / done * (total - done) if done else None
        estimate = f"，约剩 {minutes(left)}" if left is not None and done < total else ""
        self.progress((done, total), desc=f"第 {len(self.phases)} 阶段：{phase}（已用 {minutes(elapsed)}{estimate}）",
                      unit="步")

    def last_phase(self, phase: str) -> None:
        """The work after the count (report, charts): its own phase, not a bar stuck at 100%."""
        self.phases.append(phase)
        self.progress(None, desc=f"第 {len(self.phases)} 阶段：{phase}（已用 {minutes(self.clock() - self.start)}）")


def expected_in_words(expected: str, documents: dict) -> str:
    """The gold clause as officials read it: a document by its title, a refusal by its kind
    ("gx-consortium：年主营业务收入…" → "《广西创新联合体》：年主营业务收入…", "拒答（out_of_scope）" → "拒答（超出范围）")."""
    for doc_id, meta in documents.items():
        expected = re.sub(rf"(?<![\w-]){re.escape(doc_id)}：", f"《{meta.get('short_title') or meta['title']}》：", expected)
    return re.sub(r"拒答（(\w+)）", lambda m: f"拒答（{TYPE_NAMES.get(m[1], m[1])}）", expected)


def minutes(seconds: float) -> str:
    return f"{seconds:.0f} 秒" if seconds < 90 else f"{seconds / 60:.1f} 分钟"


def metrics_table(overall: dict, baseline: dict | None) -> dict:
    """The headline metrics; the baseline's column only when the baseline ran."""
    rows = metrics_rows(overall, baseline)
    headers = METRIC_HEADERS if baseline else METRIC_HEADERS[:2]
    return {"headers": headers, "data": [row[:len(headers)] for row in rows]}


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
    documents = ctx.retriever().state.documents
    failures = [[f["id"], f["q"], TYPE_NAMES.get(f["type"], f["type"]), expected_in_words(f["expected"], documents),
                 f["retrieved"], f["answer"]] for f in report["failures"]]
    downloads = {name: gr.update(value=str(paths[name]), visible=True) for name in ("md", "json", "xlsx")}
    return {"summary": summary, "metrics": metrics_table(o, report.get("baseline")), "by_type": str(paths["by_type"]),
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
    progress((0, len(gold.questions)), desc="第 1 阶段：评测本系统")
    shown = EvalProgress(progress)
    report = evaluate_set(assistant, gold, mode, baseline="naive" if baseline else None,
                          with_selfcheck=path is None and not stored, on_progress=shown)
    shown.last_phase("写出报告与图表")
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
                baseline = gr.Checkbox(label=BASELINE_NOTE, value=False)
                mode = Pick(mode_choices(ctx), value=MODE_LABELS["extractive"], label="回答方式",
                            visible=ctx.llm_configured, aliases={m: label for m, label in MODE_LABELS.items()})
                # Names of the officials' stored sets are not in the public page config (nor in
                # view_api) when a token is set: the review queue's 载入 (with the token) fills this list.
                # The value is read when the run starts (sets saved since included).
                stored = Choice([] if ctx.settings.admin_token else review.stored_sets(ctx),
                                label="或用复核队列保存的金标集（不上传文件时，需管理员口令）", elem_id="stored-set",
                                resolve=lambda v: stored_set_named(ctx, v),
                                documented=lambda: [] if ctx.settings.admin_token else review.stored_sets(ctx))
                token = gr.Textbox(label="管理员口令（可不填；填写后评测计入评测历史，并可用保存的金标集）",
                                   type="password", elem_id="eval-token", visible=bool(ctx.settings.admin_token))
                run = gr.Button("开始评测", variant="primary", elem_id="run-eval")
        summary = gr.Markdown(elem_id="eval-summary")
        metrics = gr.Dataframe(headers=METRIC_HEADERS[:2], interactive=False, label="总体指标", elem_id="metrics")
        # The per-type chart has a dozen groups: the full width, at its own size.
        by_type = gr.Image(label="按题型", type="filepath", elem_id="by-type", height=420)
        with gr.Row():
            by_doc = gr.Image(label="按文件", type="filepath", elem_id="by-document")
            latency = gr.Image(label="延迟分布", type="filepath", elem_id="latency")
        trend = gr.Image(label="本金标集历次评测趋势（同一回答方式）", type="filepath", elem_id="eval-trend")
        failures = gr.Dataframe(headers=FAILURE_HEADERS, interactive=False, wrap=True, label="待复核题目",
                                elem_id="failures", column_widths=["7%", "21%", "8%", "20%", "20%", "24%"])
        with gr.Row():
            md = gr.DownloadButton("下载报告（report.md）", visible=False)
            json_file = gr.DownloadButton("下载数据（report.json）", visible=False)
            xlsx = gr.DownloadButton("下载逐题结果（results.xlsx）", visible=False)
        review.build(ctx, stored)

        def evaluate(gold_file: str | None, with_baseline: bool, mode: str, stored_set: str | None,
                     admin_token: str | None, request: gr.Request, progress=gr.Progress()):  # named in words for API clients
            return run_eval(ctx, gold_file, with_baseline, mode, progress, stored_set, admin_token, client_of(request))
        evaluated, shown = by_name(evaluate,
                                   {"summary": summary, "metrics": metrics, "by_type": by_type, "by_document": by_doc,
                                    "latency": latency, "trend": trend, "failures": failures, "md": md,
                                    "json": json_file, "xlsx": xlsx})
        # Lanes inside the handler (ui/limits.py) keep an official's run from waiting behind anonymous ones.
        # One progress bar, on the summary (not one per output panel).
        run.click(evaluated, [upload, baseline, mode, stored, token], shown, concurrency_limit=3,
                  concurrency_id="eval", api_name="run_eval", show_progress_on=[summary])


def stored_set_named(ctx: AppContext, name: str) -> str | None:
    """A stored gold set by its name (read when the run starts); empty: none. With an
    administrator token set the names are not listed to whoever asks (run_eval checks the token)."""
    if not name:
        return None
    if ctx.settings.admin_token:
        return name
    sets = review.stored_sets(ctx)
    if name in sets:
        return name
    raise UnknownChoice("stored", f"没有名为“{name}”的金标集" + (f"，可选：{'、'.join(sets)}" if sets else "（还没有保存过）"))


def client_of(request: gr.Request | None) -> str:
    """Who is asking, for per-client limits: the connecting address."""
    client = getattr(request, "client", None)
    return getattr(client, "host", None) or "unknown"
