"""A printed layout for documents that have none: Word paragraphs and tables, spreadsheet sheets.

Why it exists: classification and every extractor read pages of lines and ruled tables (``layout.Page``).
A .docx, .xlsx, .xls or .doc file has text and cells but no page coordinates, so this module *draws* them —
characters with boxes and the ruling lines of table cells — and hands the drawing to the same page builder as
a PDF page (``core.documents.pdf.page_from_layout``): lines, ruled tables and merged cells come out exactly as
they do for a printed form.  The drawing is stable (the same file always gives the same boxes), so a box the
reviewer is shown, a correction and a finding refer to the same place every time.

Every drawn piece keeps where it came from (``Place``: the sheet and cell address "基础数据表!C7", the
Word paragraph number, the Word table's row and column), and ``provenance`` finds it again for a field's box.

What it must not do: import an outside library (the readers own those), or interpret content.

Geometry (points, top-left origin, like pdfplumber): a CJK character is one font size wide, any other
character half of it; a Word page is A4 with 2.54/3.17 cm margins and breaks between lines and before a
table that does not fit (a table is never cut; one taller than a page gets a page of its own height); a
sheet is one page whose columns and rows are the sheet's own widths and heights.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from core.model import BBox

A4 = (595.3, 841.9)
WORD_MARGINS = (90.0, 72.0, 90.0, 72.0)  # left, top, right, bottom (Word's default 3.17 / 2.54 cm)
SHEET_MARGIN = 36.0
BODY_SIZE = 12.0
CELL_SIZE = 10.0
LEADING = 1.5  # line height in font sizes for paragraphs
CELL_LEADING = 1.3
CELL_PAD = 3.0
PARA_GAP = 9.0  # extra space after a paragraph: join_lines ends a paragraph at a gap clearly larger than leading


@dataclass
class Place:
    """Where a drawn box came from: ``attrs`` is put on a field read inside ``bbox`` (see ``provenance``)."""

    page: int
    bbox: BBox
    attrs: dict


@dataclass
class Para:
    """A paragraph of running text (a Word paragraph, a line of a sheet outside its table)."""

    text: str
    attrs: dict = field(default_factory=dict)
    size: float = BODY_SIZE
    align: str = "left"  # "left" | "center" | "right" | "justify"
    first_indent: float = 0.0  # in characters (Chinese body text: 2)
    page_break_before: bool = False


@dataclass
class GridCell:
    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    attrs: dict = field(default_factory=dict)
    align: str = "left"
    ruled: bool = True  # drawn with its four rules (a sheet's title cells are not)
    size: float = CELL_SIZE


@dataclass
class Grid:
    """A table: column widths and minimum row heights in points, cells (merged ones with spans)."""

    col_widths: list[float]
    row_heights: list[float]
    cells: list[GridCell]
    page_break_before: bool = False


@dataclass
class DrawnPage:
    number: int
    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    edges: list[dict] = field(default_factory=list)


@dataclass
class Drawing:
    pages: list[DrawnPage] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


# -- characters --------------------------------------------------------------------------------------------

def char_width(ch: str, size: float) -> float:
    if ch == " ":
        return size * 0.3
    return size if (ord(ch) >= 0x2E80 or ch in "，。、；：？！（）《》“”‘’—…") else size * 0.5


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,:%/_\-]*|.", re.DOTALL)
_NO_LINE_START = set("，。、；：？！）》」』”’%％,.;:!?)")


def wrap(text: str, width: float, size: float, first_indent: float = 0.0) -> list[str]:
    """Lines of ``text`` within ``width``: numbers and Latin words are not cut, closing punctuation stays
    with the word before it, "\\n" breaks a line."""
    out: list[str] = []
    for part in text.split("\n"):
        line, w = "", first_indent if not out else 0.0
        toks = _TOKEN.findall(part)
        for i, tok in enumerate(toks):
            tw = sum(char_width(c, size) for c in tok)
            if line and w + tw > width + 0.01 and not (len(tok) == 1 and tok in _NO_LINE_START):
                out.append(line)
                line, w = "", 0.0
            if not line and tok == " ":
                continue
            line += tok
            w += tw
        out.append(line)
    return out


def _put(chars: list[dict], text: str, x: float, top: float, size: float, spacing: float = 0.0) -> float:
    for ch in text:
        w = char_width(ch, size)
        if ch != " ":
            chars.append({"text": ch, "x0": x, "x1": x + w, "top": top, "bottom": top + size, "upright": True})
        x += w + spacing
    return x


def _line_width(text: str, size: float) -> float:
    return sum(char_width(c, size) for c in text)


def _rule(edges: list[dict], x0: float, top: float, x1: float, bottom: float) -> None:
    if abs(top - bottom) < 0.01:
        edges.append({"x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0.0,
                      "orientation": "h", "object_type": "line"})
    else:
        edges.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                      "orientation": "v", "object_type": "line"})


# -- grids -------------------------------------------------------------------------------------------------

def _cell_lines(cell: GridCell, width: float) -> list[str]:
    if not cell.ruled:
        return cell.text.split("\n")  # a title or note outside the table runs over its neighbours, as in Excel
    return wrap(cell.text, max(width - 2 * CELL_PAD, cell.size), cell.size)


def grid_heights(grid: Grid) -> list[float]:
    """Row heights grown so that every cell's wrapped text fits (a merged cell grows its last row)."""
    heights = list(grid.row_heights)
    xs = _offsets(grid.col_widths)
    for cell in sorted(grid.cells, key=lambda c: c.rowspan):
        c1 = min(cell.col + cell.colspan, len(grid.col_widths))
        need = len(_cell_lines(cell, xs[c1] - xs[cell.col])) * cell.size * CELL_LEADING + 2 * CELL_PAD
        r1 = min(cell.row + cell.rowspan, len(heights))
        have = sum(heights[cell.row:r1])
        if need > have + 0.01 and r1 > cell.row:
            heights[r1 - 1] += need - have
    return heights


def _offsets(sizes: list[float], start: float = 0.0) -> list[float]:
    out = [start]
    for s in sizes:
        out.append(out[-1] + s)
    return out


def draw_grid(page: DrawnPage, places: list[Place], grid: Grid, x0: float, top: float,
              heights: list[float] | None = None) -> float:
    """Draw ``grid`` with its top-left corner at (x0, top); the bottom of the grid is returned."""
    heights = heights or grid_heights(grid)
    xs = _offsets(grid.col_widths, x0)
    ys = _offsets(heights, top)
    for cell in grid.cells:
        c1 = min(cell.col + cell.colspan, len(grid.col_widths))
        r1 = min(cell.row + cell.rowspan, len(heights))
        if c1 <= cell.col or r1 <= cell.row:
            continue
        bx = (xs[cell.col], ys[cell.row], xs[c1], ys[r1])
        if cell.ruled:
            _rule(page.edges, bx[0], bx[1], bx[2], bx[1])
            _rule(page.edges, bx[0], bx[3], bx[2], bx[3])
            _rule(page.edges, bx[0], bx[1], bx[0], bx[3])
            _rule(page.edges, bx[2], bx[1], bx[2], bx[3])
        lines = [ln for ln in _cell_lines(cell, bx[2] - bx[0])]
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            continue
        lead = cell.size * CELL_LEADING
        y = (bx[1] + bx[3]) / 2 - len(lines) * lead / 2 + (lead - cell.size) / 2
        for ln in lines:
            w = _line_width(ln, cell.size)
            if cell.align == "center":
                x = (bx[0] + bx[2]) / 2 - w / 2
            elif cell.align == "right":
                x = bx[2] - CELL_PAD - w
            else:
                x = bx[0] + CELL_PAD
            if cell.ruled:
                x = max(x, bx[0] + 1.0)
            _put(page.chars, ln, x, y, cell.size)
            y += lead
        if cell.attrs:
            places.append(Place(page.number, bx, dict(cell.attrs)))
    return ys[-1]


def draw_sheet(grid: Grid, number: int, drawing: Drawing) -> DrawnPage:
    """A sheet as one page of its own size: columns and rows as in the sheet, a margin around."""
    heights = grid_heights(grid)
    w = sum(grid.col_widths) + 2 * SHEET_MARGIN
    h = sum(heights) + 2 * SHEET_MARGIN
    page = DrawnPage(number=number, width=max(w, 200.0), height=max(h, 200.0))
    draw_grid(page, drawing.places, grid, SHEET_MARGIN, SHEET_MARGIN, heights)
    drawing.pages.append(page)
    return page


# -- flow (Word) -------------------------------------------------------------------------------------------

def draw_flow(blocks: Iterable[Para | Grid], page_size: tuple[float, float] = A4,
              margins: tuple[float, float, float, float] = WORD_MARGINS, drawing: Drawing | None = None) -> Drawing:
    """Paragraphs and tables flowed onto pages.  Up to three short paragraphs right before a table (its title,
    表号, 单位) move to the next page with it, so a table keeps its title on its page."""
    drawing = drawing or Drawing()
    pw, ph = page_size
    left, top_m, right, bottom_m = margins
    text_w = pw - left - right
    state = {"page": None, "y": 0.0}

    def new_page(height: float = ph, width: float = pw) -> DrawnPage:
        page = DrawnPage(number=len(drawing.pages) + 1, width=width, height=height)
        drawing.pages.append(page)
        state["page"], state["y"] = page, top_m
        return page

    def para_lines(p: Para) -> list[tuple[str, float]]:
        indent = p.first_indent * p.size
        lines = wrap(p.text, text_w, p.size, indent)
        return [(ln, indent if i == 0 else 0.0) for i, ln in enumerate(lines)]

    blocks = list(blocks)
    pending: list[tuple[Para, list]] = []  # short paragraphs that may travel with the next table

    def emit_para(p: Para, lines: list[tuple[str, float]]) -> None:
        lead = p.size * LEADING
        for i, (ln, indent) in enumerate(lines):
            if state["page"] is None or state["y"] + lead > state["page"].height - bottom_m:
                new_page()
            page = state["page"]
            y = state["y"] + (lead - p.size) / 2
            w = _line_width(ln, p.size)
            spacing = 0.0
            if p.align == "center":
                x = left + (text_w - w) / 2
            elif p.align == "right":
                x = left + text_w - w
            else:
                x = left + indent
                last = i == len(lines) - 1
                if not last and len(ln) > 1 and p.align in ("left", "justify"):
                    spacing = max(0.0, (text_w - indent - w) / (len(ln) - 1))  # justified, as Word prints
            if ln.strip():
                end = _put(page.chars, ln, x, y, p.size, spacing)
                if p.attrs:
                    drawing.places.append(Place(page.number, (x, y, end - spacing, y + p.size), dict(p.attrs)))
            state["y"] += lead
        state["y"] += PARA_GAP

    def flush() -> None:
        for p, lines in pending:
            emit_para(p, lines)
        pending.clear()

    for b in blocks:
        if isinstance(b, Para):
            if b.page_break_before and state["page"] is not None:
                flush()
                new_page()
            lines = para_lines(b)
            if len(lines) == 1 and len(b.text) <= 40:
                pending.append((b, lines))
                if len(pending) > 3:
                    emit_para(*pending.pop(0))
            else:
                flush()
                emit_para(b, lines)
            continue
        # a table wider than the text gets a page of its own, as wide as it needs (a landscape page in Word)
        total = sum(b.col_widths)
        heights = grid_heights(b)
        th = sum(heights)
        head_h = sum(p.size * LEADING + PARA_GAP for p, _ in pending)
        wide = total > text_w + 1
        cur = state["page"]
        if (cur is None or b.page_break_before or state["y"] + head_h + th > cur.height - bottom_m
                or wide or cur.width != pw):
            if cur is None or state["y"] > top_m + 1 or wide or cur.width != pw:
                need = top_m + head_h + th + bottom_m
                new_page(max(ph, need), max(pw, total + left + right))
        flush()
        state["y"] = draw_grid(state["page"], drawing.places, b, left, state["y"], heights) + PARA_GAP
    flush()
    if not drawing.pages:
        new_page()
    return drawing


# -- provenance --------------------------------------------------------------------------------------------

def provenance(places: list[Place], page: int, bbox: BBox) -> dict:
    """The attributes of the drawn piece that holds the centre of ``bbox`` on ``page`` (the smallest one),
    or {} when none does."""
    cx, cy = (bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2
    best, area = None, None
    for pl in places:
        if pl.page != page:
            continue
        x0, t, x1, b = pl.bbox
        if x0 - 0.5 <= cx <= x1 + 0.5 and t - 0.5 <= cy <= b + 0.5:
            a = (x1 - x0) * (b - t)
            if area is None or a < area:
                best, area = pl, a
    return dict(best.attrs) if best else {}


# -- numbers as a spreadsheet shows them ----------------------------------------------------------------------

_FMT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|(\[[^\]]*\]|_.|\*.)|([0#?][0#?,]*(?:\.[0#?]*)?|\.[0#?]+)|(.)', re.DOTALL)
_GENERAL = ("general", "g/通用格式", "通用格式", "", "@")


def _sections(fmt: str) -> list[str]:
    """The ";"-separated sections of a format code (a ";" inside quotes is text)."""
    out, cur, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append(cur)
            cur = ""
        else:
            cur += ch
    out.append(cur)
    return out


def format_number(value: float | Decimal, fmt: str | None) -> str:
    """The text a spreadsheet shows for a number in format ``fmt`` (Excel's format codes: "0.00", "#,##0.00",
    "0.00%", "0", "General" / "G/通用格式"; a second section for negatives, a third for zero; quoted or escaped
    text and the characters Excel prints as they are ("(", ")", "¥", "-") kept: 0.00"万元" shows "831.26万元").
    A float read from the file (542.4) shows as the format prints it ("542.40"); "General" shows the shortest
    exact form.  Dates are shown by the readers, not here."""
    try:
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, ValueError):
        return str(value)
    sections = _sections(fmt or "General")
    sec = sections[0]
    signed = True
    if d < 0 and len(sections) >= 2 and sections[1].strip():
        sec, d, signed = sections[1], -d, False  # the negative section prints its own sign or parentheses
    elif d == 0 and len(sections) >= 3 and sections[2].strip():
        sec = sections[2]
    if re.sub(r"\[[^\]]*\]", "", sec).strip().lower() in _GENERAL:
        return _general(d, value)
    unquoted = re.sub(r'"[^"]*"|\\.', "", sec)
    if "%" in unquoted:
        d = d * 100
    out: list[str] = []
    number_done = False
    for m in _FMT_TOKEN.finditer(sec):
        quoted, escaped, skipped, code, other = m.groups()
        if quoted is not None:
            out.append(quoted)
        elif escaped is not None:
            out.append(escaped)
        elif skipped is not None:
            continue  # [Red], [$-804], _) padding, *- fill
        elif code is not None:
            if not number_done:
                out.append(_number_code(d, code, signed))
                number_done = True
        elif other is not None:
            out.append(other)
    if not number_done and not "".join(out).strip():
        return _general(d, value)
    return "".join(out)  # a section of text only ('"-"' for zero) shows just that text


def _number_code(d: Decimal, code: str, signed: bool) -> str:
    integer, _, frac = code.partition(".")
    places = sum(1 for ch in frac if ch in "0#?")
    q = d.quantize(Decimal(1).scaleb(-places)) if places else d.quantize(Decimal(1))
    text = f"{abs(q):,.{places}f}" if "," in integer else f"{abs(q):.{places}f}"
    if places and set(frac) <= set("#") and text.endswith("0"):  # "0.##": no trailing zeros
        text = text.rstrip("0").rstrip(".")
    return ("-" if signed and q < 0 else "") + text


def _general(d: Decimal, value) -> str:
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    s = format(d.normalize(), "f")
    if isinstance(value, float) and len(s) > 17:  # 0.1+0.2 noise in a General cell
        s = format(Decimal(repr(round(value, 10))).normalize(), "f")
    return s


def column_letter(col: int) -> str:
    """1 → "A", 27 → "AA"."""
    s = ""
    while col > 0:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_address(sheet: str, row: int, col: int) -> str:
    """0-based row and column → "基础数据表!C7"."""
    return f"{sheet}!{column_letter(col + 1)}{row + 1}"
