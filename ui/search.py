"""Text search over the pages of a case (Ctrl+F), on the lines the core read, with a box per hit.

Why it exists: the reviewer looks for "三公经费" or "1,234.56" across a 40-page package; the core already
holds every printed line with a box per character (``core.documents.layout.Line``), normalised the same way
the extractors saw it (⻔→门, full-width digits, letter-spacing), so the hits box exactly what was printed and
a query typed with ordinary characters finds text printed with odd ones.  Spaces are ignored on both sides
("基本 支出" finds "基本支出" and the reverse).

Plain Python, no Qt: the index is built in a worker thread and searched on the UI thread.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from core.model import BBox, union_bbox
from core.text import normalize

MAX_HITS = 2000


@dataclass(frozen=True)
class Hit:
    doc: str  # case document id
    page: int  # 1-based
    bbox: BBox
    context: str  # the line the hit is on


@dataclass
class _Line:
    compact: str  # folded text without spaces
    index: list[int]  # compact position -> position in text/boxes
    text: str
    boxes: list[BBox]


@dataclass
class TextIndex:
    """Lines by document id and page, ready for searching."""

    pages: dict[str, dict[int, list[_Line]]] = field(default_factory=dict)

    @staticmethod
    def from_documents(documents: Iterable) -> "TextIndex":
        """From ``core.documents.layout.Document`` objects (their ``id`` is the case document id)."""
        index = TextIndex()
        for doc in documents:
            for page in doc.pages:
                for line in page.lines:
                    index.add_line(doc.id, page.number, line.text, list(line.boxes))
        return index

    def add_line(self, doc: str, page: int, text: str, boxes: list[BBox]) -> None:
        compact, idx = [], []
        for i, ch in enumerate(text):
            if ch.isspace():
                continue
            compact.append(_fold(ch))
            idx.append(i)
        self.pages.setdefault(doc, {}).setdefault(page, []).append(_Line("".join(compact), idx, text, boxes))

    def __bool__(self) -> bool:
        return bool(self.pages)

    def search(self, query: str, doc_order: list[str] | None = None) -> list[Hit]:
        """Every occurrence of ``query`` in document order (``doc_order`` lists the documents as shown)."""
        needle = "".join(_fold(c) for c in normalize(query) if not c.isspace())
        if not needle:
            return []
        hits: list[Hit] = []
        docs = doc_order or sorted(self.pages)
        for doc in docs:
            for page in sorted(self.pages.get(doc, {})):
                for line in self.pages[doc][page]:
                    start = line.compact.find(needle)
                    while start >= 0:
                        a, b = line.index[start], line.index[start + len(needle) - 1] + 1
                        boxes = [bx for bx in line.boxes[a:b] if bx[2] > bx[0] or bx[3] > bx[1]]
                        hits.append(Hit(doc, page, union_bbox(boxes or line.boxes[a:b]), line.text))
                        if len(hits) >= MAX_HITS:
                            return hits
                        start = line.compact.find(needle, start + len(needle))
        return hits


def _fold(ch: str) -> str:
    return ch.lower() if ch.isascii() else ch
