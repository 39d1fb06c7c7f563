"""Severity from certainty: an error only when every figure it names was read from an unambiguous place.

The checks runner (``core.checks.registry``) looks up the figures behind each error finding by their printed
places and asks ``core.model.uncertainty`` about each: a narrative figure whose frame is not complete, a value
an extractor doubted, a low-confidence OCR reading.  Tested on real narrative sentences read by the extractor,
with the real checks.
"""

from __future__ import annotations

import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from core.checks.registry import run_checks  # noqa: E402
from core.documents.paragraphs import join_lines  # noqa: E402
from core.extraction.narrative import extract_narrative  # noqa: E402
from core.model import REVIEWED_ATTR, Case, Field, Severity, SourceRef, uncertainty  # noqa: E402
from tests.core.pagesim import typeset  # noqa: E402


def _case(text: str, form: str = "决算说明") -> Case:
    return Case(fields=extract_narrative("d1", join_lines(typeset(text.split("\n"))), form))


def _errors(case: Case) -> list:
    return [f for f in run_checks(case) if f.severity is Severity.ERROR]


def test_a_wrong_share_of_explicit_figures_is_an_error():
    case = _case("2024年度本年支出合计1202.44万元，其中：基本支出895.76万元，占76.00%；项目支出306.68万元，占25.50%。")
    assert any(f.check == "narrative.share" and "76.00" in f.message for f in _errors(case))


def test_the_same_error_on_a_narrowed_label_is_a_warning_saying_what_to_check():
    """"一般公共预算财政拨款基本支出" is not 基本支出: its share of the 支出合计 is not the split of the total, so a
    disagreement there is for the reviewer to look at, not an error."""
    case = _case("2024年度本年支出合计1202.44万元，其中：一般公共预算财政拨款基本支出895.76万元，占76.00%；"
                 "项目支出306.68万元，占25.50%。")
    narrowed = next(f for f in case.fields if f.raw.startswith("895.76"))
    assert narrowed.key == "report.metric" and "一部分" in uncertainty(narrowed)
    found = [f for f in run_checks(case) if "76.00" in f.message]
    assert found and all(f.severity is Severity.WARNING for f in found)
    assert all("请核对" in f.message for f in found)


def test_a_figure_in_brackets_is_a_sub_part_never_the_figure_before_it():
    case = _case("3、公务接待费支出0.40万元。其中：\n国内公务接待支出0.40万（含外宾接待支出0万元）。")
    zero = next(f for f in case.fields if f.raw.startswith("0万元"))
    assert zero.attrs["frame"]["scope"] == "subpart" and uncertainty(zero)
    assert _errors(case) == []


def test_low_confidence_ocr_and_an_extractors_doubt_are_uncertain():
    place = SourceRef("d1", 1, (0.0, 0.0, 10.0, 10.0))
    ocr = Field("basic.staff", Decimal(12), "人", "12", place, confidence=0.7, attrs={"ocr": True})
    sure = Field("basic.staff", Decimal(12), "人", "12", place, confidence=0.99, attrs={"ocr": True})
    compared = Field("basic.staff", Decimal(12), "人", "12", place, confidence=0.99,
                     attrs={"ocr": True, REVIEWED_ATTR: True})
    doubted = Field("basic.staff", Decimal(12), "人", "12", place, attrs={"uncertain": "表头不明"})
    assert uncertainty(ocr) == "文字识别（OCR）把握不足"
    assert uncertainty(sure) == "文字识别（OCR）读出，尚未与原件核对"  # until the reviewer compared it
    assert not uncertainty(compared) and uncertainty(doubted) == "表头不明"


def test_a_base_inside_a_comparison_is_last_years_figure():
    case = _case("2024年度收、支总计2257.39万元，与上年收、支总计3145.04万元相比，减少887.65万元，下降28.22%。")
    base = next(f for f in case.fields if f.raw.startswith("3145.04"))
    assert base.attrs["frame"]["period"] == "prior"
    assert _errors(case) == []
    wrong = _case("2024年度收、支总计2257.39万元，与上年收、支总计3145.04万元相比，减少887.65万元，下降25.22%。")
    assert [f.check for f in _errors(wrong)] == ["narrative.change_rate"]


def test_a_bare_budget_label_after_a_line_item_is_that_items_never_the_departments():
    """Under 具体情况, "1.行政运行支出1000.00万元，年初预算为900.00万元" gives the 项's budget: two items' budgets
    differing is no finding, and the label, not saying which 支出 it is of, is an uncertain figure."""
    case = _case("（三）一般公共预算财政拨款支出决算具体情况\n"
                 "1.行政运行支出1000.00万元，年初预算为900.00万元，完成年初预算的111.11%。\n"
                 "2.一般行政管理事务支出200.00万元，年初预算为250.00万元，完成年初预算的80.00%。")
    budgets = [f for f in case.fields if f.key == "report.initial_budget"]
    assert [f.attrs.get("of") for f in budgets] == ["行政运行支出", "一般行政管理事务支出"]
    assert all(f.attrs["frame"]["scope"] != "department" and uncertainty(f) for f in budgets)
    assert [f for f in run_checks(case) if f.check == "narrative.same_quantity"] == []


def test_a_bare_budget_label_is_of_the_total_before_it_income_and_expense_apart():
    told_apart = _case("本年收入合计1000.00万元，年初预算为900.00万元。本年支出合计800.00万元，年初预算为850.00万元。")
    assert [f for f in run_checks(told_apart) if f.check == "narrative.same_quantity"] == []
    # the same total's budget stated twice with two values is still an error
    twice = _case("本年支出合计800.00万元，年初预算为850.00万元。\n本年支出合计800.00万元，年初预算为860.00万元。")
    assert any(f.check == "narrative.same_quantity" and "860.00" in f.message for f in _errors(twice))


def test_a_total_whose_list_holds_the_years_income_is_the_grand_total_not_compared_with_it():
    """"收入总计" may or may not include 结转 (a warning when compared alone); when its own list holds 本年收入
    and 年初结转和结余, it is the 收支总计: complete, and not a second value of the 本年收入合计."""
    case = _case("2024年度收入总计1500.00万元，其中：本年收入1200.00万元，年初结转和结余300.00万元。"
                 "支出总计1500.00万元，其中：本年支出1100.00万元，年末结转和结余400.00万元。")
    totals = [f for f in case.fields if f.raw.startswith("1500.00")]
    assert [f.key for f in totals] == ["report.grand_total", "report.grand_total"]
    assert not any(uncertainty(f) for f in totals)
    assert [f for f in run_checks(case) if f.check == "narrative.same_quantity"] == []
    # alone, the same label stays uncertain: it may be the 本年收入 or include the 结转
    alone = _case("2024年度收入总计1500.00万元。")
    assert next(f for f in alone.fields if f.raw.startswith("1500.00")).key == "report.income_total"


def test_rates_given_respectively_pair_with_the_parts_in_order():
    """"分别占支出合计的70.00%、20.00%": the first rate is 基本支出's, the second 项目支出's — a wrong one is an error."""
    wrong = _case("2024年度本年支出合计1000.00万元，其中：基本支出800.00万元、项目支出200.00万元，"
                  "分别占支出合计的70.00%、20.00%。")
    rates = [f for f in wrong.fields if f.key == "report.stated_ratio"]
    assert [f.attrs["frame"]["subject"] for f in rates] == ["基本支出", "项目支出"]
    assert any(f.check == "narrative.share" and "70.00" in f.message for f in _errors(wrong))
    right = _case("2024年度本年支出合计1000.00万元，其中：基本支出800.00万元（上年700.00万元）、项目支出200.00万元，"
                  "分别占80.00%和20.00%。")
    assert _errors(right) == []  # the bracketed 上年 figure is no part of the run


def test_more_rates_than_parts_are_paired_with_nothing():
    case = _case("本年支出合计1000.00万元，其中：基本支出800.00万元、项目支出200.00万元，分别占80.00%、15.00%、5.00%。")
    assert all(f.attrs.get("relation") != "share" for f in case.fields if f.key == "report.stated_ratio")
    assert _errors(case) == []


def test_completion_of_the_adjusted_budget_is_a_completion_rate():
    """"完成调整预算的90.00%" (调整预算, not 调整后预算) divides by the 调整预算 it names."""
    wrong = _case("2024年度本年支出合计1000.00万元，调整预算为1250.00万元，完成调整预算的90.00%。")
    assert any(f.check == "narrative.completion_ratio" and "90.00" in f.message for f in _errors(wrong))
    assert _errors(_case("2024年度本年支出合计1000.00万元，调整预算为1250.00万元，完成调整预算的80.00%。")) == []


def _share_findings(case: Case, raw: str) -> list:
    return [f for f in run_checks(case) if f.check in ("narrative.share", "narrative.completion_ratio")
            and raw in f.message]


def test_a_bare_share_whose_total_is_taken_from_an_earlier_sentence_is_a_warning():
    """"基本支出895.76万元，占75.00%" in a sentence of its own: the total it divides is not printed there; it is
    checked against the section's 支出合计 stated before, and a disagreement is a warning naming that total."""
    case = _case("2024年度本年支出合计1202.44万元。\n基本支出895.76万元，占75.00%，主要用于保障机构正常运转。")
    rate = next(f for f in case.fields if f.raw.startswith("75.00"))
    assert rate.attrs["frame"]["complete"] is False and "1202.44" in rate.attrs["frame"]["why"]
    found = _share_findings(case, "75.00")
    assert found and all(f.severity is Severity.WARNING for f in found)
    assert "支出合计1202.44" in found[0].message and "请核对" in found[0].message
    # the same figures where the sentence names the total ("占本年支出合计的") or lists it are an error
    named = _case("2024年度本年支出合计1202.44万元。\n基本支出895.76万元，占本年支出合计的75.00%。")
    assert any("75.00" in f.message for f in _errors(named))
    listed = _case("2024年度本年支出合计1202.44万元，其中基本支出895.76万元，占75.00%。")
    assert any("75.00" in f.message for f in _errors(listed))
    # and a right share taken from the earlier total gives nothing
    assert _share_findings(_case("2024年度本年支出合计1202.44万元。\n基本支出895.76万元，占74.50%。"), "74.50") == []


def test_bare_shares_of_parts_that_add_up_to_the_earlier_total_are_of_that_total():
    """"支出决算1202.44万元。按支出性质分，基本支出895.76万元，占76.00%；项目支出306.68万元，占25.50%": the two
    parts make up the total before exactly, so that total is what they divide — a wrong share is an error; when
    the parts do not add up to it, which total is meant stays the reader's guess (a warning)."""
    text = ("2024年度支出决算1202.44万元。按支出性质分，基本支出895.76万元，占{b}，主要用于保障机构正常运转；"
            "项目支出{p}万元，占{q}，主要用于完成特定工作任务。")
    exact = _case(text.format(b="76.00%", p="306.68", q="25.50%"))
    rate = next(f for f in exact.fields if f.raw.startswith("76.00"))
    assert rate.attrs["frame"]["complete"] is True
    assert any("76.00" in f.message for f in _errors(exact) if f.check == "narrative.share")
    right = _case(text.format(b="74.50%", p="306.68", q="25.50%"))
    assert [f for f in run_checks(right) if "share" in f.check] == []
    short = _case(text.format(b="76.00%", p="300.00", q="25.50%"))
    found = _share_findings(short, "76.00")
    assert found and all(f.severity is Severity.WARNING for f in found)


def test_completion_of_a_budget_the_phrase_does_not_say_is_a_warning():
    """"完成预算的90.00%" after both a 年初预算 and an 调整后预算: which one it divides is the reader's guess."""
    two = _case("2024年度年初预算为100.00万元，调整后预算为120.00万元，本年支出合计110.00万元，完成预算的90.00%。")
    found = _share_findings(two, "90.00")
    assert found and all(f.severity is Severity.WARNING for f in found) and "哪个预算" in found[0].message
    # "完成年初预算的" where the sentence gives only the 全年预算: the budget it names is not there
    other = _case("2024年度全年预算数为120.00万元，本年支出合计110.00万元，完成年初预算的90.00%。")
    found = _share_findings(other, "90.00")
    assert found and all(f.severity is Severity.WARNING for f in found)
    # the phrase names the budget the sentence gives: an error, as before
    said = _case("2024年度年初预算为100.00万元，调整后预算为120.00万元，本年支出合计110.00万元，完成调整后预算的90.00%。")
    assert any("90.00" in f.message for f in _errors(said))
    assert _errors(_case("2024年度年初预算为100.00万元，调整后预算为120.00万元，本年支出合计110.00万元，"
                         "完成预算的91.67%。")) == []


def test_an_approximate_share_is_checked_but_only_warned():
    """"约占28.5%": the clause is only the share, so it is of the figure before it; "约" gives the rate as an
    approximation — a disagreement is a warning, not an error."""
    case = _case("2024年度支出总额1,202.44万元，其中基本支出895.76万元，约占74.5%；项目支出306.68万元，约占28.5%。")
    rate = next(f for f in case.fields if f.raw.startswith("28.5"))
    assert rate.attrs.get("relation") == "share" and rate.attrs["frame"]["subject"] == "项目支出"
    found = _share_findings(case, "28.5")
    assert found and all(f.severity is Severity.WARNING for f in found)
    exact = _case("2024年度支出总额1,202.44万元，其中基本支出895.76万元，占74.5%；项目支出306.68万元，占28.5%。")
    assert any("28.5" in f.message for f in _errors(exact))


def test_a_change_right_after_a_list_of_parts_may_be_the_last_parts():
    """"其中：基本支出…，项目支出785.60万元，比上年增加85.60万元，增长12.23%": the whole's change or 项目支出's —
    the words do not say, so a rate that fits only one reading is a warning naming both."""
    case = _case("2024年度本年支出合计1,785.60万元，其中：基本支出1,000.00万元，项目支出785.60万元，比上年增加85.60万元，"
                 "增长12.23%，主要是新增专项。")
    assert _errors(case) == []
    found = [f for f in run_checks(case) if f.check == "narrative.change_rate"]
    assert found and "项目支出" in found[0].message and "请核对" in found[0].message
    # its own clause after a "；" is the part's change: checked, and an error when wrong
    own = _case("2024年度支出总计1,710.00万元。其中：基本支出1,000.00万元，较上年增加50.00万元，增长5.26%；"
                "项目支出710.00万元，较上年增加140.00万元，增长26.56%。")
    assert any("26.56" in f.message for f in _errors(own))


def test_a_second_share_naming_its_whole_is_of_the_same_part():
    """"人员经费850.00万元，占基本支出的85.00%，占本年支出合计的72.69%": the second rate is 人员经费's too."""
    case = _case("2024年度本年支出合计1,202.44万元。基本支出1,000.00万元，其中人员经费850.00万元，占基本支出的85.00%，"
                 "占本年支出合计的72.69%。")
    assert any("72.69" in f.message and "人员经费" in f.message for f in _errors(case))
    right = _case("2024年度本年支出合计1,202.44万元。基本支出1,000.00万元，其中人员经费850.00万元，占基本支出的85.00%，"
                  "占本年支出合计的70.69%。")
    assert _errors(right) == []


def test_a_class_share_in_its_own_paragraph_is_checked_against_the_total_before_it():
    """"一般公共服务支出（类）1,500.00万元，占75.00%" after the section's 本年支出合计: checked against it, and —
    the total being taken from elsewhere — a disagreement is a warning."""
    case = _case("2024年度本年支出合计2,000.00万元。\n从支出功能分类看，一般公共服务支出（类）1,500.00万元，占75.00%；"
                 "社会保障和就业支出（类）300.00万元，占16.00%；卫生健康支出（类）200.00万元，占10.00%。")
    found = _share_findings(case, "16.00")
    assert found and all(f.severity is Severity.WARNING for f in found) and "2,000.00" in found[0].message


def test_a_bare_label_under_a_heading_naming_a_fund_is_warned_against_figures_elsewhere():
    """"二、一般公共预算财政拨款基本支出决算情况说明" then "2024年度基本支出1,000.00万元": the figure may be the fund's
    only — set against the department's 基本支出 1,050.00 elsewhere it is a warning; inside its own sentence
    its arithmetic is still an error when wrong."""
    text = ("一、收入支出决算总体情况说明\n2024年度本年支出合计1,743.40万元，其中：基本支出1,050.00万元，项目支出693.40万元。\n"
            "二、一般公共预算财政拨款基本支出决算情况说明\n2024年度基本支出1,000.00万元，其中：人员经费860.00万元，"
            "公用经费{pub}万元。")
    case = _case(text.format(pub="140.00"))
    assert _errors(case) == []
    found = [f for f in run_checks(case) if f.check == "narrative.same_quantity"]
    assert found and "一般公共预算财政拨款基本支出决算情况说明" in found[0].message
    wrong = _case(text.format(pub="150.00"))
    assert any("150.00" in f.message for f in _errors(wrong))


def test_budgets_and_last_years_figures_are_no_parts_of_a_spending_list():
    """"其中：公务用车…预算10.00万元，支出决算8.90万元；公务接待费预算5.00万元，支出决算3.44万元" lists budgets beside
    the spending; "较上年1,000.00万元" is last year's: neither is a part, and the part's change is its own."""
    case = _case("2024年度“三公”经费预算数为15.00万元，支出决算为12.34万元。其中：公务用车购置及运行维护费预算10.00万元，"
                 "支出决算8.90万元；公务接待费预算5.00万元，支出决算3.44万元。")
    assert _errors(case) == []
    assert _errors(_case("2024年度本年支出合计1,743.40万元，较上年1,600.00万元增加143.40万元，增长8.96%；"
                         "其中基本支出1,050.00万元，较上年1,000.00万元增加50.00万元，增长5.00%。")) == []
    wrong = _case("2024年度本年支出合计1,743.40万元，较上年1,600.00万元增加143.40万元，增长8.96%；其中基本支出1,050.00万元，"
                  "较上年1,000.00万元增加50.00万元，增长6.00%。")
    assert any("6.00" in f.message and "基本支出" in f.message for f in _errors(wrong))


def test_an_execution_rate_divides_what_was_spent_not_what_is_left():
    case = _case("“乡村振兴”项目年初预算200.00万元，实际支出180.00万元，结余20.00万元，执行率90.00%。", "自评报告")
    assert _errors(case) == []
    wrong = _case("“乡村振兴”项目年初预算200.00万元，实际支出180.00万元，结余20.00万元，执行率95.00%。", "自评报告")
    assert any("95.00" in f.message and "180.00" in f.message for f in _errors(wrong))


def test_a_measure_word_after_a_things_budget_is_that_things():
    """"其中：基本支出年初预算1,000.00万元，支出决算1,000.00万元…；项目支出年初预算500.00万元，支出决算650.30万元":
    the budgets are 基本支出's and 项目支出's, and each "支出决算" is the spending of the thing before it — not
    two different values of the department's 支出合计."""
    text = ("2024年度一般公共预算财政拨款支出年初预算为1,500.00万元，支出决算为1,650.30万元，完成年初预算的110.02%。"
            "其中：基本支出年初预算1,000.00万元，支出决算1,000.00万元，完成年初预算的100.00%；项目支出年初预算"
            "500.00万元，支出决算650.30万元，完成年初预算的{r}%。")
    case = _case(text.format(r="130.06"))
    assert _errors(case) == []
    spent = [f for f in case.fields if f.raw.startswith("650.30")]
    assert spent and spent[0].key == "report.project"
    assert any("120.06" in f.message for f in _errors(_case(text.format(r="120.06"))))


def test_a_bare_measure_word_after_an_unnamed_budget_is_uncertain():
    """"收入预算数…，决算数2,345.60万元…；支出预算数…，决算数2,400.00万元": which 决算数 is the 支出合计 the words do not
    say — two values are a warning, not an error."""
    case = _case("2024年度本部门收入预算数2,300.00万元，决算数2,345.60万元，预算完成率101.98%；支出预算数2,500.00万元，"
                 "决算数2,400.00万元，预算完成率96.00%。")
    assert _errors(case) == []
    assert any(f.check == "narrative.same_quantity" and "请核对" in f.message for f in run_checks(case))


def test_a_negative_increase_is_a_decrease():
    """"比上年减少100.00万元，增幅为-8.33%": the directions agree; "增幅为-9.33%" is a wrong rate, not a direction."""
    text = "2024年度本年支出合计1,100.00万元，比上年减少100.00万元，增幅为{r}%。"
    assert _errors(_case(text.format(r="-8.33"))) == []
    wrong = [f for f in _errors(_case(text.format(r="-9.33"))) if f.check == "narrative.change_rate"]
    assert wrong and "方向不一致" not in wrong[0].message


def test_a_part_whose_share_names_an_earlier_part_is_that_parts_part():
    """授予小微企业 is a part of 授予中小企业, its share names it: no third part of the 政府采购 total."""
    text = ("2024年度政府采购支出总额128.50万元，其中：授予中小企业合同金额120.00万元，占政府采购支出总额的93.39%，"
            "授予小微企业合同金额100.00万元，占授予中小企业合同金额的{r}%。")
    assert _errors(_case(text.format(r="83.33"))) == []
    assert any("88.33" in f.message for f in _errors(_case(text.format(r="88.33"))))


def test_a_figure_after_a_comparison_is_not_the_labels_value():
    """"财政拨款支出大于收入是使用了上年结转50.00万元": 50.00 explains the difference, it is no 财政拨款支出."""
    case = _case("财政拨款收入2,100.00万元，财政拨款支出2,150.00万元，财政拨款支出大于收入是使用了上年结转50.00万元。")
    fifty = next(f for f in case.fields if f.raw.startswith("50.00"))
    assert fifty.key != "report.fiscal_expense" and uncertainty(fifty)
    assert _errors(case) == []


def test_a_counted_part_is_a_share_of_the_count_it_is_part_of():
    text = "本部门2024年末实有人数43人，其中党员32人，占{r}%。"
    assert _errors(_case(text.format(r="74.42"))) == []
    assert any("78.42" in f.message and "43" in f.message for f in _errors(_case(text.format(r="78.42"))))


def test_a_measure_word_followed_by_a_thing_of_its_own_is_not_the_departments_spending():
    """"部门决算收入3,268.45万元，决算支出3,250.15万元": 决算收入 is income, never a second 支出合计."""
    case = _case("2024年度部门决算收入3,268.45万元，决算支出3,250.15万元，收支结余18.30万元。")
    income = next(f for f in case.fields if f.raw.startswith("3,268.45"))
    assert income.key != "report.expense_total"
    assert _errors(case) == []


def test_the_parts_of_a_fund_narrowed_whole_are_warned_against_the_departments():
    """"一般公共预算财政拨款基本支出1,180.35万元，其中：人员经费1,010.05万元" in the 决算说明 and "人员经费1,050.05万元
    （含其他资金）" in the 自评报告: the first is the fund's 人员经费 — a warning, not two values of one quantity."""
    fields = []
    for doc, text, form in (("js", "2024年度一般公共预算财政拨款基本支出1,180.35万元，其中：人员经费1,010.05万元，"
                                   "公用经费170.30万元。", "决算说明"),
                            ("zp", "2024年度人员经费1,050.05万元，公用经费180.30万元（含其他资金）。", "自评报告")):
        fields += extract_narrative(doc, join_lines(typeset([text])), form)
    case = Case(fields=fields)
    assert _errors(case) == []
    found = [f for f in run_checks(case) if f.check == "narrative.same_quantity"]
    assert found and all("一般公共预算财政拨款基本支出" in f.message for f in found)


def test_a_control_rate_divides_the_spending_by_the_budget():
    text = "2024年“三公”经费预算10.00万元，实际支出8.64万元，控制率{r}%。"
    assert _errors(_case(text.format(r="86.40"))) == []
    assert any("84.60" in f.message for f in run_checks(_case(text.format(r="84.60"))))


def test_the_split_of_a_fund_total_is_the_funds():
    """"一般公共预算财政拨款支出3,082.20万元，其中：…项目支出1,901.85万元" and later "本年支出合计…，其中：…项目支出
    2,069.80万元": the first 项目支出 is the fund's — a warning naming the fund, not an error."""
    case = _case("2024年度一般公共预算财政拨款支出3,082.20万元，其中：基本支出1,180.35万元，项目支出1,901.85万元。"
                 "2024年度本年支出合计3,250.15万元，其中：基本支出1,180.35万元，项目支出2,069.80万元。")
    assert _errors(case) == []
    found = [f for f in run_checks(case) if f.check == "narrative.same_quantity"]
    assert found and "财政拨款支出" in found[0].message


def test_a_share_naming_its_part_by_label_is_of_that_parts_figure():
    """"基本支出占本年支出合计的比重为38.32%" in a sentence of its own: the part and the whole are named, their figures
    printed before — checked; a label narrowed by words before it ("货物采购授予中小企业合同金额占…") names a thing
    never printed and is not."""
    case = _case("2024年度本年支出合计3,250.15万元，其中基本支出1,180.35万元。基本支出占本年支出合计的比重为38.32%。")
    assert any("38.32" in f.message and "1,180.35" in f.message for f in _errors(case))
    narrowed = _case("2024年度政府采购支出总额142.23万元，其中：政府采购货物支出34.88万元、政府采购服务支出107.35万元。"
                     "授予中小企业合同金额142.23万元，占政府采购支出总额的100%。货物采购授予中小企业合同金额占货物支出金额的100%。")
    assert _errors(narrowed) == []


def test_rates_given_respectively_for_parts_named_by_their_labels():
    text = ("2024年度基本支出1,180.35万元，其中人员经费1,010.05万元，公用经费170.30万元。人员经费和公用经费分别占基本支出的"
            "{r}%和14.43%。")
    assert _errors(_case(text.format(r="85.57"))) == []
    assert any("87.57" in f.message and "人员经费" in f.message for f in _errors(_case(text.format(r="87.57"))))


def test_a_list_opened_by_baohan_names_its_parts_whole():
    """"包含基本支出…和项目支出…": 包含 opens the list, it does not narrow 基本支出."""
    case = _case("2024年度本年支出合计3,250.15万元，包含基本支出1,180.35万元和项目支出2,096.80万元。")
    basic = next(f for f in case.fields if f.raw.startswith("1,180.35"))
    assert basic.key == "report.basic" and not uncertainty(basic)
    assert any("2,096.80" in f.message for f in _errors(case))


def test_a_semicolon_may_end_a_list():
    """"其中财政资金400.00万元，自筹资金100.00万元；截至年底累计支出450.00万元": the parts before the "；" make up the
    total, so what follows is a new statement, not a third part; "其中：中央资金200.00万元；省级资金…；县级配套…"
    (no two parts of a known family) stays a list whose later parts are uncertain."""
    case = _case("项目总投资500.00万元，其中财政资金400.00万元，自筹资金100.00万元；截至年底累计支出450.00万元，"
                 "占总投资的90.00%。", "自评报告")
    assert [f for f in run_checks(case) if f.check == "narrative.parts_sum"] == []
    funds = _case("项目资金共计500.00万元，其中：中央资金200.00万元，占40.00%；省级资金200.00万元，占40.00%；县级配套"
                  "110.00万元，占20.00%。", "自评报告")
    found = [f for f in run_checks(funds) if f.check == "narrative.parts_sum"]
    assert found and all(f.severity is Severity.WARNING for f in found)
    # siblings of a known family go on after a "；" as before
    split = _case("2024年度本年支出合计1,202.44万元，其中：基本支出895.76万元，占74.50%；项目支出316.68万元，占25.50%。")
    assert any(f.check == "narrative.parts_sum" for f in _errors(split))


def test_a_share_of_a_part_continuing_the_list_of_the_sentence_before_is_a_warning():
    """"基本支出…，包括人员支出861.29万元，占73.6%。公用支出308.86万元，占28.4%": the second part is taken into the
    list by its family, its whole is the sentence before's — the reader cannot be sure what 28.4% divides."""
    case = _case("2024年度基本支出1,170.15万元，包括人员支出861.29万元，占73.6%。公用支出308.86万元，占28.4%。")
    found = _share_findings(case, "28.4")
    assert found and all(f.severity is Severity.WARNING for f in found) and "1,170.15" in found[0].message
    assert _share_findings(_case("2024年度基本支出1,170.15万元，包括人员支出861.29万元，占73.6%。公用支出308.86万元，"
                                 "占26.4%。"), "26.4") == []
