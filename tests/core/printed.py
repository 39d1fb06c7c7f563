"""What is printed under a box of a PDF page: how the extraction tests check that a field's box frames its value."""

from __future__ import annotations

from core.text import collapse, normalize


def squash(s: str) -> str:
    """Text as compared: normalised, letter-spacing collapsed, no whitespace."""
    return "".join(collapse(normalize(s)).split())


def printed_under(page, bbox) -> str:
    """The squashed text of a pdfplumber ``page`` inside ``bbox``, widened by 1 pt (kept on the page)."""
    x0, top, x1, bottom = bbox
    crop = page.crop((max(0, x0 - 1), max(0, top - 1), min(page.width, x1 + 1), min(page.height, bottom + 1)))
    return squash(crop.extract_text() or "")
