"""A complete question after unrelated turns is answered as if asked alone: same clauses, same
refusal (issue 17). The pairs are data (standalone_pairs.yaml, written for the cases that went
wrong), and so is the gold set's standalone.jsonl (every row against its question alone)."""
import json
from pathlib import Path

import pytest
import yaml

from assistant import Assistant, Session
from evals.gold.make_standalone import HERE as GOLD_DIR

pytestmark = pytest.mark.slow
PAIRS = yaml.safe_load((Path(__file__).parent / "standalone_pairs.yaml").read_text(encoding="utf-8"))
GOLD = [json.loads(line) for line in (GOLD_DIR / "standalone.jsonl").read_text(encoding="utf-8").splitlines() if line]


def _answered(answer) -> tuple:
    return answer.refusal, [c.clause.id for c in answer.citations]


@pytest.mark.parametrize("pair", PAIRS + GOLD, ids=lambda p: p["q"][:20])
def test_a_complete_question_is_answered_as_asked(real_retriever, pair):
    assistant = Assistant(real_retriever)
    session = Session(assistant)
    for earlier in pair["history"]:
        session.ask(earlier)
    after = session.ask(pair["q"])
    assert _answered(after) == _answered(assistant.answer(pair["q"])), after.resolved_question


def test_an_elliptical_question_still_borrows(real_retriever):
    """The other side: "那湖南呢？" and "内蒙古的要求呢？" ask nothing of their own."""
    session = Session(Assistant(real_retriever))
    session.ask("广西技术创新中心的建设期是多久？")
    assert session.ask("内蒙古的要求呢？").resolved_question == "内蒙古技术创新中心的建设期是多久？"


@pytest.mark.parametrize("history,question,check", [
    # a region with no document at all: the previous question, asked of it, is out of scope
    (["湖南技术创新中心注册资金要多少？"], "那广东的呢？", lambda a: a.refusal == "out_of_scope"),
    # "湖南那边怎么报？" asks nothing the previous question did not: 湖南's 创新联合体, which does not exist
    (["广西创新联合体怎么申报？"], "湖南那边怎么报？", lambda a: a.text.startswith("现有政策文件中没有湖南的创新联合体文件")),
    # "这种" refers back: 湖南's 示范区 (there is none), not any 补助 of 湖南's own documents
    (["广西新批的成果转化示范区给多少钱？"], "湖南有这种补助吗？",
     lambda a: a.refused or a.text.startswith("现有政策文件中没有湖南的")),
    # an opening 那 only leads into a question of its own: 湖南's 中心负责人, not the 广西 question
    # asked again of 湖南 (blind set I)
    (["广西技创中心的主任一年里至少得在中心干多长时间？"], "那湖南对中心负责人是什么要求？能让集团副总兼着吗？",
     lambda a: a.resolved_question is None and not a.refused and "专职工作人员" in a.text),
    # "那…呢？" asking nothing of its own, with its programme named again: the previous question of
    # the other level (国家级 for 自治区级), not the programme's 建设布局 (blind set I)
    (["广西新批下来的自治区级成果转化示范区，能拿多少项目经费？"], "那以后要是评上了国家级的示范区呢？",
     lambda a: "国家级" in (a.resolved_question or "") and "300万元" in a.text),
    # 成员单位 replaces 牵头单位 (same kind), it is not added to it
    (["创新联合体对牵头单位有什么限制？"], "那成员单位最多能参加几个？",
     lambda a: "牵头单位" not in a.resolved_question and "3个" in a.text),
    # read alone, no document answers it; read in the conversation (内蒙古's 专家委员会), one does
    (["内蒙古技术创新中心的专家委员会怎么组成？"], "依托单位的人能占多少？",
     lambda a: not a.refused and a.citations[0].clause.doc_id == "nm-tic" and "三分之一" in a.text),
    # a phrase on 呢 ("…的话呢，") asks "and what about …" of the conversation, though it names an
    # entity of its own (blind set K)
    (["湖南省技术创新中心企业牵头要满足什么条件？"], "高校牵头的话呢，有什么要求？",
     lambda a: a.citations[0].clause.doc_id == "hn-tic" and "不低于30%" in a.text),
])
def test_follow_ups_that_used_to_go_wrong(real_retriever, history, question, check):
    """From the blind multi-turn set (evals/blind/multiturn), first measured before these changes."""
    session = Session(Assistant(real_retriever))
    for earlier in history:
        session.ask(earlier)
    answer = session.ask(question)
    assert check(answer), (answer.resolved_question, answer.text[:200])
