"""Findings navigation and decisions: what a click on a field, indicator or finding shows on the page,
F8 / Shift+F8, and the decisions on findings.

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging

from core.review.corrections import NOT_APPLICABLE, REOPENED, VERIFIED
from ui import style
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
        self.fields.card.show_note("")
        self.fields.card.show_field(self.session, fid, self._doc_names)

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
            return
        boxes = [self._box(loc.doc, loc.page, loc.bbox) for loc in finding.locations]
        self.documents.show_locations(boxes, style.SEVERITY_COLOR.get(finding.severity.value, style.ERROR))
        fids = self.session.fields_for_finding(finding)
        self.fields.select_fields(fids)
        sev = finding.severity.value
        decision = self.session.decision(fp)
        settled = f"（{decision.status}）" if decision is not None and decision.status else ""
        self.fields.card.show_note(f"{style.SEVERITY_TEXT.get(sev, sev)}{settled}：{finding.message}",
                                   style.SEVERITY_COLOR.get(sev, style.ERROR).darker(130).name())
        self.fields.card.show_field(self.session, fids[0] if fids else None, self._doc_names)

    def next_finding(self, direction: int) -> None:
        if self.findings_model is None:
            return
        fp = self.findings.next_open(direction)
        if fp is None:
            self.statusBar().showMessage("没有未处理的问题" if self.findings.proxy.rowCount() else "没有问题", 4000)

    def _decide_current(self, status: str) -> None:
        fp = self.findings.current_fingerprint()
        if fp is None:
            self.statusBar().showMessage("请先在问题列表中选择一条问题", 4000)
            return
        self.decide(fp, status)

    def decide(self, fp: str, status: str) -> bool:
        if self.session is None:
            return False
        finding = self.session.finding(fp)
        previous = self.session.decision(fp)
        reason = ""
        if status in (VERIFIED, NOT_APPLICABLE):
            self._ensure_reviewer()
            message = finding.message if finding is not None else (previous.message if previous else "")
            answer = self.prompts.reason(f"标记为{status}", message, required=status == NOT_APPLICABLE,
                                         reason=previous.reason if previous else "",
                                         completions=self.settings.recent_reasons())
            if answer is None:
                return False
            reason = answer
            self.settings.add_reason(reason)
        try:
            change = self.session.decide(fp, status, reason)
        except (KeyError, ValueError) as e:
            log.warning("decision refused: %s", e)
            return False
        if change:
            self.statusBar().showMessage("已重新打开该问题" if status == REOPENED else f"已标记为{status}", 5000)
        return True
