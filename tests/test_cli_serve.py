"""`serve` hands every option to `streamlit run`, exactly as the README writes them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from dashboard import cli, schema


@pytest.fixture
def started(monkeypatch) -> list[list[str]]:
    calls: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda command, cwd: calls.append([*command, f"cwd={cwd}"]) or 0)
    return calls


@pytest.mark.parametrize(
    "options",
    [[], ["--server.port", "8611"], ["--server.address", "0.0.0.0"], ["--server.port=8611", "--theme.base", "dark"]],
)
def test_serve_passes_every_option_to_streamlit_in_order(started, options):
    assert cli.main(["serve", *options]) == 0
    (command,) = started
    app = str(schema.REPO_ROOT / "dashboard" / "app.py")
    assert command == [sys.executable, "-m", "streamlit", "run", app, *options, f"cwd={schema.REPO_ROOT}"]


def test_serve_help_is_ours(started, capsys):
    with pytest.raises(SystemExit):
        cli.main(["serve", "--help"])
    assert "serve --server.port 8611" in " ".join(capsys.readouterr().out.split()) and not started


def test_other_commands_still_refuse_unknown_options(capsys):
    with pytest.raises(SystemExit):
        cli.main(["validate", "--server.port", "8611"])
    assert "unrecognized arguments" in capsys.readouterr().err


def test_the_static_folder_streamlit_serves_exists():
    assert (schema.REPO_ROOT / "dashboard" / "static").is_dir()
