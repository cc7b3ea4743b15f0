"""A language model's proposed facts (assistant.proposed_facts): asked for JSON constrained to the
programme's JSON Schema, and let through only where the question states them
(selfcheck.facts.check_proposed). The model proposes; the rules engine judges. A fake model
stands in for it here: what is tested is the checking, not the model."""
from __future__ import annotations

import json
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, ChatResult

from assistant.applied import assess_question
from assistant.proposed_facts import propose_facts
from selfcheck import load_program


class FakeChat(BaseChatModel):
    """Replies with a fixed text and records what it was asked with."""

    reply: str = "{}"
    fail: bool = False
    calls: list = []

    @property
    def _llm_type(self) -> str:
        return "fake"

    def _generate(self, messages, stop=None, run_manager=None, **kwargs: Any) -> ChatResult:
        self.calls.append(kwargs)
        if self.fail:
            raise ConnectionError("down")
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=self.reply))])


def _proposer(model: FakeChat):
    return lambda question, rules: propose_facts(model, question, rules)


def _verdicts(applied) -> dict[str, str]:
    return {c.id: c.status for c in applied.decided}


def test_the_model_is_asked_for_json_in_the_programmes_schema():
    model = FakeChat(reply='{"lead_annual_revenue_wan": 80000, "lead_rd_staff": null}', calls=[])
    proposed = propose_facts(model, "我们营收8亿", load_program("gx-consortium"))
    assert proposed == {"lead_annual_revenue_wan": 80000}
    fmt = model.calls[0]["response_format"]
    assert fmt["type"] == "json_schema"
    schema = fmt["json_schema"]["schema"]
    assert schema["additionalProperties"] is False and "lead_annual_revenue_wan" in schema["properties"]
    assert all(not k.startswith("x-") for prop in schema["properties"].values() for k in prop)


def test_a_proposal_settles_a_figure_the_words_leave_between_two_fields():
    """Without the embedder, 营收 is said by two money fields' words: asked back. The model says
    which, the figure is in the question with the field's word beside it: accepted, then judged."""
    question = "我们公司去年营收8亿元，能牵头组建广西创新联合体吗？"
    alone = assess_question(question, ["gx-consortium"])
    assert alone.facts.unclear and not alone.decided
    model = FakeChat(reply=json.dumps({"lead_annual_revenue_wan": 80000}), calls=[])
    applied = assess_question(question, ["gx-consortium"], propose=_proposer(model))
    assert _verdicts(applied) == {"lead_revenue": "fail"}
    assert applied.facts.unclear == () and applied.proposed.accepted == {"lead_annual_revenue_wan": 80000}


def test_a_number_the_question_does_not_state_is_rejected():
    model = FakeChat(reply=json.dumps({"lead_annual_revenue_wan": 120000}), calls=[])
    applied = assess_question("我们公司去年营收8亿元，能牵头吗？", ["gx-consortium"], propose=_proposer(model))
    assert "lead_revenue" not in _verdicts(applied)
    assert applied.proposed.rejected == (("lead_annual_revenue_wan", 120000, "问题中没有这个数"),)


def test_a_figure_is_not_given_a_field_its_words_do_not_name():
    """"200名员工" fits a count of people, but nothing beside it says 研发人员: not guessed."""
    model = FakeChat(reply=json.dumps({"lead_rd_staff": 200, "lead_annual_revenue_wan": 120000}), calls=[])
    applied = assess_question("我们有200名员工，主营业务收入12亿，能牵头吗？", ["gx-consortium"], propose=_proposer(model))
    assert _verdicts(applied) == {"lead_revenue": "pass"}
    assert ("lead_rd_staff", 200, "问题中这个数旁边没有说到这一项") in applied.proposed.rejected


def test_a_yes_no_must_be_said_and_with_that_polarity():
    model = FakeChat(reply=json.dumps({"lead_has_provincial_platform": True, "lead_is_tech_leader": True}), calls=[])
    applied = assess_question("我们还没有省级以上创新平台，研发经费平均4500万，能申报湖南省技术创新中心吗？", ["hn-tic"],
                              propose=_proposer(model))
    assert applied.facts.values["lead_has_provincial_platform"] is False  # the reader's own reading stands
    rejected = {k: why for k, _, why in applied.proposed.rejected}
    assert set(rejected) == {"lead_has_provincial_platform", "lead_is_tech_leader"}
    assert "lead_is_tech_leader" not in applied.facts.values


def test_the_model_never_judges_and_a_failing_model_changes_nothing():
    question = "我们专职研发人员25人，牵头广西创新联合体够吗？"
    judging = FakeChat(reply='结论：满足。{"lead_rd_staff": 25, "lead_rd_staff_verdict": "pass"}', calls=[])
    applied = assess_question(question, ["gx-consortium"], propose=_proposer(judging))
    assert _verdicts(applied) == {"lead_rd_staff": "fail"}  # 25 < 30, whatever the model wrote
    assert ("lead_rd_staff_verdict", "pass", "没有这个字段") in applied.proposed.rejected
    down = assess_question(question, ["gx-consortium"], propose=_proposer(FakeChat(fail=True, calls=[])))
    assert _verdicts(down) == {"lead_rd_staff": "fail"} and down.proposed.accepted == {}


def test_the_local_model_gets_the_schema_as_its_json_grammar():
    """llama.cpp constrains the local model's output with a grammar made from the JSON Schema."""
    from langchain_core.messages import HumanMessage

    from assistant.llm import LocalLlamaChat
    from assistant.proposed_facts import proposal_schema, response_format

    rules = load_program("hn-tic")
    chat = LocalLlamaChat(model_path="unused.gguf")
    request = chat._request([HumanMessage("注册资金1000万")], None, response_format(rules))
    assert request["response_format"] == {"type": "json_object", "schema": proposal_schema(rules)}
    assert "response_format" not in chat._request([HumanMessage("你好")], None)
