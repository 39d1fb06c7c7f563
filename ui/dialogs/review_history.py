"""文件 › 审核记录历史…: the saved reviews of the open case — the current one and every earlier one the store kept
when another review replaced it — and restoring an earlier one.

Why it exists: a review is never thrown away (``core.review.store.keep_other_review`` copies a replaced review
into the case's history), but a copy nobody can find is as good as lost.  Here the reviewer sees each one
(when it was last changed, by whom, how many corrections and decisions) and restores one; the review it
replaces is kept in the history too, so restoring can itself be undone.  The command line does the same
(``main.py history FILE_OR_DIR... [--restore N]``).

How: the window closes the case (saved), ``restore_version`` makes the chosen copy current, and the window
reopens the case file.  ``show_review_history(window, choose=…)`` takes the choice from a function in tests.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.errors import OutputError
from core.review.store import CaseFileError, ReviewVersion, restore_version, review_versions
from ui.models.common import short_time

COLUMNS = ("", "最后修改", "审核人", "修改记录", "问题结论")


class ReviewHistoryDialog(QDialog):
    """The list of saved reviews, most recent first, the current one on top; ``chosen`` after 恢复."""

    def __init__(self, versions: list[ReviewVersion], title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("审核记录历史")
        self.setMinimumSize(620, 320)
        self.versions = list(versions)
        self.chosen: ReviewVersion | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(
            (f"“{title}”" if title else "这个部门") + "保存过的审核记录。较早的记录是在被新的审核记录替换时自动保留的；"
            "恢复其中一份后，当前的记录也会保留在这里，不会丢失。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(len(self.versions), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        now = self.versions[0].sources if self.versions else ()
        for row, v in enumerate(self.versions):
            for col, text in enumerate(self.row_texts(v, now)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(v.path))
                self.table.setItem(row, col, item)
        layout.addWidget(self.table)
        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Close)
        self.buttons.button(std.Close).setText("关闭")
        self.restore_button = self.buttons.addButton("恢复所选的审核记录", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.table.itemSelectionChanged.connect(self._update)
        self.table.doubleClicked.connect(lambda _i: self.restore_button.isEnabled() and self._accept())
        if len(self.versions) > 1:
            self.table.selectRow(1)
        self._update()

    @staticmethod
    def row_texts(v: ReviewVersion, now: tuple[str, ...] = ()) -> list[str]:
        """The row of one version; ``now``: the sources of the first one (a review of other sources is of an
        earlier version of the files: a department sent a file again)."""
        if not v.readable:
            return ["当前" if v.current else "较早", "（文件已损坏，无法读取）", "", "", ""]
        what = "当前" if v.current else "较早"
        if now and v.sources and v.sources != now:
            what += "（材料的较早版本）"
        return [what, short_time(v.modified) if v.modified else "未知",
                v.reviewer or "未填写", f"{v.corrections}条", f"{v.decisions}条"]

    def selected(self) -> ReviewVersion | None:
        rows = self.table.selectionModel().selectedRows()
        return self.versions[rows[0].row()] if rows else None

    def _update(self) -> None:
        v = self.selected()
        self.restore_button.setEnabled(v is not None and not v.current and v.readable)

    def _accept(self) -> None:
        self.chosen = self.selected()
        self.accept()


def _ask(window: Any, versions: list[ReviewVersion]) -> ReviewVersion | None:
    dialog = ReviewHistoryDialog(versions, window.case_title(), parent=window)
    return dialog.chosen if dialog.exec() == QDialog.DialogCode.Accepted else None


def show_review_history(window: Any, choose: Callable[[Any, list[ReviewVersion]], ReviewVersion | None] | None = None
                        ) -> bool:
    """Show the open case's saved reviews; restore the one chosen.  True when one was restored (the window then
    reopens the case with it)."""
    if window.session is None or window.bridge is None:
        window.prompts.error("审核记录历史", "没有打开的审核。请先打开一个部门的材料。")
        return False
    path = window.bridge.case_path
    versions = review_versions(path)
    if len(versions) < 2:
        window.prompts.info("审核记录历史", "这个部门只有当前这一份审核记录，没有较早的记录。")
        return False
    chosen = (choose or _ask)(window, versions)
    if chosen is None or chosen.current:
        return False
    if not window.close_case():  # the current review saved (and kept in the history by the restore)
        return False
    try:
        restore_version(path, chosen.path)
    except (CaseFileError, OutputError) as e:
        window.prompts.error("无法恢复审核记录", e.reason)
        window.open_case_file(path)
        return False
    window.open_case_file(path)
    window.statusBar().showMessage("已恢复较早的审核记录；原来的记录已保留在审核记录历史中", 8000)
    return True


__all__ = ["ReviewHistoryDialog", "show_review_history"]
