"""Page images of documents that are not PDFs (Word, Excel, WPS, OFD), drawn with QPainter from their layout.

Why it exists: the window shows every figure on its page with a box around it.  A PDF page is rasterised by
PDFium (``ui.rendering``); a .docx/.xlsx/.xls/.doc/OFD file has no PDF page, but the core reads it into the
same pages of characters with boxes and ruled tables (``core.documents.reader``).  Drawing that layout — each
character in its box, each table cell's rules, a sheet's cells as a grid — gives a page on which the boxes of
fields and findings land exactly where the figures are, with no other change to the viewer.  For a sheet the
page *is* the grid (its columns and rows as in the sheet, the cell address of a figure in the field's
provenance); for Word, the paragraphs and tables as laid out on A4.

What it must not do: read files itself (``core.documents.reader`` does), or import pypdfium2.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPen

MAX_PIXELS = 16_000_000
_FONT_FAMILIES = ["Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimSun", "Sans Serif"]


def layout_page_image(page, scale: float) -> QImage:
    """The page (``core.documents.layout.Page``) drawn at ``scale`` pixels per point."""
    w, h = max(page.width, 1.0), max(page.height, 1.0)
    if w * h * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (w * h)) ** 0.5
    img = QImage(max(1, int(w * scale)), max(1, int(h * scale)), QImage.Format.Format_RGB32)
    img.fill(QColor("white"))
    p = QPainter(img)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        p.scale(scale, scale)
        pen = QPen(QColor(40, 40, 40))
        pen.setWidthF(max(0.6, 1.0 / scale))
        p.setPen(pen)
        for table in page.tables:
            seen: set[tuple] = set()
            for row in table.rows:
                for cell in row:
                    key = tuple(round(v, 1) for v in cell.bbox)
                    if key in seen:
                        continue  # a merged cell repeats in every slot it covers: draw it once
                    seen.add(key)
                    x0, t, x1, b = cell.bbox
                    if table.ruled:
                        p.drawRect(QRectF(x0, t, x1 - x0, b - t))
        font = QFont()
        font.setFamilies(_FONT_FAMILIES)
        p.setPen(QColor(0, 0, 0))
        current = None
        for ln in page.lines:
            for ch, box in zip(ln.text, ln.boxes):
                if ch.isspace() or box[2] <= box[0]:
                    continue
                size = max(box[3] - box[1], 1.0)
                if current != round(size, 1):
                    current = round(size, 1)
                    font.setPixelSize(max(1, int(round(size * 0.92))))  # in points: the painter is scaled
                    p.setFont(font)
                p.drawText(QPointF(box[0], box[3] - size * 0.16), ch)
    finally:
        p.end()
    return img


