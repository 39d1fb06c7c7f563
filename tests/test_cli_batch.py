"""``main.py batch DIR -o OUT_DIR``: progress lines on stderr, the written files on stdout, exit codes of
contract.md (0 at least one case done, 2 bad usage, 3 nothing readable, 4 output not writable), never a
traceback for bad input."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests" / "data" / "packages"
LINE = re.compile(r"^\[(\d+)/(\d+)\] (.+) …(完成（错误(\d+) 警告(\d+).*）|失败：.+)$")


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def copy_package(package: str, folder: Path) -> None:
    found = sorted((PACKAGES / package).glob("*.pdf"))
    if not found:
        pytest.skip(f"fixture package {package} missing")
    folder.mkdir(parents=True)
    for p in found:
        shutil.copy2(p, folder / p.name)


@pytest.fixture
def district(tmp_path) -> Path:
    root = tmp_path / "云溪区材料"
    copy_package("yunxi_2024", root / "组织部")
    copy_package("variant_xuanchuan_2023", root / "宣传部")
    (root / "财政局").mkdir()
    (root / "财政局" / "报告.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")
    return root


def test_batch_writes_workbooks_and_summary_then_reuses_the_cache(district, tmp_path):
    out = tmp_path / "结果"
    r = run("batch", str(district), "-o", str(out), "--jobs", "2", "--reviewer", "张三")
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    lines = [ln for ln in r.stderr.splitlines() if ln.startswith("[")]
    assert len(lines) == 3 and all(LINE.match(ln) for ln in lines), lines
    assert any("中共岳阳市云溪区委组织部 …完成（错误" in ln for ln in lines)
    # a damaged Word file is read as Word (not refused as "not a PDF") and named with its reason
    assert any("财政局 …失败：无法读取：报告.docx：Word" in ln for ln in lines)
    exported = [ln.removeprefix("已导出：") for ln in r.stdout.splitlines() if ln.startswith("已导出：")]
    assert len(exported) == 3 and all(Path(p).is_file() for p in exported)
    summary = out / "汇总表_云溪区材料.xlsx"
    assert str(summary) in exported
    ws = openpyxl.load_workbook(summary).active
    names = [ws.cell(r_, 2).value for r_ in range(1, ws.max_row + 1)]
    assert {"中共岳阳市云溪区委组织部", "中共湘潭县委宣传部", "财政局"} <= set(names)
    assert any("审核人：张三" in str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert not (district / ".jixiao").exists()  # the input folder is left alone
    assert (out / ".cache" / "workspace.json").is_file()

    again = run("batch", str(district), "-o", str(out), "--jobs", "2")
    assert again.returncode == 0, again.stderr
    assert again.stderr.count("沿用已缓存的提取结果") == 2


def test_nothing_readable_exits_3_with_reasons(tmp_path):
    root = tmp_path / "材料"
    (root / "甲").mkdir(parents=True)
    (root / "甲" / "a.pdf").write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    (root / "乙").mkdir()
    (root / "乙" / "b.xlsx").write_bytes(b"PK\x03\x04xl/workbook.xml")
    r = run("batch", str(root), "-o", str(tmp_path / "out"))
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr
    assert "JPEG" in r.stderr and "b.xlsx：Excel文件（.xlsx）已损坏" in r.stderr
    assert (tmp_path / "out" / "汇总表_材料.xlsx").is_file()  # the reasons are in the 汇总表 too


def test_an_empty_or_missing_folder_exits_3(tmp_path):
    (tmp_path / "空").mkdir()
    r = run("batch", str(tmp_path / "空"), "-o", str(tmp_path / "out"))
    assert r.returncode == 3 and "Traceback" not in r.stderr and "没有" in r.stderr
    r = run("batch", str(tmp_path / "不存在"), "-o", str(tmp_path / "out"))
    assert r.returncode == 3 and "文件夹不存在" in r.stderr


def test_output_not_writable_exits_4(district, tmp_path):
    blocker = tmp_path / "out.txt"
    blocker.write_text("x", encoding="utf-8")
    r = run("batch", str(district), "-o", str(blocker))
    assert r.returncode == 4, r.stderr
    assert "无法写入" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("args", [
    ["batch"],
    ["batch", "DIR"],                       # no -o
    ["batch", "DIR", "-o", "OUT", "--jobs", "0"],
    ["batch", "DIR", "-o", "OUT", "--jobs", "many"],
    ["batch", "DIR", "-o", "OUT", "--preset", "no_such_preset"],
    ["batch", "FILE", "-o", "OUT"],         # a file, not a folder
])
def test_bad_usage_exits_2(args, district, tmp_path):
    f = tmp_path / "a.pdf"
    f.write_bytes(b"%PDF-1.4")
    subst = {"DIR": str(district), "FILE": str(f), "OUT": str(tmp_path / "o")}
    args = [subst.get(a, a) for a in args]
    r = run(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr


def test_help_names_the_options():
    r = run("batch", "--help")
    assert r.returncode == 0
    for opt in ("DIR", "-o", "--jobs", "--preset"):
        assert opt in r.stdout


def test_batch_over_a_district_reports_copied_text_in_both_cases_and_a_district_list(tmp_path):
    """The fixture district (tests/data/district): the 退役军人事务局 copied the 民政局's paragraph and two
    indicators.  Both departments' problem lists carry the copies, the other three none, and the district list
    names both places of each."""
    import csv
    import json

    district = ROOT / "tests" / "data" / "district"
    expected = json.loads((district / "expected.json").read_text(encoding="utf-8"))
    out = tmp_path / "结果"
    r = run("batch", str(district), "-o", str(out), "--jobs", "2")
    assert r.returncode == 0, r.stderr
    assert "材料比对：2个单位之间有4处雷同" in r.stderr
    names = {"copies.text": "与其他单位材料文字相同", "copies.indicators": "与其他单位绩效指标相同"}
    for folder, unit in expected["packages"].items():
        book = next((out / unit).glob("*.xlsx"))
        sheet = openpyxl.load_workbook(book)["问题清单"]
        cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
        found = sorted(k for k, name in names.items() if name in cells)
        assert found == sorted(expected["expected_findings"][folder]), unit
    with open(out / "材料雷同清单.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r_["类别"] for r_ in rows] == ["文字相同", "文字相同", "绩效指标相同", "绩效指标相同"]
    assert all({r_["单位"], r_["相同的单位"]} == {"益阳市资阳区民政局", "益阳市资阳区退役军人事务局"} for r_ in rows)
    assert all(r_["位置"] and r_["其位置"] and r_["文件"].endswith(".pdf") for r_ in rows)
    assert not (district / ".jixiao").exists()
