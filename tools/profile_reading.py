"""Where reading pages spends its time, stage by stage (a developer's tool for speed work, not a benchmark).

    python3 tools/profile_reading.py FILE.pdf [FILE.pdf ...] [--repeat 3]

Reads the files with ``core.documents.reader.open_any`` (imports done before the clock starts) and prints
the seconds spent, summed over pages, in each stage of ``core.documents.pdf``: PDFium opening pages, PDFium
characters, ruling lines (path objects walk), lines built from characters, ruled tables, unruled tables; the
best of ``--repeat`` runs.  Stages are timed by wrapping the module's functions, so the sum of the stages is
a little more than the unwrapped run.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.documents import pdf
from core.documents.reader import open_any

STAGES = {
    "pdfium page": "_read_pdfium_page",
    "chars": "_pdfium_chars",
    "rules": "_pdfium_edges",
    "lines": "_read_text",
    "ruled tables": "_tables_from_edges",
    "unruled tables": "find_unruled_tables",
}
TIMES: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)


def _wrap(stage: str, fn):
    def timed(*a, **k):
        t = time.process_time()
        try:
            return fn(*a, **k)
        finally:
            TIMES[stage] += time.process_time() - t
            COUNTS[stage] += 1
    return timed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    for stage, name in STAGES.items():
        if hasattr(pdf, name):
            setattr(pdf, name, _wrap(stage, getattr(pdf, name)))
    open_any(args.files[0], "warm")  # imports, lazily built tables
    best: dict[str, float] | None = None
    for _ in range(args.repeat):
        TIMES.clear()
        COUNTS.clear()
        t = time.process_time()
        n = sum(len(open_any(f, f"d{i}").pages) for i, f in enumerate(args.files))
        total = time.process_time() - t
        run = dict(TIMES, total=total)
        if best is None or total < best["total"]:
            best = run
    assert best is not None
    print(f"{n} pages, best of {args.repeat}: total {best['total']:.3f} s ({best['total'] / n * 1000:.1f} ms/page)")
    for stage in STAGES:
        print(f"  {stage:15s} {best.get(stage, 0.0):.3f} s  ({COUNTS.get(stage, 0)} calls)")


if __name__ == "__main__":
    main()
