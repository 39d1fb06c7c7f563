"""The left half of the window: the pages, their thumbnails, zoom, page number, find-in-text, and the stepper
through the places a finding names.

Why it exists: the view (``PdfView``) only knows pages and boxes; this panel adds the controls a reviewer
drives it with and keeps them in step (page list ↔ view, search hits ↔ outlines, "位置 2/3" ↔ current box).
It knows documents by *key* (the normalised path of the file, so the first page can be shown before the case
exists); the window translates the case's document ids to keys.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ui import style
from ui.models.common import circled
from ui.rendering import PageRenderer
from ui.widgets.page_list import PageList
from ui.widgets.pdf_view import Box, PdfView


class SearchBar(QWidget):
    """Find in the text of the pages.  Enter: next; Shift+Enter: previous; Esc: close."""

    query_changed = Signal(str)
    step = Signal(int)
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(4)
        layout.addWidget(QLabel("查找："))
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("在文件文字中查找（回车下一个，Shift+回车上一个）")
        self.edit.setClearButtonEnabled(True)
        layout.addWidget(self.edit, 1)
        self.count = QLabel("")
        self.count.setMinimumWidth(90)
        layout.addWidget(self.count)
        for text, tip, d in (("▲", "上一个（Shift+回车）", -1), ("▼", "下一个（回车）", 1)):
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.clicked.connect(lambda _=False, d=d: self.step.emit(d))
            layout.addWidget(b)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip("关闭查找（Esc）")
        close.setAutoRaise(True)
        close.clicked.connect(self.close_bar)
        layout.addWidget(close)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(180)
        self._timer.timeout.connect(lambda: self.query_changed.emit(self.edit.text()))
        self.edit.textChanged.connect(lambda *_: self._timer.start())
        self.edit.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if obj is self.edit and event.type() == event.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self._timer.isActive():
                    self._timer.stop()
                    self.query_changed.emit(self.edit.text())
                else:
                    back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
                    self.step.emit(-1 if back else 1)
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.close_bar()
                return True
        return super().eventFilter(obj, event)

    def open_bar(self, text: str = "") -> None:
        self.show()
        if text:
            self.edit.setText(text)
        self.edit.setFocus()
        self.edit.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()


class DrawBar(QWidget):
    """Shown while the reviewer boxes a value to enter by hand: what to do, and the two ways out."""

    skip = Signal()
    cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drawBar")
        self.setStyleSheet("QWidget#drawBar { background: #e8f1fb; border-bottom: 1px solid #9cc2ea; }"
                           "QWidget#drawBar QLabel { color: #174a7c; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 6, 4)
        self.label = QLabel("手工录入：在页面上按住鼠标左键，框出要录入的数值（单击某页则只记页码）")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.skip_button = QPushButton("不框选，用当前页")
        self.skip_button.setAutoDefault(False)
        self.skip_button.clicked.connect(self.skip)
        layout.addWidget(self.skip_button)
        cancel = QPushButton("取消（Esc）")
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.cancel)
        layout.addWidget(cancel)


PAGE_LABEL_NAME_PX = 260
"""The document's name above the pages is cut to this width (its middle elided: "资阳区…部门决算")."""


class DocumentPanel(QWidget):
    """Signals: ``current_page_changed(key, page)``; ``location_changed(i)`` when stepping through a
    finding's places; ``documents_changed()``; ``open_failed(key, code, reason)``; ``box_chosen(key, page,
    bbox)`` when the reviewer boxed a value to enter by hand (a zero-area box: the page, no box);
    ``drawing_cancelled()``."""

    current_page_changed = Signal(str, int)
    box_chosen = Signal(str, int, object)
    drawing_cancelled = Signal()
    location_changed = Signal(int)
    documents_changed = Signal()
    open_failed = Signal(str, str, str)

    def __init__(self, renderer: PageRenderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self.view = PdfView(renderer)
        self.pages = PageList(renderer)
        self.search_bar = SearchBar()
        self.search_bar.hide()
        self.draw_bar = DrawBar()
        self.draw_bar.hide()
        self._labels: dict[str, dict[int, str]] = {}
        self._titles: dict[str, str] = {}
        self._locations: list[Box] = []
        self._location_color = style.ERROR
        self._location_index = -1
        self._hits: list[Box] = []
        self._hit_index = -1
        self._search = None  # callable(query) -> list[Box], set by the window
        self._search_unavailable = ""

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_toolbar())
        outer.addWidget(self.search_bar)
        outer.addWidget(self.draw_bar)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("documentSplitter")
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([118, 700])
        self.splitter.setCollapsible(1, False)
        outer.addWidget(self.splitter, 1)

        self.view.current_page_changed.connect(self._on_current_page)
        self.view.documents_changed.connect(self._on_documents_changed)
        self.view.open_failed.connect(self.open_failed)
        self.view.zoom_changed.connect(self._on_zoom)
        self.view.step_requested.connect(self.step_location)
        self.pages.page_chosen.connect(lambda key, page: self.view.go_to(key, page))
        self.search_bar.query_changed.connect(self.run_search)
        self.search_bar.step.connect(self.step_hit)
        self.search_bar.closed.connect(self._on_search_closed)
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.view)
        esc.setContext(Qt.ShortcutContext.WidgetShortcut)
        esc.activated.connect(self._on_escape)
        self.view.box_drawn.connect(self._on_box_drawn)
        self.draw_bar.skip.connect(self._skip_drawing)
        self.draw_bar.cancel.connect(self.cancel_drawing)

    # -- toolbar --------------------------------------------------------------------------------------
    def _build_toolbar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("documentToolbar")
        bar.setStyleSheet("QWidget#documentToolbar { background: #f6f7f8;"
                          " border-bottom: 1px solid #dadce0; }")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)

        def tool(text: str, tip: str, slot) -> QToolButton:
            b = QToolButton()
            b.setText(text)
            b.setToolTip(tip)
            b.setAutoRaise(True)
            b.clicked.connect(slot)
            layout.addWidget(b)
            return b

        self.pages_button = tool("页面", "显示/隐藏页面列表", self.toggle_page_list)
        self.pages_button.setCheckable(True)
        self.pages_button.setChecked(True)
        layout.addSpacing(6)
        tool("－", "缩小（Ctrl+-）", self.view.zoom_out)
        self.zoom_label = QLabel("100%")
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_label.setToolTip("缩放比例（Ctrl+滚轮缩放）")
        layout.addWidget(self.zoom_label)
        tool("＋", "放大（Ctrl++）", self.view.zoom_in)
        tool("适合宽度", "页面宽度适合窗口（Ctrl+0）", self.view.fit_width)
        layout.addSpacing(10)
        self.page_label = QLabel("")
        self.page_label.setMinimumWidth(110)
        layout.addWidget(self.page_label)
        layout.addStretch(1)
        self.location_box = QWidget()
        loc = QHBoxLayout(self.location_box)
        loc.setContentsMargins(0, 0, 0, 0)
        loc.setSpacing(2)
        self.location_label = QLabel("")
        prev_b = QToolButton()
        prev_b.setText("◀")
        prev_b.setAutoRaise(True)
        prev_b.setToolTip("问题的上一处位置（在页面上按 Shift+Tab）")
        prev_b.clicked.connect(lambda: self.step_location(-1))
        next_b = QToolButton()
        next_b.setText("▶")
        next_b.setAutoRaise(True)
        next_b.setToolTip("问题的下一处位置（在页面上按 Tab）")
        next_b.clicked.connect(lambda: self.step_location(1))
        loc.addWidget(self.location_label)
        loc.addWidget(prev_b)
        loc.addWidget(next_b)
        self.location_box.hide()
        layout.addWidget(self.location_box)
        layout.addSpacing(8)
        tool("查找", "在文件文字中查找（Ctrl+F）", self.open_search)
        return bar

    # -- boxing a value to enter by hand -------------------------------------------------------------------
    def start_drawing(self) -> None:
        self.draw_bar.show()
        self.view.start_drawing()
        self.view.setFocus()

    def cancel_drawing(self) -> None:
        if not self.draw_bar.isVisible() and not self.view.drawing:
            return
        self.view.stop_drawing()
        self.draw_bar.hide()
        self.drawing_cancelled.emit()

    @property
    def drawing(self) -> bool:
        return self.view.drawing

    def _skip_drawing(self) -> None:
        cur = self.view.current_page()
        self.view.stop_drawing()
        self.draw_bar.hide()
        if cur is None:
            self.drawing_cancelled.emit()
            return
        self.box_chosen.emit(cur[0], cur[1], (0.0, 0.0, 0.0, 0.0))

    def _on_box_drawn(self, key: str, page: int, bbox) -> None:
        self.draw_bar.hide()
        self.box_chosen.emit(key, page, tuple(bbox))

    def _on_escape(self) -> None:
        if self.view.drawing:
            self.cancel_drawing()
        else:
            self.search_bar.close_bar()

    def toggle_page_list(self) -> None:
        visible = not self.pages.isVisible()
        self.pages.setVisible(visible)
        self.pages_button.setChecked(visible)

    def _on_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{zoom * 100:.0f}%")

    # -- documents ------------------------------------------------------------------------------------
    def set_documents(self, docs: list[tuple[str, str, str, dict[int, str]]]) -> None:
        """``[(key, path, title, {page: label})]`` in display order."""
        self._labels = {k: labels for k, _p, _t, labels in docs}
        self._titles = {k: t for k, _p, t, _l in docs}
        self.view.set_documents([(k, p, t) for k, p, t, _l in docs])
        self._on_documents_changed()

    def clear(self) -> None:
        self.cancel_drawing()
        self.set_documents([])
        self.clear_locations()
        self.set_search(None)

    def _on_documents_changed(self) -> None:
        docs = []
        for key in self.view.document_keys():
            items = [it for it in self.view.pages() if it.key == key]
            if not items:
                continue
            sizes = [(it.width, it.height) for it in items]
            labels = self._labels.get(key, {})
            if self.view.document_error(key):
                labels = {1: self.view.document_error(key)}
            docs.append((key, self._titles.get(key, key), sizes, labels))
        self.pages.set_pages(docs)
        self._update_page_label()
        self.documents_changed.emit()

    def _on_current_page(self, key: str, page: int) -> None:
        self.pages.select_page(key, page)
        self._update_page_label()
        self.current_page_changed.emit(key, page)

    def _update_page_label(self) -> None:
        cur = self.view.current_page()
        if cur is None:
            self.page_label.setText("")
            return
        key, page = cur
        total = self.view.page_count(key)
        keys = self.view.document_keys()
        title = self._titles.get(key, "")
        prefix = ""
        if len(keys) > 1:  # the document's mark as the lists show it (②第7页), and its name cut in the middle
            mark = circled(keys.index(key)) if key in keys else ""
            name = title[:-4] if title.lower().endswith(".pdf") else title
            name = self.page_label.fontMetrics().elidedText(name, Qt.TextElideMode.ElideMiddle, PAGE_LABEL_NAME_PX)
            prefix = f"{mark}{name}  "
        self.page_label.setText(f"{prefix}第 {page} / {total} 页")
        self.page_label.setToolTip(title)

    # -- a field's box ----------------------------------------------------------------------------------
    def show_box(self, box: Box, color: QColor = style.FIELD_BOX, kind: str = "field") -> None:
        self.clear_locations()
        self.view.set_highlights(kind, [box], color, current=0)
        self.view.show_value(box.key, box.page, box.bbox)  # legible: zoomed and panned to the value

    def clear_box(self, kind: str = "field") -> None:
        self.view.clear_highlights(kind)

    # -- a finding's places ---------------------------------------------------------------------------
    def show_locations(self, boxes: list[Box], color: QColor, index: int = 0) -> None:
        """Outline every place of a finding (all pages) and go to place ``index``."""
        self.view.clear_highlights("field")
        self._locations = list(boxes)
        self._location_color = QColor(color)
        self.view.set_step_count(len(boxes))
        if not boxes:
            self.view.clear_highlights("finding")
            self.location_box.hide()
            self._location_index = -1
            return
        self._go_location(max(0, min(index, len(boxes) - 1)))

    def clear_locations(self) -> None:
        self._locations = []
        self._location_index = -1
        self.view.set_step_count(0)
        self.view.clear_highlights("finding")
        self.location_box.hide()

    def step_location(self, delta: int) -> None:
        if not self._locations:
            return
        self._go_location((self._location_index + delta) % len(self._locations))

    @property
    def location_index(self) -> int:
        return self._location_index

    @property
    def locations(self) -> list[Box]:
        return list(self._locations)

    def _go_location(self, i: int) -> None:
        self._location_index = i
        self.view.set_highlights("finding", self._locations, self._location_color, current=i)
        b = self._locations[i]
        self.view.show_value(b.key, b.page, b.bbox)
        n = len(self._locations)
        self.location_label.setText(f"位置 {i + 1}/{n}")
        self.location_box.setVisible(n > 1)
        self.location_changed.emit(i)

    # -- search ---------------------------------------------------------------------------------------
    def set_search(self, search, unavailable: str = "") -> None:
        """``search(query) -> list[Box]``, or None with the reason search is not available yet."""
        self._search = search
        self._search_unavailable = unavailable
        if self.search_bar.isVisible():
            self.run_search(self.search_bar.edit.text())

    def open_search(self) -> None:
        self.search_bar.open_bar()
        if self.search_bar.edit.text():
            self.run_search(self.search_bar.edit.text())

    def run_search(self, query: str) -> None:
        query = query.strip()
        if not query:
            self._hits, self._hit_index = [], -1
            self.view.clear_highlights("search")
            self.search_bar.count.setText("")
            return
        if self._search is None:
            self._hits, self._hit_index = [], -1
            self.view.clear_highlights("search")
            self.search_bar.count.setText(self._search_unavailable or "没有可查找的文字")
            return
        self._hits = list(self._search(query))
        if not self._hits:
            self._hit_index = -1
            self.view.clear_highlights("search")
            self.search_bar.count.setText("未找到")
            return
        # start from the first hit at or after the page on screen
        cur = self.view.current_page()
        start = 0
        if cur is not None:
            keys = self.view.document_keys()
            here = (keys.index(cur[0]) if cur[0] in keys else 0, cur[1])
            for i, h in enumerate(self._hits):
                if (keys.index(h.key) if h.key in keys else 0, h.page) >= here:
                    start = i
                    break
        self._show_hit(start)

    def step_hit(self, delta: int) -> None:
        if not self._hits:
            self.run_search(self.search_bar.edit.text())
            return
        self._show_hit((self._hit_index + delta) % len(self._hits))

    @property
    def hits(self) -> list[Box]:
        return list(self._hits)

    @property
    def hit_index(self) -> int:
        return self._hit_index

    def _show_hit(self, i: int) -> None:
        self._hit_index = i
        self.view.set_highlights("search", self._hits, style.SEARCH_BOX, current=i)
        h = self._hits[i]
        self.view.go_to(h.key, h.page, h.bbox)
        self.search_bar.count.setText(f"第 {i + 1} / {len(self._hits)} 处")

    def _on_search_closed(self) -> None:
        self._hits, self._hit_index = [], -1
        self.view.clear_highlights("search")
        self.view.setFocus()
