"""Correcting values: in place, from the card, by hand against a page image, undo and redo, and
what follows a change (models refreshed, counts, autosave state).

Why it exists: every change of a value goes through ``ReviewSession`` from here, and every refusal is said in
the status bar in Chinese.  ``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ui.window.common import key_after

from core.review.session import InvalidEntry, parse_entry
from ui import style
from ui.models.common import format_value, touches_findings

log = logging.getLogger(__name__)


class CorrectingMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    def _target(self, fid: str):
        """The field, or the detached field describing an indicator cell ("i3.score")."""
        s = self.session
        return s.indicator_cell(fid) if s.is_indicator_cell(fid) else s.field(fid)

    def _validate_entry(self, fid: str, text: str) -> str | None:
        if self.session is None:
            return "没有打开的审核"
        try:
            parse_entry(self._target(fid), text)
        except InvalidEntry as e:
            return e.reason
        return None

    def _model_correct(self, fid: str, text: str, reason: str = "") -> None:
        self.correct(fid, text, reason, raise_invalid=True)

    def _on_card_correction(self, fid: str, text: str, reason: str) -> None:
        if self.correct(fid, text, reason):
            self.fields.card.reason.clear()

    def correct(self, fid: str, text: str, reason: str = "", *, raise_invalid: bool = False) -> bool:
        """Correct a field or an indicator cell through the session; a refused entry shows its reason in the
        status bar."""
        if self.session is None:
            return False
        self._ensure_reviewer()
        cell = self.session.is_indicator_cell(fid)
        before = self._target(fid).raw
        try:
            change = (self.session.correct_indicator if cell else self.session.correct)(fid, text, reason)
        except InvalidEntry as e:
            if raise_invalid:
                raise
            self._on_entry_refused(fid, e.reason)
            return False
        if reason:
            self.settings.add_reason(reason)
            self.fields.set_reason_completions(self.settings.recent_reasons())
        if change:
            fld = self._target(fid)
            added, removed = len(change.findings_added), len(change.findings_removed)
            delta = ""
            if added or removed:
                delta = "；" + "，".join(x for x in (f"新增问题{added}条" if added else "",
                                                    f"消除问题{removed}条" if removed else "") if x)
            self.statusBar().showMessage(f"已修改“{fld.label or fld.key}”：{before or '（空）'} → "
                                         f"{format_value(fld.value) or '（空）'}{delta}", 8000)
        return True

    def _on_entry_refused(self, fid: str, reason: str) -> None:
        label = ""
        if self.session is not None:
            label = f"“{self.session.label_of(fid)}”"
        self.statusBar().showMessage(f"未修改{label}：{reason}", 8000)

    def _ensure_reviewer(self) -> None:
        if not self.settings.reviewer and not self._reviewer_asked_now:
            self.ask_reviewer(first_time=True)

    def edit_current_value(self) -> None:
        if not self.fields.edit_current():
            self.statusBar().showMessage("没有选中可修改的值：请先在字段列表中选择一个字段，"
                                         "或在绩效指标表中选择一格（指标值、实际值、分值、得分、偏差原因）", 5000)

    def undo(self) -> None:
        self._undo_redo(redo=False)

    def redo(self) -> None:
        self._undo_redo(redo=True)

    def _undo_redo(self, *, redo: bool) -> None:
        if self.session is None:
            return
        change = self.session.redo() if redo else self.session.undo()
        if not change or change.correction is None:
            self.statusBar().showMessage("没有可重做的修改" if redo else "没有可撤销的修改", 4000)
            return
        fid = change.correction.field_id
        verb = "已重做" if redo else "已撤销"
        if fid in change.fields_removed:
            self.statusBar().showMessage(f"{verb}：手工录入的“{self._record_label(change.correction)}”已移除", 6000)
            return
        fld = self._target(fid)
        what = "手工录入" if fid in change.fields_added else ""
        self.statusBar().showMessage(f"{verb}{what}：“{fld.label or fld.key}”现为 "
                                     f"{format_value(fld.value) or '（空）'}", 6000)
        if self.session.is_indicator_cell(fid):
            self.fields.select_indicator(fid)
        else:
            self.fields.select_field(fid)

    def start_manual_entry(self) -> None:
        """Ctrl+M: box the value on the page (or skip to use the page on screen), then say what it is."""
        if self.session is None:
            return
        if self.stack.currentWidget() is not self.main_splitter:
            self.show_review()
        self._ensure_reviewer()
        self.documents.start_drawing()
        self.statusBar().showMessage("在页面上框出要录入的数值；Esc 取消", 6000)

    def _on_box_chosen(self, key: str, page: int, bbox) -> None:
        doc = next((d for d, k in self._doc_keys.items() if k == key), None)
        if doc is None or self.session is None:
            return
        self.enter_value(doc, page, tuple(bbox))

    def enter_value(self, doc: str, page: int, bbox=None) -> str | None:
        """Ask what the value at ``doc`` / ``page`` / ``bbox`` is (catalogue key, value, reason) and add it
        to the review; returns the new field's id, or None when nothing was entered."""
        from ui.field_catalogue import load_catalogue

        if self.session is None:
            return None
        box = tuple(bbox) if bbox is not None else (0.0, 0.0, 0.0, 0.0)
        boxed = box[2] > box[0] and box[3] > box[1]
        place = self._doc_names.place(doc, page) if self._doc_names else f"第{page}页"
        place += "，已框选数值的位置" if boxed else "（未框选位置，记为整页）"
        self.documents.view.set_highlights("draft", [self._box(doc, page, box)], style.FIELD_BOX, current=0)
        try:
            answer = self.prompts.manual_entry(load_catalogue(), place,
                                               present={f.key for f in self.session.case.fields},
                                               key=self._next_manual_key, reasons=self.settings.recent_reasons())
        finally:
            self.documents.view.clear_highlights("draft")
        if answer is None:
            self.statusBar().showMessage("已取消手工录入", 4000)
            self.manual_entry_finished.emit("")
            return None
        try:
            change = self.session.add_field(answer.key, answer.text, doc, page, box, label=answer.label,
                                            unit=answer.unit, form=answer.form, reason=answer.reason)
        except InvalidEntry as e:
            self.statusBar().showMessage(f"未录入：{e.reason}", 8000)
            self.manual_entry_finished.emit("")
            return None
        if answer.reason:
            self.settings.add_reason(answer.reason)
        self._next_manual_key = key_after(answer.key)
        (fid,) = change.fields_added
        fld = self.session.field(fid)
        self.fields.select_field(fid)
        unit = fld.unit if fld.unit else ""
        self.statusBar().showMessage(f"已录入“{fld.label or fld.key}”：{format_value(fld.value)}{unit}"
                                     f"（Ctrl+Z 撤销；Ctrl+M 继续录入）", 8000)
        self.manual_entry_finished.emit(fid)
        return fid

    def _on_changed(self, change) -> None:
        if self.fields_model is not None:
            self.fields_model.apply_change(change)
        if self.indicators_model is not None:
            self.indicators_model.apply_change(change)
        if self.findings_model is not None:
            self.findings_model.apply_change(change)
        fid = self.fields.card.field_id
        if fid is not None and self.session is not None:
            if fid in getattr(change, "fields_removed", ()):
                self.fields.card.show_field(None, None)
                self.documents.clear_box()
            else:
                self.fields.card.show_field(self.session, fid, self._doc_names,
                                            list_findings=not self.documents.locations)
        fp = self.findings.current_fingerprint()
        if fp and touches_findings(change) and fp in (change.findings_changed | change.findings_removed):
            if fp in change.findings_removed:
                self.documents.clear_locations()
            elif self.documents.locations:
                self.show_finding(fp)
        self._refresh_coverage()  # before the position: the loop counts the open checks too
        self._update_counts()
        self._update_actions()
        self._update_position()

    def _on_saved(self, path) -> None:
        self.save_label.setText(f"已自动保存 {datetime.now():%H:%M}")
        self.save_label.setStyleSheet("")
        self.save_label.setToolTip(str(path))
        self.banners.remove("save_failed")
        if self._ws_case_id is not None:
            self._ws_refresh.start()

    def _on_save_failed(self, reason: str) -> None:
        self.save_label.setText("保存失败")
        self.save_label.setStyleSheet(f"color: {style.ERROR.name()};")
        self.save_label.setToolTip(reason)
        b = self.banners.show_banner(f"{reason}。修改仍在内存中，没有丢失；下次修改时会再次尝试保存。", "error",
                                     key="save_failed", closable=False)
        b.add_button("另存为…", self.save_case_as, dismiss=False)

    def _update_counts(self) -> None:
        if self.session is None:
            self.counts_label.setText("")
            return
        if not self.session.case.fields:  # a scan: nothing read, nothing checked — not "0 errors" in green
            self.counts_label.setText("未提取到数值，未检查")
            self.counts_label.setStyleSheet(f"color: {style.MUTED.name()};")
            return
        open_findings = self.session.open_findings()
        errors = sum(1 for f in open_findings if f.severity.value == "error")
        warnings = sum(1 for f in open_findings if f.severity.value == "warning")
        self.counts_label.setText(f"未处理：错误 {errors} · 警告 {warnings}")
        color = style.ERROR if errors else (style.WARNING if warnings else style.OK)
        self.counts_label.setStyleSheet(f"color: {color.name()};")

    def _undo_text(self, verb: str, record) -> str:
        if record is None or self.session is None:
            return verb
        what = "手工录入" if record.kind == "add" else "修改"
        return f"{verb}{what}“{self._record_label(record)[:16]}”"

    def _record_label(self, record) -> str:
        """The name of the field a correction record is about, even when the field is not in the case (a
        value entered by hand and undone)."""
        try:
            label = self.session.label_of(record.field_id)
            if label:
                return label
            raise KeyError(record.field_id)
        except (KeyError, AttributeError):
            definition = getattr(record, "field", None) or {}
            if not definition and self.session is not None:
                added = self.session.corrections.added().get(record.field_id)
                definition = (added.field if added is not None else None) or {}
            return str(definition.get("label") or record.key)
