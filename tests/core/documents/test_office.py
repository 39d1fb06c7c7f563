"""Word, Excel and WPS files read like their PDF twins (issue 18).

The files of ``tests/data/office`` are the fixture packages of ``tests/data/packages`` written as .docx/.xlsx/
.xls/.et/.doc/.wps by ``tools/make_office_fixtures.py`` from the same fixture model (the flow of what each PDF
prints); their expected figures are the PDF package's ``expected.json``, written by the generator.
"""

from __future__ import annotations

import json
import re
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from core.documents.reader import open_any, sniff_format
from core.documents.sheets import simple_formula
from core.documents.synth import format_number
from core.errors import DocumentError
from core.pipeline import extract_case

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ROOT / "tests/data/packages"
OFFICE = ROOT / "tests/data/office"
INDEX = json.loads((OFFICE / "expected.json").read_text(encoding="utf-8"))
CJK = re.compile(r"[\u4e00-\u9fff]")


def _norm(v) -> str:
    try:
        return str(Decimal(str(v)).normalize())
    except Exception:
        return str(v)


def _files(*formats: str) -> list[tuple[str, str, str]]:
    return [(p["package"], f["file"], f["source"]) for p in INDEX["packages"] for f in p["files"]
            if f["file"].rsplit(".", 1)[1] in formats]


def _expected(package: str, source: str | None = None) -> Counter:
    exp = json.loads((PACKAGES / package / "expected.json").read_text(encoding="utf-8"))
    return Counter((f["key"], _norm(f["value"])) for f in exp["fields"] if source is None or f["file"] == source)


def _got(case) -> Counter:
    return Counter((f.key, _norm(f.value)) for f in case.fields)


def _findings(case) -> Counter:
    return Counter((f.check, f.severity.value, tuple(sorted(str(v) for v in f.values)))
                   for f in case.findings if f.severity.value != "info")


@pytest.mark.parametrize("package,name,source", _files("docx", "xlsx", "xls", "et", "doc", "wps"))
def test_each_office_file_gives_the_figures_of_its_pdf(package, name, source):
    want = _expected(package, source)
    case = extract_case([OFFICE / package / name])
    hit = sum((want & _got(case)).values())
    assert hit >= 0.95 * sum(want.values()), (hit, sum(want.values()), list((want - _got(case)).items())[:10])


def test_sheets_are_read_exactly_every_figure_of_the_forms():
    for package, name, source in _files("xlsx", "xls", "et"):
        want = _expected(package, source)
        got = _got(extract_case([OFFICE / package / name]))
        assert want - got == Counter(), (name, want - got)


MIXED = [OFFICE / "split_files_2024/01-部门整体支出绩效评价基础数据表.xlsx",
         OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xls",
         OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.docx",
         PACKAGES / "split_files_2024/04-2024年度部门决算（公开表及情况说明）.pdf"]


def test_a_package_mixing_xlsx_xls_docx_and_pdf_is_one_case_like_its_pdf_twin():
    pdf = extract_case([PACKAGES / "split_files_2024"])
    mixed = extract_case(MIXED)
    assert [d.path for d in mixed.documents] == [str(p) for p in MIXED]
    assert not mixed.extra.get("unreadable")
    want = _expected("split_files_2024")
    got = _got(mixed)
    assert sum((want & got).values()) >= 0.95 * sum(want.values())
    assert _got(pdf) == got  # every figure the PDFs give, and nothing else
    assert _findings(mixed) == _findings(pdf)


@pytest.mark.parametrize("package", sorted(p["package"] for p in INDEX["packages"]))
def test_word_packages_give_the_same_figures_and_findings_as_the_pdfs(package):
    pdf = extract_case([PACKAGES / package])
    files = {}  # one file per source PDF: the .docx, or the .xlsx of a form alone
    for f in next(p for p in INDEX["packages"] if p["package"] == package)["files"]:
        if f["file"].endswith((".docx", ".xlsx")):
            files.setdefault(f["source"], OFFICE / package / f["file"])
    word = extract_case(sorted(files.values()))
    want = _expected(package)
    assert sum((want & _got(word)).values()) >= 0.95 * sum(want.values())
    assert _got(word) == _got(pdf)
    assert len(word.indicators) == len(pdf.indicators)
    assert _findings(word) == _findings(pdf)
    errors = [f for f in word.findings if f.severity.value == "error"]
    exp = json.loads((PACKAGES / package / "expected.json").read_text(encoding="utf-8"))
    if exp.get("expect_no_errors"):
        assert errors == []
    else:
        assert len(errors) >= len(exp.get("injected", []))


def test_a_word_97_package_doc_and_wps_gives_the_figures_and_findings_of_the_pdfs():
    pdf = extract_case([PACKAGES / "variant_clean_2024"])
    stem = OFFICE / "variant_clean_2024/岳阳楼区发展和改革局2024年度部门"
    for suffix in (".doc", ".wps"):
        case = extract_case([Path(f"{stem}整体支出绩效自评材料{suffix}"), Path(f"{stem}决算.docx")])
        assert case.documents[0].path.endswith(suffix)
        assert _got(case) == _got(pdf)
        assert _findings(case) == _findings(pdf)
        assert len(case.indicators) == len(pdf.indicators) > 10


def test_a_word_97_table_keeps_its_merged_cells():
    doc = open_any(OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.doc", "d1")
    assert doc.format == "doc"
    doc = open_any(OFFICE / "variant_clean_2024/岳阳楼区发展和改革局2024年度部门整体支出绩效自评材料.wps", "d1")
    tables = [t for p in doc.pages for t in p.tables]
    sheet = next(t for t in tables if any(c.text == "一级指标" for row in t.rows for c in row))
    merged = [c for row in sheet.rows for c in row if c.merged]
    assert merged and any(c.text.startswith("产出指标") for c in merged)  # 一级 cell spanning its rows


def test_a_sheet_figure_names_its_sheet_and_cell_and_that_cell_holds_it():
    import openpyxl

    path = OFFICE / "split_files_2024/01-部门整体支出绩效评价基础数据表.xlsx"
    case = extract_case([path])
    wb = openpyxl.load_workbook(path, data_only=True)
    basic = [f for f in case.fields if f.key.startswith("basic.") and isinstance(f.value, Decimal)]
    assert len(basic) >= 40
    for f in basic:
        sheet, addr = f.attrs["cell"].split("!")
        cell = wb[sheet][addr]
        v = cell.value
        shown = Decimal(str(v)) * (100 if "%" in cell.number_format else 1)  # 0.9375 in 0.00% shows 93.75%
        assert v is not None and shown == f.value, (f.key, f.attrs["cell"], v, f.value)
        assert f.attrs["where"] == f"工作表“{sheet}”{addr}单元格"


def test_a_word_figure_names_its_paragraph_or_table_cell():
    case = extract_case([OFFICE / "variant_clean_2024/岳阳楼区发展和改革局2024年度部门整体支出绩效自评材料.docx"])
    report = [f for f in case.fields if f.key.startswith("report.") and isinstance(f.value, Decimal)]
    sheet = [f for f in case.fields if f.key.startswith("selfeval.") and isinstance(f.value, Decimal)]
    assert report and sheet
    assert all(isinstance(f.attrs.get("paragraph"), int) and f.attrs["where"] == f"第{f.attrs['paragraph']}段"
               for f in report)
    assert all(re.fullmatch(r"表\d+第\d+行第\d+列", f.attrs.get("table_cell", "")) for f in sheet)


def test_the_page_of_a_sheet_is_the_sheet_and_its_boxes_are_stable():
    path = OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xlsx"
    a, b = open_any(path, "d1"), open_any(path, "d1")
    assert a.format == "xlsx" and len(a.pages) == 1
    assert [ln.boxes for ln in a.pages[0].lines] == [ln.boxes for ln in b.pages[0].lines]
    table = max(a.pages[0].tables, key=lambda t: t.n_rows)
    assert table.ruled and table.n_rows >= 10
    assert any(c.merged for row in table.rows for c in row)  # the 一级/二级 merged cells


# -- numbers and formulas ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value,fmt,shown", [
    (542.4, "0.00", "542.40"), (1620.35, "#,##0.00", "1,620.35"), (0.9705, "0.00%", "97.05%"),
    (5, "General", "5"), (831.26, "General", "831.26"), (0.1 + 0.2, "General", "0.3"),
    (-12.5, "#,##0.00;[Red]-#,##0.00", "-12.50"), (16203500, '#,##0.00"元"', "16,203,500.00元"),
    (3.0, "0", "3"), (831.26, '0.00"万元"', "831.26万元"), (-1234, "#,##0.00;(#,##0.00)", "(1,234.00)"),
    (0, '0.00;-0.00;"-"', "-"), (831.26, "G/通用格式", "831.26"), (1234.5, "#,##0.00_ ", "1,234.50"),
    (1234.5, "¥#,##0.00", "¥1,234.50"), (0.5, "0%", "50%"), (12.0, "0.##", "12"), (-3.5, "0.00", "-3.50"),
    (1234.567, "[$-804]#,##0.00", "1,234.57"), (100, "@", "100"),
])
def test_a_number_shows_as_its_format_prints_it(value, fmt, shown):
    assert format_number(value, fmt) == shown


def test_formulas_without_cached_values_are_summed_or_reported_never_run(tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "基础数据表"
    ws["A1"] = "部门整体支出绩效评价基础数据表"
    rows = [("项目", "金额"), ("基本支出", 100.25), ("项目支出", 200.5), ("合计", "=SUM(B3:B4)"),
            ("差额", "=B5-B3-B4"), ("乘积", "=B3*2"), ("危险", '=__import__("os").system("echo x")')]
    for i, (a, b) in enumerate(rows, start=2):
        ws.cell(row=i, column=1, value=a)
        ws.cell(row=i, column=2, value=b).number_format = "0.00"
    path = tmp_path / "公式.xlsx"
    wb.save(path)  # openpyxl writes formulas without cached values, like a file Excel never saved
    doc = open_any(path, "d1")
    text = doc.pages[0].text
    assert "300.75" in text and "0.00" in text
    problems = [p["message"] for p in doc.problems]
    assert len(problems) == 1 and "公式无缓存值" in problems[0] and "基础数据表!B7" in problems[0] \
        and "基础数据表!B8" in problems[0] and "共2个" in problems[0]
    assert simple_formula("=SUM(A1:A2)", lambda r, c: Decimal(2)) == Decimal(4)
    assert simple_formula("=A1*3", lambda r, c: Decimal(2)) is None
    assert simple_formula("=ROUND(A1,2)", lambda r, c: Decimal(2)) is None


# -- bad files -----------------------------------------------------------------------------------------------

def _truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


@pytest.mark.parametrize("make", [
    lambda d: _truncated(OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.docx", d / "报告.docx"),
    lambda d: _truncated(OFFICE / "split_files_2024/01-部门整体支出绩效评价基础数据表.xlsx", d / "基础数据表.xlsx"),
    lambda d: _truncated(OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xls", d / "自评表.xls"),
    lambda d: _truncated(OFFICE / "split_files_2024/02-部门整体支出绩效自评表.et", d / "自评表.et"),
    lambda d: _zip(d / "空壳.docx", {"word/document.xml": "<w:document"}),
    lambda d: _zip(d / "空壳.xlsx", {"xl/workbook.xml": "<workbook/>"}),
    lambda d: _zip(d / "资料.zip", {"a.txt": "x"}),
    lambda d: _write(d / "旧.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),
])
def test_a_damaged_office_file_gets_a_chinese_reason(tmp_path, make):
    path = make(tmp_path)
    with pytest.raises(DocumentError) as e:
        open_any(path, "d1")
    assert CJK.search(e.value.reason) and "Traceback" not in e.value.reason


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for k, v in parts.items():
            z.writestr(k, v)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_formats_are_told_by_content_not_by_name(tmp_path):
    src = OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xls"
    renamed = tmp_path / "自评表.pdf"
    renamed.write_bytes(src.read_bytes())
    assert sniff_format(renamed) == "ole"
    assert open_any(renamed, "d1").format == "xls"
    docx = tmp_path / "报告.wps"
    docx.write_bytes((OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.docx").read_bytes())
    assert open_any(docx, "d1").format == "docx"


def _docx(path: Path, body: str, numbering: str | None = None, *, strict: bool = False) -> Path:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    if strict:
        w = 'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"'
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", f'<w:document {w}><w:body>{body}</w:body></w:document>')
        if numbering:
            z.writestr("word/numbering.xml", f"<w:numbering {w}>{numbering}</w:numbering>")
    return path


def test_word_list_numbers_are_printed_text_and_merged_cells_span(tmp_path):
    """Word generates "一、" / "（一）" itself (numbering.xml): the reader writes them in, as they are printed, so
    headings start paragraphs; a vMerge/gridSpan cell is one merged cell."""
    numbering = (
        '<w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>')

    def p(text: str, lvl: int | None = None) -> str:
        num = f'<w:numPr><w:ilvl w:val="{lvl}"/><w:numId w:val="3"/></w:numPr>' if lvl is not None else ""
        return f'<w:p><w:pPr>{num}</w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>'

    def tc(text: str, extra: str = "") -> str:
        return f"<w:tc><w:tcPr>{extra}</w:tcPr>{p(text)}</w:tc>"

    table = ('<w:tbl><w:tblGrid><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>'
             + "<w:tr>" + tc("产出指标", '<w:vMerge w:val="restart"/>') + tc("数量指标", '<w:gridSpan w:val="2"/>')
             + "</w:tr><w:tr>" + tc("", "<w:vMerge/>") + tc("质量") + tc("100%") + "</w:tr></w:tbl>")
    body = p("部门基本情况", 0) + p("主要职能", 1) + p("机构设置", 1) + p("收支情况", 0) + p("收入", 1) + table
    doc = open_any(_docx(tmp_path / "报告.docx", body, numbering), "d1")
    texts = [ln.text for ln in doc.pages[0].lines]
    assert texts[:5] == ["一、部门基本情况", "(一)主要职能", "(二)机构设置", "二、收支情况", "(一)收入"]
    [t] = doc.pages[0].tables
    assert [c.text for c in t.rows[0]] == ["产出指标", "数量指标", "数量指标"]
    assert [c.text for c in t.rows[1]] == ["产出指标", "质量", "100%"] and t.rows[1][0].merged


def test_our_own_exported_workbook_beside_the_package_is_not_read_as_a_package_file(tmp_path):
    """A reviewer often saves the exported 审核表/复核意见 into the package folder: with Excel and Word files now
    read, that folder must still give the package's own figures, not our export's copy of them."""
    import shutil

    from core.export import export_workbooks

    pkg = tmp_path / "部门"
    shutil.copytree(OFFICE / "split_files_2024", pkg, ignore=shutil.ignore_patterns("*.xls", "*.et", "*.doc",
                                                                                       "*.wps", "*.ofd"))
    before = extract_case([pkg])
    export_workbooks(before, pkg)
    assert any(p.suffix == ".xlsx" and p.name not in {f.name for f in (OFFICE / "split_files_2024").iterdir()}
               for p in pkg.iterdir())
    after = extract_case([pkg])
    assert _got(after) == _got(before)
    skipped = [u for u in after.extra.get("unreadable", []) if u["code"] == "own_output"]
    assert skipped and all("本工具导出" in u["message"] for u in skipped)


@pytest.mark.parametrize("name,reason", [("旧.wps", "早期WPS专有格式"), ("旧.doc", "无法识别的旧版Office文档")])
def test_a_compound_file_that_is_neither_word_nor_excel_gets_a_reason(tmp_path, name, reason):
    """An old Kingsoft .wps (before WPS wrote the Word 97 format) is a compound file without a WordDocument
    stream: made here from a .doc whose stream is renamed (the directory entry's UTF-16 name, same length)."""
    data = (OFFICE / "split_files_2024/03-部门整体支出绩效自评报告.doc").read_bytes()
    old = "WordDocument".encode("utf-16-le")
    assert data.count(old) == 1
    path = tmp_path / name
    path.write_bytes(data.replace(old, "KingDocument".encode("utf-16-le")))
    with pytest.raises(DocumentError) as e:
        open_any(path, "d1")
    assert reason in e.value.reason


def test_forms_on_two_sheets_of_one_workbook_with_or_without_borders(tmp_path):
    """Departments often fill both forms in one workbook (a sheet each), and some never draw borders: each
    sheet is a page of its own, and a sheet without borders has its table where rows hold two or more cells."""
    from copy import copy

    import openpyxl
    from openpyxl.styles import Border

    basic = OFFICE / "split_files_2024/01-部门整体支出绩效评价基础数据表.xlsx"
    sheet = OFFICE / "split_files_2024/02-部门整体支出绩效自评表.xlsx"
    want = _got(extract_case([basic, sheet]))
    wb = openpyxl.load_workbook(basic)
    src = openpyxl.load_workbook(sheet).active
    dst = wb.create_sheet("自评表")
    for row in src.iter_rows():
        for c in row:
            d = dst.cell(row=c.row, column=c.column, value=c.value)
            d.number_format, d.border, d.alignment = c.number_format, copy(c.border), copy(c.alignment)
    for m in src.merged_cells.ranges:
        dst.merge_cells(str(m))
    for k, cd in src.column_dimensions.items():
        dst.column_dimensions[k].width = cd.width
    wb.save(tmp_path / "两张表.xlsx")
    case = extract_case([tmp_path / "两张表.xlsx"])
    assert _got(case) == want
    assert {f.attrs["sheet"] for f in case.fields} == {"基础数据表", "自评表"}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                c.border = Border()
    wb.save(tmp_path / "无边框.xlsx")
    assert _got(extract_case([tmp_path / "无边框.xlsx"])) == want


def test_a_strict_open_xml_docx_reads_like_a_transitional_one(tmp_path):
    body = '<w:p><w:r><w:t>2024年度本部门一般公共预算支出943.63万元。</w:t></w:r></w:p>'
    a = open_any(_docx(tmp_path / "a.docx", body), "d1")
    b = open_any(_docx(tmp_path / "b.docx", body, strict=True), "d1")
    assert [ln.text for ln in b.pages[0].lines] == [ln.text for ln in a.pages[0].lines] != []
