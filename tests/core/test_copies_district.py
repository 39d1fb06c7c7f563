"""Copied text on real-looking packages: the fixture district (``tests/data/district``, made by
``tools/make_district_fixture.py``: five departments, the 退役军人事务局 copying the 民政局's paragraph and two
indicators) gives exactly those two copies, on both cases, each place boxed where the PDF prints it, and
nothing else — not the template sentences all five print, not the one three print, not the template sentence
two print with the same figures.  Over the twelve fixture packages of ``tests/data/packages`` the only copies
are between the two 民政局 packages the generator printed from one invented department."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.copies import (
    CHECK_INDICATORS,
    CHECK_TEXT,
    DistrictIndex,
    Settings,
    case_signature,
    cjk_count,
    copy_findings,
    norm,
)
from core.documents.reader import open_any
from core.pipeline import extract_case
from core.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data"
DISTRICT = DATA / "district"
PACKAGES = DATA / "packages"
EXPECTED = json.loads((DISTRICT / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def cases() -> dict:
    return {name: extract_case([DISTRICT / name]) for name in EXPECTED["packages"]}


@pytest.fixture(scope="module")
def index(cases) -> DistrictIndex:
    return DistrictIndex(case_signature(c, case_id=name) for name, c in cases.items())


def printed_text(case, locations) -> str:
    """What the PDF prints inside the locations' boxes: each printed line they overlap, once, in order."""
    out = []
    for doc_id, page_no in dict.fromkeys((loc.doc, loc.page) for loc in locations):
        doc = case.document(doc_id)
        page = next(p for p in open_any(doc.path, doc.id, page_numbers=[page_no]).pages if p.number == page_no)
        boxes = [loc.bbox for loc in locations if (loc.doc, loc.page) == (doc_id, page_no)]
        out += [ln.text for ln in page.lines
                if any(ln.bbox[0] <= x1 and x0 <= ln.bbox[2] and ln.bbox[1] <= bottom and top <= ln.bbox[3]
                       for x0, top, x1, bottom in boxes)]
    return "".join(out)


def test_the_copies_and_nothing_else(index):
    for name, checks in EXPECTED["expected_findings"].items():
        assert sorted(f.check for f in index.findings(name)) == sorted(checks), name


@pytest.mark.parametrize("me,other", [("zy_minzheng", "zy_tuiyijunren"), ("zy_tuiyijunren", "zy_minzheng")])
def test_the_copied_paragraph_is_lit_up_on_both_sides(cases, index, me, other):
    copy = next(c for c in EXPECTED["copies"] if c["check"] == CHECK_TEXT)
    f = next(f for f in index.findings(me) if f.check == CHECK_TEXT)
    assert f"“{EXPECTED['packages'][other]}”自评报告第" in f.message
    assert "全年累计为辖区1,236户困难群众" in f.message
    boxed = norm(printed_text(cases[me], f.locations))
    assert norm(copy["text"]) in boxed  # every line of the paragraph is boxed, and little else
    assert len(boxed) < len(norm(copy["text"])) * 1.3
    assert {cases[me].document(loc.doc).kinds.get("自评报告") and loc.page in cases[me].document(loc.doc).kinds["自评报告"]
            for loc in f.locations} == {True}


@pytest.mark.parametrize("me,other", [("zy_minzheng", "zy_tuiyijunren"), ("zy_tuiyijunren", "zy_minzheng")])
def test_the_copied_indicators_are_lit_up_on_both_sides(cases, index, me, other):
    copy = next(c for c in EXPECTED["copies"] if c["check"] == CHECK_INDICATORS)
    f = next(f for f in index.findings(me) if f.check == CHECK_INDICATORS)
    assert f"“{EXPECTED['packages'][other]}”自评表" in f.message and "2项" in f.message
    for row in copy["rows"]:
        assert f"{row['level3']}（{row['target']}）" in f.message
        ind = next(i for i in cases[me].indicators if i.level3 == row["level3"])
        for cell in ("level3", "target"):
            assert any(loc.page == ind.source.page and loc.bbox == pytest.approx(ind.cells[cell], abs=0.1)
                       for loc in f.locations), (row, cell)
    boxed = printed_text(cases[me], f.locations)
    assert all(norm(r["level3"])[:6] in norm(boxed) for r in copy["rows"])  # a cell may wrap its text


def test_template_text_is_in_the_packages_and_not_reported(cases, index):
    """Not vacuous: the template sentences are printed (the comparison saw them) and are in no finding."""
    messages = " ".join(f.message for name in cases for f in index.findings(name))
    for t in EXPECTED["template_not_copies"]:
        key = norm(t["text"])
        holders = {name for name, c in cases.items() if any(norm(p[0]) == key for p in c.extra["passages"])}
        assert holders == set(t["cases"]), t["why"]
        assert cjk_count(key) >= Settings().min_sentence_cjk  # long enough to be compared at all
        assert norm(t["text"])[:30] not in norm(messages)
    everywhere = "进一步加强预算编制的科学性和准确性，细化量化绩效指标，加快项目资金支付进度，强化绩效运行监控。"
    assert all(any(norm(p[0]) == norm(everywhere) for p in c.extra["passages"]) for c in cases.values())


def test_the_workspace_keeps_signatures_and_compares_each_case_with_all(cases, tmp_path):
    ws = Workspace.open(DISTRICT, tmp_path / "store", save=False)
    ids = {e.folder.name: e.id for e in ws.list_cases()}
    assert set(ids) == set(EXPECTED["packages"])
    # cases recorded one by one as the window opens them: the first sees nobody, the last sees everyone
    first = copy_findings(ws, ids["zy_minzheng"], cases["zy_minzheng"])
    assert first == []
    for name in ("zy_wenlv", "zy_nongye", "zy_zhujian", "zy_tuiyijunren"):
        copy_findings(ws, ids[name], cases[name])
    assert (tmp_path / "store" / "copies").is_dir()
    for name, checks in EXPECTED["expected_findings"].items():
        assert sorted(f.check for f in copy_findings(ws, ids[name])) == sorted(checks), name
    assert not (DISTRICT / ".jixiao").exists()


@pytest.fixture(scope="module")
def package_signatures() -> dict[str, dict]:
    names = [p.name for p in sorted(PACKAGES.iterdir()) if p.is_dir() and p.name != "not_reviewable"]
    return {n: case_signature(extract_case([PACKAGES / n]), case_id=n) for n in names}


SEEDS = ("lingling_2024", "tianyuan_2024", "yunxi_2024")


def test_the_seed_departments_share_nothing(package_signatures):
    """零陵, 天元 and 云溪 are three real, different departments: nothing between them, nor between any of
    them and the invented departments of the other fixture packages."""
    index = DistrictIndex(package_signatures.values())
    for n in SEEDS:
        assert index.findings(n) == [], n
    alone = DistrictIndex(package_signatures[n] for n in SEEDS)
    assert all(alone.findings(n) == [] for n in SEEDS)


def test_what_the_generator_printed_twice_is_found_and_three_times_is_template(package_signatures):
    """The 民政局 packages (北湖区 split_files, 石鼓区 national_injected, and any later one) are printed from
    one invented department (``depts.minzheng_2024``): its duties, offices and indicators really are the same
    text.  Two of them in a district: a copy, found on both; the 发改局 variants (three units) share their
    duties text too, which is then template."""
    pair = ("split_files_2024", "national_injected_2024")
    index = DistrictIndex(package_signatures[n] for n in SEEDS + pair + (
        "variant_clean_2024", "variant_injected_2024", "national_clean_2024"))
    found = {n: sorted({f.check for f in index.findings(n)}) for n in index.sigs}
    assert {n for n, checks in found.items() if checks} == set(pair)
    for n in pair:
        assert found[n] == [CHECK_INDICATORS, CHECK_TEXT]
        assert all("民政局" in f.message for f in index.findings(n))
