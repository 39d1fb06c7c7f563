"""The coverage list as a Qt table model: every check of the catalogue with its status on the case.

Why it exists: ``core.checks.coverage`` says, per check, whether it ran (自动完成, with its result), could not
run (取数不足，需人工核对, with what was missing) or does not apply (不适用, with why); the reviewer must see the
ones the tool could not do and give each a verdict.  This model is a thin adapter over that plain list: it is
given a new list after every change (``set_items``) and tells the view which rows changed.

What it must not do: work out the coverage itself or record a verdict (the window does, through the session).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from core.checks.coverage import AUTO, NOT_APPLICABLE, SHORT, CoverageItem
from ui import style

COL_NAME, COL_STATUS, COL_WHY, COL_VERDICT = range(4)
HEADERS = ("检查项", "状态", "结果或原因", "人工结论")
CHECK_ID_ROLE = Qt.ItemDataRole.UserRole + 40
STATUS_ROLE = Qt.ItemDataRole.UserRole + 41  # the status, or "未核对" for a required check still open
OPEN_TEXT = "未核对"
"""What the status filter calls a 取数不足 check the reviewer has not given a verdict on yet."""

_STATUS_COLOR = {AUTO: style.OK, SHORT: style.WARNING, NOT_APPLICABLE: style.MUTED}


class CoverageModel(QAbstractTableModel):
    def __init__(self, items: list[CoverageItem] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._items: list[CoverageItem] = list(items or [])

    # -- Qt ---------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        it = self._items[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return it.name
            if col == COL_STATUS:
                return it.status
            if col == COL_WHY:  # a check that ran: its result (and why, if said); else why it did not
                if it.status != AUTO:
                    return it.why
                return f"{it.result}；{it.why}" if it.why else it.result
            if col == COL_VERDICT:
                if not it.verdict:
                    return OPEN_TEXT if it.is_open else ""
                return f"{it.verdict}：{it.note}" if it.note else it.verdict
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{it.name}（{it.check_id}）", f"状态：{it.status}"]
            if it.result:
                lines.append(f"结果：{it.result}")
            if it.why:
                lines.append(it.why)
            if it.verdict:
                lines.append(f"人工结论：{it.verdict}" + (f"：{it.note}" if it.note else "")
                             + (f"（{it.reviewer} {it.time}）" if it.reviewer or it.time else ""))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_STATUS:
                return _STATUS_COLOR.get(it.status)
            if col == COL_WHY and it.status == AUTO and it.errors:
                return style.ERROR
            if col == COL_VERDICT and it.verdict == "不通过":
                return style.ERROR
            return None
        if role == Qt.ItemDataRole.BackgroundRole and it.is_open:
            return style.WARNING_BG
        if role == CHECK_ID_ROLE:
            return it.check_id
        if role == STATUS_ROLE:
            return OPEN_TEXT if it.is_open else it.status
        return None

    # -- ours ---------------------------------------------------------------------------------------------
    def set_items(self, items: list[CoverageItem]) -> None:
        """The coverage as it is now; rows keep their place (the catalogue's order), so only changed rows are
        announced (the whole list again when the set of checks changed)."""
        items = list(items)
        if [i.check_id for i in items] != [i.check_id for i in self._items]:
            self.beginResetModel()
            self._items = items
            self.endResetModel()
            return
        old, self._items = self._items, items
        for row, (a, b) in enumerate(zip(old, items)):
            if a != b:
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(HEADERS) - 1))

    def item(self, row: int) -> CoverageItem:
        return self._items[row]

    def row_of(self, check_id: str) -> int:
        for row, it in enumerate(self._items):
            if it.check_id == check_id:
                return row
        return -1

    def items(self) -> list[CoverageItem]:
        return list(self._items)
