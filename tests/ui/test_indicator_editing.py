"""绩效指标 cells are corrected in place like fields (F2 / Enter, a reason, undo), and F2 edits what is selected
on the tab on screen, or nothing — never a field hidden on the other tab.  Real key presses on the focused
widgets of a window on the yunxi fixture package."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from core.review.session import cell_id
from tests.ui.conftest import YUNXI

OPEN_TIMEOUT = 60000


def _open(qtbot, window):
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(YUNXI)])
    with qtbot.waitActive(window):
        window.activateWindow()
    return window.session


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def test_an_indicator_score_is_corrected_with_a_reason_and_undone(qtbot, make_window):
    window = make_window()
    session = _open(qtbot, window)
    ind = next(i for i in session.case.indicators if i.score is not None and i.weight is not None)
    printed = ind.score
    cid = cell_id(ind.id, "score")
    assert window.fields.select_indicator(cid)
    window.fields.indicators.setFocus()
    assert window.fields.current_indicator_cell() == cid
    # the card shows the cell, its box is on the page
    assert window.fields.card.field_id == cid and "得分" in window.fields.card.title.text()
    press(qtbot, window, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == format(printed, "f")
    editor.selectAll()
    qtbot.keyClicks(editor, "1.5")
    press(qtbot, window, Qt.Key.Key_Return)  # value taken; now the reason
    assert editor.property("stage") == "reason"
    qtbot.keyClicks(editor, "score misread")
    with qtbot.waitSignal(window.bridge.saved, timeout=10000):
        press(qtbot, window, Qt.Key.Key_Return)
    assert ind.score == Decimal("1.5")
    (record,) = session.history(cid)
    assert (record.reason, record.new_raw, record.old_value) == ("score misread", "1.5", printed)
    idx = window.indicators_model.cell_index(cid)
    assert idx.data() == "1.5" and idx.data(Qt.ItemDataRole.FontRole).bold()  # marked as corrected
    assert "得分" in window.act_undo.text()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert ind.score == printed
    assert window.fields.current_indicator_cell() == cid  # undo shows what it undid
    # Enter on a cell opens its editor too; a bad entry is refused with the reason, nothing recorded
    press(qtbot, window, Qt.Key.Key_Return)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    editor.selectAll()
    qtbot.keyClicks(editor, "abc")
    with qtbot.waitSignal(window.fields.indicator_delegate.refused):
        press(qtbot, window, Qt.Key.Key_Return)
    assert "不是有效数字" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert ind.score == printed and len(session.history(cid)) == 2  # the edit and its undo


def test_f2_edits_the_selection_on_screen_or_nothing(qtbot, make_window):
    window = make_window()
    session = _open(qtbot, window)
    tree = window.fields.tree
    rate = session.case.first("basic.staff.control_rate")
    window.fields.select_field(rate.id)
    tree.setFocus()
    # on the 绩效指标 tab with no cell selected, F2 must not edit the field still current on the 字段 tab
    window.fields.tabs.setCurrentIndex(1)
    window.fields.indicators.setFocus()
    window.fields.indicators.selectionModel().clearSelection()
    press(qtbot, window, Qt.Key.Key_F2)
    assert window.fields.tabs.currentIndex() == 1
    assert tree.state() != QAbstractItemView.State.EditingState
    assert window.fields.indicators.state() != QAbstractItemView.State.EditingState
    assert "没有选中可修改的值" in window.statusBar().currentMessage()
    # a 三级指标 name is not a correctable cell: still nothing
    ind = session.case.indicators[0]
    window.fields.select_indicator(ind.id)
    press(qtbot, window, Qt.Key.Key_F2)
    assert window.fields.indicators.state() != QAbstractItemView.State.EditingState
    # the selected 实际值 cell is what F2 edits
    window.fields.select_indicator(cell_id(ind.id, "actual"))
    press(qtbot, window, Qt.Key.Key_F2)
    assert window.fields.indicators.state() == QAbstractItemView.State.EditingState
    assert tree.state() != QAbstractItemView.State.EditingState
    press(qtbot, window, Qt.Key.Key_Escape)
    # back on the 字段 tab, a current row that is not selected is not edited either
    window.fields.tabs.setCurrentIndex(0)
    tree.setFocus()
    tree.selectionModel().clearSelection()
    press(qtbot, window, Qt.Key.Key_F2)
    assert tree.state() != QAbstractItemView.State.EditingState
    assert not session.corrections.records


def test_a_review_score_is_set_with_a_reason_marked_as_the_reviewers_and_undone(qtbot, make_window):
    from core.pipeline import recheck
    from ui.models.indicators_model import COL_BASIS, COL_DEDUCTION, COL_REVIEW_SCORE

    window = make_window(recheck=recheck)  # the real checks and scoring: the 复核评分 comes with them
    session = _open(qtbot, window)
    ind = next(i for i in session.case.indicators if i.level3 == "人才培训")  # 15000 vs ≥1000: judgement
    cid = cell_id(ind.id, "review_score")
    model = window.indicators_model
    row = model.row_of(ind.id)
    assert model.index(row, COL_REVIEW_SCORE).data() == "5" and model.index(row, COL_DEDUCTION).data() == ""
    assert window.fields.select_indicator(cid)
    window.fields.indicators.setFocus()
    press(qtbot, window, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "5"  # the editor starts from the proposal
    editor.selectAll()
    qtbot.keyClicks(editor, "3")
    press(qtbot, window, Qt.Key.Key_Return)
    assert editor.property("stage") == "reason"
    editor.insert("指标值设定明显偏低，按偏离度调减")  # (QTest types ASCII only)
    with qtbot.waitSignal(window.bridge.saved, timeout=10000):
        press(qtbot, window, Qt.Key.Key_Return)
    assert model.index(row, COL_REVIEW_SCORE).data() == "3（复核人）"
    assert model.index(row, COL_DEDUCTION).data() == "2"
    assert "按偏离度调减" in model.index(row, COL_BASIS).data()
    assert model.index(row, COL_REVIEW_SCORE).data(Qt.ItemDataRole.FontRole).bold()
    review = session.case.scores["review"]
    assert review["raw_total"] == Decimal("108.00")  # 110 − 2, then rescaled to 100 points
    total = window.fields.review_total.text()  # the line under the table follows
    assert "自评得分 100 · 复核得分 98.18（分值合计110分，按100分折算）" in total and "复核等次 优" in total
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert model.index(row, COL_REVIEW_SCORE).data() == "5" and model.index(row, COL_DEDUCTION).data() == ""
    # a 复核得分 above the 分值 is refused with the reason, nothing recorded
    press(qtbot, window, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, "9")
    with qtbot.waitSignal(window.fields.indicator_delegate.refused):
        press(qtbot, window, Qt.Key.Key_Return)
    assert "不能超过分值5分" in window.statusBar().currentMessage()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert len(session.history(cid)) == 2  # the edit and its undo
