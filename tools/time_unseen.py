"""Extract+check against the naive pdfplumber pass, as whole child processes, alternating (a developer's
tool for the page-reading work of issue 19; the benchmark proper is ``bench/``).

    python3 tools/time_unseen.py FILE.pdf [FILE.pdf ...] [--runs 3] [--read-only]

Each run starts a fresh Python for the naive pass (import pdfplumber, extract_text + extract_tables on every
page of every file) and one for ``core.pipeline.extract_case`` on the files as one package (``--read-only``:
only ``open_any`` on each file), one after the other; prints the median wall and CPU (user+sys of the child,
from ``os.wait4``) of each and their ratios.  CPU is the fairer measure on a shared machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

NAIVE = """
import sys, pdfplumber
for f in sys.argv[1:]:
    with pdfplumber.open(f) as doc:
        for page in doc.pages:
            page.extract_text(); page.extract_tables(); page.close()
"""
EXTRACT = """
import sys
sys.path.insert(0, {root!r})
from core.pipeline import extract_case
extract_case(sys.argv[1:])
"""
READ = """
import sys
sys.path.insert(0, {root!r})
from core.documents.reader import open_any
for i, f in enumerate(sys.argv[1:]):
    open_any(f, f"d{{i}}")
"""


def run(code: str, files: list[str]) -> tuple[float, float]:
    t = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *files], cwd=str(ROOT))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    if status != 0:
        raise SystemExit(f"child failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("files", nargs="+")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--read-only", action="store_true")
    args = ap.parse_args()
    ours = (READ if args.read_only else EXTRACT).format(root=str(ROOT))
    naive_w, naive_c, our_w, our_c = [], [], [], []
    for _ in range(args.runs):
        w, c = run(NAIVE, args.files)
        naive_w.append(w)
        naive_c.append(c)
        w, c = run(ours, args.files)
        our_w.append(w)
        our_c.append(c)
    med = statistics.median
    name = "read" if args.read_only else "extract+check"
    print(f"naive  wall {med(naive_w):.2f} s  cpu {med(naive_c):.2f} s")
    print(f"{name:6s} wall {med(our_w):.2f} s  cpu {med(our_c):.2f} s")
    print(f"ratio  wall {med(our_w) / med(naive_w):.2f}  cpu {med(our_c) / med(naive_c):.2f}")


if __name__ == "__main__":
    main()
