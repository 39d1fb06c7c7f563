"""The field catalogue as a searchable list, for the hand-entry dialog.

Why it exists: 120 keys are too many to scroll; the reviewer types "三公 决算" and picks from a handful.  The
list shows the Chinese label with its form and unit; the key is in the tooltip (and searchable), for the
reviewer who knows it.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from ui import style
from ui.field_catalogue import CatalogueEntry
from ui.models.common import SEARCH_ROLE

KEY_ROLE = Qt.ItemDataRole.UserRole + 20

Index = QModelIndex | QPersistentModelIndex


class CatalogueModel(QAbstractListModel):
    """One row per catalogue entry; keys already in the case are marked (a second statement is allowed)."""

    def __init__(self, entries: tuple[CatalogueEntry, ...] | list[CatalogueEntry], present: set[str] = frozenset(),
                 parent=None) -> None:
        super().__init__(parent)
        self._entries = list(entries)
        self._present = set(present)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def entry(self, index: Index) -> CatalogueEntry | None:
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        return self._entries[index.row()]

    def row_of(self, key: str) -> int:
        return next((i for i, e in enumerate(self._entries) if e.key == key), -1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        e = self.entry(index)
        if e is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            unit = f" · {'/'.join(e.unit_choices)}" if e.unit or e.units else ""
            where = "/".join(e.form_choices)
            done = "　（已有）" if e.key in self._present else ""
            return f"{e.label}　〔{where}{unit}〕{done}"
        if role == Qt.ItemDataRole.ToolTipRole:
            extra = "\n该字段在本材料中已有数值；再录入一处也可以（如报告中另一处表述）" if e.key in self._present else ""
            return f"{e.label}\n字段：{e.key}{extra}"
        if role == Qt.ItemDataRole.ForegroundRole and e.key in self._present:
            return style.MUTED
        if role == KEY_ROLE:
            return e.key
        if role == SEARCH_ROLE:
            return e.search_text()
        return None


class CatalogueFilter(QSortFilterProxyModel):
    """Keeps the entries whose label, key or form contain every word typed."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def set_text(self, text: str) -> None:
        self._words = text.strip().lower().split()
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if not self._words:
            return True
        hay = str(self.sourceModel().index(source_row, 0, source_parent).data(SEARCH_ROLE) or "")
        return all(w in hay for w in self._words)
