"""Old reader vs new reader: the same tables and the same findings, cell for cell.

Run once with ``--save DIR`` on the code before a change to the reader's conversion, then
with ``--compare DIR`` on the code after it.  Every workbook is read in both message
languages, through calamine, through calamine's slices (``stream_above=0``,
addin/read/chunked.py) and through fastexcel's typed slices (``columnar_above=0``,
addin/read/columnar.py); the
tables (``monitoring``, ``problems``, ``actions``: values, dtypes, row numbers) must be
equal and the findings (sheet, cell, value, text, severity, key) equal and in the same
order.  The workbooks are the hostile corpus (``tests/hostile.py``) and any given with
``--book`` (e.g. the 100,000-row benchmark workbook).

Usage: python benchmarks/reader_equality.py (--save DIR | --compare DIR) [--book X.xlsx ...]
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


ODD: dict[str, list[Any]] = {
    # per column kind: values a hand-edited sheet holds, good, odd and bad
    "text": ["  x ", "", " ", 12.0, 12.5, 7, True, "N/A", "无", "-", "否", "=1+1", "a" * 70],
    "number": ["12", " 3.5 ", "abc", -1, 1e9, "N/A", True, "", 0, "1,000", "½", "3e2"],
    "integer": ["4", 4.0, 4.5, 0, 6, 11, "N/A", "x", " 5 ", True, -3, "４"],
    "rubric": ["N/A", "NA", "不适用", "-", 0, 6, 3.5, "3", " 2 ", "x", True, "n/a"],
    "yn": ["Y", "n", "yes", "是", "否", 1, 0, 2, 1.0, True, False, "TRUE", " y ", "maybe", ""],
    "choice": ["电话", "phone", "Phone ", "x", 3, "", "在线", "Email", "邮件", "售后"],
    "datetime": ["2026-01-03 09:30", "2026/1/3", "03/01/2026", 46000, 46000.5, "14:30",
                 0, -1, "x", "3024-01-01", "2026年1月3日 9点", "2026-02-30", True],
    "date": ["2026-01-03", 46000, "x", "1899-01-01", "2026.1.3"],
}  # fmt: skip


def messy_book(path: Path, n: int = 3000) -> Path:
    """A demo Monitoring sheet with odd and bad values mixed into every input column."""
    import datetime as dt

    import openpyxl

    from addin.jobs.demo_data import demo_monitoring
    from workbook_templates.schema import MONITORING

    df = demo_monitoring(n, seed=3, lang="zh", as_of=dt.date(2026, 1, 15))
    cols = [c for c in MONITORING.columns if c.role == "input" and c.key in df.columns]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = MONITORING.name("zh")
    ws.append([c.zh for c in cols])
    for i, rec in enumerate(df[[c.key for c in cols]].itertuples(index=False)):
        row: list[Any] = [None if v is None or v != v else v for v in rec]
        row = [v.to_pydatetime() if hasattr(v, "to_pydatetime") else v for v in row]
        for j, c in enumerate(cols):
            odd = ODD.get(c.kind, [])
            if odd and (i * 7 + j * 3) % 11 == 0:
                row[j] = odd[(i + j) % len(odd)]
        if i % 97 == 5:
            row = [None] * len(cols)  # a blank row
        ws.append(row)
    wb.save(path)
    return path


def _read_all(books: list[Path]) -> dict[str, Any]:
    from addin.read.workbook import read_workbook

    out: dict[str, Any] = {}
    for book in books:
        for lang in ("zh", "en"):
            for path in ("calamine", "stream", "columnar"):
                name = f"{book.name}|{lang}|{path}"
                kw: dict[str, Any] = {"lang": lang, "columnar_above": None}
                if path == "stream":
                    kw["stream_above"] = 0
                if path == "columnar":
                    kw["columnar_above"] = 0
                try:
                    d = read_workbook(book, **kw)
                except Exception as exc:  # noqa: BLE001 - the same refusal is part of equality
                    out[name] = (
                        "refused",
                        type(exc).__name__,
                        str(exc).replace(str(book.parent), ""),
                    )
                    continue
                out[name] = (
                    d.monitoring,
                    d.problems,
                    d.actions,
                    [(f.sheet, f.cell, f.value, f.rule, f.severity, f.key) for f in d.findings],
                )
    return out


def _compare(old: dict[str, Any], new: dict[str, Any]) -> int:
    import pandas as pd

    bad = 0
    for name in sorted(old.keys() | new.keys()):
        a, b = old.get(name), new.get(name)
        if a is None or b is None:
            print(f"  MISSING {name}")
            bad += 1
            continue
        refused = [isinstance(x[0], str) for x in (a, b)]
        if any(refused):
            same = all(refused) and a == b
            print(f"  {'same' if same else 'DIFFERENT'} {name} (refused)")
            bad += not same
            continue
        problems = []
        for label, x, y in zip(("monitoring", "problems", "actions"), a[:3], b[:3], strict=True):
            try:
                pd.testing.assert_frame_equal(x, y, check_dtype=True, check_exact=True)
            except AssertionError as exc:
                problems.append(f"{label}: {str(exc).splitlines()[0]}")
        if a[3] != b[3]:
            first = next(
                (i for i, (p, q) in enumerate(zip(a[3], b[3], strict=False)) if p != q),
                min(len(a[3]), len(b[3])),
            )
            problems.append(f"findings differ from #{first} ({len(a[3])} vs {len(b[3])})")
        status = "same" if not problems else "DIFFERENT: " + "; ".join(problems)
        print(f"  {status}  {name}  ({len(a[0])} contacts, {len(a[3])} findings)")
        bad += bool(problems)
    return bad


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path)
    group.add_argument("--compare", type=Path)
    ap.add_argument("--book", type=Path, nargs="*", default=[])
    a = ap.parse_args()
    from hostile import workbook_cases

    with tempfile.TemporaryDirectory() as d:
        cases = workbook_cases(Path(d))
        books = sorted({c.path for c in cases if c.path.suffix in (".xlsx", ".xlsm")})
        books.append(messy_book(Path(d) / "messy.xlsx"))
        got = _read_all([*books, *a.book])
    folder = a.save or a.compare
    folder.mkdir(parents=True, exist_ok=True)
    if a.save:
        (folder / "reads.pkl").write_bytes(pickle.dumps(got))
        print(f"saved {len(got)} reads to {folder}")
        return
    old = pickle.loads((folder / "reads.pkl").read_bytes())
    bad = _compare(old, got)
    print(f"{len(got)} reads compared: {'all equal' if not bad else f'{bad} DIFFERENT'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
