"""The documents an index is built from: the shipped corpus plus the user's own library
(files added under data_dir/library with a metadata record beside each)."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from corpus import DocumentMeta, load_documents
from corpus.glossary import load_glossary
from ingest.blocks import SUPPORTED_SUFFIXES, Block, Title, UnreadableDocument, blocks_from_text, read_blocks
from ingest.clean import clean_line
from ingest.errors import DocumentError, DocumentNotFound
from ingest.model import Clause
from ingest.parser import is_title_only, parse_blocks

MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # default; POLICY_MAX_UPLOAD_MB changes it at the edges
MAX_TITLE_CHARS = 200
MAX_REGION_CHARS = 20
# A document id names files in the library: nothing that could leave it ("../", "/").
_DOC_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")


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
    return [_library_source(library_dir(data_dir), p) for p in sorted(library_dir(data_dir).glob("*.json"))]


def _library_source(lib: Path, meta_path: Path) -> Source:
    """One uploaded document; a damaged record or a missing file is named, not a traceback."""
    try:
        meta = DocumentMeta(**json.loads(meta_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError) as exc:
        raise _damaged(meta_path, "记录文件不完整或不是有效的 JSON") from exc
    path = lib / Path(str(meta.file)).name  # the record names a file inside the library only
    try:
        return Source(meta, "library", _sha(path.read_bytes()), tuple(read_blocks(path)))
    except FileNotFoundError as exc:
        raise _damaged(meta_path, f"原文件“{path.name}”不见了") from exc
    except (OSError, ValueError, TypeError) as exc:
        raise _damaged(meta_path, f"原文件“{path.name}”无法读取") from exc


def _damaged(meta_path: Path, why: str) -> UnreadableDocument:
    return UnreadableDocument(f"文件库中的“{meta_path.stem}”已损坏（{why}），"
                              f"请用 policy-assistant remove {meta_path.stem} 删除后重新加入")


def all_sources(data_dir: Path) -> list[Source]:
    return builtin_sources() + library_sources(data_dir)


def add_document(data_dir: Path, path: Path, *, doc_id: str | None = None, title: str | None = None,
                 region: str | None = None, doc_type: str | None = None,
                 max_bytes: int = MAX_UPLOAD_BYTES) -> DocumentMeta:
    """Copy a user's file into the library (replacing an earlier version with the same id).
    Everything is checked before anything is written: a rejected file changes nothing."""
    if path.is_symlink():  # a link could publish any file of the server (/etc/passwd)
        raise UnreadableDocument(f"“{path.name}”是符号链接：请直接给出文件本身")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            f"不支持的文件类型“{path.suffix or path.name}”，可选：{'、'.join(SUPPORTED_SUFFIXES)}")
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableDocument(f"文件“{path.name}”有 {_megabytes(size)}，超过 {_megabytes(max_bytes)} 的上限")
    doc_id = check_doc_id(doc_id) if doc_id is not None else _slug(path.stem)
    title = check_text_option("title", "标题 title", title, MAX_TITLE_CHARS)
    region = check_text_option("region", "地区 region", region, MAX_REGION_CHARS)
    if doc_id in {d.id for d in load_documents()}:
        raise DocumentError("id", f"文件编号“{doc_id}”与内置政策文件重复，请换一个编号")
    blocks = read_blocks(path)
    if not any(isinstance(b, str) and len(b) > 5 for b in blocks):
        raise UnreadableDocument(f"文件“{path.name}”中没有可识别的正文")
    title = title or _guess_title(blocks) or path.stem
    meta = DocumentMeta(
        id=doc_id, title=title, short_title=title[:30], region=region or guess_region(title, blocks),
        doc_type=doc_type or load_glossary().programme_of_title(title), status="用户上传",
        file=f"{doc_id}{path.suffix.lower()}",
    )
    lib = library_dir(data_dir)
    lib.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(path, lib / meta.file)
    (lib / f"{doc_id}.json").write_text(json.dumps(asdict(meta), ensure_ascii=False, indent=1), encoding="utf-8")
    return meta


def remove_document(data_dir: Path, doc_id: str) -> None:
    lib = library_dir(data_dir)
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        raise DocumentNotFound("doc_id", f"文件库中没有“{doc_id}”")
    meta_path = lib / f"{doc_id}.json"
    if not meta_path.exists():
        builtin = doc_id in {d.id for d in load_documents()}
        raise DocumentNotFound("doc_id", f"“{doc_id}”是内置政策文件，不能删除" if builtin else f"文件库中没有“{doc_id}”")
    # the original is named after the id (add_document); a damaged record can still be removed
    for suffix in SUPPORTED_SUFFIXES:
        (lib / f"{doc_id}{suffix}").unlink(missing_ok=True)
    meta_path.unlink()


def check_doc_id(doc_id: object) -> str:
    """A user-chosen document id, or DocumentError: it becomes a file name in the library."""
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        raise DocumentError("id", f"文件编号 id“{doc_id}”无效：只能用英文字母、数字、- 和 _，"
                         "以字母或数字开头，最长 64 个字符")
    return doc_id


def check_text_option(field: str, name: str, value: object, limit: int) -> str | None:
    """An optional one-line text (title, region): no control characters, not blank, not huge."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise DocumentError(field, f"{name}应为文本")
    text = clean_line(" ".join(value.split()))
    if not text:
        raise DocumentError(field, f"{name}不能为空白")
    if len(text) > limit:
        raise DocumentError(field, f"{name}过长（{len(text)} 字，上限 {limit} 字）")
    return text


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def _slug(stem: str) -> str:
    ascii_part = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return ascii_part[:40] if len(ascii_part) >= 3 else "doc-" + hashlib.sha1(stem.encode()).hexdigest()[:8]


def _guess_title(blocks: list[Block]) -> str | None:
    """The title the file marks (Word's Title style, a PDF's large type), else the first
    title-like line near the top."""
    marked = next((b.text for b in blocks if isinstance(b, Title)), "")
    if 0 < len(marked) <= MAX_TITLE_CHARS:
        return marked
    for b in blocks[:8]:
        if isinstance(b, str) and is_title_only(b) and len(b) >= 6 and not b.startswith("附件"):
            return b.rstrip("。")
    return None


def guess_region(title: str, blocks: list[Block] = ()) -> str:
    """The region a title names (a province, its city, 全国 for a ministry's document, or a
    place the glossary does not know: 汕头经济特区… → 汕头), else the one the lines before the
    first article name (the issuer); "其他" when none does — such a document is not ruled out
    for any place."""
    g = load_glossary()
    head: list[str] = []
    for b in blocks[:6]:
        if isinstance(b, Title):
            continue
        if not isinstance(b, str) or re.match(r"第[一二三四五六七八九十]+[章条]", b):
            break
        head.append(b)
    return (g.region_in_text(title) or g.national_title(title) or g.place_of_title(title)
            or g.region_in_text(" ".join(head)) or "其他")
