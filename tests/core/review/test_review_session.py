"""ReviewSession: correcting, undo/redo, decisions, tying findings to fields, events.

Each test builds its case right here: a 基础数据表 stating 三公经费 0.96 万元, a 公开09 stating the same
9600.00 元, a narrative page quoting 实有人数 twice (20 and 21 人) against the 基础数据表's 20 人.  The
``recheck`` below stands in for the pipeline's checks and scoring; its two rules are the ones the tests talk
about.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from core.model import Case, DocumentInfo, Field, Finding, Severity, SourceRef
from core.review.session import (
    DECISION_DID_CHANGE,
    FIELD_DID_CHANGE,
    FINDINGS_DID_CHANGE,
    SCORES_DID_CHANGE,
    ChangeSet,
    InvalidEntry,
    ReviewSession,
)

WAN = Decimal(10000)


def make_case() -> Case:
    def f(fid, key, value, unit, raw, doc, page, bbox, label=""):
        return Field(key=key, value=value, unit=unit, raw=raw, source=SourceRef(doc, page, bbox), label=label, id=fid)

    return Case(
        documents=[
            DocumentInfo("d1", "/pkg/基础数据表.pdf", "a" * 64, 1),
            DocumentInfo("d2", "/pkg/部门决算.pdf", "b" * 64, 9),
            DocumentInfo("d3", "/pkg/自评报告.pdf", "c" * 64, 6),
        ],
        fields=[
            f("f1", "basic.sangong.final", Decimal("0.96"), "万元", "0.96", "d1", 1, (300.0, 240.0, 340.0, 252.0),
              "三公经费（本年决算数）"),
            f("f2", "accounts.t09.final.total", Decimal("9600.00"), "元", "9,600.00", "d2", 9,
              (400.0, 300.0, 460.0, 312.0)),
            f("f3", "basic.unit_name", "云溪区委组织部", "", "云溪区委组织部", "d1", 1, (80.0, 60.0, 200.0, 72.0)),
            f("f4", "report.staff.actual", Decimal("20"), "人", "20人", "d3", 5, (100.0, 200.0, 130.0, 212.0)),
            f("f5", "report.staff.actual", Decimal("21"), "人", "21人", "d3", 5, (100.0, 400.0, 130.0, 412.0)),
            f("f6", "basic.staff.actual", Decimal("20"), "人", "20", "d1", 1, (300.0, 120.0, 330.0, 132.0)),
            f("f7", "selfeval.funds.execution_rate", Decimal("88.23"), "%", "88.23%", "d1", 1,
              (300.0, 500.0, 340.0, 512.0)),
        ],
    )


def recheck(case: Case) -> None:
    """Two rules: 三公经费 in the 基础数据表 (万元) equals 公开09's (元) — an error otherwise; every narrative
    实有人数 equals the 基础数据表's — a warning otherwise.  Score: 三公经费 in 万元."""
    findings = []
    basic, t09 = case.first("basic.sangong.final"), case.first("accounts.t09.final.total")
    if basic and t09 and basic.value is not None and t09.value is not None and basic.value != t09.value / WAN:
        findings.append(Finding("cross.sangong", Severity.ERROR, "三公经费不一致", [basic.key, t09.key],
                                [basic.value, t09.value], [basic.source, t09.source]))
    staff = case.first("basic.staff.actual")
    for said in case.all("report.staff.actual"):
        if staff and said.value != staff.value:
            findings.append(Finding("cross.staff", Severity.WARNING, f"报告实有人数{said.value}与基础数据表不一致",
                                    [said.key, staff.key], [said.value, staff.value], [said.source, staff.source]))
    case.findings[:] = findings
    case.scores = {"sangong": {"final_wan": basic.value if basic else None}, "findings": len(findings)}


TZ = timezone(timedelta(hours=8))


def make_session(**kw) -> ReviewSession:
    case = make_case()
    recheck(case)
    return ReviewSession(case, recheck, reviewer="张审核", clock=lambda: datetime(2025, 3, 1, 9, 30, tzinfo=TZ), **kw)


def record_events(session: ReviewSession) -> list[tuple[str, object]]:
    seen: list[tuple[str, object]] = []
    session.subscribe(lambda name, payload: seen.append((name, payload)))
    return seen


def fp(session: ReviewSession, check: str) -> str:
    return next(f.fingerprint for f in session.case.findings if f.check == check)


# -- correcting ---------------------------------------------------------------------------------------------

def test_a_correction_that_breaks_an_identity_adds_the_finding_and_the_changeset_says_so():
    s = make_session()
    events = record_events(s)
    assert [f.check for f in s.case.findings] == ["cross.staff"]

    change = s.correct("f1", "0.97", reason="看错了")

    assert s.case.field_by_id("f1").value == Decimal("0.97")
    sangong = fp(s, "cross.sangong")
    assert change.fields == {"f1"}
    assert change.findings_added == {sangong} and not change.findings_removed and not change.findings_changed
    assert change.scores_changed == {"sangong.final_wan", "findings"}
    assert change.correction is not None and change.correction.reason == "看错了"
    assert [name for name, _ in events] == [FIELD_DID_CHANGE, FINDINGS_DID_CHANGE, SCORES_DID_CHANGE]
    assert all(payload is change for _, payload in events)  # one object per operation


def test_a_correction_that_restores_the_identity_removes_the_finding():
    s = make_session()
    s.correct("f2", "9,700.00")
    sangong = fp(s, "cross.sangong")

    change = s.correct("f2", "9600")

    assert change.findings_removed == {sangong} and not change.findings_added
    assert s.case.field_by_id("f2").value == Decimal("9600")
    assert s.case.field_by_id("f2").raw == "9600"


def test_the_original_stays_in_the_log_and_in_original():
    s = make_session()
    s.correct("f1", "0.97")
    s.correct("f1", "0.98", reason="再核")

    assert s.original("f1") == (Decimal("0.96"), "0.96")
    first, second = s.history("f1")
    assert (first.original_value, first.old_value, first.new_value) == (Decimal("0.96"), Decimal("0.96"),
                                                                         Decimal("0.97"))
    assert (second.original_value, second.old_value, second.new_value) == (Decimal("0.96"), Decimal("0.97"),
                                                                          Decimal("0.98"))
    assert second.reviewer == "张审核" and second.time == "2025-03-01T09:30:00+08:00" and second.kind == "edit"
    assert s.is_corrected("f1") and not s.is_corrected("f2")


def test_typing_the_value_the_field_already_has_records_nothing():
    s = make_session()
    events = record_events(s)
    change = s.correct("f1", "0.960")
    assert not change and change == ChangeSet()
    assert len(s.corrections) == 0 and events == []


@pytest.mark.parametrize(
    ("field_id", "typed", "reason"),
    [
        ("f1", "12,3x", "“12,3x”不是有效金额"),
        ("f1", "88%", "“88%”的单位“%”不是金额单位（该项以万元计）"),
        ("f7", "八十八点", "“八十八点”不是有效百分比"),
        ("f4", "二十来人", "“二十来人”不是有效数字"),
        ("f4", "20次", "“20次”的单位“次”与该项的单位“人”不一致"),
        ("f1", "1234567890123456", "“1234567890123456”的有效数字超过15位，无法精确保存"),
    ],
)
def test_a_bad_entry_is_refused_with_a_chinese_reason_and_changes_nothing(field_id, typed, reason):
    s = make_session()
    events = record_events(s)
    before = s.case.field_by_id(field_id).value
    with pytest.raises(InvalidEntry) as e:
        s.correct(field_id, typed)
    assert e.value.reason == reason
    assert s.case.field_by_id(field_id).value == before
    assert len(s.corrections) == 0 and events == []


def test_entries_are_read_with_the_extraction_number_rules():
    s = make_session()
    s.correct("f1", "９，７００元")  # full-width, another money unit: converted exactly into the field's 万元
    assert s.case.field_by_id("f1").value == Decimal("0.97")
    assert s.case.field_by_id("f1").raw == "９，７００元"
    s.correct("f2", "（123.00）")  # accounting negative
    assert s.case.field_by_id("f2").value == Decimal("-123.00")
    s.correct("f7", "90.5％")
    assert s.case.field_by_id("f7").value == Decimal("90.5")
    s.correct("f4", "二十一人")
    assert s.case.field_by_id("f4").value == Decimal("21")
    s.correct("f6", "—")  # a placeholder clears a number: blank, not zero
    assert s.case.field_by_id("f6").value is None


def test_a_text_field_is_corrected_as_a_string():
    s = make_session()
    change = s.correct("f3", "  云溪区委宣传部 ")
    assert change.fields == {"f3"}
    assert s.case.field_by_id("f3").value == "云溪区委宣传部"
    assert s.original("f3") == ("云溪区委组织部", "云溪区委组织部")


def test_an_unknown_field_is_a_programming_error():
    with pytest.raises(KeyError):
        make_session().correct("f99", "1")


# -- undo / redo --------------------------------------------------------------------------------------------

def test_undo_restores_and_redo_reapplies_with_the_findings():
    s = make_session()
    s.correct("f1", "0.97")
    sangong = fp(s, "cross.sangong")

    undone = s.undo()
    assert s.case.field_by_id("f1").value == Decimal("0.96") and s.case.field_by_id("f1").raw == "0.96"
    assert undone.fields == {"f1"} and undone.findings_removed == {sangong}
    assert undone.correction.kind == "undo" and undone.correction.ref == 1
    assert not s.can_undo and s.can_redo and not s.is_corrected("f1")

    redone = s.redo()
    assert s.case.field_by_id("f1").value == Decimal("0.97")
    assert redone.findings_added == {sangong} and redone.correction.kind == "redo"
    assert s.can_undo and not s.can_redo


def test_undo_walks_back_through_several_fields_in_order():
    s = make_session()
    s.correct("f1", "0.97")
    s.correct("f4", "22")
    s.correct("f1", "0.98")
    assert s.undo().fields == {"f1"} and s.case.field_by_id("f1").value == Decimal("0.97")
    assert s.undo().fields == {"f4"} and s.case.field_by_id("f4").value == Decimal("20")
    assert s.undo().fields == {"f1"} and s.case.field_by_id("f1").value == Decimal("0.96")
    assert s.redo().fields == {"f1"} and s.case.field_by_id("f1").value == Decimal("0.97")


def test_nothing_to_undo_or_redo_is_an_empty_changeset_and_no_record():
    s = make_session()
    events = record_events(s)
    assert not s.undo() and not s.redo()
    assert len(s.corrections) == 0 and events == []


def test_a_new_edit_after_an_undo_clears_redo_but_the_records_stay():
    s = make_session()
    s.correct("f1", "0.97")
    s.undo()
    assert s.can_redo
    s.correct("f1", "0.95")
    assert not s.can_redo and not s.redo()
    assert [r.kind for r in s.corrections] == ["edit", "undo", "edit"]
    assert s.case.field_by_id("f1").value == Decimal("0.95")


def test_the_log_only_ever_grows_and_never_rewrites_a_record():
    s = make_session()
    snapshots = []
    for step in (lambda: s.correct("f1", "0.97"), s.undo, s.redo, s.undo,
                 lambda: s.correct("f5", "20"), s.undo, lambda: s.correct("f3", "某单位")):
        step()
        snapshots.append(s.corrections.records)
    for earlier, later in zip(snapshots, snapshots[1:]):
        assert len(later) == len(earlier) + 1 and later[: len(earlier)] == earlier
    assert [r.seq for r in s.corrections] == list(range(1, 8))


def test_a_recheck_that_crashes_leaves_no_record_and_the_old_value():
    broken = {"now": False}

    def flaky(case: Case) -> None:
        if broken["now"]:
            raise RuntimeError("a bug in a check")
        recheck(case)

    case = make_case()
    flaky(case)
    s = ReviewSession(case, flaky)
    findings_before, scores_before = list(s.case.findings), dict(s.case.scores)
    broken["now"] = True
    with pytest.raises(RuntimeError):
        s.correct("f1", "0.97")
    assert s.case.field_by_id("f1").value == Decimal("0.96")
    assert len(s.corrections) == 0 and s.case.findings == findings_before and s.case.scores == scores_before
    broken["now"] = False
    assert s.correct("f1", "0.97").fields == {"f1"}


# -- decisions ----------------------------------------------------------------------------------------------

def test_a_decided_finding_leaves_the_open_list_and_stays_decided_after_rechecks():
    s = make_session()
    events = record_events(s)
    staff = fp(s, "cross.staff")

    change = s.decide(staff, "已核实", "报告口径含借调人员")
    assert change.decisions == {staff} and [n for n, _ in events] == [DECISION_DID_CHANGE]
    assert s.open_findings() == [] and s.field_status("f5") is None

    s.correct("f1", "0.97")  # re-runs every check
    s.correct("f5", "23")  # the decided finding's numbers change, its fingerprint does not
    assert s.decision(staff).status == "已核实"
    assert [f.check for f in s.open_findings()] == ["cross.sangong"]
    assert s.finding(staff).values == [Decimal("23"), Decimal("20")]


def test_a_finding_that_changes_numbers_is_reported_as_changed():
    s = make_session()
    staff = fp(s, "cross.staff")
    change = s.correct("f5", "23")
    assert change.findings_changed == {staff} and not change.findings_added and not change.findings_removed


def test_reopening_makes_a_finding_open_again_and_the_latest_decision_holds():
    s = make_session()
    staff = fp(s, "cross.staff")
    s.decide(staff, "不适用", "本单位无派出人员")
    s.decide(staff, "")
    assert [f.fingerprint for f in s.open_findings()] == [staff]
    assert [d.status for d in s.decisions.history(staff)] == ["不适用", ""]
    assert not s.decide(staff, "")  # already open: nothing recorded
    assert len(s.decisions) == 2


def test_a_decision_survives_its_finding_going_away_and_coming_back():
    s = make_session()
    staff = fp(s, "cross.staff")
    s.decide(staff, "已核实")
    s.correct("f5", "20")
    assert s.finding(staff) is None
    s.undo()
    assert s.finding(staff) is not None and s.open_findings() == []


def test_decisions_are_checked():
    s = make_session()
    with pytest.raises(ValueError):
        s.decide(fp(s, "cross.staff"), "已解决")
    with pytest.raises(KeyError):
        s.decide("0123456789abcdef", "已核实")


# -- tying findings to fields -------------------------------------------------------------------------------

def test_field_status_needs_the_key_and_the_box_not_just_the_page():
    s = make_session()
    # f4 and f5 are both report.staff.actual on d3 page 5; only f5 (21人) disagrees
    assert s.field_status("f5") == "warning"
    assert s.field_status("f4") is None
    assert s.field_status("f6") == "warning"  # the 基础数据表 figure it disagrees with
    assert s.field_status("f1") is None
    s.correct("f1", "0.97")
    assert s.field_status("f1") == "error" and s.field_status("f2") == "error"
    assert s.fields_for_finding(s.finding(fp(s, "cross.sangong"))) == ["f1", "f2"]
    assert [f.check for f in s.findings_for_field("f6")] == ["cross.staff"]


def test_error_wins_over_warning_and_info_does_not_colour():
    def with_more(case: Case) -> None:
        recheck(case)
        staff = case.first("basic.staff.actual")
        whole_page = SourceRef("d1", 1, (0.0, 0.0, 0.0, 0.0))  # no box: the whole page
        case.findings.append(Finding("x.info", Severity.INFO, "提示", [staff.key], [], [whole_page]))
        if staff.value == Decimal("19"):
            case.findings.append(Finding("x.err", Severity.ERROR, "错误", [staff.key], [], [whole_page]))

    case = make_case()
    with_more(case)
    s = ReviewSession(case, with_more)
    assert s.field_status("f6") == "warning"
    s.correct("f6", "19")
    assert s.field_status("f6") == "error"
    s.undo()
    assert s.field_status("f6") == "warning"


# -- events -------------------------------------------------------------------------------------------------

def test_unsubscribe_and_a_failing_listener_does_not_starve_the_others():
    s = make_session()
    seen: list[str] = []

    def broken(name, payload):
        raise ValueError("view bug")

    s.subscribe(broken)
    unsubscribe = s.subscribe(lambda name, payload: seen.append(name))
    with pytest.raises(ValueError):
        s.correct("f1", "0.97")
    assert FIELD_DID_CHANGE in seen  # the later listener was still told
    assert s.case.field_by_id("f1").value == Decimal("0.97") and len(s.corrections) == 1
    unsubscribe()
    seen.clear()
    with pytest.raises(ValueError):
        s.undo()
    assert seen == []
