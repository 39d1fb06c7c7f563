"""Findings on real documents nobody here wrote (``../shared/real/``, defects verified by hand in key.json).

The product's first promise: an error finding is a real disagreement between printed figures.  On every real
document with a key this holds at zero false errors, and every defect of the key is named — the substantive
ones by an error or a warning, the rounding-level ones (尾数差异) by a warning, never by an error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from core.model import Severity  # noqa: E402
from tools.real_corpus import NARRATIVES, ROUNDING_KINDS, cases, evaluate, names  # noqa: E402
from core.pipeline import extract_case  # noqa: E402

CASES = cases() if NARRATIVES.is_dir() else []


def test_the_real_corpus_is_there():
    assert len(CASES) >= 6, f"../shared/real/narratives missing or incomplete: {NARRATIVES}"


@pytest.mark.parametrize("path,key", CASES, ids=[p.name for p, _ in CASES])
def test_no_false_error_and_every_defect_named(path, key):
    r = evaluate(path, key)
    assert [f"{f.check}: {f.message}" for f in r.false_errors] == []
    assert [d["quote"] for d in r.missed] == []


@pytest.mark.parametrize("path,key", CASES, ids=[p.name for p, _ in CASES])
def test_rounding_defects_are_warnings_never_errors(path, key):
    findings = extract_case([path]).findings
    for d in key["inconsistencies"]:
        if d.get("kind") not in ROUNDING_KINDS or not d.get("values"):
            continue
        naming = [f for f in findings if names(d, f)]
        assert naming, d["quote"]
        assert all(f.severity is not Severity.ERROR for f in naming), [f.message for f in naming]
