"""The review window end to end, offscreen: opening (first page before the review), provenance, correcting in
place, undo, decisions, the case file and its restoration, changed sources, passwords, recovery, export,
drag and drop, search and remembered layout.  Every wait is on a signal (or on a condition Qt reports), never
a sleep."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from conftest import YUNXI, toy_recheck
from core.review.corrections import CONFIRMED, VERIFIED
from core.review.store import load_case
from ui import style
from ui.main_window import MainWindow, doc_key
from ui.models.common import FINGERPRINT_ROLE
from ui.models.fields_model import COL_VALUE
from ui.models.findings_model import COL_SEVERITY, COL_STATUS

OPEN_TIMEOUT = 60000


@pytest.fixture
def yunxi_dir():
    if not YUNXI.exists():
        pytest.skip("fixture package yunxi_2024 not generated")
    return YUNXI


def open_and_wait(qtbot, window, paths):
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(p) for p in paths])
    return window.session


def fid_of(window, key):
    return window.session.case.first(key).id


def make_pdf(path: Path, lines: list[str], password: str | None = None) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    enc = pdfencrypt.StandardEncryption(password, canPrint=1) if password else None
    c = canvas.Canvas(str(path), encrypt=enc)
    for i, text in enumerate(lines):
        c.drawString(72, 760 - 20 * i, text)
    c.save()
    return path


# -- opening -----------------------------------------------------------------------------------------------

def test_the_first_page_is_on_screen_before_the_review_is_ready(qtbot, make_window, real_pdf):
    page_one = threading.Event()

    def slow_recheck(case):  # extraction waits (in its worker thread) until page 1 has been drawn
        assert page_one.wait(30), "page 1 was not drawn while extraction ran"
        toy_recheck(case)

    window = make_window(recheck=slow_recheck)
    window.documents.view.page_shown.connect(lambda key, page: page == 1 and page_one.set())
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(real_pdf)])
        assert window.documents.view.document_keys() == [doc_key(real_pdf)]  # at once, before any result
        assert window.session is None and window.progress.isVisible()
    assert page_one.is_set()
    assert window.documents.view.page_count() == 24
    assert window.fields_model.rowCount() > 0
    assert not window.progress.isVisible()
    assert window.windowTitle().endswith("绩效自评审核")
    assert window.save_label.text().startswith("已自动保存")
    assert window.bridge.case_path.exists()  # a new review is on disk before its first change


def test_an_unreadable_file_is_a_chinese_message_not_a_traceback(qtbot, make_window, prompts, tmp_path):
    bad = tmp_path / "材料.pdf"
    bad.write_text("这不是PDF文件", encoding="utf-8")
    window = make_window()
    with qtbot.waitSignal(window.open_finished, timeout=OPEN_TIMEOUT):
        window.open_paths([str(bad)])
    (error,) = prompts.asked("error")
    assert error[1] == "无法打开"
    assert "材料.pdf" in error[2] and "Traceback" not in error[2] and not error[3]
    assert window.session is None
    assert window.stack.currentWidget() is window.welcome


def test_an_encrypted_pdf_asks_for_its_password_and_opens(qtbot, make_window, prompts, tmp_path):
    pdf = make_pdf(tmp_path / "加密.pdf", ["2024 budget 123.45"], password="secret")
    prompts.password_answer = "secret"
    window = make_window()
    open_and_wait(qtbot, window, [pdf])
    assert [c[1] for c in prompts.asked("password")] == [str(pdf)]
    assert window.session.case.documents[0].pages == 1


def test_files_dropped_on_the_window_are_opened(qtbot, make_window, yunxi_dir):
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(yunxi_dir))])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.dropEvent(event)
    assert event.isAccepted()
    assert window.case_title() == "中共岳阳市云溪区委组织部"


# -- provenance --------------------------------------------------------------------------------------------

def test_selecting_a_field_shows_its_page_and_boxes_the_printed_value(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    view = window.documents.view
    fld = next(f for f in session.case.fields if f.form == "自评表" and f.page > 1)
    key = doc_key(session.case.document(fld.doc).path)
    with qtbot.waitSignal(view.current_page_changed, check_params_cb=lambda k, p: p == fld.page):
        window.fields.select_field(fld.id)
    assert view.current_page() == (key, fld.page)
    (outline,) = view.highlight_rects("field")
    page = view.page_rect(key, fld.page)
    x0, top, x1, bottom = fld.bbox
    assert outline.adjusted(2, 2, -2, -2).getCoords() == pytest.approx(
        (page.left() + x0, page.top() + top, page.left() + x1, page.top() + bottom))
    assert window.fields.card.title.text() == fld.label


def test_clicking_a_row_with_the_mouse_selects_the_field(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    fid = fid_of(window, "basic.sangong.final")
    tree = window.fields.tree
    idx = window.fields.proxy_index(fid)
    tree.scrollTo(idx)
    with qtbot.waitSignal(window.fields.field_selected) as blocker:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualRect(idx).center())
    assert blocker.args == [fid]
    assert window.documents.view.current_page()[1] == session.field(fid).page


def test_selecting_a_finding_lights_up_every_place_and_its_fields(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    final, budget = fid_of(window, "basic.sangong.final"), fid_of(window, "basic.sangong.budget")
    window.correct(final, "2")  # toy_recheck: 决算数 above 预算数, an error at two places
    error = next(f for f in session.case.findings if f.severity.value == "error")
    with qtbot.waitSignal(window.findings.finding_selected):
        assert window.findings.select_fingerprint(error.fingerprint)
    panel, view = window.documents, window.documents.view
    assert len(view.highlight_rects("finding")) == len(error.locations) == 2
    assert sorted(window.fields.selected_field_ids()) == sorted([final, budget])
    assert panel.location_index == 0 and panel.location_box.isVisibleTo(window)
    with qtbot.waitSignal(panel.location_changed) as step:
        view.setFocus()
        panel.step_location(1)
    assert step.args == [1]
    assert "超过本年预算数" in window.findings.message.text()  # the whole message, under the list


def test_fields_touched_by_open_findings_are_coloured(qtbot, make_window, yunxi_dir):
    window = make_window()
    open_and_wait(qtbot, window, [yunxi_dir])
    model = window.fields_model
    final = fid_of(window, "basic.sangong.final")
    rate = fid_of(window, "basic.staff.control_rate")
    assert model.status_of(rate) == "warning" and model.status_of(final) is None
    window.correct(final, "2")
    assert model.status_of(final) == "error"
    status = window.fields.proxy_index(final, 5)
    assert status.data(Qt.ItemDataRole.ForegroundRole) == style.ERROR
    assert window.counts_label.text() == "未处理：错误 1 · 警告 1"


# -- correcting --------------------------------------------------------------------------------------------

def _open_editor(qtbot, window, fid) -> QLineEdit:
    window.activateWindow()
    window.fields.select_field(fid)
    window.fields.tree.setFocus()
    window.act_edit_value.trigger()  # F2
    tree = window.fields.tree
    assert tree.state() == QAbstractItemView.State.EditingState
    editor = tree.indexWidget(tree.currentIndex())
    assert isinstance(editor, QLineEdit)
    return editor


def test_editing_in_place_makes_a_finding_appear_and_undo_takes_it_away(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    final = fid_of(window, "basic.sangong.final")
    assert window.findings_model.rowCount() == 1  # toy_recheck's warning only
    editor = _open_editor(qtbot, window, final)
    assert editor.text() == "0.96"  # the printed value, ready to overtype
    editor.selectAll()
    qtbot.keyClicks(editor, "2")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter takes the value and asks for the reason (optional)
    assert editor.property("stage") == "reason" and not session.corrections.records
    with qtbot.waitSignal(window.findings_model.rowsInserted):
        qtbot.keyClick(editor, Qt.Key.Key_Return)  # Enter again records it (no reason given)
    assert str(session.field(final).value) == "2"
    assert window.findings_model.rowCount() == 2
    cell = window.fields.proxy_index(final, COL_VALUE)
    assert cell.data() == "2" and cell.data(Qt.ItemDataRole.FontRole).bold()
    assert window.act_undo.isEnabled() and "三公经费" in window.act_undo.text()

    with qtbot.waitSignal(window.findings_model.rowsRemoved):
        window.act_undo.trigger()  # Ctrl+Z
    assert str(session.field(final).value) == "0.96"
    assert window.findings_model.rowCount() == 1
    assert window.fields.proxy_index(final, COL_VALUE).data() == ""
    assert window.act_redo.isEnabled()
    window.act_redo.trigger()  # Ctrl+Y
    assert str(session.field(final).value) == "2"


def test_a_bad_entry_keeps_the_editor_open_and_says_why(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    final = fid_of(window, "basic.sangong.final")
    editor = _open_editor(qtbot, window, final)
    editor.selectAll()
    editor.insert("九毛六")  # as an input method commits it (QTest types Latin-1 keys only)
    with qtbot.waitSignal(window.fields.delegate.refused) as blocker:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "不是有效金额" in blocker.args[1]
    assert window.fields.tree.state() == QAbstractItemView.State.EditingState  # still open, text kept
    assert editor.text() == "九毛六"
    assert "不是有效金额" in window.statusBar().currentMessage()
    assert not session.corrections.records
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert str(session.field(final).value) == "0.96"


def test_the_card_corrects_with_a_reason(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    final = fid_of(window, "basic.sangong.final")
    window.fields.select_field(final)
    card = window.fields.card
    card.value.setText("1.50")
    card.reason.setText("按决算表更正")
    qtbot.mouseClick(card.apply, Qt.MouseButton.LeftButton)
    (record,) = session.corrections.records
    assert (record.new_raw, record.reason, record.reviewer) == ("1.50", "按决算表更正", "测试员")
    tip = window.fields.proxy_index(final, COL_VALUE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("原值 0.96，修改于 ") and tip.endswith("理由 按决算表更正")
    assert "按决算表更正" in window.settings.recent_reasons()
    card.value.setText("abc")
    qtbot.mouseClick(card.apply, Qt.MouseButton.LeftButton)
    assert len(session.corrections.records) == 1
    assert "不是有效金额" in window.statusBar().currentMessage()


# -- decisions and F8 ----------------------------------------------------------------------------------------

def test_a_decision_is_asked_a_reason_and_survives_a_recheck(qtbot, make_window, prompts, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    warning = session.case.findings[0]
    window.findings.select_fingerprint(warning.fingerprint)
    prompts.reason_answer = "编制满员属实"
    window.act_verify.trigger()  # Ctrl+1
    assert prompts.asked("reason")[0][1] == "标记为确认问题"
    row = window.findings_model.row_of(warning.fingerprint)
    assert window.findings_model.index(row, COL_STATUS).data() == CONFIRMED
    assert window.counts_label.text() == "未处理：错误 0 · 警告 0"
    window.correct(fid_of(window, "basic.sangong.final"), "2")  # the checks run again
    row = window.findings_model.row_of(warning.fingerprint)
    assert window.findings_model.index(row, COL_STATUS).data() == CONFIRMED
    assert session.decision(warning.fingerprint).reason == "编制满员属实"
    prompts.reason_answer = None  # cancelling the reason dialog records nothing
    window.findings.select_fingerprint(warning.fingerprint)
    window.act_na.trigger()
    assert session.decision(warning.fingerprint).status == CONFIRMED


def test_f8_walks_through_the_open_findings(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    window.correct(fid_of(window, "basic.sangong.final"), "2")
    shown = lambda: window.findings.current_fingerprint()  # noqa: E731
    window.act_next.trigger()  # F8: errors first
    first = shown()
    assert session.finding(first).severity.value == "error"
    window.act_next.trigger()
    second = shown()
    assert session.finding(second).severity.value == "warning"
    window.act_prev.trigger()  # Shift+F8
    assert shown() == first
    window.decide(first, VERIFIED)
    window.act_next.trigger()
    assert shown() == second
    window.act_next.trigger()
    assert shown() == second  # the decided one is skipped
    view = window.findings.table
    assert view.model().index(0, COL_SEVERITY).data(FINGERPRINT_ROLE) == first


# -- the case file -------------------------------------------------------------------------------------------

def test_every_change_is_saved_and_reopening_the_files_restores_the_review(qtbot, make_window, prompts,
                                                                          yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    final = fid_of(window, "basic.sangong.final")
    case_path = window.bridge.case_path
    with qtbot.waitSignal(window.bridge.saved):
        window.correct(final, "1.20", "与决算一致")
    case, logs = load_case(case_path)
    assert [(r.field_id, r.new_raw, r.reason) for r in logs.corrections] == [(final, "1.20", "与决算一致")]
    warning = next(f for f in session.case.findings if f.severity.value == "warning")
    window.decide(warning.fingerprint, VERIFIED)
    assert load_case(case_path)[1].decisions.latest(warning.fingerprint).status == VERIFIED
    window.close()

    again = make_window()
    restored = open_and_wait(qtbot, again, [yunxi_dir])
    assert again.bridge.case_path == case_path
    assert restored.is_corrected(final) and str(restored.field(final).value) == "1.20"
    assert restored.decision(warning.fingerprint).status == VERIFIED
    assert again.fields.proxy_index(final, COL_VALUE).data() == "1.20"
    assert "已恢复上次的审核：1处修改，1条问题已处理" in again.statusBar().currentMessage()
    assert again.act_undo.isEnabled()  # the undo stack came back with the log
    again.act_undo.trigger()
    assert str(restored.field(final).value) == "0.96"


def test_a_changed_source_file_is_announced_not_silently_reread(qtbot, make_window, tmp_path):
    pdf = make_pdf(tmp_path / "报告.pdf", ["first version 100.00"])
    window = make_window()
    open_and_wait(qtbot, window, [pdf])
    old_case = window.bridge.case_path
    window.close()
    make_pdf(pdf, ["second version 200.00", "with another line"])
    again = make_window()
    open_and_wait(qtbot, again, [pdf])
    banner = again.banners.banner("changed")
    assert banner is not None and "报告.pdf" in banner.text and "未重新读取" in banner.text
    assert [b.text() for b in banner.buttons()] == ["重新读取（新建审核）"]
    assert again.bridge.case_path == old_case  # the old review, not a new one
    with qtbot.waitSignal(again.case_opened, timeout=OPEN_TIMEOUT):
        banner.buttons()[0].click()
    assert again.bridge.case_path != old_case
    assert again.banners.banner("changed") is None


def test_a_review_not_closed_cleanly_is_offered_back(qtbot, make_window, yunxi_dir, tmp_path):
    crashed = make_window()
    open_and_wait(qtbot, crashed, [yunxi_dir])
    final = fid_of(crashed, "basic.sangong.final")
    crashed.correct(final, "1.11")  # saved, never closed: as after a power cut

    window = make_window()
    window.start([])
    banner = window.banners.banner("recover")
    assert banner is not None and "没有正常关闭" in banner.text
    (button,) = banner.buttons()
    assert button.text() == "恢复上次未完成的审核"
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        button.click()
    assert str(window.session.field(final).value) == "1.11"
    assert window.banners.banner("recover") is None


def test_the_last_case_is_reopened_when_started_without_files(qtbot, make_window, yunxi_dir):
    first = make_window()
    open_and_wait(qtbot, first, [yunxi_dir])
    first.close()  # closed cleanly: nothing to recover, but it is the last case
    window = make_window()
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.start([])
    assert window.case_title() == "中共岳阳市云溪区委组织部"
    assert window.banners.banner("recover") is None


# -- export, search, preferences, layout -------------------------------------------------------------------

def test_export_asks_before_overwriting(qtbot, make_window, prompts, yunxi_dir, tmp_path):
    pytest.importorskip("core.export")
    window = make_window()
    open_and_wait(qtbot, window, [yunxi_dir])
    window.correct(fid_of(window, "basic.sangong.final"), "1.20", "更正")
    out = tmp_path / "导出"
    prompts.export_folder_answer = str(out)
    with qtbot.waitSignal(window.export_finished, timeout=OPEN_TIMEOUT) as blocker:
        window.act_export.trigger()
    path, opinion = blocker.args[0]  # the workbook and, beside it, the draft 复核意见
    assert opinion.endswith("_复核意见.docx") and Path(opinion).parent == Path(path).parent
    assert Path(path).exists() and Path(path).parent == out
    assert window.session.logs.exported
    prompts.confirm_answer = True
    with qtbot.waitSignal(window.export_finished, timeout=OPEN_TIMEOUT):
        window.act_export.trigger()  # the file exists now: asked, then overwritten
    (confirm,) = prompts.asked("confirm")
    assert confirm[1] == "文件已存在"


def test_find_in_the_pages_boxes_every_hit(qtbot, make_window, real_pdf):
    window = make_window()
    open_and_wait(qtbot, window, [real_pdf])
    panel = window.documents
    window.act_find.trigger()
    assert panel.search_bar.isVisible()
    panel.run_search("307.82")
    hits = panel.hits
    assert len(hits) >= 3
    assert len(panel.view.highlight_rects("search")) == len(hits)
    first = hits[panel.hit_index]
    assert panel.view.current_page() == (first.key, first.page)
    panel.step_hit(1)
    assert panel.hit_index == (hits.index(first) + 1) % len(hits)
    assert panel.search_bar.count.text().startswith("第 ")


def test_a_reopened_review_can_still_search(qtbot, make_window, real_pdf):
    first = make_window()
    open_and_wait(qtbot, first, [real_pdf])
    first.close()
    window = make_window()
    with qtbot.waitSignal(window.text_ready, timeout=OPEN_TIMEOUT):
        open_and_wait(qtbot, window, [real_pdf])
    window.documents.run_search("一般公共服务支出")
    assert window.documents.hits


def test_the_reviewer_is_asked_for_a_name_the_first_time(qtbot, make_window, prompts, settings):
    settings.reviewer = ""
    settings.reviewer_asked = False
    prompts.preferences_answer = ("李四", "")
    window = make_window()
    window.start([])
    qtbot.waitUntil(lambda: bool(prompts.asked("preferences")))
    assert prompts.asked("preferences")[0][2] is True  # first_time
    assert settings.reviewer == "李四"
    window.start([])
    assert len(prompts.asked("preferences")) == 1  # once


def test_window_layout_is_remembered(qtbot, make_window, settings):
    window = make_window()
    window.main_splitter.setSizes([500, 900])
    sizes = window.main_splitter.sizes()
    window.close()
    assert settings.layout_state("main_splitter") is not None
    again = make_window()
    assert again.main_splitter.sizes() == sizes


def test_models_in_the_window_pass_qtmodeltester(qtbot, qtmodeltester, make_window, yunxi_dir):
    window = make_window()
    open_and_wait(qtbot, window, [yunxi_dir])
    window.correct(fid_of(window, "basic.sangong.final"), "2")
    for model in (window.fields_model, window.fields.filter, window.findings_model, window.findings.proxy,
                  window.indicators_model):
        qtmodeltester.check(model)


def test_the_real_checks_run_in_the_window(qtbot, make_window, yunxi_dir):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    session = open_and_wait(qtbot, window, [yunxi_dir])
    assert window.findings_model.rowCount() == len(session.case.findings)
    before = len(session.case.findings)
    window.correct(fid_of(window, "basic.sangong.final"), "0.97")
    window.act_undo.trigger()
    assert len(session.case.findings) == before
    assert QApplication.instance() is not None and isinstance(window, MainWindow)


def test_opening_can_be_cancelled(qtbot, make_window, yunxi_dir):
    go_on = threading.Event()

    def slow_recheck(case):
        assert go_on.wait(30)
        toy_recheck(case)

    window = make_window(recheck=slow_recheck)
    with qtbot.waitSignal(window.open_finished, timeout=OPEN_TIMEOUT):
        window.open_paths([str(yunxi_dir)])
        assert window.progress.cancel.isVisible()
        window.progress.cancel.click()
        go_on.set()
    assert window.session is None
    assert window.stack.currentWidget() is window.welcome
    assert window.statusBar().currentMessage() == "已取消打开"
    assert not window.progress.isVisible()


def test_a_failed_save_is_a_banner_with_save_as_and_nothing_is_lost(qtbot, make_window, prompts, yunxi_dir,
                                                                     tmp_path):
    not_a_folder = tmp_path / "cases"
    not_a_folder.write_text("a file where the case folder should be", encoding="utf-8")
    window = make_window(store_dir=not_a_folder)
    session = open_and_wait(qtbot, window, [yunxi_dir])
    banner = window.banners.banner("save_failed")
    assert banner is not None and "无法保存审核记录" in banner.text and "没有丢失" in banner.text
    assert window.save_label.text() == "保存失败"
    window.correct(fid_of(window, "basic.sangong.final"), "1.5")  # still works, in memory
    target = tmp_path / "elsewhere" / "review.case.json"
    prompts.save_as_answer = str(target)
    (button,) = banner.buttons()
    with qtbot.waitSignal(window.bridge.saved):
        button.click()
    assert target.exists()
    assert [r.new_raw for r in load_case(target)[1].corrections] == ["1.5"]
    assert window.banners.banner("save_failed") is None
    window.correct(fid_of(window, "basic.sangong.final"), "1.6")  # and autosaving goes on there
    assert [r.new_raw for r in load_case(target)[1].corrections] == ["1.5", "1.6"]
    assert session is window.session


def test_tab_on_the_page_steps_through_a_findings_places(qtbot, make_window, yunxi_dir):
    window = make_window()
    session = open_and_wait(qtbot, window, [yunxi_dir])
    window.correct(fid_of(window, "basic.sangong.final"), "2")
    error = next(f for f in session.case.findings if f.severity.value == "error")
    window.findings.select_fingerprint(error.fingerprint)
    view = window.documents.view
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    with qtbot.waitSignal(window.documents.location_changed) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Tab)
    assert blocker.args == [1]
    assert view.hasFocus()  # Tab stepped, it did not move the focus away


def test_recent_cases_are_in_the_file_menu(qtbot, make_window, yunxi_dir, settings):
    window = make_window()
    open_and_wait(qtbot, window, [yunxi_dir])
    window._fill_recent_menu()
    actions = [a.text() for a in window.recent_menu.actions() if a.text()]
    assert actions[0] == "&1 中共岳阳市云溪区委组织部"
    assert actions[-1] == "清除列表"
    assert settings.recent_cases()[0]["path"] == str(window.bridge.case_path)


def test_a_wrong_password_is_asked_again_then_the_file_is_skipped(qtbot, make_window, prompts, tmp_path):
    pdf = make_pdf(tmp_path / "加密.pdf", ["2024 budget 123.45"], password="secret")
    prompts.password_answer = "wrong"
    window = make_window()
    with qtbot.waitSignal(window.open_finished, timeout=OPEN_TIMEOUT):
        window.open_paths([str(pdf)])
    assert [c[2] for c in prompts.asked("password")] == [False, True, True]  # then it stops asking
    (error,) = prompts.asked("error")
    assert "密码不正确" in error[2]
    assert window.session is None


def test_restored_message_says_what_was_done_or_that_nothing_was():
    from ui.window.opening import restored_message

    assert restored_message(1, 1) == "已恢复上次的审核：1处修改，1条问题已处理"
    assert restored_message(0, 3) == "已恢复上次的审核：3条问题已处理"
    assert restored_message(0, 0) == "已恢复上次的审核：尚未修改数值，也未处理问题"
