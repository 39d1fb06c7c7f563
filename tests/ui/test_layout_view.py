"""Word, Excel and OFD pages in the page view: drawn from the core's layout, boxes where the figures are."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QColor

from core.pipeline import extract_case
from ui.layout_render import layout_page_image
from ui.rendering import PageRenderer, RenderRequest
from ui.widgets.pdf_view import Box, PdfView

OFFICE = Path(__file__).resolve().parents[1] / "data" / "office"
XLSX = OFFICE / "split_files_2024/01-部门整体支出绩效评价基础数据表.xlsx"
DOCX = OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.docx"


def _ink(image, box, scale: float) -> int:
    """Dark pixels inside ``box`` (points) of a page image drawn at ``scale``."""
    x0, t, x1, b = (int(v * scale) for v in box)
    n = 0
    for y in range(max(t, 0), min(b, image.height())):
        for x in range(max(x0, 0), min(x1, image.width())):
            if QColor(image.pixel(x, y)).lightness() < 128:
                n += 1
    return n


@pytest.mark.parametrize("path", [XLSX, DOCX])
def test_a_figure_box_on_the_drawn_page_holds_its_printed_digits(qapp, path):
    case = extract_case([path])
    fields = [f for f in case.fields if f.raw and any(ch.isdigit() for ch in f.raw)]
    assert fields
    from core.documents.reader import open_any

    doc = open_any(path, "d1")
    f = fields[0]
    page = doc.pages[f.page - 1]
    image = layout_page_image(page, 2.0)
    assert (image.width(), image.height()) == (int(page.width * 2), int(page.height * 2))
    assert _ink(image, f.bbox, 2.0) > 10  # the figure is drawn inside its box
    margin = (2, f.bbox[1], 30, f.bbox[3])  # the page's left margin, level with the figure: nothing drawn
    assert _ink(image, margin, 2.0) == 0


def test_the_renderer_opens_a_sheet_and_draws_its_pages(qtbot):
    r = PageRenderer()
    r.start()
    try:
        with qtbot.waitSignal(r.opened, timeout=20000) as opened:
            r.open_document("x", str(XLSX))
        assert opened.args[0] == "x" and len(opened.args[1]) == 1
        w, h = opened.args[1][0]
        with qtbot.waitSignal(r.rendered, timeout=20000) as shown:
            r.set_wanted("view", [RenderRequest("x", 0, 1.5)])
        image = shown.args[4]
        assert (image.width(), image.height()) == (int(w * 1.5), int(h * 1.5))
    finally:
        r.shutdown()


def test_a_damaged_office_file_shows_its_reason(qtbot, tmp_path):
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(XLSX.read_bytes()[:2000])
    r = PageRenderer()
    r.start()
    try:
        with qtbot.waitSignal(r.open_failed, timeout=20000) as failed:
            r.open_document("bad", str(bad))
        assert failed.args[1] == "corrupt" and "Excel" in failed.args[2]
    finally:
        r.shutdown()


def test_the_page_view_shows_a_word_file_with_the_field_box(qtbot):
    case = extract_case([DOCX])
    f = next(f for f in case.fields if f.key.startswith("report.") and f.raw)
    renderer = PageRenderer()
    renderer.start()
    try:
        v = PdfView(renderer)
        qtbot.addWidget(v)
        v.resize(700, 800)
        v.show()
        with qtbot.waitSignal(v.page_shown, timeout=20000):
            v.set_documents([("d1", str(DOCX), DOCX.name)])
        assert v.page_count() >= 2
        assert v.page_size("d1", 1) == pytest.approx((595.3, 841.9), abs=0.1)
        v.set_highlights("field", [Box("d1", f.page, f.bbox)], QColor("blue"), current=0)
        (outline,) = v.highlight_rects("field")
        assert outline.contains(v.box_rect("d1", f.page, f.bbox))
    finally:
        renderer.shutdown()


def test_the_field_card_names_the_sheet_cell_a_figure_came_from(qtbot):
    from core.review import ReviewSession
    from ui.widgets.field_panel import FieldCard

    case = extract_case([XLSX])
    session = ReviewSession(case, lambda c: None)
    f = next(f for f in case.fields if f.key == "basic.staff.authorized")
    card = FieldCard()
    qtbot.addWidget(card)
    card.show_field(session, f.id)
    assert f"（{f.attrs['where']}）" in card.info.text() and "单元格" in card.info.text()
