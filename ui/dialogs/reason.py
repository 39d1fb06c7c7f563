"""Ask for the reason of a decision (已核实 / 不适用): one line, remembered reasons offered as completions.

Why: a decision without a reason is hard to defend later; a reason typed twenty times a day should be typed
once.  不适用 requires a reason (the bureau will ask why a check was set aside); 已核实 does not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class ReasonDialog(QDialog):
    def __init__(self, title: str, message: str, *, required: bool = False, reason: str = "",
                 completions: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self._required = required
        layout = QVBoxLayout(self)
        text = QLabel(message)
        text.setWordWrap(True)
        text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(text)
        layout.addWidget(QLabel("理由（必填）：" if required else "理由（可选）："))
        self.edit = QLineEdit(reason)
        self.edit.setPlaceholderText("例如：已与单位核实，数据以决算表为准")
        if completions:
            c = QCompleter(completions, self.edit)
            c.setFilterMode(Qt.MatchFlag.MatchContains)
            c.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            self.edit.setCompleter(c)
        layout.addWidget(self.edit)
        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Ok | std.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.edit.textChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not self._required or bool(self.edit.text().strip()))

    @property
    def reason(self) -> str:
        return self.edit.text().strip()
