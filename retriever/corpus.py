"""The clauses of one index generation, in store order, and what is looked up in them: a clause
by id, its place, its document, whether the library says a word at all. Shared by the
retriever's stages and the assistant (which quotes and cites from it)."""
from __future__ import annotations

import re
from typing import Iterator, Sequence

import numpy as np

from ingest.model import Clause
from retriever.structure import is_item_of


_ARTICLE = re.compile(r"第([一二三四五六七八九十百零〇两0-9]+)条")
# a citation of articles of the same text: 本条例第十六条第二款, 本办法第二十条第一款第二项, 本条例第五条、第六条
_CITED = re.compile(r"本(?:条例|办法|规定|细则|法|决定)((?:第[一二三四五六七八九十百零〇两0-9]+[条款项][、和及或至]?)+)")


def cited_articles(text: str) -> set[str]:
    """The numbers of the articles of its own text a clause cites ("十六" for 本条例第十六条第二款)."""
    return {n for m in _CITED.finditer(text) for n in _ARTICLE.findall(m.group(1))}


class Corpus:
    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses: tuple[Clause, ...] = tuple(clauses)
        self._position = {c.id: i for i, c in enumerate(self.clauses)}
        self._doc_of = np.array([c.doc_id for c in self.clauses])
        self._masks: dict[frozenset[str], np.ndarray] = {}
        self._all_text: str | None = None
        self.regions: tuple[str, ...] = tuple(sorted({c.region for c in self.clauses}))
        self._by_document: dict[str, tuple[Clause, ...]] | None = None
        self._article: dict[str, Clause] = {}
        self._members: dict[str, tuple[Clause, ...]] = {}
        self._citing: dict[str, tuple[Clause, ...]] = {}
        self._lead_in: dict[str, Clause | None] = {}
        self._cited: dict[str, tuple[Clause, ...]] = {}

    def __len__(self) -> int:
        return len(self.clauses)

    def __iter__(self) -> Iterator[Clause]:
        return iter(self.clauses)

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._position

    def at(self, clause_id: str) -> Clause:
        return self.clauses[self._position[clause_id]]

    def position(self, clause_id: str) -> int:
        """Store order: the document's own order of its clauses."""
        return self._position[clause_id]

    def next_in_document(self, clause: Clause) -> Clause | None:
        """The clause that follows (its first part) in the same document, if any."""
        return next((c for c in self.clauses[self._position[clause.id] + 1:]
                     if c.doc_id == clause.doc_id and c.part == 0), None)

    def of_document(self, doc_id: str) -> tuple[Clause, ...]:
        """A document's clauses in its own order (grouped once: suggestions and the document tab
        ask for one on every answer or click, over up to 100k clauses)."""
        if self._by_document is None:
            grouped: dict[str, list[Clause]] = {}
            for c in self.clauses:
                grouped.setdefault(c.doc_id, []).append(c)
            self._by_document = {d: tuple(cs) for d, cs in grouped.items()}
        return self._by_document.get(doc_id, ())

    def lead_in_of(self, clause: Clause) -> Clause | None:
        """The clause this one is an item of ("第二十八条" for 第二十八条（一）), if any (looked up
        once per clause: every answer asks it of the clauses it weighs)."""
        if clause.id not in self._lead_in:
            found = None
            for i in range(self._position[clause.id] - 1, -1, -1):
                c = self.clauses[i]
                if c.doc_id != clause.doc_id:
                    break
                if c.part == 0 and is_item_of(clause, c):
                    found = c
                    break
            self._lead_in[clause.id] = found
        return self._lead_in[clause.id]

    def article_of(self, clause: Clause) -> Clause:
        """The outermost clause this one belongs to (第二十八条 for 第二十八条（一）2 and for the
        second part of 第二十八条), itself when it stands alone."""
        if clause.id not in self._article:
            head = next((c for c in self.of_document(clause.doc_id) if c.path == clause.path), clause)
            while clause.path and (up := self.lead_in_of(head)) is not None and up.path:
                head = up
            self._article[clause.id] = head
        return self._article[clause.id]

    def members_of(self, article: Clause) -> tuple[Clause, ...]:
        """An article's clauses in order: itself, its parts, its items."""
        if article.id not in self._members:
            self._members[article.id] = tuple(
                c for c in self.of_document(article.doc_id)
                if c.path == article.path or (article.path and c.path.startswith(article.path)))
        return self._members[article.id]

    def first_parts(self) -> dict[tuple[str, str], Clause]:
        """(document, clause path) → the clause; one split in parts is cited by its first."""
        found: dict[tuple[str, str], Clause] = {}
        for c in self.clauses:
            found.setdefault((c.doc_id, c.path), c)
        return found

    def in_documents(self, allowed: set[str]) -> np.ndarray:
        """Which clauses belong to the allowed documents (one array per scope, kept: a
        question's scope is one of a few region × type combinations)."""
        key = frozenset(allowed)
        if key not in self._masks:
            self._masks[key] = np.isin(self._doc_of, list(allowed))
        return self._masks[key]

    def citing(self, clause: Clause) -> tuple[Clause, ...]:
        """The clauses of its document that cite the article a clause belongs to ("违反本条例第十六条
        第二款规定的，……处……罚款" cites 第十六条), in the document's order."""
        article = self.article_of(clause)
        if article.id not in self._citing:
            number = _ARTICLE.fullmatch(article.path)
            self._citing[article.id] = () if number is None else tuple(
                c for c in self.of_document(clause.doc_id)
                if c.path != article.path and not c.path.startswith(article.path)
                and number.group(1) in cited_articles(c.text))
        return self._citing[article.id]

    def cited_by(self, clause: Clause) -> tuple[Clause, ...]:
        """The clauses of the articles of its own document a clause cites ("违反本条例第三十三条、
        第三十四条规定的" → 第三十三条 and 第三十四条 with their paragraphs, parts and items)."""
        if clause.id not in self._cited:
            numbers = cited_articles(clause.text)
            self._cited[clause.id] = () if not numbers else tuple(
                c for c in self.of_document(clause.doc_id)
                if (m := _ARTICLE.match(c.path)) is not None and m.group(1) in numbers)
        return self._cited[clause.id]

    def mentions(self, word: str) -> bool:
        """Whether any clause says a word (one substring search over all the text)."""
        if self._all_text is None:
            self._all_text = "\n".join(c.text for c in self.clauses)
        return word in self._all_text
