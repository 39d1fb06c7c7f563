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


@pytest.mark.parametrize("name", ["tianyuan_2024", "variant_injected_2024", "split_files_2024"])
def test_every_kind_of_edit_gives_what_a_full_run_gives(name):
    """Every 5th field of the package (every form, narrative figures included), set to another number, to
    blank (the reviewer clears a cell: the field stops taking part in comparisons) and to text, one after
    another without putting them back, so the edits pile up as a reviewer's would."""
    case = extract_case(sorted((PACKAGES / name).glob("*.pdf")))
    run_checks_incremental(case)
    for n, f in enumerate(case.fields[::5]):
        f.value = (f.value + Decimal("7.3") if isinstance(f.value, Decimal) else Decimal("12.5"),
                   None, "无")[n % 3]
        f.raw = str(f.value or "")
        assert _as_json(run_checks_incremental(case)) == _as_json(run_checks(case)), (f.key, f.value)


def test_an_edit_re_runs_only_the_checks_that_read_the_field():
    """The 实有人数 of the 基础数据表 is read by the few staff checks, not by the 决算 or 自评表 checks."""
    import core.checks.registry as registry

    case = extract_case(sorted((PACKAGES / "yunxi_2024").glob("*.pdf")))
    run_checks_incremental(case)
    ran: list[str] = []
    real = registry._run_one
    registry._run_one = lambda info, c: ran.append(info.id) or real(info, c)
    try:
        staff = case.first("basic.staff.actual")
        staff.value += 1
        run_checks_incremental(case)
    finally:
        registry._run_one = real
    assert ran and len(ran) <= 8, ran
    assert all(not c.startswith(("accounts.", "selfeval.")) for c in ran), ran



def test_invalidated_checks_run_again_and_only_they(monkeypatch):
    """A change the runner cannot see (what a check reads from ``case.extra``: the district's copy findings)
    is told with ``invalidate``: the named checks run again, the others keep their findings; with no ids,
    everything runs."""
    import core.checks.registry as registry

    case = extract_case(sorted((PACKAGES / "yunxi_2024").glob("*.pdf")))
    run_checks_incremental(case)
    ran: list[str] = []
    real = registry._run_one
    monkeypatch.setattr(registry, "_run_one", lambda info, c: ran.append(info.id) or real(info, c))
    run_checks_incremental(case)
    assert ran == []  # nothing changed, nothing runs
    registry.invalidate(case, ["copies.text", "basic.sangong_sum"])
    run_checks_incremental(case)
    assert sorted(ran) == ["basic.sangong_sum", "copies.text"]
    ran.clear()
    registry.invalidate(case)
    assert _as_json(run_checks_incremental(case)) == _as_json(run_checks(case))
    assert len(set(ran)) == len([i for i in registry.all_checks() if i.id not in registry.disabled_checks(case)])
