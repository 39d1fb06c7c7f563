"""``pdf.build_lines`` (characters → lines) gives exactly what its plain version gave: the same text and the
same box, bit for bit, for every character — on random pages of mixed-size characters that need every kind
of normalisation (expanding ㎡, dropped zero-width spaces, radicals, full-width digits, spaced figures).
The plain version is kept here as the reference the faster one must match."""

from __future__ import annotations

import random

from core.documents.layout import Line
from core.documents.pdf import build_lines, cell_text
from core.text import collapse_spacing, normalize_chars


def _reference(chars: list[dict], page_number: int) -> list[Line]:
    items = []
    for c in chars:
        t = c.get("text", "")
        if not t:
            continue
        items.append((float(c["top"]), float(c["bottom"]), float(c["x0"]), float(c["x1"]), t))
    items.sort(key=lambda it: (it[0], it[2]))
    rows: list[list[tuple]] = []
    row_band: list[tuple[float, float]] = []
    for it in items:
        top, bottom = it[0], it[1]
        h = max(bottom - top, 0.1)
        placed = False
        for k in range(len(rows) - 1, max(-1, len(rows) - 4), -1):
            rt, rb = row_band[k]
            overlap = min(rb, bottom) - max(rt, top)
            if overlap >= 0.5 * min(h, rb - rt):
                rows[k].append(it)
                row_band[k] = (min(rt, top), max(rb, bottom))
                placed = True
                break
        if not placed:
            rows.append([it])
            row_band.append((top, bottom))
    lines: list[Line] = []
    for row in rows:
        row.sort(key=lambda it: it[2])
        raw_chars = []
        prev = None
        for it in row:
            top, bottom, x0, x1, t = it
            if prev is not None:
                gap = x0 - prev[3]
                width = min(x1 - x0, prev[3] - prev[2]) or (bottom - top) / 2
                if gap > max(0.8, width * 0.33) and t != " " and prev[4] != " ":
                    raw_chars.append((" ", (prev[3], top, prev[3], bottom)))
            raw_chars.append((t, (x0, top, x1, bottom)))
            prev = it
        text, boxes = normalize_chars(raw_chars)
        text, boxes = collapse_spacing(text, boxes)
        if text.strip():
            lines.append(Line(text=text, boxes=list(boxes), page=page_number))
    lines.sort(key=lambda ln: (round(ln.bbox[1], 0), ln.bbox[0]))
    return lines


PLAIN = list("一般公共预算财政拨款收入支出合计本年决算数人员经费") + list("0123456789.,%")
ODD = ["㎡", "\u200b", "⻔", "２", "（", "）", "：", " ", "\u3000", "\xa0", "—", "－", "fi", "\r", "万元", "≥"]


def _random_page(rng: random.Random) -> list[dict]:
    chars = []
    y = 40.0
    for _ in range(rng.randint(1, 25)):
        size = rng.choice((9.0, 10.5, 12.0, 7.5))
        x = rng.uniform(30, 80)
        for _ in range(rng.randint(1, 30)):
            t = rng.choice(ODD) if rng.random() < 0.15 else rng.choice(PLAIN)
            w = size * (0.5 if t.isascii() else 1.0)
            dy = rng.choice((0.0, 0.0, 0.0, 0.3, -2.5, 3.0))  # baseline wobble, superscripts
            top = y + dy
            chars.append({"text": t, "x0": x, "x1": x + w, "top": top, "bottom": top + size * rng.choice((1, 1, 0.6))})
            x += w + rng.choice((0.0, 0.0, 0.2, 1.0, 4.0, 30.0))
        y += size * rng.choice((1.2, 1.5, 0.7, 2.5))
    rng.shuffle(chars)
    return chars


def _same(a: list[Line], b: list[Line]) -> bool:
    return [(ln.text, ln.boxes, ln.page) for ln in a] == [(ln.text, ln.boxes, ln.page) for ln in b]


def test_build_lines_matches_the_plain_version_on_random_pages():
    rng = random.Random(19)
    n_lines = 0
    for _ in range(300):
        chars = _random_page(rng)
        got = build_lines(chars, 3)
        assert _same(got, _reference(chars, 3))
        n_lines += len(got)
    assert n_lines > 1500


def test_build_lines_normalises_a_row_that_needs_it_and_keeps_one_box_per_character():
    chars = [{"text": t, "x0": 10.0 + 10 * i, "x1": 19.0 + 10 * i, "top": 50.0, "bottom": 60.0}
             for i, t in enumerate(["面", "积", "5", "㎡", "\u200b", "⻔"])]
    (line,) = build_lines(chars, 1)
    assert line.text == "面积5m2门"
    assert len(line.boxes) == len(line.text)
    assert line.boxes[3] == line.boxes[4] == (40.0, 50.0, 49.0, 60.0)  # ㎡ → m2, both boxed where ㎡ is
    assert _same([line], _reference(chars, 1))


def test_build_lines_zero_height_and_nan_boxes_as_before():
    chars = [{"text": "1", "x0": 10.0, "x1": 15.0, "top": 50.0, "bottom": 50.0},
             {"text": "2", "x0": 15.0, "x1": 20.0, "top": 50.0, "bottom": 50.0},
             {"text": "3", "x0": float("nan"), "x1": 25.0, "top": float("nan"), "bottom": 60.0},
             {"text": "4", "x0": -0.0, "x1": 0.0, "top": 70.0, "bottom": 80.0}]
    assert _same(build_lines(chars, 1), _reference(chars, 1))


def _reference_cell_text(chars: list[dict]) -> str:
    """``cell_text`` as it was: the cell's lines (``build_lines``) joined, a space only between ASCII words."""
    out = ""
    for ln in _reference(chars, 1):
        t = ln.text.strip()
        if not t:
            continue
        if out and (out[-1].isascii() and out[-1].isalnum()) and (t[0].isascii() and t[0].isalnum()):
            out += " " + t
        else:
            out += t
    return out


def test_cell_text_matches_the_plain_version_on_random_cells():
    """A cell on one line takes a shorter way (its text without its line and boxes): the same text."""
    rng = random.Random(20)
    one_line = 0
    for _ in range(3000):
        chars = _random_page(rng)
        chars = chars[: rng.choice((1, 2, 3, 5, 8, 13, len(chars)))]
        got = cell_text(chars, 1)
        assert got == _reference_cell_text(chars)
        one_line += len(_reference(chars, 1)) == 1
    assert one_line > 500
