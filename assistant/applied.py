"""Applied questions in the chat ("我们营收8亿，能牵头组建创新联合体吗？"): the verdict comes
from the self-assessment engine, criterion by criterion with the gap and the clause, not from
the reader comparing figures. The programme is one the question (or the conversation) points
to; the facts are what the question states (selfcheck.facts); what it does not state is listed
as still to confirm — no verdict beyond what the facts support."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Sequence

from corpus.figures import read_figures
from corpus.glossary import load_glossary
from selfcheck import InputError, load_program
from selfcheck.engine import assess, assess_criterion, condition_text
from selfcheck.wording import value_text
from selfcheck.facts import Checked, ReadFacts, check_proposed, read_facts, stated_figures
from selfcheck.meaning import Encoder, Meanings
from selfcheck.model import Condition, CriterionResult, ProgramRules
from selfcheck.rules import program_ids
from selfcheck.solve import Solution, solve

MAX_PENDING_SHOWN = 6


@dataclass(frozen=True)
class Applied:
    rules: ProgramRules
    facts: ReadFacts
    decided: tuple[CriterionResult, ...] = ()     # pass / fail on the stated facts alone
    solutions: tuple[Solution, ...] = ()          # "最多能有几个": the count the rule allows
    pending: tuple[CriterionResult, ...] = ()     # read a stated fact but need another
    untouched: int = 0                            # criteria the question says nothing about
    problem: str | None = None                    # the stated facts contradict each other
    assumed: tuple[tuple[str, str], ...] = ()     # criterion id → the condition it was judged under
    conditional: tuple[tuple[CriterionResult, str], ...] = ()  # judged only "if" the asker is of a kind
    proposed: Checked | None = None               # a language model's proposed facts, as checked

    @property
    def clause_refs(self) -> list[tuple[str, str]]:
        """(doc_id, clause path) of the clauses that answer the question, most telling first:
        those of the counts solved, of the criteria not met and of the figures compared. A met
        yes/no or choice ("高校牵头" is one of the modes) says little the retrieved clause does not."""
        telling = [c for c in self.decided if c.status == "fail" or c.kind == "quantitative"]
        results = ([s.criterion for s in self.solutions] + sorted(telling, key=lambda c: c.status != "fail")
                   + [c for c, _ in self.conditional])
        return list(dict.fromkeys((c.citation.doc_id, c.citation.clause_path) for c in results))

    def to_dict(self) -> dict:
        def criterion(c: CriterionResult) -> dict:
            return {"id": c.id, "title": c.title, "status": c.status, "value": c.actual,
                    "required": c.required, "gap": c.gap, "citation": c.citation.to_dict(),
                    "exception": c.exception.to_dict() if c.exception else None}
        return {
            "programme": self.rules.program.id, "programme_name": self.rules.program.name,
            "facts": {k: {"value": v, "said": self.facts.said.get(k, "")} for k, v in self.facts.values.items()},
            "criteria": [criterion(c) for c in self.decided],
            "solutions": [{"field": s.field, "value": s.value, "bound": "most" if s.most else "least",
                           "criterion": criterion(s.criterion)} for s in self.solutions],
            "to_confirm": [c.title for c in self.pending], "unrecognised": list(self.facts.unmapped),
            "unclear": [u.question for u in self.facts.unclear],
            "assumed": dict(self.assumed), "problem": self.problem,
            "conditional": [{"condition": cond, **criterion(c)} for c, cond in self.conditional],
            "proposed": None if self.proposed is None else {
                "accepted": self.proposed.accepted,
                "rejected": [{"field": k, "value": v, "reason": why} for k, v, why in self.proposed.rejected]},
        }


def asks_to_judge(question: str) -> bool:
    """Whether it asks if the asker qualifies (能不能, 够不够, 达标…, or any yes/no question
    after the facts: "…还能加入吗？", "…就够了吧？", "会不会超比例？") or how far off it is (还差)."""
    cues = load_glossary().applied_cues
    yes_no = (re.search(r"[吗么不没吧][？?。！!\s]*$", question) is not None
              or re.search(r"[吗吧][？?！!]", question) is not None  # "能批这么多吗？最多能给多少"
              or re.search(r"([\u4e00-\u9fff])[不没]\1", question) is not None)  # A不A: 会不会超, 是不是
    return yes_no or any(w in question for kind in ("qualify", "gap") for w in cues.get(kind, ()))


_MEANINGS: dict[tuple[str, str, int], Meanings] = {}   # (rules file or its limits, digest, embedder)


def meanings_of(rules: ProgramRules, encoder: Encoder | None) -> Meanings:
    """One programme's field meanings per embedder (their vectors are computed once)."""
    key = (rules.source, rules.digest, id(encoder))
    if key not in _MEANINGS:
        _MEANINGS[key] = Meanings(rules, encoder)
    return _MEANINGS[key]


_PART = re.compile(r"[^，,。；;！!？?\n]+")


def scope_question(question: str) -> str:
    """The question as its scope is read: places that describe members are facts about them,
    not where the question is asked about — they are left out: in a part about the other
    members ("其他都是广东、湖南的", "其余在北京、上海"), or right after a count of them ("再拉进来
    一家湖南的研究所", "有2家广东的企业"), or where the asker says it is itself ("我们企业注册
    在广州") when the question names another region too ("…能牵头广西的创新联合体吗"): then
    that one is asked about. Everything else stays as asked."""
    g = load_glossary()
    others = g.applied_cues.get("others", ())
    askers = tuple(g.applied_cues.get("asker", ()))
    places = sorted({n for names in g.regions.values() for n in names} | set(g.cities), key=len, reverse=True)
    if not places:
        return question
    pattern = re.compile("|".join(map(re.escape, places)))
    counted = {f.end for f in read_figures(question) if f.family == "count"}

    def region(words: str) -> set[str]:
        return {g.region_in_text(p.group()) for p in pattern.finditer(words)} - {None}

    def own(m: re.Match) -> bool:  # the asker's own place, and another region asked about
        part = m.group().strip()
        rest = question[:m.start()] + question[m.end():]
        return bool(askers) and part.startswith(askers) and bool(region(part)) and bool(region(rest) - region(part))

    def mask(m: re.Match) -> str:
        part = m.group()
        if others and part.strip().startswith(others) or own(m):
            return pattern.sub("", part)
        return pattern.sub(lambda p: "" if m.start() + p.start() in counted else p.group(), part)
    return _PART.sub(mask, question)


Proposer = Callable[[str, ProgramRules], Mapping[str, Any]]


def assess_question(question: str, programmes: Sequence[str], encoder: Encoder | None = None,
                    propose: Proposer | None = None) -> Applied | None:
    """The assessment of the facts `question` states, against the candidate programme whose
    fields they fill best (ties: the first candidate). None when it states no fact of theirs.
    encoder: the index's embedder, which binds figures to fields by meaning with the words;
    propose: a language model's proposed facts for a programme, let through only where the
    question states them (selfcheck.facts.check_proposed)."""
    cues = load_glossary().applied_cues
    candidates = [p for p in programmes if p in program_ids()]
    best: tuple[int, ProgramRules, ReadFacts] | None = None
    for rules in (r for pid in candidates for r in _rule_sets(load_program(pid))):
        facts = read_facts(question, rules, cues, meanings=meanings_of(rules, encoder))
        if (facts.values or facts.unclear) and (best is None or len(facts.values) > best[0]):
            best = (len(facts.values), rules, facts)
    judging = asks_to_judge(question)
    if best is None and propose is not None and judging and candidates and stated_figures(question):
        # figures no field's words claim: the model may say which they are
        rules = load_program(candidates[0])
        best = (0, rules, read_facts(question, rules, cues, meanings=meanings_of(rules, encoder)))
    if best is None:
        return None
    _, rules, facts = best
    checked = None
    if propose is not None:
        checked = check_proposed(question, rules, propose(question, rules), facts, meanings_of(rules, encoder), cues)
        facts = replace(facts, values={**facts.values, **checked.accepted},
                        said={**facts.said, **{k: "大模型从问题中读出，已核对" for k in checked.accepted}},
                        unclear=tuple(u for u in facts.unclear if not set(u.fields) & set(checked.accepted)))
        if not facts.values and not facts.unclear:
            return None
    try:
        assessment = assess(rules, facts.values)
    except InputError as exc:  # the stated facts contradict each other ("6家单位，其中区内注册8家")
        return Applied(rules, facts, problem=exc.message) if judging else None
    stated = set(facts.values)
    criteria, assumed = _judged_as_applying(rules, assessment.criteria, facts.values)
    decided = tuple(c for c in criteria if c.status in ("pass", "fail"))
    conditional = _judged_if_of_kind(rules, criteria, facts.values)
    if_kind = {c.id for c, _ in conditional}
    most = _bound_asked(question, cues)
    solutions = tuple(s for field in facts.asked for c in rules.criteria if field in c.fields
                      for s in [solve(rules, c, facts.values, field, most)] if s is not None)
    solved = {s.criterion.id for s in solutions}
    pending = tuple(c for c in criteria if c.status == "unknown" and stated & set(c.fields)
                    and c.id not in solved | if_kind)
    if not (solutions or judging and (decided or conditional or pending or facts.unclear)):
        return None
    # the criteria left to the self-assessment form (a programme's limits are not on it)
    untouched = 0 if rules.of_limits else sum(c.status == "unknown" and not stated & set(c.fields) for c in criteria)
    return Applied(rules, facts, decided, solutions, pending, untouched, assumed=assumed,
                   conditional=conditional, proposed=checked)


def _rule_sets(rules: ProgramRules) -> tuple[ProgramRules, ...]:
    """A programme's eligibility rules, then the limits on its support measures, if any."""
    return (rules,) if rules.limits is None else (rules, rules.limits)


def _judged_as_applying(rules: ProgramRules, results: Sequence[CriterionResult], values: dict
                        ) -> tuple[tuple[CriterionResult, ...], tuple[tuple[str, str], ...]]:
    """A criterion that applies only when a yes/no holds that the question does not state
    ("注册资金" applies to a centre that is an independent legal entity), whose own figures it
    does state ("注册资金打算认缴0.1亿元"), is judged as if it applied, and says so: the asker
    asked about that figure. A condition on a kind ("牵头单位为企业时") is not presumed: the
    kind decides which criteria there are at all (see _judged_if_of_kind)."""
    judged = dict(_under_unstated_condition(rules, results, values, boolean=True))
    out = tuple(judged[r.id][0] if r.id in judged else r for r in results)
    return out, tuple((cid, cond) for cid, (_, cond) in judged.items())


def _judged_if_of_kind(rules: ProgramRules, results: Sequence[CriterionResult], values: dict
                       ) -> tuple[tuple[CriterionResult, str], ...]:
    """Criteria whose every figure the question states but which apply only to a kind of
    asker it does not say it is ("近三年平均研发经费" counts when the lead is an enterprise):
    judged as they would be for that kind, and said so ("若牵头单位为企业：不满足…"), never
    counted as the asker's verdict — the kind decides which criteria there are at all."""
    return tuple(judged for _, judged in _under_unstated_condition(rules, results, values, boolean=False))


def _under_unstated_condition(rules: ProgramRules, results: Sequence[CriterionResult], values: dict,
                              boolean: bool) -> list[tuple[str, tuple[CriterionResult, str]]]:
    """(criterion id, (its result as if its condition held, the condition in words)) for each
    criterion still unknown whose figures the question states but whose condition — a yes/no
    (boolean) or a kind — it does not; only those that the figures then decide."""
    by_id = {c.id: c for c in rules.criteria}
    out = []
    for r in results:
        c = by_id[r.id]
        cond = c.applies_when
        if (r.status != "unknown" or cond is None or cond.field in values or not all(k in values for k in c.fields)
                or (rules.field(cond.field).type == "boolean") != boolean or not (boolean or cond.op == "in")):
            continue
        judged = assess_criterion(c, rules, {**values, cond.field: _satisfying(cond)})
        if judged.status in ("pass", "fail"):
            out.append((c.id, (judged, condition_text(rules, cond))))
    return out


def _satisfying(cond: Condition):
    return cond.value[0] if cond.op == "in" else cond.value


def _bound_asked(question: str, cues: dict) -> bool | None:
    if any(w in question for w in cues.get("most", ())):
        return True
    if any(w in question for w in cues.get("least", ())):
        return False
    return None


_STATUS = {"pass": "满足", "fail": "不满足"}


def _quote(rules: ProgramRules, criterion_id: str) -> str:
    return next(c.quote for c in rules.criteria if c.id == criterion_id)


def _amount(value, spec) -> str:
    """"5 人", "800 万元"."""
    return value_text(value, spec)


def headline(applied: Applied) -> str:
    """The answer in words before anything else: the number asked ("最多 5 人"), or whether the
    stated facts meet what was judged ("不满足（还差 2 亿元）"), or what must be said first."""
    if applied.problem:
        return "结论：无法判断——问题中的情况相互矛盾。"
    if applied.solutions:
        parts = []
        for s in applied.solutions:
            spec = applied.rules.field(s.field)
            parts.append(f"{spec.brief}没有满足要求的数量" if s.value is None
                         else f"{spec.brief}{'最多' if s.most else '至少'} {_amount(s.value, spec)}")
        return "结论：" + "；".join(parts) + "。"
    failed = [c for c in applied.decided if c.status == "fail"]
    if failed:
        return f"结论：不满足（{'；'.join(_failed_words(c) for c in failed)}）。"
    if applied.decided:
        rest = "，其余条件还需确认" if applied.pending or applied.untouched else ""
        return f"结论：满足（{'、'.join(c.title for c in applied.decided)}）{rest}。"
    if applied.conditional:
        return "结论：" + "；".join(f"若{cond}，{_verdict_words(c)}" for c, cond in applied.conditional) + "。"
    if applied.facts.unclear:
        return "结论：先要确认：" + "".join(u.question for u in applied.facts.unclear)
    return "结论：按问题中的信息还无法判断。"


def _failed_words(c: CriterionResult) -> str:
    """"平台能力建设专项支持金额上限：800 万元，超出 300 万元，要求…不超过 500 万元": the asker's
    figure, the gap and the bound."""
    quantitative = c.kind == "quantitative"
    required = f"，要求{c.required.replace('（含本数）', '')}" if quantitative and c.required else ""
    actual = f"：{c.actual}" if quantitative and c.actual else ""
    return f"{c.title}{actual}{'，' + c.gap if c.gap else ''}{required}"


def _verdict_words(c: CriterionResult) -> str:
    return f"不满足（{_failed_words(c)}）" if c.status == "fail" else f"满足（{c.title}）"


def render(applied: Applied) -> str:
    """The verdict block that leads the answer (its conclusion first, in words); the clause
    quotation follows it."""
    program = applied.rules.program
    assumed = dict(applied.assumed)
    against = "支持措施的上限" if applied.rules.of_limits else "自评"
    lines = [headline(applied), f"按问题中给出的情况对照《{program.doc_title}》{against}（只依据问题中的信息）："]
    if applied.problem:
        lines.append(f"- 问题中的情况相互矛盾，无法自评：{applied.problem}")
    for s in applied.solutions:
        c, spec = s.criterion, applied.rules.field(s.field)
        if s.value is None:
            lines.append(f"- {spec.brief}：按所给情况，没有满足要求的数量（要求{c.required}）。依据{c.citation.clause_path}")
        else:
            bound = "最多" if s.most else "至少"
            lines.append(f"- {spec.brief}：{bound} {_amount(s.value, spec)}（此时 {c.actual}；要求{c.required}）。"
                         f"依据{c.citation.clause_path}")
    for c in sorted(applied.decided, key=lambda c: c.status != "fail"):
        if c.kind == "declared":  # a yes/no: what the document asks, in its own words
            said = "；".join(applied.facts.said[k] for k in c.fields if k in applied.facts.said)
            line = f"- {c.title}：{_STATUS[c.status]}（问题中说“{said}”）；文件要求：“{_quote(applied.rules, c.id)}”"
        else:
            line = f"- {c.title}：{_STATUS[c.status]}。{c.actual}；要求{c.required}" + (f"；{c.gap}" if c.gap else "")
        if c.id in assumed:
            line += f"（本条仅在{assumed[c.id]}时适用，按适用判断）"
        line += f"。依据{c.citation.clause_path}"
        if c.exception:
            line += f"。{c.exception.message}" + (f"（{c.exception.citation.clause_path}）" if c.exception.citation else "")
        lines.append(line)
    for c, cond in applied.conditional:
        lines.append(f"- {c.title}：本条仅在{cond}时适用；若适用，{_STATUS[c.status]}。{c.actual}；要求{c.required}"
                     + (f"；{c.gap}" if c.gap else "") + f"。依据{c.citation.clause_path}")
    if applied.pending:
        def needs(c: CriterionResult) -> str:
            missing = [applied.rules.field(k).brief for k in c.fields if k not in applied.facts.values]
            return f"{c.title}（还需知道{'、'.join(missing)}）" if missing else c.title
        lines.append("- 还需确认：" + "；".join(needs(c) for c in applied.pending[:MAX_PENDING_SHOWN]))
    for u in applied.facts.unclear:
        lines.append(f"- {u.question}请说明后再判断，未计入判断。")
    if applied.untouched:
        lines.append(f"- 其余 {applied.untouched} 项条件问题中未涉及，可在“申报自评”页逐项填写后判断。")
    for words in applied.facts.unmapped:
        lines.append(f"- 没能识别“{words}”对应的条件，未计入判断。")
    return "\n".join(lines) + "\n\n"
