"""The one catalogue of consistency checks, and the runner.

A check is a plain function ``check(case) -> list[Finding]`` registered with ``@check(...)``: it states its
rule in its docstring, reports bad data as findings and never raises on it (beancount's validation style).
Modules register themselves on import; ``CHECK_MODULES`` lists them in the order they run, so the catalogue
is explicit and a test can list every check.  ``run_checks`` isolates checks from each other: a check that
crashes (a bug) becomes an "info" finding naming the check rather than taking the whole review down.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass, field
from typing import Callable

from core.model import READING, Case, Finding, Severity

log = logging.getLogger(__name__)

CheckFn = Callable[[Case], list[Finding]]

# Every module that defines checks; imported (in this order) by ``all_checks``.
CHECK_MODULES = (
    "core.checks.basic",      # 基础数据表 alone (domain §1.3)
    "core.checks.selfeval",   # 自评表 arithmetic and indicator sanity (§3.2, C11, C23–C28)
    "core.checks.accounts",   # 决算 公开01–09 identities (§4, I-01…I-09)
    "core.checks.cross",      # across documents (§5: C1–C17, C20–C22, C29–C35)
    "core.checks.narrative",  # narrative arithmetic and repeated statements (C18, C19, C30, C32–C34, C36)
)


@dataclass(frozen=True)
class CheckInfo:
    id: str
    severity: Severity
    ref: str  # where the rule comes from: "domain §5 C13", "I-01a", ...
    fn: CheckFn

    @property
    def rule(self) -> str:
        return (self.fn.__doc__ or "").strip()


_REGISTRY: dict[str, CheckInfo] = {}


def check(id: str, severity: Severity | str, ref: str = "") -> Callable[[CheckFn], CheckFn]:
    """Register a check.  ``severity`` is its default; a check may emit findings of lower severity
    (e.g. a 0.01 rounding difference as a warning) but never higher."""

    sev = Severity(severity)

    def deco(fn: CheckFn) -> CheckFn:
        if id in _REGISTRY and _REGISTRY[id].fn is not fn:
            raise ValueError(f"duplicate check id {id}")
        _REGISTRY[id] = CheckInfo(id, sev, ref, fn)
        return fn

    return deco


def all_checks() -> list[CheckInfo]:
    """Every registered check, in module order, then definition order."""
    for name in CHECK_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:  # a family not written yet must not stop the others
            if e.name != name:
                raise
    return list(_REGISTRY.values())


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def run_memo(case, name: str, compute: Callable[[], object]):
    """A value several checks compute from the same case in one run (the tables present, the narrative's
    figures by ref …), computed once per run.  While re-checking incrementally, a check served from the memo
    is credited with every field value the computation read, so it still re-runs when one of them changes."""
    real = getattr(case, "_case", case)
    memo = real.__dict__.setdefault("_run_memo", {})
    reads = getattr(case, "_reads", None)
    hit = memo.get(name)
    if hit is None:
        inner = _Reads()
        value = compute() if reads is None else compute_tracked(inner, compute)
        hit = memo[name] = (value, inner)
    if reads is not None:
        reads.absorb(hit[1])
    return hit[0]


def compute_tracked(inner: "_Reads", compute: Callable[[], object]):
    """Run ``compute`` noting the field values it reads in ``inner`` too (and in the check's own reads)."""
    READING.append(inner.ids)
    try:
        return compute()
    finally:
        READING.pop()


def _reset_memo(case: Case) -> None:
    case.__dict__.pop("_run_memo", None)


def _run_one(info: CheckInfo, case) -> list[Finding]:
    try:
        return list(info.fn(case) or [])
    except Exception as e:  # a bug in one check must not hide the findings of the others
        log.exception("check %s failed", info.id)
        return [Finding(check=info.id, severity=Severity.INFO,
                        message=f"检查“{info.id}”未能完成（程序错误：{type(e).__name__}），请人工核对相关数据")]


def run_checks(case: Case, only: set[str] | None = None) -> list[Finding]:
    """Run every check (or those in ``only``) on ``case`` and return all findings, errors first."""
    findings: list[Finding] = []
    _reset_memo(case)
    for info in all_checks():
        if only is not None and info.id not in only:
            continue
        findings.extend(_run_one(info, case))
    _reset_memo(case)
    findings.sort(key=lambda f: _ORDER[f.severity])
    return findings


# -- re-checking after an edit -------------------------------------------------------------------------------

@dataclass
class _Reads:
    """The ids of the fields whose value (or printed text) one check read: ``Field.value`` and ``Field.raw``
    note every read on ``core.model.READING`` while the check runs.  (A case whose fields have no ids is
    always checked in full.)"""

    ids: set = field(default_factory=set)

    def absorb(self, other: "_Reads") -> None:
        self.ids |= other.ids

    def touched_by(self, changed: set[str]) -> bool:
        return not self.ids.isdisjoint(changed)


class _TrackingCase:
    """The case as a check sees it while re-checking: the case itself, plus the check's reads for
    ``run_memo``."""

    def __init__(self, case: Case, reads: _Reads) -> None:
        object.__setattr__(self, "_case", case)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str):
        return getattr(self._case, name)


def run_checks_incremental(case: Case) -> list[Finding]:
    """The findings of every check, re-running only the checks an edit can affect.

    The first call runs everything and notes, per check, the fields whose values it read.  A later call
    compares the fields' values with the last run: if only values changed (a correction), checks that read
    none of the changed fields keep their findings; any other change (fields added or removed, indicators,
    account lines, documents) runs everything again.  A check that only looked at which fields exist
    (their keys, places, forms) depends on the structure, which a value edit does not change.  The result is
    the same list a full run gives (tests/core/checks/test_incremental.py compares them edit by edit)."""
    infos = all_checks()
    snap = {f.id or str(i): (d["key"], d["value"], d["raw"])  # (the stored values: nothing to note here)
            for i, f in enumerate(case.fields) for d in (f.__dict__,)}
    structure = (tuple(snap), _indicators_stamp(case), len(case.account_lines), len(case.documents),
                 tuple(i.id for i in infos))
    state = case.__dict__.get("_check_state")
    changed: set[str] | None = None
    if state is not None and state["structure"] == structure and all(f.id for f in case.fields):
        old = state["values"]
        changed = {fid for fid, now in snap.items() if old[fid] != now}
    results: dict[str, tuple[_Reads, list[Finding]]] = {}
    _reset_memo(case)
    for info in infos:
        prev = state["results"].get(info.id) if state is not None and changed is not None else None
        if prev is not None and not prev[0].touched_by(changed or set()):
            results[info.id] = prev
            continue
        reads = _Reads()
        READING.append(reads.ids)
        try:
            results[info.id] = (reads, _run_one(info, _TrackingCase(case, reads)))
        finally:
            READING.pop()
    _reset_memo(case)
    case.__dict__["_check_state"] = {"structure": structure, "values": snap, "results": results}
    findings = [f for info in infos for f in results[info.id][1]]
    findings.sort(key=lambda f: _ORDER[f.severity])
    return findings


def _indicators_stamp(case: Case) -> tuple:
    return tuple((i.id, i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.deviation)
                 for i in case.indicators)
