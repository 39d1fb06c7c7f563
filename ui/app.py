"""Starting the window: the QApplication set up for a Chinese office PC, then ``MainWindow``.

Why it exists apart from ``main_window``: what must happen *before* any widget exists lives here — high-DPI
rounding, the application name and organisation (which decide where QSettings and the per-user data folder
are), a font that has Chinese glyphs on Windows 10 and on UOS/Kylin, Qt's own Chinese strings for standard
dialogs, a log file (a bug is logged with its traceback; the reviewer sees a Chinese sentence), and the
choice of what to open.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

ORGANIZATION = "jixiao-review"
APPLICATION = "jixiao-review"
DISPLAY_NAME = "绩效自评审核"

# First one installed wins: Windows 10, then UOS/Kylin and other Linux desktops, then anything CJK.
CHINESE_FONTS = (
    "Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN",
    "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback", "SimHei", "SimSun", "NSimSun",
)

log = logging.getLogger(__name__)


def make_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication (created once), named for QSettings, with a Chinese-capable font."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(DISPLAY_NAME)
    apply_chinese_font(app)
    install_qt_translations(app)
    return app  # type: ignore[return-value]


def apply_chinese_font(app: QApplication) -> str:
    """Use the first installed Chinese font as the UI font, keeping the platform's size; the others stay
    as fallbacks for glyphs the first one lacks.  Returns the family chosen ("" when none was found)."""
    available = set(QFontDatabase.families())
    chosen = [f for f in CHINESE_FONTS if f in available]
    if not chosen:
        return ""
    font = QFont(app.font())
    font.setFamilies(chosen + [app.font().family()])
    if font.pointSizeF() < 9:
        font.setPointSizeF(9.5)
    app.setFont(font)
    return chosen[0]


def install_qt_translations(app: QApplication) -> None:
    """Qt's own strings (file dialogs, "OK/Cancel" of standard boxes) in Chinese."""
    translator = QTranslator(app)
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", path) or \
            translator.load("qt_zh_CN", path):
        app.installTranslator(translator)


def setup_logging() -> None:
    from ui.settings import data_dir

    try:
        handler = RotatingFileHandler(data_dir() / "review.log", maxBytes=2_000_000, backupCount=3,
                                      encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


_shown_error = False


def _excepthook(kind, value, tb) -> None:
    """A bug in a slot: log it with its traceback, tell the reviewer once, keep the window (and the
    review, which is saved after every change) alive."""
    global _shown_error
    log.error("unhandled exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if _shown_error or QApplication.instance() is None:
        return
    _shown_error = True
    box = QMessageBox(QMessageBox.Icon.Warning, "程序出现意外错误",
                      "刚才的操作没有完成。已完成的修改都已保存，可以继续工作；如果问题重复出现，请重新启动程序，"
                      "并把日志文件发给技术支持。")
    box.setDetailedText("".join(traceback.format_exception(kind, value, tb)))
    box.addButton("继续", QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def run(paths: list[str]) -> int:
    """Show the window on ``paths`` (files and folders, one case), or on the last case; returns the exit
    code of the event loop."""
    app = make_application()
    setup_logging()
    sys.excepthook = _excepthook
    from ui.main_window import MainWindow

    window = MainWindow()
    window.show()
    window.start(list(paths))
    return app.exec()
