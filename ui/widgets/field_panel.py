"""The right-hand top panel: the extracted fields (by form) and the 自评表 indicators, and the editor for the
selected field.

Why it exists: this is where the reviewer reads and corrects values.  In place: double-click, F2 or Enter on
a row opens the 修正值 cell; Enter confirms; an entry the session refuses keeps the editor open and says why
in a tooltip (no dialog).  Below the tree, the selected field's card shows what was printed, where, its
history, the findings that concern it, and a second way to correct it *with a reason*.

What it must not do: change values itself.  Every change is a request (``correction_requested``) or a
``setData`` on the model, both of which end in ``ReviewSession.correct``.
"""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QItemSelection, QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QTabWidget,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from core.review.corrections import KIND_NAMES
from ui.models.common import FIELD_ID_ROLE, INDICATOR_ID_ROLE, format_value, short_time
from ui.models.fields_model import COL_LABEL, COL_PAGE, COL_RAW, COL_STATUS, COL_UNIT, COL_VALUE, FieldsFilter

Validator = Callable[[str, str], str | None]  # (field id, text) -> Chinese reason, or None when acceptable


class ValueDelegate(QStyledItemDelegate):
    """The in-place editor of a correctable cell (a field's 修正值, an indicator cell).

    Two steps on the Enter path, both from the keyboard: Enter on the value checks it (an entry the session
    would refuse keeps the editor open with the reason beside it, and ``refused`` tells the window) and then
    asks for the reason in the same editor (optional, recent reasons offered); Enter again records the
    correction with that reason.  Ctrl+Enter at either step records it at once and asks the window to move
    on to the next item of the review (``advance``).  Esc cancels."""

    refused = Signal(str, str)
    advance = Signal()

    VALUE_HINT = "输入修正值：回车后填写理由，Ctrl+回车确认并转到下一项，Esc取消"
    REASON_HINT = "修改理由（可选）：回车确认，Ctrl+回车确认并转到下一项，Esc取消"

    def __init__(self, validate: Validator, parent=None) -> None:
        super().__init__(parent)
        self._validate = validate
        self._reasons: list[str] = []
        self._advance_after = False

    def set_reasons(self, reasons: list[str]) -> None:
        self._reasons = list(reasons)

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setPlaceholderText(self.VALUE_HINT)
        editor.setToolTip(self.VALUE_HINT)
        editor.setFrame(False)
        editor.setStyleSheet("QLineEdit { border: 1px solid #1e6fbf; background: white; padding: 0 2px; }")
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setProperty("field_id", index.data(FIELD_ID_ROLE))
        editor.setProperty("stage", "value")
        return editor

    def updateEditorGeometry(self, editor, option, index) -> None:
        super().updateEditorGeometry(editor, option, index)
        if editor.property("stage") == "reason":  # the reason needs more room than a number's cell
            rect = editor.geometry()
            rect.setWidth(max(rect.width(), 320))
            editor.setGeometry(rect)

    def setEditorData(self, editor, index) -> None:
        if editor.property("stage") == "reason":
            return
        editor.setText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
        editor.selectAll()

    def setModelData(self, editor, model, index) -> None:
        reason_stage = editor.property("stage") == "reason"
        text = str(editor.property("value_text")) if reason_stage else editor.text()
        reason = editor.text().strip() if reason_stage else ""
        if text == str(index.data(Qt.ItemDataRole.EditRole) or ""):
            return  # nothing typed: no correction
        model.setData(index, (text, reason), Qt.ItemDataRole.EditRole)

    def _to_reason(self, editor: QLineEdit) -> None:
        editor.setProperty("value_text", editor.text())
        editor.setProperty("stage", "reason")
        editor.clear()
        editor.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        editor.setPlaceholderText(self.REASON_HINT)
        editor.setToolTip(self.REASON_HINT)
        if self._reasons:
            completer = QCompleter(self._reasons, editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        rect = editor.geometry()
        rect.setWidth(max(rect.width(), 320))
        if editor.parentWidget() is not None:
            rect.moveRight(min(rect.right(), editor.parentWidget().width() - 2))
        editor.setGeometry(rect)
        QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), self.REASON_HINT, editor)

    def eventFilter(self, editor, event) -> bool:
        if isinstance(editor, QLineEdit) and event.type() == QEvent.Type.ShortcutOverride \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # Ctrl+Enter in the editor is the editor's (record and go on), not the window's
            return True
        if isinstance(editor, QLineEdit) and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            popup = editor.completer().popup() if editor.completer() is not None else None
            if popup is not None and popup.isVisible():
                return False  # Enter picks the suggested reason first
            ctrl = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
            if editor.property("stage") != "reason":
                fid = editor.property("field_id")
                reason = self._validate(str(fid), editor.text()) if fid else None
                if reason:
                    QToolTip.showText(editor.mapToGlobal(editor.rect().bottomLeft()), reason, editor)
                    self.refused.emit(str(fid), reason)
                    return True
                if not ctrl:
                    self._to_reason(editor)
                    return True
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QStyledItemDelegate.EndEditHint.NoHint)
            if ctrl:
                self.advance.emit()
            return True
        return super().eventFilter(editor, event)


class FieldTree(QTreeView):
    """Enter on a field opens its 修正值 (as F2 does); Enter on a group folds it."""

    def keyPressEvent(self, event) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not editing:
            idx = self.currentIndex()
            if idx.isValid():
                if idx.data(FIELD_ID_ROLE):
                    self.edit(idx.siblingAtColumn(COL_VALUE))
                else:
                    self.setExpanded(idx.siblingAtColumn(0), not self.isExpanded(idx.siblingAtColumn(0)))
                event.accept()
                return
        super().keyPressEvent(event)

    def edit_current(self) -> bool:
        """Open the editor on the selected field, or on nothing (a current row that is not selected, a
        group row, several fields selected)."""
        idx = self.currentIndex()
        rows = self.selectionModel().selectedRows(0) if self.selectionModel() is not None else []
        if idx.isValid() and idx.data(FIELD_ID_ROLE) and len(rows) == 1 \
                and rows[0].row() == idx.row() and rows[0].parent() == idx.parent():
            target = idx.siblingAtColumn(COL_VALUE)
            self.setCurrentIndex(target)
            self.edit(target)  # the public slot returns nothing; the state says whether it opened
            return self.state() == QAbstractItemView.State.EditingState
        return False


class IndicatorTable(QTableView):
    """The 绩效指标 rows, one cell selected at a time: Enter (like F2) opens the selected cell's editor when
    it is correctable."""

    def keyPressEvent(self, event) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not editing \
                and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            if self.edit_current():
                event.accept()
                return
        super().keyPressEvent(event)

    def edit_current(self) -> bool:
        idx = self.currentIndex()
        sm = self.selectionModel()
        if not idx.isValid() or sm is None or not sm.isSelected(idx):
            return False
        if not idx.flags() & Qt.ItemFlag.ItemIsEditable:
            return False
        self.edit(idx)
        return self.state() == QAbstractItemView.State.EditingState


class FieldCard(QFrame):
    """The selected field: printed value, place, history, findings, and a correction with a reason."""

    correction_requested = Signal(str, str, str)  # field id, text, reason
    presence_changed = Signal(bool)  # something to show (a field, a hint) or nothing: the panel hides it then

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("QFrame#fieldCard { background: #fafbfc; }")
        self._fid: str | None = None
        self._original_raw = ""
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(4)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setObjectName("findingNote")
        self.note.hide()
        grid.addWidget(self.note, 0, 0, 1, 4)
        self.title = QLabel("未选择字段")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        grid.addWidget(self.title, 1, 0, 1, 4)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.info.setStyleSheet("color: #5f6368;")
        grid.addWidget(self.info, 2, 0, 1, 4)
        grid.addWidget(QLabel("修正值"), 3, 0)
        self.value = QLineEdit()
        self.value.setPlaceholderText("新的值")
        grid.addWidget(self.value, 3, 1)
        grid.addWidget(QLabel("理由"), 3, 2)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("可选，例如：按决算表更正")
        grid.addWidget(self.reason, 3, 3)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.restore = QPushButton("恢复原值")
        self.restore.setToolTip("把该值改回文件中印刷的原值（会记入修改记录）")
        self.restore.setAutoDefault(False)
        self.restore.clicked.connect(self._restore)
        buttons.addWidget(self.restore)
        self.apply = QPushButton("修改")
        self.apply.setToolTip("按输入的值修改（回车）")
        self.apply.setAutoDefault(False)
        self.apply.clicked.connect(self._apply)
        buttons.addWidget(self.apply)
        grid.addLayout(buttons, 4, 0, 1, 4)
        self.history = QLabel("")
        self.history.setWordWrap(True)
        self.history.setTextFormat(Qt.TextFormat.PlainText)
        self.history.setStyleSheet("color: #5f6368;")
        grid.addWidget(self.history, 5, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 2)
        grid.setRowStretch(6, 1)  # in a tall card the lines stay together at the top
        self.value.returnPressed.connect(self._apply)
        self.reason.returnPressed.connect(self._apply)
        self._set_enabled(False)

    def show_note(self, text: str, color: str = "#7f1d1d") -> None:
        """A line above the field: the full message of the finding being looked at ("" hides it)."""
        self.note.setText(text)
        self.note.setStyleSheet(f"color: {color}; padding-bottom: 4px; border-bottom: 1px solid #e0e0e0;")
        self.note.setVisible(bool(text))

    def set_reason_completions(self, reasons: list[str]) -> None:
        completer = QCompleter(reasons, self.reason)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.reason.setCompleter(completer)

    @property
    def field_id(self) -> str | None:
        return self._fid

    def _set_enabled(self, on: bool) -> None:
        for w in (self.value, self.reason, self.apply, self.restore):
            w.setEnabled(on)

    def show_field(self, session, fid: str | None, doc_names=None, *, list_findings: bool = True) -> None:
        """Show a field or an indicator cell (None: nothing).  ``list_findings=False`` when a finding is being
        looked at: the findings list already shows its whole message."""
        same = fid == self._fid
        self._fid = fid
        if session is None or fid is None:
            self.title.setText("未选择字段")
            self.info.setText("在上面的列表中选择一个字段，可在此查看来源并修改。")
            self.history.setText("")
            self.value.clear()
            self.reason.clear()
            self._set_enabled(False)
            self.presence_changed.emit(False)
            return
        self.presence_changed.emit(True)
        cell = bool(getattr(session, "is_indicator_cell", None) and session.is_indicator_cell(fid))
        if cell:  # an indicator cell of the 自评表, corrected like a field
            fld = session.indicator_cell(fid)
            orig_value, orig_raw = session.indicator_original(fid)
            corrected = session.indicator_corrected(fid)
            manual = False
        else:
            fld = session.field(fid)
            orig_value, orig_raw = session.original(fid)
            corrected = session.is_corrected(fid)
            manual = bool(getattr(session, "is_manual", None) and session.is_manual(fid))
        self._original_raw = orig_raw
        self.title.setText(fld.label or fld.key)
        place = doc_names.place(fld.doc, fld.page) if doc_names is not None else f"第{fld.page}页"
        where = (getattr(fld, "attrs", None) or {}).get("where")  # a Word/Excel file: "工作表“基础数据表”C7单元格"
        if where:
            place += f"（{where}）"
        unit = f" {fld.unit}" if fld.unit else ""
        printed_unit = "" if orig_raw.rstrip().endswith(fld.unit or "\0") else unit  # "0万元", not "0万元 万元"
        parts = [f"原值：{orig_raw or '（空）'}{printed_unit if orig_raw else ''}", place,
                 "绩效指标" if cell else f"字段 {fld.key}"]
        if manual:
            boxed = fld.bbox[2] > fld.bbox[0] and fld.bbox[3] > fld.bbox[1]
            parts[0] = "手工录入（对照页面图像）" + ("" if boxed else "，未框选位置")
            parts.insert(1, f"值：{format_value(fld.value) or '（空）'}{unit}")
        elif corrected:
            parts.insert(1, f"现值：{format_value(fld.value) or '（空）'}{unit}")
        if fld.confidence < 0.9:
            parts.append(f"识别把握 {fld.confidence:.0%}")
        self.info.setText("　·　".join(parts))
        lines = []
        for r in session.history(fid)[-4:]:
            kind = KIND_NAMES.get(r.kind, r.kind)
            who = f" {r.reviewer}" if r.reviewer else ""
            why = f"（理由：{r.reason}）" if r.reason else ""
            lines.append(f"{short_time(r.time)}{who} {kind}：{r.old_raw or '（空）'} → {r.new_raw or '（空）'}{why}")
        if list_findings and not self.note.text() and not cell:
            for f in session.findings_for_field(fid)[:3]:
                lines.append(f"● {f.message}")
        self.history.setText("\n".join(lines))
        self.history.setVisible(bool(lines))
        self.restore.setEnabled(corrected and not manual)  # a hand entry has no printed value to go back to
        for w in (self.value, self.reason, self.apply):
            w.setEnabled(True)
        if not same or not self.value.hasFocus():
            self.value.setText(fld.raw if corrected else orig_raw)
        if not same:
            self.reason.clear()

    def show_hint(self, title: str, text: str) -> None:
        """No field to show, and why (a scanned package: nothing was extracted), with what to do."""
        self.show_field(None, None)
        self.title.setText(title)
        self.info.setText(text)
        self.presence_changed.emit(True)

    def show_waiting(self) -> None:
        """While a package is being read: say so, and that the pages can already be looked at."""
        self.show_field(None, None)
        self.title.setText("正在读取和检查材料…")
        self.info.setText("左侧已可翻看页面；读取完成后，这里列出提取的字段，下方列出发现的问题。")
        self.presence_changed.emit(True)

    def _apply(self) -> None:
        if self._fid is not None:
            self.correction_requested.emit(self._fid, self.value.text(), self.reason.text())

    def _restore(self) -> None:
        if self._fid is not None:
            self.correction_requested.emit(self._fid, self._original_raw, self.reason.text() or "恢复原值")


class FieldPanel(QWidget):
    """Fields tree + indicators table + the card of the selected field.

    Signals: ``field_selected(field_id)`` when the reviewer moves to a field; ``indicator_selected(id)``;
    ``correction_requested(field_id, text, reason)`` from the card.
    """

    field_selected = Signal(str)
    indicator_selected = Signal(str)
    correction_requested = Signal(str, str, str)
    entry_refused = Signal(str, str)
    manual_entry_requested = Signal()

    def __init__(self, validate: Validator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fields_model = None
        self._indicators_model = None
        self._quiet = False
        self.filter = FieldsFilter(self)

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        fields_page = QWidget()
        fl = QVBoxLayout(fields_page)
        fl.setContentsMargins(0, 4, 0, 0)
        fl.setSpacing(4)
        row = QHBoxLayout()
        row.setContentsMargins(4, 0, 4, 0)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("筛选字段（名称、字段名或数值）")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.textChanged.connect(self._on_filter)
        row.addWidget(self.filter_edit, 1)
        self.problems_only = QCheckBox("只看有问题的")
        self.problems_only.toggled.connect(self._on_problems_only)
        row.addWidget(self.problems_only)
        self.manual_button = QPushButton("手工录入…")
        self.manual_button.setToolTip("对照页面图像录入一个数值（扫描件没有文字层时）：先在页面上框出数值，"
                                      "再选择字段、输入数值（Ctrl+M）")
        self.manual_button.setAutoDefault(False)
        self.manual_button.clicked.connect(self.manual_entry_requested)
        row.addWidget(self.manual_button)
        fl.addLayout(row)
        self.tree = FieldTree()
        self.tree.setObjectName("fieldTree")
        self.tree.setAlternatingRowColors(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setAllColumnsShowFocus(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._tree_menu)
        self.delegate = ValueDelegate(validate, self.tree)
        self.delegate.refused.connect(self.entry_refused)
        self.tree.setItemDelegateForColumn(COL_VALUE, self.delegate)
        fl.addWidget(self.tree, 1)
        self.tabs.addTab(fields_page, "字段")

        self.indicators = IndicatorTable()
        self.indicators.setObjectName("indicatorTable")
        self.indicators.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.indicators.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.indicators.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                        | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.indicator_delegate = ValueDelegate(validate, self.indicators)
        self.indicator_delegate.refused.connect(self.entry_refused)
        self.indicators.setItemDelegate(self.indicator_delegate)
        self.indicators.verticalHeader().setDefaultSectionSize(24)
        self.indicators.setWordWrap(False)
        indicators_page = QWidget()
        il = QVBoxLayout(indicators_page)
        il.setContentsMargins(0, 0, 0, 0)
        il.setSpacing(2)
        il.addWidget(self.indicators, 1)
        self.review_total = QLabel()  # 复核评分: 自评得分 / 复核得分 / cap / 等次 under the table
        self.review_total.setObjectName("reviewTotal")
        self.review_total.setWordWrap(True)
        self.review_total.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        il.addWidget(self.review_total)
        self.tabs.addTab(indicators_page, "绩效指标")

        self.card = FieldCard()
        self.card.correction_requested.connect(self.correction_requested)

        # on a 1366×768 screen the card may get less height than its text needs: it scrolls then, rather
        # than letting its lines run into each other
        self.card_area = QScrollArea()
        self.card_area.setWidget(self.card)
        self.card_area.setWidgetResizable(True)
        self.card_area.setFrameShape(QFrame.Shape.NoFrame)
        self.card_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.card_area.setMinimumHeight(96)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("fieldSplitter")
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.card_area)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setCollapsible(0, False)
        self.splitter.setCollapsible(1, False)
        self.splitter.setSizes([400, 130])
        self.card.presence_changed.connect(self.card_area.setVisible)  # no empty pane keeping space
        self.card_area.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

    # -- models ---------------------------------------------------------------------------------------
    def set_models(self, fields_model, indicators_model) -> None:
        self._fields_model = fields_model
        self._indicators_model = indicators_model
        self.filter.setSourceModel(fields_model)
        self.tree.setModel(self.filter if fields_model is not None else None)
        self.indicators.setModel(indicators_model)
        if fields_model is not None:
            self.tree.selectionModel().currentChanged.connect(self._on_current_field)
            header = self.tree.header()
            header.setStretchLastSection(False)
            header.setSectionResizeMode(COL_LABEL, QHeaderView.ResizeMode.Stretch)
            widths = ((COL_RAW, 104), (COL_VALUE, 104), (COL_UNIT, 44), (COL_PAGE, 64), (COL_STATUS, 40))
            for col, width in widths:
                header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
                header.resizeSection(col, width)
            header.setMinimumSectionSize(36)
            self.tree.expandAll()
        if indicators_model is not None:
            self.indicators.selectionModel().currentChanged.connect(self._on_current_indicator)
            h = self.indicators.horizontalHeader()
            h.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            for col, width in enumerate((64, 64, 150, 78, 78, 44, 44, 120, 78, 64, 44, 260)):
                h.resizeSection(col, width)
            h.setStretchLastSection(False)
            h.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
            self.tabs.setTabText(1, f"绩效指标（{indicators_model.rowCount()}）")
            self._show_review_total()
            indicators_model.dataChanged.connect(self._show_review_total)
            indicators_model.modelReset.connect(self._show_review_total)
        else:
            self.tabs.setTabText(1, "绩效指标")
            self.review_total.clear()

    def _show_review_total(self, *_args) -> None:
        model = self._indicators_model
        text = model.review_summary() if model is not None and hasattr(model, "review_summary") else ""
        self.review_total.setText(text)
        self.review_total.setVisible(bool(text))

    def clear(self) -> None:
        self.set_models(None, None)
        self.card.show_note("")
        self.card.show_field(None, None)

    # -- selection ------------------------------------------------------------------------------------
    def _on_current_field(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        fid = current.data(FIELD_ID_ROLE)
        if fid:
            self.field_selected.emit(str(fid))

    def _on_current_indicator(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._quiet:
            return
        cid = current.data(FIELD_ID_ROLE)  # a correctable cell ("i3.score"), else the row ("i3")
        iid = cid or current.data(INDICATOR_ID_ROLE)
        if iid:
            self.indicator_selected.emit(str(iid))

    def current_field_id(self) -> str | None:
        idx = self.tree.currentIndex()
        fid = idx.data(FIELD_ID_ROLE) if idx.isValid() else None
        return str(fid) if fid else None

    def proxy_index(self, fid: str, column: int = 0) -> QModelIndex:
        if self._fields_model is None:
            return QModelIndex()
        return self.filter.mapFromSource(self._fields_model.index_of(fid, column))

    def select_field(self, fid: str, *, quiet: bool = False) -> bool:
        """Make ``fid`` the current row (clearing a filter that hides it).  With ``quiet`` no
        ``field_selected`` is sent (the window already shows what it wants)."""
        self.tabs.setCurrentIndex(0)
        idx = self.proxy_index(fid)
        if not idx.isValid() and self.filter.active:
            self.filter_edit.clear()
            self.problems_only.setChecked(False)
            idx = self.proxy_index(fid)
        if not idx.isValid():
            return False
        self._quiet = quiet
        try:
            self.tree.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.tree.scrollTo(idx)
        finally:
            self._quiet = False
        return True

    def select_fields(self, fids: list[str]) -> None:
        """Select several fields (those a finding concerns) without moving the page."""
        if self._fields_model is None:
            return
        sm = self.tree.selectionModel()
        if not fids:
            self._quiet = True
            try:
                sm.clearSelection()
            finally:
                self._quiet = False
            return
        if self.filter.active and any(not self.proxy_index(f).isValid() for f in fids):
            self.filter_edit.clear()
            self.problems_only.setChecked(False)
        selection = QItemSelection()
        for fid in fids:
            idx = self.proxy_index(fid)
            if idx.isValid():
                selection.select(idx, idx.siblingAtColumn(self.filter.columnCount() - 1))
        self._quiet = True
        try:
            first = self.proxy_index(fids[0])
            if first.isValid():
                sm.setCurrentIndex(first, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.tree.scrollTo(first)
            sm.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            self._quiet = False
        self.tabs.setCurrentIndex(0)

    def selected_field_ids(self) -> list[str]:
        sm = self.tree.selectionModel()
        if sm is None:
            return []
        out = []
        for idx in sm.selectedRows(0):
            fid = idx.data(FIELD_ID_ROLE)
            if fid:
                out.append(str(fid))
        return out

    def select_indicator(self, iid: str, *, quiet: bool = False) -> bool:
        """Make an indicator row ("i3", its 三级指标 cell) or one of its cells ("i3.score") current."""
        model = self._indicators_model
        if model is None:
            return False
        idx = model.cell_index(iid) if "." in iid else model.index(model.row_of(iid), 2)
        if not idx.isValid():
            return False
        self.tabs.setCurrentIndex(1)
        self._quiet = quiet
        try:
            self.indicators.selectionModel().setCurrentIndex(idx, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.indicators.scrollTo(idx)
        finally:
            self._quiet = False
        return True

    def current_indicator_cell(self) -> str | None:
        """The selected indicator cell ("i3.score") when the 绩效指标 tab is on screen, else None."""
        if self.tabs.currentIndex() != 1 or self._indicators_model is None:
            return None
        idx = self.indicators.currentIndex()
        sm = self.indicators.selectionModel()
        if not idx.isValid() or sm is None or not sm.isSelected(idx):
            return None
        cid = idx.data(FIELD_ID_ROLE)
        return str(cid) if cid else None

    def edit_current(self) -> bool:
        """F2: edit what is selected on the tab on screen — a field's 修正值, or the selected indicator cell —
        and nothing else (never a field hidden behind another tab)."""
        if self.tabs.currentIndex() == 1:
            self.indicators.setFocus()
            return self.indicators.edit_current()
        self.tree.setFocus()
        return self.tree.edit_current()

    def set_reason_completions(self, reasons: list[str]) -> None:
        self.card.set_reason_completions(reasons)
        self.delegate.set_reasons(reasons)
        self.indicator_delegate.set_reasons(reasons)

    def _tree_menu(self, pos) -> None:
        idx = self.tree.indexAt(pos)
        fid = idx.data(FIELD_ID_ROLE) if idx.isValid() else None
        if not fid:
            return
        self.select_field(str(fid))
        menu = QMenu(self)
        edit = menu.addAction("修改值…\tF2")
        edit.triggered.connect(self.edit_current)
        restore = menu.addAction("恢复原值")
        restore.setEnabled(self.card.restore.isEnabled())
        restore.triggered.connect(self.card.restore.click)
        menu.addSeparator()
        copy_raw = menu.addAction("复制原值")
        raw = str(idx.siblingAtColumn(COL_RAW).data() or "")
        copy_raw.triggered.connect(lambda: QApplication.clipboard().setText(raw))
        menu.popup(self.tree.viewport().mapToGlobal(pos))

    # -- filters --------------------------------------------------------------------------------------
    def _on_filter(self, text: str) -> None:
        self.filter.set_text(text)
        self.tree.expandAll()

    def _on_problems_only(self, on: bool) -> None:
        self.filter.set_problems_only(on)
        self.tree.expandAll()
