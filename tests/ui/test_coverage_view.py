"""The 检查覆盖 tab and the review loop over the checks the tool could not run (issue 20 part 1), on the
fixture package whose 公开05 is unreadable, with the real checks."""

from __future__ import annotations

from conftest import PACKAGES
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.checks.coverage import AUTO, NOT_APPLICABLE, SHORT
from core.review.store import load_case
from ui.models.coverage_model import COL_STATUS, COL_VERDICT, COL_WHY, CoverageModel

OPEN_TIMEOUT = 60000
UNREADABLE = PACKAGES / "omission_unreadable_2024"
CTRL = Qt.KeyboardModifier.ControlModifier


def _open(qtbot, make_window):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths(sorted(UNREADABLE.glob("*.pdf")))
    return window


def test_the_coverage_model_passes_the_model_tester(qtmodeltester):
    from core.checks.coverage import CoverageItem

    model = CoverageModel([CoverageItem("a", "甲", AUTO, result="通过"),
                           CoverageItem("b", "乙", SHORT, why="公开05表中未读到：科目行"),
                           CoverageItem("c", "丙", NOT_APPLICABLE, why="材料中没有基础数据表")])
    qtmodeltester.check(model)
    assert model.index(1, COL_VERDICT).data() == "未核对"
    assert model.index(2, COL_WHY).data() == "材料中没有基础数据表"


def test_the_coverage_tab_lists_every_check_with_status_colours(qtbot, make_window):
    window = _open(qtbot, make_window)
    model = window.coverage_model
    items = window.session.coverage()
    assert model.rowCount() == len(items) > 90
    open_rows = [r for r in range(model.rowCount()) if model.item(r).is_open]
    assert [model.item(r).check_id for r in open_rows] == ["accounts.i05a", "accounts.i05b", "accounts.i05c",
                                                          "accounts.i05d", "accounts.i05e"]
    r = open_rows[0]
    assert model.index(r, COL_STATUS).data() == "取数不足，需人工核对"
    assert "公开05" in model.index(r, COL_WHY).data()
    assert model.index(r, 0).data(Qt.ItemDataRole.BackgroundRole) is not None  # shaded until decided
    done = next(r for r in range(model.rowCount()) if model.item(r).status == AUTO)
    assert model.index(done, COL_STATUS).data(Qt.ItemDataRole.ForegroundRole) is not None
    tabs = window.review_tabs
    assert tabs.tabText(tabs.indexOf(window.coverage_panel)) == "检查覆盖（5项待核对）"
    assert window.coverage_panel.completion.text().startswith("复核未完成：")


def test_the_review_loop_steps_to_the_open_checks_after_the_findings(qtbot, make_window, prompts):
    window = _open(qtbot, make_window)
    session = window.session
    with qtbot.waitActive(window):
        window.activateWindow()
    items = window.review_items()
    kinds = [k for k, _ in items]
    assert kinds.count("check") == 5
    assert kinds.index("check") > max((i for i, k in enumerate(kinds) if k == "finding"), default=-1)
    # decide every finding, then Ctrl+Enter walks the open checks: each gets 通过 with the note typed
    for fp in [f.fingerprint for f in session.case.findings]:
        session.decide(fp, "排除", "测试")
    window.next_item(1)
    steps = 0
    while window._loop_item is not None and window._loop_item[0] == "check" and steps < 10:
        cid = window._loop_item[1]
        assert window.review_tabs.currentWidget() is window.coverage_panel
        assert window.coverage_panel.current_check() == cid
        prompts.reason_answer = f"已对照原表核对{steps}"
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Return, CTRL)
        assert session.check_verdicts()[cid].status == "通过"
        steps += 1
    assert steps == 5
    assert session.review_complete() == (True, [])
    assert window.coverage_panel.completion.text().startswith("复核完成")
    tabs = window.review_tabs
    assert tabs.tabText(tabs.indexOf(window.coverage_panel)) == "检查覆盖"
    # saved at once, with who and when, and a 不通过 needs its note
    _case, logs = load_case(window.bridge.case_path)
    assert len(logs.check_verdicts) == 5
    prompts.reason_answer = ""
    window.coverage_panel.select_check("accounts.i05a")
    window.coverage_panel.fail_button.click()
    assert session.check_verdicts()["accounts.i05a"].status == "通过"  # refused: no note
    prompts.reason_answer = "公开05合计与公开04不符"
    window.coverage_panel.fail_button.click()
    assert session.check_verdicts()["accounts.i05a"].status == "不通过"
    assert window.coverage_model.index(window.coverage_model.row_of("accounts.i05a"), COL_VERDICT).data() == \
        "不通过：公开05合计与公开04不符"


def test_choosing_a_check_to_do_by_hand_shows_the_page_of_its_table(qtbot, make_window):
    """A 取数不足 check says which table to check by hand and on what page; choosing it turns the pages to that
    table (the view stayed where it was: on page 1 of the 决算)."""
    window = _open(qtbot, make_window)
    item = next(it for it in window.session.coverage() if it.check_id == "accounts.i05b")
    assert item.pages, "the pages of the table that could not be read"
    doc, page = item.pages[0]
    assert f"第{page}页" in item.why
    view = window.documents.view
    key = window._doc_keys[doc]
    view.go_to(key, 1)
    qtbot.waitUntil(lambda: view.current_page() == (key, 1), timeout=5000)
    window.coverage_panel.select_check("accounts.i05b")
    qtbot.waitUntil(lambda: view.current_page() == (key, page), timeout=5000)
