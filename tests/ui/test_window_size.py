"""The window never opens larger than the screen: the first start's 1440×900 on a 1366×768 laptop put the
status bar, the decision buttons and the findings' 处理 column off screen.  (A size saved on a larger monitor
is fitted by Qt's restoreGeometry itself.)"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication


def _fits(window) -> bool:
    area = (window.screen() or QGuiApplication.primaryScreen()).availableGeometry()
    return window.width() <= area.width() and window.height() <= area.height()


def test_the_first_start_fits_the_screen(qtbot, settings, tmp_path):
    from ui.main_window import MainWindow

    area = QGuiApplication.primaryScreen().availableGeometry()
    assert area.width() < 1440 or area.height() < 900  # the test platform's screen is smaller than the default
    window = MainWindow(settings, store_dir=tmp_path / "cases")
    qtbot.addWidget(window)
    assert _fits(window)
    assert window.width() == min(1440, area.width()) and window.height() == min(900, area.height())



def test_at_1366x768_the_indicator_table_keeps_rows_beside_a_long_findings_list(qtbot, make_window):
    """The findings list takes the height its rows need, but not the 绩效指标 table's: at 1366×768 with
    yunxi's 36 findings it left the table two rows, the 人才培训 cell just chosen scrolled out of sight."""
    from conftest import YUNXI

    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(YUNXI)])
    assert window.findings_model.rowCount() > 20
    iid = window.session.case.indicators[4].id + ".actual"
    assert window.fields.select_indicator(iid)
    window.show_indicator(iid)
    qtbot.wait(50)
    table = window.fields.indicators
    rows_shown = table.viewport().height() // table.rowHeight(0)
    assert rows_shown >= 4
    cell = table.visualRect(table.currentIndex())
    assert table.viewport().rect().contains(cell)  # the chosen cell is in sight
    # and the findings list still shows a good part of its rows
    findings = window.findings.table
    assert findings.viewport().height() // findings.rowHeight(0) >= 8


def test_a_field_chosen_stays_in_sight_when_the_card_opens_under_the_list(qtbot, make_window):
    """The card under the field list grows with the field's findings; the field just chosen (the last of a long
    list) was left under it, out of sight."""
    from conftest import YUNXI

    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    window.resize(1366, 768)
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(YUNXI)])
    tree = window.fields.tree
    ids = window.fields_model.field_ids()
    fid = [fid for fid in ids if window.session.findings_for_field(fid)][-1]  # the card lists its findings
    assert window.fields.select_field(fid)
    window.show_field(fid)
    qtbot.wait(50)
    rect = tree.visualRect(tree.currentIndex())
    assert rect.isValid() and tree.viewport().rect().contains(rect)
