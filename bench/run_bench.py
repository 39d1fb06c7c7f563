"""Speed and memory benchmark (never run as a test).

    python bench/run_bench.py [--sizes 10 40 100 400] [--runs 3] [--out bench/results/latest.md]

Builds packages of about 10, 40, 100 and 400 pages by joining the generated fixture PDFs
(tests/data/packages, built by tools/make_fixtures.py) into one PDF each, then measures, as the median of
``--runs`` runs, each run in a fresh child process (so peak memory is that run's own):

- ``naive``: a plain pdfplumber pass over the same file (extract_text and extract_tables on every page),
  the reference the targets are stated against;
- ``extract``: extract + check + score of the package (``core.pipeline.extract_case``), and its peak RSS;
- ``recheck``: re-running checks and scores after one corrected value (``ReviewSession.correct``): a figure
  of each form (自评表, 基础数据表, 决算, 自评报告) corrected three times, the median per form; the table
  gives the slowest form;
- ``export``: writing the Excel workbooks;
- ``first_page``: from asking the window to open the package until page 1 is on screen (Qt offscreen).

Prints a Markdown table (and writes it to ``--out``) with the machine described.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
PACKAGES = ROOT / "tests" / "data" / "packages"
SOURCE_ORDER = ["tianyuan_2024", "variant_clean_2024", "yunxi_2024", "variant_caizheng_2024",
                "split_files_2024", "variant_xuanchuan_2023", "lingling_2024", "variant_injected_2024"]


def build_package(pages: int) -> Path:
    """One PDF of about ``pages`` pages: fixture PDFs joined in a fixed order (whole documents)."""
    import pypdfium2 as pdfium

    out = WORK / f"package_{pages}p.pdf"
    if out.exists():
        return out
    WORK.mkdir(parents=True, exist_ok=True)
    sources = []
    for name in SOURCE_ORDER:
        sources.extend(sorted((PACKAGES / name).glob("*.pdf")))
    dest = pdfium.PdfDocument.new()
    i = 0
    while len(dest) < pages:
        src = pdfium.PdfDocument(str(sources[i % len(sources)]))
        take = min(len(src), pages - len(dest))
        dest.import_pages(src, list(range(take)))
        src.close()
        i += 1
    dest.save(str(out))
    dest.close()
    return out


# -- one measurement, in a child process -----------------------------------------------------------------

def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _warm_up() -> None:
    """Import and load everything extraction uses (lexicons, check catalogue, presets), as a window that
    is already open has; the naive pass likewise has pdfplumber imported before its clock starts."""
    import core.documents.pdf  # noqa: F401
    import core.extraction.accounts  # noqa: F401
    import core.extraction.basic_table  # noqa: F401
    import core.extraction.selfeval_sheet  # noqa: F401
    from core.checks.registry import all_checks
    from core.extraction.narrative import lexicon
    from core.model import Case
    from core.scoring import score_case

    all_checks()
    lexicon()
    score_case(Case())
    import pdfplumber.table  # noqa: F401
    import pypdfium2  # noqa: F401


def measure(kind: str, pdf: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    if kind == "naive":
        import pdfplumber

        t = time.perf_counter()
        with pdfplumber.open(str(pdf)) as doc:
            for page in doc.pages:
                page.extract_text()
                page.extract_tables()
                page.close()
        return {"seconds": time.perf_counter() - t, "peak_mb": _peak_mb()}
    if kind == "extract":
        from core.pipeline import extract_case

        _warm_up()
        t = time.perf_counter()
        case = extract_case([pdf])
        return {"seconds": time.perf_counter() - t, "peak_mb": _peak_mb(), "fields": len(case.fields),
                "findings": len(case.findings)}
    if kind in ("recheck", "export"):
        from core.pipeline import extract_case, recheck
        from core.review.session import ReviewSession

        case = extract_case([pdf])
        session = ReviewSession(case, recheck)
        if kind == "recheck":
            return _recheck_times(session)
        from core.export import export_workbooks

        with tempfile.TemporaryDirectory() as d:
            t = time.perf_counter()
            export_workbooks(session.case, Path(d), corrections=session.corrections, decisions=session.decisions)
            return {"seconds": time.perf_counter() - t, "peak_mb": _peak_mb()}
    if kind == "first_page":
        return _first_page(pdf)
    raise ValueError(kind)


# one figure of each form a reviewer corrects: the first amount whose key starts with these
EDITED = {"自评表": "selfeval.funds.executed", "基础数据表": "basic.", "决算": "accounts.", "自评报告": "report."}


def _recheck_times(session) -> dict:
    """Correct one figure of each form three times (median of the three); ``seconds`` is the slowest form,
    ``forms`` each form's median (a form the package lacks is left out)."""
    from decimal import Decimal

    forms = {}
    for form, prefix in EDITED.items():
        target = next((f for f in session.case.fields if f.key.startswith(prefix)
                       and isinstance(f.value, Decimal) and f.unit != "%"), None)
        if target is None:
            continue
        times = []
        for n in range(3):
            t = time.perf_counter()
            session.correct(target.id, str(target.value + 1), reason="基准测试")
            times.append(time.perf_counter() - t)
        forms[form] = statistics.median(times)
    return {"seconds": max(forms.values()), "forms": forms, "peak_mb": _peak_mb()}


def _first_page(pdf: Path) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QCoreApplication, QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    QCoreApplication.setOrganizationName("jixiao-bench")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    with tempfile.TemporaryDirectory() as d:
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, d)
        os.environ["JIXIAO_DATA_DIR"] = d
        from ui.main_window import MainWindow

        window = MainWindow()
        window.resize(1400, 900)  # a reviewer's window has a size; an unsized offscreen one lays out late
        window.show()
        app.processEvents()
        shown: list[float] = []
        window.documents.view.page_shown.connect(lambda key, page: page == 1 and shown.append(time.perf_counter()))
        t = time.perf_counter()
        window.open_paths([str(pdf)])
        deadline = t + 60
        while not shown and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        seconds = (shown[0] - t) if shown else float("nan")
        # let the extraction finish so the process exits cleanly
        while window.session is None and time.perf_counter() < deadline + 120:
            app.processEvents()
            time.sleep(0.01)
        window.close()
        app.processEvents()
    return {"seconds": seconds, "peak_mb": _peak_mb()}


def run_child(kind: str, pdf: Path) -> dict:
    r = subprocess.run([sys.executable, __file__, "--child", kind, str(pdf)], capture_output=True, text=True,
                       timeout=1800, env=dict(os.environ, PYTHONHASHSEED="0"))
    if r.returncode != 0:
        return {"error": (r.stderr or r.stdout).strip().splitlines()[-1:] or ["failed"]}
    return json.loads(r.stdout.strip().splitlines()[-1])


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[10, 40, 100, 400])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--kinds", nargs="+", default=["naive", "extract", "recheck", "export", "first_page"])
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "latest.md"))
    ap.add_argument("--child", nargs=2, metavar=("KIND", "PDF"))
    a = ap.parse_args()
    if a.child:
        print(json.dumps(measure(a.child[0], Path(a.child[1]))))
        return 0
    rows = []
    for size in a.sizes:
        pdf = build_package(size)
        res: dict[str, dict] = {}
        for kind in a.kinds:
            runs = [run_child(kind, pdf) for _ in range(a.runs)]
            ok = [r for r in runs if "error" not in r]
            if not ok:
                res[kind] = {"error": runs[0]["error"]}
                continue
            res[kind] = {"seconds": statistics.median(r["seconds"] for r in ok),
                         "peak_mb": statistics.median(r["peak_mb"] for r in ok)}
            if kind == "recheck":
                res[kind]["forms"] = {form: statistics.median(r["forms"][form] for r in ok)
                                      for form in ok[0]["forms"]}
            print(f"{size:4d} pages  {kind:10s} {res[kind]['seconds']:8.3f} s  {res[kind]['peak_mb']:7.1f} MB",
                  file=sys.stderr)
        rows.append((size, res))

    def cell(res, kind, what="seconds"):
        r = res.get(kind)
        if not r or "error" in r:
            return "—"
        return f"{r[what]:.2f}" if what == "seconds" else f"{r[what]:.0f}"

    lines = [f"Machine: {machine()}. Medians of {a.runs} runs, each in a fresh process.", "",
             "| pages | naive pdfplumber s | extract+check s | ratio | peak MB | re-check after edit ms | export s | first page on screen s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, res in rows:
        ratio = "—"
        if "seconds" in res.get("naive", {}) and "seconds" in res.get("extract", {}):
            ratio = f"{res['extract']['seconds'] / res['naive']['seconds']:.0%}"
        recheck = res.get("recheck", {})
        rc = f"{recheck['seconds'] * 1000:.0f}" if "seconds" in recheck else "—"
        lines.append(f"| {size} | {cell(res, 'naive')} | {cell(res, 'extract')} | {ratio} | "
                     f"{cell(res, 'extract', 'peak_mb')} | {rc} | {cell(res, 'export')} | {cell(res, 'first_page')} |")
    per_form = [f"{size} pages: " + "，".join(f"{form} {t * 1000:.0f} ms" for form, t in
                                             res["recheck"]["forms"].items())
                for size, res in rows if "forms" in res.get("recheck", {})]
    if per_form:
        lines += ["", "Re-check after an edit, by the form of the corrected figure (the table gives the slowest): "
                  + "; ".join(per_form) + "."]
    table = "\n".join(lines)
    print(table)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
