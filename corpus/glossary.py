"""The domain words the code needs (places, programmes, who a requirement is for), loaded from
corpus/glossary.yaml. Language knowledge only: which places and programmes are *in scope* is
decided by the library's metadata (retriever/scope.py), never here."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

GLOSSARY_PATH = Path(__file__).resolve().parent / "glossary.yaml"
_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


@dataclass(frozen=True)
class Glossary:
    regions: dict[str, tuple[str, ...]]          # canonical region → its names, longest first
    cities: dict[str, str]                       # city (short form, or a prefecture's full name) → region
    national_region: str
    national_words: tuple[str, ...]
    national_title_starts: tuple[str, ...]       # "国家科学技术奖励条例": a national document
    programme_aliases: dict[str, tuple[str, ...]]
    programmes: tuple[str, ...]
    subjects: tuple[str, ...]
    place_suffixes: tuple[str, ...]              # longest first
    document_kinds: tuple[str, ...]              # longest first
    title_verbs: tuple[str, ...]
    holders: frozenset[str]
    entities: tuple[str, ...]
    levels: tuple[str, ...]
    grades: tuple[str, ...]
    injection_patterns: tuple[str, ...] = ()
    organisation_kinds: tuple[str, ...] = ()     # longest first
    applied_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    lure_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # ingest/lures.py

    def injection(self) -> re.Pattern:
        """A message that tries to steer the assistant (matched case-insensitively)."""
        return _compiled(self.injection_patterns)

    def region_name_pattern(self) -> re.Pattern:
        """Any region's name, longest first (compiled once)."""
        return _compiled(tuple(map(re.escape, _longest_first(n for ns in self.regions.values() for n in ns))))

    def document_kind_pattern(self) -> re.Pattern:
        """Any kind of document a title ends with (条例, 管理办法 …), longest first (compiled once)."""
        return _compiled(tuple(map(re.escape, self.document_kinds)))

    def canonical_region(self, name: str) -> str:
        """"广西壮族自治区" → 广西, "玉林市" → 广西, "国家" → 全国; anything else as given. A
        document whose region is unknown ("其他", blank) is not ruled out for any place: 全国."""
        name = name.strip()
        if name in self.national_words or name in (self.national_region, "其他", ""):
            return self.national_region
        for region, names in self.regions.items():
            if name in names or name == region:
                return region
        for city, region in self.cities.items():
            if name.startswith(city):
                return region
        return name

    def region_in_text(self, text: str) -> str | None:
        """The region a title or an issuer names first (national words count), else None."""
        found = {self.national_region: min((text.index(w) for w in self.national_words if w in text), default=None)}
        for region, names in self.regions.items():
            found[region] = min((text.index(w) for w in names if len(w) > 1 and w in text), default=None)
        for city, region in self.cities.items():
            if city in text and (found.get(region) is None or text.index(city) < found[region]):
                found[region] = text.index(city)
        named = {r: i for r, i in found.items() if i is not None}
        return min(named, key=named.get) if named else None

    def city_of_title(self, title: str) -> str | None:
        """The city a title starts with, in its short form ("舟山市科技创新促进条例" → 舟山,
        "锡林郭勒盟…" → 锡林郭勒), else None."""
        rest = re.sub(r"^关于印发|^《", "", _BRACKETS.sub("", title).strip())
        city = max((c for c in self.cities if rest.startswith(c)), key=len, default=None)
        return re.sub(r"(?<=..)(?:市|地区|盟)$", "", city) if city else None

    def national_title(self, title: str) -> str | None:
        """全国 for a title that starts as a national document's does (国家…, 中华人民共和国…)."""
        rest = re.sub(r"^关于印发|^《", "", _BRACKETS.sub("", title).strip())
        return self.national_region if rest.startswith(self.national_title_starts) and self.national_title_starts \
            else None

    def place_of_title(self, title: str) -> str | None:
        """A place the glossary does not know, named at the start of a title with a suffix that
        says it is one ("汕头经济特区科技创新条例" → 汕头), else None."""
        rest = re.sub(r"^关于印发|^《", "", _BRACKETS.sub("", title).strip())
        suffixes = "|".join(map(re.escape, self.place_suffixes))
        m = re.match(rf"([\u4e00-\u9fff]{{2,4}}?)(?:{suffixes})", rest) if suffixes else None
        return m.group(1) if m else None

    def programme_of_title(self, title: str) -> str:
        """What a document is about, read off its title: the region, the kind of document
        (管理办法, 建设指引…) and verbs around it removed; a known programme's canonical name
        when the rest names one. "江苏省新型研发机构管理办法（试行）" → 新型研发机构."""
        rest = _BRACKETS.sub("", title).strip()
        rest = re.sub(r"^关于印发|的通知$", "", rest)
        rest = rest.strip("《》 ")
        places = [n for ns in self.regions.values() for n in ns if len(n) > 1]
        places += [*self.cities, self.place_of_title(rest) or ""]
        place = max((p for p in places if p and rest.startswith(p)), key=len, default="")
        if place:  # "广西壮族自治区…", "玉林市…", "汕头经济特区…": the place and what kind it is
            rest = rest[len(place):]
            kinds = "|".join(map(re.escape, ("壮族自治区", "自治区", "省", *self.place_suffixes)))
            rest = re.sub(rf"^(?:{kinds})", "", rest)
        changed = True
        while changed:
            changed = False
            for kind in (*self.document_kinds, *self.title_verbs):
                if rest.endswith(kind) and len(rest) > len(kind) + 1:
                    rest, changed = rest[: -len(kind)], True
            for verb in self.title_verbs:
                if rest.startswith(verb) and len(rest) > len(verb) + 1:
                    rest, changed = rest[len(verb):], True
        for programme, names in self.programme_aliases.items():
            if any(n in rest for n in names):
                return programme
        return rest


@lru_cache(maxsize=8)
def _compiled(patterns: tuple[str, ...]) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)", re.IGNORECASE)


def _longest_first(words) -> tuple[str, ...]:
    return tuple(sorted(dict.fromkeys(str(w) for w in words), key=len, reverse=True))


@lru_cache(maxsize=1)
def load_glossary(path: Path = GLOSSARY_PATH) -> Glossary:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Glossary(
        regions={str(r): _longest_first(names) for r, names in data["regions"].items()},
        cities={**{str(c): str(r) for c, r in (data.get("cities") or {}).items()},
                **{str(c): str(r) for r, names in (data.get("prefectures") or {}).items() for c in names}},
        national_region=str(data["national_region"]),
        national_words=tuple(map(str, data.get("national_words") or ())),
        national_title_starts=tuple(map(str, data.get("national_title_starts") or ())),
        programme_aliases={str(p): _longest_first([p, *names]) for p, names in data["programme_aliases"].items()},
        programmes=tuple(map(str, data.get("programmes") or ())),
        subjects=tuple(map(str, data.get("subjects") or ())),
        place_suffixes=_longest_first(data.get("place_suffixes") or ()),
        document_kinds=_longest_first(data.get("document_kinds") or ()),
        title_verbs=tuple(map(str, data.get("title_verbs") or ())),
        holders=frozenset(map(str, data.get("holders") or ())),
        entities=tuple(map(str, data.get("entities") or ())),
        levels=tuple(map(str, data.get("levels") or ())),
        grades=tuple(map(str, data.get("grades") or ())),
        injection_patterns=tuple(map(str, data.get("injection_patterns") or ())),
        organisation_kinds=_longest_first(data.get("organisation_kinds") or ()),
        applied_cues={str(k): tuple(map(str, v)) for k, v in (data.get("applied_cues") or {}).items()},
        lure_cues={str(k): tuple(map(str, v)) for k, v in (data.get("lure_cues") or {}).items()},
    )
