"""Two checkouts of CSQ, the same inputs: the same findings and the same report figures.

A refactor of the reading or reporting code must not change what a user sees.  This
script runs the ``csq`` command of two installations (``--before`` and ``--after``: each a
checkout with its own ``.venv``) over one set of inputs and compares what they write:

- ``csq validate --json`` (every finding: sheet, cell, value, rule text, severity), in
  Chinese and in English (``CSQ_LANG``), and its exit code;
- ``csq report`` (``summary.json``: every figure, the input hash; the run's own paths and
  clock are left out) and every cell value of the ``.report.xlsx`` (openpyxl);
- ``csq import`` of ticket exports (the cell values of the workbook written, the messages).

The inputs: the hostile corpus (``tests/hostile.py``: every workbook case and every import
case), the messy workbooks of ``benchmarks/reader_equality.py`` where that module has them,
the demo workbooks and any ``--book`` / ``--export`` given (e.g. the 100,000- and
1,000,000-row benchmark files).  The corpus is built once, by the ``--before`` checkout's
code, so both sides read the same bytes.

Prints one line per comparison and a total; exit 1 when anything differs.

Usage: python benchmarks/same_results.py --before DIR --after DIR [--book X.xlsx ...]
       [--export X.csv ...] [--map MAP.toml] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

SKIP_KEYS = {"generated", "generated_at", "input", "input_path", "path", "output", "csq_version"}
"""summary.json keys that name the run's own files or clock, not a figure."""
FINDING_KEYS = ("sheet", "cell", "value", "rule", "severity", "key")
"""What a ``csq validate --json`` finding is compared on (keys added later, such as
``code``, ``field`` and ``params``, are not in the older output)."""


def _run(root: Path, args: list[str], lang: str, cwd: Path) -> tuple[int, str, str]:
    env = dict(os.environ, CSQ_LANG=lang, PYTHONPATH=str(root))
    exe = root / ".venv" / "bin" / "csq"
    p = subprocess.run(
        [str(exe), *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=3600
    )
    return p.returncode, p.stdout, p.stderr


def _normal_text(text: str, *dirs: Path) -> str:
    for d in dirs:
        text = text.replace(str(d), "<DIR>")
    return text


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if k not in SKIP_KEYS}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {
            ws.title: [
                [str(getattr(v, "text", v)) for v in row] for row in ws.iter_rows(values_only=True)
            ]
            for ws in wb.worksheets
        }
    finally:
        wb.close()


def _validate(root: Path, book: Path, lang: str, work: Path) -> Any:
    rc, out, err = _run(root, ["validate", str(book), "--json"], lang, work)
    try:
        data = json.loads(out)
        data["findings"] = [{k: f.get(k) for k in FINDING_KEYS} for f in data["findings"]]
    except (ValueError, KeyError, TypeError):
        data = out
    return {"rc": rc, "out": _clean(data), "err": _normal_text(err, book.parent, work)}


def _report(root: Path, book: Path, out_dir: Path, work: Path) -> Any:
    out_dir.mkdir(parents=True, exist_ok=True)
    rc, out, err = _run(root, ["report", str(book), "-o", str(out_dir)], "zh", work)
    res: dict[str, Any] = {"rc": rc, "err": _normal_text(err, book.parent, out_dir, work)}
    summary = out_dir / f"{book.stem}.summary.json"
    if summary.exists():
        res["summary"] = _clean(json.loads(summary.read_text(encoding="utf-8")))
    report = out_dir / f"{book.stem}.report.xlsx"
    if report.exists():
        cells = _cells(report)
        # the method sheet names the input's folder and the run's time
        res["report"] = {k: v for k, v in cells.items() if k not in ("方法说明", "Method")}
    return res


def _import(root: Path, export: Path, map_: Path, out: Path, work: Path) -> Any:
    rc, so, err = _run(
        root, ["import", str(export), "--map", str(map_), "-o", str(out), "--force"], "zh", work
    )
    res: dict[str, Any] = {"rc": rc, "err": _normal_text(err + so, export.parent, out.parent)}
    if out.exists():
        res["cells"] = _cells(out)
    return res


def _corpus(before: Path, folder: Path) -> tuple[list[Path], list[tuple[Path, Path]]]:
    """The hostile corpus and the messy books, built by the ``before`` checkout's code."""
    code = (
        "import sys, json; from pathlib import Path\n"
        f"sys.path[:0] = [{str(before)!r}, {str(before / 'tests')!r}, "
        f"{str(before / 'benchmarks')!r}]\n"
        "import hostile\n"
        "f = Path(sys.argv[1])\n"
        "(f / 'wb').mkdir(parents=True); (f / 'imp').mkdir()\n"
        "books = [str(c.path) for c in hostile.workbook_cases(f / 'wb')]\n"
        "imps = [[str(c.export), str(c.map)] for c in hostile.import_cases(f / 'imp')]\n"
        "try:\n"
        "    import reader_equality as r\n"
        "    books.append(str(r.messy_book(f / 'messy.xlsx')))\n"
        "except Exception as e:\n"
        "    print('no messy book:', e, file=sys.stderr)\n"
        "print(json.dumps([books, imps]))\n"
    )
    py = before / ".venv" / "bin" / "python"
    out = subprocess.run(
        [str(py), "-c", code, str(folder)], capture_output=True, text=True, cwd=before
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    books, imps = json.loads(out.stdout.strip().splitlines()[-1])
    return [Path(b) for b in books], [(Path(e), Path(m)) for e, m in imps]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", required=True, type=Path)
    ap.add_argument("--after", required=True, type=Path)
    ap.add_argument("--book", nargs="*", default=[], type=Path)
    ap.add_argument("--export", nargs="*", default=[], type=Path)
    ap.add_argument("--map", type=Path, default=None, help="map of the --export files")
    ap.add_argument("--no-corpus", action="store_true")
    ap.add_argument("--no-demo", action="store_true")
    ap.add_argument("--work", type=Path, default=None)
    a = ap.parse_args()
    work = a.work or Path(tempfile.mkdtemp(prefix="csq-same-"))
    work.mkdir(parents=True, exist_ok=True)
    books: list[Path] = list(a.book)
    imports: list[tuple[Path, Path]] = []
    if not a.no_corpus:
        cb, ci = _corpus(a.before.resolve(), work / "corpus")
        books += cb
        imports += ci
    if not a.no_demo:
        rc, _o, err = _run(a.before, ["demo", str(work / "demo")], "zh", work)
        if rc:
            print("demo failed:", err)
        books += sorted(p for p in (work / "demo").glob("*.xlsx") if ".report" not in p.name)
    mp = a.map or a.before / "addin" / "maps" / "example_map.toml"
    imports += [(e, mp) for e in a.export]

    differ = 0
    total = 0

    def compare(what: str, x: Any, y: Any) -> None:
        nonlocal differ, total
        total += 1
        same = x == y
        differ += not same
        print(f"{'same' if same else 'DIFFERENT':9s} {what}", flush=True)
        if not same:
            left = json.dumps(x, ensure_ascii=False, default=str, sort_keys=True)
            right = json.dumps(y, ensure_ascii=False, default=str, sort_keys=True)
            i = next((k for k, (p, q) in enumerate(zip(left, right, strict=False)) if p != q), 0)
            print(f"          before: …{left[max(i - 150, 0) : i + 250]}")
            print(f"          after:  …{right[max(i - 150, 0) : i + 250]}")

    for b in books:
        for lang in ("zh", "en"):
            compare(
                f"validate {lang} {b.name}",
                _validate(a.before, b, lang, work),
                _validate(a.after, b, lang, work),
            )
        compare(
            f"report {b.name}",
            _report(a.before, b, work / "r-before" / b.stem, work),
            _report(a.after, b, work / "r-after" / b.stem, work),
        )
    for i, (e, m) in enumerate(imports):
        compare(
            f"import {e.name}",
            _import(a.before, e, m, work / "i-before" / f"{i}.xlsx", work),
            _import(a.after, e, m, work / "i-after" / f"{i}.xlsx", work),
        )
    print(f"\n{total - differ} of {total} comparisons the same; {differ} different")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
