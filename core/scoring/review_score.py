"""复核评分: the score the review proposes for each 自评表 indicator, with the rule that justifies it, and the
total under the cap preset the district picks (issue 20, part 3).

Why it exists: a reviewer does not only list problems, the review gives the department a 复核得分.  Each
indicator row gets a 复核完成值 (the 实际完成值 as printed or as corrected, or the reviewer's own), a 复核得分,
the 扣分 (自评得分 − 复核得分) and its 扣分比例 (扣分 ÷ 分值), and the 依据 of every change: a Chinese reason and
the id of the check or rule behind it.  The 预算执行率 row is re-scored the same way; the total is the sum,
rescaled to 100 points when the 分值 do not add up to 100, then capped by the cap preset
(``resources/review_caps.json``: the 一体化 系统 caps the total by the 预算执行率, or 不封顶).

Precision first.  A deduction is proposed only where the figures and a written rule fix its size:

- 未完成指标值 (a quantitative target missed): 财预〔2020〕10号 "按照完成值与指标值的比例记分" (as
  ``core.scoring.selfeval`` computes it; check ``selfeval.unmet_full_marks``), never above the 自评得分;
- 得分 > 分值: the 分值 (``selfeval.score_le_weight``); a negative 得分: 0;
- the 预算执行率 得分 off by more than the score tolerance: min(执行率, 100%) × 分值 with the 执行率 recomputed
  from 全年执行数 ÷ 全年预算数 (``selfeval.execution_rate`` / ``selfeval.execution_score``);
- an indicator-quality rule whose data says how much its 复核口径 deducts (``deduction_ratio`` of the 分值 in
  ``resources/indicator_rules.json``), cited by its rule id.

Anything that needs judgement — a target set far too low ("按偏离度适度调减": by how much is not written), an
actual written as a target ("≥95%"), a missing unit, a duplicated or misfiled indicator, a target written
after the fact, any other finding on the row — proposes no deduction and is flagged "需复核人判断" with its
reason and rule.  A reviewer's own 复核完成值 / 复核得分 (entered in the window with a reason, kept in the
correction log by ``core.review.session``; live in ``case.extra["review_overrides"]``) wins over the
proposal: the row is re-proposed from the reviewer's 复核完成值, and a reviewer's 复核得分 replaces the
proposed one, marked ``"score_source": "reviewer"`` with the reviewer's reason as its 依据.

``attach_review_scores`` (called by ``core.pipeline.recheck`` after the checks and scores) stores the result
in ``case.scores["review"]``; the case JSON carries it there and, written from that one object, as its
top-level ``"review_scores"`` (documented in docs/fields-extended.md).

What it must not do: import Qt, use float, raise on a partial sheet, or deduct where no rule says how much.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from decimal import Decimal
from functools import lru_cache
from typing import Any

from core.model import Case, Finding
from core.resources import resource_path
from core.scoring.presets import compare, dec, grade_for, parse_condition, plain, q2
from core.scoring.selfeval import EXEC_LABEL, analyse, analyse_row

CAPS_FILE = "review_caps.json"
NO_CAP = "none"
OVERRIDES_KEY = "review_overrides"
"""``case.extra[OVERRIDES_KEY]``: the reviewer's values in force, by cell id ("i3.review_score") →
``{"value", "raw", "reason"}``.  Written only by ``core.review.session`` (it replays them from the log)."""
REVIEW_COLUMNS: dict[str, str] = {"review_actual": "复核完成值", "review_score": "复核得分"}
"""The reviewer's cells of an indicator row (cell id ``"<indicator id>.<column>"``)."""
JUDGEMENT = "需复核人判断"
SCORE_TOLERANCE = Decimal("0.05")  # as resources/tolerances.json "score": 8.823 printed as 8.8 is no deduction

_HANDLED_CHECKS = {"selfeval.unmet_full_marks", "selfeval.score_le_weight"}
_RULE_ID = re.compile(r"\b([A-Z]{1,4}-\d{1,3})\b")


class CapsError(ValueError):
    """``review_caps.json`` does not follow its schema (a packaging bug, not bad input)."""


# -- cap presets -----------------------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _caps_file() -> dict:
    data = json.loads(resource_path(CAPS_FILE).read_text(encoding="utf-8"))
    for p in data.get("presets", []):
        validate_caps(p)
    return data


def validate_caps(p: dict) -> None:
    """Raise ``CapsError`` unless ``p`` is a cap preset: id, name, basis (None or "execution_rate"), bands of
    ``[condition, cap or None]`` with "else" only last."""
    if not p.get("id") or not p.get("name"):
        raise CapsError(f"cap preset without id or name: {p!r}")
    if p.get("basis") not in (None, "execution_rate"):
        raise CapsError(f"{p['id']}: unknown basis {p.get('basis')!r}")
    bands = p.get("bands") or []
    if bands and not p.get("basis"):
        raise CapsError(f"{p['id']}: bands without a basis")
    for n, band in enumerate(bands):
        cond, cap = band
        if cond == "else":
            if n != len(bands) - 1:
                raise CapsError(f"{p['id']}: 'else' must be the last band")
        else:
            try:
                parse_condition(cond)
            except ValueError as e:
                raise CapsError(f"{p['id']}: {e}") from e
        if cap is not None:
            dec(cap)


def list_caps() -> list[tuple[str, str]]:
    """``[(id, name)]`` of every cap preset, the default first."""
    data = _caps_file()
    first = default_caps_id()
    items = [(p["id"], p["name"]) for p in data.get("presets", [])]
    return sorted(items, key=lambda t: t[0] != first)


def default_caps_id() -> str:
    return str(_caps_file().get("default") or NO_CAP)


def get_caps(caps_id: str | None = None) -> dict:
    """The cap preset ``caps_id`` (None: the default).  Raises ``KeyError`` with a Chinese message naming the
    known ids."""
    cid = caps_id or default_caps_id()
    for p in _caps_file().get("presets", []):
        if p["id"] == cid:
            return p
    known = "、".join(i for i, _ in list_caps())
    raise KeyError(f"未知的封顶方案“{cid}”；可选：{known}")


def cap_for(preset: dict, value: Decimal | None) -> tuple[Decimal | None, str]:
    """The total's cap under ``preset`` for the basis ``value``: ``(cap or None, the band's condition)``.
    No basis figure, or a band with cap null: no cap."""
    if not preset.get("bands") or value is None:
        return None, ""
    for cond, cap in preset["bands"]:
        if cond == "else" or compare(value, *_cond(cond)):
            return (dec(cap) if cap is not None else None), cond
    return None, ""


def _cond(cond: str) -> tuple[str, Decimal]:
    op, rhs = parse_condition(cond)
    return op, dec(rhs)


def set_caps_preset(case: Case, caps_id: str | None) -> None:
    """Use the cap preset ``caps_id`` for this case's 复核评分 from the next re-check on, whatever the district
    profile says (None: forget that choice, the profile's or the default applies again).  Raises ``KeyError``
    for an unknown id."""
    if caps_id is None:
        case.__dict__.pop("_caps_preset", None)
        return
    get_caps(caps_id)
    case.__dict__["_caps_preset"] = caps_id


def caps_preset_of(case: Case) -> str | None:
    """The cap preset of ``case``: the one ``set_caps_preset`` chose, else the district profile's
    ``caps_preset`` (``core.district.apply_profile`` puts the profile into the case), else None (the default)."""
    if "_caps_preset" in case.__dict__:
        return case.__dict__["_caps_preset"]
    from core.district import case_profile  # (imported here: core.district → core.review → this module)

    return case_profile(case).caps_preset


def _band_words(cond: str) -> str:
    if cond == "else":
        return "低于以上各档"
    op, rhs = parse_condition(cond)
    words = {">=": "不低于", ">": "高于", "<=": "不高于", "<": "低于", "=": "等于"}[op]
    return f"{words}{rhs}%"


# -- overrides -------------------------------------------------------------------------------------------------

def overrides(case: Case) -> dict[str, dict[str, Any]]:
    got = case.extra.get(OVERRIDES_KEY)
    return got if isinstance(got, dict) else {}


# -- the proposal ----------------------------------------------------------------------------------------------

def _basis(text: str, rule: str = "", *, judgement: bool = False) -> dict[str, Any]:
    return {"text": text, "rule": rule, "judgement": judgement}


def _basis_text(items: list[dict[str, Any]]) -> str:
    parts = []
    for b in items:
        t = b["text"]
        if b.get("rule"):
            t += f"〔{b['rule']}〕"
        if b.get("judgement"):
            t = f"{JUDGEMENT}：{t}"
        parts.append(t)
    return "；".join(parts)


def _rows_findings(case: Case) -> dict[str, list[Finding]]:
    """Findings by the indicator id they name (keys "indicators.i3.actual")."""
    out: dict[str, list[Finding]] = {}
    for f in case.findings:
        ids = {k.split(".")[1] for k in f.keys if k.startswith("indicators.") and k.count(".") >= 2}
        for i in ids:
            out.setdefault(i, []).append(f)
    return out


def _indicator_rules() -> dict[str, dict]:
    """The indicator-quality rules by id (``core.checks.indicator_quality.rules``, the one reader of
    ``resources/indicator_rules.json``): only their ``deduction_ratio`` (a share of the 分值 the 复核口径 deducts)
    and ``name`` are used here."""
    from core.checks.indicator_quality import rules

    return rules()


def _rule_of(f: Finding) -> str:
    """The indicator rule behind a finding: its check id when that is a rule of ``indicator_rules.json``
    (their ids are the checks' ids), else a rule id such as "IQ-03" named in the check id or the message."""
    if f.check in _indicator_rules():
        return f.check
    m = _RULE_ID.search(f.check) or _RULE_ID.search(f.message)
    return m.group(1) if m else ""


def _short(message: str) -> str:
    """A finding's message without its leading place ("自评表第9页：")."""
    head, sep, rest = message.partition("：")
    return rest if sep and len(head) <= 16 and ("页" in head or "表" in head) else message


def _row_proposal(analysed: Any, settings: dict, findings: list[Finding],
                  ovr: dict[str, dict[str, Any]], tol: Decimal) -> dict[str, Any]:
    """``analysed``: the row as the 自评表's analysis read it (``core.scoring.selfeval.Row``)."""
    r, rid, ind = analysed, analysed.row_id, analysed.ind
    actual_ovr = ovr.get(f"{rid}.review_actual")
    score_ovr = ovr.get(f"{rid}.review_score")
    review_actual = printed_actual = ind.actual
    if actual_ovr is not None and actual_ovr.get("value") not in (None, ""):
        review_actual = str(actual_ovr["value"])
        ind = replace(ind, actual=review_actual)  # re-propose from the reviewer's 复核完成值
        r = analyse_row(rid, ind, settings)
    w, s = r.weight, r.score
    basis: list[dict[str, Any]] = []
    judgement = False
    proposed = s

    if actual_ovr is not None and actual_ovr.get("value") not in (None, ""):
        why = actual_ovr.get("reason") or "未说明理由"
        basis.append(_basis(f"复核完成值由复核人改为“{review_actual}”（{why}）", "复核人修改"))

    if w is None:
        basis.append(_basis("分值空白，无法按规则评分", "", judgement=True))
        judgement = True
    elif s is None:
        if r.met is False and r.recomputed is not None:
            proposed = r.recomputed
            basis.append(_basis(f"自评得分空白；未完成指标值，按完成值与指标值的比例记分为{plain(proposed)}分",
                                "财预〔2020〕10号第十七条"))
        elif r.met is True and r.quantitative:
            proposed = q2(w)
            basis.append(_basis("自评得分空白；已完成指标值，记该指标全部分值", "财预〔2020〕10号第十七条"))
        else:
            basis.append(_basis("自评得分空白，无可依据的计分规则", "", judgement=True))
            judgement = True
    else:
        if s > w:
            proposed = q2(w)
            basis.append(_basis(f"自评得分{plain(s)}分超过分值{plain(w)}分，以分值为限", "selfeval.score_le_weight"))
        elif s < 0:
            proposed = Decimal("0.00")
            basis.append(_basis(f"自评得分{plain(s)}分为负数，按0分计", "selfeval.score_le_weight"))
        if r.met is False:
            prop = r.proportional
            if prop is None:
                basis.append(_basis("未完成指标值，但无法按比例计算得分", "selfeval.unmet_full_marks",
                                    judgement=True))
                judgement = True
            elif proposed is not None and prop < proposed - tol:
                t, a = plain(r.target.value), plain(r.actual.value)  # type: ignore[arg-type]
                ratio = f"{a}/{t}" if r.direction in (">=", ">") else f"{t}/{a}"
                proposed = prop
                basis.append(_basis(f"未完成指标值（指标值{ind.target.strip()}，实际完成值{review_actual.strip()}），"
                                    f"按完成值与指标值的比例记分：{ratio}×{plain(w)} = {plain(prop)}分",
                                    "selfeval.unmet_full_marks；财预〔2020〕10号第十七条"))
            elif proposed is not None and prop < proposed:
                basis.append(_basis(f"按比例记分{plain(prop)}分，与自评得分相差不超过{plain(tol)}分，不调整",
                                    "selfeval.unmet_full_marks"))

    # what needs judgement: the row's own signs, then the findings on the row
    if r.far_above is not None:
        basis.append(_basis(f"实际完成值为指标值的{plain(q2(r.far_above))}倍，指标值设定明显偏低；"
                            "财预〔2020〕10号要求按偏离度适度调减分值，调减幅度未规定",
                            "selfeval.indicator_sanity", judgement=True))
        judgement = True
    if review_actual.strip() and not r.measured:
        basis.append(_basis(f"实际完成值“{review_actual.strip()}”按指标值的写法填写，不是实际完成的数值，"
                            "无法判断是否完成", "selfeval.indicator_sanity", judgement=True))
        judgement = True
    elif r.unit_missing:
        basis.append(_basis(f"实际完成值缺少单位（指标值单位为“{r.target.unit}”）",
                            "selfeval.indicator_sanity", judgement=True))
        judgement = True
    rules = _indicator_rules()
    seen: set[str] = set()
    for f in findings:
        if f.check in _HANDLED_CHECKS:
            continue
        if f.check == "selfeval.indicator_sanity":
            keys = set(f.keys)
            own = {f"indicators.{rid}.level3", f"indicators.{rid}.level2"}
            posthoc = f"indicators.{rid}.target" in keys and r.far_above is None
            if not (keys & own or posthoc):
                continue  # far above / written as a target / no unit: said above, row by row
        rule_id = _rule_of(f)
        rule = rules.get(rule_id, {}) if rule_id else {}
        # an indicator rule is named by its rule (the whole message is in the 问题清单); other findings in full
        text = f"{rule['name']}（详见问题清单）" if rule.get("name") else _short(f.message)
        if text in seen:
            continue
        seen.add(text)
        ratio = rule.get("deduction_ratio")
        cite = f"{f.check}" + (f"（{rule_id}）" if rule_id and rule_id not in f.check else "")
        if ratio is not None and w is not None and proposed is not None:
            cut = q2(dec(ratio) * w)
            new = max(Decimal("0.00"), proposed - cut)
            basis.append(_basis(f"{text}；按复核口径扣分值的{plain(dec(ratio) * 100)}%，即{plain(cut)}分",
                                cite))
            proposed = q2(new)
        else:
            basis.append(_basis(text, cite, judgement=True))
            judgement = True

    review = proposed
    source = "proposal"
    if score_ovr is not None and isinstance(score_ovr.get("value"), Decimal):
        review = score_ovr["value"]
        source = "reviewer"
        basis.insert(0, _basis(f"复核得分由复核人定为{plain(review)}分（{score_ovr.get('reason') or '未说明理由'}）",
                               "复核人修改"))
    deduction = q2(s - review) if s is not None and review is not None else None
    if not basis:
        basis.append(_basis("未发现需调整的问题，按自评得分", ""))
    return {
        "indicator_id": rid,
        "level1": r.level1,
        "level2": ind.level2,
        "level3": ind.level3,
        "target": ind.target,
        "actual": printed_actual,
        "weight": w,
        "self_score": s,
        "review_actual": review_actual,
        "review_actual_source": "reviewer" if actual_ovr is not None and actual_ovr.get("value") not in (None, "")
        else "sheet",
        "proposed_score": proposed,
        "review_score": review,
        "score_source": source,
        "deduction": deduction,
        "deduction_ratio": q2(deduction / w * 100) if deduction is not None and w else None,
        "needs_judgement": judgement and source != "reviewer",
        "basis": basis,
        "basis_text": _basis_text(basis),
    }


def _execution_row(a: Any, tol: Decimal) -> dict[str, Any] | None:
    w, stated_rate, stated = a.value("exec_weight"), a.value("execution_rate"), a.value("exec_score")
    rate, recomputed = a.execution_rate, a.execution_score
    if w is None and stated is None and rate is None:
        return None
    basis: list[dict[str, Any]] = []
    proposed = stated
    judgement = False
    if recomputed is not None and (stated is None or abs(recomputed - stated) > tol):
        proposed = recomputed
        rule = "selfeval.execution_score"
        words = f"执行率按全年执行数÷全年预算数为{plain(rate)}%" if rate is not None else "执行率"
        if stated_rate is not None and rate is not None and q2(stated_rate) != rate:
            words += f"（表列{plain(stated_rate)}%）"
            rule = "selfeval.execution_rate；selfeval.execution_score"
        basis.append(_basis(f"{words}，得分 = min(执行率, 100%) × 分值{plain(w)} = {plain(recomputed)}分", rule))
    elif stated is not None and w is not None and stated > w:
        proposed = q2(w)
        basis.append(_basis(f"自评得分{plain(stated)}分超过分值{plain(w)}分，以分值为限", "selfeval.execution_score"))
    elif recomputed is None and stated is None:
        basis.append(_basis("执行率或分值缺失，无法评分", "", judgement=True))
        judgement = True
    if not basis:
        basis.append(_basis("得分与 min(执行率, 100%) × 分值相符，按自评得分", ""))
    deduction = q2(stated - proposed) if stated is not None and proposed is not None else None
    return {
        "indicator_id": "execution", "level1": EXEC_LABEL, "level2": "", "level3": EXEC_LABEL,
        "target": "", "actual": f"{plain(rate)}%" if rate is not None else "",
        "weight": w, "self_score": stated, "review_actual": f"{plain(rate)}%" if rate is not None else "",
        "review_actual_source": "sheet", "proposed_score": proposed, "review_score": proposed,
        "score_source": "proposal", "deduction": deduction,
        "deduction_ratio": q2(deduction / w * 100) if deduction is not None and w else None,
        "needs_judgement": judgement, "basis": basis, "basis_text": _basis_text(basis),
    }


def _cap_basis(a: Any) -> tuple[Decimal | None, str]:
    """The 预算执行率 the caps read: the 自评表's 全年执行数 ÷ 全年预算数 (two decimals), else its printed 执行率."""
    if a.execution_rate is not None:
        return a.execution_rate, "自评表“年度资金总额”行：全年执行数÷全年预算数"
    stated = a.value("execution_rate")
    if stated is not None:
        return stated, "自评表所填执行率"
    return None, ""


def score_review(case: Case, preset_id: str | None = None, caps_id: str | None = None) -> dict[str, Any]:
    """The 复核评分 of ``case`` (see the module docstring): ``{"rows": [...], "execution": {...} | None,
    "self_total", "self_grade", "weight_sum", "raw_total", "rescaled_total", "uncapped_total", "caps":
    {"id", "name", "source", "basis", "basis_value", "basis_source", "band", "cap", "applied", "text"},
    "total", "grade", "deduction_total", "main_deductions": [{"indicator_id", "name", "deduction", "basis"}],
    "needs_judgement": [names], "reviewer_rows": [ids], "common": [...]}``."""
    a = analyse(case, preset_id)
    settings = a.settings
    bands = settings["grade_bands"]
    tol = score_tolerance()
    ovr = overrides(case)
    by_row = _rows_findings(case)

    rows = [_row_proposal(r, settings, by_row.get(r.row_id, []), ovr, tol) for r in a.rows]
    execution = _execution_row(a, tol)
    all_rows = rows + ([execution] if execution else [])

    weight_sum = sum((r["weight"] for r in all_rows if r["weight"] is not None), Decimal(0))
    raw = q2(sum((r["review_score"] for r in all_rows if r["review_score"] is not None), Decimal(0)))
    self_total = a.total if a.total is not None else (a.stated_score_sum if a.has_sheet else None)
    rescaled = q2(raw * 100 / weight_sum) if weight_sum and weight_sum != 100 else None
    uncapped = rescaled if rescaled is not None else raw

    wanted = caps_id if caps_id is not None else caps_preset_of(case)
    unknown = ""
    try:
        caps = get_caps(wanted)
    except KeyError:
        caps = get_caps(None)
        unknown = f"（地区设置的封顶方案“{wanted}”不存在，按默认方案）"
    basis_value, basis_source = _cap_basis(a) if caps.get("basis") else (None, "")
    cap, band = cap_for(caps, basis_value)
    applied = cap is not None and uncapped > cap
    total = cap if applied else uncapped
    if not caps.get("bands"):
        cap_text = "不封顶"
    elif basis_value is None:
        cap_text = f"{caps['name']}：缺少预算执行率，未封顶"
    elif cap is None:
        cap_text = f"{caps['name']}：预算执行率{plain(basis_value)}%（{basis_source}），{_band_words(band)}，不封顶"
    else:
        cap_text = (f"{caps['name']}：预算执行率{plain(basis_value)}%（{basis_source}），{_band_words(band)}，"
                    f"总分最高{plain(cap)}分" + ("，已封顶" if applied else "，未超过上限"))

    total_basis = ""
    if rescaled is not None:
        total_basis = (f"自评表各项分值合计{plain(weight_sum)}分，不是100分；各项复核得分合计{plain(raw)}分，"
                       f"按100分折算为{plain(rescaled)}分〔selfeval.weights_sum_100〕")
    cap_text += unknown
    main = sorted((r for r in all_rows if r["deduction"] is not None and r["deduction"] > 0),
                  key=lambda r: -r["deduction"])
    has_sheet = a.has_sheet
    grade_printed = a.grade
    return {
        "preset": preset_id,
        "rows": rows,
        "execution": execution,
        "self_total": self_total,
        "self_grade": grade_printed or grade_for(self_total, bands),
        "self_grade_printed": grade_printed is not None,
        "weight_sum": weight_sum if has_sheet else None,
        "raw_total": raw if has_sheet else None,
        "rescaled_total": rescaled if has_sheet else None,
        "uncapped_total": uncapped if has_sheet else None,
        "total_basis": total_basis,
        "caps": {
            "id": caps["id"], "name": caps["name"], "source": caps.get("source", ""),
            "basis": caps.get("basis"), "basis_value": basis_value, "basis_source": basis_source,
            "band": band, "cap": cap, "applied": applied, "text": cap_text,
        },
        "total": total if has_sheet else None,
        "grade": grade_for(total, bands) if has_sheet else None,
        "deduction_total": q2(self_total - total) if has_sheet and self_total is not None else None,
        "main_deductions": [
            {"indicator_id": r["indicator_id"], "name": r["level3"] or r["level2"] or r["level1"],
             "deduction": r["deduction"], "basis": r["basis_text"]} for r in main],
        "needs_judgement": [r["level3"] or r["level2"] for r in all_rows if r["needs_judgement"]],
        "reviewer_rows": [r["indicator_id"] for r in rows if r["score_source"] == "reviewer"
                          or r["review_actual_source"] == "reviewer"],
        "common": _common(case),
    }


def _common(case: Case) -> list[dict[str, Any]]:
    """The 共性指标 as the preset scores them (no 自评得分 to compare: no package prints that 评分表)."""
    node = case.scores.get("indicators") if isinstance(case.scores, dict) else None
    items = node.get("items") if isinstance(node, dict) else None
    out = []
    for i in items or []:
        out.append({"id": i.get("id"), "name": i.get("name"), "value": i.get("value"), "unit": i.get("unit"),
                    "weight": i.get("weight"), "review_score": i.get("score"),
                    "basis_text": "；".join(t for t in (i.get("scoring_text"), i.get("note")) if t)})
    return out


def score_tolerance() -> Decimal:
    """The score tolerance of ``resources/tolerances.json`` ("score"; ``core.checks.tolerance.tolerances``), or
    ``SCORE_TOLERANCE`` when the file gives none: how far a printed score may be from the recomputed one."""
    try:
        from core.checks.tolerance import tolerances

        return tolerances().get("score", SCORE_TOLERANCE)
    except (OSError, ValueError, KeyError, AttributeError):  # no usable tolerances file in an odd build
        return SCORE_TOLERANCE


def attach_review_scores(case: Case, preset_id: str | None = None) -> dict[str, Any]:
    """Compute the 复核评分 and store it in ``case.scores["review"]``, its one place (``Case.to_json`` also
    writes it as the case JSON's top-level ``"review_scores"``).  ``case.scores`` is replaced by a new dict
    when the review changed, so a review session sees ``scores_did_change``, and left as it is otherwise.
    Returns the review."""
    review = score_review(case, preset_id)
    scores = case.scores if isinstance(case.scores, dict) else {}
    if scores.get("review") != review:
        case.scores = {**scores, "review": review}
    return case.scores["review"]


__all__ = [
    "JUDGEMENT",
    "OVERRIDES_KEY",
    "REVIEW_COLUMNS",
    "attach_review_scores",
    "cap_for",
    "default_caps_id",
    "get_caps",
    "list_caps",
    "score_review",
    "set_caps_preset",
]
