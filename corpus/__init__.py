"""The shipped policy documents and the registries built from their metadata.

Every "choose from" list (regions, document types, document ids) is derived from here,
so the CLI, the UI and the retriever never type them twice.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
USERDICT_PATH = CORPUS_DIR / "jieba_userdict.txt"
SYNONYMS_PATH = CORPUS_DIR / "synonyms.yaml"

# Region → the ways a question names it. "自治区" alone is deliberately absent: both
# 广西 and 内蒙古 are autonomous regions, so it names neither.
REGION_ALIASES: dict[str, tuple[str, ...]] = {
    "广西": ("广西壮族自治区", "广西", "桂"),
    "内蒙古": ("内蒙古自治区", "内蒙古", "内蒙", "蒙"),
    "湖南": ("湖南省", "湖南", "湘"),
}

# Document type → the ways a question names it.
DOC_TYPE_ALIASES: dict[str, tuple[str, ...]] = {
    "技术创新中心": ("技术创新中心", "技创中心", "创新中心"),
    "创新联合体": ("创新联合体", "联合体"),
    "成果转化示范区": ("转移转化示范区", "成果转化示范区", "示范区"),
}

# Provinces and regions that have no document in the corpus, to recognise questions about them.
OTHER_REGIONS: tuple[str, ...] = (
    "北京", "天津", "河北", "山西", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "广东", "海南", "重庆", "四川", "贵州", "云南",
    "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门", "台湾", "深圳",
)


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
