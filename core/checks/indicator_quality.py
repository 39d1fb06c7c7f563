"""指标设置合理性: the rules a reviewer applies to the 自评表's 绩效指标 themselves (issue 20, part 2).

Why it exists: ``core.checks.selfeval`` checks the sheet's arithmetic and its scoring; a reviewer also reads
each indicator and asks whether it is set as the guidance says — a 成本指标 written as a floor, a 数量指标
that counts money paid, a 满意度 with no survey behind it, a score cut with no reason given.  Each rule is
data in ``resources/indicator_rules.json`` (id, name, the rule in a reviewer's words, severity, source,
thresholds and word lists) and one registered check here whose id *is* the rule id, so a district can switch
it off (``core.district.DistrictProfile.disabled_rules``, applied by the checks runner) and 复核评分 can cite
it as the 依据 of a deduction.  Every finding names its rule and source in the message and points at the
indicator's cells.

Rules judge by structure — the 一级/二级 column an indicator sits in, the units and comparator of its values,
its score against its 分值 — with the vocabulary they need stated as data.  Precision first: a rule that
cannot tell keeps quiet (a 满意度 with a measured value such as "95%" and no survey named is not reported;
see the rule's ``source_note``).

What it must not do: raise on a partial sheet, report what ``core.checks.selfeval`` already reports (an unmet
target without a reason is ``selfeval.unmet_full_marks``), or read anything but the case.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.checks.registry import check
from core.model import Case, Finding, Severity, SourceRef
from core.numbers import COUNT_UNITS
from core.resources import resource_path
from core.scoring.presets import plain, q2
from core.scoring.selfeval import Row, analyse, cell_ref, norm

RULES_FILE = "indicator_rules.json"


@lru_cache(maxsize=1)
def rules() -> dict[str, dict[str, Any]]:
    """The indicator rules by id, in file order."""
    data = json.loads(resource_path(RULES_FILE).read_text(encoding="utf-8"))
    return {r["id"]: r for r in data["rules"]}


def rule(rule_id: str) -> dict[str, Any]:
    return rules()[rule_id]


def _p(rule_id: str) -> dict[str, Any]:
    return rule(rule_id).get("params", {})


def _finding(rule_id: str, where: str, what: str, keys: list[str], values: list, locs: list[SourceRef]) -> Finding:
    """A warning whose message ends with the rule's name and source (what 复核意见 and the 问题清单 show)."""
    r = rule(rule_id)
    sev = Severity(r.get("severity", "warning"))
    msg = f"{where}：{what}（指标设置规则“{r['name']}”，依据：{r['source']}）"
    return Finding(rule_id, sev, msg, keys, values, locs)


def _name(r: Row) -> str:
    return f"“{r.ind.level3.strip() or r.ind.level2.strip() or r.level1}”"


def _rk(r: Row, column: str) -> str:
    return f"indicators.{r.row_id}.{column}"


def _cells(r: Row, *columns: str) -> list[SourceRef]:
    return [cell_ref(r.ind, c) for c in columns]


def _has_any(text: str, words: list[str]) -> list[str]:
    return [w for w in words if w and w in text]


def _row_text(r: Row) -> str:
    i = r.ind
    return norm(f"{i.level3}{i.target}{i.actual}{i.deviation}")


def _rows(case: Case) -> list[Row]:
    return analyse(case).rows


def _report_sentences(case: Case) -> list[str]:
    """Every sentence of the 自评报告 and 决算说明 we know of, normalised: the sentences the pipeline kept
    (``case.extra["passages"]``, ``core.copies``: all of them, with or without a figure) and those around
    the extracted figures and headings (a case saved before passages were kept has only these)."""
    from core.checks.cross.reading import N_FORMS, narrative_texts
    from core.passages import PASSAGES_KEY

    out = [norm(t) for _, t in narrative_texts(case, N_FORMS)]
    passages = case.extra.get(PASSAGES_KEY) if isinstance(case.extra, dict) else None
    if isinstance(passages, list):
        out += [norm(p[0]) for p in passages
                if isinstance(p, (list, tuple)) and len(p) > 1 and isinstance(p[0], str) and p[1] in N_FORMS]
    return out


# -- 成本指标 --------------------------------------------------------------------------------------------------

@check("indicator.cost_lower_bound", Severity.WARNING, "财预〔2021〕101号 成本指标")
def cost_lower_bound(case: Case) -> list[Finding]:
    """成本指标（一级指标，或旧式自评表中产出指标下的二级“成本指标”）应设为上限（“≤”）；年度指标值写成
    “≥”“不低于”等下限的，指标方向设置错误（表示节约、压减的指标除外）。"""
    rid = "indicator.cost_lower_bound"
    p = _p(rid)
    out = []
    for r in _rows(case):
        # 成本指标 as a 一级 (财预〔2021〕101号's sheet) or as a 二级 under 产出 (the older one: 产出 → 成本指标)
        is_cost = r.level1 == "成本指标" or "成本" in norm(r.ind.level2)
        if not is_cost or r.target.comparator not in p["lower_bound_comparators"]:
            continue
        if _has_any(norm(r.ind.level3), p["saving_words"]):
            continue
        out.append(_finding(rid, r.where(),
                            f"成本指标{_name(r)}的年度指标值为“{r.ind.target.strip()}”，是下限；成本指标应控制"
                            f"上限（如“≤{plain(r.target.value) if r.target.value is not None else ''}"
                            f"{r.target.unit}”）",
                            [_rk(r, "target")], [r.ind.target.strip()], _cells(r, "target", "level3")))
    return out


# -- 数量指标 --------------------------------------------------------------------------------------------------

@check("indicator.quantity_is_money", Severity.WARNING, "财预〔2021〕101号 产出指标")
def quantity_is_money(case: Case) -> list[Finding]:
    """数量指标应反映产出的数量；以支付、拨付的金额或预算执行率、资金到位率等作数量指标的，反映的是资金
    投入和预算执行而不是产出。"""
    rid = "indicator.quantity_is_money"
    p = _p(rid)
    out = []
    for r in _rows(case):
        if not _has_any(norm(r.ind.level2), p["level2_words"]):
            continue
        why = _money_or_execution(r, p)
        if why:
            out.append(_finding(rid, r.where(),
                                f"数量指标{_name(r)}（年度指标值“{r.ind.target.strip()}”）{why}，反映的是资金支付或"
                                f"预算执行而不是产出数量，预算执行情况已由预算执行率单独评价",
                                [_rk(r, "level3"), _rk(r, "target")], [r.ind.level3.strip(), r.ind.target.strip()],
                                _cells(r, "level3", "target")))
    return out


def _money_or_execution(r: Row, p: dict) -> str:
    units = [u for u in (r.target.unit, r.actual.unit) if u]
    money = [u for u in units if u in p["money_units"]]
    if money:
        return f"以金额（{money[0]}）计量"
    name = norm(r.ind.level3)
    execution = _has_any(name, p["execution_words"])
    if execution:
        return f"是“{execution[0]}”"
    if any(u in COUNT_UNITS or u.endswith(("人", "个", "次", "场", "期", "篇", "户", "项", "家", "所"))
           for u in units):
        return ""  # a count of people, things or times: an output even when paid for ("补贴发放人数")
    moneyw, payw = _has_any(name, p["money_words"]), _has_any(name, p["paying_words"])
    if moneyw and payw and (not units or "%" in units):
        return f"是资金的“{payw[0]}”情况"
    return ""


# -- 产出与效益重复 ----------------------------------------------------------------------------------------------

@check("indicator.output_as_benefit", Severity.WARNING, "财预〔2021〕101号 产出与效益")
def output_as_benefit(case: Case) -> list[Finding]:
    """同一项内容（三级指标相同，或名称相互包含且年度指标值相同）既列为产出指标又列为效益指标，是把产出
    当作效益重复计分。"""
    rid = "indicator.output_as_benefit"
    n = int(_p(rid).get("min_contained_length", 4))
    rows = _rows(case)
    outputs = [r for r in rows if r.level1 == "产出指标" and norm(r.ind.level3)]
    benefits = [r for r in rows if r.level1 == "效益指标" and norm(r.ind.level3)]
    out = []
    for b in benefits:
        for o in outputs:
            a, c = norm(o.ind.level3), norm(b.ind.level3)
            same = a == c or (min(len(a), len(c)) >= n and (a in c or c in a)
                              and norm(o.ind.target) == norm(b.ind.target) and norm(o.ind.target))
            if not same:
                continue
            out.append(_finding(rid, f"自评表第{o.ind.source.page}页" + (
                f"、第{b.ind.source.page}页" if b.ind.source.page != o.ind.source.page else ""),
                f"产出指标{_name(o)}（{o.ind.target.strip()}）又作为效益指标{_name(b)}"
                f"（{b.ind.level2.strip() or '效益指标'}，{b.ind.target.strip()}）列出，产出被当作效益重复计分",
                [_rk(o, "level3"), _rk(b, "level3")], [o.ind.level3.strip(), b.ind.level3.strip()],
                _cells(o, "level3", "target") + _cells(b, "level3", "target")))
            break
    return out


# -- 时效指标 --------------------------------------------------------------------------------------------------

_YEAR = re.compile(r"(?<!\d)(20\d\d)\s*年")


@check("indicator.deadline_after_year", Severity.WARNING, "财预〔2020〕10号 年度评价")
def deadline_after_year(case: Case) -> list[Finding]:
    """时效指标的时限应在评价年度之内；年度指标值或实际完成值写的日期晚于评价年度（“2025年3月底前”“次年”）
    的，工作未在年度内完成或时限设置不当。"""
    from core.checks.cross.reading import case_year

    rid = "indicator.deadline_after_year"
    p = _p(rid)
    year = case_year(case)
    out = []
    for r in _rows(case):
        if not _has_any(norm(r.ind.level2) + norm(r.ind.level1), p["level2_words"]):
            continue
        for column, text in (("target", r.ind.target), ("actual", r.ind.actual)):
            t = norm(text)
            later = [int(y) for y in _YEAR.findall(t) if year is not None and int(y) > year]
            words = _has_any(t, p["next_year_words"])
            if not later and not words:
                continue
            what = f"{later[0]}年" if later else f"“{words[0]}”"
            label = "年度指标值" if column == "target" else "实际完成值"
            yr = f"{year}年度" if year is not None else "评价年度"
            out.append(_finding(rid, r.where(),
                                f"时效指标{_name(r)}的{label}“{text.strip()}”写的是{what}，晚于评价年度（{yr}），"
                                f"时限超出年度",
                                [_rk(r, column)], [text.strip(), year], _cells(r, column, "level3")))
            break
    return out


# -- 满意度 ----------------------------------------------------------------------------------------------------

def _is_satisfaction(r: Row) -> bool:
    return r.level1 == "满意度指标" or "满意" in norm(r.ind.level3)


@check("indicator.satisfaction_no_survey", Severity.WARNING, "财预〔2020〕10号 满意度调查")
def satisfaction_no_survey(case: Case) -> list[Finding]:
    """满意度应来自问卷调查、测评、座谈、回访等；实际完成值不是调查所得的数值（照抄指标值、按指标值写法
    填写、空白或文字），而指标、偏差原因和自评报告中谈到满意度的语句都没有提到调查方式的，满意度缺少依据。"""
    rid = "indicator.satisfaction_no_survey"
    p = _p(rid)
    rows = [r for r in _rows(case) if _is_satisfaction(r)]
    if not rows:
        return []
    words = p["survey_words"]
    must = p.get("report_must_mention", "满意")
    if any(_has_any(s, words) and must in s for s in _report_sentences(case)):
        return []
    out = []
    for r in rows:
        if _has_any(_row_text(r), words):
            continue
        why = _not_a_survey_result(r)
        if not why and p.get("require_unmeasured_actual", True):
            continue
        out.append(_finding(rid, r.where(),
                            f"满意度指标{_name(r)}实际完成值“{r.ind.actual.strip()}”{why or ''}，指标、偏差原因和"
                            f"自评报告均未说明满意度的调查方式（问卷、测评、座谈、回访等），满意度得分缺少依据",
                            [_rk(r, "actual")], [r.ind.actual.strip(), r.ind.target.strip()],
                            _cells(r, "actual", "level3")))
    return out


def _not_a_survey_result(r: Row) -> str:
    actual = norm(r.ind.actual)
    if not actual:
        return "为空"
    if not r.measured:
        return "按指标值的写法填写，不是调查得到的数值"
    if r.actual.kind not in ("number", "percent"):
        return "是文字，不是调查得到的比例"
    if actual == norm(r.ind.target):
        return "与指标值完全相同"
    return ""


# -- 效益指标的测算方法 ------------------------------------------------------------------------------------------

@check("indicator.benefit_no_method", Severity.WARNING, "财预〔2021〕101号 指标可衡量")
def benefit_no_method(case: Case) -> list[Finding]:
    """效益指标设为“≥95%”这类高比例目标的，应写明比例如何取得（调查、统计口径或计算公式）；指标本身和自评
    报告中提到该指标的语句都没有说明测算方法的，完成值无从核实。"""
    rid = "indicator.benefit_no_method"
    p = _p(rid)
    floor = Decimal(str(p.get("min_percent", 95)))
    words = p["method_words"]
    rows = [r for r in _rows(case) if r.level1 == "效益指标" and r.target.kind == "percent"
            and r.target.comparator in p["comparators"] and r.target.value is not None and r.target.value >= floor]
    if not rows:
        return []
    sentences = _report_sentences(case)
    out = []
    for r in rows:
        if _has_any(_row_text(r), words):
            continue
        name = norm(r.ind.level3)
        keys = _name_keys(name)
        if any(_has_any(s, words) and any(k in s for k in keys) for s in sentences):
            continue
        out.append(_finding(rid, r.where(),
                            f"效益指标{_name(r)}年度指标值“{r.ind.target.strip()}”、实际完成值"
                            f"“{r.ind.actual.strip()}”，未说明该比例的测算方法（调查、统计口径或计算公式）",
                            [_rk(r, "target")], [r.ind.target.strip(), r.ind.actual.strip()],
                            _cells(r, "target", "level3")))
    return out


def _name_keys(name: str) -> list[str]:
    """What a sentence about the indicator would contain: its whole name, and the last clause of a long
    name ("持续开展组织宣传工作，群众知晓率" → "群众知晓率")."""
    keys = [name] if name else []
    tail = re.split(r"[，,、；;]", name)[-1] if name else ""
    if tail and tail != name and len(tail) >= 3:
        keys.append(tail)
    return keys


# -- 满分 ------------------------------------------------------------------------------------------------------

@check("indicator.all_full_marks", Severity.WARNING, "常见复核口径")
def all_full_marks(case: Case) -> list[Finding]:
    """自评表每一项绩效指标和预算执行率都得满分（自评满分），自评结果没有区分度，应逐项核实完成情况的佐证。"""
    rid = "indicator.all_full_marks"
    a = analyse(case)
    scored = [r for r in a.rows if r.weight is not None and r.score is not None]
    if len(scored) < int(_p(rid).get("min_rows", 5)) or len(scored) < len(a.rows):
        return []
    if any(r.score < r.weight for r in scored):  # type: ignore[operator]
        return []
    exec_w, exec_s = a.value("exec_weight"), a.value("exec_score")
    if exec_w is not None and (exec_s is None or exec_s < exec_w):
        return []  # 预算执行率 lost points: the sheet does not award itself everything
    total = sum((r.score for r in scored), Decimal(0)) + (exec_s or Decimal(0))  # type: ignore[misc]
    what = f"全部{len(scored)}项绩效指标均得满分" + ("，预算执行率也得满分" if exec_w is not None else "")
    pages = sorted({r.ind.source.page for r in scored})
    locs = [cell_ref(r.ind, "score") for r in scored] + [f.source for f in (a.fields.get("exec_score"),)
                                                         if f is not None]
    return [_finding(rid, f"自评表第{'、'.join(map(str, pages))}页",
                     f"{what}（得分合计{plain(total)}分），自评结果没有区分度，应逐项核实完成情况的佐证",
                     ["selfeval.indicators.all_full_marks"], [total], locs)]


# -- 扣分与偏差原因 ----------------------------------------------------------------------------------------------

_DEDUCTION = re.compile(r"(?:扣|减)(?:除|减|掉)?(?:了)?(\d+(?:\.\d+)?)分")


@check("indicator.deduction_unexplained", Severity.WARNING, "财预〔2020〕10号 偏差原因")
def deduction_unexplained(case: Case) -> list[Finding]:
    """得分低于分值的指标应填写偏差原因；未填写原因，或原因中写明的扣分（“扣X分”）与分值减得分不符的，
    扣分无据可查。未完成指标值而未填原因的由 selfeval.unmet_full_marks 提示，此处不重复。"""
    rid = "indicator.deduction_unexplained"
    tol = Decimal(str(_p(rid).get("tolerance", "0.05")))
    out = []
    for r in _rows(case):
        if r.weight is None or r.score is None:
            continue
        lost = r.weight - r.score
        reason = norm(r.ind.deviation)
        if reason.strip("。.") in _p(rid).get("empty_reasons", []):
            reason = ""  # "无", "/", "—": a deduction with no reason all the same
        stated = [Decimal(m) for m in _DEDUCTION.findall(reason)]
        if lost > 0 and not reason:
            if r.met is False:
                continue  # selfeval.unmet_full_marks says it
            out.append(_finding(rid, r.where(),
                                f"指标{_name(r)}分值{plain(r.weight)}分、得分{plain(r.score)}分，扣{plain(q2(lost))}分，"
                                f"但未填写偏差原因分析",
                                [_rk(r, "deviation"), _rk(r, "score")], [r.score, r.weight],
                                _cells(r, "deviation", "score")))
        elif stated and abs(sum(stated, Decimal(0)) - max(lost, Decimal(0))) > tol:
            said = "＋".join(plain(s) for s in stated)
            out.append(_finding(rid, r.where(),
                                f"指标{_name(r)}偏差原因写明扣{said}分，而分值{plain(r.weight)}分、得分"
                                f"{plain(r.score)}分，实际扣{plain(q2(max(lost, Decimal(0))))}分，扣分与原因不符",
                                [_rk(r, "deviation"), _rk(r, "score")], [sum(stated, Decimal(0)), lost],
                                _cells(r, "deviation", "score")))
    return out


# -- 指标偏离 --------------------------------------------------------------------------------------------------

@check("indicator.deviation_full_marks", Severity.WARNING, "一体化系统 指标偏离；财预〔2020〕10号")
def deviation_full_marks(case: Case) -> list[Finding]:
    """实际完成值达到年度指标值的130%及以上（下限型指标），说明指标值设定明显偏低，应按偏离度调减分值；
    仍得满分的提示（预算管理一体化系统“指标偏离”规则）。"""
    rid = "indicator.deviation_full_marks"
    threshold = Decimal(str(_p(rid).get("ratio", "1.3")))
    out = []
    for r in _rows(case):
        if not r.quantitative or r.ratio is None or r.direction not in (">=", ">") or r.met is not True:
            continue
        if r.weight is None or r.score is None or r.score < r.weight or r.ratio < threshold:
            continue
        pct = q2(r.ratio * 100)
        out.append(_finding(rid, r.where(),
                            f"指标{_name(r)}年度指标值“{r.ind.target.strip()}”、实际完成值“{r.ind.actual.strip()}”，"
                            f"完成值为指标值的{plain(pct)}%（≥{plain(q2(threshold * 100))}%），指标值设定明显偏低，"
                            f"却得满分{plain(r.score)}分，应按偏离度适度调减分值",
                            [_rk(r, "actual"), _rk(r, "score")], [r.target.value, r.actual.value, pct],
                            _cells(r, "target", "actual", "score")))
    return out


def _default_off() -> None:
    """Rules whose ``enabled_by_default`` is false run only where a district switches them on."""
    from core.checks.registry import DEFAULT_OFF

    DEFAULT_OFF.update(rid for rid, r in rules().items() if not r.get("enabled_by_default", True))


_default_off()

RULE_CHECKS = {
    "indicator.cost_lower_bound": cost_lower_bound,
    "indicator.quantity_is_money": quantity_is_money,
    "indicator.output_as_benefit": output_as_benefit,
    "indicator.deadline_after_year": deadline_after_year,
    "indicator.satisfaction_no_survey": satisfaction_no_survey,
    "indicator.benefit_no_method": benefit_no_method,
    "indicator.all_full_marks": all_full_marks,
    "indicator.deduction_unexplained": deduction_unexplained,
    "indicator.deviation_full_marks": deviation_full_marks,
}
"""Every rule of ``resources/indicator_rules.json`` and its check (tested to be the same set)."""
