"""政策问答: the chat. Follow-ups keep their context in the browser session's own history; the
LLM mode streams its tokens; every cited clause is shown as a collapsible source."""
from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial

import gradio as gr

from assistant import Session, Turn
from assistant.applied import Applied
from assistant.suggest import SUGGESTIONS, next_questions
from assistant.types import MODE_LABELS, mode_of
from ingest.clean import MAX_QUESTION_CHARS, clean_question
from ui import choices, conversations
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
ALL = choices.ALL
# Answers in parallel. An extractive answer is ~30 ms of work, most of it the question's
# embedding in C (which releases the GIL): with few workers, answers wait in Gradio's queue
# behind its own bookkeeping, not behind the CPU. As many as the HTTP API would run, within
# reason; the queue in front of them absorbs the rest (see ui/web.py QUEUE_SIZE).
CHAT_CONCURRENCY = 16
# The LLM mode streams for seconds and the local model takes a core or two: its own, lower limit.
LLM_CONCURRENCY = 2
_LLM_SLOTS = threading.BoundedSemaphore(LLM_CONCURRENCY)


def filter_choices(ctx: AppContext) -> tuple[list, list]:
    """Region and document filters from the live index (uploads included)."""
    retriever = ctx.retriever()
    return choices.region_choices(retriever), choices.document_choices(retriever)


@dataclass(frozen=True)
class Memory:
    """The follow-up memory of one conversation, tagged with its id: a memory is only ever
    used for the conversation it belongs to (any other is rebuilt from that conversation's
    own questions), so two conversations cannot mix whatever order events arrive in."""

    conversation: str
    turns: tuple[Turn, ...] = ()


def memory_for(ctx: AppContext, conversation_id: str, memory: Memory | None, messages: list) -> list[Turn]:
    """The turns to answer a follow-up with: this conversation's memory, or its questions on
    screen asked again (after a reload, or a memory left from another conversation)."""
    if isinstance(memory, Memory) and memory.conversation == conversation_id:
        return list(memory.turns)
    return conversations.replay(ctx, messages)


def respond(ctx: AppContext, question: str, chat: list, region: str, document: str, mode: str,
            conversation: str | None = None, memory: Memory | None = None):
    """One turn of the page's conversation: the user's message, then the answer with its
    sources (streamed in LLM mode). The answer is kept in the logbook and its answer_id is
    stored with its message (metadata.id), so 赞/踩 find it from the screen, after a reload too."""
    question = (question or "").strip()
    chat = list(chat or [])
    if not question:
        gr.Warning("请输入问题", title="提示")
        yield {"chatbot": chat, "box": question}
        return
    conversation = conversation or conversations.new_id()
    with for_people(), _LLM_SLOTS if mode_of(mode) == "llm" else nullcontext():
        clean_question(question)  # too long, not text: said now, while the question is still in the box
        history = memory_for(ctx, conversation, memory, chat)
        session = Session(ctx.assistant(mode_of(mode)), history)
        shown = [*chat, user_message(question)]
        if mode_of(mode) == "llm":  # the question on screen while the model writes; an extractive answer is at once
            yield {"chatbot": shown, "box": "", "conversation": conversation}
        text = ""
        for answer in session.stream(question, mode=mode_of(mode), region=region or None,
                                     doc_ids=[document] if document else None):
            if isinstance(answer, str):  # the model's text so far, until the checked Answer replaces it
                text += answer
                yield {"chatbot": [*shown, {"role": "assistant", "content": text}], "box": ""}
        answered = answer_messages(answer)
        answer_id = ctx.log_answer(answer, "web")
        if answer_id is not None:
            answered[0] = {**answered[0], "metadata": {"id": answer_id}}
        yield {"chatbot": [*shown, *answered], "box": "", "conversation": conversation,
               "memory": Memory(conversation, tuple(history))}  # the session keeps its last MAX_TURNS


FEEDBACK_OPTIONS = ("Like", "Dislike", "引用条款不对", "数字或内容有误", "不该拒答", "答非所问")  # Like/Dislike: 👍/👎


def answer_id_at(messages: list, index: int) -> str | None:
    """The answer_id stored with the answer a clicked message belongs to: the message itself
    or one of the sources after it (back to the question before it)."""
    for message in reversed((messages or [])[:index + 1]):
        if not isinstance(message, dict) or message.get("role") != "assistant":
            return None
        found = (message.get("metadata") or {}).get("id")
        if found and not (message.get("metadata") or {}).get("title"):
            return str(found)
    return None


def rate(ctx: AppContext, messages: list, data: gr.LikeData) -> None:
    """👍 → 有用, 👎 or a flagged reason → 有误 (the reason as its comment), recorded against the
    answer the clicked message belongs to — read from the message on screen."""
    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
    if data.liked is None:  # a like taken back: nothing to record
        return
    answer_id = answer_id_at(messages, index)
    if answer_id is None:
        raise gr.Error("这条回答当时没有记入问答记录（记录不可用），反馈无法保存。", title="反馈")
    comment = data.liked if isinstance(data.liked, str) and data.liked not in FEEDBACK_OPTIONS[:2] else None
    rating = "up" if data.liked is True or data.liked == "Like" else "down"
    with for_people():
        ctx.feedback(answer_id, rating, comment)
    gr.Info("已记录：有用，谢谢！" if rating == "up" else f"已记录：有误{f'（{comment}）' if comment else ''}，管理员会复核。",
            title="反馈")


def build(ctx: AppContext) -> dict:
    with gr.Tab("政策问答", id="chat"):
        with gr.Row(elem_id="chat-filters"):
            # Choices come from the live index on load; the value is read on the server against
            # the live library (choices.py), so API clients may pass "湖南省", "湖南" or "hn-tic".
            region = choices.Choice([("全部地区", ALL)], value=ALL, label="地区", scale=1, elem_id="region",
                                    resolve=lambda v: choices.region_named(ctx.retriever(), v),
                                    documented=lambda: [v for _, v in choices.region_choices(ctx.retriever())])
            doc = choices.Choice([("全部文件", ALL)], value=ALL, label="文件", scale=2, elem_id="doc",
                                 resolve=lambda v: choices.document_named(ctx.retriever(), v),
                                 documented=lambda: [v for _, v in choices.document_choices(ctx.retriever())])
            mode = choices.Pick(choices.mode_choices(ctx), value=MODE_LABELS["extractive"],
                                label="回答方式", visible=ctx.llm_configured, scale=1,
                                aliases={m: label for m, label in MODE_LABELS.items()})
            past = gr.Dropdown([], label="历史对话（保存在本浏览器）", scale=2, elem_id="past-chats", interactive=True)
            new = gr.Button("新建对话", scale=1, elem_id="new-chat")
        saved = gr.BrowserState(conversations.empty(), storage_key="zhengcetong-conversations")
        conversation = gr.State(None)   # the page's one conversation id; everything below follows it
        memory = gr.State(None)         # its follow-up memory (Memory, tagged with the id)
        chatbot = gr.Chatbot(label="对话", height=520, elem_id="chatbot", buttons=["copy"],
                             feedback_options=FEEDBACK_OPTIONS, placeholder="问一个政策问题，答案引用到具体条款。")
        with gr.Row(elem_id="ask-row"):
            # No max_length: the browser would cut a pasted question silently; the server says
            # how long it is and the question stays in the box.
            box = gr.Textbox(label="问题", placeholder=f"例如：牵头企业营收要多少？（最多 {MAX_QUESTION_CHARS} 字）",
                             show_label=False, scale=5, elem_id="question")
            send = gr.Button("发送", variant="primary", scale=1, elem_id="send", min_width=64)
            clear = gr.Button("清空对话", scale=1, elem_id="clear", min_width=64)
        with gr.Row(visible=False, elem_id="suggestions") as suggest_row:
            gr.Markdown("猜你想问：", elem_id="suggest-label")
            suggested = [gr.Button("", size="sm", elem_id=f"suggest-{i}", scale=3) for i in range(SUGGESTIONS)]
        fill = gr.Button("把问题中识别出的情况带入“申报自评”", visible=False, elem_id="to-selfcheck", size="sm")
        gr.Examples(EXAMPLES, inputs=[box], label="示例问题", elem_id="examples")
        page = {"chatbot": chatbot, "memory": memory, "box": box, "fill": fill, "saved": saved,
                "conversation": conversation, "past": past, "suggestions": suggest_row,
                **{f"suggest_{i}": b for i, b in enumerate(suggested)}}
        outputs = lambda *names: {n: page[n] for n in names}  # noqa: E731
        handler, answered = by_name(partial(respond, ctx), outputs("chatbot", "box", "conversation", "memory"))
        inputs = [box, chatbot, region, doc, mode, conversation, memory]
        private = {"queue": False, "api_visibility": "private"}
        show_fill = lambda m: gr.update(visible=last_assessment(m) is not None)  # noqa: E731
        stored = outputs("saved", "past")
        keep, kept = by_name(keep_conversation, stored)
        offers = ("suggestions", *(f"suggest_{i}" for i in range(SUGGESTIONS)))
        suggest, offered = by_name(lambda m: suggestions(ctx, m), outputs(*offers))

        def after_answer(event):
            return event.then(show_fill, memory, fill, **private) \
                .then(keep, [saved, conversation, chatbot], kept, **private) \
                .then(suggest, memory, offered, **private)
        # One queue for every trigger; "/chat" is also what API clients and the load test call.
        # (Every trigger names the limit: Gradio keeps the lowest one given for a concurrency_id.)
        chat_queue = {"concurrency_id": "chat", "concurrency_limit": CHAT_CONCURRENCY}
        for trigger, extra in ((send.click, {"api_name": "chat"}), (box.submit, {"api_visibility": "undocumented"})):
            after_answer(trigger(handler, inputs, answered, **chat_queue, **extra))
        for button in suggested:  # 猜你想问: the suggestion becomes the question, asked at once
            after_answer(button.click(lambda q: q, button, box, **private)
                         .then(handler, inputs, answered, **chat_queue, api_visibility="private"))
        # 新建对话, 清空对话 and the panel's own trash icon: a new conversation id, and with it an
        # empty screen and memory; 清空 also forgets the stored copy of the one on screen.
        # (a reopened conversation shows its 猜你想问 again: the buttons are outputs too)
        fresh = outputs("chatbot", "conversation", "memory", "fill", "saved", "past", *offers)
        started, shown = by_name(new_conversation, fresh)
        new.click(started, saved, shown, **private)
        cleared, shown = by_name(forget, fresh)
        clear.click(cleared, [saved, conversation], shown, **private)
        chatbot.clear(cleared, [saved, conversation], shown, **private)  # the panel empties itself
        def picked(stored: dict, on_screen: str | None, data: gr.SelectData) -> dict:
            return open_conversation(ctx, stored, data.value, on_screen)
        reopen, reopened = by_name(picked, fresh)
        past.select(reopen, [saved, conversation], reopened, **private)  # a pick, not a blur or Esc

        def on_like(messages: list, data: gr.LikeData) -> None:  # Gradio finds LikeData by this hint (not on a partial)
            rate(ctx, messages, data)
        chatbot.like(on_like, [chatbot], None, api_visibility="undocumented")  # queued: its toast shows
    restored, reopened = by_name(lambda s: open_conversation(ctx, s, (s or {}).get("current")), fresh)
    restore = {"fn": restored, "inputs": [saved], "outputs": reopened}
    return {"region": region, "doc": doc, "history": memory, "fill": fill, "restore": restore}


def suggestions(ctx: AppContext, memory: Memory | None) -> dict:
    """猜你想问 under the last answer: up to three questions about the clauses next to the ones it
    cited (assistant/suggest.py); hidden after a refusal or a cleared chat."""
    answer = memory.turns[-1].answer if isinstance(memory, Memory) and memory.turns else None
    with for_people():
        found = next_questions(answer, ctx.retriever().corpus) if answer is not None else []
    return {"suggestions": gr.update(visible=bool(found)),
            **{f"suggest_{i}": gr.update(value=found[i] if i < len(found) else "", visible=i < len(found))
               for i in range(SUGGESTIONS)}}


def keep_conversation(saved: dict, conversation_id: str | None, messages: list) -> dict:
    """Store the page's conversation in the browser, and list it among the past ones."""
    if not conversation_id:
        return {}
    saved = conversations.saved_with(saved, conversation_id, messages)
    return {"saved": saved, "past": gr.update(choices=conversations.choices(saved),
                                              value=conversation_id if messages else None)}


def new_conversation(saved: dict | None) -> dict:
    """A new conversation id; the screen, the memory and what hangs on them start empty."""
    conversation_id = conversations.new_id()
    return {"chatbot": [], "conversation": conversation_id, "memory": Memory(conversation_id),
            "fill": gr.update(visible=False), "suggestions": gr.update(visible=False),
            "saved": conversations.current(saved, conversation_id),
            "past": gr.update(choices=conversations.choices(saved), value=None)}


def forget(saved: dict | None, conversation_id: str | None) -> dict:
    """清空对话: the conversation on screen is dropped from this browser, and a new one begins."""
    return new_conversation(conversations.without(saved, conversation_id))


def open_conversation(ctx: AppContext, saved: dict | None, conversation_id: str | None,
                      on_screen: str | None = None) -> dict:
    """A stored conversation back on screen under its own id, its follow-up memory rebuilt and
    its suggestions shown again; the one already on screen: nothing changes; none: a new one."""
    if on_screen is not None and conversation_id == on_screen:
        return {}
    found = conversations.find(saved, conversation_id)
    if found is None:
        return new_conversation(saved)
    with for_people():
        memory = Memory(found["id"], tuple(conversations.replay(ctx, found["messages"])))
    return {"chatbot": found["messages"], "conversation": found["id"], "memory": memory,
            "fill": gr.update(visible=last_assessment(memory) is not None),
            "saved": conversations.current(saved, found["id"]),
            "past": gr.update(choices=conversations.choices(saved), value=found["id"]),
            **suggestions(ctx, memory)}


def last_assessment(memory: Memory | None) -> Applied | None:
    """The verdict of the conversation's last answer, when it judged the asker's facts."""
    answer = memory.turns[-1].answer if isinstance(memory, Memory) and memory.turns else None
    return answer.assessment if answer is not None else None
