"""Re-checking after an edit runs only the checks the edit can affect — and gives exactly what a full run
gives.  Checked on every fixture package, for a spread of corrected fields of every form."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from core.checks.registry import run_checks, run_checks_incremental
from core.pipeline import extract_case

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
DIRS = sorted(p for p in PACKAGES.glob("*") if (p / "expected.json").exists())


def _as_json(findings):
    return [json.dumps(f.to_json(), ensure_ascii=False, sort_keys=True) for f in findings]


@pytest.mark.parametrize("d", DIRS, ids=lambda p: p.name)
def test_incremental_recheck_equals_a_full_run(d):
    case = extract_case(sorted(d.glob("*.pdf")))
    run_checks_incremental(case)
    numeric = [f for f in case.fields if isinstance(f.value, Decimal)]
    # one field of every key family, then every 9th field
    by_family: dict[str, object] = {}
    for f in numeric:
        by_family.setdefault(f.key.split(".")[0] + "." + f.key.split(".")[1], f)
    sample = list(by_family.values()) + numeric[::9]
    assert len(sample) >= 5
    for f in sample:
        old = f.value
        f.value = old + Decimal("1.01")
        assert _as_json(run_checks_incremental(case)) == _as_json(run_checks(case)), f.key
        f.value = old
        assert _as_json(run_checks_incremental(case)) == _as_json(run_checks(case)), f.key


def test_a_structural_change_runs_everything():
    case = extract_case(sorted((PACKAGES / "yunxi_2024").glob("*.pdf")))
    before = _as_json(run_checks_incremental(case))
    removed = case.fields.pop()
    assert _as_json(run_checks_incremental(case)) == _as_json(run_checks(case))
    case.fields.append(removed)
    assert _as_json(run_checks_incremental(case)) == before
