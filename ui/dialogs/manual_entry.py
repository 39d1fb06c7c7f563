"""Enter a value by hand, read off the page image of a scanned page: which field it is, the value, a reason.

Why it exists: a scanned PDF has no text layer, so nothing is extracted from it; the reviewer reads each figure
off the page and says what it is.  The field is picked from the catalogue (searchable: "三公 决算"), the value
is read with the same rules as a correction (a bad entry is refused here, with the reason, before anything is
recorded), and the place (the box the reviewer drew, or the page) is stated above so they know what the
entry will point at.

What it must not do: change the review.  It returns what was chosen (``ManualEntry``); the window calls
``ReviewSession.add_field``.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from core.model import Field, SourceRef
from core.review.session import InvalidEntry, entry_kind, parse_entry
from ui.field_catalogue import CatalogueEntry
from ui.models.catalogue_model import CatalogueFilter, CatalogueModel


@dataclass(frozen=True)
class ManualEntry:
    """What the reviewer chose: the catalogue key with the label, unit and form the field gets, the text
    typed and the reason ("" when none)."""

    key: str
    label: str
    unit: str
    form: str
    text: str
    reason: str = ""


def check_entry(entry: CatalogueEntry, unit: str, text: str) -> str | None:
    """The Chinese reason ``text`` cannot be this field's value, or None when it can (the session's rules)."""
    probe = Field(key=entry.key, value=None, unit=unit, raw="", source=SourceRef("", 1, (0, 0, 0, 0)))
    try:
        value, _raw = parse_entry(probe, text)
    except InvalidEntry as e:
        return e.reason
    if value is None:
        return "请输入数值" if entry_kind(probe) != "text" else "请输入内容"
    return None


class ManualEntryDialog(QDialog):
    """Pick a field, type its value.  ``result_entry`` after ``accept``."""

    def __init__(self, entries, place: str, *, present: set[str] = frozenset(), key: str = "",
                 reasons: list[str] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("手工录入数值")
        self.setMinimumWidth(560)
        self.result_entry: ManualEntry | None = None
        self._placed = False
        layout = QVBoxLayout(self)
        intro = QLabel(f"位置：{place}<br><span style='color:#5f6368'>扫描件没有文字层，请对照页面图像，"
                       "选择这是哪一项，再输入页面上印刷的数值。</span>")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(intro)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索字段，如“三公 决算”“编制数”“公开09”")
        self.search.setClearButtonEnabled(True)
        layout.addWidget(self.search)
        self.model = CatalogueModel(entries, present, self)
        self.proxy = CatalogueFilter(self)
        self.proxy.setSourceModel(self.model)
        self.list = QListView()
        self.list.setObjectName("catalogueList")
        self.list.setModel(self.proxy)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setMinimumHeight(220)
        self.list.setUniformItemSizes(True)
        layout.addWidget(self.list, 1)

        form = QFormLayout()
        self.chosen = QLabel("（请在上面选择字段）")
        self.chosen.setWordWrap(True)
        form.addRow("字段：", self.chosen)
        self.value = QLineEdit()
        self.value.setPlaceholderText("页面上印刷的数值，如 12.50 或 95%")
        form.addRow("数值：", self.value)
        self.unit = QComboBox()
        self.unit_label = QLabel("单位：")
        form.addRow(self.unit_label, self.unit)
        self.form_box = QComboBox()
        self.form_label = QLabel("所在材料：")
        form.addRow(self.form_label, self.form_box)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("可选，例如：扫描件，按第3页表格录入")
        if reasons:
            c = QCompleter(reasons, self.reason)
            c.setFilterMode(Qt.MatchFlag.MatchContains)
            self.reason.setCompleter(c)
        form.addRow("理由：", self.reason)
        layout.addLayout(form)
        self.problem = QLabel("")
        self.problem.setObjectName("entryProblem")
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        layout.addWidget(self.problem)

        std = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(std.Ok | std.Cancel)
        self.ok = self.buttons.button(std.Ok)
        self.ok.setText("录入")
        self.buttons.button(std.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

        self.search.textChanged.connect(self._on_search)
        self.list.selectionModel().currentChanged.connect(lambda *_: self._on_entry())
        self.list.doubleClicked.connect(lambda *_: self.value.setFocus())
        self.value.textChanged.connect(lambda *_: self._update())
        self.unit.currentIndexChanged.connect(lambda *_: self._update())
        self.search.returnPressed.connect(self._search_enter)
        self.value.returnPressed.connect(self._accept)
        self.reason.returnPressed.connect(self._accept)
        if key:
            self.select_key(key)
        self._on_entry()
        self.search.setFocus()

    def showEvent(self, event) -> None:
        """Open over the right-hand side of the window, so the page with the value stays in sight while the
        reviewer reads it off and types it."""
        super().showEvent(event)
        parent = self.parentWidget()
        if parent is not None and not self._placed:
            self._placed = True
            g = parent.window().geometry()
            self.move(max(g.left(), g.right() - self.width() - 24), g.top() + 60)

    # -- choosing ---------------------------------------------------------------------------------------
    def current_entry(self) -> CatalogueEntry | None:
        return self.model.entry(self.proxy.mapToSource(self.list.currentIndex()))

    def select_key(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row < 0:
            return False
        idx = self.proxy.mapFromSource(self.model.index(row))
        if not idx.isValid():
            self.search.clear()
            idx = self.proxy.mapFromSource(self.model.index(row))
        self.list.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.list.scrollTo(idx)
        return True

    def _on_search(self, text: str) -> None:
        self.proxy.set_text(text)
        if self.proxy.rowCount() and not self.list.currentIndex().isValid():
            self.list.selectionModel().setCurrentIndex(self.proxy.index(0, 0),
                                                       QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self._on_entry()

    def _search_enter(self) -> None:
        if self.current_entry() is not None:
            self.value.setFocus()

    def _on_entry(self) -> None:
        e = self.current_entry()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.form_box.clear()
        if e is not None:
            self.chosen.setText(f"{e.label}　<span style='color:#5f6368'>{e.key}</span>")
            self.unit.addItems(list(e.unit_choices))
            self.form_box.addItems(list(e.form_choices))
        else:
            self.chosen.setText("（请在上面选择字段）")
        self.unit.blockSignals(False)
        several_units = e is not None and len(e.unit_choices) > 1
        has_unit = e is not None and bool(e.unit)
        self.unit.setEnabled(several_units)
        self.unit.setVisible(has_unit)
        self.unit_label.setVisible(has_unit)
        several_forms = e is not None and len(e.form_choices) > 1
        self.form_box.setVisible(several_forms)
        self.form_label.setVisible(several_forms)
        self._update()

    # -- checking ---------------------------------------------------------------------------------------
    def problem_text(self) -> str | None:
        e = self.current_entry()
        if e is None:
            return "请选择字段"
        return check_entry(e, self.unit.currentText() if e.unit else "", self.value.text())

    def _update(self) -> None:
        problem = self.problem_text()
        self.ok.setEnabled(problem is None)
        # say what is wrong only once something was typed: an empty form is not an error yet
        self.problem.setText(problem if problem and self.value.text().strip() else "")

    def _accept(self) -> None:
        problem = self.problem_text()
        if problem is not None:
            self.problem.setText(problem)
            return
        e = self.current_entry()
        assert e is not None
        form = self.form_box.currentText() or e.form
        self.result_entry = ManualEntry(key=e.key, label=e.field_label(form),
                                        unit=self.unit.currentText() if e.unit else "", form=form,
                                        text=self.value.text().strip(), reason=self.reason.text().strip())
        self.accept()
