"""How findings read: where a figure is printed, how amounts, percents and counts are written, and how a
``Finding`` is assembled from the fields it involves.

Why it exists: every check family writes Chinese messages for the reviewer, and they must look alike
("自评报告第2页项目支出701.92万元，基础数据表第1页为661.46万元") and carry the same things (the numbers as
printed, the field keys, the place of every figure involved) so the window can light all of them up.  Any
check module may import it.

What it must not do: decide anything (checks do), or convert units silently: conversions go through
``core.checks.tolerance.to_wan`` and the converted figure is shown next to the printed one.

The helpers, in short:

- ``where(item)`` → "自评报告第2页", "收入支出决算总表第5页" (a ``Field``, an ``AccountLine`` or a ``SourceRef``).
- ``fmt_amount(value, unit)`` → "701.92万元", "2,910.00元"; ``fmt_wan(value)`` → a computed 万元 figure
  ("0.291万元"); ``fmt_money(field)`` → as printed, plus the 万元 figure when printed in 元.
- ``fmt_pct(value)`` → "96.67%" (a computed percent: rounded to 2 decimals, trailing zeros dropped, so 100 →
  "100%"); ``fmt_pct_as(value, stated)`` → at the stated percent's precision ("95.10%");
  ``fmt_value(field)`` → any field as printed with its unit.
- ``num(field)`` → the field's Decimal value, or None for text/blank.
- ``finding(check, severity, message, items, values)`` → a ``Finding`` whose keys and locations are those of
  ``items`` in order, without duplicates.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Iterable, Union

from core.checks.tolerance import Match, places, round_to, to_wan
from core.model import AccountLine, Field, Finding, Severity, SourceRef

Item = Union[Field, AccountLine, SourceRef]

FORM_NAMES = {
    "自评报告": "自评报告",
    "自评表": "自评表",
    "基础数据表": "基础数据表",
    "决算说明": "决算情况说明",
    "部门概况": "部门决算概况",
    "决算": "部门决算",
}
"""Field.form → how the document is named in a message."""

TABLE_NAMES = {
    "t01": "收入支出决算总表",
    "t02": "收入决算表",
    "t03": "支出决算表",
    "t04": "财政拨款收入支出决算总表",
    "t05": "一般公共预算财政拨款支出决算表",
    "t06": "一般公共预算财政拨款基本支出决算明细表",
    "t07": "政府性基金预算财政拨款收入支出决算表",
    "t08": "国有资本经营预算财政拨款支出决算表",
    "t09": "财政拨款“三公”经费支出决算表",
}
"""决算 tables by title, not by the Hunan number: other provinces number them differently."""

COLUMN_NAMES = {
    "t02": {"total": "本年收入合计", "fiscal": "财政拨款收入", "superior": "上级补助收入", "business": "事业收入",
            "operating": "经营收入", "affiliated": "附属单位上缴收入", "other": "其他收入"},
    "t03": {"total": "本年支出合计", "basic": "基本支出", "project": "项目支出", "upper": "上缴上级支出",
            "operating": "经营支出", "affiliated": "对附属单位补助支出"},
    "t05": {"total": "小计", "basic": "基本支出", "project": "项目支出"},
    "t07": {"carry_begin": "年初结转和结余", "income": "本年收入", "total": "本年支出小计", "basic": "基本支出",
            "project": "项目支出", "carry_end": "年末结转和结余"},
    "t08": {"total": "合计", "basic": "基本支出", "project": "项目支出"},
}

_PREFIX_FORMS = (("basic.", "基础数据表"), ("selfeval.", "自评表"), ("accounts.", "决算"), ("report.", "自评报告"))


def form_of(f: Field) -> str:
    """The document kind of a field: ``Field.form``, or guessed from the key when a hand-built field has
    none."""
    if f.form:
        return f.form
    for prefix, form in _PREFIX_FORMS:
        if f.key.startswith(prefix):
            return form
    return ""


def doc_name(item: Item) -> str:
    """"自评报告", "基础数据表", "收入支出决算总表", …: what a reviewer calls the place."""
    if isinstance(item, AccountLine):
        return TABLE_NAMES.get(item.table, "部门决算")
    if isinstance(item, SourceRef):
        return "材料"
    form = form_of(item)
    if form == "决算" and item.key.startswith("accounts.t"):
        table = item.key.split(".")[1]
        if table in TABLE_NAMES:
            return TABLE_NAMES[table]
    return FORM_NAMES.get(form, form or "材料")


def where(item: Item) -> str:
    """"自评报告第2页": document and 1-based page of a field, account line or place."""
    src = item if isinstance(item, SourceRef) else item.source
    return f"{doc_name(item)}第{src.page}页"


def num(f: Field | None) -> Decimal | None:
    """The Decimal value of a field; None for a missing field or a text value."""
    if f is None:
        return None
    v = f.value
    return v if isinstance(v, Decimal) else None


def _plain(d: Decimal) -> str:
    s = format(d, "f")
    return "0" if s in ("-0", "") else s


def fmt_amount(value: Decimal, unit: str) -> str:
    """An amount as printed with its unit: 元 with thousands separators ("2,910.00元"), 万元 plain."""
    if unit == "元":
        return f"{format(value, ',f')}元"
    return f"{_plain(value)}{unit or '万元'}"


def fmt_wan(value: Decimal) -> str:
    """A computed amount in 万元: exact when it needs at most 4 decimals ("0.291万元"), else to 2 ("2257.39万元");
    at least 2 decimals."""
    q4 = round_to(value, 4)
    if q4 != value:
        return f"{_plain(round_to(value, 2))}万元"
    s = _plain(q4)
    if "." in s:
        s = s.rstrip("0")
        decimals = len(s.split(".")[1])
        s += "0" * max(0, 2 - decimals)
    else:
        s += ".00"
    return f"{s}万元"


def fmt_money(f: Field) -> str:
    """A money field as printed; when printed in 元, the 万元 figure follows: "2,910.00元（0.291万元）"."""
    v = num(f)
    if v is None:
        return str(f.value)
    if f.unit == "元":
        return f"{fmt_amount(v, '元')}（{fmt_wan(to_wan(v, '元'))}）"
    return fmt_amount(v, f.unit or "万元")


def fmt_pct(value: Decimal, places: int = 2) -> str:
    """A computed percent, rounded to ``places``, without trailing zeros: 96.666… → "96.67%", 100 → "100%"."""
    s = _plain(round_to(value, places))
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return f"{s}%"


def fmt_pct_as(value: Decimal, stated: Decimal) -> str:
    """A computed percent at the precision of the stated one it is compared with: (95.104…, 95.11) →
    "95.10%"."""
    return f"{_plain(round_to(value, places(stated)))}%"


def fmt_value(f: Field) -> str:
    """Any field as printed: money via ``fmt_money``, a percent as "88.23%", a count as "24人", text as is."""
    v = num(f)
    if v is None:
        return str(f.value if f.value is not None else "")
    if f.unit in ("元", "万元", "亿元", "千元"):
        return fmt_money(f)
    if f.unit == "%":
        return f"{_plain(v)}%"
    return f"{_plain(v)}{f.unit}"


def severity_of(match: Match) -> Severity:
    """DIFFERENT → error; ROUNDING (尾数差异) → warning."""
    return Severity.ERROR if match == Match.DIFFERENT else Severity.WARNING


def rounding_note(match: Match) -> str:
    """"（尾数差异）" for a rounding difference, "" otherwise: appended to the message."""
    return "（尾数差异）" if match == Match.ROUNDING else ""


def item_key(item: Item) -> str | None:
    if isinstance(item, Field):
        return item.key
    if isinstance(item, AccountLine):
        return f"accounts.lines.{item.table}.{item.code or '合计'}"
    return None


def finding(check: str, severity: Severity | str, message: str, items: Iterable[Item | None],
            values: Iterable[object] = (), keys: Iterable[str] = ()) -> Finding:
    """A Finding whose ``keys`` and ``locations`` are those of ``items`` (fields, account lines or places),
    in order and without duplicates; ``None`` items are skipped.  ``keys`` adds keys of figures that are
    involved but not printed (a blank cell)."""
    keys = list(keys)
    locs: list[SourceRef] = []
    for it in items:
        if it is None:
            continue
        k = item_key(it)
        if k and k not in keys:
            keys.append(k)
        src = it if isinstance(it, SourceRef) else it.source
        if src not in locs:
            locs.append(src)
    return Finding(check=check, severity=Severity(severity), message=message, keys=keys, values=list(values),
                   locations=locs)
