"""Checks on the 部门整体支出绩效自评表 alone, and on the 一级 weights the 自评报告 quotes for it
(domain §3.2, §5 C11 and C23–C28; the seed findings §6.2 #16–#18 and §6.3 #1, #2, #9, #10).

Why it exists: the sheet is where a department awards itself its score; each rule below is one a finance
reviewer applies by hand.  All arithmetic comes from ``core.scoring.selfeval.analyse`` so the findings and
the recomputed score shown next to them always agree.

What it must not do: raise on a partial sheet (a missing cell means the rule is not applicable), or report a
difference within the printed precision as an error (尾数差异 are warnings).
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from core.checks.registry import check
from core.checks.tolerance import Match, compare_percent, compare_sum, places, tolerances
from core.model import Case, Field, Finding, Severity, SourceRef, union_bbox
from core.numbers import MONEY_UNITS, decimal_places, round_half_up
from core.scoring.presets import dec, grade_for, plain, q2
from core.scoring.selfeval import (
    EXEC_LABEL, LEVEL1_NAMES, Analysis, Row, analyse, cell_ref, level1_name, norm,
)

SHEET = "自评表"


# -- helpers -------------------------------------------------------------------------------------------------

def _f(d: Decimal | None) -> str:
    return "" if d is None else plain(d)


def _pages(refs: list[SourceRef]) -> str:
    pages = sorted({r.page for r in refs})
    if not pages:
        return SHEET
    return f"{SHEET}第{'、'.join(str(p) for p in pages)}页"


def _field_where(f: Field | None, default: str = SHEET) -> str:
    if f is None:
        return default
    form = f.form or default
    return f"{form}第{f.page}页"


def _rows_locations(rows: list[Row]) -> list[SourceRef]:
    """One box per page covering the given indicator rows (the table region a reviewer looks at).  The
    row lists are an analysis's own (all rows, or one 一级指标's), asked for again by every statement about
    them: the boxes are kept with the list's rows."""
    stamp = tuple(map(id, rows))
    hit = _ROW_BOXES.get(stamp)
    if hit is not None and all(a is b for a, b in zip(hit[0], rows)):
        return list(hit[1])
    by_page: dict[tuple[str, int], list] = defaultdict(list)
    for r in rows:
        by_page[(r.ind.source.doc, r.ind.source.page)].append(r.ind.source.bbox)
    boxes = [SourceRef(doc, page, union_bbox(boxes)) for (doc, page), boxes in sorted(by_page.items())]
    if len(_ROW_BOXES) > 64:
        _ROW_BOXES.clear()
    _ROW_BOXES[stamp] = (list(rows), boxes)
    return list(boxes)


_ROW_BOXES: dict[tuple, tuple[list[Row], list[SourceRef]]] = {}  # rows are held, so their ids stay theirs


def _locs(*fields: Field | None) -> list[SourceRef]:
    return [f.source for f in fields if f is not None]


def _rk(r: Row, column: str) -> str:
    return f"indicators.{r.row_id}.{column}"


def _name(r: Row) -> str:
    return f"“{r.ind.level3.strip() or r.ind.level2.strip() or r.level1}”"


# -- C11 ------------------------------------------------------------------------------------------------------

@check("selfeval.execution_rate", Severity.ERROR, "domain §5 C11")
def execution_rate(case: Case) -> list[Finding]:
    """自评表“年度资金总额”行的执行率 = 全年执行数 ÷ 全年预算数，按所填精度比较（差一个末位为尾数差异）。"""
    a = analyse(case)
    stated_f = a.fields["execution_rate"]
    annual_f, exec_f = a.fields["annual_budget"], a.fields["executed"]
    if stated_f is None or annual_f is None or exec_f is None:
        return []
    stated = stated_f.value
    annual, executed = annual_f.value, exec_f.value
    assert isinstance(stated, Decimal) and isinstance(annual, Decimal) and isinstance(executed, Decimal)
    keys = ["selfeval.funds.execution_rate", "selfeval.funds.executed", "selfeval.funds.annual_budget"]
    locs = _locs(stated_f, exec_f, annual_f)
    if annual == 0:
        return [Finding("selfeval.execution_rate", Severity.WARNING,
                        f"{_field_where(stated_f)}：全年预算数为0，执行率{_f(stated)}%无法核对",
                        keys, [stated, annual], locs)]
    exact = a.execution_rate_exact
    assert exact is not None
    match = compare_percent(stated, exact)
    if match is Match.EQUAL:
        return []
    shown = round_half_up(exact, max(2, decimal_places(stated)))
    sev = Severity.WARNING if match is Match.ROUNDING else Severity.ERROR
    tail = "（尾数差异）" if match is Match.ROUNDING else ""
    msg = (f"{_field_where(stated_f)}：执行率填报{_f(stated)}%，按全年执行数{_f(executed)}{exec_f.unit or '万元'}"
           f"÷全年预算数{_f(annual)}{annual_f.unit or '万元'}计算应为{_f(shown)}%{tail}")
    return [Finding("selfeval.execution_rate", sev, msg, keys, [stated, shown], locs)]


@check("selfeval.execution_score", Severity.ERROR, "domain §5 C11, §3.2")
def execution_score(case: Case) -> list[Finding]:
    """预算执行率得分 = min(执行率, 100%) × 分值，允许±0.05（得分常保留一位小数：8.823 → 8.8），且不得超过分值。"""
    a = analyse(case)
    score_f, weight_f = a.fields["exec_score"], a.fields["exec_weight"]
    if score_f is None or weight_f is None or a.execution_score is None:
        return []
    stated, weight = score_f.value, weight_f.value
    assert isinstance(stated, Decimal) and isinstance(weight, Decimal)
    keys = ["selfeval.funds.score", "selfeval.funds.weight"]
    locs = _locs(score_f, weight_f, a.fields["execution_rate"])
    out: list[Finding] = []
    if stated > weight:
        out.append(Finding("selfeval.execution_score", Severity.ERROR,
                           f"{_field_where(score_f)}：{EXEC_LABEL}得分{_f(stated)}分超过分值{_f(weight)}分",
                           keys + ["selfeval.funds.cap"], [stated, weight], locs))
    tol = tolerances().get("score", Decimal("0.05"))
    diff = abs(stated - a.execution_score)
    if diff > tol:
        rate = a.execution_rate if a.execution_rate is not None else a.value("execution_rate")
        out.append(Finding(
            "selfeval.execution_score", Severity.ERROR,
            f"{_field_where(score_f)}：{EXEC_LABEL}得分填报{_f(stated)}分，按min(执行率{_f(rate)}%，100%)×分值"
            f"{_f(weight)}分计算应为{_f(a.execution_score)}分（相差{_f(q2(diff))}分，允许±{_f(tol)}）",
            keys, [stated, a.execution_score], locs))
    return out


# -- C23 ------------------------------------------------------------------------------------------------------

def _breakdown(a: Analysis) -> str:
    parts = [f"{name}{_f(g.weight_sum)}分" for name, g in a.level1.items() if g.rows]
    w = a.value("exec_weight")
    if w is not None:
        parts.append(f"{EXEC_LABEL}{_f(w)}分")
    return "、".join(parts)


@check("selfeval.weights_sum_100", Severity.ERROR, "domain §5 C23, §3.2")
def weights_sum_100(case: Case) -> list[Finding]:
    """自评表全部绩效指标行的分值加预算执行率的分值合计应为100分；“总分”行所填分值也应等于该合计。"""
    a = analyse(case)
    if not a.rows:
        return []
    total_w_f, exec_w_f = a.fields["total_weight"], a.fields["exec_weight"]
    locs = _rows_locations(a.rows) + _locs(exec_w_f, total_w_f)
    where = _pages([r.ind.source for r in a.rows])
    out: list[Finding] = []
    hundred = Decimal(100)
    missing_exec = "（未填预算执行率分值）" if exec_w_f is None else ""
    if a.weight_sum != hundred:
        out.append(Finding(
            "selfeval.weights_sum_100", Severity.ERROR,
            f"{where}：分值合计{_f(a.weight_sum)}分，应为100分（{_breakdown(a)}）{missing_exec}",
            ["selfeval.total_weight"], [a.weight_sum, hundred], locs))
    stated = a.value("total_weight")
    if stated is not None and stated != a.weight_sum:
        out.append(Finding(
            "selfeval.weights_sum_100", Severity.ERROR,
            f"{_field_where(total_w_f)}：总分栏分值填{_f(stated)}分，而各项分值合计{_f(a.weight_sum)}分",
            ["selfeval.total_weight", "selfeval.total_weight.stated"], [stated, a.weight_sum], locs))
    return out


@check("selfeval.scores_sum", Severity.ERROR, "domain §5 C23")
def scores_sum(case: Case) -> list[Finding]:
    """自评表各绩效指标行得分加预算执行率得分的合计，应等于所填总分（绩效自评综合得分）。"""
    a = analyse(case)
    total_f = a.fields["total_score"]
    if total_f is None or (not a.rows and a.fields["exec_score"] is None):
        return []
    total = total_f.value
    assert isinstance(total, Decimal)
    diff = abs(a.stated_score_sum - total)
    if diff == 0:
        return []
    n = max(places(total), places(a.stated_score_sum), 2)  # scores to 0.01 at least (8.82 + 90 = 98.82)
    match = compare_sum(total, [a.stated_score_sum], printed_places=n)  # the one rounding rule
    sev = Severity.WARNING if match is Match.ROUNDING else Severity.ERROR
    rows_sum = a.stated_score_sum - (a.value("exec_score") or 0)
    detail = f"指标得分{_f(rows_sum)}分"
    if a.value("exec_score") is not None:
        detail += f"＋{EXEC_LABEL}得分{_f(a.value('exec_score'))}分"
    msg = (f"{_field_where(total_f)}：各项得分合计{_f(a.stated_score_sum)}分（{detail}），"
           f"与所填总分{_f(total)}分不符{'（尾数差异）' if match is Match.ROUNDING else ''}")
    locs = [total_f.source] + _rows_locations(a.rows) + _locs(a.fields["exec_score"])
    return [Finding("selfeval.scores_sum", sev, msg, ["selfeval.total_score"], [a.stated_score_sum, total], locs)]


# -- C24 ------------------------------------------------------------------------------------------------------

@check("selfeval.level1_weights", Severity.ERROR, "domain §5 C24")
def level1_weights(case: Case) -> list[Finding]:
    """自评表每个一级指标的小计（如“产出指标（40分）”）应等于其下各行分值之和；自评报告所称各一级指标
    “总分值为X分”“评价得分Y分”应与自评表一致；自评表有分值而报告未提及的一级指标提示核对。"""
    a = analyse(case)
    out: list[Finding] = []
    for name, g in a.level1.items():
        if g.stated_weight is None or not g.rows or g.stated_weight == g.weight_sum:
            continue
        locs = _locs(g.stated_weight_field) + _rows_locations(g.rows)
        label = f"{name}（{_f(g.stated_weight)}分）"
        out.append(Finding(
            "selfeval.level1_weights", Severity.ERROR,
            f"{_pages([r.ind.source for r in g.rows])}：“{label}”小计{_f(g.stated_weight)}分，"
            f"其下各行分值合计{_f(g.weight_sum)}分",
            [f"selfeval.level1_weight.{name}"], [g.stated_weight, g.weight_sum], locs))

    stated_in_report: set[str] = set()
    for kind, attr in (("weight", "总分值"), ("score", "评价得分")):
        for f in case.with_prefix(f"report.level1_{kind}."):
            if not isinstance(f.value, Decimal):
                continue
            name = level1_name(f.key.split(".", 2)[2])
            if kind == "weight":
                stated_in_report.add(name)
            g = a.level1.get(name)
            if g is None:
                if a.rows and kind == "weight" and f.value != 0:
                    out.append(Finding(
                        "selfeval.level1_weights", Severity.ERROR,
                        f"{_field_where(f, '自评报告')}称{name}{attr}为{_f(f.value)}分，自评表中没有{name}",
                        [f.key, f"selfeval.level1_weight.{name}"], [f.value, Decimal(0)],
                        [f.source] + _rows_locations(a.rows)))
                continue
            s_value = (g.stated_weight if g.stated_weight is not None else g.weight_sum) if kind == "weight" \
                else g.score_sum
            if f.value == s_value:
                continue
            locs = [f.source] + _locs(g.stated_weight_field) + _rows_locations(g.rows)
            out.append(Finding(
                "selfeval.level1_weights", Severity.ERROR,
                f"{_field_where(f, '自评报告')}称{name}{attr}为{_f(f.value)}分，"
                f"{_pages([r.ind.source for r in g.rows] or _locs(g.stated_weight_field))}为{_f(s_value)}分",
                [f.key, f"selfeval.level1_{kind}.{name}"], [f.value, s_value], locs))
    if stated_in_report:
        for name, g in a.level1.items():
            w = g.stated_weight if g.stated_weight is not None else g.weight_sum
            if name in stated_in_report or not w:
                continue
            out.append(Finding(
                "selfeval.level1_weights", Severity.WARNING,
                f"自评报告逐项说明了一级指标分值，但未提及{name}（{_pages([r.ind.source for r in g.rows])}为"
                f"{_f(w)}分）",
                [f"report.level1_weight.{name}", f"selfeval.level1_weight.{name}"], [None, w],
                _locs(g.stated_weight_field) + _rows_locations(g.rows)))
    return out


# -- C25 ------------------------------------------------------------------------------------------------------

@check("selfeval.score_le_weight", Severity.ERROR, "domain §5 C25")
def score_le_weight(case: Case) -> list[Finding]:
    """每个绩效指标的得分不得超过其分值，也不得为负。"""
    out = []
    for r in analyse(case).rows:
        if r.score is None:
            continue
        if r.weight is not None and r.score > r.weight:
            msg = f"{r.where()}：{_name(r)}得分{_f(r.score)}分，超过分值{_f(r.weight)}分"
            vals = [r.score, r.weight]
        elif r.score < 0:
            msg = f"{r.where()}：{_name(r)}得分{_f(r.score)}分为负数"
            vals = [r.score, Decimal(0)]
        else:
            continue
        out.append(Finding("selfeval.score_le_weight", Severity.ERROR, msg,
                           [_rk(r, "score"), _rk(r, "weight")], vals,
                           [cell_ref(r.ind, "score"), cell_ref(r.ind, "weight")]))
    return out


@check("selfeval.unmet_full_marks", Severity.WARNING, "domain §5 C25, §3.2 (财预〔2020〕10号)")
def unmet_full_marks(case: Case) -> list[Finding]:
    """实际完成值未达到年度指标值（按≥/≤方向）的定量指标不应得满分：按财预〔2020〕10号“未完成指标值的，
    按照完成值与指标值的比例记分”；未完成的指标还应填写偏差原因分析。"""
    tol = tolerances().get("score", Decimal("0.05"))
    out = []
    for r in analyse(case).rows:
        if r.met is not False or r.weight is None:
            continue
        t, act = r.ind.target.strip(), r.ind.actual.strip()
        no_reason = not norm(r.ind.deviation)
        reason = "，且未填写偏差原因分析" if no_reason else ""
        prop = r.proportional
        if r.score is not None and prop is not None and r.score > prop + tol:
            full = r.score >= r.weight
            what = f"却得满分{_f(r.score)}分" if full else f"却得{_f(r.score)}分"
            msg = (f"{r.where()}：{_name(r)}年度指标值{t}、实际完成值{act}，未完成指标值{what}；"
                   f"按完成比例应得{_f(prop)}分（{_ratio_text(r)}×{_f(r.weight)}）{reason}")
            out.append(Finding("selfeval.unmet_full_marks", Severity.WARNING, msg,
                               [_rk(r, "score"), _rk(r, "actual"), _rk(r, "target")],
                               [r.actual.value, r.target.value, r.score, prop],
                               [cell_ref(r.ind, c) for c in ("target", "actual", "score")]))
        elif no_reason:
            out.append(Finding("selfeval.unmet_full_marks", Severity.WARNING,
                               f"{r.where()}：{_name(r)}年度指标值{t}、实际完成值{act}，未完成指标值，"
                               f"但未填写偏差原因分析",
                               [_rk(r, "deviation")], [r.actual.value, r.target.value],
                               [cell_ref(r.ind, "deviation"), cell_ref(r.ind, "actual")]))
    return out


def _ratio_text(r: Row) -> str:
    t, a = _f(r.target.value), _f(r.actual.value)
    return f"{a}/{t}" if r.direction in (">=", ">") else f"{t}/{a}"


# -- C27 ------------------------------------------------------------------------------------------------------

@check("selfeval.grade", Severity.ERROR, "domain §5 C27, §3.2")
def grade(case: Case) -> list[Finding]:
    """评价等次应与总分相符：90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差。
    未填等次提示；等次所依据的总分本身不成立（分值合计不为100或得分合计与总分不符）时提示；按规则重算的
    总分落入另一等次时提示。"""
    a = analyse(case)
    total_f, grade_f = a.fields["total_score"], a.fields["grade"]
    if not a.rows and total_f is None and grade_f is None:
        return []
    bands = a.settings["grade_bands"]
    out: list[Finding] = []
    total = a.total
    expected = grade_for(total, bands)
    locs = _locs(grade_f, total_f)
    if a.grade is None:
        if total is None and not a.rows:
            return []
        basis = total if total is not None else a.recomputed_total
        g = grade_for(basis, bands)
        where = _field_where(total_f) if total_f is not None else _pages([r.ind.source for r in a.rows])
        what = f"总分{_f(basis)}分" if total is not None else f"各项得分重算合计{_f(basis)}分"
        out.append(Finding("selfeval.grade", Severity.WARNING,
                           f"{where}：未填评价等次；按{what}应为“{g}”",
                           ["selfeval.grade"], [None, g], locs or _rows_locations(a.rows)))
        return out
    if total is not None and expected is not None and a.grade != expected:
        out.append(Finding("selfeval.grade", Severity.ERROR,
                           f"{_field_where(grade_f)}：评价等次为“{a.grade}”，总分{_f(total)}分应为“{expected}”",
                           ["selfeval.grade", "selfeval.total_score"], [a.grade, expected], locs))
        return out
    problems = []
    if a.rows and a.weight_sum != 100:
        problems.append(f"分值合计为{_f(a.weight_sum)}分而非100分")
    if total is not None and a.rows and a.stated_score_sum != total:
        problems.append(f"各项得分合计{_f(a.stated_score_sum)}分与总分{_f(total)}分不符")
    if problems:
        out.append(Finding("selfeval.grade", Severity.WARNING,
                           f"{_field_where(grade_f)}：评价等次“{a.grade}”所依据的总分"
                           f"{_f(total) + '分' if total is not None else ''}不成立（{'；'.join(problems)}），"
                           f"等次有待重新核定",
                           ["selfeval.grade", "selfeval.total_weight"], [a.grade, total, a.weight_sum],
                           locs + _rows_locations(a.rows)))
        return out
    if a.rows:
        g = grade_for(a.recomputed_total, bands)
        if g != a.grade:
            out.append(Finding("selfeval.grade", Severity.WARNING,
                               f"{_field_where(grade_f)}：评价等次为“{a.grade}”，按规则重算各项得分合计"
                               f"{_f(a.recomputed_total)}分，应为“{g}”",
                               ["selfeval.grade", "selfeval.recomputed_total"], [a.grade, g], locs))
    return out


# -- C28 ------------------------------------------------------------------------------------------------------

@check("selfeval.indicator_sanity", Severity.WARNING, "domain §5 C28, §3.2")
def indicator_sanity(case: Case) -> list[Finding]:
    """绩效指标合理性：三级指标重复；指标归类的二级指标不当（如宣传知晓率列在生态效益下）；实际完成值
    远超指标值（≥3倍，指标值设定明显偏低，按10号应调减分值）；实际完成值按指标值的形式填写（“≥95%”
    “＞95”）或缺少单位；几乎全部定量指标的实际完成值与指标值完全相同（指标值系事后填写）；成本指标的
    指标值与实际完成值分毫不差（事后填写）。"""
    a = analyse(case)
    rows = a.rows
    out: list[Finding] = []
    cid, W = "selfeval.indicator_sanity", Severity.WARNING

    groups: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        k = norm(r.ind.level3)
        if k:
            groups[k].append(r)
    for rs in groups.values():
        if len(rs) < 2:
            continue
        places = "、".join(f"{r.ind.level2.strip() or r.level1}" for r in rs)
        out.append(Finding(cid, W,
                           f"{_pages([r.ind.source for r in rs])}：三级指标{_name(rs[0])}重复出现{len(rs)}次"
                           f"（{places}）",
                           [_rk(r, "level3") for r in rs],
                           [rs[0].ind.level3.strip()] + [r.actual.value for r in rs if r.actual.value is not None],
                           [cell_ref(r.ind, "level3") for r in rs]))

    for r in rows:
        why = _misclassified(r, a.settings.get("classification", []))
        if why:
            out.append(Finding(cid, W,
                               f"{r.where()}：{_name(r)}列在“{r.ind.level2.strip() or r.level1}”下，归类不当（{why}）",
                               [_rk(r, "level2")], [r.ind.level3.strip(), r.ind.level2.strip()],
                               [cell_ref(r.ind, "level3")]))

    for r in rows:
        if r.far_above is not None:
            out.append(Finding(cid, W,
                               f"{r.where()}：{_name(r)}年度指标值{r.ind.target.strip()}，实际完成值"
                               f"{r.ind.actual.strip()}，为指标值的{_f(q2(r.far_above))}倍，指标值设定明显偏低"
                               f"（财预〔2020〕10号：应按偏离度适度调减分值）",
                               [_rk(r, "actual"), _rk(r, "target")],
                               [r.target.value, r.actual.value, q2(r.far_above)],
                               [cell_ref(r.ind, "target"), cell_ref(r.ind, "actual")]))

    target_style = [r for r in rows if r.ind.actual.strip() and not r.measured]
    if target_style:
        items = []
        for r in target_style:
            unit = f"，且缺少单位（指标值单位为“{r.target.unit}”）" if r.unit_missing else ""
            items.append(f"{_name(r)}填为“{r.ind.actual.strip()}”{unit}")
        out.append(Finding(cid, W,
                           f"{_pages([r.ind.source for r in target_style])}：实际完成值按指标值的写法填写，"
                           f"不是实际完成的数值：{'；'.join(items)}",
                           [_rk(r, "actual") for r in target_style],
                           [v for r in target_style for v in (r.ind.actual.strip(), r.ind.target.strip())],
                           [cell_ref(r.ind, "actual") for r in target_style]))
    for r in rows:
        if r.measured and r.unit_missing:
            out.append(Finding(cid, W,
                               f"{r.where()}：{_name(r)}实际完成值“{r.ind.actual.strip()}”缺少单位"
                               f"（指标值为“{r.ind.target.strip()}”）",
                               [_rk(r, "actual")], [r.ind.actual.strip(), r.ind.target.strip()],
                               [cell_ref(r.ind, "actual")]))

    equal = [r for r in rows if r.quantitative and r.ratio == 1]
    quant = [r for r in rows if r.quantitative]
    share = dec(a.settings.get("posthoc_equal_share", "0.75"))
    min_rows = int(a.settings.get("posthoc_min_rows", 4))
    if len(quant) >= min_rows and Decimal(len(equal)) >= share * len(quant):
        examples = "、".join(f"{r.ind.target.strip()}/{r.ind.actual.strip()}" for r in equal[:8])
        more = "等" if len(equal) > 8 else ""
        out.append(Finding(cid, W,
                           f"{_pages([r.ind.source for r in equal])}：{len(quant)}项定量指标中有{len(equal)}项"
                           f"实际完成值与年度指标值完全相同（{examples}{more}），指标值可能是按完成情况事后填写",
                           ["selfeval.indicators.posthoc"],
                           [v for r in equal for v in (r.target.value, r.actual.value)], _rows_locations(equal)))

    for r in rows:
        if r.level1 == "成本指标" and r.quantitative and r.ratio == 1 and r.target.unit in MONEY_UNITS:
            out.append(Finding(cid, W,
                               f"{r.where()}：成本指标{_name(r)}年度指标值{r.ind.target.strip()}与实际完成值"
                               f"{r.ind.actual.strip()}分毫不差，指标值可能是按决算数事后填写",
                               [_rk(r, "target"), _rk(r, "actual")], [r.target.value, r.actual.value],
                               [cell_ref(r.ind, "target"), cell_ref(r.ind, "actual")]))
    return out


def _misclassified(r: Row, rules: list[dict]) -> str:
    text = norm(r.ind.level3)
    if not text:
        return ""
    for rule in rules:
        if "level2" in rule and rule["level2"] not in norm(r.ind.level2):
            continue
        if "level1" in rule and level1_name(rule["level1"]) != r.level1:
            continue
        suspects = [w for w in rule.get("suspect_any", []) if w in text]
        if not suspects:
            continue
        if any(w in text for w in rule.get("expect_any", [])):
            continue
        return rule.get("why", "")
    return ""


__all__ = [
    "execution_rate", "execution_score", "weights_sum_100", "scores_sum", "level1_weights",
    "score_le_weight", "unmet_full_marks", "grade", "indicator_sanity", "LEVEL1_NAMES",
]
