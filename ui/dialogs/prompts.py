"""Every question the window asks the reviewer in a modal dialog, behind one object.

Why it exists: tests (and the window under Xvfb) must be able to answer "password?", "overwrite?" or "reason?"
without a dialog blocking the event loop; they replace ``window.prompts`` with their own answers.  Keeping
them together also keeps them few: anything that need not be answered now is a banner instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget


class Prompts:
    def __init__(self, parent: QWidget | None = None) -> None:
        self.parent = parent

    def password(self, path: str, wrong: bool = False) -> str | None:
        from ui.dialogs.password import PasswordDialog

        d = PasswordDialog(Path(path).name, wrong, self.parent)
        return d.password if d.exec() == QDialog.DialogCode.Accepted else None

    def reason(self, title: str, message: str, *, required: bool = False, reason: str = "",
               completions: list[str] | None = None) -> str | None:
        from ui.dialogs.reason import ReasonDialog

        d = ReasonDialog(title, message, required=required, reason=reason, completions=completions,
                         parent=self.parent)
        return d.reason if d.exec() == QDialog.DialogCode.Accepted else None

    def preferences(self, reviewer: str, export_dir: str, *, first_time: bool = False, rules=(),
                    disabled: frozenset[str] = frozenset(), caps=(), caps_preset: str | None = None,
                    district_file: str = "") -> tuple[str, str, frozenset[str], str | None] | None:
        """(reviewer, export folder, rules left unchecked, cap preset chosen), or None when cancelled."""
        from ui.dialogs.preferences import PreferencesDialog

        d = PreferencesDialog(reviewer, export_dir, first_time=first_time, rules=rules, disabled=disabled,
                              caps=caps, caps_preset=caps_preset, district_file=district_file,
                              parent=self.parent)
        if d.exec() != QDialog.DialogCode.Accepted:
            return None
        return d.reviewer, d.export_folder, d.disabled_rules, d.caps_preset

    def manual_entry(self, entries, place: str, *, present: set[str] = frozenset(), key: str = "",
                     reasons: list[str] | None = None):
        """What a value entered by hand is (``ui.dialogs.manual_entry.ManualEntry``), or None."""
        from ui.dialogs.manual_entry import ManualEntryDialog

        d = ManualEntryDialog(entries, place, present=present, key=key, reasons=reasons, parent=self.parent)
        return d.result_entry if d.exec() == QDialog.DialogCode.Accepted else None

    def open_workspace(self, start: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, "打开审核工作区（一个区县全部部门材料所在的文件夹）", start)

    def add_folder(self, start: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, "添加文件夹到工作区", start)

    def confirm(self, title: str, text: str, yes: str = "是", no: str = "否") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=self.parent)
        y = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(no, QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(y)
        box.exec()
        return box.clickedButton() is y

    def info(self, title: str, text: str) -> None:
        """A plain notice (the information icon: nothing went wrong)."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=self.parent)
        box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def error(self, title: str, text: str, details: str = "") -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self.parent)
        if details:
            box.setDetailedText(details)
        box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def open_files(self, start: str) -> list[str]:
        files, _ = QFileDialog.getOpenFileNames(self.parent, "打开审核材料（可多选）", start, "审核材料 (*.pdf *.docx *.doc *.wps *.xlsx *.xls *.et *.ofd);;PDF 文件 (*.pdf);;所有文件 (*)")
        return files

    def open_folder(self, start: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, "打开一个部门的材料文件夹", start)

    def export_folder(self, start: str) -> str:
        return QFileDialog.getExistingDirectory(self.parent, "导出Excel到", start)

    def save_case_as(self, start: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.parent, "审核记录另存为", start, "审核记录 (*.case.json)")
        return path
