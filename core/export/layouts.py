"""Official sheet layouts as data: load ``resources/layouts/*.json`` into validated dataclasses.

Why it exists: the 基础数据表 and the 自评表 are numbered, worded and ordered a little differently from one
district and year to the next (附件2 or 附件3, 业务工作经费 or 业务工作专项, 部门基本支出预算调整 or 部门整体支出预算调整).
Everything that is *layout* — which label goes in which cell, which field key fills which cell, what is
merged, column widths, number formats, print setup — lives in a JSON file a district can swap for its own;
the writer (``excel.py``) only knows how to draw a layout.  A layout file that is wrong fails here, with a
message naming the file and the place, not half-way through writing a workbook.

What it must not do: import openpyxl (``excel.py`` is the only module that does) or look at a Case.

Schema ``sheet-layout/1`` (one sheet per file)::

    {"schema": "sheet-layout/1", "id": "basic_data", "sheet": "基础数据表",
     "font": {"name": "宋体", "size": 10},
     "columns": {"A": 26, "B": 8.5, ...},                       # widths, Excel character units
     "print": {"paper": "A4", "orientation": "portrait", "fit_width": 1, "fit_height": 0,
               "margins_cm": {"left": 1.5, ...}, "center": true, "repeat_header": "indicators"},
     "styles": {"name": {"bold": true, "size": 16, "h": "center", "v": "center", "wrap": true,
                         "fill": "FFF2CC", "border": true, "italic": false, "indent": 0,
                         "rotate": 0}},                         # optional; adds to DEFAULT_STYLES
     "labels": {"severity": {"error": "错误"}, "check": {...}},  # optional wording tables of a source
     "blocks": [ <fixed block> | <table block>, ... ]}          # stacked top to bottom

A *fixed* block is a grid of cells whose refs are local to the block (row 1 is the block's first row)::

    {"name": "staff", "kind": "fixed", "border": "A1:G2", "heights": {"1": 30},
     "cells": [{"ref": "B1:C1", "text": "编制数", "style": "header"},
               {"ref": "B2:C2", "field": "basic.staff.authorized", "format": "count"}]}

A cell has at most one content: ``text`` (a label; ``{year_label}`` style placeholders, see
``PLACEHOLDERS``), ``field`` (the first case field with that key, its effective value), ``value`` (a dotted
path into the export context: ``scores.selfeval.recomputed_total``, ``derived.selfeval.total_diff``,
``meta.unit_name``) or ``compute`` (a figure of our own computed from other cells of the sheet:
``{"sum": [refs]}``, ``{"average": [refs]}`` or ``{"ratio": [numerator, denominator]}``; ``B2`` or
``block!B2`` is a cell of a fixed block and ``block[key]`` the data range of a table column).  The workbook
holds values only, never a formula: openpyxl cannot store a formula's cached value, and a formula without
one is blank in previewers and some WPS versions (a layout with ``formula`` is refused).  Options:
``style``, ``format`` (``money`` ``score`` ``percent`` ``count`` ``auto`` ``text`` ``datetime`` or a raw
Excel format), ``sum_of`` (refs of the parts of a total the *template* defines as a sum; documentation of the
form, the reported value is written),
``fallback`` (``[{"field": key, "comment": "取自决算公开09表"}]``, used when ``field`` is missing),
``unit`` (money unit of the cell, "万元": a field in 元 is converted), ``highlight_when`` (context path; truthy
→ highlighted) and ``highlight_nonzero``.

A *table* block writes one row per record of a ``source`` (see ``SOURCES``), under optional header cells::

    {"name": "indicators", "kind": "table", "source": "selfeval_indicators", "border": "A:I",
     "header": [{"ref": "B1", "text": "一级指标", "style": "header"}],
     "columns": [{"col": "A", "text": "绩效指标", "merge": "all"},
                 {"col": "B", "key": "level1", "merge": ["level1"]},
                 {"col": "G", "key": "weight", "format": "score"}],
     "empty_rows": 1, "empty_text": "无"}

``merge`` on a column: ``"all"`` (header and every row, one cell; cut and repeated at each page break) a
list of record keys (consecutive rows equal on all of them are merged) or absent.  ``col`` may be a horizontal
span "D:E".  ``"width": "auto"`` (with ``min_width``/``max_width``) sizes a column from its content: every
line of a number cell fits, so a number never wraps.  A table block may ask for ``"freeze": true`` (rows
down to its header stay on screen) and ``"autofilter": true``.

``print`` may also name ``"columns": "A:L"`` (what is printed; columns beyond stay in the sheet) and
``"page_groups": {"block": "indicators", "keys": ["level1"]}``: page breaks are placed only between groups of
rows equal on those keys (and the blocks after the table stay with its last group), computed from the row
heights and the paper, so no merged label is cut by a page break.

A workbook manifest (``workbook.json``, schema ``workbook-layout/1``) lists the workbooks to write::

    {"schema": "workbook-layout/1", "workbooks": [
        {"file_name": "{unit_name}_{year}_绩效审核.xlsx", "file_name_no_year": "{unit_name}_绩效审核.xlsx",
         "sheets": ["basic_data", "selfeval", "common_indicators", "findings", "corrections"]}]}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ReviewError
from core.resources import resource_path

SHEET_SCHEMA = "sheet-layout/1"
WORKBOOK_SCHEMA = "workbook-layout/1"

# Record keys each table source provides (excel.py builds the records); a layout naming another key is wrong.
SOURCES: dict[str, frozenset[str]] = {
    "selfeval_indicators": frozenset({
        "seq", "id", "level1", "level2", "level3", "target", "actual", "weight", "score", "deviation",
        "recomputed_score", "score_diff", "note", "differs", "review_actual", "review_score", "deduction",
        "deduction_ratio", "basis", "actual_differs",
    }),
    "common_indicators": frozenset({
        "seq", "id", "name", "formula", "input_name", "input_value", "value", "weight", "score", "rule",
        "note", "group",
    }),
    "findings": frozenset({
        "seq", "severity", "check", "check_name", "check_label", "message", "values", "documents", "pages",
        "decision", "reason", "reviewer", "time", "fingerprint", "decided", "group", "page", "note",
        "resolved_by", "state",
    }),
    "corrections": frozenset({
        "seq", "kind", "label", "key", "field_label", "original", "new", "reason", "time", "reviewer",
        "document", "page",
    }),
    "coverage": frozenset({  # core.checks.coverage: one row per check of the catalogue
        "seq", "check", "name", "group", "status", "result", "why", "verdict", "note", "reviewer", "time", "open",
    }),
}

# Text placeholders a label may use; excel.py fills them ("" or 本年/上年 wording when the year is unknown).
PLACEHOLDERS = frozenset({
    "unit_name", "year", "prev_year", "year_label", "prev_year_label", "preset_name", "export_time",
    "reviewer",
})

FORMAT_ALIASES: dict[str, str] = {
    "money": "0.00",
    "score": "0.00",
    "percent": "0.00%",   # the value is a percent number (88.23); the cell holds the ratio 0.8823
    "count": "0",
    "auto": "",           # "0" for a whole number, "0.00" otherwise (chosen per value)
    "text": "General",
    "datetime": "yyyy-mm-dd hh:mm",
    "general": "General",
}

STYLE_KEYS = frozenset({"bold", "italic", "size", "h", "v", "wrap", "fill", "border", "indent", "rotate"})
H_ALIGN = frozenset({"left", "center", "right", "general", "justify", "centerContinuous", "distributed"})
V_ALIGN = frozenset({"top", "center", "bottom", "justify", "distributed"})
PAPER_SIZES = {"A4": 9, "A3": 8, "LETTER": 1}

_CELL_RE = re.compile(r"^([A-Z]{1,3})([1-9][0-9]{0,5})$")
_COL_RE = re.compile(r"^[A-Z]{1,3}$")
_REF_RE = re.compile(r"\{([^{}]+)\}")
_BLOCK_CELL_RE = re.compile(r"^([A-Za-z_][\w]*)!([A-Z]{1,3}[1-9][0-9]{0,5})$")
_BLOCK_COL_RE = re.compile(r"^([A-Za-z_][\w]*)\[([A-Za-z_][\w]*)\]$")
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# an Excel number format: placeholders, literals in quotes, date/time codes, a few separators
_RAW_FORMAT = re.compile(
    r'(?:"[^"]*"|\\.|\[[^\]]*\]|General|[0#?.,%@ ;\-+()\[\]$:/_*EeyYmMdDhHsSAPap\u4e00-\u9fff])+')


class LayoutError(ReviewError):
    """A layout file is missing or malformed.  The message names the file and the place, in Chinese."""

    def __init__(self, path: str | Path, where: str, problem: str) -> None:
        super().__init__(f"版式文件 {path}：{where}：{problem}")
        self.path = str(path)
        self.where = where
        self.problem = problem


# -- references -------------------------------------------------------------------------------------------

def col_to_index(col: str) -> int:
    """"A" → 1, "Z" → 26, "AA" → 27."""
    n = 0
    for ch in col:
        n = n * 26 + (ord(ch) - 64)
    return n


def index_to_col(n: int) -> str:
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


@dataclass(frozen=True)
class Area:
    """A rectangle in block-local coordinates (1-based rows and columns)."""

    col1: int
    row1: int
    col2: int
    row2: int

    @property
    def single(self) -> bool:
        return self.col1 == self.col2 and self.row1 == self.row2


def parse_area(ref: str) -> Area:
    """"B2" or "B2:C3" → Area.  Raises ValueError with a reason."""
    parts = ref.split(":")
    if len(parts) not in (1, 2):
        raise ValueError(f"单元格引用“{ref}”格式不对（应为 B2 或 B2:C3）")
    cells = []
    for p in parts:
        m = _CELL_RE.match(p.strip())
        if not m:
            raise ValueError(f"单元格引用“{ref}”格式不对（应为 B2 或 B2:C3）")
        cells.append((col_to_index(m.group(1)), int(m.group(2))))
    (c1, r1), (c2, r2) = cells[0], cells[-1]
    if c2 < c1 or r2 < r1:
        raise ValueError(f"单元格区域“{ref}”应从左上写到右下")
    return Area(c1, r1, c2, r2)


def parse_cols(spec: str) -> tuple[int, int]:
    """"B" or "D:E" → (first, last) column index."""
    parts = spec.split(":")
    if len(parts) not in (1, 2) or not all(_COL_RE.match(p) for p in parts):
        raise ValueError(f"列“{spec}”格式不对（应为 B 或 D:E）")
    a, b = col_to_index(parts[0]), col_to_index(parts[-1])
    if b < a:
        raise ValueError(f"列区域“{spec}”应从左写到右")
    return a, b


def parse_part_ref(ref: str) -> tuple[str | None, str, str]:
    """A reference used by ``sum_of`` and formulas.

    "B9" → (None, "cell", "B9") (the same block); "funds!H2" → ("funds", "cell", "H2");
    "indicators[score]" → ("indicators", "column", "score").
    """
    ref = ref.strip()
    if _CELL_RE.match(ref):
        return None, "cell", ref
    m = _BLOCK_CELL_RE.match(ref)
    if m:
        return m.group(1), "cell", m.group(2)
    m = _BLOCK_COL_RE.match(ref)
    if m:
        return m.group(1), "column", m.group(2)
    raise ValueError(f"引用“{ref}”格式不对（应为 B9、块名!B9 或 表名[列键]）")


def formula_refs(formula: str) -> list[str]:
    """The ``{...}`` references inside a layout formula."""
    return _REF_RE.findall(formula)


# -- dataclasses ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Style:
    bold: bool = False
    italic: bool = False
    size: float | None = None
    h: str = "center"
    v: str = "center"
    wrap: bool = True
    fill: str | None = None
    border: bool | None = None  # None: as the block says
    indent: int = 0
    rotate: int = 0  # degrees 0–180 as Excel has it; 255 = characters stacked top to bottom (竖排)


DEFAULT_STYLES: dict[str, Style] = {
    "title": Style(bold=True, size=16, wrap=False),
    "subtitle": Style(bold=True, size=12),
    "annex": Style(h="left", size=11, wrap=False),
    "header": Style(bold=True),
    "vertical_header": Style(bold=True, rotate=255),
    # a label merged down a group of rows: excel.py never lets a page break cut it (breaks go between groups,
    # or the label is repeated on each page), so it can sit in the middle like on the printed form
    "group": Style(v="center"),
    "vertical_group": Style(bold=True, v="center", rotate=255),
    "label": Style(),
    "label_left": Style(h="left"),
    "text": Style(h="left", v="center"),
    "text_top": Style(h="left", v="top"),
    "center": Style(),
    "number": Style(h="right"),
    "unit": Style(h="right", wrap=False),
    "meta": Style(h="left", wrap=False),
    "note": Style(h="left", v="top", size=9),
    "footer": Style(h="left", wrap=False),
    "review_header": Style(bold=True, fill="DDEBF7", border=True),
    "review": Style(h="right", fill="F2F7FC", border=True),
    "review_text": Style(h="left", fill="F2F7FC", border=True),
    "review_center": Style(fill="F2F7FC", border=True),
}


@dataclass(frozen=True)
class Fallback:
    """Where a cell's figure is taken from when its own field is missing: one field, or the sum of the
    ``fields`` found (a 决算 line of 公开06 for each part; lines the 决算 leaves blank add nothing)."""

    field: str
    comment: str = ""
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellSpec:
    ref: str
    area: Area
    text: str | None = None
    field: str | None = None
    value: str | None = None
    formula: str | None = None
    style: str = "label"
    format: str | None = None
    sum_of: tuple[str, ...] = ()
    fallback: tuple[Fallback, ...] = ()
    unit: str | None = None
    highlight_when: str | None = None
    highlight_nonzero: bool = False
    comment: str | None = None  # a fixed note shown as a cell comment
    compute: tuple[str, tuple[str, ...]] | None = None  # ("sum"|"average"|"ratio", refs)


@dataclass(frozen=True)
class ColumnSpec:
    col: str
    first: int
    last: int
    key: str | None = None
    text: str | None = None
    style: str = "text"
    format: str | None = None
    merge: tuple[str, ...] | str | None = None  # "all", a tuple of record keys, or None
    highlight_when: str | None = None            # a record key; truthy → highlighted
    highlight_nonzero: bool = False
    auto_width: tuple[float, float] | None = None  # (min, max) when the width follows the content


@dataclass(frozen=True)
class Block:
    name: str
    kind: str  # "fixed" | "table"
    cells: tuple[CellSpec, ...] = ()
    border: tuple[int, int] | None = None  # first/last column to draw a grid over, None: no grid
    heights: dict[int, float] = field(default_factory=dict)
    # table blocks only
    source: str | None = None
    header: tuple[CellSpec, ...] = ()
    columns: tuple[ColumnSpec, ...] = ()
    empty_rows: int = 1
    empty_text: str = ""
    row_height: float | None = None  # minimum height of a data row
    freeze: bool = False
    autofilter: bool = False

    @property
    def height(self) -> int:
        """Rows of a fixed block, or header rows of a table block."""
        cells = self.cells if self.kind == "fixed" else self.header
        return max((c.area.row2 for c in cells), default=0)


@dataclass(frozen=True)
class PrintSetup:
    paper: str = "A4"
    orientation: str = "portrait"
    fit_width: int = 1
    fit_height: int = 0
    margins_cm: dict[str, float] = field(default_factory=lambda: {
        "left": 1.5, "right": 1.5, "top": 1.5, "bottom": 1.5, "header": 0.8, "footer": 0.8})
    center: bool = True
    repeat_header: str | None = None  # a table block whose header rows repeat on every printed page
    columns: tuple[int, int] | None = None  # printed columns (default: all)
    page_groups: tuple[str, tuple[str, ...]] | None = None  # (table block, record keys): breaks between groups


@dataclass(frozen=True)
class SheetLayout:
    id: str
    sheet: str
    path: str
    columns: dict[str, float]
    blocks: tuple[Block, ...]
    print: PrintSetup
    font_name: str = "宋体"
    font_size: float = 10
    styles: dict[str, Style] = field(default_factory=dict)
    description: str = ""
    labels: dict[str, dict[str, str]] = field(default_factory=dict)  # wording tables a source may use

    def block(self, name: str) -> Block:
        for b in self.blocks:
            if b.name == name:
                return b
        raise KeyError(name)

    def style(self, name: str) -> Style:
        return self.styles.get(name) or DEFAULT_STYLES.get(name) or DEFAULT_STYLES["label"]

    @property
    def last_column(self) -> int:
        cols = [col_to_index(c) for c in self.columns]
        for b in self.blocks:
            for c in b.cells + b.header:
                cols.append(c.area.col2)
            for col in b.columns:
                cols.append(col.last)
        return max(cols, default=1)


@dataclass(frozen=True)
class WorkbookSpec:
    file_name: str
    file_name_no_year: str
    sheets: tuple[str, ...]


@dataclass(frozen=True)
class WorkbookManifest:
    path: str
    workbooks: tuple[WorkbookSpec, ...]


# -- loading ----------------------------------------------------------------------------------------------

def layouts_dir() -> Path:
    return resource_path("layouts")


def load_manifest(path: str | Path | None = None) -> WorkbookManifest:
    """The workbook manifest (default ``resources/layouts/workbook.json``)."""
    p = Path(path) if path is not None else layouts_dir() / "workbook.json"
    data = _read_json(p)
    if data.get("schema") != WORKBOOK_SCHEMA:
        raise LayoutError(p, "schema", f"应为“{WORKBOOK_SCHEMA}”，实为“{data.get('schema')}”")
    books = data.get("workbooks")
    if not isinstance(books, list) or not books:
        raise LayoutError(p, "workbooks", "应为非空列表")
    out = []
    for i, b in enumerate(books):
        where = f"workbooks[{i}]"
        if not isinstance(b, dict):
            raise LayoutError(p, where, "应为对象")
        name = b.get("file_name")
        if not isinstance(name, str) or not name.lower().endswith(".xlsx"):
            raise LayoutError(p, where + ".file_name", "应为以 .xlsx 结尾的文件名模板")
        no_year = b.get("file_name_no_year", name)
        if not isinstance(no_year, str) or not no_year.lower().endswith(".xlsx"):
            raise LayoutError(p, where + ".file_name_no_year", "应为以 .xlsx 结尾的文件名模板")
        for tpl, k in ((name, "file_name"), (no_year, "file_name_no_year")):
            _check_placeholders(p, f"{where}.{k}", tpl)
        sheets = b.get("sheets")
        if not isinstance(sheets, list) or not sheets or not all(isinstance(s, str) for s in sheets):
            raise LayoutError(p, where + ".sheets", "应为版式 id 的非空列表")
        out.append(WorkbookSpec(name, no_year, tuple(sheets)))
    return WorkbookManifest(str(p), tuple(out))


def load_layout(path: str | Path) -> SheetLayout:
    """Load and validate one sheet layout file; raise ``LayoutError`` naming the place of any problem."""
    p = Path(path)
    data = _read_json(p)
    if data.get("schema") != SHEET_SCHEMA:
        raise LayoutError(p, "schema", f"应为“{SHEET_SCHEMA}”，实为“{data.get('schema')}”")
    lid = data.get("id")
    if not isinstance(lid, str) or not lid:
        raise LayoutError(p, "id", "缺少版式 id")
    sheet = data.get("sheet")
    if not isinstance(sheet, str) or not sheet.strip() or len(sheet) > 31 or _SHEET_BAD.search(sheet):
        raise LayoutError(p, "sheet", "工作表名称应为1–31个字符，且不含 [ ] : * ? / \\")

    columns = data.get("columns", {})
    if not isinstance(columns, dict):
        raise LayoutError(p, "columns", "应为 {列: 宽度} 对象")
    widths: dict[str, float] = {}
    for col, w in columns.items():
        if not _COL_RE.match(col):
            raise LayoutError(p, f"columns.{col}", "列名应为大写字母")
        if not isinstance(w, (int, float)) or isinstance(w, bool) or not 0 < w <= 255:
            raise LayoutError(p, f"columns.{col}", "宽度应为 0–255 之间的数")
        widths[col] = float(w)

    font = data.get("font", {})
    if not isinstance(font, dict):
        raise LayoutError(p, "font", "应为对象")
    font_name = font.get("name", "宋体")
    font_size = font.get("size", 10)
    if not isinstance(font_name, str) or not isinstance(font_size, (int, float)):
        raise LayoutError(p, "font", "name 应为字体名，size 应为数字")

    styles = _parse_styles(p, data.get("styles", {}))
    known_styles = set(DEFAULT_STYLES) | set(styles)

    blocks_raw = data.get("blocks")
    if not isinstance(blocks_raw, list) or not blocks_raw:
        raise LayoutError(p, "blocks", "应为非空列表")
    blocks = tuple(_parse_block(p, i, b, known_styles) for i, b in enumerate(blocks_raw))
    names = [b.name for b in blocks]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise LayoutError(p, "blocks", f"块名重复：{'、'.join(sorted(dup))}")
    _check_references(p, blocks)

    pr = _parse_print(p, data.get("print", {}), {b.name for b in blocks if b.kind == "table"})
    labels = data.get("labels", {})
    if not isinstance(labels, dict) or not all(
        isinstance(t, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in t.items())
        for t in labels.values()
    ):
        raise LayoutError(p, "labels", "应为 {表名: {键: 文字}} 对象")
    return SheetLayout(
        id=lid, sheet=sheet, path=str(p), columns=widths, blocks=blocks, print=pr,
        font_name=font_name, font_size=float(font_size), styles=styles,
        description=str(data.get("description", "")), labels=labels,
    )


def load_layouts(directory: str | Path | None = None) -> dict[str, SheetLayout]:
    """Every ``*.json`` sheet layout in ``directory`` (default ``resources/layouts``) by id."""
    d = Path(directory) if directory is not None else layouts_dir()
    if not d.is_dir():
        raise LayoutError(d, "目录", "版式目录不存在")
    out: dict[str, SheetLayout] = {}
    for p in sorted(d.glob("*.json")):
        if p.name == "workbook.json" or p.name.startswith("_"):
            continue
        lay = load_layout(p)
        if lay.id in out:
            raise LayoutError(p, "id", f"版式 id“{lay.id}”与 {out[lay.id].path} 重复")
        out[lay.id] = lay
    return out


def load_all(directory: str | Path | None = None) -> tuple[WorkbookManifest, dict[str, SheetLayout]]:
    """The manifest and the layouts it names, checked against each other."""
    d = Path(directory) if directory is not None else layouts_dir()
    manifest = load_manifest(d / "workbook.json")
    layouts = load_layouts(d)
    for i, wb in enumerate(manifest.workbooks):
        seen: set[str] = set()
        for s in wb.sheets:
            if s not in layouts:
                raise LayoutError(manifest.path, f"workbooks[{i}].sheets", f"找不到版式“{s}”")
            name = layouts[s].sheet
            if name in seen:
                raise LayoutError(manifest.path, f"workbooks[{i}].sheets", f"工作表名称“{name}”重复")
            seen.add(name)
    return manifest, layouts


# -- validation helpers -----------------------------------------------------------------------------------

def _read_json(p: Path) -> dict:
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise LayoutError(p, "文件", "版式文件不存在") from None
    except OSError as e:
        raise LayoutError(p, "文件", f"无法读取（{e.strerror or e}）") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise LayoutError(p, f"第{e.lineno}行第{e.colno}列", f"不是有效的 JSON（{e.msg}）") from None
    if not isinstance(data, dict):
        raise LayoutError(p, "顶层", "应为 JSON 对象")
    return data


def _check_placeholders(p: Path, where: str, text: str) -> None:
    for name in re.findall(r"\{([^{}]*)\}", text):
        if name not in PLACEHOLDERS:
            raise LayoutError(p, where, f"未知占位符“{{{name}}}”（可用：{'、'.join(sorted(PLACEHOLDERS))}）")


def _parse_styles(p: Path, raw: Any) -> dict[str, Style]:
    if not isinstance(raw, dict):
        raise LayoutError(p, "styles", "应为对象")
    out: dict[str, Style] = {}
    for name, spec in raw.items():
        where = f"styles.{name}"
        if not isinstance(spec, dict):
            raise LayoutError(p, where, "应为对象")
        bad = set(spec) - STYLE_KEYS
        if bad:
            raise LayoutError(p, where, f"未知属性：{'、'.join(sorted(bad))}")
        base = DEFAULT_STYLES.get(name, Style())
        kw = {**base.__dict__, **spec}
        if kw["h"] not in H_ALIGN or kw["v"] not in V_ALIGN:
            raise LayoutError(p, where, "对齐方式不对（h: left/center/right…，v: top/center/bottom…）")
        if not isinstance(kw["rotate"], int) or not (0 <= kw["rotate"] <= 180 or kw["rotate"] == 255):
            raise LayoutError(p, where + ".rotate", "旋转角度应为 0–180，或 255（竖排）")
        if kw["fill"] is not None and not re.fullmatch(r"[0-9A-Fa-f]{6}", str(kw["fill"])):
            raise LayoutError(p, where + ".fill", "颜色应为6位十六进制，如 FFF2CC")
        out[name] = Style(**kw)
    return out


def _parse_cell(p: Path, where: str, c: Any, styles: set[str]) -> CellSpec:
    if not isinstance(c, dict):
        raise LayoutError(p, where, "应为对象")
    known = {"ref", "text", "field", "value", "formula", "compute", "style", "format", "sum_of", "fallback",
             "unit", "highlight_when", "highlight_nonzero", "comment"}
    bad = set(c) - known
    if bad:
        raise LayoutError(p, where, f"未知属性：{'、'.join(sorted(bad))}")
    ref = c.get("ref")
    if not isinstance(ref, str):
        raise LayoutError(p, where, "缺少 ref（单元格位置）")
    try:
        area = parse_area(ref)
    except ValueError as e:
        raise LayoutError(p, where + ".ref", str(e)) from None
    contents = [k for k in ("text", "field", "value", "formula", "compute") if c.get(k) is not None]
    if len(contents) > 1:
        raise LayoutError(p, where, f"text/field/value/compute 只能有一个，实有：{'、'.join(contents)}")
    for k in contents:
        if k != "compute" and not isinstance(c[k], str):
            raise LayoutError(p, f"{where}.{k}", "应为字符串")
    compute = None
    if c.get("compute") is not None:
        compute = _parse_compute(p, where + ".compute", c["compute"])
    if c.get("text") is not None:
        _check_placeholders(p, where + ".text", c["text"])
    if c.get("formula") is not None:
        raise LayoutError(p, where + ".formula",
                          "工作簿只写数值、不写公式（公式没有缓存值，预览和部分WPS版本显示为空）；"
                          "合计、平均数请用 compute，如 {\"sum\": [\"items[score]\"]}")
    style = c.get("style", "label")
    if style not in styles:
        raise LayoutError(p, where + ".style", f"未知样式“{style}”")
    fmt = c.get("format")
    _check_format(p, where + ".format", fmt)
    sum_of = c.get("sum_of", [])
    if not isinstance(sum_of, list) or not all(isinstance(x, str) for x in sum_of):
        raise LayoutError(p, where + ".sum_of", "应为引用的列表")
    if sum_of and c.get("field") is None and c.get("value") is None:
        raise LayoutError(p, where + ".sum_of", "sum_of 只能用于 field 或 value 单元格")
    for r in sum_of:
        try:
            parse_part_ref(r)
        except ValueError as e:
            raise LayoutError(p, where + ".sum_of", str(e)) from None
    fb_raw = c.get("fallback", [])
    if not isinstance(fb_raw, list):
        raise LayoutError(p, where + ".fallback", "应为列表")
    fbs = []
    for j, fb in enumerate(fb_raw):
        several = fb.get("fields") if isinstance(fb, dict) else None
        if isinstance(several, list) and several and all(isinstance(k, str) for k in several):
            fbs.append(Fallback(several[0], str(fb.get("comment", "")), tuple(several)))
            continue
        if not isinstance(fb, dict) or not isinstance(fb.get("field"), str):
            raise LayoutError(p, f"{where}.fallback[{j}]",
                              "应为 {\"field\": 字段键, \"comment\": 批注} 或 {\"fields\": [字段键…]}")
        fbs.append(Fallback(fb["field"], str(fb.get("comment", ""))))
    if fbs and c.get("field") is None:
        raise LayoutError(p, where + ".fallback", "fallback 只能用于 field 单元格")
    unit = c.get("unit")
    if unit not in (None, "万元", "元"):
        raise LayoutError(p, where + ".unit", "金额单位应为“万元”或“元”")
    return CellSpec(
        ref=ref, area=area, text=c.get("text"), field=c.get("field"), value=c.get("value"),
        formula=c.get("formula"), style=style, format=fmt, sum_of=tuple(sum_of), fallback=tuple(fbs),
        unit=unit, highlight_when=c.get("highlight_when"), highlight_nonzero=bool(c.get("highlight_nonzero")),
        comment=str(c["comment"]) if c.get("comment") else None, compute=compute,
    )


def _parse_compute(p: Path, where: str, raw: Any) -> tuple[str, tuple[str, ...]]:
    if not isinstance(raw, dict) or len(raw) != 1:
        raise LayoutError(p, where, "应为 {\"sum\"|\"average\"|\"ratio\": [引用…]}")
    (op, refs), = raw.items()
    if op not in ("sum", "average", "ratio"):
        raise LayoutError(p, where, f"未知计算“{op}”（可用：sum、average、ratio）")
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) for r in refs):
        raise LayoutError(p, where, "应为引用的非空列表")
    if op == "ratio" and len(refs) != 2:
        raise LayoutError(p, where, "ratio 应为 [分子, 分母] 两个引用")
    for r in refs:
        try:
            parse_part_ref(r)
        except ValueError as e:
            raise LayoutError(p, where, str(e)) from None
    return op, tuple(refs)


def _check_format(p: Path, where: str, fmt: Any) -> None:
    if fmt is None:
        return
    if not isinstance(fmt, str) or not fmt:
        raise LayoutError(p, where, "应为格式名或 Excel 数字格式")
    if fmt in FORMAT_ALIASES:
        return
    if not (_RAW_FORMAT.fullmatch(fmt) and re.search(r"[0#@?]|General|[yYmMdDhHsS]", fmt)):
        raise LayoutError(
            p, where, f"未知格式“{fmt}”（可用：{'、'.join(FORMAT_ALIASES)}，或 Excel 数字格式如 0.00）")


def _parse_block(p: Path, i: int, b: Any, styles: set[str]) -> Block:
    where = f"blocks[{i}]"
    if not isinstance(b, dict):
        raise LayoutError(p, where, "应为对象")
    name = b.get("name")
    if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise LayoutError(p, where + ".name", "块名应为字母、数字、下划线")
    where = f"blocks[{i}]（{name}）"
    kind = b.get("kind", "fixed")
    if kind not in ("fixed", "table"):
        raise LayoutError(p, where + ".kind", "应为 fixed 或 table")
    border = _parse_border(p, where, b.get("border"))
    heights_raw = b.get("heights", {})
    if not isinstance(heights_raw, dict):
        raise LayoutError(p, where + ".heights", "应为 {行号: 高度}")
    heights: dict[int, float] = {}
    for k, v in heights_raw.items():
        if not str(k).isdigit() or int(k) < 1 or not isinstance(v, (int, float)) or not 0 < v <= 409:
            raise LayoutError(p, f"{where}.heights.{k}", "行号应为正整数，高度为 0–409 磅")
        heights[int(k)] = float(v)

    if kind == "fixed":
        cells_raw = b.get("cells")
        if not isinstance(cells_raw, list) or not cells_raw:
            raise LayoutError(p, where + ".cells", "固定块应有非空的 cells 列表")
        cells = tuple(_parse_cell(p, f"{where}.cells[{j}]", c, styles) for j, c in enumerate(cells_raw))
        _check_overlaps(p, where, cells)
        return Block(name=name, kind=kind, cells=cells, border=border, heights=heights)

    source = b.get("source")
    if source not in SOURCES:
        raise LayoutError(p, where + ".source", f"未知数据源“{source}”（可用：{'、'.join(SOURCES)}）")
    header_raw = b.get("header", [])
    if not isinstance(header_raw, list):
        raise LayoutError(p, where + ".header", "应为列表")
    header = tuple(_parse_cell(p, f"{where}.header[{j}]", c, styles) for j, c in enumerate(header_raw))
    for c in header:
        if c.field or c.value or c.formula or c.sum_of or c.compute:
            raise LayoutError(p, where + ".header", "表头只能写文字（text）")
    _check_overlaps(p, where, header)
    cols_raw = b.get("columns")
    if not isinstance(cols_raw, list) or not cols_raw:
        raise LayoutError(p, where + ".columns", "表格块应有非空的 columns 列表")
    keys = SOURCES[source]
    columns = []
    used: set[int] = set()
    for j, c in enumerate(cols_raw):
        cw = f"{where}.columns[{j}]"
        if not isinstance(c, dict):
            raise LayoutError(p, cw, "应为对象")
        bad = set(c) - {"col", "key", "text", "style", "format", "merge", "highlight_when",
                        "highlight_nonzero", "width", "min_width", "max_width"}
        if bad:
            raise LayoutError(p, cw, f"未知属性：{'、'.join(sorted(bad))}")
        try:
            first, last = parse_cols(str(c.get("col", "")))
        except ValueError as e:
            raise LayoutError(p, cw + ".col", str(e)) from None
        span = set(range(first, last + 1))
        if span & used:
            raise LayoutError(p, cw + ".col", f"列“{c.get('col')}”与其他列重叠")
        used |= span
        key, text = c.get("key"), c.get("text")
        if (key is None) == (text is None):
            raise LayoutError(p, cw, "key（数据列）与 text（固定文字）须有且只有一个")
        if key is not None and key not in keys:
            raise LayoutError(p, cw + ".key", f"数据源“{source}”没有“{key}”（可用：{'、'.join(sorted(keys))}）")
        merge = c.get("merge")
        if merge is not None and merge != "all":
            if not isinstance(merge, list) or not all(isinstance(m, str) and m in keys for m in merge):
                raise LayoutError(p, cw + ".merge", f"应为 \"all\" 或数据源“{source}”的键列表")
            merge = tuple(merge)
        hw = c.get("highlight_when")
        if hw is not None and hw not in keys:
            raise LayoutError(p, cw + ".highlight_when", f"数据源“{source}”没有“{hw}”")
        style = c.get("style", "text")
        if style not in styles:
            raise LayoutError(p, cw + ".style", f"未知样式“{style}”")
        _check_format(p, cw + ".format", c.get("format"))
        auto = None
        if c.get("width") is not None:
            lo, hi = c.get("min_width", 4), c.get("max_width", 60)
            if c["width"] != "auto" or first != last or not all(
                    isinstance(x, (int, float)) and 0 < x <= 255 for x in (lo, hi)) or lo > hi:
                raise LayoutError(p, cw + ".width", "应为 \"auto\"（单列），min_width ≤ max_width，0–255")
            auto = (float(lo), float(hi))
        columns.append(ColumnSpec(
            col=c["col"], first=first, last=last, key=key, text=text, style=style, format=c.get("format"),
            merge=merge, highlight_when=hw, highlight_nonzero=bool(c.get("highlight_nonzero")),
            auto_width=auto))
    empty_rows = b.get("empty_rows", 1)
    if not isinstance(empty_rows, int) or empty_rows < 0:
        raise LayoutError(p, where + ".empty_rows", "应为非负整数")
    row_height = b.get("row_height")
    if row_height is not None and (not isinstance(row_height, (int, float)) or not 0 < row_height <= 409):
        raise LayoutError(p, where + ".row_height", "应为 0–409 磅")
    return Block(
        name=name, kind=kind, border=border, heights=heights, source=source, header=header,
        columns=tuple(columns), empty_rows=empty_rows, empty_text=str(b.get("empty_text", "")),
        row_height=float(row_height) if row_height else None,
        freeze=bool(b.get("freeze")), autofilter=bool(b.get("autofilter")),
    )


def _parse_print(p: Path, raw: Any, tables: set[str]) -> PrintSetup:
    if not isinstance(raw, dict):
        raise LayoutError(p, "print", "应为对象")
    bad = set(raw) - {"paper", "orientation", "fit_width", "fit_height", "margins_cm", "center",
                      "repeat_header", "columns", "page_groups"}
    if bad:
        raise LayoutError(p, "print", f"未知属性：{'、'.join(sorted(bad))}")
    paper = raw.get("paper", "A4")
    if paper not in PAPER_SIZES:
        raise LayoutError(p, "print.paper", f"纸张应为 {'、'.join(PAPER_SIZES)} 之一")
    orientation = raw.get("orientation", "portrait")
    if orientation not in ("portrait", "landscape"):
        raise LayoutError(p, "print.orientation", "应为 portrait（纵向）或 landscape（横向）")
    fw, fh = raw.get("fit_width", 1), raw.get("fit_height", 0)
    if not isinstance(fw, int) or not isinstance(fh, int) or fw < 0 or fh < 0:
        raise LayoutError(p, "print.fit_width", "fit_width/fit_height 应为非负整数（0 表示不限）")
    margins = dict(PrintSetup().margins_cm)
    m_raw = raw.get("margins_cm", {})
    if not isinstance(m_raw, dict):
        raise LayoutError(p, "print.margins_cm", "应为对象")
    for k, v in m_raw.items():
        if k not in margins or not isinstance(v, (int, float)) or not 0 <= v <= 10:
            raise LayoutError(p, f"print.margins_cm.{k}",
                              "边距名应为 left/right/top/bottom/header/footer，值 0–10 厘米")
        margins[k] = float(v)
    rh = raw.get("repeat_header")
    if rh is not None and rh not in tables:
        raise LayoutError(p, "print.repeat_header", f"“{rh}”不是本版式的表格块")
    cols = None
    if raw.get("columns") is not None:
        try:
            cols = parse_cols(str(raw["columns"]))
        except ValueError as e:
            raise LayoutError(p, "print.columns", str(e)) from None
    groups = None
    pg = raw.get("page_groups")
    if pg is not None:
        if (not isinstance(pg, dict) or pg.get("block") not in tables or not isinstance(pg.get("keys"), list)
                or not pg["keys"] or not all(isinstance(k, str) for k in pg["keys"])):
            raise LayoutError(p, "print.page_groups", "应为 {\"block\": 表格块名, \"keys\": [记录键…]}")
        groups = (pg["block"], tuple(pg["keys"]))
    return PrintSetup(paper=paper, orientation=orientation, fit_width=fw, fit_height=fh, margins_cm=margins,
                      center=bool(raw.get("center", True)), repeat_header=rh, columns=cols, page_groups=groups)


def _parse_border(p: Path, where: str, raw: Any) -> tuple[int, int] | None:
    if raw in (None, False):
        return None
    if not isinstance(raw, str):
        raise LayoutError(p, where + ".border", "应为列区域，如 \"A:G\"")
    try:
        return parse_cols(raw)
    except ValueError as e:
        raise LayoutError(p, where + ".border", str(e)) from None


def _check_overlaps(p: Path, where: str, cells: tuple[CellSpec, ...]) -> None:
    taken: dict[tuple[int, int], str] = {}
    for c in cells:
        a = c.area
        for r in range(a.row1, a.row2 + 1):
            for col in range(a.col1, a.col2 + 1):
                if (r, col) in taken:
                    raise LayoutError(p, where, f"单元格“{c.ref}”与“{taken[(r, col)]}”重叠")
                taken[(r, col)] = c.ref


def _check_references(p: Path, blocks: tuple[Block, ...]) -> None:
    by_name = {b.name: b for b in blocks}
    for b in blocks:
        for c in b.cells:
            refs = list(c.sum_of) + (list(c.compute[1]) if c.compute else [])
            for r in refs:
                blk, kind, what = parse_part_ref(r)
                target = by_name.get(blk) if blk else b
                if target is None:
                    raise LayoutError(p, f"{b.name}.{c.ref}", f"引用“{r}”指向不存在的块“{blk}”")
                if kind == "cell" and target.kind != "fixed":
                    raise LayoutError(p, f"{b.name}.{c.ref}", f"引用“{r}”：单元格引用只能指向固定块")
                if kind == "column":
                    if target.kind != "table":
                        raise LayoutError(p, f"{b.name}.{c.ref}", f"引用“{r}”：列引用只能指向表格块")
                    if not any(col.key == what for col in target.columns):
                        raise LayoutError(p, f"{b.name}.{c.ref}", f"引用“{r}”：表格块没有列“{what}”")
