"""Tests for core.text: every input is in the test, so each case documents its rule."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.text import (
    collapse,
    collapse_spacing,
    is_cjk,
    is_garbled,
    label_key,
    normalize,
    normalize_chars,
    normalize_with_index,
)

# ---------------------------------------------------------------------------------------------- normalize


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("２２５７．３９", "2257.39"),
        ("，", ","),
        ("：", ":"),
        ("（", "("),
        ("）", ")"),
        ("％", "%"),
        ("＞９５", ">95"),
        ("８８．２３％", "88.23%"),
        ("ＡＢＣａｂｃ", "ABCabc"),
        ("㎡", "m2"),
        ("⑴", "(1)"),
        ("㈠", "(一)"),
        # Chinese punctuation NFKC keeps stays as printed
        ("、。“”《》〔〕【】", "、。“”《》〔〕【】"),
        # comparators NFKC does not touch stay as printed
        ("≥≤≦≧", "≥≤≦≧"),
        # … and circled numbers are kept (NFKC would give "..." and a bare digit)
        ("……", "……"),
        ("①公车", "①公车"),
        # radicals supplement → ordinary ideographs
        ("部\u2ed4", "部门"),
        ("公务用\u2ecb", "公务用车"),
        ("\u2ed3期", "长期"),
        (
            "\u2ec5\u2ec9\u2edb\u2edc\u2edd\u2ee9\u2ee2\u2eec\u2eee\u2ef0\u2ec6\u2ec4\u2ed8\u2ed9\u2eda",
            "见贝风飞食黄马齐齿龙角西青韦页",
        ),
        # Kangxi radicals: NFKC, with traditional/variant results overridden
        ("\u2f00\u2f08\u2fa6", "一人金"),
        ("\u2fc8\u2fad\u2fa8", "黄青门"),
        # zero-width and format characters are removed
        ("本\u200b年\u200c收\u200d入\ufeff", "本年收入"),
        ("soft\u00adhyphen", "softhyphen"),
        # spaces
        ("a\u00a0b\u3000c\u2002d", "a b c d"),
        ("a\tb\nc", "a\tb\nc"),
        ("a\r\nb\rc", "a\nb\nc"),
        # dashes: long → "—", short and minus → "-"
        ("\u2014", "—"),
        ("\u2015", "—"),
        ("\u2014\u2014", "——"),
        ("\u2e3a", "——"),
        ("\u2212123.5", "-123.5"),
        ("\uff0d123.5", "-123.5"),
        ("\u2013123.5", "-123.5"),
        ("\ufe63", "-"),
        ("2023\u20132024", "2023-2024"),
        ("", ""),
    ],
)
def test_normalize(raw: str, expected: str) -> None:
    assert normalize(raw) == expected


def test_normalize_is_idempotent_on_a_mixed_line() -> None:
    once = normalize("２０２４年度　收入合计：２２５７．３９万元（\u2ed4）—\u2212５")
    assert normalize(once) == once


@given(st.text(max_size=40))
def test_normalize_idempotent(s: str) -> None:
    once = normalize(s)
    assert normalize(once) == once


@given(st.text(max_size=40))
def test_normalize_chars_matches_normalize(s: str) -> None:
    chars = [(c, (float(i), 0.0, float(i) + 1, 1.0)) for i, c in enumerate(s)]
    text, boxes = normalize_chars(chars)
    assert text == normalize(s)
    assert len(boxes) == len(text)


def test_normalize_chars_expands_and_drops_boxes() -> None:
    b1, b2, b3 = (1.0, 2.0, 3.0, 4.0), (5.0, 6.0, 7.0, 8.0), (9.0, 10.0, 11.0, 12.0)
    text, boxes = normalize_chars([("㎡", b1), ("\u200b", b2), ("\u2ed4", b3)])
    assert (text, boxes) == ("m2门", [b1, b1, b3])


def test_normalize_chars_multi_char_item_keeps_its_box() -> None:
    b = (1.0, 1.0, 2.0, 2.0)
    assert normalize_chars([("ﬁ", b)]) == ("fi", [b, b])


# ---------------------------------------------------------------------------------------------- is_cjk


@pytest.mark.parametrize(
    ("ch", "expected"),
    [("门", True), ("、", True), ("。", True), ("“", True), ("《", True), ("\u2ed4", True), ("𠀀", True),
     ("a", False), ("1", False), (",", False), ("—", False), ("…", False), (" ", False), ("", False)],
)
def test_is_cjk(ch: str, expected: bool) -> None:
    assert is_cjk(ch) is expected


# ---------------------------------------------------------------------------------------------- collapse


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # 1. letter-spacing between CJK
        ("本 年 收 入 合 计", "本年收入合计"),
        ("万 元", "万元"),
        ("合计 (万元)", "合计(万元)"),
        ("单位 : 万 元", "单位:万元"),
        ("收入 , 比上年", "收入,比上年"),
        ("“ 三公 ” 经费", "“三公”经费"),
        # 2. inside numbers
        ("22, 573, 934. 55", "22,573,934.55"),
        ("30, 000. 00", "30,000.00"),
        ("1, 234. 00", "1,234.00"),
        ("1, 361, 520", "1,361,520"),
        ("934. 55", "934.55"),
        ("934 . 55", "934.55"),
        ("88. 23 %", "88.23%"),
        ("3, 212, 936. 97 3, 212, 936. 97", "3,212,936.97 3,212,936.97"),
        # a list and a lone group stay as printed
        ("2, 3", "2, 3"),
        ("1, 234", "1, 234"),
        ("1. 2024年", "1. 2024年"),
        ("1. 55岁以上", "1. 55岁以上"),
        # 3. number and its unit
        ("2257.39 万 元", "2257.39万元"),
        ("2257.39 万元，比上年", "2257.39万元,比上年"),
        ("88.23 %", "88.23%"),
        ("50 人次", "50人次"),
        ("1.65 万人次", "1.65万人次"),
        ("8 场。", "8场。"),
        ("264.87 人员经费", "264.87 人员经费"),
        # comparator glued to its number
        ("≥ 95 %", "≥95%"),
        # 4. dates
        ("2024 年 12 月 31 日", "2024年12月31日"),
        ("2023 年部门决算", "2023年部门决算"),
        ("12 月 31 日前", "12月31日前"),
        ("2 0 2 4 年 度", "2024年度"),
        # 5. kept: space before a number, two numbers, tabs between CJK
        ("一般公共服务支出 264.87", "一般公共服务支出 264.87"),
        ("264.87 264.87", "264.87 264.87"),
        ("占 76.23", "占 76.23"),
        ("行政运行\t一般行政", "行政运行\t一般行政"),
        ("合计\t \t22,573,934.55", "合计\t22,573,934.55"),
        ("2257.39\t万元", "2257.39\t万元"),
        ("PDF 文件", "PDF 文件"),
        ("合计 — —", "合计 — —"),
        # runs, leading and trailing whitespace
        ("  a    b  ", "a b"),
        ("第一段 \n 第二段", "第一段\n第二段"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_collapse(raw: str, expected: str) -> None:
    assert collapse(raw) == expected


def test_collapse_normalises_first() -> None:
    assert collapse("２２，　５７３，　９３４．　５５") == "22,573,934.55"


def test_collapse_spacing_keeps_boxes_aligned() -> None:
    text = "本 年 2257.39 万 元"
    boxes = [(float(i), 0.0, float(i) + 1, 1.0) for i in range(len(text))]
    out, out_boxes = collapse_spacing(text, boxes)
    assert out == "本年 2257.39万元"
    assert out_boxes is not None
    assert [b[0] for b in out_boxes] == [float(text.index(c, i)) for c, i in _walk(text, out)]


def _walk(text: str, out: str) -> list[tuple[str, int]]:
    """(char, search start) pairs that find each kept output char in the input in order."""
    pairs = []
    pos = 0
    for c in out:
        pos = text.index(c, pos)
        pairs.append((c, pos))
        pos += 1
    return pairs


def test_collapse_spacing_without_boxes() -> None:
    assert collapse_spacing("万 元") == ("万元", None)


def test_collapse_spacing_rejects_misaligned_boxes() -> None:
    with pytest.raises(ValueError):
        collapse_spacing("ab", [(0.0, 0.0, 1.0, 1.0)])


@given(st.text(alphabet=st.sampled_from(list("本年收入 0123456789,.%万元\t\n")), max_size=40))
def test_collapse_spacing_boxes_always_aligned(s: str) -> None:
    boxes = [(float(i), 0.0, float(i) + 1, 1.0) for i in range(len(s))]
    out, out_boxes = collapse_spacing(s, boxes)
    assert out_boxes is not None and len(out_boxes) == len(out)
    # only whitespace is ever removed: the non-space characters survive in order
    assert [c for c in out if not c.isspace()] == [c for c in s if not c.isspace()]
    # and every kept character keeps its own box
    for c, b in zip(out, out_boxes):
        if not c.isspace():
            assert s[int(b[0])] == c


def test_normalize_with_index_maps_back() -> None:
    raw = "收入　２２５７．３９ 万 元"
    text, index = normalize_with_index(raw)
    assert text == "收入 2257.39万元"
    assert raw[index[text.index("2")]] == "２"
    assert len(index) == len(text)


# ---------------------------------------------------------------------------------------------- label_key


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("1、公务用车购置和维护经费", "公务用车购置和维护经费"),
        ("公务用车购置和维护经费", "公务用车购置和维护经费"),
        ("其中：公车购置", "公车购置"),
        ("其中:公车购置", "公车购置"),
        ("项目支出：", "项目支出"),
        ("纳入专户管理的非税收入拨款：", "纳入专户管理的非税收入拨款"),
        ("1.公务接待费", "公务接待费"),
        ("(1)公务接待费", "公务接待费"),
        ("（一）公务接待费", "公务接待费"),
        ("一、部门基本情况", "部门基本情况"),
        ("十二、其他", "其他"),
        ("①公务接待费", "公务接待费"),
        ("1.2 公务接待费", "公务接待费"),
        ("1.1公务接待费", "公务接待费"),
        ("其中：1、公务接待费（万元）", "公务接待费"),
        ("本 年 收 入 合 计", "本年收入合计"),
        ("预算执行率（%）", "预算执行率"),
        ("办公用房面积（㎡）", "办公用房面积"),
        ("“三公”经费", "三公经费"),
        ("一般公共服务（类）支出", "一般公共服务类支出"),
        ("2024年实际在职人数", "2024年实际在职人数"),
        ("其中", "其中"),
        ("3 、公务接待", "公务接待"),  # a producer that spaces the numbering
        ("一 、部门基本情况", "部门基本情况"),
        ("", ""),
    ],
)
def test_label_key(label: str, expected: str) -> None:
    assert label_key(label) == expected


def test_label_key_matches_synonym_spellings() -> None:
    assert label_key("1、公务用车购置和维护经费") == label_key("公务用车购置和维护经费：")
    assert label_key("（二）项目支出（万元）") == label_key("项目支出")


# ---------------------------------------------------------------------------------------------- is_garbled


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(cid:12)(cid:34)", True),
        ("(cid:1)(cid:2)(cid:3) 2024 (cid:4)(cid:5)", True),
        ("\ue001\ue002\ue003\ue004", True),
        ("\ufffd\ufffd\ufffd", True),
        ("\x01\x02\x03abc", True),
        ("ÐÂ½¨ÎÄ¼þ¼Ð", True),
        ("2024年度收入合计2257.39万元", False),
        ("Department budget report 2024", False),
        ("正常文本\ue001" + "共计" * 20, False),
        ("行政运行\t3,212,936.97\n", False),
        ("", False),
        ("   ", False),
    ],
)
def test_is_garbled(text: str, expected: bool) -> None:
    assert is_garbled(text) is expected


def test_radical_table_targets_are_ordinary_ideographs() -> None:
    for cp in range(0x2E80, 0x2FE0):
        out = normalize(chr(cp))
        if out != chr(cp):
            assert len(out) == 1 and unicodedata.category(out) == "Lo", hex(cp)


@given(st.text(alphabet=st.sampled_from(list("本年收入合计万元 0123456789,.%:()\t\n—")), max_size=40))
def test_collapse_is_idempotent(s: str) -> None:
    once = collapse(s)
    assert collapse(once) == once
