"""One pathological document cannot take the machine's memory (issue 14: a fuzz run grew to 16 GB reading one).

A page that draws the same text hundreds of thousands of times — forms drawn inside forms, as a damaged or
hostile file can — gives at most ``MAX_CHARS_READ`` characters, and says it was not read whole; a document
whose reading grows the process past ``MAX_DOCUMENT_GROWTH`` is refused with a Chinese reason, and the case
goes on with the other files.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.documents import limits
from core.documents.pdf import open_document
from core.errors import DocumentError
from core.pipeline import NoInput, extract_case

PACKAGES = Path(__file__).resolve().parents[2] / "data" / "packages"


def nested_forms_pdf(path: Path, fan: int = 30, pages: int = 1) -> Path:
    """A page drawing form C 3 times; C draws B ``fan`` times, B draws A ``fan`` times, A holds 100
    characters: 3 × fan² × 100 characters on the page (270 000 for fan 30) from a file of a few kB."""
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path))
    c.beginForm("A")
    c.setFont("Helvetica", 4)
    c.drawString(10, 10, "0123456789" * 10)
    c.endForm()
    c.beginForm("B")
    for i in range(fan):
        c.doForm("A")
    c.endForm()
    c.beginForm("C")
    for i in range(fan):
        c.doForm("B")
    c.endForm()
    for _ in range(pages):
        for _ in range(3):
            c.doForm("C")
        c.showPage()
    c.save()
    assert path.stat().st_size < 20_000
    return path


def test_a_page_drawing_text_tens_of_thousands_of_times_is_read_up_to_the_bound(tmp_path, monkeypatch):
    """The bound lowered to 20 000 so that the test reads 30 000 characters, not 200 000 (the mechanism is
    the same; the real bound is several times what a real page holds)."""
    from core.documents import pdf as pdf_module

    assert limits.MAX_CHARS_READ >= 3 * pdf_module.MAX_CHARS_PER_PAGE
    monkeypatch.setattr(pdf_module, "MAX_CHARS_READ", 20_000)
    pdf = nested_forms_pdf(tmp_path / "套娃.pdf", fan=10)
    (page,) = open_document(pdf, "d1", ocr=False).pages
    n = sum(len(line.text.replace(" ", "")) for line in page.lines)
    assert 10_000 < n <= 20_000
    assert page.error  # the page says it was not read whole (no tables looked for)


def test_a_document_growing_past_its_memory_bound_is_refused_with_a_reason(tmp_path, monkeypatch):
    if limits.resident_bytes() is None:
        pytest.fail("/proc/self/statm is not readable: the per-document guard would be off on this system")
    guard = limits.DocumentMemoryGuard("x.pdf", limit=32 << 20)
    guard.check(1)  # nothing grew yet
    ballast = bytearray(96 << 20)  # touched: resident
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    with pytest.raises(DocumentError) as e:
        guard.check(3)
    assert e.value.code == "too_large" and "第3页" in e.value.reason and "32 MB" in e.value.reason
    del ballast


def test_the_guard_is_in_the_reading_and_the_case_goes_on_without_that_file(tmp_path, monkeypatch):
    good = sorted((PACKAGES / "split_files_2024").glob("01-*.pdf"))[0]
    bad = nested_forms_pdf(tmp_path / "损坏的材料.pdf", fan=3, pages=3)
    real_check = limits.DocumentMemoryGuard.check

    def check(self, page):  # this document "grows" past the bound at its second page
        if self.path == str(bad) and page == 2:  # (from now: earlier tests' memory may be freed meanwhile)
            self.start = limits.resident_bytes() - self.limit - (512 << 20)
        real_check(self, page)

    monkeypatch.setattr(limits.DocumentMemoryGuard, "check", check)
    with pytest.raises(DocumentError) as e:
        open_document(bad, "d1", ocr=False)
    assert e.value.code == "too_large" and "第2页" in e.value.reason
    case = extract_case([str(good), str(bad)])
    (problem,) = case.extra["unreadable"]
    assert problem["path"] == str(bad) and "内存超过" in problem["message"]
    assert case.documents and case.fields
    with pytest.raises(NoInput):
        extract_case([str(bad)])
