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
        re.compile(r"比例|比重|百分之|占比|多少%|几成|几分之|占多少|能占|占几|率(?:是|为|按)?多少|多少.?率"),
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
    "time": (  # a span of time
        re.compile(r"多久|多长时间|几年|几个月|期限|周期|多长|(?:什么|啥)时候|何时|(?:几时|何时)期满"),
        re.compile(rf"{_NUM}\s*(?:年|个月|天)(?!底)"),
    ),
    "deadline": (  # a date something is due by
        re.compile(r"截止|几月|哪天|几号|哪一?年|(?:什么|啥)时候(?:交|报|提交|报送|截止)|何时(?:交|报|提交)|多久交|每年(?:什么|啥)时候"),
        re.compile(rf"{_NUM}\s*月底|\d+\s*月\s*\d+\s*日|月底前|日前|年底|到\s*\d{{4}}\s*年"),
    ),
    "effective": (  # "这个办法从什么时候开始算数？": when a document takes effect
        re.compile(r"(?:什么时候|啥时候|何时)(?:开始|起)|从(?:什么时候|啥时候|何时)|生效|施行|开始执行|开始实施|开始算数"),
        re.compile(r"之日起|起施行|起实施|起执行"),
    ),
    "approval": (  # whether a change must be reported to or approved by the department
        re.compile(r"打招呼|报备|备案|批复|审批|报批|批准吗|同意吗|(?:要|需要|得)(?:向|跟|给)?.{0,6}(?:报告|说一声|报一下)"),
        re.compile(r"报备|备案|批复|审批|书面形式.{0,8}报告|同意后"),
    ),
    "limit": (  # how many one may take part in at most
        re.compile(r"同时(?:牵头|参与|参加|加入|申报|组建)|(?:能|可以)(?:牵头|参与|参加|加入).{0,3}(?:几个|多个|两个)|最多能"),
        re.compile(r"仅限|至多|不得超过|只能"),
    ),
    "enumeration": (  # "主要在哪些产业领域布局？": a clause that names them one by one
        re.compile(r"哪些(?:产业|领域|行业|方向)|(?:产业|领域|行业|方向)有哪些|布局(?:在)?哪些|主要在哪|重点布局"),
        re.compile(r"(?:包括|聚焦于?|涉及|重点|如)[^。；]{0,6}?(?:[\u4e00-\u9fff]{2,10}、){2,}"),
    ),
    "indicator": (  # "指标体系里…考核哪些指标？": the rows of an indicator table
        re.compile(r"(?:哪些|什么|哪几个)指标|指标(?:有哪些|包括)|报哪些数|考核哪些|统计哪些"),
        re.compile(r"（(?:家|个|人|件|场|%|亿元|万元)）"),
    ),
}

# "想换几个成员，需要报备吗？", "几家共建单位之间的知识产权怎么分？": where a sub-question asks
# something else (a yes/no, 怎么, 什么, 哪…), "几个/几家" is "a few", not a question.
_INDEFINITE = re.compile(r"几(?=[个家次项名人件所位][\u4e00-\u9fff]{2})")  # "几家共建单位", not "要几个人，"
_OTHER_QUESTION = re.compile(r"[吗么嘛][？?。！!\s]*$|怎么|怎样|如何|什么|哪|谁|为何|是否|能否|可否|能不能|是不是|有没有")


def asking_text(question: str) -> str:
    """The question with its indefinite "几个/几家" made plain ("某个"), same length."""
    parts = re.split(r"(?<=[？?。！!])", question)
    return "".join(_INDEFINITE.sub("某", p) if _OTHER_QUESTION.search(p) else p for p in parts)


def expected_answer_types(question: str) -> tuple[str, ...]:
    asking = asking_text(question)
    return tuple(t for t, (asks, _) in ANSWER_TYPES.items() if asks.search(asking))


def states_answer_type(text: str, types: tuple[str, ...]) -> bool:
    return any(ANSWER_TYPES[t][1].search(text) for t in types)


# A short quoted name ("评估等次为“撤销”的") names a grade or a title; it states nothing.
_QUOTED_NAME = re.compile(r"“[^”]{1,8}”")


def answer_types_stated(text: str, types: tuple[str, ...]) -> int:
    """How many of the asked kinds of answer a clause gives."""
    text = _QUOTED_NAME.sub("", text)
    return sum(1 for t in types if ANSWER_TYPES[t][1].search(text))
