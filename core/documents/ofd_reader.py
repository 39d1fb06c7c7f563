"""An OFD file (GB/T 33190, the national fixed-layout format) in, ``layout.Document`` out — standard library only.

Why it exists: more and more offices export OFD instead of PDF.  An OFD file is a zip of XML: OFD.xml names
the document, Document.xml its pages and page templates, each page's Content.xml its layers of text objects
(Unicode text with the position of every character: X/Y and DeltaX/DeltaY, "g N v" repeats) and path objects
(AbbreviatedData "M x y L x y … C").  This module reads text runs with their positions and the axis-aligned
segments of paths, converts millimetres to points (top-left origin, like pdfplumber) and hands them to the PDF
page builder (``pdf.page_from_layout``): lines, ruled tables and merged cells come out as for a PDF page, and a
figure's provenance is its page and box, as for a PDF.

Not used: ofdkit and easyofd (the latter needs PyMuPDF, AGPL); the part of the format needed here is small.

Limits (also in the README): text drawn as paths or images (a scan inside an OFD) is not read; curves (B, Q,
A) give no ruling lines; annotations, signatures and seals are not read; a character's width is the distance to
the next character (the last one of a run: one em for CJK, half an em otherwise), as fonts are not opened.

What it must not do: raise anything but ``DocumentError`` for a bad file; read anything outside the zip.
"""

from __future__ import annotations

import logging
import math
import posixpath
import re
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

from core.documents.layout import Document
from core.errors import DocumentError

log = logging.getLogger(__name__)

MM = 72 / 25.4
MAX_PART = 100 * 1024 * 1024
MAX_PAGES = 5000


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _local(c.tag) == name]


def _child(el: ET.Element, name: str) -> ET.Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _floats(s: str | None) -> list[float]:
    if not s:
        return []
    out = []
    for t in s.replace(",", " ").split():
        try:
            out.append(float(t))
        except ValueError:
            pass
    return out


def _deltas(s: str | None) -> list[float]:
    """DeltaX/DeltaY: numbers, "g N v" repeating v N times."""
    if not s:
        return []
    toks = s.split()
    out: list[float] = []
    i = 0
    while i < len(toks):
        if toks[i] == "g" and i + 2 < len(toks):
            try:
                out.extend([float(toks[i + 2])] * int(float(toks[i + 1])))
            except ValueError:
                pass
            i += 3
            continue
        try:
            out.append(float(toks[i]))
        except ValueError:
            pass
        i += 1
    return out


class _Zip:
    def __init__(self, path: str) -> None:
        self.path = path
        self.z = zipfile.ZipFile(path)
        self.names = {n.lower().lstrip("/"): n for n in self.z.namelist()}

    def xml(self, name: str) -> ET.Element:
        key = posixpath.normpath(name.lstrip("/")).lower()
        real = self.names.get(key)
        if real is None:
            raise KeyError(name)
        if self.z.getinfo(real).file_size > MAX_PART:
            raise DocumentError(self.path, "OFD文件中的页面内容过大，无法读取", code="corrupt")
        return ET.fromstring(self.z.read(real))


def read_ofd(path: str | Path, doc_id: str, digest: str) -> Document:
    """Read an OFD file's first document.  Raises ``DocumentError`` with a Chinese reason."""
    from core.documents.pdf import page_from_layout

    p = str(path)
    try:
        z = _Zip(p)
    except (zipfile.BadZipFile, OSError, EOFError):
        raise DocumentError(p, "OFD版式文件已损坏或不完整（可能下载或复制时被截断），无法读取", code="corrupt") from None
    try:
        drawn = _read(z)
    except DocumentError:
        raise
    except (KeyError, ET.ParseError, ValueError, IndexError, TypeError, AttributeError, zipfile.BadZipFile, EOFError,
            OSError, zlib.error, NotImplementedError, RuntimeError) as e:
        log.info("ofd %s: %s", p, e)
        raise DocumentError(p, "OFD版式文件内容已损坏（缺少页面或XML无法解析），无法读取；请用OFD阅读器另存为PDF",
                            code="corrupt") from None
    finally:
        z.z.close()
    if not drawn:
        raise DocumentError(p, "OFD文件中没有任何页面", code="empty")
    pages = [page_from_layout(i + 1, w, h, chars, edges) for i, (w, h, chars, edges, _) in enumerate(drawn)]
    for pg, d in zip(pages, drawn):
        if not pg.lines and d[4]:
            pg.image_only = True
    problems: list[dict[str, str]] = []
    if pages and all(pg.image_only for pg in pages):
        problems.append({"code": "scanned", "message": "OFD文件的页面只有图像（扫描件），无文字，无法自动读取数字，请对照页面手工录入"})
    return Document(id=doc_id, path=p, sha256=digest, pages=pages, problems=problems, format="ofd")


def _read(z: _Zip) -> list[tuple[float, float, list[dict], list[dict], int]]:
    root = z.xml("OFD.xml")
    body = _child(root, "DocBody")
    doc_root = _child(body, "DocRoot") if body is not None else None
    if doc_root is None or not (doc_root.text or "").strip():
        raise DocumentError(z.path, "不是有效的OFD文件：缺少文档入口（DocRoot）", code="corrupt")
    doc_path = doc_root.text.strip().lstrip("/")
    base = posixpath.dirname(doc_path)
    doc = z.xml(doc_path)
    common = _child(doc, "CommonData")
    default_box = [0.0, 0.0, 210.0, 297.0]
    templates: dict[str, str] = {}
    if common is not None:
        area = _child(common, "PageArea")
        if area is not None and _child(area, "PhysicalBox") is not None:
            default_box = _floats(_child(area, "PhysicalBox").text) or default_box
        for t in _children(common, "TemplatePage"):
            templates[t.get("ID", "")] = posixpath.join(base, t.get("BaseLoc", ""))
    pages_el = _child(doc, "Pages")
    out = []
    for pg in (_children(pages_el, "Page") if pages_el is not None else [])[:MAX_PAGES]:
        loc = pg.get("BaseLoc", "")
        content_path = posixpath.join(base, loc) if not loc.startswith("/") else loc
        page = z.xml(content_path)
        box = default_box
        area = _child(page, "Area")
        if area is not None and _child(area, "PhysicalBox") is not None:
            box = _floats(_child(area, "PhysicalBox").text) or box
        w, h = box[2] * MM, box[3] * MM
        ox, oy = box[0], box[1]
        chars: list[dict] = []
        edges: list[dict] = []
        images = [0]
        layers: list[ET.Element] = []
        for t in _children(page, "Template"):
            tp = templates.get(t.get("TemplateID", ""))
            if tp:
                try:
                    tpl = z.xml(tp)
                except KeyError:
                    continue
                content = _child(tpl, "Content")
                if content is not None:
                    layers.extend(_children(content, "Layer"))
        content = _child(page, "Content")
        if content is not None:
            layers.extend(_children(content, "Layer"))
        for layer in layers:
            _walk(layer, (1, 0, 0, 1, -ox, -oy), chars, edges, images)
        # what lies outside the page's box is not printed (producers leave template objects there)
        chars = [c for c in chars if 0 <= (c["x0"] + c["x1"]) / 2 <= w and 0 <= (c["top"] + c["bottom"]) / 2 <= h]
        out.append((w, h, _dedupe(chars), edges, images[0]))
    return out


def _dedupe(chars: list[dict]) -> list[dict]:
    """Drop a character drawn again over itself (a producer's fake bold prints each glyph twice, a fraction of
    a point apart), as pdfplumber's ``dedupe_chars`` does for PDFs."""
    seen: dict[tuple[str, int, int], list[dict]] = {}
    out = []
    for ch in chars:
        key = (ch["text"], int(ch["x0"] // 2), int(ch["top"] // 2))
        near = [o for dx in (-1, 0, 1) for dy in (-1, 0, 1)
                for o in seen.get((key[0], key[1] + dx, key[2] + dy), ())]
        w = max(ch["x1"] - ch["x0"], 1.0)
        if any(abs(o["x0"] - ch["x0"]) < w * 0.3 and abs(o["top"] - ch["top"]) < w * 0.3 for o in near):
            continue
        seen.setdefault(key, []).append(ch)
        out.append(ch)
    return out


_Matrix = tuple  # (a, b, c, d, e, f): x' = a x + c y + e, y' = b x + d y + f


def _compose(inner: _Matrix, outer: _Matrix) -> _Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m: _Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _object_matrix(el: ET.Element, parent: _Matrix) -> _Matrix:
    bx = _floats(el.get("Boundary"))
    ctm = _floats(el.get("CTM"))
    m: _Matrix = tuple(ctm) if len(ctm) == 6 else (1, 0, 0, 1, 0, 0)
    if len(bx) >= 2:
        m = _compose(m, (1, 0, 0, 1, bx[0], bx[1]))
    return _compose(m, parent)


def _walk(el: ET.Element, parent: _Matrix, chars: list[dict], edges: list[dict], images: list[int]) -> None:
    for obj in el:
        name = _local(obj.tag)
        if name == "TextObject":
            _text(obj, _object_matrix(obj, parent), chars)
        elif name == "PathObject":
            _path(obj, _object_matrix(obj, parent), edges)
        elif name == "ImageObject":
            images[0] += 1
        elif name in ("PageBlock", "Layer"):
            _walk(obj, parent, chars, edges, images)
        elif name == "CompositeObject":
            images[0] += 0  # a reference to a resource drawing: not read


def _is_cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _text(obj: ET.Element, m: _Matrix, chars: list[dict]) -> None:
    size = float(obj.get("Size") or 3.5)
    sx = math.hypot(m[0], m[1]) or 1.0
    sy = math.hypot(m[2], m[3]) or 1.0
    x = y = 0.0
    for code in _children(obj, "TextCode"):
        text = code.text or ""
        if code.get("X") is not None:
            x = float(code.get("X"))
        if code.get("Y") is not None:
            y = float(code.get("Y"))
        dx = _deltas(code.get("DeltaX"))
        dy = _deltas(code.get("DeltaY"))
        # a character is as wide as the usual step between two characters of its kind in this run (a larger
        # step is a gap: the next cell's text drawn in the same run), one em / half an em without one
        steps = {True: [], False: []}
        for i in range(min(len(dx), len(text) - 1)):
            if _is_cjk(text[i]) == _is_cjk(text[i + 1]) and 0 < dx[i] < size * 1.6:
                steps[_is_cjk(text[i])].append(dx[i])
        usual = {k: (sorted(v)[len(v) // 2] if v else (size if k else size * 0.5)) for k, v in steps.items()}
        for i, ch in enumerate(text):
            default = usual[_is_cjk(ch)]
            adv = dx[i] if i < len(dx) else default
            if adv <= 0:
                width = default
            elif _is_cjk(ch):
                width = min(adv, default * 1.05)
            else:  # "%" is wider than a digit: only a step well past the usual one is a gap
                width = adv if adv <= default * 1.7 else default
            if not ch.isspace():
                x0, base = _apply(m, x, y)
                w_pt = width * sx * MM
                h_pt = size * sy * MM
                left = x0 * MM
                bottom = base * MM + h_pt * 0.15
                chars.append({"text": ch, "x0": left, "x1": left + w_pt, "top": bottom - h_pt, "bottom": bottom,
                              "upright": True})
            x += adv
            if i < len(dy):
                y += dy[i]


_CMD = re.compile(r"[A-Za-z]|-?\d*\.?\d+(?:[eE][-+]?\d+)?")


def _path(obj: ET.Element, m: _Matrix, edges: list[dict]) -> None:
    if obj.get("Stroke", "true") == "false" and obj.get("Fill", "false") == "false":
        return
    data = _child(obj, "AbbreviatedData")
    if data is None or not data.text:
        return
    toks = _CMD.findall(data.text)
    cur = start = None
    i = 0
    n_args = {"M": 2, "S": 2, "L": 2, "Q": 4, "B": 6, "A": 7, "C": 0}
    while i < len(toks):
        cmd = toks[i]
        if cmd not in n_args:
            i += 1
            continue
        k = n_args[cmd]
        try:
            args = [float(t) for t in toks[i + 1:i + 1 + k]]
        except ValueError:
            return
        i += 1 + k
        if len(args) < k:
            return
        if cmd in ("M", "S"):
            cur = start = (args[0], args[1])
        elif cmd == "L":
            if cur is not None:
                _edge(edges, m, cur, (args[0], args[1]))
            cur = (args[0], args[1])
        elif cmd == "C":
            if cur is not None and start is not None:
                _edge(edges, m, cur, start)
            cur = start
        else:  # curves: no ruling line, the pen moves to the end point
            cur = (args[-2], args[-1])
    # a thin filled rectangle drawn as a box (Boundary only, no line inside) is a rule as well
    if not edges and obj.get("Fill") == "true":
        pass


def _edge(edges: list[dict], m: _Matrix, p0: tuple[float, float], p1: tuple[float, float]) -> None:
    x0, y0 = _apply(m, *p0)
    x1, y1 = _apply(m, *p1)
    x0, y0, x1, y1 = x0 * MM, y0 * MM, x1 * MM, y1 * MM
    if abs(y0 - y1) <= 0.5 and abs(x1 - x0) > 1:
        t = (y0 + y1) / 2
        edges.append({"x0": min(x0, x1), "x1": max(x0, x1), "top": t, "bottom": t, "width": abs(x1 - x0),
                      "height": 0.0, "orientation": "h", "object_type": "line"})
    elif abs(x0 - x1) <= 0.5 and abs(y1 - y0) > 1:
        xm = (x0 + x1) / 2
        edges.append({"x0": xm, "x1": xm, "top": min(y0, y1), "bottom": max(y0, y1), "width": 0.0,
                      "height": abs(y1 - y0), "orientation": "v", "object_type": "line"})
