"""The 复核意见 states its scope — how many checks were done, which do not apply and why, which could not be
done — and never says "未发现需要整改的问题" over undecided findings (issue 20 part 1)."""

from __future__ import annotations

import html
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from core.checks import coverage as cov
from core.export.docx import export_review_opinion
from core.export.review_items import review_items
from core.review.corrections import CONFIRMED, EXCLUDED, Decision

PKG = Path(__file__).resolve().parents[2] / "data" / "packages" / "yunxi_2024"
NOW = datetime(2026, 12, 7, 10, 30)


def _text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    return "\n".join(html.unescape("".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)))
                     for p in re.findall(r"<w:p>.*?</w:p>", xml))


@pytest.fixture()
def yunxi():
    from core.pipeline import extract_case

    case = extract_case([str(p) for p in sorted(PKG.glob("*.pdf"))])
    # the 自评表's 执行率 cell not read (as if the cell were unreadable): the execution-rate checks cannot run
    case.fields = [f for f in case.fields if f.key != "selfeval.funds.execution_rate"]
    return case


def test_the_scope_is_stated_and_the_checks_not_done_are_named(yunxi, tmp_path):
    items = cov.coverage(yunxi)
    open_ = [it for it in items if it.is_open]
    assert "selfeval.execution_rate" in [it.check_id for it in open_]
    done = sum(1 for it in items if it.status == cov.AUTO)
    na = sum(1 for it in items if it.status == cov.NOT_APPLICABLE)
    text = _text(export_review_opinion(yunxi, tmp_path, now=NOW))
    assert (f"本次复核按{len(items)}项检查规则进行：审核工具自动完成{done}项，审核人人工核对0项，共完成{done}项；"
            f"{na}项不适用（材料中没有部门决算（公开01–09表）、部门决算情况说明，或材料中未涉及相应内容）；"
            f"{len(open_)}项因取数不足未能完成") in text
    problems = text.split("二、发现的主要问题")[1].split("三、整改要求")[0]
    assert f"在已完成的{done}项检查范围内" in problems
    assert f"以下{len(open_)}项检查因材料中取数不足未能完成，不在本意见的复核范围内" in problems
    assert "预算执行率计算：自评表（第3、4、5页）中未读到：预算执行率。" in problems


def test_undecided_findings_never_read_as_no_problem(yunxi, tmp_path):
    text = _text(export_review_opinion(yunxi, tmp_path, now=NOW))
    assert "未发现需要整改的问题" not in text
    pending = re.search(r"以下(\d+)项审核工具已提示、审核人尚未作出结论", text).group(1)
    assert int(pending) >= sum(1 for f in yunxi.findings if f.severity.value in ("error", "warning"))
    assert f"审核人尚未确认问题；审核工具提示的{pending}项事项尚待核实" in text


def test_all_decided_and_nothing_confirmed_says_no_problem_within_the_scope(yunxi, tmp_path):
    decisions = [Decision(f.fingerprint, EXCLUDED, "可接受", "李审核", "t") for f in yunxi.findings]
    yunxi.scores.pop("review", None)  # no 复核评分 row left to the reviewer's judgement either
    yunxi.extra[cov.VERDICTS_KEY] = {it.check_id: {"status": "通过", "note": "已对照原表", "reviewer": "李审核",
                                                   "time": "t"} for it in cov.coverage(yunxi) if it.is_open}
    done = sum(1 for it in cov.coverage(yunxi) if it.status in (cov.AUTO, cov.SHORT))
    text = _text(export_review_opinion(yunxi, tmp_path, items=review_items(yunxi, [], decisions), now=NOW))
    assert f"在已完成的{done}项检查范围内，未发现需要整改的问题。" in text
    assert "未能完成" not in text and "四、待核实事项" not in text


def test_a_check_failed_by_hand_is_a_problem_of_the_opinion(yunxi, tmp_path):
    decisions = [Decision(f.fingerprint, CONFIRMED if i == 0 else EXCLUDED, "", "李审核", "t")
                 for i, f in enumerate(yunxi.findings)]
    yunxi.extra[cov.VERDICTS_KEY] = {"selfeval.execution_rate": {
        "status": "不通过", "note": "自评表执行率100%，按全年执行数÷全年预算数应为98.52%。", "reviewer": "李审核",
        "time": "t"}}
    text = _text(export_review_opinion(yunxi, tmp_path, items=review_items(yunxi, [], decisions), now=NOW))
    problems = text.split("二、发现的主要问题")[1].split("三、整改要求")[0]
    assert "发现以下2个问题" in problems
    assert "预算执行率计算：经人工核对不通过。自评表执行率100%，按全年执行数÷全年预算数应为98.52%。" in problems
    assert "审核人人工核对1项" in text


def test_on_the_package_with_an_unreadable_table_the_opinion_names_what_was_not_checked(tmp_path):
    from core.pipeline import extract_case

    pkg = PKG.parent / "omission_unreadable_2024"
    case = extract_case(sorted(pkg.glob("*.pdf")))
    text = _text(export_review_opinion(case, tmp_path, now=NOW))
    items = cov.coverage(case)
    done = sum(1 for it in items if it.status == cov.AUTO)
    assert f"共完成{done}项" in text and "5项因取数不足未能完成" in text
    problems = text.split("二、发现的主要问题")[1].split("三、整改要求")[0]
    assert problems.startswith(f"\n在已完成的{done}项检查范围内")
    listed = re.findall(r"^\d+\. (.+?)：部门决算公开05表（一般公共预算财政拨款支出决算表）（第\d+页）中未读到：", problems,
                        flags=re.MULTILINE)
    assert listed == ["一般公共预算支出表各行合计", "一般公共预算支出表科目层级", "一般公共预算支出合计",
                      "基本支出=人员经费+公用经费", "一般公共预算支出表与支出决算表"]
    requirements = text.split("三、整改要求")[1]
    assert "1. 对第二部分所列5项未能完成核对的检查，核对相关表格和数据，重新报送清晰、完整、可以识别的材料。" in requirements
