"""Opening a package or a saved review, the review in place, and closing it.

Why it exists: opening is the longest path of the window — files collected, first page on screen at once,
extraction in the background (passwords asked, unreadable files named), the review restored or started
(``_install``), banners for what the reviewer must know, the text index for Ctrl+F — and closing saves and
clears it all.  ``MainWindow`` mixes this in; it reads and sets the window's attributes (``self.session``,
``self.bridge``, ``self.documents``…) built in ``MainWindow.__init__``.
"""

from __future__ import annotations

import logging
import os
import threading
from pathlib import Path

from PySide6.QtCore import QTimer
from ui.window.common import APP_TITLE, SCANNED_CODES, check_names, doc_key, local_paths, unit_name_from_text

from core.errors import DocumentError, OutputError
from ui.models.common import DocNames, short_time
from ui.models.fields_model import FieldsModel
from ui.models.findings_model import FindingsModel
from ui.models.indicators_model import IndicatorsModel
from ui.operations import (
    OpenResult,
    Operation,
    open_case_file_job,
    open_job,
    text_index_job,
)
from ui.review_bridge import SessionBridge
from ui.widgets.pdf_view import Box

log = logging.getLogger(__name__)


def warm_up() -> None:
    """Load what opening a package needs — the reading, the extractors, the narrative lexicon, the check
    catalogue and its Chinese names, the review session — so that the reviewer's first package does not pay
    for it (~0.2 s of imports and set-up, more on a busy PC).  Run in a background thread after the window is
    on screen; every step is what the opening would do anyway, so nothing is done twice."""
    try:
        import core.documents.pdf
        import core.extraction.accounts
        import core.extraction.basic_table
        import core.extraction.selfeval_sheet
        import core.pipeline
        import core.review.session
        import core.review.store
        import core.scoring  # noqa: F401
        import ui.search  # noqa: F401
        from core.checks.registry import all_checks
        from core.extraction.narrative import lexicon

        lexicon()
        all_checks()
        check_names()
    except Exception:  # a head start only: the opening loads (and reports) whatever failed here
        log.warning("warm-up failed", exc_info=True)


FIELDS_MIN_HEIGHT = 330
"""Pixels the fields side keeps when the findings list is sized to its rows (``_fit_findings_space``)."""


class OpeningMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

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
        elif not paths and not reopen_ws:
            self.warm_up_later()

    WARM_UP_DELAY_MS = 300
    """The window idle on screen this long, ``warm_up`` starts (never while the first page is being drawn)."""

    def warm_up_later(self) -> threading.Event:
        """Start ``warm_up`` in the background once the window has been painted; the event is set when it is
        done (the benchmark waits for it)."""
        done = threading.Event()

        def run() -> None:
            try:
                warm_up()
            finally:
                done.set()

        QTimer.singleShot(self.WARM_UP_DELAY_MS,
                          lambda: threading.Thread(target=run, name="warm-up", daemon=True).start())
        return done

    def _offer_recovery(self, candidates: list) -> None:
        c = candidates[0]
        more = f"（另有{len(candidates) - 1}个）" if len(candidates) > 1 else ""
        when = short_time(c.modified)
        banner = self.banners.show_banner(
            f"上次的审核“{c.title}”（最后修改于{when}）没有正常关闭{more}。所有修改都已保存，可以继续。",
            "warning", key="recover")
        banner.add_button("恢复上次未完成的审核", lambda p=str(c.path): self.open_case_file(p))
        self._recovery_path = str(c.path)

    def ask_reviewer(self, first_time: bool = False) -> bool:
        self._reviewer_asked_now = True
        self.settings.reviewer_asked = True
        from core.checks.indicator_quality import rules
        from core.scoring.review_score import list_caps

        answer = self.prompts.preferences(self.settings.reviewer, self.settings.export_dir,
                                          first_time=first_time, rules=list(rules().values()),
                                          disabled=self.rules_not_applied(), caps=list_caps(),
                                          caps_preset=self.district_profile().caps_preset,
                                          district_file=str(self.district_path()))
        if answer is None:
            return False
        name, export_dir, *rest = answer
        if rest:  # the indicator rules the district applies (ui.window.district)
            self.set_disabled_rules(frozenset(rest[0]))
        if len(rest) > 1 and rest[1]:  # the district's 复核评分 cap preset
            self.set_caps_choice(rest[1])
        self.settings.reviewer = name
        self.settings.export_dir = export_dir
        if self.session is not None and name:
            self.session.reviewer = name
        return bool(name)

    def edit_preferences(self) -> None:
        self.ask_reviewer(first_time=False)

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
            reasons = "\n".join(f"{Path(p['path']).name}：{p['message']}" for p in problems) or "没有找到审核材料"
            self.prompts.error("无法打开", f"没有可以打开的审核材料（PDF、Word、Excel、WPS或OFD文件）。\n\n{reasons}")
            return
        if not self.close_case():
            return
        if not retry:
            self._asked_passwords = {}
            self._open_kwargs = {"store_dir": store_dir, "case_path": case_path, "cached": cached,
                                 "ws_case": ws_case}
        opts = self._open_kwargs
        self.use_district_of([] if opts.get("ws_case") else paths)  # before the checks run (ui.window.district)
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
        self.indicators_model = IndicatorsModel(case.indicators, case.documents, parent=self, session=session,
                                                corrector=self._model_correct)
        self.indicators_model.entry_refused.connect(self._on_entry_refused)
        self.findings_model = FindingsModel(session, check_names(), parent=self)
        self.fields.set_models(self.fields_model, self.indicators_model)
        self.fields.card.show_field(None, None)  # no longer "正在读取…"
        self.findings.set_model(self.findings_model)
        self.bridge.changed.connect(self._on_changed)
        self._install_coverage()
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
            self.statusBar().showMessage(restored_message(n, m), 8000)
            self.save_label.setText(f"审核记录：{short_time(session.logs.modified)}")
        rec = self._recovery_path
        if rec and Path(rec) == Path(result.case_path):
            self.banners.remove("recover")
        self._ws_case_id = self._workspace_case_of(result.case_path, self._open_kwargs.get("ws_case"))
        self.workspace_panel.set_review_open(title)
        if self._ws_case_id is not None:
            self.workspace_panel.select_case(self._ws_case_id)
            self._ws_refresh.start()
            self.compare_with_district()
        if self.fields_model.rowCount() == 0:
            self.fields.card.show_hint(
                "没有提取到字段",
                "材料中没有可读取的文字（扫描件）或没有识别出的表格。可以对照左侧的页面图像手工录入数值："
                "按 Ctrl+M 或点上方“手工录入…”，在页面上框出数值，再选择字段、输入数值。")
        if not self._open_kwargs.get("ws_case"):  # a saved review reopened: its files' workspace profile
            self.use_district_of(self._inputs or sources)
        self._loop_item = None
        self._fit_findings_space()
        self._update_counts()
        self._update_actions()
        self._update_position()
        self.fields.tree.setFocus()
        self.case_opened.emit()

    def _fit_findings_space(self) -> None:
        """The findings list takes the height its rows need (a package has 0–60), between a third and two
        thirds of the right side; the fields get the rest."""
        total = sum(self.right.sizes())
        if total <= 0 or self.findings_model is None:
            return
        rows = self.findings_model.rowCount()
        row_h = self.findings.table.verticalHeader().defaultSectionSize()
        want = (rows + 1) * row_h + 120  # header, filter line, buttons, the message under the list
        findings = max(int(total * 0.34), min(int(total * 0.66), want))
        # the fields keep room for the 绩效指标 table, its totals line and the card under it: at 1366×768 two
        # thirds for the findings left the table two rows, the selected indicator scrolled out of sight
        findings = max(int(total * 0.34), min(findings, total - FIELDS_MIN_HEIGHT))
        self.right.setSizes([total - findings, findings])

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
        self._name_from_text(index)
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
        if self._printed_unit:  # read from the documents' first lines (a 决算 names its unit only there)
            return self._printed_unit
        return Path(case.documents[0].path).stem if case.documents else "未命名"

    def _name_from_text(self, index) -> None:
        """When neither a document nor a field names the unit, the name printed on the cover or over the
        tables: the title, the status bar and the recent list then say which department this is."""
        if self.session is None or index is None or self._printed_unit:
            return
        case = self.session.case
        if any(d.unit_name for d in case.documents) or any(
                f.key.endswith("unit_name") and isinstance(f.value, str) and f.value for f in case.fields):
            return
        name = unit_name_from_text(index, [d.id for d in case.documents])
        if not name:
            return
        self._printed_unit = name
        title = self.case_title()
        self.setWindowTitle(f"{title} — {APP_TITLE}")
        self.case_label.setText(title)
        if self.bridge is not None:
            self.settings.add_recent_case(self.bridge.case_path, title, [d.path for d in case.documents])
        self.workspace_panel.set_review_open(title)

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
        self.use_district_of([], refresh=False)  # no case: the workspace's or the window's own profile
        self.fields.clear()
        self.findings.clear()
        self._clear_coverage()
        self.fields_model = self.findings_model = self.indicators_model = None
        self.documents.clear()
        for b in self.banners.banners():
            if not b.key.startswith("ws_"):  # the workspace's own banners outlive a case
                b.dismiss()
        self._doc_keys = {}
        self._text_index = None
        self.case_label.setText("")
        self._printed_unit = ""
        self._loop_item = None
        self.position_label.setText("")
        self.findings.set_position("")
        self.findings.show_message("")
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
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = local_paths(event.mimeData())
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


def restored_message(corrections: int, decided: int) -> str:
    """The status line on reopening a review: what the reviewer had done, or that nothing had been done yet
    ("0处修改，0条问题已处理" read like a loss)."""
    done = [f"{corrections}处修改" if corrections else "", f"{decided}条问题已处理" if decided else ""]
    done = [d for d in done if d]
    return "已恢复上次的审核：" + ("，".join(done) if done else "尚未修改数值，也未处理问题")
