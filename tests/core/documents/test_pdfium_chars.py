"""``pdf._pdfium_chars`` (a page's characters from PDFium) gives exactly what its plain version gave — the
same characters with the same boxes, bit for bit — on every page of the real PDFs, the fixture packages and
the producer PDFs, on rotated pages, and on a page whose text PDFium cannot give in one call (a control
character it leaves out of the page text, a character outside the BMP).  The plain version, which asks each
character for its five values, is kept here as the reference the faster one must match.  Likewise
``pdf._pdfium_edges`` (the ruling lines) walks the page's objects, through forms nested three deep, as
pypdfium2's own ``get_objects`` walk does; and the reader's own binding of PDFium (``pdf._PdfiumDocument``:
reading does not import pypdfium2) gives what pypdfium2's ``PdfDocument`` gives."""

from __future__ import annotations

import ctypes
import math
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from core.documents import pdf

ROOT = Path(__file__).resolve().parents[3]


def _reference(pg, to_page) -> list[tuple]:
    tp = pg.get_textpage()
    try:
        out = []
        rect, mat = pdfium_c.FS_RECTF(), pdfium_c.FS_MATRIX()
        raw = tp.raw
        for i in range(tp.count_chars()):
            if pdfium_c.FPDFText_IsGenerated(raw, i):
                continue
            code = pdfium_c.FPDFText_GetUnicode(raw, i)
            if code in (0, 0xFFFE, 0xFFFF, 10, 13):
                continue
            if not pdfium_c.FPDFText_GetLooseCharBox(raw, i, rect):
                continue
            size = 0.0
            if pdfium_c.FPDFText_GetMatrix(raw, i, mat):
                size = pdfium_c.FPDFText_GetFontSize(raw, i) * math.hypot(mat.c, mat.d)
            l, b, r, t = rect.left, rect.bottom, rect.right, rect.top
            if 0 < size < (t - b):
                t = b + size
            x0, top, x1, bottom = pdf._box(to_page, l, b, r, t)
            if code == 32 and x1 - x0 <= 0:
                continue
            out.append((top, bottom, x0, x1, chr(code)))
        return out
    finally:
        tp.close()


def _transform(pg, rotation: int | None = None):
    left, bottom, right, top = pg.get_cropbox()
    rot = pg.get_rotation() if rotation is None else rotation
    return pdf._page_transform(float(left), float(bottom), float(right), float(top), rot)


def _compare(path: Path, rotations=(None,)) -> int:
    doc = pdfium.PdfDocument(str(path))
    n = 0
    try:
        for i in range(len(doc)):
            pg = doc[i]
            try:
                for rot in rotations:
                    to_page = _transform(pg, rot)
                    got, want = pdf._pdfium_chars(pg, to_page), _reference(pg, to_page)
                    assert got == want, f"{path.name} page {i + 1} rotation {rot}"
                    # bit for bit: == on floats is exact, and -0.0 == 0.0 is the one case it hides
                    assert [math.copysign(1, c[2]) for c in got] == [math.copysign(1, c[2]) for c in want]
                    n += len(got)
            finally:
                pg.close()
    finally:
        doc.close()
    return n


def test_real_pdfs_characters_as_the_plain_version(real_dir):
    files = sorted(real_dir.rglob("*.pdf"))
    assert len(files) >= 5
    assert sum(_compare(f) for f in files) > 50_000


def test_fixture_and_producer_pdfs_characters_as_the_plain_version():
    files = sorted((ROOT / "tests/data/packages").rglob("*.pdf"))[:12]
    files += sorted((ROOT / "tests/data/producers").rglob("*.pdf"))
    assert len(files) >= 12
    assert sum(_compare(f) for f in files) > 10_000


def test_rotated_pages_characters_as_the_plain_version(real_dir):
    path = real_dir / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
    assert _compare(path, rotations=(90, 180, 270)) > 10_000


def _odd_text_pdf(path: Path, shown: bytes) -> None:
    """One line ``shown`` of Helvetica whose ToUnicode map makes A U+20000 (outside the BMP) and C U+0002 (a
    control character PDFium counts as a character but leaves out of the page's text)."""
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
            b"1 begincodespacerange <00> <FF> endcodespacerange\n"
            b"3 beginbfchar <41> <D840DC00> <42> <0042> <43> <0002> endbfchar\n"
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")
    content = b"BT /F1 12 Tf 72 700 Td (" + shown + b") Tj ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(out)


@pytest.mark.parametrize("shown, text, one_call", [
    (b"ABABCB", "\ud840\udc00B\ud840\udc00B\x02B", False),  # the control character is not in the page's text
    (b"ABAB", "\ud840\udc00B\ud840\udc00B", True),  # each surrogate is a character of its own, one unit each
])
def test_characters_outside_the_bmp_and_control_characters(tmp_path, shown, text, one_call):
    path = tmp_path / "odd.pdf"
    _odd_text_pdf(path, shown)
    doc = pdfium.PdfDocument(str(path))
    try:
        pg = doc[0]
        tp = pg.get_textpage()
        n = tp.count_chars()
        buf = (ctypes.c_ushort * (n + 1))()
        assert (pdfium_c.FPDFText_GetText(tp.raw, 0, n, buf) == n + 1) is one_call
        tp.close()
        chars = pdf._pdfium_chars(pg, _transform(pg))
        assert chars == _reference(pg, _transform(pg))
        assert "".join(c[4] for c in chars) == text
    finally:
        doc.close()


def test_an_empty_page_has_no_characters(tmp_path):
    doc = pdfium.PdfDocument.new()
    doc.new_page(200, 300)
    path = tmp_path / "empty.pdf"
    doc.save(str(path))
    doc.close()
    assert _compare(path) == 0


# -- ruling edges: the page's objects walked as pypdfium2's own walk gives them --------------------------------

def _reference_edges(pg, to_page, chars) -> tuple[list[dict], int]:
    """Edges and images by ``PdfPage.get_objects(max_depth=8)`` (a form's matrix composed onto what it holds)."""
    edges: list[dict] = []
    images = 0
    matrices: dict[int, tuple] = {}  # depth → matrix of the form opened at that depth
    glyphs = pdf.GlyphBoxes(chars)
    for obj in pg.get_objects(max_depth=8):
        parent = matrices.get(obj.level - 1) if obj.level else None
        if obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            continue
        if obj.type not in (pdfium_c.FPDF_PAGEOBJ_FORM, pdfium_c.FPDF_PAGEOBJ_PATH):
            continue
        m = obj.get_matrix().get()
        if parent:
            m = pdf._compose(m, parent)
        if obj.type == pdfium_c.FPDF_PAGEOBJ_FORM:
            matrices[obj.level] = m
            continue
        nseg = pdfium_c.FPDFPath_CountSegments(obj.raw)
        if nseg <= 1 or nseg > 20000:
            continue
        a, b, c, d, e, f = m
        start = prev = None
        for k in range(nseg):
            seg = pdfium_c.FPDFPath_GetPathSegment(obj.raw, k)
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            pt = to_page(a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = prev = pt
                continue
            mine: list[dict] = []
            if kind == pdfium_c.FPDF_SEGMENT_LINETO and prev is not None:
                pdf._add_edge(mine, prev, pt)
            prev = pt
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                pdf._add_edge(mine, prev, start)
                prev = start
            edges += [g for g in mine if not glyphs.covers(g["x0"], g["top"], g["x1"], g["bottom"])]
    return edges, images


def _nested_forms_pdf(src: Path, out: Path, index: int = 0) -> None:
    """Page ``index`` of ``src`` drawn three times, scaled and moved, each as a form XObject."""
    doc, new = pdfium.PdfDocument(str(src)), pdfium.PdfDocument.new()
    w, h = doc.get_page_size(index)
    page = new.new_page(w, h)
    for scale, e, f in ((0.5, 0, 0), (0.5, w / 2, h / 2), (0.3, 10, h / 2)):
        xobj = pdfium_c.FPDF_NewXObjectFromPage(new.raw, doc.raw, index)
        form = pdfium_c.FPDF_NewFormObjectFromXObject(xobj)
        pdfium_c.FPDFPageObj_Transform(form, scale, 0, 0, scale, e, f)
        pdfium_c.FPDFPage_InsertObject(page.raw, form)
        pdfium_c.FPDF_CloseXObject(xobj)
    pdfium_c.FPDFPage_GenerateContent(page.raw)
    new.save(str(out))
    new.close()
    doc.close()


def test_edges_through_nested_forms_as_pypdfium2_walks_them(tmp_path, real_dir):
    src = real_dir / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
    files = [src]
    for depth in (1, 2, 3):  # forms inside forms inside forms
        out = tmp_path / f"nested{depth}.pdf"
        _nested_forms_pdf(files[-1], out, index=4 if depth == 1 else 0)  # page 5: a ruled table
        files.append(out)
    total = 0
    for path in files:
        doc = pdfium.PdfDocument(str(path))
        try:
            for i in range(min(len(doc), 8)):
                pg = doc[i]
                to_page = _transform(pg)
                chars = pdf._pdfium_chars(pg, to_page)
                edges, images, walk = pdf._pdfium_edges(pg, to_page, None, chars)
                assert walk == ""
                assert (edges, images) == _reference_edges(pg, to_page, chars), f"{path.name} page {i + 1}"
                total += len(edges)
        finally:
            doc.close()
    assert total > 500


# -- the reader's own PDFium binding ------------------------------------------------------------------------------

def test_reading_a_pdf_does_not_import_pypdfium2(real_dir):
    """Its bindings of PDFium's whole API cost ~35 ms at every start; the reader binds what it calls."""
    code = ("import sys; from core.documents.reader import open_any; "
            "d = open_any(sys.argv[1], 'd'); print(len(d.pages), sum(len(p.lines) for p in d.pages), "
            "'pypdfium2' in sys.modules, 'pypdfium2_raw' in sys.modules)")
    path = real_dir / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
    r = subprocess.run([sys.executable, "-c", code, str(path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert r.returncode == 0, r.stderr
    pages, lines, imported, imported_raw = r.stdout.split()
    assert pages == "24" and int(lines) > 400
    assert imported == imported_raw == "False"


def _pages_both_ways(path: Path):
    ours, theirs = pdf._PdfiumDocument(str(path)), pdfium.PdfDocument(str(path))
    try:
        assert len(ours) == len(theirs)
        for i in range(len(ours)):
            a, b = ours[i], theirs[i]
            try:
                yield i, a, b
            finally:
                a.close()
                b.close()
    finally:
        ours.close()
        theirs.close()


def test_the_readers_pages_are_pypdfium2s(real_dir, tmp_path):
    """Sizes, boxes, rotation, text and everything read from a page, the same through the reader's binding as
    through pypdfium2's PdfDocument, on every real page, fixture pages, and the real pages rotated."""
    rotated = tmp_path / "rotated.pdf"
    doc = pdfium.PdfDocument(str(real_dir / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"))
    for i in range(len(doc)):
        doc[i].set_rotation((90, 180, 270)[i % 3])
    doc.save(str(rotated))
    doc.close()
    files = sorted(real_dir.rglob("*.pdf")) + sorted((ROOT / "tests/data/packages").rglob("*.pdf"))[:6] + [rotated]
    n = 0
    for path in files:
        for i, a, b in _pages_both_ways(path):
            assert a.get_size() == b.get_size()
            assert a.get_cropbox() == b.get_cropbox() and a.get_mediabox() == b.get_mediabox()
            assert a.get_rotation() == b.get_rotation()
            ta, tb = a.get_textpage(), b.get_textpage()
            assert ta.count_chars() == tb.count_chars()
            ta.close()
            tb.close()
            ra, rb = pdf._pdfium_raw(a, i + 1), pdf._pdfium_raw(b, i + 1)
            assert ra[0] == rb[0] and ra[1:5] == rb[1:5], f"{path.name} page {i + 1}"
            n += 1
    assert n > 150


def test_a_file_pdfium_cannot_open_says_why(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n")  # no pages, no xref
    with pytest.raises(pdf.PdfiumError) as ours:
        pdf._PdfiumDocument(str(broken))
    with pytest.raises(pdfium.PdfiumError) as theirs:
        pdfium.PdfDocument(str(broken))
    assert ours.value.err_code == theirs.value.err_code
    with pytest.raises(FileNotFoundError):
        pdf._PdfiumDocument(str(tmp_path / "gone.pdf"))


def test_without_the_library_beside_pypdfium2_raw_reading_goes_through_pypdfium2(real_dir, monkeypatch):
    """Where the library is not where pypdfium2_raw keeps it (another packaging), the same functions are taken
    from pypdfium2.raw: the same pages."""
    from core.documents.reader import open_any

    path = real_dir / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"
    want = [(p.lines, p.tables) for p in open_any(path, "d").pages]
    monkeypatch.setattr(pdf, "_PDFIUM", None)
    monkeypatch.setattr(pdf, "_pdfium_library", lambda: None)
    got = [(p.lines, p.tables) for p in open_any(path, "d").pages]
    assert pdf._PDFIUM.lib is pdfium_c  # bound from pypdfium2.raw
    assert got == want and len(got) == 24
