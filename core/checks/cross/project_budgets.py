"""C20: a project's 年初预算 in the 自评报告 against the 决算情况说明's 科目 that names it (domain.md §5,
§6.2 #10 #22): the same money cannot have a larger 年初预算 than its 科目, and a project's actual spending
above the 科目's 支出决算 is to be explained.  (Kept apart from ``projects`` so the checks run in the order
they always have: C20 comes after C17.)
"""

from __future__ import annotations

from core.checks.cross.projects import is_initial_project, projects
from core.checks.cross.reading import group_id, sentence, show, statements, subject, unit_of
from core.checks.messages import finding, num, where
from core.checks.registry import check
from core.checks.tolerance import Match, compare_amounts, to_wan
from core.model import Case, Finding
from core.text import label_key


def _name_variants(name: str) -> list[str]:
    k = label_key(name)
    out = [k] if len(k) >= 2 else []
    for suffix in ("专项工作经费", "专项经费", "补助经费", "工作经费", "经费", "专项", "资金"):
        if k.endswith(suffix) and len(k) - len(suffix) >= 3:
            out.append(k[: -len(suffix)])
    return out


def _mentions(text: str, name: str) -> bool:
    t = label_key(text)
    return any(v in t for v in _name_variants(name))


@check(id="cross.c20_project_initial_budget", severity="error", ref="domain §5 C20, §6.2 #10 #22")
def c20_project_initial_budget(case: Case) -> list[Finding]:
    """同一笔资金：自评报告称“年初预算项目”的年初预算金额，不得超过决算情况说明中提到该项目的科目的年初预算
    （如决算说明称“年初预算为0万元……人才经费预算时未纳入部门预算”）；项目实际支出超过该科目支出决算时提示核对口径。"""
    items = statements(case, "report.item.initial_budget", ("决算说明",))
    finals = statements(case, "report.item.final", ("决算说明",))
    if not items:
        return []
    out: list[Finding] = []
    for p in projects(case):
        name = subject(next(iter(p.values())))
        if not name:
            continue
        hits = [f for f in items if _mentions(sentence(f) + subject(f), name)]
        if len(hits) != 1:
            continue  # not named in the 决算 narrative, or named under several 科目: cannot pair
        item = hits[0]
        item_final = next((f for f in finals if (group_id(item) is not None and group_id(f) == group_id(item))
                           or (subject(f) and subject(f) == subject(item))), None)
        b, a = p.get("budget"), p.get("actual")
        where_item = f"{where(item)}“{subject(item) or '该科目'}”"
        if b is not None and is_initial_project(b):
            if to_wan(num(b), unit_of(b)) > to_wan(num(item), unit_of(item)):
                out.append(finding(
                    "cross.c20_project_initial_budget", "error",
                    f"{where(b)}称“{name}”为年初预算项目、年初预算{show(b)}，而{where_item}年初预算为{show(item)}"
                    f"（该科目说明提及此项资金）",
                    [b, item], [num(b), num(item)]))
        if a is not None and item_final is not None:
            if to_wan(num(a), unit_of(a)) > to_wan(num(item_final), unit_of(item_final)) and \
                    compare_amounts(num(a), unit_of(a), num(item_final), unit_of(item_final)) != Match.EQUAL:
                out.append(finding(
                    "cross.c20_project_initial_budget", "warning",
                    f"{where(a)}“{name}”实际支出{show(a)}，超过{where_item}支出决算{show(item_final)}，"
                    f"须说明其余部分列支的科目",
                    [a, item_final], [num(a), num(item_final)]))
    return out
