"""Identities of the 部门决算 公开01–09 tables, within a table and between tables (domain.md §4, I-01…I-09).

Why it exists: the final accounts are the hard figures every other document is compared with, so their own
arithmetic is checked first: each row's 合计 against its columns, 类 = Σ 款 = Σ 项 down the 科目 codes, and
the same total printed in two tables.  A table printed in 元 is exact to the 分, so any difference there is an
error; a table printed in 万元 rounds every figure, so a difference of one or two 0.01 is a rounding warning
(尾数差异 — real Shanghai 决算 in 万元 have them), never hidden, never an error.  Across tables printed in
different units both sides are compared in 万元 at the coarser printed precision.

In the 决算 tables a blank cell means zero: once a table is present (a field, an account line or a page
classified as that table), an absent figure of it counts as 0.  A table that is not in the package at all is
not checked.

What it must not do: compare the 决算 with the narrative or the other forms (``cross/`` does), or raise on
odd data.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Iterable

from core.checks.messages import (
    COLUMN_NAMES, TABLE_NAMES, Item, finding, fmt_amount, fmt_wan, num, rounding_note, severity_of, where,
)
from core.checks.registry import check, run_memo
from core.checks.tolerance import Match, compare_amounts, compare_table_sum, to_wan
from core.model import AccountLine, Case, Field, Finding, Severity
from core.resources import resource_path

ZERO = Decimal(0)

T01_NAMES = {
    "income_total": "本年收入合计", "expense_total": "本年支出合计", "carry_begin": "年初结转和结余",
    "carry_end": "年末结转和结余", "grand_total": "总计（收入方）", "grand_total_expense": "总计（支出方）",
    "use_nonfiscal_balance": "使用非财政拨款结余", "balance_distribution": "结余分配",
    "income.1": "一般公共预算财政拨款收入", "income.2": "政府性基金预算财政拨款收入",
    "income.3": "国有资本经营预算财政拨款收入", "income.4": "上级补助收入", "income.5": "事业收入",
    "income.6": "经营收入", "income.7": "附属单位上缴收入", "income.8": "其他收入",
}
ECON_NAMES = {"301": "工资福利支出", "302": "商品和服务支出", "303": "对个人和家庭的补助", "307": "债务利息及费用支出",
              "309": "资本性支出（基本建设）", "310": "资本性支出", "399": "其他支出", "30212": "因公出国（境）费用",
              "30217": "公务接待费", "30231": "公务用车运行维护费", "31013": "公务用车购置"}
"""Names of the 公开06 经济分类 codes the checks name in messages (the extractor's ``attrs.name`` wins)."""
T09_NAMES = {"total": "合计", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费",
             "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}


@lru_cache(maxsize=1)
def class_names() -> dict[str, str]:
    """政府收支分类 类 code → name ("201" → "一般公共服务支出"), from ``resources/gfs_classes.json``."""
    data = json.loads(resource_path("gfs_classes.json").read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def field_name(f: Field) -> str:
    """What a reviewer calls an ``accounts.*`` figure: "本年支出合计", "一般公共服务支出", "30217公务接待费"."""
    parts = f.key.split(".")
    table, rest = parts[1], ".".join(parts[2:])
    if table in ("t01", "t04"):
        if rest.startswith("class."):
            code = parts[3]
            return str(f.attrs.get("name") or class_names().get(code, f"{code}类支出"))
        if table == "t04" and rest in ("carry_begin", "carry_end"):
            return "年初财政拨款结转和结余" if rest == "carry_begin" else "年末财政拨款结转和结余"
        return T01_NAMES.get(rest, f.label or rest)
    if table == "t06":
        if rest == "personnel":
            return "人员经费合计"
        if rest == "public":
            return "公用经费合计"
        if rest.startswith("econ."):
            return f"{parts[3]}{f.attrs.get('name') or ECON_NAMES.get(parts[3], '')}"
    if table == "t09" and len(parts) == 4:
        return f"{T09_NAMES.get(parts[3], parts[3])}{'预算数' if parts[2] == 'budget' else '决算数'}"
    if table in COLUMN_NAMES:
        return f"合计·{COLUMN_NAMES[table].get(rest, rest)}"
    return f.label or f.key


# -- reading the tables ------------------------------------------------------------------------------------


def present_tables(case: Case) -> set[str]:
    """Tables that are in the package: "t01" … "t09" (from fields, account lines and page classification)."""
    return run_memo(case, "accounts.present_tables", lambda: _present_tables(case))


def _present_tables(case: Case) -> set[str]:
    out = {f.key.split(".")[1] for f in case.with_prefix("accounts.t")}
    out |= {ln.table for ln in case.account_lines}
    for d in case.documents:
        for kind in d.kinds:
            if kind.startswith("公开0") and len(kind) == 4:
                out.add("t0" + kind[-1])
    return out


ALIASES = {
    f"accounts.{t}.{a}": (f"accounts.{t}.{b}",)
    for t in ("t01", "t04")
    for a, b in (("income.1", "fiscal_income"), ("income.2", "gov_fund_income"),
                 ("fiscal_income", "income.1"), ("gov_fund_income", "income.2"))
}
"""One printed row under two keys: 公开01/04 行1 is ``fiscal_income`` and 行2 ``gov_fund_income``
(fields.md, fields-extended.md); the checks also accept the row-number form ``income.{n}``."""


def amount(case: Case, key: str) -> Field | None:
    """The first numeric field with ``key`` (or with another key of the same printed row, see ``ALIASES``)."""
    for k in (key, *ALIASES.get(key, ())):
        for f in case.all(k):
            if num(f) is not None:
                return f
    return None


def table_unit(case: Case, table: str) -> str:
    """The unit a table is printed in (元 / 万元), from any of its figures; "" when unknown."""
    for f in case.fields:
        if f.key.startswith(f"accounts.{table}.") and num(f) is not None and f.unit:
            return f.unit
    for ln in case.account_lines:
        if ln.table == table and ln.unit:
            return ln.unit
    return ""


def lines(case: Case, table: str) -> list[AccountLine]:
    return [ln for ln in case.account_lines if ln.table == table]


def total_line(case: Case, table: str) -> AccountLine | None:
    """The 合计 row of a 科目 table."""
    for ln in lines(case, table):
        if not ln.code:
            return ln
    return None


def col(ln: AccountLine, name: str) -> Decimal:
    v = ln.columns.get(name)
    return v if v is not None else ZERO


@dataclass
class Side:
    """One side of an identity: its value (a figure or a sum), the unit, the places involved and a description
    that starts with where it is printed ("收入支出决算总表第5页本年支出合计")."""

    value: Decimal
    unit: str
    desc: str
    items: list[Item] = field(default_factory=list)
    parts: list[Decimal] | None = None  # the printed parts when the value is a sum (for rounding tolerance)


def side_of_field(f: Field) -> Side:
    return Side(num(f), f.unit, f"{where(f)}{field_name(f)}", [f])


def side_of_fields(case: Case, keys: Iterable[str], desc: str) -> Side | None:
    """The sum of the figures ``keys`` of one table (blank = 0), described as ``desc`` where the first of them
    is printed; None when none of them is printed."""
    fs = [f for k in keys if (f := amount(case, k)) is not None]
    if not fs:
        return None
    desc = f"{where(fs[0])}{desc}"
    unit = fs[0].unit
    if any(f.unit != unit for f in fs):
        return Side(sum((to_wan(num(f), f.unit) for f in fs), ZERO), "万元", desc, list(fs),
                    [to_wan(num(f), f.unit) for f in fs])
    vals = [num(f) for f in fs]
    return Side(sum(vals, ZERO), unit, desc, list(fs), vals)


def side_of_line(ln: AccountLine, column: str, desc: str | None = None) -> Side:
    name = COLUMN_NAMES.get(ln.table, {}).get(column, column)
    label = "合计" if not ln.code else f"{ln.code}{ln.name}"
    blank = "（空白）" if ln.columns.get(column) is None else ""
    return Side(col(ln, column), ln.unit, (desc or f"{where(ln)}“{label}”{name}") + blank, [ln])


def zero_side(desc: str, unit: str, items: list[Item]) -> Side:
    return Side(ZERO, unit, desc, items, [])


def compare_sides(left: Side, right: Side) -> Match:
    """``left`` (a printed total) against ``right`` (a figure or a sum of printed parts)."""
    if left.unit == right.unit or not left.unit or not right.unit:
        unit = left.unit or right.unit
        parts = right.parts if right.parts is not None else [right.value]
        return compare_table_sum(left.value, parts or [ZERO], unit)
    return compare_amounts(left.value, left.unit, right.value, right.unit)


def _diff(left: Side, right: Side) -> str:
    if left.unit == right.unit:
        return fmt_amount(abs(left.value - right.value), left.unit or "万元")
    return fmt_wan(abs(to_wan(left.value, left.unit) - to_wan(right.value, right.unit)))


def _fmt(s: Side, other: Side) -> str:
    """An amount as printed; when the other side is in another unit, a figure in 元 also shows its 万元."""
    if s.unit == "元" and other.unit != "元":
        return f"{fmt_amount(s.value, '元')}（{fmt_wan(to_wan(s.value, '元'))}）"
    return fmt_amount(s.value, s.unit or "万元")


def _descs(left: Side, right: Side) -> tuple[str, str]:
    """Both descriptions; the right one loses its place when it is printed where the left one is."""
    place = where(left.items[0]) if left.items else ""
    rd = right.desc
    if place and rd.startswith(place):
        rd = rd[len(place):]
    return left.desc, rd


def identity(check_id: str, left: Side | None, right: Side | None) -> list[Finding]:
    """One identity ``left = right``: no finding when equal, a warning for a rounding difference, else an
    error.  A missing side means the identity cannot be checked."""
    if left is None or right is None:
        return []
    m = compare_sides(left, right)
    if m == Match.EQUAL:
        return []
    ld, rd = _descs(left, right)
    return [finding(
        check_id, severity_of(m),
        f"{ld}为{_fmt(left, right)}，{rd}为{_fmt(right, left)}，相差{_diff(left, right)}{rounding_note(m)}",
        [*left.items, *right.items], [left.value, right.value])]


def not_above(check_id: str, part: Side | None, whole: Side | None) -> list[Finding]:
    """``part ≤ whole``; a rounding-sized excess is a warning."""
    if part is None or whole is None:
        return []
    a, b = to_wan(part.value, part.unit), to_wan(whole.value, whole.unit)
    if a <= b:
        return []
    m = compare_sides(whole, part)
    pd, wd = _descs(part, whole)
    return [finding(
        check_id, severity_of(m if m != Match.EQUAL else Match.ROUNDING),
        f"{pd}{_fmt(part, whole)}，超过{wd}{_fmt(whole, part)}{rounding_note(m)}",
        [*part.items, *whole.items], [part.value, whole.value])]


# -- generic 科目-table identities -------------------------------------------------------------------------


def column_read(case: Case, table: str, column: str) -> bool:
    """True when some line of ``table`` has a figure in ``column``.  A column blank in every line, 合计
    included, was not read (a printed 决算 table always fills the 合计 of a column it uses)."""
    return any(ln.columns.get(column) is not None for ln in lines(case, table))


def row_identities(case: Case, check_id: str, table: str, total: str,
                   parts: tuple[str, ...]) -> list[Finding]:
    """For every line of ``table`` (合计 included): column ``total`` = Σ columns ``parts``.  Not checked when
    the total column or all the part columns are blank in every line (not read: nothing to compare)."""
    out: list[Finding] = []
    names = COLUMN_NAMES.get(table, {})
    if not column_read(case, table, total) or not any(column_read(case, table, c) for c in parts):
        return out
    for ln in lines(case, table):
        values = [ln.columns.get(c) for c in (total, *parts)]
        if all(v is None for v in values):
            continue
        label = "合计" if not ln.code else f"{ln.code}{ln.name}"
        present = [c for c in parts if ln.columns.get(c) is not None] or list(parts[:1])
        left = side_of_line(ln, total, f"{where(ln)}“{label}”{names.get(total, total)}")
        right = Side(sum((col(ln, c) for c in parts), ZERO), ln.unit,
                     "＋".join(names.get(c, c) for c in present), [], [col(ln, c) for c in present])
        out += identity(check_id, left, right)
    return out


def _level(code: str) -> int:
    return len(code) if code.isdigit() else 0


def has_figures(ln: AccountLine) -> bool:
    return any(v is not None for v in ln.columns.values())


def unread(case: Case, ln: AccountLine) -> bool:
    """A line whose figures could not be read: none of its cells gave a figure while other lines of its table
    did (a printed 决算 fills a 合计 row whose columns are used; a wholly blank table is a table of zeros)."""
    return not has_figures(ln) and any(has_figures(o) for o in lines(case, ln.table) if o is not ln)


def unread_total_warning(case: Case, check_id: str, table: str) -> list[Finding]:
    """"未能读取合计": the 合计 row of ``table`` is printed but none of its figures could be read; the identities
    that need it are not checked (never with 0 in its place)."""
    tot = total_line(case, table)
    if tot is None or not unread(case, tot):
        return []
    return [finding(check_id, "warning",
                    f"{where(tot)}{TABLE_NAMES.get(table, '')}未能读取合计行的金额，合计与各科目之和未核对，请人工核对",
                    [tot], [])]


def _children(parent: AccountLine, candidates: list[AccountLine], level: int) -> list[AccountLine]:
    return [c for c in candidates if _level(c.code) == level and c.code.startswith(parent.code)]


def hierarchy_identities(case: Case, check_id: str, table: str, columns: tuple[str, ...]) -> list[Finding]:
    """类 (3-digit code) = Σ its 款 (5-digit), 款 = Σ its 项 (7-digit), and 合计 = Σ 项, per column.

    A 类 whose 款 rows are not all printed is compared with its 项 instead; it is reported only when it
    agrees with neither (a missing subtotal row is not an arithmetic error)."""
    ls = lines(case, table)
    coded = [ln for ln in ls if _level(ln.code) in (3, 5, 7)]
    if not coded:
        return []
    out: list[Finding] = []
    names = COLUMN_NAMES.get(table, {})

    def compare(parent: AccountLine, kids_options: list[list[AccountLine]], what: str) -> None:
        if unread(case, parent):
            return  # its figures were not read: never compared as 0
        for c in columns:
            pv = parent.columns.get(c)
            best: tuple[Match, list[AccountLine]] | None = None
            for kids in kids_options:
                if not kids:
                    continue
                if pv is None and all(k.columns.get(c) is None for k in kids):
                    best = (Match.EQUAL, kids)
                    break
                m = compare_table_sum(pv or ZERO, [col(k, c) for k in kids], parent.unit)
                if best is None or list(Match).index(m) < list(Match).index(best[0]):
                    best = (m, kids)
            if best is None or best[0] == Match.EQUAL:
                continue
            m, kids = best
            label = "合计" if not parent.code else f"{parent.code}{parent.name}"
            if not parent.code:  # the 合计: name the level it was compared with
                what = {3: "各类级科目", 5: "各款级科目", 7: "各项级科目"}.get(_level(kids[0].code), what)
            s = sum((col(k, c) for k in kids), ZERO)
            out.append(finding(
                check_id, severity_of(m),
                f"{where(parent)}“{label}”{names.get(c, c)}为{fmt_amount(pv or ZERO, parent.unit)}，"
                f"其{what}（{len(kids)}行）合计{fmt_amount(s, parent.unit)}，相差"
                f"{fmt_amount(abs((pv or ZERO) - s), parent.unit)}{rounding_note(m)}",
                [parent, *kids], [pv or ZERO, s]))

    for kuan in [ln for ln in coded if _level(ln.code) == 5]:
        compare(kuan, [_children(kuan, coded, 7)], "所属项级科目")
    for lei in [ln for ln in coded if _level(ln.code) == 3]:
        compare(lei, [_children(lei, coded, 5), _children(lei, coded, 7)], "所属下级科目")
    tot = total_line(case, table)
    if tot is not None:
        out += unread_total_warning(case, check_id, table)
        # one level at a time, never 类 + 款 + 项 together: the top level printed first; a level with rows
        # missing (a 类 row left out) is not an error while another whole level agrees
        options = [ls for level in (3, 5, 7) if (ls := [ln for ln in coded if _level(ln.code) == level])]
        if options:
            top = {3: "各类级科目", 5: "各款级科目", 7: "各项级科目"}[_level(options[0][0].code)]
            compare(tot, options, top)
    return out


def class_sum(case: Case, table: str, code: str,
              column: str = "total") -> tuple[Decimal, list[AccountLine]] | None:
    """The amount of 类 ``code`` in a 科目 table: its 3-digit line, or the sum of its deepest lines."""
    ls = [ln for ln in lines(case, table) if ln.code.startswith(code) and _level(ln.code) in (3, 5, 7)]
    if not ls:
        return None
    own = [ln for ln in ls if ln.code == code]
    if own:
        return col(own[0], column), own
    deepest = max(_level(ln.code) for ln in ls)
    leaves = [ln for ln in ls if _level(ln.code) == deepest]
    return sum((col(ln, column) for ln in leaves), ZERO), leaves


def table_total(case: Case, table: str, column: str = "total") -> Side | None:
    """The 合计 of a 科目 table in ``column``: its 合计 line, else the field ``accounts.{table}.{column}``;
    0 for a table that is present but empty (a blank 公开07 means no 政府性基金)."""
    ln = total_line(case, table)
    if ln is not None:
        if unread(case, ln):
            return None  # printed but not read: unknown, never 0 (see unread_total_warning)
        return side_of_line(ln, column)
    f = amount(case, f"accounts.{table}.{column}")
    if f is not None:
        return side_of_field(f)
    if table in present_tables(case):
        return zero_side(f"{TABLE_NAMES[table]}合计（空白）", table_unit(case, table), [])
    return None


MAIN_ROWS = {"income.1", "fiscal_income", "income_total", "expense_total", "grand_total",
             "grand_total_expense"}
"""Rows of 公开01/04 every department fills: when absent they were not read, never "blank = 0"."""


def t_field(case: Case, key: str) -> Side | None:
    """An ``accounts.*`` figure as a side; 0 (blank) when its table is present but the cell is blank.  A main
    row (本年收入合计, 一般公共预算财政拨款 …) or a 类 row of a table whose 类 rows were not read at all is
    unknown instead (None)."""
    f = amount(case, key)
    if f is not None:
        return side_of_field(f)
    table, rest = key.split(".")[1], ".".join(key.split(".")[2:])
    if rest in MAIN_ROWS:
        return None
    class_rows = f"accounts.{table}.class."
    if rest.startswith("class.") and not any(x.key.startswith(class_rows) for x in case.fields):
        return None
    if table in present_tables(case) and any(x.key.startswith(f"accounts.{table}.") for x in case.fields):
        name = T01_NAMES.get(".".join(key.split(".")[2:]), key)
        return zero_side(f"{TABLE_NAMES.get(table, table)}{name}（空白）", table_unit(case, table), [])
    return None


def _table_fields_present(case: Case, table: str) -> bool:
    return any(f.key.startswith(f"accounts.{table}.") and num(f) is not None for f in case.fields)


# -- 公开01 收入支出决算总表 --------------------------------------------------------------------------------


@check(id="accounts.i01a", severity="error", ref="domain §4 I-01a")
def i01a(case: Case) -> list[Finding]:
    """收入支出决算总表：本年收入合计 = 第1至8行各项收入之和。"""
    total = amount(case, "accounts.t01.income_total")
    keys = [f"accounts.t01.income.{n}" for n in range(1, 9)]
    if total is None:
        return []
    return identity("accounts.i01a", side_of_field(total), side_of_fields(case, keys, "各项收入（第1至8行）之和"))


@check(id="accounts.i01b", severity="error", ref="domain §4 I-01b")
def i01b(case: Case) -> list[Finding]:
    """收入支出决算总表：本年支出合计 = 各类（功能分类 类级）支出之和。"""
    total = amount(case, "accounts.t01.expense_total")
    keys = sorted({f.key for f in case.fields if f.key.startswith("accounts.t01.class.")})
    if total is None or not keys:
        return []
    return identity("accounts.i01b", side_of_field(total), side_of_fields(case, keys, "各类支出之和"))


@check(id="accounts.i01c", severity="error", ref="domain §4 I-01c")
def i01c(case: Case) -> list[Finding]:
    """收入支出决算总表收入方：总计 = 本年收入合计 + 使用非财政拨款结余 + 年初结转和结余。"""
    total = amount(case, "accounts.t01.grand_total")
    if total is None or amount(case, "accounts.t01.income_total") is None:
        return []
    keys = ["accounts.t01.income_total", "accounts.t01.use_nonfiscal_balance", "accounts.t01.carry_begin"]
    return identity("accounts.i01c", side_of_field(total),
                    side_of_fields(case, keys, "本年收入合计＋使用非财政拨款结余＋年初结转和结余"))


@check(id="accounts.i01d", severity="error", ref="domain §4 I-01d")
def i01d(case: Case) -> list[Finding]:
    """收入支出决算总表支出方：总计 = 本年支出合计 + 结余分配 + 年末结转和结余。"""
    total = amount(case, "accounts.t01.grand_total_expense")
    if total is None or amount(case, "accounts.t01.expense_total") is None:
        return []
    keys = ["accounts.t01.expense_total", "accounts.t01.balance_distribution", "accounts.t01.carry_end"]
    return identity("accounts.i01d", side_of_field(total), side_of_fields(case, keys, "本年支出合计＋结余分配＋年末结转和结余"))


@check(id="accounts.i01e", severity="error", ref="domain §4 I-01e")
def i01e(case: Case) -> list[Finding]:
    """收入支出决算总表：收入方总计 = 支出方总计。"""
    a, b = amount(case, "accounts.t01.grand_total"), amount(case, "accounts.t01.grand_total_expense")
    if a is None or b is None:
        return []
    return identity("accounts.i01e", side_of_field(a), side_of_field(b))


# -- 公开02 收入决算表 ---------------------------------------------------------------------------------------

T02_PARTS = ("fiscal", "superior", "business", "operating", "affiliated", "other")


@check(id="accounts.i02a", severity="error", ref="domain §4 I-02a")
def i02a(case: Case) -> list[Finding]:
    """收入决算表每一行：本年收入合计 = 财政拨款收入 + 上级补助收入 + 事业收入 + 经营收入 + 附属单位上缴收入 + 其他收入。"""
    return row_identities(case, "accounts.i02a", "t02", "total", T02_PARTS)


@check(id="accounts.i02b", severity="error", ref="domain §4 I-02b")
def i02b(case: Case) -> list[Finding]:
    """收入决算表每一栏：合计 = 各项级科目之和；类 = 所属款之和，款 = 所属项之和。"""
    return hierarchy_identities(case, "accounts.i02b", "t02", ("total",) + T02_PARTS)


@check(id="accounts.i02c", severity="error", ref="domain §4 I-02c")
def i02c(case: Case) -> list[Finding]:
    """收入决算表合计与收入支出决算总表一致：本年收入合计 = 总表本年收入合计；财政拨款收入 = 总表第1至3行之和；
    上级补助、事业、经营、附属单位上缴、其他收入 = 总表第4至8行。"""
    if "t01" not in present_tables(case) or not _table_fields_present(case, "t01"):
        return []
    pairs = [("total", ["accounts.t01.income_total"], "本年收入合计"),
             ("fiscal", [f"accounts.t01.income.{n}" for n in (1, 2, 3)], "财政拨款收入（第1至3行）")]
    pairs += [(c, [f"accounts.t01.income.{n}"], T01_NAMES[f"income.{n}"])
              for c, n in zip(T02_PARTS[1:], range(4, 9))]
    out: list[Finding] = []
    for column, keys, name in pairs:
        left = table_total(case, "t02", column)
        if left is None or (left.items == [] and left.value == 0):
            continue
        right = side_of_fields(case, keys, name)
        if right is None:
            if column == "fiscal":
                continue  # 公开01 行1–3 not read: no blank inference for the main row
            right = zero_side(f"{TABLE_NAMES['t01']}{name}（空白）", table_unit(case, "t01"), [])
        if left.value == 0 and right.value == 0:
            continue
        out += identity("accounts.i02c", left, right)
    return out


# -- 公开03 支出决算表 ---------------------------------------------------------------------------------------

T03_PARTS = ("basic", "project", "upper", "operating", "affiliated")


@check(id="accounts.i03a", severity="error", ref="domain §4 I-03a")
def i03a(case: Case) -> list[Finding]:
    """支出决算表每一行：本年支出合计 = 基本支出 + 项目支出 + 上缴上级支出 + 经营支出 + 对附属单位补助支出。"""
    return row_identities(case, "accounts.i03a", "t03", "total", T03_PARTS)


@check(id="accounts.i03b", severity="error", ref="domain §4 I-03b")
def i03b(case: Case) -> list[Finding]:
    """支出决算表每一栏：合计 = 各项级科目之和；类 = 所属款之和，款 = 所属项之和。"""
    return hierarchy_identities(case, "accounts.i03b", "t03", ("total",) + T03_PARTS)


def _class_codes(case: Case, table_fields: str, line_table: str) -> list[str]:
    codes = {f.key.split(".")[3] for f in case.fields if f.key.startswith(f"accounts.{table_fields}.class.")}
    codes |= {ln.code[:3] for ln in lines(case, line_table) if _level(ln.code) in (3, 5, 7)}
    return sorted(codes)


@check(id="accounts.i03c", severity="error", ref="domain §4 I-03c")
def i03c(case: Case) -> list[Finding]:
    """支出决算表与收入支出决算总表一致：合计 = 总表本年支出合计；每一类科目之和 = 总表该类支出。"""
    if not lines(case, "t03") or not _table_fields_present(case, "t01"):
        return []
    out: list[Finding] = []
    total = table_total(case, "t03", "total")
    t01_total = amount(case, "accounts.t01.expense_total")
    if total is not None and t01_total is not None:
        out += identity("accounts.i03c", side_of_field(t01_total), total)
    if not any(f.key.startswith("accounts.t01.class.") for f in case.fields):
        return out
    for code in _class_codes(case, "t01", "t03"):
        got = class_sum(case, "t03", code)
        t01c = t_field(case, f"accounts.t01.class.{code}")
        if t01c is not None and t01c.items == []:
            t01c.desc = f"{TABLE_NAMES['t01']}{class_names().get(code, code)}（空白）"
        if got is None:
            if t01c is None or t01c.value == 0:
                continue
            got_side = zero_side(f"{TABLE_NAMES['t03']}{code}类科目（无）", table_unit(case, "t03"), [])
        else:
            value, ls = got
            got_side = Side(value, ls[0].unit, f"{where(ls[0])}{code}类科目合计", list(ls),
                            [col(ln, "total") for ln in ls])
        out += identity("accounts.i03c", t01c, got_side) if t01c is not None else []
    return out


# -- 公开04 财政拨款收入支出决算总表 -------------------------------------------------------------------------


@check(id="accounts.i04a", severity="error", ref="domain §4 I-04a")
def i04a(case: Case) -> list[Finding]:
    """财政拨款收入支出决算总表收入方：总计 = 本年收入合计 + 年初财政拨款结转和结余；本年收入合计 = 第1至3行之和。"""
    out: list[Finding] = []
    total, income = amount(case, "accounts.t04.grand_total"), amount(case, "accounts.t04.income_total")
    if total is not None and income is not None:
        out += identity("accounts.i04a", side_of_field(total), side_of_fields(
            case, ["accounts.t04.income_total", "accounts.t04.carry_begin"],
            "本年收入合计＋年初财政拨款结转和结余"))
    parts = side_of_fields(case, [f"accounts.t04.income.{n}" for n in (1, 2, 3)], "第1至3行财政拨款收入之和")
    if income is not None and parts is not None:
        out += identity("accounts.i04a", side_of_field(income), parts)
    return out


def _funds_class(case: Case, code: str) -> Side | None:
    """Σ over 公开05/07/08 of 类 ``code`` (the three 财政拨款 columns of 公开04, from their own tables)."""
    items: list[Item] = []
    total = ZERO
    parts: list[Decimal] = []
    unit = ""
    found = False
    for table in ("t05", "t07", "t08"):
        got = class_sum(case, table, code)
        if got is None:
            continue
        found = True
        value, ls = got
        unit = unit or ls[0].unit
        if ls[0].unit != unit:
            return None  # mixed units across the three tables: left to I-05c / I-07c
        total += value
        parts.append(value)
        items += ls
    if not found:
        return None
    return Side(total, unit, "一般公共预算、政府性基金、国有资本经营三表该类支出之和", items, parts)


@check(id="accounts.i04b", severity="error", ref="domain §4 I-04b, I-04d")
def i04b(case: Case) -> list[Finding]:
    """财政拨款收入支出决算总表每一类支出（合计栏）= 一般公共预算财政拨款 + 政府性基金预算财政拨款 + 国有资本经营预算财政拨款，
    三栏分别与公开05、公开07、公开08该类支出一致。"""
    if "t05" not in present_tables(case):
        return []
    out: list[Finding] = []
    for code in sorted({f.key.split(".")[3] for f in case.fields if f.key.startswith("accounts.t04.class.")}
                       | {ln.code[:3] for ln in lines(case, "t05") if _level(ln.code) in (3, 5, 7)}):
        left = t_field(case, f"accounts.t04.class.{code}")
        right = _funds_class(case, code)
        if left is None or right is None:
            continue
        if left.items == []:
            left.desc = f"{TABLE_NAMES['t04']}{class_names().get(code, code)}（空白）"
        out += identity("accounts.i04b", left, right)
    return out


@check(id="accounts.i04c", severity="error", ref="domain §4 I-04c")
def i04c(case: Case) -> list[Finding]:
    """财政拨款收入支出决算总表支出方：本年支出合计 = 各类支出之和；总计 = 本年支出合计 + 年末财政拨款结转和结余 = 收入方总计。"""
    out: list[Finding] = []
    total = amount(case, "accounts.t04.expense_total")
    keys = sorted({f.key for f in case.fields if f.key.startswith("accounts.t04.class.")})
    if total is not None and keys:
        out += identity("accounts.i04c", side_of_field(total), side_of_fields(case, keys, "各类支出之和"))
    grand_exp = amount(case, "accounts.t04.grand_total_expense")
    if grand_exp is not None and total is not None:
        out += identity("accounts.i04c", side_of_field(grand_exp), side_of_fields(
            case, ["accounts.t04.expense_total", "accounts.t04.carry_end"], "本年支出合计＋年末财政拨款结转和结余"))
    grand = amount(case, "accounts.t04.grand_total")
    if grand_exp is not None and grand is not None:
        out += identity("accounts.i04c", side_of_field(grand), side_of_field(grand_exp))
    return out


@check(id="accounts.i04d", severity="error", ref="domain §4 I-04d")
def i04d(case: Case) -> list[Finding]:
    """财政拨款收入支出决算总表的财政拨款收入与收入支出决算总表一致：本年收入合计 = 总表第1至3行（财政拨款收入）之和，
    一般公共预算财政拨款 = 总表第1行。"""
    if not _table_fields_present(case, "t01"):
        return []
    out: list[Finding] = []
    income = amount(case, "accounts.t04.income_total")
    if income is not None:
        right = side_of_fields(case, [f"accounts.t01.income.{n}" for n in (1, 2, 3)],
                               "财政拨款收入（第1至3行）")
        out += identity("accounts.i04d", side_of_field(income), right)
    general = amount(case, "accounts.t04.income.1")
    if general is not None:
        out += identity("accounts.i04d", side_of_field(general), t_field(case, "accounts.t01.income.1"))
    return out


# -- 公开05 一般公共预算财政拨款支出决算表 --------------------------------------------------------------------


@check(id="accounts.i05a", severity="error", ref="domain §4 I-05a")
def i05a(case: Case) -> list[Finding]:
    """一般公共预算财政拨款支出决算表每一行：小计 = 基本支出 + 项目支出。"""
    return row_identities(case, "accounts.i05a", "t05", "total", ("basic", "project"))


@check(id="accounts.i05b", severity="error", ref="domain §4 I-05b")
def i05b(case: Case) -> list[Finding]:
    """一般公共预算财政拨款支出决算表每一栏：合计 = 各项级科目之和；类 = 所属款之和，款 = 所属项之和。"""
    return hierarchy_identities(case, "accounts.i05b", "t05", ("total", "basic", "project"))


@check(id="accounts.i05c", severity="error", ref="domain §4 I-05c")
def i05c(case: Case) -> list[Finding]:
    """一般公共预算财政拨款支出合计 = 财政拨款收入支出决算总表本年支出合计 − 政府性基金支出 − 国有资本经营支出。"""
    t05 = table_total(case, "t05", "total")
    t04 = amount(case, "accounts.t04.expense_total")
    if t05 is None or t04 is None or t05.items == []:
        return []
    others = [s for t in ("t07", "t08") if (s := table_total(case, t, "total")) is not None and s.value]
    if others and any(s.unit != t04.unit for s in others):
        return []
    right = Side(num(t04) - sum((s.value for s in others), ZERO), t04.unit,
                 f"{where(t04)}财政拨款本年支出合计" + ("扣除政府性基金、国有资本经营支出" if others else ""),
                 [t04, *[i for s in others for i in s.items]])
    return identity("accounts.i05c", t05, right)


@check(id="accounts.i05d", severity="error", ref="domain §4 I-05d, I-06d")
def i05d(case: Case) -> list[Finding]:
    """一般公共预算财政拨款基本支出合计（公开05）= 基本支出决算明细表人员经费合计 + 公用经费合计（公开06）。"""
    basic = table_total(case, "t05", "basic")
    if basic is None or basic.items == [] or (lines(case, "t05") and not column_read(case, "t05", "basic")):
        return []
    right = side_of_fields(case, ["accounts.t06.personnel", "accounts.t06.public"], "人员经费合计＋公用经费合计")
    return identity("accounts.i05d", basic, right)


def _all_income_general(case: Case) -> bool:
    """True when every yuan of the year came from 一般公共预算财政拨款 and nothing was carried in."""
    income = amount(case, "accounts.t01.income_total")
    general = amount(case, "accounts.t01.income.1")
    if income is None or general is None:
        return False
    if compare_amounts(num(income), income.unit, num(general), general.unit) != Match.EQUAL:
        return False
    for key in ("accounts.t01.carry_begin", "accounts.t01.use_nonfiscal_balance"):
        f = amount(case, key)
        if f is not None and num(f) != 0:
            return False
    return True


@check(id="accounts.i05e", severity="error", ref="domain §4 I-05e")
def i05e(case: Case) -> list[Finding]:
    """全部收入为一般公共预算财政拨款且无年初结转时，一般公共预算财政拨款支出决算表应与支出决算表逐行一致（小计/基本/项目）。"""
    if not lines(case, "t03") or not lines(case, "t05") or not _all_income_general(case):
        return []
    t03 = {ln.code: ln for ln in lines(case, "t03")}
    t05 = {ln.code: ln for ln in lines(case, "t05")}
    out: list[Finding] = []
    for code in sorted(set(t03) | set(t05), key=lambda c: (c == "", c)):
        a, b = t05.get(code), t03.get(code)
        for c in ("total", "basic", "project"):
            if a is None and b is not None and col(b, c) == 0:
                continue
            if b is None and a is not None and col(a, c) == 0:
                continue
            label = "合计" if not code else f"{code}{(a or b).name}"
            left = side_of_line(a, c, f"{where(a)}“{label}”{COLUMN_NAMES['t05'][c]}") if a else \
                zero_side(f"{TABLE_NAMES['t05']}“{label}”（无此行）", b.unit, [])
            right = side_of_line(b, c, f"{where(b)}“{label}”{COLUMN_NAMES['t03'][c]}") \
                if b else zero_side(f"{TABLE_NAMES['t03']}“{label}”（无此行）", a.unit, [])
            out += identity("accounts.i05e", left, right)
    return out


# -- 公开06 一般公共预算财政拨款基本支出决算明细表 -----------------------------------------------------------

PERSONNEL_CLASSES = ("301", "303")


def _econ(case: Case, level: int) -> list[Field]:
    return [f for f in case.fields if f.key.startswith("accounts.t06.econ.")
            and len(f.key.split(".")[3]) == level and num(f) is not None]


@check(id="accounts.i06a", severity="error", ref="domain §4 I-06a")
def i06a(case: Case) -> list[Finding]:
    """基本支出决算明细表：人员经费合计 = 301 工资福利支出 + 303 对个人和家庭的补助。"""
    total = amount(case, "accounts.t06.personnel")
    if total is None:
        return []
    right = side_of_fields(case, [f"accounts.t06.econ.{c}" for c in PERSONNEL_CLASSES],
                           "301工资福利支出＋303对个人和家庭的补助")
    return identity("accounts.i06a", side_of_field(total), right)


@check(id="accounts.i06b", severity="error", ref="domain §4 I-06b")
def i06b(case: Case) -> list[Finding]:
    """基本支出决算明细表：公用经费合计 = 302 商品和服务支出 + 307 债务利息及费用支出 + 310 资本性支出 + 399 其他支出
    （即人员经费以外的各款之和）。"""
    total = amount(case, "accounts.t06.public")
    if total is None:
        return []
    keys = [f.key for f in _econ(case, 3) if f.key.split(".")[3] not in PERSONNEL_CLASSES]
    right = side_of_fields(case, keys, "各公用经费款级科目（302、307、310、399等）之和")
    return identity("accounts.i06b", side_of_field(total), right)


@check(id="accounts.i06c", severity="error", ref="domain §4 I-06c")
def i06c(case: Case) -> list[Finding]:
    """基本支出决算明细表：每一款（如301）= 其下各项（30101…30199）之和。"""
    out: list[Finding] = []
    items = _econ(case, 5)
    for kuan in _econ(case, 3):
        code = kuan.key.split(".")[3]
        kids = [f.key for f in items if f.key.split(".")[3].startswith(code)]
        if not kids:
            continue
        right = side_of_fields(case, kids, f"其下{len(kids)}项之和")
        out += identity("accounts.i06c", side_of_field(kuan), right)
    return out


SANGONG_ECON = (("30217", "reception"), ("30212", "abroad"), ("30231", "vehicle_operation"),
                ("31013", "vehicle_purchase"))


@check(id="accounts.i06e", severity="error", ref="domain §4 I-06e")
def i06e(case: Case) -> list[Finding]:
    """基本支出中的公务接待费（30217）、因公出国（境）费用（30212）、公务用车运行维护费（30231）、公务用车购置（31013）
    不得超过“三公”经费支出决算表相应决算数（“三公”经费还包括项目支出和结转资金安排的部分）。"""
    if "t09" not in present_tables(case):
        return []
    printed = _table_fields_present(case, "t09")
    out: list[Finding] = []
    for code, item in SANGONG_ECON:
        part = amount(case, f"accounts.t06.econ.{code}")
        if part is None or num(part) == 0:
            continue
        whole = amount(case, f"accounts.t09.final.{item}")
        whole_side = side_of_field(whole) if whole is not None else zero_side(
            f"{TABLE_NAMES['t09']}{T09_NAMES[item]}决算数（空白）", table_unit(case, "t09") or part.unit, [])
        found = not_above("accounts.i06e", side_of_field(part), whole_side)
        if not printed:  # an empty 三公 table: maybe not read at all, so a reviewer must look
            for f in found:
                f.severity = Severity.WARNING
        out += found
    return out


# -- 公开07 政府性基金 / 公开08 国有资本经营 -------------------------------------------------------------------


@check(id="accounts.i07a", severity="error", ref="domain §4 I-07a")
def i07a(case: Case) -> list[Finding]:
    """政府性基金预算财政拨款收入支出决算表每一行：本年支出小计 = 基本支出 + 项目支出。"""
    return row_identities(case, "accounts.i07a", "t07", "total", ("basic", "project"))


@check(id="accounts.i07b", severity="error", ref="domain §4 I-07b")
def i07b(case: Case) -> list[Finding]:
    """政府性基金预算财政拨款收入支出决算表每一行：年末结转和结余 = 年初结转和结余 + 本年收入 − 本年支出。"""
    out: list[Finding] = []
    for ln in lines(case, "t07"):
        cols = ("carry_begin", "income", "total", "carry_end")
        if all(ln.columns.get(c) is None for c in cols):
            continue
        label = "合计" if not ln.code else f"{ln.code}{ln.name}"
        left = side_of_line(ln, "carry_end", f"{where(ln)}“{label}”年末结转和结余")
        right = Side(col(ln, "carry_begin") + col(ln, "income") - col(ln, "total"), ln.unit,
                     "年初结转和结余＋本年收入−本年支出", [], [col(ln, "carry_begin"), col(ln, "income"), -col(ln, "total")])
        out += identity("accounts.i07b", left, right)
    return out


@check(id="accounts.i07c", severity="error", ref="domain §4 I-07c")
def i07c(case: Case) -> list[Finding]:
    """政府性基金预算财政拨款本年收入合计 = 收入支出决算总表政府性基金预算财政拨款收入（第2行）。"""
    if "t07" not in present_tables(case) or not _table_fields_present(case, "t01"):
        return []
    left = table_total(case, "t07", "income")
    right = t_field(case, "accounts.t01.income.2")
    if left is None or right is None or (left.value == 0 and right.value == 0):
        return []
    return identity("accounts.i07c", left, right)


@check(id="accounts.i08a", severity="error", ref="domain §4 I-08a")
def i08a(case: Case) -> list[Finding]:
    """国有资本经营预算财政拨款支出决算表每一行：合计 = 基本支出 + 项目支出。"""
    return row_identities(case, "accounts.i08a", "t08", "total", ("basic", "project"))


@check(id="accounts.t07_t08_hierarchy", severity="error", ref="domain §4 I-02b applied to 公开07/08")
def t07_t08_hierarchy(case: Case) -> list[Finding]:
    """政府性基金、国有资本经营预算财政拨款支出决算表每一栏：合计 = 各项级科目之和；类 = 所属款之和，款 = 所属项之和。
    （公开08合计与公开04国有资本经营栏的一致性由 accounts.i04b 按类核对。）"""
    return (hierarchy_identities(case, "accounts.t07_t08_hierarchy", "t07",
                                 ("carry_begin", "income", "total", "basic", "project", "carry_end"))
            + hierarchy_identities(case, "accounts.t07_t08_hierarchy", "t08", ("total", "basic", "project")))


# -- 公开09 “三公”经费 ------------------------------------------------------------------------------------------


def _sangong(case: Case, check_id: str, side: str) -> list[Finding]:
    word = "预算数" if side == "budget" else "决算数"
    if not any(f.key.startswith(f"accounts.t09.{side}.") and num(f) is not None for f in case.fields):
        return []
    out: list[Finding] = []
    p = f"accounts.t09.{side}."
    total = amount(case, p + "total")
    if total is not None:
        right = side_of_fields(case, [p + "abroad", p + "vehicle", p + "reception"],
                               f"因公出国（境）费＋公务用车购置及运行维护费＋公务接待费（{word}）")
        if right is None:
            right = zero_side(f"各分项{word}（空白）", total.unit, [])
        out += identity(check_id, side_of_field(total), right)
    vehicle = amount(case, p + "vehicle")
    if vehicle is not None:
        right = side_of_fields(case, [p + "vehicle_purchase", p + "vehicle_operation"],
                               f"公务用车购置费＋公务用车运行维护费（{word}）")
        if right is None:
            right = zero_side(f"公务用车购置费、运行维护费{word}（空白）", vehicle.unit, [])
        out += identity(check_id, side_of_field(vehicle), right)
    return out


@check(id="accounts.i09a", severity="error", ref="domain §4 I-09a")
def i09a(case: Case) -> list[Finding]:
    """“三公”经费支出决算表预算数：合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；
    公务用车购置及运行维护费 = 购置费 + 运行维护费。"""
    return _sangong(case, "accounts.i09a", "budget")


@check(id="accounts.i09b", severity="error", ref="domain §4 I-09b")
def i09b(case: Case) -> list[Finding]:
    """“三公”经费支出决算表决算数：合计 = 因公出国（境）费 + 公务用车购置及运行维护费 + 公务接待费；
    公务用车购置及运行维护费 = 购置费 + 运行维护费。"""
    return _sangong(case, "accounts.i09b", "final")
