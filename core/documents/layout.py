"""What a PDF page looks like to the extractors: lines of normalised text with a box per character, and
tables of cells with boxes.

Why it exists: extractors must not see pdfplumber (``core/documents/pdf.py`` is the only module that imports
it), and tests must be able to build pages by hand.  Every string here is already normalised by
``core.text.normalize`` (NFKC, radicals, full-width punctuation, letter-spacing collapsed), and every
character of ``Line.text`` keeps the box it was printed in, so a value found by a regular expression can be
boxed exactly on the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from core.model import BBox, union_bbox


@dataclass
class Line:
    """A line of text on a page; ``boxes[i]`` is the printed box of ``text[i]``."""

    text: str
    boxes: list[BBox]
    page: int  # 1-based

    def __post_init__(self) -> None:
        if len(self.text) != len(self.boxes):
            raise ValueError("Line needs one box per character")

    @cached_property
    def bbox(self) -> BBox:
        """Box of the whole line (computed once: a line's characters never change)."""
        return union_bbox(self.boxes) if self.boxes else (0.0, 0.0, 0.0, 0.0)

    def span_bbox(self, start: int, end: int) -> BBox:
        """Box of ``text[start:end]``; spaces inserted by normalisation have zero-width boxes and are skipped."""
        boxes = [b for b in self.boxes[start:end] if b[2] > b[0] or b[3] > b[1]]
        return union_bbox(boxes) if boxes else self.bbox

    @property
    def x0(self) -> float:
        return self.bbox[0]

    @property
    def top(self) -> float:
        return self.bbox[1]


@dataclass
class TextStream:
    """Running text over many lines (and pages), for the narrative: ``text`` with a place for every char.
    ``core.documents.paragraphs.join_lines`` builds it from page lines.

    Lines are joined without a separator when a line is soft-wrapped (the next line continues the sentence)
    and with ``"\\n"`` at paragraph ends; ``places[i]`` is ``(page, bbox)`` of ``text[i]`` (a joining
    newline gets the box of the character before it).
    """

    text: str = ""
    places: list[tuple[int, BBox]] = field(default_factory=list)

    def append(self, s: str, places: list[tuple[int, BBox]]) -> None:
        if len(s) != len(places):
            raise ValueError("TextStream.append needs one place per character")
        self.text += s
        self.places.extend(places)

    def span(self, start: int, end: int) -> tuple[int, BBox]:
        """Page and box of ``text[start:end]``.  A span crossing a line keeps the part on its first line,
        so the box is a tight box around printed characters, never the whole paragraph."""
        if start >= end:
            end = start + 1
        chunk = self.places[start:end]
        chunk = [p for p in chunk if p[1][2] > p[1][0] or p[1][3] > p[1][1]] or chunk
        page, first = chunk[0]
        same_line = [b for pg, b in chunk if pg == page and abs(b[1] - first[1]) < max(2.0, (first[3] - first[1]) * 0.6)]
        return page, union_bbox(same_line)


@dataclass
class Cell:
    """A table cell.  A merged cell is repeated in every grid slot it covers (``merged`` is True in all but
    its top-left slot), so each row knows its 一级/二级指标 or its 类/款/项."""

    text: str
    bbox: BBox
    row: int
    col: int
    merged: bool = False
    page: int = 0  # 1-based page the cell is printed on (a joined table spans pages)
    text_bbox: BBox | None = None  # tight box around the printed characters, None for a blank cell

    @property
    def value_bbox(self) -> BBox:
        """Box to draw for a value read from this cell: the printed text, else the cell."""
        return self.text_bbox or self.bbox

    @property
    def blank(self) -> bool:
        return not self.text.strip()


@dataclass
class Table:
    """A table on one page (or joined across pages: then ``pages`` lists them and each cell's page is given
    by ``cell_pages``).  ``rows[r][c]`` is a Cell (never None: empty slots are blank cells)."""

    rows: list[list[Cell]]
    page: int
    bbox: BBox
    ruled: bool = True
    unit: str = ""  # "元" / "万元" from the header above the table, "" if not printed
    title: str = ""  # text printed just above the table (its title line(s)), normalised
    cell_pages: dict[tuple[int, int], int] = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    @property
    def n_cols(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def page_of(self, r: int, c: int) -> int:
        cell = self.rows[r][c]
        return cell.page or self.cell_pages.get((r, c), self.page)

    def texts(self, r: int) -> list[str]:
        return [c.text for c in self.rows[r]]


@dataclass
class Page:
    """One page: its size, orientation, lines of text, tables, and a flag for image-only pages."""

    number: int  # 1-based
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    image_only: bool = False  # no text layer but images: a scan
    garbled: bool = False  # text layer present but unreadable ("(cid:123)", no ToUnicode)
    error: str = ""  # Chinese reason when this page could not be read (timeout, corrupt stream)
    ocr: str = ""  # "scan" / "garbled": lines and tables were read by OCR from the page image (image_only and
    # garbled are then False); "" when they come from the text layer
    ocr_conf: list[tuple[BBox, float]] = field(default_factory=list)  # each OCR character's box and confidence

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass
class Document:
    """A read PDF: identity and pages.  ``id`` is the case-level id ("d1", ...)."""

    id: str
    path: str
    sha256: str
    pages: list[Page]
    problems: list[dict[str, str]] = field(default_factory=list)
    format: str = "pdf"  # "pdf" | "docx" | "doc" | "xlsx" | "xls" | "ofd": what the file is (not its name)
    places: list = field(default_factory=list)  # synth.Place of a drawn (Word/Excel) layout, for provenance
