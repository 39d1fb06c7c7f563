"""The departments of a district workspace, one row per case, for the workspace page.

Why it exists: a reviewer works through a district's twenty departments over several days and must see at a
glance where each stands: 未审 / 审核中 / 已完成, the open errors and warnings of its review, who and when.  The
model is a thin adapter over ``Workspace.list_cases()`` (napari's habit): it holds the ``CaseEntry`` snapshots
the workspace hands out and refreshes them on a ``WorkspaceChange`` — ``dataChanged`` for the rows of changed
cases, a reset when cases came or went (a rescan, an added folder: rare, and the list is short).

What it must not do: change the workspace.  Status changes go through the window (``Workspace.set_status``),
whose event brings the row up to date.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from core.materials import MISSING, NOT_SEEN, summary_text
from core.workspace import DONE, IN_PROGRESS, STATUSES, UNREVIEWED
from ui import style
from ui.models.common import CENTER, LEFT, ColumnsModel, SEARCH_ROLE, SORT_ROLE, STATUS_ROLE, short_time

COLUMNS = ("部门/单位", "状态", "错误", "警告", "审核人", "最近修改", "文件数", "材料")
COL_NAME, COL_STATUS, COL_ERRORS, COL_WARNINGS, COL_REVIEWER, COL_MODIFIED, COL_FILES, COL_MATERIALS = \
    range(len(COLUMNS))
CASE_ID_ROLE = Qt.ItemDataRole.UserRole + 30

STATUS_COLOR = {UNREVIEWED: style.MUTED, IN_PROGRESS: style.INFO, DONE: style.OK}
_STATUS_RANK = {s: n for n, s in enumerate(STATUSES)}
_HEADER_TIPS = (
    "部门（单位）名称：印在材料中的单位名称，识别不出时为文件夹或文件名",
    ("审核状态：未审 / 审核中 / 已完成（右键或 Alt+1/2/3 设置；已完成须全部问题已处理、取数不足的检查已人工核对；"
     "材料更新后重新变为审核中）"),
    "审核记录中尚未处理（未标记已核实或不适用）的错误数；—：尚未打开过",
    "尚未处理的警告数；—：尚未打开过",
    "最近审核该部门的审核人",
    "最近一次修改审核记录或状态的时间",
    "该部门的PDF文件数",
    ("应有材料（自评报告、自评表、基础数据表、决算）是否都在：齐全 / 缺… / …未确认（只读了前3页，"
     "打开或批量审核后确认）；悬停看各材料所在的文件和页"),
)

Index = QModelIndex | QPersistentModelIndex


class WorkspaceModel(ColumnsModel, QAbstractTableModel):
    COLUMNS = COLUMNS
    HEADER_TIPS = _HEADER_TIPS

    def __init__(self, workspace, parent=None) -> None:
        super().__init__(parent)
        self._ws = workspace
        self._entries: list = []
        self._rows: dict[str, int] = {}
        self._reviewed: dict[str, bool] = {}
        self._load()

    def _load(self) -> None:
        self._entries = list(self._ws.list_cases())
        self._rows = {e.id: n for n, e in enumerate(self._entries)}
        self._reviewed = {e.id: e.has_review for e in self._entries}

    # -- structure ------------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    # -- look-ups -------------------------------------------------------------------------------------
    def entry(self, index: Index):
        if not index.isValid() or not (0 <= index.row() < len(self._entries)):
            return None
        return self._entries[index.row()]

    def entry_by_id(self, case_id: str):
        row = self._rows.get(case_id)
        return self._entries[row] if row is not None else None

    def row_of(self, case_id: str) -> int:
        return self._rows.get(case_id, -1)

    def case_ids(self) -> list[str]:
        return [e.id for e in self._entries]

    def counts(self) -> dict[str, int]:
        """How many cases stand at each status."""
        out = {s: 0 for s in STATUSES}
        for e in self._entries:
            out[e.status] = out.get(e.status, 0) + 1
        return out

    # -- data -----------------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        e = self.entry(index)
        if e is None:
            return None
        col = index.column()
        if role == CASE_ID_ROLE:
            return e.id
        if role == STATUS_ROLE:
            return e.status
        if role == SEARCH_ROLE:
            return " ".join([e.name, e.reviewer, *(p.name for p in e.files), e.problem,
                             summary_text(e.materials)]).lower()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_NAME:
                return e.name
            if col == COL_STATUS:
                return e.status
            if col == COL_ERRORS:
                return "—" if e.open_errors is None else str(e.open_errors)
            if col == COL_WARNINGS:
                return "—" if e.open_warnings is None else str(e.open_warnings)
            if col == COL_REVIEWER:
                return e.reviewer
            if col == COL_MODIFIED:
                return short_time(e.modified) if e.modified else ""
            if col == COL_FILES:
                return str(len(e.files))
            if col == COL_MATERIALS:
                return summary_text(e.materials)
            return None
        if role == SORT_ROLE:
            if col == COL_STATUS:
                return _STATUS_RANK.get(e.status, 0)
            if col == COL_ERRORS:
                return -1 if e.open_errors is None else e.open_errors
            if col == COL_WARNINGS:
                return -1 if e.open_warnings is None else e.open_warnings
            if col == COL_FILES:
                return len(e.files)
            if col == COL_MATERIALS:  # most missing first when sorted descending
                return sum(2 if m.state == MISSING else m.state == NOT_SEEN for m in e.materials)
            if col == COL_MODIFIED:
                return e.modified or ""
            return str(self.data(index, Qt.ItemDataRole.DisplayRole) or "")
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_STATUS:
                return STATUS_COLOR.get(e.status, style.MUTED)
            if col == COL_ERRORS and e.open_errors:
                return style.ERROR
            if col == COL_WARNINGS and e.open_warnings:
                return style.WARNING
            if col == COL_NAME and e.problem:
                return style.ERROR
            if col == COL_MATERIALS:
                states = {m.state for m in e.materials}
                return style.ERROR if MISSING in states else style.MUTED if NOT_SEEN in states else style.OK
            if col in (COL_MODIFIED, COL_FILES) or (col in (COL_ERRORS, COL_WARNINGS) and e.open_errors is None):
                return style.MUTED
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return LEFT if col in (COL_NAME, COL_REVIEWER) else CENTER
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(e, col)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_NAME and (e.problem or e.sources_changed):
            return style.severity_icon("error" if e.problem else "warning")
        return None

    def _tooltip(self, e, col: int) -> str:
        if col == COL_MATERIALS:
            return "\n".join([f"{e.name}：应有材料", *(f"{m.symbol} {m.describe()}" for m in e.materials)])
        lines = [e.name]
        if e.problem:
            lines.append(f"问题：{e.problem}")
        if e.reopened:
            lines.append(f"材料于{short_time(e.reopened)}更新，已重新打开审核（打开时按新材料重新读取）；"
                         "上次的审核记录保存在审核记录历史中（文件 › 审核记录历史…）")
        elif e.sources_changed:
            lines.append("材料文件自上次审核后已改动，打开时会提示")
        if col == COL_NAME or e.problem:
            where = str(e.folder) if e.folder is not None else "工作区文件夹中的散放文件"
            lines.append(f"位置：{where}")
            lines += [f"　{p.name}" for p in e.files[:12]]
            if len(e.files) > 12:
                lines.append(f"　……共{len(e.files)}个文件")
        lines.append("已有审核记录" if self._reviewed.get(e.id) else "尚未开始审核")
        lines.append("双击或回车打开")
        return "\n".join(lines)

    # -- refreshing -----------------------------------------------------------------------------------
    def apply_change(self, change) -> None:
        """Follow a ``WorkspaceChange``: reset when cases came or went, else refresh the changed rows."""
        if change.added or change.removed:
            self.beginResetModel()
            self._load()
            self.endResetModel()
            return
        last = len(COLUMNS) - 1
        for cid in change.changed:
            row = self._rows.get(cid)
            if row is None:
                continue
            try:
                fresh = self._ws.case(cid)
            except KeyError:
                continue
            self._entries[row] = fresh
            self._reviewed[cid] = fresh.has_review
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))


class WorkspaceFilter(QSortFilterProxyModel):
    """What the workspace page shows: cases of one status (or all) whose name, reviewer, file names or
    problem contain every word typed; sorted by ``SORT_ROLE`` (counts as numbers, 未审 before 已完成)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._status = ""
        self._words: list[str] = []
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_status(self, status: str) -> None:
        self._status = status if status in STATUSES else ""
        self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._words = text.strip().lower().split()
        self.invalidateFilter()

    @property
    def active(self) -> bool:
        return bool(self._status or self._words)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        idx = self.sourceModel().index(source_row, 0, source_parent)
        if self._status and idx.data(STATUS_ROLE) != self._status:
            return False
        if self._words:
            hay = str(idx.data(SEARCH_ROLE) or "")
            return all(w in hay for w in self._words)
        return True
