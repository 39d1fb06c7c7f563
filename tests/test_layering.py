"""core/ never imports Qt or ui/: the window is a client of the core, never the other way round.

Checked on the source (every import statement in core/), and on a fresh interpreter: importing the whole
core and running the command line must not load PySide6.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = ("PySide6", "shiboken6", "ui", "PyQt5", "PyQt6")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
    return out


def test_core_source_never_imports_qt_or_ui():
    bad = []
    for path in sorted((ROOT / "core").rglob("*.py")):
        for name in _imports(path):
            if name.split(".")[0] in FORBIDDEN:
                bad.append(f"{path.relative_to(ROOT)}: import {name}")
    assert not bad, "core/ must not import the GUI:\n" + "\n".join(bad)


def test_only_pdf_module_imports_pdfplumber_and_only_excel_module_imports_openpyxl():
    # openpyxl has two owners, one per direction: the export writes workbooks, the xlsx reader reads them
    owners = {"pdfplumber": {"core/documents/pdf.py"}, "pdfminer": {"core/documents/pdf.py"},
              "pypdfium2": {"core/documents/pdf.py"},
              "openpyxl": {"core/export/excel.py", "core/documents/xlsx_reader.py"},
              "xlrd": {"core/documents/xls_reader.py"}, "olefile": {"core/documents/doc_reader.py"},
              "rapidocr": {"core/documents/ocr.py"}, "onnxruntime": {"core/documents/ocr.py"},
              "cv2": {"core/documents/ocr.py"}}
    bad = []
    # the application: the core, the window (which renders pages through core.documents.pdf.PageImages) and
    # the command line; tools/ and bench/ are developer programs and may use the libraries directly
    app = [*sorted((ROOT / "core").rglob("*.py")), *sorted((ROOT / "ui").rglob("*.py")), ROOT / "main.py",
           ROOT / "cli.py"]
    for path in app:
        rel = str(path.relative_to(ROOT))
        for name in _imports(path):
            top = name.split(".")[0]
            if top in owners and rel not in owners[top]:
                bad.append(f"{rel}: import {name}")
    assert not bad, "\n".join(bad)


def test_no_import_cycle_hidden_inside_a_function():
    """Modules that once imported each other (one of the two inside a function to get round the cycle) now
    depend one way only: the case file is read and written by core.review.casefile (the session uses it, the
    store builds on the session); the batch's case cache is core.case_cache (the workspace and the batch use
    it)."""
    one_way = {"core/review/session.py": {"core.review.store"},
               "core/review/casefile.py": {"core.review.store", "core.review.session"},
               "core/workspace.py": {"core.batch"},
               "core/case_cache.py": {"core.batch", "core.workspace"}}
    bad = []
    for rel, forbidden in one_way.items():
        path = ROOT / rel
        names = set(_imports(path)) | _relative_store_imports(path)
        bad += [f"{rel}: import {n}" for n in sorted(names & forbidden)]
    assert not bad, "\n".join(bad)


def _relative_store_imports(path: Path) -> set[str]:
    """``from core.review import store`` names the module as core.review + store."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out |= {f"{node.module}.{a.name}" for a in node.names}
    return out


def test_importing_core_and_cli_does_not_load_qt():
    code = (
        "import sys, importlib, pkgutil, core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import main\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules), sorted(k for k in sys.modules if 'PySide' in k)\n"
    )
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
