"""The cross-document checks (core.checks.cross), each with its input written in the test.

Seeds 001 and 004 are rebuilt by hand from ``../shared/seeds`` (only the figures the checks read) to show the
real errors of domain.md §6.2 #5 #6 #8 #9 #10 #20 #21 #22 and §6.3 #3–#8 #12 are found, with the severity,
values and places a reviewer needs — and that what holds in them gives no finding.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from core.checks import cross  # noqa: F401  (registers the checks)
from core.model import Case, DocumentInfo, Field, Indicator, Severity, SourceRef
from test_accounts import seed_001_accounts

_y = [100.0]


def _place(doc: str, page: int) -> SourceRef:
    _y[0] += 14  # every field its own box, as printed
    return SourceRef(doc, page, (80.0, _y[0], 200.0, _y[0] + 12))


def N(key: str, value, page: int = 2, doc: str = "dN", unit: str = "万元", form: str = "自评报告",
      **attrs) -> Field:
    v = D(value) if isinstance(value, str) and unit else value
    return Field(key=key, value=v, unit=unit, raw=str(value), source=_place(doc, page), form=form,
                 attrs=attrs)


def JN(key: str, value, page: int = 18, **attrs) -> Field:
    """A figure of the 决算情况说明 (part of the 决算 PDF)."""
    return N(key, value, page, doc="dJ", form="决算说明", **attrs)


def S(key: str, value, page: int = 1, unit: str = "万元") -> Field:
    v = D(value) if unit else value
    return Field(key=key, value=v, unit=unit, raw=str(value), source=_place("dS", page), form="自评表")


def B(key: str, value, unit: str = "万元") -> Field:
    v = D(value) if unit else value
    return Field(key=key, value=v, unit=unit, raw=str(value), source=_place("dB", 1), form="基础数据表")


def J(key: str, value: str, unit: str = "元", page: int = 5) -> Field:
    v = D(value) if unit else value
    return Field(key=key, value=v, unit=unit, raw=value, source=_place("dJ", page), form="决算")


def IND(level1: str, level3: str, target: str, actual: str, page: int = 2) -> Indicator:
    src = _place("dS", page)
    return Indicator(level1=level1, level2="", level3=level3, target=target, actual=actual, weight=D(5),
                     score=D(5), deviation="", source=src, cells={"actual": (300.0, src.bbox[1], 340.0,
                                                                             src.bbox[3])})


def docs(**kinds: dict[str, list[int]]) -> list[DocumentInfo]:
    return [DocumentInfo(doc, f"{doc}.pdf", "", 10, kinds=k, year=2024) for doc, k in kinds.items()]


def run(case: Case, check_id: str) -> list:
    from core.checks.registry import all_checks

    return next(c.fn for c in all_checks() if c.id == check_id)(case)


def by_check(case: Case, prefix: str = "cross.") -> dict[str, list]:
    from core.checks.registry import run_checks

    out: dict[str, list] = {}
    for f in run_checks(case):
        if f.check.startswith(prefix):
            out.setdefault(f.check, []).append(f)
    return out


def places(f) -> set[tuple[str, int]]:
    return {(loc.doc, loc.page) for loc in f.locations}


# -- seed 004: 云溪区委组织部 (基础数据表 + 自评表 + 自评报告, no 决算) -----------------------------------------------


def seed_004() -> Case:
    b = [B("basic.unit_name", "中共岳阳市云溪区委组织部", unit=""), B("basic.staff.authorized", "24", "人"),
         B("basic.staff.actual", "24", "人"), B("basic.staff.control_rate", "100.00", "%")]
    for row, vals in (("sangong", ("0.41", "1.8", "0.96")), ("reception", ("0.41", "1.8", "0.96")),
                      ("project", ("179.33", "230.75", "661.46")), ("project_business", ("179.33", "230.75",
                                                                                         "661.46")),
                      ("public", ("34.04", "30.74", "40.54"))):
        b += [B(f"basic.{row}.{c}", v) for c, v in zip(("prev", "budget", "final"), vals)]
    s = [S("selfeval.unit_name", "中共岳阳市云溪区委组织部", unit=""), S("selfeval.funds.initial_budget", "615.20"),
         S("selfeval.funds.annual_budget", "1363.38"), S("selfeval.funds.executed", "1363.38"),
         S("selfeval.income.general_budget", "1361.52"), S("selfeval.income.gov_fund", "1.86"),
         S("selfeval.spending.basic", "701.92"), S("selfeval.spending.project", "661.46")]
    sec2 = "二、一般公共预算支出情况"
    s1 = "2024决算支出1361.52万元，其中：基本支出701.92万元，项目支出661.46万元。"
    s2 = ("2024全年基本支出701.92万元，其中：工资福利支出354.88万元、商品和服务支出231.72万元、对个人和家庭的补助"
          "114.67万元、债务利息及费用支出0万元、资本性支出0.65万元、其他支出0万元。")
    s3 = "2024年本部门项目支出701.92万元，主要是部门为完成特定行政工作任务或事业发展目标而发生的支出"
    s4 = ("2024年初财政批复局机关“三公”经费预算数为1.8万元，其中：公务接待费1.8万元、因公出国（境）费用0万元、"
          "公务用车购置及运行费0万元。")
    s5 = "全年决算单位支出“三公”经费为0.96万元，其中：公务接待费0.96万元、因公出国（境）费用0万元。"
    n = [N("report.staff.actual", "24", 1, unit="人", group="g1", sentence="2024年末实有人数24人，其中编制人数24人。"),
         N("report.staff.authorized", "24", 1, unit="人", group="g1", sentence="2024年末实有人数24人，其中编制人数24人。"),
         N("report.expense_total", "1361.52", group="g2", sentence=s1, section=sec2),
         N("report.basic", "701.92", group="g2", sentence=s1, section=sec2),
         N("report.project", "661.46", group="g2", sentence=s1, section=sec2),
         N("report.basic", "701.92", group="g3", sentence=s2, section=sec2),
         N("report.econ.wages", "354.88", group="g3", sentence=s2), N("report.econ.goods_services", "231.72",
                                                                      group="g3",
                                                                        sentence=s2),
         N("report.econ.household", "114.67", group="g3", sentence=s2),
         N("report.econ.debt_interest", "0", group="g3", sentence=s2),
         N("report.econ.capital", "0.65", group="g3", sentence=s2), N("report.econ.other", "0", group="g3",
                                                                      sentence=s2),
         N("report.project", "701.92", group="g4", sentence=s3, section=sec2),
         N("report.sangong.budget", "1.8", group="g5", sentence=s4),
         N("report.sangong.reception.budget", "1.8", group="g5", sentence=s4),
         N("report.sangong.final", "0.96", group="g6", sentence=s5),
         N("report.sangong.reception.final", "0.96", group="g6", sentence=s5),
         N("report.problems", "2024我单位无预算支出执行偏离绩效目标的情况。", 5, unit="",
           section="七、存在的问题及原因分析")]
    return Case(documents=docs(dB={"基础数据表": [1]}, dS={"自评表": [1, 2]}, dN={"自评报告": [1, 2, 3, 4, 5]}),
                fields=b + s + n)


def test_seed_004_findings():
    found = by_check(seed_004())
    # §6.3 #3: 1361.52 ≠ 701.92 + 661.46 = 1363.38 (C4)
    (c4,) = found["cross.c04_basic_plus_project"]
    assert c4.severity == Severity.ERROR and c4.values == [D("1361.52"), D("1363.38")]
    assert "1363.38万元" in c4.message and "1.86万元" in c4.message and len(c4.locations) == 3
    # §6.3 #4: 项目支出701.92 vs 自评表/基础数据表 661.46 (C3)
    (c3,) = found["cross.c03_project"]
    assert c3.severity == Severity.ERROR
    assert c3.message.startswith("自评报告第2页项目支出701.92万元，自评表第1页为661.46万元，基础数据表第1页为661.46万元")
    assert places(c3) == {("dN", 2), ("dS", 1), ("dB", 1)}
    # §6.3 #5: 公用经费 40.54 vs 商品和服务支出 231.72 (C15, warning)
    (c15,) = found["cross.c15_public_goods_services"]
    assert c15.severity == Severity.WARNING and c15.values == [D("231.72"), D("40.54")]
    # §6.3 #6: 131.88% while 存在的问题 says 无 (C16)
    (c16,) = found["cross.c16_public_over_unexplained"]
    assert c16.severity == Severity.WARNING and "131.88%" in c16.message and ("dN", 5) in places(c16)
    # §6.3 #8: 预算调整率 121.62%, 项目支出 286.66%, unexplained (C17)
    c17 = found["cross.c17_budget_adjustment"]
    assert {f.severity for f in c17} == {Severity.WARNING}
    assert any("121.62%" in f.message for f in c17) and any("286.66%" in f.message for f in c17)
    # §6.3 #12: "局机关" in a 组织部 report (C31)
    (c31,) = found["cross.c31_unit_name"]
    assert c31.severity == Severity.WARNING and "局机关" in c31.message
    # no 决算 in the package (C35)
    (c35,) = found["cross.c35_attachments"]
    assert "部门决算" in c35.message and c35.severity == Severity.WARNING
    # nothing else is wrong across documents (1361.52 is the 一般公共预算 part: C1 leaves it to C4)
    assert set(found) == {"cross.c04_basic_plus_project", "cross.c03_project",
                          "cross.c15_public_goods_services",
                          "cross.c16_public_over_unexplained", "cross.c17_budget_adjustment",
                          "cross.c31_unit_name",
                          "cross.c35_attachments"}


def test_seed_004_basic_table_findings_for_7_and_6():
    found = by_check(seed_004(), "basic.")
    assert "134.15%" in found["basic.sangong_increase"][0].message  # §6.3 #7
    assert "131.88%" in found["basic.public_over_budget"][0].message  # §6.3 #6


# -- seed 001: 天元区委组织部 (部门决算 + 决算情况说明 + 自评报告 + 自评表, no 基础数据表) -----------------------------

ITEMS_001 = [  # 决算情况说明 五(三): (title, 年初预算, 支出决算, reason)
    ("一般公共服务（类）组织事务（款）行政运行（项）", "325.55", "321.29", "厉行节约与经费合理使用"),
    ("一般公共服务（类）组织事务（款）一般行政管理事务（项）", "0", "3", "年中追加指标支付，故决算增加"),
    ("一般公共服务（类）组织事务（款）公务员事务（项）", "44", "24.15", "部分公务员事务工作未达到付款条件"),
    ("一般公共服务（类）组织事务（款）其他组织事务支出（项）", "8", "232.97",
     "离任村干部补贴属于公共专项，预算时未纳入部门预算，执行时在部门预算"),
    ("一般公共服务（类）其他一般公共服务支出（款）其他一般公共服务支出（项）", "0", "27.92", "年中追加指标支付，故决算增加"),
    ("教育支出（类）进修及培训（款）干部教育（项）", "18", "16.05", "厉行节约与经费合理使用"),
    ("社会保障和就业支出（类）人力资源和社会保障管理事务（款）引进人才费用（项）", "0", "751.10",
     "人才经费属于公共专项，预算时未纳入部门预算，执行时增加部门决算"),
    ("社会保障和就业支出（类）行政事业单位养老支出（款）行政单位离退休（项）", "266.2", "248.02", "人员异动"),
    ("社会保障和就业支出(类)行政事业单位养老支出(款)离退休人员管理机构(项)", "61.18", "58.18", "部分老干部离世"),
    ("社会保障和就业支出(类)行政事业单位养老支出(款)机关事业单位基本养老保险缴费支出(项)", "34.79", "34.23", "人员异动"),
    ("社会保障和就业支出(类)行政事业单位养老支出(款)机关事业单位职业年金缴费支出(项)", "0", "3.10", "人员异动"),
    ("社会保障和就业支出(类)行政事业单位养老支出(款)死亡抚恤(项)", "0", "54.55", "部分老干部离世"),
    ("社会保障和就业支出(类)其他社会保障和就业支出（款）其他社会保障和就业支出（项）", "1.07", "1.13", "人员异动"),
    ("卫生健康支出（类）计划生育事务（款）计划生育事务（项）", "0", "0.77", "独生子女费为年中追加项目"),
    ("卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）", "13.06", "12.88", "人员异动"),
    ("卫生健康支出（类）行政事业单位医疗（款）公务员医疗补助（项）", "19.44", "18.70", "人员异动"),
    ("农林水支出（类）农业（款）对高校毕业生到基层任职补助（项）", "0", "6.25",
     "选调生补助经费属于公共专项，预算时未纳入部门预算，执行时增加部门决算"),
    ("农林水支出（类）农村综合改革（款）对村民委员会和村党支部的补助（项）", "0", "413.46", "年中追加指标支付，故决算增加"),
    ("住房保障支出（类）住房改革支出（款）住房公积金（项）", "30.11", "29.64", "人员异动"),
]
PROJECTS_001 = [  # 自评报告 六(二): (kind, name, 预算/金额, 实际支出, 结余结转)
    ("年初预算项目", "干部教育及管理经费", "30", "27.34", "0"),
    ("年初预算项目", "老干活动慰问运转经费", "109.38", "107.82", "0"),
    ("年初预算项目", "人才经费", "956", "751.1", "183.93"),
    ("年初预算项目", "机关干部进小区专项工作经费", "22", "18.67", "0"),
    ("年初预算项目", "选调生补助经费", "32", "32", "0"),
    ("年初预算项目", "离任村干部补贴", "201.24", "201.24", "0"),
    ("年初预算项目", "党员教育培训经费", "0.36", "0.36", "0"),
    ("年中追加项目", "机关干部进小区工作队经费", "3", "2.81", "0"),
    ("年中追加项目", "村级运转经费", "502", "413.46", "0"),
    ("年中追加项目", "“湘江大讲堂”视频会议系统建设经费", "28", "27.91", "0"),
    ("年中追加项目", "2024年城镇职工独生子女奖励金", "0.77", "0.77", "0"),
]
CLASSES_001 = [("一般公共服务（类）", "609.33"), ("教育（类）", "16.05"), ("社会保障和就业支出（类）", "1150.31"),
               ("卫生健康支出（类）", "32.35"), ("农林水支出（类）", "419.71"), ("住房保障支出（类）", "29.64")]


def seed_001() -> Case:
    case = seed_001_accounts()
    for f in case.fields:
        f.source = SourceRef("dJ", f.source.page, f.source.bbox)
    for ln in case.account_lines:
        ln.source = SourceRef("dJ", ln.source.page, ln.source.bbox)
    case.fields.append(J("accounts.unit_name", "中国共产党株洲市天元区委员会组织部", unit=""))
    # 决算情况说明
    j = [JN("report.expense_total", "2257.39", 17, group="j3", sentence="2024年度支出合计2257.39万元，其中：基本支出"
            "673.91万元，占29.85%；项目支出1583.48万元，占70.15%。"),
         JN("report.basic", "673.91", 17, group="j3"), JN("report.project", "1583.48", 17, group="j3"),
         JN("report.initial_budget", "821.4", 18, group="j5", sentence="2024年度财政拨款支出年初预算数为821.4万元，"
            "支出决算数为2257.39万元，完成年初预算的2.75%，其中："),
         JN("report.basic", "673.91", 20, sentence="2024年度财政拨款基本支出673.91万元，其中："),
         JN("report.personnel", "608.54", 20, sentence="人员经费608.54万元，占基本支出的90.30%"),
         JN("report.public", "65.37", 20, sentence="公用经费65.37万元，占基本支出的9.7%")]
    for i, (title, initial, final, why) in enumerate(ITEMS_001):
        text = f"年初预算为{initial}万元，支出决算为{final}万元，完成年初预算的…，主要原因是：{why}。"
        j += [JN("report.item.initial_budget", initial, 18 + i // 7, group=f"it{i}", subject=title,
                 sentence=text),
              JN("report.item.final", final, 18 + i // 7, group=f"it{i}", subject=title, sentence=text)]
    for name, amount in CLASSES_001:
        j.append(JN("report.class.amount", amount, 18, subject=name))
    st = "“三公”经费财政拨款支出预算为0.3万元，支出决算为0.29万元，完成预算的96.67%，决算数与上年持平。其中："
    sr = "公务接待费支出预算为0.3万元，支出决算为0.29万元，完成预算的96.67%，决算数与上年持平。"
    j += [JN("report.sangong.budget", "0.3", 21, group="j9", sentence=st),
          JN("report.sangong.final", "0.29", 21, group="j9", sentence=st),
          JN("report.stated_ratio", "96.67", 21, unit="%", group="j9", relation="completion", sentence=st),
          JN("report.sangong.reception.budget", "0.3", 21, group="j10", sentence=sr),
          JN("report.sangong.reception.final", "0.29", 21, group="j10", sentence=sr),
          JN("report.stated_ratio", "96.67", 21, unit="%", group="j10", relation="completion", sentence=sr)]
    # 自评报告
    s_basic = "2024 年支出 2257.39 万元，基本支出 673.91 万元，其中人员经费支出 608.54 万元，公用经费支出 65.37 万元。"
    s_proj = ("2024 年支出 2257.39 万元，项目支出 1583.48 万元，其中人才专项经费支出 751.1 万元，离任村干部补贴 201.24 万元，"
              "老干活动慰问运转经费 107.82 万元，村级运转经费 413.46 万元。")
    sec = "二、一般公共预算支出情况/（二）项目支出情况"
    n = [N("report.staff.authorized", "23", 1, unit="人", group="n0"), N("report.staff.actual", "20", 1,
                                                                        unit="人", group="n0"),
         N("report.expense_total", "2257.39", group="n1", sentence=s_basic), N("report.basic", "673.91",
                                                                               group="n1"),
         N("report.personnel", "608.54", group="n1"), N("report.public", "65.37", group="n1"),
         N("report.expense_total", "2257.39", group="n2", sentence=s_proj, section=sec),
         N("report.project", "1583.48", group="n2", sentence=s_proj, section=sec)]
    for name, v in (("人才专项经费", "751.1"), ("离任村干部补贴", "201.24"), ("老干活动慰问运转经费", "107.82"),
                    ("村级运转经费", "413.46")):
        n.append(N("report.project.actual", v, group="n2", subject=name, sentence=s_proj, section=sec))
    sec6 = "六、资金使用及绩效情况/（二）项目支出绩效情况"
    n.append(N("report.placeholder", "表述格式参考如下", 8, unit="", section=sec6,
               sentence="对应年初预算申报及年中预算调整的项目分别描述绩效情况（可单独提供项目绩效评价报告），"
                        "填报项目支出绩效自评表（附件 4）。表述格式参考如下："))
    for i, (kind, name, budget, actual, carry) in enumerate(PROJECTS_001):
        text = (f"{kind}“{name}”{budget}万元，实际支出{actual}万元，结余结转{carry}万元。" if kind == "年初预算项目"
                else f"{kind}“{name}”，金额{budget}万元，实际支出{actual}万元，结余结转{carry}万元。")
        attrs = dict(subject=name, project_kind=kind, topic="project", sentence=text, section=sec6)
        n += [N("report.project.budget", budget, 8 + i // 4, **attrs), N("report.project.actual", actual,
                                                                         8 + i // 4, **attrs),
              N("report.project.carryover", carry, 8 + i // 4, **attrs)]
    # 自评表
    s = [S("selfeval.unit_name", "中国共产党株洲市天元区委员会组织部", unit=""), S("selfeval.funds.initial_budget", "821.4"),
         S("selfeval.funds.annual_budget", "2558.66"), S("selfeval.funds.executed", "2257.39"),
         S("selfeval.income.general_budget", "2257.39"), S("selfeval.income.gov_fund", "0"),
         S("selfeval.income.special_account", "0"), S("selfeval.income.other", "0"),
         S("selfeval.spending.basic", "673.91"), S("selfeval.spending.project", "1583.48")]
    case.indicators = [IND("产出指标（40分）", "工资、津贴补贴发放人数", "21人", "20人"),
                       IND("成本指标 (20分)", "人员经费", "608.54 万元", "608.54 万元"),
                       IND("成本指标 (20分)", "运转经费", "≦67.51 万元", "65.37 万元")]
    case.fields += j + n + s
    kinds = {f"公开0{i}": [4 + i] for i in range(1, 10)}
    kinds["决算说明"] = list(range(17, 24))
    case.documents = docs(dJ=kinds, dN={"自评报告": list(range(1, 12))}, dS={"自评表": [1, 2]})
    return case


def test_seed_001_sangong_completion_uses_the_table_figures():
    """§6.2 #5: narrative 0.3 / 0.29 / 96.67% vs 公开09 2,910.00 / 2,910.00 元 → 0.291 and 100%."""
    found = by_check(seed_001())["cross.c13_sangong"]
    assert len(found) == 2  # the 三公 total and 公务接待费, each stated with 96.67%
    f = found[0]
    assert f.severity == Severity.ERROR
    assert "96.67%" in f.message and "0.291万元" in f.message and "完成100%" in f.message
    assert "2,910.00元" in f.message
    assert f.values[:2] == [D("96.67"), D("100.00")] and D("0.291") in f.values
    assert ("dJ", 21) in places(f) and ("dJ", 14) in places(f)  # the statement and the 三公 table
    assert {"report.stated_ratio", "report.sangong.budget", "report.sangong.final",
            "accounts.t09.budget.total", "accounts.t09.final.total"} <= set(f.keys)


def test_seed_001_carryover_contradicts_blank_year_end_balance():
    """§6.2 #8/#9: 结余结转183.93 in the report, 年末结转和结余 blank in 公开01."""
    (f,) = by_check(seed_001())["cross.c09_carryover"]
    assert f.severity == Severity.ERROR
    assert "人才经费" in f.message and "183.93万元" in f.message and "空白" in f.message
    assert f.values == [D("183.93"), D(0)]
    assert places(f) == {("dN", 8), ("dJ", 5)}


def test_seed_001_narrative_arithmetic_is_left_to_narrative_checks():
    """§6.2 #8/#9 (each project's 预算 − 实际 = 结余结转) and #10 (Σ 年初预算项目 1350.98 > 821.4) are the
    narrative's own arithmetic: found once, by narrative.py, not again by the cross-document checks."""
    found = by_check(seed_001(), "")
    assert "cross.c08_project_balance" not in found and "cross.c06_econ_breakdown" not in found
    errors = [f for fs in found.values() for f in fs if f.severity == Severity.ERROR]
    (total,) = [f for f in errors if D("1350.98") in f.values]
    assert not total.check.startswith("cross.")
    talent = [f.check for f in errors if "人才经费" in f.message and "183.93" in f.message]
    assert talent.count("cross.c09_carryover") == 1 and len(talent) == 2  # C9 here, C8 in narrative.py


def test_seed_001_project_initial_budget_contradicts_juesuan_narrative():
    """§6.2 #10 (C20) and #22: 人才经费, 离任村干部补贴, 选调生补助经费 are 年初预算项目 in the report, while the 决算
    narrative gives their 科目 a 年初预算 of 0 / 8 and says they were not in the 部门预算; 选调生 32 vs 6.25."""
    found = by_check(seed_001())["cross.c20_project_initial_budget"]
    errors = sorted(f.message for f in found if f.severity == Severity.ERROR)
    assert len(errors) == 3
    assert any("人才经费" in m and "956万元" in m and "引进人才费用" in m for m in errors)
    assert any("离任村干部补贴" in m and "201.24万元" in m and "为8万元" in m for m in errors)
    assert any("选调生补助经费" in m for m in errors)
    (w,) = [f for f in found if f.severity == Severity.WARNING]
    assert "选调生补助经费" in w.message and w.values == [D("32"), D("6.25")]


def test_seed_001_item_name_differs_from_table():
    """§6.2 #6: 决算说明 item 14 "计划生育事务（项）" is 2100717 计划生育服务 in 公开05."""
    (f,) = by_check(seed_001())["cross.j_item_amounts"]
    assert f.severity == Severity.WARNING and "计划生育事务" in f.message and "2100717计划生育服务" in f.message


def test_seed_001_missing_attachments_and_partial_list():
    found = by_check(seed_001())
    missing, project_sheet = found["cross.c35_attachments"]
    assert missing.values == ["基础数据表"] and "材料中没有基础数据表" in missing.message
    assert "项目支出绩效自评表" in project_sheet.message and ("dN", 8) in places(project_sheet)  # §6.2 #20
    (partial,) = found["cross.c07_project_list"]  # §6.2 #21: 其中 751.1 + 201.24 + 107.82 + 413.46 = 1473.62
    assert partial.severity == Severity.WARNING and partial.values == [D("1473.62"), D("1583.48")]


def test_seed_001_what_holds_gives_no_finding():
    found = by_check(seed_001())
    for ok in ("cross.c01_total_spending", "cross.c02_basic", "cross.c03_project",
               "cross.c04_basic_plus_project",
               "cross.c05_personnel_public", "cross.c12_income_sources", "cross.c17_budget_adjustment",
               "cross.c21_staff", "cross.c22_headcount_indicators", "cross.c29_cost_indicators",
               "cross.c31_unit_name", "cross.j_class_amounts", "cross.c14_sangong_change"):
        assert ok not in found, (ok, [f.message for f in found.get(ok, [])])
    assert not any(f.check.startswith("accounts.") for f in by_check(seed_001(), "accounts."))


# -- one test per check --------------------------------------------------------------------------------------


def test_c01_total_spending_each_statement():
    case = Case(fields=[J("accounts.t01.expense_total", "22573934.55"), S("selfeval.funds.executed",
                                                                          "2257.39"),
                        N("report.expense_total", "2257.39", 2), N("report.expense_total", "2275.39", 3)])
    (f,) = run(case, "cross.c01_total_spending")
    assert f.severity == Severity.ERROR and f.values[0] == D("2275.39")
    assert "自评报告第3页支出合计2275.39万元" in f.message and "2257.39万元" in f.message
    assert places(f) == {("dN", 3), ("dJ", 5), ("dS", 1)}
    case.fields[-1].value = D("2257.40")  # a 0.01 difference: rounding, a warning
    (w,) = run(case, "cross.c01_total_spending")
    assert w.severity == Severity.WARNING and "尾数差异" in w.message
    case.fields[-1].value = D("2257.39")
    assert run(case, "cross.c01_total_spending") == []


def test_c01_structured_sources_disagree():
    case = Case(fields=[J("accounts.t01.expense_total", "22573934.55"), S("selfeval.funds.executed",
                                                                          "2258.39")])
    (f,) = run(case, "cross.c01_total_spending")
    assert f.message.startswith("自评表第1页支出合计2258.39万元，收入支出决算总表第5页为22,573,934.55元（2257.39万元）")


def test_c01_total_income():
    case = Case(fields=[J("accounts.t01.income_total", "3078200.00"), JN("report.income_total", "307.28")])
    (f,) = run(case, "cross.c01_total_income")
    assert f.severity == Severity.ERROR
    case.fields[1].value = D("307.82")
    assert run(case, "cross.c01_total_income") == []


def test_c02_basic_every_statement():
    case = Case(fields=[S("selfeval.spending.basic", "673.91"), N("report.basic", "673.91", 2),
                        N("report.basic", "434.35", 4)])
    (f,) = run(case, "cross.c02_basic")
    assert "434.35万元" in f.message and places(f) == {("dN", 4), ("dS", 1)}
    case.fields[-1].value = D("673.91")
    assert run(case, "cross.c02_basic") == []


def test_c03_project_vs_sheet_and_basic_table():
    case = Case(fields=[S("selfeval.spending.project", "661.46"), B("basic.project.final", "661.46"),
                        N("report.project", "701.92")])
    (f,) = run(case, "cross.c03_project")
    assert f.severity == Severity.ERROR and f.values == [D("701.92"), D("661.46"), D("661.46")]
    case.fields[-1].value = D("661.46")
    assert run(case, "cross.c03_project") == []


def test_c04_in_narrative_sheet():
    s = "2024决算支出1361.52万元，其中：基本支出701.92万元，项目支出661.46万元。"
    case = Case(fields=[N("report.expense_total", "1361.52", sentence=s), N("report.basic", "701.92",
                                                                            sentence=s),
                        N("report.project", "661.46", sentence=s), S("selfeval.funds.executed", "1363.38"),
                        S("selfeval.spending.basic", "701.92"), S("selfeval.spending.project", "661.46")])
    (f,) = run(case, "cross.c04_basic_plus_project")
    assert f.values == [D("1361.52"), D("1363.38")] and len(f.locations) == 3
    case.fields[0].value = D("1363.38")
    assert run(case, "cross.c04_basic_plus_project") == []
    case.fields[3].value = D("1363.37")  # the sheet: 701.92 + 661.46 ≠ 1363.37 (one unit: rounding)
    (w,) = run(case, "cross.c04_basic_plus_project")
    assert w.severity == Severity.WARNING and ("dS", 1) in places(w)


def test_c04_without_sentences_compares_a_narrative_with_one_value_each():
    case = Case(fields=[N("report.expense_total", "100"), N("report.basic", "60"), N("report.project", "30")])
    assert len(run(case, "cross.c04_basic_plus_project")) == 1
    case.fields.append(N("report.project", "40"))  # two values for 项目支出: ambiguous, left to C3/narrative
    assert run(case, "cross.c04_basic_plus_project") == []


def test_c05_personnel_public():
    case = Case(fields=[N("report.basic", "673.91", group="g"), N("report.personnel", "608.54", group="g"),
                        N("report.public", "64.37", group="g"), J("accounts.t06.personnel", "6085440.22",
                                                                  page=11),
                        J("accounts.t06.public", "653680.47", page=11)])
    found = run(case, "cross.c05_personnel_public")
    assert len(found) == 2  # N: 608.54 + 64.37 ≠ 673.91, and 64.37 ≠ 公开06 公用经费合计 65.37
    assert any("公用经费64.37万元" in f.message and "653,680.47元" in f.message for f in found)
    case.fields[2].value = D("65.37")
    assert run(case, "cross.c05_personnel_public") == []


def test_c07_full_project_list_must_add_up():
    sec = "六、/（二）项目支出绩效情况"
    case = Case(fields=[S("selfeval.spending.project", "100"),
                        N("report.project.actual", "60", subject="甲", section=sec, sentence="项目“甲”实际支出60万元"),
                        N("report.project.actual", "30", subject="乙", section=sec, sentence="项目“乙”实际支出30万元")])
    (f,) = run(case, "cross.c07_project_list")
    assert f.severity == Severity.ERROR and f.values == [D("90"), D("100")]
    case.fields[-1].value = D("40")
    assert run(case, "cross.c07_project_list") == []


def test_c09_carryover_vs_year_end_balance():
    case = Case(fields=[J("accounts.t01.expense_total", "1000000.00"), J("accounts.t01.carry_end",
                                                                         "500000.00"),
                        N("report.carryover", "60", sentence="年末结转结余60万元")])
    (f,) = run(case, "cross.c09_carryover")
    assert f.severity == Severity.ERROR and f.values == [D("60"), D("500000.00")]
    case.fields[-1].value = D("50")
    assert run(case, "cross.c09_carryover") == []
    blank = Case(fields=[J("accounts.t01.expense_total", "1000000.00"),
                         N("report.project.carryover", "10", subject="甲")])
    (b,) = run(blank, "cross.c09_carryover")
    assert "空白" in b.message and b.severity == Severity.ERROR
    blank.fields[-1].value = D("0")
    assert run(blank, "cross.c09_carryover") == []


def test_c10_initial_budget():
    case = Case(fields=[S("selfeval.funds.initial_budget", "821.4"), JN("report.initial_budget", "812.4"),
                        N("report.initial_budget", "821.40")])
    (f,) = run(case, "cross.c10_initial_budget")
    assert f.severity == Severity.ERROR and f.values == [D("812.4"), D("821.4")]
    assert "决算情况说明第18页年初预算812.4万元，自评表第1页为821.4万元" in f.message
    case.fields[1].value = D("821.4")
    assert run(case, "cross.c10_initial_budget") == []


def test_c12_income_sources_and_gov_fund():
    case = Case(fields=[S("selfeval.funds.executed", "1363.38"), S("selfeval.income.general_budget",
                                                                   "1361.52"),
                        S("selfeval.income.gov_fund", "1.96")],
                account_lines=[])
    (f,) = run(case, "cross.c12_income_sources")
    assert f.values == [D("1363.38"), D("1363.48")]
    case.fields[-1].value = D("1.86")
    assert run(case, "cross.c12_income_sources") == []
    from test_accounts import L
    case.account_lines = [L("t07", "", "合计", income="20000.00", total="20600.00", basic=None,
                            project="20600.00")]
    (g,) = run(case, "cross.c12_income_sources")
    assert "政府性基金" in g.message and g.severity == Severity.ERROR and "2.06万元" in g.message
    case.account_lines[0].columns["total"] = D("18600.00")
    assert run(case, "cross.c12_income_sources") == []


def test_c13_sangong_basic_table_vs_tables_and_narrative():
    case = Case(fields=[J("accounts.t09.budget.total", "18000.00", page=14), J("accounts.t09.final.total", "9600.00", page=14),
                        B("basic.sangong.budget", "1.8"), B("basic.sangong.final", "0.69"),
                        N("report.sangong.final", "0.96")])
    (f,) = run(case, "cross.c13_sangong")
    assert f.severity == Severity.ERROR and "基础数据表" in f.message and "0.69万元" in f.message
    case.fields[3].value = D("0.96")
    assert run(case, "cross.c13_sangong") == []


def test_c14_sangong_change_wording():
    s = "“三公”经费支出决算0.96万元，比上年减少0.2万元。"
    case = Case(fields=[B("basic.sangong.prev", "0.41"), B("basic.sangong.final", "0.96"),
                        N("report.sangong.final", "0.96", sentence=s, group="g"),
                        N("report.change.amount", "0.2", sentence=s, group="g", direction="decrease")])
    (f,) = run(case, "cross.c14_sangong_change")
    assert f.severity == Severity.ERROR and "比上年减少" in f.message and "实际增加0.55万元" in f.message
    case.fields[3].attrs["direction"] = "increase"
    (g,) = run(case, "cross.c14_sangong_change")  # right direction, wrong amount
    assert g.values == [D("0.2"), D("0.55")]
    case.fields[3].value = D("0.55")
    assert run(case, "cross.c14_sangong_change") == []


def test_c14_flat_wording_from_sentence():
    s = "“三公”经费支出决算为0.29万元，决算数与上年持平。"
    case = Case(fields=[B("basic.sangong.prev", "0.41"), B("basic.sangong.final", "0.29"),
                        N("report.sangong.final", "0.29", sentence=s)])
    (f,) = run(case, "cross.c14_sangong_change")
    assert "与上年持平" in f.message
    case.fields[0].value = D("0.29")
    assert run(case, "cross.c14_sangong_change") == []


def test_c15_public_vs_goods_and_services():
    case = Case(fields=[B("basic.public.final", "40.54"), J("accounts.t06.econ.302", "405400.00", page=11),
                        N("report.econ.goods_services", "231.72")])
    (f,) = run(case, "cross.c15_public_goods_services")
    assert f.severity == Severity.WARNING and places(f) == {("dN", 2), ("dJ", 11), ("dB", 1)}
    case.fields[-1].value = D("40.54")
    assert run(case, "cross.c15_public_goods_services") == []


def test_c16_over_budget_while_no_problem_stated():
    case = Case(fields=[B("basic.public.budget", "30.74"), B("basic.public.final", "40.54"),
                        N("report.problems", "无", 5, unit="")])
    (f,) = run(case, "cross.c16_public_over_unexplained")
    assert f.severity == Severity.WARNING and "131.88%" in f.message
    case.fields[-1].value = "公用经费超预算，原因是年中增加了人员。"
    assert run(case, "cross.c16_public_over_unexplained") == []


def test_c17_budget_adjustment_unexplained():
    case = Case(fields=[S("selfeval.funds.initial_budget", "615.20"), S("selfeval.funds.annual_budget", "1363.38")])
    (f,) = run(case, "cross.c17_budget_adjustment")
    assert "121.62%" in f.message and f.values[-1] == D("121.62")
    case.fields.append(N("report.project.budget", "3", project_kind="年中追加项目", subject="工作队经费"))
    assert run(case, "cross.c17_budget_adjustment") == []
    small = Case(fields=[S("selfeval.funds.initial_budget", "100"), S("selfeval.funds.annual_budget", "129")])
    assert run(small, "cross.c17_budget_adjustment") == []


def test_c20_narrative_project_vs_juesuan_item():
    why = "人才经费属于公共专项，预算时未纳入部门预算"
    case = Case(fields=[JN("report.item.initial_budget", "0", subject="引进人才费用（项）", group="i", sentence=why),
                        JN("report.item.final", "751.10", subject="引进人才费用（项）", group="i", sentence=why),
                        N("report.project.budget", "956", subject="人才经费", project_kind="年初预算项目", group="p"),
                        N("report.project.actual", "751.1", subject="人才经费", project_kind="年初预算项目", group="p")])
    (f,) = run(case, "cross.c20_project_initial_budget")
    assert f.severity == Severity.ERROR and f.values == [D("956"), D("0")] and len(f.locations) == 2
    case.fields[2].attrs["project_kind"] = "年中追加项目"
    assert run(case, "cross.c20_project_initial_budget") == []


def test_c21_staff():
    case = Case(documents=docs(dN={"自评报告": [1]}),
                fields=[B("basic.staff.authorized", "24", "人"), B("basic.staff.actual", "24", "人"),
                        N("report.staff.actual", "23", 1, unit="人"),
                        N("report.staff.actual", "61", 1, unit="人", year=2023)])
    (f,) = run(case, "cross.c21_staff")  # the 2023 figure is another year's (C30)
    assert f.severity == Severity.ERROR and f.values == [D("23"), D("24")]
    case.fields[2].value = D("24")
    assert run(case, "cross.c21_staff") == []


def test_c22_headcount_indicator():
    case = Case(fields=[B("basic.staff.actual", "20", "人")],
                indicators=[IND("产出指标", "工资、津贴补贴发放人数", "21人", "19人")])
    (f,) = run(case, "cross.c22_headcount_indicators")
    assert f.severity == Severity.WARNING and f.values == [D("19"), D("20")]
    assert f.keys[0].startswith("indicators.") and f.keys[0].endswith(".actual")
    case.indicators[0].actual = "20人"
    assert run(case, "cross.c22_headcount_indicators") == []


def test_c29_cost_indicators_vs_juesuan():
    case = Case(fields=[J("accounts.t06.personnel", "6085440.22", page=11), J("accounts.t06.public", "653680.47", page=11)],
                indicators=[IND("成本指标", "人员经费", "608.54 万元", "608.45 万元"),
                            IND("成本指标", "运转经费", "≦67.51 万元", "65.37 万元")])
    (f,) = run(case, "cross.c29_cost_indicators")
    assert f.severity == Severity.ERROR and "人员经费" in f.message and f.values == [D("608.45"), D("6085440.22")]
    case.indicators[0].actual = "608.54 万元"
    assert run(case, "cross.c29_cost_indicators") == []


def test_c31_unit_names():
    case = Case(fields=[S("selfeval.unit_name", "中国共产党株洲市天元区委员会组织部", unit=""),
                        B("basic.unit_name", "中共株洲市天元区委组织部", unit="")])
    assert run(case, "cross.c31_unit_name") == []
    case.fields[1].value = "中共株洲市天元区委宣传部"
    (f,) = run(case, "cross.c31_unit_name")
    assert f.severity == Severity.WARNING and "宣传部" in f.message


def test_c31_other_kinds_wording_only_when_the_unit_is_known():
    """"本局" is foreign to a 组织部, not to a 民政局: with no unit name read anywhere it cannot be told."""
    text = "本局机关“三公”经费预算1万元"
    assert run(Case(fields=[N("report.sangong.budget", "1", sentence=text)]), "cross.c31_unit_name") == []
    case = Case(fields=[S("selfeval.unit_name", "中共某区委组织部", unit=""),
                        N("report.sangong.budget", "1", sentence=text)])
    (f,) = run(case, "cross.c31_unit_name")
    assert "局机关" in f.message
    case.fields[0].value = "某区民政局"
    assert run(case, "cross.c31_unit_name") == []



    case = Case(documents=docs(dN={"自评报告": [1, 2, 3]}))
    (f,) = run(case, "cross.c35_attachments")  # §6.1 #4 (seed 000: a narrative alone)
    assert f.values == ["自评表", "基础数据表", "部门决算"] and f.severity == Severity.WARNING and f.locations
    assert f.message == "材料中没有自评表、基础数据表、部门决算，无法与其核对"
    full = Case(documents=docs(dN={"自评报告": [1]}, dS={"自评表": [1]}, dB={"基础数据表": [1]}, dJ={"公开01": [5]}))
    assert run(full, "cross.c35_attachments") == []
    assert run(Case(documents=docs(dX={"部门预算": [1]})), "cross.c35_attachments") == []


def test_meeting_training_paid_from_projects():
    case = Case(fields=[J("accounts.t06.econ.302", "624010.47", page=11), JN("report.meeting", "5.24", 22),
                        JN("report.training", "14.35", 22)])
    found = run(case, "cross.meeting_training")  # §6.2 #23: 30215/30216 blank in 公开06
    assert len(found) == 2 and all(f.severity == Severity.WARNING for f in found)
    assert "会议费5.24万元" in found[0].message and "30215会议费为空白" in found[0].message
    case.fields += [J("accounts.t06.econ.30215", "52400.00", page=11), J("accounts.t06.econ.30216", "143500.00", page=11)]
    assert run(case, "cross.meeting_training") == []


def test_j_class_amounts():
    case = Case(fields=[J("accounts.t01.class.210", "323515.50"), JN("report.class.amount", "32.53", subject="卫生健康支出（类）")])
    (f,) = run(case, "cross.j_class_amounts")
    assert f.severity == Severity.ERROR
    case.fields[-1].value = D("32.35")
    assert run(case, "cross.j_class_amounts") == []


def test_j_item_amounts():
    from test_accounts import L
    case = Case(fields=[JN("report.item.final", "321.92", subject="一般公共服务（类）组织事务（款）行政运行（项）")],
                account_lines=[L("t05", "2013201", "行政运行", total="3212936.97")])
    (f,) = run(case, "cross.j_item_amounts")
    assert f.severity == Severity.ERROR and "2013201行政运行" in f.message
    case.fields[0].value = D("321.29")
    assert run(case, "cross.j_item_amounts") == []


FAILING = {
    "cross.c01_total_spending": lambda: (
        Case(fields=[S("selfeval.funds.executed", "10"), N("report.expense_total", "11")])),
    "cross.c01_total_income": lambda: Case(fields=[J("accounts.t01.income_total", "100000.00"),
                                                   N("report.income_total", "11")]),
    "cross.c02_basic": lambda: Case(fields=[S("selfeval.spending.basic", "10"), N("report.basic", "11")]),
    "cross.c03_project": lambda: (
        Case(fields=[S("selfeval.spending.project", "10"), N("report.project", "11")])),
    "cross.c04_basic_plus_project": lambda: Case(fields=[S("selfeval.funds.executed", "10"),
                                                         S("selfeval.spending.basic", "5"),
                                                         S("selfeval.spending.project", "4")]),
    "cross.c05_personnel_public": lambda: Case(fields=[J("accounts.t06.personnel", "100000.00"),
                                                       N("report.personnel", "11")]),
    "cross.c07_project_list": lambda: Case(fields=[S("selfeval.spending.project", "10"),
                                                   N("report.project.actual", "3", subject="甲"),
                                                   N("report.project.actual", "4", subject="乙")]),
    "cross.c09_carryover": lambda: Case(fields=[J("accounts.t01.expense_total", "100.00"),
                                                N("report.carryover", "5")]),
    "cross.c10_initial_budget": lambda: Case(fields=[S("selfeval.funds.initial_budget", "10"),
                                                     N("report.initial_budget", "11")]),
    "cross.c12_income_sources": lambda: Case(fields=[S("selfeval.funds.executed", "10"),
                                                     S("selfeval.income.general_budget", "9")]),
    "cross.c13_sangong": lambda: Case(fields=[B("basic.sangong.final", "1"), N("report.sangong.final", "2")]),
    "cross.c14_sangong_change": lambda: Case(fields=[B("basic.sangong.prev", "1"), B("basic.sangong.final", "2"),
                                                     N("report.sangong.final", "2", sentence="“三公”经费比上年减少。")]),
    "cross.c15_public_goods_services": lambda: Case(fields=[B("basic.public.final", "1"),
                                                            N("report.econ.goods_services", "2")]),
    "cross.c16_public_over_unexplained": lambda: Case(fields=[B("basic.public.budget", "1"), B("basic.public.final", "2"),
                                                              N("report.problems", "无", unit="")]),
    "cross.c17_budget_adjustment": lambda: Case(fields=[S("selfeval.funds.initial_budget", "10"),
                                                        S("selfeval.funds.annual_budget", "20")]),
    "cross.c20_project_initial_budget": lambda: Case(fields=[
        JN("report.item.initial_budget", "0", subject="引进人才费用（项）", sentence="人才经费未纳入部门预算"),
        N("report.project.budget", "9", subject="人才经费", project_kind="年初预算项目")]),
    "cross.c21_staff": lambda: (
        Case(fields=[B("basic.staff.actual", "5", "人"), N("report.staff.actual", "6", unit="人")])),
    "cross.c22_headcount_indicators": lambda: Case(fields=[B("basic.staff.actual", "5", "人")],
                                                   indicators=[IND("产出指标", "在职人员工资发放人数", "5人", "6人")]),
    "cross.c29_cost_indicators": lambda: Case(fields=[J("accounts.t06.public", "100.00")],
                                              indicators=[IND("成本指标", "公用经费", "1万元", "1万元")]),
    "cross.c31_unit_name": lambda: Case(fields=[S("selfeval.unit_name", "中共某区委组织部", unit=""),
                                                N("report.sangong.budget", "1", sentence="本局机关“三公”经费预算1万元")]),
    "cross.c35_attachments": lambda: Case(documents=docs(dN={"自评报告": [1]})),
    "cross.meeting_training": lambda: (
        Case(fields=[J("accounts.t06.econ.302", "100.00"), JN("report.meeting", "1")])),
    "cross.j_class_amounts": lambda: Case(fields=[J("accounts.t01.class.201", "100.00"),
                                                  JN("report.class.amount", "1", subject="一般公共服务（类）")]),
    "cross.j_item_amounts": lambda: Case(
        fields=[JN("report.item.final", "1", subject="一般公共服务（类）组织事务（款）行政运行（项）")],
        account_lines=[__import__("test_accounts").L("t05", "2013201", "行政运行", total="100.00")]),
}


@pytest.mark.parametrize("check_id", sorted(FAILING))
def test_failing_inputs_are_found(check_id):
    found = run(FAILING[check_id](), check_id)
    assert found and all(f.check == check_id and f.locations for f in found)


# -- from the PDFs, through the real pipeline ----------------------------------------------------------------

from functools import lru_cache  # noqa: E402
from pathlib import Path  # noqa: E402

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
SHANGHAI = Path(__file__).resolve().parents[4] / "shared" / "real" / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
OUR_FAMILIES = ("basic.", "accounts.", "cross.")


@lru_cache(maxsize=None)
def extracted(path: str) -> Case:
    from core.pipeline import extract_case

    return extract_case([path])


def ours(case: Case, check_id: str | None = None) -> list:
    return [f for f in case.findings if f.check.startswith(OUR_FAMILIES) and (check_id is None or f.check == check_id)]


def package(name: str) -> Case:
    path = PACKAGES / name
    if not path.is_dir():
        pytest.skip(f"fixture package {name} not generated")
    return extracted(str(path))


@pytest.mark.real
def test_real_shanghai_juesuan_gives_no_false_error():
    """The real Shanghai 决算 (万元) is consistent; its two real 0.01 differences come out as warnings only."""
    if not SHANGHAI.exists():
        pytest.skip("real PDF not available")
    case = extracted(str(SHANGHAI))
    found = ours(case)
    assert not [f.message for f in found if f.severity == Severity.ERROR]
    rounding = {f.check: f for f in found if "尾数差异" in f.message}
    assert set(rounding) == {"accounts.i05d", "accounts.i06c"}  # 95.36 + 10.23 ≠ 105.58; Σ 302 items 10.22 ≠ 10.23
    assert rounding["accounts.i06c"].values == [D("10.23"), D("10.22")]
    (c35,) = ours(case, "cross.c35_attachments")  # a 决算 alone: the 自评 documents are missing
    assert c35.values == ["自评报告", "自评表", "基础数据表"]


def test_package_yunxi_seed_004():
    case = package("yunxi_2024")
    by = {}
    for f in ours(case):
        by.setdefault(f.check, []).append(f)
    (c3,) = by["cross.c03_project"]  # §6.3 #4
    assert c3.severity == Severity.ERROR and c3.values[:2] == [D("701.92"), D("661.46")]
    assert by["cross.c15_public_goods_services"][0].severity == Severity.WARNING  # #5
    assert "131.88%" in by["cross.c16_public_over_unexplained"][0].message  # #6
    assert "134.15%" in by["basic.sangong_increase"][0].message  # #7
    assert sorted(f.values[-1] for f in by["cross.c17_budget_adjustment"]) == [D("121.62"), D("286.66")]  # #8
    assert "局机关" in by["cross.c31_unit_name"][0].message  # #12
    assert "厉行节约保障措施" in by["basic.blank_cells"][0].values  # #11
    assert not [f.message for f in ours(case) if f.severity == Severity.ERROR and f.check != "cross.c03_project"]


def test_package_tianyuan_seed_001():
    case = package("tianyuan_2024")
    (c9,) = ours(case, "cross.c09_carryover")  # §6.2 #8
    assert c9.severity == Severity.ERROR and c9.values[0] == D("183.93")
    c13 = ours(case, "cross.c13_sangong")  # #5
    assert c13 and all("0.291万元" in f.message and "完成100%" in f.message for f in c13)
    c20 = ours(case, "cross.c20_project_initial_budget")  # #10, #22
    assert len([f for f in c20 if f.severity == Severity.ERROR]) == 3
    assert any(f.severity == Severity.WARNING and f.values == [D("32"), D("6.25")] for f in c20)
    (item,) = ours(case, "cross.j_item_amounts")  # #6
    assert "2100717计划生育服务" in item.message
    assert len(ours(case, "cross.meeting_training")) == 2  # #23: 会议费 5.24, 培训费 14.35 with 30215/30216 blank
    assert any("项目支出绩效自评表" in f.message for f in ours(case, "cross.c35_attachments"))  # #20


SCOPE = ("basic.", "accounts.", "selfeval.funds.", "selfeval.spending.", "selfeval.income.")


def _decimal(v: str) -> D | None:
    try:
        return D(v.rstrip("%"))
    except ArithmeticError:
        return None


def _delivered(case: Case, item: dict) -> bool:
    """Whether the extraction gave the narrative statement an injected error lives in (else there is nothing
    for a cross-document check to compare: an extraction gap, reported by the extraction tests)."""
    for loc in item.get("locations", []):
        key, raw = loc.get("key", ""), _decimal(str(loc.get("raw", "")))
        if key.startswith("report.") and not any(f.value == raw for f in case.all(key)):
            return False
    return True


def test_package_injected_errors_are_found():
    """Every error injected into the generated package that involves a 基础数据表, 决算 or 自评表 figure is found
    by these checks with its severity and the numbers that disagree (values from expected.json)."""
    import json

    case = package("variant_injected_2024")
    expected = json.loads((PACKAGES / "variant_injected_2024" / "expected.json").read_text(encoding="utf-8"))
    checked = 0
    for item in expected["injected"]:
        if not any(k.startswith(SCOPE) for k in item.get("keys", [])) or not _delivered(case, item):
            continue
        want = {v for v in map(_decimal, item["values"]) if v is not None}
        hits = [f for f in ours(case) if f.severity.value == item["severity"]
                and len(want & {v for v in f.values if isinstance(v, D)}) >= min(2, len(want))]
        assert hits, item
        checked += 1
    assert checked >= 3


def test_package_lingling_seed_000_missing_documents():
    (f,) = ours(package("lingling_2024"))
    assert f.check == "cross.c35_attachments" and f.values == ["自评表", "基础数据表", "部门决算"]


def test_package_clean_gives_no_error():
    """A generated package where every figure agrees: no error, and no warning either."""
    assert [f.message for f in ours(package("variant_clean_2024"))] == []
