"""The page view on a real PDF: pages laid out in points, boxes where pdfplumber says, rendering in the
background, zoom."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor

from ui.rendering import PageRenderer
from ui.widgets.pdf_view import Box, PdfView

BOX = (256.44, 204.24, 285.18, 214.69)  # 公开01 一般公共预算财政拨款收入 307.82, page 5 of the real PDF


@pytest.fixture
def view(qtbot, real_pdf):
    renderer = PageRenderer()
    renderer.start()
    v = PdfView(renderer)
    qtbot.addWidget(v)
    v.resize(700, 800)
    v.show()
    with qtbot.waitSignal(v.page_shown, timeout=20000) as first:
        v.set_documents([("real", str(real_pdf), real_pdf.name)])
    assert first.args == ["real", 1]  # page 1 is the first one drawn
    yield v
    renderer.shutdown()


def test_all_pages_are_laid_out_in_points(view):
    assert view.page_count() == 24
    w, h = view.page_size("real", 1)
    assert (round(w, 1), round(h, 1)) == (595.3, 841.9)
    p1, p2 = view.page_rect("real", 1), view.page_rect("real", 2)
    assert p2.top() > p1.bottom()
    assert view.is_page_shown("real", 1)


def test_a_box_lands_on_the_printed_value_at_any_zoom(view):
    page = view.page_rect("real", 5)
    expected = QRectF(page.left() + BOX[0], page.top() + BOX[1], BOX[2] - BOX[0], BOX[3] - BOX[1])
    for zoom in (0.5, 1.0, 2.5):
        view.set_zoom(zoom)
        assert view.box_rect("real", 5, BOX) == expected
    view.set_highlights("field", [Box("real", 5, BOX)], QColor("blue"), current=0)
    (outline,) = view.highlight_rects("field")
    assert outline.contains(expected)
    assert outline.adjusted(2, 2, -2, -2) == expected  # a 2-point margin round the printed value


def test_go_to_scrolls_to_the_page_and_centres_the_box(qtbot, view):
    with qtbot.waitSignal(view.current_page_changed) as blocker:
        view.go_to("real", 5, BOX)
    assert blocker.args == ["real", 5]
    assert view.current_page() == ("real", 5)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.contains(view.box_rect("real", 5, BOX))
    if not view.is_page_shown("real", 5):  # rendered in the background, after the scroll
        with qtbot.waitSignal(view.page_shown, timeout=20000, check_params_cb=lambda k, p: p == 5):
            pass
    assert view.is_page_shown("real", 5)


def test_zoom_and_fit_width(view):
    assert view.fit_width_mode
    fitted = view.zoom
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    assert visible.width() >= view.page_rect("real", 1).width()
    view.zoom_in()
    assert view.zoom == pytest.approx(fitted * 1.2)
    assert not view.fit_width_mode
    view.zoom_out()
    view.zoom_out()
    assert view.zoom == pytest.approx(fitted / 1.2)
    view.fit_width()
    assert view.zoom == pytest.approx(fitted)


def test_a_zero_area_box_means_the_whole_page(view):
    assert view.box_rect("real", 3, (0, 0, 0, 0)) == view.page_rect("real", 3)


def test_a_file_that_is_not_a_pdf_shows_its_reason(qtbot, tmp_path, view):
    bad = tmp_path / "坏.pdf"
    bad.write_bytes(b"not a pdf at all")
    with qtbot.waitSignal(view.open_failed) as blocker:
        view.set_documents([("bad", str(bad), bad.name)])
    assert blocker.args[1] == "corrupt"
    assert "PDF" in blocker.args[2]
    assert view.page_count("bad") == 1 and view.page_item("bad", 1).note == blocker.args[2]
