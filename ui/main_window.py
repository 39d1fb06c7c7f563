"""The review window: documents on the left, fields and findings on the right, and the glue between them.

Why it exists: it is the one place that knows the whole gesture set of a review and ties the parts together —
opening a package (in the background, first page on screen at once), provenance (field → box on the page,
finding → every place it names), corrections and decisions (through ``core.review.ReviewSession``, saved
after every change by the core's ``AutoSaver``), values entered by hand against the page image of a scanned
page (box on the page → catalogue key and value → ``ReviewSession.add_field``), recovery, export, and the
keyboard.

A district workspace (``core.workspace.Workspace``) is a page of its own beside the review: the list of the
district's departments with their status and counts.  Opening one of them is the ordinary open of its files,
with the workspace's ``review_dir`` as the case store (and a batch's cached extraction when there is one); its
counts are refreshed from the case file after each save, and its status is the reviewer's to set.  The review
of one case is the same whether it came from the workspace or not.

What it must not do: compute anything the core computes.  Values are parsed by the session, checks are run by
the session's ``recheck``, files are written by ``core.review.store`` and ``core.export``.  Every modal
question goes through ``self.prompts`` (tests answer them); everything that need not be answered now is a
banner or a status-bar message.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QByteArray, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from core.errors import DocumentError, OutputError
from core.review.corrections import NOT_APPLICABLE, REOPENED, VERIFIED, export_records
from core.review.session import InvalidEntry, parse_entry
from ui import style
from ui.dialogs.prompts import Prompts
from ui.models.common import DocNames, format_value, touches_findings
from ui.models.fields_model import FieldsModel
from ui.models.findings_model import FindingsModel
from ui.models.indicators_model import IndicatorsModel
from ui.operations import (
    ExportRequest,
    Operation,
    OpenResult,
    export_job,
    open_case_file_job,
    open_job,
    text_index_job,
    workspace_open_job,
    workspace_scan_job,
)
from ui.rendering import PageRenderer
from ui.review_bridge import SessionBridge
from ui.settings import Settings, cases_dir
from ui.widgets.banner import BannerArea
from ui.widgets.document_panel import DocumentPanel
from ui.widgets.field_panel import FieldPanel
from ui.widgets.findings_panel import FindingsPanel
from ui.widgets.pdf_view import Box
from ui.widgets.welcome import WelcomePage
from ui.widgets.workspace_panel import WorkspacePanel
from ui.workspace_bridge import WorkspaceBridge

log = logging.getLogger(__name__)

APP_TITLE = "绩效自评审核"
SCANNED_CODES = ("scanned", "scanned_pages")
"""Document problems meaning pages are images without a text layer (``core.documents.pdf``): the reviewer is
told so and offered hand entry against the page image."""


def doc_key(path: str | Path) -> str:
    """How the window names a file: its normalised absolute path (the same before and after extraction)."""
    return os.path.normcase(os.path.abspath(str(path)))


class ProgressStrip(QWidget):
    """Stage, progress bar and 取消, in the status bar while an operation runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.label = QLabel("")
        self.bar = QProgressBar()
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = QPushButton("取消")
        self.cancel.setAutoDefault(False)
        self.cancel.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel)
        self.hide()

    def set_progress(self, stage: str, done: int, total: int) -> None:
        self.label.setText(stage)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        else:
            self.bar.setRange(0, 0)


class MainWindow(QMainWindow):
    """The window.  ``case_opened`` when a review is in place (new or restored); ``open_finished`` after
    every open attempt (success, failure or cancel); ``export_finished(paths)``; ``text_ready`` when Ctrl+F
    can search; ``workspace_opened`` when a district workspace is in place; ``workspace_scanned`` after
    adding a folder or rescanning (success or not); ``manual_entry_finished(field_id)`` after a value entered
    by hand ("" when nothing was entered)."""

    case_opened = Signal()
    open_finished = Signal()
    export_finished = Signal(list)
    text_ready = Signal()
    workspace_opened = Signal()
    workspace_scanned = Signal()
    manual_entry_finished = Signal(str)

    def __init__(self, settings: Settings | None = None, *, recheck: Callable | None = None,
                 store_dir: Path | None = None, prompts: Prompts | None = None) -> None:
        super().__init__()
        if recheck is None:
            from core.pipeline import recheck as pipeline_recheck

            recheck = pipeline_recheck
        self.settings = settings or Settings()
        self.recheck = recheck
        self.store_dir = Path(store_dir) if store_dir else cases_dir()
        self.prompts = prompts or Prompts(self)
        self.session = None
        self.bridge: SessionBridge | None = None
        self.fields_model: FieldsModel | None = None
        self.findings_model: FindingsModel | None = None
        self.indicators_model: IndicatorsModel | None = None
        self._doc_keys: dict[str, str] = {}  # case document id -> view key
        self._doc_names: DocNames | None = None
        self._inputs: list[str] = []
        self._passwords: dict[str, str] = {}
        self._asked_passwords: dict[str, int] = {}  # path -> times asked during this open
        self._asked_view_passwords: set[str] = set()
        self._open_op: Operation | None = None
        self._text_op: Operation | None = None
        self._export_op: Operation | None = None
        self._text_index = None
        self._reviewer_asked_now = False
        self._closing = False
        self._recovery_path = ""
        self.workspace = None  # core.workspace.Workspace
        self.ws_bridge: WorkspaceBridge | None = None
        self._ws_op: Operation | None = None
        self._ws_case_id: str | None = None  # the workspace case whose review is in place
        self._open_kwargs: dict = {}  # where the open in progress keeps its review (workspace cases)
        self._next_manual_key = ""
        self._ws_refresh = QTimer(self)
        self._ws_refresh.setSingleShot(True)
        self._ws_refresh.setInterval(300)  # a burst of saves (typing corrections) refreshes the counts once
        self._ws_refresh.timeout.connect(self._refresh_workspace_case)

        self.setWindowTitle(APP_TITLE)
        self.setWindowIcon(style.icon("app"))
        self.setAcceptDrops(True)
        self.renderer = PageRenderer(self)
        self.renderer.start()
        self._build()
        self._build_actions()
        self._build_status_bar()
        self._restore_layout()
        self._update_actions()

    # == building ====================================================================================
    def _build(self) -> None:
        self.banners = BannerArea()
        self.documents = DocumentPanel(self.renderer)
        self.fields = FieldPanel(self._validate_entry)
        self.findings = FindingsPanel()
        self.welcome = WelcomePage()
        self.workspace_panel = WorkspacePanel()

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.fields)
        self.right.addWidget(self.findings)
        self.right.setStretchFactor(0, 3)
        self.right.setStretchFactor(1, 2)
        self.right.setCollapsible(0, False)
        self.right.setCollapsible(1, False)

        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.documents)
        self.main_splitter.addWidget(self.right)
        self.main_splitter.setStretchFactor(0, 1)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setCollapsible(0, False)
        self.main_splitter.setCollapsible(1, False)
        self.main_splitter.setSizes([760, 640])

        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.main_splitter)
        self.stack.addWidget(self.workspace_panel)
        self.stack.currentChanged.connect(lambda *_: self._on_page_changed())

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banners)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.welcome.open_files.connect(self.choose_files)
        self.welcome.open_folder.connect(self.choose_folder)
        self.welcome.open_recent.connect(self.open_case_file)
        self.welcome.open_workspace.connect(self.choose_workspace)
        self.workspace_panel.open_requested.connect(self.open_workspace_case)
        self.workspace_panel.status_requested.connect(self.set_workspace_status)
        self.workspace_panel.add_folder_requested.connect(self.add_workspace_folder)
        self.workspace_panel.rescan_requested.connect(self.rescan_workspace)
        self.workspace_panel.back_requested.connect(self.show_review)
        self.fields.manual_entry_requested.connect(self.start_manual_entry)
        self.documents.box_chosen.connect(self._on_box_chosen)
        self.documents.drawing_cancelled.connect(
            lambda: self.statusBar().showMessage("已取消手工录入", 4000))
        self.welcome.set_recent(self.settings.recent_cases())
        self.fields.field_selected.connect(self.show_field)
        self.fields.indicator_selected.connect(self.show_indicator)
        self.fields.correction_requested.connect(self._on_card_correction)
        self.fields.entry_refused.connect(self._on_entry_refused)
        self.findings.finding_selected.connect(self.show_finding)
        self.findings.decision_requested.connect(self.decide)
        self.documents.open_failed.connect(self._on_view_open_failed)
        self.fields.card.set_reason_completions(self.settings.recent_reasons())

    def _action(self, text: str, slot, shortcut=None, *, tip: str = "", menu=None) -> QAction:
        a = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                a.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                a.setShortcut(QKeySequence(shortcut))
            a.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            a.setStatusTip(tip)
        a.triggered.connect(lambda _=False: slot())
        self.addAction(a)
        if menu is not None:
            menu.addAction(a)
        return a

    def _build_actions(self) -> None:
        mb = self.menuBar()
        m_file = mb.addMenu("文件(&F)")
        self.act_open = self._action("打开文件…", self.choose_files, QKeySequence.StandardKey.Open, menu=m_file,
                                     tip="打开一个部门的PDF材料（可多选）")
        self.act_open_folder = self._action("打开文件夹…", self.choose_folder, "Ctrl+Shift+O", menu=m_file,
                                            tip="打开一个文件夹中的全部PDF，作为一个部门的材料")
        self.recent_menu = m_file.addMenu("最近的审核")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        m_file.addSeparator()
        self.act_open_workspace = self._action("打开工作区…", self.choose_workspace, None, menu=m_file,
                                               tip="打开一个区县全部部门材料所在的文件夹，逐个审核并记录各部门的审核状态")
        self.act_workspace = self._action("工作区（部门列表）", self.toggle_workspace, "F9", menu=m_file,
                                          tip="在部门列表和正在审核的部门之间切换")
        self.act_add_folder = self._action("添加文件夹到工作区…", self.add_workspace_folder, None, menu=m_file)
        self.act_close_workspace = self._action("关闭工作区", self.close_workspace, None, menu=m_file)
        m_file.addSeparator()
        self.act_export = self._action("导出Excel…", self.export, "Ctrl+E", menu=m_file,
                                       tip="导出基础数据表、自评表、共性指标、问题清单和修改记录")
        self.act_save_as = self._action("审核记录另存为…", self.save_case_as, None, menu=m_file)
        self.act_close = self._action("关闭审核", self.close_case_interactive, QKeySequence.StandardKey.Close,
                                      menu=m_file)
        m_file.addSeparator()
        self.act_prefs = self._action("首选项…", self.edit_preferences, None, menu=m_file)
        m_file.addSeparator()
        self._action("退出", self.close, QKeySequence.StandardKey.Quit, menu=m_file)

        m_edit = mb.addMenu("编辑(&E)")
        self.act_undo = self._action("撤销", self.undo, QKeySequence.StandardKey.Undo, menu=m_edit)
        self.act_redo = self._action("重做", self.redo, ["Ctrl+Y", "Ctrl+Shift+Z"], menu=m_edit)
        m_edit.addSeparator()
        self.act_edit_value = self._action("修改选中的值", self.edit_current_value, "F2", menu=m_edit)
        self.act_manual = self._action("手工录入数值…", self.start_manual_entry, "Ctrl+M", menu=m_edit,
                                       tip="扫描件没有文字层时：在页面上框出数值，选择字段并输入数值")
        self.act_find = self._action("在文件中查找…", self.documents.open_search, QKeySequence.StandardKey.Find,
                                     menu=m_edit)
        m_edit.addSeparator()
        self._action("首选项…", self.edit_preferences, None, menu=m_edit)

        m_view = mb.addMenu("查看(&V)")
        self._action("放大", self.documents.view.zoom_in, ["Ctrl++", "Ctrl+="], menu=m_view)
        self._action("缩小", self.documents.view.zoom_out, "Ctrl+-", menu=m_view)
        self._action("适合宽度", self.documents.view.fit_width, "Ctrl+0", menu=m_view)
        self._action("显示/隐藏页面列表", self.documents.toggle_page_list, None, menu=m_view)

        m_find = mb.addMenu("问题(&P)")
        self.act_next = self._action("下一条未处理的问题", lambda: self.next_finding(1), "F8", menu=m_find)
        self.act_prev = self._action("上一条未处理的问题", lambda: self.next_finding(-1), "Shift+F8", menu=m_find)
        m_find.addSeparator()
        self.act_verify = self._action("标记为已核实…", lambda: self._decide_current(VERIFIED), "Ctrl+1",
                                       menu=m_find)
        self.act_na = self._action("标记为不适用…", lambda: self._decide_current(NOT_APPLICABLE), "Ctrl+2",
                                   menu=m_find)
        self.act_reopen = self._action("重新打开", lambda: self._decide_current(REOPENED), "Ctrl+3", menu=m_find)
        m_find.addSeparator()
        self._action("问题的下一处位置", lambda: self.documents.step_location(1), "Alt+Right", menu=m_find)
        self._action("问题的上一处位置", lambda: self.documents.step_location(-1), "Alt+Left", menu=m_find)

        self.workspace_button = QPushButton("◀ 部门列表（F9）")
        self.workspace_button.setObjectName("workspaceButton")
        self.workspace_button.setFlat(True)
        self.workspace_button.setToolTip("回到工作区的部门列表；正在审核的部门保持打开，再按 F9 回来")
        self.workspace_button.clicked.connect(self.toggle_workspace)
        self.workspace_button.hide()
        mb.setCornerWidget(self.workspace_button, Qt.Corner.TopRightCorner)

        m_help = mb.addMenu("帮助(&H)")
        self._action("快捷键", self.show_shortcuts, "F1", menu=m_help)
        self._action("关于", self.show_about, None, menu=m_help)

    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.progress = ProgressStrip()
        self.progress.cancel.clicked.connect(self.cancel_operation)
        sb.addPermanentWidget(self.progress)
        self.case_label = QLabel("")
        self.counts_label = QLabel("")
        self.save_label = QLabel("")
        for w in (self.case_label, self.counts_label, self.save_label):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)

    # == layout memory ==============================================================================
    def _splitters(self) -> dict[str, QSplitter]:
        return {"main_splitter": self.main_splitter, "right_splitter": self.right,
                "document_splitter": self.documents.splitter, "field_splitter": self.fields.splitter}

    def _restore_layout(self) -> None:
        geometry = self.settings.layout_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 900)
        state = self.settings.layout_state("state")
        if state is not None:
            self.restoreState(state)
        for name, splitter in self._splitters().items():
            s = self.settings.layout_state(name)
            if s is not None:
                splitter.restoreState(s)

    def _save_layout(self) -> None:
        self.settings.set_layout_state("geometry", self.saveGeometry())
        self.settings.set_layout_state("state", self.saveState())
        for name, splitter in self._splitters().items():
            self.settings.set_layout_state(name, splitter.saveState())
        self.settings.sync()

    # == starting ===================================================================================
    def start(self, paths: list[str]) -> None:
        """What ``run`` does after showing the window: open ``paths``, or offer a review to recover, or
        reopen the last workspace (its list, with the statuses) or else the last case; ask the reviewer's name
        the first time."""
        if not self.settings.reviewer and not self.settings.reviewer_asked:
            QTimer.singleShot(0, lambda: self.ask_reviewer(first_time=True))
        from core.review.store import recover_candidates

        try:
            candidates = recover_candidates(self.store_dir)
        except OSError:
            candidates = []
        last_ws = self.settings.last_workspace
        reopen_ws = not paths and bool(last_ws) and Path(last_ws).is_dir()
        if paths:
            self.open_paths(paths)
        if reopen_ws:
            self.open_workspace(last_ws, show=False)
        if candidates:
            self._offer_recovery(candidates)
        elif not paths and not reopen_ws and self.settings.last_case and Path(self.settings.last_case).exists():
            self.open_case_file(self.settings.last_case)

    def _offer_recovery(self, candidates: list) -> None:
        c = candidates[0]
        more = f"（另有{len(candidates) - 1}个）" if len(candidates) > 1 else ""
        when = _short(c.modified)
        banner = self.banners.show_banner(
            f"上次的审核“{c.title}”（最后修改于{when}）没有正常关闭{more}。所有修改都已保存，可以继续。",
            "warning", key="recover")
        banner.add_button("恢复上次未完成的审核", lambda p=str(c.path): self.open_case_file(p))
        self._recovery_path = str(c.path)

    def ask_reviewer(self, first_time: bool = False) -> bool:
        self._reviewer_asked_now = True
        self.settings.reviewer_asked = True
        answer = self.prompts.preferences(self.settings.reviewer, self.settings.export_dir,
                                          first_time=first_time)
        if answer is None:
            return False
        name, export_dir = answer
        self.settings.reviewer = name
        self.settings.export_dir = export_dir
        if self.session is not None and name:
            self.session.reviewer = name
        return bool(name)

    def edit_preferences(self) -> None:
        self.ask_reviewer(first_time=False)

    # == opening ====================================================================================
    def choose_files(self) -> None:
        files = self.prompts.open_files(self.settings.last_open_dir)
        if files:
            self.settings.last_open_dir = str(Path(files[0]).parent)
            self.open_paths(files)

    def choose_folder(self) -> None:
        folder = self.prompts.open_folder(self.settings.last_open_dir)
        if folder:
            self.settings.last_open_dir = str(Path(folder).parent)
            self.open_paths([folder])

    def open_paths(self, paths: list[str | Path], *, fresh: bool = False, retry: bool = False,
                   store_dir: Path | None = None, case_path: Path | None = None, cached=None,
                   ws_case: str | None = None) -> None:
        """Open files and folders as ONE case: the first page appears at once, the review (new or
        restored) when the background job is done.  ``retry``: the same files again with the passwords
        just typed (and the same store).  ``store_dir`` / ``case_path`` / ``cached`` / ``ws_case``: a
        workspace case (see ``open_workspace_case``)."""
        from core.pipeline import collect_inputs

        paths = [os.path.abspath(str(p)) for p in paths]
        files, problems = collect_inputs(paths)
        if not files:
            reasons = "\n".join(f"{Path(p['path']).name}：{p['message']}" for p in problems) or "没有找到PDF文件"
            self.prompts.error("无法打开", f"没有可以打开的PDF文件。\n\n{reasons}")
            return
        if not self.close_case():
            return
        if not retry:
            self._asked_passwords = {}
            self._open_kwargs = {"store_dir": store_dir, "case_path": case_path, "cached": cached,
                                 "ws_case": ws_case}
        opts = self._open_kwargs
        self._inputs = paths
        self.stack.setCurrentWidget(self.main_splitter)
        self.documents.set_documents([(doc_key(f), str(f), f.name, {}) for f in files])
        for f in files:  # a password given earlier for this file (a retry) also opens its pages
            if str(f) in self._passwords:
                self.documents.view.set_password(doc_key(f), self._passwords[str(f)])
        self.setWindowTitle(f"正在打开… — {APP_TITLE}")
        self.fields.card.show_waiting()
        self._start_open(Operation(open_job([str(f) for f in files], opts.get("store_dir") or self.store_dir,
                                            self.recheck, passwords=dict(self._passwords), fresh=fresh,
                                            case_path=opts.get("case_path"), cached=opts.get("cached")),
                                   "打开材料"))

    def open_case_file(self, path: str | Path) -> None:
        """Reopen a saved review (recent list, recovery)."""
        path = Path(path)
        if not path.exists():
            self.prompts.error("无法打开", f"审核记录文件不存在：{path}")
            self.settings.remove_recent_case(path)
            self.welcome.set_recent(self.settings.recent_cases())
            return
        if not self.close_case():
            return
        self._inputs = []
        self._open_kwargs = {}
        self.stack.setCurrentWidget(self.main_splitter)
        self.setWindowTitle(f"正在打开… — {APP_TITLE}")
        self._start_open(Operation(open_case_file_job(path, self.recheck), "打开审核记录"))

    def _start_open(self, op: Operation) -> None:
        if self._open_op is not None:
            self._open_op.cancel()
        self._open_op = op
        op.progressed.connect(self._on_progress)
        op.succeeded.connect(lambda result, op=op: self._on_opened(op, result))
        op.failed.connect(lambda error, op=op: self._on_open_failed(op, error))
        op.cancelled.connect(lambda op=op: self._on_open_cancelled(op))
        op.finished.connect(lambda op=op: self._on_op_finished(op))
        self.progress.set_progress(op.title, 0, 0)
        self.progress.show()
        self._start_after_first_page(op)

    FIRST_PAGE_HEAD_START_MS = 250
    """The reading job waits this long at most for page 1 to be drawn: Python threads share one interpreter,
    and a reading job that starts at once slows the first page several-fold (0.1 s → 0.8 s on a 2-core PC)."""

    def _start_after_first_page(self, op: Operation) -> None:
        """Start ``op`` once page 1 of the documents is on screen, or after a short head start at most."""
        view = self.documents.view
        started = {"done": False}

        def go(*_args) -> None:
            if started["done"]:
                return
            started["done"] = True
            try:
                view.page_shown.disconnect(on_shown)
            except (RuntimeError, TypeError):
                pass
            if self._open_op is op and not op.started:
                op.start()

        def on_shown(_key: str, page: int) -> None:
            if page == 1:
                go()

        view.page_shown.connect(on_shown)
        QTimer.singleShot(self.FIRST_PAGE_HEAD_START_MS, go)

    def cancel_operation(self) -> None:
        for op in (self._open_op, self._export_op, self._ws_op):
            if op is not None and op.running:
                op.cancel()
        op = self._open_op
        if op is not None and not op.started:
            op.cancel()  # still waiting for page 1: start it now so it stops the usual way (signals and all)
            op.start()
        self.progress.label.setText("正在取消…")

    def _on_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.set_progress(stage, done, total)

    def _on_op_finished(self, op: Operation) -> None:
        if op is self._open_op:
            self._open_op = None
        if op is self._export_op:
            self._export_op = None
        if op is self._ws_op:
            self._ws_op = None
            self.workspace_panel.set_busy(False)
            self._update_actions()
        if self._open_op is None and self._export_op is None and self._ws_op is None:
            self.progress.hide()

    def _on_open_cancelled(self, op: Operation) -> None:
        if op is not self._open_op:
            return
        self.statusBar().showMessage("已取消打开", 5000)
        self._back_to_welcome()
        self.open_finished.emit()

    def _on_open_failed(self, op: Operation, error: BaseException) -> None:
        if op is not self._open_op:
            return
        from core.pipeline import NoInput

        if isinstance(error, NoInput):
            if self._ask_passwords(error.problems):
                self._retry_open()
                return
            lines = "\n".join(f"{Path(p.get('path', '')).name}：{p.get('message', '')}"
                              for p in error.problems)
            self.prompts.error("无法打开", f"没有能读取的文件。\n\n{lines}")
        elif isinstance(error, DocumentError):
            self.prompts.error("无法打开", f"{Path(error.path).name}：{error.reason}")
        else:
            self.prompts.error("无法打开", "打开时出现意外错误，材料未能读取。请把下面的详细信息发给技术支持。",
                               details=getattr(error, "__traceback_text__", repr(error)))
        self._back_to_welcome()
        self.open_finished.emit()

    def _back_to_welcome(self) -> None:
        """No review in place: back to the workspace's list when one is open, else the start page."""
        if self.session is None:
            self.documents.clear()
            self.welcome.set_recent(self.settings.recent_cases())
            if self.workspace is not None:
                self.show_workspace()
                return
            self.stack.setCurrentWidget(self.welcome)
            self.setWindowTitle(APP_TITLE)

    MAX_PASSWORD_TRIES = 3

    def _ask_passwords(self, problems: list[dict]) -> bool:
        """Ask for the password of each encrypted file (again, saying it was wrong, up to three times;
        never again once the reviewer skipped the file).  True when a password was given."""
        given = False
        for p in problems:
            if p.get("code") != "encrypted":
                continue
            path = str(p.get("path", ""))
            tries = self._asked_passwords.get(path, 0)
            if tries >= self.MAX_PASSWORD_TRIES:
                continue
            pw = self.prompts.password(path, tries > 0)
            if pw:
                self._asked_passwords[path] = tries + 1
                self._passwords[path] = pw
                given = True
            else:
                self._asked_passwords[path] = self.MAX_PASSWORD_TRIES
        return given

    def _retry_open(self) -> None:
        inputs = list(self._inputs)
        self._open_op = None
        self.open_paths(inputs, retry=True)

    def _reopen_fresh(self, sources: list[str]) -> None:
        """Read changed sources again as a new review, in the same store (a workspace case stays one)."""
        ws_case = self._ws_case_id
        if ws_case is not None and self.workspace is not None:
            self.open_paths(sources, fresh=True, store_dir=self.workspace.review_dir, ws_case=ws_case)
        else:
            self.open_paths(sources, fresh=True)

    def _on_opened(self, op: Operation, result: OpenResult) -> None:
        if op is not self._open_op:
            return
        if self._ask_passwords(result.unreadable):
            self._retry_open()
            return
        self._install(result)
        self.open_finished.emit()

    # == a review in place ==========================================================================
    def _install(self, result: OpenResult) -> None:
        session = result.session
        if self.settings.reviewer:
            session.reviewer = self.settings.reviewer
        self.session = session
        self.bridge = SessionBridge(session, result.case_path, save_now=not result.restored, parent=self)
        case = session.case
        self._doc_names = DocNames(case.documents)
        self.fields_model = FieldsModel(session, corrector=self._model_correct, parent=self)
        self.fields_model.entry_refused.connect(self._on_entry_refused)
        self.indicators_model = IndicatorsModel(case.indicators, case.documents, parent=self)
        self.findings_model = FindingsModel(session, _check_names(), parent=self)
        self.fields.set_models(self.fields_model, self.indicators_model)
        self.fields.card.show_field(None, None)  # no longer "正在读取…"
        self.findings.set_model(self.findings_model)
        self.bridge.changed.connect(self._on_changed)
        self.bridge.saved.connect(self._on_saved)
        self.bridge.save_failed.connect(self._on_save_failed)
        self.bridge.start()

        self._doc_keys = {d.id: doc_key(d.path) for d in case.documents}
        docs = []
        for d in case.documents:
            labels: dict[int, list[str]] = {}
            for kind, pages in d.kinds.items():
                for p in pages:
                    labels.setdefault(p, []).append(kind)
            docs.append((self._doc_keys[d.id], d.path, Path(d.path).name,
                         {p: "、".join(k) for p, k in labels.items()}))
        self.documents.set_documents(docs)
        for d in case.documents:
            if d.path in self._passwords:
                self.documents.view.set_password(self._doc_keys[d.id], self._passwords[d.path])

        self._announce(result)
        if result.text is not None:
            self._set_text_index(result.text)
        else:
            self._read_text(result)

        title = self.case_title()
        sources = [d.path for d in case.documents]
        self.settings.add_recent_case(result.case_path, title, sources)
        self.settings.last_case = str(result.case_path)
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self.case_label.setText(title)
        self.case_label.setToolTip("\n".join(sources))
        if result.restored:
            n = sum(1 for f in case.fields if session.is_corrected(f.id))
            m = len(session.decisions.current())
            self.statusBar().showMessage(f"已恢复上次的审核：{n}处修改，{m}条问题已处理", 8000)
            self.save_label.setText(f"审核记录：{_short(session.logs.modified)}")
        rec = self._recovery_path
        if rec and Path(rec) == Path(result.case_path):
            self.banners.remove("recover")
        self._ws_case_id = self._workspace_case_of(result.case_path, self._open_kwargs.get("ws_case"))
        self.workspace_panel.set_review_open(title)
        if self._ws_case_id is not None:
            self.workspace_panel.select_case(self._ws_case_id)
            self._ws_refresh.start()
        if self.fields_model.rowCount() == 0:
            self.fields.card.show_hint(
                "没有提取到字段",
                "材料中没有可读取的文字（扫描件）或没有识别出的表格。可以对照左侧的页面图像手工录入数值："
                "按 Ctrl+M 或点上方“手工录入…”，在页面上框出数值，再选择字段、输入数值。")
        self._update_counts()
        self._update_actions()
        self.fields.tree.setFocus()
        self.case_opened.emit()

    def _announce(self, result: OpenResult) -> None:
        """Banners for what the reviewer must know about this case's files."""
        changed = [s for s in result.sources if s.status == "changed"]
        missing = [s for s in result.sources if s.status == "missing"]
        if changed and result.restored:
            names = "、".join(Path(s.path).name for s in changed)
            b = self.banners.show_banner(
                f"源文件自上次审核后已被修改：{names}。审核记录中的数值仍是上次读取的，未重新读取；"
                f"页面显示的是现在的文件，框线位置可能不准。", "warning", key="changed")
            sources = [s.path for s in result.sources if s.status != "missing"]
            b.add_button("重新读取（新建审核）", lambda: self._reopen_fresh(sources))
        if missing:
            names = "、".join(s.path for s in missing)
            self.banners.show_banner(f"找不到源文件：{names}（可能已移动或删除）。审核记录仍可查看、修改和导出。",
                                     "warning", key="missing")
        bad = [p for p in result.unreadable if p.get("code") != "duplicate"]
        dup = [p for p in result.unreadable if p.get("code") == "duplicate"]
        if bad:
            lines = "；".join(f"{Path(p.get('path', '')).name}：{p.get('message', '')}" for p in bad)
            self.banners.show_banner(f"有{len(bad)}个文件未能读取，已跳过：{lines}", "error", key="unreadable")
        if dup:
            lines = "；".join(f"{Path(p.get('path', '')).name}{p.get('message', '')}" for p in dup)
            self.banners.show_banner(lines, "info", key="duplicate")
        notes = []
        scanned = []
        for d in self.session.case.documents:
            for prob in d.problems:
                line = f"{Path(d.path).name}：{prob.get('message', '')}"
                (scanned if prob.get("code") in SCANNED_CODES else notes).append(line)
        if scanned:
            b = self.banners.show_banner("；".join(scanned[:3]) + ("……" if len(scanned) > 3 else "") + "。",
                                         "warning", key="scanned")
            b.add_button("手工录入数值…（Ctrl+M）", self.start_manual_entry, dismiss=False)
        if notes:
            text = "；".join(notes[:4]) + ("……" if len(notes) > 4 else "")
            self.banners.show_banner(text, "info", key="problems")
        if result.damaged_case:
            self.banners.show_banner(
                f"原有的审核记录无法读取（已损坏），已另存为 {Path(result.damaged_case).name}，现重新开始审核。",
                "error", key="damaged")

    def _read_text(self, result: OpenResult) -> None:
        ok = {s.doc_id for s in result.sources if s.status == "ok"}
        docs = [(d.id, d.path) for d in self.session.case.documents if d.id in ok]
        self._set_text_index(None, "正在准备文字检索…")
        if not docs:
            self._set_text_index(None, "源文件不可用，无法查找")
            return
        op = Operation(text_index_job(docs, dict(self._passwords)), "准备文字检索")
        self._text_op = op
        session = self.session
        op.succeeded.connect(
            lambda index, s=session: self._set_text_index(index) if s is self.session else None)
        op.failed.connect(lambda e: self._set_text_index(None, "无法读取文字，不能查找"))
        op.start()

    def _set_text_index(self, index, unavailable: str = "") -> None:
        self._text_index = index
        if index is None:
            self.documents.set_search(None, unavailable)
            return
        order = [d.id for d in self.session.case.documents] if self.session else None

        def search(query: str) -> list[Box]:
            return [Box(self._doc_keys.get(h.doc, h.doc), h.page, h.bbox) for h in index.search(query, order)]

        self.documents.set_search(search)
        self.text_ready.emit()

    def case_title(self) -> str:
        if self.session is None:
            return ""
        case = self.session.case
        for d in case.documents:
            if d.unit_name:
                return d.unit_name
        for f in case.fields:
            if f.key.endswith("unit_name") and isinstance(f.value, str) and f.value:
                return f.value
        return Path(case.documents[0].path).stem if case.documents else "未命名"

    def close_case(self) -> bool:
        """Close the review in place (saved, marked closed).  False if the reviewer chose to keep it open
        because it could not be saved."""
        if self._open_op is not None:
            self._open_op.cancel()
            self._open_op = None
        if self._text_op is not None:
            self._text_op.cancel()
            self._text_op = None
        if self.bridge is not None:
            reason = self.bridge.close()
            if reason and not self._closing:
                if self.prompts.confirm("无法保存审核记录", f"{reason}。\n\n是否另存到其他位置？", "另存为…", "不保存，关闭"):
                    if not self.save_case_as():
                        return False
            self.bridge.deleteLater()
        if self._ws_case_id is not None:
            self._ws_refresh.stop()
            self._refresh_workspace_case()  # the counts of the review as it was closed
        self._ws_case_id = None
        self.workspace_panel.set_review_open("")
        self.bridge = None
        self.session = None
        self.fields.clear()
        self.findings.clear()
        self.fields_model = self.findings_model = self.indicators_model = None
        self.documents.clear()
        for b in self.banners.banners():
            if not b.key.startswith("ws_"):  # the workspace's own banners outlive a case
                b.dismiss()
        self._doc_keys = {}
        self._text_index = None
        self.case_label.setText("")
        self.counts_label.setText("")
        self.save_label.setText("")
        self.setWindowTitle(APP_TITLE)
        self._update_actions()
        return True

    def close_case_interactive(self) -> None:
        if self.close_case():
            self._back_to_welcome()

    def save_case_as(self) -> bool:
        if self.bridge is None:
            return False
        path = self.prompts.save_case_as(str(Path.home() / f"{self.case_title()}.case.json"))
        if not path:
            return False
        try:
            self.bridge.save_as(path)
        except OutputError as e:
            self.prompts.error("无法保存", e.reason)
            return False
        self.banners.remove("save_failed")
        self.statusBar().showMessage(f"审核记录已保存到 {path}", 8000)
        return True

    # == provenance =================================================================================
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
        if self.session is None:
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

    # == correcting =================================================================================
    def _validate_entry(self, fid: str, text: str) -> str | None:
        if self.session is None:
            return "没有打开的审核"
        try:
            parse_entry(self.session.field(fid), text)
        except InvalidEntry as e:
            return e.reason
        return None

    def _model_correct(self, fid: str, text: str) -> None:
        self.correct(fid, text, "", raise_invalid=True)

    def _on_card_correction(self, fid: str, text: str, reason: str) -> None:
        if self.correct(fid, text, reason):
            self.fields.card.reason.clear()

    def correct(self, fid: str, text: str, reason: str = "", *, raise_invalid: bool = False) -> bool:
        """Correct a field through the session; a refused entry shows its reason in the status bar."""
        if self.session is None:
            return False
        self._ensure_reviewer()
        fld = self.session.field(fid)
        before = fld.raw
        try:
            change = self.session.correct(fid, text, reason)
        except InvalidEntry as e:
            if raise_invalid:
                raise
            self._on_entry_refused(fid, e.reason)
            return False
        if reason:
            self.settings.add_reason(reason)
            self.fields.card.set_reason_completions(self.settings.recent_reasons())
        if change:
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
            fld = self.session.field(fid)
            label = f"“{fld.label or fld.key}”"
        self.statusBar().showMessage(f"未修改{label}：{reason}", 8000)

    def _ensure_reviewer(self) -> None:
        if not self.settings.reviewer and not self._reviewer_asked_now:
            self.ask_reviewer(first_time=True)

    def edit_current_value(self) -> None:
        if not self.fields.edit_current():
            self.statusBar().showMessage("请先在字段列表中选择一个字段", 4000)

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
        fld = self.session.field(fid)
        what = "手工录入" if fid in change.fields_added else ""
        self.statusBar().showMessage(f"{verb}{what}：“{fld.label or fld.key}”现为 "
                                     f"{format_value(fld.value) or '（空）'}", 6000)
        self.fields.select_field(fid)

    # == values entered by hand =======================================================================
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
        self._next_manual_key = _key_after(answer.key)
        (fid,) = change.fields_added
        fld = self.session.field(fid)
        self.fields.select_field(fid)
        unit = fld.unit if fld.unit else ""
        self.statusBar().showMessage(f"已录入“{fld.label or fld.key}”：{format_value(fld.value)}{unit}"
                                     f"（Ctrl+Z 撤销；Ctrl+M 继续录入）", 8000)
        self.manual_entry_finished.emit(fid)
        return fid

    # == deciding ===================================================================================
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

    # == changes ====================================================================================
    def _on_changed(self, change) -> None:
        if self.fields_model is not None:
            self.fields_model.apply_change(change)
        if self.findings_model is not None:
            self.findings_model.apply_change(change)
        fid = self.fields.card.field_id
        if fid is not None and self.session is not None:
            if fid in getattr(change, "fields_removed", ()):
                self.fields.card.show_field(None, None)
                self.documents.clear_box()
            else:
                self.fields.card.show_field(self.session, fid, self._doc_names)
        fp = self.findings.current_fingerprint()
        if fp and touches_findings(change) and fp in (change.findings_changed | change.findings_removed):
            if fp in change.findings_removed:
                self.documents.clear_locations()
            elif self.documents.locations:
                self.show_finding(fp)
        self._update_counts()
        self._update_actions()

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

    def _update_actions(self) -> None:
        # the review's keys act on the review only while it is on screen (not behind the workspace's list)
        has = self.session is not None and self.stack.currentWidget() is self.main_splitter
        for a in (self.act_export, self.act_save_as, self.act_close, self.act_edit_value, self.act_next,
                  self.act_prev, self.act_verify, self.act_na, self.act_reopen, self.act_manual):
            a.setEnabled(has)
        ws = self.workspace is not None
        idle = self._ws_op is None
        on_review = self.stack.currentWidget() is self.main_splitter
        self.workspace_button.setVisible(ws and on_review)
        self.act_workspace.setEnabled(ws or self.session is not None)
        self.act_add_folder.setEnabled(ws and idle)
        self.act_close_workspace.setEnabled(ws and idle)
        self.act_open_workspace.setEnabled(idle)
        self.act_undo.setEnabled(has and self.session.can_undo)
        self.act_redo.setEnabled(has and self.session.can_redo)
        if not has:
            self.act_undo.setText("撤销")
            self.act_redo.setText("重做")
            return
        self.act_undo.setText(self._undo_text("撤销", self.session.corrections.next_undo() if has else None))
        self.act_redo.setText(self._undo_text("重做", self.session.corrections.next_redo() if has else None))

    def _undo_text(self, verb: str, record) -> str:
        if record is None or self.session is None:
            return verb
        what = "手工录入" if record.kind == "add" else "修改"
        return f"{verb}{what}“{self._record_label(record)[:16]}”"

    def _record_label(self, record) -> str:
        """The name of the field a correction record is about, even when the field is not in the case (a
        value entered by hand and undone)."""
        try:
            fld = self.session.field(record.field_id)
            return fld.label or fld.key
        except (KeyError, AttributeError):
            definition = getattr(record, "field", None) or {}
            if not definition and self.session is not None:
                added = self.session.corrections.added().get(record.field_id)
                definition = (added.field if added is not None else None) or {}
            return str(definition.get("label") or record.key)

    # == the district workspace =====================================================================
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
            entry = ws.case(case_id)
        except KeyError:
            return
        if self.session is not None and self._ws_case_id == case_id:
            self.show_review()
            return
        files = [p for p in entry.files if Path(p).exists()]
        if not files:
            self.prompts.error("无法打开", f"“{entry.name}”：{entry.problem or '没有可打开的PDF文件'}")
            return
        cached = None
        if not entry.has_review:
            cached = lambda ws=ws, cid=case_id: ws.cached_case(cid)  # noqa: E731 - read in the job
        self.open_paths([str(p) for p in files], store_dir=ws.review_dir, case_path=entry.case_file,
                        cached=cached, ws_case=case_id)

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
        try:
            entry = ws.set_status(case_id, status, reviewer=self.settings.reviewer or None)
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

    # == export =====================================================================================
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
                                corrections=export_records(s.corrections.records),
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

    # == files from outside =========================================================================
    def _on_view_open_failed(self, key: str, code: str, reason: str) -> None:
        # the page view cannot show a file; extraction reports its own problems, so only note it
        if code == "encrypted" and self.session is None and self._open_op is not None:
            return  # the open job asks for the password, and the pages follow
        if code == "encrypted" and self.session is not None and key not in self._asked_view_passwords:
            # a review reopened from its case file: the password is not kept on disk, ask to show the pages
            self._asked_view_passwords.add(key)
            path = next((d.path for d in self.session.case.documents if self._doc_keys.get(d.id) == key), key)
            pw = self.prompts.password(path, False)
            if pw:
                self._passwords[path] = pw
                self.documents.view.set_password(key, pw)
                return
        self.statusBar().showMessage(f"{Path(key).name}：{reason}", 8000)

    def dragEnterEvent(self, event) -> None:
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if _local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = _local_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            QTimer.singleShot(0, lambda: self.open_paths(paths))

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        items = [x for x in self.settings.recent_cases() if Path(x["path"]).exists()]
        if not items:
            a = self.recent_menu.addAction("（无）")
            a.setEnabled(False)
            return
        for n, it in enumerate(items, 1):
            a = self.recent_menu.addAction(f"&{n % 10} {it.get('title') or Path(it['path']).name}")
            a.setToolTip("\n".join(it.get("sources", [])))
            a.triggered.connect(lambda _=False, p=it["path"]: self.open_case_file(p))
        self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("清除列表")
        clear.triggered.connect(self._clear_recent)

    def _clear_recent(self) -> None:
        self.settings.clear_recent_cases()
        self.welcome.set_recent([])

    # == help =======================================================================================
    def show_shortcuts(self) -> None:
        text = (
            "打开文件　Ctrl+O　　打开文件夹　Ctrl+Shift+O　　导出Excel　Ctrl+E\n"
            "修改选中的值　F2 或 回车（回车确认，Esc取消）\n"
            "撤销　Ctrl+Z　　重做　Ctrl+Y\n"
            "下一条/上一条未处理的问题　F8 / Shift+F8\n"
            "标记已核实　Ctrl+1　　标记不适用　Ctrl+2　　重新打开　Ctrl+3\n"
            "问题的下一处/上一处位置　Alt+→ / Alt+←（页面上也可用 Tab / Shift+Tab）\n"
            "查找　Ctrl+F　　放大/缩小　Ctrl++ / Ctrl+-（或 Ctrl+滚轮）　　适合宽度　Ctrl+0\n"
            "手工录入数值（扫描件）　Ctrl+M：在页面上框出数值，再选择字段、输入数值\n"
            "工作区（部门列表）↔ 当前审核　F9　　部门状态 未审/审核中/已完成　Alt+1 / Alt+2 / Alt+3"
        )
        QMessageBox.information(self, "快捷键", text)

    def show_about(self) -> None:
        from core import __version__

        QMessageBox.about(self, "关于", f"部门整体支出绩效自评材料审核工具\n版本 {__version__}\n\n"
                                       "所有数据只保存在本机，不联网。")

    # == closing ====================================================================================
    def closeEvent(self, event) -> None:
        self._save_layout()
        if self.bridge is not None and self.bridge.autosaver is not None and self.bridge.autosaver.last_error:
            reason = self.bridge.autosaver.last_error.reason
            if self.prompts.confirm("审核记录未能保存", f"{reason}。\n\n要另存到其他位置吗？不保存则最近的修改将丢失。",
                                    "另存为…", "不保存，退出") and not self.save_case_as():
                event.ignore()
                return
        self._closing = True
        self.close_case()
        Operation.cancel_all()
        self.renderer.shutdown()
        super().closeEvent(event)


# -- helpers -----------------------------------------------------------------------------------------------

def _key_after(key: str) -> str:
    """The catalogue key after ``key`` (a reviewer entering a 基础数据表 by hand goes row by row), "" at the
    end."""
    from ui.field_catalogue import load_catalogue

    keys = [e.key for e in load_catalogue()]
    try:
        i = keys.index(key)
    except ValueError:
        return ""
    return keys[i + 1] if i + 1 < len(keys) else ""


def _local_paths(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p]


def _short(stamp: str) -> str:
    try:
        t = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return stamp or ""
    return f"{t.month}月{t.day}日 {t:%H:%M}"


_CHECK_NAMES: dict[str, str] | None = None


def _check_names() -> dict[str, str]:
    """Chinese names of the registered checks (first line of a check's docstring when it is Chinese)."""
    global _CHECK_NAMES
    if _CHECK_NAMES is not None:
        return _CHECK_NAMES
    names: dict[str, str] = {}
    try:
        from core.checks.registry import all_checks

        for info in all_checks():
            first = (info.rule.splitlines() or [""])[0].strip()
            if re.search(r"[\u4e00-\u9fff]", first):
                name = re.split(r"[。；;:：]", first)[0]
                names[info.id] = name if len(name) <= 30 else name[:29] + "…"
    except Exception:  # noqa: BLE001 - a broken check module must not stop the window
        log.exception("check names unavailable")
    _CHECK_NAMES = names
    return names

