"""Preferences: who is reviewing (written into every correction and decision), where exports go, and which
指标设置 rules the district applies (a checkbox per rule of resources/indicator_rules.json; saved in the district's
profile by the window, ``ui.window.district``), and the cap preset of its 复核评分 (``resources/review_caps.json``,
saved in the same profile).

Why a dialog and not a field in the window: the name is set once, the first time, and then stays (QSettings);
it must be right because it ends up in the 修改记录 sheet handed to the finance bureau.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class PreferencesDialog(QDialog):
    def __init__(self, reviewer: str = "", export_dir: str = "", *, first_time: bool = False,
                 rules: list[dict] | tuple = (), disabled: frozenset[str] = frozenset(),
                 caps: list[tuple[str, str]] | tuple = (), caps_preset: str | None = None,
                 district_file: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("首选项")
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        if first_time:
            intro = QLabel("欢迎使用。请填写审核人姓名：每一处修改和核实标记都会记下审核人，并写入导出的修改记录。")
            intro.setWordWrap(True)
            layout.addWidget(intro)
        form = QFormLayout()
        self.name = QLineEdit(reviewer)
        self.name.setPlaceholderText("例如：张三")
        form.addRow("审核人姓名：", self.name)
        row = QHBoxLayout()
        self.export_dir = QLineEdit(export_dir)
        self.export_dir.setPlaceholderText("默认：源文件所在文件夹")
        browse = QPushButton("浏览…")
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row.addWidget(self.export_dir, 1)
        row.addWidget(browse)
        form.addRow("导出位置：", row)
        self.caps = QComboBox()  # 复核评分: the district's cap preset (the first listed is the default)
        for cid, name in caps:
            self.caps.addItem(name, cid)
        if caps:
            at = self.caps.findData(caps_preset) if caps_preset else 0
            self.caps.setCurrentIndex(max(at, 0))
            self.caps.setToolTip("复核得分的封顶规则，本地区所有案件适用（如一体化系统按预算执行率封顶）")
            form.addRow("复核评分封顶：", self.caps)
        layout.addLayout(form)
        self.rule_boxes: dict[str, QCheckBox] = {}
        if rules:
            group = QGroupBox("指标设置规则（本地区采用的，勾选）")
            box_layout = QVBoxLayout(group)
            for r in rules:
                cb = QCheckBox(r["name"])
                cb.setChecked(r["id"] not in disabled)
                cb.setToolTip(f"{r['text']}\n依据：{r['source']}")
                box_layout.addWidget(cb)
                self.rule_boxes[r["id"]] = cb
            layout.addWidget(group)
        self.district_note = QLabel("")
        if district_file and (rules or caps):  # a rule switched off here is off for every department there
            self.district_note.setText(f"复核评分封顶和指标设置规则保存在地区设置文件中，按此文件审核的所有部门适用：\n"
                                       f"{district_file}")
            self.district_note.setWordWrap(True)
            self.district_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.district_note.setStyleSheet("color: #5f6368;")
            layout.addWidget(self.district_note)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Ok | std.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("确定")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.name.setFocus()

    def _browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, "选择导出位置", self.export_dir.text())
        if path:
            self.export_dir.setText(path)

    @property
    def reviewer(self) -> str:
        return self.name.text().strip()

    @property
    def export_folder(self) -> str:
        return self.export_dir.text().strip()

    @property
    def caps_preset(self) -> str | None:
        """The cap preset chosen (None when the dialog listed none)."""
        return self.caps.currentData() if self.caps.count() else None

    @property
    def disabled_rules(self) -> frozenset[str]:
        """The rules left unchecked."""
        return frozenset(rid for rid, cb in self.rule_boxes.items() if not cb.isChecked())
