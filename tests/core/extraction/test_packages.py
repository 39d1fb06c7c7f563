"""Every generated fixture package (tests/data/packages/*/expected.json, written by tools/make_fixtures.py
from what it printed) is extracted and compared value by value, key by key, page by page.

Table forms (基础数据表, 自评表, 决算 tables) and the 自评表 indicator rows must come out exactly; narrative
statements at the threshold the extraction issue sets (95%).  Every field's box, cropped from the page,
must contain the value as printed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from tools.evaluation import score_case
from core.pipeline import extract_case
from tests.core.printed import printed_under, squash

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"
PACKAGE_DIRS = sorted(p for p in PACKAGES.glob("*") if (p / "expected.json").exists()) if PACKAGES.exists() else []
TABLE_PREFIXES = ("basic.", "selfeval.", "accounts.")

_cache: dict[Path, tuple] = {}


def _extract(d: Path):
    if d not in _cache:
        expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
        files = [d / doc["file"] for doc in expected.get("documents", [])]
        _cache[d] = (extract_case(files), expected)
    return _cache[d]


def test_there_are_fixture_packages():
    assert len(PACKAGE_DIRS) >= 1


@pytest.mark.parametrize("d", PACKAGE_DIRS, ids=lambda p: p.name)
def test_table_fields_and_indicators_exact(d):
    case, expected = _extract(d)
    s = score_case(case, expected, keys_prefix=TABLE_PREFIXES)
    missing = [(m["key"], m["value"], m["page"]) for m in s.missing_fields]
    assert not missing, f"{len(missing)} of {s.fields_expected} table fields missing or wrong: {missing[:20]}"
    assert not s.missing_indicators, s.missing_indicators[:5]


@pytest.mark.parametrize("d", PACKAGE_DIRS, ids=lambda p: p.name)
def test_narrative_fields_recall(d):
    case, expected = _extract(d)
    s = score_case(case, expected, keys_prefix=("report.",))
    if s.fields_expected == 0:
        pytest.skip("no narrative in this package")
    assert s.field_recall >= 0.95, [(m["key"], m["value"], m["page"]) for m in s.missing_fields][:30]


@pytest.mark.parametrize("d", PACKAGE_DIRS, ids=lambda p: p.name)
def test_page_kinds(d):
    case, expected = _extract(d)
    by_file = {Path(doc.path).name: doc for doc in case.documents}
    for e in expected.get("documents", []):
        got = by_file[e["file"]].kinds
        for kind, pages in e.get("kinds", {}).items():
            assert set(pages) <= set(got.get(kind, [])), (e["file"], kind, pages, got)


@pytest.mark.parametrize("d", PACKAGE_DIRS, ids=lambda p: p.name)
def test_boxes_frame_the_printed_values(d):
    """Drawn on the page, each field's box frames its printed value (table fields and indicators)."""
    case, _ = _extract(d)
    paths = {doc.id: doc.path for doc in case.documents}
    opened = {k: pdfplumber.open(v) for k, v in paths.items()}
    try:
        bad = []
        for f in case.fields:
            if not f.key.startswith(TABLE_PREFIXES) or not f.raw:
                continue
            text = printed_under(opened[f.doc].pages[f.page - 1], f.bbox)
            if squash(f.raw) not in text:
                bad.append((f.key, f.raw, text))
        for ind in case.indicators:
            page = opened[ind.source.doc].pages[ind.source.page - 1]
            text = squash(page.crop(ind.cells["level3"]).extract_text() or "")
            if squash(ind.level3)[:6] not in text:
                bad.append(("indicator", ind.level3, text))
        assert not bad, bad[:10]
    finally:
        for pdf in opened.values():
            pdf.close()


NOT_REVIEWABLE = sorted(p for p in (PACKAGES / "not_reviewable").glob("*") if (p / "expected.json").exists()) \
    if (PACKAGES / "not_reviewable").exists() else []


@pytest.mark.parametrize("d", NOT_REVIEWABLE, ids=lambda p: p.name)
def test_not_reviewable_packages_are_recognised(d):
    """A blank template or a 部门预算 is said to be one, and yields no field."""
    expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
    files = [d / doc["file"] for doc in expected["documents"]]
    case = extract_case(files)
    assert case.fields == [] and case.indicators == []
    for doc, e in zip(case.documents, expected["documents"]):
        assert set(doc.kinds) == set(e["kinds"]), (doc.kinds, e["kinds"])
        assert doc.problems and "不作审核" in doc.problems[0]["message"]
