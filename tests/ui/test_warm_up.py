"""The window's start-up work done after the first paint (``OpeningMixin.warm_up_later``): while the window
sits idle, what opening a package needs (reading, extractors, lexicon, check names) is loaded in a background
thread, so the reviewer's first package does not wait for it; never while a package's first page is drawn."""

from __future__ import annotations

import logging
import threading

from conftest import YUNXI

from tests.ui.test_main_window import OPEN_TIMEOUT, open_and_wait
from ui.window import common, opening


def test_a_window_started_without_files_loads_what_opening_needs_in_the_background(qtbot, make_window,
                                                                                     monkeypatch):
    threads: list[threading.Thread] = []
    real = opening.warm_up

    def spy() -> None:
        threads.append(threading.current_thread())
        real()

    monkeypatch.setattr(opening, "warm_up", spy)
    monkeypatch.setattr(common, "_CHECK_NAMES", None)  # as in a window just started
    window = make_window()
    window.start([])
    assert not threads, "the warm-up waits for the window to be on screen"
    qtbot.waitUntil(lambda: bool(threads) and common._CHECK_NAMES is not None, timeout=OPEN_TIMEOUT)
    assert threads[0] is not threading.main_thread()
    assert common._CHECK_NAMES.get("narrative.same_quantity") == "同一数据前后不一致"


def test_a_window_started_on_files_does_not_warm_up_while_their_first_page_is_drawn(qtbot, make_window,
                                                                                     monkeypatch):
    window = make_window()
    asked: list[int] = []
    monkeypatch.setattr(window, "warm_up_later", lambda: asked.append(1))
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.start([str(YUNXI)])
    assert not asked


def test_a_failing_warm_up_is_logged_and_the_window_opens_a_package_as_usual(qtbot, make_window, monkeypatch,
                                                                              caplog):
    def broken() -> dict[str, str]:
        raise RuntimeError("a resource file could not be read")

    monkeypatch.setattr(opening, "check_names", broken)
    window = make_window()
    with caplog.at_level(logging.WARNING, logger="ui.window.opening"):
        done = window.warm_up_later()
        qtbot.waitUntil(done.is_set, timeout=OPEN_TIMEOUT)
    assert any("warm-up failed" in r.getMessage() for r in caplog.records)
    monkeypatch.undo()
    open_and_wait(qtbot, window, [YUNXI])
    assert window.session is not None and window.session.case.fields
