"""A .docx file (Word, WPS 文字 saved as .docx) in, paragraphs and tables for ``synth.draw_flow`` out.

Why it exists: the 自评报告 (and often the whole package, its forms as Word tables) is typed in Word or WPS.
Read with the standard library (``zipfile`` + ``xml.etree``), not python-docx: we need the body's paragraphs
and tables with merged cells (w:gridSpan, w:vMerge) and automatic list numbers ("一、", "（一）") — a few
dozen lines over the XML — and python-docx would bring lxml (about 5 MB of native code in the installer) for it.

Provenance: every paragraph keeps its number in the body ("第12段"), every table cell its table, row and
column ("表2第3行第4列").

What it must not do: raise anything but ``DocumentError`` for a bad file, or follow external references
(linked images, fields): only word/document.xml and word/numbering.xml are read.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

from core.documents.synth import BODY_SIZE, CELL_SIZE, Grid, GridCell, Para
from core.errors import DocumentError

log = logging.getLogger(__name__)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"
MAX_XML = 200 * 1024 * 1024  # a document.xml larger than this is refused (a zip bomb)


def read_docx_blocks(path: str | Path) -> list[Para | Grid]:
    """The body of a .docx as paragraphs and tables, in order.  Raises ``DocumentError``."""
    p = str(path)
    try:
        with zipfile.ZipFile(p) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise DocumentError(p, "不是有效的Word文档（.docx）：缺少正文部分，文件可能已损坏", code="corrupt")
            info = z.getinfo("word/document.xml")
            if info.file_size > MAX_XML:
                raise DocumentError(p, "Word文档正文过大，无法读取", code="corrupt")
            body_xml = z.read("word/document.xml")
            numbering = z.read("word/numbering.xml") if "word/numbering.xml" in names else None
    except DocumentError:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, zlib.error, NotImplementedError) as e:
        log.info("docx %s: %s", p, e)
        raise DocumentError(p, "Word文档（.docx）已损坏或不完整，无法读取；请在Word/WPS中打开后重新保存", code="corrupt") from None
    # "Strict Open XML" (Word's other save format) names the same elements in another namespace
    body_xml, numbering = (x.replace(STRICT, W[1:-1].encode()) if x else x for x in (body_xml, numbering))
    try:
        root = ET.fromstring(body_xml)
        numbers = _Numbering(ET.fromstring(numbering)) if numbering else _Numbering(None)
    except ET.ParseError as e:
        log.info("docx %s: %s", p, e)
        raise DocumentError(p, "Word文档（.docx）内容已损坏（XML无法解析），请在Word/WPS中打开后重新保存", code="corrupt") from None
    body = root.find(f"{W}body")
    if body is None:
        raise DocumentError(p, "不是有效的Word文档（.docx）：没有正文", code="corrupt")
    reader = _Reader(numbers)
    reader.walk(body)
    return reader.blocks


class _Reader:
    def __init__(self, numbers: _Numbering) -> None:
        self.numbers = numbers
        self.blocks: list[Para | Grid] = []
        self.n_para = 0
        self.n_table = 0
        self.break_next = False

    def walk(self, parent: ET.Element) -> None:
        for el in parent:
            tag = el.tag
            if tag == f"{W}p":
                self.paragraph(el)
            elif tag == f"{W}tbl":
                self.table(el)
            elif tag in (f"{W}sdt", f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                content = el.find(f"{W}sdtContent")
                self.walk(content if content is not None else el)

    def paragraph(self, p: ET.Element) -> None:
        self.n_para += 1
        text, page_break = paragraph_text(p)
        ppr = p.find(f"{W}pPr")
        align, indent, size, before = "left", 0.0, _run_size(p) or BODY_SIZE, False
        if ppr is not None:
            jc = ppr.find(f"{W}jc")
            if jc is not None:
                v = jc.get(f"{W}val", "")
                align = {"center": "center", "right": "right", "end": "right", "both": "justify",
                         "distribute": "justify"}.get(v, "left")
            ind = ppr.find(f"{W}ind")
            if ind is not None:
                if ind.get(f"{W}firstLineChars"):
                    indent = _num(ind.get(f"{W}firstLineChars")) / 100
                elif ind.get(f"{W}firstLine"):
                    indent = _num(ind.get(f"{W}firstLine")) / 20 / size
            before = ppr.find(f"{W}pageBreakBefore") is not None
            prefix = self.numbers.prefix(ppr)
            if prefix:
                text = prefix + text
        para = Para(text=text, attrs={"paragraph": self.n_para, "where": f"第{self.n_para}段"}, size=size,
                    align=align, first_indent=indent, page_break_before=before or self.break_next)
        self.break_next = False
        if text.strip():
            self.blocks.append(para)
        elif para.page_break_before:
            self.break_next = True
        if page_break:
            self.break_next = True

    def table(self, tbl: ET.Element) -> None:
        self.n_table += 1
        t = self.n_table
        grid = tbl.find(f"{W}tblGrid")
        widths = [_num(gc.get(f"{W}w")) / 20 for gc in grid.findall(f"{W}gridCol")] if grid is not None else []
        cells: list[GridCell] = []
        heights: list[float] = []
        origin: dict[tuple[int, int], GridCell] = {}  # grid slot → the cell covering it (for vMerge)
        r = 0
        for tr in tbl.findall(f"{W}tr"):
            trpr = tr.find(f"{W}trPr")
            col = 0
            h = 0.0
            if trpr is not None:
                gb = trpr.find(f"{W}gridBefore")
                if gb is not None:
                    col = int(_num(gb.get(f"{W}val")))
                th = trpr.find(f"{W}trHeight")
                if th is not None:
                    h = _num(th.get(f"{W}val")) / 20
            heights.append(max(h, CELL_SIZE * 1.3 + 6))
            for tc in tr.findall(f"{W}tc"):
                tcpr = tc.find(f"{W}tcPr")
                span, vmerge = 1, None
                if tcpr is not None:
                    gs = tcpr.find(f"{W}gridSpan")
                    if gs is not None:
                        span = max(1, int(_num(gs.get(f"{W}val"))))
                    vm = tcpr.find(f"{W}vMerge")
                    if vm is not None:
                        vmerge = vm.get(f"{W}val", "continue")
                if vmerge == "continue" and (r - 1, col) in origin:
                    above = origin[(r - 1, col)]
                    if above.row + above.rowspan == r:
                        above.rowspan += 1
                    for c in range(col, col + span):
                        origin[(r, c)] = above
                    col += span
                    continue
                texts = []
                for p in tc.iter(f"{W}p"):
                    s, _ = paragraph_text(p)
                    if s.strip():
                        texts.append(s.strip())
                text = "\n".join(texts)
                ppr = tc.find(f"{W}p/{W}pPr/{W}jc")
                align = "left"
                if ppr is not None:
                    align = {"center": "center", "right": "right", "end": "right"}.get(ppr.get(f"{W}val", ""), "left")
                cell = GridCell(text=text, row=r, col=col, colspan=span, align=align,
                                attrs={"table_cell": f"表{t}第{r + 1}行第{col + 1}列",
                                       "where": f"表格{t}第{r + 1}行第{col + 1}列"})
                cells.append(cell)
                for c in range(col, col + span):
                    origin[(r, c)] = cell
                col += span
            r += 1
        n_cols = max([c.col + c.colspan for c in cells] + [len(widths)], default=0)
        if n_cols == 0 or not heights:
            return
        if len(widths) < n_cols:
            widths += [60.0] * (n_cols - len(widths))
        widths = [w if w > 1 else 60.0 for w in widths[:n_cols]]
        self.blocks.append(Grid(col_widths=widths, row_heights=heights, cells=cells,
                                page_break_before=self.break_next))
        self.break_next = False


def paragraph_text(p: ET.Element) -> tuple[str, bool]:
    """The text of a paragraph (runs, tabs, line breaks; deleted text and field codes left out) and whether
    it holds a page break."""
    out: list[str] = []
    page_break = False
    for el in p.iter():
        tag = el.tag
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            out.append(" ")
        elif tag in (f"{W}br", f"{W}cr"):
            if el.get(f"{W}type") == "page":
                page_break = True
            else:
                out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        elif tag == f"{W}sym":
            ch = el.get(f"{W}char")
            if ch:
                try:
                    code = int(ch, 16)
                    out.append(chr(code - 0xF000) if code >= 0xF000 else chr(code))
                except ValueError:
                    pass
    return "".join(out), page_break


def _run_size(p: ET.Element) -> float | None:
    for r in p.iter(f"{W}r"):
        t = r.find(f"{W}t")
        if t is None or not (t.text or "").strip():
            continue
        sz = r.find(f"{W}rPr/{W}sz")
        if sz is not None:
            v = _num(sz.get(f"{W}val")) / 2
            if 6 <= v <= 36:
                return v
        return None
    return None


def _num(s: str | None) -> float:
    try:
        return float(s) if s else 0.0
    except ValueError:
        return 0.0


# -- automatic list numbers ------------------------------------------------------------------------------------

_CN = "零一二三四五六七八九"


def _chinese(n: int) -> str:
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    return str(n)


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "ideographDigital", "taiwaneseCounting"):
        return _chinese(n)
    if fmt == "lowerLetter":
        return chr(96 + (n - 1) % 26 + 1)
    if fmt == "upperLetter":
        return chr(64 + (n - 1) % 26 + 1)
    if fmt == "decimalEnclosedCircle" or fmt == "decimalEnclosedCircleChinese":
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "lowerRoman" or fmt == "upperRoman":
        vals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        s, k = "", n
        for v, t in vals:
            while k >= v:
                s, k = s + t, k - v
        return s.upper() if fmt == "upperRoman" else s
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


class _Numbering:
    """Word's automatic numbering (numbering.xml): the printed prefix of a numbered paragraph."""

    def __init__(self, root: ET.Element | None) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId → ilvl → (fmt, lvlText, start)
        self.counters: dict[str, list[int]] = {}
        if root is None:
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in root.findall(f"{W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{W}lvl"):
                il = int(_num(lvl.get(f"{W}ilvl")))
                fmt = lvl.find(f"{W}numFmt")
                txt = lvl.find(f"{W}lvlText")
                st = lvl.find(f"{W}start")
                lv[il] = (fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
                          txt.get(f"{W}val", "") if txt is not None else "",
                          int(_num(st.get(f"{W}val"))) if st is not None else 1)
            abstract[an.get(f"{W}abstractNumId", "")] = lv
        for num in root.findall(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{W}numId", "")] = abstract.get(ref.get(f"{W}val", ""), {})

    def prefix(self, ppr: ET.Element) -> str:
        numpr = ppr.find(f"{W}numPr")
        if numpr is None:
            return ""
        nid = numpr.find(f"{W}numId")
        il = numpr.find(f"{W}ilvl")
        num_id = nid.get(f"{W}val", "") if nid is not None else ""
        ilvl = int(_num(il.get(f"{W}val"))) if il is not None else 0
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        counters = self.counters.setdefault(num_id, [0] * 9)
        for k in range(9):
            if k not in levels:
                continue
            if k == ilvl:
                counters[k] = (counters[k] or levels[k][2] - 1) + 1
            elif k > ilvl:
                counters[k] = 0
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none"):
            return ""

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            f = levels.get(k, ("decimal", "", 1))[0]
            return _format(counters[k] or levels.get(k, ("", "", 1))[2], f)

        return re.sub(r"%(\d)", sub, text)
