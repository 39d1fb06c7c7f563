"""Whose change a "较上年增加Δ，增长p%" is: the part of a 其中 list it follows, never the list's whole, and
not the figure before a stated reason ("主要是…工资支出增加150.00万元").  Found by the second reading of issue 13:
the common wording "其中：基本支出600.00万元，比上年增加100.00万元，增长20.00%" gave a false error against the
支出合计."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from core.checks.registry import run_checks
from core.documents.paragraphs import join_lines
from core.extraction.narrative import extract_narrative
from core.model import Case, Severity
from tests.core.pagesim import typeset


def _case(text: str) -> Case:
    return Case(fields=extract_narrative("d1", join_lines(typeset(text.split("\n"))), "决算说明"))


def _errors(case: Case) -> list:
    return [f for f in run_checks(case) if f.severity is Severity.ERROR]


def _rate_subjects(case: Case) -> list[str]:
    return [f.attrs["subject"] for f in case.fields if f.key == "report.stated_ratio"]


def test_a_change_after_a_list_part_is_the_parts_change():
    case = _case("本年支出合计1000.00万元，其中：基本支出600.00万元，比上年增加100.00万元，增长20.00%；"
                 "项目支出400.00万元，比上年减少100.00万元，下降20.00%。")
    assert _errors(case) == []
    assert _rate_subjects(case) == ["基本支出", "项目支出"]


def test_a_wrong_rate_of_a_list_part_is_named_against_the_part():
    case = _case("本年支出合计1000.00万元，其中：基本支出600.00万元，与上年相比增加100.00万元，增长10.00%。")
    found = _errors(case)
    assert [f.check for f in found] == ["narrative.change_rate"]
    assert "基本支出本年600.00万元" in found[0].message and "20%" in found[0].message


def test_a_change_after_a_list_of_parts_still_reads_the_whole_when_the_parts_are_listed():
    """"其中：A、B，较上年增加Δ" — the change follows a list of two parts, not one part's own clause."""
    case = _case("本年支出合计1000.00万元，其中基本支出600.00万元、项目支出400.00万元，较上年增加200.00万元，"
                 "增长25.00%。")
    assert _errors(case) == []


def test_a_change_given_as_the_reason_is_not_the_totals():
    case = _case("本年支出合计1000.00万元，与上年相比增加200.00万元，增长25%，主要是人员增加导致工资支出增加150.00万元，"
                 "增长30.00%。")
    assert _errors(case) == []
    wrong = _case("本年支出合计1000.00万元，与上年相比增加200.00万元，增长20%，主要是人员增加。")
    assert [f.check for f in _errors(wrong)] == ["narrative.change_rate"]


def test_a_change_after_two_parts_each_in_its_clause_is_the_wholes():
    case = _case("本年支出合计1000.00万元，其中：基本支出600.00万元，项目支出400.00万元，较上年增加200.00万元，"
                 "增长25.00%。")
    assert _errors(case) == []


def test_last_years_figure_beside_this_years_is_not_text_left_over():
    """"2023年度为1200.00万元" next to "2024年度收支总计1500.00万元" in a 2024 report is the comparison's base, not
    last year's text copied over; a sentence about 2023 alone still is."""
    head = "某某局2024年度部门决算情况说明\n一、收入支出决算总体情况说明\n"
    for sentence in ("2024年度收支总计1500.00万元，2023年度为1200.00万元，增加300.00万元，增长25.00%。",
                     "2024年度收支总计1500.00万元，较2023年决算数1200.00万元增加300.00万元，增长25.00%。"):
        assert [f for f in run_checks(_case(head + sentence)) if f.check == "narrative.year_mismatch"] == []
    left_over = _case(head + "2023年度收支总计1200.00万元。")
    assert [f.check for f in run_checks(left_over)] == ["narrative.year_mismatch"]


def test_figures_in_brackets_after_a_part_are_not_parts_of_the_list():
    """"其中：基本支出1000.00万元（人员经费900.00万元、公用经费100.00万元），项目支出450.00万元": the bracket breaks
    down 基本支出; the 其中 list is 基本支出 and 项目支出, and a real gap in it is still named."""
    for inner in ("人员经费900.00万元、公用经费100.00万元", "含人员经费900.00万元"):
        ok = _case(f"本年支出合计1450.00万元，其中：基本支出1000.00万元（{inner}），项目支出450.00万元。")
        assert _errors(ok) == []
        wrong = _case(f"本年支出合计1450.00万元，其中：基本支出1000.00万元（{inner}），项目支出350.00万元。")
        found = _errors(wrong)
        assert [f.check for f in found] == ["narrative.parts_sum"] and "合计1350万元" in found[0].message


def test_a_kemu_line_named_by_its_code_printed_otherwise_is_a_line_not_the_total():
    """A 科目 line whose code is printed bare after the list number, in 【】, or as "科目编码…" is a line item:
    its 支出决算 is never compared with the department's 支出合计."""
    head = ("2024年度本年支出合计1400.00万元，其中：基本支出1000.00万元，项目支出400.00万元。\n"
            "（三）一般公共预算财政拨款支出决算具体情况\n")
    for name in ("1.2010301行政运行：", "1.【2010301】行政运行。", "【2010301】行政运行。", "1.行政运行（科目编码2010301）："):
        case = _case(head + name + "年初预算为900.00万元，支出决算为1000.00万元，完成年初预算的111.11%。")
        assert _errors(case) == [], name
        keys = {f.key for f in case.fields if f.raw.startswith("1000.00万元")}
        assert keys == {"report.basic", "report.item.final"}, name


def test_a_numbered_line_whose_name_ends_in_a_label_word_is_a_line_not_the_department():
    """"（5）社区建设项目支出：年初预算为…" under the 具体情况 heading is one line, named by its own words before
    "项目支出": its 年初预算 is never compared with the department's; its own completion is still checked."""
    head = ("（三）一般公共预算财政拨款支出决算具体情况\n2024年度一般公共预算财政拨款支出年初预算为1300.00万元，"
            "支出决算为1400.00万元，完成年初预算的107.69%。其中：\n")
    ok = _case(head + "（5）社区建设项目支出：年初预算为100.00万元，支出决算为100.00万元，完成年初预算的100%。")
    assert _errors(ok) == []
    wrong = _case(head + "（5）社区建设项目支出：年初预算为100.00万元，支出决算为90.00万元，完成年初预算的100%。")
    assert [f.check for f in _errors(wrong)] == ["narrative.completion_ratio"]
