"""Tolerances, as data (``resources/tolerances.json``) and the comparisons that use them.

Why it exists: every check compares numbers printed at different precisions and in different units; doing
it in one place keeps the rules explainable ("a figure converted from 元 to 万元 may differ by 0.01") and
the same everywhere.  It never hides a difference: a comparison answers EQUAL, ROUNDING (report as a
warning, 尾数差异) or DIFFERENT (an error).
"""

from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal
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
