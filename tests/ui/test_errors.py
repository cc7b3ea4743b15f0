"""ui/errors.py: an error's type, never its text, decides the exit code, the HTTP status and
whether its message is shown; anything else is an internal error, logged and apologised for."""
from __future__ import annotations

import pytest

from assistant.errors import LLMNotConfigured, LLMUnavailable
from evals.io import GoldFileError
from ingest.errors import (
    DocumentNotFound, EmbedderError, EmbedderUnavailable, IndexDamaged, IndexMissing, QueryError,
    UnreadableDocument,
)
from selfcheck import RulesError, UnknownProgramError
from ui.errors import exit_code, explain, field_of, http_status, is_for_people


@pytest.mark.parametrize("error, code, status", [
    (QueryError("region", "未知地区“火星”"), 2, 400),
    (DocumentNotFound("doc_id", "文件库中没有“x”"), 2, 400),
    (UnreadableDocument("文件“a.doc”中没有可识别的正文"), 2, 400),
    (UnknownProgramError("nope", ["gx-tic"]), 2, 400),
    (GoldFileError("表头缺少列"), 2, 400),
    (EmbedderError("未知的向量模型“x”"), 2, 503),
    (EmbedderUnavailable("未安装 sentence-transformers"), 3, 503),
    (IndexMissing("data"), 3, 503),
    (IndexDamaged("clauses", "条款库已损坏"), 3, 503),
    (LLMUnavailable("大模型服务不可用"), 3, 503),
    (LLMNotConfigured(), 2, 503),
    (RulesError("gx-tic.yaml", "r1", "引用的条款不存在"), 1, 400),
])
def test_each_type_has_its_exit_code_and_status(error, code, status):
    assert is_for_people(error) and (exit_code(error), http_status(error)) == (code, status)
    assert explain(error) == str(error) and "Traceback" not in explain(error)


def test_the_field_travels_with_the_error():
    assert field_of(QueryError("k", "返回条数 k 应为 1 到 50 之间的整数")) == "k"
    assert field_of(UnknownProgramError("nope", ["gx-tic"])) == "program"
    assert field_of(IndexMissing("data")) is None


@pytest.mark.parametrize("error", [ValueError("未知地区“火星”"), KeyError("文件库中没有“x”"), RuntimeError("boom")])
def test_an_untyped_error_is_internal_whatever_its_text(error, caplog):
    """Chinese text does not make a bug's message fit to show."""
    assert not is_for_people(error)
    assert "内部错误" in explain(error) and type(error).__name__ in explain(error)
    assert "unexpected error" in caplog.text


def test_messages_quote_at_most_fifty_characters_of_the_input():
    from ingest.errors import QueryError
    from ui.errors import explain

    message = explain(QueryError("region", f"未知地区“{'火星' * 5000}”，可选：广西、湖南"))
    assert len(message) < 100 and "…”，可选：广西、湖南" in message
    assert explain(QueryError("region", "未知地区“火星”")) == "未知地区“火星”"
