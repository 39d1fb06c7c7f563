"""The check catalogue: every check is registered with an id, a severity and its rule; each of the 基础数据表 /
决算 / cross-document checks has a failing input (in its own test module) that yields a Chinese message with
places; and an empty case gives no finding at all (no crash turned into an "info" finding).
"""

from __future__ import annotations

import re

import pytest

from core.checks.registry import CHECK_MODULES, all_checks, run_checks
from core.model import Case, Severity
from test_accounts import FAILING as ACCOUNTS_FAILING
from test_basic import FAILING as BASIC_FAILING
from test_cross import FAILING as CROSS_FAILING

FAILING = {**BASIC_FAILING, **ACCOUNTS_FAILING, **CROSS_FAILING}
OURS = ("core.checks.basic", "core.checks.accounts", "core.checks.cross")
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_check_has_id_severity_and_rule():
    checks = all_checks()
    assert checks
    for c in checks:
        assert c.id and "." in c.id, c
        assert c.severity in (Severity.ERROR, Severity.WARNING), c.id
        assert len(c.rule) >= 10, f"{c.id}: the docstring must state the rule"
        assert c.ref, f"{c.id}: where the rule comes from"


def family(c) -> str | None:
    """The ``CHECK_MODULES`` entry a check comes from: its module, or the package its module is in
    (``core.checks.cross.totals`` → ``core.checks.cross``)."""
    mod = c.fn.__module__
    return next((m for m in CHECK_MODULES if mod == m or mod.startswith(m + ".")), None)


def test_ids_are_unique_and_modules_listed():
    ids = [c.id for c in all_checks()]
    assert len(ids) == len(set(ids))
    for c in all_checks():
        assert family(c) in CHECK_MODULES, c.fn.__module__


def test_cross_checks_run_family_by_family():
    """The registry runs checks in registration order; ``core.checks.cross`` registers its families in the
    order its ``__init__`` imports them (an import sorter that put them in alphabetical order would change
    the order of the findings)."""
    cross = [c for c in all_checks() if family(c) == "core.checks.cross"]
    families = [c.fn.__module__.rsplit(".", 1)[1] for c in cross]
    assert list(dict.fromkeys(families)) == ["totals", "projects", "income", "sangong", "spending",
                                             "project_budgets", "people", "package", "accounts_text"]
    assert families == sorted(families, key=families.index)  # each family's checks together
    assert [c.id for c in cross[:2]] == ["cross.c01_total_spending", "cross.c01_total_income"]


def test_every_one_of_our_checks_has_a_failing_input():
    ours = {c.id for c in all_checks() if family(c) in OURS}
    assert ours == set(FAILING)


@pytest.mark.parametrize("check_id", sorted(FAILING))
def test_failing_input_gives_a_chinese_message_with_places(check_id):
    info = next(c for c in all_checks() if c.id == check_id)
    found = run_checks(FAILING[check_id](), only={check_id})
    assert found, check_id
    order = [Severity.WARNING, Severity.ERROR]
    for f in found:
        assert f.check == check_id
        assert CJK.search(f.message) and "None" not in f.message, f.message
        assert f.locations and f.keys, f
        assert order.index(f.severity) <= order.index(info.severity), "never above the registered severity"


def test_empty_case_gives_nothing():
    assert run_checks(Case()) == []


def test_odd_data_never_crashes():
    """Text where a number is expected, zero denominators, lines without columns: no "info" crash findings."""
    from decimal import Decimal

    from core.model import AccountLine, Field, SourceRef

    src = SourceRef("d1", 1, (0.0, 0.0, 1.0, 1.0))
    fields = [Field(key=k, value=v, unit=u, raw="", source=src) for k, v, u in (
        ("basic.staff.authorized", Decimal(0), "人"), ("basic.staff.actual", "二十", "人"),
        ("basic.staff.control_rate", Decimal(0), "%"), ("basic.public.budget", Decimal(0), "万元"),
        ("basic.public.final", Decimal(5), "万元"), ("selfeval.funds.initial_budget", Decimal(0), "万元"),
        ("selfeval.funds.annual_budget", Decimal(5), "万元"), ("accounts.t01.income_total", "—", "元"),
        ("accounts.t09.budget.total", Decimal(0), "元"), ("report.stated_ratio", Decimal(100), "%"),
        ("report.sangong.budget", Decimal(0), "万元"), ("report.item.final", Decimal(1), "万元"),
        ("report.project.budget", Decimal(1), ""), ("report.staff.actual", None, "人"))]
    lines = [AccountLine("t03", "", "合计", {}, "元", src), AccountLine("t03", "201", "", {"total": None}, "",
                                                                     src)]
    found = run_checks(Case(fields=fields, account_lines=lines))
    assert not [f for f in found if f.severity == Severity.INFO]
