"""Tables as the forms mean them: joined across pages, with headers and column roles.

Why it exists: a 决算 table or a 自评表 routinely continues over a page break, with or without a repeated
header, sometimes with one row cut in two by the break; and merged header cells mean a column's meaning is
the path of header texts above it ("公务用车购置及运行维护费 / 公务用车购置费 / 预算数").  Extractors read a
``LogicalTable`` and never deal with pages or merged cells again.

What it must not do: know about field keys (that is the extractors' business).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from core.documents.classify import Classification
from core.documents.layout import Cell, Document, Table
from core.model import BBox, SourceRef, union_bbox
from core.numbers import parse_amount
from core.text import label_key

_NUMERIC_RE = re.compile(r"^[\s(（-]*[\d,，.．\s]+[)）]?\s*(%|万元|元)?$")


def is_numeric_text(s: str) -> bool:
    """A cell that holds one printed number (amount, percent, count) and nothing else."""
    s = s.strip()
    if not s or not any(ch.isdigit() for ch in s):
        return False
    return bool(_NUMERIC_RE.match(s))


@dataclass
class LogicalTable:
    """One form table, possibly joined from several pages.  ``header_rows`` leading rows are headers."""

    kind: str
    doc: str
    rows: list[list[Cell]]
    unit: str = ""
    title: str = ""
    header_rows: int = 0
    pages: list[int] = field(default_factory=list)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def ref(self, cell: Cell) -> SourceRef:
        return SourceRef(self.doc, cell.page, cell.bbox)

    def row_ref(self, r: int) -> SourceRef:
        cells = [c for c in self.rows[r] if not c.blank] or self.rows[r]
        page = cells[0].page
        boxes = [c.bbox for c in cells if c.page == page]
        return SourceRef(self.doc, page, union_bbox(boxes))

    def column_header(self, c: int) -> str:
        """The path of distinct header texts above column ``c``, joined with "/"."""
        parts: list[str] = []
        for r in range(self.header_rows):
            if c < len(self.rows[r]):
                t = self.rows[r][c].text.strip()
                if t and (not parts or parts[-1] != t):
                    parts.append(t)
        return "/".join(parts)

    def body(self) -> range:
        return range(self.header_rows, len(self.rows))


def header_row_count(rows: list[list[Cell]], max_rows: int = 6) -> int:
    """Leading rows before the first row that carries a figure (a 栏次 row counts as header)."""
    for r, row in enumerate(rows[:max_rows]):
        texts = [c.text.strip() for c in row]
        if any(label_key(t) in ("栏次",) for t in texts):
            return r + 1
        numeric = [t for t in texts if is_numeric_text(t) and parse_amount(t) is not None]
        if any(re.search(r"\d\.\d", t) for t in numeric):
            return r
    return 0


def join_tables(doc: Document, cls: Classification, kinds: tuple[str, ...] | None = None) -> list[LogicalTable]:
    """Every table of the document, with continuations joined to the table they continue.

    A table continues the previous one when its region is the previous table's kind carried over a page
    break (the classifier decides that: no title of its own, same number of columns).  A repeated header is
    dropped; a first row that only carries the rest of a wrapped label is glued to the previous row."""
    out: list[LogicalTable] = []
    for page in doc.pages:
        for t in page.tables:
            kind = cls.table_kind(t)
            if kind is None or (kinds is not None and kind not in kinds):
                continue
            starts_here = any(r.page == page.number and r.kind == kind and r.top > 0 and r.top <= t.bbox[1] + 1
                              for r in cls.regions)
            prev = out[-1] if out else None
            if (prev is not None and prev.kind == kind and not starts_here and prev.pages
                    and prev.pages[-1] == page.number - 1 and abs(prev.n_cols - t.n_cols) <= 1):
                _append_continuation(prev, t)
                continue
            rows = [list(r) for r in t.rows]
            lt = LogicalTable(kind=kind, doc=doc.id, rows=rows, unit=t.unit, title=t.title,
                              header_rows=header_row_count(rows), pages=[page.number])
            out.append(lt)
    return out


def _append_continuation(prev: LogicalTable, t: Table) -> None:
    rows = [list(r) for r in t.rows]
    # a repeated header: the first rows equal the header rows of the first part
    h = prev.header_rows
    if h and len(rows) >= h:
        same = all(
            [label_key(c.text) for c in rows[i]] == [label_key(c.text) for c in prev.rows[i]]
            for i in range(h)
        )
        if same:
            rows = rows[h:]
        else:
            # a header of a different height: drop leading rows with no figure that repeat header words
            hh = header_row_count(rows)
            if hh and hh <= h and _looks_like_header(rows[:hh], prev.rows[:h]):
                rows = rows[hh:]
    # a row cut by the page break: label text only, every other cell blank, and the previous row has text
    if rows and prev.rows and len(rows[0]) == len(prev.rows[-1]):
        first = rows[0]
        non_blank = [c for c in first if not c.blank]
        if non_blank and all(not is_numeric_text(c.text) and not re.fullmatch(r"\d{3,7}", c.text.strip())
                             for c in non_blank):
            last = prev.rows[-1]
            if all(not last[c.col].blank and not is_numeric_text(last[c.col].text) for c in non_blank) \
                    and len(non_blank) < max(2, len(first) // 2):
                for c in non_blank:
                    lc = last[c.col]
                    last[c.col] = Cell(text=lc.text + c.text, bbox=lc.bbox, row=lc.row, col=lc.col,
                                       merged=lc.merged, page=lc.page)
                rows = rows[1:]
    base = len(prev.rows)
    for i, row in enumerate(rows):
        for c in row:
            c.row = base + i
    prev.rows.extend(rows)
    prev.pages.append(t.page)


def _looks_like_header(rows: list[list[Cell]], header: list[list[Cell]]) -> bool:
    words = {label_key(c.text) for r in header for c in r if c.text.strip()}
    got = [label_key(c.text) for r in rows for c in r if c.text.strip()]
    return bool(got) and sum(1 for g in got if g in words) >= len(got) * 0.6


def cell_box(cells: list[Cell]) -> BBox:
    return union_bbox([c.bbox for c in cells])
