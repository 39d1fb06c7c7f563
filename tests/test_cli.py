"""The command line of contract.md: JSON out, exit codes, Chinese reasons, never a traceback for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHEHUI = ROOT.parent / "shared" / "real" / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    env.pop("DISPLAY", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=cwd, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def test_version_and_help():
    r = run("--version")
    assert r.returncode == 0 and "0.1.0" in r.stdout
    r = run("extract", "--help")
    assert r.returncode == 0 and "FILE_OR_DIR" in r.stdout


def test_bad_usage_exits_2():
    r = run("extract")
    assert r.returncode == 2
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize("name,content,reason", [
    ("report.docx", b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "Word"),
    ("table.xlsx", b"PK\x03\x04\x14\x00\x06\x00xl/workbook.xml", "Excel"),
    ("scan.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG"),
    ("notes.txt", "这是一个文本文件".encode("utf-8"), "文本"),
    ("renamed.pdf", b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "Word"),
    ("empty.pdf", b"", "空"),
    ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "损坏"),
])
def test_unreadable_input_exits_3_with_chinese_reason(tmp_path, name, content, reason):
    f = tmp_path / name
    f.write_bytes(content)
    r = run("extract", str(f))
    assert r.returncode == 3, r.stderr
    assert "Traceback" not in r.stderr
    assert name in r.stderr and reason in r.stderr
    assert r.stdout == ""


def test_a_truncated_copy_of_a_real_pdf_exits_3(tmp_path):
    data = SHEHUI.read_bytes()
    f = tmp_path / "截断的决算.pdf"
    f.write_bytes(data[: len(data) // 3])
    r = run("extract", str(f))
    assert "Traceback" not in r.stderr
    # pdfminer may still read the first pages of a truncated file; either way no traceback and a reason
    assert r.returncode in (0, 3)
    if r.returncode == 3:
        assert "截断的决算.pdf" in r.stderr


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    bad = tmp_path / "坏文件.pdf"
    bad.write_bytes(b"not a pdf at all")
    r = run("extract", str(bad), str(SHEHUI))
    assert r.returncode == 0
    assert "坏文件.pdf" in r.stderr
    case = json.loads(r.stdout)
    assert case["schema"] == "review-case/1"
    assert [d["path"] for d in case["documents"]] == [str(SHEHUI)]
    assert case["unreadable"][0]["path"].endswith("坏文件.pdf")


def test_extract_writes_json_with_the_contract_keys(tmp_path):
    out = tmp_path / "输出 目录" / "case.json"
    out.parent.mkdir()
    r = run("extract", str(SHEHUI), "-o", str(out))
    assert r.returncode == 0, r.stderr
    text = out.read_text(encoding="utf-8")
    case = json.loads(text)
    assert set(case) >= {"schema", "tool_version", "documents", "fields", "indicators", "findings", "scores"}
    f = next(f for f in case["fields"] if f["key"] == "accounts.t03.basic")
    assert f["value"] == 105.58 and f["unit"] == "万元" and f["page"] == 8 and len(f["bbox"]) == 4
    assert set(f) >= {"key", "label", "value", "unit", "raw", "doc", "page", "bbox", "confidence"}
    # readable: one top-level key, and each field, account line and check of the coverage, on a line of its own
    lines = text.splitlines()
    assert lines[1] == ' "schema": "review-case/1",'
    entries = [json.loads(ln.strip().rstrip(",")) for ln in lines if ln.startswith("  {")]
    assert entries == [x for v in case.values() if isinstance(v, list) for x in v if isinstance(x, dict)]
    assert len(entries) > len(case["fields"]) + len(case["coverage"]) > 100
    first = lines.index(' "accounts": {') + 2
    account_lines = lines[first:first + len(case["accounts"]["lines"])]
    assert [json.loads(ln.strip().rstrip(",")) for ln in account_lines] == case["accounts"]["lines"]


def test_unwritable_output_exits_4(tmp_path):
    """As root (CI), main.py runs without root's override of permissions (tests/unprivileged.py)."""
    from tests.unprivileged import unprivileged_prefix

    ro = tmp_path / "readonly"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        env = dict(os.environ, PYTHONIOENCODING="utf-8")
        env.pop("DISPLAY", None)
        r = subprocess.run([*unprivileged_prefix(), sys.executable, str(ROOT / "main.py"), "extract", str(SHEHUI),
                            "-o", str(ro / "case.json")], cwd=ROOT, capture_output=True, text=True,
                           encoding="utf-8", env=env, timeout=300)
        assert r.returncode == 4, r.stderr
        assert "Traceback" not in r.stderr and "只读或没有写入权限" in r.stderr
        assert not (ro / "case.json").exists()
    finally:
        ro.chmod(0o700)


def test_output_into_missing_directory_exits_4(tmp_path):
    r = run("extract", str(SHEHUI), "-o", str(tmp_path / "没有这个目录" / "case.json"))
    assert r.returncode == 4
    assert "Traceback" not in r.stderr and "目录）不存在" in r.stderr


def test_the_sample_without_a_display_exports_the_workbook_and_the_opinion(tmp_path):
    # the README's first command on a machine without a display
    out = tmp_path / "sample_output"
    r = run("sample", "--headless", "-o", str(out), cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".xlsx"]
