"""C13, C14: “三公”经费 (domain.md §5) — budget and final of the total and each item, in the narrative, the
决算 (公开09) and the 基础数据表, the completion ratios stated about them (``sangong_ratios``), and the stated
change from last year (增加/减少/持平) against the figures.
"""

from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

from core.checks.accounts import amount, present_tables
from core.checks.cross.reading import agree, group_id, j_cell, sentence, show, statements, subject, unit_of
from core.checks.messages import finding, fmt_pct, fmt_value, fmt_wan, num, rounding_note, severity_of, where
from core.checks.registry import check, structure_memo
from core.checks.tolerance import Match, compare_amounts, compare_percent, round_to, to_wan
from core.model import Case, Field, Finding

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
