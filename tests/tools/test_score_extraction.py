"""The extraction score (tools/evaluation.py, printed by tools/score_extraction.py) counts figures filed under
a wrong key, not only figures found (issue 13, item 4)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tools.evaluation import score_case
from core.pipeline import extract_case

ROOT = Path(__file__).resolve().parents[2]
PKG = ROOT / "tests" / "data" / "packages" / "national_clean_2024"


def _case():
    expected = json.loads((PKG / "expected.json").read_text(encoding="utf-8"))
    return extract_case([PKG / d["file"] for d in expected["documents"]]), expected


def test_a_figure_under_another_key_is_counted_as_misfiled_or_doubled():
    case, expected = _case()
    base = score_case(case, expected, keys_prefix=("accounts.",))
    assert base.misfiled == 0 and base.doubled == 0 and base.field_precision == 1.0
    f = case.first("accounts.t03.basic")
    f.key = "accounts.t03.project"  # read at its place, with its value, filed under the wrong key
    moved = score_case(case, expected, keys_prefix=("accounts.",))
    assert moved.fields_found == base.fields_found - 1
    assert moved.misfiled == 1 and moved.wrong_key[0][1]["key"] == "accounts.t03.basic"
    assert moved.field_precision < 1.0
    case.fields.append(type(f)(**{**f.__dict__, "key": "accounts.t03.basic"}))  # and under the right key too
    both = score_case(case, expected, keys_prefix=("accounts.",))
    assert both.fields_found == base.fields_found and both.misfiled == 0 and both.doubled == 1


def test_the_tool_prints_wrong_keys_per_package():
    out = subprocess.run([sys.executable, str(ROOT / "tools" / "score_extraction.py"), str(PKG),
                          "--prefix", "accounts."], capture_output=True, text=True, check=True).stdout
    assert "national_clean_2024" in out and "wrong key 0 (+0 also under another key)" in out
    assert "TOTAL" in out and "precision 100.0%" in out
