"""Small helpers shared by the table extractors: logical cells of a row, column alignment, making Fields.

Why it exists: the 基础数据表, the 自评表 and the 决算 tables are all read the same way — a label cell, and
figures found under header cells by horizontal overlap — so that logic lives once, here.
"""

from __future__ import annotations

from decimal import Decimal

from core.documents.layout import Cell
from core.documents.tables import LogicalTable, is_numeric_text
from core.model import Field, SourceRef
from core.numbers import is_placeholder, parse_amount, parse_percent


def distinct_cells(row: list[Cell]) -> list[Cell]:
    """The row's cells left to right, a merged cell once (its grid slots share one box)."""
    out: list[Cell] = []
    seen: set[tuple] = set()
    for c in row:
        key = (c.page, tuple(round(v, 1) for v in c.bbox))
        if key in seen:
            continue
        seen.add(key)
        out.append(c)
    return out


def overlap(a: Cell, b: Cell) -> float:
    """Horizontal overlap of two cells as a share of the narrower one."""
    lo = max(a.bbox[0], b.bbox[0])
    hi = min(a.bbox[2], b.bbox[2])
    if hi <= lo:
        return 0.0
    narrow = min(a.bbox[2] - a.bbox[0], b.bbox[2] - b.bbox[0]) or 1.0
    return (hi - lo) / narrow


def under(header: Cell, row: list[Cell]) -> Cell | None:
    """The cell of ``row`` printed under ``header`` (largest horizontal overlap, at least half)."""
    best, score = None, 0.5
    for c in row:
        o = overlap(header, c)
        if o > score or (o == score and best is None):
            best, score = c, o
    return best


def amount_field(key: str, cell: Cell, table: LogicalTable | None, *, doc: str, unit: str, label: str,
                 form: str, confidence: float = 0.97) -> Field | None:
    """A money/count Field from a cell, or None when the cell is blank or a placeholder ("—", "/")."""
    text = cell.text.strip()
    if not text or is_placeholder(text):
        return None
    n = parse_amount(text, default_unit=unit)
    if n is None:
        return None
    u = n.unit or unit
    if u in ("万", ):
        u = "万元"
    return Field(key=key, value=n.value, unit=u, raw=text, source=SourceRef(doc, cell.page, cell.value_bbox),
                 label=label, confidence=confidence if is_numeric_text(text) else confidence * 0.9, form=form)


def blank_zero(key: str, cell: Cell, *, doc: str, unit: str, label: str, form: str) -> Field:
    """A blank (or "—", "-", "/") amount cell of a row that prints figures: a printed zero (value 0, raw as
    printed, ``attrs["blank"]``).  Where a blank more likely means "not filled in" than "zero" (the 基础数据表),
    the form's checks see ``blank`` and report it as a blank, not as an agreeing or disagreeing 0."""
    return Field(key=key, value=Decimal(0), unit=unit, raw=cell.text.strip(),
                 source=SourceRef(doc, cell.page, cell.bbox), label=label, confidence=0.9, form=form,
                 attrs={"blank": True})


def percent_field(key: str, cell: Cell, *, doc: str, label: str, form: str) -> Field | None:
    text = cell.text.strip()
    if not text or is_placeholder(text):
        return None
    v = parse_percent(text)
    if v is None:
        n = parse_amount(text)
        if n is None:
            return None
        v = n.value
    return Field(key=key, value=v, unit="%", raw=text, source=SourceRef(doc, cell.page, cell.value_bbox),
                 label=label, confidence=0.97, form=form)


def text_field(key: str, text: str, cell: Cell, *, doc: str, label: str, form: str) -> Field:
    return Field(key=key, value=text, unit="", raw=text, source=SourceRef(doc, cell.page, cell.value_bbox),
                 label=label, confidence=0.95, form=form)


def decimal_of(cell: Cell | None) -> Decimal | None:
    if cell is None:
        return None
    t = cell.text.strip()
    if not t or is_placeholder(t):
        return None
    n = parse_amount(t)
    return n.value if n else None


def dedupe_fields(fields: list[Field]) -> list[Field]:
    """One field per key and place (a merged value cell is seen from every header slot it spans)."""
    out, seen = [], set()
    for f in fields:
        k = (f.key, f.page, tuple(round(v, 1) for v in f.bbox))
        if k in seen:
            continue
        seen.add(k)
        out.append(f)
    return out
