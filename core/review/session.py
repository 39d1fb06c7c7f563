"""The review session: one case under review, the reviewer's corrections and decisions, and plain events.

Why it exists: the window must never mutate a case behind the checks' back.  Every change goes through here:
a correction is parsed with the same number rules as extraction (a bad entry is refused with a Chinese
reason), applied to ``session.case`` (so checks see it), the checks and scores re-run at once through the
``recheck`` function the pipeline provides, and the change is returned as a small ``ChangeSet`` and announced
to subscribers, so each view decides what to refresh (Anki's ``OpChanges``).  The extracted values stay in
the log and in ``original()``.

Events (``subscribe(callback)``; ``callback(event, payload)``), in this order for one change:

- ``field_did_change``    payload ``ChangeSet``; ``change.fields`` are the field ids whose value changed;
  ``change.fields_added`` / ``fields_removed`` those that came into the case or left it (a value entered by
  hand, ``add_field``, and its undo / redo), which are in ``change.fields`` too
- ``findings_did_change`` payload ``ChangeSet``; findings added / removed / changed, by fingerprint
- ``scores_did_change``   payload ``ChangeSet``; ``change.scores_changed`` are dotted score paths
- ``decision_did_change`` payload ``ChangeSet``; ``change.decisions`` are fingerprints (the open findings
  and ``field_status`` change with them)
- ``exported``            payload ``ChangeSet`` (empty): ``mark_exported()`` was called
- ``saved``               payload ``Path``: the case file was written
- ``save_failed``         payload ``OutputError`` (Chinese ``reason``): nothing was lost, the work is in memory

One operation sends each of its events with the *same* ``ChangeSet`` object, which is how ``AutoSaver``
writes once per operation.

Tying findings to fields (``field_status``, ``findings_for_field``): a finding concerns a field when the
field's key is among the finding's ``keys`` AND one of the finding's ``locations`` is on the field's document
and page with a box that overlaps the field's box (1 pt slack for rounding; a zero-area box stands for "this
page").  Key alone is too loose (the same key is printed in many places, and a finding about the narrative
must not colour the 基础数据表), key + page is still too loose where a narrative page quotes 基本支出 twice with
two numbers; the box tells them apart.  A finding that names no location for a field does not colour it.

Values entered by hand (``add_field``): a scanned page has no text layer, so nothing is extracted from it;
the reviewer reads a value off the page image, picks its catalogue key and (optionally) draws its box.  It
becomes a Field like any other (confidence 1.0, ``attrs["manual"] = True``) whose original is nothing, recorded
as an ``add`` correction: undo takes it out of the case, redo puts it back, it is saved in the case file and
listed in the 修改记录, and the checks re-run over it at once.

Indicator cells (``correct_indicator``): the 自评表's 绩效指标 rows are ``case.indicators``, not fields; their
cells 指标值 / 实际完成值 / 分值 / 得分 / 偏差原因 are corrected like fields, through the same log (undo/redo,
reason, saved in the case file, checks re-run).  A cell's id is ``"<indicator id>.<column>"`` ("i3.score") and
its record's key ``"indicator.<column>"``; ``indicator_cell(cell_id)`` gives a detached ``Field`` describing
the cell (label, value, box) for the window, and ``field()`` stays for fields only.

The reviewer's own 复核完成值 / 复核得分 (``"i3.review_actual"``, ``"i3.review_score"``; keys
``indicator.review_*``) go through the same log (reason, undo/redo, case file) but are held in
``case.extra["review_overrides"]`` with the reason in force, for ``core.scoring.review_score`` to prefer over its
proposal; their original is nothing (the proposal holds), and a 复核得分 outside 0…分值 is refused.

What it must not do: import Qt, touch files itself (``casefile`` does), or run checks other than through
``recheck``.
"""

from __future__ import annotations

import gc
import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
import re
import uuid
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable

from core import numbers
from core.events import Listener, Listeners
from core.review import casefile
from core.errors import OutputError, ReviewError
from core.model import REVIEWED_ATTR, BBox, Case, Field, Finding, Severity, SourceRef, Value
from core.scoring.presets import plain
from core.scoring.review_score import OVERRIDES_KEY, REVIEW_COLUMNS
from core.review.corrections import (
    DECISION_STATUSES,
    MANUAL_ATTR,
    REOPENED,
    Correction,
    CorrectionLog,
    Decision,
    DecisionLog,
    ReviewLogs,
    field_definition,
    manual_field,
    restore_added_fields,
    same_value,
)

log = logging.getLogger(__name__)

FIELD_DID_CHANGE = "field_did_change"
FINDINGS_DID_CHANGE = "findings_did_change"
SCORES_DID_CHANGE = "scores_did_change"
DECISION_DID_CHANGE = "decision_did_change"
EXPORTED = "exported"
SAVED = "saved"
SAVE_FAILED = "save_failed"

Recheck = Callable[[Case], None]
Clock = Callable[[], datetime]

MAX_SIGNIFICANT_DIGITS = 15
"""The case JSON writes numbers exactly up to 15 significant digits (see ``core.model``); no printed amount
needs more, so a longer entry is a typing slip and is refused rather than stored inexactly."""

INDICATOR_COLUMNS: dict[str, str] = {"target": "指标值", "actual": "实际完成值", "weight": "分值",
                                     "score": "得分", "deviation": "偏差原因"}
"""The correctable cells of an indicator row (``core.model.Indicator`` attribute → name on the sheet)."""
INDICATOR_KEY_PREFIX = "indicator."
_NUMBER_COLUMNS = ("weight", "score", "review_score")
REVIEW_CELL_COLUMNS: dict[str, str] = dict(REVIEW_COLUMNS)
"""The reviewer's own cells of an indicator row (复核完成值, 复核得分; ``core.scoring.review_score``): corrected
like the printed cells (same log, reason, undo/redo, case file), but held in ``case.extra[OVERRIDES_KEY]``
(with the reason in force) rather than on the ``Indicator``; blank means "the proposal holds"."""

_MONEY_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_BOX_SLACK = 1.0  # points: boxes are rounded to 0.01 pt in JSON, and a finding may box a cell's padding


class InvalidEntry(ReviewError):
    """What the reviewer typed cannot be the field's value.  ``reason`` is Chinese, shown as-is."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ChangeSet:
    """What one operation changed, so each view refreshes only what it shows.

    ``fields``: ids of fields whose value changed.  ``findings_added`` / ``findings_removed`` /
    ``findings_changed``: fingerprints (changed = same fingerprint, different message, values, severity or
    places).  ``scores_changed``: dotted paths of the score leaves that changed ("selfeval.recomputed_total").
    ``decisions``: fingerprints whose decision changed.  ``correction``: the record appended, if any.
    ``accepted``: ids of fields whose value the reviewer accepted as read (``accept_value``; sent with
    ``decision_did_change``).
    ``fields_added`` / ``fields_removed``: ids of fields that came into the case or left it (a value entered by
    hand, its undo and redo); they are also in ``fields``.
    An empty ChangeSet is falsy (nothing happened: an unchanged value, nothing to undo).
    """

    fields: frozenset[str] = frozenset()
    fields_added: frozenset[str] = frozenset()
    fields_removed: frozenset[str] = frozenset()
    findings_added: frozenset[str] = frozenset()
    findings_removed: frozenset[str] = frozenset()
    findings_changed: frozenset[str] = frozenset()
    scores_changed: frozenset[str] = frozenset()
    decisions: frozenset[str] = frozenset()
    correction: Correction | None = None
    accepted: frozenset[str] = frozenset()
    checks: frozenset[str] = frozenset()  # check ids whose verdict the reviewer gave (set_check_verdict)

    @property
    def any_findings(self) -> bool:
        return bool(self.findings_added or self.findings_removed or self.findings_changed)

    def __bool__(self) -> bool:
        return bool(self.fields or self.any_findings or self.scores_changed or self.decisions or self.accepted
                    or self.checks)

    @property
    def events(self) -> tuple[str, ...]:
        """The events this change sends, in order."""
        out = []
        if self.fields:
            out.append(FIELD_DID_CHANGE)
        if self.any_findings:
            out.append(FINDINGS_DID_CHANGE)
        if self.scores_changed:
            out.append(SCORES_DID_CHANGE)
        if self.decisions or self.accepted or self.checks:
            out.append(DECISION_DID_CHANGE)
        return tuple(out)


def _local_now() -> datetime:
    return datetime.now().astimezone()


class ReviewSession:
    """One case under review.  ``case`` holds the current (corrected) values; the logs hold the history.

    ``recheck(case)`` must recompute ``case.findings`` and ``case.scores`` in place from the current field
    values (the pipeline passes its check-and-score step; tests pass their own).
    """

    def __init__(
        self,
        case: Case,
        recheck: Recheck,
        reviewer: str = "",
        *,
        logs: ReviewLogs | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.case = case
        self._recheck = recheck
        self._clock = clock or _local_now
        self._events = Listeners(reraise=True)
        self._status_cache: dict[str, str] | None = None
        self._seen: tuple | None = None  # the findings and scores last diffed, with their views (_snapshot)
        self._views: dict[int, tuple] = {}  # id(finding) → (finding, fingerprint, view), see _by_fingerprint
        case.assign_ids()
        self._by_id: dict[str, Field] = {f.id: f for f in case.fields}
        if len(self._by_id) != len(case.fields):
            raise ValueError("field ids are not unique; corrections could not tell the fields apart")
        self._cells: dict[str, tuple[Any, str]] = {
            cell_id(ind.id, col): (ind, col) for ind in case.indicators
            for col in (*INDICATOR_COLUMNS, *REVIEW_CELL_COLUMNS)}
        logs = logs if logs is not None else ReviewLogs()
        if reviewer:
            logs.reviewer = reviewer
        if not logs.created:  # a new review (or a plain ``extract`` JSON opened as one)
            logs.created = logs.modified = self._now()
        if not logs.review_id:  # (a file saved before reviews had ids keeps its ``created`` as identity too)
            logs.review_id = uuid.uuid4().hex
        self._logs = logs
        self._replay()
        self._hold_check_verdicts()
        self._seen = self._snapshot()  # the views the first edit compares with, made now, not on that edit
        settle_memory()

    def _replay(self) -> None:
        """Make ``case`` hold the extracted values with the log replayed over them.

        For a fresh case this records the extracted values; for a loaded one it restores them digit for digit
        from the review object (the ``fields`` section is a view for other readers and, going through
        ``float``, drops trailing zeros such as 0.960, which ``numbers.decimal_places`` would notice).
        """
        extracted = self._logs.extracted
        added = self._logs.corrections.added()
        self._restore_added(added)
        for f in self.case.fields:
            if f.id not in added:
                extracted.setdefault(f.id, (f.value, f.raw))
        effective = self._logs.corrections.effective()
        unknown = (set(extracted) | set(effective)) - set(self._by_id) - set(added) - set(self._cells)
        if unknown or set(extracted) & set(added):
            raise ValueError(f"review refers to fields not in the case: {sorted(unknown)[:5]}")
        for fid, f in self._by_id.items():
            f.value, f.raw = effective[fid] if fid in effective else extracted[fid]
            self._vouch(f)
        self.case.extra.pop(OVERRIDES_KEY, None)  # the log is the record of the reviewer's own values
        for cid, (value, _raw) in effective.items():
            if cid in self._cells:
                self._set_cell(cid, value)

    def _restore_added(self, added: dict[str, Correction]) -> None:
        """Make the case hold exactly the hand-entered fields the log says are in it: a case file keeps them
        among its fields, but the log is the record (a field undone is not in the case; a plain case JSON
        with a review log gets them back from their ``add`` records)."""
        if restore_added_fields(self.case, self._logs.corrections):
            self._by_id = {f.id: f for f in self.case.fields}

    @classmethod
    def from_file(cls, path: str | Path, recheck: Recheck, reviewer: str | None = None, *,
                  clock: Clock | None = None) -> "ReviewSession":
        """Rebuild a session from a case file: values, corrections, decisions and the undo/redo stacks.

        The checks are re-run on open, so the findings come from the checks of this version of the tool
        over the corrected values; decisions stick to them by fingerprint.  ``reviewer`` (the name in the
        preferences) replaces the one recorded, if given.  Raises ``casefile.CaseFileError`` for a file that is
        not a case file.
        """
        case, logs = casefile.load_case(path)
        try:
            session = cls(case, recheck, reviewer or "", logs=logs, clock=clock)
        except ValueError as e:  # the log and the fields do not belong together (a hand-edited file)
            raise casefile.CaseFileError(str(path), "审核记录文件已损坏，或不是本工具保存的文件") from e
        recheck(session.case)
        return session

    # -- reading ------------------------------------------------------------------------------------------
    @property
    def logs(self) -> ReviewLogs:
        return self._logs

    @property
    def corrections(self) -> CorrectionLog:
        return self._logs.corrections

    @property
    def decisions(self) -> DecisionLog:
        return self._logs.decisions

    @property
    def reviewer(self) -> str:
        return self._logs.reviewer

    @reviewer.setter
    def reviewer(self, name: str) -> None:
        self._logs.reviewer = name

    @property
    def can_undo(self) -> bool:
        return self.corrections.can_undo

    @property
    def can_redo(self) -> bool:
        return self.corrections.can_redo

    def field(self, field_id: str) -> Field:
        """The live field (current value).  Raises ``KeyError`` for an unknown id."""
        return self._by_id[field_id]

    def original(self, field_id: str) -> tuple[Value, str]:
        """``(value, raw)`` as extracted, whatever the corrections since; ``(None, "")`` for a value the reviewer
        entered by hand (nothing was extracted)."""
        self.field(field_id)
        return self._logs.extracted.get(field_id, (None, ""))

    def is_manual(self, field_id: str) -> bool:
        """True for a field the reviewer entered by hand (``add_field``)."""
        return self.field(field_id).attrs.get(MANUAL_ATTR) is True

    def is_corrected(self, field_id: str) -> bool:
        """True when the current value differs from the extracted one (an edit undone is not corrected)."""
        return not same_value(self.field(field_id).value, self.original(field_id)[0])

    def history(self, field_id: str) -> list[Correction]:
        """Every correction record of a field or an indicator cell, oldest first."""
        return self.corrections.history(field_id)

    # -- indicator cells ------------------------------------------------------------------------------------
    def is_indicator_cell(self, cid: str) -> bool:
        return cid in self._cells

    def indicator_cell(self, cid: str) -> Field:
        """A detached ``Field`` describing one indicator cell as it is now: key ``indicator.<column>``, label
        "三级指标 · 得分", value (Decimal for 分值/得分, text otherwise), box of the printed cell (the row's box
        when the cell was not boxed).  Changing it changes nothing; ``correct_indicator`` does.  Raises
        ``KeyError`` for an unknown cell."""
        ind, col = self._cells[cid]
        value = self._cell_value(cid)
        if col in _NUMBER_COLUMNS:
            raw = self._cell_raw(cid, value)
            unit = "分"
        else:
            raw, value, unit = value or "", (value or None), ""
        printed = {"review_score": "score", "review_actual": "actual"}.get(col, col)
        box = ind.cells.get(printed) or ind.source.bbox
        name = ind.level3 or ind.level2 or ind.level1 or ind.id
        bounds = {"min": Decimal(0), "max": ind.weight, "bound_name": "分值"} if col == "review_score" else {}
        return Field(key=INDICATOR_KEY_PREFIX + col, value=value, unit=unit, raw=raw,
                     source=SourceRef(ind.source.doc, ind.source.page, box),
                     label=f"{name} · {INDICATOR_COLUMNS.get(col) or REVIEW_CELL_COLUMNS[col]}", confidence=1.0,
                     form="自评表", id=cid, attrs=bounds)

    def _cell_value(self, cid: str) -> Value:
        ind, col = self._cells[cid]
        if col in REVIEW_CELL_COLUMNS:
            held = self.case.extra.get(OVERRIDES_KEY, {}).get(cid)
            return held.get("value") if held else None
        return getattr(ind, col)

    def indicator_original(self, cid: str) -> tuple[Value, str]:
        """``(value, raw)`` of the cell as extracted (the first record's original, or the cell as it is when
        never corrected)."""
        history = self.corrections.history(cid)
        if history:
            return history[0].original_value, history[0].original_raw
        cell = self.indicator_cell(cid)
        return cell.value, cell.raw

    def indicator_corrected(self, cid: str) -> bool:
        return not same_value(self.indicator_cell(cid).value, self.indicator_original(cid)[0])

    def correct_indicator(self, cid: str, new_text: str, reason: str = "") -> ChangeSet:
        """Set an indicator cell (``"i3.score"``) to what the reviewer typed, re-run the checks and scores, and
        say what changed; the same rules as ``correct`` (分值/得分 are numbers, read like a count in 分; the
        other cells are text).  Raises ``InvalidEntry`` or ``KeyError``."""
        cell = self.indicator_cell(cid)
        number = self._cells[cid][1] in _NUMBER_COLUMNS
        value, raw = parse_entry(cell, new_text)
        if not number:
            value = value or ""  # a text cell holds "" when blank, as extraction leaves it
        current = cell.value if number else (cell.value or "")
        if same_value(value, current):
            return ChangeSet()
        old_value = current
        record = self.corrections.make_edit(
            field_id=cid,
            key=cell.key,
            original=self.indicator_original(cid),
            old=(old_value, cell.raw),
            new=(value, raw),
            reason=reason.strip(),
            reviewer=self.reviewer,
            time=self._now(),
        )
        return self._apply(record)

    def _set_cell(self, cid: str, value: Value, pending: Correction | None = None) -> None:
        ind, col = self._cells[cid]
        if col in REVIEW_CELL_COLUMNS:
            held = self.case.extra.setdefault(OVERRIDES_KEY, {})
            if value is None or value == "":
                held.pop(cid, None)
            else:
                raw = pending.new_raw if pending is not None else self._cell_raw(cid, value)
                held[cid] = {"value": value, "raw": raw,
                             "reason": self.corrections.reason_in_force(cid, pending)}
            if not held:
                self.case.extra.pop(OVERRIDES_KEY, None)
        elif col in _NUMBER_COLUMNS:
            setattr(ind, col, value if isinstance(value, Decimal) else None)
        else:
            setattr(ind, col, "" if value is None else str(value))

    def _cell_raw(self, cid: str, value: Value) -> str:
        for r in reversed(self.corrections.history(cid)):
            return r.new_raw
        return "" if value is None else format(value, "f")

    def label_of(self, fid: str) -> str:
        """How a field or an indicator cell is named for the reviewer ("" for an id in neither)."""
        if fid in self._cells:
            return self.indicator_cell(fid).label
        f = self._by_id.get(fid)
        return (f.label or f.key) if f is not None else ""

    def finding(self, fingerprint: str) -> Finding | None:
        for f in self.case.findings:
            if f.fingerprint == fingerprint:
                return f
        return None

    def decision(self, fingerprint: str) -> Decision | None:
        return self.decisions.latest(fingerprint)

    def open_findings(self) -> list[Finding]:
        """The current findings minus those decided 已核实 or 不适用 (a reopened one is open again)."""
        return [f for f in self.case.findings if not self.decisions.is_closed(f.fingerprint)]

    def findings_for_field(self, field_id: str, *, include_closed: bool = False) -> list[Finding]:
        """The findings that concern this field (see the module docstring for the rule)."""
        fld = self.field(field_id)
        pool = self.case.findings if include_closed else self.open_findings()
        return [f for f in pool if finding_concerns(f, fld)]

    def fields_for_finding(self, finding: Finding) -> list[str]:
        """The ids of the fields a finding concerns, in document order (to light them up on a click)."""
        keys = set(finding.keys)
        return [f.id for f in self.case.fields if f.key in keys and finding_concerns(finding, f)]

    def field_status(self, field_id: str) -> str | None:
        """"error" or "warning": the worst open finding concerning the field; None when there is none."""
        if self._status_cache is None:
            self._status_cache = self._field_statuses()
        self.field(field_id)
        return self._status_cache.get(field_id)

    def _field_statuses(self) -> dict[str, str]:
        by_key: dict[str, list[Field]] = defaultdict(list)
        for f in self.case.fields:
            by_key[f.key].append(f)
        out: dict[str, str] = {}
        for finding in self.open_findings():
            if finding.severity not in (Severity.ERROR, Severity.WARNING):
                continue
            for key in set(finding.keys):
                for f in by_key.get(key, ()):
                    if out.get(f.id) != Severity.ERROR.value and finding_concerns(finding, f):
                        out[f.id] = finding.severity.value
        return out

    # -- changing -----------------------------------------------------------------------------------------
    def correct(self, field_id: str, new_text: str, reason: str = "") -> ChangeSet:
        """Set a field to what the reviewer typed, re-run the checks, and say what changed.

        Raises ``InvalidEntry`` (Chinese reason) for text that is not a value of the field's kind, and
        ``KeyError`` for an unknown field.  Typing the value the field already has changes nothing and
        records nothing (an empty ChangeSet).
        """
        fld = self.field(field_id)
        value, raw = parse_entry(fld, new_text)
        if same_value(value, fld.value):
            return ChangeSet()
        record = self.corrections.make_edit(
            field_id=fld.id,
            key=fld.key,
            original=self.original(fld.id),
            old=(fld.value, fld.raw),
            new=(value, raw),
            reason=reason.strip(),
            reviewer=self.reviewer,
            time=self._now(),
        )
        return self._apply(record)

    def add_field(self, key: str, text: str, doc: str, page: int, bbox: BBox | None = None, *, label: str = "",
                  unit: str = "", form: str = "", reason: str = "") -> ChangeSet:
        """Enter a value by hand, read off the page image where nothing could be extracted (a scanned page).

        ``key`` is a catalogue key (``resources/field_catalogue.json``), ``text`` what the reviewer typed (read
        with the same rules as a correction: ``parse_entry`` for a field of this ``unit``), ``doc`` / ``page``
        where it is printed and ``bbox`` the box the reviewer drew (None or a zero-area box: the whole page).
        The new field has confidence 1.0 and ``attrs["manual"] = True``; it is recorded as an ``add``
        correction (undoable), and the checks re-run.  Returns the ChangeSet (``fields_added`` holds the new
        id).  Raises ``InvalidEntry`` (Chinese reason) for a blank or unreadable value, an unknown document or
        a page it does not have.
        """
        key = key.strip()
        if not key:
            raise InvalidEntry("请选择字段")
        document = self.case.document(doc)
        if document is None:
            raise InvalidEntry("没有这个文件")
        if not (1 <= int(page) <= max(document.pages, 1)):
            raise InvalidEntry(f"文件只有{document.pages}页，没有第{page}页")
        box: BBox = tuple(float(x) for x in bbox) if bbox is not None else (0.0, 0.0, 0.0, 0.0)  # type: ignore
        if len(box) != 4:
            raise ValueError("a box is (x0, top, x1, bottom)")
        fld = Field(key=key, value=None, unit=unit, raw="", source=SourceRef(doc, int(page), box), label=label,
                    confidence=1.0, form=form, id=self._next_manual_id(), attrs={MANUAL_ATTR: True})
        value, raw = parse_entry(fld, text)
        if value is None:
            raise InvalidEntry("请输入数值" if entry_kind(fld) != "text" else "请输入内容")
        record = self.corrections.make_add(
            field_id=fld.id,
            key=key,
            definition=field_definition(fld),
            new=(value, raw),
            reason=reason.strip(),
            reviewer=self.reviewer,
            time=self._now(),
        )
        return self._apply(record)

    def _next_manual_id(self) -> str:
        """"m1", "m2", … : never the id of an extracted field, nor of a hand-entered one, even undone."""
        used = set(self._by_id) | set(self.corrections.added())
        n = 1
        while f"m{n}" in used:
            n += 1
        return f"m{n}"

    def undo(self) -> ChangeSet:
        """Reverse the latest applied correction (an appended ``undo`` record); empty when there is none."""
        record = self.corrections.make_undo(reviewer=self.reviewer, time=self._now())
        return self._apply(record) if record is not None else ChangeSet()

    def redo(self) -> ChangeSet:
        """Re-apply the latest undone correction; empty when there is none (or a new edit cleared it)."""
        record = self.corrections.make_redo(reviewer=self.reviewer, time=self._now())
        return self._apply(record) if record is not None else ChangeSet()

    def decide(self, fingerprint: str, status: str, reason: str = "") -> ChangeSet:
        """Record a decision on a finding: 已核实, 不适用, or "" to reopen it.  Not part of undo/redo.

        Raises ``ValueError`` for another status and ``KeyError`` for a fingerprint that is neither a current
        finding nor ever decided.  Repeating the holding decision records nothing.
        """
        if status not in DECISION_STATUSES:
            raise ValueError(f"unknown decision status {status!r}")
        finding = self.finding(fingerprint)
        prev = self.decisions.latest(fingerprint)
        if finding is None and prev is None:
            raise KeyError(fingerprint)
        reason = reason.strip()
        if (prev is None and status == REOPENED) or (prev and (prev.status, prev.reason) == (status, reason)):
            return ChangeSet()
        about: Finding | Decision = finding if finding is not None else prev  # type: ignore[assignment]
        d = Decision(fingerprint, status, reason, self.reviewer, self._now(), about.check, about.message)
        self.decisions.append(d)
        self._logs.modified = d.time
        self._status_cache = None
        change = ChangeSet(decisions=frozenset({fingerprint}))
        self._emit(change)
        return change

    def accept_value(self, field_id: str) -> ChangeSet:
        """The reviewer compared a value read with low certainty with the page and accepts it as read (kept in
        the case file with who and when).  Accepting it again records nothing.  Raises ``KeyError`` for an
        unknown field."""
        self.field(field_id)
        if field_id in self._logs.accepted:
            return ChangeSet()
        now = self._now()
        self._logs.accepted[field_id] = {"reviewer": self.reviewer, "time": now}
        self._logs.modified = now
        fld = self._by_id.get(field_id)
        if fld is not None and self._vouch(fld):
            # an OCR value the reviewer has compared with the scan: findings resting on it may now be errors
            before = self._snapshot()  # the mark changes no finding nor score: the re-check does
            self._recheck(self.case)
            self._status_cache = None
            change = replace(self._diff(before), accepted=frozenset({field_id}))
        else:
            change = ChangeSet(accepted=frozenset({field_id}))
        self._emit(change)
        return change

    def _vouch(self, f: Field) -> bool:
        """The one rule for a value read by OCR: it is certain (``REVIEWED_ATTR``) once the reviewer has
        vouched for it, by accepting it as read or by holding a value of their own (a correction not undone
        back to the value as read).  Sets or clears the mark from the value ``f`` holds now; True when the mark
        changed.  Any other value is left alone: only OCR waits for the reviewer (core.model.uncertainty)."""
        if not f.attrs.get("ocr"):
            return False
        was = REVIEWED_ATTR in f.attrs
        if f.id in self._logs.accepted or not same_value(f.value, self._logs.extracted.get(f.id, (None, ""))[0]):
            f.attrs[REVIEWED_ATTR] = True
        else:
            f.attrs.pop(REVIEWED_ATTR, None)
        return was != (REVIEWED_ATTR in f.attrs)

    # -- checks the tool could not run (core.checks.coverage) -----------------------------------------------
    def set_check_verdict(self, check_id: str, status: str, note: str = "") -> ChangeSet:
        """The reviewer's verdict on a check of the coverage list — 通过 / 不通过 / 不适用, or "" to withdraw it —
        with a note; kept in the case file with who and when (append-only: earlier verdicts stay as history).
        Sent as ``decision_did_change`` (``change.checks``).  Giving the holding verdict and note again records
        nothing.  Raises ``InvalidEntry`` for another status."""
        from core.review.corrections import CHECK_VERDICT_STATUSES, CheckVerdict

        if status not in CHECK_VERDICT_STATUSES:
            raise InvalidEntry(f"“{status}”不是检查结论（应为通过、不通过或不适用）")
        note = note.strip()
        held = self._logs.check_verdicts.latest(check_id)
        if (held is not None and held.status == status and held.note == note) or (held is None and not status):
            return ChangeSet()
        now = self._now()
        self._logs.check_verdicts.append(CheckVerdict(check_id, status, note, self.reviewer, now))
        self._logs.modified = now
        self._hold_check_verdicts()
        change = ChangeSet(checks=frozenset({check_id}))
        self._emit(change)
        return change

    def _hold_check_verdicts(self) -> None:
        """Put the holding verdicts into ``case.extra["check_verdicts"]`` (check id → record), where the export
        and the command line's coverage list read them with the case; the log stays the record."""
        from core.checks.coverage import VERDICTS_KEY

        held = {k: v.to_json() for k, v in self._logs.check_verdicts.current().items()}
        if held:
            self.case.extra[VERDICTS_KEY] = held
        else:
            self.case.extra.pop(VERDICTS_KEY, None)

    def check_verdicts(self) -> dict:
        """The holding verdict (``CheckVerdict``) of every check that has one, by check id."""
        return self._logs.check_verdicts.current()

    def coverage(self) -> list:
        """Every check of the catalogue on this case with its status and the reviewer's verdict
        (``core.checks.coverage.coverage``)."""
        from core.checks.coverage import coverage

        return coverage(self.case, self.check_verdicts())

    def review_complete(self) -> tuple[bool, list[str]]:
        """``core.checks.coverage.review_complete`` for this review: no finding undecided, no check open."""
        from core.checks.coverage import review_complete

        return review_complete(self.case, self._logs)

    def is_accepted(self, field_id: str) -> bool:
        return field_id in self._logs.accepted

    def refresh(self) -> ChangeSet:
        """Re-run the checks without a correction (e.g. after the tolerances or scoring preset changed)."""
        before = self._snapshot()
        self._recheck(self.case)
        self._status_cache = None
        change = self._diff(before)
        self._emit(change)
        return change

    def mark_exported(self) -> None:
        """Note that the review was exported as it stands (it is then not offered back after a crash)."""
        self._logs.exported = self._now()
        self._notify(EXPORTED, ChangeSet())

    def mark_closed(self) -> None:
        """Note that the window closed the case normally (``AutoSaver.close`` calls this, then saves)."""
        self._logs.closed = self._now()

    def save(self, path: str | Path) -> Path:
        """Write the case file atomically; sends ``saved``, or ``save_failed`` and raises ``OutputError``."""
        try:
            written = casefile.save_case(path, self)
        except OutputError as e:
            self._notify(SAVE_FAILED, e)
            raise
        self._notify(SAVED, written)
        return written

    def _apply(self, record: Correction) -> ChangeSet:
        """Apply a correction record, re-run the checks, and only then append it to the log.

        If ``recheck`` raises (a bug), the field, findings and scores are put back and no record is kept, so
        the log never holds a change the case does not show.
        """
        before = self._snapshot()
        fields_before = self.case.fields
        by_id_before = dict(self._by_id)
        added = removed = frozenset()
        fid = record.field_id
        if record.kind == "add" or (record.kind == "redo" and self.corrections.reverses_add(record)):
            source = record if record.kind == "add" else self.corrections.record(record.ref)  # type: ignore
            fld = manual_field(source, record.new_value, record.new_raw)
            self.case.fields = [*fields_before, fld]
            self._by_id[fid] = fld
            added = frozenset({fid})
            old = None
        elif record.kind == "undo" and self.corrections.reverses_add(record):
            gone = self._by_id.pop(fid)
            self.case.fields = [f for f in fields_before if f is not gone]
            removed = frozenset({fid})
            old = None
        elif fid in self._cells:
            ind, col = self._cells[fid]
            cell_before = getattr(ind, col, None)
            overrides_before = {k: dict(v) for k, v in self.case.extra.get(OVERRIDES_KEY, {}).items()}
            self._set_cell(fid, record.new_value, record)
            old = None
        else:
            fld = self._by_id[fid]
            old = (fld.value, fld.raw)
            fld.value, fld.raw = record.new_value, record.new_raw
            reviewed_before = fld.attrs.get(REVIEWED_ATTR)
            self._vouch(fld)  # an undo back to the value as read takes the reviewer's word back
        try:
            self._recheck(self.case)
        except BaseException:
            if old is not None:
                fld.value, fld.raw = old
                if reviewed_before is None:
                    fld.attrs.pop(REVIEWED_ATTR, None)
                else:
                    fld.attrs[REVIEWED_ATTR] = reviewed_before
            if fid in self._cells and col in REVIEW_CELL_COLUMNS:
                self.case.extra[OVERRIDES_KEY] = overrides_before
                if not overrides_before:
                    self.case.extra.pop(OVERRIDES_KEY, None)
            elif fid in self._cells:
                setattr(ind, col, cell_before)
            self.case.fields, self._by_id = fields_before, by_id_before
            self.case.findings, self.case.scores = before[0], before[2]  # the lists themselves, unchanged
            raise
        self.corrections.append(record)
        self._logs.modified = record.time
        self._status_cache = None
        change = self._diff(before, fields=frozenset({fid}), correction=record)
        if added or removed:
            change = replace(change, fields_added=added, fields_removed=removed)
        self._emit(change)
        return change

    # -- events -------------------------------------------------------------------------------------------
    def subscribe(self, callback: Listener) -> Callable[[], None]:
        """Call ``callback(event, payload)`` on every event; returns a function that unsubscribes."""
        return self._events.subscribe(callback)

    def _emit(self, change: ChangeSet) -> None:
        for name in change.events:
            self._notify(name, change)

    def _notify(self, name: str, payload: Any) -> None:
        """Every listener hears the event even if one raises (the autosaver must not miss a change because
        a view has a bug); the first exception is re-raised afterwards so the bug is not hidden."""
        self._events.notify(name, payload)

    # -- helpers ------------------------------------------------------------------------------------------
    def _now(self) -> str:
        t = self._clock()
        return (t if t.tzinfo else t.astimezone()).isoformat(timespec="seconds")

    def _snapshot(self) -> tuple[list[Finding], dict[str, list[tuple]], dict[str, Any], dict[str, Any]]:
        """What the reviewer sees before a change: the findings (and by fingerprint), the scores (and
        flattened).  The last diff computed both views of the case's current lists, so an edit pays once."""
        findings, scores = self.case.findings, self.case.scores
        seen = self._seen
        if seen is not None and seen[0] is findings and seen[2] is scores:
            return seen
        return findings, self._by_fingerprint(findings), scores, _flatten(scores)

    def _diff(self, before: tuple[list[Finding], dict[str, list[tuple]], dict[str, Any], dict[str, Any]], *,
              fields: frozenset[str] = frozenset(), correction: Correction | None = None) -> ChangeSet:
        _, old, old_scores, a = before
        findings, scores = self.case.findings, self.case.scores
        new, b = self._by_fingerprint(findings), (a if scores is old_scores else _flatten(scores))
        self._seen = (findings, new, scores, b)  # a re-check replaces both lists, never changes them in place
        missing = object()
        return ChangeSet(
            fields=fields,
            findings_added=frozenset(new.keys() - old.keys()),
            findings_removed=frozenset(old.keys() - new.keys()),
            findings_changed=frozenset(fp for fp in new.keys() & old.keys() if new[fp] != old[fp]),
            scores_changed=frozenset(k for k in a.keys() | b.keys() if a.get(k, missing) != b.get(k, missing)),
            correction=correction,
        )

    def _by_fingerprint(self, findings: Iterable[Finding]) -> dict[str, list[tuple]]:
        """Findings by fingerprint, each as a comparable tuple of what a reviewer sees (message, numbers,
        places): two runs that give equal tuples changed nothing.  Each finding's entry is reused from the
        last call: a re-check keeps the very Finding objects of the checks it did not re-run, and a finding
        is not changed once its check has returned it."""
        last, seen = self._views, {}
        out: dict[str, list[tuple]] = defaultdict(list)
        for f in findings:
            hit = last.get(id(f))
            if hit is None or hit[0] is not f:
                hit = (f, f.fingerprint, _view(f))
            seen[id(f)] = hit
            out[hit[1]].append(hit[2])
        self._views = seen
        return dict(out)


def cell_id(indicator_id: str, column: str) -> str:
    """The id of one indicator cell in the correction log: "i3.score"."""
    return f"{indicator_id}.{column}"


def settle_memory() -> None:
    """Move what is in memory now (the case under review: a long package is hundreds of thousands of
    objects) out of the reach of Python's cyclic collector, so that a full collection during an edit does
    not scan it all again (30–40 ms at 400 pages, every few edits).  What the last call froze is unfrozen
    and collected first, so a case closed since then is freed."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _view(f: Finding) -> tuple:
    return (f.check, f.severity.value, f.message, tuple(f.keys), tuple(str(v) for v in f.values),
            tuple((loc.doc, loc.page, tuple(loc.bbox)) for loc in f.locations))


def _flatten(d: Any, prefix: str = "") -> dict[str, Any]:
    """Score leaves by dotted path: {"selfeval": {"total": 100}} → {"selfeval.total": 100}."""
    if not isinstance(d, dict):
        return {prefix: d}
    out: dict[str, Any] = {}
    for k, v in d.items():
        out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    return out


# -- tying findings to fields --------------------------------------------------------------------------------

def finding_concerns(finding: Finding, fld: Field) -> bool:
    """The rule of the module docstring: the field's key is named and one location boxes the field."""
    if fld.key not in finding.keys:
        return False
    return any(
        loc.doc == fld.doc and loc.page == fld.page and _overlaps(loc.bbox, fld.bbox) for loc in finding.locations
    )


def _overlaps(a: BBox, b: BBox) -> bool:
    if _no_area(a) or _no_area(b):
        return True
    s = _BOX_SLACK
    return a[0] <= b[2] + s and b[0] <= a[2] + s and a[1] <= b[3] + s and b[1] <= a[3] + s


def _no_area(b: BBox) -> bool:
    return b[2] <= b[0] or b[3] <= b[1]


# -- parsing what the reviewer typed -------------------------------------------------------------------------

def entry_kind(fld: Field) -> str:
    """How an entry for this field is read: "amount", "percent", "count" or "text".

    By unit first (元/千元/万元/亿元 → amount, % → percent), then by the extracted value: a text value (or a
    blank one with no unit) is text; any other number (人, 分, ㎡, 人次, …) is a count.
    """
    if fld.unit == "%":
        return "percent"
    if fld.unit in _MONEY_FACTORS:
        return "amount"
    if isinstance(fld.value, str) or (fld.value is None and not fld.unit):
        return "text"
    return "count"


def parse_entry(fld: Field, text: str) -> tuple[Value, str]:
    """``(value, raw)`` for what the reviewer typed, read with the extraction's number rules.

    As ``core.extraction.grid`` reads a cell: ``parse_amount`` with the field's unit as default (a printed
    "万" meaning 万元), ``parse_percent`` for percentages; counts also go through ``parse_count`` so that
    "二十人" or "1.65万人次" read as the narrative extractor reads them.  Numbers keep the field's unit: an
    amount typed in another money unit ("9600元" in a 万元 field) is converted exactly, any other unit is
    refused.  A blank or a placeholder ("—", "/") clears a number.  Raises ``InvalidEntry``.
    """
    raw = text.strip()
    kind = entry_kind(fld)
    if kind == "text":
        return (raw or None), raw
    if numbers.is_placeholder(raw):
        return None, raw
    value: Decimal | None
    if kind == "percent":
        value = numbers.parse_percent(raw)
        if value is None:
            _refuse_overlong(raw)
            raise InvalidEntry(f"“{raw}”不是有效百分比")
    elif kind == "amount":
        n = numbers.parse_amount(raw, default_unit=fld.unit)
        if n is None:
            _refuse_overlong(raw)
            raise InvalidEntry(f"“{raw}”不是有效金额")
        unit = "万元" if n.unit == "万" else n.unit
        if unit not in _MONEY_FACTORS:
            raise InvalidEntry(f"“{raw}”的单位“{unit}”不是金额单位（该项以{fld.unit}计）")
        value = n.value * _MONEY_FACTORS[unit] / _MONEY_FACTORS[fld.unit] if unit != fld.unit else n.value
    else:
        # "5分" in a 分 column: the field's own unit may be typed, though numbers.py knows no 分 or ㎡
        bare = raw[: -len(fld.unit)].strip() if fld.unit and raw.endswith(fld.unit) else raw
        n = numbers.parse_count(bare) or numbers.parse_amount(bare)
        if n is None:
            _refuse_overlong(raw)
            raise InvalidEntry(f"“{raw}”不是有效数字")
        if n.unit and n.unit != fld.unit:
            raise InvalidEntry(f"“{raw}”的单位“{n.unit}”与该项的单位“{fld.unit}”不一致")
        value = n.value
    if len(value.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise InvalidEntry(_overlong_reason(raw))
    low, high = fld.attrs.get("min"), fld.attrs.get("max")  # a 复核得分 lies within 0…分值
    if isinstance(low, Decimal) and value < low:
        raise InvalidEntry(f"{fld.label.rpartition(' · ')[2] or '该项'}不能为负数" if low == 0
                           else f"不能小于{plain(low)}")
    if isinstance(high, Decimal) and value > high:
        raise InvalidEntry(f"{fld.label.rpartition(' · ')[2] or '该项'}不能超过"
                           f"{fld.attrs.get('bound_name', '')}{plain(high)}{fld.unit}")
    return value, raw


def _overlong_reason(raw: str) -> str:
    return f"“{raw}”的有效数字超过{MAX_SIGNIFICANT_DIGITS}位，无法精确保存"


def _refuse_overlong(raw: str) -> None:
    """A plain number with more digits than can be kept is named as such (``numbers`` no longer reads it as
    an amount at all, which would only say "不是有效金额")."""
    num = re.sub(r"(?:亿元|万元|千元|元|万|%|％)$", "", re.sub(r"[,，\s]", "", raw))
    try:
        d = Decimal(num)
    except InvalidOperation:
        return
    if d.is_finite() and len(d.as_tuple().digits) > MAX_SIGNIFICANT_DIGITS:
        raise InvalidEntry(_overlong_reason(raw))
