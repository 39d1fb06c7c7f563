"""What the review concluded about each finding: the rows of the 问题清单 and the matter of the 复核意见.

Why it exists: the 问题清单 (Excel) and the draft 复核意见 (Word) must say the same thing about the same
findings — which are confirmed problems, which the reviewer excluded (with the reason), which are still
undecided, and which a correction made go away.  This module works that out once, from the case, the
correction records and the decision records, as plain dataclasses; ``excel.py`` and ``docx.py`` only draw
them.

- A finding's *verdict* is the reviewer's latest decision on its fingerprint (``core.review.corrections``):
  确认问题 (a problem of the department: 问题清单 and 复核意见), 排除 / 已核实 / 不适用 (closed, not a problem:
  in the 问题清单 with the reason, never in the 复核意见), or none (待核实: listed apart in the 复核意见, so an
  undecided error is never lost silently nor presented as confirmed).
- A finding that a correction resolved is one the checks give on the values as extracted but no longer on the
  corrected values: the checks are run once more on a copy of the case with the original values of the
  corrected fields put back (only those that read a corrected field, when the case records what each check
  read).  Each such finding is listed as 已消除 with the corrections that touched it.  This runs checks, so
  call it on the thread that owns the case (the window: the UI thread), never beside a re-check.
- Check names and problem groups are data (``resources/checks.json``).

What it must not do: import openpyxl or write files; change the case given.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path
from typing import Any

from core.checks.names import CheckCatalogue, check_catalogue  # also named here (the export, the window)
from core.model import Case, Field, Finding

log = logging.getLogger(__name__)

CONFIRMED, EXCLUDED, OPEN, RESOLVED = "confirmed", "excluded", "open", "resolved"
"""The states of a review item."""

_CONFIRMED_STATUS = {"确认问题", "confirmed_problem", "problem"}
_EXCLUDED_STATUS = {"排除", "已核实", "不适用", "verified", "confirmed", "accepted", "ok", "not_applicable", "na",
                    "n/a", "dismissed", "ignored", "rejected", "false_positive", "excluded"}
# "confirmed" in the oldest review files meant 已核实 (the figures were checked), which closes a finding.


@dataclass(frozen=True)
class Place:
    """Where a finding was printed, per document: a short name (自评材料 / 部门决算 / 自评表 …), the file name
    and the pages."""

    doc: str
    short_name: str
    file_name: str
    pages: tuple[int, ...]


@dataclass
class ReviewItem:
    fingerprint: str
    check: str
    name: str
    group: str
    severity: str                      # error / warning / info (of the finding as the checks gave it)
    message: str
    values: list[Any]
    places: list[Place]
    state: str                         # CONFIRMED / EXCLUDED / OPEN / RESOLVED
    verdict: str = ""                  # the decision's status as recorded (确认问题, 排除, 已核实 …) or ""
    reason: str = ""
    reviewer: str = ""
    time: Any = None
    corrections: list[Any] = field(default_factory=list)   # for RESOLVED: the records that resolved it
    finding: Finding | None = None

    @property
    def first_page(self) -> int | None:
        for p in self.places:
            if p.pages:
                return p.pages[0]
        return None


def _get(obj: Any, name: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _status(dec: Any) -> str:
    s = _get(dec, "status") if dec is not None else None
    if isinstance(s, Enum):
        s = s.value
    return "" if s is None else str(s).strip()


def verdict_state(status: Any) -> str:
    """CONFIRMED, EXCLUDED or OPEN for a decision status."""
    if isinstance(status, Enum):
        status = status.value
    s = "" if status is None else str(status).strip()
    if s in _CONFIRMED_STATUS:
        return CONFIRMED
    if s in _EXCLUDED_STATUS or s.lower() in _EXCLUDED_STATUS:
        return EXCLUDED
    return OPEN


def short_doc_name(case: Case, doc_id: str) -> str:
    """A document's name as a reviewer says it: 部门决算, 自评材料, or the one form it holds (自评表 …)."""
    d = case.document(doc_id)
    if d is None:
        return doc_id
    kinds = {k for k, pages in d.kinds.items() if pages}
    if any(k.startswith("公开") or k in ("决算说明", "部门概况") for k in kinds):
        return "部门决算"
    forms = kinds & {"基础数据表", "自评表", "自评报告"}
    if len(forms) == 1:
        return next(iter(forms))
    if forms:
        return "自评材料"
    if "部门预算" in kinds:
        return "部门预算"
    stem = Path(d.path.replace("\\", "/")).stem if d.path else doc_id
    return stem if len(stem) <= 12 else stem[:11] + "…"


def file_name(case: Case, doc_id: str) -> str:
    d = case.document(doc_id)
    if d is None or not d.path:
        return doc_id
    return Path(d.path.replace("\\", "/")).name or doc_id


def places(case: Case, f: Finding) -> list[Place]:
    docs: dict[str, list[int]] = {}
    for loc in f.locations:
        pages = docs.setdefault(loc.doc, [])
        if isinstance(loc.page, int) and loc.page > 0 and loc.page not in pages:
            pages.append(loc.page)
    return [Place(d, short_doc_name(case, d), file_name(case, d), tuple(sorted(p))) for d, p in docs.items()]


def review_items(case: Case, corrections: Iterable[Any] = (), decisions: Iterable[Any] = (), *,
                 with_resolved: bool = True) -> list[ReviewItem]:
    """Every finding of the case with its verdict, then the findings corrections resolved (已消除)."""
    cat = check_catalogue()
    by_fp: dict[str, Any] = {}
    for d in decisions:
        fp = _get(d, "fingerprint")
        if fp:
            by_fp[str(fp)] = d  # the last decision on a finding holds
    out: list[ReviewItem] = []
    for f in case.findings:
        dec = by_fp.get(f.fingerprint)
        status = _get(dec, "status") if dec is not None else None
        out.append(_item(case, cat, f, verdict_state(status), dec))
    if with_resolved:
        current = {f.fingerprint for f in case.findings}
        corrections = list(corrections)
        for f, records in resolved_findings(case, corrections):
            if f.fingerprint in current:
                continue
            item = _item(case, cat, f, RESOLVED, by_fp.get(f.fingerprint))
            item.corrections = records
            out.append(item)
            current.add(f.fingerprint)
        # a decision on a finding that is gone although no correction explains it (the checks changed)
        for fp, dec in by_fp.items():
            if fp in current or not _status(dec):
                continue
            check = str(_get(dec, "check") or "")
            out.append(ReviewItem(
                fingerprint=fp, check=check, name=cat.name(check), group=cat.group(check), severity="resolved",
                message=str(_get(dec, "message") or ""), values=[], places=[], state=RESOLVED,
                verdict=_status(dec), reason=str(_get(dec, "reason") or ""),
                reviewer=str(_get(dec, "reviewer") or ""), time=_get(dec, "time")))
    return out


def _item(case: Case, cat: CheckCatalogue, f: Finding, state: str, dec: Any) -> ReviewItem:
    sev = f.severity.value if isinstance(f.severity, Enum) else str(f.severity)
    return ReviewItem(
        fingerprint=f.fingerprint, check=f.check, name=cat.name(f.check), group=cat.group(f.check),
        severity=sev, message=f.message, values=list(f.values), places=places(case, f), state=state,
        verdict=_status(dec),
        reason=str(_get(dec, "reason") or "") if dec is not None else "",
        reviewer=str(_get(dec, "reviewer") or "") if dec is not None else "",
        time=_get(dec, "time") if dec is not None else None, finding=f)


def resolved_findings(case: Case, corrections: list[Any]) -> list[tuple[Finding, list[Any]]]:
    """The findings the checks give on the values as extracted that the corrected case no longer has, each with
    the correction records of the fields it concerns (the latest record per field).

    The checks run on a copy: the corrected fields are copied with their original values, fields entered by
    hand are left out; the case given is not touched."""
    last: dict[str, Any] = {}
    for c in corrections:
        fid = _get(c, "field_id")
        if fid:
            last[str(fid)] = c
    if not last:
        return []
    from core.review.corrections import same_value

    originals: dict[str, tuple[Any, str]] = {}
    manual: set[str] = set()
    for fid, c in last.items():
        if _get(c, "kind") == "add" or (_get(c, "original_value") is None and _get(c, "field")):
            manual.add(fid)
            continue
        orig, orig_raw = _get(c, "original_value"), str(_get(c, "original_raw") or "")
        fld = case.field_by_id(fid)
        if fld is None or (same_value(fld.value, orig) and fld.raw == orig_raw):
            continue
        originals[fid] = (orig, orig_raw)
    if not originals and not manual:
        return []
    fields: list[Field] = []
    by_orig: dict[str, Field] = {}
    for f in case.fields:
        if f.id in manual:
            continue
        if f.id in originals:
            g = replace(f, attrs=dict(f.attrs))
            g.value, g.raw = originals[f.id]
            fields.append(g)
            by_orig[f.id] = g
        else:
            fields.append(f)
    before = Case(documents=case.documents, fields=fields, indicators=case.indicators,
                  account_lines=case.account_lines, scores=case.scores, tool_version=case.tool_version,
                  extra=dict(case.extra))
    # Only the checks that read a corrected field can have given a finding the correction resolved; when the
    # case was checked incrementally (the window) its record of what each check read says which they are.
    only = None
    state = case.__dict__.get("_check_state")
    if isinstance(state, dict) and isinstance(state.get("results"), dict):
        touched = set(originals) | manual
        only = {cid for cid, (reads, _f) in state["results"].items() if not reads.ids.isdisjoint(touched)}
    try:
        from core.checks.registry import run_checks

        found = run_checks(before, only=only)
    except Exception:  # the 问题清单 must still be written; the resolved rows are then missing (logged)
        log.exception("could not re-run the checks on the values as extracted")
        return []
    current = {f.fingerprint for f in case.findings}
    from core.review.session import finding_concerns

    out = []
    for f in found:
        if f.fingerprint in current:
            continue
        records = [last[fid] for fid, g in by_orig.items() if finding_concerns(f, g) or g.key in f.keys]
        if not records and manual:
            records = [last[fid] for fid in manual]
        if records:
            out.append((f, records))
    return out
