"""Fixture packages written as Word and Excel files (developer tool; .doc/.xls need ``soffice``).

    python tools/make_office_fixtures.py        # writes tests/data/office/<package>/

Why it exists: departments send the 自评表 and 基础数据表 as .xlsx/.xls/.et and the 自评报告 as .docx/.doc/.wps.
The same fixture model that draws a package's PDFs (``tools/fixtures``) is run again with ``draw.FLOWS`` set,
which records every printed line, paragraph and table (with its merged cells) in order; each PDF's flow is
then written

* as .docx (paragraphs with their alignment and first-line indent, ruled tables with w:gridSpan/w:vMerge,
  a page break where the PDF started a page), with the standard library;
* for a PDF that holds only forms (a 基础数据表 or 自评表 alone), as .xlsx: one sheet, the title lines as
  unbordered merged rows, the table with borders and merges, figures as numeric cells in the format they were
  printed ("1,620.35" → 1620.35 in #,##0.00, "97.05%" → 0.9705 in 0.00%), codes and counts as text;
* by LibreOffice (``soffice --convert-to``) from those: .xls (Excel 97) and .doc (Word 97); the WPS names
  .et and .wps are the same files under another name, as WPS writes them;
* as .ofd from the committed PDF itself (its characters as text runs with DeltaX, its ruling lines as path
  objects, in millimetres), the way an OFD producer lays out a printed page;
* "（LibreOffice另存）" .docx/.xlsx: the .doc/.xls saved again by LibreOffice — another producer's XML (styles,
  shared strings, cached formula values).

The expected figures are the PDF package's own ``expected.json`` (written by the generator from what it
printed), so nothing here comes from our readers.  LibreOffice output is not byte-stable; the files are
committed and this script is re-run by hand.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.fixtures import build_all, draw  # noqa: E402
from tools.fixtures.seedtext import DEFAULT_SEEDS  # noqa: E402

OUT = ROOT / "tests/data/office"

# package → {source PDF: [formats to write]}; "docx" for every file, "xlsx" for form-only files
PLAN: dict[str, dict[str, list[str]]] = {
    "split_files_2024": {
        "01-部门整体支出绩效评价基础数据表.pdf": ["xlsx", "xls", "et", "ofd"],
        "02-部门整体支出绩效自评表.pdf": ["xlsx", "xls", "et", "ofd", "lo.xlsx"],
        "03-部门整体支出绩效自评报告.pdf": ["docx", "doc", "wps", "ofd"],
        "04-2024年度部门决算（公开表及情况说明）.pdf": ["docx", "ofd"],
    },
    "variant_clean_2024": {
        "岳阳楼区发展和改革局2024年度部门整体支出绩效自评材料.pdf": ["docx", "doc", "wps", "ofd", "lo.docx"],
        "岳阳楼区发展和改革局2024年度部门决算.pdf": ["docx", "ofd"],
    },
    "yunxi_2024": {"云溪区委组织部2024年度部门整体支出绩效自评材料.pdf": ["docx"]},
    "tianyuan_2024": {
        "天元区委组织部2024年度整体支出绩效自评报告及自评表.pdf": ["docx"],
        "天元区委组织部2024年度部门决算.pdf": ["docx"],
    },
    "lingling_2024": {"零陵区委组织部2024年度部门整体支出绩效自评报告.pdf": ["docx"]},
    "variant_xuanchuan_2023": {"湘潭县委宣传部2023年度部门整体支出绩效评价材料.pdf": ["docx"]},
    "variant_caizheng_2024": {
        "长沙县财政局2024年度部门决算.pdf": ["docx"],
        "长沙县财政局2024年度部门整体支出绩效自评材料.pdf": ["docx"],
    },
    "variant_injected_2024": {
        "芦淞区发展和改革局2024年度整体支出绩效自评报告.pdf": ["docx"],
        "芦淞区发展和改革局2024年度部门决算.pdf": ["docx"],
    },
}

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NUM = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$|^-?\d+\.\d+$")
_PCT = re.compile(r"^-?\d+(\.\d+)?%$")


# -- .docx -----------------------------------------------------------------------------------------------------

def _run(text: str, size: float) -> str:
    parts = text.split("\t")
    runs = []
    for i, part in enumerate(parts):
        if i:
            runs.append("<w:tab/>")
        if part:
            runs.append(f'<w:t xml:space="preserve">{escape(part)}</w:t>')
    return f'<w:r><w:rPr><w:sz w:val="{int(round(size * 2))}"/></w:rPr>{"".join(runs)}</w:r>'


def _para(text: str, align: str, size: float, indent: float, page_break: bool = False) -> str:
    jc = {"center": "center", "right": "right", "justify": "both"}.get(align, "left")
    ppr = f'<w:jc w:val="{jc}"/>'
    if indent:
        ppr = f'<w:ind w:firstLineChars="{int(indent * 100)}"/>' + ppr
    if page_break:
        ppr = "<w:pageBreakBefore/>" + ppr
    lines = text.split("\n")
    body = '<w:r><w:br/></w:r>'.join(_run(ln, size) for ln in lines)
    return f"<w:p><w:pPr>{ppr}</w:pPr>{body}</w:p>"


def _table_docx(t) -> str:
    placed = t._place()
    ncols = len(t.col_widths)
    start: dict[tuple[int, int], object] = {(p.r, p.c): p for p in placed}
    cover: dict[tuple[int, int], object] = {}
    for p in placed:
        for r in range(p.r, p.r + p.cell.rowspan):
            for c in range(p.c, p.c + p.cell.colspan):
                cover[(r, c)] = p
    grid = "".join(f'<w:gridCol w:w="{int(w * 20)}"/>' for w in t.col_widths)
    rows = []
    for r in range(len(t.rows)):
        cells = []
        c = 0
        while c < ncols:
            p = cover[(r, c)]
            span = p.cell.colspan
            pr = f'<w:tcW w:w="{int(sum(t.col_widths[c:c + span]) * 20)}" w:type="dxa"/>'
            if span > 1:
                pr += f'<w:gridSpan w:val="{span}"/>'
            if p.cell.rowspan > 1:
                pr += '<w:vMerge w:val="restart"/>' if p.r == r else "<w:vMerge/>"
            text = p.cell.text if (r, c) in start else ""
            size = p.cell.size or t.size
            cells.append(f"<w:tc><w:tcPr>{pr}</w:tcPr>{_para(text, p.cell.align, size, 0)}</w:tc>")
            c += span
        rows.append(f"<w:tr>{''.join(cells)}</w:tr>")
    borders = "".join(f'<w:{s} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                      for s in ("top", "left", "bottom", "right", "insideH", "insideV"))
    return (f'<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>{borders}</w:tblBorders></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>")


def write_docx(flow: list, path: Path) -> None:
    body: list[str] = []
    pending_break = False
    for item in flow:
        if item[0] == "break":
            pending_break = bool(body)
        elif item[0] == "p":
            _, text, align, size, indent = item
            if not text.strip():
                continue
            body.append(_para(text, align, size, indent, pending_break))
            pending_break = False
        else:
            if pending_break:
                body.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                pending_break = False
            body.append(_table_docx(item[1]))
            body.append("<w:p/>")
    doc = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}"><w:body>'
           + "".join(body) + '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
           '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800"/></w:sectPr></w:body></w:document>')
    ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
          'wordprocessingml.document.main+xml"/></Types>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in (("[Content_Types].xml", ct), ("_rels/.rels", rels), ("word/document.xml", doc)):
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# -- .xlsx -----------------------------------------------------------------------------------------------------

def _cell_value(text: str):
    s = text.strip()
    if _PCT.match(s):
        digits = len(s[:-1].split(".")[1]) if "." in s else 0
        return float(s[:-1]) / 100, "0." + "0" * digits + "%" if digits else "0%"
    if _NUM.match(s):
        digits = len(s.split(".")[1]) if "." in s else 0
        fmt = ("#,##0" if "," in s else "0") + ("." + "0" * digits if digits else "")
        return float(s.replace(",", "")), fmt
    return text, None


def write_xlsx(flow: list, path: Path, sheet_name: str) -> None:
    import openpyxl
    from openpyxl.styles import Alignment, Border, Side
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet_name
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    tables = [it[1] for it in flow if it[0] == "table"]
    ncols = max(len(t.col_widths) for t in tables)
    widths = tables[0].col_widths
    for c, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(c + 1)].width = round(max(w / 0.75 - 5, 7) / 7, 2)
    row = 1
    for item in flow:
        if item[0] == "break":
            continue
        if item[0] == "p":
            _, text, align, size, _ = item
            if not text.strip():
                continue
            if "\t" in text:  # "填报单位：…" left, "单位：万元" right
                left, right = text.split("\t", 1)
                ws.cell(row=row, column=1, value=left)
                ws.cell(row=row, column=ncols, value=right).alignment = Alignment(horizontal="right")
            else:
                ws.cell(row=row, column=1, value=text).alignment = Alignment(
                    horizontal={"center": "center", "right": "right"}.get(align, "left"))
                if align == "center" and ncols > 1:
                    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
            row += 1
            continue
        t = item[1]
        for p in t._place():
            r0, c0 = row + p.r, 1 + p.c
            value, fmt = _cell_value(p.cell.text)
            cell = ws.cell(row=r0, column=c0, value=value if p.cell.text else None)
            if fmt:
                cell.number_format = fmt
            cell.alignment = Alignment(horizontal=p.cell.align, vertical="center", wrap_text=True)
            for r in range(r0, r0 + p.cell.rowspan):
                for c in range(c0, c0 + p.cell.colspan):
                    ws.cell(row=r, column=c).border = border
            if p.cell.rowspan > 1 or p.cell.colspan > 1:
                ws.merge_cells(start_row=r0, start_column=c0, end_row=r0 + p.cell.rowspan - 1,
                               end_column=c0 + p.cell.colspan - 1)
        row += len(t.rows) + 1
    wb.save(path)


# -- .ofd --------------------------------------------------------------------------------------------------------

_OFD_NS = "http://www.ofdspec.org/2016"
_MM = 25.4 / 72


def _mm(v: float) -> str:
    return f"{v * _MM:.3f}".rstrip("0").rstrip(".")


def write_ofd(pdf: Path, path: Path) -> None:
    """The PDF's pages as an OFD file, the way an OFD producer lays out text: one text object per run of
    characters on a line (first position, DeltaX to each next character, the baseline), one path object per
    ruling line, millimetres from the top-left.  Read with the core's PDFium reader (the boxes it reviews)."""
    import pypdfium2 as pdfium

    from core.documents.pdf import _pdfium_raw

    pages_xml = []
    doc = pdfium.PdfDocument(str(pdf))
    try:
        for index in range(len(doc)):
            raw = _pdfium_raw(doc[index], index + 1)
            page, page_edges = raw[0], raw[2]
            page_chars = [{"text": t, "x0": x0, "x1": x1, "top": top, "bottom": bottom}
                          for top, bottom, x0, x1, t in raw[1]]
            for c in page_chars:
                c["size"] = c["bottom"] - c["top"]
            objs: list[str] = []
            oid = [100]

            def nid() -> int:
                oid[0] += 1
                return oid[0]

            run: list[dict] = []

            def flush() -> None:
                if not run:
                    return
                size = float(run[0]["size"])
                x0, top = run[0]["x0"], min(c["top"] for c in run)
                x1, bottom = max(c["x1"] for c in run), max(c["bottom"] for c in run)
                base = run[0]["bottom"] - 0.15 * size - top
                deltas = " ".join(_mm(run[i + 1]["x0"] - run[i]["x0"]) for i in range(len(run) - 1))
                text = escape("".join(c["text"] for c in run))
                dx = f' DeltaX="{deltas}"' if deltas else ""
                objs.append(f'<ofd:TextObject ID="{nid()}" Boundary="{_mm(x0)} {_mm(top)} {_mm(x1 - x0)} '
                            f'{_mm(bottom - top)}" Font="1" Size="{_mm(size)}"><ofd:TextCode X="0" Y="{_mm(base)}"'
                            f"{dx}>{text}</ofd:TextCode></ofd:TextObject>")
                run.clear()

            for c in page_chars:
                if not c["text"].strip():
                    flush()
                    continue
                if run and (abs(c["top"] - run[-1]["top"]) > 0.2 or abs(c["size"] - run[-1]["size"]) > 0.01
                            or c["x0"] < run[-1]["x0"]):
                    flush()
                run.append(c)
            flush()
            for e in page_edges:
                w, h = e["x1"] - e["x0"], e["bottom"] - e["top"]
                if w < 1 and h < 1:
                    continue
                d = f"M 0 0 L {_mm(w)} 0" if e["orientation"] == "h" else f"M 0 0 L 0 {_mm(h)}"
                objs.append(f'<ofd:PathObject ID="{nid()}" Boundary="{_mm(e["x0"])} {_mm(e["top"])} {_mm(w)} '
                            f'{_mm(h)}" LineWidth="0.2"><ofd:AbbreviatedData>{d}</ofd:AbbreviatedData>'
                            "</ofd:PathObject>")
            pages_xml.append(
                f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{_OFD_NS}"><ofd:Area><ofd:PhysicalBox>'
                f"0 0 {_mm(page.width)} {_mm(page.height)}</ofd:PhysicalBox></ofd:Area><ofd:Content>"
                f'<ofd:Layer ID="2">{"".join(objs)}</ofd:Layer></ofd:Content></ofd:Page>')
    finally:
        doc.close()
    pages = "".join(f'<ofd:Page ID="{10 + i}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(len(pages_xml)))
    document = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document xmlns:ofd="{_OFD_NS}"><ofd:CommonData>'
                "<ofd:MaxUnitID>1</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox>"
                "</ofd:PageArea><ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>"
                f"<ofd:Pages>{pages}</ofd:Pages></ofd:Document>")
    res = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:Res xmlns:ofd="{_OFD_NS}" BaseLoc="Res"><ofd:Fonts>'
           '<ofd:Font ID="1" FontName="宋体" FamilyName="宋体"/></ofd:Fonts></ofd:Res>')
    ofd = (f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{_OFD_NS}" Version="1.1" DocType="OFD">'
           "<ofd:DocBody><ofd:DocInfo><ofd:DocID>fixture</ofd:DocID><ofd:Creator>tools/make_office_fixtures.py"
           "</ofd:Creator></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>")
    parts = [("OFD.xml", ofd), ("Doc_0/Document.xml", document), ("Doc_0/PublicRes.xml", res)]
    parts += [(f"Doc_0/Pages/Page_{i}/Content.xml", x) for i, x in enumerate(pages_xml)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


# -- LibreOffice -------------------------------------------------------------------------------------------------

def soffice_convert(src: Path, to: str, outdir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("soffice (LibreOffice) not found")
    filt = {"xls": "xls:MS Excel 97", "doc": "doc:MS Word 97", "xlsx": "xlsx:Calc MS Excel 2007 XML",
            "docx": "docx:MS Word 2007 XML"}[to]
    subprocess.run([exe, "--headless", "--convert-to", filt, "--outdir", str(outdir), str(src)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    out = outdir / (src.stem + "." + to)
    if not out.exists():
        sys.exit(f"LibreOffice did not convert {src.name}")
    return out


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    draw.FLOWS = {}
    index = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for name, _rec in build_all(tmp, DEFAULT_SEEDS, list(PLAN)):
            out = OUT / name
            out.mkdir(parents=True, exist_ok=True)
            files = []
            for pdf, formats in PLAN[name].items():
                flow = draw.FLOWS[pdf]
                stem = Path(pdf).stem
                docx = out / f"{stem}.docx"
                xlsx = out / f"{stem}.xlsx"
                if "xlsx" in formats:
                    write_xlsx(flow, xlsx, "基础数据表" if "基础数据表" in stem else "自评表")
                    files.append({"file": xlsx.name, "source": pdf})
                if "docx" in formats or "doc" in formats:
                    write_docx(flow, docx)
                    if "docx" in formats:
                        files.append({"file": docx.name, "source": pdf})
                for fmt, src, via in (("xls", xlsx, "xls"), ("et", xlsx, "xls"), ("doc", docx, "doc"),
                                      ("wps", docx, "doc")):
                    if fmt in formats:
                        made = soffice_convert(src, via, tmp)
                        shutil.copyfile(made, out / f"{stem}.{fmt}")
                        files.append({"file": f"{stem}.{fmt}", "source": pdf})
                for fmt, src_fmt in (("lo.xlsx", "xls"), ("lo.docx", "doc")):  # saved again by LibreOffice
                    if fmt in formats:
                        tmp_src = tmp / f"{stem}（LibreOffice另存）.{src_fmt}"
                        shutil.copyfile(out / f"{stem}.{src_fmt}", tmp_src)
                        made = soffice_convert(tmp_src, fmt.split(".")[1], tmp)
                        shutil.copyfile(made, out / made.name)
                        files.append({"file": made.name, "source": pdf})
                if "ofd" in formats:  # from the committed PDF itself, as an OFD producer would lay it out
                    write_ofd(ROOT / "tests/data/packages" / name / pdf, out / f"{stem}.ofd")
                    files.append({"file": f"{stem}.ofd", "source": pdf})
                if "docx" not in formats and docx.exists():
                    docx.unlink()
            index.append({"package": name, "files": files})
    (OUT / "expected.json").write_text(json.dumps({
        "note": "each file is the same fixture as 'source' in tests/data/packages/<package>; its expected figures "
                "are that package's expected.json entries for the source file",
        "packages": index}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for p in index:
        for f in p["files"]:
            print(OUT / p["package"] / f["file"], (OUT / p["package"] / f["file"]).stat().st_size // 1024, "KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
