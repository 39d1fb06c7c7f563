"""帮助 › 快捷键 lists every key of the window, read from its own actions, in a table short enough for a
768-pixel screen (the hand-written paragraph wrapped mid-entry and was bound to fall behind the menus)."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLabel

from ui.dialogs.shortcuts import OTHER_KEYS, shortcut_rows, shortcuts_html


def test_every_menu_shortcut_is_in_the_help_and_it_fits_a_small_screen(qtbot, make_window):
    window = make_window()
    rows = shortcut_rows(window)
    listed = {(what, keys) for _menu, what, keys in rows}
    expected = 0
    for menu_action in window.menuBar().actions():
        for a in (menu_action.menu().actions() if menu_action.menu() else []):
            if a.shortcut().isEmpty():
                continue
            expected += 1
            key = a.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            assert any(key in keys.split(" / ") for _what, keys in listed), a.text()
    assert expected >= 20 and len(rows) == expected + len(OTHER_KEYS)
    confirm = next(keys for _m, what, keys in rows if what == "确认并转到下一项")
    assert len(confirm.split(" / ")) == len(set(confirm.split(" / ")))  # Return and Enter read the same: once
    label = QLabel(shortcuts_html(window))
    qtbot.addWidget(label)
    assert label.sizeHint().height() < 600 and label.sizeHint().width() < 1300
