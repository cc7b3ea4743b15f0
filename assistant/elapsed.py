"""Time the asker states against a period the clause sets:
- "2023年5月认定的，2025年3月能参加绩效评价了吗？" against "认定运行满两年后开展绩效评价": the
  months between the two months the question names, compared with the clause's "满 N 年";
- "2025年6月公布的，最晚什么时候之前要整改完？" against "限1年的整改期": the month named plus the
  clause's one period.
Months and periods are read by corpus.figures. The conclusion is said in words first; the clause
follows it as quoted. Nothing is said when the question does not name the months of known years
or the clause sets no single period."""
from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from corpus.figures import Figure, parts_of_month, periods, read_figures
from corpus.question_words import question_pattern
from corpus.sentences import sentence_at, split_sentences
from selfcheck.figures import format_number
from selfcheck.meaning import pairs

_FULL = re.compile(r"(?<![不未])满$")   # "运行满两年", not "不满三年的"


@dataclass(frozen=True)
class Elapsed:
    start: tuple[int, int]     # (year, month) the question names first
    end: tuple[int, int]       # … and second
    months: int                # between them
    period: Figure             # the clause's "满 N 年"
    sentence: str = ""         # the clause's sentence setting it

    @property
    def met(self) -> bool:
        return self.months >= self.period.base_value

    def headline(self) -> str:
        span = f"{self.start[0]}年{self.start[1]}月至{self.end[0]}年{self.end[1]}月共 {self.months} 个月"
        if self.met:
            return f"结论：满足（{span}，已满{self.period.text}）。\n"
        short = self.period.base_value - self.months
        reached = self.start[0] * 12 + self.start[1] - 1 + int(self.period.base_value)
        since = (f"，{reached // 12}年{reached % 12 + 1}月满{self.period.text}"
                 if self.period.base_value.denominator == 1 else "")
        return f"结论：不满足（{span}，不满{self.period.text}，还差 {format_number(Fraction(short))} 个月{since}）。\n"


@dataclass(frozen=True)
class Deadline:
    start: tuple[int | None, int]   # (year, month); no year when the question names none ("今年6月")
    period: Figure             # the clause's one period ("1年", "半年", or the end asked of "2—3年")
    months: int                # the period in months
    end: str = ""              # which end of a range: 上限 / 下限
    sentence: str = ""         # the clause's sentence setting the period

    def headline(self) -> str:
        total = self.start[1] - 1 + self.months
        later, month = divmod(total, 12)
        if self.start[0] is None:
            when = f"{'当年' if later == 0 else '次年' if later == 1 else f'{later}年后的'}{month + 1}月"
            since = f"{self.start[1]}月"
        else:
            when, since = f"{self.start[0] + later}年{month + 1}月", f"{self.start[0]}年{self.start[1]}月"
        span = f"{self.period.text}的{self.end}" if self.end else self.period.text
        return f"结论：{when}前（自{since}起{span}）。\n"


def _month_of(figure: Figure) -> int | None:
    """The month of a date figure ("5", "3-end", "2-10"); None for a day alone ("10日前") or no date."""
    named = re.match(r"\d+(?=-|$)", figure.date) if figure.family == "date" else None
    return int(named.group()) if named else None


def months_named(text: str) -> list[tuple[int, int]]:
    """(year, month) of each "2023年5月" (or "3月底", "2024年底") the text names, in order."""
    figures = read_figures(text)
    out = []
    for year, month in zip(figures, figures[1:]):
        if year.family == "year" and _month_of(month) and text[year.end:month.start].strip() == "":
            out.append((int(year.value), _month_of(month)))
    return out


def period_set(clause_text: str) -> Figure | None:
    """The one period of whole years a clause requires to have passed ("满两年", "满3年")."""
    periods = [f for f in read_figures(clause_text) if f.family == "duration" and f.upper is None
               and _FULL.search(clause_text[:f.start])]
    return periods[0] if len(periods) == 1 else None


def elapsed(question: str, clause_text: str) -> Elapsed | None:
    """The time between the two months the question names, against the clause's period."""
    named = months_named(question)
    period = period_set(clause_text)
    if len(named) != 2 or period is None:
        return None
    (y1, m1), (y2, m2) = named
    months = (y2 - y1) * 12 + (m2 - m1)
    return Elapsed(named[0], named[1], months, period, sentence_at(clause_text, period.start)) if months >= 0 else None


@dataclass(frozen=True)
class OnTime:
    said: str                  # when the asker does it, as the question says it ("次年1月中旬")
    when: tuple[int, int]      # (month, day), months counted from this year's January (13: next January)
    due: Figure                # the clause's yearly date ("12月底", "1月底前")
    due_on: tuple[int, int]
    sentence: str = ""         # the clause's sentence setting it

    @property
    def met(self) -> bool:
        return self.when <= self.due_on

    def headline(self) -> str:
        if self.met:
            return f"结论：满足（{self.said}，未晚于文件规定的每年{self.due.text}）。\n"
        return f"结论：不满足（{self.said}，晚于文件规定的每年{self.due.text}）。\n"


_NEXT_YEAR = question_pattern("next_year")
MIN_SHARED = 3   # word pairs a question and a clause sentence share to be about the same act


def on_time(question: str, clause_text: str) -> OnTime | None:
    """"打算次年1月中旬再交年度总结报告，可以吗？" against "每年12月底须…提交年度工作总结报告":
    the one date the question names against the one yearly date of the clause's sentence on the
    same thing (the sentence sharing most word pairs with the question, at least MIN_SHARED)."""
    dates = [f for f in read_figures(question) if _month_of(f)]
    if len(dates) != 1 or months_named(question):
        return None
    sentence = _nearest_sentence(question, clause_text)
    due = [f for f in read_figures(sentence) if _month_of(f)]
    asked = {p for _, p in pairs(question) if not any(c.isdigit() for c in p)}
    if len(due) != 1 or not periods().search(sentence) or len(asked & {p for _, p in pairs(sentence)}) < MIN_SHARED:
        return None
    said = dates[0]
    month, day = _month_day(said.date)
    parts = parts_of_month()
    part = question[said.end:said.end + 2] if question[said.end:said.end + 2] in parts else ""
    day = parts[part] if part else day or 1   # a month said alone: within it
    following = _NEXT_YEAR.search(question[:said.start])
    month += 12 if following else 0
    words = (following.group().strip() if following else "") + said.text + part
    due_month, due_day = _month_day(due[0].date)
    return OnTime(words, (month, day), due[0], (due_month, due_day or 31), sentence)



def _month_day(date: str) -> tuple[int, int]:
    """"12-end" → (12, 31); "2-10" → (2, 10); "5" → (5, 0): no day said."""
    month, _, day = date.partition("-")
    return int(month), 31 if day == "end" else int(day) if day.isdigit() else 0


def deadline(question: str, clause_text: str, when: tuple[str, ...], upper: tuple[str, ...] = (),
             lower: tuple[str, ...] = ()) -> Deadline | None:
    """The month a period ends, when the question names one month ("2022年1月", or "今年6月"
    without a year) and asks when (`when`: the asking words), and the clause's sentence on it sets
    one period of whole months or years — or a range ("2—3年") whose end the question asks for
    (`upper`: 上限/最晚 …, `lower`: 最早 …)."""
    named = months_named(question) or _months_without_year(question)
    if len(named) != 1 or not any(w in question for w in when):
        return None
    sentence = _nearest_sentence(question, clause_text)
    periods = [f for f in read_figures(sentence) if f.family == "duration"]
    if len(periods) != 1:
        return None
    period = periods[0]
    if period.upper is None:
        months, end = period.base_value, ""
    elif any(w in question for w in upper):
        months, end = period.base_value * period.upper / period.value, "上限"
    elif any(w in question for w in lower):
        months, end = period.base_value, "下限"
    else:
        return None
    return Deadline(named[0], period, int(months), end, sentence) if months.denominator == 1 else None


@dataclass(frozen=True)
class YearlyDue:
    year: int                  # the year the clause's yearly date falls in, for what was asked
    due: str                   # the clause's yearly date as it says it ("1月底前", "12月31日前")
    basis: str                 # what it is counted from ("2025年度结束", "2024年11月")
    sentence: str = ""         # the clause's sentence setting the yearly date

    def headline(self) -> str:
        return f"结论：{self.year}年{self.due}（{self.basis}之后的第一个“每年{self.due}”）。\n"


def yearly_due(question: str, clause_text: str, when: tuple[str, ...]) -> YearlyDue | None:
    """When a yearly act falls due for what the question names, against the one yearly date of
    the clause's sentence on it ("每年1月底前…报送年度建设报告"):
    - the report on a year ("2025年度建设报告最晚哪天报？") is due at that date's first
      occurrence once the year is over — the year's own 12月31日, else the next year's date;
    - an act counted from a month ("2024年11月批准组建的，年度报告什么时候交？") is due at the
      date's first occurrence after that month; only when the clause sets no other date (a
      clause excepting "6月后批复的" reads the month otherwise).
    Nothing is said when the question does not ask when or names no single year or month."""
    if not any(w in question for w in when):
        return None
    yearly = [t for t in split_sentences(clause_text) if periods().search(t)
              and len([f for f in read_figures(t) if _month_of(f)]) == 1]
    if not yearly:
        return None
    sentence = _nearest_sentence(question, "".join(yearly))
    dates = [f for f in read_figures(sentence) if _month_of(f)]
    if len(dates) != 1:
        return None
    due_month, due_day = _month_day(dates[0].date)
    due = dates[0].text.replace(" ", "") + ("前" if sentence[dates[0].end:dates[0].end + 1] == "前" else "")
    years = [f for f in read_figures(question) if f.family == "year"]
    reports = [f for f in years if question[f.end:f.end + 1] == "度"]
    if len(reports) == 1:  # the report on year Y: due once Y is over
        y = int(reports[0].value)
        return YearlyDue(y if (due_month, due_day) >= (12, 31) else y + 1, due, f"{y}年度结束", sentence)
    named = months_named(question)
    if len(named) != 1 or len([f for f in read_figures(clause_text) if _month_of(f)]) != 1:
        return None
    (y, m), = named
    return YearlyDue(y if due_month > m else y + 1, due, f"{y}年{m}月", sentence)


def _months_without_year(text: str) -> list[tuple[None, int]]:
    """The months a text names without a year ("今年6月"): only when it names no year at all."""
    figures = read_figures(text)
    if any(f.family == "year" for f in figures):
        return []
    return [(None, _month_of(f)) for f in figures if _month_of(f)]


def _nearest_sentence(question: str, clause_text: str) -> str:
    """The clause's sentence that shares most word pairs with the question ("整改期" of a question
    about 整改): a clause may set several periods (每3年评估, 满3年, 限1年整改)."""
    asked = {p for _, p in pairs(question) if not any(c.isdigit() for c in p)}
    sentences = split_sentences(clause_text)
    return max(sentences, key=lambda t: len(asked & {p for _, p in pairs(t)}), default=clause_text)
