"""Copied text across a district (``core.copies``): normalisation, the sentence split, and the index's rules
on small districts written out in the test — what two units share is a copy, what three share is template,
template sentences with other figures, common indicators and names everyone cites are not copies."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.copies import (
    CHECK_FIGURES,
    CHECK_INDICATORS,
    CHECK_TEXT,
    CHECK_UNIT_NAME,
    COPIES_KEY,
    DistrictIndex,
    Settings,
    _sentences,
    attach,
    case_signature,
    distinctive_number,
    norm,
    shingles,
    skeleton,
)
from core.model import Case, DocumentInfo, Field, Indicator, SourceRef

BOX = (72.0, 100.0, 500.0, 112.0)

# sentences every department of a district writes (the 自评报告 template), with its own figures in each
TEMPLATE = [
    "进一步加强预算编制的科学性和准确性，细化量化绩效指标，加快项目资金支付进度，强化绩效运行监控。",
    "自评结果将作为下一年度预算安排的重要参考，并在部门门户网站随部门决算一并公开。",
    "{y}年度本部门一般公共预算支出{a}万元，其中：基本支出{b}万元，项目支出{c}万元，主要用于保障机关正常运转和重点工作。",
]
OWN = {
    "民政局": "全年累计为辖区1,236户困难群众发放最低生活保障金和特困人员救助供养金，完成社会福利中心适老化改造。",
    "农业农村局": "全年完成粮食播种面积21.6万亩，新建高标准农田1.85万亩，开展农产品质量安全例行监测抽检1,042批次。",
    "住建局": "全年完成城镇老旧小区改造23个、惠及居民2,874户，筹集保障性租赁住房386套，开展建筑施工安全专项整治。",
    "文旅局": "全年组织全民阅读、群众文艺汇演等文化惠民活动142场次，完成摩崖石刻本体保护工程，举办全民健身运动会。",
    "退役军人事务局": "全年接收安置退役军人43名，举办退役军人专场招聘会3场，完成烈士纪念设施维修和褒扬纪念活动。",
}


def sentence(text: str, page: int = 2, para: int = 0, kind: str = "自评报告") -> list:
    return [text, kind, "d1", para, [[page, *BOX]]]


def sig(case_id: str, unit: str, sentences: list[str] = (), indicators: list[tuple[str, str]] = (),
        figures: list[tuple[str, str, str]] = (), *, n: int = 0) -> dict:
    """A signature as ``case_signature`` writes it, from texts."""
    ss = [sentence(t.format(y=2024, a=f"{800 + n}.12", b=f"{600 + n}.05", c=f"{200 + n}.07"), para=i)
          for i, t in enumerate(list(TEMPLATE) + list(sentences))]
    inds = [[l3, t, "d1", 5, [list(BOX)]] for l3, t in [("服务对象满意度", "≥90%"), ("资金支付及时率", "≥90%")]
            + list(indicators)]
    figs = [[s, v, u, "report.metric", "d1", 3, list(BOX), ""] for s, v, u in figures]
    from core.workspace import unit_key

    return {"schema": "district-signature/1", "case_id": case_id, "unit": f"益阳市资阳区{unit}",
            "unit_key": unit_key(f"益阳市资阳区{unit}"), "digests": [case_id], "docs": {"d1": "材料.pdf"},
            "kinds": {"d1": {"2": "自评报告", "3": "自评报告", "5": "自评表"}},
            "sentences": ss, "indicators": inds, "figures": figs}


def district(**changes) -> dict[str, dict]:
    """Five departments, each with the template and its own paragraph; ``changes`` add to one of them."""
    out = {}
    for n, (unit, own) in enumerate(OWN.items()):
        extra = changes.get(unit, {})
        out[unit] = sig(f"c{n}", unit, [own] + extra.get("sentences", []), extra.get("indicators", []),
                        extra.get("figures", []), n=n)
    return out


def checks_of(index: DistrictIndex, case_id: str) -> list[str]:
    return [f.check for f in index.findings(case_id)]


# -- normalisation ------------------------------------------------------------------------------------------

def test_norm_ignores_width_spacing_and_punctuation():
    a = norm("全年累计为辖区１，２３６户困难群众发放 最低生活保障金。")
    assert a == norm("全年累计为辖区1,236户 困难群众发放最低生活保障金") == "全年累计为辖区1236户困难群众发放最低生活保障金"
    assert norm("⻔诊") == norm("门诊")  # a radical code point is the ideograph
    assert norm("ABC 公司") == "abc公司"


def test_skeleton_masks_figures_and_shingles_are_its_4grams():
    assert skeleton(norm("支出801.12万元，占98.5%")) == "支出#万元占#"
    assert shingles("支出801万元") == {"支出#万", "出#万元"}


@pytest.mark.parametrize("raw,expected", [
    ("1,236人次", True), ("317名", True), ("72.26万元", True), ("1042批次", True),
    ("15000人次", False), ("98.5%", False), ("2024年", False), ("30个", False), ("100", False), ("2", False),
])
def test_distinctive_number(raw, expected):
    assert distinctive_number(raw) is expected


def test_sentences_split_at_terminal_punctuation_and_paragraphs_with_line_boxes():
    text = "第一句话在这里。第二句\n第三句；结尾"
    places = [(1, (10.0 * i, 100.0, 10.0 * i + 9, 110.0)) for i in range(len(text))]
    places[text.index("第二句") + 2] = (1, (0.0, 120.0, 9.0, 130.0))  # "句" printed on the next line
    got = list(_sentences(text, places))
    assert [(s, p) for s, p, _ in got] == [("第一句话在这里。", 0), ("第二句", 0), ("第三句；", 1), ("结尾", 1)]
    assert len(got[1][2]) == 2  # two printed lines, one box each


# -- the rules of the index -------------------------------------------------------------------------------

def test_a_paragraph_two_units_share_is_a_copy_on_both_sides_and_template_is_not():
    copied = OWN["民政局"]
    sigs = district(退役军人事务局={"sentences": [copied]})
    index = DistrictIndex(sigs.values())
    for me, other in (("民政局", "退役军人事务局"), ("退役军人事务局", "民政局")):
        found = index.findings(sigs[me]["case_id"])
        assert [f.check for f in found] == [CHECK_TEXT]
        f = found[0]
        assert f"益阳市资阳区{other}" in f.message and "自评报告第2页" in f.message
        assert "全年累计为辖区1,236户困难群众" in f.message  # quoted as printed
        assert f.locations and all(loc.doc == "d1" and loc.page == 2 for loc in f.locations)
    for unit in ("农业农村局", "住建局", "文旅局"):
        assert checks_of(index, sigs[unit]["case_id"]) == []


def test_a_sentence_three_units_share_is_template():
    shared = "根据《资阳区财政局关于开展部门整体支出绩效自评工作的通知》要求，我单位成立自评工作小组开展了全面自评。"
    two = district(农业农村局={"sentences": [shared]}, 住建局={"sentences": [shared]})
    assert checks_of(DistrictIndex(two.values()), two["住建局"]["case_id"]) == [CHECK_TEXT]
    three = district(农业农村局={"sentences": [shared]}, 住建局={"sentences": [shared]}, 文旅局={"sentences": [shared]})
    index = DistrictIndex(three.values())
    assert all(index.findings(s["case_id"]) == [] for s in three.values())


def test_a_template_sentence_whose_figures_happen_to_agree_is_not_a_copy():
    """Two units print the same 国有资产 sentence (one vehicle each); the others print it with their own
    figures: the sentence's skeleton is the district's template."""
    tpl = "截至2024年12月31日，本单位共有车辆{v}辆，其中其他用车{v}辆；单位价值50万元以上通用设备0台（套）。"
    sigs = district(民政局={"sentences": [tpl.format(v=1)]}, 农业农村局={"sentences": [tpl.format(v=1)]},
                    住建局={"sentences": [tpl.format(v=2)]}, 文旅局={"sentences": [tpl.format(v=3)]})
    index = DistrictIndex(sigs.values())
    assert checks_of(index, sigs["民政局"]["case_id"]) == []
    # without the other units' versions the same two sentences are a copy: the skeleton is what decides
    alone = district(民政局={"sentences": [tpl.format(v=1)]}, 农业农村局={"sentences": [tpl.format(v=1)]})
    assert checks_of(DistrictIndex(alone.values()), alone["民政局"]["case_id"]) == [CHECK_TEXT]


def test_a_sentence_mostly_of_template_words_is_not_a_copy():
    """The same template sentence with an item changed in the other units (not only figures): its 4-grams
    are the district's template words."""
    tpl = "进一步加强{x}管理，严格执行预算绩效管理各项制度规定，切实提高财政资金使用效益，确保各项工作任务顺利完成。"
    sigs = district(民政局={"sentences": [tpl.format(x="社会救助资金")]},
                    退役军人事务局={"sentences": [tpl.format(x="社会救助资金")]},
                    住建局={"sentences": [tpl.format(x="住房保障资金")]}, 文旅局={"sentences": [tpl.format(x="文化事业资金")]},
                    农业农村局={"sentences": [tpl.format(x="农业发展资金")]})
    assert checks_of(DistrictIndex(sigs.values()), sigs["民政局"]["case_id"]) == []


def test_short_sentences_are_not_compared():
    short = "本单位无政府性基金预算支出。"
    sigs = district(民政局={"sentences": [short]}, 退役军人事务局={"sentences": [short]})
    assert checks_of(DistrictIndex(sigs.values()), sigs["民政局"]["case_id"]) == []


def test_cases_of_the_same_unit_are_not_copies_of_each_other():
    sigs = district()
    again = dict(sigs["民政局"], case_id="c-again", digests=["other"])
    index = DistrictIndex(list(sigs.values()) + [again])
    assert checks_of(index, "c-again") == [] and checks_of(index, sigs["民政局"]["case_id"]) == []


def test_indicators_two_units_share_are_one_finding_per_other_unit_and_common_ones_are_not():
    rows = [("最低生活保障对象动态核查户数", "≥1200户"), ("困难群众基本生活兜底保障", "应保尽保")]
    sigs = district(民政局={"indicators": rows + [("群众满意度", "≥90%")]},
                    退役军人事务局={"indicators": rows + [("群众满意度", "≥90%")]})
    index = DistrictIndex(sigs.values())
    found = index.findings(sigs["退役军人事务局"]["case_id"])
    assert [f.check for f in found] == [CHECK_INDICATORS]
    msg = found[0].message
    assert "2项" in msg and "最低生活保障对象动态核查户数（≥1200户）" in msg and "益阳市资阳区民政局" in msg
    assert "群众满意度" not in msg  # short and generic, no distinctive figure
    assert "服务对象满意度" not in msg  # a common indicator (all five units)
    assert len(found[0].locations) == 2  # each row's boxes (here one a row)


def test_an_indicator_three_units_set_is_common_even_with_two_equal_targets():
    rows = [("困难群众基本生活兜底保障", "应保尽保")]
    sigs = district(民政局={"indicators": rows}, 退役军人事务局={"indicators": rows},
                    住建局={"indicators": [("困难群众基本生活兜底保障", "全覆盖")]})
    assert checks_of(DistrictIndex(sigs.values()), sigs["民政局"]["case_id"]) == []


def test_distinctive_figures_with_the_same_subject():
    sigs = district(民政局={"figures": [("走访慰问分散供养特困人员", "317", "名"), ("开展救助活动", "12", "次")]},
                    退役军人事务局={"figures": [("走访慰问分散供养特困人员", "317", "名"), ("开展救助活动", "12", "次")]},
                    住建局={"figures": [("惠及居民", "317", "名")]})
    index = DistrictIndex(sigs.values())
    found = index.findings(sigs["民政局"]["case_id"])
    assert [f.check for f in found] == [CHECK_FIGURES]
    assert found[0].values == ["走访慰问分散供养特困人员317名"]
    assert checks_of(index, sigs["住建局"]["case_id"]) == []  # same number, another subject


def test_another_units_name_in_the_narrative():
    left_over = "在益阳市资阳区民政局党组的坚强领导下，全局干部职工团结协作，圆满完成了年度各项目标任务。"
    sigs = district(退役军人事务局={"sentences": [left_over]})
    index = DistrictIndex(sigs.values())
    found = index.findings(sigs["退役军人事务局"]["case_id"])
    assert [f.check for f in found] == [CHECK_UNIT_NAME]
    assert "“益阳市资阳区民政局”" in found[0].message
    assert checks_of(index, sigs["民政局"]["case_id"]) == []  # naming oneself is nothing


def test_another_units_name_is_found_in_its_long_form():
    # the district knows the unit as 中共益阳市资阳区委组织部 (key 资阳区委组织部); a left-over names it in full
    from core.workspace import unit_key

    sigs = district()
    sigs["民政局"] = sig("c0", "民政局", [OWN["民政局"]])
    sigs["民政局"].update(unit="中共益阳市资阳区委组织部", unit_key=unit_key("中共益阳市资阳区委组织部"))
    left_over = "在中国共产党益阳市资阳区委员会组织部的精心指导下，全局干部职工团结协作，圆满完成了年度目标任务。"
    sigs["退役军人事务局"]["sentences"].append(sentence(left_over, para=9))
    found = DistrictIndex(sigs.values()).findings(sigs["退役军人事务局"]["case_id"])
    assert [f.check for f in found] == [CHECK_UNIT_NAME]
    assert "中共益阳市资阳区委组织部" in found[0].message


def test_a_name_three_units_cite_is_not_a_left_over():
    cite = "按照{u}的统一部署，认真落实年度工作任务，各项资金均按照益阳市资阳区民政局批复的用途使用并及时足额拨付到位。"
    sigs = district(退役军人事务局={"sentences": [cite.format(u="区委区政府")]},
                    住建局={"sentences": [cite.format(u="区委")]}, 文旅局={"sentences": [cite.format(u="区政府")]})
    index = DistrictIndex(sigs.values())
    assert CHECK_UNIT_NAME not in checks_of(index, sigs["退役军人事务局"]["case_id"])


def test_thresholds_are_settings():
    copied = OWN["民政局"]
    sigs = district(退役军人事务局={"sentences": [copied]})
    strict = DistrictIndex(sigs.values(), Settings(min_sentence_cjk=200))
    assert strict.findings(sigs["民政局"]["case_id"]) == []


def test_district_list_names_both_places_once():
    sigs = district(退役军人事务局={"sentences": [OWN["民政局"]]})
    index = DistrictIndex(sigs.values())
    from core.copies import district_rows

    rows = district_rows(index)
    assert len(rows) == 1
    r = rows[0]
    assert {r["unit_a"], r["unit_b"]} == {"益阳市资阳区民政局", "益阳市资阳区退役军人事务局"}
    assert r["place_a"] == r["place_b"] == "自评报告第2页" and r["page_a"] == 2


# -- a case's signature and the findings in the case -----------------------------------------------------------

def test_case_signature_takes_sentences_indicators_and_distinctive_figures():
    case = Case(documents=[DocumentInfo("d1", "/x/材料.pdf", "abc", 9, kinds={"自评表": [5]})])
    case.extra["passages"] = [sentence(OWN["民政局"])]
    src = SourceRef("d1", 5, BOX)
    case.indicators = [Indicator("产出指标", "数量指标", "核查户数", "≥1200户", "1236户", None, None, "", src,
                                 cells={"level3": BOX, "target": BOX}),
                       Indicator("成本指标", "经济成本指标", "人员经费", "", "", None, None, "", src)]
    case.fields = [
        Field("report.metric", Decimal(317), "名", "317", SourceRef("d1", 3, BOX), attrs={"subject": "走访特困人员"}),
        Field("report.metric", Decimal(15000), "人次", "15000", SourceRef("d1", 3, BOX), attrs={"subject": "培训"}),
        Field("report.basic", Decimal("701.92"), "万元", "701.92", SourceRef("d1", 3, BOX)),
    ]
    s = case_signature(case, case_id="c1", unit="益阳市资阳区民政局")
    assert s["unit_key"] == "资阳区民政局" and s["digests"] == ["abc"]
    assert [r[:2] for r in s["indicators"]] == [["核查户数", "≥1200户"]]  # a row with no 指标值 is not compared
    assert [f[:3] for f in s["figures"]] == [["走访特困人员", "317", "名"]]
    assert s["kinds"]["d1"]["5"] == "自评表"


def test_attached_findings_come_back_from_the_checks_and_survive_a_recheck():
    from core.pipeline import recheck

    sigs = district(退役军人事务局={"sentences": [OWN["民政局"]]})
    found = DistrictIndex(sigs.values()).findings(sigs["民政局"]["case_id"])
    case = Case()
    recheck(case)
    assert attach(case, found) is True
    recheck(case)
    assert [f.check for f in case.findings] == [CHECK_TEXT]
    assert case.findings[0].fingerprint == found[0].fingerprint
    recheck(case)  # again, incrementally
    assert [f.check for f in case.findings] == [CHECK_TEXT]
    assert attach(case, found) is False  # the same: nothing to do
    assert attach(case, []) is True and case.extra[COPIES_KEY] == []  # compared, nothing found
    recheck(case)
    assert case.findings == []
    assert attach(case, [], compared=False) is True and COPIES_KEY not in case.extra  # not compared


def test_nothing_is_reported_before_five_units_are_known():
    """Two or four packages share the template every department writes: with so few, it cannot be told
    from a copy, so nothing is reported (the window compares as the district's cases are read)."""
    sigs = district(退役军人事务局={"sentences": [OWN["民政局"]]})
    four = [s for unit, s in sigs.items() if unit != "文旅局"]
    index = DistrictIndex(four)
    assert index.units == 4 and not index.comparable
    assert index.findings(sigs["民政局"]["case_id"]) == [] and index.matches() == []
    assert DistrictIndex(four, Settings(min_units=4)).findings(sigs["民政局"]["case_id"])


def test_a_signature_kept_again_unchanged_is_not_written_again(tmp_path):
    # the district index is cached on the signatures' modification times: rewriting an unchanged one on every
    # opening of a case would rebuild the whole district's index each time
    from core.copies import SIGNATURE_SCHEMA, keep_signature, signature_path

    sig = {"schema": SIGNATURE_SCHEMA, "case_id": "a", "unit": "某区财政局", "digests": ["d1"],
           "sentences": [["本单位2024年度完成各类培训共计1236人次", "d1", 1]]}
    assert keep_signature(tmp_path, sig)
    path = signature_path(tmp_path, "a")
    first = path.stat().st_mtime_ns
    assert keep_signature(tmp_path, dict(sig))
    assert path.stat().st_mtime_ns == first
    assert keep_signature(tmp_path, dict(sig, digests=["d2"]))  # changed: written
    assert "d2" in path.read_text(encoding="utf-8")
