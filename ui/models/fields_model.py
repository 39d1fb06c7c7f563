"""The extracted fields as a two-level tree: form group → field, with the reviewer's corrections.

Why it exists: the right-hand panel lists every printed quantity by the form it was read from (基础数据表 /
自评表 / 决算 / 报告), shows the value as printed beside the reviewer's correction, and marks each field red /
amber / green by the open findings that concern it (``ReviewSession.field_status``).  Editing the 修正值 cell
calls the session; a refused entry leaves everything as it was and is announced through ``entry_refused``
with the session's Chinese reason.

The model never holds values of its own: it reads the session on every ``data`` call and, on a
``ChangeSet``, emits ``dataChanged`` only for the fields whose value or colour changed.

Index scheme: a group row has internal id 0; a field row has internal id ``1 + the group's place in
GROUP_TITLES`` (fixed), not its row, so that a group appearing or going (the first or last value entered by
hand in it, ``ChangeSet.fields_added`` / ``fields_removed``) leaves the other fields' indexes valid.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from core.review.session import InvalidEntry
from ui import style
from ui.models.common import (
    CENTER,
    ColumnsModel,
    FIELD_ID_ROLE,
    KIND_ROLE,
    LEFT,
    LOW_CONFIDENCE,
    UNCERTAIN_MARK,
    RIGHT,
    SEARCH_ROLE,
    SORT_ROLE,
    DocNames,
    format_value,
    short_time,
    touches_findings,
)

COLUMNS = ("项目", "原值", "修正值", "单位", "页码", "状态")
COL_LABEL, COL_RAW, COL_VALUE, COL_UNIT, COL_PAGE, COL_STATUS = range(len(COLUMNS))

GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基础数据表", ("基础数据表",)),
    ("自评表", ("自评表",)),
    ("决算", ("决算",)),
    ("报告（自评报告、决算说明）", ("自评报告", "决算说明", "部门概况")),
)
OTHER_GROUP = "其他"
GROUP_TITLES: tuple[str, ...] = tuple(t for t, _ in GROUPS) + (OTHER_GROUP,)
_GROUP_TAG = {t: n + 1 for n, t in enumerate(GROUP_TITLES)}

STRUCTURE_KEYS = frozenset({"report.heading", "report.placeholder", "report.year", "report.anomaly"})
"""Entries the narrative checks use (headings, template text, title years, text slips) but that are no
figure to review: kept in the case, not listed among the fields (their findings still light up the page)."""

_STATUS_TEXT = {"error": "有未处理的错误", "warning": "有未处理的警告", None: "未发现问题"}
_STATUS_RANK = {"error": 0, "warning": 1, None: 2}

Index = QModelIndex | QPersistentModelIndex


class FieldsModel(ColumnsModel, QAbstractItemModel):
    """Tree of fields grouped by form.  ``entry_refused(field_id, reason)`` when an edit is refused."""

    COLUMNS = COLUMNS
    EDITABLE_COLUMNS = frozenset({COL_VALUE})

    def _has_children(self, index) -> bool:
        return index.internalId() == 0

    entry_refused = Signal(str, str)

    def __init__(self, session, corrector: Callable[[str, str], object] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self._correct = corrector or (lambda fid, text, reason="": session.correct(fid, text, reason))
        self._docs = DocNames(session.case.documents)
        self._groups: list[tuple[str, list[str]]] = []
        by_group: dict[str, list[str]] = {}
        for f in session.case.fields:
            if f.key in STRUCTURE_KEYS:
                continue
            by_group.setdefault(_group_of(f.form), []).append(f.id)
        for title in GROUP_TITLES:
            if by_group.get(title):
                self._groups.append((title, by_group[title]))
        self._reindex()
        self._status: dict[str, str | None] = self._statuses()

    def _reindex(self) -> None:
        self._group_row: dict[int, int] = {_GROUP_TAG[t]: g for g, (t, _ids) in enumerate(self._groups)}
        self._pos: dict[str, tuple[int, int]] = {
            fid: (g, r) for g, (_t, ids) in enumerate(self._groups) for r, fid in enumerate(ids)
        }

    def _ids_of(self, tag: int) -> list[str]:
        return self._groups[self._group_row[tag]][1]

    # -- structure ------------------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        if parent.internalId() == 0:
            return self.createIndex(row, column, _GROUP_TAG[self._groups[parent.row()][0]])
        return QModelIndex()

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(self._group_row[index.internalId()], 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return len(COLUMNS)

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        return self.rowCount(parent) > 0

    # -- look-ups -------------------------------------------------------------------------------------
    def field_id(self, index: Index) -> str | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._ids_of(index.internalId())[index.row()]

    def index_of(self, field_id: str, column: int = 0) -> QModelIndex:
        pos = self._pos.get(field_id)
        if pos is None:
            return QModelIndex()
        return self.createIndex(pos[1], column, _GROUP_TAG[self._groups[pos[0]][0]])

    def group_index(self, group_row: int) -> QModelIndex:
        return self.index(group_row, 0)

    def field_ids(self) -> list[str]:
        """Every field listed, in the list's order (group by group)."""
        return [fid for _title, ids in self._groups for fid in ids]

    def group_titles(self) -> list[str]:
        return [t for t, _ in self._groups]

    def status_of(self, field_id: str) -> str | None:
        return self._status.get(field_id)

    # -- data -----------------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._group_data(index, role)
        fid = self._ids_of(index.internalId())[index.row()]
        return self._field_data(fid, index.column(), role)

    def _group_data(self, index: Index, role: int):
        title, ids = self._groups[index.row()]
        col = index.column()
        if role == KIND_ROLE:
            return "group"
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_LABEL:
                return f"{title}（{len(ids)}项）"
            if col == COL_STATUS:
                return "●" if ids else ""
            return None
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return style.GROUP_BG
        if col == COL_STATUS:
            worst = self._worst(ids)
            if role == Qt.ItemDataRole.ForegroundRole:
                return style.status_color(worst)
            if role == Qt.ItemDataRole.ToolTipRole:
                n_err = sum(1 for i in ids if self._status.get(i) == "error")
                n_warn = sum(1 for i in ids if self._status.get(i) == "warning")
                return f"本组有{n_err}项涉及错误，{n_warn}项涉及警告" if n_err or n_warn else "本组未发现问题"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return CENTER
        if role in (SORT_ROLE, SEARCH_ROLE):
            return title
        return None

    def _field_data(self, fid: str, col: int, role: int):
        s = self._session
        fld = s.field(fid)
        status = self._status.get(fid)
        if role == FIELD_ID_ROLE:
            return fid
        if role == KIND_ROLE:
            return "field"
        if role == SEARCH_ROLE:
            return f"{fld.label} {fld.key} {fld.raw} {s.original(fid)[1]}"
        corrected = s.is_corrected(fid)
        uncertain = fld.confidence < LOW_CONFIDENCE and not corrected and not _accepted(s, fid)
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_LABEL:
                return f"{fld.label or fld.key} {UNCERTAIN_MARK}" if uncertain else (fld.label or fld.key)
            if col == COL_RAW:
                return MANUAL_TEXT if _manual(s, fid) else s.original(fid)[1]
            if col == COL_VALUE:
                return (format_value(fld.value) or "（空）") if corrected else ""
            if col == COL_UNIT:
                return fld.unit
            if col == COL_PAGE:
                return self._docs.page(fld.doc, fld.page)
            if col == COL_STATUS:
                return "● OCR" if fld.attrs.get("ocr") else "●"  # read from a page image (issue 17)
            return None
        if role == Qt.ItemDataRole.EditRole:
            if col == COL_VALUE:
                return fld.raw if corrected else s.original(fid)[1]
            return self._field_data(fid, col, Qt.ItemDataRole.DisplayRole)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(fid, col, status, corrected)
        if role == Qt.ItemDataRole.FontRole:
            if corrected and col in (COL_LABEL, COL_VALUE):
                font = QFont()
                font.setBold(True)
                return font
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if corrected and col == COL_VALUE:
                return style.CORRECTED_BG
            if status == "error":
                return style.ERROR_BG
            if status == "warning":
                return style.WARNING_BG
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == COL_STATUS:
                return style.status_color(status)
            if col == COL_RAW and (corrected or _manual(s, fid)):
                return style.MUTED
            if uncertain and col in (COL_LABEL, COL_RAW):
                return style.WARNING.darker(120)  # read with low certainty: compare it with the page
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if col in (COL_RAW, COL_VALUE):
                return RIGHT if fld.unit else LEFT
            if col in (COL_STATUS, COL_UNIT, COL_PAGE):
                return CENTER
            return None
        if role == SORT_ROLE:
            if col == COL_STATUS:
                return _STATUS_RANK[status]
            if col == COL_PAGE:
                return fld.page
            return str(self._field_data(fid, col, Qt.ItemDataRole.DisplayRole) or "")
        return None

    def _tooltip(self, fid: str, col: int, status: str | None, corrected: bool) -> str:
        s = self._session
        fld = s.field(fid)
        if col == COL_STATUS:
            findings = s.findings_for_field(fid)
            if not findings:
                return _STATUS_TEXT[None]
            lines = [f"{style.SEVERITY_TEXT.get(f.severity.value, '')}：{f.message}" for f in findings[:6]]
            if len(findings) > 6:
                lines.append(f"……另有{len(findings) - 6}条")
            return "\n".join(lines)
        if col == COL_PAGE:
            return self._docs.place(fld.doc, fld.page)
        if col == COL_RAW:
            if _manual(s, fid):
                return "扫描页面上没有可读取的文字，此值由审核人对照页面图像手工录入"
            return f"文件中印刷为：{s.original(fid)[1] or '（空）'}"
        if col == COL_VALUE:
            if not corrected:
                return "双击、F2或回车修改此值"
            return correction_tooltip(s, fid)
        if col == COL_LABEL:
            parts = [fld.label or fld.key, f"字段：{fld.key}"]
            if fld.attrs.get("ocr"):
                parts.append("由扫描页面图像文字识别（OCR）读取，请对照页面核对")
            if fld.confidence < 0.9:
                parts.append(f"识别把握：{fld.confidence:.0%}" + (
                    "（较低，请对照页面核对；Ctrl+回车确认无误）"
                    if fld.confidence < LOW_CONFIDENCE and not _accepted(s, fid) else ""))
            if corrected:
                parts.append(correction_tooltip(s, fid))
            return "\n".join(parts)
        return None  # type: ignore[return-value]

    # -- editing --------------------------------------------------------------------------------------
    def setData(self, index: Index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != COL_VALUE:
            return False
        fid = self.field_id(index)
        if fid is None:
            return False
        text, reason = value if isinstance(value, tuple) else (value, "")  # the editor's (value, reason)
        try:
            self._correct(fid, "" if text is None else str(text), reason)
        except InvalidEntry as e:
            self.entry_refused.emit(fid, e.reason)
            return False
        return True  # the session's events refresh the rows (apply_change)

    # -- refreshing -----------------------------------------------------------------------------------
    def apply_change(self, change) -> None:
        """Refresh exactly what a ``ChangeSet`` touched: fields that left the case or came into it (values
        entered by hand, their undo and redo), changed values, and colours that changed."""
        for fid in getattr(change, "fields_removed", ()):
            self._remove_field(fid)
        for fid in getattr(change, "fields_added", ()):
            self._insert_field(fid)
        touched: set[str] = (set(change.fields) | set(getattr(change, "accepted", ()))) & set(self._pos)
        if touches_findings(change) or change.decisions:
            new = self._statuses()
            touched |= {fid for fid in new.keys() | self._status.keys()
                        if new.get(fid) != self._status.get(fid)}
            self._status = new
        if not touched:
            return
        groups: set[int] = set()
        last = self.columnCount() - 1
        for fid in touched:
            idx = self.index_of(fid)
            if idx.isValid():
                self.dataChanged.emit(idx, self.index_of(fid, last))
                groups.add(self._pos[fid][0])
        for g in groups:
            self.dataChanged.emit(self.index(g, 0), self.index(g, last))

    def _remove_field(self, fid: str) -> None:
        pos = self._pos.get(fid)
        if pos is None:
            return
        g, r = pos
        self.beginRemoveRows(self.index(g, 0), r, r)
        del self._groups[g][1][r]
        self._reindex()
        self.endRemoveRows()
        self._status.pop(fid, None)
        if not self._groups[g][1]:
            self.beginRemoveRows(QModelIndex(), g, g)
            del self._groups[g]
            self._reindex()
            self.endRemoveRows()
        else:
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(g, 0), self.index(g, last))  # "（n项）"

    def _insert_field(self, fid: str) -> None:
        if fid in self._pos:
            return
        try:
            fld = self._session.field(fid)
        except KeyError:
            return
        if fld.key in STRUCTURE_KEYS:
            return
        title = _group_of(fld.form)
        self._status[fid] = self._session.field_status(fid)
        g = next((n for n, (t, _ids) in enumerate(self._groups) if t == title), None)
        if g is None:
            g = sum(1 for t, _ids in self._groups if _GROUP_TAG[t] < _GROUP_TAG[title])
            self.beginInsertRows(QModelIndex(), g, g)
            self._groups.insert(g, (title, [fid]))
            self._reindex()
            self.endInsertRows()
            return
        ids = self._groups[g][1]
        self.beginInsertRows(self.index(g, 0), len(ids), len(ids))
        ids.append(fid)
        self._reindex()
        self.endInsertRows()
        last = self.columnCount() - 1
        self.dataChanged.emit(self.index(g, 0), self.index(g, last))

    def _statuses(self) -> dict[str, str | None]:
        s = self._session
        return {f.id: s.field_status(f.id) for f in s.case.fields}

    def _worst(self, ids: list[str]) -> str | None:
        statuses = {self._status.get(i) for i in ids}
        if "error" in statuses:
            return "error"
        if "warning" in statuses:
            return "warning"
        return None


def correction_tooltip(session, fid: str) -> str:
    """"原值 X，修改于 …，理由 …" for a corrected field; "手工录入，修改于 …" for one entered by hand."""
    orig_value, orig_raw = session.original(fid)
    history = [r for r in session.history(fid)]
    last = history[-1] if history else None
    text = "手工录入" if _manual(session, fid) else f"原值 {orig_raw or format_value(orig_value) or '（空）'}"
    if last is not None:
        who = f"（{last.reviewer}）" if last.reviewer else ""
        text += f"，修改于 {short_time(last.time)}{who}"
        edit = last
        if last.kind != "edit" and last.ref:
            try:
                edit = session.corrections.record(last.ref)
            except IndexError:
                edit = last
        if edit.reason:
            text += f"，理由 {edit.reason}"
    return text


MANUAL_TEXT = "（手工录入）"


def _accepted(session, fid: str) -> bool:
    is_accepted = getattr(session, "is_accepted", None)
    return bool(is_accepted and is_accepted(fid))


def _manual(session, fid: str) -> bool:
    is_manual = getattr(session, "is_manual", None)
    return bool(is_manual and is_manual(fid))


def _group_of(form: str) -> str:
    for title, forms in GROUPS:
        if form in forms:
            return title
    return OTHER_GROUP


_HEADER_TIPS = (
    "字段名称（来自哪张表的哪一行、哪一列）",
    "文件中印刷的原始文字",
    "审核人修改后的值；双击、F2或回车修改",
    "文件使用的单位",
    "所在页码（多份文件时以①②…区分文件）",
    "●红色：有未处理的错误；●黄色：有未处理的警告；●绿色：未发现问题",
)
FieldsModel.HEADER_TIPS = _HEADER_TIPS


class FieldsFilter(QSortFilterProxyModel):
    """What the field tree shows: a text filter (label, key, printed text) and "only fields with problems".
    A group stays while any of its fields is shown."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._problems_only = False
        self.setRecursiveFilteringEnabled(True)
        self.setDynamicSortFilter(True)

    def set_text(self, text: str) -> None:
        self._text = text.strip().lower()
        self.invalidateFilter()

    def set_problems_only(self, on: bool) -> None:
        self._problems_only = bool(on)
        self.invalidateFilter()

    @property
    def active(self) -> bool:
        return bool(self._text or self._problems_only)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        if not source_parent.isValid():  # a group: shown through its children (recursive filtering)
            return not self.active
        idx = model.index(source_row, 0, source_parent)
        if self._problems_only and model.status_of(model.field_id(idx)) is None:
            return False
        if self._text:
            hay = str(model.data(idx, SEARCH_ROLE) or "").lower()
            if not all(w in hay for w in self._text.split()):
                return False
        return True
