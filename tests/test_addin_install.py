"""``csq addin install`` where Excel cannot be: one clear message and a sensible exit code."""

from __future__ import annotations

from pathlib import Path

from addin.cli import main
from addin.excel import xlam


def test_install_on_linux_explains_and_exits_2(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(xlam.sys, "platform", "linux")
    monkeypatch.setenv("CSQ_LANG", "en")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "csq.xlam"
    assert main(["addin", "install", "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "needs Excel for Windows or Mac" in err and "linux" in err
    assert str(out) in err and "Traceback" not in err
    assert "csq addin build" in err
    assert list(tmp_path.iterdir()) == []  # refused before writing anything
    assert main(["addin", "install"]) == 2  # the default dist/ is not created either
    assert list(tmp_path.iterdir()) == []


def test_install_message_in_chinese(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "zh")
    assert xlam.install(tmp_path / "csq.xlam", platform="linux") == 2
    assert "需要 Windows 或 Mac 版 Excel" in capsys.readouterr().err


def test_install_without_a_working_excel_is_one_line(tmp_path, capsys, monkeypatch):
    import xlwings.cli

    def no_excel(global_location=False):
        raise OSError("Excel not found")

    monkeypatch.setattr(xlwings.cli, "get_addin_dir", no_excel)
    monkeypatch.setenv("CSQ_LANG", "en")
    assert xlam.install(tmp_path / "csq.xlam", platform="win32") == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "Excel could not be started (Excel not found)" in err


def _fake_excel(monkeypatch, xlstart, copy=True):
    """xlwings' installer against a folder standing in for Excel's XLSTART."""
    import shutil

    import xlwings.cli

    xlstart.mkdir(exist_ok=True)
    calls = []

    def install(path, global_location=False):
        calls.append(path)
        if copy:
            shutil.copyfile(path, xlstart / Path(path).name)
        else:  # what xlwings does when Excel holds the file: print, do not raise
            print("Error: Failed to install the add-in: If Excel is running, quit Excel")

    monkeypatch.setattr(xlwings.cli, "get_addin_dir", lambda global_location=False: str(xlstart))
    monkeypatch.setattr(xlwings.cli, "_addin_install", install)
    return calls


def test_install_reports_a_copy_that_did_not_happen(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CSQ_LANG", "en")
    source = tmp_path / "csq.xlam"
    source.write_bytes(b"add-in")
    _fake_excel(monkeypatch, tmp_path / "XLSTART", copy=False)
    assert xlam.install(source, platform="win32") == 1
    assert "could not copy the add-in to" in capsys.readouterr().err


def test_install_records_the_interpreter_and_keeps_other_settings(tmp_path, monkeypatch):
    source = tmp_path / "csq.xlam"
    source.write_bytes(b"add-in")
    calls = _fake_excel(monkeypatch, tmp_path / "XLSTART")
    monkeypatch.setattr(xlam, "user_config_path", lambda: tmp_path / ".csq" / "csq.conf")
    monkeypatch.setattr(xlam.sys, "platform", "win32")
    conf = tmp_path / ".csq" / "csq.conf"
    conf.parent.mkdir()
    conf.write_text('"PYTHONPATH","C:\\src"\n"INTERPRETER_WIN","C:\\old\\python.exe"\n')
    assert xlam.install(tmp_path / "csq.xlam", platform="win32") == 0
    assert calls == [str(source)]
    assert (tmp_path / "XLSTART" / "csq.xlam").read_bytes() == b"add-in"
    lines = conf.read_text().splitlines()
    assert lines == ['"PYTHONPATH","C:\\src"', f'"INTERPRETER_WIN","{xlam.sys.executable}"']
