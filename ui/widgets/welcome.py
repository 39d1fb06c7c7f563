"""What the window shows before a case is open: how to start, and the recent reviews.

Why it exists: an empty grey window on a Monday morning helps no one; this says in one sentence what to do
(drag the files here, or Ctrl+O) and lists the reviews of last week to pick up again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import style


class WelcomePage(QWidget):
    open_files = Signal()
    open_folder = Signal()
    open_workspace = Signal()
    open_recent = Signal(str)  # case file path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QVBoxLayout()
        box.setSpacing(12)
        icon = QLabel()
        icon.setPixmap(style.icon("app").pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(icon)
        title = QLabel("部门整体支出绩效自评材料审核")
        f = title.font()
        f.setPointSizeF(f.pointSizeF() * 1.6)
        f.setBold(True)
        title.setFont(f)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box.addWidget(title)
        hint = QLabel("把一个部门的PDF材料（可多个文件）或所在文件夹拖到窗口中，或者：")
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setStyleSheet("color: #5f6368;")
        box.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        b1 = QPushButton("打开文件…（Ctrl+O）")
        b1.clicked.connect(self.open_files)
        b2 = QPushButton("打开文件夹…（Ctrl+Shift+O）")
        b2.clicked.connect(self.open_folder)
        row.addWidget(b1)
        row.addWidget(b2)
        row.addStretch(1)
        box.addLayout(row)
        ws_hint = QLabel("审核一个区县的全部部门：选择存放各部门材料的文件夹，逐个审核，记录每个部门的审核状态。")
        ws_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        ws_hint.setStyleSheet("color: #5f6368; margin-top: 10px;")
        box.addWidget(ws_hint)
        row2 = QHBoxLayout()
        row2.addStretch(1)
        self.workspace_button = QPushButton("打开工作区…")
        self.workspace_button.setToolTip("选择一个区县的材料文件夹：每个子文件夹（或散放文件中的每个单位）是一个部门")
        self.workspace_button.clicked.connect(self.open_workspace)
        row2.addWidget(self.workspace_button)
        row2.addStretch(1)
        box.addLayout(row2)
        self.recent_label = QLabel("最近的审核")
        self.recent_label.setStyleSheet("color: #5f6368; margin-top: 12px;")
        box.addWidget(self.recent_label)
        self.recent = QListWidget()
        self.recent.setObjectName("recentList")
        self.recent.setMinimumWidth(520)
        self.recent.itemActivated.connect(self._activated)
        self.recent.itemDoubleClicked.connect(self._activated)
        box.addWidget(self.recent)
        center = QHBoxLayout()
        center.addStretch(1)
        center.addLayout(box)
        center.addStretch(1)
        outer.addLayout(center)
        outer.addStretch(2)

    def set_recent(self, items: list[dict]) -> None:
        self.recent.clear()
        for it in items:
            path = str(it.get("path", ""))
            if not Path(path).exists():
                continue
            title = it.get("title") or Path(path).name
            sources = it.get("sources") or []
            where = str(Path(sources[0]).parent) if sources else ""
            item = QListWidgetItem(f"{title}　　{where}")
            item.setToolTip("\n".join(sources) or path)
            item.setData(Qt.ItemDataRole.UserRole, path)
            self.recent.addItem(item)
        has = self.recent.count() > 0
        row = self.recent.sizeHintForRow(0) if has else 20
        self.recent.setFixedHeight(min(220, max(1, self.recent.count()) * (row + 2) + 8))
        self.recent.setVisible(has)
        self.recent_label.setVisible(has)

    def _activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if path:
            self.open_recent.emit(str(path))
