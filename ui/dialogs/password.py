"""Ask for the password of an encrypted PDF (some bureaus send packages protected against editing)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class PasswordDialog(QDialog):
    def __init__(self, file_name: str, wrong: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("需要密码")
        self.setMinimumWidth(380)
        layout = QVBoxLayout(self)
        text = f"“{file_name}”已加密。"
        text += "刚才输入的密码不正确，请重新输入：" if wrong else "请输入打开密码："
        label = QLabel(text)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.edit = QLineEdit()
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.edit)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("打开")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("跳过此文件")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @property
    def password(self) -> str:
        return self.edit.text()
