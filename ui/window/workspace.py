"""The district workspace beside the review: its list of departments, their statuses, opening one of
them as an ordinary review, rescans.

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from ui.window.common import APP_TITLE

from core.errors import DocumentError, OutputError
from core.workspace import NotComplete
from ui.operations import (
    Operation,
    workspace_open_job,
    workspace_scan_job,
)
from ui.workspace_bridge import WorkspaceBridge

log = logging.getLogger(__name__)


class WorkspaceMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    def _on_page_changed(self) -> None:
        if not hasattr(self, "act_manual"):
            return  # the stack is being built
        on_list = self.stack.currentWidget() is self.workspace_panel
        # a case's banners (scanned pages, changed sources…) are about the review, not about the list
        self.banners.show_only(lambda b: not on_list or b.key.startswith("ws_") or b.key == "recover")
        if on_list and self.workspace is not None:
            self.setWindowTitle(f"{self.workspace.title} — 审核工作区 — {APP_TITLE}")
        elif self.session is not None:
            self.setWindowTitle(f"{self.case_title()} — {APP_TITLE}")
        self._update_actions()

    def choose_workspace(self) -> None:
        start = self.settings.last_workspace or self.settings.last_open_dir
        folder = self.prompts.open_workspace(start)
        if folder:
            self.open_workspace(folder)

    def open_workspace(self, folder: str | Path, *, show: bool = True) -> None:
        """Open (or start) the workspace of ``folder`` in the background; its list appears when it is read
        (at once with ``show``; at start-up only if nothing else is on screen)."""
        if self._ws_op is not None:
            return
        op = Operation(workspace_open_job(folder), "打开审核工作区")
        self._ws_op = op
        self.workspace_panel.set_busy(True)
        op.progressed.connect(self._on_progress)
        op.succeeded.connect(lambda ws, show=show: self._on_workspace_opened(ws, show))
        op.failed.connect(lambda e, f=str(folder): self._on_workspace_failed(f, e))
        op.cancelled.connect(lambda: self.statusBar().showMessage("已取消打开工作区", 4000))
        op.finished.connect(lambda op=op: self._on_op_finished(op))
        self.progress.set_progress(op.title, 0, 0)
        self.progress.show()
        self._update_actions()
        op.start()

    def _on_workspace_opened(self, ws, show: bool) -> None:
        if self._closing:
            return
        self._drop_workspace()
        self.workspace = ws
        self.load_district()  # the workspace's rules
        self.ws_bridge = WorkspaceBridge(ws, self)
        self.ws_bridge.cases_changed.connect(self._on_workspace_changed)
        self.ws_bridge.save_failed.connect(self._on_workspace_save_failed)
        if self.settings.reviewer and ws.reviewer != self.settings.reviewer:
            ws.set_reviewer(self.settings.reviewer)
        self.workspace_panel.set_workspace(ws)
        if self.session is not None:
            self.workspace_panel.set_review_open(self.case_title())
            self._ws_case_id = self._workspace_case_of(self.bridge.case_path if self.bridge else None, None)
        last = self._ws_case_id or self._workspace_case_of(self.settings.last_case or None, None)
        if last is not None:
            self.workspace_panel.select_case(last)  # where the reviewer left off
        self.settings.last_workspace = str(ws.folder)
        if ws.last_error is not None:
            self._on_workspace_save_failed(ws.last_error.reason)
        if ws.warnings:
            self.banners.show_banner("；".join(ws.warnings), "warning", key="ws_warnings")
        n = len(ws.list_cases())
        self.statusBar().showMessage(f"已打开审核工作区“{ws.title}”：{n}个部门", 6000)
        if show or self.stack.currentWidget() is self.welcome:
            self.show_workspace()
        self._offer_workspace_recovery(ws)
        self._update_actions()
        self.workspace_opened.emit()

    def _offer_workspace_recovery(self, ws) -> None:
        """A review of this workspace that was open when the program stopped is offered back, as one kept in
        the window's own folder is at start."""
        if self.banners.banner("recover") is not None:
            return
        from core.review.store import recover_candidates

        try:
            candidates = recover_candidates(ws.review_dir)
        except OSError:
            return
        current = str(self.bridge.case_path) if self.bridge is not None else ""
        candidates = [c for c in candidates if str(c.path) != current]
        if candidates:
            self._offer_recovery(candidates)

    def _on_workspace_failed(self, folder: str, error: BaseException) -> None:
        if isinstance(error, DocumentError):
            self.prompts.error("无法打开工作区", f"{folder}：{error.reason}")
        elif isinstance(error, OutputError):
            self.prompts.error("无法打开工作区", error.reason)
        else:
            self.prompts.error("无法打开工作区", "打开工作区时出现意外错误。请把下面的详细信息发给技术支持。",
                               details=getattr(error, "__traceback_text__", repr(error)))

    def _drop_workspace(self) -> None:
        if self.ws_bridge is not None:
            self.ws_bridge.close()
            self.ws_bridge.deleteLater()
        self.ws_bridge = None
        self.workspace = None
        self._ws_case_id = None
        self.load_district()
        self.workspace_panel.set_workspace(None)
        for key in ("ws_save_failed", "ws_warnings"):
            self.banners.remove(key)

    def close_workspace(self) -> None:
        """Stop showing the workspace (it is saved already; its reviews stay in its folder)."""
        if self.workspace is None or self._ws_op is not None:
            return
        self._ws_refresh.stop()
        if self._ws_case_id is not None:
            self._refresh_workspace_case()
        self._drop_workspace()
        self.settings.last_workspace = ""
        if self.stack.currentWidget() is self.workspace_panel:
            if self.session is not None:
                self.show_review()
            else:
                self._back_to_welcome()
        self._update_actions()

    def show_workspace(self) -> None:
        if self.workspace is None:
            return
        self.documents.cancel_drawing()
        self.workspace_panel.set_review_open(self.case_title() if self.session is not None else "")
        self.stack.setCurrentWidget(self.workspace_panel)
        if self._ws_case_id is not None:
            self.workspace_panel.select_case(self._ws_case_id)
        self.workspace_panel.table.setFocus()

    def show_review(self) -> None:
        if self.session is not None or self._open_op is not None:
            self.stack.setCurrentWidget(self.main_splitter)
            self.fields.tree.setFocus()

    def toggle_workspace(self) -> None:
        """F9: the list of departments, and back to the review in place."""
        if self.stack.currentWidget() is self.workspace_panel:
            self.show_review()
        elif self.workspace is not None:
            self.show_workspace()

    def open_workspace_case(self, case_id: str) -> None:
        """Open a department of the workspace in the review: its files, its review kept in the workspace
        (``review_dir``), a batch's cached extraction used when there is no review yet."""
        ws = self.workspace
        if ws is None or self._ws_op is not None:
            return
        try:
            if self.session is not None and self._ws_case_id == case_id:
                self.show_review()
                return
            entry = ws.check_case(case_id)  # a file sent again since the last scan reopens the case
        except KeyError:
            return
        files = [p for p in entry.files if Path(p).exists()]
        if not files:
            self.prompts.error("无法打开", f"“{entry.name}”：{entry.problem or '没有可打开的审核材料（PDF、Word、Excel、WPS或OFD文件）'}")
            return
        cached = None
        if not entry.has_review:
            cached = lambda ws=ws, cid=case_id: ws.cached_case(cid)  # noqa: E731 - read in the job
        # new material reopened the case: read it, never the review of the earlier files (kept in the history)
        fresh = bool(entry.reopened) and not entry.has_review
        self.open_paths([str(p) for p in files], store_dir=ws.review_dir, case_path=entry.case_file,
                        cached=cached, ws_case=case_id, fresh=fresh)

    def compare_with_district(self) -> None:
        """Compare the workspace case in review with the district's other cases (``core.copies``) in the
        background; its copy findings join the case's findings when found (``district_compared`` then)."""
        ws, cid, session = self.workspace, self._ws_case_id, self.session
        if ws is None or cid is None or session is None:
            return
        from core.copies import comparison

        try:
            run = comparison(ws, cid, session.case)
        except KeyError:  # the case left the workspace
            return
        op = Operation(lambda reporter: run(), "材料比对")
        op.succeeded.connect(lambda found, s=session: self._on_district_compared(s, found))
        op.failed.connect(lambda e: self.statusBar().showMessage("材料比对未能完成（不影响审核）", 5000))
        op.finished.connect(self.district_compared)
        op.start()

    def _on_district_compared(self, session, found) -> None:
        if self._closing or session is not self.session:
            return  # another case is in review now
        from core.copies import attach

        if found is None:  # too few units of the district read yet to tell template from copies
            from core.copies import settings

            self.statusBar().showMessage(f"材料比对：本工作区已读取的单位不足{settings().min_units}个，暂不比对", 5000)
            return
        if attach(session.case, found):
            session.refresh()  # the checks serve them (core.checks.copies): the lists follow the change
            units = {m for f in found for m in f.keys if m.startswith("copies.")}
            if found:
                self.statusBar().showMessage(
                    f"材料比对：与本工作区{len(units)}个其他单位的材料有{len(found)}处雷同，已列入问题清单", 8000)

    def _workspace_case_of(self, case_path, hint: str | None) -> str | None:
        """The workspace case a review belongs to: the one it was opened for, else the one whose review file
        it is (a review reopened from the recent list)."""
        ws = self.workspace
        if ws is None:
            return None
        if hint is not None:
            return hint
        if case_path is None:
            return None
        path = Path(os.path.abspath(str(case_path)))
        for e in ws.list_cases():
            if Path(os.path.abspath(str(e.case_file))) == path:
                return e.id
        return None

    def set_workspace_status(self, case_id: str, status: str) -> None:
        ws = self.workspace
        if ws is None or self._ws_op is not None:
            return
        in_place = self.session if self.session is not None and self._ws_case_id == case_id else None
        try:  # 已完成 is asked of the review in place as it is now, else of the saved one
            entry = ws.set_status(case_id, status, reviewer=self.settings.reviewer or None, session=in_place)
        except NotComplete as e:
            self.prompts.error(f"不能设为{status}", str(e))
            self.statusBar().showMessage(str(e), 8000)
            return
        except (KeyError, ValueError) as e:
            self.statusBar().showMessage(str(e), 5000)
            return
        self.statusBar().showMessage(f"“{entry.name}”已设为{status}", 5000)

    def _refresh_workspace_case(self) -> None:
        """Take the counts of the review in place into the workspace (after a save, at close)."""
        ws, cid = self.workspace, self._ws_case_id
        if ws is None or cid is None or self._ws_op is not None:
            return
        try:
            ws.refresh(cid, self.bridge.case_path if self.bridge is not None else None)
        except KeyError:  # the case left the workspace (its folder was removed and rescanned)
            self._ws_case_id = None

    def _on_workspace_changed(self, change) -> None:
        self.workspace_panel.apply_change(change)
        if self.workspace is not None and self.workspace.last_error is None:
            self.banners.remove("ws_save_failed")

    def _on_workspace_save_failed(self, reason: str) -> None:
        b = self.banners.show_banner(f"审核工作区未能保存：{reason}。各部门的审核状态仍在内存中，没有丢失；"
                                     f"下次更改时会再次尝试保存（各部门的审核记录另行保存，不受影响）。", "error",
                                     key="ws_save_failed", closable=False)
        b.add_button("重试", self._retry_workspace_save, dismiss=False)

    def _retry_workspace_save(self) -> None:
        if self.workspace is None:
            return
        try:
            self.workspace.save()
        except OutputError as e:
            self.statusBar().showMessage(f"仍未能保存：{e.reason}", 6000)
            return
        self.banners.remove("ws_save_failed")
        self.statusBar().showMessage("审核工作区已保存", 4000)

    def add_workspace_folder(self) -> None:
        if self.workspace is None or self._ws_op is not None:
            return
        folder = self.prompts.add_folder(str(self.workspace.folder))
        if folder:
            self._start_workspace_scan(folder)

    def rescan_workspace(self) -> None:
        if self.workspace is not None and self._ws_op is None:
            self._start_workspace_scan(None)

    def _start_workspace_scan(self, folder: str | None) -> None:
        op = Operation(workspace_scan_job(self.workspace, folder), "添加文件夹" if folder else "重新扫描文件夹")
        self._ws_op = op
        self.workspace_panel.set_busy(True)
        op.progressed.connect(self._on_progress)
        op.succeeded.connect(lambda result, f=folder: self._on_workspace_scanned(f, result))
        op.failed.connect(lambda e, f=folder or "": self._on_workspace_failed(f, e))
        op.cancelled.connect(lambda: self.statusBar().showMessage("已取消扫描", 4000))
        op.finished.connect(lambda op=op: self._on_op_finished(op))
        op.finished.connect(self.workspace_scanned)
        self.progress.set_progress(op.title, 0, 0)
        self.progress.show()
        self._update_actions()
        op.start()

    def _on_workspace_scanned(self, folder: str | None, result) -> None:
        if folder is not None:
            added = list(result)
            if added:
                self.workspace_panel.select_case(added[0].id)
                names = "、".join(e.name for e in added[:4]) + ("等" if len(added) > 4 else "")
                self.statusBar().showMessage(f"已添加{len(added)}个部门：{names}", 8000)
            else:
                self.statusBar().showMessage("该文件夹中没有新的部门材料（已在工作区中的不重复添加）", 8000)
            return
        parts = [f"{w}{len(ids)}个" for w, ids in (("新增", result.added), ("移除", result.removed),
                                                   ("有变化", result.changed)) if ids]
        self.statusBar().showMessage("重新扫描完成：" + ("，".join(parts) if parts else "没有变化"), 8000)
