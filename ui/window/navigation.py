"""Findings navigation, decisions and the review loop: what a click on a field, indicator or finding
shows on the page, and the walk from one open problem to the next without the mouse.

The loop (a verification station's: Enter accepts and jumps to the next invalid field) runs through the items
still to review, in the order shown: the findings (grouped by check and document, as the list shows them),
then the checks the tool could not run (取数不足, no verdict yet: Ctrl+Enter gives 通过; ``ui.window.coverage``)
and then the values read with low certainty (``Field.confidence`` below ``LOW_CONFIDENCE``, not corrected
and not yet accepted).  Ctrl+Enter confirms the current item and moves on — a finding becomes 确认问题 (the
reason asked, optional), a value is accepted as read; in an open editor Ctrl+Enter records the correction
and moves on.  Ctrl+1 / Ctrl+2 decide 确认问题 / 排除 (reason; required for 排除) and move on.  F8 skips to
the next open item, Shift+F8 back.  Where the reviewer is shows as "第 3/29 项（剩余 12 项）".

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QTimer

from core.checks.coverage import PASS
from core.review.corrections import CLOSING_STATUSES, CONFIRMED, EXCLUDED, NOT_APPLICABLE, REOPENED
from ui import style
from ui.models.common import FINGERPRINT_ROLE, LOW_CONFIDENCE
from ui.widgets.pdf_view import Box

log = logging.getLogger(__name__)



class NavigationMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    def _box(self, doc: str, page: int, bbox) -> Box:
        return Box(self._doc_keys.get(doc, doc), page, tuple(bbox))

    def show_field(self, fid: str) -> None:
        if self.session is None:
            return
        fld = self.session.field(fid)
        self.documents.show_box(self._box(fld.doc, fld.page, fld.bbox))
        if fid in self._uncertain_ids():
            self._loop_at(("value", fid))
        self.fields.card.show_note("")
        self.fields.card.show_field(self.session, fid, self._doc_names)
        tree = self.fields.tree  # the card may have taken rows from the list: keep the field in sight
        QTimer.singleShot(0, lambda: tree.scrollTo(tree.currentIndex()))

    def show_indicator(self, iid: str) -> None:
        """An indicator row ("i3") or one of its cells ("i3.score"): its box on the page; a cell is also
        shown in the card below, where it can be corrected with a reason."""
        if self.session is None:
            return
        if self.session.is_indicator_cell(iid):
            cell = self.session.indicator_cell(iid)
            self.documents.show_box(self._box(cell.doc, cell.page, cell.bbox))
            self.fields.card.show_note("")
            self.fields.card.show_field(self.session, iid, self._doc_names)
            table = self.fields.indicators  # the card may have taken rows from the table: keep the cell in sight
            QTimer.singleShot(0, lambda: table.scrollTo(table.currentIndex()))
            return
        ind = next((i for i in self.session.case.indicators if i.id == iid), None)
        if ind is None:
            return
        self.documents.show_box(self._box(ind.source.doc, ind.source.page, ind.source.bbox))

    def show_finding(self, fp: str) -> None:
        if self.session is None:
            return
        finding = self.session.finding(fp)
        if finding is None:
            self.documents.clear_locations()
            self.findings.show_message("")
            return
        self._loop_at(("finding", fp))
        boxes = [self._box(loc.doc, loc.page, loc.bbox) for loc in finding.locations]
        self.documents.show_locations(boxes, style.SEVERITY_COLOR.get(finding.severity.value, style.ERROR))
        fids = self.session.fields_for_finding(finding)
        self.fields.select_fields(fids)
        sev = finding.severity.value
        decision = self.session.decision(fp)
        settled = ""
        if decision is not None and decision.status:
            settled = f"（{decision.status}" + (f"：{decision.reason}" if decision.reason else "") + "）"
        self.findings.show_message(f"{style.SEVERITY_TEXT.get(sev, sev)}{settled}：{finding.message}")
        self.fields.card.show_note("")
        self.fields.card.show_field(self.session, fids[0] if fids else None, self._doc_names, list_findings=False)

    # -- the review loop ---------------------------------------------------------------------------------
    def _uncertain_ids(self) -> list[str]:
        """The values read with low certainty, in the field list's order (structure entries left out)."""
        if self.fields_model is None:
            return []
        return [fid for fid in self.fields_model.field_ids()
                if self.session.field(fid).confidence < LOW_CONFIDENCE]

    def review_items(self) -> list[tuple[str, str]]:
        """The loop's items in order: ("finding", fingerprint) as the findings list shows them, then
        ("value", field id) for the values read with low certainty."""
        if self.session is None or self.findings_model is None:
            return []
        proxy = self.findings.proxy
        items = [("finding", str(proxy.index(r, 0).data(FINGERPRINT_ROLE))) for r in range(proxy.rowCount())]
        items += [("check", cid) for cid in self._loop_checks()]
        items += [("value", fid) for fid in self._uncertain_ids()]
        return items

    def _loop_checks(self) -> list[str]:
        """The checks of the loop: those still open, and the current one once decided (so it keeps its place)."""
        if self.coverage_model is None:
            return []
        item = getattr(self, "_loop_item", None)
        current = item[1] if item is not None and item[0] == "check" else None
        return [it.check_id for it in self.coverage_model.items() if it.is_open or it.check_id == current]

    def _item_done(self, item: tuple[str, str]) -> bool:
        kind, ident = item
        if kind == "check":
            return ident in self.session.check_verdicts()
        if kind == "finding":
            d = self.session.decision(ident)
            return d is not None and d.status in CLOSING_STATUSES
        return self.session.is_accepted(ident) or self.session.is_corrected(ident)

    def _loop_at(self, item: tuple[str, str]) -> None:
        self._loop_item = item
        self._update_position()

    def _update_position(self) -> None:
        """"第 3/29 项（剩余 12 项）" in the status bar and above the findings."""
        if self.session is None:
            self.position_label.setText("")
            self.findings.set_position("")
            return
        items = self.review_items()
        left = sum(1 for it in items if not self._item_done(it))
        item = getattr(self, "_loop_item", None)
        if item in items:
            text = f"第 {items.index(item) + 1}/{len(items)} 项（剩余 {left} 项）"
        else:
            text = f"共 {len(items)} 项待审（剩余 {left} 项）"
        self.position_label.setText(text)
        self.position_label.setToolTip("问题、取数不足需人工核对的检查和识别把握较低的数值。Ctrl+回车 确认并转到下一项；"
                                       "F8 跳过；Shift+F8 上一项")
        self.findings.set_position(text)

    def next_item(self, direction: int = 1) -> tuple[str, str] | None:
        """Go to the next (or previous) item still to review, wrapping round; None when all are done."""
        items = self.review_items()
        if not items:
            self.statusBar().showMessage("没有需要审核的问题或数值", 4000)
            return None
        item = getattr(self, "_loop_item", None)
        cur = items.index(item) if item in items else (-1 if direction > 0 else len(items))
        for step in range(1, len(items) + 1):
            candidate = items[(cur + direction * step) % len(items)]
            if not self._item_done(candidate):
                self._go_to(candidate)
                return candidate
        self._update_position()
        self.statusBar().showMessage("全部问题和数值都已审核", 6000)
        return None

    def _go_to(self, item: tuple[str, str]) -> None:
        kind, ident = item
        self._loop_at(item)
        if kind == "finding":
            self.review_tabs.setCurrentWidget(self.findings)
            self.findings.select_fingerprint(ident)  # shows it (finding_selected)
            self.findings.table.setFocus()
        elif kind == "check":
            self.show_check(ident)
            self.coverage_panel.table.setFocus()
        else:
            self.fields.select_field(ident)  # shows it (field_selected)
            self.fields.tree.setFocus()
            fld = self.session.field(ident)
            self.statusBar().showMessage(
                f"识别把握 {fld.confidence:.0%}：请对照页面核对“{fld.label or fld.key}”。"
                "Ctrl+回车 确认无误；F2 修改；F8 跳过", 8000)

    def confirm_and_next(self) -> None:
        """Ctrl+Enter: confirm the current item (a finding: 确认问题; a value: accepted as read) and go on."""
        if self.session is None:
            return
        item = getattr(self, "_loop_item", None)
        if item is None or item not in self.review_items():
            self.next_item(1)
            return
        kind, ident = item
        if kind == "finding":
            fps = self.findings.selected_fingerprints() or [ident]
            if not self.decide(fps, CONFIRMED, advance=False):
                return
        elif kind == "check":
            if not self.give_check_verdict(ident, PASS):
                return
        elif not self.session.is_corrected(ident):
            self.session.accept_value(ident)
            fld = self.session.field(ident)
            self.statusBar().showMessage(f"已确认“{fld.label or fld.key}”：{fld.raw}", 4000)
        self.next_item(1)

    def next_finding(self, direction: int) -> None:
        """F8 / Shift+F8: the next (previous) item still to review — a finding or an uncertain value."""
        if self.findings_model is None:
            return
        self.next_item(direction)

    # -- decisions ---------------------------------------------------------------------------------------
    def _decide_current(self, status: str) -> None:
        fps = self.findings.selected_fingerprints()
        if not fps:
            self.statusBar().showMessage("请先在问题列表中选择一条问题", 4000)
            return
        self.decide(fps, status, advance=status != REOPENED)

    def decide(self, fps, status: str, *, advance: bool = False) -> bool:
        """Decide one finding or several (``fps``: a fingerprint or a list) with one reason: 确认问题 asks for
        it (optional), 排除 requires it.  With ``advance`` the loop goes on to the next open item."""
        if self.session is None:
            return False
        fps = [fps] if isinstance(fps, str) else list(fps)
        if not fps:
            return False
        reason = ""
        if status in CLOSING_STATUSES:
            self._ensure_reviewer()
            first = self.session.finding(fps[0])
            previous = self.session.decision(fps[0])
            message = first.message if first is not None else (previous.message if previous else "")
            if len(fps) > 1:
                message = f"将同时标记选中的 {len(fps)} 条问题。第一条：{message}"
            title = f"标记为{status}" + (f"（{len(fps)}条）" if len(fps) > 1 else "")
            required = status in (EXCLUDED, NOT_APPLICABLE)
            answer = self.prompts.reason(title, message, required=required,
                                         reason=previous.reason if previous and len(fps) == 1 else "",
                                         completions=self.settings.recent_reasons())
            if answer is None:
                return False
            reason = answer
            if reason:
                self.settings.add_reason(reason)
        changed = 0
        for fp in fps:
            try:
                if self.session.decide(fp, status, reason):
                    changed += 1
            except (KeyError, ValueError) as e:
                log.warning("decision refused: %s", e)
        if changed:
            what = "已重新打开" if status == REOPENED else f"已标记为{status}"
            self.statusBar().showMessage(f"{what}：{changed}条问题" if len(fps) > 1 else
                                         ("已重新打开该问题" if status == REOPENED else f"已标记为{status}"), 5000)
        self._update_position()
        if advance:
            self.next_item(1)
        return True
