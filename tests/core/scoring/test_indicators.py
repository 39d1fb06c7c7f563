"""共性指标 values and scores by preset, on cases written out in the test (domain §1.2, §2.2, §6.3 #6–#8)."""

from __future__ import annotations

import json
from decimal import Decimal as D

from core.model import Case, Field, SourceRef
from core.scoring import score_case, score_indicators


def field(key: str, value: str, unit: str = "万元", page: int = 1, form: str = "基础数据表") -> Field:
    return Field(key, D(value), unit, value, SourceRef("d1", page, (100.0, 100.0, 140.0, 110.0)), form=form)


def items(result: dict) -> dict:
    return {i["id"]: i for i in result["items"]}


def seed_004_case() -> Case:
    """The 基础数据表 and the 自评表 funds row of seed 004 (云溪区委组织部 2024)."""
    c = Case(fields=[
        field("basic.staff.authorized", "24", "人"),
        field("basic.staff.actual", "24", "人"),
        field("basic.sangong.prev", "0.41"), field("basic.sangong.budget", "1.8"), field("basic.sangong.final", "0.96"),
        field("basic.reception.prev", "0.41"), field("basic.reception.budget", "1.8"),
        field("basic.reception.final", "0.96"),
        field("basic.project.prev", "179.33"), field("basic.project.budget", "230.75"),
        field("basic.project.final", "661.46"),
        field("basic.public.prev", "34.04"), field("basic.public.budget", "30.74"), field("basic.public.final", "40.54"),
        field("selfeval.funds.initial_budget", "615.20", page=3, form="自评表"),
        field("selfeval.funds.annual_budget", "1363.38", page=3, form="自评表"),
        field("selfeval.funds.executed", "1363.38", page=3, form="自评表"),
    ])
    c.assign_ids()
    return c


def test_seed_004_public_control_rate_131_88_scores_zero():
    it = items(score_indicators(seed_004_case()))["public_control_rate"]
    assert it["value"] == D("131.88")
    assert it["inputs"] == {"公用经费决算数": D("40.54"), "公用经费预算数": D("30.74")}
    assert it["score"] == D("0.00") and it["weight"] == D("5")
    assert "超过标准31.88个百分点" in it["note"]


def test_seed_004_sangong_change_plus_134_15_scores_zero_under_every_final_based_preset():
    for preset, weight in (("default", "5"), ("hunan_a", "8"), ("hunan_d", "5")):
        it = items(score_indicators(seed_004_case(), preset))["sangong_change_rate"]
        assert it["value"] == D("134.15"), preset
        assert it["score"] == D("0.00") and it["weight"] == D(weight)


def test_seed_004_budget_adjustment_121_62_scores_zero():
    res = score_indicators(seed_004_case(), "hunan_b")
    it = items(res)["budget_control_rate"]
    assert it["value"] == D("121.62") and it["score"] == D("0.00")
    d = items(score_indicators(seed_004_case(), "hunan_d"))["budget_adjust_rate"]
    assert d["value"] == D("121.62") and d["score"] == D("0.00")


def test_seed_004_sangong_control_and_staff_rates_are_full_marks():
    its = items(score_indicators(seed_004_case()))
    assert its["sangong_control_rate"]["value"] == D("53.33") and its["sangong_control_rate"]["score"] == D("5.00")
    assert its["staff_control_rate"]["value"] == D("100.00") and its["staff_control_rate"]["score"] == D("5.00")
    assert its["budget_completion_rate"]["value"] == D("100.00")


def test_missing_inputs_give_none_and_a_note_never_a_crash():
    res = score_indicators(Case())
    for it in res["items"]:
        assert it["value"] is None and it["score"] is None
        assert it["note"].startswith("缺少数据：")
    assert res["total_score"] == D("0.00") and res["grade"] is None
    blanks = items(score_indicators(seed_004_case()))
    assert blanks["building_area_control_rate"]["note"] == "缺少数据：实际规模、批复规模"
    assert blanks["procurement_rate"]["score"] is None


def wanglu_case(with_prev_budget: bool = True) -> Case:
    """The FY2018 county sample of domain §1.1/§2.2 (c): 编制143, 在职136; 三公 2017决算29.08, 2018预算63.46,
    2018决算44.29, 2017预算32 (the worked example's denominator)."""
    fs = [
        field("basic.staff.authorized", "143", "人"), field("basic.staff.actual", "136", "人"),
        field("basic.sangong.prev", "29.08"), field("basic.sangong.budget", "63.46"),
        field("basic.sangong.final", "44.29"),
    ]
    if with_prev_budget:
        fs.append(field("basic.sangong.prev_budget", "32"))
    return Case(fields=fs)


def test_wanglu_c_staff_control_rate_95_10_full_marks():
    it = items(score_indicators(wanglu_case(), "hunan_c"))["staff_control_rate"]
    assert it["value"] == D("95.10") and it["score"] == D("8.00")


def test_wanglu_c_sangong_change_on_budgets_98_31_scores_zero():
    it = items(score_indicators(wanglu_case(), "hunan_c"))["sangong_change_rate"]
    assert it["inputs"] == {"本年三公经费预算数": D("63.46"), "上年三公经费预算数": D("32")}
    assert it["value"] == D("98.31")
    assert it["score"] == D("0.00") and it["weight"] == D("8")


def test_a_stand_in_input_is_named_in_the_note():
    it = items(score_indicators(wanglu_case(with_prev_budget=False), "hunan_c"))["sangong_change_rate"]
    assert it["value"] == D("118.23")  # (63.46 − 29.08) / 29.08
    assert "上年三公经费预算数缺失，以上年三公经费决算数代替" in it["note"]


def test_money_from_the_accounts_in_yuan_is_converted_to_wan():
    c = Case(fields=[field("accounts.t09.final.total", "2910.00", "元", form="决算"),
                     field("accounts.t09.budget.total", "3000", "元", form="决算")])
    it = items(score_indicators(c))["sangong_control_rate"]
    assert it["inputs"] == {"三公经费决算数": D("0.291"), "三公经费预算数": D("0.3")}
    assert it["value"] == D("97.00")


def test_zero_denominator_is_a_note_not_a_crash():
    c = Case(fields=[field("basic.public.final", "5"), field("basic.public.budget", "0")])
    it = items(score_indicators(c))["public_control_rate"]
    assert it["value"] is None and it["score"] is None and "为0" in it["note"]


def test_seed_001_budget_completion_88_23_under_hunan_a():
    c = Case(fields=[field("selfeval.funds.annual_budget", "2558.66", form="自评表"),
                     field("selfeval.funds.executed", "2257.39", form="自评表")])
    it = items(score_indicators(c, "hunan_a"))["budget_completion_rate"]
    assert it["value"] == D("88.23")
    assert it["score"] == D("1.00")  # 11.77 points short: two whole 5% steps × 2


def test_hunan_d_carryover_and_manual_rules():
    c = Case(fields=[field("accounts.t01.carry_end", "20", form="决算"), field("accounts.t01.carry_begin", "35", form="决算")])
    its = items(score_indicators(c, "hunan_d"))
    assert its["carryover"]["value"] == D("20") and its["carryover"]["score"] == D("2.00")
    assert its["payment_progress"]["score"] is None and "需人工评分" in its["payment_progress"]["note"]
    assert its["key_spending_rate"]["note"].startswith("缺少数据：重点项目支出")


def test_totals_and_grade_over_the_scored_items():
    res = score_indicators(seed_004_case())
    scored = [i for i in res["items"] if i["score"] is not None]
    assert res["total_score"] == sum(i["score"] for i in scored)
    assert res["scored_weight"] == sum(i["weight"] for i in scored)
    assert res["total_weight"] == D("40")  # 8 scored rules × 5; 结转结余率 is listed only
    assert res["score_rate"] == (res["total_score"] / res["scored_weight"] * 100).quantize(D("0.01"))
    assert res["grade"] == "差"  # 15 of 30
    assert res["preset"] == "default" and res["preset_name"]


def test_score_case_fills_case_scores_and_serialises():
    c = seed_004_case()
    out = score_case(c, "hunan_b")
    assert c.scores is out and set(out) == {"selfeval", "indicators"}
    assert out["indicators"]["preset"] == "hunan_b"
    text = c.dumps()
    back = json.loads(text)
    assert back["scores"]["indicators"]["items"][0]["id"] == "staff_control_rate"


def test_score_case_without_preset_uses_default_json():
    c = seed_004_case()
    assert score_case(c)["indicators"]["preset"] == "default"


def test_staff_rate_falls_back_to_the_report_and_says_so():
    c = Case(fields=[field("report.staff.authorized", "23", "人", page=5, form="自评报告"),
                     field("report.staff.actual", "20", "人", page=5, form="自评报告"),
                     field("report.staff.actual", "21", "人", page=7, form="自评报告")])
    it = items(score_indicators(c))["staff_control_rate"]
    assert it["value"] == D("86.96") and it["score"] == D("5.00")
    assert "在职人员数缺失，以自评报告所述实有人数代替" in it["note"]
    assert "在职人员数在材料中有不同数值（20、21），取第5页所填20" in it["note"]
    assert it["sources"]["在职人员数"]["page"] == 5
