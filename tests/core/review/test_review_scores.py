"""The reviewer's own 复核完成值 / 复核得分 (issue 20 part 3): entered with a reason through the correction log,
winning over the proposal and marked as the reviewer's, undone and redone, kept in the case file and restored
from it; the proposal itself follows corrections of the printed cells.  The case is the 天元 fixture package
(its 工资 row misses its target 21人 with 20人 and is scored in full)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from core.review.session import InvalidEntry, ReviewSession, cell_id
from core.scoring.review_score import OVERRIDES_KEY

TIANYUAN = Path(__file__).resolve().parents[2] / "data" / "packages" / "tianyuan_2024"


@pytest.fixture(scope="module")
def extracted():
    from core.pipeline import build_case, collect_inputs, read_package

    files, _ = collect_inputs([TIANYUAN])
    return build_case(read_package(files))


@pytest.fixture
def session(extracted):
    from core.pipeline import recheck

    case = copy.deepcopy(extracted)
    recheck(case)
    return ReviewSession(case, recheck, reviewer="复核员")


def _row(session, name: str) -> dict:
    return next(r for r in session.case.scores["review"]["rows"] if r["level3"] == name)


def _wage(session):
    return next(i for i in session.case.indicators if i.level3 == "工资、津贴补贴发放人数")


def test_the_reviewers_score_wins_is_marked_and_undone(session):
    ind = _wage(session)
    cid = cell_id(ind.id, "review_score")
    assert _row(session, ind.level3)["review_score"] == Decimal("4.76")  # proposed: 20/21 × 5
    change = session.correct_indicator(cid, "4.5", "另有1人未按时发放")
    assert "review.total" in change.scores_changed
    row = _row(session, ind.level3)
    assert row["review_score"] == Decimal("4.5") and row["score_source"] == "reviewer"
    assert row["proposed_score"] == Decimal("4.76") and "另有1人未按时发放" in row["basis_text"]
    assert session.case.scores["review"]["total"] == Decimal("96.30")  # 96.56 − 0.26
    record = session.history(cid)[-1]
    assert (record.key, record.original_value, record.new_value, record.reason) == (
        "indicator.review_score", None, Decimal("4.5"), "另有1人未按时发放")
    assert session.label_of(cid) == "工资、津贴补贴发放人数 · 复核得分"
    session.undo()
    row = _row(session, ind.level3)
    assert row["review_score"] == Decimal("4.76") and row["score_source"] == "proposal"
    assert OVERRIDES_KEY not in session.case.extra
    session.redo()
    assert _row(session, ind.level3)["review_score"] == Decimal("4.5")
    assert session.case.extra[OVERRIDES_KEY][cid]["reason"] == "另有1人未按时发放"


def test_a_score_outside_zero_and_the_weight_is_refused(session):
    cid = cell_id(_wage(session).id, "review_score")
    with pytest.raises(InvalidEntry, match="不能超过分值5分"):
        session.correct_indicator(cid, "6")
    with pytest.raises(InvalidEntry, match="不能为负数"):
        session.correct_indicator(cid, "-1")
    assert not session.history(cid)


def test_the_proposal_follows_a_correction_and_the_reviewers_actual(session):
    ind = _wage(session)
    session.correct_indicator(cell_id(ind.id, "actual"), "21人", "按工资发放表更正")
    assert _row(session, ind.level3)["review_score"] == Decimal("5")  # target met: no deduction any more
    session.undo()
    session.correct_indicator(cell_id(ind.id, "review_actual"), "18人", "核实工资发放表为18人")
    row = _row(session, ind.level3)
    assert row["actual"] == "20人" and row["review_actual"] == "18人" and row["review_actual_source"] == "reviewer"
    assert row["review_score"] == Decimal("4.29")  # 18/21 × 5
    assert "核实工资发放表为18人" in row["basis_text"]


def test_the_reviewers_values_survive_a_restart(session, tmp_path):
    from core.pipeline import recheck

    ind = _wage(session)
    session.correct_indicator(cell_id(ind.id, "review_score"), "4", "名单不全")
    session.correct_indicator(cell_id(ind.id, "review_actual"), "19人", "核实")
    path = session.save(tmp_path / "c.case.json")
    again = ReviewSession.from_file(path, recheck)
    row = _row(again, ind.level3)
    assert row["review_score"] == Decimal("4") and row["score_source"] == "reviewer"
    assert row["review_actual"] == "19人" and "名单不全" in row["basis_text"]
    assert again.case.scores["review"]["total"] == session.case.scores["review"]["total"]
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["review_scores"] == saved["scores"]["review"]  # both keys of docs/fields-extended.md
    again.undo()  # the undo stack came back with the file
    assert _row(again, ind.level3)["review_actual"] == "20人"
    assert _row(again, ind.level3)["review_score"] == Decimal("4")


def test_the_command_lines_export_names_the_reviewers_cells_as_the_window_does(session, tmp_path):
    from core.pipeline import recheck
    from core.review.store import load_case_for_export

    ind = _wage(session)
    cid = cell_id(ind.id, "review_score")
    session.correct_indicator(cid, "4", "名单不全")
    path = session.save(tmp_path / "c.case.json")
    case, records, _decisions, _reviewer = load_case_for_export(path, recheck)
    assert records[0]["label"] == "工资、津贴补贴发放人数 · 复核得分"
    assert _row_of(case, ind.level3)["review_score"] == Decimal("4")


def _row_of(case, name: str) -> dict:
    return next(r for r in case.scores["review"]["rows"] if r["level3"] == name)
