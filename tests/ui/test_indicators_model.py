"""The 绩效指标 table: qtmodeltester and the printed sheet's merged 一级/二级 cells."""

from __future__ import annotations

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
