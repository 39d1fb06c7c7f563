"""Checks on the narrative's own arithmetic and on figures it states more than once (domain §4 "Narrative
identities", §5 C5–C10, C18, C19, C30, C32–C34, C36).

Why this module exists: the 自评报告 and the 决算说明 restate the accounts in prose and do their own sums
("完成年初预算的2.75%" for 2257.39 / 821.4); reviewers find most real errors there.  Each check below is a
small function over the narrative fields of ``core.extraction.narrative`` (keys and attributes of
``docs/fields-extended.md``, operands linked by ``ref_*`` attributes) and reports, in Chinese, the numbers
that disagree, as printed and as recomputed, and every place involved.

What it must not do: read PDFs or text (only ``case.fields``), compare the narrative with the tables (that is
``core.checks.cross``), or raise on odd data: a statement whose operands were not found is skipped.
Tolerances come from ``core.checks.tolerance`` (data in ``resources/tolerances.json``).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from typing import Iterable

from core.checks.registry import check, structure_memo
from core.checks.tolerance import Match, compare_money, compare_percent, compare_sum, places, round_to, to_wan
from core.extraction.narrative import FORMS, canonical_subject, lexicon
from core.model import Case, Field, Finding, Severity, SourceRef

_MONEY = {"元", "万元", "亿元", "千元"}
_PERSONS = {"人", "人次", "名", "位"}
_HUNDRED = Decimal(100)


# -- helpers -------------------------------------------------------------------------------------------------

def _narrative(case: Case) -> list[Field]:
    """The narrative's statements (kept from run to run: which they are does not depend on values)."""
    return structure_memo(case, "narrative.fields",
                          lambda: [f for f in case.with_prefix("report.") if f.form in FORMS])


def _narrative_refs(case: Case) -> dict[str, Field]:
    return structure_memo(case, "narrative.refs", lambda: _by_ref(_narrative(case)))


def _by_ref(fields: Iterable[Field]) -> dict[str, Field]:
    return {f.attrs["ref"]: f for f in fields if isinstance(f.attrs.get("ref"), str)}


def _dec(f: Field | None) -> Decimal | None:
    v = f.value if f is not None else None
    return v if isinstance(v, Decimal) else None


def _wan(f: Field) -> Decimal | None:
    v = _dec(f)
    if v is None or f.unit not in _MONEY | {""}:
        return None
    if f.unit == "千元":
        return v / Decimal(10)
    return to_wan(v, f.unit)


def _num(f: Field) -> Decimal | None:
    """A money field in 万元, any other number as printed."""
    return _wan(f) if f.unit in _MONEY else _dec(f)


def _where(f: Field) -> str:
    return f"{f.form}第{f.page}页"


def _s(d: Decimal | None) -> str:
    if d is None:
        return "?"
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


def _raw(f: Field) -> str:
    return re.sub(r"\s+", "", f.raw) or f"{_s(_dec(f))}{f.unit}"


def _r(d: Decimal, n: int) -> Decimal:
    return round_to(d, max(n, 0))


def _pct(stated: Decimal, computed: Decimal) -> str:
    return _s(_r(computed, max(places(stated), 2)))


def _subject(f: Field) -> str:
    s = f.attrs.get("subject")
    return s if isinstance(s, str) else ""


def _label_name(f: Field) -> str:
    """What a field's label calls it, without the form ("报告：满意度指标分值" → 满意度指标分值): the name of a
    quantity whose key is made per item (report.level1_weight.满意度指标) and so has no name of its own."""
    return f.label.split("：", 1)[-1].strip()


def _loc(*fields: Field | None) -> list[SourceRef]:
    out: list[SourceRef] = []
    for f in fields:
        if f is not None and f.source not in out:
            out.append(f.source)
    return out


def _ratios(case: Case, relation: str) -> Iterable[tuple[Field, dict[str, Field]]]:
    fields = _narrative(case)
    refs = _narrative_refs(case)
    for f in fields:
        if f.key == "report.stated_ratio" and f.attrs.get("relation") == relation and _dec(f) is not None:
            yield f, refs


def _doc_key(f: Field) -> tuple[str, str]:
    return (f.doc, f.form)


def _severity(m: Match) -> Severity | None:
    if m == Match.DIFFERENT:
        return Severity.ERROR
    if m == Match.ROUNDING:
        return Severity.WARNING
    return None


def _tail(m: Match) -> str:
    return "（尾数差异）" if m == Match.ROUNDING else ""


# -- C18 completion ------------------------------------------------------------------------------------------

@check(id="narrative.completion_ratio", severity="error", ref="domain §4, §5 C18")
def completion_ratio(case: Case) -> list[Finding]:
    """"完成（年初）预算的r%" must equal 支出决算 ÷ 预算 at the printed precision.  A stated rate over a
    budget of 0 is an error: the ratio is undefined ("年初预算为0，完成率无从计算")."""
    out: list[Finding] = []
    for f, refs in _ratios(case, "completion"):
        num = refs.get(f.attrs.get("ref_numerator", ""))
        den = refs.get(f.attrs.get("ref_denominator", ""))
        if num is None or den is None:
            continue
        a, b = _num(num), _num(den)
        stated = _dec(f)
        if a is None or b is None or stated is None:
            continue
        subj = re.sub(r"(?:预算|决算)$", "", _subject(f))
        subj = f"“{subj}”" if den.attrs.get("topic") in ("item", "project") and subj else subj
        den_word = "年初预算" if "initial" in den.key or den.attrs.get("measure") == "initial" else "预算"
        num_word = "实际支出" if num.key.endswith("actual") else "支出决算"
        keys = [den.key, num.key, f.key]
        if b == 0:
            other = refs.get(f.attrs.get("ref_other_denominator", ""))
            hint = ""
            ob = _num(other) if other is not None else None
            if ob:
                alt = a / ob * _HUNDRED
                if compare_percent(stated, alt) != Match.DIFFERENT:
                    hint = (f"；{_raw(f)}是按{_raw(other)}（全年预算）计算的执行率"
                            f"（{_raw(num)}÷{_raw(other)}={_pct(stated, alt)}%），不是完成年初预算的比例")
            out.append(Finding(
                check="narrative.completion_ratio", severity=Severity.ERROR,
                message=(f"{_where(f)}：{subj}{den_word}{_raw(den)}、{num_word}{_raw(num)}，"
                         f"{den_word}为0，完成率无从计算，报告写{_raw(f)}{hint}"),
                keys=keys, values=[stated, None], locations=_loc(f, den, num, other)))
            continue
        computed = a / b * _HUNDRED
        m = compare_percent(stated, computed)
        sev = _severity(m)
        if sev is None:
            continue
        out.append(Finding(
            check="narrative.completion_ratio", severity=sev,
            message=(f"{_where(f)}：{subj}{den_word}{_raw(den)}、{num_word}{_raw(num)}，"
                     f"应完成{_pct(stated, computed)}%，报告写{_raw(f)}{_tail(m)}"),
            keys=keys, values=[stated, _r(computed, max(places(stated), 2))], locations=_loc(f, num, den)))
    return out


# -- C19 shares ----------------------------------------------------------------------------------------------

def _share_operands(f: Field, refs: dict[str, Field]) -> tuple[Field, Field, Decimal, Decimal] | None:
    part = refs.get(f.attrs.get("ref_part", ""))
    whole = refs.get(f.attrs.get("ref_whole", ""))
    if part is None or whole is None:
        return None
    if (part.unit in _MONEY) != (whole.unit in _MONEY):
        return None
    p, w = _num(part), _num(whole)
    if p is None or w is None:
        return None
    return part, whole, p, w


@check(id="narrative.share", severity="error", ref="domain §4, §5 C19")
def share(case: Case) -> list[Finding]:
    """"X a万元，占p%" must equal X ÷ 总数 at the printed precision, where 总数 is the whole the sentence names
    ("占基本支出的") or the total the list is a part of ("支出合计…，其中：基本支出…，占29.85%").  One unit off
    in the last printed digit is a 尾数差异 (warning), more is an error."""
    out: list[Finding] = []
    for f, refs in _ratios(case, "share"):
        ops = _share_operands(f, refs)
        stated = _dec(f)
        if ops is None or stated is None:
            continue
        part, whole, p, w = ops
        wname = f.attrs.get("whole_name") or _subject(whole) or "总数"
        pname = _subject(part) or "该项"
        if w == 0:
            if p != 0 or stated != 0:
                out.append(Finding(
                    check="narrative.share", severity=Severity.ERROR,
                    message=f"{_where(f)}：{wname}为0，“{pname}”占比无从计算，报告写{_raw(f)}",
                    keys=[part.key, whole.key, f.key], values=[stated, None], locations=_loc(f, part, whole)))
            continue
        computed = p / w * _HUNDRED
        m = compare_percent(stated, computed)
        sev = _severity(m)
        if sev is None:
            continue
        out.append(Finding(
            check="narrative.share", severity=sev,
            message=(f"{_where(f)}：{pname}{_raw(part)}占{wname}{_raw(whole)}的比例应为"
                     f"{_pct(stated, computed)}%，报告写{_raw(f)}{_tail(m)}"),
            keys=[part.key, whole.key, f.key], values=[stated, _r(computed, max(places(stated), 2))],
            locations=_loc(f, part, whole)))
    return out


@check(id="narrative.shares_sum", severity="error", ref="domain §4 (类 shares, 基本/项目 shares)")
def shares_sum(case: Case) -> list[Finding]:
    """When the parts of a total are all listed with their shares (the parts add up to the total), the
    stated shares must add up to 100%, give or take the rounding of each share (half a unit in its last
    printed digit each)."""
    out: list[Finding] = []
    groups: dict[str, list[tuple[Field, Field]]] = defaultdict(list)
    refs: dict[str, Field] = {}
    for f, refs in _ratios(case, "share"):
        ops = _share_operands(f, refs)
        if ops is None:
            continue
        groups[f.attrs["ref_whole"]].append((f, ops[0]))
    for whole_ref, items in groups.items():
        if len(items) < 2:
            continue
        whole = refs.get(whole_ref)
        parts = [p for _, p in items]
        if whole is None or any(_num(p) is None for p in parts):
            continue
        w = _num(whole)
        vals = [_num(p) for p in parts]
        n = max([places(_dec(whole) or Decimal(0))] + [places(_dec(p) or Decimal(0)) for p in parts])
        if compare_sum(w, vals, printed_places=n) == Match.DIFFERENT:  # type: ignore[arg-type]
            continue  # a partial list: its shares need not reach 100
        stated = [_dec(f) for f, _ in items]
        total = sum(stated, Decimal(0))  # type: ignore[arg-type]
        tol = sum((Decimal(1).scaleb(-places(s)) / 2 for s in stated), Decimal(0))  # type: ignore[arg-type]
        finest = Decimal(1).scaleb(-max(places(s) for s in stated))  # type: ignore[type-var]
        diff = abs(total - _HUNDRED)
        if diff <= tol:
            continue
        sev = Severity.WARNING if diff <= tol + finest else Severity.ERROR
        listing = "、".join(f"{_subject(p) or '某项'}{_raw(f)}" for f, p in items)
        out.append(Finding(
            check="narrative.shares_sum", severity=sev,
            message=(f"{_where(items[0][0])}：{_subject(whole) or '总数'}{_raw(whole)}的各部分占比合计"
                     f"{_s(total)}%，应为100%（{listing}）"),
            keys=sorted({p.key for p in parts} | {"report.stated_ratio"}), values=[total, _HUNDRED],
            locations=_loc(*(f for f, _ in items), whole)))
    return out


# -- change --------------------------------------------------------------------------------------------------

@check(id="narrative.change_rate", severity="error", ref="domain §4 (与上年相比 增加/减少)")
def change_rate(case: Case) -> list[Finding]:
    """"本年X，比上年增加（减少）Δ，增长（下降）p%": p must equal Δ ÷ 上年, where 上年 = X − Δ for an
    increase and X + Δ for a decrease, at the printed precision; the two directions must agree."""
    out: list[Finding] = []
    for f, refs in _ratios(case, "change"):
        delta = refs.get(f.attrs.get("ref_delta", ""))
        base = refs.get(f.attrs.get("ref_base", ""))
        stated = _dec(f)
        if delta is None or base is None or stated is None:
            continue
        d, x = _num(delta), _num(base)
        if d is None or x is None:
            continue
        d_dir = delta.attrs.get("direction")
        p_dir = f.attrs.get("direction")
        if stated < 0 and p_dir:  # "减少100.00万元，增幅为-8.33%": a negative increase is a decrease
            p_dir = "decrease" if p_dir == "increase" else "increase"
        subj = re.sub(r"(?:预算|决算)$", "", _subject(base) or _subject(f))
        word = "减少" if d_dir == "decrease" else "增加"
        if d_dir and p_dir and d_dir != p_dir and stated != 0:
            out.append(Finding(
                check="narrative.change_rate", severity=Severity.ERROR,
                message=(f"{_where(f)}：{subj}比上年{word}{_raw(delta)}，增减幅度却写成"
                         f"{'下降' if p_dir == 'decrease' else '增长'}{_raw(f)}，方向不一致"),
                keys=[base.key, delta.key, f.key], values=[stated], locations=_loc(f, delta, base)))
            continue
        prior = x + d if d_dir == "decrease" else x - d
        if prior <= 0:
            continue
        computed = d / prior * _HUNDRED
        m = compare_percent(abs(stated), computed)
        sev = _severity(m)
        if sev is None:
            continue
        out.append(Finding(
            check="narrative.change_rate", severity=sev,
            message=(f"{_where(f)}：{subj}本年{_raw(base)}、比上年{word}{_raw(delta)}，上年应为"
                     f"{_s(_r(prior, 2))}万元，{word}幅度应为{_pct(stated, computed)}%，报告写{_raw(f)}{_tail(m)}"
                     if base.unit in _MONEY else
                     f"{_where(f)}：{subj}本年{_raw(base)}、比上年{word}{_raw(delta)}，{word}幅度应为"
                     f"{_pct(stated, computed)}%，报告写{_raw(f)}{_tail(m)}"),
            keys=[base.key, delta.key, f.key], values=[stated, _r(computed, max(places(stated), 2))],
            locations=_loc(f, delta, base)))
    return out


# -- lists ---------------------------------------------------------------------------------------------------

def _lists(case: Case) -> list[tuple[Field, list[Field]]]:
    """(whole, parts) of every "其中：…" / "包括…" list with money parts."""
    fields = _narrative(case)
    refs = _narrative_refs(case)
    by: dict[tuple[str, str], list[Field]] = defaultdict(list)
    for f in fields:
        if f.attrs.get("role") == "part" and f.attrs.get("list_kind") and f.unit in _MONEY:
            by[(f.attrs.get("group", ""), f.attrs.get("ref_whole", ""))].append(f)
    out = []
    for (_, wref), parts in by.items():
        whole = refs.get(wref)
        if whole is not None and whole.unit in _MONEY and all(_wan(p) is not None for p in parts):
            out.append((whole, parts))
    return out


def _sum_finding(check_id: str, whole: Field, parts: list[Field], *, complete: bool) -> Finding | None:
    w = _wan(whole)
    vals = [_wan(p) for p in parts]
    if w is None or any(v is None for v in vals):
        return None
    total = sum(vals, Decimal(0))  # type: ignore[arg-type]
    n = max([places(_dec(whole) or Decimal(0))] + [places(_dec(p) or Decimal(0)) for p in parts])
    m = compare_sum(w, vals, printed_places=n)  # type: ignore[arg-type]
    listing = "、".join(f"{_subject(p) or '某项'}{_raw(p)}" for p in parts)
    head = f"{_where(whole)}：{_subject(whole) or '总数'}{_raw(whole)}，其中{listing}"
    keys = sorted({whole.key} | {p.key for p in parts})
    if m == Match.EQUAL:
        return None
    if m == Match.ROUNDING:
        return Finding(check=check_id, severity=Severity.WARNING,
                       message=f"{head}，合计{_s(total)}万元，与总数相差{_s(abs(total - w))}万元（尾数差异）",
                       keys=keys, values=[w, total], locations=_loc(whole, *parts))
    if complete or total > w or len(parts) == 1:
        if len(parts) == 1 and total <= w:
            return None  # "其中：授予小微企业合同金额…" names a subset, not a split
        return Finding(check=check_id, severity=Severity.ERROR,
                       message=f"{head}，合计{_s(total)}万元，与总数相差{_s(abs(total - w))}万元",
                       keys=keys, values=[w, total], locations=_loc(whole, *parts))
    return Finding(check=check_id, severity=Severity.WARNING,
                   message=f"{head}，所列各项合计{_s(total)}万元，少于总数{_s(w - total)}万元，为部分列举，请核实是否遗漏",
                   keys=keys, values=[w, total], locations=_loc(whole, *parts))


_MAIN_PARTS = re.compile(r"主要(?:用于|包括|有|为|是)|(?:主要|重点)(?:支出)?(?:项目|科目)")


def _is_pp(parts: list[Field]) -> bool:
    return {p.key for p in parts} <= {"report.personnel", "report.public"}


def _is_econ(parts: list[Field]) -> bool:
    return all(p.key.startswith("report.econ.") for p in parts)


@check(id="narrative.parts_sum", severity="error", ref="domain §4, §5 C4, C7")
def parts_sum(case: Case) -> list[Finding]:
    """An "其中：" list that splits a total into its complementary parts (基本 + 项目, 货物 + 工程 + 服务, the
    三公 items, the 类) must add up to the total.  A list of named items (projects) may be partial: a sum
    below the total is only a warning, a sum above it an error."""
    out = []
    for whole, parts in _lists(case):
        if (_is_pp(parts) and whole.key == "report.basic") or _is_econ(parts):
            continue  # narrative.personnel_public / narrative.econ_breakdown_sum
        # "主要用于以下方面：…", "主要包括…": the main parts only, a list that may leave parts out
        complete = parts[0].attrs.get("list_kind") == "split" and not _MAIN_PARTS.search(
            str(parts[0].attrs.get("sentence", "")))
        f = _sum_finding("narrative.parts_sum", whole, parts, complete=complete)
        if f is not None:
            out.append(f)
    return out


@check(id="narrative.econ_breakdown_sum", severity="error", ref="domain §5 C6")
def econ_breakdown_sum(case: Case) -> list[Finding]:
    """The 经济分类 breakdown of 基本支出 (工资福利 / 商品和服务 / 对个人和家庭的补助 / 债务利息 / 资本性 /
    其他) must add up to the 基本支出 it breaks down."""
    out = []
    for whole, parts in _lists(case):
        if _is_econ(parts):
            f = _sum_finding("narrative.econ_breakdown_sum", whole, parts, complete=True)
            if f is not None:
                out.append(f)
    return out


@check(id="narrative.personnel_public", severity="error", ref="domain §4, §5 C5")
def personnel_public(case: Case) -> list[Finding]:
    """人员经费 + 公用经费 = 基本支出, for each 基本支出 the narrative breaks down (in the same sentence or the
    paragraphs of the same section that follow it)."""
    out = []
    by_doc: dict[tuple[str, str], list[Field]] = defaultdict(list)
    for f in _narrative(case):
        by_doc[_doc_key(f)].append(f)
    for fields in by_doc.values():
        for i, b in enumerate(fields):
            if b.key != "report.basic":
                continue
            sec = b.attrs.get("section", "")
            pers = pub = None
            for g in fields[i + 1:]:
                if g.key == "report.basic":
                    break
                gsec = g.attrs.get("section", "")
                if not (gsec == sec or str(gsec).startswith(f"{sec}/")):
                    break
                if g.key == "report.personnel" and pers is None:
                    pers = g
                elif g.key == "report.public" and pub is None:
                    pub = g
                if pers is not None and pub is not None:
                    break
            if pers is None or pub is None:
                continue
            f = _sum_finding("narrative.personnel_public", b, [pers, pub], complete=True)
            if f is not None:
                out.append(f)
    return out


# -- projects ------------------------------------------------------------------------------------------------

def _projects(case: Case) -> dict[tuple[str, str, str, str], dict[str, Field]]:
    out: dict[tuple[str, str, str, str], dict[str, Field]] = defaultdict(dict)
    for f in _narrative(case):
        if f.key.startswith("report.project.") and f.attrs.get("topic") == "project" and _subject(f):
            k = (f.doc, f.form, _subject(f), str(f.attrs.get("sentence", "")))
            out[k].setdefault(f.key.rsplit(".", 1)[1], f)
    return out


@check(id="narrative.project_balance", severity="error", ref="domain §5 C8")
def project_balance(case: Case) -> list[Finding]:
    """For each project the report lists with 预算 (and 年中追加), 实际支出 and 结余结转: 预算 + 追加 −
    实际支出 = 结余结转.  An
    unspent budget reported as 结余结转 0 is an error (the money is neither spent nor carried over)."""
    out = []
    for (_, _, name, _), parts in _projects(case).items():
        b, add, a, c = parts.get("budget"), parts.get("added"), parts.get("actual"), parts.get("carryover")
        if (b is None and add is None) or a is None or c is None:
            continue
        bv = _wan(b) if b is not None else Decimal(0)
        addv = _wan(add) if add is not None else Decimal(0)
        av, cv = _wan(a), _wan(c)
        if bv is None or addv is None or av is None or cv is None or av > bv + addv:
            continue  # spending above the listed funds needs 上年结转 the report does not state
        expected = bv + addv - av
        funds = "、".join(x for x in (f"预算{_raw(b)}" if b is not None else "",
                                        f"追加{_raw(add)}" if add is not None else "") if x)
        b = b if b is not None else add
        m = compare_money(cv, "万元", expected, "万元")
        if m == Match.EQUAL:
            continue
        sev = Severity.WARNING if m == Match.ROUNDING else Severity.ERROR
        if cv == 0:
            msg = (f"{_where(c)}：项目“{name}”{funds}、实际支出{_raw(a)}，未支出的{_s(expected)}万元"
                   f"既未支出也未结转，报告写结余结转{_raw(c)}")
        else:
            msg = (f"{_where(c)}：项目“{name}”{funds}、实际支出{_raw(a)}，结余结转应为{_s(expected)}万元，"
                   f"报告写{_raw(c)}{_tail(m)}")
        out.append(Finding(check="narrative.project_balance", severity=sev, message=msg,
                           keys=[b.key, a.key, c.key], values=[cv, expected], locations=_loc(c, b, add, a)))
    return out


@check(id="narrative.project_budget_total", severity="error", ref="domain §5 C10")
def project_budget_total(case: Case) -> list[Finding]:
    """The projects a report lists as "年初预算项目" cannot together exceed the department's whole 年初预算数
    (stated in the 决算说明, or the 自评表's 年初预算数)."""
    out = []
    initial = [f for f in _narrative(case) if f.key == "report.initial_budget" and _wan(f) is not None]
    if not initial:
        initial = [f for f in case.fields if f.key == "selfeval.funds.initial_budget" and _wan(f) is not None]
    if not initial:
        return out
    ref = max(initial, key=lambda f: _wan(f))  # type: ignore[arg-type, return-value]
    limit = _wan(ref)
    by_doc: dict[tuple[str, str], list[Field]] = defaultdict(list)
    for f in _narrative(case):
        if f.key == "report.project.budget" and str(f.attrs.get("project_kind", "")).startswith("年初"):
            by_doc[_doc_key(f)].append(f)
    for fields in by_doc.values():
        vals = [_wan(f) for f in fields]
        if any(v is None for v in vals) or limit is None:
            continue
        total = sum(vals, Decimal(0))  # type: ignore[arg-type]
        if compare_money(total, "万元", limit, "万元") != Match.DIFFERENT or total <= limit:
            continue
        listing = "、".join(f"“{_subject(f)}”{_raw(f)}" for f in fields)
        out.append(Finding(
            check="narrative.project_budget_total", severity=Severity.ERROR,
            message=(f"{_where(fields[0])}：所列年初预算项目合计{_s(total)}万元（{listing}），超过部门年初预算数"
                     f"{_raw(ref)}（{_where(ref)}）"),
            keys=["report.project.budget", ref.key], values=[total, limit], locations=_loc(*fields, ref)))
    return out


@check(id="narrative.item_sums", severity="error", ref="domain §4 (Σ item 年初预算 = total)")
def item_sums(case: Case) -> list[Finding]:
    """The 决算说明's per-科目 items ("…（项）。年初预算为…，支出决算为…") must add up to the totals stated
    just before them: Σ 年初预算 = 年初预算数, Σ 支出决算 = 支出决算数."""
    out = []
    fields = _narrative(case)
    refs = _narrative_refs(case)
    for f, _ in _ratios(case, "completion"):
        den = refs.get(f.attrs.get("ref_denominator", ""))
        num = refs.get(f.attrs.get("ref_numerator", ""))
        if den is None or den.key != "report.initial_budget":
            continue
        sec = str(den.attrs.get("section", ""))
        full = refs.get(f.attrs.get("ref_other_denominator", ""))
        pairs = [(den, "report.item.initial_budget"), (num, "report.item.final")]
        if full is not None and _period(full) == "budget_full":
            pairs.append((full, "report.item.initial_budget"))  # the lines' 全年预算 add up to the 全年预算
        for total, item_key in pairs:
            if total is None:
                continue
            # the same period only: lines that state their 全年预算 do not add up to the 年初预算
            items = [g for g in fields if g.key == item_key and _doc_key(g) == _doc_key(den)
                     and str(g.attrs.get("section", "")).startswith(f"{sec}/") and _period(g) == _period(total)]
            if len(items) < 2:
                continue
            summed = _summed(total, items)
            if summed is None:
                continue
            w, s, m = summed
            sev = _severity(m)
            if sev is None:
                continue
            word = ("全年预算" if _period(total) == "budget_full" else "年初预算") if "initial" in item_key else "支出决算"
            out.append(Finding(
                check="narrative.item_sums", severity=sev,
                message=(f"{_where(total)}：各科目{word}合计{_s(s)}万元，与总数{_raw(total)}相差"
                         f"{_s(abs(s - w))}万元{_tail(m)}"),
                keys=[total.key, item_key], values=[w, s], locations=_loc(total, *items)))
        out.extend(_class_sums(fields, den, sec))
    return out


def _summed(total: Field, parts: list[Field]) -> tuple[Decimal, Decimal, Match] | None:
    """A printed total, the sum of its printed parts (both in 万元) and how they compare; None when a figure
    is not a number."""
    vals = [_wan(g) for g in parts]
    w = _wan(total)
    if w is None or any(v is None for v in vals):
        return None
    return w, sum(vals, Decimal(0)), compare_sum(w, vals, printed_places=2)  # type: ignore[arg-type]


_CLASS_OF = re.compile(r"^(.+?)\s*[(（]\s*类\s*[)）]")


def _class_sums(fields: list[Field], den: Field, sec: str) -> list[Finding]:
    """The 项 lines of one 类 add up to the amount the structure paragraph gives that 类 ("文化旅游体育与传媒
    支出（类）17127.62万元").  Only a warning either way: a narrative may leave small 项 out."""
    items = [g for g in fields if g.key == "report.item.final" and _doc_key(g) == _doc_key(den)
             and str(g.attrs.get("section", "")).startswith(f"{sec}/")]
    by_class: dict[str, list[Field]] = {}
    for g in items:
        m = _CLASS_OF.match(str(g.attrs.get("subject", "")))
        if m:
            by_class.setdefault(m.group(1), []).append(g)
    out = []
    for f in fields:
        if f.key != "report.class.amount" or _doc_key(f) != _doc_key(den) or f.attrs.get("period") == "prior":
            continue
        m = _CLASS_OF.match(str(f.attrs.get("subject", "")))
        parts = by_class.get(m.group(1), []) if m else []
        if len(parts) < 2:
            continue
        summed = _summed(f, parts)
        if summed is None:
            continue
        w, total, match = summed
        if match == Match.EQUAL:
            continue
        out.append(Finding(
            check="narrative.item_sums", severity=Severity.WARNING,
            message=(f"{_where(f)}：{m.group(1)}（类）下各项支出决算合计{_s(total)}万元，与该类{_raw(f)}相差"
                     f"{_s(abs(total - w))}万元{_tail(match) or '（科目可能未全部列出，请核对）'}"),
            keys=[f.key, "report.item.final"], values=[w, total], locations=_loc(f, *parts)))
    return out


# -- 政府采购: the 中小企业 awards fit in the total ---------------------------------------------------------------

@check(id="narrative.procurement_sme", severity="error", ref="domain §5 (政府采购); 部门决算 说明模板 政府采购支出情况")
def procurement_sme(case: Case) -> list[Finding]:
    """What 中小企业 won in the projects reserved for them plus what they won in the other projects is part of
    the year's 政府采购 total, so it cannot exceed it ("采购金额21.07万元 … 预留项目中小企业中标21.07万元 …
    其他项目中小企业中标21.07万元": 42.14 > 21.07)."""
    out = []
    by_doc: dict[tuple[str, str], dict[str, Field]] = defaultdict(dict)
    for f in _narrative(case):
        if f.key.startswith("report.procurement.") and f.attrs.get("period") != "prior":
            by_doc[_doc_key(f)].setdefault(f.key, f)
    for got in by_doc.values():
        total = got.get("report.procurement.total")
        reserved = got.get("report.procurement.sme_reserved_award")
        other = got.get("report.procurement.sme_other_award")
        if total is None or reserved is None or other is None:
            continue
        t, a, b = _wan(total), _wan(reserved), _wan(other)
        if t is None or a is None or b is None:
            continue
        s = a + b
        m = compare_sum(t, [a, b], printed_places=2)
        if s <= t or m != Match.DIFFERENT:
            continue
        out.append(Finding(
            check="narrative.procurement_sme", severity=Severity.ERROR,
            message=(f"{_where(total)}：政府采购金额{_raw(total)}，其中面向中小企业预留项目由中小企业中标"
                     f"{_raw(reserved)}、其他采购项目由中小企业中标{_raw(other)}，合计{_s(s)}万元，"
                     f"超过政府采购总额{_s(s - t)}万元"),
            keys=[total.key, reserved.key, other.key], values=[t, s], locations=_loc(total, reserved, other)))
    return out


# -- C36 / C2: the same quantity stated twice ----------------------------------------------------------------

_TOTAL_KEYS = re.compile(
    r"^report\.(?:expense_total|income_total|grand_total|fiscal_grand_total|fiscal_income|fiscal_expense|"
    r"basic|project|personnel|public|running_cost|gov_fund|initial_budget|annual_budget|meeting|training|"
    r"total_score|procurement\.\w+|econ\.\w+|staff\.\w+|sangong(?:\.\w+)*|level1_weight\.\S+|"
    r"level1_score\.\S+)$"
)
_SUBJECT_KEYS = re.compile(
    r"^report\.(?:item\.\w+|class\.amount|project\.(?:budget|actual|carryover)|metric)$"
)
_QUALIFIERS = ("岁", "以下", "以上", "左右", "其中", "女", "少数民族", "党外", "年轻", "新任", "新提拔", "每")
_GENERIC = {"数量", "人数", "全区", "人员", "干部", "金额", "资金", "经费", "次数", "其他", "总数", "合计"}


def _report_year(case: Case) -> int | None:
    votes: Counter[int] = Counter()
    for d in case.documents:
        if d.year and any(k in d.kinds for k in FORMS):
            votes[int(d.year)] += 3
    narr = _narrative(case)
    for f in narr:
        if f.key == "report.year" and _dec(f) is not None:
            votes[int(f.value)] += 2  # type: ignore[arg-type]
    if not votes:
        for f in narr:
            y = f.attrs.get("year")
            if isinstance(y, (int, Decimal)) and f.key != "report.year":
                votes[int(y)] += 1
    if not votes:
        return None
    return votes.most_common(1)[0][0]


def _unit_class(f: Field) -> str:
    if f.unit in _MONEY:
        return "money"
    if f.unit in _PERSONS:
        return "persons"
    return f.unit


def _subsequence_extra(short: str, long: str) -> str | None:
    """The characters of ``long`` left over when ``short`` is read as a subsequence of it, or None."""
    i = 0
    extra = []
    for ch in long:
        if i < len(short) and ch == short[i]:
            i += 1
        else:
            extra.append(ch)
    return "".join(extra) if i == len(short) else None


def _strong(a: str, b: str) -> bool:
    ca, cb = canonical_subject(a), canonical_subject(b)
    return len(ca) >= 2 and ca == cb and ca not in _GENERIC


def same_subject(a: str, b: str) -> bool:
    """Whether two noun phrases name the same quantity: equal once reduced (``canonical_subject``), or one is
    the other with extra words that do not narrow it (no numbers, no 35岁左右 / 其中 / 女 … qualifiers)."""
    ca, cb = canonical_subject(a), canonical_subject(b)
    if len(ca) < 2 or len(cb) < 2 or ca in _GENERIC or cb in _GENERIC:
        return False
    if ca == cb:
        return True
    short, long = sorted((ca, cb), key=len)
    extra = _subsequence_extra(short, long)
    if extra is None:
        return False
    if re.search(r"\d", long) or any(q in long and q not in short for q in _QUALIFIERS):
        return False
    return True


def _comparable_statements(case: Case, year: int | None) -> list[Field]:
    """The narrative statements that may be compared with others stating the same quantity, whatever their
    values (kept from run to run)."""
    return structure_memo(case, f"narrative.comparable.{year}",
                          lambda: [f for f in _narrative(case) if _comparable_statement(f, year)])


def _comparable_statement(f: Field, year: int | None) -> bool:
    if f.attrs.get("period") == "prior":  # "比上年决算6.50万元": the base of a comparison
        return False
    fy = f.attrs.get("year")
    if year is not None and isinstance(fy, (int, Decimal)) and int(fy) != year:
        return False
    if f.key == "report.metric":
        if f.attrs.get("role") in ("part",) or f.attrs.get("list_kind") or f.attrs.get("bound"):
            return False
    return True


def _comparable_now(f: Field) -> bool:
    """A comparable statement with a number now; a metric printed after "其中" is a part, not the total."""
    if _dec(f) is None:
        return False
    if f.key == "report.metric":
        sent = str(f.attrs.get("sentence", ""))
        raw_pos = sent.find(f.raw) if f.raw else -1
        before = sent[max(0, raw_pos - 30):raw_pos] if raw_pos >= 0 else ""
        if re.search(r"其中[^,，;；。]*$", before):
            return False
    return True


def _values_differ(a: Field, b: Field) -> Match:
    if a.unit in _MONEY and b.unit in _MONEY:
        return compare_money(_dec(a), a.unit, _dec(b), b.unit)  # type: ignore[arg-type]
    va, vb = _dec(a), _dec(b)
    if va is None or vb is None:
        return Match.EQUAL
    return Match.EQUAL if va == vb else Match.DIFFERENT


@check(id="narrative.same_quantity", severity="error", ref="domain §5 C2, C36")
def same_quantity(case: Case) -> list[Finding]:
    """A quantity the narrative states more than once (in one report, or in the 自评报告 and the 决算说明)
    must have one value: 基本支出 in one place and another figure for 基本支出 elsewhere is an error; for
    counts (人次, 名, 个 …), rates and figures written as approximate ("1700余万元") a difference is a
    warning for the reviewer.  Metrics are matched by what they count ("提拔重用干部") and, for "从a提高到b",
    by scope and end point."""
    year = _report_year(case)
    fields = [f for f in _comparable_statements(case, year) if _comparable_now(f)]
    out: list[Finding] = []
    # totals: one cluster per key
    by_key: dict[str, list[Field]] = defaultdict(list)
    for f in fields:
        if _TOTAL_KEYS.match(f.key):
            by_key[(f.key, _period(f), str(f.attrs.get("of", "")))].append(f)  # "of": 收入's or 支出's 年初预算
    memo = _ClusterMemo(case)
    for (key, _, _), fs in by_key.items():
        out.extend(memo.findings(key, fs, lexicon().names.get(key) or _label_name(fs[0]) or key))
    # subject-keyed: union of fields whose subjects name the same thing
    cands = [f for f in fields if _SUBJECT_KEYS.match(f.key) and _subject(f)]
    for fs in _subject_clusters(case, cands):
        if len(fs) < 2:
            continue
        if fs[0].key == "report.metric" and _ambiguous(fs):
            continue
        name = max((_subject(f) for f in fs), key=lambda x: (len(canonical_subject(x)), -len(x)))
        obj = next((str(f.attrs["object"]) for f in fs if f.attrs.get("object")), "")
        if obj and fs[0].key == "report.metric":
            name = f"{name}…{fs[0].unit}{obj}"
        topic = next((str(f.attrs["topic"]) for f in fs if f.attrs.get("point") and f.attrs.get("topic")), "")
        point = fs[0].attrs.get("point")
        if topic:
            name = f"{topic}（{name}，{'起点' if point == 'from' else '终点'}）"
        out.extend(memo.findings(fs[0].key, fs, name))
    memo.close()
    return out


class _ClusterMemo:
    """The findings of each cluster of statements, kept on the case for the next run: a cluster whose fields
    and values are the ones of last time gives the same findings, so an edit compares again only the
    clusters it touched.  Entries not asked for in a run are dropped at its end."""

    def __init__(self, case: Case) -> None:
        self._case = case
        Entry = tuple[list[Field], list[Finding]]
        self._last: dict[tuple, Entry] = self._case.__dict__.get("_cluster_findings", {})
        self._now: dict[tuple, Entry] = {}

    def findings(self, key: str, fs: list[Field], name: str) -> list[Finding]:
        stamp = (key, name, tuple((id(f), f.value, f.raw) for f in fs))
        hit = self._last.get(stamp) or self._now.get(stamp)
        if hit is None:
            hit = (fs, _cluster_findings(key, fs, name))  # the fields are held so that their ids stay theirs
        self._now[stamp] = hit
        return hit[1]

    def close(self) -> None:
        self._case.__dict__["_cluster_findings"] = self._now


def _subject_clusters(case: Case, cands: list[Field]) -> list[list[Field]]:
    """``cands`` grouped by the quantity they name.  Which fields name the same quantity depends on their
    keys, units and words only, never on their values, so the grouping is kept on the case for the same
    candidate fields: a corrected figure is compared again without matching every pair of subjects again
    (thousands of pairs in a long package).  A value edit that makes a field (in)comparable changes the
    candidates, and the grouping is made anew."""
    stamp = tuple(map(id, cands))
    kept = case.__dict__.get("_subject_clusters")
    if kept is not None and kept[0] == stamp:
        return [[cands[i] for i in group] for group in kept[2]]
    groups = _group_subjects(cands)
    # the fields are held with the stamp so that their ids cannot be reused by other objects
    case.__dict__["_subject_clusters"] = (stamp, list(cands), groups)
    return [[cands[i] for i in group] for group in groups]


def _group_subjects(cands: list[Field]) -> list[list[int]]:
    parent = list(range(len(cands)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    # only fields with the same key, unit class and end point can name the same quantity: pair within those
    buckets: dict[tuple, list[int]] = defaultdict(list)
    for i, f in enumerate(cands):
        buckets[(f.key, _unit_class(f), f.attrs.get("point"), _period(f))].append(i)
    pairs = ((idx[x], idx[y]) for idx in buckets.values() for x in range(len(idx)) for y in range(x + 1, len(idx)))
    for i, j in pairs:
        a, b = cands[i], cands[j]
        ta, tb = str(a.attrs.get("topic", "")), str(b.attrs.get("topic", ""))
        if a.key == "report.metric" and (ta or tb) and a.attrs.get("point"):
            if not (ta and tb and same_subject(ta, tb)):
                continue
        if a.key.startswith(("report.item.", "report.class.", "report.project.")):
            # a 科目 line or a project is one thing by its whole name ("干部教育" is not "干部教育培训经费");
            # inside one document a 项 named without its code or 款 ("行政运行（项）" twice) may be two lines
            if _whole_name(_subject(a)) != _whole_name(_subject(b)):
                continue
            if (a.key.startswith("report.item.") and a.doc == b.doc
                    and not re.search(r"\d{5}|[(（]\s*款\s*[)）]", _subject(a))):
                continue
        elif not same_subject(_subject(a), _subject(b)):
            continue
        elif a.key == "report.metric" and not _objects_agree(a, b):
            continue
        parent[find(i)] = find(j)
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(cands)):
        clusters[find(i)].append(i)
    return list(clusters.values())


def _period(f: Field) -> str:
    """The frame's period: 年初预算 and 全年预算 of one thing are two quantities, not one stated twice."""
    frame = f.attrs.get("frame")
    return str(frame.get("period", "")) if isinstance(frame, dict) else ""


def _whole_name(s: str) -> str:
    return re.sub(r"(?:项目|专项)$", "", canonical_subject(s))


def _objects_agree(a: Field, b: Field) -> bool:
    """Two metrics whose subjects only loosely agree ("晋升" / "晋升公务员") must count the same thing after
    the number as well: both nothing, or one the other's words ("名机关党员、干部" ≠ "名干部赴合肥…")."""
    if _strong(_subject(a), _subject(b)):
        return True
    oa = canonical_subject(str(a.attrs.get("object", "")))
    ob = canonical_subject(str(b.attrs.get("object", "")))
    if not oa and not ob:
        return True
    if not oa or not ob:
        return False
    short, long = sorted((oa, ob), key=len)
    return _subsequence_extra(short, long) is not None


def _ambiguous(fs: list[Field]) -> bool:
    """A loosely matched cluster that holds different values inside one document names a phrase, not one
    quantity ("进行专题授课 9次 … 2次 … 1次"): it is not reported."""
    per_doc: dict[tuple[str, str], set] = defaultdict(set)
    for f in fs:
        per_doc[_doc_key(f)].add(_dec(f))
    if all(len(v) == 1 for v in per_doc.values()):
        return False
    subjects = {canonical_subject(_subject(f)) for f in fs}
    return len(subjects) > 1 or any(len(v) > 1 for v in per_doc.values())


def _cluster_findings(key: str, fs: list[Field], name: str) -> list[Finding]:
    if len(fs) < 2:
        return []
    distinct: list[list[Field]] = []
    rounding = False
    for f in fs:
        for grp in distinct:
            m = _values_differ(grp[0], f)
            if m != Match.DIFFERENT:
                rounding = rounding or m == Match.ROUNDING
                grp.append(f)
                break
        else:
            distinct.append([f])
    if len(distinct) < 2:
        if rounding:
            listing = "、".join(f"{_raw(f)}（{_where(f)}）" for f in fs)
            return [Finding(check="narrative.same_quantity", severity=Severity.WARNING,
                            message=f"“{name}”多处表述存在尾数差异：{listing}",
                            keys=[key], values=[_dec(f) for f in fs], locations=_loc(*fs))]
        return []
    precise = all(f.unit in _MONEY and not f.attrs.get("approx") for f in fs)
    sev = Severity.ERROR if precise else Severity.WARNING
    listing = "；".join("、".join(f"{_raw(f)}（{_where(f)}）" for f in grp) for grp in distinct)
    return [Finding(check="narrative.same_quantity", severity=sev,
                    message=f"“{name}”在不同位置数值不一致：{listing}",
                    keys=[key], values=[_dec(grp[0]) for grp in distinct], locations=_loc(*fs))]


# -- C30 year ------------------------------------------------------------------------------------------------

_YEAR_KEYS = re.compile(
    r"^report\.(?:staff\.\w+|expense_total|income_total|grand_total|fiscal_\w+|basic|project|personnel|"
    r"public|initial_budget|annual_budget|running_cost|sangong(?:\.\w+)*|year)$"
)


@check(id="narrative.year_mismatch", severity="warning", ref="domain §5 C30")
def year_mismatch(case: Case) -> list[Finding]:
    """The report's own figures must be given for the report's year (the year most titles name, e.g. "2024
    年度部门决算"): "2023年本单位年末实有人数61人" in a 2024 report, or "2023年部门决算汇总公开单位构成" in
    a 2024 决算, is probably text left over from last year."""
    year = _report_year(case)
    if year is None:
        return []
    out = []
    for f in _narrative(case):
        if not _YEAR_KEYS.match(f.key):
            continue
        fy = f.attrs.get("year")
        if f.key == "report.year" and isinstance(f.value, Decimal):
            fy = f.value
        if not isinstance(fy, (int, Decimal)) or int(fy) == year:
            continue
        sent = str(f.attrs.get("sentence", ""))
        if f.key != "report.year" and re.search(rf"(?<!\d){year}\s*年", sent):
            continue  # "2024年度收支总计1500.00万元，2023年度为1200.00万元": last year's figure beside this year's
        what = f"“{sent[:40]}”" if sent else f"“{f.raw}”"
        out.append(Finding(
            check="narrative.year_mismatch", severity=Severity.WARNING,
            message=f"{_where(f)}：报告年度为{year}年，{what}写的是{int(fy)}年，疑为沿用往年文字",
            keys=[f.key], values=[int(fy), year], locations=_loc(f)))
    return out


# -- C32 placeholders ----------------------------------------------------------------------------------------

@check(id="narrative.placeholders", severity="warning", ref="domain §5 C32")
def placeholders(case: Case) -> list[Finding]:
    """Template instructions left in the report ("没有请写明…", "表述格式参考如下", "XX万元") mean the
    template was not filled in properly."""
    out = []
    for f in _narrative(case):
        if f.key != "report.placeholder":
            continue
        sent = str(f.attrs.get("sentence", ""))
        out.append(Finding(
            check="narrative.placeholders", severity=Severity.WARNING,
            message=f"{_where(f)}：残留模板提示语“{f.value}”：{sent[:60]}",
            keys=[f.key], values=[f.value], locations=_loc(f)))
    return out


# -- C33 numbering -------------------------------------------------------------------------------------------

_RESETS = ("part", "annex", "toc")
_CN = "零一二三四五六七八九十"


def _cn(n: int) -> str:
    if n <= 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return _CN[tens] + "十" + (_CN[ones] if ones else "")


def _marker(family: str, n: int) -> str:
    return {"cn": f"{_cn(n)}、", "pcn": f"（{_cn(n)}）", "ar": f"{n}、", "par": f"（{n}）",
            "circ": chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)}.get(family, str(n))


@check(id="narrative.numbering", severity="warning", ref="domain §5 C33")
def numbering(case: Case) -> list[Finding]:
    """Heading numbers run 一、二、三… (and （一）（二）…, 1、2、…) at each level without repeats or gaps; a
    heading numbered in another level's style ("3、" after "二、") breaks the outline."""
    out: list[Finding] = []
    by_doc: dict[tuple[str, str], list[Field]] = defaultdict(list)
    for f in _narrative(case):
        if f.key == "report.heading" and isinstance(f.attrs.get("family"), str):
            by_doc[_doc_key(f)].append(f)
    for heads in by_doc.values():
        heads.sort(key=lambda f: _int(f.attrs.get("seq")) or 0)
        out.extend(_numbering(heads))
    return out


def _int(v: object) -> int | None:
    try:
        return int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError, InvalidOperation):
        return None


def _numbering(heads: list[Field]) -> list[Finding]:
    out: list[Finding] = []
    stack: list[list] = []  # [family, number, field]
    style_run: list[tuple[Field, str]] = []

    # the outline a reader sees: the two top numbering styles, with the headings that break them
    tops = list(dict.fromkeys(str(h.attrs.get("family")) for h in heads
                              if str(h.attrs.get("family")) not in ("part", "annex", "toc")))[:2]

    runs: list[list[tuple[Field, str]]] = []

    def flush() -> None:
        if style_run:
            runs.append(list(style_run))
            style_run.clear()

    for h in heads:
        fam = str(h.attrs.get("family"))
        n = _int(h.attrs.get("number"))
        if n is None:
            continue
        if fam in ("part", "annex", "toc"):
            flush()
            stack = [[fam, n, h]]
            continue
        same = [i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == fam]
        idx = next((i for i in same if stack[i][1] == n - 1), same[0] if same else None)
        if n == 1:
            flush()
            if idx is not None and idx == len(stack) - 1:
                stack[idx] = [fam, 1, h]
            else:
                stack.append([fam, 1, h])
            continue
        if idx is not None:
            flush()
            prev = stack[idx][1]
            prev_f = stack[idx][2]
            stack = stack[:idx] + [[fam, n, h]]
            if n == prev:
                out.append(Finding(
                    check="narrative.numbering", severity=Severity.WARNING,
                    message=f"{_where(h)}：标题编号“{h.raw}”重复（前一个同级标题也是“{prev_f.raw}”）",
                    keys=["report.heading"], values=[h.raw], locations=_loc(h, prev_f)))
            elif n > prev + 1:
                missing = "".join(_marker(fam, k) for k in range(prev + 1, n))
                out.append(Finding(
                    check="narrative.numbering", severity=Severity.WARNING,
                    message=f"{_where(h)}：标题编号从“{prev_f.raw}”跳到“{h.raw}”，缺少“{missing}”",
                    keys=["report.heading"], values=[prev_f.raw, h.raw], locations=_loc(h, prev_f)))
            elif n < prev:
                out.append(Finding(
                    check="narrative.numbering", severity=Severity.WARNING,
                    message=f"{_where(h)}：标题编号“{h.raw}”出现在“{prev_f.raw}”之后，顺序颠倒",
                    keys=["report.heading"], values=[prev_f.raw, h.raw], locations=_loc(h, prev_f)))
            continue
        # a new level that does not start at 1: another level's number in the wrong style?
        anc = next((i for i, e in enumerate(stack) if e[0] not in _RESETS and e[1] == n - 1), None)
        if anc is not None:
            target = stack[anc][0]
            if style_run and style_run[-1][0].attrs.get("family") != fam:
                flush()
            style_run.append((h, _marker(target, n)))
            stack = stack[:anc] + [[target, n, h]]
            continue
        flush()
        out.append(Finding(
            check="narrative.numbering", severity=Severity.WARNING,
            message=f"{_where(h)}：标题编号从“{h.raw}”开始，缺少前面的编号",
            keys=["report.heading"], values=[h.raw], locations=_loc(h)))
        stack.append([fam, n, h])
    flush()
    breakers = {id(f) for run in runs for f, _ in run}
    outline = [h.raw for h in heads if str(h.attrs.get("family")) in tops or id(h) in breakers]
    seen = "".join(outline) if len(outline) <= 30 else "".join(outline[:30]) + "…"
    for run in runs:
        written = "".join(f.raw for f, _ in run)
        wanted = "".join(w for _, w in run)
        fs = [f for f, _ in run]
        out.append(Finding(
            check="narrative.numbering", severity=Severity.WARNING,
            message=(f"{_where(fs[0])}：标题编号“{written}”与上级编号样式不一致，按顺序应为“{wanted}”"
                     f"（编号层级混乱；本报告标题编号依次为：{seen}）"),
            keys=["report.heading"], values=[f.raw for f in fs], locations=_loc(*fs)))
    return out


# -- C34 empty problem sections ------------------------------------------------------------------------------

_EMPTY_BODY = re.compile(r"^(?:(?:19|20)\d{2}年?度?)?(?:我单位|本单位|我部|本部门|我局|单位)?(?:无|暂无|不存在|没有)")


@check(id="narrative.empty_sections", severity="warning", ref="domain §5 C34")
def empty_sections(case: Case) -> list[Finding]:
    """存在的问题 and 改进措施 sections must say something: a section that only says "无" (or one short
    sentence that there is no problem) is a red flag a reviewer must weigh against the figures.  Any section
    whose whole text is a pointer to an annex ("见附件") says nothing in the report itself (domain §6.2 #20)."""
    lex = lexicon()
    out = []
    for f in _narrative(case):
        if f.key != "report.heading":
            continue
        title = str(f.attrs.get("title", ""))
        ctitle = re.sub(r"[\s“”\"()（）]", "", title)
        body = re.sub(r"[\s。.,，;；]", "", str(f.attrs.get("body", "")))
        if _ANNEX_ONLY.fullmatch(body):
            out.append(Finding(
                check="narrative.empty_sections", severity=Severity.WARNING,
                message=(f"{_where(f)}：“{f.raw}{title}”正文只写了“{body}”，本节应说明的内容未写入报告，"
                         f"请核对所指附件是否随报告提供并包含该内容"),
                keys=["report.heading"], values=[body], locations=_loc(f)))
            continue
        if not any(w in ctitle for w in lex.problem_sections):
            continue
        blen = int(f.attrs.get("body_len", len(body)) or 0)
        if body in lex.empty_bodies or blen == 0 or (blen <= 40 and _EMPTY_BODY.match(body)):
            shown = str(f.attrs.get("body", "")).strip() or "（空）"
            out.append(Finding(
                check="narrative.empty_sections", severity=Severity.WARNING,
                message=f"{_where(f)}：“{f.raw}{title}”只写了“{shown[:40]}”，未分析存在的问题或改进措施，请结合执行情况核实",
                keys=["report.heading"], values=[shown[:40]], locations=_loc(f)))
    return out


# a section that only points elsewhere: "见附件", "详见附件3", "附后"
_ANNEX_ONLY = re.compile(r"(?:详|具体)?见(?:附件|附表)[\d一二三四五六七八九十]*(?:[-－]\d+)?|附后|另附")


@check(id="narrative.text_anomalies", severity="warning", ref="domain §6.3 #12")
def text_anomalies(case: Case) -> list[Finding]:
    """Slips in the narrative's text that a careful reader stops at: a year written without 年
    ("2024度"), a count whose leading digits are lost ("为00多名") — each for the reviewer to confirm."""
    out: list[Finding] = []
    for f in case.all("report.anomaly"):
        sent = str(f.attrs.get("sentence", ""))
        msg = f"{_where(f)}：{f.attrs.get('message', '文字问题')}" + (f"（“{sent[:40]}”）" if sent else "")
        out.append(Finding(check="narrative.text_anomalies", severity=Severity.WARNING, message=msg,
                           keys=["report.anomaly"], values=[f.raw], locations=_loc(f)))
    return out
