"""OCR benchmark: a 20-page scanned package read on this machine (never run as a test).

    python bench/ocr_bench.py [--pages 20] [--runs 1]

Joins the scanned fixture pages (``tests/data/scans``, made by ``tools/make_scan_fixtures.py``: 150–240 dpi,
turned up to 2°, grain, JPEG, a red seal) cyclically into one image-only PDF of ``--pages`` pages, then, in a
fresh child process per run, measures ``core.pipeline.extract_case`` on it (open + OCR page by page + classify +
extract + check): the total time, the time of each page (between two progress calls), the time until the
first page has been read, peak resident memory, and how many figures came out.  Prints a Markdown line.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANS = ROOT / "tests" / "data" / "scans"

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from core.pipeline import extract_case
marks = []
start = time.perf_counter()
def progress(stage, done, total):
    if stage.startswith("正在读取"):
        marks.append(time.perf_counter() - start)
case = extract_case([sys.argv[2]], progress=progress)
total = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
per_page = [b - a for a, b in zip([0.0] + marks[:-1], marks)]
print(json.dumps({"total": total, "first_page": marks[0] if marks else None, "per_page": per_page,
                  "peak_mb": peak, "fields": len(case.fields),
                  "ocr_fields": sum(1 for f in case.fields if f.attrs.get("ocr")),
                  "uncertain": sum(1 for f in case.fields if f.attrs.get("ocr") and f.confidence < 0.9)}))
"""


def build(pages: int, out: Path) -> Path:
    import pypdfium2 as pdfium

    sources = sorted(SCANS.glob("*/*.pdf"))
    if not sources:
        raise SystemExit("no scans: run python tools/make_scan_fixtures.py")
    dest = pdfium.PdfDocument.new()
    k = 0
    while len(dest) < pages:
        src = pdfium.PdfDocument(str(sources[k % len(sources)]))
        n = min(len(src), pages - len(dest))
        dest.import_pages(src, list(range(n)))
        src.close()
        k += 1
    dest.save(str(out))
    dest.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=20)
    ap.add_argument("--runs", type=int, default=1)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pdf = build(a.pages, Path(tmp) / f"scan_{a.pages}.pdf")
        results = []
        for _ in range(a.runs):
            r = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(pdf)], capture_output=True, text=True,
                               env=dict(os.environ, PYTHONIOENCODING="utf-8"))
            if r.returncode != 0:
                print(r.stderr, file=sys.stderr)
                return 1
            results.append(json.loads(r.stdout.strip().splitlines()[-1]))
    best = min(results, key=lambda x: x["total"])
    pp = best["per_page"]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {load:.1f}")
    print("| pages | total s | s/page median (min–max) | first page read s | peak MB | fields (OCR, <0.9) |")
    print("|---:|---:|---:|---:|---:|---:|")
    print(f"| {a.pages} | {best['total']:.0f} | {statistics.median(pp):.1f} ({min(pp):.1f}–{max(pp):.1f}) | "
          f"{best['first_page']:.1f} | {best['peak_mb']:.0f} | {best['fields']} ({best['ocr_fields']}, "
          f"{best['uncertain']}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
