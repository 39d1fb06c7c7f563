"""Any package file in, ``layout.Document`` out: PDF, Word (.docx, .doc, WPS .wps), Excel (.xlsx, .xls, WPS .et)
and OFD — told apart by their content, not their names (a .et is an Excel 97 file, a .wps a Word 97 file, and
departments rename files freely).

Why it exists: the pipeline, the workspace and the window open files in one place; each format's reader owns
its library (``pdf`` pdfplumber/pdfium, ``xlsx_reader`` openpyxl, ``xls_reader`` xlrd, ``doc_reader``
olefile, ``docx_reader`` and ``ofd_reader`` the standard library) and this module only chooses.  Word and
Excel files are drawn as pages by ``synth`` (with the place of every cell and paragraph), so classification
and extraction see the same pages, lines and ruled tables as for a PDF.

What it must not do: raise anything but ``DocumentError`` for a bad file (with a Chinese reason).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from core.documents import pdf
from core.documents.layout import Document
from core.errors import DocumentError

SUPPORTED_SUFFIXES = (".pdf", ".docx", ".doc", ".wps", ".xlsx", ".xlsm", ".xls", ".et", ".ofd")
"""Files a folder is searched for (a file named explicitly is read whatever its name)."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff_format(path: str | Path) -> str:
    """"pdf" | "docx" | "xlsx" | "ofd" | "ole" (Word/Excel 97: see ``_ole_kind``); raises ``DocumentError``
    with the reason for anything else (missing, empty, an image, an archive…)."""
    p = Path(path)
    try:
        pdf.sniff(p)
        return "pdf"
    except DocumentError as e:
        if e.code != "not_pdf":
            raise
        not_pdf = e
    try:
        with open(p, "rb") as f:
            head = f.read(2048)
    except OSError:
        raise not_pdf from None
    if head.startswith(_OLE):
        return "ole"
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(p) as z:
                names = set(z.namelist())
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError, ValueError, zlib.error):
            what = ("Word文档（.docx）" if b"word/" in head else "Excel文件（.xlsx）" if b"xl/" in head
                    else "OFD版式文件" if b"OFD.xml" in head or b"Doc_0/" in head
                    else {".docx": "Word文档（.docx）", ".xlsx": "Excel文件（.xlsx）", ".ofd": "OFD版式文件"}.get(
                        p.suffix.lower(), "压缩文件"))
            raise DocumentError(str(p), f"{what}已损坏或不完整（可能下载或复制时被截断），无法读取", code="corrupt") from None
        if "word/document.xml" in names or "xl/workbook.xml" in names:
            if _own_output(p, names):
                raise DocumentError(str(p), "这是本工具导出的审核结果（审核表或复核意见），不是部门报送的材料，已跳过",
                                    code="own_output")
            return "docx" if "word/document.xml" in names else "xlsx"
        if "OFD.xml" in names or any(n.lower() == "ofd.xml" for n in names):
            return "ofd"
        if "content.xml" in names and "mimetype" in names:
            raise DocumentError(str(p), "这是OpenDocument文件（.odt/.ods），暂不支持：请另存为.docx/.xlsx或PDF", code="not_pdf")
        raise DocumentError(str(p), "这是一个压缩包，不是Word/Excel/OFD/PDF文件，请先解压", code="not_pdf")
    raise not_pdf


def _own_output(p: Path, names: set[str]) -> bool:
    """A workbook or 复核意见 this program exported (often saved beside the package and picked up again with the
    folder): its 问题清单 and 修改记录 sheets, or the creator written into the .docx."""
    try:
        with zipfile.ZipFile(p) as z:
            if "xl/workbook.xml" in names:
                wb = z.read("xl/workbook.xml")[:200_000].decode("utf-8", "replace")
                return "问题清单" in wb and "修改记录" in wb
            if "docProps/core.xml" in names:
                return "绩效自评材料审核工具" in z.read("docProps/core.xml")[:20_000].decode("utf-8", "replace")
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, zlib.error, NotImplementedError, RuntimeError):
        return False  # a damaged file: its reader names the damage
    return False


def open_any(path: str | Path, doc_id: str, *, password: str | None = None, progress=None, cancel=None,
             page_numbers=None, sha256: str | None = None) -> Document:
    """Read any supported file (see the module doc).  Raises ``DocumentError``."""
    p = Path(path)
    kind = sniff_format(p)
    if kind == "pdf":
        return pdf.open_document(p, doc_id, password=password, progress=progress, cancel=cancel,
                                 page_numbers=page_numbers, sha256=sha256)
    digest = sha256 or pdf.sha256_of(p)
    if kind == "ole":
        kind = _ole_kind(p)
    if kind == "ofd":
        from core.documents.ofd_reader import read_ofd

        return read_ofd(p, doc_id, digest)
    if kind in ("xlsx", "xls"):
        from core.documents.sheets import draw_sheets
        from core.documents.synth import format_number

        if kind == "xlsx":
            from core.documents.xlsx_reader import read_xlsx_sheets

            sheets = read_xlsx_sheets(p)
        else:
            from core.documents.xls_reader import read_xls_sheets

            sheets = read_xls_sheets(p)
        drawing, problems, _ = draw_sheets(sheets, format_number)
        if not drawing.pages:
            raise DocumentError(str(p), "表格文件中没有任何内容（所有工作表都是空的）", code="empty")
        return _document(p, doc_id, digest, drawing, problems, kind)
    if kind in ("docx", "doc"):
        from core.documents.synth import draw_flow

        if kind == "docx":
            from core.documents.docx_reader import read_docx_blocks

            blocks = read_docx_blocks(p)
        else:
            from core.documents.doc_reader import read_doc_blocks

            blocks = read_doc_blocks(p)
        if not blocks:
            raise DocumentError(str(p), "Word文档中没有任何文字", code="empty")
        return _document(p, doc_id, digest, draw_flow(blocks), [], kind)
    raise DocumentError(str(p), "无法识别的文件格式", code="not_pdf")


def _ole_kind(p: Path) -> str:
    from core.documents.doc_reader import ole_kind

    return ole_kind(p)


def _document(p: Path, doc_id: str, digest: str, drawing, problems: list[dict[str, str]], fmt: str) -> Document:
    pages = [pdf.page_from_layout(dp.number, dp.width, dp.height, dp.chars, dp.edges) for dp in drawing.pages]
    return Document(id=doc_id, path=str(p), sha256=digest, pages=pages, problems=problems, format=fmt,
                    places=drawing.places)


def annotate_provenance(doc: Document, fields) -> None:
    """Put the place each field was read from in the file (``attrs["cell"]`` "基础数据表!C7" for a sheet,
    ``attrs["paragraph"]`` / ``attrs["table_cell"]`` for Word, ``attrs["where"]`` in words) on the fields
    read from a drawn document; a PDF or OFD field keeps its page and box only."""
    if not doc.places:
        return
    from core.documents.synth import provenance

    for f in fields:
        if f.source.doc != doc.id:
            continue
        attrs = provenance(doc.places, f.source.page, f.source.bbox)
        for k, v in attrs.items():
            f.attrs.setdefault(k, v)
