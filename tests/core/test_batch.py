"""Batch over a district: a dozen department folders (the fixture packages repeated under other names) plus
three that cannot be reviewed; per-case workbooks, a 汇总表 whose figures are each package's own (read back
with openpyxl and compared with the golden expected.json beside each fixture), the cache that makes a second
run fast, and a review's decisions carried into the batch."""

from __future__ import annotations

import json
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest

from core.batch import CaseJob, cache_key, process_case, run_batch
from core.batch import engine_fingerprint as real_engine_fingerprint
from core.export.excel import build_summary_workbook
from core.workspace import Workspace

PACKAGES = Path(__file__).resolve().parents[1] / "data" / "packages"
GOOD = ["yunxi_2024", "tianyuan_2024", "variant_clean_2024", "variant_xuanchuan_2023"]


def copy_package(package: str, folder: Path) -> None:
    found = sorted((PACKAGES / package).glob("*.pdf"))
    if not found:
        pytest.skip(f"fixture package {package} missing")
    folder.mkdir(parents=True)
    for p in found:
        shutil.copy2(p, folder / p.name)


def expected(package: str) -> dict:
    """The 汇总表 figures of a package, from its golden expected.json (not from our extraction)."""
    data = json.loads((PACKAGES / package / "expected.json").read_text(encoding="utf-8"))

    def first(key: str):
        for f in data["fields"]:
            if f["key"] == key:
                return Decimal(str(f["value"])), f.get("unit", "")
        return None, ""

    def wan(key: str):
        v, unit = first(key)
        if v is not None and unit == "元":
            v = (v / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return v

    out = {
        "staff_authorized": first("basic.staff.authorized")[0],
        "staff_actual": first("basic.staff.actual")[0],
        "annual_budget": wan("selfeval.funds.annual_budget"),
        "executed": wan("selfeval.funds.executed"),
        "execution_rate": first("selfeval.funds.execution_rate")[0],
        "sangong_budget": wan("basic.sangong.budget"),
        "sangong_final": wan("basic.sangong.final"),
        "score_stated": first("selfeval.total_score")[0],
    }
    if out["sangong_budget"] is None and out["sangong_final"] is None:
        out["sangong_budget"] = wan("accounts.t09.budget.total")
        out["sangong_final"] = wan("accounts.t09.final.total")
    grade = [f["value"] for f in data["fields"] if f["key"] == "selfeval.grade"]
    out["grade_stated"] = grade[0] if grade else None
    return out


@pytest.fixture(scope="module", autouse=True)
def pinned_engine():
    """The cache key includes the size/mtime of the core's code (an upgrade must not serve a stale case);
    pinned here so that someone editing the code while the tests run does not invalidate the cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("core.batch.engine_fingerprint", lambda: "test-engine")
        yield


@pytest.fixture(scope="module")
def district(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("batch") / "某区"
    root.mkdir()
    for i in range(12):  # twelve departments: each fixture package three times under other folder names
        copy_package(GOOD[i % 4], root / f"部门{i + 1:02d}")
    (root / "部门13").mkdir()
    (root / "部门13" / "自评报告.docx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")
    (root / "部门14").mkdir()
    (root / "部门14" / "自评材料.pdf").write_bytes(b"PK\x03\x04\x14\x00\x06\x00word/document.xml")
    copy_package("not_reviewable/budget_2025", root / "部门15")
    return root


@pytest.fixture(scope="module")
def first_run(district, tmp_path_factory):
    out = tmp_path_factory.mktemp("out") / "结果"
    lines: list[str] = []
    result = run_batch(district, out, jobs=2, reviewer="王五", progress=lines.append)
    return result, lines


def package_of(folder_name: str) -> str | None:
    n = int(folder_name.removeprefix("部门"))
    return GOOD[(n - 1) % 4] if n <= 12 else None


def summary_sheet(result):
    ws = openpyxl.load_workbook(result.summary_path).active
    header = None
    rows = []
    for r in range(1, ws.max_row + 1):
        if ws.cell(r, 1).value == "序号":
            header = r
        elif header and isinstance(ws.cell(r, 1).value, int):
            rows.append(r)
    return ws, rows


COLS = {"name": 2, "staff_authorized": 3, "staff_actual": 4, "annual_budget": 5, "executed": 6,
        "execution_rate": 7, "sangong_budget": 8, "sangong_final": 9, "score_stated": 10,
        "score_recomputed": 11, "grade_stated": 12, "grade_recomputed": 13, "errors": 14, "warnings": 15,
        "status": 16, "link": 17, "note": 18, "materials": 19}


def test_every_case_ends_with_a_line_and_the_run_succeeds(first_run):
    result, lines = first_run
    assert result.exit_code == 0 and result.succeeded == 12 and result.failed == 3
    done = [ln for ln in lines if ln.startswith("[")]
    assert len(done) == 15 and done[-1].startswith("[15/15] ")
    assert sum("…完成（错误" in ln for ln in done) == 12
    assert all("Traceback" not in ln for ln in lines)


def test_summary_says_which_expected_materials_each_department_lacks(first_run, district):
    """The 材料 column: what the full extraction found against the generator's own list of forms per file
    (expected.json), e.g. 天元 sent no 基础数据表, 云溪 no 决算; a 部门预算 holds none of them."""
    from core.materials import MATERIALS, material_of_kind

    result, _ = first_run
    ws, rows = summary_sheet(result)
    for r, o in zip(rows, result.outcomes):
        folder = o.case_id.removeprefix("dir:")
        package = package_of(folder)
        cell = ws.cell(r, COLS["materials"])
        if package is None:
            if folder == "部门15":  # a 部门预算, read in full: none of the four
                assert cell.value == "缺" + "、".join(MATERIALS)
            continue
        data = json.loads((PACKAGES / package / "expected.json").read_text(encoding="utf-8"))
        held = {material_of_kind(k) for d in data["documents"] for k in d["kinds"]}
        lacking = [m for m in MATERIALS if m not in held]
        assert cell.value == ("缺" + "、".join(lacking) if lacking else "齐全"), folder
        assert (cell.fill.fgColor.rgb not in (None, "00000000")) == bool(lacking)  # a gap is highlighted
    assert {ws.cell(r, COLS["materials"]).value for r in rows} >= {"缺基础数据表", "缺决算", "齐全"}


def test_per_case_workbooks(first_run):
    result, _ = first_run
    folders = sorted(p.name for p in result.out_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
    assert len(folders) == 12
    for o in result.outcomes:
        if o.ok:
            assert len(o.workbooks) == 1
            wb = Path(o.workbooks[0])
            assert wb.is_file() and wb.parent.parent == result.out_dir
            assert "问题清单" in openpyxl.load_workbook(wb, read_only=True).sheetnames
    # three departments with the same unit: three folders, told apart by their folder names
    yunxi = sorted(f for f in folders if f.startswith("中共岳阳市云溪区委组织部"))
    assert yunxi == ["中共岳阳市云溪区委组织部_部门01", "中共岳阳市云溪区委组织部_部门05",
                     "中共岳阳市云溪区委组织部_部门09"]


def test_summary_figures_match_each_package(first_run, district):
    result, _ = first_run
    assert result.summary_path.name == "汇总表_某区.xlsx"  # mixed districts: the folder names it
    ws, rows = summary_sheet(result)
    assert len(rows) == 15
    entries = Workspace.open(district, result.store_dir, save=False).list_cases()
    by_folder = {Path(e.folder).name: e for e in entries}
    checked = 0
    for r, o in zip(rows, result.outcomes):
        folder = o.case_id.removeprefix("dir:")
        assert ws.cell(r, COLS["name"]).value == by_folder[folder].name
        package = package_of(folder)
        if package is None:
            continue
        want = expected(package)
        for key, v in want.items():
            got = ws.cell(r, COLS[key]).value
            if key == "execution_rate" and v is not None:
                v = v / 100  # a percent number is written as the ratio, formatted 0.00%
            if isinstance(v, Decimal):
                assert got is not None and Decimal(str(got)) == v, (folder, key, got, v)
            else:
                assert got == v, (folder, key, got, v)
        assert ws.cell(r, COLS["annual_budget"]).number_format == "0.00"
        assert ws.cell(r, COLS["execution_rate"]).number_format == "0.00%"
        assert ws.cell(r, COLS["staff_authorized"]).number_format in ("0", "General")
        # recomputed score and grade are the case's own
        assert ws.cell(r, COLS["score_recomputed"]).value is not None
        assert ws.cell(r, COLS["grade_recomputed"]).value in ("优", "良", "中", "差")
        checked += 1
    assert checked == 12


def test_summary_counts_are_those_of_each_problem_list(first_run):
    result, _ = first_run
    ws, rows = summary_sheet(result)
    for r, o in zip(rows, result.outcomes):
        if not o.ok:
            continue
        cell = ws.cell(r, COLS["link"])
        assert cell.value == "问题清单" and cell.data_type == "s"  # a hyperlink on a text cell, no formula
        assert cell.hyperlink.location == "'问题清单'!A1"
        target = cell.hyperlink.target
        wb = openpyxl.load_workbook(result.out_dir / target, read_only=True)
        severities = [row[1] for row in wb["问题清单"].iter_rows(values_only=True)]
        assert ws.cell(r, COLS["errors"]).value == severities.count("错误")
        assert ws.cell(r, COLS["warnings"]).value == severities.count("警告")


def test_failed_cases_have_a_row_with_the_reason(first_run):
    result, _ = first_run
    ws, rows = summary_sheet(result)
    notes = {o.case_id: ws.cell(r, COLS["note"]).value for r, o in zip(rows, result.outcomes)}
    # Word files are read (issue 18): these two are damaged ones, named with the reader's reason
    assert "自评报告.docx" in notes["dir:部门13"] and "Word文档" in notes["dir:部门13"] and "损坏" in notes["dir:部门13"]
    assert "自评材料.pdf" in notes["dir:部门14"] and "Word文档" in notes["dir:部门14"]
    assert "部门预算" in notes["dir:部门15"]
    for cid in ("dir:部门13", "dir:部门14", "dir:部门15"):
        r = rows[[o.case_id for o in result.outcomes].index(cid)]
        assert ws.cell(r, COLS["link"]).value is None and ws.cell(r, COLS["errors"]).value is None


def test_summary_totals_print_setup_and_only_our_formulas(first_run):
    result, _ = first_run
    ws, rows = summary_sheet(result)
    total = rows[-1] + 1
    assert ws.cell(total, 1).value == "合计" and ws.cell(total + 1, 1).value == "平均"
    first, last = rows[0], rows[-1]
    def col(key):
        return [ws.cell(r, COLS[key]).value for r in range(first, last + 1) if ws.cell(r, COLS[key]).value is not None]
    # our own totals are values (computed here), never formulas without a cached value
    assert ws.cell(total, COLS["annual_budget"]).value == pytest.approx(sum(col("annual_budget")))
    assert ws.cell(total, COLS["errors"]).value == sum(col("errors"))
    stated = col("score_stated")
    assert ws.cell(total + 1, COLS["score_stated"]).value == pytest.approx(sum(stated) / len(stated), abs=1e-4)
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert all(ws[f"Q{r}"].hyperlink is not None for r, o in zip(rows, result.outcomes) if o.ok)


def test_document_text_in_the_summary_never_becomes_a_formula():
    rows = [{"name": "=HYPERLINK(\"http://x\")", "note": "+1", "grade_stated": "@x", "errors": 1,
             "warnings": 0, "link_target": 'a"b/c.xlsx', "annual_budget": Decimal("12.50")},
            {"name": "-2", "failed": True, "note": "=cmd|' /C calc'!A0"}]
    built = build_summary_workbook(rows, title="=某区", year=2024)
    ws = built.workbook.active
    cells = {c.coordinate: c for row in ws.iter_rows() for c in row if c.value is not None}
    assert not {k for k, c in cells.items() if c.data_type == "f"} and not built.formulas["汇总表"]
    texts = [c for c in cells.values() if c.data_type == "s"]
    dangerous = [c for c in texts if str(c.value).startswith(("=", "+", "-", "@"))]
    wanted = {"=HYPERLINK(\"http://x\")", "+1", "@x", "-2", "=cmd|' /C calc'!A0"}
    assert {c.value for c in dangerous} >= wanted
    assert all(c.quotePrefix for c in dangerous)
    link = next(c for c in cells.values() if c.column == 17 and c.hyperlink is not None)
    assert link.value == "问题清单" and link.hyperlink.target == 'a"b/c.xlsx'
    assert link.hyperlink.location == "'问题清单'!A1"
    assert built.file_name == "汇总表_=某区.xlsx"


def test_second_run_reuses_the_cache_and_is_faster(first_run, district, tmp_path):
    result, _ = first_run
    lines: list[str] = []
    again = run_batch(district, result.out_dir, jobs=2, progress=lines.append)
    assert again.exit_code == 0 and again.succeeded == 12
    assert {o.source for o in again.outcomes if o.ok} == {"cache"}
    assert sum("沿用已缓存的提取结果" in ln for ln in lines) == 12
    assert again.seconds < result.seconds
    # the rows are the same as the first run's
    assert [r.get("annual_budget") for r in again.rows] == [r.get("annual_budget") for r in result.rows]
    assert [r.get("errors") for r in again.rows] == [r.get("errors") for r in result.rows]


def test_a_changed_package_is_read_again(first_run, district, tmp_path):
    result, _ = first_run
    work = tmp_path / "区"
    shutil.copytree(district / "部门04", work / "部门04")
    out = tmp_path / "out"
    shutil.copytree(result.store_dir, out / ".cache")  # the first run's cache
    one = run_batch(work, out, jobs=1)
    assert [o.source for o in one.outcomes] == ["cache"]
    pdf = next((work / "部门04").glob("*.pdf"))
    pdf.write_bytes(pdf.read_bytes() + b"\n% changed\n")
    two = run_batch(work, out, jobs=1)
    assert [o.source for o in two.outcomes] == ["extracted"]


def test_engine_fingerprint():
    fp = real_engine_fingerprint()
    assert len(fp) == 16 and int(fp, 16) >= 0 and real_engine_fingerprint() == fp


def test_cache_key_depends_on_sources_and_preset():
    assert cache_key(["b", "a"], None, "e") == cache_key(["a", "b", "a"], None, "e")
    assert cache_key(["a"], None, "e") != cache_key(["a"], "hunan_a", "e")
    assert cache_key(["a"], None, "e") != cache_key(["a"], None, "f")
    assert cache_key(["a"], None, "e") != cache_key(["b"], None, "e")


def test_a_review_in_the_window_workspace_is_what_the_batch_exports(tmp_path):
    """When DIR is the window's workspace, a reviewed case is exported from its review (decisions applied,
    open counts), and the batch's counts and cache are recorded for the window."""
    from core.pipeline import extract_case, recheck
    from core.review import ReviewSession
    from core.review.corrections import VERIFIED
    from core.review.store import save_case

    root = tmp_path / "区"
    copy_package("yunxi_2024", root / "云溪")
    copy_package("variant_xuanchuan_2023", root / "湘潭")
    ws = Workspace.open(root)
    entry = ws.case("dir:云溪")
    session = ReviewSession(extract_case(ws.sources(entry.id)), recheck, reviewer="李四")
    errors = [f for f in session.open_findings() if f.severity.value == "error"]
    session.decide(errors[0].fingerprint, VERIFIED, "已核实")
    save_case(entry.case_file, session)

    lines: list[str] = []
    result = run_batch(root, tmp_path / "out", jobs=1, progress=lines.append)
    assert result.exit_code == 0
    by_id = {o.case_id: o for o in result.outcomes}
    assert by_id["dir:云溪"].source == "review" and by_id["dir:云溪"].errors == len(errors) - 1
    # 复核完成 by the window's rule, said on the progress line and in the 汇总表's 说明
    undecided = len(errors) - 1 + by_id["dir:云溪"].warnings
    reason = f"未复核完成：还有{undecided}条问题未处理（其中错误{len(errors) - 1}条）"
    assert by_id["dir:云溪"].complete is False and by_id["dir:云溪"].completion_text.startswith(reason)
    assert by_id["dir:湘潭"].complete is None  # not reviewed: nothing to say
    assert any(ln.startswith("[") and "云溪" in ln and reason in ln for ln in lines)
    sheet, rows = summary_sheet(result)
    notes = [sheet.cell(r, COLS["note"]).value or "" for r in rows]
    assert sum(reason in n for n in notes) == 1
    assert result.store_dir == root / ".jixiao"
    again = Workspace.open(root)
    assert again.case("dir:湘潭").open_warnings == by_id["dir:湘潭"].warnings
    cached = again.cached_case("dir:湘潭")
    assert cached is not None and Path(cached.documents[0].path).parent == root / "湘潭"


def test_a_bug_in_one_case_is_a_row_not_a_crash(tmp_path, monkeypatch):
    import core.pipeline

    def boom(*a, **k):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(core.pipeline, "extract_case", boom)
    pdf = next((PACKAGES / "yunxi_2024").glob("*.pdf"))
    out = process_case(CaseJob("dir:x", "某单位", (str(pdf),), str(tmp_path / "x")))
    assert not out.ok and "程序错误" in out.reason and "RuntimeError" in out.traceback


def test_nothing_to_read(tmp_path):
    (tmp_path / "空").mkdir()
    result = run_batch(tmp_path / "空", tmp_path / "out", jobs=1)
    assert result.exit_code == 3 and result.outcomes == [] and result.summary_path is None


def test_an_output_folder_that_cannot_be_written(tmp_path):
    from core.errors import OutputError

    copy_package("variant_xuanchuan_2023", tmp_path / "区" / "湘潭")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(OutputError):
        run_batch(tmp_path / "区", tmp_path / "file", jobs=1)
