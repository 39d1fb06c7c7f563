"""PDFs printed by LibreOffice (Calc and Writer), not by our fixture generator, extract to the same figures.

The PDFs and their manifest are made by ``tools/make_producer_fixtures.py``; the expected figures are the source
package's ``expected.json`` (what the generator printed), compared by key and value — pages and boxes differ
between producers, so a box is checked by cropping the page under it.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pdfplumber
import pytest

from core.checks.registry import run_checks
from core.pipeline import extract_case
from tests.core.printed import printed_under, squash

DATA = Path(__file__).resolve().parents[2] / "data"
PRODUCER = DATA / "producers" / "libreoffice"
MANIFEST = json.loads((PRODUCER / "expected.json").read_text(encoding="utf-8"))["pdfs"]

_cache: dict[str, tuple] = {}


def _case(entry: dict):
    name = entry["file"]
    if name not in _cache:
        _cache[name] = extract_case([PRODUCER / name])
    return _cache[name]


def _source(entry: dict) -> dict:
    """The expected figures: the source package's expected.json, or those written beside a PDF made from data."""
    if "source" not in entry:
        return entry
    return json.loads((DATA / "packages" / entry["source"] / "expected.json").read_text(encoding="utf-8"))


def _v(value) -> str:
    """A value as compared: numbers by amount ("10" = "10.00"), text in NFKC ("＞95" = ">95")."""
    text = unicodedata.normalize("NFKC", str(value)).strip()
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def _wanted(entry: dict) -> Counter:
    keys = tuple(entry["keys"])
    skip = tuple(entry["not_printed"]) or ("\0",)
    only = entry.get("source_file")  # one file of the source package
    return Counter((f["key"], _v(f["value"])) for f in _source(entry)["fields"]
                   if f["key"].startswith(keys) and not f["key"].startswith(skip) and not f["key"].endswith("unit_name")
                   and (only is None or f.get("file") == only))


def _got(case, entry: dict) -> Counter:
    keys = tuple(entry["keys"])
    return Counter((f.key, _v(f.value)) for f in case.fields if f.key.startswith(keys))


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_the_forms_are_recognised(entry):
    case = _case(entry)
    (doc,) = case.documents
    want = {"整体支出绩效自评表": "自评表"}
    for form in entry["forms"]:
        assert want.get(form, form) in doc.kinds, doc.kinds


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_every_printed_figure_comes_out_with_its_value(entry):
    wanted = _wanted(entry)
    assert wanted, "the source package has figures under these keys"
    missing = wanted - _got(_case(entry), entry)
    assert not missing, sorted(missing.elements())[:20]


@pytest.mark.parametrize("entry", [e for e in MANIFEST if "selfeval." in e["keys"]], ids=lambda e: e["file"])
def test_indicator_rows_come_out_whole(entry):
    case = _case(entry)
    got = Counter(tuple(_v(x) for x in (i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score))
                  for i in case.indicators)
    want = Counter(tuple(_v(i[k]) for k in ("level1", "level2", "level3", "target", "actual", "weight", "score"))
                   for i in _source(entry)["indicators"])
    assert not (want - got), sorted((want - got).elements())[:5]


@pytest.mark.parametrize("entry", [e for e in MANIFEST if "expect_no_errors" in e], ids=lambda e: e["file"])
def test_a_word_like_package_is_judged_like_a_generated_one(entry):
    """The Word-like package: clean, no error finding; injected, every injected error named by its check with
    the numbers that disagree."""
    findings = run_checks(_case(entry))
    errors = [f for f in findings if f.severity.value == "error"]
    if entry["expect_no_errors"]:
        assert not errors, [f.message for f in errors]
        return
    for inj in entry["injected"]:
        hits = [f for f in findings if f.check == inj["check"]]
        assert hits, (inj, [f.check for f in findings])
        if inj["values"]:
            assert any(all(any(_v(v) == _v(x) for x in f.values) or v in f.message for v in inj["values"])
                       for f in hits), (inj, [(f.values, f.message) for f in hits])


def test_the_extra_review_columns_do_not_take_the_place_of_the_printed_score():
    """The exported 自评表 has 复核得分 and 得分差异 right of 得分: the printed 得分 is read, not the difference."""
    entry = next(e for e in MANIFEST if e["source"] == "variant_injected_2024")
    case = _case(entry)
    src = {f["key"]: f["value"] for f in _source(entry)["fields"]}
    for key in ("selfeval.funds.score", "selfeval.total_weight", "selfeval.total_score", "selfeval.grade"):
        f = case.first(key)
        assert f is not None and _v(f.value) == _v(src[key]), (key, f)


@pytest.mark.parametrize("entry", MANIFEST, ids=lambda e: e["file"])
def test_boxes_frame_the_printed_values(entry):
    case = _case(entry)
    with pdfplumber.open(PRODUCER / entry["file"]) as pdf:
        bad = []
        for f in case.fields:
            if not f.raw or f.key.startswith("report.heading"):
                continue
            seen = printed_under(pdf.pages[f.page - 1], f.bbox)
            printed = squash(f.raw) if not f.key.startswith("report.") else squash(f.raw)[:4]  # a wrapped tail
            cut = seen and printed.startswith(seen) and _v(f.value) in seen  # a cell the page break cut in two
            if printed not in seen and not cut:
                bad.append((f.key, f.raw, seen))
    assert not bad, bad[:10]


def test_the_narrative_gives_the_same_findings_as_the_generated_package():
    """Seed 000 typeset by Writer: the same checks fire as on the generator's PDF of the same text."""
    entry = next(e for e in MANIFEST if e["source"] == "lingling_2024")
    src = _source(entry)
    generated = extract_case([DATA / "packages" / "lingling_2024" / d["file"] for d in src["documents"]])
    def ids(case):
        return sorted(f.check for f in run_checks(case))

    assert ids(_case(entry)) == ids(generated)
    assert ids(generated), "the seed's errors are found"


def test_a_sheet_in_yuan_keeps_its_unit_and_another_districts_labels_are_read():
    """"年度预算申请（元）": the 自评表's money is in 元 (and still agrees with the 万元 of the other forms); the
    narrative's "实际在职人员43名" is the 实有人数."""
    entry = next(e for e in MANIFEST if e["file"] == "xiangyin_variant.pdf")
    case = _case(entry)
    money = [f for f in case.fields if f.key.startswith(("selfeval.funds.", "selfeval.income.", "selfeval.spending."))
             and f.unit not in ("分", "%")]
    assert money and {f.unit for f in money} == {"元"}
    assert _v(case.first("selfeval.funds.executed").value) == "16203500"
    assert _v(case.first("report.staff.actual").value) == "43"
    assert _v(case.first("basic.staff.actual").value) == "43"


# -- re-printed through cairo: every glyph also drawn as outline paths ------------------------------------------

def _cairo_reprint(src: Path, dest: Path) -> Path:
    import shutil
    import subprocess

    exe = shutil.which("pdftocairo")
    if exe is None:
        pytest.skip("pdftocairo (poppler-utils) is not installed; .ci/run installs it")
    subprocess.run([exe, "-pdf", str(src), str(dest)], check=True, timeout=120)
    return dest


def test_a_package_reprinted_through_cairo_reads_like_the_original(tmp_path):
    """pdftocairo re-draws each glyph's strokes as path segments beside the text layer (as print-to-PDF
    drivers do); taken as table rules they cut every cell into slivers.  The re-printed 基础数据表 and 自评表
    give every figure and indicator row of the original."""
    pkg = DATA / "packages" / "split_files_2024"
    expected = json.loads((pkg / "expected.json").read_text(encoding="utf-8"))
    docs = [d for d in expected["documents"] if {"基础数据表", "自评表"} & set(d["kinds"])]
    assert docs
    files = [_cairo_reprint(pkg / d["file"], tmp_path / d["file"]) for d in docs]
    with pdfplumber.open(files[0]) as pdf:
        assert len(pdf.pages[0].curves) + len(pdf.pages[0].rects) > 100, "the re-print draws glyphs as paths"
    from tools.evaluation import score_case

    names = {d["file"] for d in docs}
    sub = {"fields": [f for f in expected["fields"] if f["file"] in names],
           "indicators": [i for i in expected["indicators"] if i["file"] in names]}
    s = score_case(extract_case(files), sub)
    assert s.fields_expected > 50 and not s.missing_fields, s.missing_fields[:10]
    assert s.indicators_expected and not s.missing_indicators, s.missing_indicators[:5]


def test_glyph_boxes_tell_a_stroke_of_a_character_from_a_rule():
    from core.documents.pdf import GlyphBoxes

    g = GlyphBoxes([(50.0, 60.0, 100.0, 110.0, "口"),     # (top, bottom, x0, x1, text), as the reader holds them
                    (50.0, 60.0, 110.0, 120.0, "口")])
    assert g.covers(102, 52, 108, 52)            # a horizontal stroke of the first character
    assert g.covers(115, 51, 115, 59.5)          # a vertical stroke of the second
    assert not g.covers(95, 55, 125, 55)         # a rule through both
    assert not g.covers(102, 62, 108, 62)        # under them: a cell border
    assert not g.covers(300, 52, 305, 52)
    assert not GlyphBoxes([]).covers(1, 1, 2, 1)


def test_figures_printed_over_their_cells_rule_stay_whole():
    """Re-exported by LibreOffice Draw in a wider font, "179.33" runs over its cell's right rule (its last digit
    in the next cell) and "661.46" past the table's edge; each figure is still read whole, in its own cell."""
    entry = next(e for e in MANIFEST if e["file"] == "split_files_2024_basic_draw.pdf")
    case = _case(entry)
    src = [f for f in _source(entry)["fields"] if f.get("file") == entry["source_file"] and f["key"].startswith("basic.")
           and not f["key"].endswith("unit_name")]
    assert len(src) > 40
    for f in src:
        assert any(_v(g.value) == _v(f["value"]) for g in case.all(f["key"])), (f["key"], f["value"],
                                                                               [g.value for g in case.all(f["key"])])


def test_a_left_aligned_report_keeps_its_sentences_and_lists():
    """Typed left-aligned, "增长8.02%" is cut by the line break ("…增长" / "8.02%。"): still one sentence, the rate
    tied to its change; the 项目支出 after a nested "包括" list is a part of 支出合计, not of 基本支出."""
    entry = next(e for e in MANIFEST if e["file"] == "xiangyin_report_ragged.pdf")
    case = _case(entry)
    rates = {_v(f.value): f for f in case.all("report.stated_ratio")}
    assert rates["8.02"].attrs["relation"] == "change" and rates["3"].attrs["relation"] == "change"
    refs = {f.attrs["ref"]: f for f in case.fields if "ref" in f.attrs}
    assert refs[case.first("report.project").attrs["ref_whole"]].key == "report.expense_total"
