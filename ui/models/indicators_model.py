"""The 绩效指标 rows of the 自评表, as printed, one row per 三级指标.

Why it exists: the reviewer reads the sheet's indicators next to the page (is the 实际值 plausible against the
指标值? does the 得分 exceed the 分值?).  一级 and 二级 are merged cells in the printed sheet; they are shown
only where they change, as the sheet prints them, and in full in the tooltip.  Read-only: indicators are not
corrected through the session (only fields are).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from ui import style
from ui.models.common import CENTER, INDICATOR_ID_ROLE, RIGHT, DocNames, format_value

COLUMNS = ("一级指标", "二级指标", "三级指标", "指标值", "实际值", "分值", "得分")
COL_L1, COL_L2, COL_L3, COL_TARGET, COL_ACTUAL, COL_WEIGHT, COL_SCORE = range(len(COLUMNS))

Index = QModelIndex | QPersistentModelIndex


class IndicatorsModel(QAbstractTableModel):
    def __init__(self, indicators: list, documents: list, parent=None) -> None:
        super().__init__(parent)
        self._rows = list(indicators)
        self._docs = DocNames(documents)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def indicator(self, index: Index):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._rows[index.row()]

    def row_of(self, indicator_id: str) -> int:
        for i, ind in enumerate(self._rows):
            if ind.id == indicator_id:
                return i
        return -1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        ind = self.indicator(index)
        if ind is None:
            return None
        row, col = index.row(), index.column()
        if role == INDICATOR_ID_ROLE:
            return ind.id
        if role == Qt.ItemDataRole.DisplayRole:
            prev = self._rows[row - 1] if row > 0 else None
            if col == COL_L1:
                return ind.level1 if prev is None or prev.level1 != ind.level1 else ""
            if col == COL_L2:
                same = prev is not None and prev.level1 == ind.level1 and prev.level2 == ind.level2
                return "" if same else ind.level2
            return self._text(ind, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [p for p in (ind.level1, ind.level2, ind.level3) if p]
            tip = " › ".join(parts)
            tip += f"\n指标值：{ind.target or '—'}；实际值：{ind.actual or '—'}"
            tip += f"\n分值：{format_value(ind.weight) or '—'}；得分：{format_value(ind.score) or '—'}"
            if ind.deviation:
                tip += f"\n偏差原因：{ind.deviation}"
            tip += f"\n{self._docs.place(ind.source.doc, ind.source.page)}"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_WEIGHT, COL_SCORE):
            return RIGHT
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_TARGET, COL_ACTUAL):
            return CENTER
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SCORE:
            if ind.weight is not None and ind.score is not None and ind.score > ind.weight:
                return style.ERROR  # a score above its weight cannot be right; the checks say why
            return None
        return None

    @staticmethod
    def _text(ind, col: int) -> str:
        if col == COL_L3:
            return ind.level3
        if col == COL_TARGET:
            return ind.target
        if col == COL_ACTUAL:
            return ind.actual
        if col == COL_WEIGHT:
            return format_value(ind.weight)
        if col == COL_SCORE:
            return format_value(ind.score)
        return ""
