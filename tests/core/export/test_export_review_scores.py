"""The 复核评分 in the exported 自评表 sheet and in the 复核意见 (issue 20 part 3), on the 天元 fixture package:
自评得分 and 复核得分 side by side with every deduction's 依据, the total after the cap with the cap stated, a
reviewer's own score marked as such."""

from __future__ import annotations

import copy
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.export import export_workbooks
from core.export.docx import export_review_opinion
from core.review.session import ReviewSession, cell_id
from core.scoring.review_score import set_caps_preset

TIANYUAN = Path(__file__).resolve().parents[2] / "data" / "packages" / "tianyuan_2024"
NOW = datetime(2025, 7, 3, 9, 0)
SHEET = "整体支出绩效自评表"


@pytest.fixture(scope="module")
def extracted():
    from core.pipeline import extract_case

    return extract_case([TIANYUAN])


@pytest.fixture
def session(extracted):
    from core.pipeline import recheck

    return ReviewSession(copy.deepcopy(extracted), recheck, reviewer="复核员")


def _row(ws, text: str, col: int) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, col).value == text)


def _num(cell) -> Decimal:
    assert cell.data_type == "n", (cell.coordinate, cell.value)
    return Decimal(repr(cell.value))


def _docx_text(path: Path) -> str:
    import re

    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    return "\n".join("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in xml.split("</w:p>"))


def test_the_sheet_puts_self_and_review_scores_side_by_side_with_their_basis(session, tmp_path):
    wage = next(i for i in session.case.indicators if i.level3 == "工资、津贴补贴发放人数")
    session.correct_indicator(cell_id(wage.id, "review_score"), "4.5", "另有1人未按时发放")
    [path] = export_workbooks(session.case, tmp_path, now=NOW)
    ws = openpyxl.load_workbook(path)[SHEET]
    h = _row(ws, "一级指标", 2)
    assert [ws.cell(h, c).value for c in (8, 10, 11, 12, 13, 14)] == [
        "得分", "复核完成值", "复核得分", "扣分", "扣分比例", "复核依据"]
    r = _row(ws, "工资、津贴补贴发放人数", 4)
    assert _num(ws.cell(r, 8)) == Decimal("5") and ws.cell(r, 10).value == "20人"
    assert _num(ws.cell(r, 11)) == Decimal("4.5") and _num(ws.cell(r, 12)) == Decimal("0.5")
    assert _num(ws.cell(r, 13)) == Decimal("0.1") and ws.cell(r, 13).number_format == "0.00%"  # 0.5 of 5
    assert "复核人" in ws.cell(r, 14).value and "另有1人未按时发放" in ws.cell(r, 14).value
    assert ws.cell(r, 11).fill.fgColor.rgb.endswith("FFE699")
    sat = _row(ws, "干部满意度", 4)
    assert _num(ws.cell(sat, 11)) == Decimal("2.5") and ws.cell(sat, 12).value is None  # no deduction …
    assert ws.cell(sat, 14).value.startswith("需复核人判断")  # … but the reason to look at it
    t = _row(ws, "总分（绩效自评综合得分）", 1)
    assert _num(ws.cell(t, 8)) == Decimal("96.8") and _num(ws.cell(t, 11)) == Decimal("96.3")
    assert _num(ws.cell(t, 12)) == Decimal("0.5")
    assert "封顶规则：不封顶" in ws.cell(t, 13).value
    assert ws.cell(t + 1, 11).value == "优"


def test_a_cap_is_applied_stated_in_the_sheet_and_in_the_opinion(session, tmp_path):
    executed = next(f for f in session.case.fields if f.key == "selfeval.funds.executed")
    session.correct(executed.id, "1900", "按决算更正")  # 1900 / 2558.66 = 74.26%: the 70–80% band
    set_caps_preset(session.case, "yitihua_execution")
    session.refresh()
    review = session.case.scores["review"]
    assert review["caps"]["basis_value"] == Decimal("74.26") and review["caps"]["applied"]
    assert review["execution"]["review_score"] == Decimal("7.43")  # min(74.26%, 100%) × 10
    assert review["uncapped_total"] == Decimal("95.19") and review["total"] == Decimal("89")
    assert review["grade"] == "良"
    [path] = export_workbooks(session.case, tmp_path, now=NOW)
    ws = openpyxl.load_workbook(path)[SHEET]
    f = _row(ws, "年度资金总额", 2)
    assert _num(ws.cell(f, 11)) == Decimal("7.43") and _num(ws.cell(f, 12)) == Decimal("1.37")  # 8.8 − 7.43
    assert "74.26%" in ws.cell(f, 14).value
    t = _row(ws, "总分（绩效自评综合得分）", 1)
    assert _num(ws.cell(t, 11)) == Decimal("89")
    note = ws.cell(t, 13).value
    assert "总分最高89分" in note and "封顶前95.19分" in note and "全年执行数÷全年预算数" in note
    assert ws.cell(t + 1, 11).value == "良"
    text = _docx_text(export_review_opinion(session.case, tmp_path, now=NOW))
    assert "自评得分96.8分" in text and "复核得分89分" in text
    assert "一体化系统：按预算执行率封顶" in text and "总分最高89分" in text
    assert "工资、津贴补贴发放人数" in text and "扣0.24分" in text  # the main deductions, with their 依据
    assert "预算执行率" in text and "扣1.37分" in text


def test_the_reviewers_score_is_in_the_correction_sheet_with_its_row_and_page(session, tmp_path):
    from core.review.corrections import export_records

    wage = next(i for i in session.case.indicators if i.level3 == "工资、津贴补贴发放人数")
    cid = cell_id(wage.id, "review_score")
    session.correct_indicator(cid, "4.5", "另有1人未按时发放")
    records = export_records(session.corrections.records, labels={cid: session.label_of(cid)})  # as the window
    [path] = export_workbooks(session.case, tmp_path, corrections=records, now=NOW)
    ws = openpyxl.load_workbook(path)["修改记录"]
    h = _row(ws, "序号", 1)
    row = [ws.cell(h + 1, c).value for c in range(2, 10)]
    assert row[:3] == ["修改", "工资、津贴补贴发放人数 · 复核得分", "indicator.review_score"]
    assert row[3].endswith(".pdf") and row[4] == wage.source.page
    assert row[5] is None and row[6] == 4.5 and row[7] == "另有1人未按时发放"
