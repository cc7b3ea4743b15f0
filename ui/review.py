"""复核队列 (in the 评测 tab, administrators only): answers marked 有误, refusals and a sample of
the rest, from the logbook. An official checks each one — the question, answer or refuse, the
clause that answers it (searched as they type), the facts — and saves it into a named gold set
kept in the logbook, which the evaluation can then run or download as JSONL."""
from __future__ import annotations

import json
import time

import gradio as gr

from assistant.types import REFUSAL_LABELS
from evals.logbook import LogbookError
from ingest.errors import InvalidInput
from ui.access import check_admin
from ui.context import AppContext
from ui.errors import for_people
from ui.render import text
from ui.wiring import by_name

QUEUE_HEADERS = ["时间", "问题", "理解为", "回答", "引用", "拒答原因", "反馈", "反馈说明"]
RATING_LABELS = {"up": "有用", "down": "有误"}
DEFAULT_SET = "复核集"


class ReviewError(InvalidInput):
    """A review row that cannot be saved as it is (no question, no clause for an answerable one…)."""


def understood(q: dict) -> str:
    """The question as the system understood it (a follow-up resolved), else as asked."""
    return (q.get("resolved_question") or q["question"]).strip()


def citations_text(raw: str | list | None) -> str:
    """The logbook's citations (a JSON list) as the lines an official reads."""
    try:
        cited = json.loads(raw) if isinstance(raw, str) else raw
    except json.JSONDecodeError:
        return raw or ""
    return "；".join(str(c) for c in cited or []) or "（无）"


def queue_rows(queue: list[dict]) -> list[list[str]]:
    """The review queue in words: when, the question and how it was understood, the answer,
    its clauses, why it was refused and what the asker said of it — no codes, no JSON."""
    return [[time.strftime("%m-%d %H:%M", time.localtime(q["created"])) if q.get("created") else "",
             q["question"], understood(q) if understood(q) != q["question"].strip() else "（同左）",
             (q["answer"] or "")[:80], citations_text(q["citations"]),
             REFUSAL_LABELS.get(q["refusal"], q["refusal"]) if q["refusal"] else "",
             RATING_LABELS.get(q["rating"] or "", q["rating"] or ""), q["comment"] or ""] for q in queue]


def pick_label(q: dict) -> str:
    why = "有误" if q["rating"] == "down" else REFUSAL_LABELS.get(q["refusal"], "拒答") if q["refusal"] else "抽查"
    return f"{understood(q)[:30]}（{why}{'：' + q['comment'] if q['rating'] == 'down' and q['comment'] else ''}）"


def load_queue(ctx: AppContext, token: str | None) -> dict:
    with for_people():
        check_admin(ctx.settings.admin_token, token)
        queue = ctx.logbook().review_queue()
    picks = [(pick_label(q), q["answer_id"]) for q in queue]
    return {"table": queue_rows(queue), "queue": queue, "chosen": gr.update(choices=picks, value=None),
            "stored": gr.update(choices=stored_sets(ctx))}


def pick(queue: list[dict], answer_id: str | None) -> dict:
    """The chosen answer's question, as the system understood it (a gold question must stand
    alone: "那湖南呢？" becomes what it asked), into the form and the clause search;
    answerable unless it was refused."""
    found = next((q for q in queue or [] if q["answer_id"] == answer_id), None)
    if found is None:
        return {"question": "", "answerable": True, "clause_query": ""}
    return {"question": understood(found), "answerable": found["refusal"] is None, "clause_query": understood(found)}


def find_clauses(ctx: AppContext, query: str):
    """Clauses for the gold clause, as the official types (the retriever's own search)."""
    if not (query or "").strip():
        return gr.update(choices=[], value=None)
    with for_people():
        hits = ctx.retriever().search(query, k=10)
    return gr.update(choices=[(f"{h.clause.citation}：{h.clause.text[:40]}", h.clause.id) for h in hits], value=None)


def save_review(ctx: AppContext, token: str | None, answer_id: str | None, question: str, answerable: bool,
                clause_id: str | None, facts: str, label: str, set_name: str) -> str:
    with for_people():
        check_admin(ctx.settings.admin_token, token)
        question, set_name = (question or "").strip(), (set_name or "").strip() or DEFAULT_SET
        if not question:
            raise ReviewError("q", "问题不能为空")
        row = {"id": f"r-{(answer_id or question)[:12]}", "q": question, "answerable": bool(answerable),
               "type": (label or "").strip() or "复核", "facts": [f.strip() for f in (facts or "").split("|") if f.strip()]}
        if answerable:
            if not clause_id:
                raise ReviewError("doc", "应回答的问题需要选定金标条款（先在“查找条款”里搜索）")
            clause = ctx.retriever().corpus.at(clause_id)
            row.update(doc=clause.doc_id, evidence=clause.text.strip().splitlines()[0][:40])
        ctx.logbook().save_gold_row(set_name, row, answer_id)
    return f"已保存到金标集“{text(set_name)}”：{text(question)}"


def stored_sets(ctx: AppContext) -> list[str]:
    try:
        return ctx.logbook().gold_sets()
    except LogbookError:  # a log that cannot be opened holds no stored sets
        return []


def build(ctx: AppContext, stored: gr.Dropdown) -> dict:
    """`stored`: the eval's list of saved sets, refreshed when a row is saved."""
    with gr.Accordion("复核队列（管理员）：把企业真实提问整理成金标集", open=False):
        token = gr.Textbox(label="管理员口令", type="password", visible=bool(ctx.settings.admin_token),
                           elem_id="review-token")
        load = gr.Button("载入复核队列", elem_id="review-load")
        table = gr.Dataframe(headers=QUEUE_HEADERS, interactive=False, wrap=True, label="待复核的回答",
                             elem_id="review-queue", column_widths=["8%", "14%", "16%", "20%", "16%", "9%", "6%", "11%"])
        queue = gr.State([])
        with gr.Row():
            chosen = gr.Dropdown([], label="复核哪一条", elem_id="review-pick", scale=2)
            set_name = gr.Textbox(DEFAULT_SET, label="保存到金标集", elem_id="review-set", scale=1)
        question = gr.Textbox(label="问题（可修改）", elem_id="review-q")
        with gr.Row():
            answerable = gr.Checkbox(True, label="应当回答（不勾选：应当拒答）", elem_id="review-answerable")
            label = gr.Textbox("复核", label="题型标签", scale=1)
            facts = gr.Textbox(label="要点（用 | 分隔，如 10亿元|30人）", elem_id="review-facts", scale=2)
        with gr.Row():
            clause_query = gr.Textbox(label="查找金标条款（输入关键词）", elem_id="review-clause-query", scale=2)
            clause = gr.Dropdown([], label="金标条款", elem_id="review-clause", scale=3)
        save = gr.Button("保存到金标集", variant="primary", elem_id="review-save")
        status = gr.Markdown(elem_id="review-status")
        loaded, shown = by_name(lambda k: load_queue(ctx, k), {"table": table, "queue": queue, "chosen": chosen,
                                                               "stored": stored})
        load.click(loaded, token, shown, api_visibility="private")
        picked, shown = by_name(pick, {"question": question, "answerable": answerable, "clause_query": clause_query})
        chosen.input(picked, [queue, chosen], shown, api_visibility="private")
        clause_query.change(lambda q: find_clauses(ctx, q), clause_query, clause, api_visibility="private",
                            trigger_mode="always_last")
        save.click(lambda k, a, q, ok, c, f, lab, s: (save_review(ctx, k, a, q, ok, c, f, lab, s),
                                                      gr.update(choices=stored_sets(ctx))),
                   [token, chosen, question, answerable, clause, facts, label, set_name], [status, stored],
                   api_visibility="private")
    return {"status": status}
