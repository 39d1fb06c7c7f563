"""The openpyxl boundary for *reading*: an .xlsx file (Excel, WPS 表格 saved as .xlsx) in, ``SheetData`` out.

Why it exists: a department's 自评表 and 基础数据表 are filled in Excel or WPS and often sent as they are.  This
module reads each visible sheet's shown values (the cached result of a formula, never the formula run), the
formulas themselves, merged ranges, borders, alignment, number formats, column widths and row heights; the
page is drawn by ``core.documents.sheets``.

Ownership: openpyxl is imported by two modules, each owning one direction — ``core.export.excel`` writes the
official layouts, this module reads departments' files; ``tests/test_layering.py`` allows exactly these two.
Reading and writing share nothing of openpyxl's API beyond the import, so one wrapper for both would only
add a layer.

What it must not do: execute a formula (``load_workbook(data_only=True)`` gives Excel's cached values; a
formula without one is handled in ``sheets.resolve_formulas``), or raise anything but ``DocumentError`` for
a bad file.
"""

from __future__ import annotations

import datetime as _dt
import logging
import zipfile
from pathlib import Path

from core.documents.sheets import SheetCell, SheetData, excel_width_to_pt
from core.documents.synth import format_number
from core.errors import DocumentError

log = logging.getLogger(__name__)


def read_xlsx_sheets(path: str | Path) -> list[SheetData]:
    """The visible sheets of an .xlsx file.  Raises ``DocumentError`` with a Chinese reason."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    p = str(path)
    try:
        wb_values = openpyxl.load_workbook(p, data_only=True)
        formulas = _formulas(openpyxl.load_workbook(p, data_only=False, read_only=True))
    except (zipfile.BadZipFile, InvalidFileException, KeyError, EOFError) as e:
        log.info("xlsx %s: %s", p, e)
        raise DocumentError(p, "Excel文件（.xlsx）已损坏或不完整，无法读取；请在Excel/WPS中打开后重新保存", code="corrupt") from None
    except Exception as e:  # openpyxl raises many kinds on a malformed part
        log.info("xlsx %s: %s", p, e)
        raise DocumentError(p, f"Excel文件（.xlsx）内容无法解析（{type(e).__name__}），请在Excel/WPS中打开后重新保存",
                            code="corrupt") from None
    out: list[SheetData] = []
    for ws in wb_values.worksheets:
        if ws.sheet_state != "visible":
            continue
        out.append(_sheet(ws, formulas.get(ws.title, {})))
    return out


def _formulas(wb) -> dict[str, dict[tuple[int, int], str]]:
    """Every formula of every sheet, by (row, column), 1-based (read-only mode: no styles, no merges, fast)."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        for ws in wb.worksheets:
            mine = out.setdefault(ws.title, {})
            for row in ws.iter_rows():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and cell.value is not None:
                        mine[(cell.row, cell.column)] = str(getattr(cell.value, "text", cell.value))
    finally:
        wb.close()
    return out


def _sheet(ws, formulas: dict[tuple[int, int], str]) -> SheetData:
    sheet = SheetData(name=ws.title)
    default_w = ws.sheet_format.defaultColWidth or (ws.sheet_format.baseColWidth or 8) + 0.43
    default_h = ws.sheet_format.defaultRowHeight or 15.0
    max_col = ws.max_column
    for c in range(max_col):
        sheet.col_widths[c] = excel_width_to_pt(default_w)
    for cd in ws.column_dimensions.values():
        lo, hi = (cd.min or 1), (cd.max or cd.min or 1)
        for c in range(lo - 1, min(hi, max_col + 1)):
            if cd.width:
                sheet.col_widths[c] = excel_width_to_pt(cd.width)
            if cd.hidden:
                sheet.hidden_cols.add(c)
    for r in range(ws.max_row):
        rd = ws.row_dimensions.get(r + 1) if hasattr(ws.row_dimensions, "get") else None
        sheet.row_heights[r] = float(rd.ht) if rd is not None and rd.ht else float(default_h)
        if rd is not None and rd.hidden:
            sheet.hidden_rows.add(r)
    for m in ws.merged_cells.ranges:
        sheet.merges.append((m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1))
    for row in ws.iter_rows():
        for cell in row:
            if cell.__class__.__name__ == "MergedCell":
                bordered = _bordered(cell)
                if bordered:
                    sheet.cells[(cell.row - 1, cell.column - 1)] = SheetCell(bordered=True)
                continue
            value = cell.value
            formula = formulas.get((cell.row, cell.column), "") if value is None else ""  # no cached value
            fmt = cell.number_format or "General"
            sc = SheetCell(value=value, fmt=fmt, formula=formula, bordered=_bordered(cell),
                           align=_align(cell), text=_shown(value, fmt))
            if sc.text or sc.bordered or sc.formula:
                sheet.cells[(cell.row - 1, cell.column - 1)] = sc
    return sheet


def _bordered(cell) -> bool:
    b = cell.border
    if b is None:
        return False
    return any(getattr(side, "style", None) for side in (b.left, b.right, b.top, b.bottom))


def _align(cell) -> str:
    h = getattr(cell.alignment, "horizontal", None) or ""
    if h in ("center", "centerContinuous", "distributed"):
        return "center"
    if h in ("left", "right"):
        return h
    return ""


def _shown(value, fmt: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return format_number(value, fmt)
    if isinstance(value, _dt.datetime):
        if value.time() == _dt.time(0):
            return f"{value.year}年{value.month}月{value.day}日"
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, _dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, _dt.time):
        return value.strftime("%H:%M")
    return str(value)
