"""The reviewer's verdict on a check the tool could not run (issue 20 part 1): 通过 / 不通过 / 不适用 with a
note, who and when, kept in the case file with its history, surviving a restart, and closing the check in the
coverage list (core/checks/coverage.py)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from core.checks import coverage as cov
from core.model import Case, DocumentInfo, Field, SourceRef
from core.review.session import DECISION_DID_CHANGE, InvalidEntry, ReviewSession


def make_case() -> Case:
    """A 自评表 whose 预算执行情况 gives only the 全年执行数: the execution-rate checks cannot run."""
    doc = DocumentInfo("d1", "/pkg/自评表.pdf", "a" * 64, 1, kinds={"自评表": [1]})
    f = Field(key="selfeval.funds.executed", value=Decimal("100.00"), unit="万元", raw="100.00",
              source=SourceRef("d1", 1, (300.0, 200.0, 340.0, 212.0)), form="自评表", id="f1")
    return Case(documents=[doc], fields=[f])


def no_checks(case: Case) -> None:
    case.findings = []


def clock():
    return datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def test_a_verdict_is_kept_with_who_when_and_history_and_survives_a_restart(tmp_path):
    s = ReviewSession(make_case(), no_checks, "张三", clock=clock)
    assert "selfeval.execution_rate" in [it.check_id for it in cov.open_required(s.case, s.check_verdicts())]
    heard = []
    s.subscribe(lambda ev, payload: heard.append((ev, payload)))

    change = s.set_check_verdict("selfeval.execution_rate", "通过", "  已按原表核对：执行率97.20%  ")
    assert change.checks == {"selfeval.execution_rate"}
    assert heard == [(DECISION_DID_CHANGE, change)]
    assert not s.set_check_verdict("selfeval.execution_rate", "通过", "已按原表核对：执行率97.20%")  # the same
    s.set_check_verdict("selfeval.execution_rate", "不通过", "执行率应为96.20%")

    item = {it.check_id: it for it in s.coverage()}["selfeval.execution_rate"]
    assert (item.status, item.verdict, item.note, item.reviewer) == (cov.SHORT, "不通过", "执行率应为96.20%", "张三")
    assert item.time.startswith("2026-12-07T09:00")

    path = s.save(tmp_path / "case.json")
    again = ReviewSession.from_file(path, no_checks)
    history = again.logs.check_verdicts.history("selfeval.execution_rate")
    assert [(v.status, v.note) for v in history] == [("通过", "已按原表核对：执行率97.20%"),
                                                      ("不通过", "执行率应为96.20%")]
    assert again.check_verdicts()["selfeval.execution_rate"].status == "不通过"
    # the case carries the holding verdicts, so the export and the command line see them with it
    seen = {it.check_id: it for it in cov.coverage(again.case)}["selfeval.execution_rate"]
    assert (seen.verdict, seen.note) == ("不通过", "执行率应为96.20%")


def test_review_complete_once_every_open_check_has_a_verdict():
    s = ReviewSession(make_case(), no_checks, "张三", clock=clock)
    done, reasons = s.review_complete()
    assert not done and "取数不足" in reasons[0]
    for it in cov.open_required(s.case, s.check_verdicts()):
        s.set_check_verdict(it.check_id, "通过", "已人工核对")
    assert s.review_complete() == (True, [])
    s.set_check_verdict("selfeval.execution_rate", "")  # withdrawn: open again
    assert not s.review_complete()[0]


def test_an_unknown_verdict_is_refused_in_chinese():
    s = ReviewSession(make_case(), no_checks, "张三", clock=clock)
    with pytest.raises(InvalidEntry) as e:
        s.set_check_verdict("selfeval.execution_rate", "已核实")
    assert "不是检查结论" in e.value.reason
