"""The 绩效指标 table: qtmodeltester and the printed sheet's merged 一级/二级 cells."""

from __future__ import annotations

from PySide6.QtCore import Qt

from ui.models.indicators_model import (
    COL_ACTUAL,
    COL_L1,
    COL_L2,
    COL_L3,
    COL_SCORE,
    COL_TARGET,
    IndicatorsModel,
)


def test_indicators_model_passes_qtmodeltester(qtmodeltester, session):
    qtmodeltester.check(IndicatorsModel(session.case.indicators, session.case.documents))


def test_rows_read_like_the_printed_sheet(session):
    inds = session.case.indicators
    model = IndicatorsModel(inds, session.case.documents)
    assert model.rowCount() == len(inds) > 3
    assert model.index(0, COL_L1).data() == "产出指标"
    assert model.index(0, COL_L2).data() == "数量指标"
    assert model.index(0, COL_L3).data() == "党校主体班次"
    assert model.index(0, COL_TARGET).data() == "≥4次"
    assert model.index(0, COL_ACTUAL).data() == "4次"
    assert model.index(0, COL_SCORE).data() == "5"
    # merged cells: 一级/二级 printed once per group
    assert model.index(1, COL_L1).data() == "" and model.index(1, COL_L2).data() == ""
    assert model.row_of(inds[2].id) == 2


def test_the_review_columns_show_the_proposal_and_pass_qtmodeltester(qtmodeltester, session):
    from ui.models.indicators_model import COL_BASIS, COL_DEDUCTION, COL_REVIEW_ACTUAL, COL_REVIEW_SCORE

    from core.scoring.review_score import attach_review_scores

    attach_review_scores(session.case)  # what core.pipeline.recheck adds (the toy recheck scores nothing)
    model = IndicatorsModel(session.case.indicators, session.case.documents, session=session)
    qtmodeltester.check(model)
    row = next(i for i, ind in enumerate(session.case.indicators) if ind.level3 == "人才培训")
    assert model.index(row, COL_REVIEW_ACTUAL).data() == "15000人次"
    assert model.index(row, COL_REVIEW_SCORE).data() == "5"  # 15× the target: judgement, no deduction
    assert model.index(row, COL_DEDUCTION).data() == ""
    assert model.index(row, COL_BASIS).data().startswith("需复核人判断")
    assert "15倍" in model.index(row, COL_BASIS).data(Qt.ItemDataRole.ToolTipRole)
    flags = model.flags(model.index(row, COL_REVIEW_SCORE))
    assert flags & Qt.ItemFlag.ItemIsEditable and not model.flags(model.index(row, COL_BASIS)) & Qt.ItemFlag.ItemIsEditable
