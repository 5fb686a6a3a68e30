"""`serve` hands every option to `streamlit run`, exactly as the README writes them."""

from __future__ import annotations

import os
import sys

import pytest

from dashboard import cli, schema


@pytest.fixture
def started(monkeypatch) -> list[list[str]]:
    """The commands the CLI would become (os.execv recorded, not run), with the folder it would run in."""
    calls: list[list[str]] = []
    folder: list[str] = []
    monkeypatch.setattr(os, "chdir", lambda path: folder.append(str(path)))
    monkeypatch.setattr(os, "execv", lambda program, argv: calls.append([*argv, f"cwd={folder[-1]}"]))
    return calls


@pytest.mark.parametrize(
    "options",
    [[], ["--server.port", "8611"], ["--server.address", "0.0.0.0"], ["--server.port=8611", "--theme.base", "dark"]],
)
def test_serve_passes_every_option_to_streamlit_in_order(started, options):
    cli.main(["serve", *options])
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
