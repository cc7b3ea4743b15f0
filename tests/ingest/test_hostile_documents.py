"""Hostile document uploads through ingest.library (what `add` and the web upload call): a
Chinese error naming the problem, with nothing written, or the document in the library.
The CLI side, on a real index, is tests/ui/test_cli_hostile.py."""
from pathlib import Path

import pytest

from ingest.blocks import UnreadableDocument
from ingest.library import add_document, library_dir, library_sources, remove_document
from tests.hostile_cases import DOCUMENT_CASES, OVERSIZED_MB


def write_case(tmp_path: Path, case) -> Path:
    """The case's file, under a name as hostile as the case gives (it stays inside tmp_path)."""
    path = tmp_path / "up" / "load" / case.name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(case.build())
    return path


def sparse_file(path: Path, megabytes: float) -> Path:
    with open(path, "wb") as fh:
        fh.truncate(int(megabytes * 1024 * 1024))
    return path


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=lambda c: c.id)
def test_documents(tmp_path, case):
    data = tmp_path / "data"
    path = write_case(tmp_path, case)
    if case.error:
        with pytest.raises(ValueError, match=case.error):  # UnreadableDocument is a ValueError
            add_document(data, path, **case.options)
        assert not library_dir(data).exists() or not any(library_dir(data).iterdir())
        return
    meta = add_document(data, path, **case.options)
    assert meta.id == case.options["doc_id"] and (library_dir(data) / meta.file).exists()
    assert all(p.parent == library_dir(data) for p in library_dir(data).iterdir())
    [source] = library_sources(data)
    assert source.clauses()


def test_oversized_upload_is_refused_before_reading(tmp_path):
    path = sparse_file(tmp_path / "大文件.pdf", OVERSIZED_MB)
    with pytest.raises(UnreadableDocument, match="有 21.0 MB，超过 20.0 MB 的上限"):
        add_document(tmp_path / "data", path)


def test_a_symlink_is_refused(tmp_path):
    """`add` of a link to a server file (/etc/passwd) would publish that file."""
    link = tmp_path / "办法.txt"
    link.symlink_to("/etc/passwd")
    with pytest.raises(UnreadableDocument, match="符号链接"):
        add_document(tmp_path / "data", link)
    assert not library_dir(tmp_path / "data").exists()


def test_the_upload_limit_is_configurable(tmp_path):
    path = tmp_path / "办法.txt"
    path.write_text("第一条 本办法适用于测试市。\n第二条 企业营收不低于1亿元。\n" * 40, encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="超过 0.0 MB 的上限"):
        add_document(tmp_path / "data", path, max_bytes=1000)
    assert add_document(tmp_path / "data", path, max_bytes=path.stat().st_size).id


@pytest.mark.parametrize("doc_id", ["../../etc/passwd", "../library/x", "/abs", "gx-tic", "", "a" * 100])
def test_remove_never_leaves_the_library(tmp_path, doc_id):
    outside = tmp_path / "etc"
    outside.mkdir()
    (outside / "passwd.json").write_text('{"file": "passwd"}', encoding="utf-8")
    with pytest.raises(KeyError, match="文件库中没有|内置政策文件"):
        remove_document(tmp_path / "data", doc_id)
    assert (outside / "passwd.json").exists()


def test_a_damaged_library_record_is_named(tmp_path):
    data = tmp_path / "data"
    library_dir(data).mkdir(parents=True)
    (library_dir(data) / "broken.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(UnreadableDocument, match="文件库中的“broken”已损坏.*policy-assistant remove broken"):
        library_sources(data)
