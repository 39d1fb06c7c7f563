"""Values entered by hand against the page image of a scanned PDF, in the window, offscreen: the banner says
扫描件, the reviewer boxes a value on the page, picks its key and types it; it is listed among the fields and
boxed on the page; Ctrl+Z takes it away; the case file brings it back.  Also the dialog itself and the
catalogue it lists (through qtmodeltester).

The scanned PDF is built here, as tests/core/documents/test_bad_pdfs.py builds its own: two pages, each one
image of ruled lines and no text layer.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt

from ui.dialogs.manual_entry import ManualEntry, ManualEntryDialog
from ui.field_catalogue import load_catalogue
from ui.main_window import doc_key
from ui.models.catalogue_model import CatalogueFilter, CatalogueModel
from ui.models.fields_model import COL_RAW, COL_VALUE

OPEN_TIMEOUT = 60000


def scanned_pdf(path: Path) -> Path:
    pytest.importorskip("reportlab")
    pil = pytest.importorskip("PIL.Image")
    from PIL import ImageDraw
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img = pil.new("RGB", (600, 800), "white")
    d = ImageDraw.Draw(img)
    for y in range(100, 700, 40):
        d.line((50, y, 550, y), fill="black", width=2)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for _ in range(2):
        c.drawImage(ImageReader(io.BytesIO(buf.getvalue())), 40, 40, width=515, height=760)
        c.showPage()
    c.save()
    return path


SANGONG = ManualEntry(key="basic.sangong.final", label="三公经费（本年决算数）", unit="万元", form="基础数据表",
                      text="1.20", reason="按扫描件第1页录入")


@pytest.fixture
def scan(tmp_path) -> Path:
    return scanned_pdf(tmp_path / "基础数据表（扫描件）.pdf")


def open_scan(qtbot, window, pdf: Path):
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(pdf)])
    qtbot.waitUntil(lambda: window.documents.view.page_count(doc_key(pdf)) == 2)
    return window.session


def drag(qtbot, view, key: str, page: int, start: tuple[float, float], end: tuple[float, float]) -> None:
    """Press, move and release the mouse on the page view, from ``start`` to ``end`` (points on the page)."""
    origin = view.page_rect(key, page).topLeft()
    a = view.mapFromScene(origin + QPointF(*start))
    b = view.mapFromScene(origin + QPointF(*end))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.LeftButton, pos=a)
    qtbot.mouseMove(view.viewport(), pos=(a + b) / 2)
    qtbot.mouseMove(view.viewport(), pos=b)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=b)


def test_a_value_boxed_on_a_scanned_page_is_listed_and_boxed(qtbot, make_window, prompts, scan):
    window = make_window()
    session = open_scan(qtbot, window, scan)
    banner = window.banners.banner("scanned")
    assert banner is not None and "扫描件，无文字层" in banner.text and scan.name in banner.text
    assert [b.text() for b in banner.buttons()] == ["手工录入数值…（Ctrl+M）"]
    assert window.fields_model.rowCount() == 0
    assert window.fields.card.title.text() == "没有提取到字段"

    view = window.documents.view
    key = doc_key(scan)
    view.go_to(key, 1)
    window.act_manual.trigger()  # Ctrl+M
    assert view.drawing and window.documents.draw_bar.isVisible()
    prompts.manual_entry_answer = SANGONG
    with qtbot.waitSignal(window.manual_entry_finished, timeout=5000) as done:
        drag(qtbot, view, key, 1, (300.0, 240.0), (360.0, 256.0))
    (fid,) = done.args
    assert not view.drawing and not window.documents.draw_bar.isVisible()
    (asked,) = prompts.asked("manual_entry")
    assert "第1页" in asked[1] and "已框选" in asked[1]

    fld = session.field(fid)
    assert (fld.key, fld.value, fld.unit, fld.form, fld.page) == \
        ("basic.sangong.final", Decimal("1.20"), "万元", "基础数据表", 1)
    assert fld.bbox == pytest.approx((300.0, 240.0, 360.0, 256.0), abs=1.5)
    assert fld.attrs == {"manual": True} and fld.confidence == 1.0
    # in the field list, as entered by hand
    idx = window.fields.proxy_index(fid)
    assert idx.isValid() and idx.data() == "三公经费（本年决算数）"
    assert window.fields.proxy_index(fid, COL_RAW).data() == "（手工录入）"
    assert window.fields.proxy_index(fid, COL_VALUE).data() == "1.20"
    assert window.fields.current_field_id() == fid
    # and boxed on the page
    (outline,) = view.highlight_rects("field")
    page = view.page_rect(key, 1)
    x0, top, x1, bottom = fld.bbox
    assert outline.adjusted(2, 2, -2, -2).getCoords() == pytest.approx(
        (page.left() + x0, page.top() + top, page.left() + x1, page.top() + bottom))
    assert "手工录入" in window.fields.card.info.text()
    assert "手工录入" in window.act_undo.text()

    window.act_undo.trigger()  # Ctrl+Z removes it
    assert not window.fields.proxy_index(fid).isValid() and window.fields_model.rowCount() == 0
    assert "已移除" in window.statusBar().currentMessage()
    window.act_redo.trigger()
    assert window.fields.proxy_index(fid).isValid()


def test_skipping_the_box_uses_the_page_on_screen(qtbot, make_window, prompts, scan):
    window = make_window()
    session = open_scan(qtbot, window, scan)
    view = window.documents.view
    view.go_to(doc_key(scan), 2)
    qtbot.waitUntil(lambda: view.current_page() == (doc_key(scan), 2))
    window.fields.manual_button.click()
    prompts.manual_entry_answer = ManualEntry(key="basic.staff.actual", label="实际在职人数", unit="人",
                                              form="基础数据表", text="20")
    with qtbot.waitSignal(window.manual_entry_finished, timeout=5000) as done:
        window.documents.draw_bar.skip_button.click()
    fld = session.field(done.args[0])
    assert (fld.page, fld.bbox, fld.value) == (2, (0.0, 0.0, 0.0, 0.0), Decimal("20"))
    assert "未框选" in prompts.asked("manual_entry")[0][1]
    assert prompts.asked("manual_entry")[0][2] == ""  # no key suggested before the first entry


def test_escape_cancels_and_a_cancelled_dialog_enters_nothing(qtbot, make_window, prompts, scan):
    window = make_window()
    session = open_scan(qtbot, window, scan)
    view = window.documents.view
    window.act_manual.trigger()
    window.activateWindow()
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.drawing and not window.documents.draw_bar.isVisible()
    window.act_manual.trigger()
    prompts.manual_entry_answer = None  # the reviewer closed the dialog
    with qtbot.waitSignal(window.manual_entry_finished, timeout=5000) as done:
        window.documents.draw_bar.skip_button.click()
    assert done.args == [""] and not session.corrections.records


def test_entries_survive_a_restart_and_suggest_the_next_row(qtbot, make_window, prompts, scan):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    session = open_scan(qtbot, window, scan)
    prompts.manual_entry_answer = SANGONG
    with qtbot.waitSignal(window.manual_entry_finished, timeout=5000):
        window.enter_value(session.case.documents[0].id, 1, (300.0, 240.0, 360.0, 256.0))
    report = ManualEntry(key="report.sangong.final", label="报告：“三公”经费决算", unit="万元", form="自评报告",
                         text="0.96")
    prompts.manual_entry_answer = report
    window.enter_value(session.case.documents[0].id, 2, None)
    assert prompts.asked("manual_entry")[1][2] == "basic.vehicle.prev"  # the next cell, row by row
    # the real checks run over hand entries: the two 三公 figures disagree
    assert any(f.check == "cross.c13_sangong" for f in session.case.findings)
    assert window.findings_model.rowCount() == len(session.case.findings)
    window.close()

    again = make_window(recheck=recheck)
    restored = open_scan(qtbot, again, scan)
    manual = [f for f in restored.case.fields if f.attrs.get("manual")]
    assert [(f.key, f.value) for f in manual] == [("basic.sangong.final", Decimal("1.20")),
                                                  ("report.sangong.final", Decimal("0.96"))]
    assert again.fields_model.rowCount() == 2  # two groups: 基础数据表 and 报告
    assert any(f.check == "cross.c13_sangong" for f in restored.case.findings)


# -- the dialog and its catalogue -----------------------------------------------------------------------------

def test_catalogue_model_and_filter_pass_qtmodeltester(qtmodeltester):
    entries = load_catalogue()
    model = CatalogueModel(entries, {"basic.sangong.final"})
    qtmodeltester.check(model)
    proxy = CatalogueFilter()
    proxy.setSourceModel(model)
    proxy.set_text("三公 决算")
    qtmodeltester.check(proxy)
    assert 0 < proxy.rowCount() < len(entries)


def test_the_catalogue_is_derived_from_the_field_spec():
    entries = {e.key: e for e in load_catalogue()}
    assert len(entries) == len(load_catalogue())  # no key twice
    for key in ("basic.unit_name", "basic.sangong.prev", "basic.sangong.budget", "basic.sangong.final",
                "basic.staff.control_rate", "selfeval.funds.execution_rate", "selfeval.grade",
                "accounts.t09.final.total", "report.sangong.final", "report.stated_ratio"):
        assert key in entries
    assert entries["basic.sangong.final"].unit == "万元" and entries["basic.staff.control_rate"].unit == "%"
    assert entries["accounts.t03.total"].unit_choices == ("元", "万元")
    assert entries["report.expense_total"].field_label("决算说明") == "决算说明：支出合计"


def test_the_dialog_searches_checks_and_answers(qtbot):
    d = ManualEntryDialog(load_catalogue(), "基础数据表 第1页，已框选数值的位置", present={"basic.unit_name"})
    qtbot.addWidget(d)
    d.search.setText("三公 本年决算")
    assert d.current_entry().key == "basic.sangong.final"
    assert not d.ok.isEnabled()  # no value yet
    d.value.setText("九毛六")
    assert not d.ok.isEnabled() and "不是有效金额" in d.problem.text()
    d.value.setText("0.96")
    assert d.ok.isEnabled() and d.problem.text() == ""
    assert d.unit.currentText() == "万元" and not d.unit.isEnabled()  # the 基础数据表 is in 万元 only
    d.reason.setText("按扫描件录入")
    with qtbot.waitSignal(d.accepted):
        d.ok.click()
    assert d.result_entry == ManualEntry("basic.sangong.final", "三公经费（本年决算数）", "万元", "基础数据表",
                                         "0.96", "按扫描件录入")


def test_the_dialog_offers_the_units_and_forms_a_key_may_have(qtbot):
    d = ManualEntryDialog(load_catalogue(), "第9页", key="accounts.t09.final.total")
    qtbot.addWidget(d)
    assert [d.unit.itemText(i) for i in range(d.unit.count())] == ["元", "万元"]
    d.unit.setCurrentText("万元")
    d.value.setText("0.96")
    d.ok.click()
    assert (d.result_entry.unit, d.result_entry.form) == ("万元", "决算")
    d2 = ManualEntryDialog(load_catalogue(), "第3页", key="report.expense_total")
    qtbot.addWidget(d2)
    d2.form_box.setCurrentText("决算说明")
    d2.value.setText("1,363.38")
    d2.ok.click()
    assert (d2.result_entry.label, d2.result_entry.form) == ("决算说明：支出合计", "决算说明")
