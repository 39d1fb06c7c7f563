"""Deciding a finding while the list shows only the 未处理 ones: the row leaves the list, and the review goes on
from the next open finding with the keyboard still on the list."""

from __future__ import annotations

from conftest import YUNXI
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui import style
from ui.models.common import FINGERPRINT_ROLE

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_decision_in_the_open_only_list_moves_to_the_next_open_finding(qtbot, make_window, prompts):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(YUNXI)])
    with qtbot.waitActive(window):
        window.activateWindow()
    panel = window.findings
    panel.status.setCurrentIndex(panel.status.findData(style.STATUS_OPEN))
    table = panel.table
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F8)
    first = table.currentIndex().data(FINGERPRINT_ROLE)
    second = panel.proxy.index(table.currentIndex().row() + 1, 0).data(FINGERPRINT_ROLE)
    assert first and second
    prompts.reason_answer = "已核实"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_1, CTRL)
    assert window.session.decision(first).status == "确认问题"
    assert all(panel.proxy.index(r, 0).data(FINGERPRINT_ROLE) != first for r in range(panel.proxy.rowCount()))
    assert table.currentIndex().data(FINGERPRINT_ROLE) == second
    assert QApplication.focusWidget() is table
