"""Small helpers the models share: roles, how values and places are written for the reviewer."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

FIELD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
FINGERPRINT_ROLE = Qt.ItemDataRole.UserRole + 2
SEVERITY_ROLE = Qt.ItemDataRole.UserRole + 3
STATUS_ROLE = Qt.ItemDataRole.UserRole + 4
SORT_ROLE = Qt.ItemDataRole.UserRole + 5
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 6
INDICATOR_ID_ROLE = Qt.ItemDataRole.UserRole + 7
KIND_ROLE = Qt.ItemDataRole.UserRole + 8  # "group" / "field"
CHECK_ROLE = Qt.ItemDataRole.UserRole + 9  # a finding's check id

LOW_CONFIDENCE = 0.7
"""A value read with a certainty (``Field.confidence``) below this is marked in the field list ("？") and is
part of the review loop until the reviewer accepts or corrects it."""
UNCERTAIN_MARK = "？"

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
CENTER = int(Qt.AlignmentFlag.AlignCenter)


def format_value(value: object) -> str:
    """A value as the reviewer reads it: amounts with thousands separators, no exponent, "" for blank."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        text = format(value, "f")
        if "." in text:
            whole, frac = text.split(".")
        else:
            whole, frac = text, ""
        sign = "-" if whole.startswith("-") else ""
        whole = whole.lstrip("-")
        grouped = f"{int(whole):,}" if whole.isdigit() else whole
        return f"{sign}{grouped}.{frac}" if frac else f"{sign}{grouped}"
    return str(value)


def circled(i: int) -> str:
    """The mark of the document at 0-based position ``i`` of a case: ①②…, "(21)" past ⑳."""
    return _CIRCLED[i] if 0 <= i < len(_CIRCLED) else f"({i + 1})"


class DocNames:
    """How a document is named in a narrow column: nothing when the case has one document, else ①②…"""

    def __init__(self, documents: list) -> None:
        self._index = {d.id: i for i, d in enumerate(documents)}
        self._names = {d.id: _file_name(d.path) for d in documents}
        self.several = len(documents) > 1

    def mark(self, doc_id: str) -> str:
        if not self.several:
            return ""
        i = self._index.get(doc_id)
        if i is None:
            return "?"
        return circled(i)

    def name(self, doc_id: str) -> str:
        return self._names.get(doc_id, doc_id)

    def page(self, doc_id: str, page: int) -> str:
        return f"{self.mark(doc_id)}第{page}页"

    def place(self, doc_id: str, page: int) -> str:
        """For tooltips: "文件名 第3页"."""
        return f"{self.name(doc_id)} 第{page}页"


def _file_name(path: str) -> str:
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    return name[:-4] if name.lower().endswith(".pdf") else name


def short_time(stamp: str) -> str:
    """"2025-03-01T14:03:22+08:00" → "3月1日 14:03"; anything unparsable is returned as it is."""
    from datetime import datetime

    try:
        t = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    return f"{t.month}月{t.day}日 {t:%H:%M}"


def touches_findings(change) -> bool:
    """True when a ``core.review.ChangeSet`` added, removed or changed findings (read from its three sets,
    which are stable, rather than from a convenience property whose name has moved)."""
    return bool(change.findings_added or change.findings_removed or change.findings_changed)


class ColumnsModel:
    """What the window's item models share (mixed in before their Qt base class): a fixed row of column
    titles with tooltips, and the item flags — enabled and selectable, editable in ``EDITABLE_COLUMNS`` where
    ``_editable(index)`` allows, and without children unless ``_has_children(index)`` (a tree's group row).

    A table model keeps its rows in ``self._rows`` (``rowCount``/``columnCount`` come from here too)."""

    COLUMNS: tuple[str, ...] = ()
    HEADER_TIPS: tuple[str, ...] = ()
    EDITABLE_COLUMNS: frozenset[int] = frozenset()
    NUMBERED_ROWS = False
    """Vertical header: 1, 2, 3… (the 绩效指标 rows as the sheet numbers them)."""

    def rowCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self._rows)

    def columnCount(self, parent=None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section]
            if role == Qt.ItemDataRole.ToolTipRole and section < len(self.HEADER_TIPS):
                return self.HEADER_TIPS[section] or None
            return None
        if orientation == Qt.Orientation.Vertical and self.NUMBERED_ROWS and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1) if 0 <= section < self.rowCount() else None
        return None

    def flags(self, index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self._has_children(index):
            f |= Qt.ItemFlag.ItemNeverHasChildren
            if index.column() in self.EDITABLE_COLUMNS and self._editable(index):
                f |= Qt.ItemFlag.ItemIsEditable
        return f

    def _has_children(self, index) -> bool:
        return False

    def _editable(self, index) -> bool:
        return True
