"""The review queue on the real index and a real logbook: an answer marked 有误 and a refusal
come up for review, an official corrects one and saves it into a named gold set, and the
evaluation runs on that set. Only with the administrator token."""
import shutil

import gradio as gr
import pytest

from evals.logbook import Logbook
from ui import review
from ui.context import AppContext
from ui.eval_tab import run_eval
from ui.settings import Settings

pytestmark = pytest.mark.slow
TOKEN = "s3cret-token"


@pytest.fixture
def ctx(real_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    return AppContext(Settings(data_dir=data_dir, admin_token=TOKEN))


def test_marked_and_refused_answers_are_reviewed_into_a_gold_set_the_eval_runs(ctx):
    wrong = ctx.log_answer(ctx.assistant().answer("联合体牵头企业营收门槛是多少？"), "web")
    ctx.feedback(wrong, "down", "引用条款不对")
    ctx.log_answer(ctx.assistant().answer("上海的创新联合体有什么要求？"), "web")
    with pytest.raises(gr.Error, match="管理员口令"):
        review.load_queue(ctx, "wrong")
    loaded = review.load_queue(ctx, TOKEN)
    rows, queue = loaded["table"], loaded["queue"]
    assert queue[0]["answer_id"] == wrong and rows[0][6:] == ["有误", "引用条款不对"]  # words, not up/down
    assert "第五条" in rows[0][4] and "[" not in rows[0][4] and '"' not in rows[0][4]  # clauses, not JSON
    assert any(row[5] == "超出现有文件范围" for row in rows[1:])  # the refusal in words
    picked = review.pick(queue, wrong)
    question = picked["question"]
    assert question == "联合体牵头企业营收门槛是多少？" and picked["answerable"] and picked["clause_query"] == question
    choices = review.find_clauses(ctx, "牵头企业 年主营业务收入 10亿元")["choices"]
    clause_id = next(value for label, value in choices if "第五条（二）1" in label)
    with pytest.raises(gr.Error, match="金标条款"):
        review.save_review(ctx, TOKEN, wrong, question, True, None, "10亿元", "门槛", "我的复核集")
    status = review.save_review(ctx, TOKEN, wrong, question, True, clause_id, "10亿元", "门槛", "我的复核集")
    assert "我的复核集" in status and review.stored_sets(ctx) == ["我的复核集"]
    assert wrong not in [q["answer_id"] for q in review.load_queue(ctx, TOKEN)["queue"]]  # reviewed: off the queue
    with pytest.raises(gr.Error, match="管理员口令"):  # officials' rows: not for anonymous runs
        run_eval(ctx, None, False, "原文摘录", lambda *a, **k: None, stored="我的复核集")
    shown = run_eval(ctx, None, False, "原文摘录", lambda *a, **k: None, stored="我的复核集", token=TOKEN)
    summary, metrics = shown["summary"], shown["metrics"]["data"]
    assert shown["metrics"]["headers"] == ["指标", "本系统"]  # no empty baseline column when none ran
    assert "我的复核集" in summary and "1 题" in summary
    assert dict((row[0], row[1]) for row in metrics)["条款命中 hit@1"] == "1.000"
    assert b"\\u" not in Logbook(ctx.data_dir).gold_set_jsonl("我的复核集")  # readable JSONL



def test_a_follow_up_is_reviewed_as_it_was_understood(ctx):
    """"那湖南呢？" stands for nothing alone: the queue shows what it was understood as, and the
    question to correct into the gold set is that one."""
    from assistant import Session
    session = Session(ctx.assistant())
    session.ask("广西创新联合体牵头企业营收要多少？")
    follow = session.ask("那湖南呢？")
    marked = ctx.log_answer(follow, "web")
    ctx.feedback(marked, "down")
    loaded = review.load_queue(ctx, TOKEN)
    row = loaded["table"][0]
    assert row[1] == "那湖南呢？" and "湖南" in row[2] and row[2] != "那湖南呢？"
    assert review.pick(loaded["queue"], marked)["question"] == row[2]
