"""The 检查覆盖 tab in the window: the coverage list kept current, the reviewer's verdicts on the checks the
tool could not run, and those checks as items of the review loop (after the findings).

A verdict is asked like a finding's decision: 通过 (note optional — Ctrl+Enter in the loop), 不通过 and 不适用
(a note is required: it goes into the 复核意见 and the workbook), or withdrawn.  It is recorded through the
session (``ReviewSession.set_check_verdict``: kept in the case file with who and when, saved at once).

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging

from core.checks.coverage import FAIL, MANUAL_NOT_APPLICABLE, SHORT, summary
from ui.models.coverage_model import CoverageModel

log = logging.getLogger(__name__)


class CoverageMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    coverage_model: CoverageModel | None = None

    def _install_coverage(self) -> None:
        """Called when a case is installed; the window's ``_on_changed`` refreshes it after every change, before
        the loop's position is counted (the loop counts the open checks too)."""
        self.coverage_model = CoverageModel(parent=self)
        self.coverage_panel.set_model(self.coverage_model)
        self._refresh_coverage()

    def _clear_coverage(self) -> None:
        self.coverage_panel.clear()
        self.coverage_model = None
        self._set_coverage_tab_title(None)

    def _refresh_coverage(self) -> None:
        if self.session is None or self.coverage_model is None:
            return
        items = self.session.coverage()
        self.coverage_model.set_items(items)
        complete, reasons = self.session.review_complete()
        self.coverage_panel.set_summary(summary(items), complete, reasons)
        self._set_coverage_tab_title(sum(1 for it in items if it.is_open))
        self.coverage_panel.refresh_buttons()

    def _set_coverage_tab_title(self, open_count: int | None) -> None:
        tabs = getattr(self, "review_tabs", None)
        if tabs is None:
            return
        i = tabs.indexOf(self.coverage_panel)
        tabs.setTabText(i, "检查覆盖" if not open_count else f"检查覆盖（{open_count}项待核对）")

    def show_check(self, check_id: str) -> None:
        """A check of the coverage list, shown in its tab (and, in the loop, as the current item)."""
        if self.session is None or self.coverage_model is None:
            return
        self.review_tabs.setCurrentWidget(self.coverage_panel)
        if self.coverage_panel.current_check() != check_id:
            self.coverage_panel.select_check(check_id)
        row = self.coverage_model.row_of(check_id)
        if row < 0:
            return
        it = self.coverage_model.item(row)
        if it.status == SHORT and it.pages:  # the table to check by hand, on screen
            doc, page = it.pages[0]
            self.documents.clear_locations()
            self.documents.view.go_to(self._doc_keys.get(doc, doc), page)
        if it.status == SHORT and not it.verdict:
            self._loop_at(("check", check_id))
            self.statusBar().showMessage(
                f"“{it.name}”未能自动完成：{it.why}。请对照原件核对后给出结论：Ctrl+回车 通过；"
                "“不通过…”“不适用…”须写明情况；F8 跳过", 10000)

    def give_check_verdict(self, check_id: str, status: str, *, advance: bool = False) -> bool:
        """Ask the note (required for 不通过 and 不适用) and record the verdict; False when cancelled."""
        if self.session is None or self.coverage_model is None:
            return False
        row = self.coverage_model.row_of(check_id)
        if row < 0:
            return False
        it = self.coverage_model.item(row)
        note = ""
        if status:
            self._ensure_reviewer()
            required = status in (FAIL, MANUAL_NOT_APPLICABLE)
            message = f"{it.name}：{it.why or it.result}"
            answer = self.prompts.reason(f"人工核对结论：{status}", message, required=required,
                                         reason=it.note if it.verdict == status else "",
                                         completions=self.settings.recent_reasons())
            if answer is None:
                return False
            note = answer
            if required and not note.strip():
                self.statusBar().showMessage(f"“{status}”须写明情况，未记录", 5000)
                return False
            if note:
                self.settings.add_reason(note)
        self.session.set_check_verdict(check_id, status, note)
        self.statusBar().showMessage(f"已记录“{it.name}”：{status}" if status else f"已撤回“{it.name}”的结论",
                                     5000)
        if advance:
            self.next_item(1)
        return True
