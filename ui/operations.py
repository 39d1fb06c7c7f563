"""Long work off the UI thread, as operation objects (Anki's ``CollectionOp`` habit).

Why it exists: reading a package, re-reading its text for search and writing the Excel workbooks take from a
second to a minute; the window must stay responsive and cancellable all that time.  An ``Operation`` runs a
plain function in the thread pool and delivers its result (or its exception) back *on the UI thread* through
Qt signals, so whoever connects to ``succeeded`` / ``failed`` never touches a widget from a worker thread.

How delivery works: the worker thread emits one private signal of the operation object, which lives on the UI
thread; Qt queues it, and the object re-emits the public signals from there.  A function reports progress
through its ``Reporter`` and checks ``reporter.cancelled()`` (the core's ``cancel=`` callbacks); when it stops
because of a cancel (``core.errors.Cancelled``), ``cancelled`` is emitted instead of ``failed``.

The jobs themselves (``open_job``, ``open_case_file_job``, ``text_index_job``, ``export_job``, and for a
district ``workspace_open_job`` / ``workspace_scan_job``) are plain functions over the core, testable without a
window.  What this module must not do: touch widgets.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from core.errors import Cancelled
from ui.rendering import pdfium_turns

log = logging.getLogger(__name__)


class Reporter:
    """Handed to the job: progress goes to the UI (throttled), cancel is asked by the core's loops."""

    def __init__(self, op: "Operation") -> None:
        self._op = op

    def progress(self, stage: str, done: int, total: int) -> None:
        self._op._post(("progress", (stage, done, total)))

    def cancelled(self) -> bool:
        return self._op._cancel.is_set()


class _Runnable(QRunnable):
    def __init__(self, op: "Operation") -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._op = op

    def run(self) -> None:  # worker thread
        op = self._op
        try:
            result = op._fn(Reporter(op))
        except Cancelled:
            op._post(("cancelled", None))
        except BaseException as e:  # noqa: BLE001 - delivered to the UI thread, never lost
            e.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            op._post(("failed", e))
        else:
            op._post(("succeeded", result))
        finally:
            op._done.set()


class Operation(QObject):
    """One background job.  Connect to the signals, then ``start()``; ``cancel()`` asks it to stop.

    ``progressed(stage, done, total)``, then exactly one of ``succeeded(result)`` / ``failed(exception)`` /
    ``cancelled()``, then ``finished()``; all on the UI thread.
    """

    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    finished = Signal()
    _deliver = Signal(object)

    _running: set["Operation"] = set()  # keeps Python references alive while a job runs

    def __init__(self, fn: Callable[[Reporter], Any], title: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self._fn = fn
        self._cancel = threading.Event()
        self._done = threading.Event()
        self._started = False
        self._deliver.connect(self._on_deliver)

    def start(self, pool: QThreadPool | None = None) -> "Operation":
        if self._started:
            raise RuntimeError("operation already started")
        self._started = True
        Operation._running.add(self)
        (pool or QThreadPool.globalInstance()).start(_Runnable(self))
        return self

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def started(self) -> bool:
        return self._started

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    @property
    def running(self) -> bool:
        return self._started and not self._done.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the job's function returned (its signals may still be queued)."""
        return self._done.wait(timeout)

    # -- delivery -------------------------------------------------------------------------------------
    def _post(self, message: tuple[str, Any]) -> None:  # any thread
        self._deliver.emit(message)

    def _on_deliver(self, message: tuple[str, Any]) -> None:  # UI thread
        kind, payload = message
        if kind == "progress":
            if not self._cancel.is_set():
                self.progressed.emit(*payload)
            return
        # the worker posts the outcome, then marks the job done: wait the instant between, so the outcome's slots
        # see the job no longer running (test_cancel_stops_a_job_that_checks failed under load)
        self._done.wait(5.0)
        try:
            if kind == "succeeded":
                self.succeeded.emit(payload)
            elif kind == "failed":
                if not getattr(payload, "__reported__", False):
                    log.error("operation %r failed:\n%s", self.title,
                              getattr(payload, "__traceback_text__", repr(payload)))
                self.failed.emit(payload)
            else:
                self.cancelled.emit()
        finally:
            Operation._running.discard(self)
            self.finished.emit()

    @classmethod
    def cancel_all(cls, wait_seconds: float = 10.0) -> None:
        """Ask every running job to stop and wait for their functions to return (at window close)."""
        ops = list(cls._running)
        for op in ops:
            op.cancel()
        for op in ops:
            op.wait(wait_seconds)


# -- the jobs ----------------------------------------------------------------------------------------------

Recheck = Callable[[Any], None]


@dataclass
class OpenResult:
    """What opening a package (or a case file) gives the window."""

    session: Any  # core.review.ReviewSession
    case_path: Path
    restored: bool  # True: an existing review was reopened
    sources: list[Any] = field(default_factory=list)  # core.review.store.SourceStatus per document
    unreadable: list[dict[str, str]] = field(default_factory=list)  # {"path","code","message"}
    text: Any = None  # ui.search.TextIndex, None when it must still be read
    damaged_case: str = ""  # a case file that could not be read and was set aside


def absolute_inputs(paths: list[str | Path]) -> list[Path]:
    return [Path(os.path.abspath(os.path.expanduser(str(p)))) for p in paths]


def drop_missing(case: Any) -> list[dict[str, str]]:
    """The case's unreadable files without the ones named but absent when it was read: an argument that was
    not a file is not part of the case (older case files recorded them, and showed "…：文件不存在" forever)."""
    kept = [p for p in case.extra.get("unreadable", []) if p.get("code") != "missing"]
    if kept:
        case.extra["unreadable"] = kept
    else:
        case.extra.pop("unreadable", None)
    return list(kept)


def open_job(paths: list[str | Path], store_dir: Path, recheck: Recheck, *,
             passwords: dict[str, str] | None = None,
             fresh: bool = False, case_path: Path | None = None,
             cached: Callable[[], Any] | None = None) -> Callable[[Reporter], OpenResult]:
    """The job that opens a package: reopen its review if one exists, else read, extract and check it.

    ``fresh`` skips looking for an existing review (the reviewer asked to re-extract changed sources).
    ``case_path`` is where the review of these files is kept (a workspace case's ``case_file``): looked at
    first, and used for a new review (unless ``fresh``).  ``cached()`` may give the case a batch already
    extracted from exactly these files (``Workspace.cached_case``), which is then checked and opened without
    reading the PDFs again.  Raises ``core.pipeline.NoInput`` when no file could be read.
    """

    def job(reporter: Reporter) -> OpenResult:
        from core.pipeline import NoInput, build_case, collect_inputs, read_package
        from core.review import ReviewSession
        from core.review.store import CaseFileError, case_path_for_case, find_case, verify_sources
        from core.errors import DocumentError
        from ui.search import TextIndex

        files, problems = collect_inputs(absolute_inputs(paths))
        if not files:
            raise NoInput(problems)
        # a file named but not there (a mistyped argument, a file moved away) is announced for this opening
        # only: it is not part of the case, and never makes a saved review of the other files a new one
        gone = [{"path": str(f), "code": "missing", "message": "文件不存在"} for f in files if not f.exists()]

        def restore(existing: Path) -> OpenResult:
            session = ReviewSession.from_file(existing, recheck)
            kept = drop_missing(session.case)
            return OpenResult(session=session, case_path=existing, restored=True,
                              sources=verify_sources(session.case), unreadable=kept + gone)

        damaged = ""
        if not fresh:
            reporter.progress("正在查找已有的审核记录", 0, 1)
            try:
                existing = case_path if case_path is not None and case_path.is_file() else \
                    find_case(files, store_dir)
            except DocumentError:
                existing = None  # an unreadable file: the reading below names it with its reason
            if existing is not None:
                try:
                    return restore(existing)
                except CaseFileError as e:
                    damaged = set_aside(existing)
                    log.warning("case file %s unreadable (%s), set aside as %s", existing, e.reason, damaged)
        new_path = case_path if case_path is not None and not fresh else None
        if cached is not None and not fresh:
            reporter.progress("正在读取批量提取的结果", 0, 1)
            case = cached()
            if case is not None:
                reporter.progress("正在检查", 0, 1)
                recheck(case)
                if reporter.cancelled():
                    raise Cancelled()
                session = ReviewSession(case, recheck)
                return OpenResult(session=session, case_path=new_path or case_path_for_case(case, store_dir),
                                  restored=False, sources=verify_sources(case),
                                  unreadable=list(case.extra.get("unreadable", [])), damaged_case=damaged)
        with pdfium_turns(reporter.progress) as progress:
            pkg = read_package(files, passwords=passwords, progress=progress, cancel=reporter.cancelled)
        failed = problems + pkg.failed
        if not pkg.documents:
            raise NoInput(failed)
        reporter.progress("正在提取数据", 0, 1)
        case = build_case(pkg)
        kept = [p for p in failed if p.get("code") != "missing"]
        if kept:
            case.extra["unreadable"] = kept
        target = new_path or case_path_for_case(case, store_dir)
        if not fresh and not damaged and target.is_file():
            # the files read are those of a saved review (found only now, e.g. a file that is not a PDF was
            # named too): that review, never a new one over it
            try:
                result = restore(target)
            except CaseFileError:
                pass
            else:
                result.unreadable = [p for p in failed if p.get("code") != "missing"] + gone
                return result
        if reporter.cancelled():
            raise Cancelled()
        reporter.progress("正在检查", 0, 1)
        recheck(case)
        if reporter.cancelled():
            raise Cancelled()
        session = ReviewSession(case, recheck)
        text = TextIndex.from_documents(pkg.documents)
        reporter.progress("完成", 1, 1)
        return OpenResult(session=session, case_path=target,
                          restored=False, sources=verify_sources(case), unreadable=failed, text=text,
                          damaged_case=damaged)

    return job


def open_case_file_job(path: str | Path, recheck: Recheck) -> Callable[[Reporter], OpenResult]:
    """The job that reopens a case file (recent list, crash recovery)."""

    def job(reporter: Reporter) -> OpenResult:
        from core.review import ReviewSession
        from core.review.store import verify_sources

        reporter.progress("正在打开审核记录", 0, 1)
        session = ReviewSession.from_file(path, recheck)
        return OpenResult(session=session, case_path=Path(path), restored=True,
                          sources=verify_sources(session.case), unreadable=drop_missing(session.case))

    return job


def text_index_job(documents: list[tuple[str, str]], passwords: dict[str, str] | None = None
                   ) -> Callable[[Reporter], Any]:
    """Read the text lines of ``[(doc_id, path)]`` for Ctrl+F, for a review reopened from its case file
    (the case file keeps values and boxes, not every line of every page).  Unreadable files are skipped."""

    def job(reporter: Reporter):
        from core.documents.reader import open_any
        from core.errors import DocumentError
        from ui.search import TextIndex

        docs = []
        for i, (doc_id, path) in enumerate(documents):
            reporter.progress(f"正在准备文字检索 {Path(path).name}", i, len(documents))
            with pdfium_turns(None) as progress:
                try:
                    docs.append(open_any(path, doc_id, password=(passwords or {}).get(path),
                                         progress=lambda done, total: progress(done, total),
                                         cancel=reporter.cancelled))
                except DocumentError:
                    continue
        return TextIndex.from_documents(docs)

    return job


@dataclass
class ExportRequest:
    case: Any
    out_dir: Path
    corrections: list[Any]
    decisions: list[Any]
    reviewer: str
    overwrite: bool = False


def export_job(request: ExportRequest) -> Callable[[Reporter], list[Path]]:
    """Write the Excel workbooks (``core.export.export_workbooks``) and, beside them, the draft 复核意见
    (``core.export.docx``); raises ``FileExistsError`` when a workbook exists and ``overwrite`` is False, so
    the window can ask first."""

    from core.export.review_items import review_items

    # Here, on the UI thread: it re-runs the checks that read a corrected field (the 已消除 findings), which
    # must never run beside a re-check of the live case.
    items = review_items(request.case, request.corrections, request.decisions)

    def job(reporter: Reporter) -> list[Path]:
        from core.export import export_workbooks
        from core.export.docx import export_review_opinion

        reporter.progress("正在导出Excel", 0, 2)
        paths = export_workbooks(request.case, request.out_dir, corrections=request.corrections,
                                 decisions=request.decisions, reviewer=request.reviewer,
                                 overwrite=request.overwrite, items=items)
        reporter.progress("正在写复核意见", 1, 2)
        paths = [*paths, export_review_opinion(request.case, request.out_dir, items=items)]
        reporter.progress("完成", 2, 2)
        return paths

    return job


def workspace_open_job(folder: str | Path) -> Callable[[Reporter], Any]:
    """Open (or start) the workspace of a district folder (``core.workspace.Workspace.open``): its saved state,
    then a scan for new and changed packages (a light read of each new file's first pages, taking turns on
    PDFium with the page renderer).  Raises ``DocumentError`` for a folder that is not one."""

    def job(reporter: Reporter):
        from core.workspace import Workspace

        reporter.progress("正在打开审核工作区", 0, 0)
        with pdfium_turns(reporter.progress) as progress:
            return Workspace.open(folder, progress=progress, cancel=reporter.cancelled)

    return job


def workspace_scan_job(workspace, folder: str | Path | None = None) -> Callable[[Reporter], Any]:
    """Add ``folder`` to the workspace (``add_folder``: returns the cases it added) or, without one, look at
    its folders again (``rescan``: returns the ``WorkspaceChange``).  The window keeps every other hand off the
    workspace while this runs (it is not thread-safe)."""

    def job(reporter: Reporter):
        with pdfium_turns(reporter.progress) as progress:
            if folder is not None:
                return workspace.add_folder(folder, progress=progress, cancel=reporter.cancelled)
            return workspace.rescan(progress=progress, cancel=reporter.cancelled)

    return job


def set_aside(path: Path) -> str:
    """Rename a case file that cannot be read to ``<name>.damaged-<n>``, so that a new review never
    overwrites it."""
    n = 1
    while True:
        target = path.with_name(f"{path.name}.damaged-{n}")
        if not target.exists():
            break
        n += 1
    try:
        path.rename(target)
    except OSError:
        return ""
    return str(target)
