"""Writing an evaluation: report.json (machine), report.md (people), PNG charts, and the
comparison against an earlier report.json with regressions marked."""
from __future__ import annotations

import json
from pathlib import Path

from evals.privacy import mask_personal

HEADLINE = ("hit@1", "hit@5", "complete@5", "mrr", "fact_accuracy", "citation_precision", "refusal_recall",
            "refusal_precision", "verdict_accuracy")
LABELS = {"hit@1": "条款命中 hit@1", "hit@3": "hit@3", "hit@5": "条款命中 hit@5",
          "complete@5": "全部金标条款在前 5", "mrr": "MRR",
          "fact_accuracy": "要点全部命中率", "citation_precision": "引用精确率",
          "refusal_recall": "拒答召回率", "refusal_precision": "拒答精确率",
          "verdict_accuracy": "应用题自评结论准确率"}
# The shipped sets' type labels, named for the charts; an official's own labels show as written.
TYPE_NAMES = {"applied": "应用题", "comparison": "比较", "deadline": "期限", "fact": "事实", "follow_up": "追问",
              "injection": "注入", "list": "列举", "not_specified": "文件未规定", "out_of_scope": "超出范围",
              "procedure": "程序", "threshold": "门槛数值", "llm_written": "模型出题",
              "standalone_after_turns": "先聊别的再问"}
REGRESSION = 0.005  # a drop larger than this is flagged
# Per-question columns of results.xlsx, in the order officials read them.
QUESTION_COLUMNS = {"id": "编号", "q": "问题", "type": "题型", "answerable": "应回答", "correct": "正确",
                    "expected": "金标条款", "rank": "金标条款名次", "retrieved": "检索首条", "refused": "拒答",
                    "refusal": "拒答原因", "facts": "要点", "facts_present": "要点全部命中",
                    "citations": "引用", "verdicts": "自评逐条结论", "verdicts_right": "自评结论正确",
                    "answer": "回答", "ms": "用时（毫秒）"}


def compare(current: dict, previous: dict) -> list[dict]:
    """Headline metrics side by side with an earlier run; drops are regressions."""
    rows = []
    for key in HEADLINE:
        new, old = current["overall"].get(key), previous.get("overall", {}).get(key)
        if new is None or old is None:
            continue
        delta = new - old
        rows.append({"metric": key, "old": old, "new": new, "delta": delta, "regression": delta < -REGRESSION})
    return rows


def fmt(value) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render_markdown(report: dict, comparison: list[dict] | None = None) -> str:
    o, lat = report["overall"], report["latency_ms"]
    lines = [f"# 评测报告：{report['set']}", "",
             f"模式：{report['mode']}　题数：{o['n']}（可回答 {o['answerable']}，不可回答 {o['unanswerable']}）　"
             f"时间：{report['created']}", ""]
    base = report.get("baseline")
    lines += ["## 总体指标", "", "| 指标 | 本系统 |" + (" 朴素基线（500 字切块 + 向量检索） |" if base else ""),
              "|---|---|" + ("---|" if base else "")]
    for key in HEADLINE:
        if key in o:
            lines.append(f"| {LABELS[key]} | {fmt(o[key])} |" + (f" {fmt(base.get(key))} |" if base else ""))
    if "criteria_overjudged" in o:
        lines += ["", f"应用题：多判的条件（问题未给出依据却下了结论）共 {o['criteria_overjudged']} 条。"]
    lines += ["", f"回答延迟 p50 {lat['answer_p50']:.1f} ms，p95 {lat['answer_p95']:.1f} ms；"
                  f"检索 p50 {lat['retrieval_p50']:.1f} ms，p95 {lat['retrieval_p95']:.1f} ms。", ""]
    if comparison:
        lines += ["## 与上次评测对比", "", "| 指标 | 上次 | 本次 | 变化 |", "|---|---|---|---|"]
        for row in comparison:
            mark = " ▼ 退步" if row["regression"] else (" ▲" if row["delta"] > REGRESSION else "")
            lines.append(f"| {LABELS[row['metric']]} | {fmt(row['old'])} | {fmt(row['new'])} | "
                         f"{row['delta']:+.3f}{mark} |")
        lines.append("")
    for title, key in (("按题型", "by_type"), ("按文件", "by_document")):
        lines += [f"## {title}", "", "| | 题数 | hit@1 | hit@5 | 要点命中 | 拒答召回 |", "|---|---|---|---|---|---|"]
        for name, m in report[key].items():
            lines.append(f"| {name} | {m['n']} | {fmt(m.get('hit@1'))} | {fmt(m.get('hit@5'))} | "
                         f"{fmt(m.get('fact_accuracy'))} | {fmt(m.get('refusal_recall'))} |")
        lines.append("")
    sc = report.get("selfcheck")
    if sc:
        lines += ["## 申报自评", "", f"案例 {sc['cases']} 个；结论准确率 {fmt(sc['verdict_accuracy'])}；"
                                   f"逐条一致率 {fmt(sc['criterion_agreement'])}。", ""]
        for d in sc["disagreements"]:
            lines.append(f"- {d['id']}：期望 {d['expected_verdict']}，实际 {d['verdict']}；" + "；".join(d["criteria"]))
        lines.append("")
    if report["problems"]:
        lines += ["## 跳过的行", ""] + [f"- 第 {p['row']} 行：{p['message']}" for p in report["problems"]] + [""]
    lines += ["## 需要复核的题目", "", "| 编号 | 问题 | 期望 | 实际检索首条 | 回答 |", "|---|---|---|---|---|"]
    for f in report["failures"]:
        answer = f["answer"].replace("\n", " ").replace("|", "｜")
        lines.append(f"| {f['id']} | {f['q']} | {f['expected']} | {f['retrieved']} | {answer[:80]} |")
    lines += ["", "图表：accuracy_by_type.png、accuracy_by_document.png、latency.png"]
    return "\n".join(lines) + "\n"


def _pyplot():
    """matplotlib without a display, set in Noto Sans SC (from PyPI) so the labels are Chinese."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from pylopdf_fonts_zh_cn import sans_path

    font_manager.fontManager.addfont(str(sans_path()))
    plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(sans_path())).get_name()
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _bar_chart(groups: dict[str, dict], path: Path, title: str, baseline: dict[str, dict] | None = None) -> None:
    """Ours per group (hit@1, facts, refusal recall), and the naive baseline's hit@1 beside
    them when it ran (hatched grey: the same questions, 500-character chunks)."""
    plt = _pyplot()
    names = list(groups)
    metrics = [("hit@1", "条款命中 hit@1"), ("fact_accuracy", "要点全部命中"), ("refusal_recall", "拒答召回")]
    bars = [(label, [groups[n].get(key) or 0.0 for n in names], {}) for key, label in metrics]
    if baseline:
        bars.append(("朴素基线 hit@1", [(baseline.get(n) or {}).get("hit@1") or 0.0 for n in names],
                     {"color": "#b0b0b0", "hatch": "//"}))
    fig, ax = plt.subplots(figsize=(max(6, len(names) * 0.9), 4))
    width = 0.8 / len(bars)
    for i, (label, values, style) in enumerate(bars):
        ax.bar([x + i * width for x in range(len(names))], values, width, label=label, **style)
    ax.set_xticks([x + width * (len(bars) - 1) / 2 for x in range(len(names))], [TYPE_NAMES.get(n, n) for n in names],
                  rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside the bars, never over them
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _latency_chart(latencies_ms: list[float], path: Path) -> None:
    plt = _pyplot()

    fig, ax = plt.subplots(figsize=(6, 3.5))
    ax.hist(latencies_ms, bins=30)
    ax.set_xlabel("回答延迟（毫秒）")
    ax.set_ylabel("题数")
    ax.set_title("回答延迟分布")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


TREND = (("hit@1", "条款命中 hit@1"), ("fact_accuracy", "要点全部命中"), ("refusal_precision", "拒答精确率"),
         ("refusal_recall", "拒答召回率"))


def trend_chart(history: list[dict], path: Path, title: str) -> Path:
    """The headline figures of a set's runs over time (history: oldest first, as the logbook
    gives it), one line per metric, the legend beside the plot."""
    from datetime import datetime
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(7, 3.6))
    x = list(range(1, len(history) + 1))
    for key, label in TREND:
        values = [run["overall"].get(key) for run in history]
        if any(v is not None for v in values):
            ax.plot(x, [float("nan") if v is None else v for v in values], marker="o", label=label)
    ax.set_xticks(x, [datetime.fromtimestamp(run["created"]).strftime("%m-%d %H:%M") for run in history],
                  rotation=30, ha="right")
    ax.set_ylim(0, 1.05)
    ax.set_title(title)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# What people typed and the answers built from it: masked in every report (evals/privacy.py).
_PERSONAL_FIELDS = ("q", "answer", "rewritten")


def masked_report(report: dict) -> dict:
    """The report with personal data (phone and ID numbers, e-mails, credit codes) masked in every
    question and answer it lists: a gold set built from real enquiries may carry them, and a report
    is downloaded and passed around."""
    def masked(rows):
        return [{k: mask_personal(v) if k in _PERSONAL_FIELDS and isinstance(v, str) else v for k, v in row.items()}
                for row in rows or []]
    return {**report, "questions": masked(report.get("questions")), "failures": masked(report.get("failures"))}


def write_report(report: dict, out_dir: Path, previous: dict | None = None) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    report = masked_report(report)
    comparison = compare(report, previous) if previous else None
    if comparison is not None:
        report = {**report, "comparison": comparison}
    paths = {"json": out_dir / "report.json", "md": out_dir / "report.md",
             "by_type": out_dir / "accuracy_by_type.png", "by_document": out_dir / "accuracy_by_document.png",
             "latency": out_dir / "latency.png", "xlsx": out_dir / "results.xlsx"}
    paths["json"].write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    paths["md"].write_text(render_markdown(report, comparison), encoding="utf-8")
    base = report.get("baseline") or {}
    _bar_chart(report["by_type"], paths["by_type"], "按题型", base.get("by_type"))
    _bar_chart(report["by_document"], paths["by_document"], "按文件", base.get("by_document"))
    _latency_chart(report["latencies_ms"], paths["latency"])
    write_questions_xlsx(report.get("questions", []), paths["xlsx"])
    return paths


def write_questions_xlsx(rows: list[dict], path: Path) -> None:
    write_xlsx(rows, QUESTION_COLUMNS, path, "逐题结果")


def write_xlsx(rows: list[dict], columns: dict[str, str], path: Path, sheet: str) -> None:
    """One row per record, headed by the columns' Chinese names. Every cell is written as text or a
    number, never as a formula: a question beginning with "=" stays a question in Excel."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(columns.values()))
    for row in rows:
        ws.append([_cell(row.get(key)) for key in columns])
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    ws.freeze_panes = "A2"
    wb.save(path)


def _cell(value):
    if isinstance(value, bool):
        return "是" if value else "否"
    return "" if value is None else value
