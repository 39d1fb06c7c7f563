"""The PyInstaller bundle, run the way a reviewer's machine runs it: no Python, no source tree, Chinese PDFs.

Slow (it builds the bundle from build.spec unless JIXIAO_BUNDLE names one): skipped unless
JIXIAO_PACKAGING_TESTS=1.  What a broken freeze looks like and which test catches it:
  - pdfminer without its CMap data, or no pdfium: exit 0 but no Chinese fields      -> test_extract_*
  - resources/ not collected: extract or sample cannot find labels/forms/layouts     -> test_sample_*, data
  - a Qt plugin or one of its libraries trimmed too far: the window does not start  -> test_window_*
  - a library dropped from the bundle that the target does not have                  -> test_linux_*
  - rapidocr's yaml/models or onnxruntime/OpenCV not collected: a scan reads nothing  -> test_a_scan_*
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
PACKAGES = ROOT / "tests" / "data" / "packages"
REAL_PDF = ROOT.parent / "shared" / "real" / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
CID_PACKAGE = Path(__file__).resolve().parent / "data" / "cid_font_package"
WINDOWS = sys.platform == "win32"

pytestmark = pytest.mark.slow


def _tool(name: str):
    """A script of packaging/ as a module (packaging/ is no package: it must not hide PyPI's `packaging`)."""
    spec = importlib.util.spec_from_file_location(f"jixiao_{name}", ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_extract = _tool("check_extract")


def test_version_is_the_one_in_pyproject(cli):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    r = cli("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.split()[-1] == version


@pytest.mark.parametrize("source", [
    pytest.param(PACKAGES / "yunxi_2024", id="yunxi_2024"),
    pytest.param(REAL_PDF, id="real_putuo_juesuan",
                 marks=pytest.mark.skipif(not REAL_PDF.exists(), reason="no ../shared/real here")),
    pytest.param(CID_PACKAGE, id="non_embedded_cid_font"),
])
def test_extract_reads_at_least_20_chinese_fields(cli, tmp_path, source):
    inputs = [str(source)] if source.is_file() else sorted(str(p) for p in source.glob("*.pdf"))
    out = tmp_path / "case.json"
    r = cli("extract", *inputs, "-o", str(out))
    assert r.returncode == 0, r.stderr
    ok, line = check_extract.judge(out, 20)
    assert ok, line


def test_a_scan_is_read_by_ocr_in_the_bundle(cli, tmp_path):
    """rapidocr's yaml and models, onnxruntime and OpenCV are in the bundle: a scanned 基础数据表 is read."""
    scan = next((ROOT / "tests" / "data" / "scans" / "split_files_2024").glob("*.pdf"))
    out = tmp_path / "scan.json"
    r = cli("extract", str(scan), "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert "文字识别（OCR）" in r.stderr and "Traceback" not in r.stderr
    import json

    fields = json.loads(out.read_text(encoding="utf-8"))["fields"]
    values = {f["key"]: f["value"] for f in fields}
    assert values.get("basic.public.final") == 33.85 and all(f["attrs"]["ocr"] for f in fields)


def test_export_writes_the_workbook(cli, tmp_path):
    r = cli("export", str(PACKAGES / "yunxi_2024"), "-o", str(tmp_path / "xlsx"))
    assert r.returncode == 0, r.stderr
    books = list((tmp_path / "xlsx").glob("*.xlsx"))
    assert books and "已导出" in r.stdout
    assert books[0].stat().st_size > 5000


def test_sample_headless_uses_the_bundled_sample(cli, tmp_path):
    r = cli("sample", "--headless", "-o", str(tmp_path / "sample"))
    assert r.returncode == 0, r.stderr
    assert list((tmp_path / "sample").glob("*.xlsx"))


def test_unreadable_input_keeps_the_exit_code_and_chinese_reason(cli, tmp_path):
    bad = tmp_path / "不是PDF.pdf"
    bad.write_text("hello", encoding="utf-8")
    r = cli("extract", str(bad))
    assert r.returncode == 3
    assert "无法读取" in r.stderr and "Traceback" not in r.stderr


def test_data_files_are_where_the_libraries_look(bundle):
    internal = bundle / "_internal"
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert (internal / "resources" / path.relative_to(ROOT / "resources")).is_file(), path
    # pdfminer.cmapdb looks in <dir of cmapdb.py>/cmap for these (the non-embedded Chinese font needs both)
    for cmap in ("UniGB-UCS2-H.json.gz", "to-unicode-Adobe-GB1.json.gz", "GBK-EUC-H.json.gz"):
        assert (internal / "pdfminer" / "cmap" / cmap).is_file(), cmap
    assert list((internal / "pypdfium2_raw").glob("*pdfium*")), "pdfium's native library is missing"


def test_unused_qt_is_left_out(bundle):
    names = [p.relative_to(bundle).as_posix() for p in bundle.rglob("*")]
    unwanted = re.compile(r"Qt6?(WebEngine|Qml|Quick|Network|Multimedia|3D|Pdf|Wayland|VirtualKeyboard)"
                          r"|opengl32sw", re.I)
    assert not [n for n in names if unwanted.search(n.split("/")[-1])]
    qms = [n.split("/")[-1] for n in names if n.endswith(".qm")]
    assert qms and all("zh_CN" in q for q in qms), qms
    platforms = {n.split("/")[-1] for n in names if "/plugins/platforms/" in n}
    assert any(("qwindows" if WINDOWS else "qxcb") in p for p in platforms), platforms
    assert any("qoffscreen" in p for p in platforms)


# what a desktop provides and build.spec therefore leaves out (LEAVE_TO_SYSTEM), plus GL and libxcb, which
# PyInstaller itself never bundles; a new name here is a decision to take, not an accident
SYSTEM_LIBRARIES = {
    "libEGL.so.1", "libGL.so.1", "libX11-xcb.so.1", "libX11.so.6", "libdbus-1.so.3", "libfontconfig.so.1",
    "libfreetype.so.6", "libgcc_s.so.1", "libglib-2.0.so.0", "libgthread-2.0.so.0", "libgobject-2.0.so.0",
    "libstdc++.so.6", "libxcb.so.1", "libXext.so.6", "libXrender.so.1",
}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF libraries")
def test_linux_libraries_are_bundled_or_come_with_every_desktop(bundle):
    dangling = [p for p in bundle.rglob("*") if p.is_symlink() and not p.exists()]
    assert not dangling, dangling
    report = _tool("glibc_report")
    rep = report.report(report.scan(bundle), bundle)
    assert set(rep["system_libraries"]) <= SYSTEM_LIBRARIES, set(rep["system_libraries"]) - SYSTEM_LIBRARIES
    assert "GLIBCXX" not in rep["max"] or report.vkey(rep["max"]["GLIBCXX"]) <= (3, 4, 25), \
        "needs a libstdc++ newer than UOS 20's (GLIBCXX_3.4.25)"


def test_window_starts_on_the_offscreen_platform(bundle, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "QT_", "LD_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_HOME=str(tmp_path / "data"), APPDATA=str(tmp_path / "appdata"))
    proc = subprocess.Popen([str(bundle / ("jixiao-review.exe" if WINDOWS else "jixiao-review"))], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace")
    try:
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.2)
        alive = proc.poll() is None
    finally:
        proc.kill()
        _, err = proc.communicate(timeout=30)
    assert alive, f"jixiao-review exited with {proc.returncode}:\n{err[-3000:]}"
    assert "Could not load the Qt platform plugin" not in err and "Traceback" not in err, err[-3000:]
