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
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Callable, Iterable

from core.model import (
    Case,
    Field,
    Finding,
    Severity,
    compute_tracked,
    note_reads,
    tracking,
    uncertainty,
)
from core.numbers import MONEY_UNITS, to_wan

log = logging.getLogger(__name__)

CheckFn = Callable[[Case], list[Finding]]

# Every module that defines checks; imported (in this order) by ``all_checks``.
CHECK_MODULES = (
    "core.checks.basic",      # 基础数据表 alone (domain §1.3)
    "core.checks.selfeval",   # 自评表 arithmetic and indicator sanity (§3.2, C11, C23–C28)
    "core.checks.accounts",   # 决算 公开01–09 identities (§4, I-01…I-09)
    "core.checks.cross",      # across documents (§5: C1–C17, C20–C22, C29–C35)
    "core.checks.narrative",  # narrative arithmetic and repeated statements (C18, C19, C30, C32–C34, C36)
    "core.checks.indicator_quality",  # 指标设置合理性: the indicator rules of resources/indicator_rules.json
    "core.checks.copies",     # copied text across the district (core.copies; issue 20 §4)
)

DISTRICT_EXTRA = "district"
"""``case.extra[DISTRICT_EXTRA]`` is the district's profile as JSON (``core.district.DistrictProfile.to_json``):
the runner skips every check whose id is in its ``disabled_rules``, and every check off by default
(``DEFAULT_OFF``) not in its ``enabled_rules``.  Set by whoever opens the case (the command line's
``--district`` or the workspace's profile, the window's preferences); kept in ``extra`` so a copy of the case
(the export's re-run on the values as extracted) checks with the same rules."""

DEFAULT_OFF: set[str] = set()
"""Checks that run only where a district switches them on (a rule whose ``enabled_by_default`` is false;
check modules add their ids when imported)."""


def disabled_checks(case: Case) -> frozenset[str]:
    """The ids of the checks that do not run on the case: those its district switched off, and those off by
    default that it did not switch on."""
    all_checks()  # every check module imported: DEFAULT_OFF is complete

    def ids(name: str) -> frozenset[str]:
        got = profile.get(name) if isinstance(profile, dict) else None
        return frozenset(r for r in got if isinstance(r, str)) if isinstance(got, list) else frozenset()

    extra = getattr(case, "extra", None)
    profile = extra.get(DISTRICT_EXTRA) if isinstance(extra, dict) else None
    return ids("disabled_rules") | (frozenset(DEFAULT_OFF) - ids("enabled_rules"))


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
    """Every registered check, in module order (``CHECK_MODULES``), then definition order — whichever module
    happened to be imported first (a test, a tool), so findings come in the same order in every process and
    the window's workbook equals the command line's."""
    for name in CHECK_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as e:  # a family not written yet must not stop the others
            if e.name != name:
                raise
    rank = {name: i for i, name in enumerate(CHECK_MODULES)}
    return sorted(_REGISTRY.values(), key=lambda c: rank.get(c.fn.__module__, len(rank)))  # stable


_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def run_memo(case, name: str, compute: Callable[[], object]):
    """A value several checks compute from the same case in one run (the tables present, the narrative's
    figures by ref …), computed once per run.  While re-checking incrementally, a check served from the memo
    is credited with every field value the computation read, so it still re-runs when one of them changes."""
    memo = case.__dict__.get("_run_memo")
    if memo is None:  # called outside a run of the checks (by the export, say): nothing to share it with
        return compute()
    hit = memo.get(name)
    if hit is None:
        inner: set[str] = set()
        value = compute_tracked(inner, compute) if tracking() else compute()
        memo[name] = (value, inner)
        return value
    note_reads(hit[1])
    return hit[0]


def structure_memo(case: Case, name: str, compute: Callable[[], object]):
    """A value that depends only on which fields the case has (their keys, forms, places, words), not on
    their values, kept on the case from run to run while its list of fields is the same: grouping the
    statements of a long package is then paid once, not at every edit.  A computation that turns out to
    read a value is not kept beyond the run (``run_memo``)."""
    stamp = case.structure_stamp()
    kept = case.__dict__.setdefault("_structure_memo", {})
    hit = kept.get(name)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    probe: set[str] = set()
    value = compute_tracked(probe, compute)
    if probe:  # it read values after all: share it within this run only
        kept.pop(name, None)
        memo = case.__dict__.get("_run_memo")
        if memo is not None:
            memo[name] = (value, probe)
        return value
    kept[name] = (stamp, value)
    return value


def _begin_run(case: Case) -> None:
    """A fresh memo for this run (``run_memo``; ``core.scoring.selfeval.analyse`` keeps its result there)."""
    case.__dict__["_run_memo"] = {}


def _end_run(case: Case) -> None:
    case.__dict__.pop("_run_memo", None)


_ZERO_DIFF = re.compile(r"相差\s*[-−]?0(?:\.0+)?\s*(?:万元|元|千元|亿元|分|个百分点|%|人|个|次|项)")
_ROUNDING_WORD = "尾数差异"


def settle(findings: list[Finding]) -> list[Finding]:
    """The rounding rule applied once, where every check's findings pass (``core.checks.tolerance.judge``):
    a finding whose stated difference is zero at the printed precision ("相差0.00万元") is no finding; a
    finding that calls itself a 尾数差异 is a warning, never an error."""
    out: list[Finding] = []
    for f in findings:
        if _ZERO_DIFF.search(f.message):
            log.debug("dropped a zero-difference finding of %s: %s", f.check, f.message)
            continue
        if f.severity == Severity.ERROR and _ROUNDING_WORD in f.message:
            f.severity = Severity.WARNING
        out.append(f)
    return out


def _run_one(info: CheckInfo, case) -> list[Finding]:
    try:
        found = settle(list(info.fn(case) or []))
    except Exception as e:  # a bug in one check must not hide the findings of the others
        log.exception("check %s failed", info.id)
        return [Finding(check=info.id, severity=Severity.INFO,
                        message=f"检查“{info.id}”未能完成（程序错误：{type(e).__name__}），请人工核对相关数据")]
    return [_certain_or_warning(f, case) for f in found]


def _places(case: Case) -> dict[tuple, list[Field]]:
    """The fields printed at each (doc, page, box): how a finding's locations lead back to its figures."""
    stamp = case.structure_stamp()
    hit = case.__dict__.get("_places")
    if hit is not None and hit[0] == stamp:
        return hit[1]
    index: dict[tuple, list[Field]] = {}
    for f in case.fields:
        s = f.source
        index.setdefault((s.doc, s.page, tuple(s.bbox)), []).append(f)
    case.__dict__["_places"] = (stamp, index)
    return index


def _statement(f: Field) -> tuple:
    """The sentence a narrative figure was printed in (a table cell: its own place)."""
    return (f.source.doc, f.form, f.attrs.get("sentence") or (f.source.page, tuple(f.source.bbox)))


def _exceeds(f: Field, others: list[Field]) -> bool:
    """Whether money figure ``f`` is larger than every one of ``others`` (all in money units)."""
    def wan(x: Field) -> Decimal | None:
        return to_wan(x.value, x.unit) if isinstance(x.value, Decimal) and x.unit in MONEY_UNITS else None
    mine, theirs = wan(f), [wan(g) for g in others]
    return mine is not None and bool(theirs) and all(t is not None and mine > t for t in theirs)


def _certain_or_warning(finding: Finding, case: Case) -> Finding:
    """Severity from certainty: an error only when every figure it names was read from an unambiguous place
    (``core.model.uncertainty``).  An error that rests on an uncertain figure — a narrative figure whose
    scope or period is unclear, a low-confidence OCR reading — is a warning saying what to look at."""
    if finding.severity is not Severity.ERROR or not finding.locations:
        return finding
    index = _places(case)
    whys: list[str] = []
    located = [f for loc in finding.locations for f in index.get((loc.doc, loc.page, tuple(loc.bbox)), ())]
    for f in located:
        why = uncertainty(f)
        scope = None if why else f.attrs.get("section_scope")
        others = [g for g in located if _statement(g) != _statement(f)] if scope else []
        if others and not _exceeds(f, others):
            # a figure under a heading that names a fund ("一般公共预算财政拨款基本支出决算情况说明"): its own
            # sentence's arithmetic holds or not, but set against a figure printed elsewhere it may be the fund's
            # part of it — unless it is larger than every other figure (a part is never more than its whole)
            why = f"在“{scope}”的口径下，可能只是该口径的数"
        if why:
            whys.append(f"{f.label or f.key}：{why}")
    if not whys:
        return finding
    note = "；".join(dict.fromkeys(whys))
    return replace(finding, severity=Severity.WARNING,
                   message=f"{finding.message}（所涉数字口径不明确，请核对：{note}）")


def run_checks(case: Case, only: set[str] | None = None) -> list[Finding]:
    """Run every check (or those in ``only``) on ``case`` and return all findings, errors first.  Checks the
    case's district switched off (``disabled_checks``) do not run."""
    findings: list[Finding] = []
    off = disabled_checks(case)
    _begin_run(case)
    for info in all_checks():
        if (only is not None and info.id not in only) or info.id in off:
            continue
        findings.extend(_run_one(info, case))
    _end_run(case)
    findings.sort(key=lambda f: _ORDER[f.severity])
    return findings


# -- re-checking after an edit -------------------------------------------------------------------------------

@dataclass
class _Reads:
    """The ids of the fields whose value (or printed text) one check read: ``Field.value`` and ``Field.raw``
    note every read on this thread's stack of read sets (``core.model._READS``) while the check runs.  (A case whose fields have no ids is
    always checked in full.)"""

    ids: set = field(default_factory=set)

    def touched_by(self, changed: set[str]) -> bool:
        return not self.ids.isdisjoint(changed)


def run_checks_incremental(case: Case) -> list[Finding]:
    """The findings of every check, re-running only the checks an edit can affect.

    The first call runs everything and notes, per check, the fields whose values it read.  A later call
    compares the fields' values with the last run: if only values changed (a correction), checks that read
    none of the changed fields keep their findings; any other change (fields added or removed, indicators,
    account lines, documents) runs everything again.  A check that only looked at which fields exist
    (their keys, places, forms) depends on the structure, which a value edit does not change.  The result is
    the same list a full run gives (tests/core/checks/test_incremental.py compares them edit by edit)."""
    off = disabled_checks(case)  # a change of the district's rules changes the ids below: everything re-runs
    infos = [i for i in all_checks() if i.id not in off]
    # the stored values (nothing to note) and how certain each figure is: a figure the reviewer has now vouched
    # for (core.model.REVIEWED_ATTR) re-runs the checks that read it, whose findings may become errors
    snap = {f.id or str(i): (d["key"], d["value"], d["raw"], uncertainty(f))
            for i, f in enumerate(case.fields) for d in (f.__dict__,)}
    structure = (tuple(snap), _indicators_stamp(case), len(case.account_lines), len(case.documents),
                 tuple(i.id for i in infos))
    state = case.__dict__.get("_check_state")
    changed: set[str] | None = None
    if state is not None and state["structure"] == structure and all(f.id for f in case.fields):
        old = state["values"]
        changed = {fid for fid, now in snap.items() if old[fid] != now}
    results: dict[str, tuple[_Reads, list[Finding]]] = {}
    _begin_run(case)
    for info in infos:
        prev = state["results"].get(info.id) if state is not None and changed is not None else None
        if prev is not None and not prev[0].touched_by(changed or set()):
            results[info.id] = prev
            continue
        reads = _Reads()
        results[info.id] = (reads, compute_tracked(reads.ids, lambda: _run_one(info, case)))
    _end_run(case)
    case.__dict__["_check_state"] = {"structure": structure, "values": snap, "results": results,
                                     "changed": changed}
    findings = [f for info in infos for f in results[info.id][1]]
    findings.sort(key=lambda f: _ORDER[f.severity])
    return findings


def invalidate(case: Case, check_ids: Iterable[str] | None = None) -> None:
    """Forget what the last ``run_checks_incremental`` found for ``check_ids`` (every check when None), so the
    next run runs them again.  For a change the runner cannot see, because it tracks field reads only: what a
    check reads from ``case.extra`` (the district's copy findings, ``core.copies.attach``)."""
    state = case.__dict__.get("_check_state")
    if state is None:
        return
    if check_ids is None:
        del case.__dict__["_check_state"]
        return
    for cid in check_ids:
        state["results"].pop(cid, None)


def changed_since_last_run(case: Case) -> set[str] | None:
    """The ids of the fields whose values the last ``run_checks_incremental`` found changed since the run
    before it; None when that run checked everything (first run, or the fields, indicators, account lines
    or documents changed)."""
    state = case.__dict__.get("_check_state")
    return state.get("changed") if state is not None else None


def _indicators_stamp(case: Case) -> tuple:
    return tuple((i.id, i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.deviation)
                 for i in case.indicators)
