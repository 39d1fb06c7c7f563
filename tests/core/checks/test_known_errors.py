"""The checks find the inconsistencies really present in the packages — the seed errors of domain.md §6
and the injected ones, listed in each fixture's expected.json — and nothing on a package that agrees.

Measured as the checks issue measures it: an error is named when the findings that mention its numbers
give the numbers that disagree (tools/evaluation_findings.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.evaluation_findings import coverage, known_errors
from core.model import Severity
from core.pipeline import extract_case

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
DIRS = sorted(p for p in PACKAGES.glob("*") if (p / "expected.json").exists())
_cases: dict[Path, tuple] = {}


def _load(d: Path):
    if d not in _cases:
        _cases[d] = (extract_case(sorted(d.glob("*.pdf"))), json.loads((d / "expected.json").read_text("utf-8")))
    return _cases[d]


def test_at_least_90_percent_of_known_errors_are_named():
    named = total = 0
    missed = []
    for d in DIRS:
        case, expected = _load(d)
        c = coverage(case, expected)
        named += len(c.named)
        total += c.total
        missed += [(d.name, e.get("id"), e.get("check_family"), m) for e, m in c.missed]
    assert total >= 50
    assert named / total >= 0.90, f"{named}/{total} named; missed: {missed}"


@pytest.mark.parametrize("d", [d for d in DIRS if json.loads((d / "expected.json").read_text("utf-8"))
                               .get("expect_no_errors")], ids=lambda p: p.name)
def test_a_package_whose_figures_agree_has_no_error_finding(d):
    case, _ = _load(d)
    errors = [f.message for f in case.findings if f.severity is Severity.ERROR]
    assert errors == []


@pytest.mark.parametrize("d", [d for d in DIRS if json.loads((d / "expected.json").read_text("utf-8"))
                               .get("injected")], ids=lambda p: p.name)
def test_every_injected_error_is_named(d):
    case, expected = _load(d)
    injected = {"injected": expected["injected"]}
    c = coverage(case, injected)
    assert not c.missed, [(e.get("id"), e.get("check_family"), m) for e, m in c.missed]


def test_seed_errors_per_seed_package():
    """Each seed package: its §6 errors are named (the few text-judgement ones allowed to slip)."""
    for name, at_least in (("yunxi_2024", 1.0), ("tianyuan_2024", 0.95), ("lingling_2024", 1.0)):
        case, expected = _load(PACKAGES / name)
        c = coverage(case, {"seed_errors": expected["seed_errors"]})
        assert len(known_errors({"seed_errors": expected["seed_errors"]})) == c.total
        assert c.rate >= at_least, (name, [(e.get("id"), m) for e, m in c.missed])
