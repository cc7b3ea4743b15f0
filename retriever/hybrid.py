"""Hybrid retriever: jieba BM25 (with the domain synonym table) + dense vectors in Chroma,
fused by RRF, scoped deterministically by the regions and document types a question names."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import numpy as np

from corpus.question_words import question_pattern
from ingest.clean import clean_question
from ingest.embedders import Embedder, make_embedder
from ingest.errors import IndexDamaged, IndexMissing, QueryError
from ingest.lexical import LexicalIndex
from ingest.model import Clause
from ingest.store import (
    EmbedderFunction, IndexError_, IndexState, check_bm25, generation_dir, open_client, read_clauses,
    read_state,
)
from ingest.tokenize import Tokenizer, jieba_tokenizer, tokenizer_fingerprint
from retriever.answerability import Answerability, answerability_for
from retriever.answer_type import answer_types_stated, expected_answer_types
from retriever.corpus import Corpus
from retriever.lexicon import Lexicon
from retriever.calibration import Calibration, calibration_for, default_calibration
from retriever.fusion import reciprocal_rank_fusion
from retriever.ranker import DEPTH, Candidates, Ranker, analyse, candidate_features, ranker_for
from retriever.scope import LibraryScope, Scope
from retriever.structure import is_bare_lead_in, is_item_of

# "…过了以后，还要走哪些步骤？": a question about the step after the one it names.
_AFTER = question_pattern("after")
_NEXT = question_pattern("next")
CANDIDATES = 30          # depth of each signal's ranking fed to the fusion
# A scoped dense search fetches OVERFETCH × the candidates it needs, scaled by the share of
# clauses in scope, unfiltered (up to OVERFETCH_MAX results, ≈ 35 ms at 100k; beyond that Chroma filters).
OVERFETCH = 3
OVERFETCH_MAX = 4000
# An item of a bare lead-in takes its place when it scores at least this share of the lead-in.
ITEM_SHARE = 0.75


@dataclass(frozen=True)
class _Selection:
    """One search's candidates before the learned stage."""

    order: list[str]
    fused: dict[str, float]
    bm25_rank: list[str]
    dense_rank: list[str]
    similarity: dict[str, float]
    candidates: Candidates | None
    types: tuple[str, ...] = ()    # the kinds of answer asked (retriever/answer_type.py)


@dataclass(frozen=True)
class Hit:
    """A clause with its fused score and the rank each signal gave it (None: not in its top)."""

    clause: Clause
    score: float
    bm25_rank: int | None = None
    dense_rank: int | None = None
    dense_similarity: float | None = None
    # The learned stage's description of this candidate (retriever/ranker.py FEATURES) and its
    # score, when the stage ran and the hit is among the candidates it re-ordered: the evidence
    # the answerability classifier weighs (retriever/answerability.py).
    features: tuple[float, ...] = field(default=(), compare=False, repr=False)
    rank_score: float | None = field(default=None, compare=False)


MAX_K = 100


# The steps of a search after the two signals (BM25, dense) are ranked, in order, by name: each
# can be switched off (Retriever.disabled) so an evaluation measures what it is worth
# (evals/ablation.py, `policy-assistant eval --ablate`).
STAGES: dict[str, str] = {
    "answer_type": "按所问内容（数额、期限……）补一路排序：陈述了所问种类数值的条款",
    "each_region": "问题点名几个地区时，每个地区分别检索再交错",
    "lead_ins": "“有下列情形之一的：”这类引导句排在它的条目之后",
    "next_step": "问“某步之后还要做什么”时，下一步排第一",
    "indicator_group": "问一组指标时，整组指标按表中顺序排前",
    "ranker": "学习排序（LightGBM LambdaRank）按通用特征重排融合后的前 20 条（eval --train-ranker 训练）",
    "each_document": "未点名地区时，几乎同样相关的其他文件的最佳条款也进入前 k",
    "citing": "问后果、处罚时，首条所在的条被同一文件的罚则引用（“违反本条例第十六条……罚款”），罚则排第一",
}


class Retriever:
    def __init__(self, clauses: list[Clause], lexical: LexicalIndex, collection, embedder: Embedder,
                 state: IndexState, calibration: Calibration | None = None, ranker: Ranker | None = None,
                 answerability: Answerability | None = None) -> None:
        """calibration: the similarity floor and margins on this embedder's scale
        (retriever/calibration.py); the shipped one for the model when not given."""
        self.calibration = calibration or default_calibration(embedder.spec)
        self.ranker = ranker  # the learned selection stage (retriever/ranker.py); None: off
        # whether the retrieved clauses answer at all (retriever/answerability.py); None: not decided here
        self.answerability = answerability
        self.disabled: frozenset[str] = frozenset()  # names of STAGES switched off (ablation)
        self.corpus = Corpus(clauses)
        self.lexicon = Lexicon(lexical)
        self.state = state
        self._collection = collection
        self.embedder = embedder
        self.regions = self.corpus.regions
        self.scope = LibraryScope.from_documents(state.documents, mentions=self.corpus.mentions)

    @property
    def clauses(self) -> tuple[Clause, ...]:
        return self.corpus.clauses

    @classmethod
    def open(cls, data_dir: Path, *, chroma_url: str | None = None, chroma_token: str | None = None,
             embedder: Embedder | None = None, tokenizer: Tokenizer | None = None) -> "Retriever":
        state = read_state(data_dir)
        if state is None:
            raise IndexMissing(data_dir)
        embedder = embedder or make_embedder(state.embedder)
        if embedder.spec != state.embedder:
            raise IndexError_(f"索引由“{state.embedder}”生成，与当前模型“{embedder.spec}”不符，"
                              "请运行 policy-assistant ingest --rebuild")
        if tokenizer is None and state.tokenizer and state.tokenizer != tokenizer_fingerprint():
            raise IndexDamaged("bm25", "分词词典、停用词或同义词表已更改，关键词索引已过期："
                                       "请运行 policy-assistant ingest（向量会沿用，只重建关键词索引）")
        gen_dir = generation_dir(data_dir, state.generation)
        clauses = read_clauses(gen_dir)
        check_bm25(gen_dir)
        try:
            lexical = LexicalIndex.load(gen_dir / "bm25", tokenizer or jieba_tokenizer())
            collection = open_client(data_dir, chroma_url, chroma_token).get_collection(
                state.collection, embedding_function=EmbedderFunction(embedder))
        except Exception as exc:
            raise IndexError_(f"索引“{state.generation}”不完整或已损坏：{exc}；"
                              "请运行 policy-assistant ingest --rebuild") from exc
        return cls(clauses, lexical, collection, embedder, state, calibration_for(data_dir, embedder.spec),
                   ranker_for(data_dir, embedder.spec), answerability_for(data_dir, embedder.spec))

    # ---- the public call -------------------------------------------------------------
    def search(self, question: str, k: int = 5, *, region: str | None = None,
               doc_ids: Sequence[str] | None = None) -> list[Hit]:
        """Ranked hits for a question, optionally restricted to a region or documents.
        The question is cleaned here, for every caller (ingest.clean.clean_question)."""
        question = clean_question(question)
        if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
            raise QueryError("k", f"返回条数 k 应为 1 到 {MAX_K} 之间的整数，收到 {k!r}")
        if region is not None and region not in self.regions:
            raise QueryError("region", f"未知地区“{region}”，可选：{'、'.join(self.regions)}")
        scope = self.scope.detect(question)
        on = lambda stage: stage not in self.disabled  # noqa: E731
        if region is None and not doc_ids and len(scope.regions) >= 2 and on("each_region"):
            return self._search_each_region(question, k, scope)
        chosen = self._select(question, scope, region, doc_ids, features=self.ranker is not None and on("ranker"))
        order = chosen.order
        rows: dict[str, tuple[tuple[float, ...], float]] = {}
        if chosen.candidates is not None:
            scores = self.ranker.scores(chosen.candidates.features)
            head = self.ranker.order(chosen.candidates, scores)
            order = head + order[len(head):]
            rows = {cid: (tuple(chosen.candidates.features[i]), float(scores[i]))
                    for i, cid in enumerate(chosen.candidates.ids)}
            if "indicator" in chosen.types and on("indicator_group"):  # the group stays in table order
                order = self._indicator_group_in_order(question, order)
        if "consequence" in chosen.types and on("citing"):
            order = self._citing_consequence_first(order)
        if region is None and not doc_ids and len(scope.regions) != 1 and on("each_document"):
            # No region named: documents that answer nearly as well; several named (湖南和广西
            # …有什么不同): each of them, however far behind.
            margin = self.calibration.document_margin if not scope.regions else float("inf")
            order = self._include_each_answering_document(order, k, chosen.similarity, margin)
        b_pos = {cid: i for i, cid in enumerate(chosen.bm25_rank, 1)}
        d_pos = {cid: i for i, cid in enumerate(chosen.dense_rank, 1)}
        top = chosen.fused.get(order[0], 0.0) if order else 0.0   # a cited-by clause fetched from the text
        return [Hit(self.corpus.at(cid), chosen.fused.get(cid, top), b_pos.get(cid), d_pos.get(cid),
                    chosen.similarity.get(cid), *rows.get(cid, ((), None))) for cid in order[:k]]

    def candidates(self, question: str, region: str | None = None,
                   doc_ids: Sequence[str] | None = None) -> Candidates:
        """The fused top candidates in the order of the hand stages, with the learned stage's
        features (what the ranker re-orders; evals/ranker.py trains on them)."""
        question = clean_question(question)
        chosen = self._select(question, self.scope.detect(question), region, doc_ids, features=True)
        return chosen.candidates

    def _select(self, question: str, scope: Scope, region: str | None, doc_ids: Sequence[str] | None,
                features: bool) -> "_Selection":
        """Both signals, their fusion and the hand stages; with features, the top DEPTH
        candidates described for the learned stage."""
        on = lambda stage: stage not in self.disabled  # noqa: E731
        allowed = self.allowed_documents(scope, region, doc_ids)
        bm25_rank, bm25_score = self._bm25_ranking(question, allowed, regional=bool(region or scope.regions))
        dense_rank, similarity = self._dense_ranking(question, allowed)
        rankings = {"bm25": bm25_rank, "dense": dense_rank}
        types = expected_answer_types(question)
        stated: dict[str, int] = {}
        if types:  # among the candidates in fused order, those that state such a figure —
            # first those that answer more of what is asked ("报哪里备案？要干满几个月？")
            first = self._fused_order(self._fuse(rankings), bm25_rank)
            stated = {cid: answer_types_stated(self.corpus.at(cid).text, types) for cid in first}
            if on("answer_type"):
                rankings["answer_type"] = sorted((cid for cid in first if stated[cid]), key=lambda cid: -stated[cid])
        fused = self._fuse(rankings)
        order = self._fused_order(fused, bm25_rank)
        fused_rank = {cid: i for i, cid in enumerate(order, 1)}
        if on("lead_ins"):
            order = self._items_before_lead_ins(order, fused)
        if on("next_step"):
            order = self._next_step_first(question, order)
        if "indicator" in types and on("indicator_group"):
            order = self._indicator_group_in_order(question, order)
        candidates = None
        if features:
            q = analyse(question, scope, self.lexicon.expand(question, words_only=True),
                        self.lexicon.document_frequency, len(types))
            bm25 = {cid: (i, bm25_score[cid]) for i, cid in enumerate(bm25_rank, 1)}
            dense = {cid: (i, similarity[cid]) for i, cid in enumerate(dense_rank, 1)}
            candidates = candidate_features(q, order[:DEPTH], self.corpus, fused, fused_rank, bm25, dense, stated,
                                            self.scope.region_of_doc, self.scope.type_of_doc)
        return _Selection(order, fused, bm25_rank, dense_rank, similarity, candidates, types)

    def _search_each_region(self, question: str, k: int, scope: Scope) -> list[Hit]:
        """"湖南和广西…有什么不同？": one search per named region, best hits interleaved, so
        neither region's answer is crowded out by the other's wording. The regions come in the
        order the question names them (scores of separate searches are not comparable)."""
        names = self.scope.region_names()
        per_region = [self.search(_asked_of(question, r, scope.regions, names), k=k, region=r) for r in scope.regions]
        firsts = [hits[0] for hits in per_region if hits]
        rest = sorted((h for hits in per_region for h in hits[1:]), key=lambda h: -h.score)
        return (firsts + rest)[:k]

    def _fuse(self, rankings: dict[str, list[str]]) -> dict[str, float]:
        """RRF with the embedder's k and weights (retriever/calibration.py)."""
        return reciprocal_rank_fusion(rankings, self.calibration.rrf_k, self.calibration.weights)

    def _fused_order(self, fused: dict[str, float], bm25_rank: list[str]) -> list[str]:
        return fused_order(fused, bm25_rank, self.corpus.position)

    def _items_before_lead_ins(self, order: list[str], fused: dict[str, float]) -> list[str]:
        return items_before_lead_ins(order, fused, self.corpus.at)

    def _next_step_first(self, question: str, order: list[str]) -> list[str]:
        """"方案论证过了以后，还要走哪些步骤？" asks what follows a step: when the best clause is
        that step and the step after it is also a candidate, the next step comes first."""
        after = _AFTER.search(question)
        if len(order) < 2 or not (after and _NEXT.search(question[after.end():])):
            return order
        top = self.corpus.at(order[0])
        name = top.heading or re.split(r"[。：:，]", top.text, maxsplit=1)[0][:12]
        done = question[:after.start()]
        if not any(name[i:i + 2] in done for i in range(len(name) - 1)):  # the step named is not this one
            return order
        following = self.corpus.next_in_document(top)
        if following is None or following.breadcrumb != top.breadcrumb or following.id not in order[:3]:
            return order
        return [following.id] + [cid for cid in order if cid != following.id]

    def _citing_consequence_first(self, order: list[str]) -> list[str]:
        """"…会怎么罚？" asks a consequence: when the best clause states none and a clause of its
        document cites its article and states one ("第二十八条 违反本条例第十六条第二款规定的，……
        罚款"), that clause answers — a regulation puts its penalties in articles of their own,
        which name the duty they enforce only by its number."""
        if not order:
            return order
        top = self.corpus.at(order[0])
        if answer_types_stated(top.text, ("consequence",)):
            return order
        penalty = next((c for c in self.corpus.citing(top) if answer_types_stated(c.text, ("consequence",))), None)
        if penalty is None:
            return order
        return [penalty.id] + [cid for cid in order if cid != penalty.id]

    def _indicator_group_in_order(self, question: str, order: list[str]) -> list[str]:
        """"指标里产业孵化方面要报哪些数？" names a group of indicators, not one: when the best
        clause is a row of the group the question names, the group's rows lead, in table order."""
        if not order:
            return order
        top = self.corpus.at(order[0])
        label = top.breadcrumb[-1].split("：")[-1] if top.level == "table_row" and top.breadcrumb else ""
        if not label or label not in question:
            return order
        group = sorted((cid for cid in order if self.corpus.at(cid).breadcrumb == top.breadcrumb),
                       key=self.corpus.position)
        return group + [cid for cid in order if cid not in group]

    # ---- scoping ---------------------------------------------------------------------
    def allowed_documents(self, scope: Scope, region: str | None,
                          doc_ids: Sequence[str] | None) -> set[str]:
        """Documents the question may be answered from (see LibraryScope.allowed_documents);
        the user's own choice of documents wins."""
        docs = self.state.documents
        if doc_ids:
            unknown = [d for d in doc_ids if d not in docs]
            if unknown:
                raise QueryError("doc_id", f"未知文件“{'、'.join(unknown)}”，可选：{'、'.join(docs)}")
            return set(doc_ids)
        return self.scope.allowed_documents(scope, region)

    # ---- the two signals -------------------------------------------------------------
    def _bm25_ranking(self, question: str, allowed: set[str], regional: bool = False) -> tuple[list[str], dict[str, float]]:
        """regional: the search is confined to a region's documents, where the region's name
        ("内蒙古", "自治区") tells no clause from another and only favours those that repeat it."""
        tokens = self.lexicon.expand(question)
        if regional:
            words = self.scope.region_words()
            tokens = [t for t in tokens if not any(t in w for w in words)] or tokens
        scores = self.lexicon.scores(tokens)
        if len(allowed) < len(self.state.documents):
            scores = np.where(self.corpus.in_documents(allowed), scores, 0.0)
        best = [i for i in top_indices(scores, CANDIDATES) if scores[i] > 0]
        return [self.clauses[i].id for i in best], {self.clauses[i].id: float(scores[i]) for i in best}

    def _dense_ranking(self, question: str, allowed: set[str]) -> tuple[list[str], dict[str, float]]:
        """The nearest clauses within the allowed documents. A scoped search first takes the
        nearest clauses of the whole collection and keeps the allowed ones; only when too few
        are left does it ask Chroma to filter (its metadata filter costs 0.2–0.4 s per query at
        100k clauses, an unfiltered query of 1000 results about 10 ms)."""
        vector = self.embedder.embed_query(question)
        n = min(CANDIDATES, len(self.clauses))
        if len(allowed) == len(self.state.documents):
            return self._nearest(vector, n)
        total = len(self.clauses)
        share = int(self.corpus.in_documents(allowed).sum()) / max(1, total)
        first = math.ceil(OVERFETCH * n / max(share, 1e-9))
        # Identical clauses (a document re-issued unchanged) can leave fewer allowed ones than
        # expected: one wider try, then the filtered query.
        small = first <= OVERFETCH_MAX or total <= OVERFETCH_MAX
        for size in dict.fromkeys([min(first, total), min(OVERFETCH_MAX, total)] if small else []):
            ids, similarity = self._nearest(vector, size)
            kept = [cid for cid in ids if cid in self.corpus and self.corpus.at(cid).doc_id in allowed]
            if len(kept) >= n or size == total:
                return kept[:n], {cid: similarity[cid] for cid in kept[:n]}
        return self._nearest(vector, n, {"doc_id": {"$in": sorted(allowed)}})

    def _nearest(self, vector: np.ndarray, n: int, where: dict | None = None) -> tuple[list[str], dict[str, float]]:
        result = self._collection.query(query_embeddings=[vector], n_results=n, where=where, include=["distances"])
        ids = result["ids"][0]  # Chroma's nested lists end here
        return ids, {cid: 1.0 - float(d) for cid, d in zip(ids, result["distances"][0])}

    def _include_each_answering_document(self, order: list[str], k: int, similarity: dict[str, float],
                                         margin: float) -> list[str]:
        """When no region is named and several documents answer (中心主任工作时间 in 广西 and
        内蒙古), make sure the best clause of each such document is within the top k."""
        if not order:
            return order
        top_id = order[0]
        top_sim = similarity.get(top_id, 0.0)
        best_per_doc: dict[str, str] = {}
        for cid in order:
            best_per_doc.setdefault(self.corpus.at(cid).doc_id, cid)
        top_doc = self.corpus.at(top_id).doc_id
        must = [cid for doc, cid in best_per_doc.items()
                if doc != top_doc and similarity.get(cid, 0.0) >= top_sim - margin]
        if not must:
            return order
        head = [cid for cid in order[:k] if cid not in must]
        keep = head[: max(1, k - len(must))]
        chosen = set(keep) | set(must[: k - 1])
        first = [cid for cid in order if cid in chosen]
        return first + [cid for cid in order if cid not in chosen]


def top_indices(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n highest scores, best first, ties in index order — without sorting
    all of them (100k clauses)."""
    if len(scores) > n:
        candidates = np.argpartition(-scores, n - 1)[:n]
    else:
        candidates = np.arange(len(scores))
    return candidates[np.lexsort((candidates, -scores[candidates]))]


def fused_order(fused: dict[str, float], bm25_rank: Sequence[str], position: Callable[[str], int]) -> list[str]:
    """Best fused score first. Two signals that swap ranks 1 and 2 tie exactly: the clause
    with the question's own wording (the better BM25 rank) goes first, then document order."""
    lexical = {cid: i for i, cid in enumerate(bm25_rank)}
    return sorted(fused, key=lambda cid: (-round(fused[cid], 12), lexical.get(cid, len(lexical)), position(cid)))


def items_before_lead_ins(order: list[str], fused: dict[str, float], clause_of: Callable[[str], Clause]) -> list[str]:
    """A bare lead-in ("有下列情况之一的，取消…资格：") answers only through its items: when one
    of its items is also a good candidate, the best such item takes the lead-in's place and the
    lead-in follows it. When its items are all weak, it answers nothing: it gives its place to
    the next candidate."""
    out = list(order)
    for cid in order:
        lead = clause_of(cid)
        if not is_bare_lead_in(lead):
            continue
        pos = out.index(cid)
        item = next((x for x in out[pos + 1:] if is_item_of(clause_of(x), lead)), None)
        if item is None:
            continue
        if fused[item] >= ITEM_SHARE * fused[cid]:
            out.remove(item)
            out.insert(pos, item)
        elif pos + 1 < len(out):
            out[pos], out[pos + 1] = out[pos + 1], out[pos]
    return out


def _asked_of(question: str, region: str, named: Sequence[str], names: dict[str, tuple[str, ...]]) -> str:
    """"内蒙古和湖南的技术创新中心…有啥不同？" asked of 湖南 alone: the other regions' names
    (and the "和" joining them) would only blur what is being asked."""
    others = sorted((w for r in named if r != region for w in names.get(r, (r,))), key=len, reverse=True)
    if not others:
        return question
    alias = "|".join(map(re.escape, others))
    out = re.sub(rf"(?:{alias})(?:的)?(?:和|与|跟|及|、|同|比)|(?:和|与|跟|及|、|同|比)(?:{alias})|(?:{alias})", "", question)
    return out if out.strip() else question
