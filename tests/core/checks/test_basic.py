"""The 基础数据表 checks (core.checks.basic), each with its input written in the test.

Seed 004 (云溪区委组织部) supplies the real table: its 控制率 and row identities hold, while its 公用经费 is
over budget (131.88%), its 三公 rose (+134.15%) and several cells are blank (domain §6.3 #6, #7, #11).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.checks import basic  # noqa: F401  (registers the checks)
from core.model import Case, Field, Severity, SourceRef

PAGE = 1


def F(key: str, value: str, unit: str = "万元", page: int = PAGE, y: float = 100.0) -> Field:
    v = D(value) if unit != "" else value
    return Field(key=key, value=v, unit=unit, raw=value, source=SourceRef("d1", page, (300.0, y, 340.0,
                                                                                       y + 12)),
                 form="基础数据表")


def run(case: Case, check_id: str) -> list:
    from core.checks.registry import all_checks

    return next(c.fn for c in all_checks() if c.id == check_id)(case)


def row(name: str, prev: str | None, budget: str | None, final: str | None, y: float = 200.0) -> list[Field]:
    out = []
    for col, v, x in (("prev", prev, 0), ("budget", budget, 1), ("final", final, 2)):
        if v is not None:
            out.append(F(f"basic.{name}.{col}", v, y=y + x))
    return out


def seed_004_basic() -> Case:
    """附件2 基础数据表 of seed 004, blank cells left out."""
    fs = [F("basic.unit_name", "中共岳阳市云溪区委组织部", unit=""),
          F("basic.staff.authorized", "24", "人"), F("basic.staff.actual", "24", "人"),
          F("basic.staff.control_rate", "100.00", "%")]
    fs += row("sangong", "0.41", "1.8", "0.96", 200) + row("reception", "0.41", "1.8", "0.96", 260)
    fs += row("project", "179.33", "230.75", "661.46", 280) + row("project_business", "179.33", "230.75",
                                                                  "661.46", 290)
    fs += row("public", "34.04", "30.74", "40.54", 320) + row("public_office", "2.49", "5.00", "4.05", 330)
    fs += row("public_utilities_travel", "1.28", "2.5", "2.66", 340)
    fs += row("public_meeting_training", "0.36", "1.71", None, 350)
    return Case(fields=fs)


def findings_of(case: Case) -> dict[str, list]:
    from core.checks.registry import run_checks

    out: dict[str, list] = {}
    for f in run_checks(case):
        if f.check.startswith("basic."):
            out.setdefault(f.check, []).append(f)
    return out


def test_seed_004_basic_table():
    found = findings_of(seed_004_basic())
    # what holds: 控制率 24/24 = 100.00%, 三公 = 公务接待, 项目支出 = 业务工作经费, 其中 ≤ 公用经费
    for ok in ("basic.staff_control_rate", "basic.staff_over_quota", "basic.sangong_sum", "basic.project_sum",
               "basic.public_breakdown", "basic.sangong_over_budget"):
        assert ok not in found, found.get(ok)
    # §6.3 #6: 公用经费控制率 131.88%
    (pub,) = found["basic.public_over_budget"]
    assert pub.severity == Severity.WARNING and "131.88%" in pub.message and D("131.88") in pub.values
    # §6.3 #7: 三公经费变动率 +134.15%
    (inc,) = found["basic.sangong_increase"]
    assert inc.severity == Severity.WARNING and "134.15%" in inc.message
    assert inc.values == [D("0.96"), D("0.41"), D("134.15")]
    # §6.3 #11: blanks, in one note
    (blanks,) = found["basic.blank_cells"]
    assert blanks.severity == Severity.WARNING and blanks.locations
    assert blanks.values[:3] == ["政府采购金额", "部门预算调整", "厉行节约保障措施"]
    assert "“会议费、培训费”本年决算数（已填上年决算数0.36万元、本年预算数1.71万元）" in blanks.message


def test_staff_control_rate_recomputed():
    case = Case(fields=[F("basic.staff.authorized", "143", "人", y=60), F("basic.staff.actual", "136", "人",
                                                                         y=80),
                        F("basic.staff.control_rate", "96.10", "%")])
    (f,) = run(case, "basic.staff_control_rate")
    assert f.severity == Severity.ERROR and f.values == [D("96.10"), D("95.10"), D("136"), D("143")]
    assert "计算应为95.10%" in f.message and len(f.locations) == 3
    case.fields[2].value = D("95.10")  # 95.104… truncated or rounded: both accepted
    assert run(case, "basic.staff_control_rate") == []
    case.fields[2].value = D("95.11")  # one unit in the last place: a rounding warning
    (w,) = run(case, "basic.staff_control_rate")
    assert w.severity == Severity.WARNING


def test_staff_over_quota():
    case = Case(fields=[F("basic.staff.authorized", "20", "人"), F("basic.staff.actual", "22", "人")])
    (f,) = run(case, "basic.staff_over_quota")
    assert f.severity == Severity.WARNING and "超编" in f.message and "110%" in f.message
    case.fields[1].value = D("20")
    assert run(case, "basic.staff_over_quota") == []


def test_sangong_sum_per_column():
    case = Case(fields=row("sangong", "5.00", "6.00", "3.00") + row("reception", "4.00", "6.00", "2.00", 260)
                + row("abroad", "1.00", None, "0.50", 240))
    (f,) = run(case, "basic.sangong_sum")
    assert f.severity == Severity.ERROR and "三公经费本年决算数为3.00万元" in f.message
    assert f.values == [D("3.00"), D("0.50"), D("2.00"), D("2.50")] and len(f.locations) == 3
    case.fields[2].value = D("2.50")
    assert run(case, "basic.sangong_sum") == []


def test_sangong_total_with_blank_breakdown_is_a_warning():
    case = Case(fields=row("sangong", None, None, "0.96"))
    (f,) = run(case, "basic.sangong_sum")
    assert f.severity == Severity.WARNING and "均未填写" in f.message


def test_vehicle_sum():
    case = Case(fields=row("vehicle", None, None, "3.00") + row("vehicle_purchase", None, None, "1.00", 220)
                + row("vehicle_operation", None, None, "1.50", 230))
    (f,) = run(case, "basic.vehicle_sum")
    assert f.values[0] == D("3.00") and f.values[-1] == D("2.50")
    case.fields[2].value = D("2.00")
    assert run(case, "basic.vehicle_sum") == []


def test_project_sum_counts_every_special_fund_row():
    case = Case(fields=row("project", None, None, "100.00") + row("project_business", None, None, "60.00",
                                                                  220)
                + row("project_special", None, None, "30.00", 230) + row("project_special", None, None,
                                                                         "5.00", 240))
    (f,) = run(case, "basic.project_sum")
    assert f.values[0] == D("100.00") and f.values[-1] == D("95.00") and len(f.locations) == 4
    case.fields[-1].value = D("10.00")
    assert run(case, "basic.project_sum") == []


def test_project_sum_rounding_is_a_warning():
    case = Case(fields=row("project", None, None, "100.00") + row("project_business", None, None, "60.00",
                                                                  220)
                + row("project_operation", None, None, "40.01", 230))
    (f,) = run(case, "basic.project_sum")
    assert f.severity == Severity.WARNING and "尾数差异" in f.message


def test_public_breakdown_not_above_total():
    case = Case(fields=row("public", None, "10.00", None) + row("public_office", None, "6.00", None, 220)
                + row("public_meeting_training", None, "5.00", None, 230))
    (f,) = run(case, "basic.public_breakdown")
    assert f.severity == Severity.ERROR and f.values == [D("10.00"), D("6.00"), D("5.00"), D("11.00")]
    case.fields[2].value = D("4.00")
    assert run(case, "basic.public_breakdown") == []


def test_sangong_over_budget():
    case = Case(fields=row("sangong", None, "1.00", "1.20"))
    (f,) = run(case, "basic.sangong_over_budget")
    assert f.severity == Severity.WARNING and "120%" in f.message
    case.fields[1].value = D("1.00")
    assert run(case, "basic.sangong_over_budget") == []


def test_sangong_increase_from_zero():
    case = Case(fields=row("sangong", "0", None, "0.50"))
    (f,) = run(case, "basic.sangong_increase")
    assert "上年为0" in f.message
    case.fields[1].value = D("0")
    assert run(case, "basic.sangong_increase") == []


def test_public_over_budget():
    case = Case(fields=row("public", None, "30.74", "40.54"))
    (f,) = run(case, "basic.public_over_budget")
    assert f.values == [D("40.54"), D("30.74"), D("131.88")]
    case.fields[1].value = D("30.00")
    assert run(case, "basic.public_over_budget") == []


def test_blank_cells_only_for_a_basic_table():
    assert run(Case(), "basic.blank_cells") == []
    full = Case(fields=row("procurement", None, None, "0") + row("budget_adjustment", None, None, "0", 220)
                + [F("basic.austerity_measures", "严格执行中央八项规定", unit="")])
    assert run(full, "basic.blank_cells") == []
    missing = Case(fields=row("public", "1.00", "2.00", "3.00"))
    (f,) = run(missing, "basic.blank_cells")
    assert f.keys == ["basic.procurement", "basic.budget_adjustment", "basic.austerity_measures"]
    assert f.message.startswith("基础数据表第1页以下内容未填写：“政府采购金额”") and f.locations[0].page == PAGE


def building(**v: str) -> Case:
    units = {"approved_area": "㎡", "actual_area": "㎡", "area_control_rate": "%", "budget_investment": "万元",
             "actual_investment": "万元", "investment_control_rate": "%"}
    return Case(fields=[F(f"basic.building.{k}", x, units[k]) for k, x in v.items()])


def test_building_control_rates_recomputed():
    case = building(approved_area="1000", actual_area="950", area_control_rate="96.00",
                    budget_investment="500", actual_investment="400", investment_control_rate="80.00")
    (f,) = run(case, "basic.building_control_rates")
    assert "规模控制率" in f.message and f.values == [D("96.00"), D("95.00")]
    case.fields[2].value = D("95.00")
    assert run(case, "basic.building_control_rates") == []


def test_building_over_control():
    case = building(budget_investment="500", actual_investment="550")
    (f,) = run(case, "basic.building_over_control")
    assert f.severity == Severity.WARNING and "110%" in f.message
    assert run(building(budget_investment="500", actual_investment="500"),
               "basic.building_over_control") == []


FAILING = {
    "basic.staff_control_rate": lambda: Case(fields=[F("basic.staff.authorized", "24", "人"),
                                                     F("basic.staff.actual", "23", "人"),
                                                     F("basic.staff.control_rate", "100.00", "%")]),
    "basic.staff_over_quota": lambda: Case(fields=[F("basic.staff.authorized", "20", "人"),
                                                   F("basic.staff.actual", "22", "人")]),
    "basic.sangong_sum": lambda: Case(fields=row("sangong", None, None, "3") + row("reception", None, None,
                                                                                   "2", 260)),
    "basic.vehicle_sum": lambda: Case(fields=row("vehicle", None, None, "3") + row("vehicle_operation", None,
                                                                                   None, "2", 230)),
    "basic.project_sum": lambda: Case(fields=row("project", None, None, "9") + row("project_business", None,
                                                                                   None, "2", 230)),
    "basic.public_breakdown": lambda: Case(fields=row("public", None, None, "1") + row("public_office", None,
                                                                                       None, "2", 230)),
    "basic.sangong_over_budget": lambda: Case(fields=row("sangong", None, "1", "2")),
    "basic.sangong_increase": lambda: Case(fields=row("sangong", "1", None, "2")),
    "basic.public_over_budget": lambda: Case(fields=row("public", None, "1", "2")),
    "basic.blank_cells": lambda: Case(fields=row("public", "1", "2", "3")),
    "basic.building_control_rates": lambda: building(approved_area="100", actual_area="90",
                                                     area_control_rate="95"),
    "basic.building_over_control": lambda: building(approved_area="100", actual_area="120"),
}


@pytest.mark.parametrize("check_id", sorted(FAILING))
def test_failing_inputs_are_found(check_id):
    found = run(FAILING[check_id](), check_id)
    assert found and all(f.check == check_id and f.locations for f in found)
