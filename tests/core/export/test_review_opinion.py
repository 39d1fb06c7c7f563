"""The draft 复核意见 (.docx) and the issue-16 properties of the workbooks, on a real fixture package.

yunxi_2024 (many findings) is read once; the reviewer's verdicts are put in as the window records them.  The
files are checked structurally (the XML of the .docx, the cells of the workbook): LibreOffice is for the
manual look (docs/export/), not for CI.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from core.export import export_workbooks
from core.scoring.presets import plain as _plain
from core.export.docx import export_review_opinion
from core.export.excel import _display_width
from core.export.review_items import CONFIRMED, EXCLUDED, OPEN, review_items
from core.review.corrections import CONFIRMED as CONFIRM, EXCLUDED as EXCLUDE, Decision

PKG = Path(__file__).resolve().parents[2] / "data" / "packages" / "yunxi_2024"
NOW = datetime(2026, 12, 7, 10, 30)


@pytest.fixture(scope="module")
def yunxi():
    from core.pipeline import extract_case

    return extract_case([str(p) for p in sorted(PKG.glob("*.pdf"))])


def _decisions(case):
    """Errors confirmed, every third warning excluded, the rest undecided."""
    out = []
    for i, f in enumerate(case.findings):
        if f.severity.value == "error":
            out.append(Decision(f.fingerprint, CONFIRM, "", "李审核", "2026-12-07T10:00:00+08:00"))
        elif i % 3 == 0:
            out.append(Decision(f.fingerprint, EXCLUDE, "情况说明已解释", "李审核", "2026-12-07T10:05:00+08:00"))
    return out


def _docx_text(path: Path) -> tuple[str, str]:
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    paras = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in re.findall(r"<w:p>.*?</w:p>", xml)]
    import html

    return xml, "\n".join(html.unescape(p) for p in paras)


def test_opinion_lists_exactly_the_confirmed_findings_and_the_recomputed_score(yunxi, tmp_path):
    decisions = _decisions(yunxi)
    items = review_items(yunxi, [], decisions)
    confirmed = [it for it in items if it.state == CONFIRMED]
    excluded = [it for it in items if it.state == EXCLUDED]
    pending = [it for it in items if it.state == OPEN and it.severity in ("error", "warning")]
    assert confirmed and excluded and pending
    path = export_review_opinion(yunxi, tmp_path, items=items, now=NOW)
    assert path.name == "中共岳阳市云溪区委组织部_2024_复核意见.docx"
    xml, text = _docx_text(path)
    problems = text.split("二、发现的主要问题")[1].split("三、整改要求")[0]
    assert f"发现以下{len(confirmed)}个问题" in problems
    for it in confirmed:  # every confirmed finding, with its pages
        assert it.message.rstrip("。") in problems, it.message
    for it in excluded:  # an excluded finding is nowhere in the opinion
        assert it.message.rstrip("。") not in text, it.message
    listed = re.findall(r"^\d+\. ", problems, flags=re.M)
    assert len(listed) == len(confirmed)
    # grouped under the headings of the template, in its order
    heads = re.findall(r"^（[一二三四五]）(.+)$", problems, flags=re.M)
    assert heads and heads[0] == "数据一致性方面"
    # undecided errors and warnings are not lost: a part of their own, marked as not confirmed
    pend = text.split("四、待核实事项")[1]
    for it in pending:
        assert it.message.rstrip("。") in pend
    # the recomputed score: the weights of yunxi add up to 110, the score is rescaled to 100 and says so
    sev = yunxi.scores["selfeval"]
    assert f"折算为{sev['normalized_total']}分" in text and f"合计{sev['recomputed_total']}分" in text
    assert "与自评结果一致" not in text  # the weights add up to 110: the stated 100 is not confirmed
    assert "整改要求" in text and "个工作日内完成整改" in text
    # the annex: each document with its sha256
    for d in yunxi.documents:
        assert d.sha256 in text and Path(d.path).name in text
    assert "<w:txbxContent" not in xml and "<w:pict" not in xml  # plain paragraphs, no text boxes


def test_a_clean_package_says_no_problem(tmp_path):
    from core.pipeline import extract_case

    pkg = PKG.parent / "variant_clean_2024"
    case = extract_case([str(p) for p in sorted(pkg.glob("*.pdf"))])
    path = export_review_opinion(case, tmp_path, now=NOW)
    _, text = _docx_text(path)
    # nothing confirmed: no problem is presented as one, and the scope is said; undecided warnings are not
    # passed off as "no problem" (tests/core/export/test_review_opinion_scope.py)
    undecided = [f for f in case.findings if f.severity.value in ("error", "warning")]
    assert ("在已完成的" in text and ("未发现需要整改的问题" in text) == (not undecided)
            and ("审核人尚未确认问题" in text) == bool(undecided))
    assert str(case.scores["selfeval"]["recomputed_total"]) in text


def test_document_text_is_never_a_field_code_or_a_formula(yunxi, tmp_path):
    nasty = '=SUM(A1:A9) { MERGEFIELD 单位 } <w:fldSimple w:instr="DATE"/> &'
    case = yunxi
    saved = [(f, f.message) for f in case.findings]
    try:
        for f in case.findings:
            f.message = nasty + f.message
        decisions = _decisions(case)
        items = review_items(case, [], decisions)
        path = export_review_opinion(case, tmp_path, items=items, now=NOW)
        [wb_path] = export_workbooks(case, tmp_path, decisions=decisions, items=items, now=NOW)
    finally:
        for f, m in saved:
            f.message = m
    xml, text = _docx_text(path)
    assert nasty in text  # the text, as written
    assert "fldSimple" not in xml.replace("&lt;w:fldSimple", "") and "<w:instrText" not in xml
    assert "<w:fldChar" not in xml
    wb = openpyxl.load_workbook(wb_path)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    hits = [c for c in cells if isinstance(c.value, str) and c.value.startswith(nasty)]
    assert hits and all(c.data_type == "s" and c.quotePrefix for c in hits)


def test_workbook_numbers_never_wrap_and_no_formula_without_a_value(yunxi, tmp_path):
    decisions = _decisions(yunxi)
    [path] = export_workbooks(yunxi, tmp_path, decisions=decisions, now=NOW)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:  # values only: nothing a previewer would show blank
        assert not [c.coordinate for row in ws.iter_rows() for c in row if c.data_type == "f"], ws.title
    ws = wb["问题清单"]
    h = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    heads = {ws.cell(h, c).value: c for c in range(1, ws.max_column + 1)}
    number = re.compile(r"^[+-]?[\d,]+(\.\d+)?%?$")
    checked = 0
    for r in range(h + 1, ws.max_row + 1):
        for c in range(1, ws.max_column + 1):
            cell = ws.cell(r, c)
            v = cell.value
            if v is None or type(cell).__name__ == "MergedCell":
                continue
            width = ws.column_dimensions[cell.column_letter].width
            if isinstance(v, (int, float, Decimal)):
                printed = format(Decimal(str(v)), "f")
                assert width >= _display_width(printed, 10) + 1, (cell.coordinate, v, width)
                checked += 1
            elif c == heads["涉及数值"]:
                for line in str(v).split("\n"):  # one figure a line, each fits the column
                    if number.match(line):
                        assert width >= _display_width(line, 10) + 1, (cell.coordinate, line, width)
                        checked += 1
                assert "、—" not in v and "—、" not in v
    assert checked > 30
    assert ws.freeze_panes == f"A{h + 1}" and ws.auto_filter.ref.startswith(f"A{h}:")
    assert all(isinstance(ws.cell(r, heads["页码"]).value, int) for r in range(h + 1, h + 10))
    assert not any(re.fullmatch(r"[a-z]+\.[a-z0-9_]+", str(ws.cell(r, heads["检查项"]).value or ""))
                   for r in range(h + 1, ws.max_row + 1))  # Chinese names, the id in its own column


def test_page_breaks_never_cut_a_merged_label(yunxi, tmp_path):
    [path] = export_workbooks(yunxi, tmp_path, now=NOW)
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        breaks = [b.id for b in ws.row_breaks.brk]
        for m in ws.merged_cells.ranges:
            for b in breaks:
                assert not (m.min_row <= b < m.max_row), (ws.title, str(m), b)
    ws = wb["整体支出绩效自评表"]
    breaks = [b.id for b in ws.row_breaks.brk]
    assert breaks  # yunxi's 自评表 runs over a page
    h = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "一级指标")
    for b in breaks:  # only between 一级指标 groups (or before the table)
        nxt = ws.cell(b + 1, 2).value
        assert b + 1 == h or nxt in ("产出指标", "效益指标", "满意度指标", "成本指标"), (b, nxt)
    last = next(r for r in range(h, ws.max_row + 1) if ws.cell(r, 1).value == "总分（绩效自评综合得分）")
    labels = [ws.cell(r, 1).value for r in range(h, last)]  # a one-row group on a page of its own is no merge
    assert labels.count("绩效指标") == len(breaks) + 1 - sum(1 for b in breaks if b < h)
    t = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "总分（绩效自评综合得分）")
    sev = yunxi.scores["selfeval"]
    assert Decimal(str(ws.cell(t, 11).value)) == sev["normalized_total"]  # one score, the one the grade uses
    assert f"折算为{_plain(sev['normalized_total'])}分" in ws.cell(t, 13).value


def test_a_finding_resolved_by_a_correction_is_listed_with_the_correction(tmp_path):
    """yunxi's 自评报告 says 项目支出 701.92 on page 6 (661.46 everywhere else): corrected, the findings that
    figure raised go away and the 问题清单 keeps them as 已消除, naming the correction."""
    from core.pipeline import extract_case, recheck
    from core.review.session import ReviewSession

    case = extract_case([str(p) for p in sorted(PKG.glob("*.pdf"))])
    before = {f.fingerprint for f in case.findings}
    s = ReviewSession(case, recheck, reviewer="李审核")
    fld = next(f for f in case.fields if f.key == "report.project" and str(f.value) == "701.92")
    s.correct(fld.id, "661.46", "自评报告笔误")
    gone = before - {f.fingerprint for f in case.findings}
    assert gone
    assert "_check_state" in case.__dict__  # re-checked incrementally: only the checks that read the field re-run
    items = review_items(case, list(s.corrections), list(s.decisions))
    resolved = [it for it in items if it.state == "resolved"]
    assert {it.fingerprint for it in resolved} == gone
    case.__dict__.pop("_check_state")  # and with no record of what each check read, every check runs: same
    assert {it.fingerprint for it in review_items(case, list(s.corrections), []) if it.state == "resolved"} == gone
    [path] = export_workbooks(case, tmp_path, corrections=list(s.corrections), items=items, now=NOW)
    ws = openpyxl.load_workbook(path)["问题清单"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    done = [r for r in rows if r[1] == "已消除"]
    assert len(done) == len(gone)
    assert all("由701.92改为661.46" in r[10] and "自评报告笔误" in r[10] for r in done)


def test_a_package_without_a_basic_data_sheet_gets_it_from_the_accounts(tmp_path):
    """tianyuan_2024 has a 决算 and no 基础数据表: 三公 (公开09), 项目支出 (公开03) and 公用经费 with its lines
    (公开06) are filled, shaded and named with their page in the note."""
    from core.pipeline import extract_case

    case = extract_case([str(p) for p in sorted((PKG.parent / "tianyuan_2024").glob("*.pdf"))])
    assert not any(f.key.startswith("basic.") and f.key != "basic.unit_name" for f in case.fields)
    [path] = export_workbooks(case, tmp_path, now=NOW)
    ws = openpyxl.load_workbook(path)["基础数据表"]
    rows = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value}
    expected = {"三公经费": "0.29", "项目支出：": "1583.48", "公用经费：": "62.40", "其中：办公经费": "11.62",
                "水费、电费、差旅费": "3.25"}
    for label, value in expected.items():
        cell = ws.cell(rows[label], 6)  # 2024年决算数
        assert Decimal(str(cell.value)) == Decimal(value), label
        assert cell.fill.fgColor.rgb.endswith("DDEBF7") and cell.comment is not None
    note = next(v for v in rows if v.startswith("审核注："))
    assert note.startswith("审核注：材料中没有基础数据表")
    for part in ("项目支出2024年决算数（公开03第9页）", "公用经费2024年决算数（公开06第13页）", "三公经费2024年预算数（公开09第17页）"):
        assert part in note, part


def test_the_summary_has_a_chart_of_scores_and_problems():
    from core.export.excel import build_summary_workbook

    rows = [{"name": "甲局", "score_recomputed": Decimal("96.58"), "grade_recomputed": "优", "errors": 3,
             "warnings": 5},
            {"name": "乙局", "score_recomputed": Decimal("71.00"), "grade_recomputed": "中", "errors": 0,
             "warnings": 2},
            {"name": "丙局", "failed": True, "note": "无法读取"}]
    wb = build_summary_workbook(rows, title="某区", year=2024).workbook
    assert wb.sheetnames == ["汇总表", "图表"] and wb.active.title == "汇总表"
    ws = wb["图表"]
    assert [ws.cell(r, 1).value for r in (2, 3)] == ["甲局（优）", "乙局（中）"]  # a failed case is not charted
    assert [ws.cell(2, c).value for c in (2, 3, 4)] == [Decimal("96.58"), 3, 5]
    titles = ["".join(r.t for p in ch.title.tx.rich.p for r in p.r) for ch in ws._charts]
    assert titles == ["各部门复核得分（括号内为复核等次）", "各部门待处理问题（条）"]


def test_every_registered_check_has_a_chinese_name_and_a_group():
    """resources/checks.json names every check of the registry (the 问题清单 never shows a bare id) and files it
    under one of the 复核意见's groups."""
    from core.checks.registry import all_checks
    from core.export.review_items import check_catalogue

    cat = check_catalogue()
    for info in all_checks():
        assert cat.name(info.id), f"resources/checks.json: no name for {info.id}"
        assert re.search(r"[\u4e00-\u9fff]", cat.name(info.id)), info.id
        assert cat.checks[info.id].group in cat.groups, info.id
    template = json.loads((Path(__file__).resolve().parents[3] / "resources" / "review_opinion.json")
                          .read_text(encoding="utf-8"))
    assert set(cat.groups) <= set(template["groups"])  # each group has its heading and 整改要求
