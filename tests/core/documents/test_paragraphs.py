"""join_lines: page lines → running text (soft wraps, paragraph ends, page breaks, page furniture)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import pytest  # noqa: E402

from core.documents.layout import Line  # noqa: E402
from core.documents.paragraphs import is_heading_start, join_lines, paragraphs  # noqa: E402
from core.text import collapse  # noqa: E402
from tests.core.pagesim import (  # noqa: E402
    seed_000_report,
    seed_001_juesuan,
    seed_001_report,
    seed_004_report,
    typeset,
)

CW = 12.0
LEFT = 72.0
RIGHT = LEFT + 36 * CW  # a full line ends here


def line(text: str, y: float, *, x: float = LEFT, page: int = 1, width: float | None = None) -> Line:
    """A line of 12pt characters (Latin half width) starting at ``x``; ``width`` stretches it (justified)."""
    w = [CW / 2 if ord(c) < 0x2E80 else CW for c in text]
    extra = 0.0
    if width is not None and len(text) > 1:
        extra = (width - sum(w)) / (len(text) - 1)
    boxes, cx = [], x
    for cw in w:
        boxes.append((cx, y, cx + cw, y + CW))
        cx += cw + extra
    return Line(text, boxes, page)


def full(text: str, y: float, *, page: int = 1, x: float = LEFT) -> Line:
    return line(text, y, x=x, page=page, width=RIGHT - x)


# Three full lines of body text give every page a measurable right margin.
FILLER = "这是一段用于确定版心宽度的正文文字内容这是一段用于确定版心宽度的正文"


def test_full_line_followed_by_unindented_line_is_a_soft_wrap():
    lines = [
        full(FILLER, 100),
        full("2024年度支出合计2257.39万元，其中：基本支出673.91万元，占", 120),
        line("29.85%；项目支出1583.48万元，占70.15%。", 140),
    ]
    text = join_lines(lines).text
    assert "占29.85%" in text
    assert text.count("\n") == 0


def test_indented_line_starts_a_new_paragraph():
    lines = [
        full(FILLER, 100),
        line("上一段的最后一行。", 120),
        line("新的一段首行缩进两个字。", 140, x=LEFT + 2 * CW),
    ]
    assert join_lines(lines).text.split("\n") == [FILLER + "上一段的最后一行。", "新的一段首行缩进两个字。"]


def test_full_line_then_indented_line_still_breaks():
    lines = [full(FILLER, 100), full(FILLER, 120), line("第二段。", 140, x=LEFT + 2 * CW)]
    assert join_lines(lines).text.split("\n")[1] == "第二段。"


def test_short_line_ends_its_paragraph():
    lines = [full(FILLER, 100), line("短行。", 120), line("下一行从左边开始但上一行未满。", 140)]
    assert join_lines(lines).text.count("\n") == 1


@pytest.mark.parametrize("head", ["一、部门基本情况", "（二）项目支出情况", "3、政府性基金", "4. 强基固本", "（1）基本支出", "①负责"])
def test_heading_starts_a_paragraph_even_after_a_full_line(head):
    lines = [full(FILLER, 100), full(FILLER, 120), line(collapse(head), 140)]
    out = join_lines(lines).text.split("\n")
    assert out[-1] == collapse(head)


def test_heading_detection_does_not_take_amounts():
    assert is_heading_start("一、部门")
    assert is_heading_start("(一)部门")
    assert is_heading_start("1.年初预算项目")
    assert not is_heading_start("1.2万名党员")
    assert not is_heading_start("2024年度支出")
    assert not is_heading_start("一是加强")


def test_wrapped_heading_joins_its_second_line():
    """决算说明 item titles are long: "4、一般公共服务（类）…其他组织事务支" / "出（项）。"."""
    lines = [
        full(FILLER, 100),
        full(collapse("4、一般公共服务（类）组织事务（款）其他组织事务支"), 120),
        line(collapse("出（项）。"), 140),
        line("年初预算为8万元。", 160, x=LEFT + 2 * CW),
    ]
    out = join_lines(lines).text.split("\n")
    assert out[1] == collapse("4、一般公共服务（类）组织事务（款）其他组织事务支出（项）。")
    assert out[2] == "年初预算为8万元。"


def test_sentence_split_by_a_page_break_is_joined():
    lines = [
        full(FILLER, 100, page=3),
        full("年初预算为266.2万元，支出决算为248.02万元，完成年初", 700, page=3),
        line("- 3 -", 790, x=LEFT + 16 * CW, page=3),
        line("预算的93.17%，决算数小于年初预算数。", 72, page=4),
        full(FILLER, 92, page=4),
    ]
    text = join_lines(lines).text
    assert "完成年初预算的93.17%" in text
    assert "- 3 -" not in text


def test_page_break_before_an_indented_paragraph_breaks():
    lines = [
        full(FILLER, 100, page=1),
        full(FILLER, 700, page=1),
        line("新的一段。", 72, page=2, x=LEFT + 2 * CW),
        full(FILLER, 92, page=2),
    ]
    assert join_lines(lines).text.split("\n")[1] == "新的一段。"


def test_page_numbers_and_running_heads_are_dropped():
    lines = []
    for p in (1, 2, 3):
        lines += [
            line("中共某某区委组织部2024年度部门决算", 40, page=p, x=LEFT + 8 * CW),
            full(FILLER, 100, page=p),
            line(f"第{p}段。", 120, page=p),
            line(f"第 {p} 页 共 3 页", 800, page=p, x=LEFT + 14 * CW),
        ]
    text = join_lines(lines).text
    assert "组织部2024" not in text
    assert "页" not in text
    assert text.count("第") == 3


def test_two_latin_words_keep_a_space():
    lines = [full(FILLER, 100), full("开展“小区BA”等活动，组织Summer", 120), line("Camp活动。", 140)]
    assert "Summer Camp" in join_lines(lines).text


def test_every_character_keeps_its_place():
    lines = [full(FILLER, 100), line("基本支出673.91万元。", 120), line("缩进段落。", 140, x=LEFT + 24)]
    s = join_lines(lines)
    assert len(s.text) == len(s.places)
    i = s.text.index("673.91万元")
    page, bbox = s.span(i, i + len("673.91万元"))
    expected = lines[1].span_bbox(4, 4 + len("673.91万元"))
    assert page == 1
    assert bbox == expected
    nl = s.text.index("\n")
    assert s.places[nl] == s.places[nl - 1]  # a joining newline takes the box of the char before it


def test_soft_wrap_false_keeps_every_line():
    lines = [full(FILLER, 100), full(FILLER, 120), line("末行", 140)]
    assert join_lines(lines, soft_wrap=False).text.count("\n") == 2


def test_large_gap_after_a_sentence_end_breaks():
    lines = [full(FILLER, 100), full(FILLER[:-1] + "。", 120), line("另一段没有缩进。", 200)]
    assert join_lines(lines).text.count("\n") == 1


def test_empty_input():
    assert join_lines([]).text == ""
    assert join_lines([]).text == ""


def test_paragraph_offsets():
    s = join_lines([full(FILLER, 100), line("一。", 120), line("二、标题", 140)])
    assert [s.text[a:b] for a, b in paragraphs(s)] == [FILLER + "一。", "二、标题"]


@pytest.mark.parametrize("seed", [seed_000_report, seed_001_juesuan, seed_001_report, seed_004_report])
def test_seed_paragraphs_survive_layout_and_join(seed):
    """Every seed paragraph (including those broken by a page break in the original) comes back whole."""
    paras = seed()
    stream = join_lines(typeset(paras))
    got = [p.replace(" ", "") for p in stream.text.split("\n")]
    want = ["".join(collapse(x).strip() for x in p.split("\f")).replace(" ", "") for p in paras]
    assert got == want


def test_a_ragged_line_before_a_wrapped_number_is_a_soft_wrap():
    """Left-aligned text wraps "8.02%。" whole: the line before ends short of the margin, yet the sentence goes
    on ("…增加120.35万元，增长" / "8.02%。其中：…")."""
    from core.documents.layout import Line
    from core.documents.paragraphs import join_lines

    def line(text: str, top: float, x0: float = 72.0, w: float = 12.0) -> Line:
        boxes = []
        x = x0
        for ch in text:
            cw = w if ord(ch) > 0x2e80 else w / 2
            boxes.append((x, top, x + cw, top + w))
            x += cw
        return Line(text=text, boxes=boxes, page=1)

    full = "本部门负责全县自然资源调查监测评价统一确权登记国土空间规划和用途管制等工作。"
    lines = [line(full, 100), line(full, 118), line(full, 136),
             line("本年度本部门收入合计1620.35万元，较上年度增加120.35万元，同比再增长", 154, x0=96),
             line("8.02%。其中：财政拨款收入1600.35万元。", 172)]
    text = join_lines(lines).text
    assert lines[3].boxes[-1][2] + 42 > lines[0].boxes[-1][2] > lines[3].boxes[-1][2] + 1.5 * 12  # short, but no room
    assert "再增长8.02%" in text
    # a line that ends a sentence short of the margin still ends its paragraph
    ended = join_lines([line(full, 100), line(full, 118), line(full, 136),
                        line("本年度本部门收入合计1620.35万元，较上年度增加120.35万元。", 154, x0=96),
                        line("2025年计划如下。", 172)]).text
    assert "万元。\n2025" in ended
