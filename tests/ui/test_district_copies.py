"""Copied text in the window, offscreen: a workspace case opened for review is compared with the district's
other cases in the background (``core.copies``); the copy findings join its findings list, on both cases,
and selecting one outlines its own place on the page.

The district is the fixture district (``tests/data/district``): the 民政局, the 退役军人事务局 that copied its
paragraph and two indicators, and three departments sharing nothing but the template.  Three of them are
read by the core beforehand (as a batch would), the other two are opened in the window.  The window runs the
real checks here (the copy findings are served by ``core.checks.copies``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from core.copies import record_signature
from core.pipeline import extract_case, recheck
from ui.models.findings_model import COL_CHECK

DISTRICT = Path(__file__).resolve().parents[1] / "data" / "district"
OPEN_TIMEOUT = 90000
SOURCE, COPIER, OTHER = "益阳市资阳区民政局", "益阳市资阳区退役军人事务局", "益阳市资阳区文化旅游广电体育局"


@pytest.fixture
def district(tmp_path) -> Path:
    root = tmp_path / "资阳区2024"
    for folder in ("zy_minzheng", "zy_tuiyijunren", "zy_wenlv", "zy_nongye", "zy_zhujian"):
        (root / folder).mkdir(parents=True)
        for pdf in sorted((DISTRICT / folder).glob("*.pdf")):
            shutil.copy2(pdf, root / folder / pdf.name)
    return root


def open_case(qtbot, window, name: str) -> None:
    ws = window.workspace
    cid = next(e.id for e in ws.list_cases() if e.name == name)
    with qtbot.waitSignal(window.district_compared, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    assert window.case_title() == name


def copy_rows(window) -> dict[str, str]:
    """check → the text of its column 检查, for the copy findings in the findings list."""
    model = window.findings_model
    return {model.finding(model.index(r, 0)).check: model.index(r, COL_CHECK).data()
            for r in range(model.rowCount()) if model.finding(model.index(r, 0)).check.startswith("copies.")}


def test_the_copy_findings_show_in_the_findings_list_of_both_cases(qtbot, make_window, district):
    window = make_window(recheck=recheck)
    with qtbot.waitSignal(window.workspace_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace(str(district))

    open_case(qtbot, window, SOURCE)
    assert copy_rows(window) == {}  # compared with nobody yet: no other case of the district was read

    ws = window.workspace
    for folder in ("zy_nongye", "zy_zhujian"):  # read elsewhere (a batch), their signatures in the store
        cid = next(e.id for e in ws.list_cases() if e.folder.name == folder)
        record_signature(ws, cid, extract_case(ws.sources(cid)))

    open_case(qtbot, window, OTHER)
    assert copy_rows(window) == {}  # four units: not enough to tell template from copies, nothing said

    open_case(qtbot, window, COPIER)
    rows = copy_rows(window)
    assert rows == {"copies.text": "与其他单位材料文字相同", "copies.indicators": "与其他单位绩效指标相同"}
    text = next(f for f in window.session.case.findings if f.check == "copies.text")
    assert f"“{SOURCE}”自评报告第" in text.message

    # selecting it outlines its own place in the package on screen
    fp = text.fingerprint
    window.show_finding(fp)
    assert window.documents._locations and len(window.documents._locations) == len(text.locations)

    # the review keeps them (saved with the case), and the source, opened again, has them too
    open_case(qtbot, window, SOURCE)
    rows = copy_rows(window)
    assert rows == {"copies.text": "与其他单位材料文字相同", "copies.indicators": "与其他单位绩效指标相同"}
    text = next(f for f in window.session.case.findings if f.check == "copies.text")
    assert f"“{COPIER}”自评报告第" in text.message
    assert all(loc.page == text.locations[0].page for loc in text.locations)
    # a copy finding is decided like any other
    window.session.decide(text.fingerprint, "确认问题")
    assert window.session.decision(text.fingerprint).status == "确认问题"
    assert window.findings_model.index(window.findings_model.row_of(text.fingerprint), 0).data(
        Qt.ItemDataRole.DisplayRole)
