"""A spreadsheet sheet, whatever file it came from (.xlsx, .xls, .et), as one drawn page.

Why it exists: the .xlsx and .xls readers each own their library and turn a sheet into a ``SheetData`` (shown
texts, merged ranges, borders, widths, heights); what a sheet *looks like* as a page, and how formulas without a
cached value are handled, is decided here once.

Cells with borders are the table (drawn with their rules, a merged range as one cell); cells without borders
(the title, "填报单位：…  单位：万元", notes under the table) are text on the page around it, as printed.  A sheet
with no borders at all is ruled where rows hold two or more filled cells.  Each cell keeps its address
("基础数据表!C7") for provenance.

Formulas are never executed.  A formula's cached value (saved by Excel or WPS) is what the sheet shows; a formula
with no cached value (a file written by a program, never opened in Excel) is computed here only when it is a
plain sum or difference of cells or numbers (=SUM(C3:C6), =C3+C4-C5) over cells that hold numbers; any other
is left blank and named in the document's problems ("公式无缓存值").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.documents.synth import CELL_SIZE, Drawing, Grid, GridCell, cell_address, column_letter, draw_sheet

DEFAULT_COL_PT = 54.0  # 8.43 characters of Excel's default font
DEFAULT_ROW_PT = 15.0
MAX_ROWS = 5000
MAX_COLS = 200


@dataclass
class SheetCell:
    text: str = ""  # as the sheet shows it (numbers in the cell's format)
    value: object = None  # the number (float/int/Decimal) or text, None when blank
    fmt: str = ""
    formula: str = ""  # "=SUM(C3:C6)" without a cached value: see ``resolve_formulas``
    bordered: bool = False
    align: str = ""  # "left" | "center" | "right" | "" (general: numbers right, text left)


@dataclass
class SheetData:
    name: str
    cells: dict[tuple[int, int], SheetCell] = field(default_factory=dict)  # (row, col), 0-based
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1 inclusive
    col_widths: dict[int, float] = field(default_factory=dict)  # points
    row_heights: dict[int, float] = field(default_factory=dict)  # points
    hidden_rows: set[int] = field(default_factory=set)
    hidden_cols: set[int] = field(default_factory=set)


def excel_width_to_pt(chars: float) -> float:
    """Excel's column width (characters of the default font) in points (7 px per character + 5 px padding)."""
    return (chars * 7 + 5) * 0.75


# -- formulas without a cached value -------------------------------------------------------------------------

_REF = r"\$?[A-Z]{1,3}\$?\d+"
_SUM = re.compile(rf"^=\s*SUM\(\s*((?:{_REF}(?::{_REF})?|[\d.]+)(?:\s*,\s*(?:{_REF}(?::{_REF})?|[\d.]+))*)\s*\)$",
                  re.IGNORECASE)
_TERMS = re.compile(rf"^=\s*[+-]?\s*(?:{_REF}|[\d.]+)(?:\s*[+-]\s*(?:{_REF}|[\d.]+))*\s*$", re.IGNORECASE)


def _ref_rc(ref: str) -> tuple[int, int]:
    m = re.match(r"\$?([A-Z]{1,3})\$?(\d+)", ref.upper())
    assert m
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


def _cells_of(arg: str) -> list[tuple[int, int]] | None:
    if ":" in arg:
        a, b = arg.split(":")
        (r0, c0), (r1, c1) = _ref_rc(a), _ref_rc(b)
        if (r1 - r0 + 1) * (c1 - c0 + 1) > 10000:
            return None
        return [(r, c) for r in range(min(r0, r1), max(r0, r1) + 1) for c in range(min(c0, c1), max(c0, c1) + 1)]
    return [_ref_rc(arg)]


def _number(v: object) -> Decimal | None:
    if v is None or v == "":
        return Decimal(0)
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float, Decimal)):
        return Decimal(repr(v)) if isinstance(v, float) else Decimal(v)
    return None


def simple_formula(formula: str, value_of) -> Decimal | None:
    """The value of a plain sum/difference formula, or None when it is anything else (never evaluated as code).
    ``value_of(row, col)`` gives a cell's number (None when it is not a number)."""
    f = formula.strip().replace(" ", "")
    m = _SUM.match(f)
    if m:
        total = Decimal(0)
        for arg in m.group(1).split(","):
            if re.fullmatch(r"[\d.]+", arg):
                total += Decimal(arg)
                continue
            cells = _cells_of(arg)
            if cells is None:
                return None
            for rc in cells:
                v = value_of(*rc)
                if v is None:
                    return None
                total += v
        return total
    if _TERMS.match(f):
        total = Decimal(0)
        for sign, term in re.findall(rf"([+-]?)\s*({_REF}|[\d.]+)", f[1:], re.IGNORECASE):
            try:
                v = Decimal(term) if re.fullmatch(r"[\d.]+", term) else value_of(*_ref_rc(term))
            except InvalidOperation:
                return None
            if v is None:
                return None
            total += -v if sign == "-" else v
        return total
    return None


def resolve_formulas(sheet: SheetData, format_number) -> list[str]:
    """Fill the shown text of formula cells that have no cached value (see the module doc); returns the
    addresses of those left blank."""
    missing: list[str] = []
    busy: set[tuple[int, int]] = set()

    def value_of(r: int, c: int) -> Decimal | None:
        cell = sheet.cells.get((r, c))
        if cell is None:
            return Decimal(0)
        if cell.formula:
            if (r, c) in busy:
                return None  # a circular reference
            busy.add((r, c))
            try:
                v = simple_formula(cell.formula, value_of)
            finally:
                busy.discard((r, c))
            return v
        return _number(cell.value)

    for (r, c), cell in sorted(sheet.cells.items()):
        if not cell.formula:
            continue
        v = value_of(r, c)
        if v is None:
            missing.append(cell_address(sheet.name, r, c))
            cell.text = ""
        else:
            cell.value = v
            cell.text = format_number(v, cell.fmt or "0.00")
    return missing


# -- the page ------------------------------------------------------------------------------------------------

def _used_range(sheet: SheetData) -> tuple[int, int] | None:
    keys = [rc for rc, c in sheet.cells.items() if c.text.strip() or c.bordered]
    if not keys:
        return None
    return max(r for r, _ in keys) + 1, max(c for _, c in keys) + 1


def sheet_grid(sheet: SheetData) -> Grid | None:
    """The sheet as a drawable grid (hidden rows and columns left out), or None when it is empty."""
    size = _used_range(sheet)
    if size is None:
        return None
    n_rows, n_cols = min(size[0], MAX_ROWS), min(size[1], MAX_COLS)
    rows = [r for r in range(n_rows) if r not in sheet.hidden_rows]
    cols = [c for c in range(n_cols) if c not in sheet.hidden_cols]
    rmap = {r: i for i, r in enumerate(rows)}
    cmap = {c: i for i, c in enumerate(cols)}
    any_border = any(c.bordered for c in sheet.cells.values())
    ruled_rows = set() if any_border else _table_rows(sheet, rows)

    covered: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for m in sheet.merges:
        r0, c0, r1, c1 = m
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered[(r, c)] = m
    cells: list[GridCell] = []
    done: set[tuple[int, int, int, int]] = set()
    for r in rows:
        for c in cols:
            m = covered.get((r, c))
            if m is not None:
                if m in done:
                    continue
                done.add(m)
                r0, c0, r1, c1 = m
                span_r = [x for x in range(r0, r1 + 1) if x in rmap]
                span_c = [x for x in range(c0, c1 + 1) if x in cmap]
                if not span_r or not span_c:
                    continue
                src = sheet.cells.get((r0, c0)) or SheetCell()
                bordered = src.bordered or any((sheet.cells.get((x, y)) or SheetCell()).bordered
                                               for x in range(r0, r1 + 1) for y in range(c0, c1 + 1))
                cells.append(_grid_cell(sheet, src, r0, c0, rmap[span_r[0]], cmap[span_c[0]], len(span_r),
                                        len(span_c), bordered or r0 in ruled_rows))
                continue
            src = sheet.cells.get((r, c))
            bordered = bool(src and src.bordered) or r in ruled_rows
            if src is None and not bordered:
                continue
            cells.append(_grid_cell(sheet, src or SheetCell(), r, c, rmap[r], cmap[c], 1, 1, bordered))
    widths = [sheet.col_widths.get(c, DEFAULT_COL_PT) for c in cols]
    heights = [sheet.row_heights.get(r, DEFAULT_ROW_PT) for r in rows]
    return Grid(col_widths=widths, row_heights=heights, cells=cells)


def _grid_cell(sheet: SheetData, src: SheetCell, r: int, c: int, gr: int, gc: int, rs: int, cs: int,
               ruled: bool) -> GridCell:
    align = src.align
    if not align:
        align = "right" if isinstance(src.value, (int, float, Decimal)) and not isinstance(src.value, bool) else "left"
    if not ruled and cs > 1 and not src.align:
        align = "center"  # a merged title row
    addr = cell_address(sheet.name, r, c)
    attrs = {"cell": addr, "sheet": sheet.name, "where": f"工作表“{sheet.name}”{addr.rsplit('!', 1)[1]}单元格"}
    if src.formula:
        attrs["formula"] = src.formula
        attrs["computed"] = "公式无缓存值，按单元格求和算得" if src.text else "公式无缓存值"
    return GridCell(text=src.text, row=gr, col=gc, rowspan=rs, colspan=cs, attrs=attrs, align=align, ruled=ruled,
                    size=CELL_SIZE)


def _table_rows(sheet: SheetData, rows: list[int]) -> set[int]:
    """Rows of a sheet without borders that form its table: from the first to the last row with two or more
    filled cells (a merged cell counts in every row it covers), so a title above and a note below are text
    around the table, and a row inside it with one filled cell (a merged label beside blanks) stays in it."""
    filled: dict[int, set[int]] = {}
    for (r, c), cell in sheet.cells.items():
        if cell.text.strip():
            filled.setdefault(r, set()).add(c)
    for r0, c0, r1, c1 in sheet.merges:
        if (sheet.cells.get((r0, c0)) or SheetCell()).text.strip():
            for r in range(r0, r1 + 1):
                filled.setdefault(r, set()).add(c0)
    wide = [r for r in rows if len(filled.get(r, ())) >= 2]
    if len(wide) < 2:
        return set()
    return {r for r in rows if wide[0] <= r <= wide[-1]}


def draw_sheets(sheets: list[SheetData], format_number) -> tuple[Drawing, list[dict[str, str]], list[str]]:
    """Every non-empty sheet as a page.  Returns the drawing, the document's problems (formulas without a
    cached value) and the names of the sheets drawn, in page order."""
    drawing = Drawing()
    problems: list[dict[str, str]] = []
    names: list[str] = []
    for sheet in sheets:
        missing = resolve_formulas(sheet, format_number)
        if missing:
            shown = "、".join(missing[:8]) + ("等" if len(missing) > 8 else "")
            problems.append({"code": "formula_no_cache",
                             "message": f"公式无缓存值：{shown}共{len(missing)}个单元格是公式，文件中没有保存计算结果"
                                        "（文件未经Excel/WPS保存），这些单元格按空白读取；请在Excel/WPS中打开并保存后重新导入"})
        grid = sheet_grid(sheet)
        if grid is None:
            continue
        draw_sheet(grid, len(drawing.pages) + 1, drawing)
        names.append(sheet.name)
    return drawing, problems, names


__all__ = ["SheetCell", "SheetData", "column_letter", "draw_sheets", "excel_width_to_pt", "simple_formula"]
