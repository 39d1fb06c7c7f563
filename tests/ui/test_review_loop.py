"""A whole fixture package reviewed with the keyboard only (issue 15, "Done when"): every finding decided
(确认问题 or 排除, each with a reason), every value read with low certainty confirmed or corrected, one value
corrected and one 绩效指标 cell corrected — all with real key presses on the focused widget, through the
review loop (Ctrl+Enter confirms and moves on, F8 skips), with the real checks.  The reason dialog is the
prompts stub (a QInputDialog is keyboard-driven: type, Enter)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from core.review.corrections import CONFIRMED, EXCLUDED
from core.review.store import load_case
from tests.ui.conftest import YUNXI

OPEN_TIMEOUT = 60000
CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_package_reviewed_end_to_end_with_the_keyboard(qtbot, make_window, prompts):
    from core.pipeline import recheck

    prompts.files_answer = [str(p) for p in sorted(YUNXI.glob("*.pdf"))]
    window = make_window(recheck=recheck)
    with qtbot.waitActive(window):
        window.activateWindow()

    def press(key, modifier=Qt.KeyboardModifier.NoModifier):
        qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)

    def type_text(text):
        qtbot.keyClicks(QApplication.focusWidget(), text)

    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        press(Qt.Key.Key_O, CTRL)
    session = window.session
    findings_at_start = len(session.case.findings)
    uncertain = window._uncertain_ids()
    assert findings_at_start >= 3 and uncertain  # something to review of both kinds
    label = window.fields.proxy_index(uncertain[-1]).data()
    assert label.endswith("？")  # a value read with low certainty is marked in the list

    # F8: the first item to review, and where we are
    press(Qt.Key.Key_F8)
    assert window._loop_item is not None and window._loop_item[0] == "finding"
    assert window.position_label.text().startswith("第 1/")
    assert "剩余" in window.findings.position.text()
    total = len(window.review_items())

    corrected_value = corrected_indicator = None
    decided = {CONFIRMED: 0, EXCLUDED: 0}
    for step in range(4 * total + 20):
        item = window._loop_item
        if item is None or window._item_done(item):
            break
        kind, ident = item
        if kind == "finding":
            prompts.reason_answer = f"理由{step}"
            if step % 3 == 2:
                press(Qt.Key.Key_2, CTRL)  # 排除 (误报/可接受), reason required, then the next item
                decided[EXCLUDED] += 1
            else:
                press(Qt.Key.Key_Return, CTRL)  # 确认问题, then the next item
                decided[CONFIRMED] += 1
        elif corrected_value is None:
            # the first uncertain value: read again off the page and corrected in place, with a reason
            assert window.fields.current_field_id() == ident
            press(Qt.Key.Key_F2)
            editor = QApplication.focusWidget()
            assert isinstance(editor, QLineEdit)
            printed = session.field(ident).raw
            editor.selectAll()
            type_text("12")
            press(Qt.Key.Key_Return)  # now the reason
            type_text("per page image")
            press(Qt.Key.Key_Return, CTRL)  # record it and go on
            corrected_value = (ident, printed)
        else:
            press(Qt.Key.Key_Return, CTRL)  # the value is as printed: accepted, next
        if window._loop_item == item and not window._item_done(item):
            raise AssertionError(f"the loop did not move on from {item}")
    assert window._item_done(window._loop_item) if window._loop_item else True
    assert "全部问题和数值都已审核" in window.statusBar().currentMessage()
    assert session.open_findings() == []
    assert decided[CONFIRMED] and decided[EXCLUDED]
    assert all(session.is_accepted(f) or session.is_corrected(f) for f in uncertain)
    assert not window.fields.proxy_index(uncertain[-1]).data().endswith("？")  # confirmed: no longer marked

    # one 绩效指标 cell: Ctrl+Tab to the indicators, arrows to a 得分 cell, F2, value, reason, Enter
    window.fields.tree.setFocus()
    press(Qt.Key.Key_Tab, CTRL)
    assert window.fields.tabs.currentIndex() == 1
    table = window.fields.indicators
    assert QApplication.focusWidget() is table
    from ui.models.indicators_model import COL_SCORE

    press(Qt.Key.Key_Home, CTRL)  # the first cell
    while table.currentIndex().column() < COL_SCORE:
        press(Qt.Key.Key_Right)
    while table.currentIndex().data() in ("", None):
        press(Qt.Key.Key_Down)
    cid = window.fields.current_indicator_cell()
    ind = window.indicators_model.indicator(table.currentIndex())
    printed_score = ind.score
    press(Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    type_text("0.5")
    press(Qt.Key.Key_Return)
    type_text("score recomputed")
    with qtbot.waitSignal(window.bridge.saved, timeout=10000):
        press(Qt.Key.Key_Return)
    corrected_indicator = cid
    assert ind.score is not None and str(ind.score) == "0.5" and printed_score != ind.score

    # a lower score may raise new findings (the sheet's sums): the loop goes on through them
    for _ in range(40):
        if not session.open_findings():
            break
        prompts.reason_answer = "因指标得分更正"
        press(Qt.Key.Key_F8)
        press(Qt.Key.Key_Return, CTRL)
    assert session.open_findings() == []

    # all of it in the case file
    case, logs = load_case(window.bridge.case_path)
    fields = {r.field_id: r for r in logs.corrections}
    assert fields[corrected_value[0]].new_raw == "12" and fields[corrected_value[0]].reason == "per page image"
    assert fields[corrected_indicator].reason == "score recomputed"
    statuses = {d.status for d in logs.decisions.current().values()}
    assert statuses <= {CONFIRMED, EXCLUDED} and statuses == {CONFIRMED, EXCLUDED}
    assert all(logs.decisions.latest(f.fingerprint).reason for f in session.case.findings)
    assert set(logs.accepted) | {corrected_value[0]} >= set(uncertain)


def test_a_bulk_decision_says_how_many_findings_it_applies_to(qtbot, make_window, prompts):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(YUNXI)])
    with qtbot.waitActive(window):
        window.activateWindow()
    session = window.session
    table = window.findings.table
    press = lambda key, mod=Qt.KeyboardModifier.NoModifier: qtbot.keyClick(  # noqa: E731
        QApplication.focusWidget() or window, key, mod)
    press(Qt.Key.Key_F8)  # the first finding; the focus is on the list
    assert QApplication.focusWidget() is table
    press(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    press(Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    fps = window.findings.selected_fingerprints()
    assert len(fps) == 3
    assert window.findings.verify_button.text() == "确认问题（3条）…"
    assert window.findings.na_button.text() == "排除（3条）…"
    prompts.reason_answer = "同一原因：分值表填写错误"
    open_before = len(session.open_findings())
    press(Qt.Key.Key_2, CTRL)  # 排除 all three, one reason
    title = prompts.asked("reason")[-1][1]
    assert title == "标记为排除（3条）" and prompts.asked("reason")[-1][3] is True  # a reason is required
    assert [session.decision(fp).status for fp in fps] == [EXCLUDED] * 3
    assert {session.decision(fp).reason for fp in fps} == {"同一原因：分值表填写错误"}
    assert len(session.open_findings()) == open_before - 3
    assert window._loop_item not in [("finding", f) for f in fps]  # and on to the next open item
    assert not window._item_done(window._loop_item)
