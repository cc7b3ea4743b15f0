"""What each input field of a programme means, for reading an asker's own facts by meaning
rather than by fixed phrases: a stretch of a question ("去年主营业务收入刚好10个亿") is bound to
the field whose meaning it is nearest.

A field's meaning is all the rules file says about it: its label and short name, the words
people use for it (said_as, said_yes), and the titles of the criteria that read it. A ratio field
("对外技术咨询…等收入占年收入的比例") also has the meaning of its two halves, so a part and a
whole stated as amounts can be bound to them and divided. Nearness is measured twice:

- shared words: the character pairs the stretch shares with the meaning, each weighted by how
  few of the programme's fields use it (a rare pair like 注册 tells more than 单位) and by how
  close it stands to the figure;
- the embedder's similarity of the stretch and the field's label with its help text.

Nothing here knows a region, a programme or a phrasing: it reads the rules file it is given."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, Sequence

import numpy as np

from corpus.glossary import load_glossary
from selfcheck.model import FieldSpec, ProgramRules

_PAIR_CHARS = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")
_RATIO_HALVES = re.compile(r"^(?P<part>.+?)占(?P<whole>.+?)的?比(?:例|重)")
NEAR = 10.0           # characters at which a shared pair counts half
SHRINK = 2.0          # rarity a phrase needs to count as much as its share (see shared)
SHARED_SUBJECT = 3    # labels beginning with a holder that make it a shared subject


class Encoder(Protocol):
    """The embedder the index uses (ingest.embedders): unit vectors for texts."""

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_query(self, text: str) -> np.ndarray: ...


@dataclass(frozen=True)
class Slot:
    """Where a stated figure may go: a field itself, or one half of a ratio field."""

    field: str
    role: str = ""        # "" | "part" | "whole"


def pairs(text: str) -> list[tuple[int, str]]:
    """(position, pair) of every two adjacent word characters."""
    return [(m.start() + i, m.group()[i:i + 2]) for m in _PAIR_CHARS.finditer(text)
            for i in range(len(m.group()) - 1)]


def ratio_halves(spec: FieldSpec) -> tuple[str, str] | None:
    """The part and the whole a ratio field's label names ("A收入占年收入的比例" → A收入, 年收入)."""
    if spec.unit != "%":
        return None
    m = _RATIO_HALVES.match(spec.label)
    return (m.group("part"), m.group("whole")) if m else None


_CONJUNCTION = re.compile(r"[和及与、]")


def _field_phrases(rules: ProgramRules, spec: FieldSpec) -> tuple[tuple[str, ...], int]:
    """The field's label, short name, said words and criterion titles, and each side of a
    conjunction in them ("依托单位和共建单位" also says 依托单位 and 共建单位); and how many of
    them are whole (the sides come last)."""
    titles = [c.title for c in rules.criteria if spec.key in c.fields and len(c.fields) == 1]
    whole = [spec.label, spec.short, *spec.said_as, *spec.said_yes, *titles]
    sides = [p for w in whole if _CONJUNCTION.search(w) for p in _CONJUNCTION.split(w) if len(p) >= 2]
    return tuple(p for p in dict.fromkeys(whole + sides) if p), len([p for p in dict.fromkeys(whole) if p])


def _shared_subjects(rules: ProgramRules) -> tuple[str, ...]:
    """Holders ("牵头单位") that begin several labels: the subject they share says nothing about
    which field is meant, so the embedder compares what follows it."""
    labels = [f.label for f in rules.fields]
    holders = sorted(load_glossary().holders, key=len, reverse=True)
    return tuple(h for h in holders if sum(label.startswith(h) for label in labels) >= SHARED_SUBJECT)


def _embed_text(spec: FieldSpec, subjects: tuple[str, ...]) -> str:
    label = spec.label
    for h in subjects:
        if label.startswith(h) and len(label) > len(h) + 2:
            return label[len(h):]
    return label


@lru_cache(maxsize=256)
def _query_vector(encoder: Encoder, text: str) -> np.ndarray:
    """A stretch's vector, once per embedder: each candidate programme reads the same question."""
    return np.asarray(encoder.embed_query(text), dtype=np.float32).reshape(-1)


class Meanings:
    """The meanings of one programme's fields, scored against stretches of a question."""

    def __init__(self, rules: ProgramRules, encoder: Encoder | None = None) -> None:
        self.rules = rules
        self.encoder = encoder
        phrases: dict[Slot, tuple[str, ...]] = {}
        self._whole: dict[Slot, int] = {}
        embed: dict[Slot, str] = {}
        subjects = _shared_subjects(rules)
        for spec in rules.fields:
            phrases[Slot(spec.key)], self._whole[Slot(spec.key)] = _field_phrases(rules, spec)
            embed[Slot(spec.key)] = _embed_text(spec, subjects)
            halves = ratio_halves(spec)
            if halves:
                for role, words in zip(("part", "whole"), halves):
                    phrases[Slot(spec.key, role)] = (words,)
                    self._whole[Slot(spec.key, role)] = 1
                    embed[Slot(spec.key, role)] = words
        self.slots = tuple(phrases)
        self._phrases = {s: [frozenset(p for _, p in pairs(w)) for w in ws] for s, ws in phrases.items()}
        fields = [s for s in self.slots if not s.role]
        df: dict[str, int] = {}
        for s in fields:
            for p in set().union(*self._phrases[s]):
                df[p] = df.get(p, 0) + 1
        n = len(fields)
        self._idf = {p: math.log((n + 1) / (k + 0.5)) for p, k in df.items()}
        self._rare = math.log(n + 1)
        self._programme = {p for _, p in pairs(self.programme_words)}
        self._embed_text = embed
        self._vectors: dict[Slot, np.ndarray] | None = None

    def vectors(self) -> dict[Slot, np.ndarray]:
        if self._vectors is None and self.encoder is not None:
            matrix = self.encoder.embed_passages([self._embed_text[s] for s in self.slots])
            self._vectors = dict(zip(self.slots, np.asarray(matrix, dtype=np.float32)))
        return self._vectors or {}

    def shared(self, context: Sequence[tuple[float, str]], slot: Slot, whole_only: bool = False) -> float:
        """How much of one of `slot`'s phrases the context says, near the figure: over the
        phrase's character pairs weighted by rarity, the share found in the context, each found
        pair counting by its nearness (context: (distance from the figure, pair)); the best
        phrase's share, 0…1. A longer phrase said in full tells more than a short one (SHRINK):
        "近三年销售收入" beats "收入". whole_only: not the sides of a conjunction ("高校" of
        "与高校、科研院所…合作"), for a statement that must say the whole thing."""
        near: dict[str, float] = {}
        for distance, p in context:
            if p in self._programme:  # the programme's own name tells no field from another
                continue
            near[p] = max(near.get(p, 0.0), 1.0 / (1.0 + max(distance, 0.0) / NEAR))
        best = 0.0
        phrases = self._phrases[slot]
        for phrase in phrases[:self._whole[slot]] if whole_only else phrases:
            if not phrase:
                continue
            weight = sum(self._idf.get(p, self._rare) for p in phrase)
            found = sum(self._idf.get(p, self._rare) * near[p] for p in phrase if p in near)
            best = max(best, found / (weight + SHRINK))
        return best

    def similarity(self, vector: np.ndarray, slot: Slot) -> float:
        return float(np.dot(vector, self.vectors()[slot]))

    def embed(self, texts: Sequence[str]) -> list[np.ndarray | None]:
        """The question's stretches as the embedder sees them (None without an embedder)."""
        if self.encoder is None:
            return [None] * len(texts)
        return [_query_vector(self.encoder, self._without_programme(t)) for t in texts]

    @property
    def programme_words(self) -> str:
        """The programme's name without its region ("创新联合体" of 广西壮族自治区创新联合体):
        the subject of the question, which tells no field from another — while the region may
        well be a fact ("广西的有5家" are members registered there)."""
        name = self.rules.program.name
        regions = load_glossary().regions.get(self.rules.program.region, ())
        for words in sorted(regions, key=len, reverse=True):
            name = name.replace(words, "")
        return re.sub(r"^(?:壮族|回族|维吾尔)?自治区|^省|^市", "", name)

    def _without_programme(self, text: str) -> str:
        """The stretch without the programme's own name ("创新联合体" in "联合体有8个成员"):
        it is the question's subject, not what the figure is."""
        name = self.programme_words
        for size in range(len(name), 2, -1):
            for i in range(len(name) - size + 1):
                if name[i:i + size] in text:
                    text = text.replace(name[i:i + size], "")
        return text
