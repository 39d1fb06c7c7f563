"""The command line with a district's profile: ``--district FILE`` switches rules off for extract, export and
batch; without it the profile of the workspace the inputs are in (``.jixiao/district.json``) is used; a
missing or damaged file is a Chinese reason and exit 2, never a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from core.district import DistrictProfile, profile_path, save_profile

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "tests" / "data" / "packages" / "indicator_rules_2024"
OFF = frozenset({"indicator.all_full_marks", "indicator.cost_lower_bound"})


def run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], check=False, cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=300)


def _workbook_text(path: Path) -> str:
    """The text of the workbook's 问题清单 (other sheets may list every check by name)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return "\n".join(str(c) for row in wb["问题清单"].iter_rows(values_only=True) for c in row if c)
    finally:
        wb.close()


def _checks(r: subprocess.CompletedProcess) -> set[str]:
    assert r.returncode == 0, r.stderr
    return {f["check"] for f in json.loads(r.stdout)["findings"]}


def test_extract_with_and_without_the_district_file(tmp_path):
    everything = _checks(run("extract", str(PKG)))
    assert OFF <= everything
    district = tmp_path / "district.json"
    save_profile(DistrictProfile(OFF), district)
    assert _checks(run("extract", str(PKG), "--district", str(district))) == everything - OFF


def test_the_workspace_profile_is_used_and_said(tmp_path):
    ws = tmp_path / "韶山市"
    shutil.copytree(PKG, ws / "统战部")
    save_profile(DistrictProfile(OFF), profile_path(ws / ".jixiao"))
    r = run("extract", str(ws / "统战部"))
    assert "indicator.all_full_marks" not in _checks(r) and "indicator.deviation_full_marks" in _checks(r)
    assert "地区设置" in r.stderr and "district.json" in r.stderr
    out = tmp_path / "out"
    b = run("batch", str(ws), "-o", str(out), "--jobs", "1")
    assert b.returncode == 0, b.stderr
    [workbook] = [p for p in out.rglob("*.xlsx") if not p.name.startswith("汇总表")]
    text = _workbook_text(workbook)
    assert "全部指标满分" not in text and "完成值偏离指标值仍得满分" in text


def test_export_honours_the_district_file(tmp_path):
    district = tmp_path / "d.json"
    save_profile(DistrictProfile(frozenset({"indicator.satisfaction_no_survey"})), district)
    r = run("export", str(PKG), "-o", str(tmp_path / "out"), "--district", str(district), "--fresh")
    assert r.returncode == 0, r.stderr
    text = _workbook_text(next((tmp_path / "out").rglob("*.xlsx")))
    assert "满意度缺少调查依据" not in text and "成本指标设为下限" in text


def test_a_missing_or_damaged_district_file_is_exit_2_in_chinese(tmp_path):
    r = run("extract", str(PKG), "--district", str(tmp_path / "nothing.json"))
    assert r.returncode == 2 and "找不到地区设置文件" in r.stderr and "Traceback" not in r.stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{disabled", encoding="utf-8")
    r = run("export", str(PKG), "-o", str(tmp_path / "o"), "--district", str(bad))
    assert r.returncode == 2 and "地区设置文件不是有效的JSON" in r.stderr and "Traceback" not in r.stderr
