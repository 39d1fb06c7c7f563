"""The findings list below the fields: the reviewer's to-do list, filterable, with decisions.

Why it exists: every failed check is a row (严重程度, 检查, 问题描述, 文档/页码, 处理), grouped by check and then
by document; choosing one lights up every place it names, and its whole message is shown under the list.
The reviewer settles rows as 确认问题 (the department must fix it) or 排除 (误报/可接受), each with a reason, from
the buttons, the context menu or the keyboard — one row or several selected at once (the buttons say how
many) — and 上一项/下一项 (the window's F8 / Shift+F8) walk through what is still 未处理 in the order shown.

What it must not do: decide anything itself: it asks (``decision_requested``) and the window records the
decision through the session.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QVBoxLayout,
    QWidget,
)

from core.review.corrections import CLOSING_STATUSES, CONFIRMED, EXCLUDED, NOT_APPLICABLE, REOPENED, VERIFIED
from ui import style
from ui.models.common import CHECK_ROLE, FINGERPRINT_ROLE, STATUS_ROLE
from ui.models.findings_model import COL_CHECK, COL_MESSAGE, COL_PLACE, COL_SEVERITY, COL_STATUS, FindingsFilter
from ui.widgets.lists import detail_label, filter_combo, list_table

SEVERITY_CHOICES = (("全部级别", None), ("错误", "error"), ("警告", "warning"), ("提示", "info"))
_SELECT_ROW = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
STATUS_CHOICES = (("全部状态", None), ("未处理", style.STATUS_OPEN), ("确认问题", CONFIRMED), ("排除", EXCLUDED),
                  ("已核实（旧）", VERIFIED), ("不适用（旧）", NOT_APPLICABLE))


_COUNT_SUFFIX = re.compile(r"（\d+条）$")


class _GroupDelegate(QStyledItemDelegate):
    """The 检查 column: the first row of a group (a check's findings together, in the order shown) names the
    check with the number of rows in the group, the count kept in view when the name is cut ("自评表每个一级…
    （4条）"); the rows below it name the check again in grey, so no row has an empty 检查 cell (blank cells
    read as findings of no check, and a group scrolled past its first row named nothing)."""

    def initStyleOption(self, option, index) -> None:
        super().initStyleOption(option, index)
        check = index.data(CHECK_ROLE)
        name = _COUNT_SUFFIX.sub("", option.text or "")
        row = index.row()
        if row > 0 and index.sibling(row - 1, index.column()).data(CHECK_ROLE) == check:
            option.text = name
            option.palette.setColor(QPalette.ColorRole.Text, style.MUTED)
            return
        n, rows = 1, index.model().rowCount(index.parent()) if index.model() is not None else 0
        while row + n < rows and index.sibling(row + n, index.column()).data(CHECK_ROLE) == check:
            n += 1
        if n == 1:
            option.text = name
            return
        suffix = f"（{n}条）"
        fm = option.fontMetrics
        room = option.rect.width() - 12 - fm.horizontalAdvance(suffix)  # the cell's text margins
        if option.rect.width() > 0 and fm.horizontalAdvance(name) > room:
            name = fm.elidedText(name, Qt.TextElideMode.ElideRight, max(room, 0))
        option.text = name + suffix


class FindingsPanel(QWidget):
    """``finding_selected(fingerprint)``; ``decision_requested(fingerprints, status)`` with status 确认问题 /
    排除 / "" (reopen), for the selected rows."""

    finding_selected = Signal(str)
    decision_requested = Signal(list, str)
    step_requested = Signal(int)  # the previous / next item of the review loop (the window's F8)

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
        self.position = QLabel("")
        self.position.setObjectName("loopPosition")
        self.position.setStyleSheet("color: #1e6fbf;")
        top.addWidget(self.position)
        self.severity = filter_combo(SEVERITY_CHOICES, "按严重程度筛选", self.proxy.set_severity)
        top.addWidget(self.severity)
        self.status = filter_combo(STATUS_CHOICES, "按处理状态筛选", self.proxy.set_status)
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

        self.table = list_table("findingsTable", self.proxy, QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(COL_SEVERITY, Qt.SortOrder.AscendingOrder)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.setItemDelegateForColumn(COL_CHECK, _GroupDelegate(self.table))
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.table, 1)

        # the whole message of the selected finding (a row shows one line of it)
        self.message = detail_label("findingMessage")
        layout.addWidget(self.message)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 0, 4, 4)
        self.prev_button = QPushButton("上一项")
        self.prev_button.setToolTip("上一项待审：未处理的问题或识别把握低的数值（Shift+F8）")
        self.prev_button.clicked.connect(lambda: self.step_requested.emit(-1))
        self.next_button = QPushButton("下一项")
        self.next_button.setToolTip("跳到下一项待审：未处理的问题或识别把握低的数值（F8）")
        self.next_button.clicked.connect(lambda: self.step_requested.emit(1))
        buttons.addWidget(self.prev_button)
        buttons.addWidget(self.next_button)
        buttons.addStretch(1)
        self.verify_button = QPushButton("确认问题…")
        self.verify_button.setToolTip("确属问题，需部门整改：标记为确认问题，填写理由（Ctrl+1，并转到下一项）")
        self.verify_button.clicked.connect(lambda: self._request(CONFIRMED))
        self.na_button = QPushButton("排除…")
        self.na_button.setToolTip("误报或可以接受：标记为排除，须填写理由（Ctrl+2，并转到下一项）")
        self.na_button.clicked.connect(lambda: self._request(EXCLUDED))
        self.reopen_button = QPushButton("重新打开")
        self.reopen_button.setToolTip("撤回确认问题/排除的标记（Ctrl+3）")
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
            header.resizeSection(COL_SEVERITY, 70)
            header.resizeSection(COL_CHECK, 160)  # a short check name and its group size: 一级指标分值小计（4条）
            header.resizeSection(COL_PLACE, 84)
            # 处理: the longest status with its icon ("确认问题" was cut to "确认…")
            fm = self.table.fontMetrics()
            icon = self.table.iconSize().width() if self.table.iconSize().width() > 0 else 16
            widest = max(fm.horizontalAdvance(t) for t in (style.STATUS_OPEN, CONFIRMED, EXCLUDED, VERIFIED,
                                                            NOT_APPLICABLE))
            header.resizeSection(COL_STATUS, max(74, widest + icon + 20))
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

    def selected_fingerprints(self) -> list[str]:
        """The selected rows' fingerprints in the order shown (the current row when nothing is selected)."""
        sm = self.table.selectionModel()
        rows = sorted(sm.selectedRows(0), key=lambda i: i.row()) if sm is not None else []
        fps = [str(i.data(FINGERPRINT_ROLE)) for i in rows if i.data(FINGERPRINT_ROLE)]
        if not fps and self.current_fingerprint():
            fps = [self.current_fingerprint()]
        return fps

    def set_position(self, text: str) -> None:
        """Where the review loop is ("第 3/29 项（剩余 12 项）"), beside the title."""
        self.position.setText(text)

    def show_message(self, text: str) -> None:
        """The whole message of the finding looked at, under the list ("" hides it: no empty pane)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))

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

    # -- decisions ------------------------------------------------------------------------------------
    def _request(self, status: str) -> None:
        fps = self.selected_fingerprints()
        if fps:
            self.decision_requested.emit(fps, status)

    def _update_buttons(self) -> None:
        sm = self.table.selectionModel()
        rows = sm.selectedRows(0) if sm is not None else []
        if not rows and self.table.currentIndex().isValid():
            rows = [self.table.currentIndex()]
        statuses = [i.data(STATUS_ROLE) for i in rows]
        n = len(rows)
        many = f"（{n}条）" if n > 1 else ""
        self.verify_button.setText(f"确认问题{many}…")
        self.na_button.setText(f"排除{many}…")
        self.reopen_button.setText(f"重新打开{many}")
        self.verify_button.setEnabled(any(st != CONFIRMED for st in statuses))
        self.na_button.setEnabled(any(st != EXCLUDED for st in statuses))
        self.reopen_button.setEnabled(any(st in CLOSING_STATUSES for st in statuses))
        any_rows = self.proxy.rowCount() > 0
        self.prev_button.setEnabled(any_rows)
        self.next_button.setEnabled(any_rows)

    def _context_menu(self, pos) -> None:
        idx = self.table.indexAt(pos)
        if not idx.isValid():
            return
        if not self.table.selectionModel().isRowSelected(idx.row(), idx.parent()):
            self.table.selectionModel().setCurrentIndex(idx, _SELECT_ROW)
        n = len(self.selected_fingerprints())
        many = f"（{n}条）" if n > 1 else ""
        menu = QMenu(self)
        for button, shortcut in ((self.verify_button, "Ctrl+1"), (self.na_button, "Ctrl+2"),
                                 (self.reopen_button, "Ctrl+3")):
            action = QAction(f"{button.text().rstrip('…').replace(many, '')}{many}…\t{shortcut}", menu)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
            menu.addAction(action)
        menu.addSeparator()
        copy = QAction("复制问题描述", menu)
        copy.triggered.connect(lambda: self._copy(idx))
        menu.addAction(copy)
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def _copy(self, idx: QModelIndex) -> None:
        from PySide6.QtWidgets import QApplication

        QApplication.clipboard().setText(str(idx.siblingAtColumn(COL_MESSAGE).data() or ""))
