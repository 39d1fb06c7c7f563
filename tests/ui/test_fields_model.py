"""The field tree: structure (qtmodeltester), what each column shows, editing through the session, and
refreshing only what a ChangeSet touched."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt

from ui import style
from ui.models.common import FIELD_ID_ROLE
from ui.models.fields_model import (
    COL_LABEL,
    COL_PAGE,
    COL_RAW,
    COL_STATUS,
    COL_UNIT,
    COL_VALUE,
    FieldsFilter,
    FieldsModel,
)


def _fid(session, key):
    return session.case.first(key).id


def test_fields_model_passes_qtmodeltester(qtmodeltester, session):
    model = FieldsModel(session)
    qtmodeltester.check(model)


def test_fields_filter_passes_qtmodeltester(qtmodeltester, session):
    model = FieldsModel(session)
    proxy = FieldsFilter()
    proxy.setSourceModel(model)
    proxy.set_text("三公")
    qtmodeltester.check(proxy)
    proxy.set_text("")
    proxy.set_problems_only(True)
    qtmodeltester.check(proxy)


def test_fields_are_grouped_by_form_in_document_order(session):
    model = FieldsModel(session)
    titles = model.group_titles()
    assert titles[:2] == ["基础数据表", "自评表"]
    first_group = model.index(0, 0)
    assert model.data(first_group) == f"基础数据表（{model.rowCount(first_group)}项）"
    basic = [f.id for f in session.case.fields if f.form == "基础数据表"]
    rows = range(model.rowCount(first_group))
    assert [model.field_id(model.index(r, 0, first_group)) for r in rows] == basic


def test_columns_show_label_raw_unit_page_and_status(session):
    model = FieldsModel(session)
    fid = _fid(session, "basic.staff.control_rate")
    row = lambda col: model.index_of(fid, col)  # noqa: E731
    assert row(COL_LABEL).data() == "控制率"
    assert row(COL_RAW).data() == "100.00%"
    assert row(COL_VALUE).data() == ""  # not corrected: the 修正值 cell is empty
    assert row(COL_UNIT).data() == "%"
    assert row(COL_PAGE).data() == "第1页"
    assert row(COL_STATUS).data() == "●"
    # toy_recheck warns about a 控制率 of 100%: amber, with the finding in the tooltip
    assert row(COL_STATUS).data(Qt.ItemDataRole.ForegroundRole) == style.WARNING
    assert "控制率为100.00%" in row(COL_STATUS).data(Qt.ItemDataRole.ToolTipRole)
    ok = model.index_of(_fid(session, "basic.staff.authorized"), COL_STATUS)
    assert ok.data(Qt.ItemDataRole.ForegroundRole) == style.OK


def test_editing_the_value_cell_corrects_through_the_session(qtbot, session):
    model = FieldsModel(session)
    fid = _fid(session, "basic.sangong.final")
    idx = model.index_of(fid, COL_VALUE)
    assert model.flags(idx) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index_of(fid, COL_RAW)) & Qt.ItemFlag.ItemIsEditable
    session.subscribe(lambda name, change: name == "field_did_change" and model.apply_change(change))
    with qtbot.waitSignal(model.dataChanged) as blocker:
        assert model.setData(idx, "0.98")
    assert blocker.args[0].data(FIELD_ID_ROLE) == fid
    assert session.field(fid).value == Decimal("0.98")
    assert idx.data() == "0.98"
    assert idx.data(Qt.ItemDataRole.FontRole).bold()
    assert idx.data(Qt.ItemDataRole.BackgroundRole) == style.CORRECTED_BG
    assert model.index_of(fid, COL_RAW).data() == "0.96"  # 原值 stays as printed
    assert idx.data(Qt.ItemDataRole.ToolTipRole).startswith("原值 0.96，修改于 ")


def test_the_tooltip_of_a_correction_names_its_reason(session):
    model = FieldsModel(session)
    fid = _fid(session, "basic.sangong.final")
    session.correct(fid, "0.97", "按决算表更正")
    tip = model.index_of(fid, COL_VALUE).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("原值 0.96，修改于 ")
    assert tip.endswith("理由 按决算表更正")


def test_a_bad_entry_is_refused_with_the_sessions_reason(qtbot, session):
    model = FieldsModel(session)
    fid = _fid(session, "basic.sangong.final")
    with qtbot.waitSignal(model.entry_refused) as blocker:
        assert not model.setData(model.index_of(fid, COL_VALUE), "九毛六")
    assert blocker.args[0] == fid
    assert "不是有效金额" in blocker.args[1]
    assert session.field(fid).value == Decimal("0.96")
    assert not session.corrections.records


def test_a_change_refreshes_only_the_rows_it_touched(qtbot, session):
    model = FieldsModel(session)
    changed_rows = []
    model.dataChanged.connect(lambda a, b: changed_rows.append(a.data(FIELD_ID_ROLE)))
    final = _fid(session, "basic.sangong.final")
    budget = _fid(session, "basic.sangong.budget")
    model.apply_change(session.correct(final, "2"))  # 2 > 1.8: toy_recheck's error appears
    touched = {r for r in changed_rows if r}
    assert touched == {final, budget}  # the value of one, the colour of both; nothing else
    assert model.status_of(final) == "error" and model.status_of(budget) == "error"
    assert model.index_of(budget, COL_STATUS).data(Qt.ItemDataRole.ForegroundRole) == style.ERROR
    group = model.index(0, COL_STATUS)
    assert group.data(Qt.ItemDataRole.ForegroundRole) == style.ERROR


def test_problems_only_filter_keeps_fields_with_open_findings(session):
    model = FieldsModel(session)
    proxy = FieldsFilter()
    proxy.setSourceModel(model)
    proxy.set_problems_only(True)
    shown = []
    for g in range(proxy.rowCount()):
        group = proxy.index(g, 0)
        shown += [proxy.index(r, 0, group).data(FIELD_ID_ROLE) for r in range(proxy.rowCount(group))]
    assert shown == [_fid(session, "basic.staff.control_rate")]
