"""The csq command line: help, usage errors (exit 2), every command documented."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from addin.cli import COMMANDS, build_parser, main

ROOT = Path(__file__).resolve().parents[1]


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    for name in COMMANDS:
        assert name in out


def test_installed_console_script_runs() -> None:
    exe = Path(sys.executable).with_name("csq")
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "report" in out.stdout and "validate" in out.stdout


def test_no_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_bad_option_exits_2_with_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as e:
        main(["new", "x.xlsx", "--lang", "fr"])
    assert e.value.code == 2
    err = capsys.readouterr().err
    assert "csq: error: argument --lang: invalid choice: 'fr'" in err


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():
        assert p.description, name
        assert f"csq {name}" in readme, f"README does not document `csq {name}`"
