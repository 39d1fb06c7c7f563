"""Which known inconsistencies of a package (``expected.json``: ``seed_errors`` from domain.md §6 and
``injected`` errors) are named by the findings: the findings that mention any of an error's numbers or
words, taken together, must give (most of) the numbers that disagree.

Why it exists: the checks issue is judged on exactly this ("at least 90% of the known inconsistencies are
named by a finding (its values or message give the numbers that disagree)"); tests and developers measure
it the same way.  A number matches when it is equal after rounding to the printed precision of the
expected one (2912.13 names "2912.1").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.model import Case, Finding

_NUM = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
# entries that are not inconsistencies: things the tool must ignore (domain §6.3 #12 "[bookmark: _GoBack]")
NOT_FINDINGS = {"report.artifact"}


def _numbers(text: str) -> list[Decimal]:
    out = []
    for m in _NUM.findall(text):
        try:
            out.append(Decimal(m.replace(",", "")))
        except InvalidOperation:
            pass
    return out


def _squash(s: str) -> str:
    from core.text import collapse

    return "".join(collapse(s).split())


def _matches(expected: str, text: str, nums: list[Decimal]) -> bool:
    e = expected.strip().rstrip("%").replace(",", "")
    try:
        d = Decimal(e)
    except InvalidOperation:
        return _squash(expected) in _squash(text)
    exp = d.as_tuple().exponent
    places = -exp if isinstance(exp, int) and exp < 0 else 0
    q = Decimal(1).scaleb(-places)
    return any(n == d or (abs(n) >= 1 and n.quantize(q) == d) for n in nums)


def _text(f: Finding) -> str:
    return f.message + " " + " ".join(str(v) for v in f.values)


@dataclass
class Coverage:
    named: list[dict] = field(default_factory=list)
    missed: list[tuple[dict, list[str]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.named) + len(self.missed)

    @property
    def rate(self) -> float:
        return len(self.named) / self.total if self.total else 1.0


def known_errors(expected: dict) -> list[dict]:
    return [e for e in expected.get("seed_errors", []) + expected.get("injected", [])
            if e.get("check_family") not in NOT_FINDINGS]


def coverage(case: Case, expected: dict, *, share: float = 0.6) -> Coverage:
    """An error is named when the findings mentioning any of its values cover at least ``share`` of its
    values (all of them when it lists two or fewer)."""
    texts = [(_text(f), _numbers(_text(f))) for f in case.findings]
    out = Coverage()
    for err in known_errors(expected):
        values = [str(v) for v in err.get("values", [])]
        if not values:
            out.missed.append((err, []))
            continue
        related = [(t, n) for t, n in texts if any(_matches(v, t, n) for v in values)]
        covered = [v for v in values if any(_matches(v, t, n) for t, n in related)]
        need = len(values) if len(values) <= 2 else max(2, int(len(values) * share + 0.999))
        if len(covered) >= need:
            out.named.append(err)
        else:
            out.missed.append((err, [v for v in values if v not in covered]))
    return out
