"""Fast checks of the packaging pieces that need no build: they run in every CI run.

The fixture that makes the frozen-build smoke test meaningful really does need pdfminer's CMap data; the
helpers that judge a build (check_extract, glibc_report) judge correctly; the desktop entry is valid and
Chinese; the spec reads its version where the program does.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CID_PACKAGE = Path(__file__).resolve().parent / "data" / "cid_font_package"


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(f"jixiao_{name}", ROOT / "packaging" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


FIRST_PAGE_TEXT = """
import sys, glob
import pdfminer.cmapdb as cmapdb
if sys.argv[1] == "without":
    def missing(cls, name):
        raise cmapdb.CMapDB.CMapNotFound(name)
    cmapdb.CMapDB._load_data = classmethod(missing)
from pdfminer.high_level import extract_text
sys.stdout.reconfigure(encoding="utf-8")
print(extract_text(glob.glob(sys.argv[2] + "/*.pdf")[0], page_numbers=[0]))
"""


@pytest.mark.parametrize("cmaps", ["with", "without"])
def test_cid_fixture_reads_as_chinese_only_with_pdfminer_cmaps(cmaps):
    r = subprocess.run([sys.executable, "-c", FIRST_PAGE_TEXT, cmaps, str(CID_PACKAGE)], capture_output=True,
                       text=True, encoding="utf-8")
    assert r.returncode == 0, r.stderr
    chinese = re.findall(r"[\u4e00-\u9fff]", r.stdout)
    if cmaps == "with":
        assert "部门整体支出绩效评价基础数据表" in r.stdout
    else:
        assert not chinese, r.stdout[:200]


def test_check_extract_counts_only_chinese_fields_with_values(tmp_path):
    check = _tool("check_extract")
    good = {"documents": [{"kinds": {"自评表": [1]}}],
            "fields": [{"label": f"指标{i}", "value": str(i), "raw": f"第{i}项"} for i in range(20)]}
    empty = {"fields": [{"label": "填报单位", "value": "", "raw": ""}] * 30
             + [{"label": "unit", "value": "x", "raw": "x"}] * 30}
    (tmp_path / "good.json").write_text(json.dumps(good, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "empty.json").write_text(json.dumps(empty), encoding="utf-8")
    assert check.judge(tmp_path / "good.json", 20)[0]
    assert not check.judge(tmp_path / "good.json", 21)[0]
    assert not check.judge(tmp_path / "empty.json", 1)[0]
    assert check.main([str(tmp_path / "good.json"), str(tmp_path / "empty.json")]) == 1


def test_glibc_report_takes_the_highest_version_per_family():
    report = _tool("glibc_report")
    dump = """
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.2.5) memcpy
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.34) __libc_start_main
0000000000000000      DF *UND*  0000000000000000 (GLIBC_2.14) memcpy
0000000000000000      DF *UND*  0000000000000000 (GLIBCXX_3.4.21) _ZNSt7__cxx1112basic_stringIcE
0000000000000000      DF *UND*  0000000000000000 (GLIBCXX_3.4.9) _ZSt4cout
0000000000000000      DF *UND*  0000000000000000 (CXXABI_1.3.9) __cxa_throw
"""
    assert report.symbol_versions(dump) == {"GLIBC": "2.34", "GLIBCXX": "3.4.21", "CXXABI": "1.3.9"}
    assert report.vkey("2.28") < report.vkey("2.34") and report.vkey("3.4.9") < report.vkey("3.4.21")


def test_desktop_entry_is_chinese_and_valid():
    entry = (ROOT / "packaging" / "linux" / "jixiao-review.desktop").read_text(encoding="utf-8")
    assert "\nName=绩效自评材料审核\n" in entry
    assert "\nCategories=Office;\n" in entry and "\nIcon=jixiao-review\n" in entry
    assert re.search(r"^Comment=.*[\u4e00-\u9fff]", entry, re.M)
    if shutil.which("desktop-file-validate"):
        r = subprocess.run(["desktop-file-validate", str(ROOT / "packaging/linux/jixiao-review.desktop")],
                           capture_output=True, text=True)
        assert r.returncode == 0 and not r.stdout.strip(), r.stdout


def test_names_and_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    core_version = re.search(r'__version__\s*=\s*"([^"]+)"', (ROOT / "core/__init__.py").read_text("utf-8"))
    assert core_version and core_version.group(1) == project["version"], "build.spec would refuse to build"
    assert project["name"] == "jixiao-review"  # the .deb, /opt folder, .desktop, icons and .iss use this name
    iss = (ROOT / "packaging" / "windows" / "jixiao-review.iss").read_text(encoding="utf-8-sig")
    assert '#define AppExe "jixiao-review.exe"' in iss and "jixiao-cli.exe" in iss
    assert (ROOT / "packaging" / "icons" / "jixiao-review.ico").stat().st_size > 1000


def test_windows_build_requirements_are_pinned():
    for name in ("requirements.txt",):
        for line in (ROOT / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line}"
    build = (ROOT / "packaging" / "windows" / "requirements-build.txt").read_text(encoding="utf-8")
    pins = dict(line.split("==") for line in build.splitlines() if "==" in line and not line.startswith("#"))
    assert pins.get("pyinstaller") == "6.22.3"
    for line in build.splitlines():
        if line.strip() and not line.startswith(("#", "-r")):
            assert "==" in line, line
