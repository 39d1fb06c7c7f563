"""Reading the package's figures: the helpers every family of cross-document checks uses.

* Narrative statements: ``statements`` (the numeric statements of a key in the narrative forms), their
  ``sentence``, ``subject``, ``unit_of``, and ``group_id`` (figures of one statement); ``distinct`` values,
  ``linked`` lists (tied to their whole by the extractor: ``narrative.py`` checks those), ``narrative_texts``
  (every sentence and text field of a narrative), ``case_year``.
* 决算 figures in the shape of a field: ``j_figure`` (a 合计 of a 科目 table), ``j_cell`` (a summary figure; a
  blank cell of a printed table counts as 0), ``synthetic``.
* Messages: ``show`` (a figure as printed), ``diff_wan``, ``short`` (a quotation).
* The two comparisons most checks are made of: ``agree`` (one quantity in several documents, ``same``) and
  ``whole_parts`` (a stated whole against its stated parts).

How figures are compared: in 万元 at the coarser printed precision (``tolerance.compare_amounts``); a
difference of one unit in that last place is a 尾数差异 warning, anything more an error for arithmetic
identities.  A narrative statement is accepted when it agrees with any legitimate figure for the quantity
(the 一般公共预算 portion, the 财政拨款 total …), so only statements that match nothing are reported.

Narrative fields are read through the attributes of ``docs/fields-extended.md``: ``group`` (figures of one
statement), ``sentence``, ``section``, ``subject``, ``project_kind``, ``direction``, ``relation``, ``year``,
and the narrative extractor's links (``ref``, ``ref_numerator``/``ref_denominator``, ``ref_whole``) and
headings (``report.heading`` with ``title``/``body``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Iterable

from core.checks.accounts import amount, col, total_line
from core.checks.messages import finding, fmt_money, fmt_wan, form_of, num, rounding_note, severity_of, where
from core.checks.registry import run_memo
from core.checks.tolerance import Match, compare_amounts, compare_table_sum, to_wan
from core.model import Case, Field, Finding, SourceRef

ZERO = Decimal(0)
N_FORMS = ("自评报告", "决算说明")
REPORT = ("自评报告",)


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


def short(text: str, n: int = 30) -> str:
    """``text`` without white space, cut to ``n`` characters: a quotation in a message."""
    t = re.sub(r"\s+", "", text)
    return t if len(t) <= n else t[:n] + "…"
