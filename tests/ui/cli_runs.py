"""The CLI as a test invokes it: in process, on a given data directory, never with a traceback."""
from typer.testing import CliRunner

from ui.cli import app

runner = CliRunner()


def run_cli(*args, data_dir, env=None):
    result = runner.invoke(app, [*args, "--data-dir", str(data_dir)], env=env)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result
