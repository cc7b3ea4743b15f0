"""Measurement: eval (answer accuracy on a gold set, officials' own included) and bench."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Optional

import typer

from ui.cli.common import DataDir, check_output, fail, reported, settings_for

NO_QUESTIONS = "金标集中没有可用的题目"


def eval_command(
    gold_set: Optional[Path] = typer.Option(None, "--set", help="金标集（.jsonl/.csv/.xlsx）；不填则用随附金标集"),
    mode: str = typer.Option("extractive", "--mode", help="extractive 或 llm"),
    out: Optional[Path] = typer.Option(None, "--out", help="报告目录（默认 out/eval-时间）"),
    baseline: Optional[str] = typer.Option(None, "--baseline", help="naive：同时运行朴素基线"),
    previous: Optional[Path] = typer.Option(None, "--compare", help="上次的 report.json，对比并标出退步"),
    calibrate: bool = typer.Option(False, "--calibrate", help="先在金标集上为索引的向量模型测定融合参数（RRF k、向量权重）、相似度下限与边际，写入索引目录"),
    ablate: Optional[str] = typer.Option(None, "--ablate", help="逐一关闭检索步骤（all 或步骤名），只报告检索命中的变化"),
    train_ranker: bool = typer.Option(False, "--train-ranker", help="在 evals/ 下全部金标集与问答记录中官员复核过的金标集上训练学习排序步骤（写入索引目录），并报告逐文件留出交叉验证的 hit@1"),
    check: bool = typer.Option(False, "--check", help="核对随附题集的整体指标是否达到 evals/floors.yaml 的下限（先更新索引；未达标时退出码 1）"),
    data_dir: Optional[Path] = DataDir,
):
    """评测回答准确率：检索命中、要点、引用、拒答、分题型/分文件、延迟，生成报告与图表。"""
    if check:
        _check(settings_for(data_dir))
        return
    from evals.io import ANY_DOCUMENT, GoldFileError, read_gold_set, shipped_gold_set
    from evals.report import compare, write_report
    from evals.runner import evaluate_set
    from evals.selfcheck_eval import SELFCHECK_GOLD
    from ui.services import build_assistant

    if baseline not in (None, "naive"):
        fail(f"未知的基线“{baseline}”，可选：naive", field="baseline")
    old = None
    if previous is not None:
        try:
            old = json.loads(previous.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:  # unreadable, not UTF-8, not JSON
            fail(f"无法读取对比报告“{previous}”：{exc}", field="compare")
    data = None
    if gold_set is not None:  # a bad file is reported before the index is opened
        try:
            data = gold_set.read_bytes()
            shape = read_gold_set(gold_set, data, documents=ANY_DOCUMENT)
        except (GoldFileError, OSError) as exc:
            fail(str(exc), field="set")
        if not shape.questions:
            fail(NO_QUESTIONS, field="set")
    out_dir = out or Path("out") / f"eval-{datetime.now():%Y%m%d-%H%M%S}"
    if ablate is None and not train_ranker:
        check_output(out_dir, "out", directory=True)
    s = settings_for(data_dir)
    with reported():
        assistant = build_assistant(s, mode)
    # the doc column may name any document of the index, uploaded ones included
    gold = shipped_gold_set() if gold_set is None else read_gold_set(
        gold_set, data, documents=assistant.retriever.state.documents)
    for p in gold.problems:
        typer.secho(f"跳过第 {p.row} 行：{p.message}", err=True, fg=typer.colors.YELLOW)
    if not gold.questions:
        fail(NO_QUESTIONS, field="set")
    if calibrate:
        from evals.calibration import measure_calibration
        from retriever.calibration import save_calibration
        with reported():
            calibration = measure_calibration(assistant.retriever, gold.questions)
        save_calibration(s.data_dir, calibration)
        assistant.retriever.calibration = calibration
        typer.echo(f"校准（{calibration.embedder}）：RRF k={calibration.rrf_k}，向量权重 {calibration.dense_weight}，"
                   f"相似度下限 {calibration.min_top_similarity}，文件边际 {calibration.document_margin}；{calibration.source}")
    if train_ranker:
        _train_ranker(assistant, s)
        if gold_set is None and ablate is None:
            return
    if ablate is not None:
        _print_ablation(assistant.retriever, gold.questions, ablate)
        return
    with typer.progressbar(length=len(gold.questions), label="评测本系统") as bar, reported():
        def tick(done: int, total: int, phase: str) -> None:  # one bar over every phase, the baseline's too
            bar.length, bar.label = total, phase
            bar.update(done - bar.pos)
        report = evaluate_set(assistant, gold, mode, baseline=baseline,
                              with_selfcheck=gold_set is None and SELFCHECK_GOLD.exists(), on_progress=tick)
    from evals.report import trend_chart
    from ui.services import remember_eval
    history = remember_eval(s.data_dir, report, assistant.retriever.state.generation, assistant.retriever.embedder.spec,
                            db_url=s.db_url)
    if old is None and len(history) >= 2:  # no file to compare with: the last run on this set
        old = history[-2]
    paths = write_report(report, out_dir, old)
    trend_chart(history, out_dir / "trend.png", f"{report['set']} 历次评测")
    o = report["overall"]
    shown = [("hit@1", "hit@1"), ("hit@5", "hit@5"), ("fact_accuracy", "要点命中"),
             ("refusal_recall", "拒答召回"), ("refusal_precision", "拒答精确"), ("verdict_accuracy", "应用题自评结论")]
    typer.echo("  ".join(f"{label} {o[key]:.3f}" for key, label in shown if key in o))
    regressions = [r for r in compare(report, old) if r["regression"]] if old else []
    if regressions:
        typer.secho("与上次相比退步：" + "，".join(f"{r['metric']} {r['old']:.3f} → {r['new']:.3f}" for r in regressions),
                    fg=typer.colors.YELLOW)
    typer.echo(f"报告：{paths['md']}（另有 report.json、图表与历次趋势 trend.png；本集已评测 {len(history)} 次）")


def _train_ranker(assistant, s) -> None:
    """Train the learned selection stage and the answerability classifier on every gold set in
    evals/ and the logbook's reviewed sets, print the leave-one-document-out figures, keep both
    models beside the index."""
    from evals.answerability import MAX_FALSE_REFUSALS, collect_rows, train_answerability, weighing_questions
    from evals.logbook import Logbook
    from evals.ranker import (
        collect, leave_one_document_out, models_without_each, trained_ranker, training_files, training_questions,
    )
    from retriever.answerability import ANSWERABILITY_FILE, save_answerability
    from retriever.ranker import RANKER_FILE, save_ranker

    retriever = assistant.retriever
    files = training_files()
    with reported():
        logbook = Logbook(s.data_dir, url=s.db_url)
        reviewed = [(name, logbook.gold_set_jsonl(name)) for name in logbook.gold_sets()]
        questions = training_questions(files, retriever.state.documents, reviewed)
        weighed = weighing_questions(files, retriever.state.documents, reviewed)
    if not questions:
        fail(NO_QUESTIONS, field="set")
    with typer.progressbar(length=len(questions), label="收集候选条款") as bar:
        groups = collect(retriever, questions, on_progress=lambda done, total: bar.update(done - bar.pos))
    spec = retriever.embedder.spec
    with typer.progressbar(length=1, label="逐文件留出交叉验证") as bar:
        def tick(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)
        held_out = models_without_each(groups, spec, on_progress=tick)
        cv = leave_one_document_out(groups, spec, models=held_out)
        sets = [f.relative_to(f.parents[1]).as_posix() for f in files] + [n for n, _ in reviewed]
        ranker = trained_ranker(groups, spec, cv, sets)
    typer.echo("| 留出的文件 | 题数 | hit@1（关闭此步） | hit@1（留出交叉验证） | hit@1（训练集内） |")
    typer.echo("|---|---|---|---|---|")
    for row in cv:
        typer.echo(f"| {row['doc']} | {row['n']} | {row['off']:.3f} | {row['cv']:.3f} | {row['in_sample']:.3f} |")
    path = save_ranker(s.data_dir / RANKER_FILE, ranker)
    retriever.ranker = ranker
    typer.echo(f"排序模型：{path}（{ranker.source}）")
    with typer.progressbar(length=len(weighed), label="可答性：逐题作答") as bar:
        rows = collect_rows(assistant, weighed, held_out, ranker,
                            on_progress=lambda done, total: bar.update(done - bar.pos))
    with reported():
        model, figures = train_answerability(rows, spec, sets)
    typer.echo(f"\n可答性判断（逐文件留出交叉验证；阈值 {model.threshold:.3f}，按留出误拒不超过 {MAX_FALSE_REFUSALS:.1%} 选定）：")
    typer.echo("| 文件 | 可回答 | 不可回答 | 误拒（留出） | 拒答召回（留出） | 误拒（手写规则） | 拒答召回（手写规则） |")
    typer.echo("|---|---|---|---|---|---|---|")
    for r in figures:
        recall = "—" if r["recall"] is None else f"{r['recall']:.3f}"
        guard = "—" if r["guard_recall"] is None else f"{r['guard_recall']:.3f}"
        typer.echo(f"| {r['doc']} | {r['answerable']} | {r['unanswerable']} | {r['false_refusals']:.3f} | {recall} | "
                   f"{r['guard_false_refusals']:.3f} | {guard} |")
    path = save_answerability(s.data_dir / ANSWERABILITY_FILE, model)
    retriever.answerability = model
    typer.echo(f"可答性模型：{path}（{model.source}）")


def _check(s) -> None:
    """eval --check: the index brought up to date, then every whole-set check against its floor."""
    import time

    from evals.check import load_bounds, run_checks
    from ui.services import build_assistant, run_ingest

    started = time.perf_counter()
    with reported():
        run_ingest(s, progress=True)
        assistant = build_assistant(s, "extractive")
        bounds = load_bounds()
        checked = run_checks(assistant, bounds, on_check=lambda name: typer.echo(f"检查 {name}……", err=True))
    typer.echo("| 检查 | 指标 | 测得 | 要求 | 结果 |")
    typer.echo("|---|---|---|---|---|")
    for c in checked:
        value = "—" if c.value is None else f"{c.value:.3f}"
        typer.echo(f"| {c.bound.check} | {c.bound.metric} | {value} | {'≤' if c.bound.at_most else '≥'} {c.bound.limit:g} | "
                   f"{'达标' if c.ok else '未达标'} |")
    failed = [c for c in checked if not c.ok]
    typer.echo(f"用时 {time.perf_counter() - started:.0f} 秒")
    if failed:
        typer.secho(f"未达标 {len(failed)} 项：" + "，".join(f"{c.bound.check}.{c.bound.metric}" for c in failed),
                    fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"全部 {len(checked)} 项达标")


def _print_ablation(retriever, questions, which: str) -> None:
    from evals.ablation import ablate as run_ablation
    from retriever.hybrid import STAGES

    stages = list(STAGES) if which == "all" else [s.strip() for s in which.split(",") if s.strip()]
    unknown = [s for s in stages if s not in STAGES]
    if unknown:
        fail(f"未知的检索步骤“{unknown[0]}”，可选：all、{'、'.join(STAGES)}", field="ablate")
    typer.echo("| 关闭的步骤 | 题数 | hit@1 | hit@5 | MRR | 全部金标条款在前 5 | hit@1 变化 |")
    typer.echo("|---|---|---|---|---|---|---|")
    for row in run_ablation(retriever, questions, stages):
        typer.echo(f"| {row['stage']} | {row['n']} | {row['hit@1']:.3f} | {row['hit@5']:.3f} | {row['mrr']:.3f} | "
                   f"{row['complete@5']:.3f} | {row['delta_hit@1']:+.3f} |")


def bench(out: Path = typer.Option(Path("out/bench"), "--out", help="结果目录"),
          sizes: str = typer.Option("10000,100000", "--sizes",
                                    help="规模测试的条款数，逗号分隔（每条文字都不相同，模型逐条计算：2 核空闲时约每秒 15–20 条）"),
          web: int = typer.Option(50, "--web", "--load-sessions", min=0,
                                  help="并发测试的会话数：先经网页版的 /chat，再经 /api/ask，同一服务（0 = 不测）"),
          web_seconds: float = typer.Option(30.0, "--web-seconds", "--load-seconds", min=1, max=600,
                                            help="并发测试每个通道的时长（秒）"),
          parts: Optional[str] = typer.Option(None, "--parts",
                                    help="只测其中几部分（默认全部），逗号分隔：basics（入库、检索、回答、自评）、threads（线程策略：空闲/繁忙 CPU）、"
                                         "web（网页版与 API 并发）、scale（规模）"),
          keep_scale: Path | None = typer.Option(None, "--keep-scale",
                                                 help="把规模测试的索引保留在此目录（每个规模一个子目录），再次运行时只重测检索")):
    """性能基准：入库、检索、回答、自评速度，线程策略的作用，网页版与 HTTP API 的并发对话，以及扩大到 1 万/10 万条款时的入库速度、检索延迟与内存。"""
    from evals.bench import PARTS, run_bench

    try:
        counts = [int(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        fail(f"--sizes 应为逗号分隔的整数，收到“{sizes}”", field="sizes")
    if any(n <= 0 for n in counts):
        fail("--sizes 中的条款数必须为正整数", field="sizes")
    chosen = list(PARTS) if parts is None else [p.strip() for p in parts.split(",") if p.strip()]
    unknown = [p for p in chosen if p not in PARTS]
    if unknown or not chosen:
        fail(f"未知的部分“{unknown[0] if unknown else parts}”，可选：{'、'.join(PARTS)}", field="parts")
    check_output(out, "out", directory=True)
    run_bench(out, counts, settings_for(None).embedder, web, web_seconds, keep_scale, chosen)
    typer.echo((out / "bench.md").read_text(encoding="utf-8"))
    typer.echo(f"结果：{out / 'bench.json'}")


def export_log(out: Path = typer.Argument(..., help="导出文件（.csv 或 .xlsx）"),
               days: Optional[float] = typer.Option(None, "--days", min=0, help="只导出最近几天的问题"),
               data_dir: Optional[Path] = DataDir):
    """导出企业提过的问题与反馈（手机号、身份证号、邮箱、统一社会信用代码已隐去）；同时按 POLICY_LOG_RETENTION_DAYS 删除过期记录。"""
    import time

    from evals.export import EXPORT_SUFFIXES, export_answers
    from evals.logbook import Logbook

    if out.suffix.lower() not in EXPORT_SUFFIXES:
        fail(f"导出文件应为 {' 或 '.join(EXPORT_SUFFIXES)}，收到“{out.name}”", field="out")
    check_output(out, "out", directory=False)
    s = settings_for(data_dir)
    with reported():
        logbook = Logbook(s.data_dir, retention_days=s.log_retention_days, url=s.db_url)
        answers = logbook.answers(since=time.time() - days * 86400 if days else None)
    n = export_answers(answers, out)
    typer.echo(f"已导出 {n} 条问答记录：{out}（个人信息已隐去）")
