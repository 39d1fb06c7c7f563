"""The findings list below the fields: the reviewer's to-do list, filterable, with decisions.

Why it exists: every failed check is a row (严重程度, 问题描述, 文档/页码, 处理); choosing one lights up every
place it names.  The reviewer settles a row as 已核实 or 不适用 (with a reason) from the buttons, the context
menu or the keyboard, and F8 / Shift+F8 walk through what is still 未处理 in the order shown.

What it must not do: decide anything itself: it asks (``decision_requested``) and the window records the
decision through the session.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.review.corrections import NOT_APPLICABLE, REOPENED, VERIFIED
from ui import style
from ui.models.common import FINGERPRINT_ROLE, STATUS_ROLE
from ui.models.findings_model import COL_MESSAGE, COL_PLACE, COL_SEVERITY, COL_STATUS, FindingsFilter

SEVERITY_CHOICES = (("全部级别", None), ("错误", "error"), ("警告", "warning"), ("提示", "info"))
_SELECT_ROW = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
STATUS_CHOICES = (("全部状态", None), ("未处理", style.STATUS_OPEN), ("已核实", VERIFIED), ("不适用", NOT_APPLICABLE))


class FindingsPanel(QWidget):
    """``finding_selected(fingerprint)``; ``decision_requested(fingerprint, status)`` with status 已核实 /
    不适用 / "" (reopen)."""

    finding_selected = Signal(str)
    decision_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = None
        self._quiet = False
        self.proxy = FindingsFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        self.title = QLabel("问题")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        top.addWidget(self.title)
        self.severity = QComboBox()
        for text, value in SEVERITY_CHOICES:
            self.severity.addItem(text, value)
        self.severity.setToolTip("按严重程度筛选")
        self.severity.currentIndexChanged.connect(
            lambda *_: self.proxy.set_severity(self.severity.currentData()))
        top.addWidget(self.severity)
        self.status = QComboBox()
        for text, value in STATUS_CHOICES:
            self.status.addItem(text, value)
        self.status.setToolTip("按处理状态筛选")
        self.status.currentIndexChanged.connect(lambda *_: self.proxy.set_status(self.status.currentData()))
        top.addWidget(self.status)
        self.text = QLineEdit()
        self.text.setPlaceholderText("筛选问题描述…")
        self.text.setClearButtonEnabled(True)
        self.text.textChanged.connect(self.proxy.set_text)
        top.addWidget(self.text, 1)
        self.count = QLabel("")
        self.count.setStyleSheet("color: #5f6368;")
        top.addWidget(self.count)
        layout.addLayout(top)

        self.table = QTableView()
        self.table.setObjectName("findingsTable")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_SEVERITY, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 0, 4, 4)
        self.prev_button = QPushButton("上一条未处理")
        self.prev_button.setToolTip("上一条未处理的问题（Shift+F8）")
        self.prev_button.clicked.connect(lambda: self.next_open(-1))
        self.next_button = QPushButton("下一条未处理")
        self.next_button.setToolTip("下一条未处理的问题（F8）")
        self.next_button.clicked.connect(lambda: self.next_open(1))
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        self.verify_button = QPushButton("已核实…")
        self.verify_button.setToolTip("核对无误或已说明：标记为已核实（Ctrl+1）")
        self.verify_button.clicked.connect(lambda: self._request(VERIFIED))
        self.na_button = QPushButton("不适用…")
        self.na_button.setToolTip("该检查不适用于本部门：标记为不适用（Ctrl+2）")
        self.na_button.clicked.connect(lambda: self._request(NOT_APPLICABLE))
        self.reopen_button = QPushButton("重新打开")
        self.reopen_button.setToolTip("撤回已核实/不适用的标记（Ctrl+3）")
        self.reopen_button.clicked.connect(lambda: self._request(REOPENED))
        for b in (self.prev_button, self.next_button, self.verify_button, self.na_button, self.reopen_button):
            b.setAutoDefault(False)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.na_button)
        buttons.addWidget(self.reopen_button)
        layout.addLayout(buttons)

        for sig in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                    self.proxy.layoutChanged, self.proxy.dataChanged):
            sig.connect(self._update_count)
        self._update_buttons()

    # -- model ----------------------------------------------------------------------------------------
    def set_model(self, model) -> None:
        self._model = model
        self.proxy.setSourceModel(model)
        if model is not None:  # the header has its sections only now
            header = self.table.horizontalHeader()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.resizeSection(COL_SEVERITY, 76)
            header.resizeSection(COL_PLACE, 110)
            header.resizeSection(COL_STATUS, 84)
            header.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.table.sortByColumn(COL_SEVERITY, Qt.SortOrder.AscendingOrder)
        self._update_count()
        self._update_buttons()

    def clear(self) -> None:
        self.set_model(None)

    def _update_count(self, *_: object) -> None:
        model = self._model
        if model is None:
            self.count.setText("")
            self.title.setText("问题")
            return
        total = model.rowCount()
        shown = self.proxy.rowCount()
        open_n = sum(1 for r in range(total) if model.index(r, 0).data(STATUS_ROLE) == style.STATUS_OPEN)
        self.title.setText(f"问题（{open_n}条未处理）")
        self.count.setText(f"显示 {shown} / {total} 条" if shown != total else f"共 {total} 条")
        self._update_buttons()

    # -- selection ------------------------------------------------------------------------------------
    def current_fingerprint(self) -> str | None:
        idx = self.table.currentIndex()
        fp = idx.data(FINGERPRINT_ROLE) if idx.isValid() else None
        return str(fp) if fp else None

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_buttons()
        if self._quiet:
            return
        fp = current.data(FINGERPRINT_ROLE) if current.isValid() else None
        if fp:
            self.finding_selected.emit(str(fp))

    def select_fingerprint(self, fp: str, *, quiet: bool = False) -> bool:
        if self._model is None:
            return False
        row = self._model.row_of(fp)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self._model.index(row, 0))
        if not idx.isValid():  # hidden by a filter: show everything rather than lose it
            self.reset_filters()
            idx = self.proxy.mapFromSource(self._model.index(row, 0))
            if not idx.isValid():
                return False
        self._quiet = quiet
        try:
            self.table.selectionModel().setCurrentIndex(
                idx, _SELECT_ROW)
            self.table.scrollTo(idx)
        finally:
            self._quiet = False
        return True

    def reset_filters(self) -> None:
        self.severity.setCurrentIndex(0)
        self.status.setCurrentIndex(0)
        self.text.clear()

    def next_open(self, direction: int = 1) -> str | None:
        """Select the next (or previous) 未处理 finding in the order shown, wrapping round; returns its
        fingerprint, or None when nothing is open."""
        n = self.proxy.rowCount()
        if n == 0:
            return None
        current = self.table.currentIndex()
        cur = current.row() if current.isValid() else (-1 if direction > 0 else n)
        for step in range(1, n + 1):
            row = (cur + direction * step) % n
            idx = self.proxy.index(row, 0)
            if idx.data(STATUS_ROLE) == style.STATUS_OPEN:
                self.table.selectionModel().setCurrentIndex(
                    idx, _SELECT_ROW)
                self.table.scrollTo(idx)
                return str(idx.data(FINGERPRINT_ROLE))
        return None

    # -- decisions ------------------------------------------------------------------------------------
    def _request(self, status: str) -> None:
        fp = self.current_fingerprint()
        if fp:
            self.decision_requested.emit(fp, status)

    def _update_buttons(self) -> None:
        idx = self.table.currentIndex()
        has = idx.isValid()
        status = idx.data(STATUS_ROLE) if has else None
        self.verify_button.setEnabled(has and status != VERIFIED)
        self.na_button.setEnabled(has and status != NOT_APPLICABLE)
        self.reopen_button.setEnabled(has and status in (VERIFIED, NOT_APPLICABLE))
        any_rows = self.proxy.rowCount() > 0
        self.prev_button.setEnabled(any_rows)
        self.next_button.setEnabled(any_rows)

    def _context_menu(self, pos) -> None:
        idx = self.table.indexAt(pos)
        if not idx.isValid():
            return
        self.table.selectionModel().setCurrentIndex(
            idx, _SELECT_ROW)
        status = idx.data(STATUS_ROLE)
        menu = QMenu(self)
        for text, value, shortcut in (("标记为已核实…", VERIFIED, "Ctrl+1"), ("标记为不适用…", NOT_APPLICABLE, "Ctrl+2"),
                                      ("重新打开", REOPENED, "Ctrl+3")):
            action = QAction(f"{text}\t{shortcut}", menu)
            action.setEnabled(status != value if value else status in (VERIFIED, NOT_APPLICABLE))
            action.triggered.connect(lambda _=False, v=value: self._request(v))
            menu.addAction(action)
        menu.addSeparator()
        copy = QAction("复制问题描述", menu)
        copy.triggered.connect(lambda: self._copy(idx))
        menu.addAction(copy)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _copy(self, idx: QModelIndex) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.clipboard().setText(str(idx.siblingAtColumn(COL_MESSAGE).data() or ""))
