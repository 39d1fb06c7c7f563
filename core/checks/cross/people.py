"""C21, C22, C29: people and costs (domain.md §5) — 编制数 and 实有人数 stated in the 自评报告 against the
基础数据表 (C21), headcount indicators of the 自评表 against them (C22), and the 自评表's 成本指标 (人员经费,
公用经费) against the 决算's 基本支出 detail (C29).
"""

from __future__ import annotations

import re

from core.checks.accounts import amount
from core.checks.cross.reading import REPORT, case_year, distinct, show, statements, unit_of
from core.checks.messages import finding, fmt_value, num, rounding_note, severity_of, where
from core.checks.registry import check
from core.checks.tolerance import Match, compare_amounts
from core.model import Case, Finding
from core.numbers import parse_target
from core.scoring.selfeval import cell_ref, sheet_indicators
from core.text import label_key


@check(id="cross.c21_staff", severity="error", ref="domain §5 C21")
def c21_staff(case: Case) -> list[Finding]:
    """自评报告所述编制数、实有人数 = 基础数据表编制数、实际在职人数（注明其他年度的表述除外）。"""
    year = case_year(case)
    out: list[Finding] = []
    for k, name in (("authorized", "编制数"), ("actual", "实有（在职）人数")):
        ref = amount(case, f"basic.staff.{k}")
        if ref is None:
            continue
        for s in statements(case, f"report.staff.{k}", REPORT):
            y = s.attrs.get("year")
            if y and year and str(y) != str(year):
                continue  # a figure stated for another year (C30, narrative.py)
            if num(s) != num(ref):
                out.append(finding(
                    "cross.c21_staff", "error",
                    f"{where(s)}{name}{fmt_value(s)}，{where(ref)}为{fmt_value(ref)}",
                    [s, ref], [num(s), num(ref)]))
    return out


# the department's own staff: 工资（津贴补贴）发放人数, 在职/在编/实有人数 — not 高龄津贴 recipients
_HEADCOUNT = re.compile(r"(工资|在职|在编|实有|供养|编制)[^，。]*人数|人数[^，。]*(工资|在职|在编)")


@check(id="cross.c22_headcount_indicators", severity="warning", ref="domain §5 C22")
def c22_headcount_indicators(case: Case) -> list[Finding]:
    """自评表中与人数挂钩的指标（如“工资、津贴补贴发放人数”）的实际完成值应与基础数据表/自评报告的实有人数相符。"""
    ref = amount(case, "basic.staff.actual")
    if ref is None:
        stated = statements(case, "report.staff.actual", REPORT)
        year = case_year(case)
        stated = [s for s in stated
                  if not (s.attrs.get("year") and year and str(s.attrs["year"]) != str(year))]
        if not stated or len({num(s) for s in stated}) != 1:
            return []
        ref = stated[0]
    out: list[Finding] = []
    for rid, ind in sheet_indicators(case):
        if not _HEADCOUNT.search(label_key(ind.level3)):
            continue
        actual = parse_target(ind.actual)
        if actual.kind != "number" or actual.value is None or actual.unit not in ("人", "名", ""):
            continue
        if actual.value == num(ref):
            continue
        place = cell_ref(ind, "actual")
        out.append(finding(
            "cross.c22_headcount_indicators", "warning",
            f"自评表第{place.page}页指标“{ind.level3.strip()}”实际完成值{ind.actual.strip()}，"
            f"{where(ref)}实有人数为{fmt_value(ref)}",
            [place, ref], [actual.value, num(ref)], keys=[f"indicators.{rid}.actual"]))
    return out


# -- C29: 成本指标 vs 决算 -----------------------------------------------------------------------------------------

_COST = (("personnel", re.compile(r"人员经费|人员支出"), "人员经费合计"),
         ("public", re.compile(r"公用经费|运转经费|运行经费|日常公用"), "公用经费合计"))


@check(id="cross.c29_cost_indicators", severity="error", ref="domain §5 C29")
def c29_cost_indicators(case: Case) -> list[Finding]:
    """自评表成本指标中的人员经费、公用（运转）经费实际完成值 = 决算基本支出决算明细表人员经费合计、公用经费合计。"""
    out: list[Finding] = []
    for rid, ind in sheet_indicators(case):
        if "成本" not in ind.level1:
            continue
        for k, pattern, name in _COST:
            if not pattern.search(label_key(ind.level3)):
                continue
            ref = amount(case, f"accounts.t06.{k}")
            if ref is None:
                stated = statements(case, f"report.{k}")
                ref = stated[0] if stated and len(distinct(stated)) == 1 else None
            actual = parse_target(ind.actual)
            if ref is None or actual.kind != "number" or actual.value is None:
                continue
            unit = actual.unit if actual.unit in ("元", "万元", "亿元") else "万元"
            m = compare_amounts(actual.value, unit, num(ref), unit_of(ref))
            if m == Match.EQUAL:
                continue
            place = cell_ref(ind, "actual")
            what = name if ref.key.startswith("accounts.") else f"所述{name.removesuffix('合计')}"
            out.append(finding(
                "cross.c29_cost_indicators", severity_of(m),
                f"自评表第{place.page}页成本指标“{ind.level3.strip()}”实际完成值{ind.actual.strip()}，"
                f"{where(ref)}{what}为{show(ref)}{rounding_note(m)}",
                [place, ref], [actual.value, num(ref)], keys=[f"indicators.{rid}.actual"]))
    return out
