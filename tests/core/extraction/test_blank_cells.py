"""A blank (or "—", "-", "/") amount cell of a row that prints figures is a printed zero — value 0, raw as
printed — in the 基础数据表 as in the 决算 (issue 13); a row that prints no figure at all gives no field; the
基础数据表's checks still report the cell as not filled in."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from core.pipeline import extract_case

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"


def test_basic_table_blank_cell_in_a_filled_row_is_a_printed_zero_still_reported_as_blank():
    case = extract_case(sorted((PACKAGES / "yunxi_2024").glob("*.pdf")))
    (f,) = case.all("basic.public_meeting_training.final")  # 上年 0.36 and 预算 1.71 printed, 决算 blank
    assert f.value == Decimal(0) and f.raw == "" and f.attrs.get("blank")
    assert [x.value for x in case.all("basic.public_meeting_training.budget")] == [Decimal("1.71")]
    (blank,) = [x for x in case.findings if x.check == "basic.blank_cells"]
    assert "“会议费、培训费”本年决算数" in blank.message


def test_a_row_of_placeholders_only_gives_no_field():
    case = extract_case(sorted((PACKAGES / "variant_xuanchuan_2023").glob("*.pdf")))
    for row in ("vehicle", "abroad", "vehicle_purchase"):  # "—" in every column: nothing printed
        assert not list(case.all(f"basic.{row}.final"))


def test_accounts_blank_cells_of_the_total_row_are_printed_zeros():
    case = extract_case(sorted((PACKAGES / "national_clean_2024").glob("*.pdf")))
    (upper,) = case.all("accounts.t03.upper")  # 上缴上级支出 合计: blank in a row of figures
    assert upper.value == 0 and upper.raw == "" and upper.attrs.get("blank")
    (total,) = [ln for ln in case.account_lines if ln.table == "t03" and not ln.code]
    assert total.columns["upper"] == 0 and total.raw["upper"] == ""
