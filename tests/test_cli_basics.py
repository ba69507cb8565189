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


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_text_in_english_and_chinese(command, monkeypatch, capsys):
    """`csq CMD --help` speaks the user's language: CSQ_LANG=zh gives Chinese help."""

    def help_text(lang: str) -> str:
        monkeypatch.setenv("CSQ_LANG", lang)
        with pytest.raises(SystemExit):
            main([command, "--help"])
        return capsys.readouterr().out

    def has_cjk(text: str) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in text)

    en, zh = help_text("en"), help_text("zh")
    assert not has_cjk(en)
    # the description and every option's help line are Chinese, not only some of them
    options = [ln for ln in zh.splitlines() if ln.strip().startswith("--") and "--help" not in ln]
    assert has_cjk(zh.split("\n\n")[1])
    assert all(has_cjk(ln) or "{" in ln for ln in options), options
