"""Narrative checks: each rule with its input written in the test, then the seeds' real errors (domain §6)."""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import pytest  # noqa: E402

import core.checks.narrative as N  # noqa: E402
from core.checks.registry import all_checks, run_checks  # noqa: E402
from core.documents.paragraphs import join_lines  # noqa: E402
from core.extraction.narrative import extract_narrative  # noqa: E402
from core.model import Case, Field, Finding, Severity, SourceRef  # noqa: E402
from tests.core.pagesim import (  # noqa: E402
    seed_000_report,
    seed_001_juesuan,
    seed_001_report,
    seed_004_report,
    typeset,
)

D = Decimal
_n = 0


def F(key: str, value, unit: str = "万元", *, page: int = 1, form: str = "决算说明", doc: str = "d1",
      raw: str | None = None, **attrs) -> Field:
    """A narrative field as the extractor would emit it; ``attrs`` given by keyword (ref=, group=, …)."""
    global _n
    _n += 1
    numeric = isinstance(value, (str, int)) and not isinstance(value, bool) and str(value)[:1].isdigit()
    v = D(value) if numeric else value
    attrs.setdefault("ref", f"r{_n}")
    return Field(key=key, value=v, unit=unit, raw=raw if raw is not None else f"{value}{unit}",
                 source=SourceRef(doc, page, (10.0 * _n, 100.0, 10.0 * _n + 30, 112.0)),
                 form=form, attrs=attrs)


def case(*fields: Field) -> Case:
    return Case(fields=list(fields))


def only(findings: list[Finding], severity: Severity | None = None) -> Finding:
    assert len(findings) == 1, [f.message for f in findings]
    if severity is not None:
        assert findings[0].severity == severity
    return findings[0]


def ratio(value: str, relation: str, **refs) -> Field:
    return F("report.stated_ratio", value, "%", relation=relation, role="ratio", **refs)


# -- registration --------------------------------------------------------------------------------------------

def test_checks_are_registered_with_docstrings():
    ids = {c.id: c for c in all_checks() if c.id.startswith("narrative.")}
    for cid in ("completion_ratio", "share", "shares_sum", "change_rate", "parts_sum", "personnel_public",
                "econ_breakdown_sum", "project_balance", "project_budget_total", "same_quantity",
                "year_mismatch", "placeholders", "numbering", "empty_sections"):
        info = ids[f"narrative.{cid}"]
        assert info.rule and info.ref


def test_checks_never_raise_on_bad_data():
    junk = case(
        F("report.stated_ratio", "abc", "%", relation="completion", ref_numerator="x", ref_denominator="r1"),
        F("report.stated_ratio", "5", "%", relation="share", ref_part="nope"),
        F("report.stated_ratio", "5", "%", relation="change", ref_delta="r1", ref_base="r1"),
        F("report.heading", "1", "", family="cn", number="x", seq="y"),
        F("report.project.budget", "1", topic="project", subject="A", project_kind="年初预算项目"),
        F("report.basic", None, "万元"),
        F("report.metric", "3", "个", subject="", point="from"),
    )
    out = run_checks(junk, only={c.id for c in all_checks() if c.id.startswith("narrative.")})
    assert all(f.severity != Severity.INFO for f in out), [f.message for f in out]


# -- C18 completion ------------------------------------------------------------------------------------------

def test_completion_wrong_ratio_is_an_error():
    den = F("report.initial_budget", "821.4", page=18, measure="initial")
    num = F("report.fiscal_expense", "2257.39", page=18)
    r = ratio("2.75", "completion", ref_numerator=num.attrs["ref"], ref_denominator=den.attrs["ref"])
    r.source = SourceRef("d1", 18, r.bbox)
    f = only(N.completion_ratio(case(den, num, r)), Severity.ERROR)
    assert f.message == "决算说明第18页：年初预算821.4万元、支出决算2257.39万元，应完成274.82%，报告写2.75%"
    assert f.values == [D("2.75"), D("274.82")]
    assert len(f.locations) == 3


def test_completion_over_zero_budget_is_an_error():
    den = F("report.item.initial_budget", "0", measure="initial", topic="item", subject="引进人才费用(项)")
    num = F("report.item.final", "751.10", topic="item", subject="引进人才费用(项)")
    r = ratio("100", "completion", ref_numerator=num.attrs["ref"], ref_denominator=den.attrs["ref"],
              subject="引进人才费用(项)")
    f = only(N.completion_ratio(case(den, num, r)), Severity.ERROR)
    assert "年初预算为0，完成率无从计算" in f.message and "报告写100%" in f.message


def test_completion_last_digit_is_a_warning_and_exact_is_silent():
    den = F("report.item.initial_budget", "325.55", measure="initial")
    num = F("report.item.final", "321.29")
    ok = ratio("98.69", "completion", ref_numerator=num.attrs["ref"], ref_denominator=den.attrs["ref"])
    off = ratio("98.68", "completion", ref_numerator=num.attrs["ref"], ref_denominator=den.attrs["ref"])
    assert N.completion_ratio(case(den, num, ok)) == []
    assert "尾数差异" in only(N.completion_ratio(case(den, num, off)), Severity.WARNING).message


def test_completion_compares_yuan_and_wan():
    den = F("report.annual_budget", "1000000", "元", measure="budget")
    num = F("report.expense_total", "90", "万元")
    r = ratio("90", "completion", ref_numerator=num.attrs["ref"], ref_denominator=den.attrs["ref"])
    assert N.completion_ratio(case(den, num, r)) == []


# -- C19 shares ----------------------------------------------------------------------------------------------

def test_share_rounding_warning_and_error():
    whole = F("report.fiscal_expense", "2257.39", subject="财政拨款支出")
    part = F("report.class.amount", "32.35", subject="卫生健康支出(类)")
    warn = ratio("1.44", "share", ref_part=part.attrs["ref"], ref_whole=whole.attrs["ref"])
    f = only(N.share(case(whole, part, warn)), Severity.WARNING)
    assert "应为1.43%，报告写1.44%" in f.message
    bad = ratio("1.54", "share", ref_part=part.attrs["ref"], ref_whole=whole.attrs["ref"])
    only(N.share(case(whole, part, bad)), Severity.ERROR)


def test_share_correct_at_printed_precision():
    whole = F("report.basic", "673.91")
    part = F("report.public", "65.37")
    r = ratio("9.7", "share", ref_part=part.attrs["ref"], ref_whole=whole.attrs["ref"])
    assert N.share(case(whole, part, r)) == []


def test_share_of_counts():
    whole = F("report.metric", "47", "人次", form="自评报告")
    part = F("report.metric", "24", "人次", form="自评报告")
    r = ratio("51", "share", ref_part=part.attrs["ref"], ref_whole=whole.attrs["ref"])
    assert N.share(case(whole, part, r)) == []


def test_shares_sum_to_hundred():
    whole = F("report.expense_total", "100.00")
    a = F("report.basic", "30.00")
    b = F("report.project", "70.00")
    ok = [ratio("30.00", "share", ref_part=a.attrs["ref"], ref_whole=whole.attrs["ref"]),
          ratio("70.00", "share", ref_part=b.attrs["ref"], ref_whole=whole.attrs["ref"])]
    assert N.shares_sum(case(whole, a, b, *ok)) == []
    bad = [ratio("30.00", "share", ref_part=a.attrs["ref"], ref_whole=whole.attrs["ref"]),
           ratio("72.00", "share", ref_part=b.attrs["ref"], ref_whole=whole.attrs["ref"])]
    f = only(N.shares_sum(case(whole, a, b, *bad)), Severity.ERROR)
    assert "合计102%" in f.message


def test_shares_of_a_partial_list_need_not_sum_to_hundred():
    whole = F("report.expense_total", "100")
    a = F("report.metric", "10")
    b = F("report.metric", "20")
    rs = [ratio("10", "share", ref_part=a.attrs["ref"], ref_whole=whole.attrs["ref"]),
          ratio("20", "share", ref_part=b.attrs["ref"], ref_whole=whole.attrs["ref"])]
    assert N.shares_sum(case(whole, a, b, *rs)) == []


# -- change --------------------------------------------------------------------------------------------------

def test_change_rate():
    base = F("report.grand_total", "2257.39", subject="收支总计")
    delta = F("report.change.amount", "887.65", direction="decrease")
    refs = dict(ref_delta=delta.attrs["ref"], ref_base=base.attrs["ref"], direction="decrease")
    ok = ratio("28.22", "change", **refs)
    assert N.change_rate(case(base, delta, ok)) == []
    bad = ratio("39.32", "change", **refs)
    f = only(N.change_rate(case(base, delta, bad)), Severity.ERROR)
    assert "上年应为3145.04万元" in f.message and "应为28.22%" in f.message


def test_change_increase():
    base = F("report.income_total", "6154.15")
    delta = F("report.change.amount", "4575.4", direction="increase")
    r = ratio("289.81", "change", ref_delta=delta.attrs["ref"], ref_base=base.attrs["ref"],
              direction="increase")
    assert N.change_rate(case(base, delta, r)) == []


def test_change_direction_mismatch():
    base = F("report.running_cost", "65.37")
    delta = F("report.change.amount", "8.16", direction="decrease")
    r = ratio("11.10", "change", ref_delta=delta.attrs["ref"], ref_base=base.attrs["ref"],
              direction="increase")
    assert "方向不一致" in only(N.change_rate(case(base, delta, r)), Severity.ERROR).message


# -- lists ---------------------------------------------------------------------------------------------------

def _list(whole: Field, parts: list[Field], kind: str) -> list[Field]:
    g = "g1"
    whole.attrs.update(group=g, role="whole", list_kind=kind)
    for p in parts:
        p.attrs.update(group=g, role="part", ref_whole=whole.attrs["ref"], list_kind=kind)
    return [whole, *parts]


def test_parts_sum_complete_split_must_add_up():
    fs = _list(F("report.expense_total", "1361.52", form="自评报告", subject="支出合计"),
               [F("report.basic", "701.92", form="自评报告", subject="基本支出"),
                F("report.project", "661.46", form="自评报告", subject="项目支出")], "split")
    f = only(N.parts_sum(case(*fs)), Severity.ERROR)
    assert "合计1363.38万元，与总数相差1.86万元" in f.message


def test_parts_sum_partial_items_is_a_warning_and_excess_an_error():
    fs = _list(F("report.project", "1583.48"),
               [F("report.project.actual", "751.1"), F("report.project.actual", "413.46")], "items")
    assert "部分列举" in only(N.parts_sum(case(*fs)), Severity.WARNING).message
    fs = _list(F("report.project", "100"),
               [F("report.project.actual", "80"), F("report.project.actual", "30")], "items")
    only(N.parts_sum(case(*fs)), Severity.ERROR)


def test_parts_sum_exact_and_rounding():
    fs = _list(F("report.procurement.total", "142.23"),
               [F("report.procurement.goods", "34.88"), F("report.procurement.works", "0"),
                F("report.procurement.services", "107.35")], "split")
    assert N.parts_sum(case(*fs)) == []
    fs = _list(F("report.procurement.total", "142.24"),
               [F("report.procurement.goods", "34.88"), F("report.procurement.services", "107.35")], "split")
    only(N.parts_sum(case(*fs)), Severity.WARNING)


def test_personnel_public():
    b = F("report.basic", "673.91", section="六")
    p = F("report.personnel", "608.54", section="六")
    u = F("report.public", "65.37", section="六")
    assert N.personnel_public(case(b, p, u)) == []
    u2 = F("report.public", "75.37", section="六")
    f = only(N.personnel_public(case(b, p, u2)), Severity.ERROR)
    assert "相差10万元" in f.message


def test_econ_breakdown_sum():
    fs = _list(F("report.basic", "701.92"),
               [F("report.econ.wages", "354.88"), F("report.econ.goods_services", "231.72"),
                F("report.econ.household", "114.67"), F("report.econ.capital", "0.65")], "split")
    assert N.econ_breakdown_sum(case(*fs)) == []
    assert N.parts_sum(case(*fs)) == []  # not reported twice
    fs = _list(F("report.basic", "700.00"),
               [F("report.econ.wages", "354.88"), F("report.econ.goods_services", "231.72")], "split")
    only(N.econ_breakdown_sum(case(*fs)), Severity.ERROR)


# -- projects ------------------------------------------------------------------------------------------------

def _project(name: str, budget: str, actual: str, carry: str, kind: str = "年初预算项目") -> list[Field]:
    common = dict(form="自评报告", topic="project", subject=name, sentence=f"{name}…")
    return [F("report.project.budget", budget, project_kind=kind, **common),
            F("report.project.actual", actual, **common),
            F("report.project.carryover", carry, **common)]


def test_project_balance():
    f = only(N.project_balance(case(*_project("人才经费", "956", "751.1", "183.93"))), Severity.ERROR)
    assert "结余结转应为204.9万元，报告写183.93万元" in f.message
    f = only(N.project_balance(case(*_project("村级运转经费", "502", "413.46", "0"))), Severity.ERROR)
    assert "未支出的88.54万元" in f.message
    assert N.project_balance(case(*_project("离任村干部补贴", "201.24", "201.24", "0"))) == []
    assert N.project_balance(case(*_project("超支项目", "10", "12", "0"))) == []


def test_project_balance_with_added_funds():
    common = dict(form="自评报告", topic="project", subject="重点项目前期工作经费", sentence="s")
    fs = [F("report.project.added", "150.00", **common), F("report.project.actual", "124.76", **common),
          F("report.project.carryover", "25.24", **common)]
    assert N.project_balance(case(*fs)) == []
    fs[2].value = D("0")
    assert "追加150.00万元" in only(N.project_balance(case(*fs)), Severity.ERROR).message


def test_project_budget_total():
    init = F("report.initial_budget", "821.4", page=3)
    projects = (_project("A", "956", "751.1", "0") + _project("B", "30", "27", "3")
                + _project("C", "100", "1", "0", "年中追加项目"))
    f = only(N.project_budget_total(case(init, *projects)), Severity.ERROR)
    assert "合计986万元" in f.message and "821.4万元" in f.message
    assert N.project_budget_total(case(F("report.initial_budget", "2000"), *projects)) == []


def test_project_budget_total_falls_back_to_the_selfeval_sheet():
    sheet = Field("selfeval.funds.initial_budget", D("500"), "万元", "500", SourceRef("d2", 1, (0, 0, 1, 1)),
                  form="自评表")
    only(N.project_budget_total(case(sheet, *_project("A", "956", "751.1", "0"))), Severity.ERROR)


def test_item_sums():
    den = F("report.initial_budget", "821.4", section="五/(三)", measure="initial")
    num = F("report.fiscal_expense", "2257.39", section="五/(三)")
    r = ratio("2.75", "completion", ref_numerator=num.attrs["ref"], ref_denominator=den.attrs["ref"])
    items = [F("report.item.initial_budget", "800", section="五/(三)/1、a"),
             F("report.item.initial_budget", "21.4", section="五/(三)/2、b"),
             F("report.item.final", "2000", section="五/(三)/1、a"),
             F("report.item.final", "257.39", section="五/(三)/2、b")]
    assert N.item_sums(case(den, num, r, *items)) == []
    items[0].value = D("700")
    only(N.item_sums(case(den, num, r, *items)), Severity.ERROR)


# -- C36 / C2 ------------------------------------------------------------------------------------------------

def test_same_total_stated_twice_with_two_values():
    a = F("report.project", "661.46", form="自评报告")
    b = F("report.project", "701.92", form="自评报告")
    c = F("report.project", "661.46", form="决算说明")
    f = only(N.same_quantity(case(a, b, c)), Severity.ERROR)
    assert "661.46万元" in f.message and "701.92万元" in f.message
    assert len(f.locations) == 3


def test_same_total_equal_or_rounding():
    assert N.same_quantity(case(F("report.basic", "673.91"), F("report.basic", "673.91", form="自评报告"))) == []
    only(N.same_quantity(case(F("report.basic", "673.91"), F("report.basic", "673.90"))), Severity.WARNING)


def test_a_per_item_quantity_is_named_in_words_not_by_its_key():
    """report.level1_score.满意度指标 has no name in the lexicon: the message names it as its label does."""
    a = F("report.level1_score.满意度指标", "10.00", "分", form="自评报告")
    b = F("report.level1_score.满意度指标", "9.00", "分", form="自评报告")
    a.label, b.label = "报告：满意度指标得分", "报告：满意度指标得分"
    f = only(N.same_quantity(case(a, b)), Severity.WARNING)
    assert f.message.startswith("“满意度指标得分”在不同位置数值不一致") and "report." not in f.message


def test_same_metric_counts_are_warnings():
    a = F("report.metric", "75", "人次", subject="今年以来共提拔重用干部")
    b = F("report.metric", "47", "人次", form="自评报告", subject="全年共提拔重用干部")
    f = only(N.same_quantity(case(a, b)), Severity.WARNING)
    assert "75人次" in f.message and "47人次" in f.message


def test_same_metric_loose_subject_match():
    a = F("report.metric", "156", "人次", subject="共计晋升")
    b = F("report.metric", "171", "人次", form="自评报告", subject="晋升公务员")
    only(N.same_quantity(case(a, b)), Severity.WARNING)


def test_metrics_with_narrowing_words_are_not_the_same_quantity():
    a = F("report.metric", "47", "人次", subject="全年共提拔重用干部")
    b = F("report.metric", "24", "人次", subject="全年提拔重用 35 岁左右干部")
    c = F("report.metric", "412", "名", subject="选派", object="机关党员")
    d = F("report.metric", "50", "名", form="自评报告", subject="重点选派经济、产业等部门的", object="干部赴合肥学经验")
    assert N.same_quantity(case(a, b, c, d)) == []


def test_same_metric_approximate_money_is_a_warning():
    a = F("report.metric", "1700", subject="兑现人才资金", approx=1, raw="1700余万元")
    b = F("report.metric", "735", form="自评报告", subject="累计兑现人才资金", approx=1, raw="735余万元")
    only(N.same_quantity(case(a, b)), Severity.WARNING)


def test_from_to_metrics_compared_by_scope_topic_and_point():
    fs = [F("report.metric", "55", "%", subject="区直部门", topic="职级使用率", point="from"),
          F("report.metric", "72", "%", subject="区直部门", topic="职级使用率", point="to"),
          F("report.metric", "70", "%", form="自评报告", subject="区直部门", topic="职级职数使用率", point="from"),
          F("report.metric", "72", "%", form="自评报告", subject="区直部门", topic="职级职数使用率", point="to")]
    f = only(N.same_quantity(case(*fs)), Severity.WARNING)
    assert "起点" in f.message and "55%" in f.message and "70%" in f.message


def test_same_quantity_ignores_other_years():
    a = F("report.staff.actual", "61", "人", year=2023)
    b = F("report.staff.actual", "24", "人", year=2024)
    c = F("report.year", "2024", "年", role="title")
    assert N.same_quantity(case(a, b, c)) == []


# -- C30 / C32 / C33 / C34 -----------------------------------------------------------------------------------

def test_year_mismatch():
    fs = [F("report.year", "2024", "年", role="title"),
          F("report.year", "2024", "年", role="title", form="自评报告"),
          F("report.staff.actual", "61", "人", year=2023, form="自评报告", sentence="2023年本单位年末实有人数61人。"),
          F("report.year", "2023", "年", role="title", sentence="2023年部门决算汇总公开单位构成"),
          F("report.metric", "64", "人", year=2023)]
    out = N.year_mismatch(case(*fs))
    assert len(out) == 2
    assert all(f.severity == Severity.WARNING and "报告年度为2024年" in f.message for f in out)


def test_year_from_document_info():
    from core.model import DocumentInfo
    c = case(F("report.staff.actual", "61", "人", year=2023))
    c.documents = [DocumentInfo("d1", "x.pdf", "", 3, kinds={"决算说明": [1]}, year=2024)]
    only(N.year_mismatch(c), Severity.WARNING)


def test_placeholders():
    f = only(N.placeholders(case(F("report.placeholder", "表述格式参考如下", "", form="自评报告", sentence="表述格式参考如下："))))
    assert f.severity == Severity.WARNING and "表述格式参考如下" in f.message


def _heads(*markers: tuple[str, str, int], form: str = "自评报告", titles: dict | None = None) -> list[Field]:
    out = []
    for i, (raw, fam, n) in enumerate(markers):
        out.append(F("report.heading", str(n), "", raw=raw, form=form, family=fam, number=n, seq=i,
                     title=(titles or {}).get(i, f"标题{i}"), body="正文", body_len=2))
    return out


def test_numbering_duplicate_and_gap():
    hs = _heads(("一、", "cn", 1), ("二、", "cn", 2), ("（一）", "pcn", 1), ("（二）", "pcn", 2), ("二、", "cn", 2),
                ("三、", "cn", 3), ("四、", "cn", 4), ("六、", "cn", 6))
    out = N.numbering(case(*hs))
    assert [("重复" in f.message, "缺少“五、”" in f.message) for f in out] == [(True, False), (False, True)]


def test_numbering_style_mismatch_is_grouped():
    hs = _heads(("一、", "cn", 1), ("二、", "cn", 2), ("（一）", "pcn", 1), ("(2)", "par", 2), ("3、", "ar", 3),
                ("4、", "ar", 4), ("1.", "ar", 1), ("2.", "ar", 2), ("五、", "cn", 5), ("6、", "ar", 6))
    out = N.numbering(case(*hs))
    msgs = [f.message for f in out]
    assert len(out) == 3, msgs
    assert "“(2)”" in msgs[0] and "（二）" in msgs[0]
    assert "“3、4、”" in msgs[1] and "三、四、" in msgs[1]
    assert "“6、”" in msgs[2] and "六、" in msgs[2]


def test_numbering_nested_lists_and_parts_restart():
    hs = _heads(("第一部分", "part", 1), ("一、", "cn", 1), ("1、", "ar", 1), ("2、", "ar", 2), ("（一）", "pcn", 1),
                ("1.", "ar", 1), ("2.", "ar", 2), ("3.", "ar", 3), ("3、", "ar", 3), ("二、", "cn", 2),
                ("第三部分", "part", 3), ("一、", "cn", 1), ("二、", "cn", 2))
    assert N.numbering(case(*hs)) == []


def test_empty_sections():
    hs = [F("report.heading", "7", "", raw="七、", form="自评报告", family="cn", number=7, seq=0,
            title="存在的问题及原因分析", body="无", body_len=1),
          F("report.heading", "8", "", raw="八、", form="自评报告", family="cn", number=8, seq=1,
            title="下一步改进措施", body="2024我单位无预算支出执行偏离绩效目标的情况。", body_len=24),
          F("report.heading", "9", "", raw="九、", form="自评报告", family="cn", number=9, seq=2,
            title="存在的问题", body="存在的问题：村级运转经费、人才经费这两个专项执行率偏低，原因是……", body_len=60),
          F("report.heading", "10", "", raw="十、", form="自评报告", family="cn", number=10, seq=3,
            title="其他需要说明的情况", body="无", body_len=1)]
    out = N.empty_sections(case(*hs))
    assert len(out) == 2 and all(f.severity == Severity.WARNING for f in out)


# -- seeds: every narrative error of domain §6, and nothing on the verified sentences ------------------------

def _run(*streams: tuple[list[str], str, int]) -> list[Finding]:
    c = Case()
    for paras, form, first in streams:
        c.fields += extract_narrative("d1", join_lines(typeset(paras, first_page=first)), form)
    return run_checks(c, only={ci.id for ci in all_checks() if ci.id.startswith("narrative.")})


def _has(out: list[Finding], check: str, *needles: str, severity: Severity | None = None) -> Finding:
    hits = [f for f in out if f.check == check and all(n in f.message for n in needles)]
    assert hits, (check, needles, [f.message for f in out if f.check == check])
    if severity is not None:
        assert hits[0].severity == severity, hits[0].message
    return hits[0]


@pytest.fixture(scope="module")
def seed001() -> list[Finding]:
    return _run((seed_001_juesuan(), "决算说明", 1), (seed_001_report(), "自评报告", 30))


@pytest.fixture(scope="module")
def seed004() -> list[Finding]:
    return _run((seed_004_report(), "自评报告", 1))


@pytest.fixture(scope="module")
def seed000() -> list[Finding]:
    return _run((seed_000_report(), "自评报告", 1))


def test_seed001_wrong_ratios(seed001):
    _has(seed001, "narrative.completion_ratio", "年初预算821.4万元", "应完成274.82%", "报告写2.75%",
         severity=Severity.ERROR)
    _has(seed001, "narrative.completion_ratio", "年初预算8万元", "232.97万元", "报告写2900.12%", severity=Severity.ERROR)


def test_seed001_eight_zero_base_items(seed001):
    zero = [f for f in seed001 if f.check == "narrative.completion_ratio" and "完成率无从计算" in f.message]
    assert len(zero) == 8
    for name in ("一般行政管理事务", "其他一般公共服务支出", "引进人才费用", "职业年金", "死亡抚恤", "计划生育",
                 "对高校毕业生到基层任职补助", "对村民委员会和村党支部的补助"):
        assert any(name in f.message for f in zero), name


def test_seed001_rounding_share(seed001):
    _has(seed001, "narrative.share", "32.35万元", "应为1.43%", "报告写1.44%", severity=Severity.WARNING)


def test_seed001_project_balances(seed001):
    _has(seed001, "narrative.project_balance", "人才经费", "应为204.9万元", "183.93万元", severity=Severity.ERROR)
    for name, gap in (("干部教育及管理经费", "2.66"), ("老干活动慰问运转经费", "1.56"), ("机关干部进小区专项工作经费", "3.33"),
                      ("机关干部进小区工作队经费", "0.19"), ("村级运转经费", "88.54"), ("湘江大讲堂", "0.09")):
        _has(seed001, "narrative.project_balance", name, f"未支出的{gap}万元", severity=Severity.ERROR)
    assert len([f for f in seed001 if f.check == "narrative.project_balance"]) == 7


def test_seed001_project_budgets_exceed_initial_budget(seed001):
    _has(seed001, "narrative.project_budget_total", "1350.98万元", "821.4万元", severity=Severity.ERROR)


def test_seed001_repeated_metrics(seed001):
    _has(seed001, "narrative.same_quantity", "156人次", "171人次")
    _has(seed001, "narrative.same_quantity", "75人次", "47人次")
    _has(seed001, "narrative.same_quantity", "区直部门，起点", "55%", "70%")
    _has(seed001, "narrative.same_quantity", "区直部门，终点", "72%", "76%")
    _has(seed001, "narrative.same_quantity", "1700余万元", "735余万元")


def test_seed001_numbering_and_template_text(seed001):
    _has(seed001, "narrative.numbering", "“二、”重复")
    _has(seed001, "narrative.numbering", "缺少“五、”")
    _has(seed001, "narrative.placeholders", "表述格式参考如下")
    _has(seed001, "narrative.year_mismatch", "2023年部门决算汇总")


def test_seed001_partial_project_list_is_only_a_warning(seed001):
    _has(seed001, "narrative.parts_sum", "1583.48万元", "1473.62万元", severity=Severity.WARNING)


def test_seed001_verified_sentences_are_silent(seed001):
    text = "\n".join(f.message for f in seed001)
    for ok in ("29.85", "70.15", "90.30", "9.7%", "28.22", "11.10", "142.23", "34.88", "107.35", "98.69",
               "93.17", "96.67", "2257.39万元的各部分"):
        assert ok not in text, ok
    assert not [f for f in seed001 if f.check in ("narrative.shares_sum", "narrative.change_rate",
                                                  "narrative.personnel_public", "narrative.item_sums",
                                                  "narrative.econ_breakdown_sum")]
    errors = {f.check for f in seed001 if f.severity == Severity.ERROR}
    assert errors == {"narrative.completion_ratio", "narrative.project_balance",
                      "narrative.project_budget_total"}


def test_seed004_findings(seed004):
    _has(seed004, "narrative.parts_sum", "1361.52万元", "1363.38万元", severity=Severity.ERROR)
    _has(seed004, "narrative.same_quantity", "项目支出", "661.46万元", "701.92万元", severity=Severity.ERROR)
    _has(seed004, "narrative.numbering", "“(二)”重复")
    _has(seed004, "narrative.empty_sections", "七、存在的问题")
    _has(seed004, "narrative.empty_sections", "八、下一步改进措施")
    _has(seed004, "narrative.text_anomalies", "00多名")  # §6.3 #12: "常态化为00多名" (前文 100多名)
    text = "\n".join(f.message for f in seed004)
    assert "94.7" not in text and "90.3" not in text and "55%" not in text and "354.88" not in text
    assert len(seed004) == 6, [f.message for f in seed004]


def test_seed000_findings(seed000):
    _has(seed000, "narrative.year_mismatch", "2023年本单位年末实有人数61人")
    numbering = [f for f in seed000 if f.check == "narrative.numbering"]
    assert len(numbering) == 3
    assert any("三、四、五、六、" in f.message for f in numbering)
    assert any("九、十、" in f.message for f in numbering)
    _has(seed000, "narrative.empty_sections", "七、存在的问题")
    text = "\n".join(f.message for f in seed000)
    assert "289.81" not in text and "73.6" not in text and "26.4" not in text and "4984" not in text
    assert all(f.severity == Severity.WARNING for f in seed000)


def _anomaly_case(text: str) -> Case:
    from tests.core.pagesim import typeset

    return Case(fields=extract_narrative("d1", join_lines(typeset(text.split("\n"))), "自评报告"))


def test_text_anomalies_year_without_nian_and_a_garbled_count():
    from core.checks.narrative import text_anomalies

    found = text_anomalies(_anomaly_case("岳阳市云溪区2024度部门整体支出绩效评价自评报告\n常态化为00多名务工人员提供服务。"))
    assert [f.values for f in found] == [["2024度"], ["00多名"]]
    assert all(f.severity is Severity.WARNING for f in found)


def test_text_anomalies_leave_ordinary_text_alone():
    from core.checks.narrative import text_anomalies

    ok = "2024年度部门整体支出绩效自评报告\n常态化服务100多名务工人员，培训0.5万人次，温度20度。"
    assert text_anomalies(_anomaly_case(ok)) == []


def test_last_years_figure_is_not_this_years_second_value():
    """"支出5.80万元，比上年决算6.50万元减少0.70万元，下降10.77%" is consistent: 6.50 is the base of the
    comparison, not a second value of this year's 三公经费."""
    found = run_checks(_anomaly_case("2024年度部门整体支出绩效自评报告\n“三公”经费支出5.80万元，比上年决算6.50万元"
                                     "减少0.70万元，下降10.77%。其中：公务接待费1.20万元，公务用车运行维护费4.60万元。"))
    assert [f for f in found if f.severity is Severity.ERROR] == []
    wrong = run_checks(_anomaly_case("2024年度部门整体支出绩效自评报告\n“三公”经费支出5.80万元，比上年决算6.50万元"
                                     "减少0.70万元，下降12.07%。"))
    assert [f.check for f in wrong if f.severity is Severity.ERROR] == ["narrative.change_rate"]


def test_a_section_that_only_points_to_an_annex_is_a_warning():
    from core.checks.narrative import empty_sections

    case = _anomaly_case("2024年度部门整体支出绩效自评报告\n八、下一步改进措施\n我部今后将更加审慎地编制年初预算，抓好预算执行。\n"
                         "九、部门整体支出绩效自评结果拟应用和公开情况\n见附件\n十、其他需要说明的情况\n本年度无其他需要说明的情况。")
    found = empty_sections(case)
    assert [f.values for f in found] == [["见附件"]]
    assert "九、" in found[0].message and found[0].severity is Severity.WARNING
    ok = _anomaly_case("2024年度部门整体支出绩效自评报告\n九、部门整体支出绩效自评结果拟应用和公开情况\n"
                       "自评结果在部门门户网站公开，并作为下年度预算安排的参考，详见附件3。")
    assert empty_sections(ok) == []


def test_a_broken_outline_is_shown_whole():
    from core.checks.narrative import numbering

    text = ("2024年度部门整体支出绩效自评报告\n一、部门基本情况\n本部门负责组织工作。\n二、部门整体支出情况\n"
            "（一）收入情况\n本年收入100万元。\n(2)支出情况\n本年支出100万元。\n3、绩效情况\n目标均已完成。\n"
            "四、存在的问题\n个别项目执行偏慢。")
    found = numbering(_anomaly_case(text))
    assert found and all("本报告标题编号依次为：一、二、（一）(2)3、四、" in f.message.replace("(一)", "（一）")
                         for f in found), [f.message for f in found]
