"""Export to Excel in the background, with overwrite and failure handling.

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from core.errors import OutputError
from core.review.corrections import export_records
from ui.operations import (
    ExportRequest,
    Operation,
    export_job,
)

log = logging.getLogger(__name__)


class ExportMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    def export(self) -> None:
        if self.session is None:
            return
        try:
            from core.export import export_workbooks  # noqa: F401 - being written alongside the window
        except ImportError:
            self.prompts.error("无法导出", "导出功能尚未安装完整（缺少 core.export.export_workbooks）。")
            return
        start = self.settings.export_dir or str(Path(self.session.case.documents[0].path).parent)
        folder = self.prompts.export_folder(start)
        if not folder:
            return
        self.settings.export_dir = folder
        self._start_export(Path(folder), overwrite=False)

    def _start_export(self, folder: Path, *, overwrite: bool) -> None:
        import copy

        s = self.session
        request = ExportRequest(case=copy.deepcopy(s.case), out_dir=folder,
                                corrections=export_records(s.corrections.records, labels={
                                    r.field_id: s.label_of(r.field_id) for r in s.corrections.records
                                    if s.is_indicator_cell(r.field_id)}),
                                decisions=list(s.decisions.records), reviewer=s.reviewer, overwrite=overwrite)
        op = Operation(export_job(request), "导出Excel")
        self._export_op = op
        session = s
        op.progressed.connect(self._on_progress)
        op.succeeded.connect(lambda paths, s=session: self._on_exported(s, paths))
        op.failed.connect(lambda e, s=session, f=folder: self._on_export_failed(s, f, e))
        op.cancelled.connect(lambda: self.statusBar().showMessage("已取消导出", 4000))
        op.finished.connect(lambda op=op: self._on_op_finished(op))
        self.progress.set_progress("正在导出Excel", 0, 0)
        self.progress.show()
        op.start()

    def _on_exported(self, session, paths: list[Path]) -> None:
        if session is self.session:
            session.mark_exported()
        names = "、".join(Path(p).name for p in paths)
        folder = str(Path(paths[0]).parent) if paths else ""
        b = self.banners.show_banner(f"已导出：{names}", "info", key="exported")
        if folder:
            b.add_button("打开所在文件夹", lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(folder)))
        self.statusBar().showMessage(f"已导出到 {folder}", 8000)
        self.export_finished.emit([str(p) for p in paths])

    def _on_export_failed(self, session, folder: Path, error: BaseException) -> None:
        if isinstance(error, FileExistsError):
            name = Path(error.filename).name if error.filename else "同名文件"
            if session is self.session and self.prompts.confirm(
                    "文件已存在", f"“{name}”已经存在。要覆盖它吗？", "覆盖", "取消"):
                self._start_export(folder, overwrite=True)
            return
        if isinstance(error, OutputError):
            self.prompts.error("无法导出", error.reason)
        elif isinstance(error, OSError):
            self.prompts.error("无法导出", f"无法写入 {folder}：{error.strerror or error}")
        else:
            self.prompts.error("无法导出", "导出时出现意外错误。请把下面的详细信息发给技术支持。",
                               details=getattr(error, "__traceback_text__", repr(error)))
