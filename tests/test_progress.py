"""Progress on a terminal (issue 23, item 15; SPEC section 7): ``csq import``, ``csq
sample``, ``csq validate`` and a single ``csq report`` show a bar over their phases on
stderr when it is a terminal, and nothing in a pipe."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXPORT = "Id,When,Agent,CSAT\n1,2024-06-03 09:00,A1,5\n2,2024-06-03 10:00,A2,4\n"
MAP = '[columns]\ncontact_id="Id"\ncontact_time="When"\nagent_id="Agent"\ncsat="CSAT"\n'


def _run(args: list[str], tty: bool) -> tuple[int, str]:
    """``csq ARGS`` in a fresh process, stderr a pseudo-terminal or a pipe: exit code and
    what it wrote to stderr."""
    cmd = [sys.executable, "-m", "addin.cli", *args]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "CSQ_LANG": "en"}
    if not tty:
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT)
        return p.returncode, p.stderr
    main, child = pty.openpty()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=child, env=env, cwd=ROOT)
    os.close(child)
    out = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    proc.communicate()
    os.close(main)
    return proc.returncode, out.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    d = tmp_path_factory.mktemp("progress")
    (d / "e.csv").write_text(EXPORT, encoding="utf-8")
    (d / "m.toml").write_text(MAP, encoding="utf-8")
    return d / "e.csv", d / "m.toml", d


def test_each_long_job_shows_its_phases_on_a_terminal_and_nothing_in_a_pipe(
    export: tuple[Path, Path, Path],
) -> None:
    e, m, d = export
    book = d / "b.xlsx"
    runs = {
        "import": ["import", str(e), "--map", str(m), "-o", str(book), "--force"],
        "validate": ["validate", str(book)],
        "report": ["report", str(book), "-o", str(d / "out")],
        "sample": ["sample", str(e), "--map", str(m), "-o", str(d / "s.xlsx"), "--force",
                   "--ratio", "1", "--seed", "1"],
    }  # fmt: skip
    last = {
        "import": "writing the workbook",
        "validate": "listing the findings",
        "report": "writing the report",
        "sample": "writing the workbook",
    }
    for job, args in runs.items():
        rc, err = _run(args, tty=True)
        assert rc == 0, (job, err)
        assert f"csq {job} " in err and last[job] in err, (job, err)
        rc, err = _run(args, tty=False)
        assert rc == 0 and f"csq {job}" not in err and "\r" not in err, (job, err)
