"""The findings table and its filter: qtmodeltester, columns, rows following corrections by fingerprint,
decisions, and filtering by severity / status / text."""

from __future__ import annotations

from PySide6.QtCore import Qt

from core.review.corrections import NOT_APPLICABLE, VERIFIED
from ui import style
from ui.models.common import FINGERPRINT_ROLE
from ui.models.findings_model import (
    COL_MESSAGE,
    COL_PLACE,
    COL_SEVERITY,
    COL_STATUS,
    FindingsFilter,
    FindingsModel,
)


def _fid(session, key):
    return session.case.first(key).id


def test_findings_model_and_filter_pass_qtmodeltester(qtmodeltester, session):
    session.correct(_fid(session, "basic.sangong.final"), "2")
    model = FindingsModel(session)
    qtmodeltester.check(model)
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.sort(COL_SEVERITY)
    qtmodeltester.check(proxy)
    proxy.set_severity("warning")
    qtmodeltester.check(proxy)


def test_columns(session):
    model = FindingsModel(session)
    assert model.rowCount() == 1
    idx = model.index(0, COL_SEVERITY)
    assert idx.data() == "警告"
    assert not idx.data(Qt.ItemDataRole.DecorationRole).isNull()
    assert model.index(0, COL_MESSAGE).data() == "控制率为100.00%，请核实"
    assert model.index(0, COL_PLACE).data() == "第1页"
    assert model.index(0, COL_STATUS).data() == style.STATUS_OPEN
    assert "检查：toy.control_rate" in idx.data(Qt.ItemDataRole.ToolTipRole)


def test_a_correction_adds_and_removes_rows_by_fingerprint(qtbot, session):
    model = FindingsModel(session)
    fid = _fid(session, "basic.sangong.final")
    warning = model.index(0, 0).data(FINGERPRINT_ROLE)
    with qtbot.waitSignal(model.rowsInserted):
        model.apply_change(session.correct(fid, "2"))
    assert model.rowCount() == 2
    assert model.index(1, COL_SEVERITY).data() == "错误"
    assert "超过本年预算数" in model.index(1, COL_MESSAGE).data()
    assert model.index(0, 0).data(FINGERPRINT_ROLE) == warning  # the untouched row kept its place
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply_change(session.undo())
    assert model.rowCount() == 1
    assert model.index(0, 0).data(FINGERPRINT_ROLE) == warning


def test_a_changed_finding_updates_in_place(qtbot, session):
    fid = _fid(session, "basic.sangong.final")
    session.correct(fid, "2")
    model = FindingsModel(session)
    row = model.row_of(session.case.findings[0].fingerprint)
    with qtbot.assertNotEmitted(model.rowsRemoved), qtbot.waitSignal(model.dataChanged):
        model.apply_change(session.correct(fid, "3"))  # same finding (fingerprint), new numbers
    assert "3万元" in model.index(row, COL_MESSAGE).data()


def test_decisions_show_in_the_status_column(qtbot, session):
    model = FindingsModel(session)
    fp = model.index(0, 0).data(FINGERPRINT_ROLE)
    with qtbot.waitSignal(model.dataChanged):
        model.apply_change(session.decide(fp, VERIFIED, "已电话核实"))
    status = model.index(0, COL_STATUS)
    assert status.data() == VERIFIED
    assert "已电话核实" in status.data(Qt.ItemDataRole.ToolTipRole)
    assert status.data(Qt.ItemDataRole.ForegroundRole) == style.MUTED


def test_filter_by_severity_status_and_text(session):
    session.correct(_fid(session, "basic.sangong.final"), "2")
    model = FindingsModel(session)
    proxy = FindingsFilter()
    proxy.setSourceModel(model)
    proxy.sort(COL_SEVERITY)
    assert [proxy.index(r, COL_SEVERITY).data() for r in range(proxy.rowCount())] == ["错误", "警告"]
    proxy.set_severity("error")
    assert proxy.rowCount() == 1
    proxy.set_severity(None)
    proxy.set_text("控制率")
    assert proxy.rowCount() == 1 and "控制率" in proxy.index(0, COL_MESSAGE).data()
    proxy.set_text("")
    warning = next(model.index(r, 0).data(FINGERPRINT_ROLE) for r in range(model.rowCount())
                   if model.index(r, COL_SEVERITY).data() == "警告")
    model.apply_change(session.decide(warning, NOT_APPLICABLE, "本部门无编制控制要求"))
    proxy.set_status(style.STATUS_OPEN)
    assert proxy.rowCount() == 1 and proxy.index(0, COL_SEVERITY).data() == "错误"
    proxy.set_status(NOT_APPLICABLE)
    assert proxy.rowCount() == 1 and proxy.index(0, 0).data(FINGERPRINT_ROLE) == warning


def test_the_window_names_every_check_as_the_workbook_does():
    """One source of check names (resources/checks.json through check_catalogue): the findings list shows the
    Chinese name the 问题清单 shows, for every registered check, never the first words of its rule."""
    from core.checks.registry import all_checks
    from core.export.review_items import check_catalogue
    from ui.window.common import check_names

    names, catalogue = check_names(), check_catalogue()
    for info in all_checks():
        assert names.get(info.id) and names[info.id] == catalogue.name(info.id), info.id
    assert names["basic.sangong_sum"] == "三公经费合计"  # its rule begins "每一栏…"
    assert names["narrative.same_quantity"] == "同一数据前后不一致"
