"""Property: a narrative whose arithmetic holds gives no error finding, whatever the wording; one wrong figure
is named by a finding.

Each example is a department drawn at random (``tools/fixtures/phrasings.random_facts``: 4–7 科目 lines,
basic/project, personnel/public, 三公 with its parts, 机关运行经费, 政府采购, changes against last year, every
share, change rate and completion rate recomputed at the printed precision) and, for every statement kind,
one of its rewritings picked at random (``KINDS``: other provinces' wording, bases of comparisons, 科目 lines
named by code, quotes or 类/款/项, 元 with grouping, ranges, line breaks inside labels and numbers).  The
决算说明 and the 自评报告 are printed on synthetic pages (``tests/core/narrative_corpus.typeset``) 24 to 44
characters wide, so lines and pages break at other places in every example, read back by ``extract_narrative``
and checked by every registered check.

* clean: no finding of severity error;
* one injected error (a wrong share, a wrong total in the 自评报告, a wrong change rate, a wrong completion
  rate of a 科目 line or of the whole): some finding (error or warning) quotes the wrong figure.

Derandomised and bounded (20 examples per property, no deadline) so a run is repeatable and short.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from core.checks.registry import run_checks  # noqa: E402
from core.documents.paragraphs import join_lines  # noqa: E402
from core.extraction.narrative import extract_narrative  # noqa: E402
from core.model import Case, Finding, Severity  # noqa: E402
from tests.core.narrative_corpus import typeset  # noqa: E402
from tools.fixtures.phrasings import KINDS, Facts, applicable, mentions, random_facts, render  # noqa: E402

D = Decimal
# a seed has no structure to shrink: generate only, and write nothing to disk (no example database)
SETTINGS = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                    phases=[Phase.explicit, Phase.generate],
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# the statement kinds in the order a 决算情况说明 / 自评报告 prints them
JS_ORDER = ["grand_total_change", "income", "expense_composition", "fiscal_grand", "fiscal_expense", "class_structure",
            "initial_vs_final", "item_line", "basic_split", "sangong_total", "sangong_parts", "admin_cost",
            "general_spending", "procurement", "assets"]
ZP_ORDER = ["staff", "selfeval_expense", "econ_breakdown", "project", "project_line", "execution_rate", "selfeval_score",
            "from_to", "indicator_range"]

# injected errors: (name, kind, slot, how the wrong value is made)
INJECTIONS = {
    "share": ("expense_composition", "sh_b", lambda v: v + D("1.50")),
    "total": ("selfeval_expense", "expense", lambda v: v + D("12.00")),
    "change_rate": ("grand_total_change", "r_grand", lambda v: v + D("2.40")),
    "item_completion": ("item_line", "lc", lambda v: v + D("3.10")),
    "completion": ("initial_vs_final", "comp", lambda v: v + D("5.00")),
}


def _choose(rng: random.Random, facts: Facts, kind: str, needs: str | None = None) -> str | dict:
    tpls = [t for t in KINDS[kind]["templates"] if applicable(kind, t, facts)]
    if needs is not None:
        tpls = [t for t in tpls if mentions(t, needs)]
    return rng.choice(tpls)


def _document(rng: random.Random, facts: Facts, order: list[str], inject: tuple | None) -> tuple[str, list[str]]:
    """The text of one form, and the printed wrong figure(s) when an error is injected."""
    paras: list[str] = []
    wrong: list[str] = []
    for kind in order:
        tweak = None
        needs = None
        if inject is not None and inject[0] == kind:
            _, slot, how = inject
            needs = slot
            tweak = {slot: None}
        tpl = _choose(rng, facts, kind, needs)
        if tweak is not None:
            slot, how = inject[1], inject[2]
            base = facts.values().get(slot)
            if base is None:  # a 科目 line's rate: the first line with a 年初预算
                base = next(el[slot] for el in facts.each("lines") if el.get(slot) is not None)
            tweak = {slot: how(base)}
        text, figs = render(tpl, facts, tweak=tweak)
        if tweak is not None:
            slot = inject[1]
            wrong += [f.raw for f in figs if f.slot == slot and f.value == _printed(tweak[slot], f.raw)]
            assert wrong, (kind, slot, text)
            wrong = wrong[:1]
        paras.append(text)
    return "\n\n".join(paras), wrong


def _printed(v: Decimal, raw: str) -> Decimal:
    """The value as printed in ``raw``'s unit (元 when grouped) — to find the tweaked figure."""
    if "," in raw and len(raw.replace(" ", "")) > 8:
        return (v * 10000).quantize(D("0.01"))
    return v


def _case(js: str, zp: str, chars: int) -> Case:
    """Both forms printed ``chars`` characters wide: lines (and pages) break wherever the width puts them,
    inside labels and numbers' units too; the rewritings' own forced breaks are left to that wrapping."""
    fields = []
    for doc, text, form in (("js", js, "决算说明"), ("zp", zp, "自评报告")):
        flowing = "\n\n".join(p.replace("\n", "") for p in text.split("\n\n"))
        lines, _ = typeset(flowing, chars=chars)
        fields += extract_narrative(doc, join_lines(lines), form)
    return Case(fields=fields)


def _build(seed: int, inject: str | None = None) -> tuple[Case, list[str], str]:
    rng = random.Random(seed)
    facts = random_facts(rng)
    inj = None
    if inject is not None:
        kind, slot, how = INJECTIONS[inject]
        inj = (kind, slot, how)
    js, w1 = _document(rng, facts, JS_ORDER, inj if inj and inj[0] in JS_ORDER else None)
    zp, w2 = _document(rng, facts, ZP_ORDER, inj if inj and inj[0] in ZP_ORDER else None)
    return _case(js, zp, rng.randint(24, 44)), w1 + w2, js + "\n\n" + zp


def _describe(f: Finding) -> str:
    return f"[{f.severity.value}] {f.check}: {f.message}"


def _names(f: Finding, raw: str) -> bool:
    want = D(raw.replace(",", "").replace(" ", ""))
    if raw in f.message or raw.replace(" ", "") in f.message.replace(" ", ""):
        return True
    return any(_as_number(v) == want for v in f.values)


def _as_number(v: object) -> Decimal | None:
    try:
        return D(str(v))
    except ArithmeticError:  # decimal.InvalidOperation: a value that is not a number names nothing
        return None


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=10**6))
def test_consistent_narrative_gives_no_error(seed):
    case, _, text = _build(seed)
    errors = [f for f in run_checks(case) if f.severity == Severity.ERROR]
    assert not errors, f"seed {seed}: {len(errors)} false errors\n" + "\n".join(_describe(f) for f in errors) + \
        f"\n--- text ---\n{text}"


@SETTINGS
@given(seed=st.integers(min_value=0, max_value=10**6), which=st.sampled_from(sorted(INJECTIONS)))
def test_one_injected_error_is_named(seed, which):
    case, wrong, text = _build(seed, which)
    findings = [f for f in run_checks(case) if f.severity in (Severity.ERROR, Severity.WARNING)]
    named = [f for f in findings if any(_names(f, w) for w in wrong)]
    assert named, (f"seed {seed}, injected {which} ({wrong}): not named by any of {len(findings)} findings\n"
                   + "\n".join(_describe(f) for f in findings) + f"\n--- text ---\n{text}")


def survey(n: int = 20) -> str:
    """The two properties over ``n`` fixed seeds, as a report: clean examples with an error finding (by
    check, one message each) and, per kind of injected error, how many are named.
    ``python -m tests.core.checks.test_narrative_property``."""
    from collections import Counter

    seeds = [s * 7919 for s in range(n)]
    by_check: Counter = Counter()
    example: dict[str, str] = {}
    clean = 0
    for s in seeds:
        case, _, _ = _build(s)
        errors = [f for f in run_checks(case) if f.severity == Severity.ERROR]
        clean += not errors
        for f in errors:
            by_check[f.check] += 1
            example.setdefault(f.check, f"seed {s}: {f.message[:200]}")
    lines = [f"consistent narratives without an error finding: {clean}/{n}"]
    lines += [f"  {c}× {k}  e.g. {example[k]}" for k, c in by_check.most_common()]
    named: Counter = Counter()
    for s in seeds[: max(1, n // 2)]:
        for which in sorted(INJECTIONS):
            case, wrong, _ = _build(s, which)
            fs = [f for f in run_checks(case) if f.severity in (Severity.ERROR, Severity.WARNING)]
            named[which] += any(_names(f, w) for f in fs for w in wrong)
    lines.append("injected errors named: " + ", ".join(f"{w} {named[w]}/{max(1, n // 2)}" for w in sorted(INJECTIONS)))
    return "\n".join(lines)


if __name__ == "__main__":
    print(survey())
