"""Page images (drawn by PDFium through ``core.documents.pdf.PageImages``) in one background thread.

Why it exists: the reviewer must see the page the moment a file is chosen and scroll a 60-page package
without the window stalling, so rasterising happens off the UI thread.  PDFium is not thread-safe; the core
owns it (``core.documents.pdf`` is the only module that imports pypdfium2, and says why a file cannot be
shown), and this thread makes its drawing calls holding the PDFium turn.

PDFium is also used by the core (``core.documents.pdf`` reads characters with it) in the worker thread of an
opening job, and PDFium must never be called from two threads at once, not even on different documents.
``PDFIUM`` is the turn both take: the render thread holds it for each open and each page, and a reading job
holds it while it reads, giving way between pages (``pdfium_turns``), so page 1 still appears while the
package is being read.  If the core ever offers its own lock (``core.documents.pdf.PDFIUM_LOCK``, taken
around each of its PDFium calls), the renderer takes that one instead and the jobs need not hold anything.

The UI thread posts commands: ``open_document`` (answered by ``opened`` with the page sizes in points, or
``open_failed`` with a Chinese reason), and ``set_wanted(channel, requests)``, which *replaces* that channel's
queue so pages scrolled past are never rendered late.  Channel "view" (the pages on screen) is served before
channel "thumbs" (the page list).  Each image arrives through ``rendered`` as a ``QImage`` (safe to make in
any thread; the UI thread turns it into a pixmap).
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtCore import QThread, Signal
from PySide6.QtGui import QImage

log = logging.getLogger(__name__)

from core.locks import FairLock  # noqa: E402  (moved to the core: both sides take the PDFium turn)


def _core_lock():
    try:
        from core.documents import pdf as core_pdf
    except ImportError:
        return None
    return getattr(core_pdf, "PDFIUM_LOCK", None)


PDFIUM = FairLock()
"""The turn on PDFium between the render thread and the core's reading (see the module docstring)."""


def renderer_lock():
    """What the render thread holds around each PDFium call: the core's lock if it has one, else ours."""
    return _core_lock() or PDFIUM


class pdfium_turns:
    """``with pdfium_turns(progress) as progress: read_package(..., progress=progress)``: hold the turn on
    PDFium while the core reads, giving way to the render thread each time the core reports a page done
    (between pages no PDFium call is running).  Does nothing when the core locks its own calls."""

    def __init__(self, progress):
        self._progress = progress
        self._active = _core_lock() is None

    def __enter__(self):
        if not self._active:
            return self._progress or (lambda *args: None)

        def progress(*args):
            PDFIUM.yield_turn()  # between two pages: no PDFium call is running
            if self._progress is not None:
                self._progress(*args)

        PDFIUM.acquire()
        return progress

    def __exit__(self, *exc: object) -> None:
        if self._active:
            PDFIUM.release()


MAX_PIXELS = 16_000_000
"""A page image is never bigger than this (about 3300 × 4700, an A4 page at 400%): very deep zoom renders a
blurrier image rather than running out of memory (``core.documents.pdf.MAX_IMAGE_PIXELS``)."""

CHANNELS = ("view", "thumbs")


@dataclass(frozen=True)
class RenderRequest:
    key: str  # document key (the view's id for a file)
    index: int  # 0-based page
    scale: float  # pixels per PDF point
    channel: str = "view"


class PageRenderer(QThread):
    """The render thread.  Create one per window, ``start()`` it, ``shutdown()`` it before the window goes."""

    opened = Signal(str, object)  # key, [(width_pt, height_pt), ...]
    open_failed = Signal(str, str, str)  # key, code ("encrypted" / "corrupt" / "missing"), Chinese reason
    rendered = Signal(str, str, int, float, QImage)  # channel, key, 0-based page, scale, image

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("PageRenderer")
        self._cond = threading.Condition()
        self._opens: list[tuple[str, str, str | None]] = []
        self._closes: list[str] = []
        self._wanted: dict[str, "OrderedDict[tuple[str, int], RenderRequest]"] = {
            c: OrderedDict() for c in CHANNELS}
        self._stop = False
        self._docs: dict = {}  # key -> core.documents.pdf.PageImages or a layout, touched by the render thread only

    # -- UI thread ------------------------------------------------------------------------------------
    def open_document(self, key: str, path: str, password: str | None = None) -> None:
        with self._cond:
            self._opens.append((key, path, password))
            self._cond.notify()

    def close_document(self, key: str) -> None:
        with self._cond:
            self._closes.append(key)
            for ch in CHANNELS:
                for k in [k for k in self._wanted[ch] if k[0] == key]:
                    del self._wanted[ch][k]
            self._cond.notify()

    def set_wanted(self, channel: str, requests: list[RenderRequest]) -> None:
        """Replace the queue of ``channel`` with ``requests`` (first = most urgent)."""
        with self._cond:
            q = self._wanted[channel]
            q.clear()
            for r in requests:
                q[(r.key, r.index)] = RenderRequest(r.key, r.index, r.scale, channel)
            self._cond.notify()

    def shutdown(self, timeout_ms: int = 5000) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify()
        if self.isRunning():
            self.wait(timeout_ms)

    # -- render thread --------------------------------------------------------------------------------
    def run(self) -> None:
        try:
            while True:
                with self._cond:
                    while not (self._stop or self._opens or self._closes or any(self._wanted.values())):
                        self._cond.wait()
                    if self._stop:
                        break
                    closes, self._closes = self._closes, []
                    opens, self._opens = self._opens, []
                    request = None
                    if not opens and not closes:
                        for ch in CHANNELS:
                            if self._wanted[ch]:
                                _, request = self._wanted[ch].popitem(last=False)
                                break
                with renderer_lock():
                    for key in closes:
                        self._close(key)
                    for key, path, password in opens:
                        self._open(key, path, password)
                    if request is not None:
                        self._render(request)
        finally:
            with renderer_lock():
                for key in list(self._docs):
                    self._close(key)

    def _open(self, key: str, path: str, password: str | None) -> None:
        from core.documents.pdf import PageImages  # the core owns PDFium, its errors and their reasons
        from core.errors import DocumentError

        self._close(key)
        if _not_pdf(path):  # Word, Excel, WPS, OFD: pages drawn from the core's layout (ui.layout_render)
            self._open_layout(key, path)
            return
        try:
            doc = PageImages(path, password)
        except DocumentError as e:
            self.open_failed.emit(key, e.code if e.code in ("missing", "encrypted") else "corrupt", e.reason)
            return
        self._docs[key] = doc
        self.opened.emit(key, list(doc.sizes))

    def _open_layout(self, key: str, path: str) -> None:
        from core.documents.reader import open_any
        from core.errors import DocumentError

        try:
            doc = open_any(path, key)
        except DocumentError as e:
            self.open_failed.emit(key, "missing" if e.code == "missing" else "corrupt", e.reason)
            return
        except Exception:  # noqa: BLE001 - a broken file must never take the thread down
            log.exception("cannot open %s", path)
            self.open_failed.emit(key, "corrupt", "文件已损坏，无法显示")
            return
        self._docs[key] = doc
        self.opened.emit(key, [(pg.width, pg.height) for pg in doc.pages])

    def _close(self, key: str) -> None:
        doc = self._docs.pop(key, None)
        if doc is not None and hasattr(doc, "close"):
            try:
                doc.close()
            except Exception:  # noqa: BLE001
                pass

    def _render(self, r: RenderRequest) -> None:
        doc = self._docs.get(r.key)
        if doc is not None and hasattr(doc, "pages"):  # a layout (``_open_layout``), not a PDFium document
            if 0 <= r.index < len(doc.pages):
                from ui.layout_render import layout_page_image

                try:
                    image = layout_page_image(doc.pages[r.index], r.scale)
                except Exception:  # noqa: BLE001
                    log.exception("cannot draw page %s of %s", r.index + 1, r.key)
                    return
                self.rendered.emit(r.channel, r.key, r.index, r.scale, image)
            return
        if doc is None or not (0 <= r.index < len(doc)):
            return
        try:
            image = _to_qimage(doc.render(r.index, r.scale, MAX_PIXELS))
        except Exception:  # noqa: BLE001 - one bad page must not stop the others
            log.exception("cannot render page %s of %s", r.index + 1, r.key)
            return
        self.rendered.emit(r.channel, r.key, r.index, r.scale, image)


def _not_pdf(path: str) -> bool:
    """A file that does not start like a PDF (the core tells Word, Excel and OFD apart by content too)."""
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError:
        return False  # PDFium's open names the problem
    return b"%PDF-" not in head and head[:2] in (b"PK", b"\xd0\xcf")


def _to_qimage(image) -> QImage:
    """A ``core.documents.pdf.PageImage`` as a QImage."""
    fmt = {"RGBX": QImage.Format.Format_RGBX8888, "RGBA": QImage.Format.Format_RGBA8888,
           "RGB": QImage.Format.Format_RGB888, "L": QImage.Format.Format_Grayscale8}.get(image.mode)
    if fmt is None:
        raise ValueError(f"unexpected bitmap mode {image.mode}")
    return QImage(image.data, image.width, image.height, image.stride, fmt).copy()
