"""The workspace page: every department of a district, where each stands, and the way into its review.

Why it exists: the window reviews one case at a time (that part is unchanged); this page is the district
around it.  It lists the cases of ``core.workspace.Workspace`` (sortable, filtered by status and by text), opens
one with a double-click or Enter, sets a case's status from the context menu or with Alt+1/2/3, and adds a
folder of newly arrived packages.

What it must not do: change the workspace or open files itself.  Every gesture is a request signal
(``open_requested``, ``status_requested``, ``add_folder_requested``, ``rescan_requested``); the window does the
work (through operations for the long parts) and the workspace's events refresh the list.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
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

from core.workspace import STATUSES
from ui.models.workspace_model import (
    CASE_ID_ROLE,
    COL_ERRORS,
    COL_FILES,
    COL_MATERIALS,
    COL_MODIFIED,
    COL_NAME,
    COL_REVIEWER,
    COL_STATUS,
    COL_WARNINGS,
    WorkspaceFilter,
    WorkspaceModel,
)

ALL_STATUSES = "全部状态"


class CaseTable(QTableView):
    """Enter opens the current case (as a double-click does)."""

    open_current = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_current.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class WorkspacePanel(QWidget):
    """Signals: ``open_requested(case_id)``, ``status_requested(case_id, status)``,
    ``add_folder_requested()``, ``rescan_requested()``, ``back_requested()`` (to the review in place)."""

    open_requested = Signal(str)
    status_requested = Signal(str, str)
    add_folder_requested = Signal()
    rescan_requested = Signal()
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspacePanel")
        self.model: WorkspaceModel | None = None
        self.proxy = WorkspaceFilter(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 10, 12, 8)
        outer.setSpacing(8)

        head = QHBoxLayout()
        titles = QVBoxLayout()
        titles.setSpacing(2)
        self.title = QLabel("审核工作区")
        f = self.title.font()
        f.setPointSizeF(f.pointSizeF() * 1.35)
        f.setBold(True)
        self.title.setFont(f)
        titles.addWidget(self.title)
        self.folder = QLabel("")
        self.folder.setStyleSheet("color: #5f6368;")
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        titles.addWidget(self.folder)
        head.addLayout(titles, 1)
        self.back = QPushButton("继续审核")
        self.back.setToolTip("回到正在审核的部门（F9）")
        self.back.setAutoDefault(False)
        self.back.clicked.connect(self.back_requested)
        self.back.hide()
        head.addWidget(self.back, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(head)

        row = QHBoxLayout()
        row.setSpacing(6)
        self.search = QLineEdit()
        self.search.setPlaceholderText("筛选：部门名称、文件名、审核人或缺的材料")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.proxy.set_text)
        row.addWidget(self.search, 1)
        self.status_filter = QComboBox()
        self.status_filter.addItems([ALL_STATUSES, *STATUSES])
        self.status_filter.setToolTip("只看某一状态的部门")
        self.status_filter.currentTextChanged.connect(self.proxy.set_status)
        row.addWidget(self.status_filter)
        self.summary = QLabel("")
        self.summary.setStyleSheet("color: #5f6368; margin-left: 8px;")
        row.addWidget(self.summary)
        row.addStretch(0)
        self.add_button = QPushButton("添加文件夹…")
        self.add_button.setToolTip("把新收到的部门材料所在的文件夹加入工作区（按文件夹或材料中的单位名称分为各个部门）")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_folder_requested)
        row.addWidget(self.add_button)
        self.rescan_button = QPushButton("重新扫描")
        self.rescan_button.setToolTip("重新查看文件夹：新增的部门、改动或移走的文件")
        self.rescan_button.setAutoDefault(False)
        self.rescan_button.clicked.connect(self.rescan_requested)
        row.addWidget(self.rescan_button)
        outer.addLayout(row)

        self.table = CaseTable()
        self.table.setObjectName("workspaceTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._menu)
        self.table.doubleClicked.connect(self._on_double_click)
        self.table.open_current.connect(self.open_current)
        outer.addWidget(self.table, 1)

        self.hint = QLabel("双击或回车打开部门的材料；右键或 Alt+1 / Alt+2 / Alt+3 设为 未审 / 审核中 / 已完成"
                           "（已完成须每条问题都已处理、取数不足的检查都已人工核对；材料更新后重新变为审核中）。"
                           "审核记录保存在工作区文件夹中。")
        self.hint.setStyleSheet("color: #5f6368;")
        self.hint.setWordWrap(True)
        outer.addWidget(self.hint)

        self.status_actions: dict[str, QAction] = {}
        for n, status in enumerate(STATUSES, 1):
            a = QAction(f"设为{status}", self.table)
            a.setShortcut(QKeySequence(f"Alt+{n}"))
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.triggered.connect(lambda _=False, s=status: self.set_current_status(s))
            self.table.addAction(a)
            self.status_actions[status] = a

    # -- the workspace ------------------------------------------------------------------------------------
    def set_workspace(self, workspace) -> None:
        """Show ``workspace`` (None: nothing)."""
        old = self.model
        if workspace is None:
            self.proxy.setSourceModel(None)
            self.model = None
            self.title.setText("审核工作区")
            self.folder.setText("")
            self.summary.setText("")
        else:
            self.model = WorkspaceModel(workspace, self)
            self.proxy.setSourceModel(self.model)
            self.title.setText(f"审核工作区：{workspace.title}")
            self.folder.setText("　".join(str(r) for r in workspace.roots))
            self.model.modelReset.connect(self.update_summary)
            self.model.dataChanged.connect(lambda *_: self.update_summary())
            self.update_summary()
            self._setup_columns()
            self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the workspace's own order first
            if self.proxy.rowCount():
                self.table.setCurrentIndex(self.proxy.index(0, COL_NAME))
        if old is not None:
            old.deleteLater()

    def _setup_columns(self) -> None:
        """Column widths (once the columns exist: a header without sections forgets its modes)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_STATUS, 84), (COL_ERRORS, 64), (COL_WARNINGS, 64), (COL_REVIEWER, 110),
                           (COL_MODIFIED, 130), (COL_FILES, 64), (COL_MATERIALS, 150)):
            header.resizeSection(col, width)
        # what is missing is the column's point: as wide as its longest text ("自评表、基础数据表未确认" was cut)
        header.setSectionResizeMode(COL_MATERIALS, QHeaderView.ResizeMode.ResizeToContents)

    def apply_change(self, change) -> None:
        if self.model is None:
            return
        current = self.current_case_id()
        self.model.apply_change(change)
        if current and self.current_case_id() != current:
            self.select_case(current)

    def update_summary(self) -> None:
        if self.model is None:
            self.summary.setText("")
            return
        counts = self.model.counts()
        total = self.model.rowCount()
        self.summary.setText(f"共{total}个部门：" + " · ".join(f"{s}{counts.get(s, 0)}" for s in STATUSES))

    def set_review_open(self, title: str) -> None:
        """Offer the way back to the review in place ("" when none is open)."""
        self.back.setVisible(bool(title))
        self.back.setText(f"继续审核：{title[:18]}（F9）" if title else "继续审核")

    def set_busy(self, busy: bool) -> None:
        """While an operation scans the folders, nothing here may change the workspace."""
        for w in (self.table, self.add_button, self.rescan_button):
            w.setEnabled(not busy)

    # -- selection ------------------------------------------------------------------------------------
    def current_case_id(self) -> str | None:
        idx = self.table.currentIndex()
        cid = idx.data(CASE_ID_ROLE) if idx.isValid() else None
        return str(cid) if cid else None

    def proxy_index(self, case_id: str, column: int = COL_NAME) -> QModelIndex:
        if self.model is None:
            return QModelIndex()
        row = self.model.row_of(case_id)
        if row < 0:
            return QModelIndex()
        return self.proxy.mapFromSource(self.model.index(row, column))

    def select_case(self, case_id: str) -> bool:
        idx = self.proxy_index(case_id)
        if not idx.isValid() and self.proxy.active:
            self.search.clear()
            self.status_filter.setCurrentIndex(0)
            idx = self.proxy_index(case_id)
        if not idx.isValid():
            return False
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)
        return True

    # -- gestures -------------------------------------------------------------------------------------
    def _on_double_click(self, index: QModelIndex) -> None:
        cid = index.data(CASE_ID_ROLE)
        if cid:
            self.open_requested.emit(str(cid))

    def open_current(self) -> None:
        cid = self.current_case_id()
        if cid:
            self.open_requested.emit(cid)

    def set_current_status(self, status: str) -> None:
        cid = self.current_case_id()
        if cid:
            self.status_requested.emit(cid, status)

    def _menu(self, pos) -> None:
        idx = self.table.indexAt(pos)
        if not idx.isValid() or self.model is None:
            return
        self.table.setCurrentIndex(idx.siblingAtColumn(COL_NAME))
        entry = self.model.entry(self.proxy.mapToSource(idx))
        menu = QMenu(self)
        open_action = menu.addAction("打开审核\t回车")
        open_action.triggered.connect(self.open_current)
        menu.addSeparator()
        for n, status in enumerate(STATUSES, 1):
            a = menu.addAction(f"设为{status}\tAlt+{n}")
            a.setCheckable(True)
            a.setChecked(entry is not None and entry.status == status)
            a.triggered.connect(lambda _=False, s=status: self.set_current_status(s))
        menu.addSeparator()
        folder = entry.folder if entry is not None and entry.folder is not None else (
            Path(entry.files[0]).parent if entry is not None and entry.files else None)
        show = menu.addAction("打开所在文件夹")
        show.setEnabled(folder is not None)
        if folder is not None:
            show.triggered.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))))
        menu.popup(self.table.viewport().mapToGlobal(pos))
