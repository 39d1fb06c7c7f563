"""The indicator rules on whole packages read from their PDFs: each rule fires on ``indicator_rules_2024`` (built
to break every one, its findings listed under ``injected`` by rule id), none fires on the packages whose
indicators are sound, and on the two seed 自评表 they fire only where domain.md §6 (or the sheet itself) shows
the problem is really there.  A rule the district switches off gives nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.checks.indicator_quality import RULE_CHECKS
from core.district import DistrictProfile
from core.pipeline import extract_case, recheck

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
BROKEN = PACKAGES / "indicator_rules_2024"
SOUND = ("national_clean_2024", "national_injected_2024", "phrased_clean_2024", "phrased_injected_2024",
         "split_files_2024", "variant_caizheng_2024", "variant_clean_2024", "variant_injected_2024",
         "variant_xuanchuan_2023", "lingling_2024")
# the seeds' real indicator problems: (rule, indicator named in the finding)
SEEDS = {
    "tianyuan_2024": {
        # 满意度 实际完成值 "≥95%" (§6.2 #17): a target, not a survey result; no survey in the report
        ("indicator.satisfaction_no_survey", "干部满意度"), ("indicator.satisfaction_no_survey", "人才满意度"),
        ("indicator.satisfaction_no_survey", "党员满意度"), ("indicator.satisfaction_no_survey", "离退休干部满意度"),
        # 效益 rows "好/好" scored 9 of 10 with the 偏差原因 column empty
        ("indicator.deduction_unexplained", "发放各类人才补贴增强企业竞争力情况"),
        ("indicator.deduction_unexplained", "部内全年工作情况"),
        # ≥50人次 → 179人次 (358%) and ≥5场 → 8场 (160%), both full marks
        ("indicator.deviation_full_marks", "公务员职级晋升人数"), ("indicator.deviation_full_marks", "组织培训次数"),
    },
    "yunxi_2024": {
        ("indicator.satisfaction_no_survey", "满意度"),  # "＞95" (§6.3 #9), no survey anywhere
        ("indicator.benefit_no_method", "组织工作宣传覆盖率"),  # ≥95% / 95%, no method
        ("indicator.benefit_no_method", "群众知晓率"),  # ≥98% / 98%, no survey behind a 知晓率
        ("indicator.all_full_marks", "全部15项"),  # every row and the 执行率 full (§6.3 #1, #9)
        ("indicator.deviation_full_marks", "人才培训"),  # ≥1000 → 15000 (§6.3 #9)
    },
}

_cases: dict[str, object] = {}


def _case(name: str):
    if name not in _cases:
        _cases[name] = extract_case(sorted((PACKAGES / name).glob("*.pdf")))
    return _cases[name]


def _ours(case) -> list:
    return [f for f in case.findings if f.check in RULE_CHECKS]


def test_every_rule_fires_on_the_package_built_to_break_it():
    expected = json.loads((BROKEN / "expected.json").read_text("utf-8"))["injected"]
    assert {e["check_family"] for e in expected} == set(RULE_CHECKS)
    found = _ours(_case(BROKEN.name))
    for e in expected:
        hits = [f for f in found if f.check == e["check_family"] and all(v in f.message for v in e["values"])]
        assert len(hits) == 1, (e["check_family"], [f.message for f in found if f.check == e["check_family"]])
        f = hits[0]
        doc = _case(BROKEN.name).documents[0]
        assert all(loc.doc == doc.id and loc.page in doc.kinds["自评表"] for loc in f.locations)
        for loc in e["locations"]:
            assert loc["page"] in {x.page for x in f.locations}
    assert len(found) == len(expected)  # and nothing else


@pytest.mark.parametrize("name", SOUND)
def test_no_rule_fires_on_sound_indicators(name):
    assert [f.message for f in _ours(_case(name))] == []


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_on_the_seeds_only_their_real_problems(name):
    found = _ours(_case(name))
    got = {(f.check, ind) for f in found for check, ind in SEEDS[name] if f.check == check and ind in f.message}
    assert got == SEEDS[name]
    assert len(found) == len(SEEDS[name]), [f.message for f in found]


def test_a_rule_switched_off_by_the_district_does_not_fire():
    case = extract_case(sorted(BROKEN.glob("*.pdf")))
    off = {"indicator.all_full_marks", "indicator.satisfaction_no_survey"}
    case.extra["district"] = DistrictProfile(frozenset(off)).to_json()
    recheck(case)
    assert {f.check for f in _ours(case)} == set(RULE_CHECKS) - off
    case.extra["district"] = DistrictProfile().to_json()
    recheck(case)
    assert {f.check for f in _ours(case)} == set(RULE_CHECKS)
