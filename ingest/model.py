"""The one record that flows end to end: produced by ingest, scored by the retriever,
cited by the assistant, rendered by the UI."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Clause:
    """The unit that is indexed and cited.

    `path` is the citation path inside the document (第五条（二）1, 三、（五）2, 附件2 指标12);
    a clause split at sentence ends keeps its path and counts `part` from 0.
    `text` is the clause as written (without its numbering marker), for display and quoting;
    `breadcrumb` holds the ancestor headings, which are prepended only for search.
    """

    id: str
    doc_id: str
    doc_title: str
    short_title: str
    region: str
    doc_type: str
    path: str
    text: str
    heading: str = ""
    breadcrumb: tuple[str, ...] = field(default_factory=tuple)
    level: str = ""  # outline level that opened it: article, l1 (一、), l2 (（一）), l3 (1.), …
    seq: int = 0
    part: int = 0

    @property
    def citation(self) -> str:
        """《文件全称》条款路径 — how an answer cites this clause."""
        return f"《{self.doc_title}》{self.path}"

    @property
    def search_text(self) -> str:
        """What BM25 and the embedder see: short title + breadcrumb + heading + text."""
        head = " ".join((self.short_title, *self.breadcrumb))
        own = self.heading if self.heading and not self.text.startswith(self.heading) else ""
        return " ".join(x for x in (head, own, self.text) if x)

    def to_record(self) -> dict:
        """Flat JSON-able form, for the clause store and Chroma metadata."""
        return {
            "id": self.id, "doc_id": self.doc_id, "doc_title": self.doc_title,
            "short_title": self.short_title, "region": self.region, "doc_type": self.doc_type,
            "path": self.path, "text": self.text, "heading": self.heading,
            "breadcrumb": list(self.breadcrumb), "level": self.level, "seq": self.seq,
            "part": self.part,
        }

    @classmethod
    def from_record(cls, rec: dict) -> "Clause":
        return cls(**{**rec, "breadcrumb": tuple(rec.get("breadcrumb") or ())})


def clause_id(doc_id: str, path: str, part: int, search_text: str) -> str:
    """Content hash: the same clause in the same place gets the same id on every ingest,
    so unchanged clauses are never re-embedded."""
    h = hashlib.sha256(f"{doc_id}\x1f{path}\x1f{part}\x1f{search_text}".encode("utf-8"))
    return h.hexdigest()[:20]
