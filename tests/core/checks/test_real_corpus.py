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


def _reflowed(txt: str) -> str:
    """The real text as paragraphs (a new one at each heading), to be printed again at another width: the same
    words broken into lines at other places, as another producer or font would print them."""
    from core.documents.paragraphs import is_heading_start

    paras: list[str] = []
    cur = ""
    for ln in (x.strip() for x in txt.split("\n")):
        if not ln:
            continue
        if is_heading_start(ln) and cur:
            paras.append(cur)
            cur = ln
        else:
            cur += ln
    return "\n\n".join(paras + ([cur] if cur else []))


NARRATIVE_CASES = [(p, k) for p, k in CASES if p.parent == NARRATIVES]


@pytest.mark.parametrize("chars", [24, 33, 44])
@pytest.mark.parametrize("path,key", NARRATIVE_CASES, ids=[p.name for p, _ in NARRATIVE_CASES])
def test_no_false_error_when_the_real_text_is_printed_at_another_width(path, key, chars):
    from core.checks.registry import run_checks
    from core.documents.paragraphs import join_lines
    from core.extraction.narrative import extract_narrative
    from core.model import Case
    from tests.core.narrative_corpus import typeset

    lines, _ = typeset(_reflowed(path.with_suffix(".txt").read_text(encoding="utf-8")), chars=chars)
    findings = run_checks(Case(fields=extract_narrative("d1", join_lines(lines), "决算说明")))
    defects = [d for d in key["inconsistencies"] if d.get("values")]
    false = [f.message for f in findings if f.severity is Severity.ERROR and not any(names(d, f) for d in defects)]
    assert false == []
