"""The documents an index is built from: the shipped corpus plus the user's own library
(files added under data_dir/library with a metadata record beside each).

A document can have versions: adding a revised text of a shipped or uploaded document (an
explicit `replace`) keeps every earlier version — <id>.json is version 1 of an uploaded one,
<id>.v<N>.json (and its file <id>.v<N>.<ext>) version N — and the latest answers. Removing
the latest makes the one before current again."""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from corpus import DocumentMeta, load_documents
from corpus.glossary import load_glossary
from corpus.revisions import load_revision_words
from ingest.blocks import SUPPORTED_SUFFIXES, Block, Title, UnreadableDocument, blocks_from_text, read_blocks
from ingest.clean import clean_line
from ingest.errors import DocumentError, DocumentNotFound
from ingest.model import Clause
from ingest.parser import is_title_only, parse_blocks
from ingest.versions import full_date, stated

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
    """The current version of every uploaded document (not of the shipped ones it revises)."""
    builtin = {d.id for d in load_documents()}
    return [versions[-1] for doc_id, versions in library_versions(data_dir).items() if doc_id not in builtin]


def library_versions(data_dir: Path) -> dict[str, list[Source]]:
    """Every version the library holds, by document id, oldest first. A version is there when its
    record is (the record is written last, atomically): a file without one is a half-finished add."""
    lib = library_dir(data_dir)
    out: dict[str, list[Source]] = {}
    for meta_path in sorted(lib.glob("*.json")):
        source = _library_source(lib, meta_path)
        out.setdefault(source.meta.id, []).append(source)
    return {k: sorted(v, key=lambda s: s.meta.version) for k, v in out.items()}


def document_versions(data_dir: Path, doc_id: str) -> list[Source]:
    """Every version of one document, oldest first: the shipped text (version 1) of a shipped
    document, then the versions added to the library. DocumentNotFound when there is none."""
    shipped = [s for s in builtin_sources() if s.meta.id == doc_id]
    versions = shipped + library_versions(data_dir).get(doc_id, [])
    if not versions:
        raise DocumentNotFound("doc_id", f"文件库中没有“{doc_id}”")
    return versions


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
    doc_id, _, version = meta_path.stem.partition(".v")
    how = f"policy-assistant remove {doc_id} --version {version}" if version.isdigit() else f"policy-assistant remove {doc_id}"
    return UnreadableDocument(f"文件库中的“{meta_path.stem}”已损坏（{why}），请用 {how} 删除后重新加入")


def all_sources(data_dir: Path) -> list[Source]:
    """What the index is built from: each document's current version (a shipped document's
    latest revision added to the library replaces its shipped text)."""
    revised = library_versions(data_dir)
    shipped = [revised[s.meta.id][-1] if s.meta.id in revised else s for s in builtin_sources()]
    return shipped + library_sources(data_dir)


def add_document(data_dir: Path, path: Path, *, doc_id: str | None = None, replace: str | None = None,
                 title: str | None = None, region: str | None = None, doc_type: str | None = None,
                 status: str | None = None, date: str | None = None, issuer: str | None = None,
                 max_bytes: int = MAX_UPLOAD_BYTES, today: str | None = None) -> DocumentMeta:
    """Copy a user's file into the library: a new document, or with `replace` (an explicit act)
    the next version of an existing one — shipped or uploaded — whose earlier versions are kept.
    A new document never takes an id already in use: a chosen one is refused, one derived from
    the file name gets a numbered suffix. Everything is checked before anything is written: a
    rejected file changes nothing. Status, date and issuer are read from the text where it
    states them; given values override."""
    if path.is_symlink():  # a link could publish any file of the server (/etc/passwd)
        raise UnreadableDocument(f"“{path.name}”是符号链接：请直接给出文件本身")
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise UnreadableDocument(
            f"不支持的文件类型“{path.suffix or path.name}”，可选：{'、'.join(SUPPORTED_SUFFIXES)}")
    size = path.stat().st_size
    if size > max_bytes:
        raise UnreadableDocument(f"文件“{path.name}”有 {_megabytes(size)}，超过 {_megabytes(max_bytes)} 的上限")
    title = check_text_option("title", "标题 title", title, MAX_TITLE_CHARS)
    region = check_text_option("region", "地区 region", region, MAX_REGION_CHARS)
    issuer = check_text_option("issuer", "发文机关 issuer", issuer, MAX_TITLE_CHARS)
    status = check_status(status)
    date = check_date(date)
    previous = _previous_version(data_dir, replace) if replace is not None else None
    if previous is None:
        doc_id = _new_id(data_dir, doc_id, path.stem)
    blocks = read_blocks(path)
    if not any(isinstance(b, str) and len(b) > 5 for b in blocks):
        raise UnreadableDocument(f"文件“{path.name}”中没有可识别的正文")
    # A new version keeps the document's title (its citations stay the same) unless one is given.
    title = title or (previous.title if previous else _guess_title(blocks) or path.stem)
    said = stated(blocks, title)
    short_title = title[:30]
    if previous is not None:
        doc_id = previous.id
        region = region or previous.region
        doc_type = doc_type or previous.doc_type
        short_title = previous.short_title if title == previous.title else short_title
    version = previous.version + 1 if previous else 1
    meta = DocumentMeta(
        id=doc_id, title=title, short_title=short_title, region=region or guess_region(title, blocks),
        doc_type=doc_type or load_glossary().programme_of_title(title),
        status=status or (said.status if previous or said.status != load_revision_words().unstated else "用户上传"),
        issuer=issuer or said.issuer, date=date or said.date,
        file=f"{_stem(doc_id, version)}{path.suffix.lower()}", version=version,
        added=today or datetime.now().strftime("%Y-%m-%d"),
    )
    lib = library_dir(data_dir)
    lib.mkdir(parents=True, exist_ok=True)
    _write_atomically(lib / meta.file, path.read_bytes())
    _write_atomically(lib / f"{_stem(doc_id, version)}.json",
                      json.dumps(asdict(meta), ensure_ascii=False, indent=1).encode("utf-8"))
    return meta


def _stem(doc_id: str, version: int) -> str:
    """Version 1 keeps the name it always had (<id>.json); later ones are <id>.v<N>.json."""
    return doc_id if version == 1 else f"{doc_id}.v{version}"


def _write_atomically(target: Path, data: bytes) -> None:
    """Beside, fsync, rename over: a kill at any point leaves the old file or the new one."""
    tmp = target.with_name(f".{target.name}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def _previous_version(data_dir: Path, doc_id: str) -> DocumentMeta:
    """The current version of the document `--replace` names (DocumentNotFound if none)."""
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        raise DocumentNotFound("replace", f"要替换的文件“{doc_id}”不存在")
    try:
        return document_versions(data_dir, doc_id)[-1].meta
    except DocumentNotFound as exc:
        raise DocumentNotFound("replace", f"要替换的文件“{doc_id}”不存在（可用 info 查看文件编号）") from exc


def _new_id(data_dir: Path, chosen: str | None, stem: str) -> str:
    """A chosen id must be free (replacing is `replace`, never a side effect of a name); an id
    derived from the file name that is taken gets the first free numbered suffix."""
    taken = {d.id for d in load_documents()} | set(library_versions(data_dir))
    if chosen is not None:
        chosen = check_doc_id(chosen)
        if chosen in taken:
            builtin = chosen in {d.id for d in load_documents()}
            raise DocumentError("id", f"文件编号“{chosen}”{'与内置政策文件重复' if builtin else '已被文件库中的文件使用'}："
                                      f"请换一个编号；要把这份文件作为它的新版本，请选择替换（add --replace {chosen}）")
        return chosen
    base = slug(stem)
    return next(c for c in (base, *(f"{base[:60]}-{n}" for n in range(2, 10_000))) if c not in taken)


def remove_document(data_dir: Path, doc_id: str, version: int | None = None) -> list[DocumentMeta]:
    """Remove an uploaded document (every version), or with `version` one version added to the
    library (of an uploaded or a shipped document): the latest remaining becomes current again.
    Returns what was removed, so the caller can name it."""
    lib = library_dir(data_dir)
    if not isinstance(doc_id, str) or not _DOC_ID.fullmatch(doc_id):
        raise DocumentNotFound("doc_id", f"文件库中没有“{doc_id}”")
    builtin = doc_id in {d.id for d in load_documents()}
    records = {_version_of(p): p for p in lib.glob(f"{doc_id}.json")} | {
        _version_of(p): p for p in lib.glob(f"{doc_id}.v*.json") if _version_of(p)}
    if version is None:
        if builtin:
            raise DocumentNotFound("doc_id", f"“{doc_id}”是内置政策文件，不能删除"
                                             + ("；要撤销加入的修订版，请指明版本（--version）" if records else ""))
        doomed = records
    else:
        if version not in records:
            held = "、".join(str(v) for v in sorted(records)) or "无"
            raise DocumentNotFound("version", f"“{doc_id}”没有文件库中加入的第 {version} 版（加入的版本：{held}）")
        doomed = {version: records[version]}
    if not doomed:
        raise DocumentNotFound("doc_id", f"文件库中没有“{doc_id}”")
    removed = []
    for v, meta_path in sorted(doomed.items(), reverse=True):
        removed.append(_read_meta(meta_path, doc_id, v))
        # the record goes first: without it the version is gone, whatever happens to its file
        meta_path.unlink()
        for suffix in SUPPORTED_SUFFIXES:
            (lib / f"{_stem(doc_id, v)}{suffix}").unlink(missing_ok=True)
        impact_path(data_dir, doc_id, v).unlink(missing_ok=True)
    return removed


def impact_path(data_dir: Path, doc_id: str, version: int) -> Path:
    """Where the impact report of a version added is kept (evals/impact.py)."""
    return library_dir(data_dir) / "impact" / f"{doc_id}.v{version}.json"


def _version_of(meta_path: Path) -> int | None:
    doc_id, _, version = meta_path.stem.partition(".v")
    return 1 if not version else int(version) if version.isdigit() else None


def _read_meta(meta_path: Path, doc_id: str, version: int) -> DocumentMeta:
    """A removed version's record, for naming it (a damaged one is still named by its id)."""
    try:
        return DocumentMeta(**json.loads(meta_path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return DocumentMeta(id=doc_id, title=meta_path.stem, short_title=meta_path.stem, region="",
                            doc_type="", status="", version=version)


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


def slug(stem: str) -> str:
    """A document id from the whole file name: an ASCII name as it reads ("Voucher Rules 2024" →
    voucher-rules-2024); any other name as its ASCII part (if any) plus a hash of the whole name,
    so 广西科技创新券管理办法2024 and 湖南省科技计划项目管理办法2024 never share an id."""
    ascii_part = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40].strip("-")
    if stem.isascii() and len(ascii_part) >= 3:
        return ascii_part
    digest = hashlib.sha256(stem.encode("utf-8")).hexdigest()[:8]
    return f"doc-{ascii_part}-{digest}" if ascii_part else f"doc-{digest}"


def check_status(status: object) -> str | None:
    """A status given by hand must be one the library knows (征求意见稿 / 修订 / 印发 …)."""
    if status is None:
        return None
    names = (*load_revision_words().status_names, load_revision_words().unstated, "用户上传")
    if status not in names:
        raise DocumentError("status", f"状态 status“{status}”无效，可选：{'、'.join(names)}")
    return str(status)


def check_date(date: object) -> str | None:
    """A date given by hand: YYYY-MM-DD (or a date as the texts write it, 2024年3月1日)."""
    if date is None:
        return None
    if isinstance(date, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date.strip()):
        try:
            return datetime.strptime(date.strip(), "%Y-%m-%d").strftime("%Y-%m-%d")
        except ValueError:
            pass
    written = full_date(date) if isinstance(date, str) else None
    if written is None:
        raise DocumentError("date", f"日期 date“{date}”无效，应形如 2024-03-01")
    return written


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
