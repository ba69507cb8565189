"""Write dist/csq.xlam (the CSQ Excel add-in) from the repository's sources.

Usage: python build/build_addin.py [OUTPUT]   (same as ``csq addin build -o OUTPUT``)
Also writes xlwings-lite/main.py and requirements.txt beside it (addin/excel/lite.py), and
selftest.xlsx, the workbook that checks every CSQ_ function in Excel (addin/jobs/selftest.py).
Two runs give identical bytes; see addin/excel/xlam.py for what goes into the file.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from addin.excel.lite import LITE_DIR, build_lite  # noqa: E402
from addin.excel.xlam import ADDIN_NAME, build  # noqa: E402
from addin.jobs.selftest import SELFTEST_FILE, write_selftest  # noqa: E402


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "dist" / ADDIN_NAME
    path = build(out)
    print(f"written: {path} ({path.stat().st_size} bytes)")
    for written in build_lite(path.parent / LITE_DIR):
        print(f"written: {written} ({written.stat().st_size} bytes)")
    selftest = write_selftest(path.parent / SELFTEST_FILE)
    print(f"written: {selftest} ({selftest.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
