"""The workbook's 检查覆盖 sheet: every check of the catalogue with its status, result or reason, and the
reviewer's verdict on a check done by hand (issue 20 part 1)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from core.checks import coverage as cov
from core.export import export_workbooks
from core.pipeline import extract_case

PKG = Path(__file__).resolve().parents[2] / "data" / "packages" / "yunxi_2024"
NOW = datetime(2026, 12, 7, 10, 30)


def test_the_coverage_sheet_lists_every_check_with_its_status(tmp_path):
    case = extract_case([str(p) for p in sorted(PKG.glob("*.pdf"))])
    case.fields = [f for f in case.fields if f.key != "selfeval.funds.annual_budget"]  # as if unreadable
    case.extra[cov.VERDICTS_KEY] = {"cross.c17_budget_adjustment": {
        "status": "通过", "note": "年初预算数与全年预算数对照原表核对无误", "reviewer": "李审核",
        "time": "2026-12-07T10:00:00+08:00"}}
    items = cov.coverage(case)
    [path] = export_workbooks(case, tmp_path, now=NOW)
    ws = openpyxl.load_workbook(path)["检查覆盖"]
    header = [c.value for c in ws[3]]
    assert header[:7] == ["序号", "检查项", "问题类别", "状态", "结果", "说明（缺少的数据、不适用的原因、未比对的部分）",
                          "人工结论"]
    rows = {r[10]: r for r in ws.iter_rows(min_row=4, max_row=3 + len(items), values_only=True)}
    assert len(rows) == len(items) and set(rows) == {it.check_id for it in items}
    short = rows["selfeval.execution_rate"]
    assert short[1:4] == ("预算执行率计算", "计算错误", "取数不足，需人工核对")
    assert short[5] == "自评表（第3、4、5页）中未读到：全年预算数"
    done_by_hand = rows["cross.c17_budget_adjustment"]
    assert done_by_hand[6:9] == ("通过", "年初预算数与全年预算数对照原表核对无误", "李审核")
    assert rows["accounts.i01a"][3:6] == ("不适用", None, "材料中没有部门决算（公开01–09表）")
    assert rows["cross.c03_project"][3:5] == ("自动完成", "错误1项")
    # an open check is marked (highlighted status cell), one done by hand is not
    status_col = 4
    cells = {ws.cell(r, 11).value: ws.cell(r, status_col) for r in range(4, 4 + len(items))}
    from core.export.excel import HIGHLIGHT

    assert cells["selfeval.execution_rate"].fill.fill_type == "solid"
    assert cells["selfeval.execution_rate"].fill.fgColor.rgb.endswith(HIGHLIGHT)
    assert cells["cross.c17_budget_adjustment"].fill.fill_type != "solid"


def test_coverage_rows_are_as_tall_as_their_wrapped_text(tmp_path):
    """A row is one line high unless a printed cell's text wraps at its column's width: the 序号 (a number,
    which a spreadsheet never wraps) and the unprinted 检查编号 column made nearly every row two lines high
    (six printed pages for yunxi's 108 checks)."""
    from core.export.excel import _text_height

    case = extract_case([str(p) for p in sorted(PKG.glob("*.pdf"))])
    [path] = export_workbooks(case, tmp_path, now=NOW)
    ws = openpyxl.load_workbook(path)["检查覆盖"]
    rows = {ws.cell(r, 11).value: r for r in range(4, ws.max_row + 1) if ws.cell(r, 11).value}
    height = {cid: ws.row_dimensions[r].height for cid, r in rows.items()}
    one_line = 20.0  # the layout's row_height: a 10 pt line and its margins
    assert height["basic.staff_over_quota"] == one_line  # 序号 2, short texts
    assert ws.cell(rows["selfeval.execution_rate"], 1).value >= 10  # a two-digit 序号 does not wrap either
    assert height["selfeval.execution_rate"] == one_line
    # a long id in the unprinted column is no reason for a taller row; the column is as wide as the id
    long_id = "indicator.satisfaction_no_survey"
    assert len(long_id) > 24 and height[long_id] == one_line
    assert ws.column_dimensions["K"].width >= max(map(len, rows))
    # a reason wider than its column is given the lines it wraps to, no more
    why = ws.cell(rows["copies.text"], 6).value
    width = ws.column_dimensions["F"].width
    assert height["copies.text"] == _text_height(why, width, 10, True) > one_line
    assert height["copies.text"] < 3 * one_line
    total = sum(height.values())
    assert total < 1.4 * one_line * len(rows)  # was 1.7 × (nearly every row two lines high)


def test_a_cell_wraps_between_ideographs_and_at_spaces_never_inside_a_number():
    from core.export.excel import _wrapped_lines

    assert _wrapped_lines("材料中没有部门决算", 20, 10) == 1  # 9 ideographs, 16.2 units in a 19-unit line
    assert _wrapped_lines("材料中没有部门决算情况说明、部门决算", 20, 10) == 2
    # 10 ideographs (18 units) and a 10-character number in a 19-unit line: the number moves whole
    assert _wrapped_lines("一二三四五六七八九十1234567.89", 20, 10) == 2
    # three 10-letter words (32 units with the spaces) take three 19-unit lines, not two
    assert _wrapped_lines("abcdefghij abcdefghij abcdefghij", 20, 10) == 3
    # a run longer than a line is broken inside it
    assert _wrapped_lines("x" * 45, 20, 10) == 3
