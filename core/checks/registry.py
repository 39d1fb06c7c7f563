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

from core.model import Case, Finding, Severity

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
    is credited with everything the computation read, so it still re-runs when those inputs change."""
    real = getattr(case, "_case", case)
    memo = real.__dict__.setdefault("_run_memo", {})
    reads = getattr(case, "_reads", None)
    hit = memo.get(name)
    if hit is None:
        inner = _Reads()
        value = compute() if reads is None else compute_tracked(real, inner, compute)
        hit = memo[name] = (value, inner)
    if reads is not None:
        reads.absorb(hit[1])
    return hit[0]


def compute_tracked(real: Case, inner: "_Reads", compute: Callable[[], object]):
    """Run ``compute`` (a closure over a tracking view) noting its reads in ``inner`` too."""
    _ACTIVE.append(inner)
    try:
        return compute()
    finally:
        _ACTIVE.pop()


_ACTIVE: list["_Reads"] = []  # reads of memoised computations under way (nested, in run order)


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
    """What one check looked at: keys asked by name, key prefixes, or whole collections."""

    keys: set = field(default_factory=set)
    prefixes: set = field(default_factory=set)
    all_fields: bool = False

    def absorb(self, other: "_Reads") -> None:
        self.keys |= other.keys
        self.prefixes |= other.prefixes
        self.all_fields = self.all_fields or other.all_fields

    def touched_by(self, changed: set[str]) -> bool:
        if self.all_fields:
            return True
        return any(k in self.keys or any(k.startswith(p) for p in self.prefixes) for k in changed)


class _TrackingCase:
    """The case as a check sees it while the runner notes what it reads (``Case.all/first/value`` by key,
    ``with_prefix`` by prefix; touching ``fields`` itself means "everything").  Everything else is the
    case's own attribute."""

    def __init__(self, case: Case, reads: _Reads) -> None:
        object.__setattr__(self, "_case", case)
        object.__setattr__(self, "_reads", reads)

    def _note(self) -> list["_Reads"]:
        return [self._reads, *_ACTIVE]

    def all(self, key: str):
        for r in self._note():
            r.keys.add(key)
        return self._case.all(key)

    def first(self, key: str):
        for r in self._note():
            r.keys.add(key)
        return self._case.first(key)

    def value(self, key: str):
        for r in self._note():
            r.keys.add(key)
        return self._case.value(key)

    def with_prefix(self, prefix: str):
        for r in self._note():
            r.prefixes.add(prefix)
        return self._case.with_prefix(prefix)

    def __getattr__(self, name: str):
        if name == "fields":
            for r in self._note():
                r.all_fields = True
        return getattr(self._case, name)


def run_checks_incremental(case: Case) -> list[Finding]:
    """The findings of every check, re-running only the checks an edit can affect.

    The first call runs everything and notes, per check, what it read.  A later call compares the
    fields' values with the last run: if only values changed (a correction), checks that read none of the
    changed keys keep their findings; any other change (fields added or removed, indicators, account
    lines, documents) runs everything again.  The result is the same list a full run gives."""
    infos = all_checks()
    snap = {f.id or str(i): (f.key, f.value) for i, f in enumerate(case.fields)}
    structure = (tuple(snap), _indicators_stamp(case), len(case.account_lines), len(case.documents),
                 tuple(i.id for i in infos))
    state = case.__dict__.get("_check_state")
    changed: set[str] | None = None
    if state is not None and state["structure"] == structure:
        changed = {key for fid, (key, value) in snap.items() if state["values"][fid] != (key, value)}
    results: dict[str, tuple[_Reads, list[Finding]]] = {}
    _reset_memo(case)
    for info in infos:
        prev = state["results"].get(info.id) if state is not None and changed is not None else None
        if prev is not None and not prev[0].touched_by(changed or set()):
            results[info.id] = prev
            continue
        reads = _Reads()
        results[info.id] = (reads, _run_one(info, _TrackingCase(case, reads)))
    _reset_memo(case)
    case.__dict__["_check_state"] = {"structure": structure, "values": snap, "results": results}
    findings = [f for info in infos for f in results[info.id][1]]
    findings.sort(key=lambda f: _ORDER[f.severity])
    return findings


def _indicators_stamp(case: Case) -> tuple:
    return tuple((i.id, i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.deviation)
                 for i in case.indicators)
