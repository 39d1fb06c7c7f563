"""extract_narrative: every statement of a quantity, its key, its box, and how it relates to its neighbours.

Inputs are plain text laid out on synthetic pages (``tests/core/pagesim.py``: 12pt characters, wrapped,
justified, page numbers) and joined by ``join_lines`` exactly as the pipeline does; the seed tests use the
real seed reports.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import pytest  # noqa: E402

from core.documents.paragraphs import join_lines  # noqa: E402
from core.extraction.narrative import canonical_subject, extract_narrative  # noqa: E402
from core.model import Field  # noqa: E402
from tests.core.pagesim import (  # noqa: E402
    seed_000_report,
    seed_001_juesuan,
    seed_001_report,
    seed_004_report,
    typeset,
)

D = Decimal


def extract(paras: list[str], form: str = "自评报告", doc: str = "d1") -> list[Field]:
    return extract_narrative(doc, join_lines(typeset(paras)), form)


def values(fields: list[Field], key: str) -> list[Decimal]:
    return [f.value for f in fields if f.key == key]  # type: ignore[misc]


def one(fields: list[Field], key: str, value: str | None = None) -> Field:
    hits = [f for f in fields if f.key == key and (value is None or f.value == D(value))]
    assert len(hits) == 1, (key, value, [(f.key, f.value) for f in fields])
    return hits[0]


def by_ref(fields: list[Field]) -> dict[str, Field]:
    return {f.attrs["ref"]: f for f in fields if "ref" in f.attrs}


def ratio(fields: list[Field], value: str) -> Field:
    return one(fields, "report.stated_ratio", value)


# -- keys from labels ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("label", ["支出合计", "总支出", "决算支出", "支出实际完成", "本年支出合计"])
def test_expense_total_synonyms(label):
    fs = extract([f"2024年度{label}2257.39万元。"])
    f = one(fs, "report.expense_total")
    assert f.value == D("2257.39") and f.unit == "万元" and f.raw == "2257.39万元"


@pytest.mark.parametrize("label", ["实有人数", "实际在职人数", "年末实有人数", "实际在岗在编人数"])
def test_staff_actual_synonyms(label):
    fs = extract([f"本单位{label}61人，编制人数63人。"])
    assert one(fs, "report.staff.actual").value == D(61)
    assert one(fs, "report.staff.authorized").value == D(63)


def test_staff_without_unit():
    fs = extract(["本部门共有编制数 23，实有人数 20。内设科室 4 个。"])
    assert one(fs, "report.staff.authorized").value == D(23)
    assert one(fs, "report.staff.actual").value == D(20)


def test_nearest_label_in_clause():
    fs = extract(["2024年支出2257.39万元，基本支出673.91万元，其中人员经费支出608.54万元，公用经费支出65.37万元。"])
    assert values(fs, "report.expense_total") == [D("2257.39")]
    assert values(fs, "report.basic") == [D("673.91")]
    assert values(fs, "report.personnel") == [D("608.54")]
    assert values(fs, "report.public") == [D("65.37")]


def test_amounts_in_yuan_keep_their_unit():
    fs = extract(["本年支出合计22,573,934.55元。"])
    f = one(fs, "report.expense_total")
    assert f.value == D("22573934.55") and f.unit == "元"


def test_label_is_chinese_and_form_is_set():
    f = one(extract(["项目支出1583.48万元。"], form="决算说明"), "report.project")
    assert f.label == "决算说明：项目支出"
    assert f.form == "决算说明"
    assert f.confidence > 0.5


def test_bbox_is_exactly_the_printed_number():
    paras = ["2024年度财政拨款支出年初预算数为821.4万元，支出决算数为2257.39万元，完成年初预算的2.75%。"]
    lines = typeset(paras)
    fs = extract_narrative("d1", join_lines(lines), "决算说明")
    f = ratio(fs, "2.75")
    ln = next(ln for ln in lines if "2.75%" in ln.text)
    i = ln.text.index("2.75%")
    assert f.page == ln.page
    assert f.bbox == ln.span_bbox(i, i + 5)
    assert f.source.doc == "d1"


# -- relations -----------------------------------------------------------------------------------------------

def test_completion_relation_links_budget_and_final():
    fs = extract(["年初预算为325.55万元，支出决算为321.29万元，完成年初预算的98.69%。"], form="决算说明")
    r = ratio(fs, "98.69")
    refs = by_ref(fs)
    assert r.attrs["relation"] == "completion"
    assert refs[r.attrs["ref_denominator"]].value == D("325.55")
    assert refs[r.attrs["ref_numerator"]].value == D("321.29")
    assert refs[r.attrs["ref_numerator"]].attrs["group"] == r.attrs["group"]


@pytest.mark.parametrize("phrase", ["完成年初预算的", "完成全年预算数的", "为预算的", "预算执行率为"])
def test_completion_wordings(phrase):
    fs = extract([f"全年预算数为100万元，支出决算为90万元，{phrase}90%。"])
    assert ratio(fs, "90").attrs["relation"] == "completion"


def test_share_whole_is_the_total_before_qizhong():
    fs = extract(["2024年度支出合计2257.39万元，其中：基本支出673.91万元，占29.85%；项目支出1583.48万元，占70.15%。"],
                 form="决算说明")
    refs = by_ref(fs)
    for v, part in (("29.85", "673.91"), ("70.15", "1583.48")):
        r = ratio(fs, v)
        assert r.attrs["relation"] == "share"
        assert refs[r.attrs["ref_part"]].value == D(part)
        assert refs[r.attrs["ref_whole"]].value == D("2257.39")


def test_share_with_a_named_whole():
    fs = extract([
        "2024年度财政拨款基本支出673.91万元，其中：",
        "人员经费608.54万元，占基本支出的90.30%，主要包括基本工资。",
        "公用经费65.37万元，占基本支出的9.7%，主要包括办公费。",
    ], form="决算说明")
    refs = by_ref(fs)
    r = ratio(fs, "9.7")
    assert r.attrs["whole_name"] == "基本支出"
    assert refs[r.attrs["ref_whole"]].key == "report.basic"


def test_share_of_a_count_names_its_whole_by_subject():
    fs = extract(["全年共提拔重用干部 47 人次。全年提拔重用 35 岁左右干部 24 人次，占总提拔重用人数的 51%。"])
    r = ratio(fs, "51")
    refs = by_ref(fs)
    assert refs[r.attrs["ref_part"]].value == D(24)
    assert refs[r.attrs["ref_whole"]].value == D(47)


def test_share_without_a_number_for_its_part_is_other():
    fs = extract(["今年以来共提拔重用干部75人次，其中35岁左右的年轻干部提拔重用占总提拔重用人数的45%。"])
    assert ratio(fs, "45").attrs["relation"] == "other"


def test_change_relation_and_base():
    fs = extract(["2024年度收、支总计2257.39万元。与上年相比，减少887.65万元，减少28.22%。"], form="决算说明")
    r = ratio(fs, "28.22")
    refs = by_ref(fs)
    assert r.attrs["relation"] == "change"
    delta = refs[r.attrs["ref_delta"]]
    assert delta.key == "report.change.amount" and delta.attrs["direction"] == "decrease"
    assert refs[r.attrs["ref_base"]].value == D("2257.39")


def test_change_base_skips_list_parts():
    fs = extract(["2024年“三公”经费预算为9万元，2024年度“三公”经费为0.89万元，其中公务接待费0.89万元，"
                  "与2023年相比减少5.1万元，减少85%。"])
    r = ratio(fs, "85")
    base = by_ref(fs)[r.attrs["ref_base"]]
    assert base.key == "report.sangong.final"
    assert one(fs, "report.sangong.budget").value == D(9)
    assert one(fs, "report.sangong.reception.final").value == D("0.89")


def test_the_figure_compared_against_is_last_years():
    """"比上年决算6.50万元减少0.70万元，下降10.77%": 6.50 is last year's, the change is measured from 5.80,
    and the "其中" list that follows belongs to this year's 5.80, not to the change."""
    fs = extract(["“三公”经费支出5.80万元，比上年决算6.50万元减少0.70万元，下降10.77%。其中：公务接待费1.20万元，"
                  "公务用车运行维护费4.60万元。"])
    prior = one(fs, "report.sangong.final", "6.50")
    assert prior.attrs["period"] == "prior"
    now = one(fs, "report.sangong.final", "5.80")
    assert "period" not in now.attrs
    refs = by_ref(fs)
    assert refs[ratio(fs, "10.77").attrs["ref_base"]] is now
    assert refs[one(fs, "report.sangong.reception.final").attrs["ref_whole"]] is now


@pytest.mark.parametrize("phrase, year", [("较上年同期的6.50万元", None), ("上年决算数为6.50万元", None),
                                          ("较2023年的6.50万元", 2023), ("与去年6.50万元相比", None)])
def test_prior_year_wordings(phrase, year):
    fs = extract([f"2024年“三公”经费支出5.80万元，{phrase}。"])
    prior = one(fs, "report.sangong.final", "6.50")
    assert prior.attrs["period"] == "prior" and prior.attrs.get("year") == year


def test_a_list_inside_a_part_ends_at_the_semicolon():
    """"其中：基本支出750万元，包括人员经费…、公用经费…；项目支出870.35万元": 人员/公用 are parts of 基本支出,
    项目支出 goes on with the outer list of 支出合计."""
    fs = extract(["2024年度支出合计1620.35万元，其中：基本支出750.00万元，占46.29%，包括人员经费613.20万元、"
                  "公用经费136.80万元；项目支出870.35万元，占53.71%。"])
    refs = by_ref(fs)
    total, basic = one(fs, "report.expense_total"), one(fs, "report.basic")
    assert refs[one(fs, "report.personnel").attrs["ref_whole"]] is basic
    assert refs[one(fs, "report.public").attrs["ref_whole"]] is basic
    assert refs[one(fs, "report.project").attrs["ref_whole"]] is total
    assert refs[ratio(fs, "53.71").attrs["ref_whole"]] is total


def test_qizhong_split_and_items_lists():
    fs = extract([
        "2024决算支出1361.52万元，其中：基本支出701.92万元，项目支出661.46万元。",
        "2024年支出2257.39万元，项目支出1583.48万元，其中人才专项经费支出751.1万元，村级运转经费413.46万元。",
    ])
    basic = one(fs, "report.basic")
    assert basic.attrs["list_kind"] == "split" and basic.attrs["role"] == "part"
    assert by_ref(fs)[basic.attrs["ref_whole"]].value == D("1361.52")
    talent = one(fs, "report.project.actual", "751.1")
    assert talent.attrs["list_kind"] == "items"
    assert talent.attrs["subject"] == "人才专项经费支出"
    assert by_ref(fs)[talent.attrs["ref_whole"]].key == "report.project"


def test_list_measure_is_inherited_by_its_parts():
    fs = extract(["2024年初财政批复“三公”经费预算数为1.8万元，其中：公务接待费1.8万元、因公出国（境）费用0万元、"
                  "公务用车购置及运行费0万元。全年决算单位支出“三公”经费为0.96万元，其中：公务接待费0.96万元。"])
    assert one(fs, "report.sangong.budget").value == D("1.8")
    assert one(fs, "report.sangong.reception.budget").value == D("1.8")
    assert one(fs, "report.sangong.abroad.budget").value == D(0)
    assert one(fs, "report.sangong.vehicle.budget").value == D(0)
    assert one(fs, "report.sangong.final").value == D("0.96")
    assert one(fs, "report.sangong.reception.final").value == D("0.96")


def test_from_to_metrics():
    fs = extract(["职级使用率相较于2023年末，区直部门从55%提高到了72%；乡镇从31%提高到了52%。"])
    ms = [f for f in fs if f.key == "report.metric"]
    assert [(f.attrs["subject"], f.attrs["point"], f.value) for f in ms] == [
        ("区直部门", "from", D(55)), ("区直部门", "to", D(72)), ("乡镇", "from", D(31)), ("乡镇", "to", D(52))]
    assert all(f.attrs["topic"] == "职级使用率" for f in ms)
    assert all("year" not in f.attrs for f in ms)  # 2023 is the baseline of a comparison


def test_counts_and_approximate_amounts():
    fs = extract(["累计兑现人才资金1700余万元，组织全区1.7万余名干部学习，共开展培训18期。"])
    money = one(fs, "report.metric", "1700")
    assert money.unit == "万元" and money.attrs["approx"] == 1 and money.attrs["subject"] == "累计兑现人才资金"
    assert one(fs, "report.metric", "17000").unit == "名"
    assert one(fs, "report.metric", "18").unit == "期"


def test_year_attribute():
    fs = extract(["3．人员情况，2023年本单位年末实有人数61人。与2023年相比减少5.1万元。"])
    assert one(fs, "report.staff.actual").attrs["year"] == 2023
    assert "year" not in one(fs, "report.change.amount").attrs


def test_projects_with_budget_actual_carryover():
    fs = extract([
        "3.年初预算项目“人才经费”956 万元，实际支出 751.1 万元，结余结转 183.93 万元。",
        "8.年中追加项目“机关干部进小区工作队经费”，金额3万元，实际支出2.81万元，结余结转0万元。",
    ])
    b = one(fs, "report.project.budget", "956")
    assert b.attrs["subject"] == "人才经费" and b.attrs["project_kind"] == "年初预算项目"
    assert one(fs, "report.project.actual", "751.1").attrs["subject"] == "人才经费"
    assert one(fs, "report.project.carryover", "183.93").attrs["subject"] == "人才经费"
    add = one(fs, "report.project.budget", "3")
    assert add.attrs["project_kind"] == "年中追加项目"


def test_project_added_funds_and_general_budget_total():
    fs = extract([
        "2024年度本部门一般公共预算支出831.26万元，其中：基本支出572.32万元，项目支出258.94万元。",
        "1.年初预算项目“发展改革业务工作经费”，年初预算30.00万元，年中追加5.68万元，实际支出35.68万元，"
        "结余结转0.00万元。",
        "3.年中追加项目“重点项目前期工作经费”，追加150.00万元，实际支出124.76万元，结余结转25.24万元。",
    ])
    assert one(fs, "report.expense_total").value == D("831.26")
    assert one(fs, "report.project.budget", "30.00").attrs["subject"] == "发展改革业务工作经费"
    assert one(fs, "report.project.added", "5.68").attrs["subject"] == "发展改革业务工作经费"
    added = one(fs, "report.project.added", "150.00")
    assert added.attrs["subject"] == "重点项目前期工作经费" and added.attrs["project_kind"] == "年中追加项目"
    assert one(fs, "report.project.carryover", "25.24").attrs["subject"] == "重点项目前期工作经费"


def test_class_amounts_carry_their_code():
    fs = extract(["2024年度财政拨款支出831.26万元，主要用于以下方面：社会保障和就业（类）支出99.28万元，占11.94%；"
                  "资源勘探工业信息等（类）支出28.00万元，占3.37%。"], form="决算说明")
    assert [f.attrs["code"] for f in fs if f.key == "report.class.amount"] == ["208", "215"]


def test_every_class_name_holds_what_a_sentence_is_first_tested_for():
    """A sentence is searched for a 类 only when it holds ``_CLASS_HINT`` (a long 说明 has hundreds of
    sentences with none): every way a 类 is written, and every 类 named in the corpus and the seed reports,
    holds the hint inside the name itself, whatever sentence it stands in."""
    import json

    from core.extraction.narrative.grammar import _CLASS, _CLASS_HINT
    from tests.core.narrative_corpus import CORPUS

    texts = [
        "社会保障和就业（类）支出99.28万元", "“一般公共服务”类支出12.00万元", "社会保障和就业支出（208）99.28万元",
        "208社会保障和就业支出 99.28万元", "其中：201一般公共服务支出 12.5", "科学技术支出（ 206 ）合计",
    ]
    texts += [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts += seed_001_juesuan() + seed_001_report() + seed_000_report() + seed_004_report()
    names = 0
    for text in texts:
        for m in _CLASS.finditer(text):
            names += 1
            assert _CLASS_HINT.search(text, m.start(), m.end()), m.group()
            assert _CLASS_HINT.search(text[m.start():m.end()]), m.group()
    assert names >= 20


@pytest.mark.parametrize("text", [
    "附件1：部门整体支出绩效自评表", "附件 2 -项目表", "附件－1", "附件：", "附件", "附件  ", "附件\n", "附 件 3 关于…",
    "附件12号文件", "附件123", "附件A", "附件1.", "附件（一）", "附件1 2", "附件,说明", "  附件3预算表", "附件2\u3000",
    "第一部分 概况", "一、基本情况", "（二）支出", "3、行政运行", "（1）项目", "①产出", "目录",
])
def test_an_annex_heading_is_what_the_pattern_with_its_look_ahead_read(text):
    """``_head_match`` tests what follows 附件 in Python; it finds what ``_HEAD`` with the look-ahead it had
    in the pattern found, anywhere in a line and at its end."""
    import re

    from core.extraction.narrative.grammar import _HEAD, _head_match

    old = re.compile(_HEAD.pattern.replace(
        r"(?P<annexn>\d{0,2}))", r"(?P<annexn>\d{0,2}))(?=\s*(?:[:：\-－]|$|[\u4e00-\u9fff]))", 1))
    assert old.pattern != _HEAD.pattern
    for b in range(len(text) + 1):
        for a in range(min(b, 3) + 1):
            got, want = _head_match(text, a, b), old.match(text, a, b)
            assert (got and (got.span(), got.lastgroup, got.groupdict())) == (
                want and (want.span(), want.lastgroup, want.groupdict())), (text, a, b)


def test_a_label_inside_a_longer_label_does_not_count():
    fs = extract(["日常公用经费12.5万元，一般公共预算支出100万元。"])
    assert one(fs, "report.public").value == D("12.5")
    assert one(fs, "report.expense_total").value == D(100)
    assert not [f for f in fs if f.key == "report.annual_budget"]


def test_headings_placeholders_grade_and_title_year():
    fs = extract([
        "2024年度部门整体支出绩效自评报告",
        "一、基本情况",
        "没有请写明“绩效管理不存在相关问题”。",
        "二、评价结论",
        "经自评，评价结论为“优”，自查评分为96.8分。",
        "二、存在的问题",
        "无",
    ])
    heads = [f for f in fs if f.key == "report.heading"]
    assert [(h.raw, h.value, h.attrs["family"]) for h in heads] == [
        ("一、", D(1), "cn"), ("二、", D(2), "cn"), ("二、", D(2), "cn")]
    assert heads[-1].attrs["body"] == "无"
    assert one(fs, "report.placeholder").value == "没有请写明"
    assert one(fs, "report.grade").value == "优"
    assert one(fs, "report.total_score").value == D("96.8")
    assert one(fs, "report.year").value == D(2024)


def test_section_path_and_item_subject():
    fs = extract([
        "五、一般公共预算财政拨款支出决算情况说明",
        "（三）一般公共预算财政拨款支出决算具体情况",
        "1、一般公共服务（类）组织事务（款）行政运行（项）。",
        "年初预算为325.55万元，支出决算为321.29万元，完成年初预算的98.69%。",
    ], form="决算说明")
    f = one(fs, "report.item.initial_budget")
    assert f.attrs["subject"] == "一般公共服务(类)组织事务(款)行政运行(项)"
    assert f.attrs["section"].startswith("五、一般公共预算财政拨款支出决算情况说明/(三)")


def test_canonical_subject():
    assert canonical_subject("全年共提拔重用干部") == "提拔重用干部"
    assert canonical_subject("今年以来共提拔重用干部") == "提拔重用干部"
    assert canonical_subject("总提拔重用人数") == "总提拔重用"
    assert canonical_subject("累计兑现人才资金") == "兑现人才资金"


def test_empty_stream():
    assert extract([]) == []


# -- seeds ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def js001() -> list[Field]:
    return extract(seed_001_juesuan(), form="决算说明")


@pytest.fixture(scope="module")
def zp001() -> list[Field]:
    return extract(seed_001_report(), form="自评报告")


@pytest.fixture(scope="module")
def zp004() -> list[Field]:
    return extract(seed_004_report(), form="自评报告")


@pytest.fixture(scope="module")
def zp000() -> list[Field]:
    return extract(seed_000_report(), form="自评报告")


def test_seed001_juesuan_totals(js001):
    assert values(js001, "report.expense_total") == [D("2257.39")]
    assert values(js001, "report.grand_total") == [D("2257.39")]
    assert values(js001, "report.fiscal_grand_total") == [D("2257.39")]
    assert values(js001, "report.income_total") == [D("2257.39")]
    assert values(js001, "report.fiscal_expense") == [D("2257.39")] * 3
    assert values(js001, "report.basic") == [D("673.91")] * 2
    assert values(js001, "report.project") == [D("1583.48")]
    assert values(js001, "report.personnel") == [D("608.54")]
    assert values(js001, "report.public") == [D("65.37")]
    assert values(js001, "report.initial_budget") == [D("821.4")]
    assert values(js001, "report.sangong.budget") == [D("0.3")]
    assert values(js001, "report.sangong.final") == [D("0.29")]
    assert values(js001, "report.sangong.reception.final") == [D("0.29")] * 3
    assert values(js001, "report.running_cost") == [D("65.37")]
    assert values(js001, "report.procurement.total") == [D("142.23")]
    classes = ("609.33", "16.05", "1150.31", "32.35", "419.71", "29.64")
    assert values(js001, "report.class.amount") == [D(x) for x in classes]


def test_seed001_juesuan_department_completion(js001):
    r = ratio(js001, "2.75")
    refs = by_ref(js001)
    assert refs[r.attrs["ref_denominator"]].value == D("821.4")
    assert refs[r.attrs["ref_numerator"]].value == D("2257.39")


def test_seed001_juesuan_nineteen_items(js001):
    budgets = [f for f in js001 if f.key == "report.item.initial_budget"]
    finals = [f for f in js001 if f.key == "report.item.final"]
    assert len(budgets) == 19 and len(finals) == 19
    assert sum(f.value for f in budgets) == D("821.40")  # type: ignore[misc]
    assert sum(f.value for f in finals) == D("2257.39")  # type: ignore[misc]
    refs = by_ref(js001)
    items = {}
    for f in js001:
        if f.key == "report.stated_ratio" and f.attrs.get("relation") == "completion" and \
                refs[f.attrs["ref_denominator"]].key == "report.item.initial_budget":
            items[refs[f.attrs["ref_denominator"]].attrs["subject"]] = (
                refs[f.attrs["ref_denominator"]].value, refs[f.attrs["ref_numerator"]].value, f.value)
    assert len(items) == 19
    assert items["一般公共服务(类)组织事务(款)其他组织事务支出(项)"] == (D(8), D("232.97"), D("2900.12"))
    assert items["社会保障和就业支出(类)行政事业单位养老支出(款)行政单位离退休(项)"] == (D("266.2"), D("248.02"), D("93.17"))
    zero_base = [k for k, (b, _, r) in items.items() if b == 0 and r == 100]
    assert len(zero_base) == 8


def test_seed001_juesuan_shares_and_changes(js001):
    refs = by_ref(js001)
    health = ratio(js001, "1.44")
    assert refs[health.attrs["ref_part"]].value == D("32.35")
    assert refs[health.attrs["ref_whole"]].value == D("2257.39")
    r = ratio(js001, "11.10")
    assert refs[r.attrs["ref_base"]].key == "report.running_cost"
    assert refs[r.attrs["ref_delta"]].value == D("8.16")


def test_seed001_juesuan_metrics_and_year(js001):
    assert one(js001, "report.metric", "156").unit == "人次"
    assert one(js001, "report.metric", "75").attrs["subject"] == "今年以来共提拔重用干部"
    years = [f.value for f in js001 if f.key == "report.year"]
    assert D(2023) in years and years.count(D(2024)) >= 2


def test_seed001_report_totals_and_projects(zp001):
    assert values(zp001, "report.expense_total") == [D("2257.39")] * 2
    assert values(zp001, "report.basic") == [D("673.91")]
    assert values(zp001, "report.project") == [D("1583.48")]
    assert values(zp001, "report.personnel") == [D("608.54")]
    assert values(zp001, "report.public") == [D("65.37")]
    assert one(zp001, "report.staff.authorized").value == D(23)
    assert one(zp001, "report.staff.actual").value == D(20)
    projects: dict[str, dict[str, Decimal]] = {}
    for f in zp001:
        if f.key.startswith("report.project.") and f.attrs.get("topic") == "project":
            measure = f.key.rsplit(".", 1)[1]
            projects.setdefault(f.attrs["subject"], {})[measure] = f.value  # type: ignore[assignment]
    assert len(projects) == 11
    assert projects["人才经费"] == {"budget": D(956), "actual": D("751.1"), "carryover": D("183.93")}
    assert projects["村级运转经费"] == {"budget": D(502), "actual": D("413.46"), "carryover": D(0)}
    assert projects["‘湘江大讲堂’视频会议系统建设经费"]["budget"] == D(28)
    kinds = [f.attrs["project_kind"] for f in zp001 if f.key == "report.project.budget"]
    assert kinds.count("年初预算项目") == 7 and kinds.count("年中追加项目") == 4


def test_seed001_report_counts(zp001):
    assert one(zp001, "report.metric", "171").attrs["subject"] == "晋升公务员"
    assert one(zp001, "report.metric", "47").unit == "人次"
    assert one(zp001, "report.placeholder").value == "可单独提供项目绩效评价报告、表述格式参考如下"


def test_seed004_both_project_statements(zp004):
    assert values(zp004, "report.project") == [D("661.46"), D("701.92")]
    assert values(zp004, "report.expense_total") == [D("1361.52")]
    assert values(zp004, "report.basic") == [D("701.92")] * 2
    econ = [f for f in zp004 if f.key.startswith("report.econ.")]
    assert [f.value for f in econ] == [D("354.88"), D("231.72"), D("114.67"), D(0), D("0.65"), D(0)]
    assert one(zp004, "report.gov_fund").value == D("1.86")
    assert one(zp004, "report.level1_weight.产出指标").value == D(50)
    assert one(zp004, "report.level1_weight.效益指标").value == D(30)
    assert one(zp004, "report.total_score").value == D(100)


def test_seed000_income_change_and_staff(zp000):
    inc = one(zp000, "report.income_total")
    assert inc.value == D("6154.15")
    r = next(f for f in zp000 if f.key == "report.stated_ratio" and f.value == D("289.81")
             and by_ref(zp000)[f.attrs["ref_base"]].key == "report.income_total")
    assert by_ref(zp000)[r.attrs["ref_delta"]].value == D("4575.4")
    staff = one(zp000, "report.staff.actual")
    assert staff.value == D(61) and staff.attrs["year"] == 2023
    assert one(zp000, "report.expense_total").value == D("6154.15")
    assert values(zp000, "report.project.actual") == [D("4883.75"), D(19), D("77.25"), D(4)]


def test_a_score_after_a_scored_first_level_indicator_is_not_that_indicators():
    """"满意度指标（10分）得分10.00分，预算执行率（10分）得分9.50分": 预算执行率 is no 一级指标, and 满意度指标
    already has its score — 9.50 is not a second 满意度指标 score (it gave a 满意度指标 same_quantity finding)."""
    fs = extract(["经自评，产出指标（40分）得分38.50分，满意度指标（10分）得分10.00分，"
                  "预算执行率（10分）得分9.50分，总分96.00分。"])
    assert values(fs, "report.level1_score.产出指标") == [D("38.50")]
    assert values(fs, "report.level1_score.满意度指标") == [D("10.00")]
    assert values(fs, "report.level1_weight.满意度指标") == [D(10)]
    assert not [f for f in fs if f.value in (D("9.50"), D("96.00")) and "level1" in f.key]


def test_a_first_level_indicators_weight_then_its_score_in_a_clause_of_its_own():
    fs = extract(["产出指标分值40分，实际得分38.5分；效益指标（30分），得分为29分。"])
    assert values(fs, "report.level1_weight.产出指标") == [D(40)]
    assert values(fs, "report.level1_score.产出指标") == [D("38.5")]
    assert values(fs, "report.level1_score.效益指标") == [D(29)]
