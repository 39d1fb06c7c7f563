"""Tolerances, as data (``resources/tolerances.json``) and the comparisons that use them.

Why it exists: every check compares numbers printed at different precisions and in different units; doing
it in one place keeps the rules explainable ("a figure converted from 元 to 万元 may differ by 0.01") and
the same everywhere.  It never hides a difference: a comparison answers EQUAL, ROUNDING (report as a
warning, 尾数差异) or DIFFERENT (an error).
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


def compare_money(a: Decimal, a_unit: str, b: Decimal, b_unit: str, *, converted: bool | None = None) -> Match:
    """Compare two amounts in 万元 at 0.01.  Equal after rounding both to 0.01 万元 → EQUAL; off by at most
    the conversion tolerance (0.01) when either side was printed in 元 or at more precision, or the
    between-tables rounding tolerance → ROUNDING; otherwise DIFFERENT."""
    wa, wb = to_wan(a, a_unit), to_wan(b, b_unit)
    ra, rb = round_to(wa, 2), round_to(wb, 2)
    if ra == rb:
        return Match.EQUAL
    diff = abs(ra - rb)
    tol = max(tolerances()["conversion_wan"], tolerances()["rounding_between_tables"])
    return Match.ROUNDING if diff <= tol else Match.DIFFERENT


def compare_sum(total: Decimal, parts: list[Decimal], *, printed_places: int = 2) -> Match:
    """Compare a printed total with the sum of printed parts.  Exact → EQUAL; off by no more than one unit
    in the last printed place, and by no more than n × half a unit → ROUNDING; otherwise DIFFERENT."""
    s = sum(parts, Decimal(0))
    diff = abs(total - s)
    if diff == 0:
        return Match.EQUAL
    unit = Decimal(1).scaleb(-printed_places)
    if diff <= max(unit, unit / 2 * len(parts)) and diff <= unit * 2:
        return Match.ROUNDING
    return Match.DIFFERENT


def compare_percent(stated: Decimal, computed: Decimal) -> Match:
    """A stated percentage against the recomputed one, at the stated precision: equal when the computed
    value rounds to the stated one; one unit in the last printed place away → ROUNDING; else DIFFERENT."""
    n = places(stated)
    r = round_to(computed, n)
    if r == stated:
        return Match.EQUAL
    if abs(r - stated) <= Decimal(1).scaleb(-n):
        return Match.ROUNDING
    return Match.DIFFERENT


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
    that last place → ROUNDING (a 尾数差异: report it as a warning), unless both were printed in 元, where
    tables are exact to the 分 (``yuan_exact``).  Otherwise DIFFERENT.
    """
    wa, wb = to_wan(a, a_unit), to_wan(b, b_unit)
    n = min(wan_places(a, a_unit), wan_places(b, b_unit))
    ra, rb = round_to(wa, n), round_to(wb, n)
    if ra == rb:
        return Match.EQUAL
    if a_unit == "元" and b_unit == "元":
        return Match.DIFFERENT
    return Match.ROUNDING if abs(ra - rb) <= Decimal(1).scaleb(-n) else Match.DIFFERENT


def compare_table_sum(total: Decimal, parts: list[Decimal], unit: str) -> Match:
    """A total and its parts printed in one table (same unit).  A table in 元 is exact to the 分: any
    difference is DIFFERENT.  A table in 万元 (or another rounded unit) rounds each figure, so a sum may be
    off by the rounding of its parts: ``compare_sum`` at the printed precision decides."""
    if unit == "元":
        exact = abs(total - sum(parts, Decimal(0))) <= tolerances()["yuan_exact"]
        return Match.EQUAL if exact else Match.DIFFERENT
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
