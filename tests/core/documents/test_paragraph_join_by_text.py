"""Lines joined by what the text says (core/documents/paragraphs.py ``_cut_mid_sentence``) must not run two
numbers together: rows of a table printed as text, each starting with a 科目 code and ending with an amount,
stay rows ("290.00⏎2080505" is not "290.002080505"), while a number cut at its separator is still whole."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from core.documents.layout import Line
from core.documents.paragraphs import join_lines


def _lines(rows: list[tuple[int, str]], size: float = 12.0) -> list[Line]:
    """Each row as printed (indent in characters, text), left-aligned and ragged, one line every 20 pt."""
    out, y = [], 72.0
    for indent, text in rows:
        x, boxes = 72.0 + indent * size, []
        for ch in text:
            w = size / 2 if ord(ch) < 0x2E80 else size
            boxes.append((x, y, x + w, y + size))
            x += w
        out.append(Line(text, boxes, 1))
        y += 20.0
    return out


_FULL = "本单位按照规定的格式和口径编制了本年度的财政拨款支出决算表并对其中的主要变化作了说明。"


def test_table_rows_of_codes_and_amounts_are_not_run_together():
    text = join_lines(_lines([
        (2, "本单位2024年度一般公共预算财政拨款支出情况如下："), (0, _FULL),
        (0, "2010301 行政运行 300.00 290.00"),
        (0, "2080505 机关事业单位基本养老保险缴费支出 50.00 50.00"),
        (0, "2101101 行政单位医疗 20.00 20.00"),
        (2, "本年支出合计360.00万元。"), (0, _FULL)])).text
    assert "290.00\n2080505" in text and "50.00\n2101101" in text


def test_a_number_cut_at_its_separator_is_still_joined():
    text = join_lines(_lines([
        (2, "本单位2024年度收入支出总计1,"), (0, "500.00万元，与上年相比增加300.00万元。"), (0, _FULL),
        (2, "本年支出合计360.00万元。"), (0, _FULL)])).text
    assert "总计1,500.00万元" in text


def test_an_amount_grouped_by_spaces_cut_at_a_space_keeps_its_space():
    """"基本支出 8⏎234 567.80 元": the line broke at a group's space; joined without it the amount would read
    8234 and 567.80."""
    text = join_lines(_lines([
        (2, "本部门按照规定口径编制本年度的决算，本年支出合计 12 345 678.90 元，其中：基本支出 8"),
        (0, "234 567.80 元，项目支出 4 111 111.10 元。"),
        (0, _FULL), (2, "本年支出合计360.00万元。"), (0, _FULL)])).text
    assert "基本支出 8 234 567.80 元" in text
