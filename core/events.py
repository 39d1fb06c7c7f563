"""Plain observers: who wants to hear about a change, and telling them.

Why it exists: the review session and the district workspace both announce changes to views they know
nothing about (the window's models, an autosaver), without Qt; this is that mechanism, once.  A listener
that raises never stops the others from hearing the event.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

log = logging.getLogger(__name__)

Listener = Callable[[str, Any], None]


class Listeners:
    """``subscribe(cb)`` → unsubscribe function; ``notify(event, payload)`` calls every ``cb(event, payload)``.

    With ``reraise=True`` the first listener error is raised again once all have been called (so a bug is
    not hidden); otherwise it is only logged (a broken view must not break the workspace)."""

    def __init__(self, *, reraise: bool) -> None:
        self._listeners: list[Listener] = []
        self._reraise = reraise

    def subscribe(self, callback: Listener) -> Callable[[], None]:
        self._listeners.append(callback)

        def unsubscribe() -> None:
            if callback in self._listeners:
                self._listeners.remove(callback)

        return unsubscribe

    def notify(self, event: str, payload: Any) -> None:
        error: BaseException | None = None
        for cb in list(self._listeners):
            try:
                cb(event, payload)
            except Exception as e:  # noqa: BLE001 - re-raised below when asked to
                log.exception("listener failed on %s", event)
                error = error or e
        if error is not None and self._reraise:
            raise error
