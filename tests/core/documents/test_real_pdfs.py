"""The real published PDFs in ../shared/real: the 社会工作部 决算 is read to the cent and boxed; the blank
template and the three budgets are recognised as not reviewable."""

from __future__ import annotations

from decimal import Decimal

import pdfplumber
import pytest

from core.pipeline import extract_case

pytestmark = pytest.mark.real

SHEHUI = "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"


@pytest.fixture(scope="module")
def shehui_case(real_dir):
    return extract_case([real_dir / SHEHUI])


def _one(case, key):
    found = case.all(key)
    assert found, f"{key} not extracted"
    return found[0]


def test_shehui_pages_are_classified(shehui_case):
    kinds = shehui_case.documents[0].kinds
    assert kinds["公开01"] == [5]
    assert kinds["公开02"] == [6, 7]  # the table continues on page 7 without a title
    assert kinds["公开03"] == [8, 9]
    assert kinds["公开04"] == [10, 11]
    assert kinds["公开05"] == [12]
    assert kinds["公开06"] == [13]
    assert kinds["公开09"] == [14]
    assert kinds["决算说明"] == [17, 18, 19, 20, 21, 22]
    assert kinds["目录"] == [2, 3]
    assert shehui_case.documents[0].year == 2024


@pytest.mark.parametrize("key,value,page", [
    ("accounts.t01.income_total", "307.82", 5),
    ("accounts.t01.expense_total", "307.82", 5),
    ("accounts.t01.grand_total", "307.82", 5),
    ("accounts.t01.class.201", "264.87", 5),
    ("accounts.t01.class.221", "29.42", 5),
    ("accounts.t02.total", "307.82", 6),
    ("accounts.t03.total", "307.82", 8),
    ("accounts.t03.basic", "105.58", 8),
    ("accounts.t03.project", "202.24", 8),
    ("accounts.t04.class.221", "29.42", 11),  # 公开04 continues on page 11
    ("accounts.t05.basic", "105.58", 12),
    ("accounts.t06.personnel", "95.36", 13),
    ("accounts.t06.public", "10.23", 13),
    ("accounts.t06.econ.30113", "17.70", 13),
])
def test_shehui_key_totals(shehui_case, key, value, page):
    f = _one(shehui_case, key)
    assert f.value == Decimal(value)
    assert f.unit == "万元"
    assert f.page == page


def test_shehui_account_lines_follow_the_hierarchy(shehui_case):
    t03 = [ln for ln in shehui_case.account_lines if ln.table == "t03"]
    codes = [ln.code for ln in t03]
    assert codes[0] == ""  # 合计
    assert "2013901" in codes and "20139" in codes and "201" in codes
    # 类 = Σ 项 for every class, on the real numbers
    for cls in ("201", "208", "210", "221"):
        total = next(ln for ln in t03 if ln.code == cls).columns["total"]
        items = sum(ln.columns["total"] for ln in t03 if len(ln.code) == 7 and ln.code.startswith(cls))
        assert total == items
    # the 合计 row equals Σ 项 and 基本 + 项目
    tot = t03[0].columns
    assert tot["total"] == tot["basic"] + tot["project"]


def test_shehui_field_boxes_frame_the_printed_value(shehui_case, real_dir):
    """Every table field's box, cropped from the page, contains exactly the printed value."""
    with pdfplumber.open(real_dir / SHEHUI) as pdf:
        for f in shehui_case.fields:
            if not f.key.startswith("accounts.") or f.key == "accounts.unit_name":
                continue
            page = pdf.pages[f.page - 1]
            x0, top, x1, bottom = f.bbox
            crop = page.crop((x0 - 0.5, top - 0.5, x1 + 0.5, bottom + 0.5))
            text = (crop.extract_text() or "").replace(" ", "")
            assert text == f.raw.replace(" ", ""), (f.key, f.raw, text)


@pytest.mark.parametrize("name,verdict_code", [
    ("shanghai_2024_bumen_juesuan_template_fujian2.pdf", "template"),
    ("budgets_not_juesuan/shanghai_putuo_sfj_2026_bumen_yusuan.pdf", "budget"),
    ("budgets_not_juesuan/jiangsu_shengweibangongting_2019_bumen_yusuan_tables.pdf", "budget"),
    ("budgets_not_juesuan/jiangsu_gaoyuan_2019_bumen_yusuan.pdf", "budget"),
])
def test_not_reviewable_documents_are_said_so(real_dir, name, verdict_code):
    case = extract_case([real_dir / name])
    doc = case.documents[0]
    assert [p["code"] for p in doc.problems] == [verdict_code]
    assert "不" in doc.problems[0]["message"]
    assert case.fields == []
