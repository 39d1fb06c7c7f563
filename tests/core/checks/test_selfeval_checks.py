"""Checks on the 自评表 (domain §5 C11, C23–C28), each rule with its input written out in the test, then the
自评表 of seeds 001 and 004 (§6.2 #16–#18, §6.3 #1, #2, #9, #10)."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

import core.checks.selfeval  # noqa: F401  (registers the checks)
from core.checks.registry import _REGISTRY
from core.model import Case, Field, Indicator, Severity, SourceRef

ALL = ("selfeval.execution_rate", "selfeval.execution_score", "selfeval.weights_sum_100", "selfeval.scores_sum",
       "selfeval.level1_weights", "selfeval.score_le_weight", "selfeval.unmet_full_marks", "selfeval.grade",
       "selfeval.indicator_sanity")


def fld(key: str, value, unit: str = "", page: int = 2, form: str = "自评表") -> Field:
    v = D(value) if isinstance(value, str) and value[:1].isdigit() else value
    return Field(key, v, unit, str(value), SourceRef("d1", page, (300.0, 120.0, 340.0, 130.0)), form=form)


def ind(level1, level2, level3, target, actual, weight, score, deviation="", page=2, n=0) -> Indicator:
    y = 200.0 + 20 * n
    cells = {c: (x, y, x + 50.0, y + 12) for c, x in
             (("level3", 150.0), ("target", 250.0), ("actual", 310.0), ("weight", 370.0), ("score", 420.0),
              ("deviation", 470.0))}
    return Indicator(level1, level2, level3, target, actual, D(weight) if weight else None,
                     D(score) if score else None, deviation, SourceRef("d1", page, (40.0, y, 560.0, y + 12)), cells)


def sheet(rows=(), fields=(), page=2) -> Case:
    c = Case(fields=list(fields), indicators=[ind(*r, page=page, n=i) for i, r in enumerate(rows)])
    c.assign_ids()
    return c


def run(case: Case, check_id: str):
    return _REGISTRY[check_id].fn(case)


def test_every_check_is_registered_with_its_severity():
    sev = {i: _REGISTRY[i].severity for i in ALL}
    assert sev["selfeval.unmet_full_marks"] is Severity.WARNING
    assert sev["selfeval.indicator_sanity"] is Severity.WARNING
    assert all(sev[i] is Severity.ERROR for i in ALL if i not in ("selfeval.unmet_full_marks", "selfeval.indicator_sanity"))
    assert all(_REGISTRY[i].rule for i in ALL)  # each states its rule


@pytest.mark.parametrize("check_id", ALL)
def test_no_sheet_no_findings(check_id):
    assert run(Case(), check_id) == []


# -- C11 ------------------------------------------------------------------------------------------------------

FUNDS_OK = [fld("selfeval.funds.annual_budget", "2558.66", "万元"), fld("selfeval.funds.executed", "2257.39", "万元"),
            fld("selfeval.funds.weight", "10", "分")]


def test_execution_rate_matches_at_printed_precision():
    assert run(sheet(fields=FUNDS_OK + [fld("selfeval.funds.execution_rate", "88.23", "%")]),
               "selfeval.execution_rate") == []
    assert run(sheet(fields=FUNDS_OK + [fld("selfeval.funds.execution_rate", "88.2", "%")]),
               "selfeval.execution_rate") == []


def test_execution_rate_wrong_is_an_error_with_both_values():
    [f] = run(sheet(fields=FUNDS_OK + [fld("selfeval.funds.execution_rate", "92.50", "%")]), "selfeval.execution_rate")
    assert f.severity is Severity.ERROR
    assert f.values == [D("92.50"), D("88.23")]
    assert "自评表第2页" in f.message and "88.23%" in f.message and "2558.66" in f.message
    assert len(f.locations) == 3


def test_execution_rate_one_unit_off_is_a_rounding_warning():
    [f] = run(sheet(fields=FUNDS_OK + [fld("selfeval.funds.execution_rate", "88.22", "%")]), "selfeval.execution_rate")
    assert f.severity is Severity.WARNING and "尾数" in f.message


def test_execution_score_within_0_05_passes():
    c = sheet(fields=FUNDS_OK + [fld("selfeval.funds.score", "8.8", "分")])
    assert run(c, "selfeval.execution_score") == []


def test_execution_score_full_marks_at_88_percent_is_an_error():
    [f] = run(sheet(fields=FUNDS_OK + [fld("selfeval.funds.score", "10", "分")]), "selfeval.execution_score")
    assert f.severity is Severity.ERROR and f.values == [D("10"), D("8.82")]
    assert "应为8.82分" in f.message


def test_execution_score_above_weight_is_an_error_even_at_full_execution():
    c = sheet(fields=[fld("selfeval.funds.annual_budget", "100"), fld("selfeval.funds.executed", "100"),
                      fld("selfeval.funds.weight", "10"), fld("selfeval.funds.score", "12")])
    msgs = [f.message for f in run(c, "selfeval.execution_score")]
    assert any("超过分值10分" in m for m in msgs)


# -- C23 ------------------------------------------------------------------------------------------------------

def rows_of(weights, level1="产出指标"):
    return [(level1, "数量指标", f"指标{i}", "≥1次", "1次", w, w) for i, w in enumerate(weights)]


def test_weights_summing_to_100_pass():
    c = sheet(rows_of(["30", "30", "30"]), [fld("selfeval.funds.weight", "10")])
    assert run(c, "selfeval.weights_sum_100") == []


def test_weights_summing_to_110_are_an_error_with_the_breakdown():
    c = sheet(rows_of(["30", "40", "30"]), [fld("selfeval.funds.weight", "10")])
    [f] = run(c, "selfeval.weights_sum_100")
    assert f.severity is Severity.ERROR and f.values == [D("110"), D("100")]
    assert f.keys == ["selfeval.total_weight"]
    assert f.message.startswith("自评表第2页：分值合计110分，应为100分")
    assert "预算执行率10分" in f.message
    assert f.locations[0].bbox == (40.0, 200.0, 560.0, 252.0)  # the rows' region


def test_total_row_weight_disagreeing_with_the_sum_is_an_error():
    c = sheet(rows_of(["30", "30", "30"]), [fld("selfeval.funds.weight", "10"), fld("selfeval.total_weight", "90")])
    [f] = run(c, "selfeval.weights_sum_100")
    assert f.values == [D("90"), D("100")]


def test_scores_sum_must_equal_the_total():
    rows = rows_of(["30", "30", "30"])
    ok = sheet(rows, [fld("selfeval.funds.score", "8.8"), fld("selfeval.total_score", "98.8")])
    assert run(ok, "selfeval.scores_sum") == []
    bad = sheet(rows, [fld("selfeval.funds.score", "8.8"), fld("selfeval.total_score", "100")])
    [f] = run(bad, "selfeval.scores_sum")
    assert f.severity is Severity.ERROR and f.values == [D("98.8"), D("100")]
    assert "各项得分合计98.8分" in f.message and "100分不符" in f.message


# -- C24 ------------------------------------------------------------------------------------------------------

def test_printed_level1_subtotal_vs_rows():
    c = sheet([("产出指标（40分）", "数量指标", "A", "≥1次", "1次", "20", "20"),
               ("产出指标（40分）", "数量指标", "B", "≥1次", "1次", "25", "25")])
    [f] = run(c, "selfeval.level1_weights")
    assert f.values == [D("40"), D("45")] and "产出指标（40分）" in f.message


def test_level1_subtotal_field_is_preferred_and_compared():
    c = sheet([("产出指标", "数量指标", "A", "≥1次", "1次", "20", "20")],
              [fld("selfeval.level1_weight.产出指标", "20", "分")])
    assert run(c, "selfeval.level1_weights") == []


def test_report_level1_weight_vs_sheet():
    c = sheet([("产出指标", "数量指标", "A", "≥1次", "1次", "45", "45"),
               ("效益指标", "社会效益指标", "B", "≥1次", "1次", "45", "45")],
              [fld("report.level1_weight.产出指标", "50", "分", page=6, form="自评报告"),
               fld("report.level1_weight.效益指标", "45", "分", page=6, form="自评报告")])
    [f] = run(c, "selfeval.level1_weights")
    assert f.severity is Severity.ERROR and f.values == [D("50"), D("45")]
    assert f.message == "自评报告第6页称产出指标总分值为50分，自评表第2页为45分"
    assert f.locations[0].page == 6 and f.locations[-1].page == 2


# -- C25 ------------------------------------------------------------------------------------------------------

def test_score_above_weight_is_an_error_at_the_cells():
    c = sheet([("产出指标", "数量指标", "培训", "≥5场", "6场", "5", "6")])
    [f] = run(c, "selfeval.score_le_weight")
    assert f.severity is Severity.ERROR and f.values == [D("6"), D("5")]
    assert f.locations[0].bbox == (420.0, 200.0, 470.0, 212.0)  # the 得分 cell
    assert f.keys == ["indicators.i1.score", "indicators.i1.weight"]


def test_unmet_target_with_full_marks_is_a_warning_with_the_proportional_score():
    c = sheet([("产出指标", "数量指标", "培训人数", "≥50人", "40人", "10", "10")])
    [f] = run(c, "selfeval.unmet_full_marks")
    assert f.severity is Severity.WARNING
    assert "按完成比例应得8分（40/50×10）" in f.message and "未填写偏差原因分析" in f.message
    assert f.values == [D("40"), D("50"), D("10"), D("8.00")]


def test_unmet_target_scored_in_proportion_needs_only_a_reason():
    c = sheet([("产出指标", "数量指标", "培训人数", "≥50人", "40人", "10", "8")])
    [f] = run(c, "selfeval.unmet_full_marks")
    assert "未填写偏差原因分析" in f.message and f.keys == ["indicators.i1.deviation"]
    explained = sheet([("产出指标", "数量指标", "培训人数", "≥50人", "40人", "10", "8", "疫情停训两期")])
    assert run(explained, "selfeval.unmet_full_marks") == []


def test_met_targets_are_left_alone():
    c = sheet([("产出指标", "数量指标", "培训人数", "≥50人", "50人", "10", "10"),
               ("成本指标", "经济成本指标", "会议费", "≤10万元", "9.5万元", "10", "10")])
    assert run(c, "selfeval.unmet_full_marks") == []


# -- C27 ------------------------------------------------------------------------------------------------------

def graded(grade: str | None, scores=("45", "45"), exec_score="10", rows=None) -> Case:
    """A self-consistent sheet (Σ分值 100, Σ得分 = 总分) with the given 等次."""
    rows = rows or [("产出指标", "数量指标", f"指标{i}", "≥1次", "1次", "45", s) for i, s in enumerate(scores)]
    total = sum((D(r[6]) for r in rows), D(exec_score))
    fs = [fld("selfeval.total_score", str(total), "分"), fld("selfeval.funds.weight", "10"),
          fld("selfeval.funds.score", exec_score)]
    return sheet(rows, fs + ([fld("selfeval.grade", grade)] if grade else []))


def test_grade_consistent_with_total():
    assert run(graded("优", ("45", "42"), "9.8"), "selfeval.grade") == []


def test_grade_inconsistent_with_total_is_an_error():
    [f] = run(graded("优", ("40", "40"), "8"), "selfeval.grade")
    assert f.severity is Severity.ERROR and f.values == ["优", "良"]
    assert "总分88分应为“良”" in f.message


def test_missing_grade_is_a_warning_naming_the_grade_it_should_be():
    [f] = run(graded(None, ("45", "42"), "9.8"), "selfeval.grade")
    assert f.severity is Severity.WARNING and f.values == [None, "优"]
    assert "未填评价等次" in f.message and "96.8分应为“优”" in f.message


def test_recomputed_total_in_another_band_is_a_warning():
    rows = [("产出指标", "数量指标", "A", "≥100人", "50人", "45", "45"), ("产出指标", "数量指标", "B", "≥1次", "1次", "45", "45")]
    c = graded("优", rows=rows)  # A is worth 22.5 by 10号 → 22.5 + 45 + 10 = 77.5 → 中
    [f] = run(c, "selfeval.grade")
    assert f.severity is Severity.WARNING and f.values == ["优", "中"]


# -- C28 ------------------------------------------------------------------------------------------------------

def sanity(rows):
    return run(sheet(rows), "selfeval.indicator_sanity")


def test_duplicate_level3():
    [f] = sanity([("效益指标", "经济效益指标", "带动就业", "≥50人", "60人", "10", "10"),
                  ("效益指标", "可持续影响指标", "带 动 就 业", "≥50人", "70人", "10", "10")])
    assert "重复出现2次" in f.message and len(f.locations) == 2


def test_publicity_under_ecological_benefit_is_misclassified_but_real_ecology_is_not():
    [f] = sanity([("效益指标", "生态效益指标", "群众知晓率", "≥98%", "99%", "10", "10")])
    assert "归类不当" in f.message and f.values == ["群众知晓率", "生态效益指标"]
    assert sanity([("效益指标", "生态效益指标", "垃圾分类宣传覆盖率", "≥90%", "95%", "10", "10")]) == []


def test_actual_three_times_the_target():
    [f] = sanity([("产出指标", "数量指标", "培训", "≥100人次", "300人次", "5", "5")])
    assert "3倍" in f.message and f.values == [D("100"), D("300"), D("3.00")]
    assert sanity([("产出指标", "数量指标", "培训", "≥100人次", "299人次", "5", "5")]) == []


def test_actual_written_like_a_target_and_missing_unit():
    [f] = sanity([("满意度指标", "服务对象满意度指标", "满意度", "≥95%", "＞95", "10", "10")])
    assert "指标值的写法" in f.message and "缺少单位" in f.message
    [g] = sanity([("满意度指标", "服务对象满意度指标", "满意度", "≥95%", "96", "10", "10")])
    assert "缺少单位" in g.message and "指标值的写法" not in g.message


def test_all_targets_equal_to_actuals_is_one_warning():
    rows = [("产出指标", "数量指标", f"指标{i}", f"≥{i + 2}次", f"{i + 2}次", "5", "5") for i in range(5)]
    [f] = sanity(rows)
    assert "5项定量指标中有5项" in f.message and f.keys == ["selfeval.indicators.posthoc"]
    rows[0] = ("产出指标", "数量指标", "指标0", "≥2次", "3次", "5", "5")
    rows[1] = ("产出指标", "数量指标", "指标1", "≥3次", "4次", "5", "5")
    assert sanity(rows) == []  # 3 of 5: below the 75% share


def test_cost_target_equal_to_actual_in_money():
    [f] = sanity([("成本指标", "经济成本指标", "人员经费", "608.54 万元", "608.54 万元", "10", "10")])
    assert "分毫不差" in f.message and f.values == [D("608.54"), D("608.54")]


# -- seed 004: 云溪区委组织部 2024 (§6.3 #1, #2, #9, #10) ----------------------------------------------------

SEED_004_FUNDS = [
    ("selfeval.funds.initial_budget", "615.20", "万元"), ("selfeval.funds.annual_budget", "1363.38", "万元"),
    ("selfeval.funds.executed", "1363.38", "万元"), ("selfeval.funds.weight", "10", "分"),
    ("selfeval.funds.execution_rate", "100.00", "%"), ("selfeval.funds.score", "10.00", "分"),
    ("selfeval.total_score", "100", "分"), ("selfeval.grade", "优", ""),
]
SEED_004_ROWS = [
    ("产出指标", "数量指标", "党校主体班次", "≥4次", "4次", "5", "5"),
    ("产出指标", "数量指标", "开展宣传工作", "≥4次", "4次", "5", "5"),
    ("产出指标", "数量指标", "举办主题党日活动", "≥4次", "4次", "5", "5"),
    ("产出指标", "数量指标", "组织学习相关文件", "≥8次", "8次", "5", "5"),
    ("产出指标", "数量指标", "人才培训", "≥1000人次", "15000人次", "5", "5"),
    ("产出指标", "质量指标", "党员干部参与率", "≥90%", "90%", "5", "5"),
    ("产出指标", "质量指标", "引进人才增长率", "≥20%", "20%", "5", "5"),
    ("产出指标", "时效指标", "资金下达时间", "4月1日之前", "4月1日之前", "5", "5"),
    ("产出指标", "时效指标", "资金到位时效", "≥90%", "100%", "5", "5"),
    ("效益指标", "经济效益指标", "带动就业", "≥50人", "50人", "10", "10"),
    ("效益指标", "社会效益指标", "组织工作宣传覆盖率", "≥95%", "95%", "10", "10"),
    ("效益指标", "生态效益指标", "持续开展组织宣传工作，群众知晓率", "≥98%", "98%", "10", "10"),
    ("效益指标", "可持续影响指标", "带动就业", "≥50人", "50人", "10", "10"),
    ("满意度指标", "服务对象满意度指标", "满意度", "≥95%", "＞95", "10", "10"),
    ("成本指标", "经济成本指标", "预算控制数", "≤1363.38万元", "1363.38万元", "5", "5"),
    ("成本指标", "社会成本指标", "", "", "", "", ""),
    ("成本指标", "生态环境成本指标", "", "", "", "", ""),
]
# The 自评报告's "总分值为X分，评价得分X分" sentences (report.level1_weight.* / level1_score.*).
SEED_004_REPORT = [("产出指标", "50", 6), ("效益指标", "30", 8), ("满意度指标", "10", 9)]


def seed_004() -> Case:
    fs = [fld(k, v, u, page=3) for k, v, u in SEED_004_FUNDS]
    for name, v, page in SEED_004_REPORT:
        fs.append(fld(f"report.level1_weight.{name}", v, "分", page=page, form="自评报告"))
        fs.append(fld(f"report.level1_score.{name}", v, "分", page=page, form="自评报告"))
    return sheet(SEED_004_ROWS, fs, page=3)


def by_check(case: Case) -> dict[str, list]:
    return {i: run(case, i) for i in ALL}


def test_seed_004_weights_sum_110_error():
    [f] = by_check(seed_004())["selfeval.weights_sum_100"]
    assert f.severity is Severity.ERROR and f.values == [D("110"), D("100")]
    assert f.message.startswith("自评表第3页：分值合计110分，应为100分")
    assert "产出指标45分、效益指标40分、满意度指标10分、成本指标5分、预算执行率10分" in f.message


def test_seed_004_scores_sum_110_vs_stated_100():
    [f] = by_check(seed_004())["selfeval.scores_sum"]
    assert f.severity is Severity.ERROR and f.values == [D("110.00"), D("100")]


def test_seed_004_level1_weights_disagree_with_the_report():
    fs = by_check(seed_004())["selfeval.level1_weights"]
    errors = {(tuple(f.values), f.keys[0]) for f in fs if f.severity is Severity.ERROR}
    assert ((D("50"), D("45")), "report.level1_weight.产出指标") in errors
    assert ((D("30"), D("40")), "report.level1_weight.效益指标") in errors
    assert not any("满意度指标" in f.message for f in fs)
    [missing] = [f for f in fs if f.severity is Severity.WARNING]
    assert "未提及成本指标" in missing.message


def test_seed_004_execution_checks_pass():
    fs = by_check(seed_004())
    assert fs["selfeval.execution_rate"] == [] and fs["selfeval.execution_score"] == []
    assert fs["selfeval.score_le_weight"] == [] and fs["selfeval.unmet_full_marks"] == []


def test_seed_004_grade_rests_on_an_invalid_total():
    [f] = by_check(seed_004())["selfeval.grade"]
    assert f.severity is Severity.WARNING
    assert f.values == ["优", D("100"), D("110")]
    assert "分值合计为110分而非100分" in f.message


def test_seed_004_indicator_sanity():
    fs = by_check(seed_004())["selfeval.indicator_sanity"]
    assert all(f.severity is Severity.WARNING for f in fs)
    text = "\n".join(f.message for f in fs)
    assert "三级指标“带动就业”重复出现2次（经济效益指标、可持续影响指标）" in text
    assert "“持续开展组织宣传工作，群众知晓率”列在“生态效益指标”下，归类不当" in text
    assert "“满意度”填为“＞95”，且缺少单位" in text
    assert "“人才培训”年度指标值≥1000人次，实际完成值15000人次，为指标值的15倍" in text
    assert "13项定量指标中有11项实际完成值与年度指标值完全相同" in text
    dup = next(f for f in fs if "重复" in f.message)
    assert [loc.page for loc in dup.locations] == [3, 3]
    far = next(f for f in fs if "15倍" in f.message)
    assert far.values[:2] == [D("1000"), D("15000")]


def test_seed_004_findings_have_distinct_fingerprints():
    fs = [f for fl in by_check(seed_004()).values() for f in fl]
    assert len({f.fingerprint for f in fs}) == len(fs)
    assert all(f.locations for f in fs)


# -- seed 001: 天元区委组织部 2024 (§6.2 #16–#18; no weights error) -----------------------------------------

SEED_001_FUNDS = [
    ("selfeval.funds.initial_budget", "821.4", "万元"), ("selfeval.funds.annual_budget", "2558.66", "万元"),
    ("selfeval.funds.executed", "2257.39", "万元"), ("selfeval.funds.weight", "10", "分"),
    ("selfeval.funds.execution_rate", "88.23", "%"), ("selfeval.funds.score", "8.8", "分"),
    ("selfeval.total_weight", "100", "分"), ("selfeval.total_score", "96.8", "分"),
]
SEED_001_ROWS = [
    ("产出指标（40分）", "数量指标", "工资、津贴补贴发放人数", "21人", "20人", "5", "5"),
    ("产出指标（40分）", "数量指标", "公务员职级晋升人数", "≥50人次", "179人次", "5", "5"),
    ("产出指标（40分）", "数量指标", "组织培训次数", "≥5场", "8场", "5", "5"),
    ("产出指标（40分）", "数量指标", "新认定人才数量", "高层次人才≥50人，区级优秀青年人才≥500人，技能人才≥5人。",
     "认定株洲市高层次人才61人，区级优秀青年人才664人，技能人才12人", "5", "5"),
    ("产出指标（40分）", "质量指标", "重点经费保障覆盖率", "≥90%", "100%", "5", "5"),
    ("产出指标（40分）", "质量指标", "组织事务工作完成率", "≥90%", "100%", "5", "5"),
    ("产出指标（40分）", "时效指标", "工作按时开展", "≥90%", "100%", "5", "5"),
    ("产出指标（40分）", "时效指标", "资金按时拨付", "≥90%", "100%", "5", "5"),
    ("效益指标 (20分)", "经济效益指标", "发放各类人才补贴增强企业竞争力情况", "好", "好", "10", "9"),
    ("效益指标 (20分)", "社会效益指标", "部内全年工作情况，服务干部、人才、老干部情况，社会稳定情况", "好", "好", "10", "9"),
    ("效益指标 (20分)", "生态效益指标", "", "", "", "", ""),
    ("效益指标 (20分)", "可持续影响指标", "", "", "", "", ""),
    ("满意度指标 (10分)", "服务对象满意度指标", "干部满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("满意度指标 (10分)", "服务对象满意度指标", "人才满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("满意度指标 (10分)", "服务对象满意度指标", "党员满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("满意度指标 (10分)", "服务对象满意度指标", "离退休干部满意度", "≥90%", "≥95%", "2.5", "2.5"),
    ("成本指标 (20分)", "经济成本指标", "人员经费", "608.54 万元", "608.54 万元", "10", "10"),
    ("成本指标 (20分)", "经济成本指标", "运转经费", "≦67.51 万元", "65.37 万元", "10", "10"),
    ("成本指标 (20分)", "社会成本指标", "", "", "", "", ""),
    ("成本指标 (20分)", "生态环境成本指标", "", "", "", "", ""),
]


def seed_001() -> Case:
    return sheet(SEED_001_ROWS, [fld(k, v, u, page=31) for k, v, u in SEED_001_FUNDS], page=31)


def test_seed_001_arithmetic_is_sound():
    fs = by_check(seed_001())
    for cid in ("selfeval.execution_rate", "selfeval.execution_score", "selfeval.weights_sum_100",
                "selfeval.scores_sum", "selfeval.level1_weights", "selfeval.score_le_weight"):
        assert fs[cid] == [], cid


def test_seed_001_16_unmet_headcount_scored_in_full():
    [f] = by_check(seed_001())["selfeval.unmet_full_marks"]
    assert f.severity is Severity.WARNING
    assert "“工资、津贴补贴发放人数”年度指标值21人、实际完成值20人，未完成指标值却得满分5分" in f.message
    assert "按完成比例应得4.76分（20/21×5）" in f.message
    assert f.values == [D("20"), D("21"), D("5"), D("4.76")]


def test_seed_001_17_target_style_satisfaction_and_post_hoc_cost_target():
    fs = by_check(seed_001())["selfeval.indicator_sanity"]
    style = [f for f in fs if "指标值的写法" in f.message]
    assert len(style) == 1 and len(style[0].locations) == 4  # the four 满意度 rows, one warning
    assert "“干部满意度”填为“≥95%”" in style[0].message
    cost = [f for f in fs if "分毫不差" in f.message]
    assert len(cost) == 1 and "人员经费" in cost[0].message
    assert not any("完全相同" in f.message for f in fs)  # 1 of 9 quantitative rows: no post-hoc pattern


def test_seed_001_18_missing_grade():
    [f] = by_check(seed_001())["selfeval.grade"]
    assert f.severity is Severity.WARNING and "未填评价等次；按总分96.8分应为“优”" in f.message


# -- the generated yunxi_2024 fixture package, through its expected fields ---------------------------------

EXPECTED = Path(__file__).resolve().parents[2] / "data" / "packages" / "yunxi_2024" / "expected.json"


@pytest.mark.skipif(not EXPECTED.exists(), reason="fixture package not generated")
def test_yunxi_fixture_expected_fields_give_the_seed_004_findings():
    data = json.loads(EXPECTED.read_text(encoding="utf-8"))

    def dv(v):
        try:
            return D(v)
        except Exception:
            return v

    c = Case()
    for f in data["fields"]:
        c.fields.append(Field(f["key"], dv(f["value"]), f["unit"], f["raw"],
                              SourceRef("d1", f["page"], tuple(f["bbox"])), form=f.get("form", "")))
    for i in data["indicators"]:
        c.indicators.append(Indicator(i["level1"], i["level2"], i["level3"], i["target"], i["actual"],
                                      dv(i["weight"]) if i["weight"] else None, dv(i["score"]) if i["score"] else None,
                                      i["deviation"], SourceRef("d1", i["page"], tuple(i["bbox"]))))
    c.assign_ids()
    fs = by_check(c)
    assert [f.values for f in fs["selfeval.weights_sum_100"]] == [[D("110"), D("100")]]
    assert {tuple(f.values) for f in fs["selfeval.level1_weights"] if f.severity is Severity.ERROR} >= {
        (D("50"), D("45")), (D("30"), D("40"))}
    assert len(fs["selfeval.grade"]) == 1
    assert len(fs["selfeval.indicator_sanity"]) >= 5
