"""Colours, icons and the few fonts the window uses, in one place.

Why it exists: severity is data in the core (error / warning / info); how it looks is decided here once, so
the field tree, the findings list, the page highlights and the status bar all speak the same colours.
Icons are SVG files in ``resources/icons`` (drawn for this project; nothing downloaded).
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QIcon

from core.resources import resource_path

ERROR = QColor("#c62828")
WARNING = QColor("#d08300")
OK = QColor("#2e7d32")
INFO = QColor("#1e6fbf")
MUTED = QColor("#757575")

ERROR_BG = QColor("#fdecea")
WARNING_BG = QColor("#fff4de")
CORRECTED_BG = QColor("#e3efff")
GROUP_BG = QColor("#f1f3f5")

FIELD_BOX = QColor("#1e6fbf")
SEARCH_BOX = QColor("#f2c200")

SEVERITY_TEXT = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_COLOR = {"error": ERROR, "warning": WARNING, "info": INFO}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

STATUS_OPEN = "未处理"
"""How an undecided (or reopened) finding is shown; the core stores it as ``""``."""


@lru_cache(maxsize=None)
def icon(name: str) -> QIcon:
    """``resources/icons/<name>.svg`` as a QIcon (an empty icon if the file is missing)."""
    path = resource_path(f"icons/{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def severity_icon(severity: str) -> QIcon:
    return icon(f"severity-{severity}")


def status_color(status: str | None) -> QColor:
    """The ● of a field: red for an open error, amber for an open warning, green otherwise."""
    if status == "error":
        return ERROR
    if status == "warning":
        return WARNING
    return OK
