"""The review session's plain events, as Qt signals on the UI thread; and its autosaver.

Why it exists: ``core.review.ReviewSession`` is Qt-free and calls listeners; the views want signals.  This
adapter subscribes once, re-emits each event as a signal, and owns the ``AutoSaver`` that writes the case file
(atomically, through the core store) after every change.  One operation sends several events carrying the
same ``ChangeSet``; ``changed`` fires once for it, after the specific signals, so the status bar and the
actions are refreshed once per change.

All calls happen on the UI thread (corrections and decisions are quick: the checks of one case run in
milliseconds), so no locking is needed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from core.errors import OutputError
from core.review.session import (
    DECISION_DID_CHANGE,
    EXPORTED,
    FIELD_DID_CHANGE,
    FINDINGS_DID_CHANGE,
    SAVE_FAILED,
    SAVED,
    SCORES_DID_CHANGE,
)
from core.review.store import AutoSaver

log = logging.getLogger(__name__)


class SessionBridge(QObject):
    fields_changed = Signal(object)  # ChangeSet
    findings_changed = Signal(object)  # ChangeSet
    scores_changed = Signal(object)  # ChangeSet
    decisions_changed = Signal(object)  # ChangeSet
    changed = Signal(object)  # ChangeSet, once per operation, after the signals above
    saved = Signal(object)  # Path
    save_failed = Signal(str)  # Chinese reason
    exported = Signal()

    def __init__(self, session, case_path: str | Path, *, save_now: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.session = session
        self._pending: Any = None
        self._unsubscribe = session.subscribe(self._on_event)
        self.autosaver: AutoSaver | None = AutoSaver(session, case_path, save_now=False)
        self._save_now = save_now

    def start(self) -> None:
        """Write the case file now if it is a new review (call after connecting to ``saved``), so a new
        review is on disk, and recoverable, before its first change."""
        if self._save_now and self.autosaver is not None:
            self.autosaver.save()

    @property
    def case_path(self) -> Path:
        return self.autosaver.path if self.autosaver else Path()

    def _on_event(self, name: str, payload: Any) -> None:
        if name == SAVED:
            self.saved.emit(payload)
            return
        if name == SAVE_FAILED:
            self.save_failed.emit(getattr(payload, "reason", str(payload)))
            return
        if name == EXPORTED:
            self.exported.emit()
            return
        signal = {
            FIELD_DID_CHANGE: self.fields_changed,
            FINDINGS_DID_CHANGE: self.findings_changed,
            SCORES_DID_CHANGE: self.scores_changed,
            DECISION_DID_CHANGE: self.decisions_changed,
        }.get(name)
        if signal is not None:
            signal.emit(payload)
        if payload is not self._pending and name in (FIELD_DID_CHANGE, FINDINGS_DID_CHANGE, SCORES_DID_CHANGE,
                                                       DECISION_DID_CHANGE):
            # the last event of an operation is the one whose name is last in payload.events
            events = getattr(payload, "events", ())
            if events and name == events[-1]:
                self._pending = payload
                self.changed.emit(payload)

    def save_as(self, path: str | Path) -> Path:
        """Keep autosaving to another place (after a failed save); raises ``OutputError``."""
        assert self.autosaver is not None
        return self.autosaver.save_as(path)

    def close(self) -> str:
        """Close the review normally (marked closed, saved).  Returns "" or the Chinese reason it could not
        be saved; the listeners are removed either way."""
        reason = ""
        if self.autosaver is not None:
            try:
                self.autosaver.close()
            except OutputError as e:
                reason = e.reason
        self._unsubscribe()
        return reason
