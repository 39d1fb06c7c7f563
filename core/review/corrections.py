"""The reviewer's corrections and finding decisions, as append-only logs.

Why it exists: the review must be an honest record ("corrections are append-only in the case file"), so a
correction is never overwritten and an undo is not a deletion: undo and redo are themselves appended records.
Everything else (the effective value of each field, what Ctrl+Z / Ctrl+Y would do next, the decision that
holds for a finding) is *derived* by replaying the log, so the same log read back from the case file gives the
same state, including the undo/redo stacks.

Replay rule for corrections: every record carries the absolute value it sets (``new_value`` / ``new_raw``), so
the effective value of a field is simply that of its last record (any kind), or the extracted value when the
log never touched it.  The undo stack holds the seqs of the edits currently applied; an ``edit`` pushes and
clears the redo stack (like any editor), an ``undo`` pops its ``ref`` onto the redo stack, a ``redo`` moves it
back.  The records stay in the log either way.

A value the reviewer entered by hand against the page image of a scanned page (no text layer, nothing
extracted) is an ``add`` record: a correction whose original is nothing (``original_value`` None) and which
carries the new field's definition (``field``: key, label, unit, form, doc, page, bbox, attrs).  It goes on the
undo stack like an edit; undoing it takes the field out of the case, redoing it puts it back.  Whether an added
field is in the case is derived from the log like everything else (``present_added``).

What it must not do: parse what the reviewer typed (that is ``session``), know about files (``store``), or
rewrite or drop a record.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Generic, Iterable, Iterator, Literal, Protocol, TypeVar

from core.model import Field, Value, _value_from_json

REVIEW_FORMAT = "review-log/1"
"""Version of the case file's "review" object (the rest of the file is the contract's ``review-case/1``)."""

CorrectionKind = Literal["edit", "undo", "redo", "add"]
KINDS: tuple[str, ...] = ("edit", "undo", "redo", "add")
KIND_NAMES = {"edit": "修改", "undo": "撤销", "redo": "重做", "add": "手工录入"}
"""How each kind of record is named for the reviewer (field card, 修改记录)."""

MANUAL_ATTR = "manual"
"""``Field.attrs[MANUAL_ATTR] is True`` on a field the reviewer entered by hand."""

CONFIRMED = "确认问题"
"""The finding is a real problem the department must fix: it goes into the 问题清单 and the 复核意见."""
EXCLUDED = "排除"
"""The finding is a false alarm or acceptable (误报/可接受), with the reviewer's reason: kept out of the 复核意见."""
VERIFIED = "已核实"
"""Older verdict (checked, the figures are right or explained); still read from review files, closes a finding."""
NOT_APPLICABLE = "不适用"
"""The check does not apply to this department; closes a finding like 排除."""
REOPENED = ""
DECISION_STATUSES: tuple[str, ...] = (CONFIRMED, EXCLUDED, VERIFIED, NOT_APPLICABLE, REOPENED)
CLOSING_STATUSES: frozenset[str] = frozenset({CONFIRMED, EXCLUDED, VERIFIED, NOT_APPLICABLE})
"""A finding decided with one of these no longer counts as open."""
PROBLEM_STATUSES: frozenset[str] = frozenset({CONFIRMED})
"""Decisions that keep a finding as a problem of the department's package (问题清单, 复核意见)."""


@dataclass(frozen=True)
class Correction:
    """One appended record: a field set to a new value by an edit, an undo or a redo.

    ``original_*`` is the value as extracted (the same on every record of a field), ``old_*`` the value this
    record replaced and ``new_*`` the value it set, so each record reads on its own in the 修改记录 (修改前 →
    修改后) without replaying anything.  ``new_raw`` is the text the reviewer typed (for an undo: the text
    being restored).  ``ref`` is, for an undo or redo, the seq of the edit it reverses or re-applies.
    ``time`` is local ISO 8601 with its UTC offset.  ``field`` is, on an ``add`` record only, the definition
    of the field it creates (``Field.to_json`` without value, raw and id; see ``manual_field``).
    """

    seq: int
    kind: CorrectionKind
    field_id: str
    key: str
    original_value: Value
    original_raw: str
    old_value: Value
    old_raw: str
    new_value: Value
    new_raw: str
    reason: str
    reviewer: str
    time: str
    ref: int | None = None
    field: dict[str, Any] | None = None

    def to_json(self) -> dict[str, Any]:
        """JSON-ready dict; Decimals stay Decimal so the store can write them digit for digit."""
        d: dict[str, Any] = {
            "seq": self.seq,
            "kind": self.kind,
            "field_id": self.field_id,
            "key": self.key,
            "original_value": self.original_value,
            "original_raw": self.original_raw,
            "old_value": self.old_value,
            "old_raw": self.old_raw,
            "new_value": self.new_value,
            "new_raw": self.new_raw,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "time": self.time,
        }
        if self.ref is not None:
            d["ref"] = self.ref
        if self.field is not None:
            d["field"] = dict(self.field)
        return d

    @staticmethod
    def from_json(d: dict[str, Any]) -> "Correction":
        kind = d.get("kind", "edit")
        if kind not in KINDS:
            raise ValueError(f"unknown correction kind {kind!r}")
        definition = d.get("field")
        if kind == "add" and not isinstance(definition, dict):
            raise ValueError("an add record without its field")
        return Correction(
            seq=int(d["seq"]),
            kind=kind,
            field_id=str(d["field_id"]),
            key=str(d.get("key", "")),
            original_value=_value_from_json(d.get("original_value")),
            original_raw=str(d.get("original_raw", "")),
            old_value=_value_from_json(d.get("old_value")),
            old_raw=str(d.get("old_raw", "")),
            new_value=_value_from_json(d.get("new_value")),
            new_raw=str(d.get("new_raw", "")),
            reason=str(d.get("reason", "")),
            reviewer=str(d.get("reviewer", "")),
            time=str(d.get("time", "")),
            ref=int(d["ref"]) if d.get("ref") is not None else None,
            field=dict(definition) if kind == "add" else None,
        )


class CorrectionLog:
    """Append-only list of ``Correction`` records plus the undo/redo stacks derived from it.

    ``make_*`` build the next record without changing anything (the session applies it and re-runs the checks
    first, and only then ``append``s it, so a failed re-check leaves no record behind); ``append_edit``,
    ``undo`` and ``redo`` do both in one call.
    """

    def __init__(self, records: list[Correction] | None = None) -> None:
        self._records: list[Correction] = []
        self._undo: list[int] = []  # seqs of the edits currently applied, most recent last
        self._redo: list[int] = []  # seqs of the edits undone and redoable, next redo last
        for r in records or []:
            self.append(r)

    # -- reading ------------------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[Correction]:
        return iter(self._records)

    @property
    def records(self) -> tuple[Correction, ...]:
        return tuple(self._records)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def record(self, seq: int) -> Correction:
        return self._records[seq - 1]

    def effective(self) -> dict[str, tuple[Value, str]]:
        """``{field_id: (value, raw)}`` for every field the log touched: the value its last record set.

        A field undone back to its extracted value is still listed (with that value); a field the log never
        touched is absent and keeps its extracted value.
        """
        out: dict[str, tuple[Value, str]] = {}
        for r in self._records:
            out[r.field_id] = (r.new_value, r.new_raw)
        return out

    def added(self) -> dict[str, Correction]:
        """The ``add`` record of every field the reviewer entered by hand, by field id (present or undone)."""
        return {r.field_id: r for r in self._records if r.kind == "add"}

    def present_added(self) -> set[str]:
        """The ids of the hand-entered fields that are in the case now: added (or re-added by a redo) and not
        undone since."""
        present: set[str] = set()
        for r in self._records:
            if r.kind == "add":
                present.add(r.field_id)
            elif r.kind in ("undo", "redo") and r.ref is not None and self.record(r.ref).kind == "add":
                (present.add if r.kind == "redo" else present.discard)(r.field_id)
        return present

    def reverses_add(self, r: Correction) -> bool:
        """True for an undo or redo of an ``add`` (it takes the field out of the case or puts it back)."""
        return r.kind in ("undo", "redo") and r.ref is not None and 0 < r.ref <= len(self._records) \
            and self.record(r.ref).kind == "add"

    def history(self, field_id: str) -> list[Correction]:
        """Every record of one field, oldest first (edits, undos and redos alike)."""
        return [r for r in self._records if r.field_id == field_id]

    def reason_in_force(self, field_id: str, pending: Correction | None = None) -> str:
        """The reason of the edit whose value the field holds now (after ``pending``, a record about to be
        appended, when given): the latest applied edit of that field; "" when none is applied."""
        stack = list(self._undo)
        records = {r.seq: r for r in self._records}
        if pending is not None:
            records[pending.seq] = pending
            if pending.kind in ("edit", "add"):
                stack.append(pending.seq)
            elif pending.kind == "undo" and stack:
                stack.pop()
            elif pending.kind == "redo" and pending.ref is not None:
                stack.append(pending.ref)
        for seq in reversed(stack):
            r = records[seq]
            if r.field_id == field_id:
                return r.reason
        return ""

    def next_undo(self) -> Correction | None:
        """The edit Ctrl+Z would reverse (for a menu label such as “撤销修改 三公经费”)."""
        return self.record(self._undo[-1]) if self._undo else None

    def next_redo(self) -> Correction | None:
        return self.record(self._redo[-1]) if self._redo else None

    # -- building the next record -------------------------------------------------------------------------
    def make_edit(
        self,
        *,
        field_id: str,
        key: str,
        original: tuple[Value, str],
        old: tuple[Value, str],
        new: tuple[Value, str],
        reason: str,
        reviewer: str,
        time: str,
    ) -> Correction:
        return Correction(
            seq=len(self._records) + 1,
            kind="edit",
            field_id=field_id,
            key=key,
            original_value=original[0],
            original_raw=original[1],
            old_value=old[0],
            old_raw=old[1],
            new_value=new[0],
            new_raw=new[1],
            reason=reason,
            reviewer=reviewer,
            time=time,
        )

    def make_add(
        self,
        *,
        field_id: str,
        key: str,
        definition: dict[str, Any],
        new: tuple[Value, str],
        reason: str,
        reviewer: str,
        time: str,
    ) -> Correction:
        """The record of a value entered by hand: an edit with nothing before it (original and old are None /
        "") that carries the new field's definition."""
        edit = self.make_edit(field_id=field_id, key=key, original=(None, ""), old=(None, ""), new=new,
                              reason=reason, reviewer=reviewer, time=time)
        return replace(edit, kind="add", field=dict(definition))

    def make_undo(self, *, reviewer: str, time: str) -> Correction | None:
        """The record that reverses the latest applied edit: it sets the value that edit replaced."""
        edit = self.next_undo()
        if edit is None:
            return None
        return self._reversal(edit, "undo", old=(edit.new_value, edit.new_raw),
                              new=(edit.old_value, edit.old_raw), reviewer=reviewer, time=time)

    def make_redo(self, *, reviewer: str, time: str) -> Correction | None:
        """The record that re-applies the latest undone edit."""
        edit = self.next_redo()
        if edit is None:
            return None
        return self._reversal(edit, "redo", old=(edit.old_value, edit.old_raw),
                              new=(edit.new_value, edit.new_raw), reviewer=reviewer, time=time)

    def _reversal(self, edit: Correction, kind: CorrectionKind, *, old: tuple[Value, str],
                  new: tuple[Value, str], reviewer: str, time: str) -> Correction:
        # The stacks guarantee the field still holds ``old``: an edit after an undo clears the redo stack,
        # and undos/redos run strictly in stack order.
        return Correction(
            seq=len(self._records) + 1,
            kind=kind,
            field_id=edit.field_id,
            key=edit.key,
            original_value=edit.original_value,
            original_raw=edit.original_raw,
            old_value=old[0],
            old_raw=old[1],
            new_value=new[0],
            new_raw=new[1],
            reason="",
            reviewer=reviewer,
            time=time,
            ref=edit.seq,
        )

    # -- appending ----------------------------------------------------------------------------------------
    def append(self, r: Correction) -> None:
        """Append one record, checking it continues the log (next seq, undo/redo in stack order).

        Raises ``ValueError`` for a record that does not fit, e.g. from a hand-edited case file.
        """
        if r.seq != len(self._records) + 1:
            raise ValueError(f"correction seq {r.seq} out of order (expected {len(self._records) + 1})")
        if r.kind in ("edit", "add"):
            if r.kind == "add" and r.field_id in self.added():
                raise ValueError(f"add #{r.seq} reuses the id of an added field {r.field_id!r}")
            self._undo.append(r.seq)
            self._redo.clear()
        elif r.kind == "undo":
            if not self._undo or self._undo[-1] != r.ref:
                raise ValueError(f"undo #{r.seq} does not reverse the latest applied edit")
            self._redo.append(self._undo.pop())
        else:
            if not self._redo or self._redo[-1] != r.ref:
                raise ValueError(f"redo #{r.seq} does not re-apply the latest undone edit")
            self._undo.append(self._redo.pop())
        self._records.append(r)

    def append_edit(self, **kwargs: Any) -> Correction:
        """Build and append an edit (keyword arguments as ``make_edit``)."""
        r = self.make_edit(**kwargs)
        self.append(r)
        return r

    def undo(self, *, reviewer: str = "", time: str = "") -> Correction | None:
        """Append the record reversing the latest applied edit, or return None when there is nothing to undo."""
        r = self.make_undo(reviewer=reviewer, time=time)
        if r is not None:
            self.append(r)
        return r

    def redo(self, *, reviewer: str = "", time: str = "") -> Correction | None:
        r = self.make_redo(reviewer=reviewer, time=time)
        if r is not None:
            self.append(r)
        return r

    # -- JSON ---------------------------------------------------------------------------------------------
    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self._records]

    @staticmethod
    def from_json(items: list[dict[str, Any]]) -> "CorrectionLog":
        return CorrectionLog([Correction.from_json(d) for d in items])


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on a finding, stored against its fingerprint (which survives re-checks).

    ``status`` is 已核实 (checked, the figures are right or explained), 不适用 (the check does not apply to this
    department) or "" (reopened).  ``check`` and ``message`` record what the finding said when it was decided,
    so the 修改记录 still reads sensibly after a correction has made the finding go away.
    """

    fingerprint: str
    status: str
    reason: str
    reviewer: str
    time: str
    check: str = ""
    message: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "fingerprint": self.fingerprint,
            "status": self.status,
            "reason": self.reason,
            "reviewer": self.reviewer,
            "time": self.time,
            "check": self.check,
            "message": self.message,
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> "Decision":
        status = str(d.get("status", ""))
        if status not in DECISION_STATUSES:
            raise ValueError(f"unknown decision status {status!r}")
        return Decision(
            fingerprint=str(d["fingerprint"]),
            status=status,
            reason=str(d.get("reason", "")),
            reviewer=str(d.get("reviewer", "")),
            time=str(d.get("time", "")),
            check=str(d.get("check", "")),
            message=str(d.get("message", "")),
        )


class _Verdict(Protocol):
    """What ``LatestLog`` needs of a record: a status and its JSON form (the key is named by the log)."""

    @property
    def status(self) -> str: ...

    def to_json(self) -> dict[str, Any]: ...


R = TypeVar("R", bound=_Verdict)


class LatestLog(Generic[R]):
    """Append-only list of records where the latest per key holds and the earlier ones are its history.

    The one shape behind the reviewer's finding decisions (keyed by fingerprint) and check verdicts (keyed by
    check id): a subclass names the key attribute, the statuses a record may carry and what an unknown status
    is called in the error.  A record with an unknown status is refused before it is appended."""

    _key: str = ""
    _statuses: tuple[str, ...] = ()
    _what: str = "status"

    def __init__(self, records: Iterable[R] | None = None) -> None:
        self._records: list[R] = []
        self._latest: dict[str, R] = {}
        for r in records or []:
            self.append(r)

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self) -> Iterator[R]:
        return iter(self._records)

    @property
    def records(self) -> tuple[R, ...]:
        return tuple(self._records)

    def append(self, r: R) -> None:
        if r.status not in self._statuses:
            raise ValueError(f"unknown {self._what} {r.status!r}")
        self._records.append(r)
        self._latest[getattr(r, self._key)] = r

    def latest(self, key: str) -> R | None:
        return self._latest.get(key)

    def current(self) -> dict[str, R]:
        """The latest record of every key ever recorded."""
        return dict(self._latest)

    def history(self, key: str) -> list[R]:
        return [r for r in self._records if getattr(r, self._key) == key]

    def to_json(self) -> list[dict[str, Any]]:
        return [r.to_json() for r in self._records]


class DecisionLog(LatestLog["Decision"]):
    """The reviewer's finding decisions; the latest per fingerprint holds (a reopening is a record too)."""

    _key = "fingerprint"
    _statuses = DECISION_STATUSES
    _what = "decision status"

    def status(self, fingerprint: str) -> str:
        """The holding status of a finding: 已核实, 不适用 or "" (never decided, or reopened)."""
        d = self._latest.get(fingerprint)
        return d.status if d is not None else REOPENED

    def is_closed(self, fingerprint: str) -> bool:
        return self.status(fingerprint) in CLOSING_STATUSES

    @staticmethod
    def from_json(items: list[dict[str, Any]]) -> "DecisionLog":
        return DecisionLog([Decision.from_json(d) for d in items])


CHECK_VERDICT_STATUSES: tuple[str, ...] = ("通过", "不通过", "不适用", REOPENED)
"""A reviewer's verdict on a check the tool could not run (``core.checks.coverage``): 通过 (checked by hand, it
holds), 不通过 (it fails: a problem of the package), 不适用 (it does not apply to this department), or ""
(withdrawn: the check is open again)."""


@dataclass(frozen=True)
class CheckVerdict:
    """A reviewer's verdict on one check of the coverage list, with a note, who and when."""

    check: str
    status: str
    note: str
    reviewer: str
    time: str

    def to_json(self) -> dict[str, Any]:
        return {"check": self.check, "status": self.status, "note": self.note, "reviewer": self.reviewer,
                "time": self.time}

    @staticmethod
    def from_json(d: dict[str, Any]) -> "CheckVerdict":
        status = str(d.get("status", ""))
        if status not in CHECK_VERDICT_STATUSES:
            raise ValueError(f"unknown check verdict {status!r}")
        return CheckVerdict(check=str(d["check"]), status=status, note=str(d.get("note", "")),
                            reviewer=str(d.get("reviewer", "")), time=str(d.get("time", "")))


class CheckVerdictLog(LatestLog["CheckVerdict"]):
    """The reviewer's verdicts on checks; the latest per check holds (earlier ones are its history)."""

    _key = "check"
    _statuses = CHECK_VERDICT_STATUSES
    _what = "check verdict"

    def current(self) -> dict[str, CheckVerdict]:
        """The holding verdict of every check that has one (a withdrawn one is left out)."""
        return {k: v for k, v in self._latest.items() if v.status}

    @staticmethod
    def from_json(items: list[dict[str, Any]]) -> "CheckVerdictLog":
        return CheckVerdictLog([CheckVerdict.from_json(d) for d in items])


def same_value(a: Value, b: Value) -> bool:
    """Equal as values: Decimal("0.96") equals Decimal("0.960"); a number never equals a text."""
    if isinstance(a, Decimal) and isinstance(b, Decimal):
        return a == b
    return type(a) is type(b) and a == b


@dataclass
class ReviewLogs:
    """Everything the review adds to an extracted case: the logs, the extracted values and the timestamps.

    ``extracted`` holds every field's value and printed text as extracted, by field id: the case's ``fields``
    carry the corrected values, and this is what the log replays over (and what ``export`` shows as 原值).
    ``modified`` is the time of the last change to the review (not of the last save); ``closed`` and
    ``exported`` are set when the window closes the case normally or exports it, so a file whose
    ``modified`` is later than both was being worked on when the program stopped.
    """

    reviewer: str = ""
    created: str = ""
    modified: str = ""
    review_id: str = ""  # which review this is (a new review gets a new one; a saved file keeps its own)
    closed: str = ""
    exported: str = ""
    extracted: dict[str, tuple[Value, str]] = field(default_factory=dict)
    corrections: CorrectionLog = field(default_factory=CorrectionLog)
    decisions: DecisionLog = field(default_factory=DecisionLog)
    accepted: dict[str, dict[str, str]] = field(default_factory=dict)
    """Values read with low certainty that the reviewer compared with the page and accepted as read, by field
    id: ``{"reviewer", "time"}`` (append-only like the logs: an acceptance is never taken back)."""
    check_verdicts: CheckVerdictLog = field(default_factory=CheckVerdictLog)
    """The reviewer's verdicts on checks the tool could not run (``core.checks.coverage``), append-only."""

    def to_json(self) -> dict[str, Any]:
        """The case file's "review" object; Decimals stay Decimal so the store writes them exactly."""
        return {
            "format": REVIEW_FORMAT,
            "id": self.review_id,
            "reviewer": self.reviewer,
            "created": self.created,
            "modified": self.modified,
            "closed": self.closed,
            "exported": self.exported,
            "extracted_fields": [{"id": fid, "value": v, "raw": raw} for fid, (v, raw) in self.extracted.items()],
            "corrections": self.corrections.to_json(),
            "decisions": self.decisions.to_json(),
            "accepted_values": [{"field_id": fid, **who} for fid, who in self.accepted.items()],
            "check_verdicts": self.check_verdicts.to_json(),
        }

    @staticmethod
    def from_json(d: dict[str, Any]) -> "ReviewLogs":
        """Read a "review" object; raises ``ValueError`` (or ``KeyError``) when it is not one."""
        fmt = d.get("format", REVIEW_FORMAT)
        if fmt != REVIEW_FORMAT:
            raise ValueError(f"unknown review format {fmt!r}")
        return ReviewLogs(
            reviewer=str(d.get("reviewer", "")),
            review_id=str(d.get("id", "") or ""),
            created=str(d.get("created", "")),
            modified=str(d.get("modified", "")),
            closed=str(d.get("closed", "") or ""),
            exported=str(d.get("exported", "") or ""),
            extracted={
                str(x["id"]): (_value_from_json(x.get("value")), str(x.get("raw", "")))
                for x in d.get("extracted_fields", [])
            },
            corrections=CorrectionLog.from_json(d.get("corrections", [])),
            decisions=DecisionLog.from_json(d.get("decisions", [])),
            accepted={str(x["field_id"]): {"reviewer": str(x.get("reviewer", "")), "time": str(x.get("time", ""))}
                      for x in d.get("accepted_values", [])},
            check_verdicts=CheckVerdictLog.from_json(d.get("check_verdicts", [])),
        )


# -- fields the reviewer entered by hand ---------------------------------------------------------------------

def field_definition(fld: Field) -> dict[str, Any]:
    """What an ``add`` record keeps of the field it creates: everything but value, raw and id."""
    d = fld.to_json()
    for k in ("id", "value", "raw"):
        d.pop(k, None)
    return d


def manual_field(record: Correction, value: Value, raw: str) -> Field:
    """The field an ``add`` record creates, holding ``value`` / ``raw`` (its value now, after later edits).

    Raises ``ValueError`` for a record that is not an ``add`` or whose definition is not one."""
    if record.kind != "add" or record.field is None:
        raise ValueError(f"correction #{record.seq} does not add a field")
    d = dict(record.field)
    d.update({"id": record.field_id, "key": record.key, "value": None, "raw": raw})
    try:
        fld = Field.from_json(d)
    except (KeyError, TypeError, ValueError) as e:
        raise ValueError(f"correction #{record.seq} has a bad field definition") from e
    fld.value = value
    fld.attrs[MANUAL_ATTR] = True
    return fld


def restore_added_fields(case: Any, log: CorrectionLog) -> bool:
    """Make ``case.fields`` hold exactly the hand-entered fields the log says are in the case (added or
    redone, not undone), each rebuilt from its ``add`` record where the case lacks it; a hand-entered field
    the log has undone is taken out; every other field is left alone.  Values are not touched here (replaying the log sets them).  True when
    the list of fields changed.  Raises ``ValueError`` for an ``add`` record with a bad definition."""
    added = log.added()
    if not added:
        return False
    present = log.present_added()
    kept = [f for f in case.fields if f.id in present or f.id not in added]
    have = {f.id for f in kept}
    for fid in sorted(present - have, key=lambda i: added[i].seq):
        r = added[fid]
        kept.append(manual_field(r, r.new_value, r.new_raw))
    if len(kept) == len(case.fields) and all(a is b for a, b in zip(kept, case.fields)):
        return False
    case.fields = kept
    return True


def is_manual(fld: Field) -> bool:
    return fld.attrs.get(MANUAL_ATTR) is True


def export_records(records: Iterable[Correction], labels: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The correction records for the 修改记录 sheet, each kind named in Chinese (``KIND_NAMES``), so a value
    entered by hand reads 手工录入 (original blank) and its undo 撤销.  ``labels`` names records whose id is not
    a field's (an indicator cell "i3.score": "举办主题党日活动 · 得分"), as ``"label"``."""
    out = []
    for r in records:
        d = r.to_json()
        d.pop("field", None)
        d["kind"] = KIND_NAMES.get(r.kind, r.kind)
        if labels and r.field_id in labels:
            d["label"] = labels[r.field_id]
        out.append(d)
    return out
