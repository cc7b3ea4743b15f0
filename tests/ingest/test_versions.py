"""Document ids and versions in the library (ingest/library.py): ids from the whole file name,
never a silent replacement; a revised text is an explicit new version, earlier ones kept, the
latest answering; removing it makes the previous one current again."""
import json

import pytest

from corpus import document
from ingest.blocks import blocks_from_text
from ingest.errors import DocumentError
from ingest.library import (
    add_document, all_sources, document_versions, library_dir, library_sources, remove_document, slug,
)
from ingest.versions import full_date, stated

BODY = "第一条 为支持企业研发，制定本办法。\n第二条 每家企业每年申领总额不超过{}万元。\n第三条 本办法自发布之日起施行。\n"


def _file(tmp_path, name, amount=30, head=""):
    path = tmp_path / name
    path.write_text(head + BODY.format(amount), encoding="utf-8")
    return path


def test_two_uploads_named_alike_both_stay(tmp_path):
    """Issue 28 item 3: both names end in 2024; the ids came from the ASCII part only, so the
    second add replaced the first. Now each gets its own id and both stay."""
    data = tmp_path / "data"
    a = add_document(data, _file(tmp_path, "广西科技创新券管理办法2024.txt", 30))
    b = add_document(data, _file(tmp_path, "湖南省科技计划项目管理办法2024.txt", 50))
    assert a.id != b.id and a.id.startswith("doc-2024-") and b.id.startswith("doc-2024-")
    assert sorted(s.meta.id for s in library_sources(data)) == sorted([a.id, b.id])
    texts = {s.meta.id: " ".join(c.text for c in s.clauses()) for s in library_sources(data)}
    assert "30万元" in texts[a.id] and "50万元" in texts[b.id]


def test_ids_are_stable_and_a_taken_one_is_never_reused(tmp_path):
    assert slug("广西科技创新券管理办法2024") == slug("广西科技创新券管理办法2024")  # same name, same id
    assert slug("Voucher Rules 2024") == "voucher-rules-2024"
    data = tmp_path / "data"
    first = add_document(data, _file(tmp_path, "创新券.txt"))
    again = add_document(data, _file(tmp_path, "创新券.txt", 40))  # the same name again: a new document
    assert again.id == f"{first.id}-2"
    assert len(library_sources(data)) == 2
    with pytest.raises(DocumentError, match="已被文件库中的文件使用.*--replace") as refused:
        add_document(data, _file(tmp_path, "x.txt"), doc_id=first.id)
    assert refused.value.field == "id"
    with pytest.raises(DocumentError, match="与内置政策文件重复"):
        add_document(data, _file(tmp_path, "x.txt"), doc_id="gx-tic")


def test_a_shipped_draft_gets_its_final_text_as_version_2(tmp_path):
    data = tmp_path / "data"
    draft = document("gx-tic")
    final = tmp_path / "final.txt"
    head = "关于印发《广西技术创新中心建设实施方案（暂行）》的通知\n广西壮族自治区科学技术厅\n2026年11月20日\n"
    final.write_text(head + draft.read_text().replace("（征求意见稿）", "").replace("10家左右", "12家左右"),
                     encoding="utf-8")
    v2 = add_document(data, final, replace="gx-tic", today="2026-12-01")
    assert (v2.id, v2.version, v2.status, v2.issuer, v2.date, v2.added) == (
        "gx-tic", 2, "印发", "广西壮族自治区科学技术厅", "2026-11-20", "2026-12-01")
    assert v2.title == draft.title and v2.short_title == draft.short_title  # citations stay the same
    versions = document_versions(data, "gx-tic")
    assert [(v.meta.version, v.meta.status, v.origin) for v in versions] == [
        (1, "征求意见稿", "builtin"), (2, "印发", "library")]
    current = next(s for s in all_sources(data) if s.meta.id == "gx-tic")
    assert current.meta.version == 2 and "12家左右" in " ".join(c.text for c in current.clauses())
    assert library_sources(data) == []  # a revised shipped document is no uploaded one

    # The status is editable; a third version; removing it brings the second back.
    v3 = add_document(data, final, replace="gx-tic", status="修订", date="2027年1月5日")
    assert (v3.version, v3.status, v3.date) == (3, "修订", "2027-01-05")
    assert [m.version for m in remove_document(data, "gx-tic", 3)] == [3]
    assert next(s for s in all_sources(data) if s.meta.id == "gx-tic").meta.version == 2
    remove_document(data, "gx-tic", 2)
    assert next(s for s in all_sources(data) if s.meta.id == "gx-tic").meta.version == 1
    assert not any(library_dir(data).glob("gx-tic*"))


def test_removing_versions_and_documents_names_what_goes(tmp_path):
    data = tmp_path / "data"
    v1 = add_document(data, _file(tmp_path, "Voucher.txt", 30))
    v2 = add_document(data, _file(tmp_path, "Voucher-final.txt", 20), replace=v1.id)
    assert (v2.id, v2.version) == (v1.id, 2)
    [current] = library_sources(data)
    assert current.meta.version == 2 and "20万元" in " ".join(c.text for c in current.clauses())
    with pytest.raises(DocumentError, match="没有文件库中加入的第 5 版") as wrong:
        remove_document(data, v1.id, 5)
    assert wrong.value.field == "version"
    removed = remove_document(data, v1.id)  # the whole uploaded document: every version, named
    assert [(m.id, m.version) for m in removed] == [(v1.id, 2), (v1.id, 1)]
    assert library_sources(data) == [] and not any(library_dir(data).iterdir())
    with pytest.raises(DocumentError, match="内置政策文件，不能删除"):
        remove_document(data, "gx-tic")
    with pytest.raises(DocumentError, match="要替换的文件“no-such”不存在") as missing:
        add_document(data, _file(tmp_path, "y.txt"), replace="no-such")
    assert missing.value.field == "replace"


def test_bad_status_and_date_are_named(tmp_path):
    data = tmp_path / "data"
    with pytest.raises(DocumentError, match="状态 status“草案”无效，可选：征求意见稿、修订、印发") as bad:
        add_document(data, _file(tmp_path, "a.txt"), status="草案")
    assert bad.value.field == "status"
    with pytest.raises(DocumentError, match="日期 date“明年”无效") as bad:
        add_document(data, _file(tmp_path, "a.txt"), date="明年")
    assert bad.value.field == "date"
    assert not library_dir(data).exists()  # nothing written


def test_a_legacy_record_is_version_1(tmp_path):
    """A library written before versions existed (no version in the record) reads as version 1."""
    data = tmp_path / "data"
    meta = add_document(data, _file(tmp_path, "Old Rules.txt"))
    record = library_dir(data) / f"{meta.id}.json"
    rec = json.loads(record.read_text(encoding="utf-8"))
    del rec["version"], rec["added"]
    record.write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    [source] = library_sources(data)
    assert source.meta.version == 1
    assert add_document(data, _file(tmp_path, "new.txt", 10), replace=meta.id).version == 2


@pytest.mark.parametrize("head, expected", [
    ("广西壮族自治区科技厅关于印发《测试办法》的通知\n", ("印发", None, None)),
    ("测试办法（征求意见稿）\n", ("征求意见稿", None, None)),
    ("测试办法（2024年修订）\n湖南省科学技术厅\n2024年3月1日\n", ("修订", "2024-03-01", "湖南省科学技术厅")),
    ("测试办法\n", ("未注明", None, None)),
])
def test_status_date_and_issuer_read_from_the_text(head, expected):
    said = stated(blocks_from_text(head + BODY.format(30)))
    assert (said.status, said.date, said.issuer) == expected


def test_full_dates_through_the_figure_reader():
    assert full_date("2020年12月31日") == "2020-12-31"
    assert full_date("2020年") is None and full_date("12月31日") is None


KILLED_ADD = """
import os, signal, sys
from pathlib import Path
import ingest.library as library
stop_at, calls = int(sys.argv[3]), [0]
real_replace = os.replace
def replace(src, dst):  # the process dies (SIGKILL) just before its stop_at-th rename, or just after the last
    calls[0] += 1
    if calls[0] == stop_at:
        os.kill(os.getpid(), signal.SIGKILL)
    real_replace(src, dst)
library.os.replace = replace
library.add_document(Path(sys.argv[1]), Path(sys.argv[2]), replace="test-fund")
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.parametrize("stop_at", [1, 2, 3])
def test_a_kill_during_add_leaves_either_version_intact(tmp_path, stop_at):
    """kill -9 at each step of adding version 2 (before the file's rename, before the record's,
    after both): the library holds version 1 alone or versions 1 and 2 whole; never a broken one;
    the next add works."""
    import os
    import signal
    import subprocess
    import sys

    data = tmp_path / "data"
    add_document(data, _file(tmp_path, "基金办法.txt"), doc_id="test-fund")
    revised = _file(tmp_path, "基金办法修订.txt", amount=50)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    proc = subprocess.run([sys.executable, "-c", KILLED_ADD, str(data), str(revised), str(stop_at)], env=env,
                          capture_output=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    versions = document_versions(data, "test-fund")
    texts = [" ".join(c.text for c in v.clauses()) for v in versions]
    if stop_at <= 2:  # the record is written last: without it, version 2 was never added
        assert [v.meta.version for v in versions] == [1] and "30万元" in texts[0]
    else:
        assert [v.meta.version for v in versions] == [1, 2] and "30万元" in texts[0] and "50万元" in texts[1]
    current = next(s for s in all_sources(data) if s.meta.id == "test-fund")
    assert current.meta.version == versions[-1].meta.version
    again = add_document(data, revised, replace="test-fund")
    assert again.version == versions[-1].meta.version + 1
