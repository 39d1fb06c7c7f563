"""Issue 20 in the district workspace: which expected materials (自评报告, 自评表, 基础数据表, 决算) each department
sent, where each answer came from (the light read of the first pages, or the full extraction that corrects
it), kept in workspace.json and read back from a file of an earlier version.

The packages are the generated fixtures of tests/data/packages, copied into tmp_path; what each holds is read
from their golden expected.json, not from our own classification.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from core import workspace as W
from core.materials import FULL, LIGHT, MATERIALS, MISSING, NOT_SEEN, PRESENT, material_of_kind, summary_text
from core.workspace import Workspace

PACKAGES = Path(__file__).resolve().parents[1] / "data" / "packages"
SPLIT = "dir:北湖民政局"
YUNXI = "dir:云溪组织部"


def copy_into(folder: Path, package: str, *, leave_out: str = "") -> list[Path]:
    found = sorted((PACKAGES / package).glob("*.pdf"))
    assert found, f"fixture package {package} missing"
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for p in found:
        if leave_out and leave_out in p.name:
            continue
        shutil.copy2(p, folder / p.name)
        out.append(folder / p.name)
    return out


def golden_materials(package: str, files: list[Path]) -> dict[str, list[str]]:
    """material → names of the files that hold it, from the generator's expected.json."""
    data = json.loads((PACKAGES / package / "expected.json").read_text(encoding="utf-8"))
    names = {p.name for p in files}
    out: dict[str, list[str]] = {m: [] for m in MATERIALS}
    for d in data["documents"]:
        if d["file"] not in names:
            continue
        for kind in d["kinds"]:
            m = material_of_kind(kind)
            if m and d["file"] not in out[m]:
                out[m].append(d["file"])
    return out


@pytest.fixture
def district(tmp_path) -> Path:
    root = tmp_path / "某区"
    # 郴州市北湖区民政局 without its 基础数据表 (the file 01-…基础数据表.pdf was not sent)
    copy_into(root / "北湖民政局", "split_files_2024", leave_out="基础数据表")
    copy_into(root / "云溪组织部", "yunxi_2024")  # one PDF: 基础数据表, 自评表, 自评报告 (no 决算)
    return root


def states(entry) -> dict[str, tuple[str, str]]:
    return {m.name: (m.state, m.source) for m in entry.materials}


def test_a_department_without_its_basic_table_shows_it_missing_once_read_in_full(district):
    from core.pipeline import extract_case

    ws = Workspace.open(district)
    split = ws.case(SPLIT)
    gold = golden_materials("split_files_2024", list(split.files))
    assert gold["基础数据表"] == [] and all(gold[m] for m in ("自评报告", "自评表", "决算"))

    # the light read: the one-page and two-page files are read to their end; the 决算 file (18 pages) is not,
    # so the 基础数据表 is "not seen" — never claimed missing from three pages of an 18-page file
    light = states(split)
    assert light["自评报告"] == (PRESENT, LIGHT) and light["自评表"] == (PRESENT, LIGHT)
    assert light["基础数据表"] == (NOT_SEEN, LIGHT)
    assert summary_text(split.materials).startswith("基础数据表") and "未确认" in summary_text(split.materials)

    # the full extraction classifies every page: 基础数据表 missing, every answer now from it
    entry = ws.record_case(SPLIT, extract_case(ws.sources(SPLIT)))
    full = states(entry)
    assert full["基础数据表"] == (MISSING, FULL)
    for m in ("自评报告", "自评表", "决算"):
        assert full[m] == (PRESENT, FULL)
        got = next(x for x in entry.materials if x.name == m)
        assert [w.split(" ")[0] for w in got.where] == gold[m]  # the file named is the one that holds it
    assert summary_text(entry.materials) == "缺基础数据表"
    assert "基础数据表：缺" in next(m for m in entry.materials if m.name == "基础数据表").describe()

    # kept in workspace.json: a restart shows the same without reading anything again
    again = Workspace.open(district).case(SPLIT)
    assert states(again) == full


def test_the_full_extraction_corrects_what_the_light_read_saw(district):
    """yunxi prints its 自评报告 on pages 5–9: the light read (pages 1–3) saw only its title on the cover; the
    full extraction says where it really is, and that the package has no 决算 at all."""
    from core.pipeline import extract_case

    ws = Workspace.open(district)
    light = {m.name: m for m in ws.case(YUNXI).materials}
    assert light["决算"].state == NOT_SEEN  # 9 pages, 3 read: not known yet
    assert light["基础数据表"].state == PRESENT and light["基础数据表"].source == LIGHT
    gold = json.loads((PACKAGES / "yunxi_2024" / "expected.json").read_text(encoding="utf-8"))
    report_pages = gold["documents"][0]["kinds"]["自评报告"]
    assert light["自评报告"].source == LIGHT and f"{report_pages[-1]}页" not in light["自评报告"].where[0]

    case = extract_case(ws.sources(YUNXI))
    full = {m.name: m for m in ws.record_case(YUNXI, case).materials}
    assert full["自评报告"].source == FULL
    assert full["自评报告"].where[0].endswith(f"{report_pages[0]}–{report_pages[-1]}页")
    assert full["决算"].state == MISSING and full["决算"].source == FULL
    assert summary_text(full.values()) == "缺决算"


def test_a_changed_file_is_light_read_again_and_its_full_answer_no_longer_holds(district):
    from core.pipeline import extract_case

    ws = Workspace.open(district)
    ws.record_case(SPLIT, extract_case(ws.sources(SPLIT)))
    assert states(ws.case(SPLIT))["基础数据表"] == (MISSING, FULL)
    # the department sends its 决算 file again (another version): what was known of the old one goes
    f = next(p for p in ws.sources(SPLIT) if "决算" in p.name)
    f.write_bytes(f.read_bytes() + b"\n% sent again\n")
    ws.rescan()
    assert states(ws.case(SPLIT))["基础数据表"] == (NOT_SEEN, LIGHT)


def test_a_workspace_file_of_an_earlier_version_loads_and_its_files_are_classified(district, monkeypatch):
    ws = Workspace.open(district)
    ws.set_status(YUNXI, W.IN_PROGRESS, reviewer="张三")
    data = json.loads(ws.path.read_text(encoding="utf-8"))
    for c in data["cases"]:  # as an earlier version wrote it: no forms remembered
        for f in c["files"]:
            for key in ("kinds", "kinds_source", "kinds_complete"):
                f.pop(key, None)
    ws.path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")

    reads = []
    real = W.read_unit_name
    monkeypatch.setattr(W, "read_unit_name", lambda p, **k: reads.append(Path(p).name) or real(p, **k))
    again = Workspace.open(district)
    assert again.case(YUNXI).status == W.IN_PROGRESS and again.case(YUNXI).reviewer == "张三"
    assert sorted(reads) == sorted(p.name for e in again.list_cases() for p in e.files)  # each once
    assert states(again.case(YUNXI))["自评表"] == (PRESENT, LIGHT)
    reads.clear()
    Workspace.open(district)
    assert reads == []  # remembered from then on


# -- new material reopens a case, the earlier review kept as history -------------------------------------------

def review_with_decisions(ws: Workspace, cid: str, reviewer: str = "李四"):
    """The review the window would save: the case extracted, every error confirmed as a problem, one warning
    excluded with a reason, saved where the workspace keeps the case's review."""
    from core.pipeline import extract_case, recheck
    from core.review import ReviewSession
    from core.review.corrections import CONFIRMED, EXCLUDED
    from core.review.store import save_case

    session = ReviewSession(extract_case(ws.sources(cid)), recheck, reviewer=reviewer)
    errors = [f for f in session.open_findings() if f.severity.value == "error"]
    warnings = [f for f in session.open_findings() if f.severity.value == "warning"]
    assert errors and warnings, "the yunxi package has seeded errors and warnings"
    for f in errors:
        session.decide(f.fingerprint, CONFIRMED, "")
    session.decide(warnings[0].fingerprint, EXCLUDED, "尾数差异，可接受")
    save_case(ws.case(cid).case_file, session)
    return session


def test_a_new_version_of_a_file_reopens_the_case_and_keeps_the_earlier_review_as_history(district, capsys):
    import main as cli
    from core.review.store import find_saved_review, load_case, review_stores, review_versions

    ws = Workspace.open(district)
    earlier = review_with_decisions(ws, YUNXI)
    decided = len(earlier.decisions.current())
    ws.refresh(YUNXI)
    old_file = ws.case(YUNXI).case_file
    ws.set_status(YUNXI, W.IN_PROGRESS)

    # the department sends its file again, changed
    pdf = ws.sources(YUNXI)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% corrected version sent on 2025-03-02\n")
    change = ws.rescan()  # the window's 重新扫描 (the next opening of the workspace does the same)
    assert YUNXI in change.changed
    ws = Workspace.open(district)  # and it is kept
    entry = ws.case(YUNXI)
    assert entry.reopened and entry.status == W.IN_PROGRESS and entry.sources_changed
    assert entry.case_file != old_file and not entry.has_review  # the new material's review: not begun
    assert old_file.is_file()  # the earlier review is where it was, and a copy is in the new one's history
    versions = review_versions(entry.case_file)
    assert [v.current for v in versions] == [False]
    assert versions[0].path == entry.earlier_review and versions[0].decisions == decided
    assert versions[0].reviewer == "李四"
    _case, logs = load_case(entry.earlier_review)
    assert len(logs.decisions.current()) == decided  # the conclusions themselves, not only a count

    # reopening the case reads the new file: a review with none of the earlier decisions
    from core.pipeline import extract_case, recheck
    from core.review import ReviewSession
    from core.review.store import save_case

    fresh = ReviewSession(extract_case(ws.sources(YUNXI)), recheck, reviewer="李四")
    assert fresh.decisions.current() == {}
    assert {f.fingerprint for f in fresh.open_findings()} >= set(earlier.decisions.current())
    save_case(entry.case_file, fresh)
    got = ws.refresh(YUNXI)
    assert got.case_file == entry.case_file and not got.sources_changed and got.open_errors > 0

    # main.py history lists the current review and the earlier material's, with its conclusions
    found = find_saved_review(ws.sources(YUNXI), review_stores([], [ws.review_dir]))
    assert found == entry.case_file
    assert cli.main(["history", *map(str, ws.sources(YUNXI)), "--store", str(ws.review_dir)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "当前" in out[1] and "较早（材料的较早版本）" in out[2] and f"{decided}条问题结论" in out[2]
    # and whether the current one is 复核完成, in the window's words
    undecided = [f for f in fresh.open_findings() if f.severity.value in ("error", "warning")]
    assert out[3].startswith(f"复核状态：未复核完成：还有{len(undecided)}条问题未处理")


def test_a_refresh_does_not_take_the_earlier_materials_review_back(district):
    ws = Workspace.open(district)
    review_with_decisions(ws, YUNXI)
    old = ws.refresh(YUNXI)
    pdf = ws.sources(YUNXI)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% v2\n")
    ws.rescan()
    reopened = ws.case(YUNXI)
    # the window saving the old review (opened from its recent list), or a refresh finding it by its paths
    assert ws.refresh(YUNXI, old.case_file) == reopened
    assert ws.refresh(YUNXI) == reopened


def test_a_file_sent_again_since_the_last_scan_reopens_the_case_when_it_is_opened(district, monkeypatch):
    ws = Workspace.open(district)
    review_with_decisions(ws, YUNXI)
    ws.refresh(YUNXI)
    reads = []
    real = W.read_unit_name
    monkeypatch.setattr(W, "read_unit_name", lambda p, **k: reads.append(Path(p).name) or real(p, **k))
    assert ws.check_case(YUNXI) == ws.case(YUNXI) and reads == []  # nothing changed: nothing read
    pdf = ws.sources(YUNXI)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% v2\n")
    entry = ws.check_case(YUNXI)  # the window calls this before it opens the case
    assert reads == [pdf.name] and entry.reopened and not entry.has_review
    from core.review.store import review_versions

    assert [v.decisions > 0 for v in review_versions(entry.case_file)] == [True]  # the earlier review, kept


# -- 已完成 only when the review is complete --------------------------------------------------------------------

def yunxi_review_with_unread_sangong(ws: Workspace):
    """yunxi's review as the window starts it, except that the 三公经费 block of its 基础数据表 could not be read
    (its figures are taken out of the extracted case): the checks that need them are 取数不足 and must be
    checked by hand.  Saved where the workspace keeps the review."""
    from core.pipeline import extract_case, recheck
    from core.review import ReviewSession
    from core.review.store import save_case

    case = extract_case(ws.sources(YUNXI))
    case.fields = [f for f in case.fields if not f.key.startswith("basic.sangong")]
    session = ReviewSession(case, recheck, reviewer="李四")
    save_case(ws.case(YUNXI).case_file, session)
    return session


def test_a_department_is_done_only_when_every_finding_is_decided_and_no_required_check_is_open(district):
    from core.checks.coverage import PASS, open_required
    from core.review.corrections import CONFIRMED, EXCLUDED
    from core.review.store import save_case

    ws = Workspace.open(district)
    with pytest.raises(W.NotComplete, match="尚未审核"):
        ws.set_status(YUNXI, W.DONE)  # never opened: nothing says it is complete
    session = yunxi_review_with_unread_sangong(ws)
    ws.refresh(YUNXI)
    undecided = [f for f in session.open_findings() if f.severity.value in ("error", "warning")]
    unread = open_required(session.case)
    assert undecided and unread and all("sangong" in it.check_id for it in unread)

    with pytest.raises(W.NotComplete) as refused:
        ws.set_status(YUNXI, W.DONE)
    text = str(refused.value)
    assert text.startswith("“中共岳阳市云溪区委组织部”还不能设为已完成：")
    assert f"还有{len(undecided)}条问题未处理" in text and f"还有{len(unread)}项检查取数不足" in text
    assert ws.case(YUNXI).status == W.IN_PROGRESS
    assert ws.completion(YUNXI).reasons == refused.value.reasons

    # every finding decided: the unread checks still hold it back
    for f in undecided:
        session.decide(f.fingerprint, CONFIRMED if f.severity.value == "error" else EXCLUDED, "已与单位核对")
    save_case(ws.case(YUNXI).case_file, session)
    done = ws.completion(YUNXI)
    assert not done.complete and done.reasons[0].startswith(f"还有{len(unread)}项检查取数不足")
    # the window asks with its session in memory: the same answer before the file is written
    assert ws.completion(YUNXI, session) == done

    for it in unread:  # checked by hand against the printed 基础数据表
        session.set_check_verdict(it.check_id, PASS, "已对照纸质基础数据表核对")
    save_case(ws.case(YUNXI).case_file, session)
    assert ws.completion(YUNXI) == W.Completion(True, ())
    assert ws.set_status(YUNXI, W.DONE, reviewer="李四").status == W.DONE
    assert Workspace.open(district).case(YUNXI).status == W.DONE

    # a decision withdrawn after 已完成 opens the review again
    session.decide(undecided[0].fingerprint, "")
    save_case(ws.case(YUNXI).case_file, session)
    assert ws.refresh(YUNXI).status == W.IN_PROGRESS


def test_a_completed_case_is_reopened_by_a_new_version_and_its_conclusion_kept(district):
    from core.checks.coverage import PASS, open_required
    from core.review.corrections import CONFIRMED, EXCLUDED
    from core.review.store import load_case, review_versions, save_case

    ws = Workspace.open(district)
    session = yunxi_review_with_unread_sangong(ws)
    for f in session.open_findings():
        session.decide(f.fingerprint, CONFIRMED if f.severity.value == "error" else EXCLUDED, "已核对")
    for it in open_required(session.case):
        session.set_check_verdict(it.check_id, PASS, "已人工核对")
    save_case(ws.case(YUNXI).case_file, session)
    ws.refresh(YUNXI)
    ws.set_status(YUNXI, W.DONE)

    pdf = ws.sources(YUNXI)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% corrected version\n")
    ws.rescan()
    entry = ws.case(YUNXI)
    assert entry.status == W.IN_PROGRESS and entry.reopened
    with pytest.raises(W.NotComplete, match="材料已更新"):
        ws.set_status(YUNXI, W.DONE)
    (earlier,) = review_versions(entry.case_file)
    case, logs = load_case(earlier.path)
    from core.checks.coverage import review_complete

    assert review_complete(case, logs) == (True, [])  # the earlier conclusion, complete, is in the history
    assert logs.check_verdicts.current() and logs.decisions.current()


def test_a_file_sent_a_third_time_keeps_every_earlier_review_in_view(district):
    from core.pipeline import extract_case, recheck
    from core.review import ReviewSession
    from core.review.corrections import CONFIRMED
    from core.review.store import review_versions, save_case

    ws = Workspace.open(district)
    review_with_decisions(ws, YUNXI)
    ws.refresh(YUNXI)
    pdf = ws.sources(YUNXI)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% v2\n")
    ws.rescan()
    v2 = ReviewSession(extract_case(ws.sources(YUNXI)), recheck, reviewer="王五")
    v2.decide(v2.open_findings()[0].fingerprint, CONFIRMED)
    save_case(ws.case(YUNXI).case_file, v2)
    ws.refresh(YUNXI)
    pdf.write_bytes(pdf.read_bytes() + b"\n% v3\n")
    ws.rescan()
    entry = ws.case(YUNXI)
    assert sorted(v.reviewer for v in review_versions(entry.case_file)) == ["李四", "王五"]
    assert review_versions(entry.case_file)[0].reviewer == "王五"  # the latest earlier one first
    # sent a fourth time before anyone opened the third: both earlier reviews still in view
    pdf.write_bytes(pdf.read_bytes() + b"\n% v4\n")
    ws.rescan()
    entry = ws.case(YUNXI)
    assert sorted(v.reviewer for v in review_versions(entry.case_file)) == ["李四", "王五"]
    assert entry.earlier_review is not None and entry.earlier_review.is_file()
    assert entry.earlier_review.parent == W.Path(entry.case_file).parent / "history" / entry.case_file.name[:-10]
