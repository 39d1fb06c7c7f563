"""Tolerances, as data (``resources/tolerances.json``) and the comparisons that use them.

Why it exists: every check compares numbers printed at different precisions and in different units; doing
it in one place keeps the rules explainable ("a figure converted from 元 to 万元 may differ by 0.01") and
the same everywhere.  It never hides a difference: a comparison answers EQUAL, ROUNDING (report as a
warning, 尾数差异) or DIFFERENT (an error).

The one rounding rule (``judge``): figures are compared at the precision they were printed with.  A
difference that is zero at that precision is EQUAL (no finding at all); a difference no larger than the sum
of half a unit in the last printed place of every printed figure involved — at least one unit and at most two
units of the coarsest place — is ROUNDING (0.01 万元 between two figures printed to 2 decimals, a share off by
0.01 point); anything larger is DIFFERENT.  Every ``compare_*`` below goes through it, whatever the unit (a
table in 元 included), so the same difference is never an error in one check and a warning in another;
``core.checks.registry`` drops any finding whose stated difference is zero at its printed precision.
"""

from __future__ import annotations

import json
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import Enum
from functools import lru_cache

from core.resources import resource_path


class Match(str, Enum):
    EQUAL = "equal"
    ROUNDING = "rounding"  # within the rounding tolerance: a warning, 尾数差异
    DIFFERENT = "different"


@lru_cache(maxsize=1)
def tolerances() -> dict[str, Decimal]:
    data = json.loads(resource_path("tolerances.json").read_text(encoding="utf-8"))
    out: dict[str, Decimal] = {}
    for k, v in data.items():
        if isinstance(v, dict) and v.get("value") not in (None, "printed"):
            out[k] = Decimal(v["value"])
    return out


def to_wan(value: Decimal, unit: str) -> Decimal:
    """Money in 万元 from a value in ``unit`` (元, 万元, 亿元; "" is taken as 万元)."""
    if unit == "元":
        return value / Decimal(10000)
    if unit == "亿元":
        return value * Decimal(10000)
    return value


def places(d: Decimal) -> int:
    """Decimal places as printed: 88.23 → 2, 85 → 0, 8.8 → 1."""
    exp = d.as_tuple().exponent
    return -exp if isinstance(exp, int) and exp < 0 else 0


def round_to(d: Decimal, n: int) -> Decimal:
    return d.quantize(Decimal(1).scaleb(-n), rounding=ROUND_HALF_UP)


def unit_of_place(d: Decimal) -> Decimal:
    """One unit in the last printed place: 88.23 → 0.01, 85 → 1, 8.8 → 0.1."""
    return Decimal(1).scaleb(-places(d))


def rounding_limit(units: list[Decimal]) -> Decimal:
    """The largest difference rounding can explain between figures printed with these last-place ``units``
    (0 for a computed, exact figure): Σ half-units, but at least one and at most two units of the coarsest."""
    printed = [u for u in units if u > 0]
    if not printed:
        return Decimal(0)
    coarse = max(printed)
    half_sum = sum((u / 2 for u in printed), Decimal(0))
    return min(max(half_sum, coarse), coarse * 2)


def judge(diff: Decimal, units: list[Decimal]) -> Match:
    """THE rounding rule: ``diff`` (the absolute difference, already taken at the printed precision) of
    figures printed with last-place ``units`` → EQUAL when zero, ROUNDING (尾数差异, a warning) when within
    ``rounding_limit``, else DIFFERENT (an error)."""
    diff = abs(diff)
    if diff == 0:
        return Match.EQUAL
    return Match.ROUNDING if diff <= rounding_limit(units) else Match.DIFFERENT


def compare_money(a: Decimal, a_unit: str, b: Decimal, b_unit: str, *, converted: bool | None = None) -> Match:
    """Compare two amounts in 万元 at 0.01.  Equal after rounding both to 0.01 万元 → EQUAL; otherwise
    ``judge`` with both taken as printed to 0.01 万元 (0.01 apart → ROUNDING)."""
    wa, wb = to_wan(a, a_unit), to_wan(b, b_unit)
    ra, rb = round_to(wa, 2), round_to(wb, 2)
    cent = Decimal("0.01")
    return judge(ra - rb, [cent, cent])


def compare_sum(total: Decimal, parts: list[Decimal], *, printed_places: int = 2) -> Match:
    """Compare a printed total with the sum of printed parts, all printed to ``printed_places`` decimals:
    a difference rounding can explain — half a last-place unit per printed figure, at least one unit — is
    ROUNDING (24 科目 lines rounded to 0.01 may add up 0.03 away from their rounded total); more is DIFFERENT."""
    s = sum(parts, Decimal(0))
    unit = Decimal(1).scaleb(-printed_places)
    diff = abs(total - s)
    if diff and diff <= unit * (len(parts) + 1) / 2:
        return Match.ROUNDING  # each of n+1 rounded figures may be off by half a unit (tolerances.json rounding_per_part)
    return judge(diff, [unit] * (len(parts) + 1))


def compare_percent(stated: Decimal, computed: Decimal) -> Match:
    """A stated percentage against the recomputed one, at the stated precision: equal when the computed
    value rounds to the stated one; one unit in the last printed place away → ROUNDING (the computed value
    comes from printed, rounded amounts: "占9.55%" for 9.5575 is a 尾数差异); else DIFFERENT."""
    n = places(stated)
    r = round_to(computed, n)
    unit = Decimal(1).scaleb(-n)
    return judge(r - stated, [unit, unit])


# -- printed-precision comparisons (added for the 基础数据表 / 决算 / cross-document checks) -------------------

_MONEY_UNITS = {"元": 0, "千元": 1, "万元": 4, "亿元": 8}  # power of ten of one unit, in 元


def wan_places(value: Decimal, unit: str) -> int:
    """How many decimals of 万元 the printed ``value`` carries: 2,910.00 元 → 6, 701.92 万元 → 2, 0.3 万元 → 1,
    4.8279 亿元 → 0 (never negative)."""
    shift = 4 - _MONEY_UNITS.get(unit, 4)  # 元 → +4 decimals in 万元, 亿元 → −4
    return max(places(value) + shift, 0)


def compare_amounts(a: Decimal, a_unit: str, b: Decimal, b_unit: str) -> Match:
    """Two printed amounts of the same quantity, at the precision of the less precise one.

    Both are expressed in 万元 and rounded to the fewer decimals the two were printed with (the narrative's
    "0.3万元" is compared with 2,910.00 元 at one decimal: 0.3 = 0.3).  Equal → EQUAL.  One unit apart in
    that last place → ROUNDING (a 尾数差异: report it as a warning), whatever the units (``judge``).
    Otherwise DIFFERENT.
    """
    wa, wb = to_wan(a, a_unit), to_wan(b, b_unit)
    n = min(wan_places(a, a_unit), wan_places(b, b_unit))
    ra, rb = round_to(wa, n), round_to(wb, n)
    unit = Decimal(1).scaleb(-n)
    return judge(ra - rb, [unit, unit])


def compare_table_sum(total: Decimal, parts: list[Decimal], unit: str) -> Match:
    """A total and its parts printed in one table (same unit), at the finest precision printed (at least 2
    decimals): ``compare_sum``.  A table in 元 follows the same rule: a 0.01 元 difference is a 尾数差异."""
    n = max([places(total)] + [places(p) for p in parts] + [2])
    return compare_sum(total, parts, printed_places=n)


def compare_rate(stated: Decimal, computed: Decimal) -> Match:
    """A printed rate (控制率 95.10) against the recomputed one (95.1048…).  Forms either round or truncate
    to the printed decimals (wanglu sample: 136/143 printed 95.10); both are accepted as EQUAL.  Otherwise as
    ``compare_percent``."""
    n = places(stated)
    if computed.quantize(Decimal(1).scaleb(-n), rounding=ROUND_DOWN) == stated:
        return Match.EQUAL
    return compare_percent(stated, computed)


def threshold(name: str) -> Decimal:
    """A named limit from ``tolerances.json`` (e.g. ``budget_adjustment_rate_max`` = 30 percent)."""
    return tolerances()[name]
