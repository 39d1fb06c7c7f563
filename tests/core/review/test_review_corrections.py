"""CorrectionLog and DecisionLog on their own: the state is derived by replaying an append-only log.

The records are written out here by hand, so each test shows the rule on the log itself, without a case.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.review.corrections import CorrectionLog, Decision, DecisionLog, ReviewLogs


def edit(log: CorrectionLog, field_id: str, old: str, new: str) -> None:
    log.append_edit(field_id=field_id, key=f"k.{field_id}", original=(Decimal("0.96"), "0.96"),
                    old=(Decimal(old), old), new=(Decimal(new), new), reason="", reviewer="张", time="t")


def test_effective_values_are_the_last_record_of_each_field():
    log = CorrectionLog()
    edit(log, "f1", "0.96", "0.97")
    edit(log, "f2", "1", "2")
    edit(log, "f1", "0.97", "0.98")
    log.undo(reviewer="李", time="t2")
    assert log.effective() == {"f1": (Decimal("0.97"), "0.97"), "f2": (Decimal("2"), "2")}
    undo = log.records[-1]
    assert (undo.kind, undo.ref, undo.old_value, undo.new_value, undo.reviewer) == (
        "undo", 3, Decimal("0.98"), Decimal("0.97"), "李")


def test_undo_back_to_the_extracted_value_still_lists_the_field():
    log = CorrectionLog()
    edit(log, "f1", "0.96", "0.97")
    log.undo()
    assert log.effective() == {"f1": (Decimal("0.96"), "0.96")}
    assert log.history("f1")[-1].kind == "undo"


def test_the_undo_and_redo_stacks_come_back_from_json():
    log = CorrectionLog()
    edit(log, "f1", "0.96", "0.97")
    edit(log, "f2", "1", "2")
    log.undo()
    log.undo()
    log.redo()
    again = CorrectionLog.from_json(log.to_json())
    assert again.records == log.records
    assert (again.can_undo, again.can_redo) == (True, True)
    assert again.next_undo().field_id == "f1" and again.next_redo().field_id == "f2"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda items: items.__setitem__(1, {**items[1], "seq": 5}),  # a record gone missing
        lambda items: items.__setitem__(2, {**items[2], "ref": 1}),  # undo of an edit that is not on top
        lambda items: items.append({**items[2], "seq": 4, "kind": "redo", "ref": 1}),  # redo out of order
        lambda items: items.__setitem__(0, {**items[0], "kind": "delete"}),
    ],
)
def test_a_log_that_does_not_replay_is_refused(tamper):
    log = CorrectionLog()
    edit(log, "f1", "0.96", "0.97")
    edit(log, "f2", "1", "2")
    log.undo()
    items = log.to_json()
    tamper(items)
    with pytest.raises(ValueError):
        CorrectionLog.from_json(items)


def test_decisions_latest_wins_and_history_keeps_every_one():
    log = DecisionLog()
    for status in ("已核实", "", "不适用"):
        log.append(Decision("fp1", status, "理由", "张", "t"))
    assert log.status("fp1") == "不适用" and log.is_closed("fp1")
    assert log.status("never") == "" and not log.is_closed("never")
    assert [d.status for d in DecisionLog.from_json(log.to_json()).history("fp1")] == ["已核实", "", "不适用"]
    with pytest.raises(ValueError):
        log.append(Decision("fp1", "已解决", "", "张", "t"))


def test_review_logs_round_trip():
    logs = ReviewLogs(reviewer="张", created="c", modified="m", extracted={"f1": (Decimal("0.960"), "0.960"),
                                                                           "f3": ("云溪", "云溪")})
    edit(logs.corrections, "f1", "0.960", "0.97")
    logs.decisions.append(Decision("fp1", "已核实", "", "张", "t", check="cross.x", message="不一致"))
    again = ReviewLogs.from_json(logs.to_json())
    assert again.extracted == logs.extracted
    assert again.corrections.records == logs.corrections.records
    assert again.decisions.records == logs.decisions.records
    with pytest.raises(ValueError):
        ReviewLogs.from_json({**logs.to_json(), "format": "review-log/99"})
