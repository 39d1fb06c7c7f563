"""Encrypted and scanned PDFs get a Chinese answer, never a traceback; the password opens an encrypted one."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.documents.pdf import open_document
from core.errors import PasswordRequired
from core.pipeline import NoInput, extract_case

ROOT = Path(__file__).resolve().parents[3]
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def _canvas(path: Path, **kw):
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    return canvas.Canvas(str(path), pagesize=A4, invariant=1, **kw)


def _encrypted_pdf(path: Path, password: str) -> None:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT.exists():
        pytest.skip("fonts-wqy-microhei not installed")
    pdfmetrics.registerFont(TTFont("wqy", str(FONT), subfontIndex=0))
    enc = pdfencrypt.StandardEncryption(password, canPrint=1)
    c = _canvas(path, encrypt=enc)
    c.setFont("wqy", 12)
    c.drawString(72, 760, "部门整体支出绩效自评报告")
    c.drawString(72, 740, "2024年本部门支出合计1363.38万元，其中：基本支出701.92万元。")
    c.save()


def _scanned_pdf(path: Path) -> None:
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("RGB", (600, 800), "white")
    d = ImageDraw.Draw(img)
    for y in range(100, 700, 40):
        d.line((50, y, 550, y), fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = _canvas(path)
    c.drawImage(ImageReader(buf), 40, 40, width=515, height=760)
    c.showPage()
    c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 40, 40, width=515, height=760)
    c.save()


def _run(*args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, timeout=300)


def test_encrypted_pdf_needs_its_password(tmp_path):
    pdf = tmp_path / "加密 报告.pdf"
    _encrypted_pdf(pdf, "1234")
    with pytest.raises(PasswordRequired) as e:
        open_document(pdf, "d1")
    assert "密码" in e.value.reason and not e.value.wrong
    with pytest.raises(PasswordRequired) as e:
        open_document(pdf, "d1", password="wrong")
    assert e.value.wrong and "密码不正确" in e.value.reason
    doc = open_document(pdf, "d1", password="1234")
    assert "1363.38万元" in doc.pages[0].text


def test_encrypted_pdf_on_the_command_line(tmp_path):
    pdf = tmp_path / "加密 报告.pdf"
    _encrypted_pdf(pdf, "1234")
    r = _run("extract", str(pdf))
    assert r.returncode == 3 and "Traceback" not in r.stderr
    assert "加密 报告.pdf" in r.stderr and "密码" in r.stderr
    r = _run("extract", str(pdf), "--password", "1234")
    assert r.returncode == 0, r.stderr


def test_scanned_pdf_is_said_to_be_a_scan(tmp_path):
    pdf = tmp_path / "扫描件.pdf"
    _scanned_pdf(pdf)
    case = extract_case([pdf])
    doc = case.documents[0]
    assert doc.pages == 2
    assert any(p["code"] == "scanned" and "扫描件，无文字层" in p["message"] for p in doc.problems)
    assert case.fields == []
    r = _run("extract", str(pdf))  # no text layer anywhere: no input could be read
    assert r.returncode == 3 and "扫描件" in r.stderr and "扫描件.pdf" in r.stderr and "Traceback" not in r.stderr


def test_only_unreadable_files_raise_no_input(tmp_path):
    a = tmp_path / "a.pdf"
    a.write_bytes(b"%PDF-1.4\n%%EOF")
    with pytest.raises(NoInput) as e:
        extract_case([a, tmp_path / "不存在.pdf"])
    reasons = {Path(p["path"]).name: p["message"] for p in e.value.problems}
    assert set(reasons) == {"a.pdf", "不存在.pdf"}
    assert reasons["不存在.pdf"] == "文件不存在"
