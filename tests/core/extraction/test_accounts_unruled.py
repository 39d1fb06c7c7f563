"""决算 科目 tables printed without rules, the way real print-to-PDF pipelines print them (issue 13): the 合计
figures on a line of their own above the label 合计, "—"/"-"/"/" in filled rows, the code split into 类 / 款 / 项
columns, every level with its own amounts — read, checked level by level, and a 合计 that cannot be read is
reported unread, never compared as 0.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.model import Severity
from core.pipeline import extract_case

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# (类, 款, 项, name, 本年支出合计, 基本支出, 项目支出)
ROWS = [
    ("201", "", "", "一般公共服务支出", "1,000.00", "600.00", "400.00"),
    ("", "01", "", "人大事务", "1,000.00", "600.00", "400.00"),
    ("201", "01", "01", "行政运行", "600.00", "600.00", "—"),
    ("201", "01", "99", "其他人大事务支出", "400.00", "-", "400.00"),
    ("208", "", "", "社会保障和就业支出", "234.56", "234.56", "/"),
    ("", "05", "", "行政事业单位养老支出", "234.56", "234.56", ""),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", "234.56", "234.56", ""),
]


def _make_pdf(path: Path, total: tuple[str, str, str] | None) -> None:
    pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("wqy", str(FONT), subfontIndex=0))
    w, h = landscape(A4)
    c = canvas.Canvas(str(path), pagesize=(w, h), invariant=1)
    c.setFont("wqy", 16)
    c.drawCentredString(w / 2, h - 60, "一般公共预算财政拨款支出决算表")
    c.setFont("wqy", 10)
    c.drawString(60, h - 85, "部门：某县人大常委会办公室")
    c.drawRightString(w - 60, h - 85, "单位：万元")
    xs = [60, 95, 130, 170, 560, 660, 760]  # 类, 款, 项, name (left); three figures (right edges)
    y = h - 112
    c.drawString(xs[0], y, "科目编码")
    c.drawString(xs[3], y, "科目名称")
    for x, t in zip(xs[4:], ("合计", "基本支出", "项目支出")):
        c.drawRightString(x, y, t)
    y -= 18
    for x, t in zip(xs[:3], ("类", "款", "项")):
        c.drawString(x, y, t)
    y -= 24
    if total is not None:  # the 合计 figures printed on the line above their label
        for x, v in zip(xs[4:], total):
            c.drawRightString(x, y, v)
    y -= 16
    c.drawString(xs[3], y, "合计")
    y -= 22
    for *codes, name, a, b, p in ROWS:
        for x, t in zip(xs[:3], codes):
            if t:
                c.drawString(x, y, t)
        c.drawString(xs[3], y, name)
        for x, v in zip(xs[4:], (a, b, p)):
            if v:
                c.drawRightString(x, y, v)
        y -= 20
    c.showPage()
    c.save()


@pytest.fixture(scope="module")
def read(tmp_path_factory):
    def go(total):
        pdf = tmp_path_factory.mktemp("unruled") / "一般公共预算财政拨款支出决算表.pdf"
        _make_pdf(pdf, total)
        return extract_case([pdf])
    return go


def test_total_above_its_label_split_codes_and_placeholders(read):
    case = read(("1,234.56", "834.56", "400.00"))
    assert case.documents[0].kinds.get("公开05") == [1]
    lines = {ln.code: ln for ln in case.account_lines if ln.table == "t05"}
    assert set(lines) == {"", "201", "20101", "2010101", "2010199", "208", "20805", "2080505"}
    assert {lines[c].level for c in ("201", "20101", "2010101")} == {"类", "款", "项"}
    total = lines[""]
    assert (total.columns["total"], total.columns["basic"], total.columns["project"]) == \
        (Decimal("1234.56"), Decimal("834.56"), Decimal("400.00"))
    assert case.first("accounts.t05.total").value == Decimal("1234.56")
    # "—", "-", "/" and blank in a row of figures: printed zeros, raw as printed
    assert (lines["2010101"].columns["project"], lines["2010101"].raw["project"]) == (0, "—")
    assert (lines["2010199"].columns["basic"], lines["2010199"].raw["basic"]) == (0, "-")
    assert (lines["208"].columns["project"], lines["208"].raw["project"]) == (0, "/")
    # 类 + 款 + 项 all printed with their own amounts: checked one level at a time, no finding
    assert [f.message for f in case.findings if f.check.startswith("accounts.")] == []


def test_a_table_whose_header_and_total_cannot_be_read_gives_codes_and_no_finding(read):
    """The 合计 printed as a spreadsheet's broken reference: the reader finds no header above the figures, so
    no column is known.  The 类/款/项 columns are still found from the codes' shapes; nothing unread is
    compared (a figure that cannot be read is never 0)."""
    case = read(("#REF!", "#REF!", "#REF!"))
    lines = [ln for ln in case.account_lines if ln.table == "t05"]
    assert [(ln.code, ln.level) for ln in lines][:3] == [("201", "类"), ("20101", "款"), ("2010101", "项")]
    assert [f.message for f in case.findings if f.check.startswith("accounts.")] == []
    assert [f.message for f in case.findings if f.severity is Severity.ERROR] == []
