"""The district workspace's plain events, as Qt signals on the UI thread.

Why it exists: ``core.workspace.Workspace`` is Qt-free and calls listeners (``cases_did_change`` with a
``WorkspaceChange``, ``save_failed`` with an ``OutputError``); the window's list and banner want signals.  A
rescan or an added folder runs in an operation's worker thread and announces its change from there: a signal
emitted in that thread reaches the UI-thread receivers queued, so the views only ever touch the workspace from
the UI thread (the window keeps them from changing it while such an operation runs).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from core.workspace import CASES_DID_CHANGE, SAVE_FAILED


class WorkspaceBridge(QObject):
    cases_changed = Signal(object)  # core.workspace.WorkspaceChange
    save_failed = Signal(str)  # Chinese reason

    def __init__(self, workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._unsubscribe = workspace.subscribe(self._on_event)

    def _on_event(self, name: str, payload: Any) -> None:
        if name == CASES_DID_CHANGE:
            self.cases_changed.emit(payload)
        elif name == SAVE_FAILED:
            self.save_failed.emit(getattr(payload, "reason", str(payload)))

    def close(self) -> None:
        self._unsubscribe()
