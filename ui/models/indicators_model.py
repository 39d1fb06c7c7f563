"""The 绩效指标 rows of the 自评表, as printed, one row per 三级指标, each cell correctable.

Why it exists: the reviewer reads the sheet's indicators next to the page (is the 实际值 plausible against the
指标值? does the 得分 exceed the 分值?) and corrects a misread or misprinted cell (指标值, 实际值, 分值, 得分,
偏差原因) in place, like a field: through ``ReviewSession.correct_indicator`` (undo, reason, re-check).  一级 and
二级 are merged cells in the printed sheet; they are shown only where they change, as the sheet prints them,
and in full in the tooltip.  The rows are the case's own ``Indicator`` objects, which a correction changes in
place; ``apply_change`` repaints the rows a ``ChangeSet`` touched.

The 复核 columns show the 复核评分 (``core.scoring.review_score``, in ``case.scores["review"]``): 复核完成值 and
复核得分 — the proposal, or the reviewer's own value (edited like any cell, with a reason; shown bold with a
"复核人" mark) —, the 扣分 (自评得分 − 复核得分) and the 依据.  A change of the scores repaints them all.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont

from core.review.session import InvalidEntry, cell_id
from core.scoring.presets import plain
from ui import style
from ui.models.common import CENTER, FIELD_ID_ROLE, INDICATOR_ID_ROLE, LEFT, RIGHT, ColumnsModel, DocNames, \
    format_value

COLUMNS = ("一级指标", "二级指标", "三级指标", "指标值", "实际值", "分值", "得分", "偏差原因",
           "复核完成值", "复核得分", "扣分", "依据")
(COL_L1, COL_L2, COL_L3, COL_TARGET, COL_ACTUAL, COL_WEIGHT, COL_SCORE, COL_DEVIATION,
 COL_REVIEW_ACTUAL, COL_REVIEW_SCORE, COL_DEDUCTION, COL_BASIS) = range(len(COLUMNS))
CELL_OF_COLUMN = {COL_TARGET: "target", COL_ACTUAL: "actual", COL_WEIGHT: "weight", COL_SCORE: "score",
                  COL_DEVIATION: "deviation", COL_REVIEW_ACTUAL: "review_actual", COL_REVIEW_SCORE: "review_score"}
"""The correctable cells (``core.model.Indicator`` attribute) by column."""
COLUMN_OF_CELL = {v: k for k, v in CELL_OF_COLUMN.items()}

Index = QModelIndex | QPersistentModelIndex


class IndicatorsModel(ColumnsModel, QAbstractTableModel):
    """``entry_refused(cell_id, reason)`` when a correction is refused.  Without a ``session`` the table is
    read-only."""

    COLUMNS = COLUMNS
    HEADER_TIPS = ("",) * len(COLUMNS)
    NUMBERED_ROWS = True

    entry_refused = Signal(str, str)

    def __init__(self, indicators: list, documents: list, parent=None, *, session=None,
                 corrector: Callable[[str, str, str], object] | None = None) -> None:
        super().__init__(parent)
        self._rows = list(indicators)
        self._docs = DocNames(documents)
        self._session = session
        self._review_cache: tuple | None = None
        self._correct = corrector or (session.correct_indicator if session is not None else None)
        self.EDITABLE_COLUMNS = frozenset(CELL_OF_COLUMN) if self._correct is not None else frozenset()
        self.HEADER_TIPS = tuple("双击、F2或回车修改此格" if c in self.EDITABLE_COLUMNS else ""
                                 for c in range(len(COLUMNS)))
        tips = list(self.HEADER_TIPS)
        tips[COL_DEDUCTION] = "扣分＝自评得分－复核得分"
        tips[COL_BASIS] = "复核得分的依据：规则或检查编号；“需复核人判断”的未自动扣分"
        self.HEADER_TIPS = tuple(tips)

    def review_summary(self) -> str:
        """One line on the 复核评分 as a whole: 自评得分, 复核得分 with the cap rule, 等次, rows left to judge."""
        if self._session is None or not isinstance(self._session.case.scores, dict):
            return ""
        rv = self._session.case.scores.get("review")
        if not isinstance(rv, dict) or rv.get("total") is None:
            return ""
        own = "未填" if rv.get("self_total") is None else plain(rv["self_total"])
        text = f"自评得分 {own} · 复核得分 {plain(rv['total'])}"
        if rv.get("rescaled_total") is not None:
            text += f"（分值合计{plain(rv['weight_sum'])}分，按100分折算）"
        caps = rv.get("caps") or {}
        text += f" · {caps.get('text') or '不封顶'} · 复核等次 {rv.get('grade') or '—'}"
        if rv.get("needs_judgement"):
            text += f" · 需复核人判断 {len(rv['needs_judgement'])} 项"
        return text

    def review_row(self, indicator_id: str) -> dict | None:
        """The 复核评分 of one row (``case.scores["review"]["rows"]``), None before scoring or without a session."""
        if self._session is None:
            return None
        review = self._session.case.scores.get("review") if isinstance(self._session.case.scores, dict) else None
        rows = review.get("rows") if isinstance(review, dict) else None
        if self._review_cache is None or self._review_cache[0] is not rows:
            self._review_cache = (rows, {r["indicator_id"]: r for r in rows or ()})
        return self._review_cache[1].get(indicator_id)

    def indicator(self, index: Index):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._rows[index.row()]

    def row_of(self, indicator_id: str) -> int:
        for i, ind in enumerate(self._rows):
            if ind.id == indicator_id:
                return i
        return -1

    def cell_index(self, cid: str) -> QModelIndex:
        """The index of an indicator cell ("i3.score"), invalid when not in this table."""
        iid, _, col = cid.rpartition(".")
        row = self.row_of(iid)
        if row < 0 or col not in COLUMN_OF_CELL:
            return QModelIndex()
        return self.index(row, COLUMN_OF_CELL[col])

    def cell_id(self, index: Index) -> str | None:
        ind = self.indicator(index)
        col = CELL_OF_COLUMN.get(index.column())
        return cell_id(ind.id, col) if ind is not None and col else None

    def _corrected(self, index: Index) -> bool:
        cid = self.cell_id(index)
        return bool(cid and self._session is not None and self._session.history(cid)
                    and self._session.indicator_corrected(cid))

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        ind = self.indicator(index)
        if ind is None:
            return None
        row, col = index.row(), index.column()
        if role == INDICATOR_ID_ROLE:
            return ind.id
        if role == FIELD_ID_ROLE:
            return self.cell_id(index)
        if role == Qt.ItemDataRole.DisplayRole:
            prev = self._rows[row - 1] if row > 0 else None
            if col == COL_L1:
                return ind.level1 if prev is None or prev.level1 != ind.level1 else ""
            if col == COL_L2:
                same = prev is not None and prev.level1 == ind.level1 and prev.level2 == ind.level2
                return "" if same else ind.level2
            if col >= COL_REVIEW_ACTUAL:
                return self._review_text(ind, col)
            return self._text(ind, col)
        if role == Qt.ItemDataRole.EditRole:
            cid = self.cell_id(index)
            if col in (COL_REVIEW_ACTUAL, COL_REVIEW_SCORE):  # the editor starts from what is shown
                return self._review_text(ind, col, marks=False)
            if cid and self._session is not None:
                return self._session.indicator_cell(cid).raw
            return self._text(ind, col)
        if role == Qt.ItemDataRole.ToolTipRole and col >= COL_REVIEW_ACTUAL:
            rv = self.review_row(ind.id)
            if rv is None:
                return None
            tip = f"自评得分：{format_value(rv['self_score']) or '—'}；复核得分：{format_value(rv['review_score']) or '—'}"
            if rv["score_source"] == "reviewer":
                tip += f"（复核人所定；审核工具提出 {format_value(rv['proposed_score']) or '—'}）"
            return tip + "\n依据：" + rv["basis_text"]
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = [p for p in (ind.level1, ind.level2, ind.level3) if p]
            tip = " › ".join(parts)
            tip += f"\n指标值：{ind.target or '—'}；实际值：{ind.actual or '—'}"
            tip += f"\n分值：{format_value(ind.weight) or '—'}；得分：{format_value(ind.score) or '—'}"
            if ind.deviation:
                tip += f"\n偏差原因：{ind.deviation}"
            tip += f"\n{self._docs.place(ind.source.doc, ind.source.page)}"
            if self._corrected(index):
                original = self._session.indicator_original(self.cell_id(index))[1]
                last = self._session.history(self.cell_id(index))[-1]
                why = f"，理由 {last.reason}" if last.reason else ""
                tip += f"\n已修改：原值 {original or '（空）'}{why}"
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (COL_WEIGHT, COL_SCORE, COL_REVIEW_SCORE, COL_DEDUCTION):
                return RIGHT
            if col in (COL_TARGET, COL_ACTUAL, COL_REVIEW_ACTUAL):
                return CENTER
            return LEFT
        if role == Qt.ItemDataRole.BackgroundRole and self._corrected(index):
            return style.CORRECTED_BG
        if role == Qt.ItemDataRole.FontRole and self._corrected(index):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and col in (COL_DEDUCTION, COL_BASIS):
            rv = self.review_row(ind.id)
            if rv is not None and col == COL_DEDUCTION and rv["deduction"]:
                return style.ERROR
            if rv is not None and col == COL_BASIS and rv["needs_judgement"]:
                return style.WARNING
            return None
        if role == Qt.ItemDataRole.ForegroundRole and col == COL_SCORE:
            if ind.weight is not None and ind.score is not None and ind.score > ind.weight:
                return style.ERROR  # a score above its weight cannot be right; the checks say why
            return None
        return None

    def _review_text(self, ind, col: int, marks: bool = True) -> str:
        rv = self.review_row(ind.id)
        if rv is None:
            return ""
        if col == COL_REVIEW_ACTUAL:
            mark = "（复核人）" if marks and rv["review_actual_source"] == "reviewer" else ""
            return (rv["review_actual"] or "") + mark
        if col == COL_REVIEW_SCORE:
            mark = "（复核人）" if marks and rv["score_source"] == "reviewer" else ""
            return (plain(rv["review_score"]) if rv["review_score"] is not None else "") + mark
        if col == COL_DEDUCTION:
            return plain(rv["deduction"]) if rv["deduction"] else ""
        if col == COL_BASIS:
            return rv["basis_text"]
        return ""

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
        if col == COL_DEVIATION:
            return ind.deviation
        return ""

    # -- editing --------------------------------------------------------------------------------------
    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        cid = self.cell_id(index)
        if role != Qt.ItemDataRole.EditRole or cid is None or self._correct is None:
            return False
        text, reason = value if isinstance(value, tuple) else (value, "")  # the editor's (value, reason)
        try:
            self._correct(cid, "" if text is None else str(text), reason)
        except InvalidEntry as e:
            self.entry_refused.emit(cid, e.reason)
            return False
        return True  # the session's event repaints the row (apply_change)

    def apply_change(self, change) -> None:
        """Repaint the rows whose cells a ``ChangeSet`` changed, and the 复核 columns when the scores did."""
        if any(k.startswith("review.") for k in change.scores_changed) and self._rows:
            self.dataChanged.emit(self.index(0, COL_REVIEW_ACTUAL), self.index(len(self._rows) - 1, COL_BASIS))
        for cid in change.fields:
            idx = self.cell_index(cid)
            if idx.isValid():
                self.dataChanged.emit(self.index(idx.row(), 0), self.index(idx.row(), len(COLUMNS) - 1))
