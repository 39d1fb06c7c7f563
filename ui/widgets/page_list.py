"""The strip of page thumbnails beside the document, labelled with the form each page holds.

Why it exists: a package is 10–60 pages of four different forms; the reviewer jumps to "the 自评表" or
"page 14" faster from a labelled strip than by scrolling.  Thumbnails are rendered lazily through the shared
``PageRenderer`` (channel "thumbs", served after the pages on screen), only for the rows in sight.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ui.rendering import PageRenderer, RenderRequest

THUMB_WIDTH = 84
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # as the field and findings lists name the files
KEY_ROLE = Qt.ItemDataRole.UserRole + 20
PAGE_ROLE = Qt.ItemDataRole.UserRole + 21


class PageList(QListWidget):
    """``page_chosen(key, page)`` when the reviewer picks a page."""

    page_chosen = Signal(str, int)

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("pageList")
        self._renderer = renderer
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.setViewMode(QListWidget.ViewMode.IconMode)
        self.setFlow(QListWidget.Flow.TopToBottom)
        self.setWrapping(False)
        self.setMovement(QListWidget.Movement.Static)
        self.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setSpacing(4)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setStyleSheet("QListWidget#pageList { background: #f6f7f8; border: none; }"
                           "QListWidget#pageList::item { padding: 3px; }"
                           "QListWidget#pageList::item:selected { background: #d3e3fd; color: black; }")
        self._items: dict[tuple[str, int], QListWidgetItem] = {}
        self._sizes: dict[tuple[str, int], tuple[float, float]] = {}
        self._have: set[tuple[str, int]] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(60)
        self._timer.timeout.connect(self._request_visible)
        self.verticalScrollBar().valueChanged.connect(lambda *_: self._timer.start())
        self.itemActivated.connect(self._chosen)
        self.itemClicked.connect(self._chosen)
        renderer.rendered.connect(self._on_rendered)

    def set_pages(self, docs: list[tuple[str, str, list[tuple[float, float]], dict[int, str]]]) -> None:
        """``[(key, title, page sizes, {page: label})]``: one row per page, a title row per document when
        there are several."""
        self.clear()
        self._items.clear()
        self._sizes.clear()
        self._have.clear()
        several = len(docs) > 1
        for n, (key, title, sizes, labels) in enumerate(docs):
            if several:
                mark = _CIRCLED[n] if n < len(_CIRCLED) else f"({n + 1})"
                head = QListWidgetItem(f"{mark} {title}")
                head.setFlags(Qt.ItemFlag.NoItemFlags)
                head.setForeground(QColor("#3c4043"))
                head.setBackground(QColor("#e8eaed"))
                head.setToolTip(title)
                head.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                head.setSizeHint(QSize(THUMB_WIDTH + 16, 40))
                self.addItem(head)
            for i, size in enumerate(sizes, start=1):
                label = labels.get(i, "")
                text = f"{i}" + (f" · {_short_label(label)}" if label else "")
                item = QListWidgetItem(self._placeholder(size), text)
                item.setData(KEY_ROLE, key)
                item.setData(PAGE_ROLE, i)
                item.setToolTip(f"{title} 第{i}页" + (f"：{label}" if label else ""))
                item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                self.addItem(item)
                self._items[(key, i)] = item
                self._sizes[(key, i)] = size
        self._timer.start()

    def select_page(self, key: str, page: int) -> None:
        """Follow the view without sending ``page_chosen`` back."""
        item = self._items.get((key, page))
        if item is None or item is self.currentItem():
            return
        self.blockSignals(True)
        self.setCurrentItem(item)
        self.blockSignals(False)
        self.scrollToItem(item, QAbstractItemView.ScrollHint.EnsureVisible)

    def _chosen(self, item: QListWidgetItem) -> None:
        key = item.data(KEY_ROLE)
        if key:
            self.page_chosen.emit(key, int(item.data(PAGE_ROLE)))

    def keyPressEvent(self, event) -> None:
        super().keyPressEvent(event)
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown,
                           Qt.Key.Key_Home, Qt.Key.Key_End) and self.currentItem() is not None:
            self._chosen(self.currentItem())

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._timer.start()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._timer.start()

    def _placeholder(self, size: tuple[float, float]) -> QIcon:
        w, h = size
        pix = QPixmap(THUMB_WIDTH, max(1, int(THUMB_WIDTH * h / max(w, 1))))
        pix.fill(QColor("white"))
        p = QPainter(pix)
        p.setPen(QColor("#c4c7c5"))
        p.drawRect(0, 0, pix.width() - 1, pix.height() - 1)
        p.end()
        return QIcon(pix)

    def _scale(self, key: str, page: int) -> float:
        w, _ = self._sizes[(key, page)]
        return round(THUMB_WIDTH * self.devicePixelRatioF() / max(w, 1), 4)

    def _request_visible(self) -> None:
        if not self.isVisible() or not self._items:
            return
        # the rows in sight and a few beyond, found by their rectangles: the point at the view's top-left
        # corner is often the spacing between two rows, which found no row and always rendered pages 1–14
        # (so a package's later pages — its second file, the 决算说明 — stayed blank)
        near = self.viewport().rect().adjusted(0, -120, 0, 360)
        requests = []
        for row in range(self.count()):
            item = self.item(row)
            if not self.visualItemRect(item).intersects(near):
                continue
            key = item.data(KEY_ROLE)
            if not key:
                continue
            page = int(item.data(PAGE_ROLE))
            if (key, page) not in self._have:
                requests.append(RenderRequest(key, page - 1, self._scale(key, page)))
        self._renderer.set_wanted("thumbs", requests)

    def _on_rendered(self, channel: str, key: str, index: int, scale: float, image: QImage) -> None:
        if channel != "thumbs":
            return
        item = self._items.get((key, index + 1))
        if item is None:
            return
        pix = QPixmap.fromImage(image)
        pix.setDevicePixelRatio(self.devicePixelRatioF())
        framed = QPixmap(pix)
        p = QPainter(framed)
        p.setPen(QColor("#c4c7c5"))
        p.drawRect(0, 0, int(framed.width() / framed.devicePixelRatio()) - 1,
                   int(framed.height() / framed.devicePixelRatio()) - 1)
        p.end()
        item.setIcon(QIcon(framed))
        self._have.add((key, index + 1))
        self._timer.start()


def _short_label(label: str) -> str:
    """"基础数据表、自评报告" fits under a thumbnail as "基础数据表 等"."""
    parts = [p for p in label.split("、") if p]
    if len(parts) > 1:
        return f"{parts[0]}等"
    return label
