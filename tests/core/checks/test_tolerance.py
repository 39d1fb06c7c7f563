"""The one rounding rule (core/checks/tolerance.py ``judge``) and where it is enforced for every check
(core/checks/registry.py ``settle``): a difference that is zero at the printed precision is no finding, a
0.01-level difference between printed figures is a 尾数差异 warning in every check, never an error.
"""

from __future__ import annotations

import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from core.checks.registry import run_checks, settle
from core.checks.tolerance import (
    Match, compare_amounts, compare_money, compare_percent, compare_sum, compare_table_sum, judge, rounding_limit,
)
from core.model import Finding, Severity
from core.pipeline import extract_case

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
DIRS = sorted(p for p in PACKAGES.glob("*") if (p / "expected.json").exists())
REAL = Path(__file__).resolve().parents[3].parent / "shared" / "real"


def test_rounding_limit_is_the_sum_of_half_units_between_one_and_two_units():
    cent = D("0.01")
    assert rounding_limit([cent, cent]) == cent  # two figures to 2 decimals: 0.01
    assert rounding_limit([cent] * 3) == D("0.015")
    assert rounding_limit([cent] * 30) == D("0.02")  # capped at two units of the coarsest place
    assert rounding_limit([D("0.1"), cent]) == D("0.1")  # at least one unit of the coarsest
    assert rounding_limit([]) == 0


def test_judge_equal_rounding_different():
    cent = D("0.01")
    assert judge(D(0), [cent, cent]) is Match.EQUAL
    assert judge(D("0.01"), [cent, cent]) is Match.ROUNDING
    assert judge(D("-0.01"), [cent, cent]) is Match.ROUNDING
    assert judge(D("0.02"), [cent, cent]) is Match.DIFFERENT


@pytest.mark.parametrize("a,ua,b,ub", [
    (D("3212936.97"), "元", D("3212936.96"), "元"),  # a table in 元: 0.01 元 is a 尾数差异 like anywhere else
    (D("1144.65"), "万元", D("1144.64"), "万元"),
    (D("11446500.00"), "元", D("1144.64"), "万元"),
])
def test_the_same_cent_difference_is_rounding_in_every_comparison(a, ua, b, ub):
    assert compare_amounts(a, ua, b, ub) is Match.ROUNDING
    if "万元" in (ua, ub):  # compare_money compares in 万元 at 0.01: a 0.01 元 difference vanishes there
        assert compare_money(a, ua, b, ub) is Match.ROUNDING
    if ua == ub:
        assert compare_table_sum(a, [b], ua) is Match.ROUNDING
        assert compare_sum(a, [b]) is Match.ROUNDING


def test_a_real_difference_stays_an_error_in_yuan_and_wan():
    assert compare_table_sum(D("3212936.97"), [D("3212900.97")], "元") is Match.DIFFERENT
    assert compare_amounts(D("1674.52"), "万元", D("1662.52"), "万元") is Match.DIFFERENT
    assert compare_sum(D("105.58"), [D("95.36"), D("10.23")]) is Match.ROUNDING  # real Shanghai 基本支出
    assert compare_sum(D("105.58"), [D("95.36"), D("10.25")]) is Match.DIFFERENT


def test_share_off_by_one_hundredth_of_a_point_is_rounding():
    # 社会工作部 2024: 住房保障支出 29.42 / 307.82 = 9.5575% printed "占9.55%"
    assert compare_percent(D("9.55"), D("29.42") / D("307.82") * 100) is Match.ROUNDING
    assert compare_percent(D("70.35"), D("68.85")) is Match.DIFFERENT
    assert compare_percent(D("9.56"), D("29.42") / D("307.82") * 100) is Match.EQUAL


def test_settle_drops_zero_differences_and_demotes_rounding_errors():
    zero = Finding("x", Severity.ERROR, "公开05第12页合计为105.58万元，公开06为105.58万元，相差0.00万元")
    zero_yuan = Finding("x", Severity.WARNING, "……相差0元")
    rounding = Finding("x", Severity.ERROR, "……相差0.01万元（尾数差异）")
    real = Finding("x", Severity.ERROR, "……相差12.00万元")
    small = Finding("x", Severity.ERROR, "……相差0.001万元")
    out = settle([zero, zero_yuan, rounding, real, small])
    assert out == [rounding, real, small]
    assert rounding.severity is Severity.WARNING
    assert real.severity is Severity.ERROR


_ZERO = re.compile(r"相差\s*[-−]?0(?:\.0+)?\s*(?:万元|元|分|个百分点|%)")
_DIFF = re.compile(r"相差\s*(\d+(?:\.\d+)?)\s*(万元|元)")


def _findings_of_everything():
    for d in DIRS:
        case = extract_case(sorted(d.glob("*.pdf")))
        yield d.name, run_checks(case)
    real = REAL / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
    if real.exists():  # the shared corpus beside the checkout (as every real-document test reads it)
        yield real.name, run_checks(extract_case([real]))


def test_no_finding_of_any_check_on_any_fixture_states_a_zero_or_cent_level_error():
    """Every check's output on every fixture package and the real 决算: no "相差0.00万元", no 尾数差异 as an
    error, no error whose whole difference is one cent (0.01 万元 or 0.01 元)."""
    seen = 0
    bad = []
    for name, findings in _findings_of_everything():
        for f in findings:
            seen += 1
            if _ZERO.search(f.message):
                bad.append((name, f.check, f.message))
            if f.severity is Severity.ERROR:
                if "尾数差异" in f.message:
                    bad.append((name, f.check, f.message))
                diffs = [D(m.group(1)) for m in _DIFF.finditer(f.message)]
                if diffs and all(x <= D("0.01") for x in diffs):
                    bad.append((name, f.check, f.message))
    assert seen > 100
    assert bad == []
