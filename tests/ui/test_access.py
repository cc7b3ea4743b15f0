"""Changing the library needs the administrator's token, checked in the handler on the server;
without a token the app will not listen beyond this machine."""
from __future__ import annotations

import shutil

import gradio as gr
import pytest
from typer.testing import CliRunner

from ui.access import AdminRequired, check_admin, is_loopback


def test_the_token_is_checked():
    check_admin("", None)  # no token set: a local, single-user app
    check_admin("s3cret-token", "s3cret-token")
    for wrong in (None, "", "s3cret", "S3CRET-TOKEN"):
        with pytest.raises(AdminRequired):
            check_admin("s3cret-token", wrong)


def test_serving_beyond_this_machine_needs_a_token(tmp_path, monkeypatch):
    from ui.cli import app

    monkeypatch.delenv("POLICY_ADMIN_TOKEN", raising=False)
    assert is_loopback("127.0.0.1") and is_loopback("::1") and not is_loopback("0.0.0.0")
    (tmp_path / "CURRENT.json").write_text("{}", encoding="utf-8")  # never reached: refused first
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--port", "7999", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0 and "POLICY_ADMIN_TOKEN" in result.output


@pytest.mark.slow
def test_upload_and_delete_without_the_token_are_refused_and_change_nothing(real_index, tmp_path, uploaded):
    from ui import library_tab
    from ui.context import AppContext
    from ui.settings import Settings

    data_dir = tmp_path / "data"
    shutil.copytree(real_index, data_dir)
    ctx = AppContext(Settings(data_dir=data_dir, admin_token="s3cret-token"))
    doc = tmp_path / "lure.txt"
    doc.write_text("玉林市科普基地管理办法\n第一条 为规范科普基地建设，制定本办法。\n第二条 本办法自发布之日起施行。\n",
                   encoding="utf-8")
    before = sorted(ctx.retriever().state.documents)
    for call in (lambda: library_tab.upload(ctx, uploaded(doc), "", "", None, lambda *a, **k: None),
                 lambda: library_tab.remove(ctx, "gx-tic", "wrong", lambda *a, **k: None)):
        with pytest.raises(gr.Error, match="管理员口令"):
            call()
    assert sorted(ctx.retriever().state.documents) == before
    status = library_tab.upload(ctx, uploaded(doc), "", "", "s3cret-token", lambda *a, **k: None)["status"]
    assert "已加入" in status and len(ctx.retriever().state.documents) == len(before) + 1
