"""Page lines → running text: the narrative reads sentences, the PDF gives it lines.

Why this module exists: a PDF text layer has no paragraphs.  A sentence such as "完成年初" / "预算的93.17%"
is printed on two lines (often on two pages), and the narrative extractor must see it as one sentence, while
two paragraphs must stay apart so that a heading or an "其中：" list does not swallow the next paragraph.
``join_lines`` decides, from geometry only, where a line continues the previous one (a soft wrap) and where a
paragraph ends, drops running heads and page numbers, and keeps the printed place of every character so a
value found in the running text can still be boxed on its page.

What it must not do: import pdfplumber (``core.documents.pdf`` is the boundary), change or reorder printed
characters (only whitespace at line ends goes, and a joining space or newline is added), or know about
fields and keys.

Rules (geometry is measured per page, with document-wide fallbacks):

* A line continues the previous one when the previous line reaches the right edge of the text block and
  this one starts at its left edge: joined with no separator (Chinese has no spaces), or with one space
  between two Latin letters.
* A paragraph ends ("\\n") before a line that is indented (≈ 2 characters: a Chinese first-line indent), a
  heading ("一、", "（一）", "1、", "1.", "（1）", "①", "第一部分", "附件1" at the line start), after a line
  that stops short of the right edge, and at a vertical gap clearly larger than the line spacing.
* Across a page break the same rules apply (a full last line followed by an unindented first line joins), so
  "完成年初" at the foot of one page and "预算的93.17%" at the top of the next make one sentence.
* Page numbers alone on the first or last line of a page ("3", "- 3 -", "第3页", "3/12", "第 3 页 共 12 页")
  and running heads or feet (the same text, digits aside, first or last on several pages) are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from statistics import median

from core.documents.layout import Line, TextStream
from core.model import BBox

HEADING_START = re.compile(
    r"^\s*(?:"
    r"第[一二三四五六七八九十百零〇\d]+(?:部分|章|节)"
    r"|[一二三四五六七八九十百]+\s*[、.．]"
    r"|[(（]\s*[一二三四五六七八九十百]+\s*[)）]"
    r"|\d{1,2}\s*[、．]"
    r"|\d{1,2}\.(?!\d)"
    r"|[(（]\s*\d{1,2}\s*[)）]"
    r"|[\u2460-\u2473]"
    r"|附\s*件\s*\d*\s*(?:[:：]|$|\s)"
    r")"
)
"""A line that starts a heading or a numbered list item: it always starts a new paragraph."""

_PAGE_NUMBER = re.compile(
    r"^\s*(?:"
    r"[-—–－_\s]*\d{1,4}[-—–－_\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|[-—–]?\s*[IVXLivxl]{1,6}\s*[-—–]?"
    r")\s*$"
)
_TERMINAL = set("。！？!?；;：:")
_LATIN = re.compile(r"[A-Za-z]")
# an amount grouped by spaces cut at one of its spaces ("基本支出 8⏎234 567.80 元"): the space stays
_SPACED_HEAD = re.compile(r"(?:^|[^\d.,，])\d{1,3}(?: \d{3})*$")
_SPACED_TAIL = re.compile(r"\d{3}(?: \d{3})*\.\d{1,2} ?(?:亿元|万元|千元|元)")
_NO_BOX: BBox = (0.0, 0.0, 0.0, 0.0)


@dataclass
class _Geometry:
    left: float
    right: float
    char_w: float
    gap: float  # usual distance from one line's bottom to the next line's top


def _strip(line: Line) -> tuple[str, list[BBox]]:
    """The line's text and boxes without leading and trailing whitespace."""
    text, boxes = line.text, list(line.boxes)
    a, b = 0, len(text)
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return text[a:b], boxes[a:b]


def _printed(boxes: list[BBox]) -> list[BBox]:
    return [bx for bx in boxes if bx[2] > bx[0] or bx[3] > bx[1]]


def _x0(boxes: list[BBox]) -> float:
    p = _printed(boxes)
    return min(b[0] for b in p) if p else 0.0


def _x1(boxes: list[BBox]) -> float:
    p = _printed(boxes)
    return max(b[2] for b in p) if p else 0.0


@dataclass
class _L:
    text: str
    boxes: list[BBox]
    page: int

    @cached_property
    def _extent(self) -> tuple[float, float, float, float]:
        """x0, x1, top, bottom of the printed characters (``_x0`` … ``_bottom``), computed once: the
        geometry of a page asks for them several times a line."""
        p = _printed(self.boxes)
        if not p:
            return (0.0, 0.0, 0.0, 0.0)
        x0s, tops, x1s, bottoms = zip(*p)
        return (min(x0s), max(x1s), min(tops), max(bottoms))

    @property
    def x0(self) -> float:
        return self._extent[0]

    @property
    def x1(self) -> float:
        return self._extent[1]

    @property
    def top(self) -> float:
        return self._extent[2]

    @property
    def bottom(self) -> float:
        return self._extent[3]


def _char_width(lines: list[_L]) -> float:
    widths = [b[2] - b[0] for ln in lines for ch, b in zip(ln.text, ln.boxes)
              if "\u4e00" <= ch <= "\u9fff" and b[2] > b[0]]
    if not widths:
        widths = [b[3] - b[1] for ln in lines for b in ln.boxes if b[3] > b[1]]
    return median(widths) if widths else 10.0


def _page_geometry(lines: list[_L], fallback: _Geometry | None) -> _Geometry:
    cw = _char_width(lines) if lines else (fallback.char_w if fallback else 10.0)
    longish = [ln for ln in lines if len(ln.text) >= 4]
    left = min((ln.x0 for ln in longish), default=fallback.left if fallback else 0.0)
    rights = sorted(ln.x1 for ln in lines if len(ln.text) >= 8)
    if len(rights) >= 3:
        right = rights[-2]  # the second longest: one line running past the margin does not move it
    elif rights:
        right = rights[-1]
    else:
        right = fallback.right if fallback else max((ln.x1 for ln in lines), default=0.0)
    gaps = [
        b.top - a.bottom
        for a, b in zip(lines, lines[1:])
        if b.top > a.bottom - 0.5 * cw and b.top - a.bottom < 4 * cw
    ]
    gap = median(gaps) if gaps else (fallback.gap if fallback else cw * 0.5)
    if fallback is not None:
        # a page of short lines has no reliable right edge; a page whose lines are all indented no left edge
        if right < fallback.right - 2 * cw:
            right = fallback.right
        if abs(left - fallback.left) > 3 * cw:
            left = fallback.left
    return _Geometry(left, right, cw, max(gap, 0.0))


def _document_geometry(by_page: dict[int, list[_L]]) -> _Geometry | None:
    per_page = [_page_geometry(ls, None) for ls in by_page.values()
                if sum(len(ln.text) >= 8 for ln in ls) >= 3]
    if not per_page:
        return None
    return _Geometry(
        median(g.left for g in per_page),
        median(g.right for g in per_page),
        median(g.char_w for g in per_page),
        median(g.gap for g in per_page),
    )


def _running_key(text: str) -> str:
    return re.sub(r"[\d\s]+", "", text)


def _drop_furniture(by_page: dict[int, list[_L]]) -> None:
    """Remove page numbers and running heads/feet (first or last line of a page) in place."""
    pages = list(by_page)
    for pos in (0, -1):
        counts = Counter(_running_key(by_page[p][pos].text) for p in pages if by_page[p])
        need = max(2, (len(pages) + 1) // 2)
        repeated = {k for k, n in counts.items() if n >= need and 4 <= len(k) <= 30}
        for p in pages:
            ls = by_page[p]
            if not ls:
                continue
            ln = ls[pos]
            if len(ls) > 1 and (_PAGE_NUMBER.match(ln.text) or _running_key(ln.text) in repeated):
                ls.pop(pos)
    for p in pages:  # a page number may sit below a running foot, or alone on a page
        ls = by_page[p]
        while ls and _PAGE_NUMBER.match(ls[-1].text) and (len(ls) > 1 or len(pages) > 1):
            ls.pop()
        while ls and _PAGE_NUMBER.match(ls[0].text) and len(ls) > 1:
            ls.pop(0)


def is_heading_start(text: str) -> bool:
    """True when ``text`` starts with a heading or list number ("一、", "（一）", "1、", "1.", "（1）", "①")."""
    return bool(HEADING_START.match(text))


def _continues(prev: _L, cur: _L, g_prev: _Geometry, g_cur: _Geometry, flush: bool = False) -> bool:
    """Whether ``cur`` continues the paragraph that ``prev`` ends (a soft wrap)."""
    if is_heading_start(cur.text):
        return False
    cw = max(g_cur.char_w, 1.0)
    if cur.x0 > g_cur.left + 1.2 * cw:  # first-line indent, centred title or right-aligned signature
        return False
    if (prev.x1 < g_prev.right - 1.5 * max(g_prev.char_w, 1.0) and not _pushed_down(prev, cur, g_prev)
            and not _cut_mid_sentence(prev, cur, g_prev, flush)):
        return False  # a short line ends its paragraph
    if cur.page == prev.page:
        gap = cur.top - prev.bottom
        if gap > max(1.5 * g_cur.gap, g_cur.gap + 0.8 * cw) and prev.text[-1:] in _TERMINAL:
            return False
        if cur.top < prev.top - 0.5 * cw:  # went back up the page: a new column or a misordered line
            return False
    return True


# what a line breaker keeps together: a number or Latin word with its punctuation ("8.02%。", "2,573.55万")
_UNBREAKABLE = re.compile(r"[0-9A-Za-z.,，%％‰+\-/:：．]+[。，、；：！？%％）)”’]*|[。，、；：！？%％）)”’]+")


# what cannot start a printed line of its own: punctuation, a unit after its number, a 科目 level marker
_NON_STARTER = re.compile(r"[，,、。；;：:）)%％‰”’]|(?:亿元|万元|元|万|亿)(?![\u4e00-\u9fff]{0,1}[:：])|[(（]\s*[类款项]\s*[)）]")
_CUT_WORDS = frozenset({"减少", "增加", "下降", "增长", "降低", "上升", "提高", "节约", "持平", "预算", "决算",
                        "支出", "收入", "合计", "总计", "完成", "占比"})
_OPEN_SUBJECT = re.compile(r"[(（]\s*[类款]\s*[)）][^(（。；;]*$")
_SUBJECT_CLOSE = re.compile(r"[^\s，,。；;:：(（]{0,16}[(（]\s*[款项]\s*[)）]")
# a number cut at its separator ("1,⏎234.00", "0.⏎78"); a line ending in a whole number followed by one starting
# with a digit is not joined by the text alone: table rows ("… 290.00⏎2080505 …") would run their numbers together
_NUMBER_TAIL = re.compile(r"[0-9]\s*[.．,，]$")


def _cut_mid_sentence(prev: _L, cur: _L, g: _Geometry, flush: bool) -> bool:
    """Whether a line that ends short was still cut inside a sentence: the text, not the geometry, says so.

    Text typeset ragged (a report retyped line for line, a left-aligned export, a font wider or narrower than
    the original) ends lines well short of the right edge in mid-sentence: "减⏎少 19.66 万元",
    "行政单位⏎医疗（项）", "80.81 万⏎元".  A line continues when it does not end a clause ("。", "；", "：" …)
    and either the next line starts with what cannot start a line (a unit, punctuation, "（项）", the rest
    of a 科目 name), or — in a document printed flush left, where no indent marks a new paragraph — the line
    fills most of the text block (a heading line nearly all of it: a short heading is a paragraph of its
    own)."""
    last = prev.text.rstrip()[-1:]
    if not last or last in _TERMINAL:
        return False
    if _NON_STARTER.match(cur.text) or (_NUMBER_TAIL.search(prev.text) and cur.text[:1].isdigit()):
        return True
    if prev.text.rstrip()[-1:] + cur.text[:1] in _CUT_WORDS:
        return True  # "支出决算减⏎少 19.66 万元": a change word cut in two
    if _OPEN_SUBJECT.search(prev.text) and _SUBJECT_CLOSE.match(cur.text):
        return True  # "…（类）…（款）生态环境执法监⏎察（项）": the 科目 name is finished on the next line
    if not flush:
        return False
    cw = max(g.char_w, 1.0)
    width = g.right - g.left
    if width <= 6 * cw:
        return False
    if is_heading_start(prev.text):
        return prev.x1 >= g.right - 3.5 * cw
    return prev.x1 >= g.left + 0.6 * width


def _pushed_down(prev: _L, cur: _L, g: _Geometry) -> bool:
    """Whether ``prev`` ends short only because ``cur``'s first word would not fit after it: left-aligned
    (not justified) text wraps a number such as "8.02%。" whole, leaving the line before it ragged."""
    if prev.text.rstrip()[-1:] in _TERMINAL:
        return False
    m = _UNBREAKABLE.match(cur.text)
    if not m or m.end() == 0:
        return False
    first = cur.boxes[: m.end()]
    width = _x1(first) - _x0(first)
    return prev.x1 + width + 0.2 * max(g.char_w, 1.0) > g.right


def _flush_left(lines: list[_L], geo: dict[int, _Geometry]) -> bool:
    """Whether the text is printed flush left: (almost) no line starts indented, so a new paragraph is not
    marked by an indent and only the words can tell a wrapped line from a paragraph's last one."""
    if len(lines) < 8:
        return False
    indented = sum(1 for ln in lines if ln.x0 > geo[ln.page].left + 1.2 * max(geo[ln.page].char_w, 1.0))
    return indented <= max(1, len(lines) // 30)


def join_lines(lines: list[Line], *, soft_wrap: bool = True) -> TextStream:
    """Join page lines (in reading order) into running text with a ``(page, bbox)`` for every character.

    With ``soft_wrap=False`` every line is its own paragraph (page furniture is still dropped).
    """
    stripped: list[_L] = []
    for ln in lines:
        text, boxes = _strip(ln)
        if text:
            stripped.append(_L(text, boxes, ln.page))
    by_page: dict[int, list[_L]] = {}
    for ln in stripped:
        by_page.setdefault(ln.page, []).append(ln)
    _drop_furniture(by_page)
    doc_geo = _document_geometry(by_page)
    geo = {p: _page_geometry(ls, doc_geo) for p, ls in by_page.items()}
    kept = [ln for ls in by_page.values() for ln in ls]
    order = {id(ln): i for i, ln in enumerate(stripped)}
    kept.sort(key=lambda ln: order[id(ln)])

    flush = _flush_left(kept, geo)
    stream = TextStream()
    prev: _L | None = None
    for ln in kept:
        if prev is not None:
            last_place = (prev.page, prev.boxes[-1])
            if soft_wrap and _continues(prev, ln, geo[prev.page], geo[ln.page], flush):
                if (_LATIN.match(prev.text[-1]) and _LATIN.match(ln.text[0])) or (
                        _SPACED_TAIL.match(ln.text) and _SPACED_HEAD.search(prev.text)):
                    x = prev.boxes[-1][2]
                    y = prev.boxes[-1][1]
                    stream.append(" ", [(prev.page, (x, y, x, y))])
            else:
                stream.append("\n", [last_place])
        stream.append(ln.text, [(ln.page, b) for b in ln.boxes])
        prev = ln
    return stream


def paragraphs(stream: TextStream) -> list[tuple[int, int]]:
    """``(start, end)`` offsets of the paragraphs of a joined stream (without their "\\n")."""
    out: list[tuple[int, int]] = []
    start = 0
    text = stream.text
    while start <= len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        if end > start:
            out.append((start, end))
        start = end + 1
    return out


__all__ = ["join_lines", "paragraphs", "is_heading_start", "HEADING_START"]
