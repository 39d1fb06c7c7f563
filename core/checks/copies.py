"""Copied text across the district, as checks of the case (issue 20 §4).

Why it exists: what one package shares with another is found over the whole workspace (``core.copies``),
not from one case; the findings are kept in ``case.extra["district_copies"]`` by whoever compared the district
(the window as it opens a case of a workspace, ``main.py batch`` after reading every case).  Served by checks
of the catalogue, they are findings like any other: they survive every re-check after a correction, take the
reviewer's decisions, and go into the 问题清单 and the 复核意见.  A case never compared (opened alone, outside
a workspace) has none.

What it must not do: compare anything itself (a check sees one case), or raise on a damaged entry.
"""

from __future__ import annotations

from core.checks.registry import check
from core.model import Case, Finding
from core.passages import CHECK_FIGURES, CHECK_INDICATORS, CHECK_TEXT, CHECK_UNIT_NAME, COPIES_KEY

REF = "issue 20 §4（全区材料比对）"


def _kept(case: Case, check_id: str) -> list[Finding]:
    out = []
    for d in case.extra.get(COPIES_KEY) or []:
        if not isinstance(d, dict) or d.get("check") != check_id:
            continue
        try:
            out.append(Finding.from_json(d))
        except (KeyError, TypeError, ValueError):
            continue
    return out


@check(CHECK_TEXT, "warning", REF)
def copied_text(case: Case) -> list[Finding]:
    """A sentence of the narrative (at least 20 ideographs) that exactly one other unit of the district
    prints too, and that is no template text (not printed by three or more units, not the same template
    sentence with other figures, not mostly made of words three or more units print): the package may have
    been written from the other unit's.  One warning per copied paragraph, naming the other unit and page."""
    return _kept(case, CHECK_TEXT)


@check(CHECK_INDICATORS, "warning", REF)
def copied_indicators(case: Case) -> list[Finding]:
    """自评表 rows whose 三级指标 and 指标值 are exactly another unit's (and only that one unit's), where the
    三级指标 is specific (not one three or more units set, such as the 共性指标 and 满意度) — indicators copied
    instead of set from the unit's own duties.  One warning per other unit, listing the rows."""
    return _kept(case, CHECK_INDICATORS)


@check(CHECK_FIGURES, "warning", REF)
def copied_figures(case: Case) -> list[Finding]:
    """An activity figure of the narrative (a count or amount with what it counts, e.g. 服务对象1,236人次)
    that exactly one other unit states for the same thing, when the figure is distinctive (three or more
    significant digits, not a percentage, year or round number) and not inside a copied sentence already
    reported: the other unit's counts left in the report."""
    return _kept(case, CHECK_FIGURES)


@check(CHECK_UNIT_NAME, "warning", REF)
def other_unit_named(case: Case) -> list[Finding]:
    """The narrative names another unit of the district (its name as the workspace knows it, long forms
    such as 中国共产党…委员会 written short), outside the 部门概况's list of the units it is made of, and the
    name is not one that three or more units cite (区财政局): text left over from another unit's report."""
    return _kept(case, CHECK_UNIT_NAME)
