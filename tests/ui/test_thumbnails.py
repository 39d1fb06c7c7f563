"""Every page's thumbnail is drawn when it comes into sight — the later pages of a long file (its 公开07/08 and
决算说明) and the pages of a package's second file too; they stayed blank when the strip was scrolled."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView

from ui.widgets.page_list import KEY_ROLE, PAGE_ROLE

from tests.ui.conftest import YUNXI


def _wait_all_drawn(qtbot, strip):
    for row in range(strip.count()):
        item = strip.item(row)
        key = item.data(KEY_ROLE)
        if not key:
            continue
        strip.scrollToItem(item, QAbstractItemView.ScrollHint.PositionAtTop)
        qtbot.waitUntil(lambda k=key, p=item.data(PAGE_ROLE): (k, int(p)) in strip._have, timeout=20000)


def test_thumbnails_of_the_last_pages_and_of_a_second_file(qtbot, make_window, real_pdf):
    window = make_window()
    window.resize(1366, 768)
    files = [real_pdf, *sorted(YUNXI.glob("*.pdf"))]  # two or more files: a package's second file
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(p) for p in files])
    strip = window.documents.pages
    pages = [strip.item(r) for r in range(strip.count()) if strip.item(r).data(KEY_ROLE)]
    assert len(pages) > 24  # the 决算's 24 pages and the second file's
    _wait_all_drawn(qtbot, strip)
    assert len(strip._have) == len(pages)
