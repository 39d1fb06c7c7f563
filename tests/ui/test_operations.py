"""Background operations deliver their result on the UI thread through signals; the open job reads a real
package off the UI thread and hands back a review ready to show."""

from __future__ import annotations

import re
import threading

from PySide6.QtCore import QThread

from core.pipeline import NoInput
from ui.operations import Operation, open_job, open_case_file_job


def test_success_is_delivered_on_the_ui_thread(qtbot):
    seen = {}

    def job(reporter):
        seen["worker"] = threading.get_ident()
        reporter.progress("一半", 1, 2)
        return 42

    op = Operation(job, "测试")
    ui_thread = QThread.currentThread()
    got = []
    op.succeeded.connect(lambda r: got.append((r, QThread.currentThread() is ui_thread)))
    with qtbot.waitSignal(op.progressed) as progress, qtbot.waitSignal(op.finished):
        op.start()
    assert progress.args == ["一半", 1, 2]
    assert got == [(42, True)]
    assert seen["worker"] != threading.get_ident()


def test_failure_is_delivered_with_the_exception(qtbot):
    def job(reporter):
        raise ValueError("坏了")

    op = Operation(job)
    with qtbot.waitSignal(op.failed) as blocker:
        op.start()
    assert isinstance(blocker.args[0], ValueError)
    assert "ValueError" in blocker.args[0].__traceback_text__


def test_cancel_stops_a_job_that_checks(qtbot):
    started = threading.Event()

    def job(reporter):
        started.set()
        from core.errors import Cancelled

        while not reporter.cancelled():
            threading.Event().wait(0.005)
        raise Cancelled()

    op = Operation(job)
    with qtbot.waitSignal(op.cancelled):
        op.start()
        started.wait(5)
        op.cancel()
    assert not op.running


def test_open_job_extracts_a_real_pdf_off_the_ui_thread(qtbot, tmp_path, real_pdf):
    from conftest import toy_recheck

    op = Operation(open_job([real_pdf], tmp_path, toy_recheck), "打开")
    stages = []
    op.progressed.connect(lambda stage, done, total: stages.append(stage))
    with qtbot.waitSignal(op.succeeded, timeout=60000) as blocker:
        op.start()
    result = blocker.args[0]
    assert not result.restored
    assert result.session.case.documents[0].pages == 24
    assert len(result.session.case.fields) > 50
    assert result.case_path.parent == tmp_path and result.case_path.name.endswith(".case.json")
    assert [s.status for s in result.sources] == ["ok"]
    assert result.text.search("307.82")  # the text of the pages came with it, for Ctrl+F
    assert any(s.startswith("正在读取") for s in stages)


def test_open_job_reports_unreadable_input_in_chinese(qtbot, tmp_path):
    bad = tmp_path / "说明.pdf"
    bad.write_text("这不是PDF", encoding="utf-8")
    op = Operation(open_job([bad], tmp_path / "cases", lambda case: None))
    with qtbot.waitSignal(op.failed, timeout=20000) as blocker:
        op.start()
    error = blocker.args[0]
    assert isinstance(error, NoInput)
    assert error.problems[0]["path"] == str(bad)
    assert re.search(r"[\u4e00-\u9fff]", error.problems[0]["message"])  # a Chinese reason, no traceback


def test_a_missing_case_file_fails_with_a_chinese_reason(qtbot, tmp_path):
    from core.review.store import CaseFileError

    op = Operation(open_case_file_job(tmp_path / "x.case.json", lambda case: None))
    with qtbot.waitSignal(op.failed) as blocker:
        op.start()
    assert isinstance(blocker.args[0], CaseFileError)
    assert "不存在" in blocker.args[0].reason


def test_the_pdfium_turn_goes_to_a_waiting_thread_between_pages():
    """A reading job holds PDFium and gives way between pages: the render thread, waiting, gets in at the
    next page boundary, and the job then continues."""
    from ui.rendering import FairLock

    lock = FairLock()
    order = []

    def render():
        with lock:
            order.append("render")

    lock.acquire()  # the job reads page 1
    t = threading.Thread(target=render)
    t.start()
    with lock._cond:  # until the render thread has queued (acquire notifies when it takes its ticket)
        assert lock._cond.wait_for(lambda: lock._next == lock._serving + 2, timeout=5)
    assert lock.waiting() == 1
    order.append("page 1")
    lock.yield_turn()  # page 1 done: the render thread goes first
    order.append("page 2")
    lock.release()
    t.join(5)
    assert order == ["page 1", "render", "page 2"]


def test_yielding_with_nobody_waiting_keeps_the_lock():
    from ui.rendering import FairLock

    lock = FairLock()
    with lock:
        with lock:  # re-entrant
            lock.yield_turn()
            assert lock._owner == threading.get_ident() and lock._depth == 2
    assert lock._owner is None
