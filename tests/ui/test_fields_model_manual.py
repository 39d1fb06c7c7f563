"""The field tree when fields come and go: a value entered by hand appears in its form's group (a group of its
own when it is the first of its form), Ctrl+Z takes it (and the group) away, and every other field's index
stays valid throughout.  Checked by qtmodeltester while it happens."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QPersistentModelIndex

from ui.models.fields_model import COL_LABEL, COL_RAW, COL_VALUE, STRUCTURE_KEYS, FieldsFilter, FieldsModel


def test_a_hand_entry_of_a_new_form_brings_its_group_and_undo_takes_it_away(qtmodeltester, session):
    model = FieldsModel(session)
    proxy = FieldsFilter()
    proxy.setSourceModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    before = model.group_titles()
    assert "决算" not in before  # yunxi has no 决算
    report = next(f for f in session.case.fields if f.form == "自评报告" and f.key not in STRUCTURE_KEYS)
    kept = QPersistentModelIndex(model.index_of(report.id, COL_LABEL))
    assert kept.isValid()
    doc = session.case.documents[0].id

    change = session.add_field("accounts.t09.final.total", "9,600.00", doc, 1, (10, 10, 60, 22),
                               label="公开09 合计（决算数）", unit="元", form="决算")
    model.apply_change(change)
    (fid,) = change.fields_added
    assert model.group_titles() == ["基础数据表", "自评表", "决算", "报告（自评报告、决算说明）"]
    idx = model.index_of(fid, COL_LABEL)
    assert idx.isValid() and idx.data() == "公开09 合计（决算数）"
    assert model.parent(idx).data() == "决算（1项）"
    assert model.index_of(fid, COL_RAW).data() == "（手工录入）"
    assert model.index_of(fid, COL_VALUE).data() == "9,600.00"
    assert session.field(fid).value == Decimal("9600.00")
    assert kept.isValid() and model.field_id(model.index(kept.row(), 0, kept.parent())) == report.id

    second = session.add_field("basic.sangong.final", "0.96", doc, 1, None, label="三公经费（本年决算数）",
                               unit="万元", form="基础数据表")
    model.apply_change(second)
    basic = model.index(0, 0)
    last = model.index(model.rowCount(basic) - 1, COL_LABEL, basic)
    assert model.field_id(last) == next(iter(second.fields_added))  # appended to its group

    model.apply_change(session.undo())
    model.apply_change(session.undo())
    assert model.group_titles() == before
    assert not model.index_of(fid).isValid()
    assert kept.isValid() and model.field_id(model.index(kept.row(), 0, kept.parent())) == report.id
    model.apply_change(session.redo())
    assert model.index_of(fid).isValid() and "决算" in model.group_titles()
