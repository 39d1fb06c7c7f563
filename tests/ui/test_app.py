"""``ui.app.run``: the application named for QSettings, a Chinese font, the window on the given files."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from conftest import YUNXI
from ui import app as ui_app


def test_a_chinese_font_is_the_ui_font_when_one_is_installed(qapp):
    installed = [f for f in ui_app.CHINESE_FONTS if f in QFontDatabase.families()]
    if not installed:
        pytest.skip("no Chinese font on this machine")
    assert ui_app.apply_chinese_font(qapp) == installed[0]
    assert qapp.font().families()[0] == installed[0]


def test_make_application_names_the_app_for_qsettings(qapp):
    app = ui_app.make_application()
    assert app is qapp  # never a second QApplication
    assert (app.organizationName(), app.applicationName()) == (ui_app.ORGANIZATION, ui_app.APPLICATION)
    assert app.applicationDisplayName() == ui_app.DISPLAY_NAME


class _App:
    """Stands in for the QApplication in ``run``: its ``exec`` is a local event loop, because ending the
    real application's loop in the middle of a test session would end it for every later test."""

    def __init__(self) -> None:
        self.loop = QEventLoop()

    def exec(self) -> int:
        return self.loop.exec()


def test_run_opens_the_files_as_one_case_and_returns_the_exit_code(qapp, tmp_path, monkeypatch):
    if not YUNXI.exists():
        pytest.skip("fixture package yunxi_2024 not generated")
    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    fake = _App()
    monkeypatch.setattr(ui_app, "make_application", lambda: fake)
    monkeypatch.setattr(ui_app, "setup_logging", lambda: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own; put it back after
    monkeypatch.setattr("ui.settings.data_dir", lambda: tmp_path)
    s = QSettings()
    s.setValue("review/reviewer", "测试员")
    s.setValue("review/reviewer_asked", True)
    s.sync()
    opened = {}

    def watch() -> None:
        from ui.main_window import MainWindow

        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        window = windows[0]

        def done() -> None:
            opened["title"] = window.case_title()
            opened["store"] = window.store_dir
            window.close()
            fake.loop.exit(7)

        if window.session is not None:
            done()
        else:
            window.case_opened.connect(done)

    QTimer.singleShot(0, watch)  # runs once run() is in its event loop: the window exists by then
    assert ui_app.run([str(YUNXI)]) == 7
    assert opened == {"title": "中共岳阳市云溪区委组织部", "store": tmp_path / "cases"}
