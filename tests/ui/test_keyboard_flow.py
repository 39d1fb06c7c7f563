"""From opening a package to a corrected, saved review with the keyboard only (issue: the review window,
"Done when").  Every step is a key press on the window; the file chooser is the prompts stub (a native file
dialog is keyboard-driven on every platform)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from core.review.store import load_case

from tests.ui.conftest import YUNXI

OPEN_TIMEOUT = 60000


def test_open_correct_and_save_with_the_keyboard_only(qtbot, make_window, prompts):
    prompts.files_answer = [str(p) for p in sorted(YUNXI.glob("*.pdf"))]
    window = make_window()
    with qtbot.waitActive(window):
        window.activateWindow()

    def press(key, modifier=Qt.KeyboardModifier.NoModifier):
        """A key press where a reviewer's keyboard sends it: to the widget that has the focus."""
        qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)

    # Ctrl+O: choose the files; the case opens in the background
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    session = window.session
    open_before = [f for f in session.open_findings()]
    assert len(open_before) == 1 and open_before[0].check == "toy.control_rate"  # 控制率 100.00%
    # F8: to the first unresolved finding, which selects the field it names
    press(Qt.Key.Key_F8)
    rate = session.case.first("basic.staff.control_rate")
    assert window.fields.current_field_id() == rate.id
    # F2: edit the selected value in place; type; Enter confirms
    press(Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "95.83%")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the value; the same editor now asks for the reason
    qtbot.keyClicks(editor, "per table")
    with qtbot.waitSignal(window.bridge.saved, timeout=10000):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    # corrected, re-checked, saved
    assert str(session.field(rate.id).value) == "95.83"
    assert session.open_findings() == []
    case, logs = load_case(window.bridge.case_path)
    assert [(r.field_id, r.new_raw, r.reason) for r in logs.corrections] == [(rate.id, "95.83%", "per table")]
    assert str(case.field_by_id(rate.id).value) == "95.83"
    # Ctrl+Z undoes it, from the keyboard too
    press(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert str(session.field(rate.id).value) == "100.00"
