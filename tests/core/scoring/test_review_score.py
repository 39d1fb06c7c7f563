"""复核评分 (issue 20 part 3): each proposal rule on a sheet written in the test, the caps at every band edge,
and the proposals on real fixture packages (天元: an unmet target scored in full; 云溪: 分值 adding up to 110)."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from core.model import Case, Field, Finding, Indicator, Severity, SourceRef
from core.pipeline import extract_case, recheck
from core.scoring.presets import grade_for
from core.scoring.review_score import (
    JUDGEMENT,
    OVERRIDES_KEY,
    CapsError,
    cap_for,
    get_caps,
    list_caps,
    score_review,
    set_caps_preset,
    validate_caps,
)


def fld(key: str, value: str, unit: str = "") -> Field:
    return Field(key, D(value), unit, value, SourceRef("d1", 2, (300.0, 120.0, 340.0, 130.0)), form="自评表")


def row(level1, level3, target, actual, weight, score, n=0, level2="数量指标") -> Indicator:
    y = 200.0 + 20 * n
    return Indicator(level1, level2, level3, target, actual, D(weight) if weight else None,
                     D(score) if score is not None else None, "", SourceRef("d1", 2, (40.0, y, 560.0, y + 12)))


def case_of(rows, funds=("2558.66", "2257.39", "10", "8.8")) -> Case:
    annual, executed, weight, score = funds
    fields = [fld("selfeval.funds.annual_budget", annual, "万元"), fld("selfeval.funds.executed", executed, "万元"),
              fld("selfeval.funds.weight", weight, "分"), fld("selfeval.funds.score", score, "分")]
    c = Case(fields=fields, indicators=[row(*r, n=i) for i, r in enumerate(rows)])
    c.assign_ids()
    return c


def by_name(review: dict) -> dict[str, dict]:
    return {r["level3"]: r for r in review["rows"]}


# -- the rules, one by one -------------------------------------------------------------------------------------

def test_an_unmet_target_scored_in_full_is_scored_by_the_ratio_with_its_rule():
    c = case_of([("产出指标", "工资发放人数", "21人", "20人", "5", "5")])
    r = by_name(score_review(c))["工资发放人数"]
    assert r["self_score"] == D("5") and r["review_score"] == D("4.76")  # 20/21 × 5
    assert r["deduction"] == D("0.24") and r["deduction_ratio"] == D("4.80")  # 0.24 / 5
    assert "20/21×5 = 4.76分" in r["basis_text"] and "selfeval.unmet_full_marks" in r["basis_text"]
    assert r["needs_judgement"] is False


def test_a_ceiling_target_exceeded_is_scored_by_the_inverse_ratio():
    c = case_of([("成本指标", "运转经费", "≤60万元", "75万元", "10", "10")])
    r = by_name(score_review(c))["运转经费"]
    assert r["review_score"] == D("8.00")  # 60/75 × 10


def test_a_department_that_scored_itself_below_the_ratio_keeps_its_own_score():
    c = case_of([("产出指标", "培训人数", "100人", "90人", "10", "8")])
    r = by_name(score_review(c))["培训人数"]
    assert r["review_score"] == D("8") and r["deduction"] == D("0.00")


def test_a_score_above_the_weight_is_capped_at_the_weight():
    c = case_of([("产出指标", "活动场次", "≥5场", "8场", "5", "6")])
    r = by_name(score_review(c))["活动场次"]
    assert r["review_score"] == D("5.00") and r["deduction"] == D("1.00") and r["deduction_ratio"] == D("20.00")
    assert "selfeval.score_le_weight" in r["basis_text"]


def test_judgement_cases_propose_no_deduction_and_say_why():
    c = case_of([
        ("产出指标", "人才培训", "≥1000人次", "15000人次", "5", "5"),
        ("满意度指标", "干部满意度", "≥90%", "≥95%", "10", "10"),
        ("效益指标", "社会效益", "好", "好", "10", "9"),
    ])
    rows = by_name(score_review(c))
    far, sat, qual = rows["人才培训"], rows["干部满意度"], rows["社会效益"]
    for r in (far, sat):
        assert r["review_score"] == r["self_score"] and r["deduction"] == D("0.00")
        assert r["needs_judgement"] and r["basis_text"].startswith(JUDGEMENT)
    assert "15倍" in far["basis_text"] and "“≥95%”" in sat["basis_text"]
    assert qual["review_score"] == D("9") and not qual["needs_judgement"]  # qualitative: as the department scored


def test_a_finding_on_a_row_without_a_written_deduction_is_a_note_not_a_deduction():
    c = case_of([("产出指标", "活动场次", "≥5场", "8场", "5", "5")])
    c.findings = [Finding("indicator_quality.vague_target", Severity.WARNING,
                          "自评表第2页：“活动场次”指标值不可衡量（IQ-03）", ["indicators.i1.target"], [], [])]
    r = by_name(score_review(c))["活动场次"]
    assert r["review_score"] == D("5") and r["needs_judgement"]
    assert "IQ-03" in r["basis_text"] and "不可衡量" in r["basis_text"]


def test_the_execution_score_is_recomputed_only_beyond_the_tolerance():
    printed_rounded = score_review(case_of([], funds=("2558.66", "2257.39", "10", "8.8")))["execution"]
    assert printed_rounded["review_score"] == D("8.8")  # 8.823 printed to one decimal: no deduction
    wrong = score_review(case_of([], funds=("2558.66", "2257.39", "10", "10")))["execution"]
    assert wrong["review_score"] == D("8.82") and wrong["deduction"] == D("1.18")
    assert "88.23%" in wrong["basis_text"] and "selfeval.execution_score" in wrong["basis_text"]


def test_the_reviewers_values_win_and_are_marked():
    c = case_of([("产出指标", "工资发放人数", "21人", "20人", "5", "5")])
    c.extra[OVERRIDES_KEY] = {"i1.review_actual": {"value": "21人", "raw": "21人", "reason": "补发名单核实为21人"}}
    r = by_name(score_review(c))["工资发放人数"]
    assert r["review_actual"] == "21人" and r["review_actual_source"] == "reviewer" and r["actual"] == "20人"
    assert r["review_score"] == D("5") and "补发名单核实为21人" in r["basis_text"]  # re-proposed from 21人
    c.extra[OVERRIDES_KEY]["i1.review_score"] = {"value": D("4"), "raw": "4", "reason": "名单不全"}
    r = by_name(score_review(c))["工资发放人数"]
    assert r["review_score"] == D("4") and r["score_source"] == "reviewer" and r["proposed_score"] == D("5")
    assert r["deduction"] == D("1.00") and "名单不全" in r["basis_text"]
    assert score_review(c)["reviewer_rows"] == ["i1"]


# -- caps ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rate, cap", [("100", None), ("80", None), ("79.99", "89"), ("70", "89"),
                                       ("69.99", "79"), ("60", "79"), ("59.99", "69"), ("50", "69"),
                                       ("49.99", "59"), ("0", "59")])
def test_the_yitihua_caps_at_every_band_edge(rate, cap):
    got, _band = cap_for(get_caps("yitihua_execution"), D(rate))
    assert got == (D(cap) if cap else None)


def test_no_cap_preset_never_caps():
    assert cap_for(get_caps("none"), D("10")) == (None, "")
    assert [i for i, _ in list_caps()][0] == "none"  # the default: no cap until the district picks one


def test_a_capped_total_takes_its_grade_from_the_cap():
    rows = [("产出指标", f"指标{i}", "≥1场", "1场", "9", "9") for i in range(10)]
    c = case_of(rows, funds=("100", "75", "10", "7.5"))  # 执行率 75%: 90 + 7.5 = 97.5 → capped at 89
    review = score_review(c, caps_id="yitihua_execution")
    assert review["uncapped_total"] == D("97.50") and review["total"] == D("89")
    assert review["caps"]["applied"] and review["caps"]["basis_value"] == D("75.00")
    assert review["grade"] == "良" == grade_for(D("89"))
    assert "总分最高89分" in review["caps"]["text"] and "全年执行数÷全年预算数" in review["caps"]["text"]
    uncapped = score_review(c, caps_id="none")
    assert uncapped["total"] == D("97.50") and uncapped["grade"] == "优" and not uncapped["caps"]["applied"]
    set_caps_preset(c, "yitihua_execution")
    assert score_review(c)["total"] == D("89")
    with pytest.raises(KeyError, match="未知的封顶方案"):
        set_caps_preset(c, "nope")


def test_a_bad_cap_preset_is_refused():
    with pytest.raises(CapsError):
        validate_caps({"id": "x", "name": "x", "basis": "execution_rate", "bands": [["else", "59"], [">=80", None]]})
    with pytest.raises(CapsError):
        validate_caps({"id": "x", "name": "x", "basis": None, "bands": [[">=80", None]]})


# -- real fixture packages ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tianyuan(packages_dir):
    return extract_case([packages_dir / "tianyuan_2024"])


@pytest.fixture(scope="module")
def yunxi(packages_dir):
    return extract_case([packages_dir / "yunxi_2024"])


def test_tianyuan_review_scores(tianyuan):
    review = tianyuan.scores["review"]
    assert "review_scores" not in tianyuan.extra  # one copy: the case JSON writes it from scores.review
    rows = by_name(review)
    assert rows["工资、津贴补贴发放人数"]["review_score"] == D("4.76")  # domain §6.2 #16
    assert review["self_total"] == D("96.8") and review["raw_total"] == D("96.56") and review["total"] == D("96.56")
    assert review["execution"]["review_score"] == D("8.8")
    assert [m["name"] for m in review["main_deductions"]] == ["工资、津贴补贴发放人数"]
    # judgement, no deduction: 179 vs ≥50 (3.58×), "≥95%" as actuals, 人员经费 target = actual
    assert {"公务员职级晋升人数", "干部满意度", "人员经费"} <= set(review["needs_judgement"])
    assert all(r["deduction"] == 0 for r in review["rows"] if r["level3"] != "工资、津贴补贴发放人数")


def test_yunxi_weights_of_110_are_rescaled_and_nothing_is_deducted_without_a_rule(yunxi):
    review = yunxi.scores["review"]
    assert review["weight_sum"] == D("110") and review["raw_total"] == D("110.00")
    assert review["rescaled_total"] == D("100.00") and review["total"] == D("100.00")
    assert "110分" in review["total_basis"] and "selfeval.weights_sum_100" in review["total_basis"]
    assert review["main_deductions"] == []
    assert by_name(review)["人才培训"]["needs_judgement"]  # 15000 vs ≥1000: domain §6.3 #9


def test_caps_follow_the_case_through_recheck(tianyuan):
    set_caps_preset(tianyuan, "yitihua_execution")
    recheck(tianyuan)
    caps = tianyuan.scores["review"]["caps"]
    assert caps["id"] == "yitihua_execution" and caps["basis_value"] == D("88.23") and caps["cap"] is None
    set_caps_preset(tianyuan, None)
    recheck(tianyuan)
    assert tianyuan.scores["review"]["caps"]["id"] == "none"


def test_the_district_profile_picks_the_caps(tianyuan):
    import copy

    from core.district import DistrictProfile, apply_profile

    case = copy.deepcopy(tianyuan)  # (a copy carries no set_caps_preset choice)
    apply_profile(case, DistrictProfile(caps_preset="yitihua_execution"))
    assert score_review(case)["caps"]["id"] == "yitihua_execution"
    apply_profile(case, DistrictProfile(caps_preset="no_such_caps"))
    caps = score_review(case)["caps"]
    assert caps["id"] == "none" and "“no_such_caps”不存在" in caps["text"]


def test_a_recheck_that_changed_nothing_keeps_the_scores_with_their_review(tianyuan):
    # the scoring's memo (core.pipeline) holds the scores as they stand after the 复核评分 was added: a re-check
    # with no value changed neither scores again nor replaces case.scores (a session would announce a change)
    recheck(tianyuan)
    scores = tianyuan.scores
    recheck(tianyuan)
    assert tianyuan.scores is scores and scores["review"]["total"] == D("96.56")


def test_the_case_json_carries_review_scores(tianyuan):
    from core.model import Case

    d = json.loads(tianyuan.dumps())
    assert d["review_scores"]["total"] == 96.56 and d["scores"]["selfeval"]["total"] == 96.8  # keys kept
    assert d["review_scores"]["rows"][0]["basis"][0]["rule"].startswith("selfeval.unmet_full_marks")
    assert d["review_scores"] == d["scores"]["review"]  # the same object under both documented keys
    again = Case.loads(tianyuan.dumps())
    assert again.scores["review"]["total"] == D("96.56") and "review_scores" not in again.extra
    assert json.loads(again.dumps())["review_scores"] == d["review_scores"]
    del d["scores"]["review"]  # a file that kept the review at the top level only still gives it
    assert Case.from_json(d).scores["review"]["total"] == 96.56


def test_a_rule_that_says_how_much_it_deducts_is_applied_and_cited(monkeypatch):
    import core.scoring.review_score as rs

    monkeypatch.setattr(rs, "_indicator_rules", lambda: {
        "indicator.vague": {"name": "指标值不可衡量", "deduction_ratio": "0.2"}})
    c = case_of([("产出指标", "活动场次", "≥5场", "8场", "5", "5")])
    c.findings = [Finding("indicator.vague", Severity.WARNING, "自评表第2页：“活动场次”指标值不可衡量",
                          ["indicators.i1.target"], [], [])]
    r = by_name(score_review(c))["活动场次"]
    assert r["review_score"] == D("4.00") and r["deduction"] == D("1.00") and not r["needs_judgement"]
    assert "指标值不可衡量" in r["basis_text"] and "扣分值的20%" in r["basis_text"]
    assert "〔indicator.vague〕" in r["basis_text"]
