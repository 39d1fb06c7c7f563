"""Text normalisation: turn what a PDF text layer gives us into the one spelling every extractor matches on.

Why this module exists: the same report prints "２２５７．３９万元", "2257.39 万 元" and "2257.39万元"; fonts
emit radical code points (U+2ED4 "⻔" for 门); letter-spaced headings extract as "本 年 收 入 合 计".  Every
extractor, check and the PDF layer must see one canonical spelling, or label synonyms and regular
expressions silently miss.  ``normalize``/``normalize_chars`` make characters canonical (one input char →
zero or more output chars, boxes kept per output char); ``collapse_spacing`` removes spacing that is not
meaningful (letter-spacing, spaced thousands), keeping boxes aligned.

What it must not do: parse numbers (that is ``core.numbers``), know about documents, pages or fields, or
import any outside library.  It never drops or reorders printed characters other than whitespace and
invisible format characters, so a span found in the output can always be boxed on the page.

Canonical forms (other modules rely on these):

* NFKC per character: full-width ASCII → ASCII ("，"→",", "："→":", "（"→"(", "％"→"%", "＞"→">"),
  "㎡"→"m2", "⑴"→"(1)", "㈠"→"(一)".  Chinese punctuation NFKC keeps (、。“”《》〔〕【】) stays.
  Exceptions kept as printed: "…" (U+2026; NFKC would make "...", but it is a placeholder and Chinese
  ellipsis) and circled numbers ①–㊿ (NFKC would make a bare digit that glues onto the following text).
* Radicals: CJK Radicals Supplement and some Kangxi radicals → ordinary ideographs
  (``resources/text/radicals.json``).
* Dashes: long dashes (U+2014 —, U+2015 ―, U+2E3A ⸺, U+2E3B ⸻, U+FE58 ﹘, box-drawing U+2500 ─, U+2501 ━)
  → "—" (one per printed dash; ⸺ gives "——").  Short dashes and minus signs (U+2010 ‐, U+2011 ‑, U+2012 ‒,
  U+2013 –, U+2212 −, U+FE63 ﹣, U+FF0D －) → ASCII "-".  So "-" is a minus sign or hyphen (alone: a
  placeholder) and "—" is always a placeholder/em dash, never a minus.
* Whitespace: NBSP, U+3000 and the other Unicode spaces → " "; "\\t" and "\\n" are kept; "\\r\\n" and "\\r"
  → "\\n".
* Removed: zero-width and format characters (U+200B–U+200F, U+2060, U+FEFF, U+00AD soft hyphen, U+180E).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Sequence, TypeVar

from core.model import BBox
from core.resources import resource_path

T = TypeVar("T")

_LONG_DASHES = {
    "\u2014": "—",
    "\u2015": "—",
    "\u2e3a": "——",
    "\u2e3b": "———",
    "\ufe58": "—",
    "\u2500": "—",
    "\u2501": "—",
}
_SHORT_DASHES = {c: "-" for c in "\u2010\u2011\u2012\u2013\u2212\ufe63\uff0d"}
_DROP = set("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e")
_KEEP_AS_PRINTED = (
    set("\u2026\u2025\u24ea")
    | {chr(c) for c in range(0x2460, 0x2474)}  # ①–⑳
    | {chr(c) for c in range(0x3251, 0x3260)}  # ㉑–㉟
    | {chr(c) for c in range(0x32B1, 0x32C0)}  # ㊱–㊿
)


@lru_cache(maxsize=1)
def _radicals() -> dict[str, str]:
    data = json.loads(resource_path("text/radicals.json").read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    table.update(data["supplement"])
    table.update(data["kangxi_overrides"])
    return table


@lru_cache(maxsize=4096)
def _map_char(ch: str) -> str:
    """The canonical spelling of one input character (possibly "" or several characters)."""
    if ch in _DROP:
        return ""
    if ch in _KEEP_AS_PRINTED:
        return ch
    if ch in _LONG_DASHES:
        return _LONG_DASHES[ch]
    if ch in _SHORT_DASHES:
        return "-"
    radical = _radicals().get(ch)
    if radical is not None:
        return radical
    if ch in "\t\n":
        return ch
    out = unicodedata.normalize("NFKC", ch)
    if out == ch and ch.isspace():
        return " "
    # NFKC may itself produce a dash or a space variant (U+FE31 ︱ → U+2014, U+FE32 ︲ → U+2013).
    return "".join(_map_nfkc_output(c) for c in out)


def _map_nfkc_output(c: str) -> str:
    if c.isspace() and c not in "\t\n":
        return " "
    return _SHORT_DASHES.get(c, _LONG_DASHES.get(c, c))


def _normalize_units(units: Sequence[tuple[str, T]]) -> list[tuple[str, T]]:
    """Normalise ``(text, payload)`` units; each output character carries its unit's payload."""
    out: list[tuple[str, T]] = []
    append = out.append
    n = len(units)
    for i, (piece, payload) in enumerate(units):
        if len(piece) == 1 and piece != "\r":  # one character (almost every unit): no look-ahead needed
            mapped = _map_char(piece)
            if mapped == piece:
                append((piece, payload))
            else:
                for c in mapped:
                    append((c, payload))
            continue
        for j, ch in enumerate(piece):
            if ch == "\r":
                nxt = piece[j + 1] if j + 1 < len(piece) else (units[i + 1][0][:1] if i + 1 < n else "")
                if nxt == "\n":
                    continue
                out.append(("\n", payload))
                continue
            for c in _map_char(ch):
                out.append((c, payload))
    return out


_PLAIN_ASCII = re.compile(r"[\t\n\x20-\x7e]*")


_CANONICAL: set[str] = set()
"""Characters met so far that are their own canonical spelling (``_map_char(ch) == ch``)."""

_MAPPED: dict[str, str] = {}
"""Each character met so far and its canonical spelling (``_map_char``, found once per character)."""


def char_table(s: Iterable[str]) -> dict[str, str] | None:
    """None when every character of ``s`` (a text, or its characters) is its own canonical spelling (the text
    is already canonical), else a table holding each of them and its canonical spelling (the table of all
    characters met so far: read it, do not change it).  Only for text without "\r" (a "\r" depends on the
    character after it)."""
    chars = set(s)
    if chars <= _CANONICAL:
        return None
    new = [ch for ch in chars if ch not in _MAPPED]
    if new:
        for ch in new:
            m = _MAPPED[ch] = _map_char(ch)
            if m == ch:
                _CANONICAL.add(ch)
        if chars <= _CANONICAL:
            return None
    return _MAPPED


def normalize(s: str) -> str:
    """The canonical spelling of ``s`` (see the module docstring); idempotent."""
    if _PLAIN_ASCII.fullmatch(s):
        return s
    if "\r" not in s:  # character by character, each distinct character mapped once
        table = char_table(s)
        return s if table is None else "".join([table[ch] for ch in s])
    return "".join(c for c, _ in _normalize_units([(ch, None) for ch in s]))


def normalize_chars(chars: list[tuple[str, BBox]]) -> tuple[str, list[BBox]]:
    """``normalize`` applied to PDF characters, keeping one box per output character.

    A character that expands ("㎡" → "m2") repeats its box; a dropped one (zero-width space) drops its box.
    An input item may hold more than one character (ligatures); each of its output characters gets its box.
    """
    out = _normalize_units(chars)
    return "".join(c for c, _ in out), [b for _, b in out]


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph, a CJK radical, or CJK/full-width punctuation (、。“”《》).

    "—" and "…" are not CJK here: they are placeholders, and two placeholder cells must stay two.
    """
    if not ch:
        return False
    cp = ord(ch[0])
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x3FFFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2E80 <= cp <= 0x2FDF
        or 0x3000 <= cp <= 0x303F
        or 0xFE30 <= cp <= 0xFE4F
        or 0xFF00 <= cp <= 0xFFEF
        or cp in (0x201C, 0x201D, 0x2018, 0x2019)
    )


def is_ideograph(ch: str) -> bool:
    """True for a CJK unified or compatibility ideograph (not punctuation)."""
    if not ch:
        return False
    cp = ord(ch[0])
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3FFFF or (
        0xF900 <= cp <= 0xFAFF
    )


# ASCII punctuation that, after NFKC, stands for Chinese full-width punctuation: next to a CJK character
# a space around it is letter-spacing.
_CJK_SIDE_PUNCT = set("():;,!?[]")

_MONEY_UNIT = r"(?:亿 *元|万 *元|千 *元|元(?![旦月素宵]))"  # 元旦/元月 are not 元
_COUNT_UNIT = (
    r"(?:[万亿] *)?(?:人 *次|个 *月|批 *次|平 *方 *米|小 *时|人|次|场|个|名|户|家|项|件|篇|期|批|所|台|辆|套|天|"
    r"倍|岁|吨|亩|条|本|份|座|处|册|课 *时|学 *时)"
)
_H = "[^\\S\\t\\n\\r\\f\\v]"  # horizontal whitespace, but not a tab: a tab is a deliberate column break

_SPACE_RULES: list[re.Pattern[str]] = [
    # spaced thousands: "22, 573, 934. 55"; needs two groups or a decimal part, so "1, 234" (a list) stays
    re.compile(
        rf"(?<![\d.,])\d{{1,3}}(?:"
        rf"(?:{_H}*,{_H}*\d{{3}}(?!\d)){{2,}}(?:{_H}*\.{_H}*\d+)?"
        rf"|{_H}*,{_H}*\d{{3}}{_H}*\.{_H}*\d+)"
    ),
    # spaced decimal point followed by a unit or percent: "88. 23 %", "2257. 39 万元"
    re.compile(rf"(?<![\d.,])\d+(?:{_H}+\.{_H}*|\.{_H}+)\d+(?={_H}*(?:%|‰|{_MONEY_UNIT}|[万亿]))"),
    # spaced decimal point with exactly two decimals and nothing glued after: "934. 55"
    re.compile(rf"(?<![\d.,])\d+(?:{_H}+\.{_H}*|\.{_H}+)\d{{2}}(?![\dA-Za-z.%\u3400-\u9fff])"),
    # number then percent: "88.23 %"
    re.compile(rf"\d{_H}+[%‰]"),
    # number then money unit: "2257.39 万 元" (a money unit may be followed by anything)
    re.compile(rf"\d{_H}+{_MONEY_UNIT}"),
    # number then count unit or bare 万/亿, only when the unit is not the start of a longer word
    # ("264.87 人员经费" keeps its space)
    re.compile(rf"\d{_H}+(?:{_COUNT_UNIT}|[万亿])(?![\u3400-\u9fff])"),
    # dates: "2024 年 12 月 31 日", "2023 年部门决算"
    re.compile(rf"(?<![\d.])(?:19|20)\d{{2}}{_H}*年(?:{_H}*\d{{1,2}}{_H}*月(?:{_H}*\d{{1,2}}{_H}*日)?)?"),
    re.compile(rf"(?<![\d.])(?:1[0-2]|0?[1-9]){_H}*月{_H}*(?:3[01]|[12]\d|0?[1-9]){_H}*日"),
    # a comparator glued to its number: "≥ 95 %" → "≥95%"
    re.compile(rf"[≥≤≧≦⩾⩽<>]{_H}+(?=[-+]?\d)"),
    # a letter-spaced year in a title: "2 0 2 4 年"
    re.compile(r"(?<![\d.])[12] \d \d \d *年"),
]


def _cjk_side(ch: str) -> bool:
    return is_cjk(ch) or ch in _CJK_SIDE_PUNCT


_SPACE_RUN = re.compile(r"\s+")  # \s is exactly str.isspace()
_DIGIT = re.compile(r"\d")  # the \d of ``_SPACE_RULES``: without one, none of them matches


def _collapse_units(units: list[tuple[str, T]]) -> list[tuple[str, T]]:
    # only whitespace is dropped or changed: the work is done run by run, the text between copied whole
    text = "".join([c for c, _ in units])
    runs = [m.span() for m in _SPACE_RUN.finditer(text)]
    if not runs:
        return list(units)
    n = len(text)
    drop = [False] * n
    # 1. whitespace inside the number/unit/date patterns (each holds or looks at a digit)
    for rule in _SPACE_RULES if _DIGIT.search(text) else ():
        for m in rule.finditer(text):
            for i in range(m.start(), m.end()):
                if text[i].isspace():
                    drop[i] = True
    # 2. runs of whitespace: letter-spacing between CJK goes; the rest becomes one "\n", "\t" or " "
    for i, j in runs:
        run = text[i:j]
        before = text[i - 1] if i > 0 else ""
        after = text[j] if j < n else ""
        if not before or not after:
            for k in range(i, j):
                drop[k] = True
        elif "\n" in run or "\t" in run:
            keep = i + (run.index("\n") if "\n" in run else run.index("\t"))
            for k in range(i, j):
                drop[k] = k != keep
        elif all(drop[k] for k in range(i, j)):
            pass
        elif (
            "\f" not in run
            and "\v" not in run
            and _cjk_side(before)
            and _cjk_side(after)
            and (is_cjk(before) or is_cjk(after))
        ):
            for k in range(i, j):
                drop[k] = True
        else:
            for k in range(i + 1, j):
                drop[k] = True
    out: list[tuple[str, T]] = []
    prev = 0
    for i, j in runs:
        out.extend(units[prev:i])
        for k in range(i, j):
            if not drop[k]:
                c, payload = units[k]
                out.append((c if c in "\n\t" else " ", payload))
        prev = j
    out.extend(units[prev:])
    return out


def collapse_spacing(text: str, boxes: list[BBox] | None = None) -> tuple[str, list[BBox] | None]:
    """Remove whitespace that is letter- or number-spacing; ``boxes`` (one per char) stay aligned.

    Rules, applied to normalised text:

    1. A run of spaces between two CJK-side characters goes ("本 年 收 入" → "本年收入", "万 元" → "万元",
       "合计 (万元)" → "合计(万元)").  CJK-side means a CJK character, or one of ``( ) : ; , ! ? [ ]`` next to
       one (they were full-width before NFKC).
    2. Inside numbers: spaced thousands ("22, 573, 934. 55" → "22,573,934.55") only when there are two
       comma groups or a decimal part, so a list "2, 3" or "1, 234" stays; a spaced decimal point when two
       decimals follow and nothing is glued after ("934. 55"), or a percent/money unit follows
       ("88. 23 %" → "88.23%").
    3. Between a number and its unit: "%", 元/万元/亿元 always; count units (人, 人次, 次, 场, 个, 名 …) and
       bare 万/亿 only when the unit does not start a longer word ("264.87 人员经费" keeps its space).
    4. Dates: "2024 年 12 月 31 日" → "2024年12月31日", "2023 年部门决算" → "2023年部门决算",
       "2 0 2 4 年" → "2024年".  A comparator is glued to its number ("≥ 95 %" → "≥95%").
    5. Whitespace *before* a number is kept ("一般公共服务支出 264.87": label and value), and two numbers
       separated by a space stay two numbers ("264.87 264.87").  A run containing a newline becomes one
       "\\n"; else a run containing a tab becomes one "\\t" (a column break: never removed, not even
       between CJK); other runs become one " ".  Leading and trailing whitespace goes.

    A kept run keeps the box of its first character.
    """
    if boxes is not None and len(boxes) != len(text):
        raise ValueError("collapse_spacing needs one box per character")
    if not _SPACE_RUN.search(text):  # no whitespace, nothing to collapse (most lines of a table)
        return text, (list(boxes) if boxes is not None else None)
    payloads: list = list(boxes) if boxes is not None else [None] * len(text)
    out = _collapse_units(list(zip(text, payloads)))
    new_text = "".join(c for c, _ in out)
    return new_text, ([b for _, b in out] if boxes is not None else None)


@lru_cache(maxsize=65536)
def collapse(text: str) -> str:
    """``normalize`` then ``collapse_spacing``, for strings without boxes."""
    return collapse_spacing(normalize(text))[0]


def normalize_with_index(text: str) -> tuple[str, list[int]]:
    """``collapse(text)`` plus, for each output character, the index of the input character it came from.

    Lets a caller that must report spans in the *input* text (``core.numbers.find_amounts``) work on the
    canonical form.
    """
    if "\r" in text:
        units = _normalize_units([(ch, i) for i, ch in enumerate(text)])
    else:
        table = char_table(text)
        units = list(zip(text, range(len(text)))) if table is None else \
            [(c, i) for i, ch in enumerate(text) for c in table[ch]]
    out = _collapse_units(units)
    return "".join(c for c, _ in out), [i for _, i in out]


_ENUM_PREFIX = re.compile(
    r"^(?:"
    r"\d{1,3}(?:\.\d{1,3})*\s?[、.)](?!\s?\d)"  # 1、 1. 1.2. 1) — "1 、" as some producers space it
    r"|\d{1,2}(?:\.\d{1,2})+(?=\s|[\u3400-\u9fff])"  # 1.2 公务… / 1.2公务… (multi-level numbering)
    r"|\(\d{1,3}\)"  # (1)
    r"|\([一二三四五六七八九十百零〇]{1,4}\)"  # (一)
    r"|[一二三四五六七八九十百]{1,4}\s?[、.]"  # 一、
    r"|[\u2460-\u2473\u24ea\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]"  # ① ❶
    r"|[A-Za-z][、.)](?![A-Za-z\d])"  # A. a)
    r"|其中[:,、]?"
    r")\s*"
)
_UNIT_PARENS = re.compile(
    r"[(\[](?:单位[:]?)?(?:亿元|万元|千元|元|%|‰|m2|平方米|人次|人|个|次|万|亿|户|家|项|件|天|年|月|小时|"
    r"百分比|比例)[)\]]"
)


@lru_cache(maxsize=65536)
def label_key(s: str) -> str:
    """A key for matching row labels against synonyms.

    normalize + collapse, then repeatedly strip enumeration prefixes ("1、", "1.", "1.2 ", "(1)", "(一)",
    "一、", "①", "A.", "其中:") as long as something is left, drop all whitespace, parenthesised units
    ("(万元)", "(%)", "(㎡)") and every punctuation or symbol character (so "“三公”经费" → "三公经费",
    "一般公共服务(类)支出" → "一般公共服务类支出").
    Classification markers such as "(类)" lose only their brackets, so they still distinguish labels.
    """
    t = collapse(s)
    while True:
        m = _ENUM_PREFIX.match(t)
        if not m or not t[m.end() :].strip():
            break
        t = t[m.end() :].lstrip()
    t = re.sub(r"\s+", "", t)
    t = _UNIT_PARENS.sub("", t)
    return "".join(
        c for c in t if not unicodedata.category(c).startswith(("P", "S", "Z", "C"))
    )


_CID = re.compile(r"\(cid:\d+\)")


def is_garbled(text: str) -> bool:
    """True when a text layer extracted as garbage (font without a usable ToUnicode map).

    Counts "(cid:N)" tokens, private-use code points, U+FFFD and control characters (other than tab and
    newline) as bad units; garbled when they are at least 30% of the non-space units.  A lone private-use
    bullet in a page of text is not garbled.  Also garbled: text that is mostly Latin-1/Latin Extended
    letters ("ÐÂ½¨"), the usual look of a Chinese font decoded without its CMap.
    """
    if not text:
        return False
    cids = len(_CID.findall(text))
    rest = _CID.sub("", text)
    bad = cids
    total = cids
    latin_ext = 0
    for ch in rest:
        if ch.isspace():
            continue
        total += 1
        cp = ord(ch)
        if 0xE000 <= cp <= 0xF8FF or 0xF0000 <= cp or cp == 0xFFFD:
            bad += 1
        elif cp < 0x20 or 0x7F <= cp <= 0x9F:
            bad += 1
        elif 0xC0 <= cp <= 0x24F:
            latin_ext += 1
    if total == 0:
        return False
    if bad / total >= 0.3:
        return True
    return latin_ext >= 5 and (latin_ext + bad) / total >= 0.3
