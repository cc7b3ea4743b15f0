"""What kind of answer a question asks for, and whether a clause gives one.
"牵头企业营收要多少？" asks for money; "多久交年报？" for a time; "联合体是什么？" for a
definition; "不参加评估会怎么样？" for a consequence. A clause that gives an answer of the
asked kind is more likely the answer than a sibling that only talks about the topic."""
from __future__ import annotations

import re

_NUM = r"(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千半]+)"

# type → (how a question asks for it, how a clause states it)
ANSWER_TYPES: dict[str, tuple[re.Pattern, re.Pattern]] = {
    "money": (
        re.compile(r"多少钱|多少万|多少亿|多少经费|多少资金|给多少|补多少|营收|收入要|注册资金|注册资本"
                   r"|研发费用|研发经费|研发投入|资金规模|经费"),
        re.compile(rf"{_NUM}\s*(?:万元|亿元|元)"),
    ),
    "count": (
        re.compile(r"几家|几个|多少家|多少个|多少人|几人|几名|几次|多少次|多少名|几例|多少例|几项|最少|至少|最多|上限"),
        re.compile(rf"{_NUM}\s*(?:家|个|人|名|次|例|项|所)"),
    ),
    "ratio": (
        re.compile(r"比例|比重|百分之|占比|多少%|几成|几分之|占多少|能占|占几"),
        re.compile(rf"\d+(?:\.\d+)?\s*[%％]|{_NUM}分之{_NUM}"),
    ),
    # Not figures, but kinds of answer a clause gives all the same:
    "definition": (
        re.compile(r"是什么|是啥|啥样|什么样的(?:组织|机构|平台)|什么是|定义|指的是|何谓|什么意思"),
        re.compile(r"所称|是指|定义"),
    ),
    "consequence": (
        re.compile(r"会怎么样|会怎样|什么后果|有何后果|怎么处理|会不会被|会被|受影响|会取消|算不算放弃"),
        re.compile(r"视为|取消|撤销|摘牌|不予|自动放弃"),
    ),
    "time": (
        re.compile(r"多久|多长时间|几年|几个月|什么时候|何时|截止|期限|哪天|几月|多长|周期|期满"),
        re.compile(rf"{_NUM}\s*(?:年|个月|月底|月|日|天)|月底|日前|年底"),
    ),
}


def expected_answer_types(question: str) -> tuple[str, ...]:
    return tuple(t for t, (asks, _) in ANSWER_TYPES.items() if asks.search(question))


def states_answer_type(text: str, types: tuple[str, ...]) -> bool:
    return any(ANSWER_TYPES[t][1].search(text) for t in types)
