"""C1–C5: the totals (domain.md §5) — 支出合计, 收入合计 and 收支总计, 财政拨款收支, 基本支出, 项目支出,
基本支出＋项目支出, 人员经费＋公用经费: every narrative statement against the 自评表, the 基础数据表 and the 决算
tables, and a whole stated with its parts against their sum.
"""

from __future__ import annotations

from core.checks.accounts import amount, total_line
from core.checks.cross.reading import agree, j_figure, show, statements, unit_of, whole_parts
from core.checks.messages import finding, fmt_amount, num, rounding_note, severity_of, where
from core.checks.registry import check
from core.checks.tolerance import Match, compare_table_sum
from core.model import Case, Finding


@check(id="cross.c01_total_spending", severity="error", ref="domain §5 C1")
def c01_total_spending(case: Case) -> list[Finding]:
    """总支出一致：自评报告和决算情况说明所述支出合计 = 自评表全年执行数 = 决算收入支出决算总表本年支出合计
    （万元，差0.01为尾数差异）；所述财政拨款支出 = 财政拨款收入支出决算总表本年支出合计。"""
    j = amount(case, "accounts.t01.expense_total")
    s = amount(case, "selfeval.funds.executed")
    accept = [amount(case, "accounts.t01.grand_total_expense"), amount(case, "accounts.t01.grand_total"),
              amount(case, "accounts.t04.expense_total"), j_figure(case, "t05", "total"),
              j_figure(case, "t03", "total"), amount(case, "selfeval.income.general_budget")]
    out = agree("cross.c01_total_spending", "支出合计", [j, s], statements(case, "report.expense_total"), accept)
    fiscal = amount(case, "accounts.t04.expense_total") or j_figure(case, "t05", "total")
    out += agree("cross.c01_total_spending", "财政拨款支出", [fiscal], statements(case, "report.fiscal_expense"),
                 [j, j_figure(case, "t05", "total"), amount(case, "selfeval.income.general_budget")])
    return out


@check(id="cross.c01_total_income", severity="error", ref="domain §5 C1, §4 情况说明")
def c01_total_income(case: Case) -> list[Finding]:
    """收入一致：自评报告和决算情况说明所述收入合计、收支总计、财政拨款收入（收支总计）= 收入支出决算总表、财政拨款
    收入支出决算总表的相应金额。"""
    j = amount(case, "accounts.t01.income_total")
    accept = [amount(case, "accounts.t01.grand_total"), amount(case, "accounts.t04.income_total"),
              amount(case, "accounts.t04.grand_total"), j_figure(case, "t02", "total"),
              amount(case, "selfeval.funds.executed"), amount(case, "selfeval.income.general_budget")]
    out = agree("cross.c01_total_income", "收入合计", [j], statements(case, "report.income_total"), accept)
    grand = amount(case, "accounts.t01.grand_total")
    out += agree("cross.c01_total_income", "收支总计", [grand], statements(case, "report.grand_total"),
                 [j, amount(case, "accounts.t01.grand_total_expense")])
    fiscal = amount(case, "accounts.t04.income_total")
    out += agree("cross.c01_total_income", "财政拨款收入", [fiscal], statements(case, "report.fiscal_income"),
                 [amount(case, "accounts.t01.income.1")])
    out += agree("cross.c01_total_income", "财政拨款收支总计", [amount(case, "accounts.t04.grand_total")],
                 statements(case, "report.fiscal_grand_total"), [fiscal])
    return out


@check(id="cross.c02_basic", severity="error", ref="domain §5 C2")
def c02_basic(case: Case) -> list[Finding]:
    """基本支出一致：自评报告和决算情况说明每一处所述基本支出 = 自评表基本支出 = 决算支出决算表基本支出合计。"""
    j = j_figure(case, "t03", "basic") or j_figure(case, "t05", "basic")
    return agree("cross.c02_basic", "基本支出", [j, amount(case, "selfeval.spending.basic")],
                 statements(case, "report.basic"), [j_figure(case, "t05", "basic")])


@check(id="cross.c03_project", severity="error", ref="domain §5 C3")
def c03_project(case: Case) -> list[Finding]:
    """项目支出一致：自评报告和决算情况说明每一处所述项目支出 = 自评表项目支出 = 基础数据表项目支出本年决算数
    = 决算支出决算表项目支出合计。"""
    j = j_figure(case, "t03", "project") or j_figure(case, "t05", "project")
    refs = [j, amount(case, "selfeval.spending.project"), amount(case, "basic.project.final")]
    return agree("cross.c03_project", "项目支出", refs, statements(case, "report.project"),
                 [j_figure(case, "t05", "project")])


@check(id="cross.c04_basic_plus_project", severity="error", ref="domain §5 C4")
def c04_basic_plus_project(case: Case) -> list[Finding]:
    """基本支出 + 项目支出 = 总支出：在自评报告（同一处所述的三个数）、自评表和决算支出决算表中分别成立。"""
    out = whole_parts(case, "cross.c04_basic_plus_project", ("report.expense_total", "支出合计"),
                      [("report.basic", "基本支出"), ("report.project", "项目支出")], 2)
    sources = [("selfeval.funds.executed", "selfeval.spending.basic", "selfeval.spending.project", "全年执行数")]
    if total_line(case, "t03") is None:  # with the lines, accounts.i03a checks the 合计 row
        sources.append(("accounts.t03.total", "accounts.t03.basic", "accounts.t03.project", "本年支出合计"))
    for total_k, basic_k, project_k, name in sources:
        t, b, p = amount(case, total_k), amount(case, basic_k), amount(case, project_k)
        if t is None or b is None or p is None:
            continue
        m = compare_table_sum(num(t), [num(b), num(p)], t.unit)
        if m == Match.EQUAL:
            continue
        s = num(b) + num(p)
        out.append(finding(
            "cross.c04_basic_plus_project", severity_of(m),
            f"{where(t)}{name}{show(t)}，而基本支出{show(b)}＋项目支出{show(p)}＝{fmt_amount(s, unit_of(t))}，"
            f"相差{fmt_amount(abs(num(t) - s), unit_of(t))}{rounding_note(m)}",
            [t, b, p], [num(t), s]))
    return out


@check(id="cross.c05_personnel_public", severity="error", ref="domain §5 C5")
def c05_personnel_public(case: Case) -> list[Finding]:
    """人员经费 + 公用经费 = 基本支出（自评报告、决算情况说明同一处所述）；所述人员经费、公用经费分别等于决算基本支出
    决算明细表的人员经费合计、公用经费合计。"""
    out = whole_parts(case, "cross.c05_personnel_public", ("report.basic", "基本支出"),
                      [("report.personnel", "人员经费"), ("report.public", "公用经费")], 2)
    out += agree("cross.c05_personnel_public", "人员经费", [amount(case, "accounts.t06.personnel")],
                 statements(case, "report.personnel"))
    out += agree("cross.c05_personnel_public", "公用经费", [amount(case, "accounts.t06.public")],
                 statements(case, "report.public"))
    return out
