"""Synthetic pages for narrative tests: plain text → ``Line`` objects with per-character boxes.

Why it exists: the narrative tests must exercise ``join_lines`` and ``extract_narrative`` on the real seed
texts without a PDF.  ``typeset`` lays paragraphs out the way a word processor does: 12pt characters (Latin
characters half width), a two-character first-line indent for body paragraphs (none for headings),
justified lines (so a wrapped line reaches the right margin), numbers never broken, pages of a fixed height,
and optional page numbers at the foot.  A "\\f" inside a paragraph forces a page break there, as the seeds'
mid-sentence page breaks ("完成年初" / "预算的93.17%") were printed.

``seed_paragraphs`` turns a seed dump into paragraphs: Markdown marks go, blank lines go, and each line that
starts with one of the listed ``continuations`` is joined to the previous line through a page break.
"""

from __future__ import annotations

import re
from pathlib import Path

from core.documents.layout import Line
from core.documents.paragraphs import is_heading_start
from core.text import collapse

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

_UNBREAKABLE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.,%/_\-]*")
_NO_LINE_START = set("，。、；：？！）)》”’%,.;:!?")


def _width(ch: str, size: float) -> float:
    return size / 2 if ord(ch) < 0x2E80 else size


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(text):
        m = _UNBREAKABLE.match(text, i)
        j = m.end() if m else i + 1
        tok = text[i:j]
        if out and tok[0] in _NO_LINE_START:
            out[-1] += tok
        else:
            out.append(tok)
        i = j
    return out


def _wrap(text: str, width: float, first_indent: float, size: float) -> list[str]:
    lines: list[str] = []
    cur = ""
    avail = width - first_indent
    used = 0.0
    for tok in _tokens(text):
        w = sum(_width(c, size) for c in tok)
        if cur and used + w > avail:
            lines.append(cur)
            cur, used, avail = "", 0.0, width
        cur += tok
        used += w
    if cur:
        lines.append(cur)
    return lines


def typeset(
    paragraphs: list[str],
    *,
    size: float = 12.0,
    leading: float = 20.0,
    chars_per_line: int = 36,
    left: float = 72.0,
    top: float = 72.0,
    page_height: float = 842.0,
    first_page: int = 1,
    page_numbers: bool = True,
    normalise: bool = True,
) -> list[Line]:
    """Lay ``paragraphs`` out on pages; returns the lines (reading order), page numbers included."""
    width = chars_per_line * size
    bottom_limit = page_height - 72.0
    out: list[Line] = []
    page = first_page
    y = top

    def new_page() -> None:
        nonlocal page, y
        if page_numbers:
            label = f"- {page - first_page + 1} -"
            x = left + width / 2 - len(label) * size / 4
            boxes = [(x + i * size / 2, page_height - 50, x + (i + 1) * size / 2, page_height - 50 + size)
                     for i in range(len(label))]
            out.append(Line(label, boxes, page))
        page += 1
        y = top

    def emit(seg: str, x: float, justify_to: float | None) -> None:
        nonlocal y
        if y + size > bottom_limit:
            new_page()
        widths = [_width(c, size) for c in seg]
        extra = 0.0
        if justify_to is not None and len(seg) > 1:
            extra = max(0.0, (justify_to - sum(widths)) / (len(seg) - 1))
        boxes = []
        cx = x
        for w in widths:
            boxes.append((cx, y, cx + w, y + size))
            cx += w + extra
        out.append(Line(seg, boxes, page))
        y += leading

    for para in paragraphs:
        pieces = [(collapse(p) if normalise else p).strip() for p in para.split("\f")]
        text = "".join(pieces)
        if not text:
            continue
        heading = is_heading_start(text) and len(text) < 60
        indent = 0.0 if heading else 2 * size
        # forced page breaks: after the line that holds the end of each piece but the last
        splits, pos = [], 0
        for piece in pieces[:-1]:
            pos += len(piece)
            splits.append(pos)
        lines = _wrap(text, width, indent, size)
        pos = 0
        for i, seg in enumerate(lines):
            x = left + (indent if i == 0 else 0.0)
            avail = width - (indent if i == 0 else 0.0)
            last = i == len(lines) - 1
            emit(seg, x, None if last else avail)
            end = pos + len(seg)
            if not last and any(pos < sp <= end for sp in splits):
                new_page()
            pos = end
    if page_numbers:
        new_page()
    return out


def clean_md(line: str) -> str:
    s = re.sub(r"^#+\s*", "", line.rstrip())
    s = s.replace("**", "").replace("<b>", "").replace("</b>", "")
    return s.strip()


def seed_lines(prefix: str) -> list[str]:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8").splitlines()


def seed_paragraphs(prefix: str, start: str, end: str | None = None, continuations: tuple[str, ...] = (),
                    occurrence: int = 1) -> list[str]:
    """Paragraphs of seed ``prefix`` from the ``occurrence``-th line starting with ``start`` up to (not
    including) the first later line starting with ``end``; lines starting with one of ``continuations``
    continue the previous paragraph across a page break.  Every continuation must be used."""
    lines = [clean_md(x) for x in seed_lines(prefix)]
    hits = [i for i, x in enumerate(lines) if x.startswith(start)]
    i0 = hits[occurrence - 1]
    i1 = len(lines)
    if end is not None:
        i1 = next(i for i in range(i0 + 1, len(lines)) if lines[i].startswith(end))
    paras: list[str] = []
    used: set[str] = set()
    for s in lines[i0:i1]:
        if not s:
            continue
        hit = next((c for c in continuations if s.startswith(c)), None)
        if hit is not None and paras:
            paras[-1] = paras[-1] + "\f" + s
            used.add(hit)
        else:
            paras.append(s)
    missing = set(continuations) - used
    if missing:
        raise ValueError(f"continuations not found: {sorted(missing)}")
    return paras


# Where the seed dumps broke a sentence at a page break (the text after the break).
SEED_001_JS_BREAKS = (
    "署、要求和协调相关事项",
    "出（项）。",
    "预算的93.17%",
    "（款）其他社会保障和就业支出（项）",
    "费属于公共专项",
    "同金额占服务支出金额的100%",
    "建章立制各项工作",
    "天电影、暑期亲子营",
    "单》，在晋升情形中",
    "的坚定决心和坚实作风",
    "务功能，关注企业现实需求",
    "返乡大学生交流会",
)
SEED_001_ZP_BREAKS = (
    "干部组（干部监督组",
    "请省、市委党校教师",
    "重一线考察识别干部",
    "调工作人员工作的提示",
    "清华大学、北京大学",
    "12142名",
    "合素质能力",
    "原因分析：一是由于",
)


def seed_001_juesuan() -> list[str]:
    """决算 narrative of seed 001: 第一部分 概况 and 第三部分 情况说明 (the 第二部分 tables left out)."""
    part1 = seed_paragraphs("001", "第一部分", "第二部分", SEED_001_JS_BREAKS[:1], occurrence=2)
    part3 = seed_paragraphs("001", "第三部分", "第四部分", SEED_001_JS_BREAKS[1:], occurrence=2)
    return part1 + part3


def seed_001_report() -> list[str]:
    """自评报告 of seed 001 (without the 自评表 that follows it)."""
    return seed_paragraphs("001", "2024 年度部门（单位）整体支出", "附件：部门整体支出绩效自评表", SEED_001_ZP_BREAKS)


def seed_000_report() -> list[str]:
    return seed_paragraphs("000", "一、部门（单位）基本情况")


def seed_004_report() -> list[str]:
    """自评报告 of seed 004 (附件1, after the 基础数据表 and 自评表)."""
    return seed_paragraphs("004", "附件1")
