"""Values entered by hand against the page image (``ReviewSession.add_field``): a scanned page has no text layer,
so the reviewer reads the value off the image, picks its catalogue key and draws its box.

Each test builds its case right here: one scanned document (two pages, nothing extracted) and one text
document whose 公开09 states 三公经费 9,600.00 元.  The ``recheck`` below has one rule, stated where it is; the
last tests run the real checks of ``core.pipeline``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from core.model import Case, DocumentInfo, Field, Finding, Severity, SourceRef
from core.review.corrections import KIND_NAMES, export_records
from core.review.session import FIELD_DID_CHANGE, FINDINGS_DID_CHANGE, InvalidEntry, ReviewSession
from core.review.store import load_case, save_case

TZ = timezone(timedelta(hours=8))
WAN = Decimal(10000)
BOX = (300.0, 240.0, 340.0, 252.0)
SCANNED = {"code": "scanned", "message": "扫描件，无文字层：页面只有图像，无法自动读取数字，请对照页面手工录入"}


def make_case() -> Case:
    return Case(
        documents=[
            DocumentInfo("d1", "/pkg/基础数据表（扫描件）.pdf", "a" * 64, 2, problems=[dict(SCANNED)]),
            DocumentInfo("d2", "/pkg/部门决算.pdf", "b" * 64, 9),
        ],
        fields=[
            Field("accounts.t09.final.total", Decimal("9600.00"), "元", "9,600.00",
                  SourceRef("d2", 9, (400.0, 300.0, 460.0, 312.0)), label="公开09 合计（决算数）", form="决算",
                  id="f1"),
        ],
    )


def recheck(case: Case) -> None:
    """One rule: 三公经费 of the 基础数据表 (万元) equals 公开09's (元); an error naming both places otherwise."""
    findings = []
    basic, t09 = case.first("basic.sangong.final"), case.first("accounts.t09.final.total")
    if basic and t09 and basic.value is not None and t09.value is not None and basic.value != t09.value / WAN:
        findings.append(Finding("cross.sangong", Severity.ERROR, "三公经费不一致", [basic.key, t09.key],
                                [basic.value, t09.value], [basic.source, t09.source]))
    case.findings[:] = findings
    case.scores = {}


class Clock:
    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 9, 0, tzinfo=TZ)

    def __call__(self) -> datetime:
        self.t += timedelta(minutes=1)
        return self.t


def make_session() -> ReviewSession:
    case = make_case()
    recheck(case)
    return ReviewSession(case, recheck, reviewer="张审核", clock=Clock())


def add_sangong(s: ReviewSession, text: str = "1.20", bbox=BOX):
    return s.add_field("basic.sangong.final", text, "d1", 1, bbox, label="三公经费（本年决算数）", unit="万元",
                       form="基础数据表", reason="按扫描件录入")


# -- adding ---------------------------------------------------------------------------------------------------

def test_a_value_entered_by_hand_is_a_field_with_its_place_and_a_manual_mark():
    s = make_session()
    events = []
    s.subscribe(lambda name, payload: events.append(name))
    change = add_sangong(s, "1.20万元")
    (fid,) = change.fields_added
    fld = s.field(fid)
    assert fid not in {"f1"} and fid.startswith("m")
    assert (fld.key, fld.value, fld.unit, fld.raw) == ("basic.sangong.final", Decimal("1.20"), "万元", "1.20万元")
    assert (fld.doc, fld.page, fld.bbox, fld.form) == ("d1", 1, BOX, "基础数据表")
    assert (fld.label, fld.confidence, fld.attrs) == ("三公经费（本年决算数）", 1.0, {"manual": True})
    assert s.case.fields[-1] is fld and s.is_manual(fid) and not s.is_manual("f1")
    assert s.original(fid) == (None, "") and s.is_corrected(fid)
    # the checks ran over it: 1.20 万元 is not 9,600.00 元
    assert [f.check for f in s.case.findings] == ["cross.sangong"]
    assert change.findings_added and fid in change.fields
    assert events == [FIELD_DID_CHANGE, FINDINGS_DID_CHANGE]
    (record,) = s.corrections.records
    assert (record.kind, record.field_id, record.key) == ("add", fid, "basic.sangong.final")
    assert (record.original_value, record.original_raw, record.old_value) == (None, "", None)
    assert (record.new_value, record.reason, record.reviewer) == (Decimal("1.20"), "按扫描件录入", "张审核")
    assert record.field["bbox"] == list(BOX) and "value" not in record.field


def test_no_box_means_the_whole_page():
    s = make_session()
    (fid,) = add_sangong(s, "0.96", bbox=None).fields_added
    assert s.field(fid).bbox == (0.0, 0.0, 0.0, 0.0)
    assert s.case.findings == []  # 0.96 万元 = 9,600.00 元


def test_the_value_is_read_with_the_number_rules_of_a_correction():
    s = make_session()
    (fid,) = add_sangong(s, "9600元").fields_added  # another money unit, converted exactly
    assert s.field(fid).value == Decimal("0.96")
    (rate,) = s.add_field("basic.staff.control_rate", "95.5%", "d1", 2, None, label="控制率", unit="%",
                          form="基础数据表").fields_added
    assert s.field(rate).value == Decimal("95.5")
    (name,) = s.add_field("basic.unit_name", " 云溪区委组织部 ", "d1", 1, None, label="填报单位",
                          form="基础数据表").fields_added
    assert s.field(name).value == "云溪区委组织部"


@pytest.mark.parametrize("text,reason", [("九毛六", "不是有效金额"), ("", "请输入数值"), ("—", "请输入数值"),
                                         ("12人", "不是金额单位")])
def test_a_bad_value_is_refused_with_a_reason_and_nothing_is_recorded(text, reason):
    s = make_session()
    with pytest.raises(InvalidEntry) as e:
        add_sangong(s, text)
    assert reason in e.value.reason
    assert not s.corrections.records and len(s.case.fields) == 1


def test_a_page_the_document_does_not_have_is_refused():
    s = make_session()
    with pytest.raises(InvalidEntry) as e:
        s.add_field("basic.sangong.final", "1", "d1", 3, None, unit="万元")
    assert "没有第3页" in e.value.reason
    with pytest.raises(InvalidEntry):
        s.add_field("basic.sangong.final", "1", "d9", 1, None, unit="万元")
    with pytest.raises(InvalidEntry):
        s.add_field(" ", "1", "d1", 1, None, unit="万元")


# -- undo, redo, edits ----------------------------------------------------------------------------------------

def test_undo_takes_the_field_out_and_redo_puts_it_back():
    s = make_session()
    (fid,) = add_sangong(s).fields_added
    undo = s.undo()
    assert undo.fields_removed == {fid} and fid in undo.fields
    assert [f.id for f in s.case.fields] == ["f1"] and s.case.findings == []
    with pytest.raises(KeyError):
        s.field(fid)
    assert s.corrections.records[-1].kind == "undo" and s.corrections.records[-1].ref == 1
    redo = s.redo()
    assert redo.fields_added == {fid}
    assert s.field(fid).value == Decimal("1.20") and s.is_manual(fid)
    assert [f.check for f in s.case.findings] == ["cross.sangong"]
    assert [r.kind for r in s.corrections.records] == ["add", "undo", "redo"]  # append-only


def test_an_undone_field_keeps_its_id_for_itself():
    s = make_session()
    (first,) = add_sangong(s).fields_added
    s.undo()
    (second,) = add_sangong(s, "0.96").fields_added  # a new entry clears the redo stack, like any edit
    assert second != first and not s.can_redo
    assert [f.id for f in s.case.fields] == ["f1", second]


def test_a_field_entered_by_hand_can_be_corrected_like_any_other():
    s = make_session()
    (fid,) = add_sangong(s).fields_added
    s.correct(fid, "0.96", "看错了")
    assert s.case.findings == []
    edit = s.corrections.records[-1]
    assert (edit.kind, edit.original_value, edit.old_value, edit.new_value) == \
        ("edit", None, Decimal("1.20"), Decimal("0.96"))
    s.undo()
    assert s.field(fid).value == Decimal("1.20")
    s.undo()
    assert s.case.first("basic.sangong.final") is None
    s.redo()
    s.redo()
    assert s.field(fid).value == Decimal("0.96")


# -- the case file --------------------------------------------------------------------------------------------

def test_save_and_reopen_restore_the_field_and_its_undo(tmp_path: Path):
    s = make_session()
    (fid,) = add_sangong(s).fields_added
    path = save_case(tmp_path / "r.case.json", s)
    again = ReviewSession.from_file(path, recheck, clock=Clock())
    fld = again.field(fid)
    assert (fld.value, fld.raw, fld.bbox, fld.attrs, fld.form) == (Decimal("1.20"), "1.20", BOX, {"manual": True},
                                                                     "基础数据表")
    assert again.original(fid) == (None, "") and fid not in again.logs.extracted
    assert [f.check for f in again.case.findings] == ["cross.sangong"]
    assert again.can_undo and again.corrections.next_undo().kind == "add"
    again.undo()
    assert again.case.first("basic.sangong.final") is None
    save_case(path, again)
    third = ReviewSession.from_file(path, recheck, clock=Clock())
    assert [f.id for f in third.case.fields] == ["f1"]  # undone: not in the case
    assert third.can_redo
    third.redo()
    assert third.field(fid).value == Decimal("1.20")


def test_the_log_is_the_record_of_what_was_entered(tmp_path: Path):
    """A case file whose fields section lost the field (edited by another program) gets it back from its
    ``add`` record; one that kept a field the log has undone loses it."""
    s = make_session()
    (kept,) = add_sangong(s, "0.96").fields_added
    (undone,) = s.add_field("basic.staff.actual", "20", "d1", 2, None, label="实际在职人数", unit="人",
                            form="基础数据表").fields_added
    s.undo()
    path = save_case(tmp_path / "r.case.json", s)
    d = json.loads(path.read_text(encoding="utf-8"))
    d["fields"] = [f for f in d["fields"] if f["id"] != kept]
    d["fields"].append({**d["fields"][0], "id": undone, "key": "basic.staff.actual", "attrs": {"manual": True}})
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    case, _logs = load_case(path)
    assert sorted(f.id for f in case.fields) == sorted(["f1", kept])
    again = ReviewSession.from_file(path, recheck)
    assert again.field(kept).value == Decimal("0.96") and again.is_manual(kept)
    with pytest.raises(KeyError):
        again.field(undone)


def test_the_record_reads_as_a_hand_entry_in_the_export(tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    from core.export import export_workbooks

    s = make_session()
    add_sangong(s)
    s.undo()
    s.redo()
    rows = export_records(s.corrections)
    assert [r["kind"] for r in rows] == [KIND_NAMES["add"], "撤销", "重做"] == ["手工录入", "撤销", "重做"]
    assert rows[0]["original_value"] is None and rows[0]["new_value"] == Decimal("1.20")
    [path] = export_workbooks(s.case, tmp_path, corrections=rows, reviewer=s.reviewer)
    ws = openpyxl.load_workbook(path)["修改记录"]
    rows = {row[0]: row[1:9] for row in ws.iter_rows(values_only=True) if isinstance(row[0], int)}
    assert rows[1] == ("手工录入", "三公经费（本年决算数）", "basic.sangong.final", "基础数据表（扫描件）.pdf", 1,
                       None, 1.2, "按扫描件录入")
    assert [rows[n][0] for n in (2, 3)] == ["撤销", "重做"]


# -- the real checks ------------------------------------------------------------------------------------------

def test_two_sangong_values_entered_by_hand_that_disagree_make_the_real_check_fire():
    from core.pipeline import recheck as real_recheck

    case = Case(documents=[DocumentInfo("d1", "/pkg/扫描件.pdf", "c" * 64, 2, problems=[dict(SCANNED)])])
    real_recheck(case)
    s = ReviewSession(case, real_recheck, reviewer="张审核")
    s.add_field("basic.sangong.final", "0.96", "d1", 1, BOX, label="三公经费（本年决算数）", unit="万元",
                form="基础数据表")
    assert not [f for f in case.findings if f.check == "cross.c13_sangong"]
    change = s.add_field("report.sangong.final", "1.20", "d1", 2, None, label="报告：“三公”经费决算",
                         unit="万元", form="自评报告")
    (c13,) = [f for f in case.findings if f.check == "cross.c13_sangong"]
    assert c13.fingerprint in change.findings_added and c13.severity == Severity.ERROR
    assert "1.20万元" in c13.message and "0.96万元" in c13.message
    assert {(loc.doc, loc.page) for loc in c13.locations} == {("d1", 1), ("d1", 2)}
    s.undo()
    assert not [f for f in case.findings if f.check == "cross.c13_sangong"]
