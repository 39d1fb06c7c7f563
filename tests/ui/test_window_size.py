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

