"""The 决算情况说明's amounts against the 决算 tables (domain.md §4 情况说明): the amount stated for each
类 (``j_class_amounts``) and for each 科目 written “××（类）××（款）××（项）” (``j_item_amounts``) against the
一般公共预算财政拨款支出决算表 (or the 支出决算表).
"""

from __future__ import annotations

import re

from core.checks.accounts import amount, class_names, class_sum, col, lines
from core.checks.cross.reading import (
    agree,
    diff_wan,
    same,
    sentence,
    show,
    statements,
    subject,
    synthetic,
    unit_of,
)
from core.checks.messages import finding, fmt_money, num, rounding_note, severity_of, where
from core.checks.registry import check
from core.checks.tolerance import Match, compare_amounts
from core.model import AccountLine, Case, Field, Finding
from core.text import label_key


def _class_code_of(name: str) -> str | None:
    k = label_key(name).replace("类", "").replace("支出", "")
    for code, cname in class_names().items():
        if k and label_key(cname).replace("支出", "") == k:
            return code
    return None


@check(id="cross.j_class_amounts", severity="error", ref="domain §4 情况说明 (类 amounts)")
def j_class_amounts(case: Case) -> list[Finding]:
    """决算情况说明所述各类（功能分类 类级）支出金额 = 一般公共预算财政拨款支出决算表（或收入支出决算总表）该类合计。"""
    out: list[Finding] = []
    for f in statements(case, "report.class.amount"):
        code = _class_code_of(subject(f))
        if code is None:
            continue
        refs: list[Field] = []
        for table in ("t05", "t03"):
            got = class_sum(case, table, code)
            if got is not None:
                value, ls = got
                refs.append(synthetic(f"accounts.{table}.class.{code}", value, ls[0].unit, ls[0].source,
                                      code))
        refs += [x for t in ("t01", "t04") if (x := amount(case, f"accounts.{t}.class.{code}")) is not None]
        if not refs:
            continue
        out += agree("cross.j_class_amounts", f"{subject(f)}支出", refs[:1], [f], refs[1:])
    return out


_ITEM_PART = re.compile(r"([^（）()]+?)\s*[（(]\s*(类|款|项)\s*[）)]")


def _item_names(title: str) -> dict[str, str]:
    """"一般公共服务（类）组织事务（款）行政运行（项）" → {"类": "一般公共服务", "款": "组织事务", "项": "行政运行"}."""
    out: dict[str, str] = {}
    for m in _ITEM_PART.finditer(title):
        name = re.sub(r"^[\d一二三四五六七八九十]+[、.．]\s*", "", m.group(1).strip())
        out[m.group(2)] = name
    return out


def _match_line(case: Case, names: dict[str, str]) -> tuple[str, list[AccountLine]]:
    table = "t05" if lines(case, "t05") else "t03"
    leaves = [ln for ln in lines(case, table) if len(ln.code) == 7]
    target = label_key(names.get("项", ""))
    hits = [ln for ln in leaves if target and label_key(ln.name) == target]
    if len(hits) > 1 and names.get("款"):
        kuan = {ln.code for ln in lines(case, table)
                if len(ln.code) == 5 and label_key(ln.name) == label_key(names["款"])}
        hits = [ln for ln in hits if ln.code[:5] in kuan] or hits
    return table, hits


@check(id="cross.j_item_amounts", severity="error", ref="domain §4 情况说明 (科目 items), §6.2 #6")
def j_item_amounts(case: Case) -> list[Finding]:
    """决算情况说明逐项说明的科目（“××（类）××（款）××（项）”）：支出决算金额 = 一般公共预算财政拨款支出决算表该项科目
    小计；科目名称应与决算表一致（名称对不上而金额对应到其他科目时提示核对）。"""
    out: list[Finding] = []
    for f in statements(case, "report.item.final", ("决算说明",)):
        names = _item_names(subject(f) or sentence(f))
        if "项" not in names:
            continue
        table, hits = _match_line(case, names)
        if len(hits) == 1:
            ln = hits[0]
            ref = synthetic(f"accounts.{table}.line.{ln.code}", col(ln, "total"), ln.unit, ln.source,
                            f"{ln.code}{ln.name}")
            m = same(f, ref)
            if m != Match.EQUAL:
                out.append(finding(
                    "cross.j_item_amounts", severity_of(m),
                    f"{where(f)}“{names['项']}（项）”支出决算{show(f)}，{where(ln)}{ln.code}{ln.name}为"
                    f"{fmt_money(ref)}，相差{diff_wan(f, ref)}{rounding_note(m)}",
                    [f, ln], [num(f), col(ln, "total")]))
            continue
        if hits:
            continue  # the same 项 name under several 款: cannot tell which
        by_amount = [ln for ln in lines(case, table) if len(ln.code) == 7 and
                     compare_amounts(num(f), unit_of(f), col(ln, "total"), ln.unit) == Match.EQUAL]
        if len(by_amount) == 1:
            ln = by_amount[0]
            printed, named = label_key(names["项"]), label_key(ln.name)
            if len(printed) < 2 or named.endswith(printed) or named.startswith(printed):
                continue  # the title was cut (a line break before "出（项）"): not another 科目
            out.append(finding(
                "cross.j_item_amounts", "warning",
                f"{where(f)}说明的科目“{names['项']}（项）”在{where(ln)}中没有同名科目；金额{show(f)}对应的科目为"
                f"{ln.code}{ln.name}，科目名称不一致",
                [f, ln], [num(f), col(ln, "total")]))
    return out
