"""The documents an index is built from: the shipped corpus plus the user's own library
(files added under data_dir/library with a metadata record beside each)."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus import DOC_TYPE_ALIASES, REGION_ALIASES, DocumentMeta, load_documents
from ingest.blocks import SUPPORTED_SUFFIXES, Block, UnreadableDocument, blocks_from_text, read_blocks
from ingest.model import Clause
from ingest.parser import is_title_only, parse_blocks

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One document to index: its metadata, where it came from, and a hash of its content."""

    meta: DocumentMeta
    origin: str  # "builtin" or "library"
    sha: str
    blocks: tuple[Block, ...]

    def clauses(self) -> list[Clause]:
        return parse_blocks(list(self.blocks), self.meta)


def builtin_sources() -> list[Source]:
    out = []
    for doc in load_documents():
        text = doc.read_text()
        out.append(Source(doc, "builtin", _sha(text.encode("utf-8")), tuple(blocks_from_text(text))))
    return out


def library_dir(data_dir: Path) -> Path:
    return data_dir / "library"


def library_sources(data_dir: Path) -> list[Source]:
    out = []
    for meta_path in sorted(library_dir(data_dir).glob("*.json")):
        meta = DocumentMeta(**json.loads(meta_path.read_text(encoding="utf-8")))
        path = library_dir(data_dir) / str(meta.file)
        out.append(Source(meta, "library", _sha(path.read_bytes()), tuple(read_blocks(path))))
    return out


def all_sources(data_dir: Path) -> list[Source]:
    return builtin_sources() + library_sources(data_dir)


def add_document(data_dir: Path, path: Path, *, doc_id: str | None = None, title: str | None = None,
                 region: str | None = None, doc_type: str | None = None) -> DocumentMeta:
    """Copy a user's file into the library (replacing an earlier version with the same id)."""
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            f"不支持的文件类型“{path.suffix or path.name}”，可选：{'、'.join(SUPPORTED_SUFFIXES)}")
    if path.stat().st_size > MAX_UPLOAD_BYTES:
        raise UnreadableDocument(f"文件“{path.name}”超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB 上限")
    blocks = read_blocks(path)
    if not any(isinstance(b, str) and len(b) > 5 for b in blocks):
        raise UnreadableDocument(f"文件“{path.name}”中没有可识别的正文")
    title = title or _guess_title(blocks) or path.stem
    doc_id = doc_id or _slug(path.stem)
    if doc_id in {d.id for d in load_documents()}:
        raise ValueError(f"文件编号“{doc_id}”与内置政策文件重复，请换一个编号")
    meta = DocumentMeta(
        id=doc_id, title=title, short_title=title[:30], region=region or _guess(title, REGION_ALIASES),
        doc_type=doc_type or _guess(title, DOC_TYPE_ALIASES), status="用户上传",
        file=f"{doc_id}{path.suffix.lower()}",
    )
    lib = library_dir(data_dir)
    lib.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, lib / meta.file)
    (lib / f"{doc_id}.json").write_text(json.dumps(asdict(meta), ensure_ascii=False, indent=1), encoding="utf-8")
    return meta


def remove_document(data_dir: Path, doc_id: str) -> None:
    lib = library_dir(data_dir)
    meta_path = lib / f"{doc_id}.json"
    if not meta_path.exists():
        builtin = doc_id in {d.id for d in load_documents()}
        raise KeyError(f"“{doc_id}”是内置政策文件，不能删除" if builtin else f"文件库中没有“{doc_id}”")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    (lib / meta["file"]).unlink(missing_ok=True)
    meta_path.unlink()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _slug(stem: str) -> str:
    ascii_part = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return ascii_part[:40] if len(ascii_part) >= 3 else "doc-" + hashlib.sha1(stem.encode()).hexdigest()[:8]


def _guess_title(blocks: list[Block]) -> str | None:
    for b in blocks[:8]:
        if isinstance(b, str) and is_title_only(b) and len(b) >= 6 and not b.startswith("附件"):
            return b.rstrip("。")
    return None


def _guess(title: str, aliases: dict[str, tuple[str, ...]]) -> str:
    for name, words in aliases.items():
        if any(w in title for w in words):
            return name
    return "其他"
