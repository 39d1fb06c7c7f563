"""C15–C17 and 会议费/培训费: what the department spent on (domain.md §5, §6.2 #23).

C15 — 公用经费 (基础数据表) against the 决算's 302 商品和服务支出; C16 — a 公用经费 control rate over 100% that
the 自评报告's 存在的问题 calls no problem (``problem_statements``); C17 — a budget adjustment (年初预算 ≠
全年预算) the narrative does not explain; ``meeting_training`` — 会议费/培训费 stated in the 决算情况说明
against the 基本支出 detail (30215, 30216).
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.checks.accounts import amount
from core.checks.cross.reading import (
    N_FORMS,
    REPORT,
    ZERO,
    agree,
    narrative_texts,
    same,
    sentence,
    short,
    show,
    statements,
    unit_of,
)
from core.checks.messages import finding, fmt_pct, form_of, num, where
from core.checks.registry import check
from core.checks.tolerance import Match, threshold, to_wan
from core.model import Case, Field, Finding, Severity


@check(id="cross.c15_public_goods_services", severity="warning", ref="domain §5 C15, §6.3 #5")
def c15_public_goods_services(case: Case) -> list[Finding]:
    """基础数据表“公用经费”本年决算数（基本支出中的一般商品和服务支出）应与决算基本支出明细表302商品和服务支出、
    自评报告所述商品和服务支出相符；不符时须说明口径。"""
    j = amount(case, "accounts.t06.econ.302")
    b = amount(case, "basic.public.final")
    return [_as_warning(f) for f in agree("cross.c15_public_goods_services", "商品和服务支出（公用经费）", [j, b],
                                          statements(case, "report.econ.goods_services"))]


def _as_warning(f: Finding) -> Finding:
    f.severity = Severity.WARNING
    return f


PROBLEM_KEYS = ("report.problems",)
_NO_PROBLEM = re.compile(r"^(无|暂无|没有|不存在)[。.；;]?$|(无(?![法论须需])|没有|不存在|未发现)[^，。；]{0,24}(问题|偏离|情况)")
_SHORT_SECTION = 80  # characters: a section that analyses real problems says more than a one-line denial


def problem_statements(case: Case) -> list[tuple[Field, str]]:
    """(place, text) of the 存在的问题及原因分析 section of the 自评报告: its heading (title and body, when the
    body is printed whole), ``report.problems`` text fields, else the figures printed in that section."""
    out: list[tuple[Field, str]] = []
    for f in case.all("report.heading"):
        if form_of(f) in REPORT and "存在的问题" in str(f.attrs.get("title", "")):
            body = str(f.attrs.get("body", ""))
            if len(body) < int(f.attrs.get("body_len", len(body)) or 0):
                return []  # a long section, only its start is at hand: it says more than "无"
            out.append((f, body))
    out += [(f, str(f.value)) for k in PROBLEM_KEYS for f in case.all(k) if str(f.value or "").strip()]
    if out:
        return out
    return [(f, sentence(f)) for f in case.fields
            if form_of(f) in REPORT and "存在的问题" in str(f.attrs.get("section", ""))]


def _says_no_problem(texts: list[tuple[Field, str]], topic: str) -> tuple[Field, str] | None:
    """The statement that claims there is no problem, unless the section mentions ``topic`` anywhere or is
    longer than a one-line denial."""
    if any(re.search(topic, t) for _, t in texts) or sum(len(t.strip()) for _, t in texts) > _SHORT_SECTION:
        return None
    return next(((f, t) for f, t in texts if _NO_PROBLEM.search(t.strip())), None)


@check(id="cross.c16_public_over_unexplained", severity="warning", ref="domain §5 C16, §6.3 #6")
def c16_public_over_unexplained(case: Case) -> list[Finding]:
    """公用经费控制率（基础数据表公用经费本年决算数 ÷ 本年预算数）超过100%时，自评报告“存在的问题”不应称无问题。"""
    budget, final = amount(case, "basic.public.budget"), amount(case, "basic.public.final")
    if budget is None or final is None or not num(budget) or num(final) <= num(budget):
        return []
    said = _says_no_problem(problem_statements(case), r"公用经费|超支|超预算|超出预算")
    if said is None:
        return []
    place, text = said
    rate = num(final) / num(budget) * 100
    return [finding(
        "cross.c16_public_over_unexplained", "warning",
        f"{where(final)}公用经费本年决算数{show(final)}、预算数{show(budget)}，控制率{fmt_pct(rate)}，超过100%；"
        f"但{where(place)}“存在的问题”称“{short(text)}”，未作说明",
        [final, budget, place], [num(final), num(budget), rate.quantize(Decimal("0.01"))])]


_EXPLAINS_ADJUSTMENT = re.compile(
    r"追加|调增|预算调整|调整预算|年中(?:下达|划转|调整|新增)|新增(?:专项|项目|资金)|划转")


def _adjustment_explained(case: Case) -> bool:
    if any("追加" in str(f.attrs.get("project_kind", "")) for f in case.fields if form_of(f) in REPORT):
        return True
    return any(_EXPLAINS_ADJUSTMENT.search(t) for _, t in narrative_texts(case, N_FORMS))


@check(id="cross.c17_budget_adjustment", severity="warning", ref="domain §5 C17, §6.3 #8")
def c17_budget_adjustment(case: Case) -> list[Finding]:
    """预算调整率 =（全年预算数 − 年初预算数）÷ 年初预算数；超过30%（湖南评分表不得分）而自评报告未说明追加/调整
    原因的，提示核对；基础数据表项目支出决算数超过预算数30%以上同样须说明。"""
    if _adjustment_explained(case):
        return []
    limit = threshold("budget_adjustment_rate_max")
    out: list[Finding] = []
    initial = amount(case, "selfeval.funds.initial_budget")
    annual = amount(case, "selfeval.funds.annual_budget")
    if initial is not None and annual is not None and num(annual) > num(initial):
        if num(initial):
            rate = (num(annual) - num(initial)) / num(initial) * 100
            if rate > limit:
                out.append(finding(
                    "cross.c17_budget_adjustment", "warning",
                    f"{where(annual)}全年预算数{show(annual)}、年初预算数{show(initial)}，预算调整率{fmt_pct(rate)}，"
                    f"超过30%，自评报告未说明预算追加（调整）原因",
                    [annual, initial], [num(annual), num(initial), rate.quantize(Decimal("0.01"))]))
        else:
            out.append(finding(
                "cross.c17_budget_adjustment", "warning",
                f"{where(annual)}年初预算数为0，全年预算数{show(annual)}全部为年中调整，自评报告未说明原因",
                [annual, initial], [num(annual), num(initial)]))
    b_budget, b_final = amount(case, "basic.project.budget"), amount(case, "basic.project.final")
    if b_budget is not None and b_final is not None and num(b_budget) and num(b_final) > num(b_budget):
        over = (num(b_final) - num(b_budget)) / num(b_budget) * 100
        if over > limit:
            ratio = num(b_final) / num(b_budget) * 100
            out.append(finding(
                "cross.c17_budget_adjustment", "warning",
                f"{where(b_final)}项目支出本年决算数{show(b_final)}为预算数{show(b_budget)}的{fmt_pct(ratio)}，"
                f"自评报告未说明预算追加原因",
                [b_final, b_budget], [num(b_final), num(b_budget), ratio.quantize(Decimal("0.01"))]))
    return out


_MEETING_TRAINING = ((("report.meeting", "report.meeting_fee"), "30215", "会议费"),
                     (("report.training", "report.training_fee"), "30216", "培训费"))


@check(id="cross.meeting_training", severity="warning", ref="domain §6.2 #23, §4 I-06")
def meeting_training(case: Case) -> list[Finding]:
    """决算情况说明（一般性支出）所述会议费、培训费与基本支出决算明细表30215会议费、30216培训费对照：明细表为空
    （或大于所述金额）时，所述费用须由项目支出列支，提示核对项目明细。"""
    if not any(f.key.startswith("accounts.t06.econ.") for f in case.fields):
        return []
    out: list[Finding] = []
    for keys, code, name in _MEETING_TRAINING:
        econ = amount(case, f"accounts.t06.econ.{code}")
        for s in (s for key in keys for s in statements(case, key)):
            if num(s) == 0:
                continue
            if econ is None or num(econ) == 0:
                anchor = econ or amount(case, "accounts.t06.econ.302") or amount(case, "accounts.t06.public")
                out.append(finding(
                    "cross.meeting_training", "warning",
                    f"{where(s)}称开支{name}{show(s)}，而{where(anchor) if anchor else '基本支出决算明细表'}"
                    f"{code}{name}为空白，应由项目支出列支，请核对项目明细",
                    [s, anchor], [num(s), ZERO]))
            elif to_wan(num(econ), unit_of(econ)) > to_wan(num(s), unit_of(s)) \
                    and same(econ, s) != Match.EQUAL:
                out.append(finding(
                    "cross.meeting_training", "warning",
                    f"{where(s)}称开支{name}{show(s)}，少于{where(econ)}基本支出中的{code}{name}{show(econ)}",
                    [s, econ], [num(s), num(econ)]))
    return out
