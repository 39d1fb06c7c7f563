"""C12: 收入性质 (domain.md §5) — the 自评表's income parts add up to 全年执行数, and 政府性基金 is the same
in the 自评表, the 决算 (公开07) and the narrative.
"""

from __future__ import annotations

from core.checks.accounts import amount, present_tables
from core.checks.cross.reading import ZERO, agree, j_cell, j_figure, show, statements, synthetic, unit_of
from core.checks.messages import finding, fmt_amount, num, rounding_note, severity_of, where
from core.checks.registry import check
from core.checks.tolerance import Match, compare_table_sum
from core.model import Case, Finding

INCOME_PARTS = ("general_budget", "gov_fund", "special_account", "other")


@check(id="cross.c12_income_sources", severity="error", ref="domain §5 C12")
def c12_income_sources(case: Case) -> list[Finding]:
    """自评表按收入性质分列的一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金之和 = 全年执行数；
    政府性基金拨款 = 决算政府性基金预算财政拨款支出 = 自评报告所述政府性基金预算支出。"""
    out: list[Finding] = []
    parts = [f for k in INCOME_PARTS if (f := amount(case, f"selfeval.income.{k}")) is not None]
    executed = amount(case, "selfeval.funds.executed")
    if executed is not None and parts:
        m = compare_table_sum(num(executed), [num(f) for f in parts], unit_of(executed))
        if m != Match.EQUAL:
            s = sum((num(f) for f in parts), ZERO)
            out.append(finding(
                "cross.c12_income_sources", severity_of(m),
                f"{where(executed)}全年执行数{show(executed)}，而按收入性质分列合计{fmt_amount(s, unit_of(executed))}，"
                f"相差{fmt_amount(abs(num(executed) - s), unit_of(executed))}{rounding_note(m)}",
                [executed, *parts], [num(executed), s]))
    gov = amount(case, "selfeval.income.gov_fund")
    if gov is None and parts:
        gov = synthetic("selfeval.income.gov_fund", ZERO, "万元", parts[0].source, "政府性基金拨款", blank=True)
        gov.form = "自评表"
    j = j_figure(case, "t07", "total")
    if j is None and "t07" in present_tables(case):
        j = j_cell(case, "accounts.t07.total")
    refs = [x for x in (j, gov) if x is not None]
    if len(refs) == 2 and num(gov) == 0 and num(j) == 0:
        refs = refs[:1]
    out += agree("cross.c12_income_sources", "政府性基金预算支出", refs, statements(case, "report.gov_fund"))
    return out
