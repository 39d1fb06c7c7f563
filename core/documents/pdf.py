"""The pdfplumber boundary: a PDF file in, ``layout.Document`` out.

Why it exists: it is the only module that imports pdfplumber/pdfminer, so the rest of the core sees our own
dataclasses, and so every way a file can be bad (not a PDF, encrypted, truncated, scanned, garbled) is turned
into a Chinese reason here, once.  Each page is parsed once: its characters become normalised lines that keep
a box per character, and its ruled tables become grids whose merged cells are filled.

What it must not do: interpret content (that is ``classify`` and ``extraction``), or raise anything but
``DocumentError`` for bad input.
"""

from __future__ import annotations

import bisect
import hashlib
import logging
import math
import re
import statistics
import time
from contextlib import suppress
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterable

from core.documents import ruling
from core.documents.layout import Cell, Document, Line, Page, Table
from core.documents.limits import MAX_CHARS_READ, DocumentMemoryGuard
from core.errors import Cancelled, DocumentError, PasswordRequired
from core.locks import FairLock
from core.model import BBox, union_bbox
from core.text import char_table, collapse_spacing, is_garbled, normalize_chars

log = logging.getLogger(__name__)

ProgressFn = Callable[[int, int], None]  # (pages done, pages total)
CancelFn = Callable[[], bool]

PDFIUM_LOCK = FairLock()
"""Held around every PDFium call sequence of the program (the core's reading here, page by page, and the
window's rendering): PDFium is not thread-safe.  See ``core.locks``."""

# A page with more graphic objects than this is not searched for tables (pdfplumber's edge merging is
# quadratic); its text is still read.  Real forms have a few hundred.
MAX_EDGES_FOR_TABLES = 6000
# A page with more characters than this is read without tables as well.
MAX_CHARS_PER_PAGE = 60000

# The Python-side work on one page is bounded, so that one pathological page (a vector drawing of tens of
# thousands of objects, a dense grid of crossing rules) costs seconds, not minutes, and the rest of the file
# is still read.  pdfium's own parsing of a page (C) cannot be interrupted; everything after it can.  Each
# limit is several times what the real and generated forms reach (measured over tests/data and
# ../shared/real: at most 1,569 objects, 4,940 ruling segments, 25,026 rule pairs, 1,090 crossings on a page).
# Past a limit the page's text is still read; its tables are not, and the page says why.
MAX_OBJECTS_FOR_TABLES = 20000
"""Page objects walked for ruling lines; past it the walk stops (text is read from the text page)."""
MAX_EDGE_PAIRS = 200000
"""Horizontal × vertical ruling lines after merging: the crossing search is quadratic in them."""
MAX_INTERSECTIONS = 5000
"""Crossings of ruling lines: pdfplumber's cell search is quadratic in them."""
PAGE_TIME_BUDGET = 5.0
"""Seconds of Python work on one page (characters, objects, tables) after which its tables are given up.
A generous bound (the heaviest real page takes 0.3 s): a safety net, not a speed target."""
TOO_MANY_OBJECTS = "页面图形对象过多，未识别表格"
TOO_COMPLEX = "页面过于复杂，未识别表格"


class _TooComplex(Exception):
    """The tables of a page would take more than the page's budget: skip them (``TOO_COMPLEX``)."""


def _deadline() -> float:
    return time.perf_counter() + PAGE_TIME_BUDGET


def _check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.perf_counter() > deadline:
        raise _TooComplex()


def sha256_of(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sniff(path: str | Path) -> None:
    """Raise ``DocumentError`` with a Chinese reason unless the file looks like a PDF."""
    p = Path(path)
    try:
        exists, is_dir, is_file = p.exists(), p.is_dir(), p.is_file()
    except OSError as e:  # a name too long for the file system, a path the system refuses outright
        raise DocumentError(str(p), _path_reason(e), code="missing") from None
    if not exists:
        raise DocumentError(str(p), "文件不存在", code="missing")
    if is_dir:
        raise DocumentError(str(p), "这是一个文件夹，不是PDF文件", code="not_pdf")
    if not is_file:  # a device or a pipe: reading it could block forever
        raise DocumentError(str(p), "这不是一个普通文件（是设备或管道），不是PDF文件", code="not_pdf")
    try:
        with open(p, "rb") as f:
            head = f.read(2048)
    except PermissionError:
        raise DocumentError(str(p), "没有读取该文件的权限", code="unreadable") from None
    except OSError as e:
        raise DocumentError(str(p), f"无法读取文件（{e.strerror or e}）", code="unreadable") from None
    if not head:
        raise DocumentError(str(p), "文件是空的（0字节）", code="empty")
    if b"%PDF-" in head[:1024]:
        return
    raise DocumentError(str(p), _guess_kind(head, p.suffix.lower()), code="not_pdf")


def _path_reason(e: OSError) -> str:
    """Why a path given as input cannot even be looked at (not "missing": the system refused the name)."""
    import errno

    if e.errno == errno.ENAMETOOLONG:
        return "文件名或路径过长，无法打开（请将文件改名为较短的名称）"
    if isinstance(e, PermissionError):
        return "没有读取该文件的权限"
    return f"无法访问该路径（{e.strerror or e}）"


def _guess_kind(head: bytes, suffix: str) -> str:
    if head.startswith(b"PK"):
        if b"OFD.xml" in head or b"Doc_0/" in head:
            return "不是PDF文件：这是OFD版式文件，请用OFD阅读器另存为（或打印为）PDF"
        if b"word/" in head:
            return "不是PDF文件：这是Word文档（.docx），请先另存为PDF"
        if b"xl/" in head:
            return "不是PDF文件：这是Excel表格（.xlsx），请先另存为PDF"
        return "不是PDF文件：这是一个压缩包或Office文档"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "不是PDF文件：这是旧版Office文档（.doc/.xls），请先另存为PDF"
    if head.startswith(b"\xff\xd8"):
        return "不是PDF文件：这是JPEG图片"
    if head.startswith(b"\x89PNG"):
        return "不是PDF文件：这是PNG图片"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "不是PDF文件：这是TIFF图片"
    if head.startswith(b"{\\rtf"):
        return "不是PDF文件：这是RTF文档"
    if head.startswith(b"Rar!") or head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "不是PDF文件：这是一个压缩包，请先解压"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")) and b"<html" in lowered:
        return "不是PDF文件：这是一个网页（HTML），可能是下载未完成或下载到了错误页面"
    try:
        head.decode("utf-8")
        return "不是PDF文件：这是一个文本文件"
    except UnicodeDecodeError:
        pass
    return "不是PDF文件（文件头不是%PDF），可能已损坏或扩展名有误"


def open_document(
    path: str | Path,
    doc_id: str,
    *,
    password: str | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    page_numbers: Iterable[int] | None = None,
    sha256: str | None = None,
    engine: str = "pdfium",
    ocr: bool = True,
) -> Document:
    """Read a PDF into a ``Document``.  ``page_numbers`` (1-based) restricts full parsing to those pages;
    the other pages are returned with their size only.  Raises ``DocumentError``.

    ``engine="pdfium"`` (the default) reads characters and ruling lines with pdfium — a C parser, ten
    times faster than pdfminer — and finds tables with pdfplumber's table algorithm on those lines;
    ``engine="pdfplumber"`` parses with pdfminer.  A file pdfium cannot open is retried with pdfminer.

    With ``ocr`` (the default, pdfium only), a page that is only an image (a scan) or whose text layer is
    garbage is rendered and read by OCR (``core.documents.ocr``), one page at a time between the progress and
    cancel calls, outside ``PDFIUM_LOCK`` (the window renders pages meanwhile)."""
    p = Path(path)
    sniff(p)
    digest = sha256 or sha256_of(p)
    if engine == "pdfium":
        try:
            return _open_pdfium(p, doc_id, digest, password, progress, cancel, page_numbers, ocr)
        except _PdfiumUnavailable:
            pass
    return _open_pdfplumber(p, doc_id, digest, password, progress, cancel, page_numbers)


class _PdfiumUnavailable(Exception):
    """pdfium could not open the file (but did not say it is encrypted): try pdfminer."""


def _open_pdfium(p: Path, doc_id: str, digest: str, password, progress, cancel, page_numbers,
                 ocr: bool = True) -> Document:
    try:
        with PDFIUM_LOCK:
            pdf = _PdfiumDocument(str(p), password=password or None)
    except PdfiumError as e:
        if e.err_code == FPDF_ERR_PASSWORD:
            raise PasswordRequired(str(p), wrong=bool(password)) from None
        raise _PdfiumUnavailable() from None
    wanted = set(page_numbers) if page_numbers is not None else None
    pages: list[Page] = []
    guard = DocumentMemoryGuard(str(p))
    drawn = None  # the file opened by pypdfium2 to draw pages for OCR, the first time one needs it
    try:
        with PDFIUM_LOCK:
            total = len(pdf)
        if total == 0:
            raise DocumentError(str(p), "PDF中没有任何页面", code="empty")
        for i in range(total):
            if cancel and cancel():
                raise Cancelled()
            number = i + 1
            with PDFIUM_LOCK:  # PDFium calls only; the window's renderer gets its turn between pages
                raw = _read_pdfium_page(pdf, i, number, wanted)
            page = raw if isinstance(raw, Page) else _page_from_raw(raw)
            if ocr and (page.image_only or page.garbled):
                if cancel and cancel():
                    raise Cancelled()
                if drawn is None:
                    drawn = _drawing_document(p, password)
                if drawn:
                    page = _ocr_page(drawn, i, page)
            pages.append(page)
            guard.check(number)
            if progress:
                progress(number, total)
    finally:
        with PDFIUM_LOCK:
            pdf.close()
            if drawn:
                drawn.close()
    return Document(id=doc_id, path=str(p), sha256=digest, pages=pages, problems=_page_problems(pages, wanted))


def _drawing_document(p: Path, password):
    """The file opened by pypdfium2 (which draws pages), or False when it cannot be."""
    try:
        import pypdfium2 as pdfium

        with PDFIUM_LOCK:
            return pdfium.PdfDocument(str(p), password=password or None)
    except Exception as e:  # noqa: BLE001 - the page stays as read (a scan without OCR)
        log.warning("%s: cannot open for OCR: %s", p, e)
        return False


def _read_pdfium_page(pdf, i: int, number: int, wanted: set[int] | None):
    """A page's PDFium data (see ``_pdfium_raw``), or a finished ``Page`` when there is nothing to read."""
    try:
        pg = pdf[i]
    except Exception:
        return Page(number=number, width=0, height=0, error="页面无法打开")
    try:
        if wanted is not None and number not in wanted:
            try:
                w, h = pg.get_size()
            except Exception:
                return Page(number=number, width=0, height=0, error="页面无法打开")
            return Page(number=number, width=float(w), height=float(h))
        return _pdfium_raw(pg, number)
    finally:
        pg.close()


def _open_pdfplumber(p: Path, doc_id: str, digest: str, password, progress, cancel, page_numbers) -> Document:
    import pdfplumber  # deferred: keeps `main.py --help` fast
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        pdf = pdfplumber.open(str(p), password=password or "")
    except PdfminerException as e:
        inner = e.args[0] if e.args else e
        if isinstance(inner, PDFPasswordIncorrect):
            raise PasswordRequired(str(p), wrong=bool(password)) from None
        raise DocumentError(str(p), _corrupt_reason(inner), code="corrupt") from None
    except PDFPasswordIncorrect:
        raise PasswordRequired(str(p), wrong=bool(password)) from None
    except Exception as e:  # pdfminer raises many types on broken files
        raise DocumentError(str(p), _corrupt_reason(e), code="corrupt") from None

    wanted = set(page_numbers) if page_numbers is not None else None
    pages: list[Page] = []
    guard = DocumentMemoryGuard(str(p))
    try:
        try:
            raw_pages = pdf.pages
            total = len(raw_pages)
        except Exception as e:
            raise DocumentError(str(p), _corrupt_reason(e), code="corrupt") from None
        if total == 0:
            raise DocumentError(str(p), "PDF中没有任何页面", code="empty")
        for i, pp in enumerate(raw_pages, start=1):
            if cancel and cancel():
                raise Cancelled()
            if wanted is not None and i not in wanted:
                pages.append(Page(number=i, width=float(pp.width), height=float(pp.height)))
            else:
                pages.append(read_page(pp, i))
            try:
                pp.close()  # drop pdfplumber's per-page caches: memory stays flat on long files
            except Exception:
                pass
            guard.check(i)
            if progress:
                progress(i, total)
    finally:
        try:
            pdf.close()
        except Exception:
            pass
    return Document(id=doc_id, path=str(p), sha256=digest, pages=pages, problems=_page_problems(pages, wanted))


def _page_problems(pages: list[Page], wanted: set[int] | None) -> list[dict[str, str]]:
    problems: list[dict[str, str]] = []
    read = [pg for pg in pages if wanted is None or pg.number in wanted]
    if any(pg.ocr for pg in read):
        nums = "、".join(str(pg.number) for pg in read if pg.ocr)
        problems.append({"code": "ocr", "message": f"第{nums}页没有可用的文字层（扫描件或文字编码损坏），已用文字识别（OCR）"
                                                   "读取；识别出的数字标有“OCR”，请对照页面核对"})
    if read and all(pg.image_only for pg in read):
        problems.append({"code": "scanned", "message": "扫描件，无文字层：页面只有图像，无法自动读取数字，请对照页面手工录入"})
    elif any(pg.image_only for pg in read):
        nums = "、".join(str(pg.number) for pg in read if pg.image_only)
        problems.append({"code": "scanned_pages", "message": f"第{nums}页是扫描图像，无文字层"})
    if read and any(pg.garbled for pg in read):
        nums = "、".join(str(pg.number) for pg in read if pg.garbled)
        problems.append({"code": "garbled", "message": f"第{nums}页的文字层无法识别（字体缺少编码映射），这些页不参与自动审核"})
    for pg in read:
        if pg.error:
            problems.append({"code": "page_error", "message": f"第{pg.number}页：{pg.error}"})
    return problems


def _corrupt_reason(e: BaseException) -> str:
    text = str(e)
    if "EOF" in text or "startxref" in text or "trailer" in text.lower():
        return "PDF文件不完整或已损坏（可能下载或复制时被截断）"
    return "PDF文件已损坏，无法解析"


# -- a page read by OCR -------------------------------------------------------------------------------------

OCR_MAX_PIXELS = 3600
"""Longest side of a page image rendered for OCR: an A4 page at ``ocr.RENDER_DPI`` is 2339 pixels; a poster-size
page is rendered smaller rather than taking hundreds of MB."""


def _ocr_page(pdf, i: int, page: Page) -> Page:
    """The page read again from its image by OCR (``core.documents.ocr``): lines, ruled tables from the rules
    seen in the image, unruled tables, each character's confidence, with ``ocr`` set and ``image_only`` /
    ``garbled`` cleared.  The page as it was when OCR is not installed or finds no text (it stays a scan)."""
    from core.documents import ocr as ocr_mod

    if not page.width or not page.height:
        return page
    scale = min(ocr_mod.RENDER_DPI / 72.0, OCR_MAX_PIXELS / max(page.width, page.height))
    try:
        with PDFIUM_LOCK:
            pg = pdf[i]
            try:
                image = pg.render(scale=scale).to_numpy().copy()
            finally:
                pg.close()
    except Exception as e:
        log.warning("page %s: render for OCR failed: %s", page.number, e)
        return page
    try:
        read = ocr_mod.recognise(image, scale, page.width, page.height)
    except ocr_mod.OcrUnavailable as e:
        log.warning("page %s: %s", page.number, e)
        return page
    except Exception as e:  # a bug in the OCR of one page must not stop the rest
        log.warning("page %s: OCR failed: %s", page.number, e)
        return page
    del image
    if not read.chars:
        return page
    out = Page(number=page.number, width=page.width, height=page.height,
               ocr="garbled" if page.garbled else "scan")
    items = _items(read.chars)
    out.lines = _lines_of_rows(_rows(items), page.number)
    deadline = _deadline()
    try:
        if len(read.edges) > MAX_EDGES_FOR_TABLES:
            out.error = TOO_MANY_OBJECTS
        elif len(read.edges) >= 4:
            out.tables = _tables_from_edges(read.edges, items, page.number, deadline)
        out.tables.extend(find_unruled_tables(out.lines, out.tables, page.number, deadline))
    except _TooComplex:
        out.tables = []
        out.error = TOO_COMPLEX
    except Exception as e:
        log.warning("page %s: OCR tables failed: %s", page.number, e)
        out.error = "页面表格无法解析"
    _to_page_frame(out, read.to_page)
    out.tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    out.ocr_conf = [(read.to_page((c["x0"], c["top"], c["x1"], c["bottom"])), c["conf"]) for c in read.chars]
    log.debug("page %s read by OCR in %.2fs (skew %.2f°)", page.number, read.seconds, read.angle)
    return out


def _to_page_frame(page: Page, to_page: Callable[[BBox], BBox]) -> None:
    """Every box of the page (built in the deskewed image's frame) moved onto the page as displayed.  A
    zero-width box (a space put in by ``build_lines``) stays zero-width, at its moved centre."""
    def move(b: BBox) -> BBox:
        if b[2] > b[0]:
            return to_page(b)
        m = to_page(b)
        x = (m[0] + m[2]) / 2
        return (x, m[1], x, m[3])

    page.lines = [Line(text=ln.text, boxes=[move(b) for b in ln.boxes], page=ln.page) for ln in page.lines]
    for t in page.tables:
        t.bbox = to_page(t.bbox)
        for row in t.rows:
            for c in row:
                c.bbox = to_page(c.bbox)
                if c.text_bbox is not None:
                    c.text_bbox = to_page(c.text_bbox)


# -- one page ----------------------------------------------------------------------------------------------

def read_page(pp, number: int) -> Page:
    """Lines and tables of one pdfplumber page; never raises (a broken page gets ``error``)."""
    started = time.perf_counter()
    try:
        page = Page(number=number, width=float(pp.width), height=float(pp.height))
    except Exception as e:  # a broken MediaBox
        log.warning("page %s: size failed: %s", number, e)
        return Page(number=number, width=0, height=0, error="页面无法打开")
    try:
        chars = [c for c in pp.chars if c.get("upright", True)]
    except Exception as e:
        log.warning("page %s: chars failed: %s", number, e)
        page.error = "页面内容无法解析"
        return page
    # the budget counts from here: pdfminer's parsing of the page (above), like pdfium's, cannot be bounded
    deadline = time.perf_counter() + PAGE_TIME_BUDGET
    if not chars:
        try:
            page.image_only = bool(pp.images)
        except Exception:
            page.image_only = False
        return page
    items = _items(chars)
    if not _read_text(page, items):
        return page
    try:
        _check_deadline(deadline)
        if pp.curves or pp.rects:
            glyphs = GlyphBoxes(items)
            pp = pp.filter(lambda o: o.get("object_type") not in ("rect", "curve", "line")
                           or not glyphs.covers(o["x0"], o["top"], o["x1"], o["bottom"]))
        n_edges = len(pp.lines) + len(pp.rects)
        if n_edges > MAX_EDGES_FOR_TABLES:
            page.error = TOO_MANY_OBJECTS
            return page
        if n_edges >= 4:
            _check_table_size(pp.edges, crossings=True)
            page.tables = _find_tables(pp, items, number)
        _check_deadline(deadline)
        page.tables.extend(find_unruled_tables(page.lines, page.tables, number, deadline))
        page.tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    except _TooComplex:
        log.warning("page %s: too complex, tables skipped", number)
        page.tables = []
        page.error = TOO_COMPLEX
    except Exception as e:  # a broken content stream on one page must not stop the rest
        log.warning("page %s: tables failed: %s", number, e)
        page.error = "页面表格无法解析"
    log.debug("page %s read in %.3fs", number, time.perf_counter() - started)
    return page


def _read_text(page: Page, chars: list[tuple]) -> bool:
    """Lines of the page from its characters; False (and the page marked) when its text layer is garbage or
    it has too many characters to look for tables in."""
    page.lines = _lines_of_rows(_rows(chars), page.number)
    text = "\n".join(line.text for line in page.lines)
    # (a character named "(cid:N)" keeps that name in its line: a text without one has none to count)
    if is_garbled(text) or "(cid:" in text and _mostly_cid(chars):
        page.garbled = True
        return False
    if len(chars) >= MAX_CHARS_READ:
        page.error = f"页面文字过多（超过{MAX_CHARS_READ}个字符，文件可能已损坏），只读取了一部分文字，未识别表格"
        return False
    if len(chars) > MAX_CHARS_PER_PAGE:
        page.error = "页面对象过多，只读取了文字，未识别表格"
        return False
    return True


def _mostly_cid(chars: list[tuple]) -> bool:
    cid = sum(1 for c in chars if c[4].startswith("(cid:"))
    return cid > 20 and cid > len(chars) * 0.3


# -- characters → lines ------------------------------------------------------------------------------------

_by_top_x0 = itemgetter(0, 2)
_by_x0 = itemgetter(2)


def build_lines(chars: list[dict], page_number: int) -> list[Line]:
    """Group characters into lines (top to bottom, left to right), normalised, one box per character.

    A gap wider than a third of the narrower neighbour inserts a space (kept as a zero-width box);
    ``collapse_spacing`` later removes it again between CJK characters (letter-spaced text) and inside
    numbers ("22, 573, 934. 55"), and keeps it between a label and a figure.

    (Runs for every line of every page and every table cell: ``min``/``max`` of two values are written out as
    the comparisons Python's own make, so the result is the same to the last bit.)
    """
    return _lines_of_rows(_rows(_items(chars)), page_number)


def _items(chars: list[dict]) -> list[tuple]:
    """Characters as the reader works on them: ``(top, bottom, x0, x1, text)`` tuples, floats and a string
    ("" where a character has none).  PDFium's come so from ``_pdfium_chars``; pdfminer's, OCR's and the
    OFD/Word/Excel layouts' (dicts with those keys) are turned into them once."""
    return [(float(c["top"]), float(c["bottom"]), float(c["x0"]), float(c["x1"]), c.get("text", "")) for c in chars]


def _rows(chars: list[tuple]) -> list[list[tuple]]:
    """``build_lines``' rows: the characters (``_items``) that have a text, grouped into rows (top to bottom),
    each row sorted left to right."""
    items = [c for c in chars if c[4]]
    items.sort(key=_by_top_x0)
    rows: list[list[tuple]] = []
    row_band: list[tuple[float, float]] = []
    for it in items:
        top, bottom = it[0], it[1]
        h = bottom - top
        if 0.1 > h:  # max(bottom - top, 0.1)
            h = 0.1
        placed = False
        # look at the last few open rows (superscripts and mixed font sizes sit slightly off the baseline)
        n = len(rows)
        for k in range(n - 1, (n - 4 if n > 3 else -1), -1):
            rt, rb = row_band[k]
            band = rb - rt
            overlap = (bottom if bottom < rb else rb) - (top if top > rt else rt)
            if overlap >= 0.5 * (band if band < h else h):
                rows[k].append(it)
                row_band[k] = (top if top < rt else rt, bottom if bottom > rb else rb)
                placed = True
                break
        if not placed:
            rows.append([it])
            row_band.append((top, bottom))
    for row in rows:
        row.sort(key=_by_x0)
    return rows


def _lines_of_rows(rows: list[list[tuple]], page_number: int) -> list[Line]:
    lines: list[Line] = []
    for row in rows:
        texts: list[str] = []
        boxes: list[BBox] = []
        prev = None
        for it in row:
            top, bottom, x0, x1, t = it
            if prev is not None:
                p3 = prev[3]
                gap = x0 - p3
                w0, w1 = x1 - x0, p3 - prev[2]
                width = (w1 if w1 < w0 else w0) or (bottom - top) / 2
                limit = width * 0.33
                if gap > (limit if limit > 0.8 else 0.8) and t != " " and prev[4] != " ":
                    texts.append(" ")
                    boxes.append((p3, top, p3, bottom))
            texts.append(t)
            boxes.append((x0, top, x1, bottom))
            prev = it
        text = "".join(texts)
        table = _table(text, texts)
        if table is not None:
            mapped = [table[t] for t in texts] if table else None
            if mapped is not None and all(len(m) == 1 for m in mapped):
                text = "".join(mapped)  # each character mapped to one: the boxes stay as they are
            else:
                text, boxes = normalize_chars(list(zip(texts, boxes)))
        if _has_space(text):
            text, boxes = collapse_spacing(text, boxes)
        if text.strip():
            lines.append(Line(text=text, boxes=boxes, page=page_number))  # (boxes: a list of this row's own)
    lines.sort(key=lambda ln: (round(ln.bbox[1], 0), ln.bbox[0]))
    return lines


def _row_text(row: list[tuple]) -> str:
    """The text ``_lines_of_rows`` gives one row, without its boxes (a table cell printed on one line)."""
    texts: list[str] = []
    prev = None
    for it in row:
        top, bottom, x0, x1, t = it
        if prev is not None:
            p3 = prev[3]
            gap = x0 - p3
            w0, w1 = x1 - x0, p3 - prev[2]
            width = (w1 if w1 < w0 else w0) or (bottom - top) / 2
            limit = width * 0.33
            if gap > (limit if limit > 0.8 else 0.8) and t != " " and prev[4] != " ":
                texts.append(" ")
        texts.append(t)
        prev = it
    text = "".join(texts)
    table = _table(text, texts)
    if table is not None:
        text = "".join([table[t] for t in texts]) if table else normalize_chars([(t, None) for t in texts])[0]
    if _has_space(text):
        text = collapse_spacing(text)[0]
    return text


def _table(text: str, texts: list[str]) -> dict[str, str] | None:
    """For a row's ``texts`` (joined: ``text``): None when the row is its own normalisation (most rows of a
    page), else each of its characters' normalisation (``core.text.char_table``), or {} when they are not all
    normalised one by one (a text of several characters, or a "\r", which depends on the next one)."""
    if len(text) != len(texts) or "\r" in text:
        return {}
    return char_table(texts)


_has_space = re.compile(r"\s").search
"""Whether ``collapse_spacing`` has anything to do: it only drops or rewrites whitespace."""


def segments(line: Line, gap: float | None = None) -> list[tuple[int, int]]:
    """Split a line where the printed gap between characters is wide (a column gap in an unruled table).

    Returns ``(start, end)`` index pairs into ``line.text``; spaces at the edges are excluded."""
    if not line.text:
        return []
    heights = [b[3] - b[1] for b in line.boxes if b[3] > b[1]]
    size = statistics.median(heights) if heights else 10.0
    limit = gap if gap is not None else size * 1.5
    out: list[tuple[int, int]] = []
    start = None
    last_x1 = None
    for i, ch in enumerate(line.text):
        b = line.boxes[i]
        if ch == " ":
            continue
        if start is None:
            start = i
        elif last_x1 is not None and b[0] - last_x1 > limit:
            out.append((start, _rstrip_index(line.text, start, i)))
            start = i
        last_x1 = b[2]
    if start is not None:
        out.append((start, _rstrip_index(line.text, start, len(line.text))))
    return out


def _rstrip_index(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1] == " ":
        end -= 1
    return end


# -- tables --------------------------------------------------------------------------------------------------

_TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}


def _find_tables(pp, chars: list[tuple], number: int) -> list[Table]:
    tables: list[Table] = []
    for ft in pp.find_tables(table_settings=_TABLE_SETTINGS):
        grid = _grid_from_pdfplumber(ft, chars, number)
        if grid is not None:
            tables.append(grid)
    tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return tables


def _cluster(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= tol:
            continue
        out.append(v)
    return out


_OVERFLOW = 40.0  # how far past a table's side a figure printed over it is looked for (pt)


def _overflowing_words(placed: list[tuple[tuple, int]], xs: list[float]) -> list[tuple[tuple, int]]:
    """Characters with the cell each goes to, a word that runs over a cell border kept in one cell.

    ``placed`` gives each character the cell its centre falls in (``-1 - i`` when the centre is outside the
    table, next to cell ``i``).  A number too wide for its column is printed over the border ("179.33" with its
    last 3 on or past the rule, or past the table's edge): a run of characters printed touching each other on
    one line is one word, and when it crosses a vertical grid line it goes whole to the cell most of it is in.
    The words of two cells never touch (cells have padding): characters with a gap between them stay where
    their centres are."""
    if len(placed) < 2 or len(xs) < 3 and not any(i < 0 for _, i in placed):
        return placed
    geo = [ch for ch, _ in placed]  # (top, bottom, x0, x1, text)
    keys = [(round(g[0]), g[2]) for g in geo]
    order = sorted(range(len(placed)), key=keys.__getitem__)
    runs: list[list[int]] = []
    prev = None  # the character before in reading order (the last of the last run)
    for k in order:
        g = geo[k]
        top, x0 = g[0], g[2]
        h = g[1] - top or 1.0
        # on the same line and touching the one before: the same word
        if prev is not None and abs(prev[0] - top) < 0.3 * h and -0.5 * h <= x0 - prev[3] <= 0.15 * h:
            runs[-1].append(k)
        else:
            runs.append([k])
        prev = g
    out = list(placed)
    for run in runs:
        owners = [placed[k][1] for k in run]
        if len(set(owners)) == 1 and owners[0] >= 0:
            continue
        inside = [o for o in owners if o >= 0]
        if not inside:
            continue
        target = max(set(inside), key=lambda o: (inside.count(o), -inside.index(o)))
        for k in run:
            out[k] = (placed[k][0], target)
    return out


def _grid_from_pdfplumber(ft, chars: list[tuple], number: int) -> Table | None:
    """Turn a pdfplumber table into a full grid: every slot gets a Cell, merged cells repeated.

    The grid lines are the distinct cell edges; a cell spanning several grid columns/rows (a merged cell)
    is put in each slot it covers, marked ``merged`` except its top-left slot."""
    cells: list[BBox] = [tuple(c) for c in ft.cells]  # type: ignore[misc]
    if len(cells) < 2:
        return None
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells])
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 2 or len(ys) < 2:
        return None
    ncols, nrows = len(xs) - 1, len(ys) - 1

    def index(edges: list[float], v: float) -> int:
        """The grid line nearest to ``v`` (edges are sorted)."""
        i = bisect.bisect_left(edges, v)
        if i == 0:
            return 0
        if i == len(edges):
            return len(edges) - 1
        return i if edges[i] - v < v - edges[i - 1] else i - 1

    slots: list[list[Cell | None]] = [[None] * ncols for _ in range(nrows)]
    # which cell owns each grid slot: the smallest cell covering it (nested boxes keep their own text)
    owner: list[list[int | None]] = [[None] * ncols for _ in range(nrows)]
    # each cell's first and last grid column and row, found once
    spans = [(index(xs, bb[0]), index(xs, bb[2]), index(ys, bb[1]), index(ys, bb[3])) for bb in cells]
    for i in sorted(range(len(cells)), key=lambda i: -(cells[i][2] - cells[i][0]) * (cells[i][3] - cells[i][1])):
        c0, c1, r0, r1 = spans[i]
        for r in range(r0, r1):
            for c in range(c0, c1):
                owner[r][c] = i
    # the text of each cell: the characters whose centre lies inside it (found by bisecting the grid), a word
    # that runs over a border kept whole (``_overflowing_words``)
    cell_chars: dict[int, list[tuple]] = {i: [] for i in range(len(cells))}
    tx0, ttop, tx1, tbottom = xs[0], ys[0], xs[-1], ys[-1]
    placed: list[tuple[tuple, int]] = []
    left_of, right_of = tx0 - _OVERFLOW, tx1 + _OVERFLOW
    last_col, last_row = ncols - 1, nrows - 1
    bisect_right = bisect.bisect_right
    for ch in chars:
        cy = (ch[0] + ch[1]) / 2
        if not (ttop <= cy <= tbottom):
            continue
        x0, x1 = ch[2], ch[3]
        if x1 <= left_of or x0 >= right_of:
            continue
        cx = (x0 + x1) / 2
        # min(max(bisect - 1, 0), last), written out
        c = bisect_right(xs, cx) - 1
        c = 0 if c < 0 else last_col if c > last_col else c
        r = bisect_right(ys, cy) - 1
        r = 0 if r < 0 else last_row if r > last_row else r
        i = owner[r][c]
        if i is not None:
            placed.append((ch, i if tx0 <= cx <= tx1 else -1 - i))
    for ch, i in _overflowing_words(placed, xs):
        if i >= 0:
            cell_chars[i].append(ch)
    for i, bb in enumerate(cells):
        c0, c1, r0, r1 = spans[i]
        if c1 <= c0 or r1 <= r0:
            continue
        text = _cell_text(cell_chars[i], number)
        tb = None
        if cell_chars[i]:
            tb = union_bbox([(ch[2], ch[0], ch[3], ch[1]) for ch in cell_chars[i] if ch[4].strip()] or [bb])
        for r in range(r0, r1):
            for c in range(c0, c1):
                if slots[r][c] is None:
                    slots[r][c] = Cell(text=text, bbox=bb, row=r, col=c, merged=(r, c) != (r0, c0), page=number,
                                       text_bbox=tb)
    rows: list[list[Cell]] = []
    for r in range(nrows):
        row: list[Cell] = []
        for c in range(ncols):
            cell = slots[r][c]
            if cell is None:  # a slot no cell covers (an open border): a blank cell of the grid size
                cell = Cell(text="", bbox=(xs[c], ys[r], xs[c + 1], ys[r + 1]), row=r, col=c, page=number)
            row.append(cell)
        rows.append(row)
    # drop rows that are entirely empty slivers (double rules)
    rows = [row for row in rows if any(not c.blank for c in row) or (row[0].bbox[3] - row[0].bbox[1]) > 4]
    for r, row in enumerate(rows):
        for c in row:
            c.row = r
    bbox = tuple(float(v) for v in ft.bbox)
    return Table(rows=rows, page=number, bbox=bbox, ruled=True)  # type: ignore[arg-type]


def cell_text(chars: list[dict], page_number: int) -> str:
    """Text of a cell: its lines joined (a soft-wrapped cell is one value); CJK joins without a space."""
    return _cell_text(_items(chars), page_number)


def _cell_text(chars: list[tuple], page_number: int) -> str:
    if not chars:
        return ""
    rows = _rows(chars)
    if len(rows) == 1:  # one line (most cells): its text, without building the line and its boxes
        return _row_text(rows[0]).strip()
    lines = _lines_of_rows(rows, page_number)
    out = ""
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        if out and (out[-1].isascii() and out[-1].isalnum()) and (t[0].isascii() and t[0].isalnum()):
            out += " " + t
        else:
            out += t
    return out


def line_bbox(lines: list[Line]) -> BBox:
    return union_bbox([ln.bbox for ln in lines])


# -- unruled tables ------------------------------------------------------------------------------------------

_DECLARATION = re.compile(r"(单位|部门|编制部门|填报单位|预算单位)\s*[:：]|公开\d+表")
_AMOUNT_SEG = re.compile(r"^[-(（]?\d[\d,]*(\.\d+)?[)）]?%?$|^[-—/]$")


def _seg_text(line: Line, seg: tuple[int, int]) -> str:
    return line.text[seg[0]:seg[1]]


def _is_amount_segment(text: str) -> bool:
    return bool(_AMOUNT_SEG.match(text.replace(" ", "")))


def find_unruled_tables(lines: list[Line], ruled: list[Table], number: int,
                        deadline: float | None = None) -> list[Table]:
    """Tables printed without rules: runs of lines split by wide gaps into segments, most with a figure.

    Columns are the horizontal extents of the body segments merged where they overlap; header lines just
    above the body (segments, no figures) become header rows whose cells span the columns they cover; a
    line with a single text segment inside the run continues the previous row's label (a wrapped label).
    """
    def inside_ruled(ln: Line) -> bool:
        x = (ln.bbox[0] + ln.bbox[2]) / 2
        y = (ln.bbox[1] + ln.bbox[3]) / 2
        return any(t.bbox[0] - 2 <= x <= t.bbox[2] + 2 and t.bbox[1] - 2 <= y <= t.bbox[3] + 2 for t in ruled)

    cand = [ln for ln in lines if not inside_ruled(ln)]
    info = []
    for n, ln in enumerate(cand):
        if n % 256 == 255:
            _check_deadline(deadline)  # raises _TooComplex past the page's budget
        segs = segments(ln)
        texts = [_seg_text(ln, sg) for sg in segs]
        n_amount = sum(1 for t in texts if _is_amount_segment(t) and any(ch.isdigit() for ch in t))
        info.append((ln, segs, texts, len(segs) >= 2 and n_amount >= 1))
    tables: list[Table] = []
    _check_deadline(deadline)
    i = 0
    while i < len(info):
        if not info[i][3]:
            i += 1
            continue
        j = i
        body = [i]
        k = i + 1
        while k < len(info):
            ln, segs, texts, tab = info[k]
            prev = info[body[-1]][0]
            height = max(prev.bbox[3] - prev.bbox[1], 6.0)
            if ln.bbox[1] - prev.bbox[3] > height * 2.2:
                break
            if tab:
                body.append(k)
                j = k
            elif len(segs) == 1 and (k + 1 < len(info) and info[k + 1][3] or _continues_label(prev, ln, texts[0])):
                body.append(k)  # a wrapped label
            else:
                break
            k += 1
        n_tab = sum(1 for b in body if info[b][3])
        if n_tab >= 3:
            # header lines: up to 3 lines right above, with >= 2 segments and no figures
            head: list[int] = []
            h = i - 1
            while h >= 0 and len(head) < 3:
                ln, segs, texts, tab = info[h]
                below = info[head[0] if head else i][0]
                if tab or len(segs) < 2 or below.bbox[1] - ln.bbox[3] > (ln.bbox[3] - ln.bbox[1]) * 2.2:
                    break
                if _DECLARATION.search(ln.text) or ln.text.rstrip().endswith("表"):
                    break  # "部门：…  单位：万元" and titles sit above a table, they are not its header
                head.insert(0, h)
                h -= 1
            t = _unruled_table([info[x] for x in head], [info[x] for x in body], number)
            if t is not None:
                tables.append(t)
        i = max(j + 1, i + 1)
    return tables


def _continues_label(prev: Line, ln: Line, text: str) -> bool:
    """A lone text segment aligned with a text segment of the line above (not a note, no figure)."""
    if text.startswith(("注", "说明")) or any(ch.isdigit() for ch in text):
        return False
    for sg in segments(prev):
        b = prev.span_bbox(*sg)
        if not _is_amount_segment(_seg_text(prev, sg)) and abs(b[0] - ln.bbox[0]) <= 3:
            return True
    return False


def _unruled_table(head: list[tuple], body: list[tuple], number: int) -> Table | None:
    intervals = []
    for ln, segs, texts, tab in body:
        if not tab:
            continue
        for sg in segs:
            b = ln.span_bbox(*sg)
            intervals.append([b[0], b[2]])
    intervals.sort()
    cols: list[list[float]] = []
    for x0, x1 in intervals:
        if cols and x0 <= cols[-1][1] + 1.0:
            cols[-1][1] = max(cols[-1][1], x1)
        else:
            cols.append([x0, x1])
    if len(cols) < 2:
        return None

    def col_range(b: BBox) -> tuple[int, int]:
        idx = [ci for ci, (a, z) in enumerate(cols) if min(z, b[2]) - max(a, b[0]) > 0]
        if not idx:  # between columns: the nearest one
            cx = (b[0] + b[2]) / 2
            n = min(range(len(cols)), key=lambda ci: min(abs(cols[ci][0] - cx), abs(cols[ci][1] - cx)))
            return n, n
        return idx[0], idx[-1]

    rows: list[list[Cell]] = []
    for part, is_head in ((head, True), (body, False)):
        for ln, segs, texts, tab in part:
            if not is_head and not tab and rows:
                # wrapped label: glue onto the previous row's cell in the same column
                b = ln.span_bbox(*segs[0])
                c0, _ = col_range(b)
                prev = rows[-1][c0]
                text = prev.text + texts[0]
                rows[-1][c0] = Cell(text=text, bbox=union_bbox([prev.bbox, b]), row=prev.row, col=c0,
                                    page=number, text_bbox=union_bbox([prev.value_bbox, b]))
                continue
            r = len(rows)
            row: list[Cell | None] = [None] * len(cols)
            for sg, text in zip(segs, texts):
                b = ln.span_bbox(*sg)
                c0, c1 = col_range(b)
                for c in range(c0, c1 + 1):
                    if row[c] is not None and not row[c].merged and c == c0:
                        # two segments in one column: join them
                        old = row[c]
                        row[c] = Cell(text=old.text + " " + text, bbox=union_bbox([old.bbox, b]), row=r, col=c,
                                      page=number, text_bbox=union_bbox([old.value_bbox, b]))
                    else:
                        row[c] = Cell(text=text, bbox=b, row=r, col=c, merged=c != c0, page=number, text_bbox=b)
            top, bottom = ln.bbox[1], ln.bbox[3]
            rows.append([cell if cell is not None else
                         Cell(text="", bbox=(cols[c][0], top, cols[c][1], bottom), row=r, col=c, page=number)
                         for c, cell in enumerate(row)])
    all_lines = [x[0] for x in head] + [x[0] for x in body]
    bbox = union_bbox([ln.bbox for ln in all_lines])
    return Table(rows=rows, page=number, bbox=bbox, ruled=False)


# -- pdfium page reader ------------------------------------------------------------------------------------

def read_page_pdfium(pg, number: int) -> Page:
    """Lines and tables of one pdfium page; never raises (a broken page gets ``error``).

    Characters come from pdfium's text page with their loose boxes (font ascent to descent, as pdfminer
    reports them); characters pdfium generated itself (line breaks, guessed spaces) are skipped, so the
    text is what is printed.  Ruling lines are the axis-aligned segments of path objects, in page space
    through every form XObject's matrix; tables are found from them with pdfplumber's table algorithm."""
    return _page_from_raw(_pdfium_raw(pg, number))


_Raw = tuple  # (Page, chars, edges, n_images, walk, deadline): see ``_pdfium_raw``


def _pdfium_raw(pg, number: int) -> _Raw:
    """Everything read from PDFium for a page (the only part that needs ``PDFIUM_LOCK``): the empty page
    with its size, the characters, the ruling edges, the number of images, why the walk over the page's
    objects stopped early ("" when it did not, see ``_pdfium_edges``) and the page's deadline (its
    ``PAGE_TIME_BUDGET`` counts from here: PDFium's parsing of the page, which cannot be bounded, is not
    charged to it, nor is waiting for the lock)."""
    deadline = _deadline()
    try:
        w, h = pg.get_size()
        page = Page(number=number, width=float(w), height=float(h))
    except Exception as e:
        log.warning("page %s: size failed: %s", number, e)
        return Page(number=number, width=0, height=0, error="页面无法打开"), [], [], 0, "", deadline
    try:
        left, bottom_, right, top_ = pg.get_cropbox()
        rotation = pg.get_rotation()
        to_page = _page_transform(float(left), float(bottom_), float(right), float(top_), rotation)
        if rotation in (90, 270):
            page.width, page.height = float(h), float(w)
        chars = _pdfium_chars(pg, to_page)
        edges, n_images, walk = _pdfium_edges(pg, to_page, deadline, chars)
    except Exception as e:
        log.warning("page %s: pdfium failed: %s", number, e)
        page.error = "页面内容无法解析"
        return page, [], [], 0, "", deadline
    return page, chars, edges, n_images, walk, deadline


def page_from_layout(number: int, width: float, height: float, chars: list[dict], edges: list[dict]) -> Page:
    """A page drawn by another reader (an OFD page, a Word or Excel layout from ``synth``): its characters
    (dicts with text, x0, x1, top, bottom) and ruling edges go through the same line and table steps as a PDF
    page's, so classification and extraction see no difference."""
    page = Page(number=number, width=float(width), height=float(height))
    return _page_from_raw((page, _items(chars), edges, 0, "", _deadline()))


def _page_from_raw(raw: _Raw) -> Page:
    """Lines and tables from what PDFium gave (pure Python: no lock needed).

    The tables of a page are skipped, with the reason as the page's ``error``, when the page has more objects
    than ``MAX_OBJECTS_FOR_TABLES`` or ruling edges than ``MAX_EDGES_FOR_TABLES`` (``TOO_MANY_OBJECTS``;
    unruled tables are still looked for), or when finding them would pass the page's deadline or the
    bounds of ``_tables_from_edges`` (``TOO_COMPLEX``); the page's text is read in every case."""
    page, chars, edges, n_images, walk, deadline = raw
    number = page.number
    if page.error:
        return page
    if not chars:
        page.image_only = n_images > 0
        return page
    if not _read_text(page, chars):
        return page
    try:
        _check_deadline(deadline)
        if walk == "time":
            raise _TooComplex()
        if walk == "objects" or len(edges) > MAX_EDGES_FOR_TABLES:
            page.error = TOO_MANY_OBJECTS
        elif len(edges) >= 4:
            page.tables = _tables_from_edges(edges, chars, number, deadline)
        _check_deadline(deadline)
        page.tables.extend(find_unruled_tables(page.lines, page.tables, number, deadline))
        page.tables.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    except _TooComplex:
        log.warning("page %s: too complex, tables skipped", number)
        page.tables = []
        page.error = TOO_COMPLEX
    except Exception as e:
        log.warning("page %s: tables failed: %s", number, e)
        page.error = "页面表格无法解析"
    return page


def _page_transform(left: float, bottom: float, right: float, top: float, rotation: int):
    """PDF user space (y up) → our page space (top-left origin, y down) as displayed, /Rotate applied."""
    width, height = right - left, top - bottom

    def f(x: float, y: float) -> tuple[float, float]:
        x, y = x - left, top - y  # unrotated, y down
        if rotation == 90:
            return height - y, x
        if rotation == 180:
            return width - x, height - y
        if rotation == 270:
            return y, width - x
        return x, y

    f.shift = None if rotation in (90, 180, 270) else (left, top)  # type: ignore[attr-defined]
    return f


def _box(to_page, l: float, b: float, r: float, t: float) -> BBox:
    x0, y0 = to_page(l, t)
    x1, y1 = to_page(r, b)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


# -- PDFium, bound directly ----------------------------------------------------------------------------------
#
# The reader calls a few dozen of PDFium's C functions.  pypdfium2 binds all of its ~900 (``pypdfium2.raw``):
# importing it costs ~35 ms CPU at every start, as much as reading ten pages, so the reader binds the ones it
# calls itself, on the library pypdfium2 ships (``pypdfium2_raw``'s, found without importing that package, as
# its own loader finds it), with plain addresses for handles and out-structures (ctypes converts an int a
# fifth faster than pypdfium2's typed pointers, and a page of text makes thousands of these calls).  The
# calls, their order and what is made of their results are those of pypdfium2's ``PdfDocument``/``PdfPage``/
# ``PdfTextPage`` (``_PdfiumDocument`` and friends mirror the methods the reader used).  Drawing pages (the
# window's ``PageImages``, OCR's page images) still goes through pypdfium2.  Where the library is not where
# pypdfium2_raw keeps it, the functions are taken from ``pypdfium2.raw`` (the same C functions).

FPDF_ERR_PASSWORD = 4
_OBJ_UNKNOWN, _OBJ_TEXT, _OBJ_PATH, _OBJ_IMAGE, _OBJ_FORM = 0, 1, 2, 3, 5
_ROTATION_DEGREES = {0: 0, 1: 90, 2: 180, 3: 270}
_SEG_LINETO, _SEG_MOVETO = 0, 2

_PDFIUM = None


def _pdfium():
    """PDFium's functions the reader calls (a namespace, built and the library initialised once).  A handle
    comes back as an int (None for NULL)."""
    global _PDFIUM
    if _PDFIUM is None:
        _PDFIUM = _bind_pdfium()
    return _PDFIUM


def _pdfium_library():
    """pypdfium2_raw's PDFium library loaded with ctypes, or None when it is not where that package's loader
    looks (``bindings.py``'s directory)."""
    import ctypes
    import importlib.util
    import sys

    try:
        spec = importlib.util.find_spec("pypdfium2_raw")
        if spec is None or not spec.submodule_search_locations:
            return None
        if sys.platform.startswith(("win32", "cygwin", "msys")):
            name = "pdfium.dll"
        elif sys.platform.startswith(("darwin", "ios")):
            name = "libpdfium.dylib"
        else:
            name = "libpdfium.so"
        path = (Path(next(iter(spec.submodule_search_locations))) / name).resolve(strict=False)
        return ctypes.CDLL(str(path)) if path.exists() else None
    except (OSError, ImportError, ValueError):
        return None


def _bind_pdfium():
    lib = _pdfium_library()
    if lib is not None:
        try:
            return _bind_calls(lib)
        except AttributeError:  # a library without one of the functions: pypdfium2's own, below
            log.warning("PDFium library %s lacks a function; reading through pypdfium2", lib)
    import pypdfium2.raw as fallback  # its loader, wherever it finds the library (it initialises PDFium)

    return _bind_calls(fallback)


def _bind_calls(lib):
    """The namespace of ``_pdfium`` from ``lib``: a ctypes library, or ``pypdfium2.raw`` (its functions)."""
    import ctypes
    from types import SimpleNamespace

    vp, ci, cu, cf, cp = ctypes.c_void_p, ctypes.c_int, ctypes.c_ulong, ctypes.c_float, ctypes.c_char_p

    def bind(name, restype, *argtypes):
        return ctypes.CFUNCTYPE(restype, *argtypes)(ctypes.cast(getattr(lib, name), vp).value)

    class LibraryConfig(ctypes.Structure):  # FPDF_LIBRARY_CONFIG as pypdfium2's build declares it, zeroed
        _fields_ = [("version", ci), ("m_pUserFontPaths", vp), ("m_pIsolate", vp), ("m_v8EmbedderSlot", ctypes.c_uint),
                    ("m_pPlatform", vp), ("m_RendererType", ci), ("m_FontLibraryType", ci), ("m_BrotliEnabled", ci),
                    ("m_IsolatePerDocument", ci)]

    class RectF(ctypes.Structure):  # FS_RECTF
        _fields_ = [("left", cf), ("top", cf), ("right", cf), ("bottom", cf)]

    class Matrix(ctypes.Structure):  # FS_MATRIX
        _fields_ = [(k, cf) for k in "abcdef"]

    ns = SimpleNamespace(
        lib=lib, RectF=RectF, Matrix=Matrix,
        load_document=bind("FPDF_LoadDocument", vp, cp, cp),
        get_last_error=bind("FPDF_GetLastError", cu),
        get_page_count=bind("FPDF_GetPageCount", ci, vp),
        close_document=bind("FPDF_CloseDocument", None, vp),
        load_page=bind("FPDF_LoadPage", vp, vp, ci),
        close_page=bind("FPDF_ClosePage", None, vp),
        page_width=bind("FPDF_GetPageWidthF", cf, vp),
        page_height=bind("FPDF_GetPageHeightF", cf, vp),
        page_rotation=bind("FPDFPage_GetRotation", ci, vp),
        page_cropbox=bind("FPDFPage_GetCropBox", ci, vp, vp, vp, vp, vp),
        page_mediabox=bind("FPDFPage_GetMediaBox", ci, vp, vp, vp, vp, vp),
        load_text_page=bind("FPDFText_LoadPage", vp, vp),
        close_text_page=bind("FPDFText_ClosePage", None, vp),
        count_chars=bind("FPDFText_CountChars", ci, vp),
        get_text=bind("FPDFText_GetText", ci, vp, ci, ci, vp),
        get_unicode=bind("FPDFText_GetUnicode", ctypes.c_uint, vp, ci),
        is_generated=bind("FPDFText_IsGenerated", ci, vp, ci),
        get_loose_char_box=bind("FPDFText_GetLooseCharBox", ci, vp, ci, vp),
        get_char_matrix=bind("FPDFText_GetMatrix", ci, vp, ci, vp),
        get_font_size=bind("FPDFText_GetFontSize", ctypes.c_double, vp, ci),
        count_page_objects=bind("FPDFPage_CountObjects", ci, vp),
        get_page_object=bind("FPDFPage_GetObject", vp, vp, ci),
        count_form_objects=bind("FPDFFormObj_CountObjects", ci, vp),
        get_form_object=bind("FPDFFormObj_GetObject", vp, vp, cu),
        get_object_type=bind("FPDFPageObj_GetType", ci, vp),
        get_object_matrix=bind("FPDFPageObj_GetMatrix", ci, vp, vp),
        count_segments=bind("FPDFPath_CountSegments", ci, vp),
        get_segment=bind("FPDFPath_GetPathSegment", vp, vp, ci),
        get_segment_point=bind("FPDFPathSegment_GetPoint", ci, vp, vp, vp),
        get_segment_type=bind("FPDFPathSegment_GetType", ci, vp),
        get_segment_close=bind("FPDFPathSegment_GetClose", ci, vp),
    )
    # as pypdfium2 does on import (PDFium ignores a second initialisation: the window's pypdfium2 may come next)
    config = LibraryConfig(version=2)  # held until the call returns (addressof keeps no reference)
    bind("FPDF_InitLibraryWithConfig", None, vp)(ctypes.addressof(config))
    return ns


class PdfiumError(Exception):
    """PDFium could not open the document or a page; ``err_code`` is ``FPDF_GetLastError()`` for a document."""

    def __init__(self, message: str, err_code: int | None = None) -> None:
        super().__init__(message)
        self.err_code = err_code


def _handle(obj) -> int | None:
    """The address of a PDFium handle: ours are ints already; pypdfium2's (tests, tools) are typed pointers."""
    if obj is None or isinstance(obj, int):
        return obj
    import ctypes

    return ctypes.cast(obj, ctypes.c_void_p).value


class _PdfiumDocument:
    """The reader's PDFium document: pypdfium2's ``PdfDocument(path, password)`` as the reader used it."""

    def __init__(self, path: str | Path, password: str | None = None) -> None:
        import sys

        P = self._P = _pdfium()
        p = Path(path).expanduser().resolve()
        if not p.is_file():
            raise FileNotFoundError(p)
        errors = "strict" if sys.platform.startswith("win32") else "surrogateescape"
        pw = (password + "\x00").encode("utf-8") if password is not None else None
        raw = P.load_document((str(p) + "\x00").encode("utf-8", errors=errors), pw)
        if P.get_page_count(raw) < 1:
            code = P.get_last_error()
            if raw:
                P.close_document(raw)
            raise PdfiumError("Failed to load document.", err_code=code)
        self.raw = raw

    def __len__(self) -> int:
        return self._P.get_page_count(self.raw)

    def __getitem__(self, index: int) -> _PdfiumPage:
        raw = self._P.load_page(self.raw, index)
        if not raw:
            raise PdfiumError("Failed to load page.")
        return _PdfiumPage(raw, self._P)

    def close(self) -> None:
        if self.raw:
            self._P.close_document(self.raw)
            self.raw = None


class _PdfiumPage:
    """pypdfium2's ``PdfPage``: the methods the reader calls."""

    def __init__(self, raw: int, P) -> None:
        self.raw, self._P = raw, P

    def get_size(self) -> tuple[float, float]:
        return (self._P.page_width(self.raw), self._P.page_height(self.raw))

    def get_rotation(self) -> int:
        raw = self._P.page_rotation(self.raw)
        if raw == -1:
            raise PdfiumError("Failed to get page rotation.")
        return _ROTATION_DEGREES[raw]  # another value fails, as pypdfium2's lookup does

    def _box(self, fn):
        import ctypes

        v = (ctypes.c_float * 4)()
        a = ctypes.addressof(v)
        if not fn(self.raw, a, a + 4, a + 8, a + 12):
            return None
        return (v[0], v[1], v[2], v[3])

    def get_mediabox(self):
        return self._box(self._P.page_mediabox) or (0, 0, 612, 792)

    def get_cropbox(self):
        return self._box(self._P.page_cropbox) or self.get_mediabox()

    def get_textpage(self) -> _PdfiumTextPage:
        raw = self._P.load_text_page(self.raw)
        if not raw:
            raise PdfiumError("Failed to load text page.")
        return _PdfiumTextPage(raw, self._P)

    def close(self) -> None:
        if self.raw:
            self._P.close_page(self.raw)
            self.raw = None


class _PdfiumTextPage:
    def __init__(self, raw: int, P) -> None:
        self.raw, self._P = raw, P

    def count_chars(self) -> int:
        n = self._P.count_chars(self.raw)
        if n == -1:
            raise PdfiumError("Failed to get character count.")
        return n

    def close(self) -> None:
        if self.raw:
            self._P.close_text_page(self.raw)
            self.raw = None


def _pdfium_chars(pg, to_page) -> list[tuple]:
    """The printed characters of a page with their boxes in page space (see ``read_page_pdfium``), as
    ``(top, bottom, x0, x1, text)`` (``_items``).

    PDFium has no call for many characters' boxes at once, so each character costs calls (~0.4 µs each, most
    of this function's time); three are the floor (the box, the matrix and the font size, which PDFium keeps
    per character: most text objects of a real page hold one or two characters, so asking a character's text
    object does not save the other two; they are bound by ``_pdfium``).  The character and whether PDFium
    generated it cost no call of their own, with the same characters and boxes as asking each character:

    - the characters' codes come from one ``FPDFText_GetText`` of the page when it gives exactly one UTF-16
      unit per character (PDFium appends one unit to the page text for each character it counts as text, and
      splits a character outside the BMP into two characters, one per surrogate): a page where it does not (a
      control character left out of the text) asks each character (``FPDFText_GetUnicode``);
    - only a space or a control character can be one PDFium generated (it makes up spaces and line breaks,
      never anything else), so only those are asked ``FPDFText_IsGenerated``.

    The Python around the calls is kept to the few operations each character needs (an unrotated page's
    boxes are computed inline, exactly as ``_box`` computes them)."""
    import ctypes

    C = _pdfium()
    is_generated, get_box, get_matrix, get_font_size = (C.is_generated, C.get_loose_char_box, C.get_char_matrix,
                                                        C.get_font_size)
    get_unicode = C.get_unicode
    hypot = math.hypot
    shift = getattr(to_page, "shift", None)
    left, page_top = shift if shift is not None else (0.0, 0.0)
    skipped = (0, 0xFFFE, 0xFFFF, 10, 13)
    tp = pg.get_textpage()
    try:
        n = tp.count_chars()
        out: list[tuple] = []
        append = out.append
        rect = C.RectF()
        mat = C.Matrix()
        rect_at, mat_at = ctypes.addressof(rect), ctypes.addressof(mat)
        tp_at = _handle(tp.raw)
        codes: list[int] | None = None
        if n > 0:
            buf = (ctypes.c_ushort * (n + 1))()
            if C.get_text(tp_at, 0, n, ctypes.addressof(buf)) == n + 1 and buf[n] == 0:
                codes = buf[:n]
        if codes is None:
            codes = [get_unicode(tp_at, i) for i in range(n)]
        capped = n > MAX_CHARS_READ
        for i in range(n):
            if capped and len(out) >= MAX_CHARS_READ:  # a damaged page drawing the same text millions of times
                log.warning("page text cut at %d of %d characters", MAX_CHARS_READ, n)
                break
            code = codes[i]
            if code in skipped or code < 33 and is_generated(tp_at, i):
                continue
            ch = chr(code)
            if not get_box(tp_at, i, rect_at):
                continue
            # pdfium's loose box runs from the font's descent to its (often taller) ascent; pdfminer's — and
            # a reader's eye — is one font size tall from the descent.  Keep the bottom, take the size.
            size = 0.0
            if get_matrix(tp_at, i, mat_at):
                size = get_font_size(tp_at, i) * hypot(mat.c, mat.d)
            l, b, r, t = rect.left, rect.bottom, rect.right, rect.top
            if 0 < size < (t - b):
                t = b + size
            if shift is not None:  # _box(to_page, l, b, r, t) of an unrotated page, min and max as Python's
                ax, ay, bx, by = l - left, page_top - t, r - left, page_top - b
                x0 = bx if bx < ax else ax
                x1 = bx if bx > ax else ax
                top = by if by < ay else ay
                bottom = by if by > ay else ay
            else:
                x0, top, x1, bottom = _box(to_page, l, b, r, t)
            if code == 32 and x1 - x0 <= 0:
                continue
            append((top, bottom, x0, x1, ch))
        return out
    finally:
        tp.close()


class GlyphBoxes:
    """The printed characters' boxes, to tell a glyph drawn as a path from a ruling line.

    Some producers draw text as outlines — bold simulated by stroking, a PDF re-printed through cairo or a
    "print to PDF" driver — so every stroke of 编制数 becomes path segments.  They are not table rules, and
    taken as rules they cut every cell into slivers (or pass the edge limit): a segment that lies inside a
    character's box is left out of the ruling edges."""

    BAND = 20.0
    MAX_SIZE = 40.0
    TOL = 1.0

    def __init__(self, chars: list[tuple]) -> None:
        """``chars``: ``(top, bottom, x0, x1, text)`` (``_items``)."""
        bands: dict[int, list[tuple[float, float, float, float]]] = {}
        tol, band, widest = self.TOL, self.BAND, self.MAX_SIZE + 2 * self.TOL
        for c in chars:
            x0, x1 = c[2] - tol, c[3] + tol
            if x1 - x0 > widest:
                continue
            box = (x0, c[0] - tol, x1, c[1] + tol)
            for b in range(int(box[1] // band), int(box[3] // band) + 1):
                if b in bands:
                    bands[b].append(box)
                else:
                    bands[b] = [box]
        self._bands = {}
        for b, boxes in bands.items():
            boxes.sort()
            self._bands[b] = (boxes, [x[0] for x in boxes])

    def covers(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """Whether the box lies inside one character's box."""
        if x1 - x0 > self.MAX_SIZE or bottom - top > self.MAX_SIZE:
            return False
        band = self._bands.get(int(top // self.BAND))
        if band is None:
            return False
        boxes, starts = band
        i = bisect.bisect_right(starts, x0) - 1
        while i >= 0 and boxes[i][0] >= x0 - self.MAX_SIZE - 2 * self.TOL:
            bx0, btop, bx1, bbottom = boxes[i]
            if x1 <= bx1 and btop <= top and bottom <= bbottom:
                return True
            i -= 1
        return False


def _pdfium_edges(pg, to_page, deadline: float | None = None,
                  chars: list[tuple] | None = None) -> tuple[list[dict], int, str]:
    """Axis-aligned path segments as pdfplumber-style edges, the number of image objects, and why the walk
    stopped early: "" (it did not), "objects" (more than ``MAX_OBJECTS_FOR_TABLES`` objects or
    ``MAX_EDGES_FOR_TABLES`` edges: the tables would be skipped anyway) or "time" (past ``deadline``).
    Paths inside one of ``chars``' boxes (``GlyphBoxes``, built only when a path gives an edge) are glyphs,
    not rules, and give no edge.

    The page's objects are walked with PDFium's own calls, depth first as ``PdfPage.get_objects(max_depth=8)``
    walks them (a form XObject, then what it holds), without a Python object per page object: a page of
    text has thousands of text objects, and only its paths and forms are looked at."""
    import ctypes

    C = _pdfium()
    count_page, get_page_obj = C.count_page_objects, C.get_page_object
    count_form, get_form_obj = C.count_form_objects, C.get_form_object
    get_type, get_matrix = C.get_object_type, C.get_object_matrix
    count_segments, get_segment = C.count_segments, C.get_segment
    get_point, seg_type, seg_close = C.get_segment_point, C.get_segment_type, C.get_segment_close
    TEXT, IMAGE, FORM, PATH, UNKNOWN = _OBJ_TEXT, _OBJ_IMAGE, _OBJ_FORM, _OBJ_PATH, _OBJ_UNKNOWN
    MOVETO, LINETO = _SEG_MOVETO, _SEG_LINETO
    fs = C.Matrix()
    fs_at = ctypes.addressof(fs)
    shift = getattr(to_page, "shift", None)  # an unrotated page: to_page(x, y) is (x - left, top - y)
    left, page_top = shift if shift is not None else (0.0, 0.0)

    def matrix_of(obj) -> tuple:
        if not get_matrix(obj, fs_at):
            raise RuntimeError("Failed to get matrix of pageobject.")
        return (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)

    glyphs: GlyphBoxes | None = None
    edges: list[dict] = []
    n_images = 0
    n = 0
    max_objects, max_edges = MAX_OBJECTS_FOR_TABLES, MAX_EDGES_FOR_TABLES
    glyph_max = GlyphBoxes.MAX_SIZE
    # the object count at which the walk next looks at its limits: the object cap, the next deadline check
    # (every 512th object), or at once when the edges have passed their cap
    check_at = min(511, max_objects) if deadline is not None else max_objects
    x, y = ctypes.c_float(), ctypes.c_float()
    px, py = ctypes.addressof(x), ctypes.addressof(y)
    page_at = _handle(pg.raw)
    total = count_page(page_at)
    if total < 0:
        raise RuntimeError("Failed to get number of pageobjects.")
    # frames of the walk: (form handle (None: the page), objects in it, next index, depth, its matrix)
    stack: list[tuple] = [(None, total, 0, 0, None)]
    while stack:
        form, count, start_i, level, parent = stack.pop()
        get_obj, holder = (get_page_obj, page_at) if form is None else (get_form_obj, form)
        for i in range(start_i, count):
            obj = get_obj(holder, i)
            if not obj:
                raise RuntimeError("Failed to get pageobject.")
            if n >= check_at:
                if n >= max_objects or len(edges) > max_edges:
                    return edges, n_images, "objects"
                if n % 512 == 511 and deadline is not None and time.perf_counter() > deadline:
                    return edges, n_images, "time"
                nxt = n + 512 - (n + 1) % 512  # the next n with n % 512 == 511
                check_at = min(nxt, max_objects) if deadline is not None else max_objects
            n += 1
            t = get_type(obj)
            if t == TEXT:
                continue
            if t == UNKNOWN:
                raise RuntimeError("Failed to determine pageobject type.")
            if t == IMAGE:
                n_images += 1
                continue
            if t == FORM:
                m = matrix_of(obj)
                if level < 7:  # get_objects(max_depth=8) looks into forms down to the eighth level
                    inside = count_form(obj)
                    if inside < 0:
                        raise RuntimeError("Failed to get number of pageobjects.")
                    # the rest of this holder after the form's own objects, depth first
                    stack.append((form, count, i + 1, level, parent))
                    stack.append((obj, inside, 0, level + 1, _compose(m, parent) if parent else m))
                    break
                continue
            if t != PATH:
                continue
            m = matrix_of(obj)
            if parent:
                m = _compose(m, parent)
            nseg = count_segments(obj)
            if nseg <= 1 or nseg > 20000:
                continue
            a, b, c, d, e, f = m
            start = prev = None
            mine: list[dict] = []
            for k in range(nseg):
                seg = get_segment(obj, k)
                get_point(seg, px, py)
                kind = seg_type(seg)
                xv, yv = x.value, y.value
                # the point on the page (through the object's matrix, then to_page), found once for both the
                # segment it ends and the one it starts
                if shift is not None:
                    pt = (a * xv + c * yv + e - left, page_top - (b * xv + d * yv + f))
                else:
                    pt = to_page(a * xv + c * yv + e, b * xv + d * yv + f)
                if kind == MOVETO:
                    start = prev = pt
                    continue
                if kind == LINETO and prev is not None:
                    _add_edge(mine, prev, pt)
                prev = pt
                if seg_close(seg) and start is not None and prev is not None:
                    _add_edge(mine, prev, start)
                    prev = start
            if mine and chars is not None and any(g["width"] <= glyph_max and g["height"] <= glyph_max for g in mine):
                # (a segment longer than the largest glyph is a rule: ``covers`` says no without looking)
                if glyphs is None:
                    glyphs = GlyphBoxes(chars)
                mine = [g for g in mine if not glyphs.covers(g["x0"], g["top"], g["x1"], g["bottom"])]
            edges.extend(mine)
            if len(edges) > max_edges:
                check_at = n
    return edges, n_images, ""


def _compose(m: tuple, parent: tuple) -> tuple:
    """``m`` then ``parent`` (PDF row-vector convention: p' = p · m · parent)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = parent
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _add_edge(edges: list[dict], p0: tuple[float, float], p1: tuple[float, float]) -> None:
    """The segment from ``p0`` to ``p1`` (page space) as an edge, if it is horizontal or vertical."""
    (x0, y0), (x1, y1) = p0, p1
    if abs(y0 - y1) <= 0.5 and abs(x0 - x1) > 0:
        top = (y0 + y1) / 2
        edges.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": top, "bottom": top, "width": abs(x1 - x0),
                      "height": 0.0, "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) <= 0.5 and abs(y0 - y1) > 0:
        xm = (x0 + x1) / 2
        edges.append({"x0": xm, "x1": xm, "top": min(y0, y1), "bottom": max(y0, y1), "width": 0.0,
                      "height": abs(y1 - y0), "orientation": "v", "object_type": "line"})


class _CellsTable:
    """The two attributes of a pdfplumber Table that ``_grid_from_pdfplumber`` reads."""

    def __init__(self, cells: list[BBox]) -> None:
        self.cells = cells
        self.bbox = (min(c[0] for c in cells), min(c[1] for c in cells),
                     max(c[2] for c in cells), max(c[3] for c in cells))


def _check_table_size(edges: list[dict], *, crossings: bool = False) -> tuple[list, list]:
    """The merged (vertical, horizontal) edges (``ruling.merge_edges``), or ``_TooComplex`` when the crossing
    search over them would be unbounded work (more than ``MAX_EDGE_PAIRS``; with ``crossings``, also more
    than ``MAX_INTERSECTIONS`` crossings, for pdfplumber's own table finder, which cannot be stopped in
    between)."""
    v, h = ruling.merge_edges(edges, _TABLE_SETTINGS["snap_tolerance"], _TABLE_SETTINGS["join_tolerance"], 3)
    if len(v) * len(h) > MAX_EDGE_PAIRS:
        raise _TooComplex()
    if crossings:
        tol = _TABLE_SETTINGS["intersection_tolerance"]
        if len(ruling.intersections(v, h, tol, tol)) > MAX_INTERSECTIONS:
            raise _TooComplex()
    return v, h


def _tables_from_edges(edges: list[dict], chars: list[tuple], number: int,
                       deadline: float | None = None) -> list[Table]:
    """pdfplumber's ruled-table algorithm ("lines" strategy, our default settings) on our own edges, as
    ``core.documents.ruling`` computes it (the same cells, without pdfplumber's per-edge dicts).

    Raises ``_TooComplex`` when there are more rule pairs than ``MAX_EDGE_PAIRS`` or crossings than
    ``MAX_INTERSECTIONS`` (the search is quadratic in both), or ``deadline`` passes between steps."""
    tol = _TABLE_SETTINGS["intersection_tolerance"]
    v, h = _check_table_size(edges)
    _check_deadline(deadline)
    inter = ruling.intersections(v, h, tol, tol)
    if len(inter) > MAX_INTERSECTIONS:
        raise _TooComplex()
    _check_deadline(deadline)
    cells = ruling.cells(inter)
    _check_deadline(deadline)
    out: list[Table] = []
    for group in ruling.tables(cells):
        _check_deadline(deadline)
        t = _grid_from_pdfplumber(_CellsTable(group), chars, number)
        if t is not None:
            out.append(t)
    out.sort(key=lambda t: (t.bbox[1], t.bbox[0]))
    return out


# -- page images (the window shows the pages PDFium draws) ----------------------------------------------------

MAX_IMAGE_PIXELS = 16_000_000
"""A page image is never bigger than this (about 3300 × 4700, an A4 page at 400%): very deep zoom draws a
blurrier image rather than running out of memory."""


@dataclass(frozen=True)
class PageImage:
    """A drawn page: ``data`` rows of ``stride`` bytes; ``mode`` "RGBX", "RGBA", "RGB" or "L"."""

    width: int
    height: int
    stride: int
    mode: str
    data: bytes


class PageImages:
    """A PDF opened to show its pages (the window's render thread): the page sizes in points and page images.

    Every method is a PDFium call: hold ``PDFIUM_LOCK`` around it (PDFium is not thread-safe).  Opening raises
    ``DocumentError`` with the Chinese reason the reviewer sees, by code: "missing" (gone or unreadable),
    "encrypted" (``PasswordRequired``: no or a wrong password), "corrupt" (not a PDF, or damaged)."""

    def __init__(self, path: str | Path, password: str | None = None) -> None:
        import pypdfium2 as pdfium
        import pypdfium2.raw as pdfium_c

        p = str(path)
        try:
            self._pdf = pdfium.PdfDocument(p, password=password or None)
        except FileNotFoundError:
            raise DocumentError(p, "文件不存在或已被移走", code="missing") from None
        except OSError as e:
            raise DocumentError(p, f"无法读取文件（{e.strerror or e}）", code="missing") from None
        except pdfium.PdfiumError as e:
            code = getattr(e, "err_code", None)
            if code == pdfium_c.FPDF_ERR_PASSWORD:
                raise PasswordRequired(p, wrong=bool(password)) from None
            if code == pdfium_c.FPDF_ERR_FORMAT:
                raise DocumentError(p, "不是PDF文件，或PDF文件已损坏", code="corrupt") from None
            raise DocumentError(p, "PDF文件已损坏，无法显示", code="corrupt") from None
        except Exception:  # noqa: BLE001 - a broken file is a reason, never a crash of the caller's thread
            log.exception("cannot open %s for display", p)
            raise DocumentError(p, "PDF文件已损坏，无法显示", code="corrupt") from None
        try:
            self.sizes = [tuple(float(v) for v in self._pdf.get_page_size(i)) for i in range(len(self._pdf))]
        except Exception:  # noqa: BLE001
            log.exception("cannot read the page sizes of %s", p)
            self._pdf.close()
            raise DocumentError(p, "PDF文件已损坏，无法显示", code="corrupt") from None

    def __len__(self) -> int:
        return len(self.sizes)

    def render(self, index: int, scale: float, max_pixels: int = MAX_IMAGE_PIXELS) -> PageImage:
        """Page ``index`` (0-based) at ``scale`` pixels per point, smaller if it would pass ``max_pixels``.
        Raises whatever PDFium raises for a page it cannot draw (the caller logs it and goes on)."""
        page = self._pdf[index]
        try:
            w, h = page.get_size()
            if w * h * scale * scale > max_pixels:
                scale = (max_pixels / (w * h)) ** 0.5
            bitmap = page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
            try:
                return PageImage(bitmap.width, bitmap.height, bitmap.stride, bitmap.mode, bytes(bitmap.buffer))
            finally:
                bitmap.close()
        finally:
            page.close()

    def close(self) -> None:
        with suppress(Exception):
            self._pdf.close()
