"""The chat handler the page calls, on the real index: the question shows at once, the answer
follows with its sources, follow-ups use the session's own history, the LLM mode streams."""
import shutil

import gradio as gr
import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from assistant.chain import MAX_TURNS
from ui.chat_tab import Memory, respond
from ui.context import AppContext
from ui.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(real_index, tmp_path_factory):
    path = tmp_path_factory.mktemp("chat") / "data"
    shutil.copytree(real_index, path)
    return path


def test_question_then_answer_with_sources_then_follow_up(data_dir):
    ctx = AppContext(Settings(data_dir=data_dir))
    steps = list(respond(ctx, "广西创新联合体的牵头企业营收要多少？", [], "", "", "原文摘录", "c1"))
    assert len(steps) == 1  # an extractive answer comes at once: one update, not a stream
    assert steps[0]["chatbot"][0] == {"role": "user", "content": "广西创新联合体的牵头企业营收要多少？"}
    assert steps[0]["box"] == ""
    messages, memory = steps[-1]["chatbot"], steps[-1]["memory"]
    assert "10亿元" in messages[1]["content"]
    assert messages[2]["metadata"]["title"] == "[1] 《广西壮族自治区创新联合体管理办法（试行）》第五条（二）1"
    assert memory.conversation == "c1" and len(memory.turns) == 1
    steps = list(respond(ctx, "那湖南呢？", messages, "", "", "原文摘录", "c1", memory))
    follow = steps[-1]["chatbot"][len(messages):]
    assert follow[0]["role"] == "user" and "湖南省技术创新中心建设实施方案" in follow[2]["metadata"]["title"]
    assert "按“湖南" in follow[1]["content"]  # says how the follow-up was understood


def test_a_memory_is_only_used_by_its_own_conversation(data_dir):
    """The memory of conversation c1 handed to c2 (events of two conversations crossing) is not
    used: c2 follows up on its own questions only — here none, so 那湖南呢 is not about 联合体."""
    ctx = AppContext(Settings(data_dir=data_dir))
    first = list(respond(ctx, "广西创新联合体的牵头企业营收要多少？", [], "", "", "原文摘录", "c1"))[-1]
    other = list(respond(ctx, "那湖南呢？", [], "", "", "原文摘录", "c2", first["memory"]))[-1]
    assert other["memory"].conversation == "c2" and "按“湖南" not in other["chatbot"][1]["content"]
    assert "创新联合体" not in other["memory"].turns[-1].resolved
    # …and a reload (no memory at all) rebuilds c1's from its messages on screen
    again = list(respond(ctx, "那湖南呢？", first["chatbot"], "", "", "原文摘录", "c1", None))[-1]
    assert "按“湖南" in again["chatbot"][len(first["chatbot"]) + 1]["content"]


def test_filters_restrict_the_sources(data_dir):
    ctx = AppContext(Settings(data_dir=data_dir))
    messages = list(respond(ctx, "牵头单位有什么条件？", [], "", "nm-tic", "原文摘录"))[-1]["chatbot"]
    sources = [m for m in messages if (m.get("metadata") or {}).get("title")]
    assert sources and all("内蒙古" in m["metadata"]["title"] for m in sources)


def test_empty_message_changes_nothing(data_dir):
    ctx = AppContext(Settings(data_dir=data_dir))
    before = [{"role": "user", "content": "x"}]
    assert list(respond(ctx, "   ", before, "", "", "原文摘录")) == [{"chatbot": before, "box": ""}]


def test_llm_mode_streams_then_shows_the_verified_answer(data_dir, real_retriever):
    question = "广西创新联合体牵头企业营收要多少？"
    n = 1 + [h.clause.path for h in real_retriever.search(question, k=5)].index("第五条（二）1")
    model = FakeListChatModel(responses=[f"牵头企业年主营业务收入原则上应达到10亿元以上[{n}]。"])
    ctx = AppContext(Settings(data_dir=data_dir), chat_model=model)
    steps = list(respond(ctx, question, [], "", "", "大模型"))
    partial = [s["chatbot"][-1]["content"] for s in steps[1:-1]]
    assert len(partial) > 3 and all(b.startswith(a) for a, b in zip(partial, partial[1:]))  # grows token by token
    final = steps[-1]["chatbot"]
    assert final[1]["content"].startswith("牵头企业年主营业务收入原则上应达到10亿元以上[1]")
    assert final[2]["metadata"]["title"].endswith("第五条（二）1")


def test_llm_mode_without_a_model_is_a_chinese_error(data_dir):
    with pytest.raises(gr.Error) as exc:
        list(respond(AppContext(Settings(data_dir=data_dir)), "营收要多少？", [], "", "", "大模型"))
    assert "未配置大模型" in exc.value.message


def test_history_is_bounded(data_dir):
    ctx = AppContext(Settings(data_dir=data_dir))
    memory = None
    for _ in range(MAX_TURNS + 3):
        memory = list(respond(ctx, "广西技术创新中心的建设期是几年？", [], "", "", "原文摘录", "c", memory))[-1]["memory"]
    assert isinstance(memory, Memory) and len(memory.turns) == MAX_TURNS


def test_thumbs_and_flags_are_recorded_against_the_answer(data_dir):
    """The 👍/👎 and the flagged reasons on any message of an answer (its text or a source),
    found from the messages alone: each answer carries its answer_id (what a reloaded page has)."""
    import json

    from evals.logbook import Logbook
    from ui.chat_tab import rate

    ctx = AppContext(Settings(data_dir=data_dir))
    *_, turn = respond(ctx, "广西创新联合体的牵头企业营收要多少？", [], "", "", "原文摘录", "c")
    *_, turn = respond(ctx, "那湖南呢？", turn["chatbot"], "", "", "原文摘录", "c", turn["memory"])
    messages = json.loads(json.dumps(turn["chatbot"]))  # as stored in the browser and sent back
    follow_up = next(i for i, m in enumerate(messages) if m["content"] == "那湖南呢？")
    first, second = messages[1]["metadata"]["id"], messages[follow_up + 1]["metadata"]["id"]
    assert first != second
    rate(ctx, messages, gr.LikeData(None, {"index": 2, "value": messages[2]["content"], "liked": "数字或内容有误"}))
    rate(ctx, messages, gr.LikeData(None, {"index": len(messages) - 1, "value": "", "liked": True}))
    with pytest.raises(gr.Error):  # a message with no recorded answer: said, not silently dropped
        rate(ctx, [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}],
             gr.LikeData(None, {"index": 1, "value": "y", "liked": True}))
    down = Logbook(data_dir).rated("down")
    assert [(r["answer_id"], r["comment"]) for r in down] == [(first, "数字或内容有误")]
    assert [r["answer_id"] for r in Logbook(data_dir).rated("up")] == [second]
