"""The pages of a case, stacked in one scrollable view, with boxes drawn where values were printed.

Why it exists (and why not QtPdf): the reviewer must see *exactly* where a number came from, so the boxes the
core reports (PDF points from the page's top-left, as pdfplumber gives them) must land on the printed digits
at any zoom.  The scene is laid out in PDF points: a page of 595 × 842 pt is a 595 × 842 rectangle in the
scene, a box ``(x0, top, x1, bottom)`` on it is that rectangle offset by the page's position, and zoom is only
the view's transform.  Page images come from ``ui.rendering.PageRenderer`` (pypdfium2, one background thread)
at ``zoom × devicePixelRatio`` pixels per point, only for the pages on screen and their neighbours, and a
small budget of images is kept (least recently seen pages are dropped first).

What it must not do: know about fields or findings.  It shows documents, pages and boxes; the window decides
which boxes.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from ui.rendering import PageRenderer, RenderRequest

PAGE_GAP = 12.0  # points between pages
DOC_GAP = 36.0  # points between documents (room for the file name)
MARGIN = 16.0
MIN_ZOOM, MAX_ZOOM = 0.15, 6.0
ZOOM_STEP = 1.2
LEGIBLE_DIGIT_PX = 15.0
"""How tall the digits of a value the reviewer looks at are drawn (screen pixels): the page is zoomed so that
a printed figure reads at this size (at the window's usual 70–100 % they are about 6 px)."""
DIGIT_OF_FONT = 0.72
"""A digit's height as a share of the font size (CJK fonts in 决算 and 自评表 print digits at ~0.7 em)."""
IMAGE_BUDGET = 160 * 1024 * 1024  # bytes of page images kept
PREFETCH = 1  # pages rendered beyond those on screen, each way

BBox = tuple[float, float, float, float]


@dataclass
class Box:
    """A place to outline: document key, 1-based page, box in points (a zero-area box: the whole page)."""

    key: str
    page: int
    bbox: BBox


@dataclass
class _Doc:
    key: str
    path: str
    title: str
    sizes: list[tuple[float, float]] | None = None
    items: list["PageItem"] = field(default_factory=list)
    error: str = ""
    error_code: str = ""
    password: str | None = None


class PageItem(QGraphicsItem):
    """One page: its rendered image when there is one, a white sheet with a note otherwise."""

    def __init__(self, key: str, index: int, width: float, height: float, label: str) -> None:
        super().__init__()
        self.key, self.index = key, index
        self.width, self.height = width, height
        self.label = label
        self.note = "正在加载…"
        self.pixmap: QPixmap | None = None
        self.scale_rendered = 0.0
        self.setCacheMode(QGraphicsItem.CacheMode.NoCache)

    @property
    def page(self) -> int:
        return self.index + 1

    def boundingRect(self) -> QRectF:
        return QRectF(-1, -1, self.width + 4, self.height + 4)

    def page_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.height)

    def set_image(self, image: QImage, scale: float) -> None:
        self.pixmap = QPixmap.fromImage(image)
        self.scale_rendered = scale
        self.update()

    def drop_image(self) -> None:
        self.pixmap = None
        self.scale_rendered = 0.0
        self.update()

    def image_bytes(self) -> int:
        return self.pixmap.width() * self.pixmap.height() * 4 if self.pixmap is not None else 0

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        rect = self.page_rect()
        painter.fillRect(rect.translated(1.5, 2), QColor(0, 0, 0, 40))  # a hint of shadow
        if self.pixmap is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
            painter.drawPixmap(rect, self.pixmap, QRectF(self.pixmap.rect()))
        else:
            painter.fillRect(rect, Qt.GlobalColor.white)
            painter.setPen(QColor("#9aa0a6"))
            font = QFont(painter.font())
            font.setPointSizeF(11)
            painter.setFont(font)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{self.label}\n{self.note}")
        painter.setPen(QPen(QColor("#b0b4b8"), 0))
        painter.drawRect(rect)


class PdfView(QGraphicsView):
    """All pages of all documents of a case, top to bottom.

    Signals: ``current_page_changed(key, page)`` when the page under the middle of the view changes;
    ``page_shown(key, page)`` when a page's image is first drawn; ``documents_changed()`` when pages were
    added or removed; ``open_failed(key, code, reason)`` for a file that cannot be shown; ``zoom_changed``;
    ``step_requested(±1)`` for Tab / Shift+Tab while several places of a finding are outlined;
    ``box_drawn(key, page, bbox)`` when the reviewer drew a box in drawing mode (``start_drawing``): points
    from the page's top-left, clipped to the page; a click without a drag gives a zero-area box ("this page").
    """

    current_page_changed = Signal(str, int)
    page_shown = Signal(str, int)
    documents_changed = Signal()
    open_failed = Signal(str, str, str)
    zoom_changed = Signal(float)
    step_requested = Signal(int)
    box_drawn = Signal(str, int, object)

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._renderer = renderer
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setObjectName("pdfView")
        self.setBackgroundBrush(QColor("#e4e6e9"))
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(False)  # files dropped here go to the window
        # always there, so fitting the width never makes it appear and disappear in a loop
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self._docs: "OrderedDict[str, _Doc]" = OrderedDict()
        self._titles: list[QGraphicsSimpleTextItem] = []
        self._zoom = 1.0
        self._fit_width = True
        self._highlights: dict[str, tuple[list[Box], QColor, int]] = {}
        self._highlight_items: dict[str, list[QGraphicsRectItem]] = {}
        self._pending_goto: tuple[str, int, BBox | None] | None = None
        self._pending_legible = False
        self._reviewer_zoom: tuple[float, bool] | None = None  # (zoom, fit width) before a value was zoomed to
        self._current: tuple[str, int] | None = None
        self._shown: set[tuple[str, int]] = set()
        self._lru: "OrderedDict[tuple[str, int], None]" = OrderedDict()
        self._step_count = 0
        self._drawing = False
        self._draw_start: tuple[PageItem, QPointF] | None = None
        self._rubber: QGraphicsRectItem | None = None
        self._render_timer = QTimer(self)
        self._render_timer.setSingleShot(True)
        self._render_timer.setInterval(15)
        self._render_timer.timeout.connect(self._request_visible)
        renderer.opened.connect(self._on_opened)
        renderer.open_failed.connect(self._on_open_failed)
        renderer.rendered.connect(self._on_rendered)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(self._on_scrolled)

    # -- documents ------------------------------------------------------------------------------------
    def set_documents(self, docs: list[tuple[str, str, str]]) -> None:
        """Show these documents, in this order: ``[(key, path, title)]``.  Documents already open with the
        same key and path are kept (their images too); the others are opened in the render thread."""
        wanted = OrderedDict((k, (p, t)) for k, p, t in docs)
        for key in list(self._docs):
            if key not in wanted or wanted[key][0] != self._docs[key].path:
                self._remove_doc(key)
        new = OrderedDict()
        for key, (path, title) in wanted.items():
            doc = self._docs.get(key)
            if doc is None:
                doc = _Doc(key, path, title)
                self._renderer.open_document(key, path)
            doc.title = title
            new[key] = doc
        self._docs = new
        self._layout()

    def set_password(self, key: str, password: str) -> None:
        doc = self._docs.get(key)
        if doc is None:
            return
        doc.password, doc.error, doc.error_code = password, "", ""
        self._renderer.open_document(key, doc.path, password)

    def clear(self) -> None:
        self.set_documents([])
        self.clear_all_highlights()
        self._current = None

    def document_keys(self) -> list[str]:
        return list(self._docs)

    def document_title(self, key: str) -> str:
        doc = self._docs.get(key)
        return doc.title if doc else ""

    def document_error(self, key: str) -> str:
        doc = self._docs.get(key)
        return doc.error if doc else ""

    def page_count(self, key: str | None = None) -> int:
        if key is not None:
            doc = self._docs.get(key)
            return len(doc.items) if doc else 0
        return sum(len(d.items) for d in self._docs.values())

    def pages(self) -> list[PageItem]:
        return [it for d in self._docs.values() for it in d.items]

    def page_item(self, key: str, page: int) -> PageItem | None:
        doc = self._docs.get(key)
        if doc is None or not (1 <= page <= len(doc.items)):
            return None
        return doc.items[page - 1]

    def page_size(self, key: str, page: int) -> tuple[float, float] | None:
        it = self.page_item(key, page)
        return (it.width, it.height) if it else None

    def _remove_doc(self, key: str) -> None:
        doc = self._docs.pop(key, None)
        if doc is None:
            return
        for it in doc.items:
            self._lru.pop((key, it.index), None)
            self._scene.removeItem(it)
        doc.items = []
        self._renderer.close_document(key)

    def _on_opened(self, key: str, sizes: list) -> None:
        doc = self._docs.get(key)
        if doc is None:
            return
        for it in doc.items:
            self._scene.removeItem(it)
        doc.error = doc.error_code = ""
        doc.sizes = [(float(w), float(h)) for w, h in sizes]
        doc.items = []
        for i, (w, h) in enumerate(doc.sizes):
            it = PageItem(key, i, w, h, f"第 {i + 1} 页")
            self._scene.addItem(it)
            doc.items.append(it)
        self._layout()
        self.documents_changed.emit()

    def _on_open_failed(self, key: str, code: str, reason: str) -> None:
        doc = self._docs.get(key)
        if doc is None:
            return
        for it in doc.items:
            self._scene.removeItem(it)
        doc.error, doc.error_code = reason, code
        it = PageItem(key, 0, 595.0, 842.0, doc.title)
        it.note = reason
        self._scene.addItem(it)
        doc.items = [it]
        self._layout()
        self.documents_changed.emit()
        self.open_failed.emit(key, code, reason)

    def _layout(self) -> None:
        for t in self._titles:
            self._scene.removeItem(t)
        self._titles = []
        width = max((it.width for d in self._docs.values() for it in d.items), default=595.0)
        y = MARGIN
        several = len(self._docs) > 1
        for n, doc in enumerate(self._docs.values()):
            if n > 0:
                y += DOC_GAP - PAGE_GAP
            if several and doc.items:
                title = QGraphicsSimpleTextItem(doc.title)
                font = QFont(self.font())
                font.setPixelSize(11)  # scene units: it scales with the pages
                title.setFont(font)
                title.setBrush(QColor("#5f6368"))
                title.setPos((width - doc.items[0].width) / 2, y)
                title.setZValue(1)
                self._scene.addItem(title)
                self._titles.append(title)
                y += 18.0
            for it in doc.items:
                it.setPos((width - it.width) / 2, y)
                y += it.height + PAGE_GAP
        self._scene.setSceneRect(QRectF(-MARGIN, 0, width + 2 * MARGIN, max(y + MARGIN, 1.0)))
        self._rebuild_highlights()
        if self._fit_width:
            self._apply_fit_width()
        self._apply_pending_goto()
        self._schedule()

    # -- zoom -----------------------------------------------------------------------------------------
    @property
    def zoom(self) -> float:
        return self._zoom

    @property
    def fit_width_mode(self) -> bool:
        return self._fit_width

    def set_zoom(self, zoom: float, *, keep_fit: bool = False) -> None:
        zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
        if not keep_fit:
            self._fit_width = False
        if math.isclose(zoom, self._zoom, rel_tol=1e-4):
            return
        self._zoom = zoom
        self.setTransform(QTransform.fromScale(zoom, zoom))
        self.zoom_changed.emit(zoom)
        self._schedule()

    def zoom_in(self) -> None:
        self._reviewer_zoom = None  # the reviewer's own zoom from now on
        self._zoom_anchored(self._zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._reviewer_zoom = None
        self._zoom_anchored(self._zoom / ZOOM_STEP)

    # -- a value, legible -----------------------------------------------------------------------------
    @staticmethod
    def legible_zoom(bbox: BBox) -> float:
        """The zoom at which the figure in ``bbox`` reads with digits ``LEGIBLE_DIGIT_PX`` tall.  A box is a
        figure's printed characters (as tall as its font) or a whole cell (taller): fonts of these forms are
        6–13 pt, so the box height is taken within that range."""
        font = min(max(bbox[3] - bbox[1], 6.0), 13.0)
        return max(MIN_ZOOM, min(MAX_ZOOM, LEGIBLE_DIGIT_PX / (DIGIT_OF_FONT * font)))

    def digit_px(self, bbox: BBox) -> float:
        """About how tall the digits in ``bbox`` are on screen now (pixels)."""
        return self._zoom * DIGIT_OF_FONT * min(max(bbox[3] - bbox[1], 6.0), 13.0)

    def show_value(self, key: str, page: int, bbox: BBox | None) -> None:
        """Zoom and pan so that the printed value in ``bbox`` is legible, with the page to its left (its row's
        label) and above it (its column's header) in view as far as the view allows; the reviewer's zoom is
        remembered for ``restore_zoom``.  A zoom already legible (up to 1.8× more) is kept.  A box without
        area ("this page") just goes to the page."""
        if bbox is None or not (bbox[2] > bbox[0] and bbox[3] > bbox[1]):
            self.go_to(key, page, bbox)
            return
        if self.page_item(key, page) is None:
            self._pending_goto, self._pending_legible = (key, page, bbox), True
            return
        self._pending_goto, self._pending_legible = None, False
        target = self.legible_zoom(bbox)
        w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
        if h > 40 or w > 260:  # a region (a column of a table, a paragraph): the whole of it, legible if it fits
            fit = min(self.viewport().width() / (w + 40), self.viewport().height() / (h + 60))
            target = max(MIN_ZOOM, min(target, fit))
        if not (target * 0.95 <= self._zoom <= target * 1.8):
            if self._reviewer_zoom is None:
                self._reviewer_zoom = (self._zoom, self._fit_width)
            anchor = self.transformationAnchor()
            self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
            self.set_zoom(target)
            self.setTransformationAnchor(anchor)
        r = self.box_rect(key, page, bbox)
        pr = self.page_rect(key, page)
        vw = self.viewport().width() / self._zoom
        vh = self.viewport().height() / self._zoom
        if pr.width() + 2 * MARGIN <= vw:
            x = pr.center().x()
        else:  # the value in the right part of the view, as much of its row to the left as fits
            x = max(r.right() - 0.36 * vw, r.center().x() if r.width() > 0.7 * vw else -1e9)
            x = max(x, pr.left() - MARGIN + vw / 2)  # no empty space left of the page
            x = min(x, pr.right() + MARGIN - vw / 2)
        y = r.center().y() - 0.18 * vh  # the value below the middle: its column's header above it
        self.centerOn(QPointF(x, y))
        self._on_scrolled()

    @property
    def zoomed_to_value(self) -> bool:
        return self._reviewer_zoom is not None

    def restore_zoom(self) -> bool:
        """Back to the zoom the reviewer had before values were zoomed to, keeping the middle of the view
        where it is; False when there is nothing to go back to."""
        if self._reviewer_zoom is None:
            return False
        zoom, fit = self._reviewer_zoom
        self._reviewer_zoom = None
        center = self.mapToScene(self.viewport().rect().center())
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        if fit:
            self.fit_width()
        else:
            self.set_zoom(zoom)
        self.setTransformationAnchor(anchor)
        self.centerOn(center)
        self._on_scrolled()
        return True

    def _zoom_anchored(self, zoom: float) -> None:
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.set_zoom(zoom)
        self.setTransformationAnchor(anchor)

    def fit_width(self) -> None:
        self._reviewer_zoom = None
        self._fit_width = True
        self._apply_fit_width()

    def _apply_fit_width(self) -> None:
        width = max((it.width for it in self.pages()), default=0.0)
        if width <= 0:
            return
        avail = self.viewport().width() - 4
        if avail <= 50:
            return
        top = self.mapToScene(0, 0).y()
        anchor = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.set_zoom(avail / (width + 2 * MARGIN), keep_fit=True)
        self.setTransformationAnchor(anchor)
        self.verticalScrollBar().setValue(int(top * self._zoom))

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() / 120.0
            if steps:
                self._reviewer_zoom = None
                self.set_zoom(self._zoom * (1.12 ** steps))
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._fit_width:
            self._apply_fit_width()
        self._schedule()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._fit_width:
            self._apply_fit_width()
        self._schedule()

    # -- where we are ---------------------------------------------------------------------------------
    def current_page(self) -> tuple[str, int] | None:
        """``(key, page)`` of the page under the middle of the view."""
        it = self._item_at(self.mapToScene(self.viewport().rect().center()))
        return (it.key, it.page) if it else None

    def _item_at(self, p: QPointF) -> PageItem | None:
        best, best_d = None, None
        for it in self.pages():
            r = it.sceneBoundingRect()
            if r.top() <= p.y() <= r.bottom():
                return it
            d = min(abs(r.top() - p.y()), abs(r.bottom() - p.y()))
            if best_d is None or d < best_d:
                best, best_d = it, d
        return best

    def _on_scrolled(self, *_: object) -> None:
        self._schedule()
        cur = self.current_page()
        if cur != self._current:
            self._current = cur
            if cur is not None:
                self.current_page_changed.emit(*cur)

    def page_rect(self, key: str, page: int) -> QRectF | None:
        """The page in scene coordinates (points)."""
        it = self.page_item(key, page)
        return QRectF(it.pos().x(), it.pos().y(), it.width, it.height) if it else None

    def box_rect(self, key: str, page: int, bbox: BBox) -> QRectF | None:
        """A box ``(x0, top, x1, bottom)`` in points from the page's top-left, in scene coordinates."""
        it = self.page_item(key, page)
        if it is None:
            return None
        x0, top, x1, bottom = bbox
        if x1 <= x0 or bottom <= top:  # "this page"
            return QRectF(it.pos().x(), it.pos().y(), it.width, it.height)
        return QRectF(it.pos().x() + x0, it.pos().y() + top, x1 - x0, bottom - top)

    def go_to(self, key: str, page: int, bbox: BBox | None = None) -> None:
        """Scroll so that the box (or the top of the page) is comfortably in view.  Works before the
        document has been opened: the scroll then happens as soon as its pages are known."""
        if self.page_item(key, page) is None:
            self._pending_goto, self._pending_legible = (key, page, bbox), False
            return
        self._pending_goto = None
        vp = self.mapToScene(self.viewport().rect()).boundingRect()
        if bbox is not None and bbox[2] > bbox[0] and bbox[3] > bbox[1]:
            r = self.box_rect(key, page, bbox)
            x = vp.center().x()
            if r.left() < vp.left() + 8 or r.right() > vp.right() - 8:
                x = r.center().x()
            self.centerOn(QPointF(x, r.center().y()))
        else:
            pr = self.page_rect(key, page)
            self.centerOn(QPointF(vp.center().x(), pr.top() - 6 + vp.height() / 2))
        self._on_scrolled()

    def _apply_pending_goto(self) -> None:
        if self._pending_goto is not None:
            key, page, bbox = self._pending_goto
            if self.page_item(key, page) is not None:
                (self.show_value if self._pending_legible else self.go_to)(key, page, bbox)

    # -- highlights -----------------------------------------------------------------------------------
    def set_highlights(self, kind: str, boxes: list[Box], color: QColor, current: int = -1) -> None:
        """Outline ``boxes`` (replacing the previous ones of ``kind``); ``current`` is drawn stronger."""
        self._highlights[kind] = (list(boxes), QColor(color), current)
        self._rebuild_highlights(kind)

    def clear_highlights(self, kind: str) -> None:
        self._highlights.pop(kind, None)
        self._rebuild_highlights(kind)

    def clear_all_highlights(self) -> None:
        for kind in list(self._highlights):
            self.clear_highlights(kind)

    def highlight_rects(self, kind: str) -> list[QRectF]:
        """The outlines of ``kind`` now in the scene (scene coordinates), for tests and for stepping."""
        return [it.rect() for it in self._highlight_items.get(kind, [])]

    def set_step_count(self, n: int) -> None:
        """How many places Tab steps through (0 or 1: Tab moves focus as usual)."""
        self._step_count = n

    def _rebuild_highlights(self, only: str | None = None) -> None:
        kinds = [only] if only is not None else list(set(self._highlights) | set(self._highlight_items))
        for kind in kinds:
            for it in self._highlight_items.pop(kind, []):
                self._scene.removeItem(it)
            spec = self._highlights.get(kind)
            if spec is None:
                continue
            boxes, color, current = spec
            items = []
            for i, b in enumerate(boxes):
                r = self.box_rect(b.key, b.page, b.bbox)
                if r is None:
                    continue
                strong = i == current
                pad = 2.0
                item = QGraphicsRectItem(r.adjusted(-pad, -pad, pad, pad))
                pen = QPen(color, 3.0 if strong else 2.0)
                pen.setCosmetic(True)
                item.setPen(pen)
                fill = QColor(color)
                fill.setAlpha(60 if strong else 34)
                item.setBrush(QBrush(fill))
                item.setZValue(20 if strong else 10)
                item.setData(0, kind)
                self._scene.addItem(item)
                items.append(item)
            self._highlight_items[kind] = items

    def focusNextPrevChild(self, next: bool) -> bool:  # noqa: A002 - Qt's name
        if self._step_count > 1 and self.hasFocus():
            self.step_requested.emit(1 if next else -1)
            return True
        return super().focusNextPrevChild(next)

    # -- drawing a box (a value entered by hand) -------------------------------------------------------
    @property
    def drawing(self) -> bool:
        return self._drawing

    def start_drawing(self) -> None:
        """The next drag on a page draws a box (instead of scrolling the view)."""
        self._drawing = True
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor)

    def stop_drawing(self) -> None:
        self._drawing = False
        self._draw_start = None
        if self._rubber is not None:
            self._scene.removeItem(self._rubber)
            self._rubber = None
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().unsetCursor()

    def page_at(self, view_pos) -> PageItem | None:
        """The page under a point of the viewport (None between pages)."""
        p = self.mapToScene(view_pos)
        for it in self.pages():
            if it.sceneBoundingRect().contains(p) and it.page_rect().contains(p - it.pos()):
                return it
        return None

    def draw_box(self, key: str, page: int, start: tuple[float, float], end: tuple[float, float]) -> None:
        """What a drag from ``start`` to ``end`` (points on the page) does in drawing mode; for tests and
        for the mouse alike."""
        it = self.page_item(key, page)
        if it is None:
            return
        r = QRectF(QPointF(*start), QPointF(*end)).normalized().intersected(it.page_rect())
        self.stop_drawing()
        if r.width() < 3 or r.height() < 3:  # a click: the page, no box
            self.box_drawn.emit(key, page, (0.0, 0.0, 0.0, 0.0))
            return
        self.box_drawn.emit(key, page, (round(r.left(), 2), round(r.top(), 2), round(r.right(), 2),
                                        round(r.bottom(), 2)))

    def mousePressEvent(self, event) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            it = self.page_at(event.position().toPoint())
            if it is not None:
                start = self.mapToScene(event.position().toPoint()) - it.pos()
                self._draw_start = (it, start)
                self._rubber = QGraphicsRectItem(QRectF(it.pos() + start, it.pos() + start))
                pen = QPen(QColor("#1e6fbf"), 2.0, Qt.PenStyle.DashLine)
                pen.setCosmetic(True)
                self._rubber.setPen(pen)
                self._rubber.setBrush(QBrush(QColor(30, 111, 191, 40)))
                self._rubber.setZValue(30)
                self._scene.addItem(self._rubber)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._drawing and self._draw_start is not None and self._rubber is not None:
            it, start = self._draw_start
            end = self.mapToScene(event.position().toPoint()) - it.pos()
            r = QRectF(start, end).normalized().intersected(it.page_rect())
            self._rubber.setRect(r.translated(it.pos()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._drawing and event.button() == Qt.MouseButton.LeftButton:
            if self._draw_start is not None:
                it, start = self._draw_start
                end = self.mapToScene(event.position().toPoint()) - it.pos()
                self.draw_box(it.key, it.page, (start.x(), start.y()), (end.x(), end.y()))
            event.accept()
            return
        super().mouseReleaseEvent(event)

    # -- rendering ------------------------------------------------------------------------------------
    def _schedule(self) -> None:
        if not self._render_timer.isActive():
            self._render_timer.start()

    def desired_scale(self) -> float:
        """Pixels per point for the current zoom, rounded up to an eighth so small zoom steps reuse images."""
        s = self._zoom * self.devicePixelRatioF()
        return math.ceil(s * 8) / 8

    def visible_pages(self) -> list[PageItem]:
        vp = self.mapToScene(self.viewport().rect()).boundingRect()
        return [it for it in self.pages() if it.sceneBoundingRect().intersects(vp)]

    def _request_visible(self) -> None:
        pages = self.pages()
        if not pages:
            return
        visible = self.visible_pages()
        if not visible:
            return
        first, last = pages.index(visible[0]), pages.index(visible[-1])
        wanted = visible + pages[max(0, first - PREFETCH):first] + pages[last + 1:last + 1 + PREFETCH]
        scale = self.desired_scale()
        requests = []
        for it in wanted:
            doc = self._docs.get(it.key)
            if doc is None or doc.error:
                continue
            if it.pixmap is None or not math.isclose(it.scale_rendered, scale, rel_tol=1e-3):
                requests.append(RenderRequest(it.key, it.index, scale))
        self._renderer.set_wanted("view", requests)
        for it in visible:  # seen now: last to be dropped
            self._lru.pop((it.key, it.index), None)
            if it.pixmap is not None:
                self._lru[(it.key, it.index)] = None

    def _on_rendered(self, channel: str, key: str, index: int, scale: float, image: QImage) -> None:
        if channel != "view":
            return
        it = self.page_item(key, index + 1)
        if it is None:
            return
        it.set_image(image, scale)
        self._lru.pop((key, index), None)
        self._lru[(key, index)] = None
        self._evict()
        if (key, index + 1) not in self._shown:
            self._shown.add((key, index + 1))
            self.page_shown.emit(key, index + 1)
        if not math.isclose(scale, self.desired_scale(), rel_tol=1e-3):
            self._schedule()

    def _evict(self) -> None:
        visible = {(it.key, it.index) for it in self.visible_pages()}
        total = sum(it.image_bytes() for it in self.pages())
        for k in list(self._lru):
            if total <= IMAGE_BUDGET:
                break
            if k in visible:
                continue
            it = self.page_item(k[0], k[1] + 1)
            self._lru.pop(k, None)
            if it is not None:
                total -= it.image_bytes()
                it.drop_image()

    def is_page_shown(self, key: str, page: int) -> bool:
        it = self.page_item(key, page)
        return it is not None and it.pixmap is not None
