"""Tables printed without rules (columns kept apart by white space only) are read as tables.

The PDF is drawn here with reportlab and a real CJK font, the way an older print-to-PDF pipeline prints a
支出决算表: title, 单位, header lines, 科目 rows with right-aligned figures, a label wrapped onto a second line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from core.pipeline import extract_case

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

ROWS = [
    ("", "合计", "1,234.56", "834.50", "400.06"),
    ("201", "一般公共服务支出", "1,000.00", "600.00", "400.00"),
    ("20101", "人大事务", "1,000.00", "600.00", "400.00"),
    ("2010101", "行政运行", "600.00", "600.00", ""),
    ("2010199", "其他人大事务支出", "400.00", "", "400.00"),
    ("208", "社会保障和就业支出", "234.56", "234.50", "0.06"),
    ("20805", "行政事业单位养老支出", "234.56", "234.50", "0.06"),
    ("2080505", "机关事业单位基本养老保险", "234.56", "234.50", "0.06"),
]


def _make_pdf(path: Path) -> None:
    reportlab = pytest.importorskip("reportlab")
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if not FONT.exists():
        pytest.skip("fonts-wqy-microhei not installed")
    pdfmetrics.registerFont(TTFont("wqy", str(FONT), subfontIndex=0))
    w, h = landscape(A4)
    c = canvas.Canvas(str(path), pagesize=(w, h), invariant=1)
    c.setFont("wqy", 16)
    c.drawCentredString(w / 2, h - 60, "支出决算表")
    c.setFont("wqy", 10)
    c.drawString(60, h - 85, "部门：某县人大常委会办公室")
    c.drawRightString(w - 60, h - 85, "单位：万元")
    xs = [60, 140, 520, 620, 720]  # code, name (left); three figures (right edges)
    y = h - 115
    for x, t in zip(xs[:2], ("科目编码", "科目名称")):
        c.drawString(x, y, t)
    for x, t in zip(xs[2:], ("本年支出合计", "基本支出", "项目支出")):
        c.drawRightString(x + 40, y, t)
    y -= 22
    for code, name, *vals in ROWS:
        c.drawString(xs[0], y, code)
        if len(name) > 10:  # a label wrapped onto a second line
            c.drawString(xs[1], y, name[:10])
        else:
            c.drawString(xs[1], y, name)
        for x, v in zip(xs[2:], vals):
            if v:
                c.drawRightString(x + 40, y, v)
        y -= 18
        if len(name) > 10:
            c.drawString(xs[1], y, name[10:])
            y -= 18
    c.showPage()
    c.save()


def test_unruled_expense_table_is_read(tmp_path):
    pdf = tmp_path / "支出决算表_无表格线.pdf"
    _make_pdf(pdf)
    case = extract_case([pdf])
    assert case.documents[0].kinds.get("公开03") == [1]
    total = case.first("accounts.t03.total")
    assert total is not None and total.value == Decimal("1234.56") and total.unit == "万元"
    assert case.first("accounts.t03.basic").value == Decimal("834.50")
    assert case.first("accounts.t03.project").value == Decimal("400.06")
    lines = {ln.code: ln for ln in case.account_lines if ln.table == "t03"}
    assert lines["2010101"].columns["total"] == Decimal("600.00")
    assert lines["2010101"].columns["project"] == 0  # blank in a row of figures: a printed zero (issue 13)
    assert lines["2010101"].raw["project"] == ""
    assert lines["2010199"].columns["basic"] == 0 and lines["2010199"].columns["project"] == Decimal("400.00")
    assert lines["2080505"].name == "机关事业单位基本养老保险"  # the wrapped label is joined
    assert case.first("accounts.unit_name").value == "某县人大常委会办公室"



def test_a_page_without_rules_skips_the_ruled_table_search_and_keeps_its_borderless_table(tmp_path, monkeypatch):
    """Per-page work follows what the page holds: a page with no ruling lines is never searched for ruled
    cells (the step that costs most on a form), and its table printed without rules is still found."""
    from core.documents import pdf as pdf_mod
    from core.documents.reader import open_any

    path = tmp_path / "支出决算表_无表格线.pdf"
    _make_pdf(path)
    searched: list[int] = []
    real = pdf_mod._tables_from_edges
    monkeypatch.setattr(pdf_mod, "_tables_from_edges",
                        lambda edges, chars, number, deadline=None: searched.append(number)
                        or real(edges, chars, number, deadline))
    (page,) = open_any(path, "d1").pages
    assert searched == []
    (table,) = page.tables
    assert not table.ruled
    assert any(r[-3:] == ["600.00", "600.00", ""] for r in (table.texts(i) for i in range(table.n_rows)))


def test_a_page_with_rules_is_searched_for_ruled_tables(packages_dir, monkeypatch):
    from core.documents import pdf as pdf_mod
    from core.documents.reader import open_any

    searched: list[int] = []
    real = pdf_mod._tables_from_edges
    monkeypatch.setattr(pdf_mod, "_tables_from_edges",
                        lambda edges, chars, number, deadline=None: searched.append(number)
                        or real(edges, chars, number, deadline))
    doc = open_any(min((packages_dir / "yunxi_2024").glob("*.pdf")), "d1")
    ruled_pages = [p.number for p in doc.pages if any(t.ruled for t in p.tables)]
    assert ruled_pages and set(ruled_pages) <= set(searched)
    # a page of running text (the 自评报告) has no rules and is not searched
    assert any(p.lines and not p.tables and p.number not in searched for p in doc.pages)


# -- characters to cells: a figure printed over its cell's rule ---------------------------------------------------

def _chars(text: str, x: float, top: float = 100.0, w: float = 7.0) -> list[tuple]:
    """Characters as the reader holds them: (top, bottom, x0, x1, text)."""
    return [(top, top + 10, x + i * w, x + (i + 1) * w, ch) for i, ch in enumerate(text)]


def test_a_figure_over_its_cells_rule_stays_in_its_cell():
    from core.documents.pdf import _overflowing_words

    xs = [0.0, 100.0, 200.0, 300.0]
    # "179.33" right-aligned in column 0 with its last 3 past the rule at 100; "230.75" well inside column 1
    left = _chars("179.33", 60.0)
    right = _chars("230.75", 150.0)
    placed = [(c, 0 if (c[2] + c[3]) / 2 < 100 else 1) for c in left] + [(c, 1) for c in right]
    out = _overflowing_words(placed, xs)
    assert "".join(c[4] for c, i in out if i == 0) == "179.33"
    assert "".join(c[4] for c, i in out if i == 1) == "230.75"


def test_words_of_two_cells_with_a_gap_between_them_stay_apart():
    from core.documents.pdf import _overflowing_words

    xs = [0.0, 100.0, 200.0]
    a = _chars("12.5", 70.0)       # ends at 98
    b = _chars("3.0", 102.0)       # a 4-point gap across the rule
    placed = [(c, 0) for c in a] + [(c, 1) for c in b]
    assert _overflowing_words(placed, xs) == placed


def test_a_figure_past_the_tables_edge_is_kept():
    from core.documents.pdf import _overflowing_words

    xs = [0.0, 100.0, 200.0]
    fig = _chars("661.46", 160.0)  # its last digits past the table's right edge at 200
    placed = [(c, 1 if (c[2] + c[3]) / 2 <= 200 else -2) for c in fig]
    out = _overflowing_words(placed, xs)
    assert [i for _, i in out] == [1] * 6
