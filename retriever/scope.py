"""What a question says about where to look, against what the library holds: the regions and
programmes of the indexed documents (their metadata) named in the words of corpus/glossary.yaml.
Adding a document extends the scope with no code change; a place or programme is "outside"
only while no indexed document covers it. Deterministic string matching, no model."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Callable, Mapping

from corpus.glossary import Glossary, load_glossary



def _recognition_asked(kinds: tuple[str, ...]) -> re.Pattern:
    """"X认定需要满足什么条件？": the recognition conditions of a kind of organisation (the
    glossary's organisation_kinds)."""
    return re.compile(
        rf"([\u4e00-\u9fff]{{2,12}}?(?:{'|'.join(map(re.escape, kinds)) or '(?!)'}))(?:的)?(认定|评定|评价)"
        r"(?:需要|要|得)?(?:满足|具备|符合|达到)?(?:什么|哪些|啥|哪几个)(?:样的)?(?:条件|标准|要求)")


@dataclass(frozen=True)
class Scope:
    regions: tuple[str, ...] = ()        # regions with documents that the question names, in its order
    doc_types: tuple[str, ...] = ()      # programmes with documents that it names
    other_regions: tuple[str, ...] = ()  # places it names that no document covers
    other_programmes: tuple[str, ...] = ()  # programmes it names that no document covers

    @property
    def names_region(self) -> bool:
        return bool(self.regions)


@dataclass(frozen=True)
class LibraryScope:
    """The regions and programmes the indexed documents cover, and the names for them."""

    glossary: Glossary
    region_of_doc: dict[str, str]        # doc id → canonical region (全国 for national documents)
    type_of_doc: dict[str, str]          # doc id → programme
    titles: tuple[str, ...]
    mentions: Callable[[str], bool] = lambda word: False  # does any indexed clause say it?

    @classmethod
    def from_documents(cls, documents: Mapping[str, Mapping[str, Any]], glossary: Glossary | None = None,
                       mentions: Callable[[str], bool] | None = None) -> "LibraryScope":
        """`documents`: doc id → metadata with region, doc_type and title (the index state's);
        `mentions`: whether the indexed text says a word."""
        g = glossary or load_glossary()
        return cls(
            glossary=g,
            region_of_doc={d: g.canonical_region(str(m.get("region") or "")) for d, m in documents.items()},
            type_of_doc={d: str(m.get("doc_type") or "") for d, m in documents.items()},
            titles=tuple(str(m.get("title") or "") for m in documents.values()),
            mentions=mentions or (lambda word: False),
        )

    # ---- what the library covers ----------------------------------------------------
    @property
    def regions(self) -> tuple[str, ...]:
        """Regions with a document of their own (not 全国), in library order."""
        national = self.glossary.national_region
        return tuple(dict.fromkeys(r for r in self.region_of_doc.values() if r and r != national))

    @property
    def national_docs(self) -> frozenset[str]:
        return frozenset(d for d, r in self.region_of_doc.items() if r == self.glossary.national_region)

    def programme_names(self) -> dict[str, tuple[str, ...]]:
        """Each programme of the library → the ways a question names it."""
        out: dict[str, tuple[str, ...]] = {}
        for programme in dict.fromkeys(self.type_of_doc.values()):
            if programme and programme != "其他":
                out[programme] = self.glossary.programme_aliases.get(programme, (programme,))
        return out

    def region_names(self) -> dict[str, tuple[str, ...]]:
        """Every place a question may name → its names: the glossary's and the library's own."""
        return dict(self._region_names)

    def region_words(self) -> frozenset[str]:
        """Words that name a place ("自治区" and "省" included: they only say what kind)."""
        return self._region_words

    def name_words(self) -> frozenset[str]:
        """Words that name a place or a programme (they say where to look, not what is asked)."""
        return self._name_words

    # Read once per library (every question asks them; the titles' cities cost a scan of the
    # glossary's cities per document: half of a search's time at 20,000 clauses).
    @cached_property
    def _region_names(self) -> dict[str, tuple[str, ...]]:
        names = dict(self.glossary.regions)
        for region in self.regions:
            names.setdefault(region, (region,))
        # A city with a document of its own is named bare too ("舟山" for 舟山市科技创新促进条例,
        # region 浙江): safe here, where the library shows the word is a place.
        for title, region in zip(self.titles, self.region_of_doc.values()):
            city = self.glossary.city_of_title(title)
            if city and region in names and city not in names[region]:
                names[region] = (*names[region], city)
        return names

    @cached_property
    def _region_words(self) -> frozenset[str]:
        return frozenset({w for ns in self._region_names.values() for w in ns} | {"自治区", "省"})

    @cached_property
    def _name_words(self) -> frozenset[str]:
        return self._region_words | {w for ns in self.programme_names().values() for w in ns}

    def covers_programme(self, name: str) -> bool:
        """Whether an indexed document is about a programme: its title or type names it (or
        another name of it). "高企认定" is covered once a 高新技术企业认定 document is indexed."""
        stem = name
        for verb in self.glossary.title_verbs:
            stem = stem.removesuffix(verb)
        stem = stem or name
        group = next((ns for ns in self.glossary.programme_aliases.values() if stem in ns), (stem,))
        haystack = (*self.titles, *self.type_of_doc.values())
        return any(n in text for n in group for text in haystack)

    # ---- what a question names --------------------------------------------------------
    def detect(self, question: str) -> Scope:
        """Regions and programmes named in the question, in the order it names them.
        "自治区" alone names no region: 广西 and 内蒙古 are both autonomous regions."""
        covered = set(self.regions)
        named = _named(question, self.region_names(), self.glossary.cities)
        programmes = tuple(p for p in _named(question, self.programme_names()) if self._names_programme(question, p))
        others = tuple(p for p in self.glossary.programmes if p in question and not self.covers_programme(p))
        others += tuple(s for s in self.glossary.subjects if s in question and not self.mentions(s))
        if not others and (m := _recognition_asked(self.glossary.organisation_kinds).search(question)):
            subject = _without_place(m.group(1), self.region_names())
            if subject and not self.covers_programme(subject) and not programmes:
                others = (f"{subject}{m.group(2)}",)
        return Scope(regions=tuple(r for r in named if r in covered), doc_types=programmes,
                     other_regions=tuple(r for r in named if r not in covered), other_programmes=others)

    def _names_programme(self, question: str, programme: str) -> bool:
        """A programme the glossary knows (技术创新中心, 联合体) is named by its word; one read off a
        document's title (专利 of 山东省专利条例) only with the kind of document after it ("专利条例")
        or in 《》: alone the word is what the question is about ("专利转让的奖励"), which other
        documents may answer (促进科技成果转化法)."""
        if programme in self.glossary.programme_aliases:
            return True
        at = question.find(programme)
        return ((at >= 0 and self.glossary.document_kind_pattern().match(question, at + len(programme)) is not None)
                or re.search(rf"《[^》]*{re.escape(programme)}", question) is not None)

    def allowed_documents(self, scope: Scope, region: str | None = None) -> set[str]:
        """Documents a question may be answered from: those of the regions it names (a national
        document answers for every region) ∩ those of the programmes it names, relaxing the
        programme first and then the region when nothing would be left."""
        docs = self.region_of_doc
        regions = (self.glossary.canonical_region(region),) if region else scope.regions
        national = self.national_docs if not region else frozenset()
        by_region = {d for d, r in docs.items() if not regions or r in regions or d in national}
        by_type = {d for d in docs if not scope.doc_types or self.type_of_doc[d] in scope.doc_types}
        for candidate in (by_region & by_type, by_region, by_type):
            if candidate:
                return candidate
        return set(docs)

    def compared_documents(self, scope: Scope) -> tuple[frozenset[str], ...]:
        """The documents of each thing a question names when it names two or more: its regions
        (of the programmes it names, when they have such documents), else its programmes (of
        the regions it names). "湖南和广西…" → ({hn…}, {gx…}); "示范区和创新联合体…" → by type."""
        def group(keep) -> frozenset[str]:
            return frozenset(d for d in self.region_of_doc if keep(d))

        def of_types(d: str) -> bool:
            return not scope.doc_types or self.type_of_doc[d] in scope.doc_types

        if len(scope.regions) >= 2:
            groups = [group(lambda d, r=r: self.region_of_doc[d] == r and of_types(d)) or
                      group(lambda d, r=r: self.region_of_doc[d] == r) for r in scope.regions]
        elif len(scope.doc_types) >= 2:
            groups = [group(lambda d, t=t: self.type_of_doc[d] == t and
                            (not scope.regions or self.region_of_doc[d] in scope.regions)) for t in scope.doc_types]
        else:
            return ()
        return tuple(g for g in groups if g)

    def programmes_missing(self, scope: Scope) -> list[tuple[str, str]]:
        """(region, programme) that a question names together although no document of that
        region (nor a national one) is about that programme: "湖南的创新联合体"."""
        if not scope.regions or not scope.doc_types:
            return []
        missing = []
        for region in scope.regions:
            have = {self.type_of_doc[d] for d, r in self.region_of_doc.items() if r == region or d in self.national_docs}
            if not have & set(scope.doc_types):
                missing.append((region, scope.doc_types[0]))
        return missing

    def regions_with(self, programme: str) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.region_of_doc[d] for d, t in self.type_of_doc.items() if t == programme))

    def documents_for_place(self, scope: Scope) -> set[str]:
        """For a question that names only places without documents: the national documents
        that could answer it (of the programme it names, if any)."""
        return {d for d in self.national_docs if not scope.doc_types or self.type_of_doc[d] in scope.doc_types}


def _named(question: str, names: Mapping[str, tuple[str, ...]], cities: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The things a question names, in the order it names them ("湖南和广西…" → 湖南, 广西)."""
    found: dict[str, int] = {}
    for thing, words in names.items():
        at = [question.index(w) for w in words if w in question]
        if at:
            found[thing] = min(at)
    for city, region in (cities or {}).items():
        if city in question and region in names:
            found[region] = min(found.get(region, len(question)), question.index(city))
    return tuple(sorted(found, key=found.get))


def _without_place(name: str, region_names: Mapping[str, tuple[str, ...]]) -> str:
    for w in sorted((w for ws in region_names.values() for w in ws), key=len, reverse=True):
        name = name.removeprefix(w)
    return re.sub(r"^(?:省|市|自治区)", "", name)
