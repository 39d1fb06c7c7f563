"""Checks across the documents of a package (domain.md §5: C1–C17, C20–C22, C29, C31, C35).

Why it exists: each document of a 部门整体支出绩效自评 package can be right on its own and still disagree with
the others; that is what a reviewer looks for most.  The narrative (自评报告 N, 决算情况说明) states a quantity
many times: every statement is compared with the structured figures (自评表 S, 基础数据表 B, 决算 tables J),
and a finding names every place involved so the window can light them all up.

How figures are compared: in 万元 at the coarser printed precision (``tolerance.compare_amounts``); a
difference of one unit in that last place is a 尾数差异 warning, anything more an error for arithmetic
identities.  A narrative statement is accepted when it agrees with any legitimate figure for the quantity
(the 一般公共预算 portion, the 财政拨款 total …), so only statements that match nothing are reported.

What it must not do: check one document's own arithmetic (``basic.py``, ``accounts.py``, ``selfeval.py``,
``narrative.py`` do), or raise on missing data: a check whose inputs are absent returns no finding.

Narrative fields are read through the attributes of ``docs/fields-extended.md``: ``group`` (figures of one
statement), ``sentence``, ``section``, ``subject``, ``project_kind``, ``direction``, ``relation``, ``year``,
and the narrative extractor's links (``ref``, ``ref_numerator``/``ref_denominator``, ``ref_whole``) and
headings (``report.heading`` with ``title``/``body``).  Lists the extractor linked to a stated whole are the
narrative's own arithmetic (``narrative.py``) and are not checked again here.  Two text keys are read when an
extractor provides them: ``report.problems`` (the text of 存在的问题) and ``report.unit_name``.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Iterable

from core.checks.accounts import amount, class_names, class_sum, col, lines, present_tables, total_line
from core.checks.messages import (
    finding, fmt_amount, fmt_money, fmt_pct, fmt_value, fmt_wan, form_of, num, rounding_note,
    severity_of, where,
)
from core.checks.registry import check, run_memo, structure_memo
from core.checks.tolerance import (
    Match, compare_amounts, compare_percent, compare_table_sum, round_to, threshold, to_wan,
)
from core.model import AccountLine, Case, Field, Finding, Severity, SourceRef
from core.numbers import parse_target
from core.scoring.selfeval import cell_ref, sheet_indicators
from core.text import label_key

ZERO = Decimal(0)
N_FORMS = ("自评报告", "决算说明")
REPORT = ("自评报告",)


# -- reading -------------------------------------------------------------------------------------------------


def statements(case: Case, key: str, forms: Iterable[str] = N_FORMS) -> list[Field]:
    """Every numeric statement of ``key`` in the given narrative forms, in document order."""
    forms = tuple(forms)
    return [f for f in case.all(key) if num(f) is not None and form_of(f) in forms
            and f.attrs.get("period") != "prior"]  # "比上年决算6.50万元": last year's figure, not this one


def sentence(f: Field) -> str:
    return str(f.attrs.get("sentence") or f.raw or "")


def subject(f: Field) -> str:
    return str(f.attrs.get("subject") or "")


def unit_of(f: Field) -> str:
    return f.unit or "万元"


def same(a: Field, b: Field) -> Match:
    return compare_amounts(num(a), unit_of(a), num(b), unit_of(b))


def synthetic(key: str, value: Decimal, unit: str, source: SourceRef, label: str, **attrs: object) -> Field:
    """A figure read from an account line (or a blank cell taken as 0) in the shape of a field."""
    return Field(key=key, value=value, unit=unit, raw="", source=source, label=label, form="决算",
                 attrs=dict(attrs))


def j_figure(case: Case, table: str, column: str) -> Field | None:
    """A 合计 figure of a 决算 科目 table: the field ``accounts.{table}.{column}``, else the 合计 line's cell."""
    f = amount(case, f"accounts.{table}.{column}")
    if f is not None:
        return f
    ln = total_line(case, table)
    if ln is None:
        return None
    return synthetic(f"accounts.{table}.{column}", col(ln, column), ln.unit, ln.source, column)


def j_cell(case: Case, key: str, anchors: Iterable[str] = ()) -> Field | None:
    """An ``accounts.*`` summary figure; a blank cell of a table that is printed counts as 0 and is placed at
    the nearest printed figure of that table (``anchors`` first)."""
    f = amount(case, key)
    if f is not None:
        return f
    table = key.split(".")[1]
    anchor = next((a for k in anchors if (a := amount(case, k)) is not None), None)
    if anchor is None:
        anchor = next((x for x in case.fields
                       if x.key.startswith(f"accounts.{table}.") and num(x) is not None), None)
    if anchor is None:
        return None
    return synthetic(key, ZERO, anchor.unit, anchor.source, key, blank=True)


def show(f: Field) -> str:
    """A figure as printed; a blank cell taken as 0 reads "空白（0）"."""
    if f.attrs.get("blank"):
        return "空白（按0计）"
    return fmt_money(f)


def diff_wan(a: Field, b: Field) -> str:
    return fmt_wan(abs(to_wan(num(a), unit_of(a)) - to_wan(num(b), unit_of(b))))


def agree(check_id: str, quantity: str, refs: list[Field | None], stmts: list[Field],
          accept: Iterable[Field | None] = ()) -> list[Finding]:
    """One quantity in several documents.  ``refs`` are the structured figures (决算, 自评表, 基础数据表), the
    first being the reference; each other one must equal it.  Each narrative statement must equal one of the
    refs or an ``accept``-ed figure (another legitimate figure for the same words).  Error when different,
    warning for a rounding difference; the finding's places are the statement and every reference."""
    refs = [r for r in refs if r is not None]
    accept = [a for a in accept if a is not None]
    out: list[Finding] = []
    if not refs:
        return out
    primary = refs[0]
    for r in refs[1:]:
        m = same(r, primary)
        if m != Match.EQUAL:
            out.append(finding(
                check_id, severity_of(m),
                f"{where(r)}{quantity}{show(r)}，{where(primary)}为{show(primary)}，相差{diff_wan(r, primary)}"
                f"{rounding_note(m)}",
                [r, primary], [num(r), num(primary)]))
    for s in stmts:
        matches = [same(s, x) for x in refs + accept]
        if Match.EQUAL in matches:
            continue
        m = Match.ROUNDING if Match.ROUNDING in matches else Match.DIFFERENT
        others = "，".join(f"{where(r)}为{show(r)}" for r in refs)
        out.append(finding(
            check_id, severity_of(m),
            f"{where(s)}{quantity}{show(s)}，{others}，相差{diff_wan(s, primary)}{rounding_note(m)}",
            [s, *refs], [num(s), *[num(r) for r in refs]]))
    return out


def group_id(f: Field) -> tuple | None:
    """Figures of one statement share ``attrs.group``; failing that, the same sentence."""
    if f.attrs.get("group"):
        return ("g", f.doc, str(f.attrs["group"]))
    if f.attrs.get("sentence"):
        return ("s", f.doc, str(f.attrs["sentence"]))
    return None


def distinct(fs: list[Field]) -> list[Decimal]:
    vals: list[Decimal] = []
    for f in fs:
        if not any(to_wan(num(f), unit_of(f)) == v for v in vals):
            vals.append(to_wan(num(f), unit_of(f)))
    return vals


def linked(fs: list[Field]) -> bool:
    """True when the extractor tied these parts to their whole ("其中：" list, ``ref_whole``): such lists are
    checked by ``narrative.parts_sum`` / ``narrative.personnel_public``, not again here."""
    return any(f.attrs.get("ref_whole") for f in fs)


def whole_parts(case: Case, check_id: str, whole: tuple[str, str], parts: list[tuple[str, str]],
                required: int) -> list[Finding]:
    """In each narrative: a whole stated with its parts ("支出X万元，其中基本支出Y万元，项目支出Z万元") must equal
    their sum.  Figures of one statement (``group``/``sentence``) are compared, unless the extractor linked
    them as a list (``narrative.py`` checks those); when no statement holds them together, a narrative that
    states each figure with one value only is compared as a whole (figures in different paragraphs)."""
    keys = [whole[0]] + [k for k, _ in parts]
    names = dict([whole] + parts)
    out: list[Finding] = []
    docs = sorted({f.doc for f in case.fields if f.key in keys and form_of(f) in N_FORMS})
    for doc in docs:
        fs = [f for f in case.fields
              if f.doc == doc and f.key in keys and form_of(f) in N_FORMS and num(f) is not None]
        groups: dict[tuple, list[Field]] = defaultdict(list)
        for f in fs:
            gid = group_id(f)
            if gid is not None:
                groups[gid].append(f)
        checked = False
        for g in groups.values():
            if linked(g):
                checked = checked or any(f.key == whole[0] for f in g)
                continue
            if _compare_whole(check_id, g, whole[0], [k for k, _ in parts], required, names, out):
                checked = True
        if not checked:
            _compare_whole(check_id, fs, whole[0], [k for k, _ in parts], required, names, out)
    return out


def _compare_whole(check_id: str, fs: list[Field], whole_key: str, part_keys: list[str], required: int,
                   names: dict[str, str], out: list[Finding]) -> bool:
    wholes = [f for f in fs if f.key == whole_key]
    by_key = {k: [f for f in fs if f.key == k] for k in part_keys}
    present = [k for k in part_keys if by_key[k]]
    if not wholes or len(present) < required:
        return False
    if len(distinct(wholes)) != 1 or any(len(distinct(by_key[k])) != 1 for k in present):
        return False  # the same words with two values: ambiguous here (narrative.py reports repeats)
    w = wholes[0]
    ps = [by_key[k][0] for k in present]
    wv = to_wan(num(w), unit_of(w))
    pv = [to_wan(num(p), unit_of(p)) for p in ps]
    m = compare_table_sum(wv, pv, "万元")
    if m != Match.EQUAL:
        s = sum(pv, ZERO)
        listed = "＋".join(f"{names[p.key]}{show(p)}" for p in ps)
        out.append(finding(
            check_id, severity_of(m),
            f"{where(w)}{names[whole_key]}{show(w)}，而{listed}＝{fmt_wan(s)}，相差{fmt_wan(abs(wv - s))}"
            f"{rounding_note(m)}",
            [*wholes, *ps], [num(w), s]))
    return True


def narrative_texts(case: Case, forms: Iterable[str] = REPORT) -> list[tuple[Field, str]]:
    """(field, text) of every narrative sentence we know of: the sentences around extracted figures and the
    text fields of the narrative."""
    forms = tuple(forms)
    return run_memo(case, f"cross.narrative_texts{forms}", lambda: _narrative_texts(case, forms))


def _narrative_texts(case: Case, forms: tuple[str, ...]) -> list[tuple[Field, str]]:
    out: list[tuple[Field, str]] = []
    seen: set[str] = set()
    for f in case.fields:
        if form_of(f) not in forms:
            continue
        if f.key == "report.heading":
            text = f"{f.attrs.get('title', '')}\n{f.attrs.get('body', '')}".strip()
        else:
            text = sentence(f) if num(f) is not None or f.attrs.get("sentence") else str(f.value or "")
        if text and text not in seen:
            seen.add(text)
            out.append((f, text))
    return out


def case_year(case: Case) -> int | None:
    years = [d.year for d in case.documents if d.year]
    return Counter(years).most_common(1)[0][0] if years else None


# -- C1–C5: totals -------------------------------------------------------------------------------------------


@check(id="cross.c01_total_spending", severity="error", ref="domain §5 C1")
def c01_total_spending(case: Case) -> list[Finding]:
    """总支出一致：自评报告和决算情况说明所述支出合计 = 自评表全年执行数 = 决算收入支出决算总表本年支出合计
    （万元，差0.01为尾数差异）；所述财政拨款支出 = 财政拨款收入支出决算总表本年支出合计。"""
    j = amount(case, "accounts.t01.expense_total")
    s = amount(case, "selfeval.funds.executed")
    accept = [amount(case, "accounts.t01.grand_total_expense"), amount(case, "accounts.t01.grand_total"),
              amount(case, "accounts.t04.expense_total"), j_figure(case, "t05", "total"),
              j_figure(case, "t03", "total"), amount(case, "selfeval.income.general_budget")]
    out = agree("cross.c01_total_spending", "支出合计", [j, s], statements(case, "report.expense_total"), accept)
    fiscal = amount(case, "accounts.t04.expense_total") or j_figure(case, "t05", "total")
    out += agree("cross.c01_total_spending", "财政拨款支出", [fiscal], statements(case, "report.fiscal_expense"),
                 [j, j_figure(case, "t05", "total"), amount(case, "selfeval.income.general_budget")])
    return out


@check(id="cross.c01_total_income", severity="error", ref="domain §5 C1, §4 情况说明")
def c01_total_income(case: Case) -> list[Finding]:
    """收入一致：自评报告和决算情况说明所述收入合计、收支总计、财政拨款收入（收支总计）= 收入支出决算总表、财政拨款
    收入支出决算总表的相应金额。"""
    j = amount(case, "accounts.t01.income_total")
    accept = [amount(case, "accounts.t01.grand_total"), amount(case, "accounts.t04.income_total"),
              amount(case, "accounts.t04.grand_total"), j_figure(case, "t02", "total"),
              amount(case, "selfeval.funds.executed"), amount(case, "selfeval.income.general_budget")]
    out = agree("cross.c01_total_income", "收入合计", [j], statements(case, "report.income_total"), accept)
    grand = amount(case, "accounts.t01.grand_total")
    out += agree("cross.c01_total_income", "收支总计", [grand], statements(case, "report.grand_total"),
                 [j, amount(case, "accounts.t01.grand_total_expense")])
    fiscal = amount(case, "accounts.t04.income_total")
    out += agree("cross.c01_total_income", "财政拨款收入", [fiscal], statements(case, "report.fiscal_income"),
                 [amount(case, "accounts.t01.income.1")])
    out += agree("cross.c01_total_income", "财政拨款收支总计", [amount(case, "accounts.t04.grand_total")],
                 statements(case, "report.fiscal_grand_total"), [fiscal])
    return out


@check(id="cross.c02_basic", severity="error", ref="domain §5 C2")
def c02_basic(case: Case) -> list[Finding]:
    """基本支出一致：自评报告和决算情况说明每一处所述基本支出 = 自评表基本支出 = 决算支出决算表基本支出合计。"""
    j = j_figure(case, "t03", "basic") or j_figure(case, "t05", "basic")
    return agree("cross.c02_basic", "基本支出", [j, amount(case, "selfeval.spending.basic")],
                 statements(case, "report.basic"), [j_figure(case, "t05", "basic")])


@check(id="cross.c03_project", severity="error", ref="domain §5 C3")
def c03_project(case: Case) -> list[Finding]:
    """项目支出一致：自评报告和决算情况说明每一处所述项目支出 = 自评表项目支出 = 基础数据表项目支出本年决算数
    = 决算支出决算表项目支出合计。"""
    j = j_figure(case, "t03", "project") or j_figure(case, "t05", "project")
    refs = [j, amount(case, "selfeval.spending.project"), amount(case, "basic.project.final")]
    return agree("cross.c03_project", "项目支出", refs, statements(case, "report.project"),
                 [j_figure(case, "t05", "project")])


@check(id="cross.c04_basic_plus_project", severity="error", ref="domain §5 C4")
def c04_basic_plus_project(case: Case) -> list[Finding]:
    """基本支出 + 项目支出 = 总支出：在自评报告（同一处所述的三个数）、自评表和决算支出决算表中分别成立。"""
    out = whole_parts(case, "cross.c04_basic_plus_project", ("report.expense_total", "支出合计"),
                      [("report.basic", "基本支出"), ("report.project", "项目支出")], 2)
    sources = [("selfeval.funds.executed", "selfeval.spending.basic", "selfeval.spending.project", "全年执行数")]
    if total_line(case, "t03") is None:  # with the lines, accounts.i03a checks the 合计 row
        sources.append(("accounts.t03.total", "accounts.t03.basic", "accounts.t03.project", "本年支出合计"))
    for total_k, basic_k, project_k, name in sources:
        t, b, p = amount(case, total_k), amount(case, basic_k), amount(case, project_k)
        if t is None or b is None or p is None:
            continue
        m = compare_table_sum(num(t), [num(b), num(p)], t.unit)
        if m == Match.EQUAL:
            continue
        s = num(b) + num(p)
        out.append(finding(
            "cross.c04_basic_plus_project", severity_of(m),
            f"{where(t)}{name}{show(t)}，而基本支出{show(b)}＋项目支出{show(p)}＝{fmt_amount(s, unit_of(t))}，"
            f"相差{fmt_amount(abs(num(t) - s), unit_of(t))}{rounding_note(m)}",
            [t, b, p], [num(t), s]))
    return out


@check(id="cross.c05_personnel_public", severity="error", ref="domain §5 C5")
def c05_personnel_public(case: Case) -> list[Finding]:
    """人员经费 + 公用经费 = 基本支出（自评报告、决算情况说明同一处所述）；所述人员经费、公用经费分别等于决算基本支出
    决算明细表的人员经费合计、公用经费合计。"""
    out = whole_parts(case, "cross.c05_personnel_public", ("report.basic", "基本支出"),
                      [("report.personnel", "人员经费"), ("report.public", "公用经费")], 2)
    out += agree("cross.c05_personnel_public", "人员经费", [amount(case, "accounts.t06.personnel")],
                 statements(case, "report.personnel"))
    out += agree("cross.c05_personnel_public", "公用经费", [amount(case, "accounts.t06.public")],
                 statements(case, "report.public"))
    return out


# -- C7–C10: projects, 结转结余, 年初预算 ----------------------------------------------------------------------


def project_total(case: Case) -> Field | None:
    """The 项目支出 total a project list is compared with: 自评表, 决算, 基础数据表, else the narrative's own
    figure when it states only one value."""
    for f in (amount(case, "selfeval.spending.project"), j_figure(case, "t03", "project"),
              amount(case, "basic.project.final")):
        if f is not None:
            return f
    stated = statements(case, "report.project", REPORT)
    return stated[0] if stated and len(distinct(stated)) == 1 else None


def _by_subject(fs: list[Field]) -> list[Field]:
    """One figure per project: a project named twice in one list is counted once."""
    out: list[Field] = []
    seen: set[str] = set()
    for f in fs:
        name = label_key(subject(f))
        if name and name in seen:
            continue
        seen.add(name)
        out.append(f)
    return out


@check(id="cross.c07_project_list", severity="error", ref="domain §5 C7, §6.2 #21")
def c07_project_list(case: Case) -> list[Finding]:
    """自评报告逐项列出的项目实际支出之和 = 项目支出总额；不等时，若列举注明“其中/主要”（部分列举）仅提示核对。"""
    total = project_total(case)
    if total is None:
        return []
    sections: dict[tuple, list[Field]] = defaultdict(list)
    for f in statements(case, "report.project.actual", REPORT):
        sections[(f.doc, str(f.attrs.get("section", "")))].append(f)
    out: list[Finding] = []
    for fs in sections.values():
        fs = _by_subject(fs)
        if len(fs) < 2 or linked(fs):
            continue  # a "其中：" list tied to a total the narrative states: narrative.parts_sum
        vals = [to_wan(num(f), unit_of(f)) for f in fs]
        tv = to_wan(num(total), unit_of(total))
        m = compare_table_sum(tv, vals, "万元")
        if m == Match.EQUAL:
            continue
        s = sum(vals, ZERO)
        partial = any(re.search(r"其中|主要|包括", sentence(f)) for f in fs)
        sev = Severity.WARNING if partial or m == Match.ROUNDING else Severity.ERROR
        note = "（列举注明“其中”，为部分列举，请核对未列项目）" if partial else ""
        out.append(finding(
            "cross.c07_project_list", sev,
            f"{where(fs[0])}列举的{len(fs)}个项目实际支出合计{fmt_wan(s)}，{where(total)}项目支出为{show(total)}，"
            f"相差{fmt_wan(abs(tv - s))}{rounding_note(m)}{note}",
            [*fs, total], [s, num(total)]))
    return out


def projects(case: Case) -> list[dict[str, Field]]:
    """The narrative's projects: {"budget", "actual", "carryover"} figures of one project statement."""
    groups: dict[tuple, dict[str, list[Field]]] = defaultdict(lambda: defaultdict(list))
    for part in ("budget", "actual", "carryover"):
        for f in statements(case, f"report.project.{part}", REPORT):
            gid = (("g", f.doc, str(f.attrs["group"])) if f.attrs.get("group")
                   else ("p", f.doc, label_key(subject(f))) if subject(f) else group_id(f))
            if gid is None:
                continue
            groups[gid][part].append(f)
    out = []
    for g in groups.values():
        if any(len(distinct(v)) > 1 for v in g.values()):
            continue  # one name with two different figures: ambiguous
        out.append({k: v[0] for k, v in g.items()})
    return out


def _project_name(f: Field) -> str:
    """"“人才经费”" for a figure of a named project, "该项目" otherwise."""
    name = subject(f)
    return f"“{name}”" if name else "该项目"


def _is_initial_project(f: Field) -> bool:
    kind = str(f.attrs.get("project_kind", ""))
    return "年初" in kind if kind else "年初预算项目" in sentence(f)


def _year_end_carry(case: Case) -> Field | None:
    f = j_cell(case, "accounts.t01.carry_end",
               ("accounts.t01.grand_total_expense", "accounts.t01.expense_total"))
    if f is None:
        f = j_cell(case, "accounts.t04.carry_end", ("accounts.t04.grand_total", "accounts.t04.expense_total"))
    return f


def _is_year_end(f: Field) -> bool:
    text = f"{f.label}{subject(f)}"
    if "年初" in text:
        return False
    s = sentence(f)
    return not ("年初结转" in s and "年末" not in s and "结余结转" not in s)


@check(id="cross.c09_carryover", severity="error", ref="domain §5 C9, §4 I-01f, §6.2 #8")
def c09_carryover(case: Case) -> list[Finding]:
    """自评报告和决算情况说明所述结余结转（各项目结余结转及结转结余总额）须与收入支出决算总表“年末结转和结余”一致：
    决算表空白或为0而报告称有结余结转，即相互矛盾；项目结余结转之和不得超过年末结转和结余。"""
    j = _year_end_carry(case)
    if j is None:
        return []
    totals = [f for f in statements(case, "report.carryover") if _is_year_end(f)]
    per_project = statements(case, "report.project.carryover", REPORT)
    out: list[Finding] = []
    if num(j) == 0:
        for f in totals + per_project:
            if num(f) > 0:
                what = f"{_project_name(f)}结余结转" if f.key == "report.project.carryover" else "结转结余"
                out.append(finding(
                    "cross.c09_carryover", "error",
                    f"{where(f)}称{what}{show(f)}，但{where(j)}年末结转和结余为{show(j)}，二者矛盾",
                    [f, j], [num(f), num(j)]))
        return out
    out += agree("cross.c09_carryover", "结转结余", [j], totals)
    if per_project:
        s = sum((to_wan(num(f), unit_of(f)) for f in per_project), ZERO)
        jv = to_wan(num(j), unit_of(j))
        if s > jv and compare_amounts(s, "万元", num(j), unit_of(j)) != Match.EQUAL:
            m = compare_amounts(s, "万元", num(j), unit_of(j))
            out.append(finding(
                "cross.c09_carryover", severity_of(m),
                f"{where(per_project[0])}各项目结余结转合计{fmt_wan(s)}，超过{where(j)}年末结转和结余{show(j)}"
                f"{rounding_note(m)}",
                [*per_project, j], [s, num(j)]))
    return out


@check(id="cross.c10_initial_budget", severity="error", ref="domain §5 C10")
def c10_initial_budget(case: Case) -> list[Finding]:
    """年初预算一致：自评报告和决算情况说明所述部门年初预算数 = 自评表年初预算数。（决算情况说明各科目年初预算之和、
    “年初预算项目”合计不超过年初预算数，由 narrative.item_sums / narrative.project_budget_total 核对。）"""
    return agree("cross.c10_initial_budget", "年初预算", [amount(case, "selfeval.funds.initial_budget")],
                 statements(case, "report.initial_budget"))


# -- C12: 收入性质 -----------------------------------------------------------------------------------------------

INCOME_PARTS = ("general_budget", "gov_fund", "special_account", "other")


@check(id="cross.c12_income_sources", severity="error", ref="domain §5 C12")
def c12_income_sources(case: Case) -> list[Finding]:
    """自评表按收入性质分列的一般公共预算、政府性基金拨款、纳入专户管理的非税收入拨款、其他资金之和 = 全年执行数；
    政府性基金拨款 = 决算政府性基金预算财政拨款支出 = 自评报告所述政府性基金预算支出。"""
    out: list[Finding] = []
    parts = [f for k in INCOME_PARTS if (f := amount(case, f"selfeval.income.{k}")) is not None]
    executed = amount(case, "selfeval.funds.executed")
    if executed is not None and parts:
        m = compare_table_sum(num(executed), [num(f) for f in parts], unit_of(executed))
        if m != Match.EQUAL:
            s = sum((num(f) for f in parts), ZERO)
            out.append(finding(
                "cross.c12_income_sources", severity_of(m),
                f"{where(executed)}全年执行数{show(executed)}，而按收入性质分列合计{fmt_amount(s, unit_of(executed))}，"
                f"相差{fmt_amount(abs(num(executed) - s), unit_of(executed))}{rounding_note(m)}",
                [executed, *parts], [num(executed), s]))
    gov = amount(case, "selfeval.income.gov_fund")
    if gov is None and parts:
        gov = synthetic("selfeval.income.gov_fund", ZERO, "万元", parts[0].source, "政府性基金拨款", blank=True)
        gov.form = "自评表"
    j = j_figure(case, "t07", "total")
    if j is None and "t07" in present_tables(case):
        j = j_cell(case, "accounts.t07.total")
    refs = [x for x in (j, gov) if x is not None]
    if len(refs) == 2 and num(gov) == 0 and num(j) == 0:
        refs = refs[:1]
    out += agree("cross.c12_income_sources", "政府性基金预算支出", refs, statements(case, "report.gov_fund"))
    return out


# -- C13, C14: 三公 --------------------------------------------------------------------------------------------

SANGONG_ITEMS = ("total", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception")
SANGONG_NAMES = {"total": "“三公”经费", "abroad": "因公出国（境）费", "vehicle": "公务用车购置及运行维护费",
                 "vehicle_purchase": "公务用车购置费", "vehicle_operation": "公务用车运行维护费", "reception": "公务接待费"}
SANGONG_WORDS = (("reception", "公务接待"), ("abroad", "出国"), ("vehicle", "购置及运行"),
                 ("vehicle_purchase", "购置"), ("vehicle_operation", "运行"), ("vehicle", "公务用车"))


def n_sangong_key(item: str, side: str) -> str:
    return f"report.sangong.{side}" if item == "total" else f"report.sangong.{item}.{side}"


def j_sangong(case: Case, item: str, side: str) -> Field | None:
    if "t09" not in present_tables(case):
        return None
    return j_cell(case, f"accounts.t09.{side}.{item}", (f"accounts.t09.{side}.total",))


def b_sangong(case: Case, item: str, side: str) -> Field | None:
    return amount(case, f"basic.{'sangong' if item == 'total' else item}.{side}")


def by_ref(case: Case) -> dict[str, Field]:
    """Narrative figures by their ``ref`` id (the extractor links a stated ratio to its operands by it)."""
    return structure_memo(case, "cross.by_ref",
                          lambda: {str(f.attrs["ref"]): f for f in case.with_prefix("report.") if f.attrs.get("ref")})


def by_group(case: Case) -> dict[str, list[Field]]:
    """Fields by statement group (``group_id``)."""
    def build() -> dict[str, list[Field]]:
        out: dict[str, list[Field]] = defaultdict(list)
        for f in case.fields:
            gid = group_id(f)
            if gid is not None:
                out[gid].append(f)
        return dict(out)

    return structure_memo(case, "cross.by_group", build)


def _sangong_item(key: str) -> str:
    parts = key.split(".")
    return parts[2] if len(parts) == 4 else "total"


def _words_item(text: str) -> str | None:
    if "三公" in text:
        return "total"
    return next((item for item, word in SANGONG_WORDS if word in text), None)


def sangong_ratios(case: Case) -> list[tuple[Field, str, list[Field]]]:
    """(stated "完成预算的r%", which 三公 figure it is about, the stated 预算/决算 it divides) for every
    completion ratio about 三公: operands from ``ref_numerator``/``ref_denominator``, else the statement's
    group, else the words of its subject and sentence."""
    refs = by_ref(case)
    out: list[tuple[Field, str, list[Field]]] = []
    for r in statements(case, "report.stated_ratio"):
        if str(r.attrs.get("relation", "completion")) != "completion":
            continue
        ops = [refs[str(r.attrs[k])] for k in ("ref_denominator", "ref_numerator")
               if r.attrs.get(k) and str(r.attrs[k]) in refs]
        if ops:
            if all(o.key.startswith("report.sangong.") for o in ops):
                out.append((r, _sangong_item(ops[0].key), ops))
            continue
        gid = group_id(r)
        group = [g for g in by_group(case).get(gid, []) if gid is not None and g is not r
                 and g.key.startswith("report.sangong.")]
        if not group and not re.search(r"三公|公务接待|因公出国|公务用车", sentence(r)):
            continue
        items = {_sangong_item(g.key) for g in group}
        item = _words_item(subject(r)) or (next(iter(items)) if len(items) == 1 else None) or \
            _words_item(sentence(r))
        if item is not None:
            out.append((r, item, [g for g in group if _sangong_item(g.key) == item]))
    return out


@check(id="cross.c13_sangong", severity="error", ref="domain §5 C13, §4 I-09d I-09e, §6.2 #5")
def c13_sangong(case: Case) -> list[Finding]:
    """“三公”经费（合计及各分项）预算数、决算数：自评报告和决算情况说明所述 = 决算“三公”经费支出决算表 = 基础数据表
    “三公”经费行（元折合万元）；所述“完成预算的r%”= 决算数 ÷ 预算数（按决算表金额计算；按折合万元保留两位小数后
    的金额计算也认可）。"""
    out: list[Finding] = []
    for item in SANGONG_ITEMS:
        for side, word in (("budget", "预算数"), ("final", "决算数")):
            refs = [j_sangong(case, item, side), b_sangong(case, item, side)]
            if all(r is None or (r.attrs.get("blank") and item != "total") for r in refs):
                refs = [r for r in refs if r is not None and not r.attrs.get("blank")]
            out += agree("cross.c13_sangong", f"{SANGONG_NAMES[item]}{word}", refs,
                         statements(case, n_sangong_key(item, side)))
    for r, item, stated in sangong_ratios(case):
        budget, final = j_sangong(case, item, "budget"), j_sangong(case, item, "final")
        if budget is None or final is None:
            budget, final = b_sangong(case, item, "budget"), b_sangong(case, item, "final")
        if budget is None or final is None or not num(budget):
            continue  # 预算 0: the ratio is undefined (narrative.completion_ratio reports a "100%" there)
        bw, fw = to_wan(num(budget), unit_of(budget)), to_wan(num(final), unit_of(final))
        computed = fw / bw * 100
        m = compare_percent(num(r), computed)
        b2, f2 = round_to(bw, 2), round_to(fw, 2)
        if m != Match.EQUAL and b2 and compare_percent(num(r), f2 / b2 * 100) == Match.EQUAL:
            m = Match.EQUAL  # computed from the amounts as a narrative prints them (万元, 2 decimals)
        if m == Match.EQUAL:
            continue
        n_b = next((g for g in stated if g.key.endswith(".budget")), None)
        n_f = next((g for g in stated if g.key.endswith(".final")), None)
        said = "、".join(x for x in (f"预算{show(n_b)}" if n_b else "", f"决算{show(n_f)}" if n_f else "") if x)
        out.append(finding(
            "cross.c13_sangong", severity_of(m),
            f"{where(r)}称{SANGONG_NAMES[item]}完成预算的{fmt_value(r)}" + (f"（{said}）" if said else "") +
            f"，{where(budget)}预算数{show(budget)}、决算数{show(final)}，完成{fmt_pct(computed)}{rounding_note(m)}",
            [r, n_b, n_f, budget, final],
            [num(r), computed.quantize(Decimal("0.01")), *(num(g) for g in (n_b, n_f) if g is not None),
             bw, fw]))
    return out


_DIRECTION = re.compile(
    r"(?:比|较|与|同)上年(?:度)?(?:决算数?|同期)?(?:相比)?[，,]?\s*(持平|增加|增长|上升|减少|下降|降低)")
_DIRECTIONS = {"持平": "flat", "增加": "increase", "增长": "increase", "上升": "increase",
               "减少": "decrease", "下降": "decrease", "降低": "decrease"}
_DIRECTION_WORDS = {"flat": "与上年持平", "increase": "比上年增加", "decrease": "比上年减少"}


def _sangong_change_statements(case: Case) -> list[tuple[Field, str, Field | None]]:
    """(place, direction, stated amount or None) of every narrative statement of how 三公 changed."""
    out: list[tuple[Field, str, Field | None]] = []
    seen: set[str] = set()
    for f in statements(case, "report.change.amount"):
        gid = group_id(f)
        if _words_item(subject(f)) not in (None, "total"):
            continue  # a change of one 三公 item, not of the total
        totals = ("report.sangong.final", "report.sangong.budget")
        about = "三公" in subject(f) or "三公" in sentence(f) or (gid is not None and any(
            g.key in totals for g in by_group(case).get(gid, ())))
        if not about:
            continue
        direction = str(f.attrs.get("direction", ""))
        if not direction:
            m = _DIRECTION.search(sentence(f))
            direction = _DIRECTIONS.get(m.group(1), "") if m else ""
        if direction:
            out.append((f, direction, f))
            seen.add(sentence(f))
    for f in statements(case, "report.sangong.final"):
        s = sentence(f)
        if s in seen:
            continue
        m = _DIRECTION.search(s)
        if m:
            out.append((f, _DIRECTIONS[m.group(1)], None))
            seen.add(s)
    return out


@check(id="cross.c14_sangong_change", severity="error", ref="domain §5 C14")
def c14_sangong_change(case: Case) -> list[Finding]:
    """自评报告对“三公”经费与上年相比“增加/减少/持平”的表述（及所述变动额）须与基础数据表“三公”经费本年决算数与上年
    决算数之差一致。"""
    prev, final = b_sangong(case, "total", "prev"), b_sangong(case, "total", "final")
    if prev is None or final is None:
        return []
    delta = to_wan(num(final), unit_of(final)) - to_wan(num(prev), unit_of(prev))
    actual = "flat" if delta == 0 else "increase" if delta > 0 else "decrease"
    out: list[Finding] = []
    for f, direction, stated in _sangong_change_statements(case):
        facts = f"{where(final)}“三公”经费本年决算数{show(final)}、上年决算数{show(prev)}"
        if direction != actual:
            out.append(finding(
                "cross.c14_sangong_change", "error",
                f"{where(f)}称“三公”经费{_DIRECTION_WORDS[direction]}，而{facts}，实际"
                + ("持平" if actual == "flat" else f"{'增加' if delta > 0 else '减少'}{fmt_wan(abs(delta))}"),
                [f, final, prev], [num(final), num(prev), delta]))
            continue
        if stated is not None and actual != "flat":
            m = compare_amounts(num(stated), unit_of(stated), abs(delta), "万元")
            if m != Match.EQUAL:
                out.append(finding(
                    "cross.c14_sangong_change", severity_of(m),
                    f"{where(f)}所述“三公”经费变动额{show(stated)}，而{facts}，实际"
                    f"{'增加' if delta > 0 else '减少'}{fmt_wan(abs(delta))}{rounding_note(m)}",
                    [f, final, prev], [num(stated), abs(delta)]))
    return out


# -- C15–C17: 公用经费, 预算调整 -------------------------------------------------------------------------------------


@check(id="cross.c15_public_goods_services", severity="warning", ref="domain §5 C15, §6.3 #5")
def c15_public_goods_services(case: Case) -> list[Finding]:
    """基础数据表“公用经费”本年决算数（基本支出中的一般商品和服务支出）应与决算基本支出明细表302商品和服务支出、
    自评报告所述商品和服务支出相符；不符时须说明口径。"""
    j = amount(case, "accounts.t06.econ.302")
    b = amount(case, "basic.public.final")
    return [_as_warning(f) for f in agree("cross.c15_public_goods_services", "商品和服务支出（公用经费）", [j, b],
                                          statements(case, "report.econ.goods_services"))]


def _as_warning(f: Finding) -> Finding:
    f.severity = Severity.WARNING
    return f


PROBLEM_KEYS = ("report.problems",)
_NO_PROBLEM = re.compile(r"^(无|暂无|没有|不存在)[。.；;]?$|(无(?![法论须需])|没有|不存在|未发现)[^，。；]{0,24}(问题|偏离|情况)")
_SHORT_SECTION = 80  # characters: a section that analyses real problems says more than a one-line denial


def problem_statements(case: Case) -> list[tuple[Field, str]]:
    """(place, text) of the 存在的问题及原因分析 section of the 自评报告: its heading (title and body, when the
    body is printed whole), ``report.problems`` text fields, else the figures printed in that section."""
    out: list[tuple[Field, str]] = []
    for f in case.all("report.heading"):
        if form_of(f) in REPORT and "存在的问题" in str(f.attrs.get("title", "")):
            body = str(f.attrs.get("body", ""))
            if len(body) < int(f.attrs.get("body_len", len(body)) or 0):
                return []  # a long section, only its start is at hand: it says more than "无"
            out.append((f, body))
    out += [(f, str(f.value)) for k in PROBLEM_KEYS for f in case.all(k) if str(f.value or "").strip()]
    if out:
        return out
    return [(f, sentence(f)) for f in case.fields
            if form_of(f) in REPORT and "存在的问题" in str(f.attrs.get("section", ""))]


def _says_no_problem(texts: list[tuple[Field, str]], topic: str) -> tuple[Field, str] | None:
    """The statement that claims there is no problem, unless the section mentions ``topic`` anywhere or is
    longer than a one-line denial."""
    if any(re.search(topic, t) for _, t in texts) or sum(len(t.strip()) for _, t in texts) > _SHORT_SECTION:
        return None
    return next(((f, t) for f, t in texts if _NO_PROBLEM.search(t.strip())), None)


@check(id="cross.c16_public_over_unexplained", severity="warning", ref="domain §5 C16, §6.3 #6")
def c16_public_over_unexplained(case: Case) -> list[Finding]:
    """公用经费控制率（基础数据表公用经费本年决算数 ÷ 本年预算数）超过100%时，自评报告“存在的问题”不应称无问题。"""
    budget, final = amount(case, "basic.public.budget"), amount(case, "basic.public.final")
    if budget is None or final is None or not num(budget) or num(final) <= num(budget):
        return []
    said = _says_no_problem(problem_statements(case), r"公用经费|超支|超预算|超出预算")
    if said is None:
        return []
    place, text = said
    rate = num(final) / num(budget) * 100
    return [finding(
        "cross.c16_public_over_unexplained", "warning",
        f"{where(final)}公用经费本年决算数{show(final)}、预算数{show(budget)}，控制率{fmt_pct(rate)}，超过100%；"
        f"但{where(place)}“存在的问题”称“{_short(text)}”，未作说明",
        [final, budget, place], [num(final), num(budget), rate.quantize(Decimal("0.01"))])]


def _short(text: str, n: int = 30) -> str:
    t = re.sub(r"\s+", "", text)
    return t if len(t) <= n else t[:n] + "…"


_EXPLAINS_ADJUSTMENT = re.compile(
    r"追加|调增|预算调整|调整预算|年中(?:下达|划转|调整|新增)|新增(?:专项|项目|资金)|划转")


def _adjustment_explained(case: Case) -> bool:
    if any("追加" in str(f.attrs.get("project_kind", "")) for f in case.fields if form_of(f) in REPORT):
        return True
    return any(_EXPLAINS_ADJUSTMENT.search(t) for _, t in narrative_texts(case, N_FORMS))


@check(id="cross.c17_budget_adjustment", severity="warning", ref="domain §5 C17, §6.3 #8")
def c17_budget_adjustment(case: Case) -> list[Finding]:
    """预算调整率 =（全年预算数 − 年初预算数）÷ 年初预算数；超过30%（湖南评分表不得分）而自评报告未说明追加/调整
    原因的，提示核对；基础数据表项目支出决算数超过预算数30%以上同样须说明。"""
    if _adjustment_explained(case):
        return []
    limit = threshold("budget_adjustment_rate_max")
    out: list[Finding] = []
    initial = amount(case, "selfeval.funds.initial_budget")
    annual = amount(case, "selfeval.funds.annual_budget")
    if initial is not None and annual is not None and num(annual) > num(initial):
        if num(initial):
            rate = (num(annual) - num(initial)) / num(initial) * 100
            if rate > limit:
                out.append(finding(
                    "cross.c17_budget_adjustment", "warning",
                    f"{where(annual)}全年预算数{show(annual)}、年初预算数{show(initial)}，预算调整率{fmt_pct(rate)}，"
                    f"超过30%，自评报告未说明预算追加（调整）原因",
                    [annual, initial], [num(annual), num(initial), rate.quantize(Decimal("0.01"))]))
        else:
            out.append(finding(
                "cross.c17_budget_adjustment", "warning",
                f"{where(annual)}年初预算数为0，全年预算数{show(annual)}全部为年中调整，自评报告未说明原因",
                [annual, initial], [num(annual), num(initial)]))
    b_budget, b_final = amount(case, "basic.project.budget"), amount(case, "basic.project.final")
    if b_budget is not None and b_final is not None and num(b_budget) and num(b_final) > num(b_budget):
        over = (num(b_final) - num(b_budget)) / num(b_budget) * 100
        if over > limit:
            ratio = num(b_final) / num(b_budget) * 100
            out.append(finding(
                "cross.c17_budget_adjustment", "warning",
                f"{where(b_final)}项目支出本年决算数{show(b_final)}为预算数{show(b_budget)}的{fmt_pct(ratio)}，"
                f"自评报告未说明预算追加原因",
                [b_final, b_budget], [num(b_final), num(b_budget), ratio.quantize(Decimal("0.01"))]))
    return out


_MEETING_TRAINING = ((("report.meeting", "report.meeting_fee"), "30215", "会议费"),
                     (("report.training", "report.training_fee"), "30216", "培训费"))


@check(id="cross.meeting_training", severity="warning", ref="domain §6.2 #23, §4 I-06")
def meeting_training(case: Case) -> list[Finding]:
    """决算情况说明（一般性支出）所述会议费、培训费与基本支出决算明细表30215会议费、30216培训费对照：明细表为空
    （或大于所述金额）时，所述费用须由项目支出列支，提示核对项目明细。"""
    if not any(f.key.startswith("accounts.t06.econ.") for f in case.fields):
        return []
    out: list[Finding] = []
    for keys, code, name in _MEETING_TRAINING:
        econ = amount(case, f"accounts.t06.econ.{code}")
        for s in (s for key in keys for s in statements(case, key)):
            if num(s) == 0:
                continue
            if econ is None or num(econ) == 0:
                anchor = econ or amount(case, "accounts.t06.econ.302") or amount(case, "accounts.t06.public")
                out.append(finding(
                    "cross.meeting_training", "warning",
                    f"{where(s)}称开支{name}{show(s)}，而{where(anchor) if anchor else '基本支出决算明细表'}"
                    f"{code}{name}为空白，应由项目支出列支，请核对项目明细",
                    [s, anchor], [num(s), ZERO]))
            elif to_wan(num(econ), unit_of(econ)) > to_wan(num(s), unit_of(s)) \
                    and same(econ, s) != Match.EQUAL:
                out.append(finding(
                    "cross.meeting_training", "warning",
                    f"{where(s)}称开支{name}{show(s)}，少于{where(econ)}基本支出中的{code}{name}{show(econ)}",
                    [s, econ], [num(s), num(econ)]))
    return out


# -- C20: project 年初预算 in the 决算 narrative vs the report -----------------------------------------------------


def _name_variants(name: str) -> list[str]:
    k = label_key(name)
    out = [k] if len(k) >= 2 else []
    for suffix in ("专项工作经费", "专项经费", "补助经费", "工作经费", "经费", "专项", "资金"):
        if k.endswith(suffix) and len(k) - len(suffix) >= 3:
            out.append(k[: -len(suffix)])
    return out


def _mentions(text: str, name: str) -> bool:
    t = label_key(text)
    return any(v in t for v in _name_variants(name))


@check(id="cross.c20_project_initial_budget", severity="error", ref="domain §5 C20, §6.2 #10 #22")
def c20_project_initial_budget(case: Case) -> list[Finding]:
    """同一笔资金：自评报告称“年初预算项目”的年初预算金额，不得超过决算情况说明中提到该项目的科目的年初预算
    （如决算说明称“年初预算为0万元……人才经费预算时未纳入部门预算”）；项目实际支出超过该科目支出决算时提示核对口径。"""
    items = statements(case, "report.item.initial_budget", ("决算说明",))
    finals = statements(case, "report.item.final", ("决算说明",))
    if not items:
        return []
    out: list[Finding] = []
    for p in projects(case):
        name = subject(next(iter(p.values())))
        if not name:
            continue
        hits = [f for f in items if _mentions(sentence(f) + subject(f), name)]
        if len(hits) != 1:
            continue  # not named in the 决算 narrative, or named under several 科目: cannot pair
        item = hits[0]
        item_final = next((f for f in finals if (group_id(item) is not None and group_id(f) == group_id(item))
                           or (subject(f) and subject(f) == subject(item))), None)
        b, a = p.get("budget"), p.get("actual")
        where_item = f"{where(item)}“{subject(item) or '该科目'}”"
        if b is not None and _is_initial_project(b):
            if to_wan(num(b), unit_of(b)) > to_wan(num(item), unit_of(item)):
                out.append(finding(
                    "cross.c20_project_initial_budget", "error",
                    f"{where(b)}称“{name}”为年初预算项目、年初预算{show(b)}，而{where_item}年初预算为{show(item)}"
                    f"（该科目说明提及此项资金）",
                    [b, item], [num(b), num(item)]))
        if a is not None and item_final is not None:
            if to_wan(num(a), unit_of(a)) > to_wan(num(item_final), unit_of(item_final)) and \
                    compare_amounts(num(a), unit_of(a), num(item_final), unit_of(item_final)) != Match.EQUAL:
                out.append(finding(
                    "cross.c20_project_initial_budget", "warning",
                    f"{where(a)}“{name}”实际支出{show(a)}，超过{where_item}支出决算{show(item_final)}，"
                    f"须说明其余部分列支的科目",
                    [a, item_final], [num(a), num(item_final)]))
    return out


# -- C21, C22: people ----------------------------------------------------------------------------------------


@check(id="cross.c21_staff", severity="error", ref="domain §5 C21")
def c21_staff(case: Case) -> list[Finding]:
    """自评报告所述编制数、实有人数 = 基础数据表编制数、实际在职人数（注明其他年度的表述除外）。"""
    year = case_year(case)
    out: list[Finding] = []
    for k, name in (("authorized", "编制数"), ("actual", "实有（在职）人数")):
        ref = amount(case, f"basic.staff.{k}")
        if ref is None:
            continue
        for s in statements(case, f"report.staff.{k}", REPORT):
            y = s.attrs.get("year")
            if y and year and str(y) != str(year):
                continue  # a figure stated for another year (C30, narrative.py)
            if num(s) != num(ref):
                out.append(finding(
                    "cross.c21_staff", "error",
                    f"{where(s)}{name}{fmt_value(s)}，{where(ref)}为{fmt_value(ref)}",
                    [s, ref], [num(s), num(ref)]))
    return out


# the department's own staff: 工资（津贴补贴）发放人数, 在职/在编/实有人数 — not 高龄津贴 recipients
_HEADCOUNT = re.compile(r"(工资|在职|在编|实有|供养|编制)[^，。]*人数|人数[^，。]*(工资|在职|在编)")


@check(id="cross.c22_headcount_indicators", severity="warning", ref="domain §5 C22")
def c22_headcount_indicators(case: Case) -> list[Finding]:
    """自评表中与人数挂钩的指标（如“工资、津贴补贴发放人数”）的实际完成值应与基础数据表/自评报告的实有人数相符。"""
    ref = amount(case, "basic.staff.actual")
    if ref is None:
        stated = statements(case, "report.staff.actual", REPORT)
        year = case_year(case)
        stated = [s for s in stated
                  if not (s.attrs.get("year") and year and str(s.attrs["year"]) != str(year))]
        if not stated or len({num(s) for s in stated}) != 1:
            return []
        ref = stated[0]
    out: list[Finding] = []
    for rid, ind in sheet_indicators(case):
        if not _HEADCOUNT.search(label_key(ind.level3)):
            continue
        actual = parse_target(ind.actual)
        if actual.kind != "number" or actual.value is None or actual.unit not in ("人", "名", ""):
            continue
        if actual.value == num(ref):
            continue
        place = cell_ref(ind, "actual")
        out.append(finding(
            "cross.c22_headcount_indicators", "warning",
            f"自评表第{place.page}页指标“{ind.level3.strip()}”实际完成值{ind.actual.strip()}，"
            f"{where(ref)}实有人数为{fmt_value(ref)}",
            [place, ref], [actual.value, num(ref)], keys=[f"indicators.{rid}.actual"]))
    return out


# -- C29: 成本指标 vs 决算 -----------------------------------------------------------------------------------------

_COST = (("personnel", re.compile(r"人员经费|人员支出"), "人员经费合计"),
         ("public", re.compile(r"公用经费|运转经费|运行经费|日常公用"), "公用经费合计"))


@check(id="cross.c29_cost_indicators", severity="error", ref="domain §5 C29")
def c29_cost_indicators(case: Case) -> list[Finding]:
    """自评表成本指标中的人员经费、公用（运转）经费实际完成值 = 决算基本支出决算明细表人员经费合计、公用经费合计。"""
    out: list[Finding] = []
    for rid, ind in sheet_indicators(case):
        if "成本" not in ind.level1:
            continue
        for k, pattern, name in _COST:
            if not pattern.search(label_key(ind.level3)):
                continue
            ref = amount(case, f"accounts.t06.{k}")
            if ref is None:
                stated = statements(case, f"report.{k}")
                ref = stated[0] if stated and len(distinct(stated)) == 1 else None
            actual = parse_target(ind.actual)
            if ref is None or actual.kind != "number" or actual.value is None:
                continue
            unit = actual.unit if actual.unit in ("元", "万元", "亿元") else "万元"
            m = compare_amounts(actual.value, unit, num(ref), unit_of(ref))
            if m == Match.EQUAL:
                continue
            place = cell_ref(ind, "actual")
            what = name if ref.key.startswith("accounts.") else f"所述{name.removesuffix('合计')}"
            out.append(finding(
                "cross.c29_cost_indicators", severity_of(m),
                f"自评表第{place.page}页成本指标“{ind.level3.strip()}”实际完成值{ind.actual.strip()}，"
                f"{where(ref)}{what}为{show(ref)}{rounding_note(m)}",
                [place, ref], [actual.value, num(ref)], keys=[f"indicators.{rid}.actual"]))
    return out


# -- C31: unit names -----------------------------------------------------------------------------------------

UNIT_NAME_KEYS = ("report.unit_name", "selfeval.unit_name", "basic.unit_name", "accounts.unit_name")
# wording that belongs to another kind of unit: (character the unit's own name would contain, its phrases;
# "本局" not inside "基本局面")
FOREIGN_WORDING = (("局", re.compile(r"局机关|我局|(?<![基根])本局|全局干部职工")),
                   ("厅", re.compile(r"厅机关|我厅|本厅")),
                   ("院", re.compile(r"院机关|我院|(?<![基根])本院")))


def canonical_unit(name: str) -> str:
    """A unit name for comparison: 中国共产党 → 中共, 委员会 → 委, no punctuation, no "（本级）"."""
    k = label_key(name)
    k = k.replace("中国共产党", "中共").replace("委员会", "委")
    return re.sub(r"本级$", "", k)


@check(id="cross.c31_unit_name", severity="warning", ref="domain §5 C31, §6.3 #12")
def c31_unit_name(case: Case) -> list[Finding]:
    """各材料所填单位名称应为同一单位（“中国共产党…委员会组织部”与“中共…委组织部”视为相同）；自评报告中不应出现
    其他类型单位的表述（如组织部报告中的“局机关”）。"""
    out: list[Finding] = []
    names = [f for k in UNIT_NAME_KEYS for f in case.all(k) if isinstance(f.value, str) and f.value.strip()]
    first = names[0] if names else None
    for f in names[1:]:
        a, b = canonical_unit(str(first.value)), canonical_unit(str(f.value))
        if a and b and a != b and a not in b and b not in a:
            out.append(finding(
                "cross.c31_unit_name", "warning",
                f"{where(f)}单位名称为“{f.value}”，{where(first)}为“{first.value}”，不是同一单位",
                [f, first], [f.value, first.value]))
    own = " ".join(str(f.value) for f in names) + " ".join(d.unit_name for d in case.documents)
    for char, phrases in FOREIGN_WORDING:
        if char in own:
            continue
        for f, text in narrative_texts(case, REPORT):
            m = phrases.search(text)
            if m:
                hit = m.group(0)
                who = f"“{first.value}”" if first is not None else "本单位"
                out.append(finding(
                    "cross.c31_unit_name", "warning",
                    f"{where(f)}出现“{hit}”的表述（{_short(text)}），与{who}不符，疑为套用其他单位材料",
                    [f], [hit]))
    return out


# -- C35: the package ----------------------------------------------------------------------------------------

REQUIRED_KINDS = (("自评报告", ("自评报告",)), ("自评表", ("自评表",)), ("基础数据表", ("基础数据表",)),
                  ("部门决算", ("决算说明",) + tuple(f"公开0{i}" for i in range(1, 10))))
PROJECT_SHEET_KINDS = ("项目自评表", "项目支出绩效自评表")


_PROJECT_SHEET_MENTION = re.compile(r"项目(?:支出)?绩效自评表")


@check(id="cross.c35_attachments", severity="warning", ref="domain §5 C35, §6.1 #4, §6.2 #20")
def c35_attachments(case: Case) -> list[Finding]:
    """一套部门整体支出绩效自评材料应包括自评报告、自评表、基础数据表和部门决算；自评报告称附有（或要求填报）
    项目支出绩效自评表的，材料中也应有该表。"""
    kinds = {k for d in case.documents for k in d.kinds}
    review = {k for _, ks in REQUIRED_KINDS for k in ks}
    if not kinds & review:
        return []
    out: list[Finding] = []
    missing = [name for name, ks in REQUIRED_KINDS if not kinds & set(ks)]
    if missing:
        out.append(finding("cross.c35_attachments", "warning", f"材料中没有{'、'.join(missing)}，无法与其核对",
                           [_package_place(case)], missing, keys=[f"documents.{name}" for name in missing]))
    if not kinds & set(PROJECT_SHEET_KINDS):
        said = next(((f, t) for f, t in narrative_texts(case, REPORT) + _placeholders(case)
                     if _PROJECT_SHEET_MENTION.search(t)), None)
        if said is not None:
            f, text = said
            out.append(finding(
                "cross.c35_attachments", "warning",
                f"{where(f)}提到项目支出绩效自评表（{_short(text)}），但材料中没有该表",
                [f], ["项目支出绩效自评表"], keys=["documents.项目支出绩效自评表"]))
    return out


def _placeholders(case: Case) -> list[tuple[Field, str]]:
    """Template text the extractor found left in the report (``report.placeholder``): it names attachments
    too."""
    return [(f, f"{f.value}{sentence(f)}") for f in case.all("report.placeholder") if form_of(f) in REPORT]


def _package_place(case: Case) -> SourceRef:
    """Where a package-level finding points: the first page of the first reviewable document (the first
    figure on it when there is one, so the window has a box to show)."""
    for d in case.documents:
        if not d.kinds:
            continue
        page = min(p for ps in d.kinds.values() for p in ps)
        f = next((f for f in case.fields if f.doc == d.id and f.page == page), None)
        return SourceRef(d.id, page, f.bbox if f is not None else (0.0, 0.0, 0.0, 0.0))
    return SourceRef(case.documents[0].id, 1, (0.0, 0.0, 0.0, 0.0))


# -- 决算情况说明 amounts vs the 决算 tables ------------------------------------------------------------------------


def _class_code_of(name: str) -> str | None:
    k = label_key(name).replace("类", "").replace("支出", "")
    for code, cname in class_names().items():
        if k and label_key(cname).replace("支出", "") == k:
            return code
    return None


@check(id="cross.j_class_amounts", severity="error", ref="domain §4 情况说明 (类 amounts)")
def j_class_amounts(case: Case) -> list[Finding]:
    """决算情况说明所述各类（功能分类 类级）支出金额 = 一般公共预算财政拨款支出决算表（或收入支出决算总表）该类合计。"""
    out: list[Finding] = []
    for f in statements(case, "report.class.amount"):
        code = _class_code_of(subject(f))
        if code is None:
            continue
        refs: list[Field] = []
        for table in ("t05", "t03"):
            got = class_sum(case, table, code)
            if got is not None:
                value, ls = got
                refs.append(synthetic(f"accounts.{table}.class.{code}", value, ls[0].unit, ls[0].source,
                                      code))
        refs += [x for t in ("t01", "t04") if (x := amount(case, f"accounts.{t}.class.{code}")) is not None]
        if not refs:
            continue
        out += agree("cross.j_class_amounts", f"{subject(f)}支出", refs[:1], [f], refs[1:])
    return out


_ITEM_PART = re.compile(r"([^（）()]+?)\s*[（(]\s*(类|款|项)\s*[）)]")


def _item_names(title: str) -> dict[str, str]:
    """"一般公共服务（类）组织事务（款）行政运行（项）" → {"类": "一般公共服务", "款": "组织事务", "项": "行政运行"}."""
    out: dict[str, str] = {}
    for m in _ITEM_PART.finditer(title):
        name = re.sub(r"^[\d一二三四五六七八九十]+[、.．]\s*", "", m.group(1).strip())
        out[m.group(2)] = name
    return out


def _match_line(case: Case, names: dict[str, str]) -> tuple[str, list[AccountLine]]:
    table = "t05" if lines(case, "t05") else "t03"
    leaves = [ln for ln in lines(case, table) if len(ln.code) == 7]
    target = label_key(names.get("项", ""))
    hits = [ln for ln in leaves if target and label_key(ln.name) == target]
    if len(hits) > 1 and names.get("款"):
        kuan = {ln.code for ln in lines(case, table)
                if len(ln.code) == 5 and label_key(ln.name) == label_key(names["款"])}
        hits = [ln for ln in hits if ln.code[:5] in kuan] or hits
    return table, hits


@check(id="cross.j_item_amounts", severity="error", ref="domain §4 情况说明 (科目 items), §6.2 #6")
def j_item_amounts(case: Case) -> list[Finding]:
    """决算情况说明逐项说明的科目（“××（类）××（款）××（项）”）：支出决算金额 = 一般公共预算财政拨款支出决算表该项科目
    小计；科目名称应与决算表一致（名称对不上而金额对应到其他科目时提示核对）。"""
    out: list[Finding] = []
    for f in statements(case, "report.item.final", ("决算说明",)):
        names = _item_names(subject(f) or sentence(f))
        if "项" not in names:
            continue
        table, hits = _match_line(case, names)
        if len(hits) == 1:
            ln = hits[0]
            ref = synthetic(f"accounts.{table}.line.{ln.code}", col(ln, "total"), ln.unit, ln.source,
                            f"{ln.code}{ln.name}")
            m = same(f, ref)
            if m != Match.EQUAL:
                out.append(finding(
                    "cross.j_item_amounts", severity_of(m),
                    f"{where(f)}“{names['项']}（项）”支出决算{show(f)}，{where(ln)}{ln.code}{ln.name}为"
                    f"{fmt_money(ref)}，相差{diff_wan(f, ref)}{rounding_note(m)}",
                    [f, ln], [num(f), col(ln, "total")]))
            continue
        if hits:
            continue  # the same 项 name under several 款: cannot tell which
        by_amount = [ln for ln in lines(case, table) if len(ln.code) == 7 and
                     compare_amounts(num(f), unit_of(f), col(ln, "total"), ln.unit) == Match.EQUAL]
        if len(by_amount) == 1:
            ln = by_amount[0]
            printed, named = label_key(names["项"]), label_key(ln.name)
            if len(printed) < 2 or named.endswith(printed) or named.startswith(printed):
                continue  # the title was cut (a line break before "出（项）"): not another 科目
            out.append(finding(
                "cross.j_item_amounts", "warning",
                f"{where(f)}说明的科目“{names['项']}（项）”在{where(ln)}中没有同名科目；金额{show(f)}对应的科目为"
                f"{ln.code}{ln.name}，科目名称不一致",
                [f, ln], [num(f), col(ln, "total")]))
    return out
