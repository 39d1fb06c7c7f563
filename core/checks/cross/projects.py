"""C7, C9, C10: the narrative's projects, 结转结余 and 年初预算 (domain.md §5).

C7 — the projects a 自评报告 lists add up to the 项目支出 total (``project_total``); C9 — 结余结转 stated in
the narrative against the 决算's 年末结转和结余; C10 — the 年初预算 stated against the 自评表.  ``projects``
(the narrative's project statements: budget, actual, carry-over of one project) and ``is_initial_project``
are also read by C20 (``project_budgets``).  (C8, a project's own 预算/实际/执行率, is narrative arithmetic:
``narrative.py``.)
"""

from __future__ import annotations

import re
from collections import defaultdict

from core.checks.accounts import amount
from core.checks.cross.reading import (
    REPORT,
    ZERO,
    agree,
    distinct,
    group_id,
    j_cell,
    j_figure,
    linked,
    sentence,
    show,
    statements,
    subject,
    unit_of,
)
from core.checks.messages import finding, fmt_wan, num, rounding_note, severity_of, where
from core.checks.registry import check
from core.checks.tolerance import Match, compare_amounts, compare_table_sum, to_wan
from core.model import Case, Field, Finding, Severity
from core.text import label_key


def project_total(case: Case) -> Field | None:
    """The 项目支出 total a project list is compared with: 自评表, 决算, 基础数据表, else the narrative's own
    figure when it states only one value."""
    for f in (amount(case, "selfeval.spending.project"), j_figure(case, "t03", "project"),
              amount(case, "basic.project.final")):
        if f is not None:
            return f
    stated = statements(case, "report.project", REPORT)
    return stated[0] if stated and len(distinct(stated)) == 1 else None


def _by_subject(fs: list[Field]) -> list[Field]:
    """One figure per project: a project named twice in one list is counted once."""
    out: list[Field] = []
    seen: set[str] = set()
    for f in fs:
        name = label_key(subject(f))
        if name and name in seen:
            continue
        seen.add(name)
        out.append(f)
    return out


@check(id="cross.c07_project_list", severity="error", ref="domain §5 C7, §6.2 #21")
def c07_project_list(case: Case) -> list[Finding]:
    """自评报告逐项列出的项目实际支出之和 = 项目支出总额；不等时，若列举注明“其中/主要”（部分列举）仅提示核对。"""
    total = project_total(case)
    if total is None:
        return []
    sections: dict[tuple, list[Field]] = defaultdict(list)
    for f in statements(case, "report.project.actual", REPORT):
        sections[(f.doc, str(f.attrs.get("section", "")))].append(f)
    out: list[Finding] = []
    for fs in sections.values():
        fs = _by_subject(fs)
        if len(fs) < 2 or linked(fs):
            continue  # a "其中：" list tied to a total the narrative states: narrative.parts_sum
        vals = [to_wan(num(f), unit_of(f)) for f in fs]
        tv = to_wan(num(total), unit_of(total))
        m = compare_table_sum(tv, vals, "万元")
        if m == Match.EQUAL:
            continue
        s = sum(vals, ZERO)
        partial = any(re.search(r"其中|主要|包括", sentence(f)) for f in fs)
        sev = Severity.WARNING if partial or m == Match.ROUNDING else Severity.ERROR
        note = "（列举注明“其中”，为部分列举，请核对未列项目）" if partial else ""
        out.append(finding(
            "cross.c07_project_list", sev,
            f"{where(fs[0])}列举的{len(fs)}个项目实际支出合计{fmt_wan(s)}，{where(total)}项目支出为{show(total)}，"
            f"相差{fmt_wan(abs(tv - s))}{rounding_note(m)}{note}",
            [*fs, total], [s, num(total)]))
    return out


def projects(case: Case) -> list[dict[str, Field]]:
    """The narrative's projects: {"budget", "actual", "carryover"} figures of one project statement."""
    groups: dict[tuple, dict[str, list[Field]]] = defaultdict(lambda: defaultdict(list))
    for part in ("budget", "actual", "carryover"):
        for f in statements(case, f"report.project.{part}", REPORT):
            gid = (("g", f.doc, str(f.attrs["group"])) if f.attrs.get("group")
                   else ("p", f.doc, label_key(subject(f))) if subject(f) else group_id(f))
            if gid is None:
                continue
            groups[gid][part].append(f)
    out = []
    for g in groups.values():
        if any(len(distinct(v)) > 1 for v in g.values()):
            continue  # one name with two different figures: ambiguous
        out.append({k: v[0] for k, v in g.items()})
    return out


def _project_name(f: Field) -> str:
    """"“人才经费”" for a figure of a named project, "该项目" otherwise."""
    name = subject(f)
    return f"“{name}”" if name else "该项目"


def is_initial_project(f: Field) -> bool:
    kind = str(f.attrs.get("project_kind", ""))
    return "年初" in kind if kind else "年初预算项目" in sentence(f)


def _year_end_carry(case: Case) -> Field | None:
    f = j_cell(case, "accounts.t01.carry_end",
               ("accounts.t01.grand_total_expense", "accounts.t01.expense_total"))
    if f is None:
        f = j_cell(case, "accounts.t04.carry_end", ("accounts.t04.grand_total", "accounts.t04.expense_total"))
    return f


def _is_year_end(f: Field) -> bool:
    text = f"{f.label}{subject(f)}"
    if "年初" in text:
        return False
    s = sentence(f)
    return not ("年初结转" in s and "年末" not in s and "结余结转" not in s)


@check(id="cross.c09_carryover", severity="error", ref="domain §5 C9, §4 I-01f, §6.2 #8")
def c09_carryover(case: Case) -> list[Finding]:
    """自评报告和决算情况说明所述结余结转（各项目结余结转及结转结余总额）须与收入支出决算总表“年末结转和结余”一致：
    决算表空白或为0而报告称有结余结转，即相互矛盾；项目结余结转之和不得超过年末结转和结余。"""
    j = _year_end_carry(case)
    if j is None:
        return []
    totals = [f for f in statements(case, "report.carryover") if _is_year_end(f)]
    per_project = statements(case, "report.project.carryover", REPORT)
    out: list[Finding] = []
    if num(j) == 0:
        for f in totals + per_project:
            if num(f) > 0:
                what = f"{_project_name(f)}结余结转" if f.key == "report.project.carryover" else "结转结余"
                out.append(finding(
                    "cross.c09_carryover", "error",
                    f"{where(f)}称{what}{show(f)}，但{where(j)}年末结转和结余为{show(j)}，二者矛盾",
                    [f, j], [num(f), num(j)]))
        return out
    out += agree("cross.c09_carryover", "结转结余", [j], totals)
    if per_project:
        s = sum((to_wan(num(f), unit_of(f)) for f in per_project), ZERO)
        jv = to_wan(num(j), unit_of(j))
        if s > jv and compare_amounts(s, "万元", num(j), unit_of(j)) != Match.EQUAL:
            m = compare_amounts(s, "万元", num(j), unit_of(j))
            out.append(finding(
                "cross.c09_carryover", severity_of(m),
                f"{where(per_project[0])}各项目结余结转合计{fmt_wan(s)}，超过{where(j)}年末结转和结余{show(j)}"
                f"{rounding_note(m)}",
                [*per_project, j], [s, num(j)]))
    return out


@check(id="cross.c10_initial_budget", severity="error", ref="domain §5 C10")
def c10_initial_budget(case: Case) -> list[Finding]:
    """年初预算一致：自评报告和决算情况说明所述部门年初预算数 = 自评表年初预算数。（决算情况说明各科目年初预算之和、
    “年初预算项目”合计不超过年初预算数，由 narrative.item_sums / narrative.project_budget_total 核对。）"""
    return agree("cross.c10_initial_budget", "年初预算", [amount(case, "selfeval.funds.initial_budget")],
                 statements(case, "report.initial_budget"))
