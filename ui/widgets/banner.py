"""A calm strip across the top of the window for things the reviewer must know but need not answer now.

Why it exists: a changed source file, files that could not be read, a review to recover, a failed save: each
deserves a sentence and a button, not a modal dialog that interrupts the work (no "modal storm").
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

_COLORS = {
    "info": ("#e8f1fb", "#9cc2ea", "#174a7c"),
    "warning": ("#fff6e0", "#f0c36d", "#6b4a00"),
    "error": ("#fdecea", "#f1a9a0", "#7f1d1d"),
}


class Banner(QFrame):
    """One message with optional buttons; ``closed`` when dismissed."""

    closed = Signal()

    def __init__(self, text: str, kind: str = "info", *, key: str = "", closable: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.kind = kind
        bg, border, fg = _COLORS.get(kind, _COLORS["info"])
        self.setObjectName("banner")
        self.setStyleSheet(
            f"QFrame#banner {{ background: {bg}; border: 1px solid {border}; border-radius: 4px; }}"
            f"QFrame#banner QLabel {{ color: {fg}; }}"
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.setSpacing(8)
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        self._buttons = QHBoxLayout()
        self._buttons.setSpacing(6)
        layout.addLayout(self._buttons)
        if closable:
            close = QToolButton()
            close.setText("✕")
            close.setAutoRaise(True)
            close.setToolTip("关闭提示")
            close.clicked.connect(self.dismiss)
            layout.addWidget(close)

    @property
    def text(self) -> str:
        return self.label.text()

    def add_button(self, text: str, callback: Callable[[], None], *, dismiss: bool = True) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)

        def clicked() -> None:
            if dismiss:
                self.dismiss()
            callback()

        button.clicked.connect(clicked)
        self._buttons.addWidget(button)
        return button

    def buttons(self) -> list[QPushButton]:
        return [self._buttons.itemAt(i).widget() for i in range(self._buttons.count())]

    def dismiss(self) -> None:
        self.hide()
        self.closed.emit()
        self.deleteLater()


class BannerArea(QWidget):
    """A column of banners; a new banner with the same ``key`` replaces the old one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(6, 4, 6, 0)
        self._layout.setSpacing(4)
        self._banners: list[Banner] = []
        self.hide()

    def show_banner(self, text: str, kind: str = "info", *, key: str = "", closable: bool = True) -> Banner:
        if key:
            self.remove(key)
        banner = Banner(text, kind, key=key, closable=closable)
        banner.closed.connect(lambda b=banner: self._forget(b))
        self._banners.append(banner)
        self._layout.addWidget(banner)
        self.show()
        return banner

    def remove(self, key: str) -> None:
        for b in [b for b in self._banners if b.key == key]:
            b.dismiss()

    def clear(self) -> None:
        for b in list(self._banners):
            b.dismiss()

    def show_only(self, keep) -> None:
        """Show the banners for which ``keep(banner)`` is true and hide the others (a case's banners while
        the workspace's list is on screen); the area goes when none is shown."""
        shown = 0
        for b in self._banners:
            b.setVisible(bool(keep(b)))
            shown += bool(keep(b))
        self.setVisible(shown > 0)

    def banners(self) -> list[Banner]:
        return list(self._banners)

    def banner(self, key: str) -> Banner | None:
        for b in self._banners:
            if b.key == key:
                return b
        return None

    def _forget(self, banner: Banner) -> None:
        if banner in self._banners:
            self._banners.remove(banner)
        if not self._banners:
            self.hide()
