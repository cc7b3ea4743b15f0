"""The one figure reader of the product: numbers as policy texts and questions write them, with
their units — Arabic or Chinese numerals (十万 = 100000, 一千二百, 两, 半, 1.5), 百分之七十, 70%,
三分之一, ranges (1—2个, 2-3年, 五万元以上十万元以下), dates (3月31日, 3月底), years (2024年).
Exact arithmetic (Fraction); units, families and factors are data (corpus/units.yaml). The
refusal check, the grounding check, the self-assessment rules and the reading of an asker's
own facts all read figures here."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import yaml

UNITS_PATH = Path(__file__).resolve().parent / "units.yaml"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERALS = "".join(_DIGITS) + "".join(_SMALL) + "".join(_LARGE)
# A Chinese numeral starts with a digit or 十 ("十万"): a lone 万 or 亿 ("每万人", "（亿元）") is no number.
NUMBER = rf"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十][{CHINESE_NUMERALS}]*|半"


@dataclass(frozen=True)
class Unit:
    name: str        # as written
    family: str      # money | ratio | duration | count | area | age
    factor: Fraction  # value in the family's base unit (万元, %, 个月…)
    canonical: str   # the spelling it stands for (亿 → 亿元)


@dataclass(frozen=True)
class Figure:
    start: int
    end: int
    text: str
    value: Fraction | None      # None for dates
    unit: str                   # canonical unit; "" for dates and years
    family: str                 # a unit family, or date / year
    upper: Fraction | None = None  # the top of a range ("1—2个": value 1, upper 2)
    date: str = ""              # "3-31", "3-end", "3" for dates

    @property
    def base_value(self) -> Fraction | None:
        """The value in the family's base unit (10亿元 → 100000 万元; 3年 → 36 个月)."""
        unit = load_units().get(self.unit)
        return None if self.value is None or unit is None else self.value * unit.factor


@lru_cache(maxsize=1)
def load_units(path: Path = UNITS_PATH) -> dict[str, Unit]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(name): Unit(str(name), u["family"], Fraction(str(u["factor"])), str(u.get("canonical", name)))
            for name, u in data["units"].items()}


@lru_cache(maxsize=1)
def periods(path: Path = UNITS_PATH) -> re.Pattern:
    """How often something happens, as the texts write it (每年, 每两年, 每季度)."""
    return re.compile(str(yaml.safe_load(path.read_text(encoding="utf-8"))["periods"]))


@lru_cache(maxsize=1)
def ordinal_before(path: Path = UNITS_PATH) -> str:
    """The characters after which a number of years says which year ("第二年", "下一年")."""
    return str(yaml.safe_load(path.read_text(encoding="utf-8"))["ordinal_before"])


@lru_cache(maxsize=1)
def parts_of_month(path: Path = UNITS_PATH) -> dict[str, int]:
    """"上旬" → 10, "中旬" → 20, "下旬" → 31: the day a part of a month ends on."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in (data.get("parts_of_month") or {}).items()}


def asked_kinds(path: Path = UNITS_PATH) -> tuple[dict[str, tuple[str, tuple[str, ...]]], tuple[tuple[str, str], ...]]:
    """(kind → (asks regex, stated families or counting words), [(asks regex, kind)…] naming units)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {str(k): (str(v["asks"]), tuple(map(str, v["stated"]))) for k, v in data["asked"].items()}
    return kinds, tuple((str(a), str(k)) for a, k in data["asks_naming_unit"])


_QUANTITY = re.compile(r"(?:几|多少|每|[0-9０-９.]+|[一二两三四五六七八九十百千万]+)")


def kinds_in(text: str, words: Sequence[str] | None = None) -> list[str]:
    """The kinds of figure whose asking words `text` says (units.yaml `asked`), in the file's
    order. A counting character that ends a longer word is that word's, no unit asked: 科学家 asks
    no 家, 发明人 no 人, 研究所 no 所 — unless a quantity comes before it (几家, 多少人); inside a
    word it still asks (研发人员, 人数). `words`: the text segmented (ingest.tokenize.jieba_cut),
    which says where words end; without it nothing is masked."""
    kinds, _ = asked_kinds()
    if words and "".join(words) == text:
        counting = {u for u in load_units() if len(u) == 1}

        def asks_itself(word: str) -> bool:  # 比例 asks a ratio with both its characters
            return any(len(m.group()) > 1 for ask, _ in kinds.values() for m in re.finditer(ask, word))
        text = "".join(w[:-1] + "□" if len(w) > 1 and w[-1] in counting and not _QUANTITY.fullmatch(w[:-1])
                       and not asks_itself(w) else w for w in words)
    return [k for k, (ask, _) in kinds.items() if re.search(ask, text)]


@lru_cache(maxsize=1)
def kind_nouns(path: Path = UNITS_PATH) -> dict[str, str]:
    """Asked kind → the noun that names it in an answer (duration → 期限)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {str(k): str(v.get("said") or "") for k, v in data["asked"].items()}


def parse_number(text: str) -> Fraction:
    """"3000", "2.5", "三十", "一百零五", "十万", "两万", "三千五百万", "半" → exact value. Raises ValueError."""
    text = unicodedata.normalize("NFKC", text).strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return Fraction(text)
    if text == "半":
        return Fraction(1, 2)
    if not re.fullmatch(NUMBER, text):  # "万" alone is no number
        raise ValueError(f"不是数字：{text}")
    total, section, digit = 0, 0, None
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[ch]
            digit = None
        else:  # 万 / 亿 multiply everything before them within their own order
            large = _LARGE[ch]
            amount = (section + (digit or 0)) or 1
            total = (total + amount) * large if large > 10_000 else total + amount * large
            section, digit = 0, None
    return Fraction(total + section + (digit or 0))


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern]:
    units = "|".join(sorted(map(re.escape, load_units()), key=len, reverse=True))
    # "八个半月": the unit after 个半 without its own 个 (个月 → 月)
    after_half = "|".join(sorted({re.escape(u[1:] if u.startswith("个") else u) for u in load_units()} - {""},
                                 key=len, reverse=True))
    figure = re.compile(
        rf"(?P<den>{NUMBER})分之(?P<num>{NUMBER})"
        rf"|(?P<h>{NUMBER})个半(?P<h_unit>{after_half})"
        rf"|(?P<pct>百分之)?(?P<a>{NUMBER})(?:(?:\s*(?P<a_unit>{units}))?\s*[—–\-~～至到]\s*(?P<b>{NUMBER}))?\s*(?P<unit>{units})?(?P<half>半(?![半{CHINESE_NUMERALS}\d]))?")
    date = re.compile(rf"(?P<m>\d{{1,2}}|[{CHINESE_NUMERALS}]{{1,3}})\s*月\s*(?:(?P<d>\d{{1,2}})\s*日|(?P<end>底)|(?!份))"
                      rf"|(?P<y>\d{{4}})\s*年|(?<=年)(?P<yend>底|末)|(?P<dd>\d{{1,2}})\s*日前")
    return figure, date


def read_figures(text: str) -> list[Figure]:
    """Every figure in `text`, left to right. Dates and years are read first, so "2020年12月31日"
    is a year and a date, not a duration of 2020 years."""
    text = unicodedata.normalize("NFKC", text)
    figure_re, date_re = _patterns()
    found: list[Figure] = []
    taken: list[tuple[int, int]] = []
    for m in date_re.finditer(text):
        fig = _date(m)
        if fig is not None:
            found.append(fig)
            taken.append((m.start(), m.end()))
    for m in figure_re.finditer(text):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        fig = _figure(m)
        if fig is not None and not (fig.family == "duration" and m.start() and text[m.start() - 1] in ordinal_before()):
            found.append(fig)
    found.sort(key=lambda f: f.start)
    return _join_ranges(text, found)


def _date(m: re.Match) -> Figure | None:
    if m.group("y"):
        return Figure(m.start(), m.end(), m.group(0), Fraction(int(m.group("y"))), "", "year")
    if m.group("yend"):  # "2024年底", "每年年底": the end of December
        return Figure(m.start(), m.end(), m.group(0), None, "", "date", date="12-end")
    if m.group("dd"):
        return Figure(m.start(), m.end(), m.group(0), None, "", "date", date=f"{int(m.group('dd'))}日前")
    try:
        month = int(parse_number(m.group("m")))
    except ValueError:
        return None
    if not 1 <= month <= 12:
        return None
    day = "end" if m.group("end") else str(int(m.group("d"))) if m.group("d") else ""
    return Figure(m.start(), m.end(), m.group(0), None, "", "date", date=f"{month}-{day}" if day else str(month))


def _figure(m: re.Match) -> Figure | None:
    units = load_units()
    if m.group("den"):
        try:
            share = parse_number(m.group("num")) / parse_number(m.group("den"))
        except (ValueError, ZeroDivisionError):
            return None
        return Figure(m.start(), m.end(), m.group(0), share * 100, "%", "ratio")
    if m.group("h"):
        return _and_a_half(m)
    a, b, unit_text = m.group("a"), m.group("b"), m.group("unit") or m.group("a_unit")
    if m.group("pct"):
        unit_text = "%"
    elif not unit_text and len(a) > 1 and a[-1] in _LARGE:  # 八千万, 九亿五千万: that many 元
        unit_text = "元"
    if not unit_text:
        return None
    try:
        value = parse_number(a)
        upper = parse_number(b) if b else None
    except ValueError:
        return None
    if m.group("a_unit") and m.group("unit") and m.group("a_unit") != m.group("unit"):
        # "3年-5个月" is two figures, not a range: the first one (the second is rarely asked for)
        unit = units[m.group("a_unit")]
        return Figure(m.start(), m.end("a_unit"), _text_of(m, m.end("a_unit")), value, unit.canonical, unit.family)
    unit = units[unit_text]
    if m.group("half"):  # "一年半": half a unit more; a 半 after anything but a duration is not its own
        if unit.family != "duration" or upper is not None:
            return Figure(m.start(), m.start("half"), _text_of(m, m.start("half")), value, unit.canonical,
                          unit.family, upper=upper)
        value += Fraction(1, 2)
    return Figure(m.start(), m.end(), m.group(0), value, unit.canonical, unit.family, upper=upper)


def _and_a_half(m: re.Match) -> Figure | None:
    """"八个半月" = 8.5 个月, "一个半工作日" = 1.5 工作日: the number, half a unit more."""
    units = load_units()
    name = "个" + m.group("h_unit") if "个" + m.group("h_unit") in units else m.group("h_unit")
    try:
        value = parse_number(m.group("h")) + Fraction(1, 2)
    except ValueError:
        return None
    unit = units[name]
    return Figure(m.start(), m.end(), m.group(0), value, unit.canonical, unit.family)


def _text_of(m: re.Match, end: int) -> str:
    return m.string[m.start():end]


_BETWEEN = re.compile(r"^\s*(?:以上|及以上)?\s*[、，,]?\s*$")


def _join_ranges(text: str, figures: list[Figure]) -> list[Figure]:
    """"五万元以上十万元以下": one range from the first to the second figure."""
    out: list[Figure] = []
    for f in figures:
        prev = out[-1] if out else None
        if (prev is not None and prev.family == f.family and prev.upper is None and f.value is not None
                and text[prev.end:prev.end + 2] == "以上" and text[f.end:f.end + 2] in ("以下", "以内")
                and _BETWEEN.match(text[prev.end:f.start])):
            upper = f.value * load_units()[f.unit].factor / load_units()[prev.unit].factor
            out[-1] = Figure(prev.start, f.end + 2, text[prev.start:f.end + 2], prev.value, prev.unit,
                             prev.family, upper=upper)
            continue
        out.append(f)
    return out
