"""政策问答: the chat. Follow-ups keep their context in the browser session's own history; the
LLM mode streams its tokens; every cited clause is shown as a collapsible source."""
from __future__ import annotations

from functools import partial

import gradio as gr

from assistant import Session
from assistant.applied import Applied
from assistant.suggest import SUGGESTIONS, next_questions
from assistant.types import MODE_LABELS, mode_of
from ingest.clean import MAX_QUESTION_CHARS, clean_question
from ui import conversations
from ui.context import AppContext
from ui.errors import for_people
from ui.render import answer_messages, user_message
from ui.wiring import by_name

EXAMPLES = [
    "广西创新联合体的牵头企业营收要多少？",
    "那湖南呢？",
    "内蒙古技术创新中心的建设期是几年？",
    "成果转移转化示范区怎么申报？",
    "湖南和广西对技术创新中心牵头单位的研发投入要求有什么不同？",
]
ALL = ""
# Answers in parallel. Extractive answers are ~30 ms of CPU, so more workers than cores only
# add contention; the queue in front of them absorbs the rest (see ui/web.py QUEUE_SIZE).
CHAT_CONCURRENCY = 4


def filter_choices(ctx: AppContext) -> tuple[list, list]:
    """Region and document filters from the live index (uploads included)."""
    retriever = ctx.retriever()
    regions = [("全部地区", ALL)] + [(r, r) for r in retriever.regions]
    docs = [("全部文件", ALL)] + [(m.get("short_title") or m["title"], doc_id)
                                 for doc_id, m in retriever.state.documents.items()]
    return regions, docs


def respond(ctx: AppContext, message: str, messages: list, history: list, region: str, doc_id: str,
            mode_label: str, answer_ids: dict | None = None):
    """One turn: the user's message, then the answer with its sources (streamed in LLM mode).
    The answer is kept in the logbook; `answer_ids` maps its message's place in the chat to
    its answer_id, for the 有用/有误 buttons (rate)."""
    answer_ids = {} if answer_ids is None else answer_ids
    message = (message or "").strip()
    if not message:
        gr.Warning("请输入问题", title="提示")
        yield {"chatbot": messages, "history": history, "box": message, "answer_ids": answer_ids}
        return
    mode = mode_of(mode_label)
    with for_people():
        clean_question(message)  # too long, not text: said now, while the question is still in the box
        session = Session(ctx.assistant(mode), history)
        shown = [*messages, user_message(message)]
        yield {"chatbot": shown, "history": history, "box": "", "answer_ids": answer_ids}
        text = ""
        for answer in session.stream(message, mode=mode, region=region or None, doc_ids=[doc_id] if doc_id else None):
            if isinstance(answer, str):  # the model's text so far, until the checked Answer replaces it
                text += answer
                yield {"chatbot": [*shown, {"role": "assistant", "content": text}], "history": history, "box": "",
                       "answer_ids": answer_ids}
        answer_id = ctx.log_answer(answer, "web")
        if answer_id is not None:
            answer_ids = {**answer_ids, len(shown): answer_id}
        yield {"chatbot": [*shown, *answer_messages(answer)], "history": history, "box": "", "answer_ids": answer_ids}


FEEDBACK_OPTIONS = ("Like", "Dislike", "引用条款不对", "数字或内容有误", "不该拒答", "答非所问")  # Like/Dislike: 👍/👎


def rate(ctx: AppContext, answer_ids: dict, data: gr.LikeData) -> None:
    """👍 → 有用, 👎 or a flagged reason → 有误 (the reason as its comment), recorded against the
    answer the clicked message belongs to (its text or one of its sources)."""
    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    owner = max((i for i in answer_ids if i <= index), default=None)
    if owner is None or data.liked is None:
        return
    comment = data.liked if isinstance(data.liked, str) and data.liked not in FEEDBACK_OPTIONS[:2] else None
    rating = "up" if data.liked is True or data.liked == "Like" else "down"
    with for_people():
        ctx.feedback(answer_ids[owner], rating, comment)
    gr.Info("已记录：有用，谢谢！" if rating == "up" else f"已记录：有误{f'（{comment}）' if comment else ''}，管理员会复核。",
            title="反馈")


def build(ctx: AppContext) -> dict:
    with gr.Tab("政策问答", id="chat"):
        with gr.Row(elem_id="chat-filters"):
            # Choices come from the live index on load; any value is accepted here and checked by
            # the retriever (unknown → a Chinese error), so API clients may pass "广西" as is.
            region = gr.Dropdown([("全部地区", ALL)], value=ALL, label="地区", scale=1, allow_custom_value=True)
            doc = gr.Dropdown([("全部文件", ALL)], value=ALL, label="文件", scale=2, allow_custom_value=True)
            mode = gr.Radio([MODE_LABELS[m] for m in MODE_LABELS], value=MODE_LABELS["extractive"],
                            label="回答方式", visible=ctx.llm_configured, scale=1)
            past = gr.Dropdown([], label="历史对话（保存在本浏览器）", scale=2, elem_id="past-chats")
            new = gr.Button("新建对话", scale=1, elem_id="new-chat")
        saved = gr.BrowserState(conversations.empty(), storage_key="zhengcetong-conversations")
        conversation = gr.State(None)
        chatbot = gr.Chatbot(label="对话", height=520, elem_id="chatbot", buttons=["copy"],
                             feedback_options=FEEDBACK_OPTIONS, placeholder="问一个政策问题，答案引用到具体条款。")
        history = gr.State([])
        answer_ids = gr.State({})
        with gr.Row():
            # No max_length: the browser would cut a pasted question silently; the server says
            # how long it is and the question stays in the box.
            box = gr.Textbox(label="问题", placeholder=f"例如：牵头企业营收要多少？（最多 {MAX_QUESTION_CHARS} 字）",
                             show_label=False, scale=5, elem_id="question")
            send = gr.Button("发送", variant="primary", scale=1, elem_id="send")
            clear = gr.Button("清空对话", scale=1, elem_id="clear")
        with gr.Row(visible=False, elem_id="suggestions") as suggest_row:
            gr.Markdown("猜你想问：", elem_id="suggest-label")
            suggested = [gr.Button("", size="sm", elem_id=f"suggest-{i}", scale=3) for i in range(SUGGESTIONS)]
        fill = gr.Button("把问题中识别出的情况带入“申报自评”", visible=False, elem_id="to-selfcheck", size="sm")
        gr.Examples(EXAMPLES, inputs=[box], label="示例问题")
        page = {"chatbot": chatbot, "history": history, "box": box, "answer_ids": answer_ids, "fill": fill,
                "saved": saved, "conversation": conversation, "past": past, "suggestions": suggest_row,
                **{f"suggest_{i}": b for i, b in enumerate(suggested)}}
        outputs = lambda *names: {n: page[n] for n in names}  # noqa: E731
        handler, answered = by_name(partial(respond, ctx), outputs("chatbot", "history", "box", "answer_ids"))
        inputs = [box, chatbot, history, region, doc, mode, answer_ids]
        private = {"queue": False, "api_visibility": "private"}
        show_fill = lambda h: gr.update(visible=last_assessment(h) is not None)  # noqa: E731
        stored = outputs("saved", "conversation", "past")
        keep, kept = by_name(keep_conversation, stored)
        suggest, offered = by_name(lambda h: suggestions(ctx, h), outputs("suggestions", *(f"suggest_{i}" for i in
                                                                                 range(SUGGESTIONS))))

        def after_answer(event):
            return event.then(show_fill, history, fill, **private) \
                .then(keep, [saved, conversation, chatbot], kept, **private) \
                .then(suggest, history, offered, **private)
        # One queue for every trigger; "/chat" is also what API clients and the load test call.
        for trigger, extra in ((send.click, {"api_name": "chat", "concurrency_limit": CHAT_CONCURRENCY}),
                               (box.submit, {"api_visibility": "undocumented"})):
            after_answer(trigger(handler, inputs, answered, concurrency_id="chat", **extra))
        for button in suggested:  # 猜你想问: the suggestion becomes the question, asked at once
            after_answer(button.click(lambda q: q, button, box, **private)
                         .then(handler, inputs, answered, concurrency_id="chat", api_visibility="private"))
        # 清空对话 and the panel's own trash icon: screen and memory, and this conversation's copy
        memory = ("history", "fill", "answer_ids", "suggestions", *stored)
        cleared, shown = by_name(lambda s, c: {"chatbot": [], "box": "", **forget(s, c)}, outputs("chatbot", "box", *memory))
        clear.click(cleared, [saved, conversation], shown, **private)
        forgotten, shown = by_name(forget, outputs(*memory))
        chatbot.clear(forgotten, [saved, conversation], shown, **private)  # the panel empties itself
        opened = outputs("chatbot", "history", "conversation", "answer_ids", "fill", "past", "suggestions")
        reopen, reopened = by_name(new_conversation, opened)
        new.click(reopen, None, reopened, **private)
        reopen, reopened = by_name(lambda s, c: open_conversation(ctx, s, c), opened)
        past.input(reopen, [saved, past], reopened, api_visibility="private")
        def on_like(ids: dict, data: gr.LikeData) -> None:  # Gradio finds LikeData by this hint (not on a partial)
            rate(ctx, ids, data)
        chatbot.like(on_like, [answer_ids], None, api_visibility="undocumented")  # queued: its toast shows
    restored, reopened = by_name(lambda s: {**open_conversation(ctx, s, (s or {}).get("current")), "past": gr.update(
        choices=conversations.choices(s), value=(s or {}).get("current"))}, opened)
    restore = {"fn": restored, "inputs": [saved], "outputs": reopened}
    return {"region": region, "doc": doc, "history": history, "fill": fill, "restore": restore}


def suggestions(ctx: AppContext, history: list) -> dict:
    """猜你想问 under the last answer: up to three questions about the clauses next to the ones it
    cited (assistant/suggest.py); hidden after a refusal or a cleared chat."""
    answer = history[-1].answer if history else None
    with for_people():
        found = next_questions(answer, ctx.retriever().corpus) if answer is not None else []
    return {"suggestions": gr.update(visible=bool(found)),
            **{f"suggest_{i}": gr.update(value=found[i] if i < len(found) else "", visible=i < len(found))
               for i in range(SUGGESTIONS)}}


def keep_conversation(saved: dict, conversation_id: str | None, messages: list) -> dict:
    """Store the conversation in the browser, and list it among the past ones."""
    conversation_id = conversation_id or conversations.new_id()
    saved = conversations.saved_with(saved, conversation_id, messages)
    listed = conversations.choices(saved)
    return {"saved": saved, "conversation": conversation_id,
            "past": gr.update(choices=listed, value=conversation_id if messages else None)}


def forget(saved: dict, conversation_id: str | None) -> dict:
    """清空对话: the follow-up memory and this conversation's stored copy (the screen is the caller's)."""
    return {"history": [], "fill": gr.update(visible=False), "answer_ids": {}, "suggestions": gr.update(visible=False),
            **keep_conversation(saved, conversation_id, [])}


def new_conversation() -> dict:
    return {"chatbot": [], "history": [], "conversation": conversations.new_id(), "answer_ids": {},
            "fill": gr.update(visible=False), "past": gr.update(value=None), "suggestions": gr.update(visible=False)}


def open_conversation(ctx: AppContext, saved: dict, conversation_id: str | None) -> dict:
    """A stored conversation back on screen, its follow-up memory rebuilt; none: a new one."""
    found = conversations.find(saved, conversation_id)
    if found is None:
        return {**new_conversation(), "past": gr.update()}
    with for_people():
        history = conversations.replay(ctx, found["messages"])
    return {"chatbot": found["messages"], "history": history, "conversation": found["id"], "answer_ids": {},
            "fill": gr.update(visible=last_assessment(history) is not None), "suggestions": gr.update(visible=False)}


def last_assessment(history: list) -> Applied | None:
    """The verdict of the conversation's last answer, when it judged the asker's facts."""
    answer = history[-1].answer if history else None
    return answer.assessment if answer is not None else None
