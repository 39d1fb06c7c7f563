"""The 共性指标 (common indicators) of a case, computed from the 基础数据表, the 决算 and the 自评表 and scored
by a preset (domain §2).

Why it exists: seeds 001 and 004 carry no 投入/过程 评分表 of their own, yet the reviewer must know what the
package is worth under the district's rules: 在职人员控制率, 三公经费变动率 / 控制率, 公用经费控制率,
预算调整率 (预算控制率), 预算完成率, 结转结余率, 政府采购执行率, 新建楼堂馆所面积控制率.  Which fields feed
which formula, and how a value turns into points, is data in ``resources/presets`` (see ``presets``); this
module only resolves inputs and applies it.

What it must not do: raise on a case with missing fields (an indicator without its inputs gets value None,
score None and a note "缺少数据：…"), or use float.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core.model import Case, Field
from core.numbers import MONEY_UNITS, to_wan
from core.scoring.presets import apply_scoring, dec, get_preset, grade_for, plain, q2, selfeval_settings


def _numeric_field(case: Case, key: str) -> Field | None:
    """First field with this key holding a number (a text cell such as "无" is no value)."""
    for f in case.all(key):
        if isinstance(f.value, Decimal):
            return f
    return None


def _as_wan(f: Field) -> Decimal:
    assert isinstance(f.value, Decimal)
    return to_wan(f.value, f.unit) if f.unit in MONEY_UNITS else f.value


Inputs = tuple[dict[str, Decimal | None], dict[str, Field], list[str]]


def resolve_inputs(case: Case, spec: dict[str, list]) -> Inputs:
    """Look up each named input.  Returns ``(values, fields, notes)``: values in 万元 for money (None when
    absent), the field used for each, and a note per stand-in used ("上年三公经费预算数缺失，以上年三公经费决算数代替")."""
    values: dict[str, Decimal | None] = {}
    used: dict[str, Field] = {}
    notes: list[str] = []
    for name, keys in spec.items():
        values[name] = None
        for entry in keys:
            key = entry if isinstance(entry, str) else entry["key"]
            f = _numeric_field(case, key)
            if f is None:
                continue
            values[name] = _as_wan(f)
            used[name] = f
            if isinstance(entry, dict) and entry.get("substitute"):
                notes.append(f"{name}缺失，以{entry['substitute']}代替")
            others = sorted({_as_wan(g) for g in case.all(key) if isinstance(g.value, Decimal)} - {values[name]})
            if others:
                shown = "、".join(plain(v) for v in [values[name], *others])
                notes.append(f"{name}在材料中有不同数值（{shown}），取第{f.page}页所填{plain(values[name])}")
            break
    return values, used, notes


def compute_value(op: str, args: list[str], values: dict[str, Decimal | None]) -> tuple[Decimal | None, str]:
    """The indicator value (percent for ratio/change, rounded half up to 0.01) and a note when undefined."""
    if op == "none":
        return None, ""
    missing = [a for a in args if values.get(a) is None]
    if missing:
        return None, "缺少数据：" + "、".join(missing)
    if op == "value":
        return values[args[0]], ""
    a, b = values[args[0]], values[args[1]]
    assert a is not None and b is not None
    if b == 0:
        return None, f"{args[1]}为0，比率无意义"
    if op == "ratio":
        return q2(a / b * 100), ""
    if op == "change":
        return q2((a - b) / b * 100), ""
    raise ValueError(op)


def score_rule(case: Case, rule: dict) -> dict[str, Any]:
    """One preset rule applied to the case: the item of ``score_indicators``."""
    values, used, notes = resolve_inputs(case, rule["inputs"])
    compute = rule["compute"]
    op = compute["op"]
    value, why = compute_value(op, compute.get("args", []), values)
    weight = dec(rule["weight"]) if rule.get("weight") is not None else None
    scoring = rule["scoring"]
    score: Decimal | None = None
    if why:
        notes.append(why)
    if scoring["type"] == "manual":
        notes.append("需人工评分：" + rule.get("scoring_text", "材料中无可计算的数据"))
    elif scoring["type"] == "none":
        if value is not None:
            notes.append("仅列示数值，不计分")
    elif value is not None:
        score, how = apply_scoring(scoring, value, weight, values)
        if how:
            notes.append(how)
    unit = "%" if op in ("ratio", "change") else ("万元" if any(
        f.unit in MONEY_UNITS for f in used.values()) else "")
    return {
        "id": rule["id"],
        "name": rule["name"],
        "level1": rule.get("level1", ""),
        "level2": rule.get("level2", ""),
        "formula": rule["formula"],
        "inputs": {k: v for k, v in values.items() if v is not None},
        "sources": {k: {"key": f.key, "field": f.id, "doc": f.doc, "page": f.page} for k, f in used.items()},
        "value": value,
        "unit": unit,
        "weight": weight,
        "score": score,
        "rule": scoring,
        "scoring_text": rule.get("scoring_text", ""),
        "note": "；".join(n for n in notes if n),
    }


def score_indicators(case: Case, preset_id: str | None = None) -> dict[str, Any]:
    """Compute and score every 共性指标 of the preset (None: the default preset of ``default.json``).

    ``total_weight`` is Σ分值 of the preset's scored rules; ``total_score`` Σ得分 of those that could be
    computed (``scored_weight`` their 分值); ``grade`` the 等次 of the 得分率 total_score / scored_weight,
    None when nothing could be scored.  The preset covers only the quantitative 共性指标, not a whole
    100-point 评分表, so the grade is indicative.
    """
    preset = get_preset(preset_id)
    items = [score_rule(case, r) for r in preset["rules"]]
    total_weight = sum((i["weight"] for i in items if i["weight"] is not None), Decimal(0))
    scored = [i for i in items if i["score"] is not None]
    total_score = sum((i["score"] for i in scored), Decimal(0))
    scored_weight = sum((i["weight"] for i in scored), Decimal(0))
    rate = q2(total_score / scored_weight * 100) if scored_weight else None
    bands = selfeval_settings(preset["id"])["grade_bands"]
    missing = [i["name"] for i in items if i["value"] is None and i["rule"]["type"] != "manual"]
    return {
        "preset": preset["id"],
        "preset_name": preset["name"],
        "source": preset.get("source", ""),
        "total_weight": total_weight,
        "total_score": q2(total_score),
        "scored_weight": scored_weight,
        "score_rate": rate,
        "grade": grade_for(rate, bands),
        "missing": missing,
        "note": ("以下指标缺少数据未计分：" + "、".join(missing)) if missing else "",
        "items": items,
    }


__all__ = ["score_indicators", "score_rule", "resolve_inputs", "compute_value"]
