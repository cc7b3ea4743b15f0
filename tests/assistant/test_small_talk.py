"""Thanks, greetings and chit-chat after a question are no follow-ups: a short reply, no clause,
and the next follow-up still refers to the question before them. Real index, real model."""
import pytest

from assistant import Assistant, Session
from assistant.chitchat import is_small_talk

pytestmark = pytest.mark.slow


def test_small_talk_after_a_question_gets_a_short_reply_and_no_clause(real_retriever):
    session = Session(Assistant(real_retriever))
    first = session.ask("广西创新联合体牵头企业营收要多少？")
    assert not first.refused
    for said in ("谢谢", "你好", "今天天气怎么样？", "好的，谢谢！"):
        reply = session.ask(said)
        assert reply.refused and reply.refusal == "small_talk", (said, reply.text)
        assert not reply.citations and not reply.related and reply.resolved_question is None
        assert "《" not in reply.text
    # the conversation's subject is still the first question
    follow = session.ask("那湖南呢？")
    assert follow.resolved_question is not None and "营收" in follow.resolved_question
    assert "谢谢" not in follow.resolved_question and "天气" not in follow.resolved_question


def test_short_follow_ups_and_questions_are_not_small_talk(real_retriever):
    scope = real_retriever.scope
    for q in ("需要多少人？", "多久？", "那湖南呢？", "能拿几次？", "营收呢", "这个要求是原则上的吗？",
              "示范区建设期多长？", "怎么申报？", "那市县也必须设吗？", "那我38岁做餐饮连锁呢？", "然后呢？"):
        assert not is_small_talk(q, scope), q
    for q in ("谢谢", "你好", "哈哈", "今天天气怎么样？"):
        assert is_small_talk(q, scope), q
