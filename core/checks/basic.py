"""Checks on the 部门整体支出绩效评价基础数据表 alone (domain.md §1.3).

Why it exists: the basic data table is filled in by hand and carries its own arithmetic (控制率, the 三公 and
项目支出 breakdowns) and its own completeness rules; a reviewer checks those before comparing it with any
other document.  Money in this table is 万元; a blank cell of a row that prints figures is a printed zero (a field of value 0,
``attrs["blank"]``): it counts as 0 in the arithmetic and is still reported as not filled in.

What it must not do: compare the table with the narrative, the 自评表 or the 决算 (``cross/`` does), or
raise on missing or odd data: a check whose inputs are absent returns no finding.
"""

from __future__ import annotations

from decimal import Decimal

from core.checks.messages import (
    finding, fmt_amount, fmt_pct, fmt_pct_as, fmt_value, num, rounding_note, severity_of, where,
)
from core.checks.registry import check
from core.checks.tolerance import Match, compare_rate, compare_table_sum, threshold
from core.model import Case, Field, Finding, SourceRef, union_bbox

COLUMNS = ("prev", "budget", "final")
COLUMN_NAMES = {"prev": "上年决算数", "budget": "本年预算数", "final": "本年决算数"}
ROW_NAMES = {
    "sangong": "三公经费", "vehicle": "公务用车购置和维护经费", "vehicle_purchase": "公车购置",
    "vehicle_operation": "公车运行维护", "abroad": "出国经费", "reception": "公务接待", "project": "项目支出",
    "project_business": "业务工作经费", "project_operation": "运行维护经费", "project_special": "本级专项资金",
    "public": "公用经费", "public_office": "办公经费", "public_utilities_travel": "水费、电费、差旅费",
    "public_meeting_training": "会议费、培训费", "procurement": "政府采购金额",
    "budget_adjustment": "部门预算调整",
}
MONEY_ROWS = tuple(ROW_NAMES)

# (total row, its parts): the row identities of the 经费控制情况 block (domain §1.2 B1, B2, B7)
ROW_SUMS = {
    "basic.sangong_sum": ("sangong", ("vehicle", "abroad", "reception")),
    "basic.vehicle_sum": ("vehicle", ("vehicle_purchase", "vehicle_operation")),
    "basic.project_sum": ("project", ("project_business", "project_operation", "project_special")),
}


def cell(case: Case, row: str, col: str) -> Field | None:
    """The numeric field of a 经费控制情况 cell, None when blank."""
    for f in case.all(f"basic.{row}.{col}"):
        if num(f) is not None:
            return f
    return None


def filled(case: Case, row: str, col: str) -> Field | None:
    """The cell's field when a figure is written in it: a blank (or "—", "/") cell of a row that prints
    figures is a printed zero for the arithmetic (``attrs["blank"]``), but still a cell left unfilled."""
    f = cell(case, row, col)
    return None if f is None or f.attrs.get("blank") else f


def cells(case: Case, row: str, col: str) -> list[Field]:
    """Every numeric field of a row and column: 本级专项资金 has one row per 专项."""
    out: list[Field] = []
    seen: set[tuple] = set()
    for f in case.all(f"basic.{row}.{col}"):
        place = (f.doc, f.page, f.bbox)
        if num(f) is not None and place not in seen:
            seen.add(place)
            out.append(f)
    return out


def _named(row: str, col: str) -> str:
    return f"{ROW_NAMES[row]}{COLUMN_NAMES[col]}"


def _sum_check(case: Case, check_id: str, total_row: str, part_rows: tuple[str, ...]) -> list[Finding]:
    out: list[Finding] = []
    for col in COLUMNS:
        total = cell(case, total_row, col)
        if total is None:
            continue
        parts = [f for row in part_rows for f in cells(case, row, col)]
        names = "、".join(ROW_NAMES[r] for r in part_rows)
        if all(f.attrs.get("blank") for f in parts):
            if num(total) != 0:
                out.append(finding(
                    check_id, "warning",
                    f"{where(total)}{_named(total_row, col)}为{fmt_value(total)}，但其明细（{names}）均未填写",
                    [total], [num(total)]))
            continue
        s = sum((num(f) for f in parts), Decimal(0))
        m = compare_table_sum(num(total), [num(f) for f in parts], total.unit)
        if m == Match.EQUAL:
            continue
        listed = "＋".join(f"{ROW_NAMES[f.key.split('.')[1]]}{fmt_value(f)}" for f in parts)
        out.append(finding(
            check_id, severity_of(m),
            f"{where(total)}{_named(total_row, col)}为{fmt_value(total)}，而明细合计{listed}＝"
            f"{fmt_amount(s, total.unit)}，相差{fmt_amount(abs(num(total) - s), total.unit)}{rounding_note(m)}",
            [total, *parts], [num(total), *(num(f) for f in parts), s]))
    return out


def _pct_value(rate: Decimal | None) -> list[Decimal]:
    return [rate.quantize(Decimal("0.01"))] if rate is not None else []


@check(id="basic.staff_control_rate", severity="error", ref="domain §1.3 (1)")
def staff_control_rate(case: Case) -> list[Finding]:
    """基础数据表“控制率”应等于 实际在职人数 ÷ 编制数 × 100%（按印出的小数位四舍五入或截尾均可）。"""
    rate, staff, quota = (case.first(k) for k in ("basic.staff.control_rate", "basic.staff.actual",
                                                  "basic.staff.authorized"))
    if num(rate) is None or num(staff) is None or not num(quota):
        return []
    computed = num(staff) / num(quota) * 100
    m = compare_rate(num(rate), computed)
    if m == Match.EQUAL:
        return []
    return [finding(
        "basic.staff_control_rate", severity_of(m),
        f"{where(rate)}控制率为{fmt_value(rate)}，按实际在职人数{fmt_value(staff)}÷编制数{fmt_value(quota)}"
        f"计算应为{fmt_pct_as(computed, num(rate))}{rounding_note(m)}",
        [rate, staff, quota], [num(rate), computed.quantize(Decimal("0.01")), num(staff), num(quota)])]


@check(id="basic.staff_over_quota", severity="warning", ref="domain §1.3 (1), C21")
def staff_over_quota(case: Case) -> list[Finding]:
    """实际在职人数超过编制数（在职人员控制率 > 100%）即为超编，须核实说明。"""
    staff, quota, rate = (case.first(k) for k in ("basic.staff.actual", "basic.staff.authorized",
                                                  "basic.staff.control_rate"))
    limit = threshold("control_rate_max")
    if num(staff) is not None and num(quota):
        computed = num(staff) / num(quota) * 100
        if computed <= limit:
            return []
        return [finding(
            "basic.staff_over_quota", "warning",
            f"{where(staff)}实际在职人数{fmt_value(staff)}超过编制数{fmt_value(quota)}，控制率{fmt_pct(computed)}，"
            f"存在超编",
            [staff, quota, rate], [num(staff), num(quota), computed.quantize(Decimal("0.01"))])]
    if num(rate) is not None and num(rate) > limit:
        return [finding("basic.staff_over_quota", "warning",
                        f"{where(rate)}在职人员控制率为{fmt_value(rate)}，超过100%，存在超编", [rate], [num(rate)])]
    return []


@check(id="basic.sangong_sum", severity="error", ref="domain §1.2 B1, §1.3 (2)")
def sangong_sum(case: Case) -> list[Finding]:
    """每一栏：三公经费 = 公务用车购置和维护经费 + 出国经费 + 公务接待。"""
    return _sum_check(case, "basic.sangong_sum", *ROW_SUMS["basic.sangong_sum"])


@check(id="basic.vehicle_sum", severity="error", ref="domain §1.2 B2, §1.3 (2)")
def vehicle_sum(case: Case) -> list[Finding]:
    """每一栏：公务用车购置和维护经费 = 公车购置 + 公车运行维护。"""
    return _sum_check(case, "basic.vehicle_sum", *ROW_SUMS["basic.vehicle_sum"])


@check(id="basic.project_sum", severity="error", ref="domain §1.2 B7, §1.3 (2)")
def project_sum(case: Case) -> list[Finding]:
    """每一栏：项目支出 = 业务工作经费 + 运行维护经费 + 本级专项资金（各专项之和）。"""
    return _sum_check(case, "basic.project_sum", *ROW_SUMS["basic.project_sum"])


@check(id="basic.public_breakdown", severity="error", ref="domain §1.2 B11–B14, §1.3 (2)")
def public_breakdown(case: Case) -> list[Finding]:
    """每一栏：公用经费“其中”各项（办公经费、水电差旅费、会议培训费）之和不得超过公用经费。"""
    out: list[Finding] = []
    rows = ("public_office", "public_utilities_travel", "public_meeting_training")
    for col in COLUMNS:
        total = cell(case, "public", col)
        parts = [f for r in rows if (f := cell(case, r, col)) is not None]
        if total is None or not parts:
            continue
        s = sum((num(f) for f in parts), Decimal(0))
        if s <= num(total):
            continue
        m = compare_table_sum(num(total), [num(f) for f in parts], total.unit)
        sev = "warning" if m == Match.ROUNDING else "error"
        listed = "＋".join(f"{ROW_NAMES[f.key.split('.')[1]]}{fmt_value(f)}" for f in parts)
        out.append(finding(
            "basic.public_breakdown", sev,
            f"{where(total)}公用经费{COLUMN_NAMES[col]}为{fmt_value(total)}，其中各项合计{listed}＝"
            f"{fmt_amount(s, total.unit)}，超过公用经费{fmt_amount(s - num(total), total.unit)}{rounding_note(m)}",
            [total, *parts], [num(total), *(num(f) for f in parts), s]))
    return out


@check(id="basic.sangong_over_budget", severity="warning", ref="domain §1.3 (3)")
def sangong_over_budget(case: Case) -> list[Finding]:
    """“三公”经费本年决算数不应超过本年预算数（“三公”经费控制率 ≤ 100%）。"""
    return _over_budget(case, "basic.sangong_over_budget", "sangong", "“三公”经费", if_no_budget="")


@check(id="basic.sangong_increase", severity="warning", ref="domain §1.3 (4), §2.2 三公经费变动率")
def sangong_increase(case: Case) -> list[Finding]:
    """“三公”经费本年决算数高于上年决算数（“三公”经费变动率 > 0）时扣分，须说明原因。"""
    prev, final = cell(case, "sangong", "prev"), cell(case, "sangong", "final")
    if prev is None or final is None or num(final) <= num(prev):
        return []
    if num(prev):
        rate = (num(final) - num(prev)) / num(prev) * 100
        text = f"变动率＋{fmt_pct(rate)}"
        values = [num(final), num(prev), rate.quantize(Decimal("0.01"))]
    else:
        text = "上年为0"
        values = [num(final), num(prev)]
    return [finding(
        "basic.sangong_increase", "warning",
        f"{where(final)}“三公”经费本年决算数{fmt_value(final)}高于上年决算数{fmt_value(prev)}，{text}",
        [final, prev], values)]


@check(id="basic.public_over_budget", severity="warning", ref="domain §1.3 (5), C16")
def public_over_budget(case: Case) -> list[Finding]:
    """公用经费本年决算数不应超过本年预算数（公用经费控制率 ≤ 100%）。"""
    return _over_budget(case, "basic.public_over_budget", "public", "公用经费", if_no_budget="（预算为0）")


def _over_budget(case: Case, check_id: str, row: str, label: str, *, if_no_budget: str) -> list[Finding]:
    """A row's 本年决算数 above its 本年预算数, with the 控制率 (决算 ÷ 预算) or, for a budget of 0,
    ``if_no_budget``."""
    budget, final = cell(case, row, "budget"), cell(case, row, "final")
    if budget is None or final is None or num(final) <= num(budget):
        return []
    rate = num(final) / num(budget) * 100 if num(budget) else None
    tail = f"，{label}控制率{fmt_pct(rate)}" if rate is not None else if_no_budget
    return [finding(
        check_id, "warning",
        f"{where(final)}{label}本年决算数{fmt_value(final)}超过本年预算数{fmt_value(budget)}{tail}",
        [final, budget], [num(final), num(budget)] + _pct_value(rate))]


def _table_place(case: Case) -> SourceRef | None:
    """The 基础数据表 as a place: the box around its printed figures on the page of its first field."""
    fs = [f for f in case.fields if f.key.startswith("basic.")]
    if not fs:
        return None
    first = fs[0]
    same = [f.bbox for f in fs if f.doc == first.doc and f.page == first.page]
    return SourceRef(first.doc, first.page, union_bbox(same))


@check(id="basic.blank_cells", severity="warning", ref="domain §1.3 (6), §6.3 #11")
def blank_cells(case: Case) -> list[Finding]:
    """基础数据表的“政府采购金额”“部门预算调整”“厉行节约保障措施”不应空白（确无数据应填0或“无”并说明）；一行已填
    上年或预算数而本年决算数空白，也属漏填。所有空白在一条提示中列出。（楼堂馆所一栏无当年完工项目时本应空白，不提示。）"""
    place = _table_place(case)
    if place is None:
        return []
    missing: list[str] = []
    keys: list[str] = []
    items: list[Field | SourceRef] = [place]
    for row in ("procurement", "budget_adjustment"):
        if not any(filled(case, row, c) is not None for c in COLUMNS):
            missing.append(f"“{ROW_NAMES[row]}”")
            keys.append(f"basic.{row}")
    measures = case.first("basic.austerity_measures")
    if measures is None or not str(measures.value or "").strip():
        missing.append("“厉行节约保障措施”")
        keys.append("basic.austerity_measures")
    for row in MONEY_ROWS:
        if row in ("procurement", "budget_adjustment"):
            continue
        given_cells = [f for c in ("prev", "budget") if (f := filled(case, row, c)) is not None]
        if given_cells and filled(case, row, "final") is None:
            given = "、".join(f"{COLUMN_NAMES[f.key.split('.')[-1]]}{fmt_value(f)}" for f in given_cells)
            missing.append(f"“{ROW_NAMES[row]}”本年决算数（已填{given}）")
            keys.append(f"basic.{row}.final")
            items += given_cells
    if not missing:
        return []
    return [finding("basic.blank_cells", "warning", f"基础数据表第{place.page}页以下内容未填写：{'；'.join(missing)}",
                    items, [m.strip("“”") for m in missing], keys=keys)]


_BUILDING = (
    ("area_control_rate", "actual_area", "approved_area", "规模控制率", "实际规模", "批复规模"),
    ("investment_control_rate", "actual_investment", "budget_investment", "投资概算控制率", "实际投资", "预算投资"),
)


@check(id="basic.building_control_rates", severity="error", ref="domain §1.2 Block C")
def building_control_rates(case: Case) -> list[Finding]:
    """楼堂馆所：规模控制率 = 实际规模 ÷ 批复规模 × 100%；投资概算控制率 = 实际投资 ÷ 预算投资 × 100%。"""
    out: list[Finding] = []
    for rate_k, actual_k, plan_k, rate_n, actual_n, plan_n in _BUILDING:
        rate, actual, plan = (case.first(f"basic.building.{k}") for k in (rate_k, actual_k, plan_k))
        if num(rate) is None or num(actual) is None or not num(plan):
            continue
        computed = num(actual) / num(plan) * 100
        m = compare_rate(num(rate), computed)
        if m == Match.EQUAL:
            continue
        out.append(finding(
            "basic.building_control_rates", severity_of(m),
            f"{where(rate)}楼堂馆所{rate_n}为{fmt_value(rate)}，按{actual_n}{fmt_value(actual)}÷{plan_n}"
            f"{fmt_value(plan)}计算应为{fmt_pct_as(computed, num(rate))}{rounding_note(m)}",
            [rate, actual, plan], [num(rate), computed.quantize(Decimal("0.01"))]))
    return out


@check(id="basic.building_over_control", severity="warning", ref="domain §1.2 Block C")
def building_over_control(case: Case) -> list[Finding]:
    """楼堂馆所实际规模不应超过批复规模、实际投资不应超过预算投资（控制率 ≤ 100%）。"""
    out: list[Finding] = []
    limit = threshold("control_rate_max")
    for rate_k, actual_k, plan_k, rate_n, actual_n, plan_n in _BUILDING:
        rate, actual, plan = (case.first(f"basic.building.{k}") for k in (rate_k, actual_k, plan_k))
        if num(actual) is not None and num(plan):
            value = num(actual) / num(plan) * 100
        elif num(rate) is not None:
            value = num(rate)
        else:
            continue
        if value <= limit:
            continue
        anchor = actual if num(actual) is not None else rate
        out.append(finding(
            "basic.building_over_control", "warning",
            f"{where(anchor)}楼堂馆所{rate_n}{fmt_pct(value)}，超过100%"
            + (f"（{actual_n}{fmt_value(actual)}，{plan_n}{fmt_value(plan)}）" if num(plan) else ""),
            [actual, plan, rate], [value.quantize(Decimal("0.01"))]))
    return out
