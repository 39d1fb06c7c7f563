"""Tests for core.numbers: printed text → Decimal, percent, count, target.  Inputs are in the tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.numbers import (
    NUMBER_RE,
    PLACEHOLDERS,
    Number,
    Quantity,
    Target,
    decimal_places,
    find_amounts,
    is_measured_value,
    is_placeholder,
    parse_amount,
    parse_chinese_int,
    parse_count,
    parse_count_ex,
    parse_percent,
    parse_target,
    round_half_up,
    target_met,
    to_wan,
    unit_from_header,
    unit_near,
)

D = Decimal

# ---------------------------------------------------------------------------------------------- placeholders


@pytest.mark.parametrize(
    "s",
    ["", " ", "—", "——", "-", "--", "/", "／", "－", "\u2212", "\u2013", "无", "空", "…", "……", "...", "— —",
     "—%", "-万元", "\u3000", "N/A"],
)
def test_is_placeholder_true(s: str) -> None:
    assert is_placeholder(s) is True


@pytest.mark.parametrize("s", ["0", "0.00", "-1", "0%", "好", "无偿", "2024年"])
def test_is_placeholder_false(s: str) -> None:
    assert is_placeholder(s) is False


def test_placeholders_constant_are_all_placeholders() -> None:
    assert all(is_placeholder(p) for p in PLACEHOLDERS)


# ---------------------------------------------------------------------------------------------- parse_amount


@pytest.mark.parametrize(
    ("raw", "value", "unit"),
    [
        ("22,573,934.55", D("22573934.55"), ""),
        ("22, 573, 934. 55", D("22573934.55"), ""),
        ("２２，５７３，９３４．５５", D("22573934.55"), ""),
        ("２２５７．３９万元", D("2257.39"), "万元"),
        ("2257.39 万 元", D("2257.39"), "万元"),
        ("2257.39万元", D("2257.39"), "万元"),
        ("（123.00）", D("-123.00"), ""),
        ("(123.00)", D("-123.00"), ""),
        ("(1,234.50)", D("-1234.50"), ""),
        ("-123.5", D("-123.5"), ""),
        ("\u2212123.5", D("-123.5"), ""),
        ("－123.5", D("-123.5"), ""),
        ("- 123.5", D("-123.5"), ""),
        ("+5", D("5"), ""),
        ("0.00", D("0.00"), ""),
        ("0", D("0"), ""),
        ("1,361.52", D("1361.52"), ""),
        ("4.8279亿元", D("4.8279"), "亿元"),
        ("1.2万", D("1.2"), "万"),
        ("821.4", D("821.4"), ""),
        ("￥1,000.00", D("1000.00"), ""),
        ("¥1,000.00", D("1000.00"), ""),
        ("1000元", D("1000"), "元"),
        ("21人", D("21"), "人"),
        ("179人次", D("179"), "人次"),
        ("88.23%", D("88.23"), "%"),
        ("88. 23 %", D("88.23"), "%"),
        (".5", D(".5"), ""),
        ("  3, 212, 936. 97  ", D("3212936.97"), ""),
        ("30, 000. 00", D("30000.00"), ""),
        ("1, 234", D("1234"), ""),
    ],
)
def test_parse_amount(raw: str, value: Decimal, unit: str) -> None:
    n = parse_amount(raw)
    assert n is not None
    assert (n.value, str(n.value), n.unit, n.raw) == (value, str(value), unit, raw)


def test_parse_amount_default_unit_only_when_none_printed() -> None:
    assert parse_amount("264.87", default_unit="万元") == Number(D("264.87"), "万元", "264.87")
    assert parse_amount("264.87元", default_unit="万元") == Number(D("264.87"), "元", "264.87元")


@pytest.mark.parametrize(
    "raw",
    ["", "—", "-", "--", "/", "无", "…", "4月1日之前", "好", "abc", "264.87 264.87", "2024年", "12月31日",
     "1,36,152", "(123.00", "123.00)", "1.2.3", "约100万元", "≥95%", "2, 3", "—123", "1 234.56", "-(123)",
     "(-123)"],
)
def test_parse_amount_none(raw: str) -> None:
    assert parse_amount(raw) is None


def test_parse_amount_keeps_printed_digits() -> None:
    assert str(parse_amount("821.4").value) == "821.4"  # type: ignore[union-attr]
    assert str(parse_amount("100.00").value) == "100.00"  # type: ignore[union-attr]


_money = st.decimals(min_value=D("-99999999999.99"), max_value=D("99999999999.99"), places=2,
                     allow_nan=False, allow_infinity=False)

_FULLWIDTH = str.maketrans("0123456789,.-", "０１２３４５６７８９，．－")


@given(_money)
def test_parse_amount_roundtrip_thousands(d: Decimal) -> None:
    assert parse_amount(f"{d:,.2f}").value == d  # type: ignore[union-attr]


@given(_money)
def test_parse_amount_roundtrip_spaced_thousands(d: Decimal) -> None:
    printed = f"{d:,.2f}".replace(",", ", ").replace(".", ". ")
    assert parse_amount(printed).value == d  # type: ignore[union-attr]


@given(_money)
def test_parse_amount_roundtrip_fullwidth(d: Decimal) -> None:
    printed = f"{d:,.2f}".translate(_FULLWIDTH)
    assert parse_amount(printed).value == d  # type: ignore[union-attr]


@given(_money)
def test_parse_amount_roundtrip_accounting_negative(d: Decimal) -> None:
    printed = f"({abs(d):,.2f})"
    assert parse_amount(printed).value == -abs(d)  # type: ignore[union-attr]


@given(_money, st.sampled_from(["元", "万元", "亿元"]))
def test_parse_amount_roundtrip_with_unit(d: Decimal, unit: str) -> None:
    n = parse_amount(f"{d:.2f} {unit[0]} {unit[1:]}".replace("  ", " "))
    assert n is not None and (n.value, n.unit) == (d, unit)


# ---------------------------------------------------------------------------------------------- find_amounts


def _found(text: str) -> list[tuple[str, Decimal, str]]:
    return [(text[s:e], n.value, n.unit) for s, e, n in find_amounts(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2024年度收、支总计2257.39万元。与上年相比，减少887.65万元，减少28.22%",
            [("2257.39万元", D("2257.39"), "万元"), ("887.65万元", D("887.65"), "万元"), ("28.22%", D("28.22"), "%")],
        ),
        (
            "其中：基本支出673.91万元，占29.85%；项目支出1583.48万元，占70.15%。",
            [("673.91万元", D("673.91"), "万元"), ("29.85%", D("29.85"), "%"),
             ("1583.48万元", D("1583.48"), "万元"), ("70.15%", D("70.15"), "%")],
        ),
        ("占比分别为29.85%,70.15%", [("29.85%", D("29.85"), "%"), ("70.15%", D("70.15"), "%")]),
        ("比上年增加4575.4万元", [("4575.4万元", D("4575.4"), "万元")]),
        ("收入２２５７．３９ 万 元", [("２２５７．３９ 万 元", D("2257.39"), "万元")]),
        ("合计22, 573, 934. 55元", [("22, 573, 934. 55元", D("22573934.55"), "元")]),
        # grouped by spaces: one amount when the groups end in decimals and a money unit, else separate numbers
        ("本年支出合计 1 001 200.00 元，", [("1 001 200.00 元", D("1001200.00"), "元")]),
        ("基本支出8 234 567.80万元", [("8 234 567.80万元", D("8234567.80"), "万元")]),
        ("612 名干部 3 100", [("612 名", D("612"), "名"), ("3", D("3"), ""), ("100", D("100"), "")]),
        ("得分 12 345.00分", [("12", D("12"), ""), ("345.00分", D("345.00"), "分")]),
        ("公务接待8批次及人数75余人", [("8批次", D("8"), "批次"), ("75余人", D("75"), "人")]),
        ("减少-11.10%", [("-11.10%", D("-11.10"), "%")]),
        ("增长百分之12.5", [("百分之12.5", D("12.5"), "%")]),
        ("资产总额4.8279亿元", [("4.8279亿元", D("4.8279"), "亿元")]),
        ("实有人数61人", [("61人", D("61"), "人")]),
        ("占 76.23", [("76.23", D("76.23"), "")]),
        # not amounts: years, dates, ordinals, enumerations, codes
        ("2024年", []),
        ("2023-2024年度", []),
        ("12月31日前完成", []),
        ("见第2页", []),
        ("1、部门基本情况", []),
        ("概况\n2.主要职能", []),
        ("(1)项目支出", []),
        ("行政运行(2013201)", []),
        ("代码019999", []),
        ("截至2024.12.31", []),
        ("面积100m2", [("100m2", D("100"), "m2")]),
        ("型号A1与GB2312", []),
        ("", []),
    ],
)
def test_find_amounts(text: str, expected: list[tuple[str, Decimal, str]]) -> None:
    assert _found(text) == expected


def test_find_amounts_raw_is_the_printed_span() -> None:
    text = "支出　２，９１０．００元。"
    [(s, e, n)] = find_amounts(text)
    assert (text[s:e], n.raw, n.value) == ("２，９１０．００元", "２，９１０．００元", D("2910.00"))


def test_number_re_matches_grouped_and_plain() -> None:
    assert [m.group("num") for m in NUMBER_RE.finditer("合计22,573,934.55与1.5及2,3")] == [
        "22,573,934.55", "1.5", "2", "3"]


# ---------------------------------------------------------------------------------------------- parse_percent


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("88.23%", "88.23"),
        ("８８．２３％", "88.23"),
        ("88.23 %", "88.23"),
        ("88. 23 %", "88.23"),
        ("百分之88.23", "88.23"),
        ("百分之八十", "80"),
        ("占 76.23", "76.23"),
        ("76.23", "76.23"),
        ("100.00%", "100.00"),
        ("100%", "100"),
        ("-11.10%", "-11.10"),
        ("0.00%", "0.00"),
        ("完成年初预算的98.69%", "98.69"),
        ("≥95%", "95"),
    ],
)
def test_parse_percent(raw: str, expected: str) -> None:
    value = parse_percent(raw)
    assert value is not None and str(value) == expected


@pytest.mark.parametrize("raw", ["—", "-", "", "/", "好", "88%与90%", "3人10次"])
def test_parse_percent_none(raw: str) -> None:
    assert parse_percent(raw) is None


# ---------------------------------------------------------------------------------------------- counts


@pytest.mark.parametrize(
    ("raw", "value", "unit", "approx", "multiplied"),
    [
        ("179人次", "179", "人次", False, False),
        ("21人", "21", "人", False, False),
        ("8场", "8", "场", False, False),
        ("4次", "4", "次", False, False),
        ("1.2万名", "12000", "名", False, True),
        ("1.65 万人次", "16500", "人次", False, True),
        ("1.65万人次", "16500", "人次", False, True),
        ("15000余人次", "15000", "人次", True, False),
        ("约200人", "200", "人", True, False),
        ("200人左右", "200", "人", True, False),
        ("1.5万余人", "15000", "人", True, True),
        ("两名", "2", "名", False, False),
        ("三批", "3", "批", False, False),
        ("十四", "14", "", False, False),
        ("50", "50", "", False, False),
        ("２１人", "21", "人", False, False),
        ("共12个", "12", "个", False, False),
    ],
)
def test_parse_count_ex(raw: str, value: str, unit: str, approx: bool, multiplied: bool) -> None:
    q = parse_count_ex(raw)
    assert q == Quantity(D(value), unit, raw, approx, multiplied)
    assert str(q.value) == value  # type: ignore[union-attr]


def test_parse_count_returns_number() -> None:
    assert parse_count("1.65 万人次") == Number(D("16500"), "人次", "1.65 万人次")


@pytest.mark.parametrize("raw", ["—", "", "1000元", "90%", "abc", "4月1日", "264.87 264.87"])
def test_parse_count_none(raw: str) -> None:
    assert parse_count(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("零", 0), ("〇", 0), ("一", 1), ("两", 2), ("三", 3), ("十", 10), ("十四", 14), ("二十", 20), ("二十五", 25),
     ("一百", 100), ("一百零五", 105), ("一百一十", 110), ("三千二百", 3200), ("九千九百九十九", 9999),
     ("一千零一", 1001), ("二〇二四", 2024), ("贰拾", 20), ("一万", 10000), ("一万二千", 12000), ("十万", 100000)],
)
def test_parse_chinese_int(raw: str, expected: int) -> None:
    assert parse_chinese_int(raw) == expected


@pytest.mark.parametrize("raw", ["", "百", "三四", "十十", "二千千", "三批", "abc", "12", "万"])
def test_parse_chinese_int_none(raw: str) -> None:
    assert parse_chinese_int(raw) is None


# ---------------------------------------------------------------------------------------------- targets


@pytest.mark.parametrize(
    ("raw", "comparator", "value", "unit", "kind"),
    [
        ("≥50人次", ">=", "50", "人次", "number"),
        ("＞95", ">", "95", "", "number"),
        ("≦67.51 万元", "<=", "67.51", "万元", "number"),
        ("≥90%", ">=", "90", "%", "percent"),
        ("≥ 95 %", ">=", "95", "%", "percent"),
        ("608.54 万元", "=", "608.54", "万元", "number"),
        ("100%", "=", "100", "%", "percent"),
        ("≤1363.38万元", "<=", "1363.38", "万元", "number"),
        ("≧5场", ">=", "5", "场", "number"),
        (">=80%", ">=", "80", "%", "percent"),
        ("＜5%", "<", "5", "%", "percent"),
        ("不低于90%", ">=", "90", "%", "percent"),
        ("不少于4次", ">=", "4", "次", "number"),
        ("50人以上", ">=", "50", "人", "number"),
        ("达到100%", ">=", "100", "%", "percent"),
        ("不高于5%", "<=", "5", "%", "percent"),
        ("不超过10万元", "<=", "10", "万元", "number"),
        ("控制在20%以内", "<=", "20", "%", "percent"),
        ("5人以下", "<=", "5", "人", "number"),
        ("大于3", ">", "3", "", "number"),
        ("高于95%", ">", "95", "%", "percent"),
        ("小于2", "<", "2", "", "number"),
        ("低于5%", "<", "5", "%", "percent"),
        ("满意度≥90%", ">=", "90", "%", "percent"),
        ("≥1.65万人次", ">=", "1.65", "万人次", "number"),
        ("副科级以上干部培训50人", "=", "50", "人", "number"),
        ("50人及以上", ">=", "50", "人", "number"),
    ],
)
def test_parse_target_numeric(raw: str, comparator: str, value: str, unit: str, kind: str) -> None:
    t = parse_target(raw)
    assert (t.comparator, t.value, t.unit, t.kind) == (comparator, D(value), unit, kind)
    assert str(t.value) == value


@pytest.mark.parametrize(
    ("raw", "comparator", "kind"),
    [
        ("4月1日之前", "<=", "date"),
        ("12月31日前", "<=", "date"),
        ("年底前", "<=", "date"),
        ("按时", "<=", "date"),
        ("按时完成", "<=", "date"),
        ("2024年12月31日", "=", "date"),
        ("好", "=", "text"),
        ("优", "=", "text"),
        ("达标", "=", "text"),
        ("高层次人才≥50人，区级优秀青年人才≥500人，技能人才≥5人。", "", "text"),
        ("90%-100%", "", "text"),
        ("—", "", "text"),
    ],
)
def test_parse_target_non_numeric(raw: str, comparator: str, kind: str) -> None:
    t = parse_target(raw)
    assert (t.comparator, t.value, t.kind) == (comparator, None, kind)


def test_parse_target_keeps_normalised_text() -> None:
    assert parse_target("≦67.51 万元").text == "≦67.51万元"


@pytest.mark.parametrize(
    ("target", "actual", "expected"),
    [
        ("≥50人次", "179人次", True),
        ("≥5场", "8场", True),
        ("≥90%", "100%", True),
        ("≥90%", "85%", False),
        ("≦67.51 万元", "65.37 万元", True),
        ("≤1363.38万元", "1400万元", False),
        ("≤1363.38万元", "13633800元", True),
        ("≤1363.38万元", "13633801元", False),
        ("≤1万元", "0.0001亿元", True),
        (">95", "96", True),
        (">95", "95", False),
        ("<5%", "4.99%", True),
        ("95%", "95", True),  # one side has no unit: compare the numbers
        ("≥1000人次", "15000人次", True),
        ("≥1.5万人次", "15000人次", True),
        ("≥1.5万人次", "14999人次", False),
        ("100%", "100.00%", True),
        ("100%", "98%", False),
        # undecidable
        ("≥95%", "＞95", None),  # actual written like a target
        ("≥90%", "≥95%", None),
        ("≥50人", "50元", None),  # units that cannot be converted
        ("4月1日之前", "3月30日", None),
        ("好", "好", None),
        ("高层次人才≥50人，区级优秀青年人才≥500人", "61人", None),
        ("≥90%", "—", None),
    ],
)
def test_target_met(target: str, actual: str, expected: bool | None) -> None:
    assert target_met(parse_target(target), parse_target(actual)) is expected


def test_target_met_plain_as() -> None:
    assert target_met(parse_target("4次"), parse_target("5次")) is False
    assert target_met(parse_target("4次"), parse_target("5次"), plain_as=">=") is True


def test_target_met_accepts_hand_built_targets() -> None:
    target = Target(">=", D("90"), "%", "percent", "≥90%")
    assert target_met(target, Target("=", D("90.00"), "%", "percent", "")) is True


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("≥95%", False), ("＞95", False), (">95", False), ("≤10万元", False), ("不低于90%", False), ("100%以上", False),
     ("—", False), ("", False),
     ("控制在20%以内", False),
     ("完成全区副科级以上 612 名干部全覆盖", True), ("满意度高于上年", True),
     ("96%", True), ("15000人次", True), ("好", True), ("65.37 万元", True), ("达到95%", True), ("按时完成", True)],
)
def test_is_measured_value(raw: str, expected: bool) -> None:
    assert is_measured_value(raw) is expected


# ---------------------------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("金额单位：元", "元"),
        ("单位：万元", "万元"),
        ("单位:万元", "万元"),
        ("单位: 元", "元"),
        ("(万元)", "万元"),
        ("（万元）", "万元"),
        ("金额单位:万元", "万元"),
        ("单位：万 元", "万元"),
        ("单 位 ： 万 元", "万元"),
        ("单位：万\n元", "万元"),
        ("单位：亿元", "亿元"),
        ("单位：人民币元", "元"),
        ("填报单位：中共某区委组织部 单位:万元", "万元"),
        ("附件3: 部门整体支出绩效评价基础数据表 填报单位: 单位:万元", "万元"),
        ("填报单位：元宝区财政局", ""),
        ("部门整体支出绩效评价基础数据表", ""),
        ("", ""),
    ],
)
def test_unit_from_header(header: str, expected: str) -> None:
    assert unit_from_header(header) == expected


@pytest.mark.parametrize(
    ("text", "pos", "expected"),
    [("2257.39万元", 0, "万元"), ("2,910.00元", 0, "元"), ("2,910.00元", 8, "元"), ("支出4.8亿元", 2, "亿元"),
     ("2257.39 万元", 0, "万元"), ("61人", 0, ""), ("88.23%", 0, ""), ("264.87", 0, "")],
)
def test_unit_near(text: str, pos: int, expected: str) -> None:
    assert unit_near(text, pos) == expected


# ---------------------------------------------------------------------------------------------- arithmetic


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [("22573934.55", "元", "2257.393455"), ("2257.39", "万元", "2257.39"), ("4.8279", "亿元", "48279.0000"),
     ("12345", "千元", "1234.5"), ("0.00", "元", "0.0000")],
)
def test_to_wan(value: str, unit: str, expected: str) -> None:
    assert to_wan(D(value), unit) == D(expected)


def test_to_wan_rejects_non_money() -> None:
    with pytest.raises(ValueError):
        to_wan(D("1"), "人")


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [("2257.393455", 2, "2257.39"), ("0.005", 2, "0.01"), ("0.015", 2, "0.02"), ("-0.005", 2, "-0.01"),
     ("88.235", 2, "88.24"), ("1.5", 0, "2"), ("2.5", 0, "3"),
     ("1234567890123456789.125", 2, "1234567890123456789.13")],
)
def test_round_half_up(value: str, places: int, expected: str) -> None:
    assert str(round_half_up(D(value), places)) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [("88.230", 3), ("100", 0), ("1E+2", 0), ("0.5", 1), ("-11.10", 2)]
)
def test_decimal_places(value: str, expected: int) -> None:
    assert decimal_places(D(value)) == expected


# ---------------------------------------------------------------------------------------------- robustness

_messy = st.lists(
    st.sampled_from(list("0123456789,.，．%％ -－—()（）万元亿人次≥≤＞<年月日第、:：\t\n一二十百余约") + ["(cid:3)"]),
    max_size=30,
).map("".join)


@given(_messy)
def test_parsers_never_raise(s: str) -> None:
    parse_amount(s)
    parse_percent(s)
    parse_count_ex(s)
    t = parse_target(s)
    target_met(t, parse_target(s[::-1]))
    is_measured_value(s)
    is_placeholder(s)
    unit_from_header(s)
    for start, end, n in find_amounts(s):
        assert 0 <= start < end <= len(s)
        assert n.raw == s[start:end]


@given(_money)
def test_find_amounts_finds_a_formatted_amount_in_a_sentence(d: Decimal) -> None:
    text = f"本年支出合计{d:,.2f}万元，完成预算。"
    assert [(n.value, n.unit) for _, _, n in find_amounts(text)] == [(d, "万元")]


@given(st.decimals(min_value=D("0"), max_value=D("999999999.99"), places=2))
def test_to_wan_then_back_is_exact(d: Decimal) -> None:
    assert to_wan(d, "元") * 10000 == d
