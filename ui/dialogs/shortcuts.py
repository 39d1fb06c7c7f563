"""帮助 › 快捷键: every key of the window in a two-column table, read from the window's own actions.

Why it exists: the list was a paragraph of text written by hand, wrapped mid-entry in its message box and
bound to fall behind the menus; now each action with a shortcut is a row (menu order, its menu's name as the
group), followed by the keys that are not menu actions (editing in a list, the page view, the workspace list).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMainWindow, QVBoxLayout

OTHER_KEYS = (
    ("修改选中的值（字段或绩效指标的一格）", "F2 或 回车"),
    ("修改时：确认（再填理由，可选）/ 取消", "回车 / Esc"),
    ("放大到选中的数值", "选择字段、指标或问题"),
    ("问题的下一处/上一处位置（页面上）", "Tab / Shift+Tab"),
    ("放大/缩小页面", "Ctrl+滚轮"),
    ("部门列表中：设为 未审 / 审核中 / 已完成", "Alt+1 / Alt+2 / Alt+3"),
)
"""Keys that are not menu actions, as (what, keys)."""

_MNEMONIC = re.compile(r"\(&\w\)|&")


def shortcut_rows(window: QMainWindow) -> list[tuple[str, str, str]]:
    """``(menu, what, keys)`` for every action of the window's menus that has a shortcut, in menu order, then
    the other keys (menu "其他")."""
    rows: list[tuple[str, str, str]] = []
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        if menu is None:
            continue
        title = _MNEMONIC.sub("", menu_action.text())
        for a in menu.actions():
            keys = list(dict.fromkeys(k.toString(QKeySequence.SequenceFormat.NativeText)
                                      for k in a.shortcuts() if not k.isEmpty()))  # Return and Enter: one 回车
            if not keys:
                continue
            what = _MNEMONIC.sub("", a.text()).replace("…", "")
            rows.append((title, what, " / ".join(keys)))
    rows.extend(("其他", what, keys) for what, keys in OTHER_KEYS)
    return rows


def shortcuts_html(window: QMainWindow) -> str:
    """The rows as rich text: the menus' groups in two columns side by side (one column of 35 rows was taller
    than a 768-pixel screen), a heading per group."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for menu, what, keys in shortcut_rows(window):
        groups.setdefault(menu, []).append((what, keys))
    half = sum(len(g) + 1 for g in groups.values()) / 2
    columns: list[list[str]] = [[], []]
    used = 0
    for menu, rows in groups.items():
        col = columns[0] if used < half and (used + len(rows) / 2) <= half + 1 else columns[1]
        used += len(rows) + 1
        col.append(f'<tr><td colspan="2"><b>{html.escape(menu)}</b></td></tr>')
        col.extend(f'<tr><td style="padding-right:12px">{html.escape(what)}</td>'
                   f"<td><b>{html.escape(keys)}</b></td></tr>" for what, keys in rows)
    cells = "".join('<td valign="top" style="padding-right:24px"><table cellspacing="0" cellpadding="2">'
                    f'{"".join(c)}</table></td>' for c in columns if c)
    return f"<table><tr>{cells}</tr></table>"


def show_shortcuts(window: QMainWindow) -> None:
    """A dialog (a message box keeps its text narrow: the two columns wrapped every line)."""
    dialog = QDialog(window)
    dialog.setWindowTitle("快捷键")
    layout = QVBoxLayout(dialog)
    label = QLabel(shortcuts_html(window))
    label.setTextFormat(Qt.TextFormat.RichText)
    layout.addWidget(label)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
    buttons.accepted.connect(dialog.accept)
    layout.addWidget(buttons)
    dialog.exec()
