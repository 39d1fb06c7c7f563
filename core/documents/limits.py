"""Bounds on what one document may cost while it is read, so that one pathological (damaged or hostile) PDF
cannot take the machine's memory.

Why it exists: a damaged file can make a page draw the same content millions of times (a form drawn inside
itself, operators swapped by corruption), and a fuzz run once grew to 16 GB reading one such document.  Two
guards, both in the reading of one document (``core.documents.pdf``):

- per page: at most ``MAX_CHARS_READ`` characters are taken from a page (a real form page holds a few
  thousand; the page says the rest was not read);
- per document: ``DocumentMemoryGuard`` measures the process's resident memory between pages; when reading this
  document has grown it by more than ``MAX_DOCUMENT_GROWTH`` the document is refused with a Chinese reason
  (``DocumentError`` code "too_large") and what it held is released.  Where the resident size cannot be read
  (no ``/proc``), only the page bound applies.

What it must not do: import Qt or a PDF library, or time anything (time is bounded per page in ``pdf``).
"""

from __future__ import annotations

import os

from core.errors import DocumentError

MAX_CHARS_READ = 200_000
"""Characters taken from one page at most (``pdf.MAX_CHARS_PER_PAGE`` is where tables stop being looked for)."""

MAX_DOCUMENT_GROWTH = 2 << 30
"""Resident memory one document may add while it is read: a 400-page package peaks at about 150 MB in all."""

TOO_LARGE_REASON = "文件过于复杂或已损坏：读取到第{page}页时占用内存超过{limit}，已停止读取该文件"

_PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_bytes() -> int | None:
    """The process's resident memory now, or None where it cannot be read cheaply."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_SIZE
    except (OSError, ValueError, IndexError):
        return None


class DocumentMemoryGuard:
    """``check(page)`` after each page of one document; raises ``DocumentError`` past ``limit`` bytes of growth."""

    def __init__(self, path: str, limit: int | None = None) -> None:
        self.path = path
        self.limit = MAX_DOCUMENT_GROWTH if limit is None else limit
        self.start = resident_bytes()

    def check(self, page: int) -> None:
        if self.start is None:
            return
        now = resident_bytes()
        if now is not None and now - self.start > self.limit:
            raise DocumentError(self.path, TOO_LARGE_REASON.format(page=page, limit=_size(self.limit)),
                                code="too_large")


def _size(n: int) -> str:
    return f"{n / (1 << 30):g} GB" if n >= 1 << 30 else f"{n / (1 << 20):g} MB"
