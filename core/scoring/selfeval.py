"""Recompute the 部门整体支出绩效自评表 (the scoring sheet) from its own printed figures (domain §3).

Why it exists: the sheet states a 执行率, a 预算执行 得分, a 分值 and 得分 per 绩效指标 row, 一级 subtotals, a
总分 and an 等次; each of these follows from the others by fixed rules (执行率 = 全年执行数/全年预算数; 得分 =
min(执行率, 100%) × 分值; Σ分值 = 100; 财预〔2020〕10号: "未完成指标值的，按照完成值与指标值的比例记分";
等次 bands).  ``analyse`` does that arithmetic once, keeping every row's place, so that the checks in
``core.checks.selfeval`` and the score shown to the reviewer (``score_selfeval``) can never disagree.

What it must not do: raise on a partial or odd sheet (a missing cell is None and a note), use float, or
change the case (``score_case`` in ``core.scoring`` is the one place that writes ``case.scores``).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core.model import Case, Field, Indicator, SourceRef, compute_tracked, note_reads
from core.numbers import COUNT_UNITS, Target, is_measured_value, parse_target, target_met
from core.scoring.presets import dec, grade_for, plain, q2, selfeval_settings

LEVEL1_NAMES = ("产出指标", "效益指标", "满意度指标", "成本指标")
_LEVEL1_WORDS = (("产出", "产出指标"), ("效益", "效益指标"), ("满意", "满意度指标"), ("成本", "成本指标"))
_LABEL_WEIGHT = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")
_MONEY = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_MULT = {"万": Decimal(10000), "亿": Decimal(100000000), "千": Decimal(1000)}

EXEC_LABEL = "预算执行率"


def norm(s: str) -> str:
    """NFKC, no whitespace: how two labels are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s or ""))


def level1_name(raw: str) -> str:
    """The canonical 一级指标 of a printed label: "产出指标（40分）" → "产出指标"; unknown labels cleaned."""
    t = _LABEL_WEIGHT.sub("", norm(raw))
    for word, name in _LEVEL1_WORDS:
        if word in t:
            return name
    return t


def label_weight(raw: str) -> Decimal | None:
    """The subtotal printed inside a 一级 label: "产出指标（40分）" → 40."""
    m = _LABEL_WEIGHT.search(norm(raw))
    return Decimal(m.group(1)) if m else None


def grade_name(raw: Any) -> str | None:
    """A printed 评价等次 as one of 优/良/中/差 ("“优”", "优秀" → 优); None when blank."""
    if raw is None:
        return None
    t = norm(str(raw)).strip("“”\"'「」")
    if not t:
        return None
    for g in ("优", "良", "中", "差"):
        if g in t:
            return g
    if "不合格" in t:
        return "差"
    return t


def cell_ref(ind: Indicator, column: str) -> SourceRef:
    """The place of one cell of an indicator row (the whole row when the cell box is unknown)."""
    box = ind.cells.get(column)
    return SourceRef(ind.source.doc, ind.source.page, box) if box else ind.source


def _base(value: Decimal, unit: str) -> tuple[Decimal, str]:
    """A value in its base unit, so that "1.2万名" compares with "12000名" and 元 with 万元."""
    if unit in _MONEY:
        return value * _MONEY[unit], "元"
    if unit == "‰":
        return value / 10, "%"
    if len(unit) >= 1 and unit[0] in _MULT and (unit[1:] in COUNT_UNITS or unit[1:] == ""):
        return value * _MULT[unit[0]], unit[1:]
    return value, unit


@dataclass
class Row:
    """One 绩效指标 row with what the rules say about it."""

    ind: Indicator
    row_id: str
    level1: str
    target: Target
    actual: Target
    measured: bool  # the actual is a measured value, not a target-style string ("≥95%", "＞95")
    quantitative: bool  # target and actual are numbers in comparable units
    direction: str  # ">=" or "<=" (a plain target counts as a minimum, or as a ceiling under 成本指标)
    met: bool | None
    ratio: Decimal | None  # actual / target in base units
    recomputed: Decimal | None
    far_above: Decimal | None  # actual/target when ≥ the factor (≥ targets only)
    unit_missing: bool  # the target prints a unit, the actual none ("≥95%" vs "＞95")
    notes: list[str] = field(default_factory=list)

    @property
    def weight(self) -> Decimal | None:
        return self.ind.weight

    @property
    def score(self) -> Decimal | None:
        return self.ind.score

    def where(self) -> str:
        return f"自评表第{self.ind.source.page}页"

    @property
    def proportional(self) -> Decimal | None:
        """财预〔2020〕10号: an unmet quantitative target scores 分值 × 完成值/指标值 (≤ targets: 指标值/完成值),
        between 0 and 分值; None when the row is met or not quantitative (``recomputed`` also caps over-scores)."""
        if self.met is not False or self.ratio is None or self.weight is None:
            return None
        if self.direction in (">=", ">"):
            return q2(min(max(self.weight * self.ratio, Decimal(0)), self.weight))
        return q2(min(self.weight / self.ratio, self.weight)) if self.ratio > 0 else None


@dataclass
class Level1:
    name: str
    stated_weight: Decimal | None
    stated_weight_field: Field | None
    weight_sum: Decimal
    score_sum: Decimal
    recomputed_sum: Decimal
    rows: list[Row]


@dataclass
class Analysis:
    """The sheet recomputed; the fields used are kept so checks can point at them."""

    rows: list[Row]
    fields: dict[str, Field | None]
    level1: dict[str, Level1]
    execution_rate: Decimal | None  # recomputed, percent, 2 decimals
    execution_rate_exact: Decimal | None
    execution_score: Decimal | None  # recomputed, 2 decimals
    weight_sum: Decimal
    stated_score_sum: Decimal
    recomputed_total: Decimal
    total: Decimal | None
    grade: str | None
    settings: dict

    def value(self, name: str) -> Decimal | None:
        f = self.fields.get(name)
        return f.value if f is not None and isinstance(f.value, Decimal) else None

    @property
    def has_sheet(self) -> bool:
        return bool(self.rows) or any(f is not None for f in self.fields.values())


_FUND_KEYS = {
    "initial_budget": "selfeval.funds.initial_budget",
    "annual_budget": "selfeval.funds.annual_budget",
    "executed": "selfeval.funds.executed",
    "exec_weight": "selfeval.funds.weight",
    "execution_rate": "selfeval.funds.execution_rate",
    "exec_score": "selfeval.funds.score",
    "total_weight": "selfeval.total_weight",
    "total_score": "selfeval.total_score",
    "grade": "selfeval.grade",
}


def _decimal_field(case: Case, key: str) -> Field | None:
    for f in case.all(key):
        if isinstance(f.value, Decimal):
            return f
    return None


def _project_pages(case: Case) -> set[tuple[str, int]]:
    """Pages holding a 项目支出绩效自评表: its rows are not rows of the 部门整体 sheet."""
    out: set[tuple[str, int]] = set()
    for d in case.documents:
        for kind, pages in d.kinds.items():
            if "项目" in kind and "自评表" in kind:
                out.update((d.id, p) for p in pages)
    return out


def sheet_indicators(case: Case) -> list[tuple[str, Indicator]]:
    """(row id, indicator) of every non-blank 绩效指标 row of the 部门整体 自评表, in order."""
    skip = _project_pages(case)
    out = []
    for n, ind in enumerate(case.indicators, 1):
        if (ind.source.doc, ind.source.page) in skip:
            continue
        if not norm(ind.level3) and ind.weight is None and ind.score is None and not norm(ind.target) \
                and not norm(ind.actual):
            continue  # an empty 二级 row such as "生态效益指标" with nothing under it
        out.append((ind.id or f"i{n}", ind))
    return out


def analyse_row(row_id: str, ind: Indicator, settings: dict) -> Row:
    lv1 = level1_name(ind.level1) or "未标明一级指标"
    target = parse_target(ind.target)
    actual = parse_target(ind.actual)
    measured = is_measured_value(ind.actual) if norm(ind.actual) else False
    is_cost = lv1 == "成本指标"
    direction = target.comparator if target.comparator in (">=", ">", "<=", "<") else ("<=" if is_cost else ">=")
    numeric = target.kind in ("number", "percent") and target.value is not None and target.comparator != ""
    a_numeric = actual.kind in ("number", "percent") and actual.value is not None
    unit_missing = bool(target.unit) and a_numeric and not actual.unit
    notes: list[str] = []
    met: bool | None = None
    ratio = recomputed = far = None
    quantitative = False

    if numeric and a_numeric and measured:
        tv, tu = _base(target.value, target.unit)  # type: ignore[arg-type]
        av, au = _base(actual.value, actual.unit)  # type: ignore[arg-type]
        if tu and au and tu != au:
            notes.append(f"指标值单位“{target.unit}”与实际完成值单位“{actual.unit}”不一致，无法比较")
        else:
            quantitative = True
            met = target_met(target, actual, plain_as="<=" if is_cost else ">=")
            if tv:
                ratio = av / tv
            w = ind.weight
            t_txt, a_txt = plain(target.value), plain(actual.value)  # type: ignore[arg-type]
            if met is False and w is not None:
                if direction in (">=", ">") and tv > 0:
                    recomputed = q2(min(max(w * av / tv, Decimal(0)), w))
                    notes.append(f"未完成指标值，按完成值与指标值的比例记分：{a_txt}/{t_txt}"
                                 f"×{plain(w)} = {plain(recomputed)}分")
                elif direction in ("<=", "<") and av > 0:
                    recomputed = q2(min(max(w * tv / av, Decimal(0)), w))
                    notes.append(f"超过指标值，按指标值与完成值的比例记分：{t_txt}/{a_txt}"
                                 f"×{plain(w)} = {plain(recomputed)}分")
                else:
                    notes.append("未完成指标值")
            factor = dec(settings.get("far_above_factor", "3"))
            if direction in (">=", ">") and ratio is not None and tv > 0 and ratio >= factor:
                far = ratio
                notes.append(f"实际完成值为指标值的{plain(q2(ratio))}倍，指标值设定明显偏低"
                             "（财预〔2020〕10号：应按偏离度适度调减分值）")
    elif norm(ind.actual) and not measured:
        notes.append(f"实际完成值“{ind.actual.strip()}”按指标值的形式填写，不是实际完成的数值")
    elif target.kind in ("text", "date") and norm(ind.target) and norm(ind.target) == norm(ind.actual):
        met = True  # a qualitative target ("好") reported as reached, or a deadline reported as kept
    if unit_missing:
        notes.append(f"实际完成值缺少单位（指标值单位为“{target.unit}”）")

    if ind.weight is not None and ind.score is not None and ind.score > ind.weight:
        notes.append(f"得分{plain(ind.score)}超过分值{plain(ind.weight)}")
        if recomputed is None:
            recomputed = q2(ind.weight)
    if recomputed is None and ind.score is not None:
        recomputed = ind.score
    return Row(ind, row_id, lv1, target, actual, measured, quantitative, direction, met, ratio, recomputed,
               far, unit_missing, notes)


def _group(name: str, stated: Decimal | None, f: Field | None) -> Level1:
    return Level1(name, stated, f, Decimal(0), Decimal(0), Decimal(0), [])


_MEMO_SIZE = 32


def analyse(case: Case, preset_id: str | None = None) -> Analysis:
    """Recompute the 自评表 of ``case`` (see the module docstring).

    Every 自评表 check and the scoring call this on the same case in one re-check; the result is kept for
    the exact inputs it was computed from (the 自评表 fields' values and the indicator rows), so it is
    computed once per change, never served stale.  The memo lives on the case itself: an analysis holds the
    case's own ``Field`` objects, which a correction changes in place, so one case's analysis must never be
    served for another case with the same values (it would show that case's later corrections)."""
    run = case.__dict__.get("_run_memo")  # present while the checks run: one analysis serves them all
    if run is not None and ("selfeval.analyse", preset_id) in run:
        result, read = run[("selfeval.analyse", preset_id)]
        note_reads(read)  # each check that uses it depends on what it was computed from
        return result
    settings = selfeval_settings(preset_id)
    read: set[str] = set()
    key = compute_tracked(read, lambda: (
        json.dumps(settings, sort_keys=True, default=str),  # two presets with the same settings share
        tuple((f.id, f.key, f.value, f.unit, f.raw, f.source)
              for f in case.with_prefixes("selfeval.", "report.level1_")),
        tuple((i.id, i.level1, i.level2, i.level3, i.target, i.actual, i.weight, i.score, i.deviation,
               i.source, tuple(sorted(i.cells.items()))) for i in case.indicators)))
    memo: dict[tuple, Analysis] = case.__dict__.setdefault("_selfeval_memo", {})
    result = memo.get(key)
    if result is None:
        result = _analyse(case, settings)
        if len(memo) >= _MEMO_SIZE:
            memo.clear()
        memo[key] = result
    if run is not None:
        run[("selfeval.analyse", preset_id)] = (result, read)
    return result


def _analyse(case: Case, settings: dict) -> Analysis:
    fields = {name: (_decimal_field(case, key) if name != "grade" else case.first(key))
              for name, key in _FUND_KEYS.items()}
    rows = [analyse_row(rid, ind, settings) for rid, ind in sheet_indicators(case)]

    def v(name: str) -> Decimal | None:
        f = fields.get(name)
        return f.value if f is not None and isinstance(f.value, Decimal) else None

    annual, executed, exec_weight = v("annual_budget"), v("executed"), v("exec_weight")
    rate_exact = executed / annual * 100 if annual and executed is not None else None
    rate = q2(rate_exact) if rate_exact is not None else None
    basis = rate_exact if rate_exact is not None else v("execution_rate")
    exec_score = None
    if basis is not None and exec_weight is not None:
        exec_score = q2(min(max(basis, Decimal(0)), Decimal(100)) / 100 * exec_weight)

    level1: dict[str, Level1] = {}
    for r in rows:
        if r.level1 not in level1:
            key = f"selfeval.level1_weight.{r.level1}"
            f = _decimal_field(case, key)
            stated = f.value if f is not None else label_weight(r.ind.level1)
            level1[r.level1] = _group(r.level1, stated, f)
        g = level1[r.level1]
        g.rows.append(r)
        if g.stated_weight is None:
            g.stated_weight = label_weight(r.ind.level1)
        g.weight_sum += r.weight or 0
        g.score_sum += r.score or 0
        g.recomputed_sum += r.recomputed or 0
    for name in LEVEL1_NAMES:  # a printed subtotal whose rows are all blank still counts
        f = _decimal_field(case, f"selfeval.level1_weight.{name}")
        if f is not None and name not in level1:
            level1[name] = _group(name, f.value, f)  # type: ignore[arg-type]

    weight_sum = sum((r.weight for r in rows if r.weight is not None), Decimal(0)) + (exec_weight or 0)
    stated_sum = sum((r.score for r in rows if r.score is not None), Decimal(0)) + (v("exec_score") or 0)
    exec_part = exec_score if exec_score is not None else (v("exec_score") or Decimal(0))
    recomputed_total = q2(sum((r.recomputed for r in rows if r.recomputed is not None), Decimal(0)) + exec_part)
    grade_f = fields.get("grade")
    return Analysis(
        rows=rows, fields=fields, level1=level1, execution_rate=rate, execution_rate_exact=rate_exact,
        execution_score=exec_score, weight_sum=weight_sum, stated_score_sum=stated_sum,
        recomputed_total=recomputed_total, total=v("total_score"),
        grade=grade_name(grade_f.value) if grade_f is not None else None, settings=settings,
    )


def score_selfeval(case: Case, preset_id: str | None = None) -> dict[str, Any]:
    """The 自评表 as printed and as recomputed (structure in the module docstring of ``core.scoring``).

    ``recomputed_total`` is Σ recomputed row scores (proportional where a quantitative target was missed,
    capped at 分值, else as printed) + min(执行率, 100%) × 分值.  When Σ分值 is not 100,
    ``normalized_total`` rescales it to 100 points for information.
    """
    a = analyse(case, preset_id)
    bands = a.settings["grade_bands"]
    stated_in_report: dict[tuple[str, str], Decimal] = {}
    for f in case.with_prefix("report.level1_"):
        kind, _, suffix = f.key[len("report.level1_"):].partition(".")
        if isinstance(f.value, Decimal) and suffix:
            stated_in_report.setdefault((kind, level1_name(suffix)), f.value)
    level1 = {}
    for name, g in a.level1.items():
        level1[name] = {
            "stated_weight": g.stated_weight,
            "weight_sum": g.weight_sum,
            "score_sum": g.score_sum,
            "recomputed_score_sum": q2(g.recomputed_sum),
            "report_weight": stated_in_report.get(("weight", name)),
            "report_score": stated_in_report.get(("score", name)),
        }
    normalized = None
    if a.weight_sum and a.weight_sum != 100:
        normalized = q2(a.recomputed_total * 100 / a.weight_sum)
    return {
        "total": a.total,
        "recomputed_total": a.recomputed_total if a.has_sheet else None,
        "normalized_total": normalized,
        "weight_sum": a.weight_sum,
        "stated_weight": a.value("total_weight"),
        "stated_score_sum": a.stated_score_sum,
        "grade": a.grade,
        "grade_of_total": grade_for(a.total, bands),
        "recomputed_grade": grade_for(a.recomputed_total if normalized is None else normalized, bands)
        if a.has_sheet else None,
        "execution_rate": {"stated": a.value("execution_rate"), "recomputed": a.execution_rate},
        "execution_score": {"stated": a.value("exec_score"), "recomputed": a.execution_score,
                            "weight": a.value("exec_weight")},
        "level1": level1,
        "rows": [
            {
                "indicator_id": r.row_id,
                "level1": r.level1,
                "level2": r.ind.level2,
                "level3": r.ind.level3,
                "target": r.ind.target,
                "actual": r.ind.actual,
                "weight": r.weight,
                "score": r.score,
                "recomputed_score": r.recomputed,
                "met": r.met,
                "note": "；".join(r.notes),
            }
            for r in a.rows
        ],
    }
