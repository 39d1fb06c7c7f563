"""Printed text → numbers: amounts, percents, counts, indicator targets, units, Chinese numerals.

Why this module exists: the same quantity is printed as "22, 573, 934. 55", "２２５７．３９万元", "（123.00）",
"≥95%", "＞95", "1.65 万人次" or "—", and every extractor and check must read it the same way, keeping the
exact printed digits (``Decimal("821.4")``, never a float).  One module owns those rules so a fix lands
everywhere.

What it must not do: use ``float`` for money; guess a unit that is not printed (the caller passes
``default_unit`` from the table header, see ``unit_from_header``); silently convert between 元 and 万元
(only ``to_wan`` and ``target_met`` convert, explicitly); know about documents or fields.  Functions never
raise on bad text: they return ``None`` (or ``""``/``False``) instead.

Decisions other modules rely on:

* A placeholder ("—", "-", "/", "无", "…", empty) is "no value", never zero; "0.00" is zero.
* "(123.00)" and "（123.00）" are accounting negatives: -123.00.
* Counts multiply out 万/亿/千 ("1.65万人次" → 16500 人次); amounts never do ("1.2万" → 1.2 with unit "万").
* ``find_amounts`` skips years ("2024年", "2023-2024年", and 1900–2099 followed by a Chinese word:
  "2024预算数"), month/day numbers ("12月31日"), ordinals and annex numbers ("第2页", "附件2"), enumeration
  numbers ("1、", "1." at a line start, "(1)"), integers in brackets ("(2013201)"), integers with a
  leading zero ("019999", "0730"), unit-less integers of six or more digits (classification codes, phone
  numbers: amounts print decimals or a unit), and dotted dates ("2024.12.31").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext

from core.text import collapse, is_ideograph, normalize_with_index

# --------------------------------------------------------------------------------------------------
# units

MONEY_UNITS: tuple[str, ...] = ("亿元", "万元", "千元", "元")
"""Money units, longest first."""

COUNT_UNITS: tuple[str, ...] = (
    "人次", "个月", "批次", "平方米", "小时", "课时", "学时", "户次", "场次", "人", "次", "场", "个", "名", "户",
    "家", "项", "件", "篇", "期", "批", "所", "台", "辆", "套", "天", "倍", "岁", "吨", "亩", "条", "本", "份",
    "座", "处", "册", "分钟", "分", "位", "块", "张", "间", "栋", "m2",
)
"""Units printed after a count, longest first within each shared prefix."""

_MULTIPLIERS = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000), "百": Decimal(100)}
_MONEY_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}

_COUNT_ALT = "|".join(sorted(COUNT_UNITS, key=len, reverse=True))
_UNIT_RE = rf"(?:%|‰|元|[万亿千](?:元|{_COUNT_ALT})?|{_COUNT_ALT})"
# in running text a unit may follow an approximation mark: "1.7万余名", "735余万元"
_UNIT_TAIL = rf"(?:%|‰|元|[万亿千](?:[余多])?(?:元|{_COUNT_ALT})?|{_COUNT_ALT})"

# --------------------------------------------------------------------------------------------------
# placeholders

PLACEHOLDERS: frozenset[str] = frozenset(
    {
        "", "—", "——", "———", "-", "--", "---", "/", "／", "－", "－－", "―", "–", "−", "\\", "无", "空",
        "暂无", "不适用", "略", "…", "……", "...", "......", "N/A", "n/a", "NA", "null", "None", "_", "__",
    }
)
"""Printed strings meaning "no value" (not zero).  ``is_placeholder`` also accepts any run of dashes or
dots, and a placeholder followed by a unit ("—%", "-万元")."""

_PLACEHOLDER_KEYS = frozenset(re.sub(r"\s+", "", collapse(p)) for p in PLACEHOLDERS)
_DASH_RUN = re.compile(r"[-—_.…/\\]+")
_TRAILING_UNIT = re.compile(r"(?:亿元|万元|千元|元|%|‰)$")


def is_placeholder(s: str) -> bool:
    """True when ``s`` means "no value": "—", "-", "/", "无", "…", empty, or one of those plus a unit."""
    if s is None:
        return True
    t = re.sub(r"\s+", "", collapse(s))
    if t in _PLACEHOLDER_KEYS or _DASH_RUN.fullmatch(t):
        return True
    core = _TRAILING_UNIT.sub("", t)
    return core != t and (core in _PLACEHOLDER_KEYS or bool(_DASH_RUN.fullmatch(core)))


# --------------------------------------------------------------------------------------------------
# records


@dataclass(frozen=True)
class Number:
    """A number as printed: exact ``value``, the ``unit`` printed after it ("" when none), ``raw`` text."""

    value: Decimal
    unit: str
    raw: str


@dataclass(frozen=True)
class Quantity:
    """A count with how it was printed: ``approx`` for "约/余/多/左右/以上", ``multiplier_applied`` when a
    printed 万/亿/千 was multiplied out ("1.65万人次" → 16500)."""

    value: Decimal
    unit: str
    raw: str
    approx: bool
    multiplier_applied: bool


@dataclass(frozen=True)
class Target:
    """An indicator value as printed in a 自评表 cell (年度指标值 or 实际完成值).

    ``comparator`` ∈ {">=", ">", "<=", "<", "=", ""} ("" for compound or empty text); ``kind`` ∈
    {"number", "percent", "date", "text"}; ``value``/``unit`` for number and percent kinds; ``text`` is the
    normalised printed text.
    """

    comparator: str
    value: Decimal | None
    unit: str
    kind: str
    text: str


# --------------------------------------------------------------------------------------------------
# amounts

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"

# an amount grouped by spaces ("12 345 678.90 元", a thin space printed as a space): groups of three after the
# first, decimals, and a money unit — without the unit or decimals the groups are separate numbers
_NUM_SPACED = r"\d{1,3}(?: \d{3})+\.\d{1,2}(?= ?(?:亿元|万元|千元|元))"

NUMBER_RE = re.compile(
    rf"(?<![0-9A-Za-z.])(?:(?P<sign>[-+])(?=\d))?(?P<num>{_NUM_SPACED}|{_NUM})(?![0-9]|\.[0-9])"
    rf"(?:(?P<sp1> ?)(?P<approx>余|多))?(?:(?P<sp2> ?)(?P<unit>{_UNIT_TAIL}))?"
)
"""A number in running normalised text (after ``core.text.collapse``), with optional sign, "余/多" and unit.

Groups: ``sign`` (only where "-"/"+" does not follow a digit or letter, so "2023-2024" is two numbers),
``num`` (digits with optional thousands commas and decimals), ``approx``, ``unit`` (may contain 余/多 after
万/亿: "万余名"), and ``sp1``/``sp2``: the single space allowed before ``approx``/``unit``.  It does not
match digits glued to a Latin letter ("m2" gives no "2", "A1" nothing) or the parts of a dotted date
("2024.12.31").  It does not exclude years or codes: ``find_amounts`` does that.
"""

_AMOUNT_FULL = re.compile(
    rf"(?P<sign>[-+])?(?P<open>\()?(?P<sign2>[-+])?(?P<num>{_NUM}|\.\d+)(?P<close>\))?(?P<unit>{_UNIT_RE})?"
)
_CURRENCY_PREFIX = re.compile(r"^(?:¥|￥|RMB|人民币)")


def _prep(s: str) -> str:
    """Normalise, collapse, and join spaces around a decimal point or comma between digits."""
    t = collapse(s)
    t = re.sub(r"(?<=\d)\s*([,.])\s*(?=\d)", r"\1", t)
    return t.strip()


def _decimal(num: str) -> Decimal | None:
    try:
        return Decimal(num.replace(",", "").replace(" ", ""))
    except InvalidOperation:
        return None


MAX_DIGITS = 15
"""Significant digits of the largest amount we read (999,999,999,999.99 元; the case JSON holds them exactly)."""


def parse_amount(s: str, default_unit: str = "") -> Number | None:
    """The one amount printed in ``s``, with exactly the printed digits, or ``None``.

    Accepts "22,573,934.55", "22, 573, 934. 55", "２２５７．３９万元", "(123.00)" (→ -123.00), "￥1,000.00",
    "4.8279亿元", "21人"; the unit is what is printed after the number, else ``default_unit``.  ``None`` for
    placeholders and for text that is not a single amount ("4月1日之前", "264.87 264.87", "abc").
    """
    if s is None:
        return None
    t = _prep(s)
    if is_placeholder(t):
        return None
    t = _CURRENCY_PREFIX.sub("", t).strip()
    t = re.sub(r"\s+", "", t) if re.fullmatch(r"[-+(\s]*[\d.,]+[)\s]*\D*", t) else t
    m = _AMOUNT_FULL.fullmatch(t)
    if not m:
        return None
    if bool(m.group("open")) != bool(m.group("close")):
        return None
    if (m.group("sign") and m.group("sign2")) or (m.group("open") and (m.group("sign") or m.group("sign2"))):
        return None  # "-(123)" / "(-123)": a sign and accounting brackets together is not one reading
    value = _decimal(m.group("num"))
    if value is None or len(value.as_tuple().digits) > MAX_DIGITS:
        return None  # no printed amount has more digits: a code, a phone number or garbage
    negative = bool(m.group("open")) or "-" in ((m.group("sign") or "") + (m.group("sign2") or ""))
    if negative:
        value = -value
    unit = m.group("unit") or default_unit
    return Number(value, unit, s)


# --------------------------------------------------------------------------------------------------
# finding numbers in running text


def _excluded(t: str, m: re.Match[str], unit: str) -> bool:
    """Whether a NUMBER_RE match in normalised text ``t`` is not an amount (see the module docstring)."""
    num = m.group("num")
    start, end = m.start("num"), m.end("num")
    before = t[start - 1] if start > 0 else ""
    after = t[end] if end < len(t) else ""
    after_word = t[end:].lstrip(" ")[:1]  # "9 月开展": letter-spacing around digits in running text
    plain_int = num.isdigit() and not m.group("sign")
    if plain_int and len(num) > 1 and num.startswith("0"):
        return True
    if plain_int and not unit and len(num) >= 6:
        return True  # codes and phone numbers: "2013201", "15111191516"; amounts print decimals or a unit
    if plain_int and len(num) == 4 and 1900 <= int(num) <= 2099:
        if after_word == "年" or re.match(r"[-~至到]\d{4}年", t[end:]):
            return True
        if not unit and is_ideograph(after_word):
            return True  # "2024预算数", "2024 加快发展": a year printed without 年
        if after and after in "./-" and re.match(r"[./-]\d{1,2}[./-]\d{1,2}", t[end:]):
            return True
    if not unit and m.group("approx") is None and after_word in ("月", "日", "号"):
        return True
    if t[:start].rstrip(" ").endswith(("第", "附件", "附表")):
        return True
    if plain_int and not unit:
        if before == "(" and after == ")":
            return True
        if after == "、" and len(num) <= 2:
            return True
        if after and after in ".)" and len(num) <= 2:
            line_start = t.rfind("\n", 0, start) + 1
            if t[line_start:start].strip(" #*\t") == "":
                return True
    return False


# Words that start with a count-unit character: after a space, "0 项目支出" is a value and the next cell.
_NOT_A_UNIT_WORDS = (
    "项目", "人员", "人民", "人事", "个人", "名称", "名单", "家庭", "场所", "所属", "所在", "期间", "期末", "期初",
    "批复", "批准", "台账", "条件", "条例", "本年", "本级", "本单位", "本部门", "份额", "处理", "位于", "分配",
    "分析", "分类", "分别", "户籍", "间接", "张贴", "次年", "座谈", "件数", "天然",
)


def _spaced_unit_ok(t: str, m: re.Match[str], unit: str) -> bool:
    """Whether a unit printed after a space belongs to the number ("612 名干部" yes, "264.87 人员经费" no).

    Money, percent and 万/亿-prefixed units always do; a plain count unit only after an integer and when the
    unit does not start a longer word.
    """
    base, factor = _unit_scale(unit)
    if base in ("元", "%", "") or factor != 1:
        return True
    if "." in m.group("num"):
        return False
    return not t.startswith(_NOT_A_UNIT_WORDS, m.start("unit"))


def find_amounts(text: str) -> list[tuple[int, int, Number]]:
    """Every number in running text with its span in ``text`` (start, end of number + unit) and value.

    Works on raw or normalised text: matching is done on the canonical form and spans are mapped back to
    ``text``.  Unit-less numbers are returned with unit ""; "百分之88.23" gives unit "%"; an approximation
    mark is dropped from the unit ("1.7 万余名" → 1.7, unit "万名"; ``Number.raw`` keeps it).  A single space
    may separate a number from its unit (PDFs space digits inside Chinese text: "612 名干部"), but for a
    count unit only after an integer, so a table line "264.87 人员经费" gives 264.87 without a unit.  Years,
    dates, ordinals, enumeration numbers and codes are skipped (module docstring).  In "2024年度收、支总计
    2257.39万元。与上年相比，减少887.65万元，减少28.22%" it returns 2257.39万元, 887.65万元 and 28.22%.
    """
    t, index = normalize_with_index(text)
    found: list[tuple[int, int, Number]] = []
    for m in NUMBER_RE.finditer(t):
        num = m.group("num")
        unit = re.sub("[余多]", "", m.group("unit") or "")
        end = m.end()
        if unit and (m.group("sp1") or m.group("sp2")) and not _spaced_unit_ok(t, m, unit):
            unit, end = "", m.end("num")
        if _excluded(t, m, unit):
            continue
        value = _decimal(num)
        if value is None:
            continue
        if m.group("sign") == "-":
            value = -value
        nstart = m.start()
        if not unit and t.endswith("百分之", 0, nstart):
            unit = "%"
            nstart -= 3
        start = index[nstart]
        stop = index[end - 1] + 1
        found.append((start, stop, Number(value, unit, text[start:stop])))
    return found


def unit_near(text: str, pos: int) -> str:
    """The money unit (元/万元/亿元/千元) printed right after the number at ``pos`` in normalised text, or "".

    ``pos`` may point at the number's first character or just after it ("2257.39万元" → "万元").
    """
    m = _SIGNED_NUM.match(text, pos)
    i = m.end() if m else pos
    u = _MONEY_AFTER.match(text, i)
    return re.sub(r"\s+", "", u.group(1)) if u else ""


_SIGNED_NUM = re.compile(rf"[-+]?(?:{_NUM})")
_MONEY_AFTER = re.compile(r"\s*(亿\s*元|万\s*元|千\s*元|元(?![旦月素宵]))")


_HEADER_UNIT = re.compile(r"(金额)?单位\s*[:]?\s*(?:人民币)?\s*(亿元|万元|千元|元)(?![/每])")  # not "元/人"
_BARE_UNIT = re.compile(r"[(\[]\s*(亿元|万元|千元|元)\s*[)\]]")


def unit_from_header(text: str) -> str:
    """The money unit a header line declares ("金额单位：元" → "元", "单位：万 元" → "万元", "（万元）"), or "".

    Takes the first "单位" declaration that names a money unit ("填报单位：某某局" is skipped), else a bare
    bracketed unit.  A unit split over lines ("单位：万\\n元") is joined.
    """
    t = collapse(text)
    t = re.sub(r"([万亿千])\s+元", r"\1元", t)
    for m in _HEADER_UNIT.finditer(t):
        unit = m.group(2)
        after = t[m.end() : m.end() + 1]
        # "单位：元宝区…" names an organisation, not a unit; "金额单位" is always a unit declaration
        if unit == "元" and not m.group(1) and re.match(r"[\u3400-\u9fff]", after):
            continue
        return unit
    m = _BARE_UNIT.search(t)
    return m.group(1) if m else ""


# --------------------------------------------------------------------------------------------------
# percents


def parse_percent(s: str) -> Decimal | None:
    """The percentage printed in ``s`` as a number (88.23 for "88.23%"), keeping printed precision.

    Accepts "88.23%", "８８．２３％", "88.23 %", "百分之88.23", "百分之八十", "-11.10%", and a short text
    with one bare number ("占 76.23" → 76.23; the caller knows it is a share).  Comparators are ignored
    ("≥95%" → 95): use ``is_measured_value`` to tell a target-style cell.  ``None`` for placeholders and
    when no single percentage can be told.
    """
    if s is None:
        return None
    t = _prep(s)
    if is_placeholder(t):
        return None
    m = re.fullmatch(rf"(?:百分之)?\s*(?P<sign>[-+])?(?P<num>{_NUM})\s*[%]?", t)
    if m:
        value = _decimal(m.group("num"))
        if value is not None and m.group("sign") == "-":
            value = -value
        return value
    m = re.search(r"百分之([零〇一二两三四五六七八九十百]+)", t)
    if m:
        n = parse_chinese_int(m.group(1))
        if n is not None:
            return Decimal(n)
    amounts = [a for _, _, a in find_amounts(t)]
    pct = [a for a in amounts if a.unit == "%"]
    if len(pct) == 1:
        return pct[0].value
    if not pct:
        bare = [a for a in amounts if a.unit == ""]
        if len(bare) == 1 and len(amounts) == 1:
            return bare[0].value
    return None


# --------------------------------------------------------------------------------------------------
# counts

_CN_DIGITS = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
    "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_CN_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_CHARS = "".join(_CN_DIGITS) + "".join(_CN_UNITS) + "万"


def parse_chinese_int(s: str) -> int | None:
    """A Chinese numeral as an int: "三" 3, "两" 2, "十四" 14, "二十" 20, "一百零五" 105, "九千九百九十九"
    9999, "二〇二四" 2024 (digit by digit, only with a zero or four digits), financial forms ("贰拾"),
    and 万 up to 99999999.  ``None`` when
    ``s`` is not purely a numeral."""
    if not s:
        return None
    s = s.strip()
    if not s or any(c not in _CN_CHARS for c in s):
        return None
    if len(s) > 1 and all(c in _CN_DIGITS for c in s):
        # digit by digit ("二〇二四") only for a written-out number; "三四" means "three or four"
        if "两" in s or not (len(s) >= 4 or any(c in "零〇○" for c in s)):
            return None
        return int("".join(str(_CN_DIGITS[c]) for c in s))
    total = 0
    section = 0
    digit: int | None = None
    last_unit = 10000
    for i, c in enumerate(s):
        if c in _CN_DIGITS:
            if digit is not None and digit != 0 and _CN_DIGITS[c] != 0:
                return None  # two digits in a row: "三四"
            digit = _CN_DIGITS[c]
        elif c in _CN_UNITS:
            unit = _CN_UNITS[c]
            if unit >= last_unit:
                return None
            if digit is None:
                if unit == 10 and section == 0 and (i == 0 or s[i - 1] == "万"):
                    digit = 1
                else:
                    return None
            elif digit == 0:
                return None
            section += digit * unit
            digit = None
            last_unit = unit
        else:  # 万
            if total:
                return None
            total = (section + (digit or 0)) * 10000
            if total == 0:
                return None
            section = 0
            digit = None
            last_unit = 10000
    return total + section + (digit or 0)


_COUNT_FULL = re.compile(
    rf"(?P<pre>大约|约|近|逾|超过|超|共计|共|累计|合计)?"
    rf"(?P<num>{_NUM}|[{_CN_CHARS}]+)"
    rf"(?P<a1>余|多)?(?P<mult>[万亿千])?(?P<a2>余|多)?"
    rf"(?P<unit>{_COUNT_ALT})?"
    rf"(?P<post>左右|以上|余)?"
)
_APPROX_PREFIXES = {"大约", "约", "近", "逾", "超过", "超"}


def parse_count_ex(s: str) -> Quantity | None:
    """A count with its approximation and multiplier flags ("15000余人次" → 15000 人次, approx).

    Multiplies out 万/亿/千 ("1.2万名" → 12000 名, "1.65 万人次" → 16500 人次); Chinese numerals are read
    ("两名" → 2 名).  ``None`` for placeholders, money and percentages ("1000元", "90%"), and anything else.
    """
    if s is None:
        return None
    t = re.sub(r"\s+", "", _prep(s))
    if is_placeholder(t):
        return None
    m = _COUNT_FULL.fullmatch(t)
    if not m:
        return None
    num = m.group("num")
    if num[0].isdigit():
        value = _decimal(num)
    else:
        n = parse_chinese_int(num)
        value = Decimal(n) if n is not None else None
    if value is None:
        return None
    mult = m.group("mult")
    if mult:
        value = value * _MULTIPLIERS[mult]
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    approx = bool(
        (m.group("pre") in _APPROX_PREFIXES) or m.group("a1") or m.group("a2") or m.group("post")
    )
    return Quantity(value, m.group("unit") or "", s, approx, bool(mult))


def parse_count(s: str) -> Number | None:
    """A count as a ``Number`` ("179人次" → 179 人次, "1.65万人次" → 16500 人次); see ``parse_count_ex``."""
    q = parse_count_ex(s)
    return Number(q.value, q.unit, q.raw) if q else None


# --------------------------------------------------------------------------------------------------
# targets

_SYMBOLS: list[tuple[str, str]] = [
    (">=", ">="), ("<=", "<="), ("≥", ">="), ("≧", ">="), ("⩾", ">="), ("≤", "<="), ("≦", "<="), ("⩽", "<="),
    (">", ">"), ("<", "<"), ("=", "="),
]
_WORDS: list[tuple[str, str]] = sorted(
    [
        ("大于或等于", ">="), ("大于等于", ">="), ("不低于", ">="), ("不少于", ">="), ("不小于", ">="),
        ("至少", ">="), ("达到", ">="), ("及以上", ">="), ("以上", ">="),
        ("超过", ">"), ("高于", ">"), ("大于", ">"), ("多于", ">"),
        ("小于或等于", "<="), ("小于等于", "<="), ("不高于", "<="), ("不超过", "<="), ("不大于", "<="),
        ("不多于", "<="), ("控制在", "<="), ("及以下", "<="), ("以下", "<="), ("以内", "<="), ("之内", "<="),
        ("低于", "<"), ("小于", "<"), ("少于", "<"), ("等于", "="),
    ],
    key=lambda w: len(w[0]),
    reverse=True,
)
_NOT_TARGET_STYLE = {"达到"}  # "达到95%" in an actual cell reports a result
_DATE_RE = re.compile(
    r"\d{1,2}月(?:\d{1,2}日)?|\d{1,2}日|年底|年末|年中|年初|年内|月底|月末|季度末|季末|上半年|下半年|"
    r"按时|按期|及时|如期|准时|限期"
)
_DATE_BEFORE_RE = re.compile(r"前|内|底|末|按时|按期|及时|如期|准时|限期|截止")


_SUFFIX_WORDS = {"及以上", "以上", "及以下", "以下", "以内", "之内"}


def _word_applies(t: str, word: str) -> bool:
    """A comparator word counts only next to a number: a prefix word before one ("不低于90%"), a suffix
    word right after one ("100%以上", "50人以上"); "副科级以上干部" has no comparator."""
    if word not in t:
        return False
    if word in _SUFFIX_WORDS:
        return re.search(rf"\d[%‰]?[\u3400-\u9fff]{{0,3}}?{word}", t) is not None
    return re.search(rf"{word}.{{0,6}}?\d", t) is not None


def _comparator(t: str, words: bool = True) -> str:
    for sym, comp in _SYMBOLS:
        if sym in t:
            return comp
    if words:
        for word, comp in _WORDS:
            if _word_applies(t, word):
                return comp
    return ""


@lru_cache(maxsize=8192)  # pure, and a Target is frozen: every re-check reads the same cells again
def parse_target(s: str) -> Target:
    """Read an indicator cell: "≥50人次" → (>=, 50, 人次, number); "≥90%" → (>=, 90, %, percent);
    "608.54 万元" → (=, 608.54, 万元); "4月1日之前" → date, "<="; "好" → text, "="; several quantities
    ("高层次人才≥50人，…≥500人") or a range → text with comparator "".  Comparator words: 不低于/不少于/
    以上/达到 (>=), 不高于/不超过/以内/以下/控制在 (<=), 大于/高于/超过 (>), 小于/低于/少于 (<)."""
    t = collapse(s or "").strip()
    if is_placeholder(t):
        return Target("", None, "", "text", t)
    amounts = [a for _, _, a in find_amounts(t)]
    if len(amounts) > 1:
        return Target("", None, "", "text", t)
    if len(amounts) == 1:
        a = amounts[0]
        comparator = _comparator(t) or "="
        kind = "percent" if a.unit in ("%", "‰") else "number"
        return Target(comparator, a.value, a.unit, kind, t)
    if _DATE_RE.search(t):
        comparator = "<=" if _DATE_BEFORE_RE.search(t) else "="
        return Target(comparator, None, "", "date", t)
    return Target("=", None, "", "text", t)


def _unit_scale(unit: str) -> tuple[str, Decimal]:
    """(base unit, factor): "万元" → ("元", 10000), "万人次" → ("人次", 10000), "%" → ("%", 1)."""
    if unit in _MONEY_FACTORS:
        return "元", _MONEY_FACTORS[unit]
    if unit == "‰":
        return "%", Decimal("0.1")
    if unit and unit[0] in _MULTIPLIERS and (unit[1:] in COUNT_UNITS or unit[1:] == ""):
        return unit[1:], _MULTIPLIERS[unit[0]]
    return unit, Decimal(1)


def target_met(target: Target, actual: Target, *, plain_as: str = "=") -> bool | None:
    """Whether ``actual`` meets ``target``; ``None`` when undecidable.

    Undecidable: either side is text, a date or compound; the actual is written like a target ("≥95%",
    "＞95" — not a measured value); the units cannot be converted (元 vs 人).  元/千元/万元/亿元 and 万/亿
    prefixes on counts convert exactly; when one side has no unit the bare numbers are compared
    ("95%" vs "95").  A plain target ("4次") is taken as ``plain_as`` ("=" by default; pass ">=" to read
    plain output targets as minimums).
    """
    if target.kind not in ("number", "percent") or target.value is None or not target.comparator:
        return None
    if actual.kind not in ("number", "percent") or actual.value is None:
        return None
    if actual.comparator not in ("=", ""):
        return None
    tb, tf = _unit_scale(target.unit)
    ab, af = _unit_scale(actual.unit)
    if tb and ab and tb != ab:
        return None
    if not tb or not ab:
        # one side has no unit: compare printed numbers, but honour a 万/亿 prefix the other side printed
        tf = tf if not tb else Decimal(1)
        af = af if not ab else Decimal(1)
    tv = target.value * tf
    av = actual.value * af
    comparator = plain_as if target.comparator == "=" else target.comparator
    return {
        ">=": av >= tv,
        ">": av > tv,
        "<=": av <= tv,
        "<": av < tv,
        "=": av == tv,
    }.get(comparator)


def is_measured_value(s: str) -> bool:
    """False when an actual-value cell is written like a target ("≥95%", "＞95", "不低于90%", "100%以上") or
    holds no value; True for a plain measured value ("96%", "15000人次", "好")."""
    t = collapse(s or "")
    if is_placeholder(t):
        return False
    for sym, _ in _SYMBOLS:
        if sym in t:
            return False
    for word, _ in _WORDS:
        if word not in _NOT_TARGET_STYLE and _word_applies(t, word):
            return False
    return True


# --------------------------------------------------------------------------------------------------
# arithmetic helpers


def to_wan(value: Decimal, unit: str) -> Decimal:
    """``value`` printed in ``unit`` (元/千元/万元/亿元) expressed in 万元, exactly (no rounding).

    Raises ``ValueError`` for a unit that is not money: converting a count or percent is a bug.
    """
    if unit not in _MONEY_FACTORS:
        raise ValueError(f"not a money unit: {unit!r}")
    with localcontext() as ctx:
        ctx.prec = 60
        if unit == "万元":
            return value
        if unit == "亿元":
            return value * 10000
        return value * _MONEY_FACTORS[unit] / Decimal(10000)


def round_half_up(d: Decimal, places: int) -> Decimal:
    """``d`` rounded to ``places`` decimals, halves away from zero (how the reports round: 0.005 → 0.01)."""
    with localcontext() as ctx:
        ctx.prec = 60
        return d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def decimal_places(d: Decimal) -> int:
    """Number of printed decimals: Decimal("88.230") → 3, Decimal("100") → 0."""
    exponent = d.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0
