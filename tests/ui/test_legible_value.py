"""A click on a field, an indicator cell or a finding shows its printed value legibly (digits ≥ 12 px, about
15 px, instead of ~6 px at the window's fit-width zoom), inside the view; a key returns to the reviewer's
zoom.  At the common laptop size 1366×768."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from core.review.session import cell_id
from tests.ui.conftest import YUNXI


def _in_view(view, key, page, bbox) -> bool:
    r = view.mapFromScene(view.box_rect(key, page, bbox)).boundingRect()
    return view.viewport().rect().contains(r)


def test_values_are_zoomed_to_legibly_and_the_reviewers_zoom_comes_back(qtbot, make_window):
    window = make_window()
    window.resize(1366, 768)
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(YUNXI)])
    session, view = window.session, window.documents.view
    view.fit_width()
    fit_zoom = view.zoom
    fld = session.case.first("basic.sangong.final")
    assert view.digit_px(fld.bbox) < 9  # what the reviewer saw before: about 6 px
    window.fields.select_field(fld.id)
    key = view.document_keys()[0] if len(view.document_keys()) == 1 else window._doc_keys[fld.doc]
    assert 12 <= view.digit_px(fld.bbox) <= 20
    assert _in_view(view, key, fld.page, fld.bbox)
    # an indicator cell
    ind = next(i for i in session.case.indicators if "score" in i.cells)
    window.fields.select_indicator(cell_id(ind.id, "score"))
    box = ind.cells["score"]
    assert 12 <= view.digit_px(box) <= 20
    assert _in_view(view, window._doc_keys[ind.source.doc], ind.source.page, box)
    # a finding: its first place
    finding = next(f for f in session.case.findings if f.locations and f.locations[0].bbox[2] > 0)
    window.findings.select_fingerprint(finding.fingerprint)
    loc = finding.locations[0]
    assert 12 <= view.digit_px(loc.bbox) <= 20 * 1.8
    assert _in_view(view, window._doc_keys[loc.doc], loc.page, loc.bbox)
    # Ctrl+9: back to the reviewer's zoom (fit width)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    assert abs(view.zoom - fit_zoom) < 1e-6 and view.fit_width_mode
    assert not view.zoomed_to_value
    # a zoom the reviewer chose that is legible already is kept
    chosen = view.legible_zoom(fld.bbox) * 1.4
    view.set_zoom(chosen)
    window.fields.select_field(session.case.first("basic.sangong.budget").id)
    assert abs(view.zoom - chosen) < 1e-6


def test_a_printed_unit_is_not_said_twice_and_the_unit_name_is_the_title(qtbot, make_window, real_pdf):
    window = make_window()
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(real_pdf)])
    session = window.session
    fld = next(f for f in session.case.fields if f.unit == "万元" and f.raw.endswith("万元"))
    window.fields.select_field(fld.id)
    info = window.fields.card.info.text()
    assert f"原值：{fld.raw}" in info and "万元 万元" not in info
    # the 决算 names its unit only on its cover and over its tables, wrapped on two lines
    qtbot.waitUntil(lambda: window.case_label.text() == "中共上海市普陀区委社会工作部", timeout=20000)
    assert window.windowTitle().startswith("中共上海市普陀区委社会工作部")
