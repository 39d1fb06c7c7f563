"""The 自评表 recomputed (domain §3.2): 执行率, 预算执行得分, Σ分值, Σ得分, 10号 proportional scores, 等次."""

from __future__ import annotations

from decimal import Decimal as D

from core.model import Case, Field, Indicator, SourceRef
from core.scoring import score_selfeval
from core.scoring.selfeval import grade_name, label_weight, level1_name


def fld(key: str, value, unit: str = "", page: int = 2) -> Field:
    v = D(value) if isinstance(value, str) and value[:1].isdigit() else value
    return Field(key, v, unit, str(value), SourceRef("d1", page, (300.0, 120.0, 340.0, 130.0)), form="自评表")


def ind(level1, level2, level3, target, actual, weight, score, deviation="", page=2, n=0) -> Indicator:
    y = 200.0 + 20 * n
    return Indicator(level1, level2, level3, target, actual, D(weight) if weight else None,
                     D(score) if score else None, deviation, SourceRef("d1", page, (40.0, y, 560.0, y + 12)))


def sheet(rows, fields=()) -> Case:
    c = Case(fields=list(fields), indicators=[ind(*r, n=i) for i, r in enumerate(rows)])
    c.assign_ids()
    return c


# Seed 001 (天元区委组织部 2024), 部门整体支出绩效自评表, as printed.
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
    return sheet(SEED_001_ROWS, [fld(k, v, u) for k, v, u in SEED_001_FUNDS])


# Seed 004 (云溪区委组织部 2024), 整体支出绩效自评表, as printed.
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


def seed_004() -> Case:
    return sheet(SEED_004_ROWS, [fld(k, v, u) for k, v, u in SEED_004_FUNDS])


# -- seed 001 --------------------------------------------------------------------------------------------------

def test_seed_001_execution_rate_and_score():
    s = score_selfeval(seed_001())
    assert s["execution_rate"] == {"stated": D("88.23"), "recomputed": D("88.23")}
    assert s["execution_score"]["stated"] == D("8.8")
    assert s["execution_score"]["recomputed"] == D("8.82")  # 88.225…% × 10; printed 8.8 is within ±0.05


def test_seed_001_sums_to_100_and_96_8():
    s = score_selfeval(seed_001())
    assert s["weight_sum"] == D("100")
    assert s["stated_score_sum"] == D("96.8") == s["total"]
    assert s["stated_weight"] == D("100")


def test_seed_001_level1_subtotals_from_the_printed_labels():
    lv = score_selfeval(seed_001())["level1"]
    assert list(lv) == ["产出指标", "效益指标", "满意度指标", "成本指标"]
    for name, w in (("产出指标", "40"), ("效益指标", "20"), ("满意度指标", "10"), ("成本指标", "20")):
        assert lv[name]["stated_weight"] == D(w) == lv[name]["weight_sum"]
    assert lv["效益指标"]["score_sum"] == D("18")


def test_seed_001_unmet_headcount_is_recomputed_in_proportion():
    rows = {r["level3"]: r for r in score_selfeval(seed_001())["rows"]}
    r = rows["工资、津贴补贴发放人数"]
    assert r["met"] is False
    assert r["recomputed_score"] == D("4.76")  # 20/21 × 5
    assert "20/21×5 = 4.76分" in r["note"]
    assert rows["运转经费"]["met"] is True  # ≦67.51 万元, 65.37
    assert rows["人员经费"]["met"] is True  # a plain 成本 target is a ceiling
    assert rows["干部满意度"]["met"] is None and "指标值的形式" in rows["干部满意度"]["note"]
    assert rows["发放各类人才补贴增强企业竞争力情况"]["recomputed_score"] == D("9")  # qualitative: as printed
    assert "新认定人才数量" in rows and rows["新认定人才数量"]["met"] is None  # compound target: not decided


def test_seed_001_blank_rows_are_not_rows():
    rows = score_selfeval(seed_001())["rows"]
    assert len(rows) == 16
    assert all(r["level3"] for r in rows)


def test_seed_001_recomputed_total_and_grades():
    s = score_selfeval(seed_001())
    # 4.76 + 35 + 18 + 10 + 20 = 87.76, + 8.82
    assert s["recomputed_total"] == D("96.58")
    assert s["grade"] is None  # the sheet prints no 评价等次 (§6.2 #18)
    assert s["grade_of_total"] == "优" and s["recomputed_grade"] == "优"
    assert s["normalized_total"] is None


def test_far_above_target_is_noted():
    rows = {r["level3"]: r for r in score_selfeval(seed_001())["rows"]}
    assert "3.58倍" in rows["公务员职级晋升人数"]["note"]  # 179 / 50
    assert rows["组织培训次数"]["note"] == ""  # 8 / 5 is not ≥ 3×


# -- seed 004 --------------------------------------------------------------------------------------------------

def test_seed_004_weights_sum_to_110():
    s = score_selfeval(seed_004())
    assert s["weight_sum"] == D("110")
    assert s["stated_score_sum"] == D("110")
    assert s["total"] == D("100") and s["grade"] == "优"
    assert s["recomputed_total"] == D("110.00")
    assert s["normalized_total"] == D("100.00")
    lv = s["level1"]
    assert {k: v["weight_sum"] for k, v in lv.items()} == {
        "产出指标": D("45"), "效益指标": D("40"), "满意度指标": D("10"), "成本指标": D("5")}
    assert all(v["stated_weight"] is None for v in lv.values())


def test_seed_004_fifteen_times_target():
    rows = {r["level3"]: r for r in score_selfeval(seed_004())["rows"]}
    assert rows["人才培训"]["met"] is True
    assert "15倍" in rows["人才培训"]["note"] and "指标值设定明显偏低" in rows["人才培训"]["note"]
    assert "缺少单位" in rows["满意度"]["note"]
    assert rows["资金下达时间"]["met"] is True


def test_seed_004_rows_carry_indicator_ids():
    rows = score_selfeval(seed_004())["rows"]
    assert [r["indicator_id"] for r in rows] == [f"i{n}" for n in range(1, 16)]


def test_seed_004_report_weights_appear_in_level1():
    c = seed_004()
    c.fields.append(Field("report.level1_weight.产出指标", D("50"), "分", "50", SourceRef("d1", 6, (0, 0, 1, 1)),
                          form="自评报告"))
    assert score_selfeval(c)["level1"]["产出指标"]["report_weight"] == D("50")


# -- rules one by one ------------------------------------------------------------------------------------------

def test_execution_score_is_capped_at_the_weight():
    c = sheet([], [fld("selfeval.funds.annual_budget", "100"), fld("selfeval.funds.executed", "120"),
                   fld("selfeval.funds.weight", "10")])
    s = score_selfeval(c)
    assert s["execution_rate"]["recomputed"] == D("120.00")
    assert s["execution_score"]["recomputed"] == D("10.00")


def test_execution_score_from_the_stated_rate_when_amounts_are_missing():
    c = sheet([], [fld("selfeval.funds.execution_rate", "95.5"), fld("selfeval.funds.weight", "20")])
    assert score_selfeval(c)["execution_score"]["recomputed"] == D("19.10")


def test_ceiling_target_exceeded_scores_target_over_actual():
    c = sheet([("成本指标", "经济成本指标", "会议费", "≤60万元", "75万元", "10", "10")])
    r = score_selfeval(c)["rows"][0]
    assert r["met"] is False and r["recomputed_score"] == D("8.00")  # 60/75 × 10


def test_score_above_weight_is_capped_in_the_recomputation():
    c = sheet([("产出指标", "数量指标", "培训", "≥5场", "6场", "5", "6")])
    r = score_selfeval(c)["rows"][0]
    assert r["recomputed_score"] == D("5.00") and "超过分值" in r["note"]


def test_units_that_cannot_be_compared_are_noted():
    c = sheet([("产出指标", "数量指标", "培训人数", "≥50人", "60%", "5", "5")])
    r = score_selfeval(c)["rows"][0]
    assert r["met"] is None and "单位" in r["note"]


def test_count_prefixes_are_multiplied_out():
    c = sheet([("产出指标", "数量指标", "服务人次", "≥1.2万人次", "9000人次", "10", "10")])
    r = score_selfeval(c)["rows"][0]
    assert r["met"] is False and r["recomputed_score"] == D("7.50")


def test_empty_case_scores_to_nothing():
    s = score_selfeval(Case())
    assert s["total"] is None and s["recomputed_total"] is None and s["rows"] == [] and s["recomputed_grade"] is None


def test_project_sheet_rows_are_left_out():
    from core.model import DocumentInfo
    c = sheet([("产出指标", "数量指标", "A", "≥1次", "1次", "50", "50"),
               ("产出指标", "数量指标", "B", "≥1次", "1次", "50", "50")])
    c.indicators[1].source = SourceRef("d1", 9, (0, 0, 1, 1))
    c.documents = [DocumentInfo("d1", "x.pdf", "", 9, kinds={"自评表": [2], "项目支出绩效自评表": [9]})]
    assert [r["level3"] for r in score_selfeval(c)["rows"]] == ["A"]


def test_label_helpers():
    assert level1_name("产出指标（40分）") == "产出指标"
    assert level1_name("效益指标 (20分)") == "效益指标"
    assert level1_name("满意度指标") == "满意度指标"
    assert label_weight("成本指标 (20分)") == D("20") and label_weight("成本指标") is None
    assert grade_name("“优”") == "优" and grade_name("良好") == "良" and grade_name("") is None


def test_the_analysis_of_one_case_is_never_served_for_another_with_other_documents():
    """The same 自评表 figures printed in another package (another document id) give findings located in
    that package: the analysis is shared by the checks of one run, never across cases."""
    from core.checks.registry import run_checks

    def sheet(doc: str) -> Case:
        src = SourceRef(doc, 3, (10.0, 10.0, 50.0, 20.0))
        fields = [Field(key="selfeval.funds.weight", value=D(10), unit="分", raw="10", source=src, id="f1")]
        inds = [Indicator("产出指标", "数量指标", f"指标{n}", "≥4次", "4次", D(50), D(50), "", src, id=f"i{n}")
                for n in (1, 2)]  # 10 + 50 + 50 = 110 分
        return Case(fields=fields, indicators=inds)

    for doc in ("d1", "d2"):
        found = run_checks(sheet(doc), only={"selfeval.weights_sum_100"})
        assert found and all(loc.doc == doc for f in found for loc in f.locations), (doc, found)


def test_a_correction_in_one_case_never_shows_in_another_case_with_the_same_figures():
    """A correction changes a field in place.  Two cases read from the same package: correcting 全年预算数 of
    the first (to a blank) must not reach the analysis of the second, whose 全年预算数 is still printed."""
    from core.scoring.selfeval import analyse

    def package() -> Case:
        return Case.from_json(sheet(SEED_001_ROWS, [fld(k, v, u) for k, v, u in SEED_001_FUNDS]).to_json())

    first, second = package(), package()
    analyse(first)
    budget = first.first("selfeval.funds.annual_budget")
    budget.value, budget.raw = None, ""  # what ReviewSession.correct does to the field
    analyse(first)
    theirs = analyse(second)
    assert theirs.fields["annual_budget"] is second.first("selfeval.funds.annual_budget")
    assert theirs.fields["annual_budget"].value == D("2558.66")
    assert theirs.execution_rate == D("88.23")
