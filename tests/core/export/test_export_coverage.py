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
