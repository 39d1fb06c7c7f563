"""The parts the review lists share (the findings list and the 检查覆盖 list beside it): a filter drop-down, a
read-only table of one-line rows, and the label under it showing the selected row whole.

Why it exists: both lists are set up the same way and must look the same side by side in their tabs; one
place keeps them so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLabel, QTableView

ROW_HEIGHT = 24


def filter_combo(choices: Iterable[tuple[str, Any]], tip: str, on_change: Callable[[Any], None]) -> QComboBox:
    """A drop-down of ``(text, value)`` choices calling ``on_change(value)`` when another is chosen."""
    combo = QComboBox()
    for text, value in choices:
        combo.addItem(text, value)
    combo.setToolTip(tip)
    combo.currentIndexChanged.connect(lambda *_: on_change(combo.currentData()))
    return combo


def list_table(name: str, model: QAbstractItemModel,
               selection: QAbstractItemView.SelectionMode) -> QTableView:
    """A table of whole-row selection, not editable in place, one line per row, no row numbers."""
    table = QTableView()
    table.setObjectName(name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(selection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    table.horizontalHeader().setHighlightSections(False)
    return table


def detail_label(name: str) -> QLabel:
    """The selected row's whole text under a list (hidden until there is some), selectable for copying."""
    label = QLabel("")
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(f"QLabel#{name} {{ background: #fafbfc; border-top: 1px solid #e0e0e0; padding: 4px 6px; }}")
    label.hide()
    return label
