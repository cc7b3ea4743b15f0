"""The shipped policy documents and the registries built from their metadata.

Every "choose from" list (regions, document types, document ids) is derived from the
documents' metadata, so the CLI, the UI and the retriever never type them twice; the words
for places and programmes are data (glossary.yaml, loaded by corpus.glossary).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
USERDICT_PATH = CORPUS_DIR / "jieba_userdict.txt"
SYNONYMS_PATH = CORPUS_DIR / "synonyms.yaml"

@dataclass(frozen=True)
class DocumentMeta:
    """What we know about one policy document, as stated in its text."""

    id: str
    title: str
    short_title: str
    region: str
    doc_type: str
    status: str
    issuer: str | None = None
    date: str | None = None
    file: str | None = None
    version: int = 1           # 1 = as first shipped or uploaded; each revision added is the next
    added: str | None = None   # when this version entered the library (YYYY-MM-DD); None = shipped

    @property
    def path(self) -> Path | None:
        return CORPUS_DIR / self.file if self.file else None

    def read_text(self) -> str:
        if self.path is None:
            raise FileNotFoundError(f"文件“{self.id}”没有原文路径")
        return self.path.read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def load_documents() -> tuple[DocumentMeta, ...]:
    """The shipped documents, in corpus order."""
    records = yaml.safe_load((CORPUS_DIR / "documents.yaml").read_text(encoding="utf-8"))
    return tuple(
        DocumentMeta(**{k: (str(v) if v is not None else None) for k, v in rec.items()})
        for rec in records
    )


def document(doc_id: str) -> DocumentMeta:
    for doc in load_documents():
        if doc.id == doc_id:
            return doc
    choices = "、".join(d.id for d in load_documents())
    raise KeyError(f"未知文件“{doc_id}”，可选：{choices}")


@lru_cache(maxsize=1)
def load_synonyms() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(SYNONYMS_PATH.read_text(encoding="utf-8")) or {}
    return {str(k): tuple(str(x) for x in v) for k, v in data.items()}
