"""The asker's own facts in a question ("我们营收8亿，拉了6家单位"), bound to a programme's input
fields by what the words around each figure mean (selfcheck.meaning: the field's label, help,
the words people use for it and its criteria, scored by shared words and the embedder) and by
unit: a sum of money fills a money field, "200名" one counted in people.

Conservative: a figure no field's meaning claims is reported as not understood; one two fields
claim about equally is asked back ("“200名员工”是指…还是…？") — never guessed. Requirement
figures ("要达到10亿", "10亿以上") are the document's, not the asker's. What the criterion needs
is computed from what is said: yearly figures averaged or summed as the field says, a part and
a whole divided for a ratio field, the count after joining one more for a field that counts
this one too, the asker added to a total that includes the asker."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Mapping, Sequence

from corpus.figures import Figure, read_figures
from corpus.glossary import load_glossary
from selfcheck.figures import convert, format_number, to_plain, unit_info
from selfcheck.meaning import Encoder, Meanings, Slot, pairs, ratio_halves
from selfcheck.model import FieldSpec, ProgramRules

_SENTENCE = re.compile(r"[^。；;！!？?\n]+")
_SEGMENT = re.compile(r"[^，,。；;！!？?\n]+")
_NEGATION = re.compile(r"[不没未非无](?:是|有|在)?$")
_DENIES = re.compile(r"[没未无非]|不(?!少|低|止|仅|错)")
_SERIES_GAP = re.compile(r"^\s*[、，,和及与/]\s*$")
_SEGMENT_END = re.compile(r"[，,。；;！!？?\n]")
_CONJUNCTION = re.compile(r"[和及与、]")
EACH = "各"
_PART_OF = re.compile(r"其中|当中|之中")   # what follows is a part of the figure before it
_PART_OF_RIGHT = re.compile(rf"{_PART_OF.pattern}|里")
_RIGHT_STOP = re.compile(rf"{_PART_OF_RIGHT.pattern}|和|及|、")
_ORDINAL = re.compile(r"第([0-9一二两三四五六七八九十]+)个")
LEFT = 14          # characters of context before a figure
RIGHT = 8          # … and after it
HEAD = 6           # … and after a 的 in a longer phrase (its head noun: 的成功案例)
PHRASE_GAP = 6     # characters a "…" in a said phrase stands for
MIN_SHARED = 0.3   # the share of a field's phrase a binding needs, said near the figure
MIN_ALONE = 0.15  # … when it is the only field a figure of its kind can fill (9个月: the only time)
INTRODUCTION = 8  # characters of an opening "湖南企业，" that says what the asker is
MIN_DECLARED = 0.55  # … and a yes/no field's, said in a statement
CLOSE = 0.8        # a runner-up within this share of the best makes a binding unclear …
EMBED_MARGIN = 0.008  # … unless the embedder puts one this much nearer (cosine)


@dataclass(frozen=True)
class Unclear:
    """A stated figure two fields claim about equally: asked back, not guessed."""

    words: str
    options: tuple[str, ...]        # the fields' short names
    fields: tuple[str, ...] = ()    # … and keys

    @property
    def question(self) -> str:
        return f"“{self.words}”是指{'还是'.join(self.options)}？"


@dataclass(frozen=True)
class ReadFacts:
    values: dict[str, Any]            # field → value in the field's own unit
    said: dict[str, str]              # field → the words it was read from (and how it was computed)
    unmapped: tuple[str, ...] = ()    # figures the asker stated that no field claims
    asked: tuple[str, ...] = ()       # number fields asked about ("最多能有几个是我们自己单位的")
    unclear: tuple[Unclear, ...] = field(default_factory=tuple)


def stated_figures(text: str, requirement_words: tuple[str, ...] = (), adding: tuple[str, ...] = ()) -> list[Figure]:
    """The quantities `text` states (corpus.figures reads them), without what is not the asker's
    own: a requirement word beside it ("要达到10亿", "10亿以上"), a period or an order (近三年,
    第二), a lone 一 ("一家企业" is an article; "牵头了一个", "再拉进来一家" are counts), a range,
    a date or a year."""
    out = []
    for f in read_figures(text):
        before = text[max(0, f.start - 4):f.start]
        after = re.sub(r"^(?:的|这个|那个|这条)", "", text[f.end:f.end + 6])
        if f.value is None or f.family in ("date", "year") or f.upper is not None:
            continue
        counted = before[-1:] in ("了", "过") or (f.family == "count" and _added(text, f.start, adding))
        if before[-1:] in ("第", "近", "前", "去") or (f.value == 1 and f.text.startswith("一") and not counted):
            continue
        if any(before.endswith(w) or after.startswith(w) for w in requirement_words):
            continue
        out.append(f)
    return out


_PEOPLE = ("人", "名", "位")
_EVENTS = "次"
ADDING_REACH = 4   # characters between an adding word and the count it adds ("再拉进来一家")


def _added(text: str, start: int, adding: tuple[str, ...]) -> bool:
    """Whether the count at `start` is said as added to one already said ("再拉进来一家")."""
    before = _SEGMENT_END.split(text[max(0, start - ADDING_REACH - 1):start])[-1]
    return any(w in before for w in adding)


def _without_periods(text: str, figures: list[Figure]) -> list[Figure]:
    """Without a period that qualifies the amount after it ("三年研发费用加起来2400万": 三年 says
    over what time, not a fact of its own): a duration run straight into words, with another
    figure later in the same part of the sentence."""
    out = []
    for i, f in enumerate(figures):
        later = figures[i + 1] if i + 1 < len(figures) else None
        if (f.family == "duration" and later is not None and re.match(r"[\u4e00-\u9fff]", text[f.end:f.end + 1])
                and not _SEGMENT_END.search(text, f.end, later.start)):
            continue
        out.append(f)
    return out


def _counts_alike(field_unit: str, figure_unit: str) -> bool:
    """People fill a field counted in people (人/名/位, or the all-purpose 个); times (次) only a
    field counted in times; anything else counted (家, 所, 个, 项, 例…) fills one counted in things."""
    if field_unit in _PEOPLE:
        return figure_unit in (*_PEOPLE, "个")
    if _EVENTS in (field_unit, figure_unit):  # times something happened are no count of things
        return field_unit == figure_unit
    return figure_unit not in _PEOPLE


def fits(spec: FieldSpec, figure: Figure, role: str = "") -> bool:
    """Whether `figure` can fill `spec` (or one half of it): same family of quantity, and for a
    count the same counting word (个 fits any count)."""
    if spec.type not in ("integer", "number") or not spec.unit:
        return False
    if role:
        return figure.family in ("money", "count")
    dimension = unit_info(spec.unit)[0]
    family = {"time": "duration"}.get(dimension.split(":")[0], dimension.split(":")[0])
    if family != figure.family:
        return False
    if family == "count":
        return _counts_alike(spec.unit, figure.unit)
    return True


def _value(spec: FieldSpec, amount: Fraction, unit: str, family: str) -> Any:
    value = amount if family == "count" else convert(amount, unit, spec.unit)
    if spec.type == "integer":
        return int(value) if value.denominator == 1 else None
    return to_plain(value)


def _segment_of(segments: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    return next((s for s in segments if s[0] <= pos < s[1]), (pos, pos))


@dataclass(frozen=True)
class _Stretch:
    """One figure, or a series of them ("900万、1000万、1100万"), with the words around it."""

    figures: tuple[Figure, ...]
    start: int
    end: int
    context: tuple[tuple[float, str], ...]   # (distance from the figures, character pair)
    text: str                                # the words around, for the embedder
    lo: int = 0                              # where the words before it start

    @property
    def words(self) -> str:
        return "、".join(f.text for f in self.figures)


def _stretches(text: str, figures: list[Figure]) -> list[_Stretch]:
    segments = [(m.start(), m.end()) for m in _SEGMENT.finditer(text)]
    groups: list[list[Figure]] = []
    for f in figures:
        prev = groups[-1][-1] if groups else None
        if prev is not None and prev.family == f.family and _SERIES_GAP.match(text[prev.end:f.start]):
            groups[-1].append(f)
        else:
            groups.append([f])
    bounds = [(g[0].start, g[-1].end) for g in groups]
    out = []
    for i, g in enumerate(groups):
        start, end = bounds[i]
        seg = _segment_of(segments, start)
        lo = max(seg[0], start - LEFT, bounds[i - 1][1] if i else 0)
        hi = min(max(seg[1], end), end + RIGHT, bounds[i + 1][0] if i + 1 < len(bounds) else len(text))
        # "10个人其中自己人4个": 其中 starts another part; "和" joins counted things only when
        # another figure follows in the part ("3家企业和2所高校"), else it joins the words of
        # this one's thing ("4个技术转让和孵化企业的成功案例")
        listed = i + 1 < len(bounds) and bounds[i + 1][0] < seg[1]
        limit = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        head = text.find("的", end, min(max(seg[1], end), end + 2 * RIGHT, limit))
        if head >= 0:  # "4个技术转让和孵化企业的成功案例": what is counted is the word after 的
            hi = max(hi, min(max(seg[1], end), head + 1 + HEAD, limit))
        stop = (_RIGHT_STOP if listed else _PART_OF_RIGHT).search(text, end, hi)
        hi = stop.start() if stop else hi
        # the counting word stays with the words after it ("6家单位": 家单位)
        unit = re.search(r"[^0-9.零〇一二两三四五六七八九十百千万亿半]*$", g[-1].text).group()
        unit = "" if unit.startswith("个") else unit  # 个 goes with anything ("个成员" says no more)
        left, right = text[lo:start], unit + text[end:hi]
        context = [(len(left) - p - 2, w) for p, w in pairs(left)]
        context += [(max(p - len(unit), 0) + 0.5, w) for p, w in pairs(right)]
        out.append(_Stretch(tuple(g), start, end, tuple(context), left + "、".join(x.text for x in g) + right[len(unit):], lo))
    return out


def read_facts(text: str, rules: ProgramRules, cues: Mapping[str, Sequence[str]] | None = None,
               encoder: Encoder | None = None, meanings: Meanings | None = None) -> ReadFacts:
    """The facts `text` states for `rules`' fields, and the number fields it asks about.
    cues: the applied-question words (corpus/glossary.yaml applied_cues); encoder: the index's
    embedder (without it the shared words alone decide)."""
    text = unicodedata.normalize("NFKC", text)
    cues = load_glossary().applied_cues if cues is None else cues
    meanings = meanings or Meanings(rules, encoder)
    adding = tuple(cues.get("adding", ()))
    figures = stated_figures(text, tuple(cues.get("requirement", ())), adding)
    kept = _without_periods(text, figures)
    periods = [f for f in read_figures(text) if f.family == "duration" and f not in kept]  # 近三年, 三年合计
    stretches = _stretches(text, kept)
    values: dict[str, Any] = {}
    said: dict[str, str] = {}
    unmapped: list[str] = []
    unclear: list[Unclear] = []
    halves: dict[str, dict[str, tuple[Fraction, str, str]]] = {}
    used: list[tuple[int, int]] = []
    shared = []
    for stretch in stretches:
        slots = [s for s in meanings.slots
                 if all(fits(rules.field(s.field), f, s.role) for f in stretch.figures)]
        shared.append({s: meanings.shared(stretch.context, s) for s in slots})
    asking = _asking_pairs(text, cues)
    borrowed: set[int] = set()   # stretches read with the asking part's words: bound last
    for i, stretch in enumerate(stretches):
        programme = _programme_counted(text, stretch, meanings, tuple(cues.get("occurrences", ())))
        if programme:  # "3个创新联合体": only a field counting the programme's kind can take it
            shared[i] = {s: v for s, v in shared[i].items() if programme in rules.field(s.field).label}
        floor = MIN_SHARED if len(shared[i]) > 1 else MIN_ALONE
        if asking and max(shared[i].values(), default=0) < floor and (programme or _names_nothing(text, stretch)):
            # "连我们牵头单位在内一共8家，组成单位数量够吗？": the figure names no thing of its
            # own; the part that asks names what it is
            context = stretch.context + tuple((0.0, p) for p in asking)
            stretches[i] = replace(stretch, context=context)
            shared[i] = {s: meanings.shared(context, s) for s in shared[i]}
            borrowed.add(i)
    # a total first ("加上我们自己一共8家"), then the strongest evidence; each field (or half)
    # filled once, except a sum's groups
    totals = tuple(cues.get("total", ()))
    order = sorted(range(len(stretches)), key=lambda i: (i in borrowed, not text[:stretches[i].start].endswith(totals),
                                                         -max(shared[i].values(), default=0)))
    taken: set[Slot] = set()
    bound: list[tuple[int, str, Figure]] = []   # (where, field, figure) of each count bound
    added: list[_Stretch] = []
    summed: list[_Stretch] = []
    joined = False   # a count was adjusted for the asker or the one joined
    first: dict[str, _Stretch] = {}   # the figure each field took first
    for i in order:
        stretch = stretches[i]
        if len(stretch.figures) == 1 and stretch.figures[0].family == "count" and _added(text, stretch.start, adding):
            added.append(stretch)   # added to a count said before it: after all are bound
            continue
        open_slots = [s for s in shared[i] if s not in taken and s.field not in values
                      or _adds_up(rules.field(s.field), s, values)]
        floor = MIN_SHARED if len(open_slots) > 1 else MIN_ALONE  # the only field of its kind still open
        options = {slot: v for slot, v in shared[i].items() if v >= floor and (
            slot not in taken and slot.field not in values or _adds_up(rules.field(slot.field), slot, values))}
        if _total_over_years(text, stretch, periods, totals):  # "这两年…销售收入合计5亿": a field over years
            options = {s: v for s, v in options.items() if rules.field(s.field).aggregate} or options
        if not options:
            options = _agreed(meanings, stretch, {s: v for s, v in shared[i].items() if
                                                   s not in taken and s.field not in values})
        if not options:
            if text[:stretch.start].endswith(totals) and stretch.figures[0].family == "count":
                summed.append(stretch)   # "…一共8家": perhaps the total of a count said before it
            else:
                unmapped.append(_words_of(text, stretch))
            continue
        slot = _decide(meanings, stretch, options)
        if slot is None:
            close = sorted(options, key=lambda s: -options[s])[:2]
            unclear.append(Unclear(_words_of(text, stretch), tuple(_slot_name(rules, s) for s in close),
                                   tuple(s.field for s in close)))
            continue
        spec = rules.field(slot.field)
        amount = _combined(spec, stretch.figures)
        years = _years_totalled(text, stretch, periods, totals) if spec.aggregate == "mean" else None
        if amount is not None and years:  # "三年合计1.15亿" of a yearly average: the total over the years
            mean = amount[0] / years
            per_year = convert(mean, stretch.figures[0].unit, spec.unit) if stretch.figures[0].family == "money" else mean
            amount = mean, f"（{years} 年合计，平均每年 {format_number(per_year)} {spec.unit}）"
        if amount is None:
            unclear.append(Unclear(stretch.words, (f"{spec.brief}的哪一年",)))
            continue
        figure = stretch.figures[0]
        taken.add(slot)
        used.append((stretch.lo, stretch.end))
        if slot.role:
            halves.setdefault(slot.field, {})[slot.role] = (amount[0], figure.unit, figure.family)
            said.setdefault(slot.field, "")
            said[slot.field] = (said[slot.field] + "；" if said[slot.field] else "") + _words_of(text, stretch)
            continue
        value = _value(spec, amount[0], figure.unit, figure.family)
        if value is None:
            unmapped.append(_words_of(text, stretch))
            continue
        each = _each_of(text, stretch) if spec.aggregate == "sum" else 1
        if each is None:
            unclear.append(Unclear(_words_of(text, stretch), (f"{spec.brief}的合计",), (slot.field,)))
            continue
        if each > 1:
            said_each = f"（各 {value} {spec.unit}，{each} 方合计 {value * each} {spec.unit}）"
            value = value * each
        else:
            said_each = ""
        if slot.field in values:
            earlier, later = sorted((stretch, first[slot.field]), key=lambda s: s.start)
            if _PART_OF.search(text, later.lo, later.start):
                # "…共5人，其中依托单位的3人": a part of the one before it, not another group of
                # the sum — the whole is the value
                if stretch is earlier:
                    unmapped.append(said[slot.field])
                    values[slot.field], said[slot.field] = value, _words_of(text, stretch)
                    first[slot.field] = stretch
                else:
                    unmapped.append(_words_of(text, stretch))
                continue
            # another group of a sum ("依托单位3人，共建单位1人")
            values[slot.field] += value
            said[slot.field] += f"、{_words_of(text, stretch)}（合计 {values[slot.field]} {spec.unit}）"
            continue
        first[slot.field] = stretch
        values[slot.field] = _adjusted(spec, value, text, stretch, cues)
        said[slot.field] = (_words_of(text, stretch) + amount[1] + said_each
                            + _adjustment_note(spec, value, values[slot.field]))
        if values[slot.field] == value and figure.family == "count":
            bound.append((stretch.start, slot.field, figure))
        elif values[slot.field] != value:
            joined = True
    for stretch in summed:  # "拉7家单位，加上我们自己一共8家": the total is the count
        target = _added_to(stretch, bound, rules, same_sentence=text)
        if target is None:  # "联合体共9家": the one open field of its kind that is a total (总数)
            wholes = [f.key for f in rules.fields if "总" in f.label and f.key not in values
                      and f.type == "integer" and fits(f, stretch.figures[0])]
            if len(wholes) == 1:
                values[wholes[0]] = int(stretch.figures[0].value)
                said[wholes[0]] = _words_of(text, stretch)
                used.append((stretch.lo, stretch.end))
                continue
        if target is None or stretch.figures[0].value < values[target]:
            unmapped.append(_words_of(text, stretch))
            continue
        values[target] = int(stretch.figures[0].value)
        said[target] += f"，{_words_of(text, stretch)}（合计 {values[target]} {rules.field(target).unit}）"
        used.append((stretch.lo, stretch.end))
    for stretch in added:
        target = _added_to(stretch, bound, rules)
        if target is None:
            if not joined and not any(at < stretch.start for at, _, _ in bound):
                unmapped.append(_words_of(text, stretch))   # else it is this one ("再加入一个",
            continue                                         # "再牵头一个"): the rule counts it
        spec, n = rules.field(target), int(stretch.figures[0].value)
        values[target] += n
        said[target] += f"，再加 {n} {stretch.figures[0].unit}（共 {values[target]} {spec.unit}）"
        used.append((stretch.lo, stretch.end))
    for key, parts in halves.items():
        if key in values:
            continue
        if set(parts) == {"part", "whole"} and parts["whole"][0] > 0:
            (p, pu, pf), (w, wu, wf) = parts["part"], parts["whole"]
            if pf == wf:
                share = p * (convert(Fraction(1), pu, wu) if pf == "money" else 1) / w * 100
                values[key] = to_plain(share)
                said[key] += f"（{format_number(share)}%）"
                continue
        words = said.pop(key, "")
        if words:
            unmapped.append(words)
    for spec in rules.fields:
        if spec.key in values:
            continue
        stated = _stated(text, spec, used)
        if stated is not None:
            values[spec.key], said[spec.key] = stated
    # what a label states (a place of the act, an excluded holder) before what the words mean:
    # "注册在广州" of "是否在广西区内注册" is a no, though its words are the field's
    for key, (value, words) in _by_label(text, rules, values, used, cues).items():
        values[key], said[key] = value, words
    for key, (value, words) in _conjoined(text, rules, values, used, cues).items():
        values[key], said[key] = value, words
    for key, (value, words) in _declared(text, rules, meanings, values, used, cues).items():
        values[key], said[key] = value, words
    asked = _asked(text, rules, meanings, values, cues)
    return ReadFacts(values, said, tuple(unmapped), asked, tuple(unclear))


def _asking_pairs(text: str, cues: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The character pairs of the part of the question that asks whether it qualifies (a
    qualify or gap word in it, or a question mark after it), without the asking words."""
    words = tuple(w for kind in ("qualify", "gap") for w in cues.get(kind, ()))
    for m in _SEGMENT.finditer(text):
        seg = m.group()
        if any(w in seg for w in words) or text[m.end():m.end() + 1] in ("?", "？"):
            for w in sorted(words, key=len, reverse=True):
                seg = seg.replace(w, "，")
            if not read_figures(seg):
                return tuple(p for _, p in pairs(seg))
    return ()


def _programme_counted(text: str, stretch: _Stretch, meanings: Meanings, occurrences: tuple[str, ...] = ()) -> str:
    """The programme's own kind when a count counts it ("3个创新联合体", "参与了2个联合体"): the
    longest piece (3 characters or more) of the programme's name right after the counting word."""
    name, after = meanings.programme_words, text[stretch.end:stretch.end + len(meanings.programme_words)]
    if len(stretch.figures) != 1 or stretch.figures[0].family != "count" or stretch.figures[0].unit in occurrences:
        return ""   # "拿过1次联合体专项支持": times count what happened, not programmes
    for size in range(len(name), 2, -1):
        for i in range(len(name) - size + 1):
            if after.startswith(name[i:i + size]):
                return name[i:i + size]
    return ""


def _names_nothing(text: str, stretch: _Stretch) -> bool:
    """Whether a figure ends its part of the sentence ("一共8家，", "300万，"): it names no thing
    of its own ("200名员工" does)."""
    return re.match(r"\s*(?:[，,。；;！!？?)）]|$)", text[stretch.end:]) is not None


def _added_to(stretch: _Stretch, bound: list[tuple[int, str, Figure]], rules: ProgramRules,
              same_sentence: str = "") -> str | None:
    """The count field an added count (or a total) goes to: the nearest count said before it
    with the same counting word (个 goes with any), as the asker said it (not already adjusted),
    of a field that counts the whole as it will be (counts_in: 含牵头单位, 含本联合体) — "已牵头
    的其他联合体" does not count the one about to be led. same_sentence: the text, when the
    count must be in the same sentence."""
    figure = stretch.figures[0]
    first = 0
    if same_sentence:
        first = next((m.start() for m in _SENTENCE.finditer(same_sentence) if m.start() <= stretch.start < m.end()), 0)
    before = [(at, key, f) for at, key, f in bound if first <= at < stretch.start and rules.field(key).counts_in
              and rules.field(key).type == "integer" and (f.unit == figure.unit or "个" in (f.unit, figure.unit))]
    return max(before, key=lambda t: t[0])[1] if before and figure.value.denominator == 1 else None


def _decide(meanings: Meanings, stretch: _Stretch, options: dict[Slot, float]) -> Slot | None:
    """The slot a stretch means: the one whose words it says most, when no other comes close;
    among close ones, the embedder's nearest when it clearly is; else None (ask back)."""
    top = max(options.values())
    close = [s for s, v in options.items() if v >= CLOSE * top]
    if len(close) == 1:
        return close[0]
    vector = meanings.embed([stretch.text])[0]
    if vector is None:
        return None
    sims = sorted(((meanings.similarity(vector, s), s) for s in close), key=lambda t: -t[0])
    return sims[0][1] if sims[0][0] - sims[1][0] >= EMBED_MARGIN else None


def _agreed(meanings: Meanings, stretch: _Stretch, fitting: dict[Slot, float]) -> dict[Slot, float]:
    """Two weak signals that agree: the one field whose words the stretch touches (≥ MIN_ALONE,
    no other) is also the one the embedder puts clearly nearest among all that fit."""
    touched = [s for s, v in fitting.items() if v >= MIN_ALONE]
    if len(touched) != 1 or len(fitting) < 2:
        return {}
    vector = meanings.embed([stretch.text])[0]
    if vector is None:
        return {}
    sims = sorted(((meanings.similarity(vector, s), s) for s in fitting), key=lambda t: -t[0])
    agreed = sims[0][1] == touched[0] and sims[0][0] - sims[1][0] >= EMBED_MARGIN
    return {touched[0]: fitting[touched[0]]} if agreed else {}


def _slot_name(rules: ProgramRules, slot: Slot) -> str:
    spec = rules.field(slot.field)
    if not slot.role:
        return spec.brief
    halves = ratio_halves(spec) or ("", "")
    return halves[0] if slot.role == "part" else halves[1]


def _each_of(text: str, stretch: _Stretch) -> int | None:
    """How many groups a figure counts for: "牵头单位和共建单位各2人" is 2 × 2; a figure without
    各 counts once; 各 with no groups named before it is unclear (None)."""
    before = text[stretch.lo:stretch.start]
    if not before.endswith(EACH):
        return 1
    groups = [g for g in _CONJUNCTION.split(before[:-len(EACH)]) if g.strip()]
    return len(groups) if len(groups) >= 2 else None


def _adds_up(spec: FieldSpec, slot: Slot, values: Mapping[str, Any]) -> bool:
    return not slot.role and spec.aggregate == "sum" and spec.key in values


def _words_of(text: str, stretch: _Stretch) -> str:
    """The figure as the asker said it, with the word it counts ("200名员工")."""
    seg_end = next((m.end() for m in _SEGMENT.finditer(text) if m.start() <= stretch.end <= m.end()), stretch.end)
    stop = _RIGHT_STOP.search(text, stretch.end, seg_end)
    tail = re.match(r"[^的吗呢么啊吧咋怎是有要能，,、]{0,2}", text[stretch.end:stop.start() if stop else seg_end]).group()
    return text[stretch.start:stretch.end] + tail


def _years_totalled(text: str, stretch: _Stretch, periods: list[Figure], totals: tuple[str, ...]) -> int | None:
    """The number of years one amount is the total of ("三年合计1.15亿", "近两年一共2000万"): a
    period of whole years just before it, in its own part of the sentence, with a word saying
    it is summed between them. None when it is not said so."""
    if len(stretch.figures) != 1:
        return None
    for period in periods:
        if not stretch.lo <= period.start < stretch.start or period.unit != "年":
            continue
        between = text[period.end:stretch.start]
        if (period.value.denominator == 1 and period.value >= 2 and any(w in between for w in totals)
                and not _SEGMENT_END.search(between)):
            return int(period.value)
    return None


def _total_over_years(text: str, stretch: _Stretch, periods: list[Figure], totals: tuple[str, ...]) -> bool:
    """Whether one amount is said as the total of several years: a summing word in its own part
    ("销售收入合计5亿") and a period of whole years before it in the same sentence ("这两年研发费用
    合计2000万，销售收入合计5亿" — the period covers both parts)."""
    if len(stretch.figures) != 1 or not any(w in text[stretch.lo:stretch.start] for w in totals):
        return False
    first = next((m.start() for m in _SENTENCE.finditer(text) if m.start() <= stretch.start < m.end()), 0)
    return any(first <= p.start < stretch.start and p.unit == "年" and p.value.denominator == 1 and p.value >= 2
               for p in periods)


def _combined(spec: FieldSpec, figures: tuple[Figure, ...]) -> tuple[Fraction, str] | None:
    """One amount (in the first figure's unit) from a series, as the field says it is kept:
    averaged, summed; a single figure as it is. A series for a field of one value is unclear."""
    first = figures[0]
    if len(figures) == 1:
        return first.value, ""
    if spec.aggregate not in ("mean", "sum"):
        return None
    amounts = [f.value * (convert(Fraction(1), f.unit, first.unit) if f.family == "money" else 1) for f in figures]
    total = sum(amounts, Fraction(0))
    amount = total / len(amounts) if spec.aggregate == "mean" else total
    word = "平均" if spec.aggregate == "mean" else "合计"
    return amount, f"（{word} {format_number(amount)} {first.unit}）"


def _adjusted(spec: FieldSpec, value: Any, text: str, stretch: _Stretch, cues: Mapping[str, Sequence[str]]) -> Any:
    """A count the field keeps with one more in it: the asker itself when the question counts
    others only ("除了我们，还有6家成员单位" → 7 with 含牵头单位), or this one when the asker has
    joined some and asks about joining another ("已经参加了3个…加入第4个" → 4)."""
    if spec.type != "integer":
        return value
    if _besides_self(text, stretch, spec, cues):
        return value + 1
    if not spec.counts_in:
        return value
    sentence = next((text[m.start():m.end()] for m in _SENTENCE.finditer(text) if m.start() <= stretch.start < m.end()), text)
    if spec.counts_in == "asker" and any(w in sentence for w in cues.get("excluding_self", ())):
        return value + 1
    if spec.counts_in == "this":
        ordinals = [n for m in _ORDINAL.finditer(text) for n in [_number(m.group(1))] if n is not None]
        if ordinals:
            return max(value, *ordinals)
        if any(w in text for w in cues.get("joining", ())):
            return value + 1
        # the act said again after the count, in a part stating no figure: the asker proposes
        # one more ("已经参加了3个…，现在又想加入我们这个，可以吗？")
        own = next((m.end() for m in _SEGMENT.finditer(text) if m.start() <= stretch.start < m.end()), stretch.end)
        acts = tuple(cues.get("join_acts", ()))
        if acts and any(a in m.group() and not read_figures(m.group()) for m in _SEGMENT.finditer(text, own) for a in acts):
            return value + 1
    return value


def _besides_self(text: str, stretch: _Stretch, spec: FieldSpec, cues: Mapping[str, Sequence[str]]) -> bool:
    """A count said besides the asker: "牵头企业和另外2家是在广西注册的", "我们牵头企业加上7家成员
    单位" (the asker and N others: N + 1, whatever is counted), or "我们牵头，另外拉了5家单位" for a field counting the asker
    (含牵头单位)."""
    seg = next((m for m in _SEGMENT.finditer(text) if m.start() <= stretch.start < m.end()), None)
    others = [o for o in cues.get("others", ()) if seg is not None and o in text[seg.start():stretch.start]]
    selves = tuple(cues.get("asker", ()))
    if not selves or stretch.figures[0].family != "count":
        return False

    def asker_and(words: str) -> bool:  # "…我们牵头企业加上" / "牵头企业和"
        return re.search(rf"(?:{'|'.join(map(re.escape, selves))})(?:和|及|与|跟|加上|连同)$", words) is not None
    if seg is not None and asker_and(text[seg.start():stretch.start]):
        return True   # "我们牵头企业加上7家成员单位": the asker and the N said right after it
    if not others:
        return False
    at = text.index(others[0], seg.start())
    sentence = next((m.start() for m in _SENTENCE.finditer(text) if m.start() <= stretch.start < m.end()), 0)
    before = text[sentence:at]
    return asker_and(before) or spec.counts_in == "asker" and any(w in before for w in selves)


def _adjustment_note(spec: FieldSpec, before: Any, after: Any) -> str:
    if after == before:
        return ""
    return f"（{'含本联合体' if spec.counts_in == 'this' else '加上本单位'}共 {after} {spec.unit}）"


def _number(words: str) -> int | None:
    from corpus.figures import parse_number
    try:
        return int(parse_number(words))
    except ValueError:
        return None


def _asked(text: str, rules: ProgramRules, meanings: Meanings, values: Mapping[str, Any],
           cues: Mapping[str, Sequence[str]]) -> tuple[str, ...]:
    """The count field a "几/多少" asks about: the words before the ask in its segment, bound
    by meaning like a stated figure (a clear winner only)."""
    asks = tuple(cues.get("ask", ("几", "多少")))
    out = []
    for m in _SEGMENT.finditer(text):
        seg = m.group()
        at = min((seg.find(w) for w in asks if w in seg), default=-1)
        if at < 0:
            continue
        left, right = seg[:at], seg[at:at + RIGHT]
        context = [(0.0, w) for _, w in pairs(left + right)]  # the segment is about what it asks
        slots = [s for s in meanings.slots if not s.role and s.field not in values
                 and rules.field(s.field).type in ("integer", "number")]
        scores = sorted(((meanings.shared(context, s), s.field) for s in slots), reverse=True)
        if scores and scores[0][0] >= MIN_SHARED and (len(scores) < 2 or scores[1][0] < CLOSE * scores[0][0]):
            out.append(scores[0][1])
    return tuple(dict.fromkeys(out))


def _declared(text: str, rules: ProgramRules, meanings: Meanings, values: Mapping[str, Any],
              used: list[tuple[int, int]], cues: Mapping[str, Sequence[str]]) -> dict[str, tuple[bool, str]]:
    """Yes/no facts the asker declares in words ("我们已经建了理事会和专家委员会"), bound by
    meaning like a figure: a statement (no figure read in it, nothing asked) that says most of
    one yes/no field's words, clearly more than any other's. A negation in it says no."""
    asking = tuple(w for kind in ("qualify", "gap", "ask") for w in cues.get(kind, ()))
    open_fields = [s for s in meanings.slots if not s.role and rules.field(s.field).type == "boolean"
                   and s.field not in values and not _mentioned(text, rules.field(s.field))]
    out: dict[str, tuple[bool, str]] = {}
    for m in _SEGMENT.finditer(text):
        seg = m.group().strip()
        if (len(seg) < 4 or any(a < m.end() and m.start() < b for a, b in used)
                or any(w in seg for w in asking) or text[m.end():m.end() + 1] in ("?", "？")):
            continue
        context = [(0.0, w) for _, w in pairs(seg)]
        options = {s: v for s in open_fields if s.field not in out
                   for v in [meanings.shared(context, s, whole_only=True)] if v >= MIN_DECLARED}
        if not options:
            continue
        slot = _decide(meanings, _Stretch((), m.start(), m.end(), (), seg), options)
        if slot is not None:
            out[slot.field] = (not _DENIES.search(seg), seg)
    return out


def _by_label(text: str, rules: ProgramRules, values: Mapping[str, Any], used: list[tuple[int, int]],
              cues: Mapping[str, Sequence[str]]) -> dict[str, tuple[bool, str]]:
    """Yes/no facts read from what a field's label says, in a part of the question with no figure
    and no negation (a statement, or the proposal asked about: "主任能让牵头单位的总工来当吗"):
    - a label placing the act in a region ("牵头单位是否在广西壮族自治区内注册"): the asker saying
      the act with a place ("我们总部注册在深圳") — yes when the place is in that region, no when not;
    - a label excluding holders ("专家委员会主任是否由非牵头单位、共建单位的…担任"): a statement
      about its subject naming one of them ("主任我们想请共建单位的首席科学家来当") says no — not
      one said as excluded itself ("由非牵头单位的专家担任")."""
    g = load_glossary()
    askers = tuple(cues.get("asker", ()))
    holders = "|".join(map(re.escape, sorted(g.holders, key=len, reverse=True)))
    segments = [m for m in _SEGMENT.finditer(text) if not any(a < m.end() and m.start() < b for a, b in used)
                and not _DENIES.search(m.group()) and not read_figures(m.group())]
    out: dict[str, tuple[bool, str]] = {}
    for spec in rules.fields:
        if spec.type != "boolean" or spec.key in values:
            continue
        region = g.region_in_text(spec.label)
        excluded = re.search(rf"非((?:{holders})(?:[、和及与](?:{holders}))*)", spec.label) if holders else None
        for m in segments:
            seg = m.group().strip()
            if region and region != g.national_region:
                act = _act_in(spec.label, g.regions.get(region, ()))
                place = g.region_in_text(seg)
                if act and act in seg and seg.startswith(askers) and place and place != g.national_region:
                    out[spec.key] = (place == region, seg)
                    break
            if excluded and "是否" in spec.label:
                subject = spec.label[:spec.label.index("是否")]
                named = re.findall(holders, excluded.group(1))
                rest = re.sub(rf"(?:非|不是)(?:{holders})(?:[、和及与](?:{holders}))*", "", seg.replace(subject, ""))
                if subject and subject in seg and any(h in rest for h in named):
                    out[spec.key] = (False, seg)
                    break
    return out


_LABEL_PARTS = re.compile(r"[、，,；;]|并且?|以及|和|及|与")
_ASIDE = re.compile(r"[（(][^）)]*[）)]")


def _label_parts(label: str) -> list[str]:
    """What a yes/no label asks for, part by part ("是否组建理事会（董事会）、专家委员会并制定
    管理章程" → 组建理事会, 专家委员会, 制定管理章程); one part when it asks one thing."""
    if "是否" not in label:
        return []
    asked = _ASIDE.sub("", label[label.index("是否") + 2:])
    return [p for p in (x.strip() for x in _LABEL_PARTS.split(asked)) if len(p) >= 2]


def _mention(part: str, text: str) -> int:
    """Where `text` names a part by its end (its thing: "章程" of 制定管理章程), longest first; -1."""
    for n in range(len(part), 1, -1):
        if part[-n:] in text:
            return text.index(part[-n:])
    return -1


def _conjoined(text: str, rules: ProgramRules, values: Mapping[str, Any], used: list[tuple[int, int]],
               cues: Mapping[str, Sequence[str]]) -> dict[str, tuple[bool, str]]:
    """Yes/no facts whose label asks for several things at once, declared part by part across the
    question ("已经建了理事会，章程也定了，专家委员会还没成立" of 是否组建理事会、专家委员会并制定
    管理章程): no when a part is said with a negation; yes when every part is said, none negated.
    At least two parts must be named, each in a statement (no figure, nothing asked)."""
    asking = tuple(w for kind in ("qualify", "gap", "ask") for w in cues.get(kind, ()))
    statements = [m for m in _SEGMENT.finditer(text)
                  if not any(a < m.end() and m.start() < b for a, b in used) and not read_figures(m.group())
                  and not any(w in m.group() for w in asking) and text[m.end():m.end() + 1] not in ("?", "？")]
    out: dict[str, tuple[bool, str]] = {}
    for spec in rules.fields:
        parts = _label_parts(spec.label)
        if spec.type != "boolean" or spec.key in values or len(parts) < 2:
            continue
        said: dict[str, bool] = {}
        for part in parts:
            for m in statements:
                if _mention(part, m.group()) >= 0:
                    said[part] = not _DENIES.search(m.group())
                    break
        if len(said) < 2:
            continue
        if not all(said.values()) or len(said) == len(parts):
            words = "，".join(m.group().strip() for m in statements if any(_mention(p, m.group()) >= 0 for p in said))
            out[spec.key] = (all(said.values()), words)
    return out


def _act_in(label: str, names: Sequence[str]) -> str:
    """What a label says is done in its region ("…在广西壮族自治区内注册" → 注册)."""
    at = max((label.rindex(n) + len(n) for n in names if n in label), default=-1)
    return re.sub(r"^(?:区内|省内|境内|市内|内)", "", label[at:]) if at >= 0 else ""


def _mentioned(text: str, spec: FieldSpec) -> bool:
    """Whether a said_yes/said_no phrase of the field occurs (then the phrase reader decides:
    said both ways stays unread)."""
    return any(re.search(_phrase(p), text) for p in (*spec.said_yes, *spec.said_no))


def _phrase(words: str) -> str:
    """A said phrase as a pattern: "…" stands for a few other characters ("我们是…企业" says
    我们是湖南的企业), in one phrase; each of its own pieces a group."""
    return f"[^，,。；;？?！!]{{0,{PHRASE_GAP}}}".join(f"({re.escape(p)})" for p in words.split("…"))


def _stated(text: str, spec: FieldSpec, used: list[tuple[int, int]]) -> tuple[Any, str] | None:
    """A yes/no or an option stated in so many words; None when unsaid or said both ways. A
    yes phrase right after a negation ("没在广西注册", "不是独立法人") says no."""
    def found(phrases):  # the gap of "我们是…企业" may hold another fact ("行业龙头"): its pieces may not
        return [(m.start(), p) for p in phrases for m in re.finditer(_phrase(p), text)
                if all(m.end(g) <= a or m.start(g) >= b for a, b in used for g in range(1, len(m.groups()) + 1))]
    if spec.type == "boolean":
        no = found(spec.said_no)
        yes = [(i, p) for i, p in found(spec.said_yes)
               if not any(j <= i < j + len(q) for j, q in no)]
        negated = [(i, p) for i, p in yes if _NEGATION.search(text[max(0, i - 2):i])]
        answers = {False for _ in no + negated} | {True for y in yes if y not in negated}
        if len(answers) != 1:
            return None
        value = answers.pop()
        if negated:  # say it as the asker did: "没在广西注册"
            i, p = negated[0]
            start = max(0, i - 2) + _NEGATION.search(text[max(0, i - 2):i]).start()
            return value, text[start:i + len(p)]
        return value, (no + yes)[0][1]
    if spec.type == "enum":
        named = {v: hits[0][1] for v, phrases in spec.choices_said if (hits := found(phrases))}
        if len(named) == 1:
            return next(iter(named.items()))
        if not named:
            return _introduced(text, spec)
    return None


_ASKER = re.compile(r"^(?:我们|咱们|我|本)(?:是|这个|这家|单位是)?")
_ASKER_IS = re.compile(r"^(?:我们|咱们|我|本单位|我单位|我司|本公司)(?:这边|这里)?(?:是|属于|作为)")


def _introduced(text: str, spec: FieldSpec) -> tuple[str, str] | None:
    """An option the asker opens with as what it is: a short first part of the question ending
    in the option's own name ("湖南企业，…", "柳州的企业，…"), a part saying what the asker is
    that ends in one ("我们是湖南的行业龙头企业"), or the first part where the asker speaks of
    itself ("湖南这边，我们企业近三年…") whose subject is one of the option's names — the end of
    its label ("学校年收入5亿" of 高等学校) or a word of only its said phrases ("研究院在申报方向
    上…" of 我们是…研究院)."""
    parts = [m.group().strip() for m in _SEGMENT.finditer(text)]
    if not parts or not parts[0]:
        return None
    words = parts[0]
    if len(words) <= INTRODUCTION:
        named = [(v, label) for v, label in spec.choices if words.endswith(label)]
        if len(named) == 1:
            return named[0]
    for part in parts:
        if _ASKER_IS.match(part) and not read_figures(part):
            named = [(v, label) for v, label in spec.choices if part.endswith(label)]
            if len(named) == 1:
                return named[0]
    words = next((p for p in parts if _ASKER.match(p) and _ASKER.match(p).end()), words)
    subject = _ASKER.sub("", words)
    said = dict(spec.choices_said)
    pieces = {v: {p for phrase in said.get(v, ()) for p in phrase.split("…") if len(p) >= 2} for v, _ in spec.choices}
    shared = {p for v, ps in pieces.items() for p in ps if sum(p in qs for qs in pieces.values()) > 1}
    names = {v: {label[i:] for i in range(len(label) - 1)} | (pieces[v] - shared) for v, label in spec.choices}
    named = {v: max(len(n) for n in ns if subject.startswith(n)) for v, ns in names.items()
             if any(subject.startswith(n) for n in ns)}
    if len(named) != 1:
        return None
    value = next(iter(named))
    return value, subject[:named[value]]


@dataclass(frozen=True)
class Checked:
    """Facts someone else proposed (a language model), as the reader let them through."""

    accepted: dict[str, Any]
    rejected: tuple[tuple[str, Any, str], ...] = ()   # (field, value, why)


def check_proposed(text: str, rules: ProgramRules, proposed: Mapping[str, Any], read: ReadFacts,
                   meanings: Meanings, cues: Mapping[str, Sequence[str]] | None = None) -> Checked:
    """Every proposed value checked against the question before the engine may use it: a number
    must be one the question states (a figure in the field's unit, or what the reader computed
    from them), a yes/no must be said by a statement sharing the field's words with that polarity,
    an option must be named. What the reader read itself stands; a proposal contradicting it is
    rejected. Nothing is judged here."""
    text = unicodedata.normalize("NFKC", text)
    cues = load_glossary().applied_cues if cues is None else cues
    stretches = _stretches(text, _without_periods(text, stated_figures(text, tuple(cues.get("requirement", ())))))
    accepted: dict[str, Any] = {}
    rejected: list[tuple[str, Any, str]] = []
    keys = set(rules.field_keys)
    for key, value in proposed.items():
        if value is None:
            continue
        if key not in keys:
            rejected.append((key, value, "没有这个字段"))
            continue
        spec = rules.field(key)
        if key in read.values:
            if read.values[key] != value:
                rejected.append((key, value, f"问题中读出的是 {read.values[key]}"))
            continue
        why = _unsupported(text, spec, value, stretches, meanings)
        if why:
            rejected.append((key, value, why))
        else:
            accepted[key] = value
    return Checked(accepted, tuple(rejected))


def _unsupported(text: str, spec: FieldSpec, value: Any, stretches: list[_Stretch], meanings: Meanings) -> str | None:
    """Why the question does not support `value` for `spec` (None: it does). A number must be a
    figure of the question, in the field's unit, with some word of the field beside it: the
    model may choose between fields the words point to, not give "200名员工" a field they do
    not name."""
    if spec.type in ("integer", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return "不是数字"
        same = [st for st in stretches for f in st.figures[:1] if len(st.figures) == 1 and fits(spec, f)
                and _value(spec, f.value, f.unit, f.family) == value]
        if not same:
            return "问题中没有这个数"
        if not any(meanings.shared(st.context, Slot(spec.key)) > 0 for st in same):
            return "问题中这个数旁边没有说到这一项"
        return None
    if spec.type == "boolean":
        if not isinstance(value, bool):
            return "不是是/否"
        for m in _SEGMENT.finditer(text):
            seg = m.group()
            context = [(0.0, w) for _, w in pairs(seg)]
            if meanings.shared(context, Slot(spec.key), whole_only=True) >= MIN_SHARED:
                if (not _DENIES.search(seg)) == value:
                    return None
                return "问题中的说法与之相反"
        return "问题中没有说到"
    if spec.type == "enum":
        phrases = dict(spec.choices_said).get(value, ()) + (dict(spec.choices).get(value, "\0"),)
        if any(re.search(_phrase(p), text) for p in phrases):
            return None
        return "问题中没有说到这一项"
    return "无法核对"
