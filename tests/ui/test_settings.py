"""Settings are read at the edges; a bad value is a Chinese message naming the variable."""
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ingest.namespace import default_namespace
from ui.cli import app, settings_for
from ui.settings import Settings, settings_error_message


def test_namespace_defaults_to_the_data_dirs_and_follows_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("POLICY_NAMESPACE", raising=False)
    monkeypatch.setenv("POLICY_DATA_DIR", str(tmp_path / "env"))
    assert Settings().namespace == default_namespace(tmp_path / "env")
    assert settings_for(tmp_path / "flag").namespace == default_namespace(tmp_path / "flag")
    monkeypatch.setenv("POLICY_NAMESPACE", "prod")
    assert settings_for(tmp_path / "flag").namespace == "prod"


@pytest.mark.parametrize("env, words", [
    ({"POLICY_NAMESPACE": "生产"}, "POLICY_NAMESPACE“生产”无效"),
    ({"POLICY_NAMESPACE": "a..b"}, "不能有连续的两个点"),
    ({"POLICY_LLM_TIMEOUT": "nan"}, "POLICY_LLM_TIMEOUT 应为大于 0 的数字"),
    ({"POLICY_LLM_TIMEOUT": "-1"}, "POLICY_LLM_TIMEOUT 应为大于 0 的数字"),
    ({"POLICY_MAX_UPLOAD_MB": "0"}, "POLICY_MAX_UPLOAD_MB 应为大于 0 的数字"),
    ({"POLICY_PORT": "http"}, "配置 POLICY_PORT 无效：应为整数"),
])
def test_bad_settings_are_explained(monkeypatch, tmp_path, env, words):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert words in settings_error_message(raised.value)
    result = CliRunner().invoke(app, ["info", "--data-dir", str(tmp_path)])
    assert result.exit_code == 2 and words in result.stderr and "Traceback" not in result.output
