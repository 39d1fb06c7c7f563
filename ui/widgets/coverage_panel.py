"""The 检查覆盖 tab beside the findings: every check of the catalogue and whether it could run on this package.

Why it exists: a check that could not run (its table unreadable, its form missing) gives no finding, which
would read as "passed".  Here each check shows 自动完成 (green, with its result), 取数不足，需人工核对 (orange,
naming what could not be read; the row shaded until the reviewer gives a verdict) or 不适用 (grey, with why).
For a check the tool could not do, the reviewer gives the verdict — 通过 / 不通过 / 不适用 with a note — from
the buttons (the review loop's Ctrl+Enter gives 通过).  Above the list: the counts and whether the package is
复核完成, with the reasons it is not yet.

What it must not do: record anything itself: it asks (``verdict_requested``) and the window records the
verdict through the session.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.checks.coverage import AUTO, FAIL, MANUAL_NOT_APPLICABLE, NOT_APPLICABLE, PASS, SHORT
from ui.models.coverage_model import (
    CHECK_ID_ROLE,
    COL_NAME,
    COL_STATUS,
    COL_VERDICT,
    COL_WHY,
    OPEN_TEXT,
    STATUS_ROLE,
)
from ui.widgets.lists import detail_label, filter_combo, list_table

FILTERS = (("全部检查", None), ("未核对", OPEN_TEXT), ("取数不足", SHORT), ("不适用", NOT_APPLICABLE),
           ("自动完成", AUTO))


class _StatusFilter(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._status: str | None = None

    def set_status(self, status: str | None) -> None:
        self._status = status
        self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:
        if self._status is None:
            return True
        shown = self.sourceModel().index(row, 0, parent).data(STATUS_ROLE)
        if self._status == SHORT:  # 取数不足: open or decided
            return shown in (SHORT, OPEN_TEXT)
        return shown == self._status


class CoveragePanel(QWidget):
    """``check_selected(check_id)``; ``verdict_requested(check_id, status)`` with 通过 / 不通过 / 不适用 or ""
    (withdraw the verdict)."""

    check_selected = Signal(str)
    verdict_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = None
        self.proxy = _StatusFilter(self)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(4)
        top = QHBoxLayout()
        top.setContentsMargins(4, 0, 4, 0)
        self.summary = QLabel("")
        self.summary.setObjectName("coverageSummary")
        top.addWidget(self.summary, 1)
        self.filter = filter_combo(FILTERS, "按状态筛选", self.proxy.set_status)
        top.addWidget(self.filter)
        layout.addLayout(top)

        self.completion = QLabel("")
        self.completion.setObjectName("reviewCompletion")
        self.completion.setWordWrap(True)
        self.completion.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.completion)

        self.table = list_table("coverageTable", self.proxy, QAbstractItemView.SelectionMode.SingleSelection)
        self.table.selectionModel().currentRowChanged.connect(self._on_current)
        layout.addWidget(self.table, 1)

        self.detail = detail_label("coverageDetail")
        layout.addWidget(self.detail)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(4, 0, 4, 4)
        buttons.addStretch(1)
        self.pass_button = QPushButton("通过…")
        self.pass_button.setToolTip("已对照原件人工核对，该项检查成立（Ctrl+回车，并转到下一项）")
        self.fail_button = QPushButton("不通过…")
        self.fail_button.setToolTip("人工核对发现问题：列入复核意见，须写明情况")
        self.na_button = QPushButton("不适用…")
        self.na_button.setToolTip("该项检查对本单位不适用，须写明理由")
        self.withdraw_button = QPushButton("撤回结论")
        self.withdraw_button.setToolTip("撤回人工核对结论，该项重新列为未核对")
        for b, status in ((self.pass_button, PASS), (self.fail_button, FAIL),
                          (self.na_button, MANUAL_NOT_APPLICABLE), (self.withdraw_button, "")):
            b.setAutoDefault(False)
            b.clicked.connect(lambda _=False, s=status: self._request(s))
            buttons.addWidget(b)
        layout.addLayout(buttons)
        self.refresh_buttons()

    # -- model ----------------------------------------------------------------------------------------
    def set_model(self, model) -> None:
        self._model = model
        self.proxy.setSourceModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_STATUS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_VERDICT, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_WHY, QHeaderView.ResizeMode.Stretch)
        self.refresh_buttons()

    def clear(self) -> None:
        self.proxy.setSourceModel(None)
        self._model = None
        self.summary.setText("")
        self.completion.setText("")
        self.show_detail("")
        self.refresh_buttons()

    def set_summary(self, counts: dict[str, int], complete: bool, reasons: list[str]) -> None:
        """The counts of each status, and whether the package is 复核完成 (with the reasons it is not)."""
        open_ = counts.get(SHORT, 0) - counts.get("人工已核对", 0)
        self.summary.setText(f"自动完成 {counts.get(AUTO, 0)} 项 · 取数不足 {counts.get(SHORT, 0)} 项"
                             f"（未核对 {open_} 项） · 不适用 {counts.get(NOT_APPLICABLE, 0)} 项")
        if complete:
            self.completion.setText("复核完成：没有未处理的问题，也没有未核对的检查。")
            self.completion.setStyleSheet("color: #2e7d32;")
        else:  # one short line; the checks by name are in the tooltip and in the list
            self.completion.setText("复核未完成：" + "；".join(r.split("：")[0] for r in reasons))
            self.completion.setStyleSheet("color: #b26a00;")
        self.completion.setToolTip("\n".join(reasons))

    # -- selection ------------------------------------------------------------------------------------
    def current_check(self) -> str | None:
        idx = self.table.currentIndex()
        cid = idx.data(CHECK_ID_ROLE) if idx.isValid() else None
        return str(cid) if cid else None

    def select_check(self, check_id: str) -> bool:
        if self._model is None:
            return False
        row = self._model.row_of(check_id)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self._model.index(row, 0))
        if not idx.isValid():  # hidden by the filter: show everything rather than lose it
            self.filter.setCurrentIndex(0)
            idx = self.proxy.mapFromSource(self._model.index(row, 0))
        self.table.selectionModel().setCurrentIndex(
            idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        self.table.scrollTo(idx)
        return True

    def show_detail(self, text: str) -> None:
        self.detail.setText(text)
        self.detail.setVisible(bool(text))

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.refresh_buttons()
        cid = current.data(CHECK_ID_ROLE) if current.isValid() else None
        if cid:
            self.show_detail(str(current.siblingAtColumn(COL_NAME).data(Qt.ItemDataRole.ToolTipRole) or ""))
            self.check_selected.emit(str(cid))

    def _request(self, status: str) -> None:
        cid = self.current_check()
        if cid:
            self.verdict_requested.emit(cid, status)

    def refresh_buttons(self) -> None:
        """The buttons follow the selected check's state (after a selection, or the list changed: a verdict)."""
        cid = self.current_check()
        row = self._model.row_of(cid) if cid and self._model is not None else -1
        item = self._model.item(row) if row >= 0 else None
        for b in (self.pass_button, self.fail_button, self.na_button):
            b.setEnabled(item is not None and item.status != AUTO)
        self.withdraw_button.setEnabled(item is not None and bool(item.verdict))
