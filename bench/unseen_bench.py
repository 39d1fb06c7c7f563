"""Speed on packages unlike the fixtures: whole processes, side by side with a naive pdfplumber pass (issue 19).

    python bench/unseen_bench.py [--runs 3] [--quick] [--only NAME ...] [--window] [--source]
                                 [--out bench/results/unseen.md]

Why it exists: ``run_bench.py`` measures the fixture packages with everything imported before its clock
starts.  A reviewer's command or window pays the start-up too (imports, patterns, the narrative lexicon), and
real packages are printed by other producers, with other tables and longer narratives.  This benchmark runs,
for each package, two whole child processes:

- ``naive``: ``python -c`` a plain pdfplumber pass (``extract_text`` and ``extract_tables`` on every page), the
  reference the issue's target is stated against (pdfplumber's import included);
- ``extract``: ``python main.py extract PDF... -o OUT.json``, the command line's whole job (read, classify,
  extract, check, score, write the JSON).

Runs alternate (naive then extract, then extract then naive, …) so a change of load on this shared machine
falls on both; each figure is the median of ``--runs`` runs, in wall time and in CPU time (user + system of the
child, from ``wait4``).  On a loaded machine compare the CPU columns.

Packages: the fixture packages joined to 10/40/100 pages (as ``run_bench.py``), the ten LibreOffice PDFs of
``tests/data/producers/libreoffice`` as one input, the 40-page fixture package re-printed through ``pdftocairo``
(every glyph also drawn as paths; left out when poppler-utils is missing), and the real PDFs read from
``../shared/real`` beside the repository (never copied into it): the 上海普陀 社会工作部 2024 部门决算 with its
决算情况说明 as one package, the 2024 决算 template, two long 决算情况说明 (文旅局, 生态环境局) and two dense 预算
(江苏 高淳 2019, 上海普陀 司法局 2026).  A package whose files are missing is left out, with a note.

Bytecode: the children run with ``PYTHONPYCACHEPREFIX=bench/work/pycache`` (written by a warm-up run), as an
installed program runs from compiled bytecode (a PyInstaller bundle, a wheel installed by pip); ``--source``
measures with ``PYTHONDONTWRITEBYTECODE`` and no cache instead (every module compiled from source each time).

``--window`` adds, for the 40-page fixture package and the real 决算 package, the window's opening measured in a
child process with the window already shown (Qt offscreen): from ``open_paths`` to page 1 on screen and to
the review in place (extraction, checks and the review's first save done) — once right after the window is
shown, once after it has been idle on screen (its start-up work, ``OpeningMixin.warm_up_later``, done).

Prints a Markdown table (and writes it to ``--out``) with the machine and its load described.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
REAL = ROOT.parent / "shared" / "real"
PRODUCERS = ROOT / "tests" / "data" / "producers" / "libreoffice"

sys.path.insert(0, str(ROOT / "bench"))
from run_bench import build_package, machine

NAIVE = """
import sys
import pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            page.extract_text()
            page.extract_tables()
            page.close()
"""


@dataclass
class Package:
    name: str
    what: str  # producer or kind, for the table
    files: Callable[[], list[Path]]
    group: str  # "fixture" | "other producer" | "real"
    window: bool = False
    quick: bool = False


def _real(*names: str) -> Callable[[], list[Path]]:
    return lambda: [REAL / n for n in names]


def _reprint(pages: int) -> list[Path]:
    """The fixture package of ``pages`` pages printed again through pdftocairo (glyphs drawn as paths)."""
    import shutil

    out = WORK / f"package_{pages}p_cairo.pdf"
    if not out.exists():
        exe = shutil.which("pdftocairo")
        if exe is None:
            return []
        subprocess.run([exe, "-pdf", str(build_package(pages)), str(out)], check=True, timeout=600)
    return [out]


PACKAGES = [
    Package("fixtures 10 p", "our generator", lambda: [build_package(10)], "fixture"),
    Package("fixtures 40 p", "our generator", lambda: [build_package(40)], "fixture", window=True, quick=True),
    Package("fixtures 100 p", "our generator", lambda: [build_package(100)], "fixture"),
    Package("LibreOffice, 10 PDFs", "LibreOffice Calc/Writer/Draw", lambda: sorted(PRODUCERS.glob("*.pdf")),
            "other producer", quick=True),
    Package("fixtures 40 p re-printed", "pdftocairo", lambda: _reprint(40), "other producer"),
    Package("社会工作部 决算 + 说明", "real 部门决算 (24 p) + 决算情况说明 (6 p)",
            _real("shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf",
                  "narratives/shanghai_putuo_shehuigongzuobu_2024_juesuan_shuoming.pdf"), "real",
            window=True, quick=True),
    Package("决算 template", "real, 上海 2024 附件2", _real("shanghai_2024_bumen_juesuan_template_fujian2.pdf"), "real"),
    Package("文旅局 说明", "real, long narrative", _real("narratives/shanghai_putuo_wenlvju_2025_juesuan_shuoming.pdf"),
            "real", quick=True),
    Package("生态环境局 说明", "real, long narrative",
            _real("narratives/shanghai_putuo_shengtaihuanjingju_2025_juesuan_shuoming.pdf"), "real"),
    Package("高淳 预算 2019", "real, dense tables", _real("budgets_not_juesuan/jiangsu_gaoyuan_2019_bumen_yusuan.pdf"),
            "real", quick=True),
    Package("司法局 预算 2026", "real, dense tables",
            _real("budgets_not_juesuan/shanghai_putuo_sfj_2026_bumen_yusuan.pdf"), "real"),
]


def page_count(files: list[Path]) -> int:
    import pypdfium2 as pdfium

    n = 0
    for f in files:
        doc = pdfium.PdfDocument(str(f))
        n += len(doc)
        doc.close()
    return n


# -- one child process ---------------------------------------------------------------------------------

def child_env(source: bool) -> dict[str, str]:
    env = dict(os.environ, PYTHONHASHSEED="0")
    if source:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(WORK / "no-pycache")  # an empty cache: nothing read, nothing written
    else:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(WORK / "pycache")
    return env


def run_timed(cmd: list[str], env: dict[str, str]) -> dict:
    """Run ``cmd``; its wall time, its CPU time (user + system, from ``wait4``) and its last output line."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=ROOT)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode("utf-8", "replace").strip()
        if p.returncode != 0:
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
            return {"error": f"exit {p.returncode}: {tail[0]}"}
    return {"wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "out": text.splitlines()[-1] if text else ""}


def naive_cmd(files: list[Path]) -> list[str]:
    return [sys.executable, "-c", NAIVE, *map(str, files)]


def extract_cmd(files: list[Path], out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "extract", *map(str, files), "-o", str(out)]


def window_cmd(files: list[Path], warm: bool) -> list[str]:
    return [sys.executable, __file__, "--child-window", *map(str, files)] + (["--warm"] if warm else [])


def measure_window(files: list[Path], warm: bool) -> dict:
    """In this (child) process: the window shown, then ``open_paths``; seconds to page 1 on screen and to the
    review in place.  ``warm``: the window has been idle on screen first, as when the reviewer then picks the
    files (its start-up work done after the first paint: ``OpeningMixin.warm_up_later``)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
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
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        if warm:
            done = window.warm_up_later()
            limit = time.perf_counter() + 60
            while not done.is_set() and time.perf_counter() < limit:
                app.processEvents()
                time.sleep(0.005)
        shown: list[float] = []
        opened: list[float] = []
        window.documents.view.page_shown.connect(lambda key, page: page == 1 and shown.append(time.perf_counter()))
        window.case_opened.connect(lambda: opened.append(time.perf_counter()))
        t = time.perf_counter()
        window.open_paths([str(f) for f in files])
        deadline = t + 300
        while not (shown and opened) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.001)
        result = {"first_page": (shown[0] - t) if shown else float("nan"),
                  "done": (opened[0] - t) if opened else float("nan")}
        window.close()
        app.processEvents()
    return result


# -- the run ----------------------------------------------------------------------------------------------

def median(rows: list[dict], key: str) -> float | None:
    vals = [r[key] for r in rows if key in r]
    return statistics.median(vals) if vals else None


def load_average() -> str:
    try:
        return " / ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        return "?"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=None, help="runs per package and kind (default 3, --quick 1)")
    ap.add_argument("--quick", action="store_true", help="four packages, one run each unless --runs")
    ap.add_argument("--only", nargs="+", default=[], help="packages whose name contains one of these words")
    ap.add_argument("--window", action="store_true", help="also measure the window's opening")
    ap.add_argument("--source", action="store_true", help="no bytecode cache (modules compiled each run)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "results" / "unseen.md"))
    ap.add_argument("--child-window", nargs="+", metavar="PDF")
    ap.add_argument("--warm", action="store_true", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.child_window:
        print(json.dumps(measure_window([Path(p) for p in a.child_window], a.warm)))
        return 0
    runs = a.runs or (1 if a.quick else 3)
    env = child_env(a.source)
    WORK.mkdir(parents=True, exist_ok=True)

    chosen: list[tuple[Package, list[Path], int]] = []
    notes: list[str] = []
    for pkg in PACKAGES:
        if a.quick and not pkg.quick:
            continue
        if a.only and not any(w in pkg.name for w in a.only):
            continue
        files = pkg.files()
        missing = [f for f in files if not f.exists()]
        if not files or missing:
            notes.append(f"{pkg.name}: left out ({'missing: ' + ', '.join(map(str, missing)) if missing else 'not built'})")
            continue
        for f in files:
            f.read_bytes()  # in the page cache before the first timed run
        chosen.append((pkg, files, page_count(files)))
    if not chosen:
        print("no package to measure", file=sys.stderr)
        return 1

    out_json = WORK / "unseen_out.json"
    # warm-up (unmeasured): bytecode caches written, the libraries' files read once
    run_timed(naive_cmd(chosen[0][1]), env)
    run_timed(extract_cmd(chosen[0][1], out_json), env)

    results: dict[str, dict[str, list[dict]]] = {p.name: {"naive": [], "extract": [], "window": [], "warm": []}
                                                 for p, _, _ in chosen}
    load_before = load_average()
    for r in range(runs):
        for pkg, files, pages in chosen:
            kinds = ["naive", "extract"] if r % 2 == 0 else ["extract", "naive"]
            for kind in kinds:
                cmd = naive_cmd(files) if kind == "naive" else extract_cmd(files, out_json)
                res = run_timed(cmd, env)
                results[pkg.name][kind].append(res)
                shown = f"{res['wall']:6.2f} s wall {res['cpu']:6.2f} s CPU" if "wall" in res else res["error"]
                print(f"run {r + 1}/{runs}  {pkg.name:28s} {kind:8s} {shown}", file=sys.stderr)
            if a.window and pkg.window:
                for kind in ("window", "warm"):
                    res = run_timed(window_cmd(files, kind == "warm"), env)
                    if "out" in res and res["out"].startswith("{"):
                        res.update(json.loads(res["out"]))
                    results[pkg.name][kind].append(res)
                    print(f"run {r + 1}/{runs}  {pkg.name:28s} {kind:8s} "
                          f"{res.get('first_page', float('nan')):6.2f} s page 1 "
                          f"{res.get('done', float('nan')):6.2f} s done", file=sys.stderr)
    load_after = load_average()

    def fmt(x: float | None, pct: bool = False) -> str:
        if x is None:
            return "—"
        return f"{x:.2f}" if not pct else f"{x:.2f}×"

    head = ("| package | producer / kind | pages | naive wall s | extract+check wall s | ratio wall | "
            "naive CPU s | extract+check CPU s | ratio CPU |")
    about = (f"Machine: {machine()}; load average {load_before} before, {load_after} after. "
             f"Medians of {runs} run{'s' if runs > 1 else ''}, each a whole child process "
             f"({'modules compiled from source' if a.source else 'from compiled bytecode'}), naive and extract "
             "alternating.")
    lines = [about, "", head, "|---|---|---:|---:|---:|---:|---:|---:|---:|"]
    ratios: dict[str, list[float]] = {}
    for pkg, files, pages in chosen:
        res = results[pkg.name]
        nw, ew = median(res["naive"], "wall"), median(res["extract"], "wall")
        nc, ec = median(res["naive"], "cpu"), median(res["extract"], "cpu")
        rw = ew / nw if nw and ew else None
        rc = ec / nc if nc and ec else None
        if rc is not None:
            ratios.setdefault(pkg.group, []).append(rc)
        lines.append(f"| {pkg.name} | {pkg.what} | {pages} | {fmt(nw)} | {fmt(ew)} | {fmt(rw, True)} | "
                     f"{fmt(nc)} | {fmt(ec)} | {fmt(rc, True)} |")
    lines.append("")
    lines.append("CPU ratio by group: " + "; ".join(
        f"{g} {min(v):.2f}–{max(v):.2f}× (median {statistics.median(v):.2f}×)" for g, v in ratios.items()) + ".")
    windows = [(pkg, files, pages) for pkg, files, pages in chosen if results[pkg.name]["window"]]
    if windows:
        lines += ["", ("Window (offscreen), from asking it to open the files: just shown, and idle on screen first "
                  "(its start-up work done after the first paint)."), "",
                  ("| window: package | pages | page 1 on screen s | review in place s | page 1, idle window s | "
                  "review in place, idle window s |"), "|---|---:|---:|---:|---:|---:|"]
        for pkg, files, pages in windows:
            res, warm = results[pkg.name]["window"], results[pkg.name]["warm"]
            lines.append(f"| {pkg.name} | {pages} | {fmt(median(res, 'first_page'))} | {fmt(median(res, 'done'))} | "
                         f"{fmt(median(warm, 'first_page'))} | {fmt(median(warm, 'done'))} |")
    for n in notes:
        lines.append(f"\nNote: {n}")
    table = "\n".join(lines)
    print(table)
    out = Path(a.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
