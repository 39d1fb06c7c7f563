"""Locks shared by the core and the window.

Why it exists: PDFium (through pypdfium2) must never be called from two threads at once, not even on two
different documents — and the core reads PDFs with it in an opening job's worker thread while the window
renders pages with it in its render thread.  ``core.documents.pdf.PDFIUM_LOCK`` is the one turn both take;
it is a fair lock so a reader that gives the lock back between pages really lets a waiting renderer in.
"""

from __future__ import annotations

import threading


class FairLock:
    """A re-entrant ticket lock: threads get it in the order they asked, so a job that gives way between
    pages (``yield_turn``) really lets the waiting render thread in rather than taking the lock straight
    back."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._next = 0
        self._serving = 0
        self._owner: int | None = None
        self._depth = 0

    def acquire(self) -> bool:
        me = threading.get_ident()
        with self._cond:
            if self._owner == me:
                self._depth += 1
                return True
            ticket = self._next
            self._next += 1
            self._cond.notify_all()  # a queue changed: tests (and yield_turn) may be watching
            while self._serving != ticket or self._owner is not None:
                self._cond.wait()
            self._owner, self._depth = me, 1
            return True

    def waiting(self) -> int:
        """How many threads wait for the lock (not counting the holder)."""
        with self._cond:
            return self._next - self._serving - (1 if self._owner is not None else 0)

    def release(self) -> None:
        with self._cond:
            if self._owner != threading.get_ident():
                raise RuntimeError("release of a lock not held")
            self._depth -= 1
            if self._depth == 0:
                self._owner = None
                self._serving += 1
                self._cond.notify_all()

    def yield_turn(self) -> None:
        """Let every thread already waiting go first, then take the lock back (at the same depth)."""
        me = threading.get_ident()
        with self._cond:
            if self._owner != me or self._next == self._serving + 1:
                return  # not ours, or nobody is waiting
            depth = self._depth
            self._owner, self._depth = None, 0
            self._serving += 1
            ticket = self._next
            self._next += 1
            self._cond.notify_all()
            while self._serving != ticket or self._owner is not None:
                self._cond.wait()
            self._owner, self._depth = me, depth

    def __enter__(self) -> "FairLock":
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
