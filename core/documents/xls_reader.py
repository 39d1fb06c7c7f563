"""The xlrd boundary: an Excel 97 workbook (.xls, and WPS 表格's .et, which is the same format) in,
``SheetData`` out.

Why it exists: many districts still fill the forms in old Excel or WPS and send .xls/.et.  xlrd 2.x (BSD, pure
Python, ~100 KB) reads BIFF8 with ``formatting_info=True``: merged ranges, borders, alignment, number formats,
column widths and row heights.  Numbers come back as floats (542.40 → 542.4): the shown text is rebuilt from
the cell's number format (``synth.format_number``), as Excel prints it.  A formula's value is the result Excel
or WPS saved with the file; xlrd never evaluates formulas.

What it must not do: raise anything but ``DocumentError`` for a bad file.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from core.documents.sheets import SheetCell, SheetData
from core.documents.synth import format_number
from core.errors import DocumentError

log = logging.getLogger(__name__)


def read_xls_sheets(path: str | Path) -> list[SheetData]:
    """The visible sheets of an Excel 97 file.  Raises ``DocumentError`` with a Chinese reason."""
    import xlrd

    p = str(path)
    try:
        # xlrd writes its warnings to stdout by default: the command line's JSON goes there
        book = xlrd.open_workbook(p, formatting_info=True, on_demand=False, logfile=io.StringIO(), verbosity=0)
    except xlrd.biffh.XLRDError as e:
        text = str(e)
        log.info("xls %s: %s", p, text)
        if "encrypt" in text.lower() or "password" in text.lower():
            raise DocumentError(p, "Excel文件已加密（设置了打开密码），请在Excel/WPS中去掉密码后另存再导入", code="encrypted") from None
        raise DocumentError(p, "Excel 97文件（.xls/.et）已损坏或格式无法识别，请在Excel/WPS中打开后另存为.xlsx", code="corrupt") from None
    except Exception as e:  # xlrd raises assertion and struct errors on a damaged file
        log.info("xls %s: %s", p, e)
        raise DocumentError(p, "Excel 97文件（.xls/.et）已损坏或不完整，无法读取；请在Excel/WPS中打开后另存为.xlsx",
                            code="corrupt") from None
    out: list[SheetData] = []
    try:
        for sh in book.sheets():
            if getattr(sh, "visibility", 0) != 0:
                continue
            out.append(_sheet(book, sh))
    except Exception as e:
        log.info("xls %s: %s", p, e)
        raise DocumentError(p, "Excel 97文件（.xls/.et）内容已损坏，无法读取；请在Excel/WPS中打开后另存为.xlsx", code="corrupt") from None
    finally:
        book.release_resources()
    return out


def _sheet(book, sh) -> SheetData:
    import xlrd

    sheet = SheetData(name=sh.name)
    default_w = (getattr(sh, "defcolwidth", None) or 8) + 0.43
    for c in range(sh.ncols):
        info = sh.colinfo_map.get(c)
        width_chars = info.width / 256 if info is not None else default_w
        sheet.col_widths[c] = (width_chars * 7 + 5) * 0.75
        if info is not None and info.hidden:
            sheet.hidden_cols.add(c)
    default_h = (getattr(sh, "default_row_height", None) or 300) / 20
    for r in range(sh.nrows):
        info = sh.rowinfo_map.get(r)
        sheet.row_heights[r] = info.height / 20 if info is not None and info.height else default_h
        if info is not None and info.hidden:
            sheet.hidden_rows.add(r)
    for r0, r1, c0, c1 in sh.merged_cells:
        if r1 > r0 and c1 > c0:
            sheet.merges.append((r0, c0, r1 - 1, c1 - 1))
    for r in range(sh.nrows):
        for c in range(sh.ncols):
            cell = sh.cell(r, c)
            xf = book.xf_list[cell.xf_index] if cell.xf_index is not None and cell.xf_index < len(book.xf_list) else None
            fmt = ""
            bordered = False
            align = ""
            if xf is not None:
                f = book.format_map.get(xf.format_key)
                fmt = f.format_str if f is not None else ""
                b = xf.border
                bordered = any((b.left_line_style, b.right_line_style, b.top_line_style, b.bottom_line_style))
                align = {1: "left", 2: "center", 3: "right", 6: "center"}.get(xf.alignment.hor_align, "")
            ctype, value = cell.ctype, cell.value
            if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                if bordered:
                    sheet.cells[(r, c)] = SheetCell(bordered=True, align=align)
                continue
            if ctype == xlrd.XL_CELL_NUMBER:
                if fmt and _is_date_format(book, xf):
                    try:
                        y, m, d, *_ = xlrd.xldate_as_tuple(value, book.datemode)
                        text = f"{y}年{m}月{d}日"
                    except Exception:
                        text = format_number(value, "General")
                else:
                    text = format_number(value, fmt or "General")
            elif ctype == xlrd.XL_CELL_BOOLEAN:
                text = "TRUE" if value else "FALSE"
            elif ctype == xlrd.XL_CELL_ERROR:
                text = xlrd.error_text_from_code.get(value, "#错误")
                value = None
            else:
                text = str(value)
            sheet.cells[(r, c)] = SheetCell(text=text, value=value, fmt=fmt, bordered=bordered, align=align)
    return sheet


def _is_date_format(book, xf) -> bool:
    f = book.format_map.get(xf.format_key)
    return bool(f is not None and f.type == 1)  # xlrd.formatting.FDT
