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

Where things are: this module builds the widgets, the menus and keys, the status bar and the layout memory,
and wires them together; the behaviour lives in ``ui/window/``, one mixin per responsibility (``opening``,
``correcting``, ``navigation`` of findings and decisions, ``workspace``, ``export``).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from core.review.corrections import CONFIRMED, EXCLUDED, REOPENED
from ui import style
from ui.dialogs.prompts import Prompts
from ui.dialogs.review_history import show_review_history
from ui.models.common import DocNames
from ui.models.fields_model import FieldsModel
from ui.models.findings_model import FindingsModel
from ui.models.indicators_model import IndicatorsModel
from ui.operations import Operation
from ui.rendering import PageRenderer
from ui.review_bridge import SessionBridge
from ui.settings import Settings, cases_dir
from ui.widgets.banner import BannerArea
from ui.widgets.coverage_panel import CoveragePanel
from ui.widgets.document_panel import DocumentPanel
from ui.widgets.field_panel import FieldPanel
from ui.widgets.findings_panel import FindingsPanel
from ui.widgets.welcome import WelcomePage
from ui.widgets.workspace_panel import WorkspacePanel
from ui.window.common import APP_TITLE, SCANNED_CODES, doc_key  # noqa: F401 - public names
from ui.window.correcting import CorrectingMixin
from ui.window.coverage import CoverageMixin
from ui.window.district import DistrictMixin
from ui.window.export import ExportMixin
from ui.window.navigation import NavigationMixin
from ui.window.opening import OpeningMixin
from ui.window.workspace import WorkspaceMixin
from ui.workspace_bridge import WorkspaceBridge

log = logging.getLogger(__name__)

__all__ = ["APP_TITLE", "MainWindow", "ProgressStrip", "SCANNED_CODES", "doc_key"]


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


class MainWindow(OpeningMixin, CorrectingMixin, NavigationMixin, WorkspaceMixin, ExportMixin, DistrictMixin,
                 CoverageMixin, QMainWindow):
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
    district_compared = Signal()  # a workspace case compared with the district's others (core.copies)
    manual_entry_finished = Signal(str)

    def __init__(self, settings: Settings | None = None, *, recheck: Callable | None = None,
                 store_dir: Path | None = None, prompts: Prompts | None = None) -> None:
        super().__init__()
        if recheck is None:
            from core.pipeline import recheck as pipeline_recheck

            recheck = pipeline_recheck
        self.settings = settings or Settings()
        self._district_base_recheck = recheck
        self.recheck = self.recheck_with_district  # the district's rules first (ui.window.district)
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
        self._printed_unit = ""  # the unit's name read from the documents' text when nothing else names it
        self._loop_item: tuple[str, str] | None = None  # the review loop's current item (ui.window.navigation)
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
        self.load_district(refresh=False)

    def _build(self) -> None:
        self.banners = BannerArea()
        self.documents = DocumentPanel(self.renderer)
        self.fields = FieldPanel(self._validate_entry)
        self.findings = FindingsPanel()
        self.coverage_panel = CoveragePanel()
        # the findings and, beside them, the coverage list: which checks ran, which could not (issue 20)
        self.review_tabs = QTabWidget()
        self.review_tabs.setObjectName("reviewTabs")
        self.review_tabs.setDocumentMode(True)
        self.review_tabs.addTab(self.findings, "问题")
        self.review_tabs.addTab(self.coverage_panel, "检查覆盖")
        self.welcome = WelcomePage()
        self.workspace_panel = WorkspacePanel()

        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.setObjectName("rightSplitter")
        self.right.addWidget(self.fields)
        self.right.addWidget(self.review_tabs)
        self.right.setStretchFactor(0, 1)
        self.right.setStretchFactor(1, 1)
        self.right.setSizes([450, 550])  # the findings (30–55 in a package) get the larger half
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
        self.findings.decision_requested.connect(
            lambda fps, status: self.decide(fps, status, advance=status != REOPENED))
        self.findings.step_requested.connect(self.next_finding)
        self.coverage_panel.check_selected.connect(self.show_check)
        self.coverage_panel.verdict_requested.connect(
            lambda cid, status: self.give_check_verdict(cid, status, advance=bool(status)))
        self.fields.delegate.advance.connect(lambda: self.next_item(1))
        self.fields.indicator_delegate.advance.connect(lambda: self.next_item(1))
        self.documents.open_failed.connect(self._on_view_open_failed)
        self.fields.set_reason_completions(self.settings.recent_reasons())

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
        self.act_review_history = self._action("审核记录历史…", lambda: show_review_history(self), None, menu=m_file,
                                               tip="这个部门保存过的审核记录（被替换时自动保留），可恢复较早的一份")
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
        self.act_restore_zoom = self._action(
            "回到原来的缩放", self.restore_zoom, ["Ctrl+9", "Ctrl+Backspace"], menu=m_view,
            tip="选择字段、指标或问题时页面会放大到能看清印刷的数值；按此回到放大之前的缩放")
        self._action("显示/隐藏页面列表", self.documents.toggle_page_list, None, menu=m_view)

        m_find = mb.addMenu("问题(&P)")
        self.act_confirm_next = self._action(
            "确认并转到下一项", self.confirm_and_next, ["Ctrl+Return", "Ctrl+Enter"], menu=m_find,
            tip="问题：标记为确认问题；识别把握低的数值：确认无误。然后转到下一项待审的问题或数值")
        self.act_next = self._action("跳到下一项待审", lambda: self.next_finding(1), "F8", menu=m_find,
                                     tip="下一条未处理的问题或识别把握低的数值（不作处理）")
        self.act_prev = self._action("上一项待审", lambda: self.next_finding(-1), "Shift+F8", menu=m_find)
        m_find.addSeparator()
        self.act_verify = self._action("确认问题…（并转到下一项）", lambda: self._decide_current(CONFIRMED), "Ctrl+1",
                                       menu=m_find, tip="确属问题，需部门整改（选中多条时一并标记）")
        self.act_na = self._action("排除…（并转到下一项）", lambda: self._decide_current(EXCLUDED), "Ctrl+2",
                                   menu=m_find, tip="误报或可以接受，须填写理由（选中多条时一并标记）")
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
        self.position_label = QLabel("")
        self.position_label.setObjectName("loopPosition")
        self.case_label = QLabel("")
        self.counts_label = QLabel("")
        self.save_label = QLabel("")
        for w in (self.position_label, self.case_label, self.counts_label, self.save_label):
            w.setContentsMargins(8, 0, 8, 0)
            sb.addPermanentWidget(w)

    def _splitters(self) -> dict[str, QSplitter]:
        return {"main_splitter": self.main_splitter, "right_splitter": self.right,
                "document_splitter": self.documents.splitter, "field_splitter": self.fields.splitter}

    def _restore_layout(self) -> None:
        geometry = self.settings.layout_state("geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1440, 900)
        self._fit_screen()
        state = self.settings.layout_state("state")
        if state is not None:
            self.restoreState(state)
        for name, splitter in self._splitters().items():
            s = self.settings.layout_state(name)
            if s is not None:
                splitter.restoreState(s)

    def _fit_screen(self) -> None:
        """Never larger than the screen's free area: the first start's 1440×900 on a 1366×768 laptop put the
        status bar, the buttons and the 处理 column off screen (a saved size Qt's restoreGeometry fits itself)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        frame = self.frameGeometry().size() - self.geometry().size()  # title bar and borders, once shown
        w = min(self.width(), area.width() - frame.width())
        h = min(self.height(), area.height() - frame.height())
        if (w, h) != (self.width(), self.height()):
            self.resize(w, h)
            self.move(area.topLeft())

    def _save_layout(self) -> None:
        self.settings.set_layout_state("geometry", self.saveGeometry())
        self.settings.set_layout_state("state", self.saveState())
        for name, splitter in self._splitters().items():
            self.settings.set_layout_state(name, splitter.saveState())
        self.settings.sync()

    def _update_actions(self) -> None:
        # the review's keys act on the review only while it is on screen (not behind the workspace's list)
        has = self.session is not None and self.stack.currentWidget() is self.main_splitter
        for a in (self.act_export, self.act_save_as, self.act_close, self.act_edit_value, self.act_next,
                  self.act_prev, self.act_verify, self.act_na, self.act_reopen, self.act_manual,
                  self.act_confirm_next):
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

    def restore_zoom(self) -> None:
        if not self.documents.view.restore_zoom():
            self.statusBar().showMessage("页面已是原来的缩放", 3000)

    def show_shortcuts(self) -> None:
        from ui.dialogs.shortcuts import show_shortcuts

        show_shortcuts(self)

    def show_about(self) -> None:
        from core import __version__

        QMessageBox.about(self, "关于", f"部门整体支出绩效自评材料审核工具\n版本 {__version__}\n\n"
                                       "所有数据只保存在本机，不联网。")

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
