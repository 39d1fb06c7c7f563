"""Indicator cells (指标值, 实际完成值, 分值, 得分, 偏差原因 of the 自评表's 绩效指标 rows) are corrected like fields:
parsed, applied to ``case.indicators``, re-checked and re-scored by the real pipeline, undone and redone, kept
in the case file and restored from it.  The case is the yunxi fixture package, read once."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest

from core.review import store
from core.review.session import InvalidEntry, ReviewSession, cell_id

YUNXI = Path(__file__).resolve().parents[2] / "data" / "packages" / "yunxi_2024"


@pytest.fixture(scope="module")
def extracted():
    from core.pipeline import build_case, collect_inputs, read_package

    files, _ = collect_inputs([YUNXI])
    return build_case(read_package(files))


@pytest.fixture
def session(extracted):
    from core.pipeline import recheck

    case = copy.deepcopy(extracted)
    recheck(case)
    return ReviewSession(case, recheck, reviewer="测试员")


def _scored_row(session):
    """A sheet row with a 分值 and a 得分 (the rows a 得分 correction is checked on)."""
    return next(i for i in session.case.indicators if i.weight is not None and i.score is not None and i.level3)


def test_a_score_above_its_weight_is_found_undone_and_redone(session):
    ind = _scored_row(session)
    cid = cell_id(ind.id, "score")
    printed = ind.score
    total_before = session.case.scores.get("selfeval", {}).get("recomputed_total")
    over = ind.weight + 3
    change = session.correct_indicator(cid, str(over), "按原始记录更正")
    assert ind.score == over  # the case's own indicator row holds the correction
    assert session.indicator_corrected(cid)
    assert session.indicator_original(cid)[0] == printed
    new = [session.finding(fp) for fp in change.findings_added]
    assert any(f.check and str(over) in f.message for f in new), [f.message for f in new]
    assert session.label_of(cid).endswith("得分") and ind.level3 in session.label_of(cid)
    record = session.history(cid)[-1]
    assert (record.key, record.reason, record.old_value, record.new_value) == (
        "indicator.score", "按原始记录更正", printed, over)
    session.undo()
    assert ind.score == printed and not session.indicator_corrected(cid)
    assert session.case.scores.get("selfeval", {}).get("recomputed_total") == total_before
    session.redo()
    assert ind.score == over


def test_text_cells_are_text_and_numbers_are_numbers(session):
    ind = _scored_row(session)
    session.correct_indicator(cell_id(ind.id, "actual"), "  98%  ")
    assert ind.actual == "98%"
    session.correct_indicator(cell_id(ind.id, "deviation"), "")
    assert ind.deviation == ""
    with pytest.raises(InvalidEntry):
        session.correct_indicator(cell_id(ind.id, "weight"), "十分之一")
    assert not session.correct_indicator(cell_id(ind.id, "actual"), "98%")  # same value: nothing recorded
    with pytest.raises(KeyError):
        session.correct_indicator("i99999.score", "1")


def test_indicator_corrections_survive_the_case_file(session, tmp_path):
    from core.pipeline import recheck

    ind = _scored_row(session)
    cid = cell_id(ind.id, "weight")
    session.correct_indicator(cid, "7", "分值抄错")
    session.correct_indicator(cell_id(ind.id, "target"), "≥95%")
    path = session.save(tmp_path / "case.json")
    again = ReviewSession.from_file(path, recheck)
    row = next(i for i in again.case.indicators if i.id == ind.id)
    assert row.weight == Decimal("7") and row.target == "≥95%"
    assert again.indicator_corrected(cid)
    assert again.indicator_original(cid)[0] == session.indicator_original(cid)[0]
    again.undo()
    again.undo()
    assert row.weight == session.indicator_original(cid)[0]
    case, logs = store.load_case(path)
    assert [r.field_id for r in logs.corrections] == [cid, cell_id(ind.id, "target")]


def test_a_value_accepted_as_read_is_kept_in_the_case_file(session, tmp_path):
    from core.pipeline import recheck

    uncertain = next(f for f in session.case.fields if f.confidence < 0.7)
    events = []
    session.subscribe(lambda name, change: events.append((name, getattr(change, "accepted", None))))
    change = session.accept_value(uncertain.id)
    assert change and session.is_accepted(uncertain.id)
    assert events[0] == ("decision_did_change", frozenset({uncertain.id}))  # the autosaver writes on it
    assert not session.accept_value(uncertain.id)  # once is enough
    again = ReviewSession.from_file(session.save(tmp_path / "case.json"), recheck)
    assert again.is_accepted(uncertain.id) and again.logs.accepted[uncertain.id]["reviewer"] == "测试员"
    with pytest.raises(KeyError):
        session.accept_value("nope")


def test_an_indicator_correction_is_named_in_the_exported_records(session):
    from core.review.corrections import export_records

    ind = _scored_row(session)
    cid = cell_id(ind.id, "score")
    session.correct_indicator(cid, "1", "复核")
    labels = {r.field_id: session.label_of(r.field_id) for r in session.corrections.records}
    (row,) = export_records(session.corrections.records, labels)
    assert row["label"] == f"{ind.level3} · 得分" and row["key"] == "indicator.score" and row["kind"] == "修改"
    assert "label" not in export_records(session.corrections.records)[0]
