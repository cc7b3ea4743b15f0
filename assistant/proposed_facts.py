"""With a language model configured, it may propose the asker's facts for a programme: JSON
constrained to the programme's JSON Schema (an OpenAI-compatible endpoint's structured output;
llama.cpp's JSON-schema grammar for the local model). The proposal is only a proposal:
selfcheck.facts.check_proposed lets through the values the question itself states, and the
rules engine judges. The model never judges, and a model that fails proposes nothing."""
from __future__ import annotations

import json
import re
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.prompts import ChatPromptTemplate

from selfcheck.model import ProgramRules
from selfcheck.schema import rules_schema

PROMPT = ChatPromptTemplate.from_messages([
    ("system", "你从企业的提问中抽取企业自己陈述的情况，按给定的 JSON Schema 输出一个 JSON 对象。"
               "只填问题中明确说到的信息，金额换算成字段要求的单位（万元），问题没说到的字段填 null。"
               "不要判断是否符合条件，不要输出 JSON 以外的任何文字。\n字段：\n{fields}"),
    ("human", "{question}"),
])
_OBJECT = re.compile(r"\{.*\}", re.DOTALL)
_KEEP = ("type", "enum", "minimum", "maximum", "description", "title")


def proposal_schema(rules: ProgramRules) -> dict[str, Any]:
    """The programme's input schema with the keywords structured output accepts."""
    full = rules_schema(rules)
    properties = {key: {k: v for k, v in prop.items() if k in _KEEP} for key, prop in full["properties"].items()}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def response_format(rules: ProgramRules) -> dict[str, Any]:
    """OpenAI-style structured output (LocalLlamaChat turns it into llama.cpp's schema grammar)."""
    return {"type": "json_schema",
            "json_schema": {"name": f"facts_{rules.program.id.replace('-', '_')}", "schema": proposal_schema(rules)}}


def _field_lines(rules: ProgramRules) -> str:
    return "\n".join(f"- {f.key}：{f.label}" + (f"（{f.unit}）" if f.unit else "") for f in rules.fields)


def propose_facts(chat_model: BaseChatModel, question: str, rules: ProgramRules) -> dict[str, Any]:
    """The facts the model proposes (field → value; nulls dropped); {} when it fails or writes
    anything but one JSON object."""
    messages = PROMPT.format_messages(fields=_field_lines(rules), question=question)
    try:
        reply = chat_model.invoke(messages, response_format=response_format(rules))
    except Exception:  # model down, slow or refusing the format: the reader's own facts stand
        return {}
    content = reply.content if isinstance(reply.content, str) else ""
    found = _OBJECT.search(content)
    try:
        data = json.loads(found.group()) if found else None
    except json.JSONDecodeError:
        return {}
    return {str(k): v for k, v in data.items() if v is not None} if isinstance(data, dict) else {}
