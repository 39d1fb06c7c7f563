"""Preset files and the piecewise scoring functions they describe (domain §2.2 (a)–(d))."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from core.resources import resource_path
from core.scoring import list_presets
from core.scoring.presets import (
    PresetError, apply_scoring, default_preset_id, get_preset, grade_for, selfeval_settings, validate_preset,
)


def test_every_shipped_preset_loads_and_validates():
    files = sorted(resource_path("presets").glob("*.json"))
    assert {f.stem for f in files} >= {"default", "hunan_a", "hunan_b", "hunan_c", "hunan_d"}
    for f in files:
        data = json.loads(f.read_text(encoding="utf-8"))
        validate_preset(data, f.stem)  # raises on a schema error


def test_list_presets_puts_the_default_first():
    presets = list_presets()
    assert presets[0][0] == default_preset_id() == "default"
    assert {p for p, _ in presets} >= {"hunan_a", "hunan_b", "hunan_c", "hunan_d"}
    assert all(name for _, name in presets)


def test_unknown_preset_names_the_known_ones():
    with pytest.raises(KeyError, match="hunan_a"):
        get_preset("no_such_preset")


def test_preset_weights_match_the_published_tables():
    w = {p: {r["id"]: r.get("weight") for r in get_preset(p)["rules"]} for p in ("hunan_a", "hunan_b", "hunan_c", "hunan_d")}
    assert w["hunan_a"] == {"staff_control_rate": "5", "sangong_change_rate": "8", "budget_completion_rate": "5"}
    assert w["hunan_c"]["staff_control_rate"] == "8" and w["hunan_c"]["budget_control_rate"] == "8"
    assert w["hunan_d"]["sangong_control_rate"] == "6" and w["hunan_d"]["budget_adjust_rate"] == "3"


def test_variants_b_and_c_compute_sangong_change_on_budgets_a_and_d_on_finals():
    def args(p):
        r = next(r for r in get_preset(p)["rules"] if r["id"] == "sangong_change_rate")
        return [r["inputs"][a][0] for a in r["compute"]["args"]]
    assert args("hunan_b") == args("hunan_c") == ["basic.sangong.budget", "basic.sangong.prev_budget"]
    assert args("hunan_a") == args("hunan_d") == ["basic.sangong.final", "basic.sangong.prev"]


def _rule(**over):
    r = {"id": "x", "name": "x", "formula": "a/b", "inputs": {"a": ["k.a"], "b": ["k.b"]},
         "compute": {"op": "ratio", "args": ["a", "b"]}, "weight": "5",
         "scoring": {"type": "threshold_deduct", "full_if": "<=100", "per_point": "0.5"}}
    r.update(over)
    return r


@pytest.mark.parametrize("bad", [
    {"weight": 5.0},                                            # float: refused, money rules are decimal strings
    {"compute": {"op": "product", "args": ["a", "b"]}},        # unknown op
    {"compute": {"op": "ratio", "args": ["a", "c"]}},          # argument that is not an input
    {"scoring": {"type": "curve"}},                            # unknown scoring type
    {"scoring": {"type": "bands", "bands": [["about 10", "4"]]}},
    {"scoring": {"type": "threshold_deduct", "full_if": "<=100"}},
])
def test_validate_preset_rejects_schema_errors(bad):
    with pytest.raises(PresetError):
        validate_preset({"id": "p", "name": "p", "rules": [_rule(**bad)]})


# -- threshold_deduct --------------------------------------------------------------------------------------

PER_POINT = {"type": "threshold_deduct", "full_if": "<=100", "per_point": "0.5"}


def test_threshold_full_marks_at_the_limit():
    assert apply_scoring(PER_POINT, D("100.00"), D("5"))[0] == D("5.00")
    assert apply_scoring(PER_POINT, D("95.10"), D("8"))[0] == D("8.00")


def test_threshold_deducts_per_point_over_the_limit():
    score, how = apply_scoring(PER_POINT, D("104.50"), D("5"))
    assert score == D("2.75")  # 4.5 points × 0.5
    assert "超过标准4.5个百分点" in how


def test_threshold_never_goes_below_zero():
    score, how = apply_scoring({"type": "threshold_deduct", "full_if": "<=0", "per_point": "0.8"}, D("98.31"), D("8"))
    assert score == D("0.00") and "扣完为止" in how


@pytest.mark.parametrize("steps,expected", [("floor", "1.00"), ("ceil", "-"), ("exact", "0.29")])
def test_threshold_step_rounding_for_every_5_percent_below(steps, expected):
    rule = {"type": "threshold_deduct", "full_if": ">=100", "per": "5", "deduct": "2", "steps": steps}
    score, _ = apply_scoring(rule, D("88.23"), D("5"))  # 11.77 points short
    assert score == (D("0.00") if expected == "-" else D(expected))  # ceil: 3 steps × 2 = 6 > 5


# -- bands ---------------------------------------------------------------------------------------------------

BANDS = {"type": "bands", "use_abs": True,
         "bands": [["=0", "5"], ["<=10", "4"], ["<=20", "3"], ["<=30", "2"], ["else", "0"]]}


@pytest.mark.parametrize("value,points", [
    ("0", "5"), ("0.01", "4"), ("10", "4"), ("10.01", "3"), ("30", "2"), ("121.62", "0"), ("-15", "3"),
])
def test_bands_include_the_upper_bound_and_use_abs(value, points):
    assert apply_scoring(BANDS, D(value), D("5"))[0] == D(points).quantize(D("0.01"))


def test_bands_can_compare_with_another_input():
    rule = {"type": "bands", "bands": [["=0", "3"], ["<=年初结转和结余", "2"], ["else", "0"]]}
    assert apply_scoring(rule, D("0"), D("3"), {"年初结转和结余": D("10")})[0] == D("3.00")
    assert apply_scoring(rule, D("8"), D("3"), {"年初结转和结余": D("10")})[0] == D("2.00")
    assert apply_scoring(rule, D("12"), D("3"), {"年初结转和结余": D("10")})[0] == D("0.00")
    score, how = apply_scoring(rule, D("12"), D("3"), {"年初结转和结余": None})
    assert score is None and "缺少数据" in how


def test_linear_cap_scores_in_proportion_up_to_full():
    rule = {"type": "linear_cap", "full_at": "100"}
    assert apply_scoring(rule, D("88"), D("5"))[0] == D("4.40")
    assert apply_scoring(rule, D("130"), D("5"))[0] == D("5.00")


def test_none_and_manual_give_no_score():
    assert apply_scoring({"type": "none"}, D("12"), None) == (None, "")
    assert apply_scoring({"type": "manual"}, D("12"), D("3"))[0] is None


# -- grades --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("total,grade", [
    ("100", "优"), ("90", "优"), ("89.99", "良"), ("80", "良"), ("79.9", "中"), ("60", "中"), ("59.99", "差"), ("0", "差"),
])
def test_grade_bands(total, grade):
    assert grade_for(D(total)) == grade


def test_grade_of_nothing_is_none():
    assert grade_for(None) is None


def test_selfeval_settings_come_from_default_json():
    s = selfeval_settings()
    assert s["far_above_factor"] == "3"
    assert any(rule.get("level2") == "生态效益" for rule in s["classification"])
