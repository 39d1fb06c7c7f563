"""The findings of the case as a table, and the filter the reviewer narrows it with.

Why it exists: the list below the fields is the reviewer's to-do list: every failed check with its severity,
its check (findings of one check together, "（19条）"), its message (the numbers that disagree are in it), where
it is, and what the reviewer decided (未处理 / 确认问题 / 排除, or the older 已核实 / 不适用).  The rows follow ``session.case.findings``; a ``ChangeSet`` after a correction removes the findings
that went away and appends the new ones (rows are matched by fingerprint, the identity that survives a
re-check), so a selection on an unaffected row is never lost.

``FindingsFilter`` is the proxy the view shows: by severity, by decision status and by text, sorted with
errors first.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from core.review.corrections import CONFIRMED, EXCLUDED, NOT_APPLICABLE, VERIFIED
from ui import style
from ui.models.common import (
    CENTER,
    CHECK_ROLE,
    FINGERPRINT_ROLE,
    SEARCH_ROLE,
    SEVERITY_ROLE,
    SORT_ROLE,
    STATUS_ROLE,
    ColumnsModel,
    DocNames,
    format_value,
    touches_findings,
    short_time,
)

COLUMNS = ("严重程度", "检查", "问题描述", "文档/页码", "处理")
COL_SEVERITY, COL_CHECK, COL_MESSAGE, COL_PLACE, COL_STATUS = range(len(COLUMNS))

STATUS_ICONS = {CONFIRMED: "severity-error", EXCLUDED: "status-na", VERIFIED: "status-verified",
                NOT_APPLICABLE: "status-na"}

Index = QModelIndex | QPersistentModelIndex


class FindingsModel(ColumnsModel, QAbstractTableModel):
    COLUMNS = COLUMNS

    def __init__(self, session, check_names: dict[str, str] | None = None, parent=None) -> None:
        super().__init__(parent)
        self._session = session
        self._docs = DocNames(session.case.documents)
        self._names = check_names or {}
        self._rows = list(session.case.findings)
        self._serial = {id(f): n for n, f in enumerate(self._rows)}
        self._next_serial = len(self._rows)
        self._fps: dict[int, str] = {}  # id(finding) -> fingerprint (a hash of its JSON: worth keeping)
        self._counts: dict[str, int] | None = None  # findings per check ("（19条）")
        self._ranks: dict[str, int] | None = None  # checks in the order they first reported

    # -- structure ------------------------------------------------------------------------------------
    def finding(self, index: Index):
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        return self._rows[index.row()]

    def _fp(self, f) -> str:
        fp = self._fps.get(id(f))
        if fp is None:
            fp = self._fps[id(f)] = f.fingerprint
        return fp

    def row_of(self, fingerprint: str) -> int:
        for i, f in enumerate(self._rows):
            if self._fp(f) == fingerprint:
                return i
        return -1

    def findings(self) -> list:
        return list(self._rows)

    # -- data -----------------------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        f = self.finding(index)
        if f is None:
            return None
        col = index.column()
        sev = f.severity.value
        fp = self._fp(f)
        decision = self._session.decision(fp)
        status = decision.status if decision is not None else ""
        if role == FINGERPRINT_ROLE:
            return fp
        if role == SEVERITY_ROLE:
            return sev
        if role == CHECK_ROLE:
            return f.check
        if role == STATUS_ROLE:
            return status or style.STATUS_OPEN
        if role == SEARCH_ROLE:
            return " ".join([f.message, f.check, self._names.get(f.check, ""), self._place(f),
                             " ".join(format_value(v) for v in f.values)])
        if role == Qt.ItemDataRole.DisplayRole:
            if col == COL_SEVERITY:
                return style.SEVERITY_TEXT.get(sev, sev)
            if col == COL_CHECK:
                n = self._check_counts().get(f.check, 1)
                name = self._names.get(f.check) or f.check
                return f"{name}（{n}条）" if n > 1 else name
            if col == COL_MESSAGE:
                return f.message
            if col == COL_PLACE:
                return self._place(f)
            if col == COL_STATUS:
                return status or style.STATUS_OPEN
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            if col == COL_SEVERITY:
                return style.severity_icon(sev)
            if col == COL_STATUS and status:
                return style.icon(STATUS_ICONS.get(status, "status-na"))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if status:  # decided: calm grey, it is no longer a to-do
                return style.MUTED
            if col == COL_SEVERITY:
                return style.SEVERITY_COLOR.get(sev)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(f, decision)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (COL_STATUS,):
            return CENTER
        if role == SORT_ROLE:
            if col in (COL_SEVERITY, COL_CHECK):  # grouped: severity, then check, then document and page
                loc = f.locations[0] if f.locations else None
                return (style.SEVERITY_ORDER.get(sev, 9), self._check_rank(f.check),
                        self._doc_rank(loc.doc) if loc else 99, loc.page if loc else 0, self._serial.get(id(f), 0))
            if col == COL_PLACE:
                loc = f.locations[0] if f.locations else None
                return (self._doc_rank(loc.doc) * 10_000 + loc.page) if loc else 0
            return str(self.data(index, Qt.ItemDataRole.DisplayRole) or "")
        return None

    def _place(self, f) -> str:
        seen: list[tuple[str, int]] = []
        for loc in f.locations:
            if (loc.doc, loc.page) not in seen:
                seen.append((loc.doc, loc.page))
        if not seen:
            return ""
        if not self._docs.several:
            pages = [str(p) for _, p in seen]
            return f"第{'、'.join(pages)}页"
        return "、".join(self._docs.page(d, p) for d, p in seen)

    def _check_counts(self) -> dict[str, int]:
        counts = self._counts
        if counts is None:
            counts = {}
            for f in self._rows:
                counts[f.check] = counts.get(f.check, 0) + 1
            self._counts = counts
        return counts

    def _check_rank(self, check: str) -> int:
        """Checks in the order they first reported (so a check's findings stay together)."""
        ranks = self._ranks
        if ranks is None:
            ranks = {}
            for f in sorted(self._rows, key=lambda f: self._serial.get(id(f), 0)):
                ranks.setdefault(f.check, len(ranks))
            self._ranks = ranks
        return ranks.get(check, len(ranks))

    def _doc_rank(self, doc_id: str) -> int:
        for i, d in enumerate(self._session.case.documents):
            if d.id == doc_id:
                return i
        return 99

    def _tooltip(self, f, decision) -> str:
        lines = [f.message]
        name = self._names.get(f.check)
        lines.append(f"检查：{name}（{f.check}）" if name else f"检查：{f.check}")
        if f.values:
            lines.append("涉及数值：" + "，".join(format_value(v) for v in f.values))
        places = "；".join(dict.fromkeys(self._docs.place(loc.doc, loc.page) for loc in f.locations))
        if places:
            lines.append(f"位置：{places}")
        if decision is not None and decision.status:
            who = f"{decision.reviewer}，" if decision.reviewer else ""
            reason = f"：{decision.reason}" if decision.reason else ""
            lines.append(f"{decision.status}（{who}{short_time(decision.time)}）{reason}")
        return "\n".join(lines)

    # -- refreshing -----------------------------------------------------------------------------------
    def apply_change(self, change) -> None:
        """Follow ``session.case.findings`` after a ``ChangeSet``: remove, replace and append, matched by
        fingerprint."""
        if touches_findings(change):
            self._counts = self._ranks = None
            self._sync()
        if change.decisions:
            for row, f in enumerate(self._rows):
                if self._fp(f) in change.decisions:
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _sync(self) -> None:
        self._fps = {}  # objects are being replaced: an id may be reused, so hash afresh
        new = list(self._session.case.findings)
        by_fp: dict[str, list] = {}
        for f in new:
            by_fp.setdefault(f.fingerprint, []).append(f)
        # 1. remove rows whose finding is gone (bottom up, contiguous runs at once)
        keep: dict[str, int] = {}
        doomed = []
        for row, f in enumerate(self._rows):
            fp = f.fingerprint
            n = keep.get(fp, 0)
            if n < len(by_fp.get(fp, [])):
                keep[fp] = n + 1
            else:
                doomed.append(row)
        for first, last in reversed(_runs(doomed)):
            self.beginRemoveRows(QModelIndex(), first, last)
            for f in self._rows[first:last + 1]:
                self._serial.pop(id(f), None)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        # 2. replace the kept rows by the new objects (same fingerprint, maybe new numbers)
        used: dict[str, int] = {}
        for row, f in enumerate(self._rows):
            fp = f.fingerprint
            k = used.get(fp, 0)
            used[fp] = k + 1
            replacement = by_fp[fp][k]
            if replacement is not f:
                serial = self._serial.pop(id(f), self._next_serial)
                self._rows[row] = replacement
                self._serial[id(replacement)] = serial
                if replacement.to_json() != f.to_json():
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        # 3. append what is new
        added = []
        for fp, items in by_fp.items():
            added.extend(items[used.get(fp, 0):])
        if added:
            order = {id(f): i for i, f in enumerate(new)}
            added.sort(key=lambda f: order[id(f)])
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(added) - 1)
            for f in added:
                self._rows.append(f)
                self._serial[id(f)] = self._next_serial
                self._next_serial += 1
            self.endInsertRows()


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


class FindingsFilter(QSortFilterProxyModel):
    """What the findings list shows: severity (None = all), status (None = all) and a text filter.
    Sorted errors first, then warnings, then info; within each, grouped by check, then by document and
    page."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._severity: str | None = None
        self._status: str | None = None
        self._text = ""
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_severity(self, severity: str | None) -> None:
        self._severity = severity or None
        self.invalidateFilter()

    def set_status(self, status: str | None) -> None:
        self._status = status or None
        self.invalidateFilter()

    def set_text(self, text: str) -> None:
        self._text = text.strip().lower()
        self.invalidateFilter()

    @property
    def severity(self) -> str | None:
        return self._severity

    @property
    def status(self) -> str | None:
        return self._status

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        idx = model.index(source_row, 0, source_parent)
        if self._severity and model.data(idx, SEVERITY_ROLE) != self._severity:
            return False
        if self._status and model.data(idx, STATUS_ROLE) != self._status:
            return False
        if self._text:
            hay = str(model.data(idx, SEARCH_ROLE) or "").lower()
            if not all(word in hay for word in self._text.split()):
                return False
        return True

    def lessThan(self, left: Index, right: Index) -> bool:
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if type(a) is not type(b):
            return str(a) < str(b)
        return a < b
