"""Typed errors of the library core (questions, documents, embedders, the index). Each carries
a complete Chinese sentence for people and, for bad input, the field it is about; the edges
(ui/errors.py) map the type to an exit code or HTTP status, never the text."""
from __future__ import annotations


class InvalidInput(ValueError):
    """Something a person gave is unusable. `field` names it (None = the request as a whole)."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return self.message


class QueryError(InvalidInput):
    """A question or its filters: q, k, region, doc_id, mode."""


class DocumentError(InvalidInput):
    """A document given to the library, or its id, title or region."""


class UnreadableDocument(DocumentError):
    """The file cannot be read as a policy document (format, encoding or corruption)."""

    def __init__(self, message: str, field: str | None = "file") -> None:
        super().__init__(field, message)


class DocumentNotFound(DocumentError, KeyError):
    """A document id the library does not hold (or may not remove)."""


class EmbedderError(ValueError):
    """An embedder spec that cannot be satisfied on this machine (unknown or malformed)."""


class EmbedderUnavailable(EmbedderError):
    """A known embedder whose package or model is not installed here."""


class NamespaceError(ValueError):
    """A namespace Chroma would not accept as part of a collection name."""


class IndexError_(RuntimeError):
    """The index is missing, half-written or unreadable."""


class IndexMissing(IndexError_):
    """No index has been built in this data dir yet."""

    def __init__(self, data_dir) -> None:
        super().__init__(f"{data_dir} 下还没有索引，请先运行 policy-assistant ingest")
        self.data_dir = data_dir


class IndexDamaged(IndexError_):
    """One part of the index (state, clauses, bm25, vectors) cannot be read or does not agree."""

    def __init__(self, part: str, message: str) -> None:
        super().__init__(message)
        self.part = part
