"""Write the reviewed case as Excel workbooks in the official layouts: the openpyxl boundary.

Why it exists: the finance office files the 基础数据表 and 自评表 in their official form, plus the review's own
sheets (共性指标评分表, 问题清单, 修改记录).  This is the only module in the project that imports openpyxl;
what goes where is data (``resources/layouts/*.json``, loaded by ``layouts.py``), and this module only knows
how to draw a layout from a ``Case``.

Rules it keeps:

- It shows what the department REPORTED, with the reviewer's corrections applied (the Case given holds the
  effective values).  The tool's own recomputations appear beside the form (复核 columns), never instead of it.
- Amounts and scores are numeric cells with number formats; percentages are written as the ratio with a
  ``0.00%`` format (a field 88.23 with unit "%" becomes 0.8823).
- Values only, never a formula: openpyxl cannot store a formula's cached value, and a formula without one is
  blank in previewers and some WPS versions.  A total the form prints is written as reported; our own totals
  (Σ分值, Σ得分 of the 共性指标, the 汇总表's sums) are computed here and written as values (``compute`` in the
  layout); the 汇总表's links are cell hyperlinks, not HYPERLINK formulas.  ``BuiltWorkbook.formulas`` stays
  empty and the tests hold it so.
- Text from a document is never a formula: every string is stored as a string cell (``data_type "s"``), and
  one starting with = + - @ or a tab/CR also gets Excel's quote prefix, so editing it in Excel keeps it text.
- The file is written atomically (temp file in the same folder, fsync, ``os.replace``).

What it must not do: compute scores or run checks (``core.scoring`` / ``core.checks`` do; it reads
``case.scores``), or change the Case.
"""

from __future__ import annotations

import errno
import io
import logging
import math
import os
import re
import unicodedata
from collections import Counter
from copy import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.comments import Comment
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.pagebreak import Break
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.page import PageMargins

from core.errors import OutputError, os_error_reason
from core.export import layouts as L
from core.export.review_items import RESOLVED, ReviewItem, check_catalogue, review_items, short_doc_name
from core.model import Case, Field
from core.review.atomic import write_atomic
from core.scoring.presets import plain
from core.scoring.review_score import score_tolerance

log = logging.getLogger(__name__)

HIGHLIGHT = "FFE699"          # stated figure and its recomputation disagree
TAKEN_FILL = "DDEBF7"         # a figure the form lacks, taken from another document (the 决算)
TAKEN_NOTE = "derived.taken_note"  # a layout cell showing where those figures were taken from
FALLBACK_COMMENT_AUTHOR = "审核工具"
_WAN = Decimal(10000)
_CENT = Decimal("0.01")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_WIN_BAD = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
_WIN_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                 *(f"LPT{i}" for i in range(1, 10))}
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


# -- public API -------------------------------------------------------------------------------------------

@dataclass
class BuiltWorkbook:
    """A workbook ready to save: its file name, the openpyxl object and every formula we wrote in it
    (sheet title → set of cell coordinates), so a test can prove no other cell is a formula."""

    file_name: str
    workbook: Workbook
    formulas: dict[str, set[str]] = field(default_factory=dict)


def export_workbooks(
    case: Case,
    out_dir: str | os.PathLike[str],
    *,
    corrections: Iterable[Any] = (),
    decisions: Iterable[Any] = (),
    reviewer: str = "",
    overwrite: bool = True,
    layouts_dir: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
    items: list[ReviewItem] | None = None,
) -> list[Path]:
    """Write the workbooks of the manifest (by default one: five sheets) into ``out_dir``; return their paths.

    ``corrections`` and ``decisions`` are the review records, as dicts or objects with the attributes
    ``field_id/key/original_raw/new_raw/reason/reviewer/time`` (optionally ``kind``, ``original_value``,
    ``new_value``) and ``fingerprint/status/reason/reviewer/time`` (optionally ``check``, ``message``).
    Raises ``FileExistsError`` if ``overwrite`` is False and a target exists (nothing is written then),
    ``OutputError`` (Chinese reason) if the folder cannot be written, ``layouts.LayoutError`` for a bad
    layout.  ``now`` is the export time printed on the sheets (tests pin it).
    """
    out = Path(out_dir)
    built = build_workbooks(case, corrections=corrections, decisions=decisions, reviewer=reviewer,
                            layouts_dir=layouts_dir, now=now, items=items)
    _ensure_dir(out)
    targets = [out / b.file_name for b in built]
    if not overwrite:
        for t in targets:
            if t.exists():
                raise FileExistsError(errno.EEXIST, "文件已存在", str(t))
    for b, t in zip(built, targets):
        _save_atomic(b.workbook, t, overwrite=overwrite)
    return targets


def build_workbooks(
    case: Case,
    *,
    corrections: Iterable[Any] = (),
    decisions: Iterable[Any] = (),
    reviewer: str = "",
    layouts_dir: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
    items: list[ReviewItem] | None = None,
) -> list[BuiltWorkbook]:
    """The workbooks in memory (nothing written): used by ``export_workbooks`` and by tests.  ``items`` are
    the ``review_items`` of the case when the caller has them already (the 复核意见 uses the same)."""
    manifest, layouts = L.load_all(layouts_dir)
    ctx = _Context.build(case, list(corrections), list(decisions), reviewer, now or datetime.now(), items)
    result = []
    for spec in manifest.workbooks:
        wb = Workbook()
        _set_default_font(wb, layouts[spec.sheets[0]])
        wb.remove(wb.active)
        built = BuiltWorkbook(file_name=workbook_file_name(spec, ctx.meta), workbook=wb)
        for sheet_id in spec.sheets:
            lay = layouts[sheet_id]
            writer = _SheetWriter(wb, lay, ctx)
            writer.write()
            built.formulas[lay.sheet] = writer.formulas
        result.append(built)
    names = [b.file_name.casefold() for b in result]  # Windows file names ignore case
    if len(set(names)) != len(names):
        raise L.LayoutError(manifest.path, "workbooks", "几个工作簿的文件名相同，会互相覆盖")
    return result


def safe_file_name(name: str, fallback: str = "未命名") -> str:
    """A file name Windows accepts: \\/:*?"<>| and control characters become "_", trailing dots and spaces
    go, reserved device names (CON, NUL, COM1 …) get a "_" prefix; Chinese is kept."""
    stem, dot, ext = name.rpartition(".")
    if not dot or not ext.isalnum():
        stem, ext = name, ""
    stem = _WIN_BAD.sub("_", unicodedata.normalize("NFC", stem)).strip().rstrip(". ")
    stem = re.sub(r"_{2,}", "_", stem)
    if not stem.strip("_"):
        stem = fallback
    if stem.split(".")[0].upper() in _WIN_RESERVED:
        stem = "_" + stem
    stem = stem[:150].rstrip(". ")
    return f"{stem}.{ext}" if ext else stem


def workbook_file_name(spec: L.WorkbookSpec, meta: Mapping[str, str]) -> str:
    unit = _WIN_BAD.sub("_", meta.get("unit_name", "")).strip().rstrip(". ") or "未命名单位"
    tpl = spec.file_name if meta.get("year") else spec.file_name_no_year
    return safe_file_name(_fill(tpl, {**meta, "unit_name": unit}), fallback="绩效审核")


# -- the export context: what the layouts can name ----------------------------------------------------------

def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A record's attribute, whether it is a dict or an object (the review records are duck-typed)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _dec(v: Any) -> Decimal | None:
    if v is None or isinstance(v, bool):
        return None
    if isinstance(v, Decimal):
        return v if v.is_finite() else None
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)) if math.isfinite(v) else None
    return None


def _fmt_num(d: Decimal) -> str:
    s = format(d, "f")
    return s


def _fill(text: str, meta: Mapping[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(meta.get(m.group(1), "")), text)


def _same_at_printed(stated: Decimal, recomputed: Decimal) -> bool:
    """Does ``recomputed`` round to ``stated`` at the precision ``stated`` was printed with?"""
    exp = min(stated.as_tuple().exponent, 0) if isinstance(stated.as_tuple().exponent, int) else 0
    try:
        return recomputed.quantize(Decimal(1).scaleb(exp), ROUND_HALF_UP) == stated
    except InvalidOperation:
        return recomputed == stated


def _to_naive(t: Any) -> datetime | date | None:
    """A time as Excel can hold it: the wall-clock time as recorded (the review log writes local time with
    its UTC offset; Excel has no time zones, so the offset is dropped, not converted)."""
    if isinstance(t, datetime):
        return t.replace(tzinfo=None)
    if isinstance(t, date):
        return t
    if isinstance(t, (int, float)) and not isinstance(t, bool) and t > 0:
        try:
            return datetime.fromtimestamp(t)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(t, str) and t.strip():
        try:
            return _to_naive(datetime.fromisoformat(t.strip()))
        except ValueError:
            return None
    return None


def _time_value(t: Any) -> Any:
    """A record's time as a datetime cell when it can be read as one, else its text."""
    if t is None or t == "":
        return None
    d = _to_naive(t)
    return d if d is not None else str(t)


def _raw_value(raw: Any) -> Any:
    """A correction's raw text as the reviewer typed it; a plain number ("0.96", "1,363.38", "-2") becomes a
    number, anything else stays text (never a formula)."""
    if raw is None:
        return None
    if isinstance(raw, (Decimal, int, float)) and not isinstance(raw, bool):
        return _dec(raw)
    s = str(raw).strip()
    if _PLAIN_NUMBER.match(s):
        try:
            return Decimal(s.replace(",", ""))
        except InvalidOperation:
            return str(raw)
    return str(raw)


@dataclass
class _Context:
    case: Case
    meta: dict[str, str]
    tree: dict[str, Any]
    corrections: list[Any]
    decisions: list[Any]
    reviewer: str
    tolerance: Decimal
    given_items: list[ReviewItem] | None = None

    @property
    def items(self) -> list[ReviewItem]:
        """The findings with their verdicts and the resolved ones (``review_items``), computed once."""
        if self.given_items is None:
            self.given_items = review_items(self.case, self.corrections, self.decisions)
        return self.given_items

    @staticmethod
    def build(case: Case, corrections: list[Any], decisions: list[Any], reviewer: str,
              now: datetime, items: list[ReviewItem] | None = None) -> _Context:
        year = _case_year(case)
        scores = case.scores if isinstance(case.scores, Mapping) else {}
        ind = scores.get("indicators") if isinstance(scores.get("indicators"), Mapping) else {}
        meta = {
            "unit_name": _unit_name(case),
            "year": str(year) if year else "",
            "prev_year": str(year - 1) if year else "",
            "year_label": f"{year}年" if year else "本年",
            "prev_year_label": f"{year - 1}年" if year else "上年",
            "preset_name": str(ind.get("preset_name") or ind.get("preset") or "默认"),
            "export_time": now.strftime("%Y-%m-%d %H:%M"),
            "reviewer": reviewer,
        }
        tol = score_tolerance()
        derived: dict[str, Any] = {"selfeval": _derive_selfeval(case, scores, tol), "basic": {}}
        derived["review"] = _derive_review(scores, derived["selfeval"], tol)
        tree = {"scores": scores, "meta": meta, "derived": derived}
        return _Context(case, meta, tree, corrections, decisions, reviewer, tol, items)

    def lookup(self, path: str) -> Any:
        node: Any = self.tree
        for part in path.split("."):
            if isinstance(node, Mapping):
                node = node.get(part)
            elif isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
            if node is None:
                return None
        return node

    def doc_name(self, doc_id: str) -> str:
        d = self.case.document(doc_id)
        if d is None or not d.path:
            return doc_id
        return Path(d.path.replace("\\", "/")).name or doc_id


def _case_year(case: Case) -> int | None:
    years = [d.year for d in case.documents if isinstance(d.year, int) and 1990 < d.year < 2200]
    if years:
        return Counter(years).most_common(1)[0][0]
    for f in case.fields:
        if f.key == "year" or f.key.endswith(".year"):
            d = _dec(f.value)
            if d is None and isinstance(f.value, str) and f.value.strip().isdigit():
                d = Decimal(f.value.strip())
            if d is not None and d == d.to_integral_value() and 1990 < d < 2200:
                return int(d)
    return None


def _unit_name(case: Case) -> str:
    for key in ("basic.unit_name", "selfeval.unit_name", "accounts.unit_name"):
        v = case.value(key)
        if isinstance(v, str) and v.strip():
            return v.strip()
    for d in case.documents:
        if d.unit_name.strip():
            return d.unit_name.strip()
    return ""


def _derive_selfeval(case: Case, scores: Mapping[str, Any], tol: Decimal) -> dict[str, Any]:
    """Stated-vs-recomputed comparisons of the 自评表 for the 复核 columns."""
    sev = scores.get("selfeval") if isinstance(scores.get("selfeval"), Mapping) else {}
    out: dict[str, Any] = {}

    def pair(name: str, field_key: str) -> tuple[Decimal | None, Decimal | None]:
        node = sev.get(name) if isinstance(sev.get(name), Mapping) else {}
        stated = _dec(node.get("stated"))
        if stated is None:
            stated = _dec(case.value(field_key))
        return stated, _dec(node.get("recomputed"))

    rate_s, rate_r = pair("execution_rate", "selfeval.funds.execution_rate")
    out["execution_rate_differs"] = bool(
        rate_s is not None and rate_r is not None and not _same_at_printed(rate_s, rate_r))
    sc_s, sc_r = pair("execution_score", "selfeval.funds.score")
    if sc_s is not None and sc_r is not None and sc_s != sc_r:
        out["execution_score_diff"] = sc_r - sc_s
    out["execution_score_differs"] = bool(sc_s is not None and sc_r is not None and abs(sc_r - sc_s) > tol)

    # The total row says one thing: when the weights do not add up to 100 the grade is read from the
    # recomputed score rescaled to 100 points, so that is the 复核得分 shown, and the note says how it was had.
    total_s = _dec(sev.get("total"))
    if total_s is None:
        total_s = _dec(case.value("selfeval.total_score"))
    raw_r = _dec(sev.get("recomputed_total"))
    wsum = _dec(sev.get("weight_sum"))
    normalized = _dec(sev.get("normalized_total"))
    w_stated = _dec(case.value("selfeval.total_weight"))
    rescaled = wsum is not None and wsum != 100 and normalized is not None
    total_r = normalized if rescaled else raw_r
    out["total_recomputed"] = total_r
    if total_s is not None and total_r is not None and total_s != total_r:
        out["total_diff"] = total_r - total_s
    out["total_differs"] = bool(total_s is not None and total_r is not None and abs(total_r - total_s) > tol)
    if wsum is not None and (wsum != 100 or (w_stated is not None and w_stated != wsum)):
        out["weight_sum_differs"] = True
        note = f"各项分值合计{_fmt_num(wsum)}分"
        if w_stated is not None and w_stated != wsum:
            note += f"（表列{_fmt_num(w_stated)}分）"
        if wsum != 100:
            note += "，应为100分"
        if rescaled and raw_r is not None:
            note += (f"；各项复核得分合计{_fmt_num(raw_r)}分，按100分折算为{_fmt_num(normalized)}分，"
                     "复核得分和评价等次按折算分")
        out["total_note"] = note
    else:
        out["weight_sum_differs"] = False

    g_s = sev.get("grade") or case.value("selfeval.grade")
    g_r = sev.get("recomputed_grade")
    g_s = g_s.strip() if isinstance(g_s, str) else None
    g_r = g_r.strip() if isinstance(g_r, str) else None
    if g_r and not g_s:
        out["grade_differs"], out["grade_note"] = True, "表中未填评价等次"
    elif g_r and g_s and g_r != g_s:
        out["grade_differs"], out["grade_note"] = True, f"表列“{g_s}”，复核为“{g_r}”"
    else:
        out["grade_differs"] = False
    return out


def _nonzero(d: Any) -> Decimal | None:
    v = _dec(d)
    return v if v else None


def _derive_review(scores: Mapping[str, Any], sev_derived: Mapping[str, Any], tol: Decimal) -> dict[str, Any]:
    """The 复核评分 (``scores["review"]``, core.scoring.review_score) for the funds and total rows: the
    预算执行率's 复核得分/扣分/依据, the total after the cap with the cap stated, the 复核等次.  A case scored
    before 复核评分 existed (no ``review``) shows the 自评表's recomputation instead."""
    rv = scores.get("review") if isinstance(scores.get("review"), Mapping) else None
    sev = scores.get("selfeval") if isinstance(scores.get("selfeval"), Mapping) else {}
    out: dict[str, Any] = {}
    if rv is None:
        ex = sev.get("execution_score") if isinstance(sev.get("execution_score"), Mapping) else {}
        out["execution_score"] = _dec(ex.get("recomputed"))
        diff = _dec(sev_derived.get("execution_score_diff"))
        out["execution_deduction"] = -diff if diff else None
        out["execution_differs"] = bool(sev_derived.get("execution_score_differs"))
        out["total"] = _dec(sev_derived.get("total_recomputed"))
        tdiff = _dec(sev_derived.get("total_diff"))
        out["total_deduction"] = -tdiff if tdiff else None
        out["total_differs"] = bool(sev_derived.get("total_differs"))
        out["total_note"] = sev_derived.get("total_note")
        out["grade"] = sev.get("recomputed_grade")
        out["grade_note"] = sev_derived.get("grade_note")
        out["grade_differs"] = bool(sev_derived.get("grade_differs"))
        return out
    ex = rv.get("execution") if isinstance(rv.get("execution"), Mapping) else {}
    out["execution_score"] = _dec(ex.get("review_score"))
    out["execution_deduction"] = _nonzero(ex.get("deduction"))
    out["execution_ratio"] = _nonzero(ex.get("deduction_ratio"))
    out["execution_basis"] = ex.get("basis_text") or None
    out["execution_differs"] = bool(out["execution_deduction"] and abs(out["execution_deduction"]) > tol)
    total, self_total = _dec(rv.get("total")), _dec(rv.get("self_total"))
    out["total"] = total
    out["total_deduction"] = _nonzero(rv.get("deduction_total"))
    out["total_differs"] = bool(total is not None and self_total is not None and abs(total - self_total) > tol)
    caps = rv.get("caps") if isinstance(rv.get("caps"), Mapping) else {}
    parts = []
    raw, uncapped = _dec(rv.get("raw_total")), _dec(rv.get("uncapped_total"))
    if raw is not None:
        parts.append(f"各项复核得分合计{_plain(raw)}分")
    if rv.get("total_basis"):
        parts.append(str(rv["total_basis"]))
    if caps.get("text"):
        capped = "（封顶前" + _plain(uncapped) + "分）" if caps.get("applied") and uncapped is not None else ""
        parts.append(f"封顶规则：{caps['text']}{capped}")
    judged = rv.get("needs_judgement") or []
    if judged:
        parts.append(f"另有{len(judged)}项需复核人判断，未自动扣分")
    out["total_note"] = "；".join(parts) or None
    out["cap_applied"] = bool(caps.get("applied"))
    g_r = rv.get("grade")
    g_s = sev.get("grade")
    out["grade"] = g_r
    out["grade_differs"] = bool(g_r and g_r != g_s)
    if g_r and not g_s:
        out["grade_note"] = "表中未填评价等次"
    elif g_r and g_s != g_r:
        out["grade_note"] = f"表列“{g_s}”，复核为“{g_r}”" + ("（封顶后）" if caps.get("applied") else "")
    return out


def _plain(d: Decimal | None) -> str:
    return plain(d) if d is not None else ""


# -- records of the table sources -------------------------------------------------------------------------

def _records(source: str, lay: L.SheetLayout, ctx: _Context) -> list[dict[str, Any]]:
    if source == "selfeval_indicators":
        return _selfeval_records(ctx)
    if source == "common_indicators":
        return _common_records(ctx, lay)
    if source == "findings":
        return _finding_records(lay, ctx)
    if source == "corrections":
        return _correction_records(ctx)
    if source == "coverage":
        return _coverage_records(ctx)
    if source == SUMMARY_SOURCE:
        return list(ctx.tree.get(SUMMARY_SOURCE) or [])
    raise ValueError(source)  # layouts.py rejects unknown sources


def _selfeval_records(ctx: _Context) -> list[dict[str, Any]]:
    node = ctx.tree["scores"].get("selfeval")
    sev = node if isinstance(node, Mapping) else {}
    rows = sev.get("rows") if isinstance(sev.get("rows"), list) else []
    by_id = {str(_get(r, "indicator_id")): r for r in rows if _get(r, "indicator_id")}
    rv = ctx.tree["scores"].get("review")
    review_rows = rv.get("rows") if isinstance(rv, Mapping) and isinstance(rv.get("rows"), list) else []
    by_review = {str(_get(r, "indicator_id")): r for r in review_rows}
    out = []
    for n, ind in enumerate(ctx.case.indicators, 1):
        r = by_id.get(ind.id, {})
        rec_score = _dec(_get(r, "recomputed_score"))
        diff = None
        if rec_score is not None and ind.score is not None and rec_score != ind.score:
            diff = rec_score - ind.score
        rec = {
            "seq": n, "id": ind.id, "level1": ind.level1, "level2": ind.level2, "level3": ind.level3,
            "target": ind.target, "actual": ind.actual, "weight": ind.weight, "score": ind.score,
            "deviation": ind.deviation, "recomputed_score": rec_score, "score_diff": diff,
            "note": str(_get(r, "note") or ""), "differs": diff is not None and abs(diff) > ctx.tolerance,
        }
        p = by_review.get(ind.id)
        if p is not None:  # 复核评分: the proposal or the reviewer's own values, with every 依据
            deduction = _nonzero(_get(p, "deduction"))
            rec.update(review_actual=_get(p, "review_actual") or None, review_score=_dec(_get(p, "review_score")),
                       deduction=deduction, deduction_ratio=_nonzero(_get(p, "deduction_ratio")),
                       basis=_get(p, "basis_text") or None,
                       actual_differs=_get(p, "review_actual_source") == "reviewer",
                       differs=bool(deduction and abs(deduction) > ctx.tolerance))
        elif rec_score is not None or ind.score is not None or (ind.level3 or "").strip():
            rec.update(review_actual=ind.actual or None, review_score=rec_score,
                       deduction=-diff if diff else None, deduction_ratio=None,
                       basis=rec["note"] or None, actual_differs=False)
        out.append(rec)
    return out


_RULE_NOTE = re.compile(r"（([^（）]*(?:\([a-e]\)|推定)[^（）]*)）\s*$")
_SOURCE_CODES = re.compile(r"(?:湖南|岳阳)?\s*((?:\([a-e]\))+)")


def _rule_words(rule: str, lay: L.SheetLayout) -> str:
    """A preset's scoring rule with its source said in words: "（湖南 (a)(c)(d)）" → "（依据：湖南省经信委2015年
    评分表、湖南2018年县级评分表、岳阳市评分表）", "推定" → "评分表原文未规定，由审核工具比照…设定".  The names
    are data (``labels.rule_source`` of the layout)."""
    names = lay.labels.get("rule_source", {})
    m = _RULE_NOTE.search(rule)
    if not m or not names:
        return rule

    def sources(codes: str) -> str:
        return "、".join(names.get(c, f"({c})") for c in re.findall(r"\(([a-e])\)", codes))

    parts: list[str] = []
    presumed, like = False, ""
    for part in re.split(r"[；，,]", m.group(1)):
        part = part.strip()
        if part == "推定":
            presumed = True
        elif part.startswith("比照"):
            rest = part[2:].strip()
            like = sources(rest) if _SOURCE_CODES.fullmatch(rest) else rest
        elif _SOURCE_CODES.fullmatch(part):
            parts.append("依据：" + sources(part))
        elif part:
            parts.append(part)
    if presumed:
        parts.insert(0, names.get("推定", "推定").replace("{like}", like or "相近指标的规则"))
    elif like:
        parts.insert(0, "比照" + like)
    return rule[:m.start()] + "（" + "；".join(parts) + "）"


def _common_records(ctx: _Context, lay: L.SheetLayout) -> list[dict[str, Any]]:
    node = ctx.tree["scores"].get("indicators")
    items = node.get("items") if isinstance(node, Mapping) and isinstance(node.get("items"), list) else []
    out = []
    for n, it in enumerate(items, 1):
        inputs = _get(it, "inputs") or {}
        pairs = list(inputs.items()) if isinstance(inputs, Mapping) else [
            (p[0], p[1]) for p in inputs if isinstance(p, (list, tuple)) and len(p) == 2]
        rule = _get(it, "scoring_text") or _get(it, "rule") or ""
        unit = _get(it, "unit", "%")
        base = {
            "seq": n, "id": _get(it, "id", ""), "name": _get(it, "name", ""),
            "formula": _get(it, "formula", ""), "value": _dec(_get(it, "value")),
            "weight": _dec(_get(it, "weight")), "score": _dec(_get(it, "score")),
            "rule": _rule_words(rule, lay) if isinstance(rule, str) else "", "note": _get(it, "note", ""),
            "group": n,
            # the value is a percent unless the rule says otherwise ("value" rules give 万元 or a count)
            "_formats": {} if unit in ("%", None) else {"value": "auto"},
        }
        for name, value in pairs or [("", None)]:
            v = _dec(value)
            out.append({**base, "input_name": str(name), "input_value": v if v is not None else value})
    return out


def _check_name(check: str, lay: L.SheetLayout) -> str:
    """The Chinese name of a check (``resources/checks.json``; a layout's own ``labels.check`` wins), else
    the name of its family ("自评表检查")."""
    named = lay.labels.get("check", {})
    if check in named:
        return named[check]
    name = check_catalogue().name(check)
    if name:
        return name
    family = check.split(".")[0]
    fam = lay.labels.get("check_family", {}).get(family)
    return f"{fam}检查" if fam else check


def _status_text(status: Any, lay: L.SheetLayout) -> str:
    if isinstance(status, Enum):
        status = status.value
    s = "" if status is None else str(status).strip()
    table = lay.labels.get("decision", {})
    return table.get(s) or table.get(s.lower()) or s or "未处理"


def _value_lines(values: Iterable[Any]) -> str:
    """The figures of a finding, one per line (a line never holds two numbers, so the column can be made
    as wide as its widest number and no number wraps); nothing for a figure that is missing."""
    lines: list[str] = []
    for v in values:
        if isinstance(v, (list, tuple)):
            sub = _value_lines(v)
            if sub:
                lines.append(sub)
            continue
        d = _dec(v)
        if d is not None:
            lines.append(_fmt_num(d))
        elif v is None or (isinstance(v, str) and v.strip() in ("", "—", "-")):
            continue
        elif len(str(v).strip()) <= 12:  # a short word ("优", "(二)", "2024度"); a sentence is in the message
            lines.append(str(v).strip())
    return "\n".join(dict.fromkeys(lines)) if len(lines) > 12 else "\n".join(lines)


def _correction_text(ctx: _Context, c: Any) -> str:
    fid = _get(c, "field_id")
    f = ctx.case.field_by_id(str(fid)) if fid else None
    label = (f.label if f and f.label else "") or str(_get(c, "key") or "")
    where = f"{short_doc_name(ctx.case, f.doc)}第{f.page}页" if f else ""
    old = _value_or_raw(c, "original")
    new = _value_or_raw(c, "new")
    show = (lambda v: "空" if v in (None, "") else (_fmt_num(v) if isinstance(v, Decimal) else str(v)))
    text = f"{where}“{label}”由{show(old)}改为{show(new)}"
    reason = str(_get(c, "reason") or "")
    return text + (f"（理由：{reason}）" if reason else "")


def _finding_records(lay: L.SheetLayout, ctx: _Context) -> list[dict[str, Any]]:
    sev_names = lay.labels.get("severity", {})
    out = []
    for it in ctx.items:
        sev = "resolved" if it.state == RESOLVED else it.severity
        name = it.name or _check_name(it.check, lay)
        notes = []
        files = [p.file_name for p in it.places]
        first = it.first_page
        for i, p in enumerate(it.places):
            pages = "、".join(str(x) for x in (p.pages[1:] if i == 0 else p.pages))
            if i == 0:
                notes.append(f"文件：{p.file_name}" + (f"，另见第{pages}页" if pages else ""))
            else:
                notes.append(f"{p.short_name}：{p.file_name}" + (f"，第{pages}页" if pages else ""))
        if it.state == RESOLVED:
            fixes = [_correction_text(ctx, c) for c in it.corrections]
            notes.append("经审核修改已消除：" + "；".join(fixes) if fixes else "经审核修改后不再出现")
        decision = _status_text(it.verdict, lay) if it.verdict or it.state != RESOLVED else "—"
        message = it.message or ("（修改后已不再出现）" if it.state == RESOLVED else "")
        out.append({
            "seq": len(out) + 1, "severity": sev_names.get(sev, sev), "check": it.check, "check_name": name,
            "check_label": f"{name}\n{it.check}" if name else it.check, "message": message,
            "values": _value_lines(it.values), "group": it.group,
            "documents": "\n".join(dict.fromkeys(p.short_name for p in it.places)),
            "pages": "\n".join("、".join(str(x) for x in p.pages) for p in it.places),
            "page": first, "note": "\n".join(notes), "decision": decision, "reason": it.reason,
            "reviewer": it.reviewer, "time": _time_value(it.time) if it.verdict else None,
            "fingerprint": it.fingerprint, "decided": bool(it.verdict), "state": it.state,
            "resolved_by": "；".join(_correction_text(ctx, c) for c in it.corrections),
            "_files": files,
        })
    return out


_KINDS = {"edit": "修改", "undo": "撤销", "redo": "重做", "add": "手工录入"}


def _value_or_raw(c: Any, stem: str) -> Any:
    """The parsed value of a correction record when it has one (``new_value``), else its raw text."""
    v = _dec(_get(c, f"{stem}_value"))
    return v if v is not None else _raw_value(_get(c, f"{stem}_raw"))


def _correction_records(ctx: _Context) -> list[dict[str, Any]]:
    out = []
    for n, c in enumerate(ctx.corrections, 1):
        fid = _get(c, "field_id")
        f: Field | None = ctx.case.field_by_id(str(fid)) if fid else None
        key = _get(c, "key") or (f.key if f else "")
        if f is None and key:
            f = ctx.case.first(str(key))
        label = str(_get(c, "label") or "") or (f.label if f and f.label else "") or str(key)
        ind = None
        if f is None and fid and "." in str(fid):  # an indicator cell ("i3.review_score"): its row's place
            iid = str(fid).rpartition(".")[0]
            ind = next((i for i in ctx.case.indicators if i.id == iid), None)
        out.append({
            "seq": n, "label": label, "key": str(key), "field_label": f"{label}（{key}）" if key else label,
            "original": _value_or_raw(c, "original"), "new": _value_or_raw(c, "new"),
            "kind": _KINDS.get(str(_get(c, "kind") or "edit"), str(_get(c, "kind"))),
            "reason": str(_get(c, "reason") or ""), "time": _time_value(_get(c, "time")),
            "reviewer": str(_get(c, "reviewer") or ctx.reviewer or ""),
            "document": ctx.doc_name(f.doc) if f else (ctx.doc_name(ind.source.doc) if ind else ""),
            "page": f.page if f else (ind.source.page if ind else None),
        })
    return out


def _coverage_records(ctx: _Context) -> list[dict[str, Any]]:
    """The 检查覆盖 sheet: every check of the catalogue with its status on this case (``core.checks.coverage``;
    the reviewer's verdicts come with the case)."""
    from core.checks.coverage import coverage

    cat = check_catalogue()
    return [{"seq": n, "check": it.check_id, "name": it.name, "group": cat.group(it.check_id), "status": it.status,
             "result": it.result, "why": it.why, "verdict": it.verdict, "note": it.note, "reviewer": it.reviewer,
             "time": _time_value(it.time) if it.time else None, "open": it.is_open}
            for n, it in enumerate(coverage(ctx.case), 1)]


# -- drawing ------------------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="000000")
_GRID = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _set_default_font(wb: Workbook, lay: L.SheetLayout) -> None:
    """Make 宋体 the workbook's default font (Normal style), so empty cells and row heights match; Excel maps
    宋体 to SimSun and LibreOffice substitutes an installed CJK font.  charset 134 = GB2312."""
    font = Font(name=lay.font_name, size=lay.font_size, charset=134, family=3)
    try:
        wb._fonts = IndexedList([font])  # index 0 is the default font
        wb._named_styles["Normal"].font = font
    except Exception:  # a cosmetic default (private openpyxl API); every written cell has its own font
        log.debug("could not set the default font", exc_info=True)


@dataclass
class _Placed:
    """A written cell or merged area, kept for row heights."""

    row1: int
    col1: int
    row2: int
    col2: int
    text: str
    size: float
    wrap: bool


class _SheetWriter:
    def __init__(self, wb: Workbook, lay: L.SheetLayout, ctx: _Context) -> None:
        self.lay = lay
        self.ctx = ctx
        self.ws = wb.create_sheet(lay.sheet)
        self.formulas: set[str] = set()
        self.numbers: dict[tuple[int, int], Decimal] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.placed: list[_Placed] = []
        self.bordered: list[tuple[int, int, int, int]] = []
        self.heights: dict[int, float] = {}
        self.min_heights: dict[int, float] = {}
        self.start: dict[str, int] = {}
        self.data_rows: dict[str, tuple[int, int]] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.taken: list[tuple[L.CellSpec, list[Field], list[tuple[str, int]]]] = []
        self.widths: dict[str, float] = dict(lay.columns)
        self.all_merges: set[tuple[int, int, int, int]] = set()  # "merge": "all" areas (header + rows)
        self.breaks: list[int] = []          # rows after which a page break is placed

    # -- layout pass ------------------------------------------------------------------------------------
    def write(self) -> None:
        row = 1
        for b in self.lay.blocks:
            self.start[b.name] = row
            if b.kind == "fixed":
                row += b.height
            else:
                recs = _records(b.source or "", self.lay, self.ctx)
                self.records[b.name] = recs
                n = len(recs) if recs else b.empty_rows
                first = row + b.height
                self.data_rows[b.name] = (first, first + n - 1)
                row = first + n
            for local, h in b.heights.items():
                self.heights[self.start[b.name] + local - 1] = h
            if b.border:
                self.bordered.append((self.start[b.name], b.border[0], row - 1, b.border[1]))
        self.last_row = row - 1

        deferred: list[tuple[L.Block, L.CellSpec]] = []
        for b in self.lay.blocks:
            if b.kind == "fixed":
                for c in b.cells:
                    if c.compute:  # after every other cell: it is computed from them
                        deferred.append((b, c))
                        continue
                    n_taken = len(self.taken)
                    value, comment = self._content(c)
                    r, col = self._abs(b, c.area.row1, c.area.col1)
                    d = _dec(value)
                    if d is not None:
                        self.numbers[(r, col)] = d
                    self._fixed(b, c, value, comment, taken=len(self.taken) > n_taken)
            else:
                self._table(b, self.records[b.name])
        for b, c in deferred:
            value = self._compute(b, c)
            r, col = self._abs(b, c.area.row1, c.area.col1)
            if value is not None:
                self.numbers[(r, col)] = value
            self._fixed(b, c, value, c.comment)

        self._apply_dimensions()
        self._apply_page_groups()
        self._apply_merges()
        self._apply_borders()
        self._apply_print()
        self._apply_view()

    def _abs(self, b: L.Block, local_row: int, col: int) -> tuple[int, int]:
        return self.start[b.name] + local_row - 1, col

    # -- content ------------------------------------------------------------------------------------------
    def _content(self, c: L.CellSpec) -> tuple[Any, str | None]:
        if c.text is not None:
            return _fill(c.text, self.ctx.meta), c.comment
        if c.value is not None:
            if c.value == TAKEN_NOTE:
                return self._taken_note(), c.comment
            return self.ctx.lookup(c.value), c.comment
        if c.field is not None:
            f = self.ctx.case.first(c.field)
            if f is not None and f.value is not None and f.value != "":
                v, note = self._convert(f, c)
                return v, _join_notes(c.comment, note)
            for fb in c.fallback:
                taken = self._fallback_value(c, fb)
                if taken is not None:
                    return taken
            return None, c.comment
        return None, c.comment

    def _fallback_value(self, c: L.CellSpec, fb: L.Fallback) -> tuple[Any, str | None] | None:
        """The figure of a fallback (one field, or the sum of the ``fields`` found) with its comment, and a
        record of where it came from for the sheet's note (``TAKEN_NOTE``)."""
        keys = fb.fields or (fb.field,)
        found = [g for k in keys for g in [self.ctx.case.first(k)]
                 if g is not None and g.value is not None and g.value != ""]
        if not found:
            return None
        if len(found) == 1 and not fb.fields:
            v, note = self._convert(found[0], c)
        else:
            nums = [x for x in found if isinstance(x.value, Decimal)]
            if not nums:
                return None
            total = sum((x.value for x in nums), Decimal(0))
            probe = replace(nums[0], value=total)
            v, note = self._convert(probe, c)
        pages = sorted({(self.ctx.doc_name(g.doc), g.page) for g in found})
        where = "；".join(f"{short_doc_name(self.ctx.case, g.doc)}第{g.page}页：{g.label or g.key}"
                         + (f" {_fmt_num(g.value)}{g.unit}" if isinstance(g.value, Decimal) else "")
                         for g in found)
        missing = [k for k in keys if self.ctx.case.first(k) is None]
        if fb.fields and missing:
            where += "；" + "、".join(k.rsplit(".", 1)[-1] for k in missing) + " 决算未列，按0计"
        self.taken.append((c, found, pages))
        return v, _join_notes(fb.comment or f"取自{found[0].key}", where, note)

    def _taken_note(self) -> str | None:
        """The sheet's note on the figures taken from other documents (``fallback``), each with its page."""
        if not self.taken:
            return None
        parts = []
        for c, found, _pages in self.taken:
            label = self._cell_label(c)
            docs = sorted({(short_doc_name(self.ctx.case, g.doc), _table_name(self.ctx.case, g), g.page)
                           for g in found}, key=lambda t: t[2])
            src = "、".join(dict.fromkeys(f"{lab}第{page}页" if lab else f"{d}第{page}页" for d, lab, page in docs))
            parts.append(f"{label}（{src}）")
        doc = short_doc_name(self.ctx.case, self.taken[0][1][0].doc)
        head = "审核注：材料中没有基础数据表。" if not any(
            f.key.startswith("basic.") for f in self.ctx.case.fields) else "审核注：表中未填的数值，"
        return (head + f"蓝色底纹的数值由审核工具取自{doc}（元折算为万元，四舍五入至0.01），不是单位填报数："
                + "；".join(parts) + "。")

    def _cell_label(self, c: L.CellSpec) -> str:
        """"项目支出 2024年决算数": the row label (column A of its row) and the column header of its block."""
        for b in self.lay.blocks:
            if c in b.cells:
                row = next((x for x in b.cells if x.area.row1 == c.area.row1 and x.area.col1 == 1 and x.text), None)
                col = next((x for x in b.cells if x.area.row1 == 1 and x.area.col1 <= c.area.col1 <= x.area.col2
                            and x.text and x is not c), None)
                name = _fill(row.text, self.ctx.meta).rstrip("：:") if row else c.ref
                return name + (_fill(col.text, self.ctx.meta) if col and col is not row else "")
        return c.ref

    @staticmethod
    def _convert(f: Field, c: L.CellSpec) -> tuple[Any, str | None]:
        """The field's value in the cell's unit: money printed in 元 goes to a 万元 cell as 万元 rounded to
        0.01 (决算 tables print 元; the forms print 万元)."""
        v = f.value
        if isinstance(v, Decimal) and c.unit and f.unit in ("元", "万元") and f.unit != c.unit:
            if c.unit == "万元":
                return (v / _WAN).quantize(_CENT, ROUND_HALF_UP), f"由{_fmt_num(v)}元折算为万元，四舍五入至0.01"
            return v * _WAN, f"由{_fmt_num(v)}万元折算为元"
        return v, None

    # -- fixed cells --------------------------------------------------------------------------------------
    def _fixed(self, b: L.Block, c: L.CellSpec, value: Any, comment: str | None, taken: bool = False) -> None:
        r1, c1 = self._abs(b, c.area.row1, c.area.col1)
        r2, c2 = self._abs(b, c.area.row2, c.area.col2)
        style = self.lay.style(c.style)
        cell = self.ws.cell(row=r1, column=c1)
        _put(cell, value, c.format)
        highlight = bool(c.highlight_when and self.ctx.lookup(c.highlight_when))
        if c.highlight_nonzero and _dec(value):
            highlight = True
        self._style(cell, style, highlight)
        if taken and not highlight:
            cell.fill = PatternFill("solid", fgColor=TAKEN_FILL)
        if comment:
            cm = Comment(comment, FALLBACK_COMMENT_AUTHOR)
            cm.width, cm.height = 240, 90
            cell.comment = cm
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))
        self._remember(r1, c1, r2, c2, cell.value, style)

    def _part_values(self, b: L.Block, ref: str) -> list[Decimal]:
        """The numbers a ``compute`` reference names: a cell, or a table column (a run of rows merged in that
        column counts once)."""
        blk, kind, what = L.parse_part_ref(ref)
        target = self.lay.block(blk) if blk else b
        if kind == "cell":
            a = L.parse_area(what)
            d = self.numbers.get(self._abs(target, a.row1, a.col1))
            return [d] if d is not None else []
        col = next(c for c in target.columns if c.key == what)
        recs = self.records.get(target.name, [])
        out = []
        for i, rec in enumerate(recs):
            keys = col.merge if isinstance(col.merge, tuple) else ()
            if keys and i and all(rec.get(k) == recs[i - 1].get(k) for k in keys):
                continue
            d = _dec(rec.get(what))
            if d is not None:
                out.append(d)
        return out

    def _compute(self, b: L.Block, c: L.CellSpec) -> Decimal | None:
        """A figure of our own (``compute``), written as a value: the workbook holds no formula."""
        assert c.compute is not None
        op, refs = c.compute
        groups = [self._part_values(b, r) for r in refs]
        if op == "sum":
            vals = [v for g in groups for v in g]
            return sum(vals, Decimal(0)) if vals else None
        if op == "average":
            vals = [v for g in groups for v in g]
            return (sum(vals, Decimal(0)) / len(vals)).quantize(Decimal("0.0001"), ROUND_HALF_UP) if vals else None
        num, den = (sum(g, Decimal(0)) if g else None for g in groups)
        if num is None or not den:
            return None
        return (num * 100 / den).quantize(Decimal("0.0001"), ROUND_HALF_UP)  # a percent number

    # -- tables -------------------------------------------------------------------------------------------
    def _table(self, b: L.Block, records: list[dict[str, Any]]) -> None:
        top = self.start[b.name]
        for c in b.header:
            self._fixed(b, c, _fill(c.text or "", self.ctx.meta), c.comment)
        first, last = self.data_rows[b.name]
        if b.row_height:
            for r in range(first, last + 1):
                self.min_heights[r] = b.row_height
        if not records:
            keyed = [col for col in b.columns if col.key]
            if keyed and b.empty_rows:
                c1 = min(col.first for col in keyed)
                c2 = max(col.last for col in keyed)
                if b.border:
                    c2 = min(c2, b.border[1])
                style = self.lay.style("center")
                cell = self.ws.cell(row=first, column=c1)
                _put(cell, b.empty_text or None, None)
                self._style(cell, style, False)
                if c2 > c1:
                    self.merges.append((first, c1, first, c2))
                self._remember(first, c1, first, c2, b.empty_text, style)
        for i, rec in enumerate(records):
            r = first + i
            for col in b.columns:
                if col.merge == "all":
                    continue
                value = rec.get(col.key) if col.key else _fill(col.text or "", self.ctx.meta)
                style = self.lay.style(col.style)
                cell = self.ws.cell(row=r, column=col.first)
                _put(cell, value, (rec.get("_formats") or {}).get(col.key, col.format))
                d = _dec(value)
                if d is not None:
                    self.numbers[(r, col.first)] = d
                highlight = bool(col.highlight_when and rec.get(col.highlight_when))
                if col.highlight_nonzero and d:
                    highlight = True
                self._style(cell, style, highlight)
                if col.last > col.first and not col.merge:
                    self.merges.append((r, col.first, r, col.last))
                if not col.merge:
                    self._remember(r, col.first, r, col.last, value, style)
        # vertical merges
        for col in b.columns:
            style = self.lay.style(col.style)
            if col.merge == "all":
                cell = self.ws.cell(row=top, column=col.first)
                value = _fill(col.text or "", self.ctx.meta) if col.text is not None else None
                _put(cell, value, col.format)
                self._style(cell, style, False)
                if (top, col.first) != (last, col.last):
                    self.merges.append((top, col.first, last, col.last))
                    self.all_merges.add((top, col.first, last, col.last))
                self._remember(top, col.first, last, col.last, value, style)
            elif col.merge and records:
                keys = col.merge
                run_start = 0
                for i in range(1, len(records) + 1):
                    same = i < len(records) and all(
                        records[i].get(k) == records[run_start].get(k) for k in keys)
                    if same:
                        continue
                    r1, r2 = first + run_start, first + i - 1
                    if (r1, col.first) != (r2, col.last):
                        self.merges.append((r1, col.first, r2, col.last))
                    self._remember(r1, col.first, r2, col.last, records[run_start].get(col.key), style)
                    run_start = i

    # -- styling ------------------------------------------------------------------------------------------
    def _style(self, cell: Any, style: L.Style, highlight: bool) -> None:
        cell.font = Font(name=self.lay.font_name, size=style.size or self.lay.font_size, bold=style.bold,
                         italic=style.italic, charset=134, family=3)
        cell.alignment = Alignment(horizontal=style.h, vertical=style.v, wrap_text=style.wrap,
                                   indent=style.indent, text_rotation=style.rotate)
        fill = HIGHLIGHT if highlight else style.fill
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)
        if style.border:
            cell.border = _GRID

    def _remember(self, r1: int, c1: int, r2: int, c2: int, value: Any, style: L.Style) -> None:
        if value is None or value == "":
            return
        wrap = style.wrap
        if isinstance(value, (datetime, date)):
            text = "0000-00-00 00:00"
            wrap = False  # a date or a number is never wrapped: a spreadsheet shows ### instead
        elif _dec(value) is not None:
            text = _fmt_num(_dec(value)) + "00"  # a formatted number is a little longer than its digits
            wrap = False
        else:
            text = str(value)
        if style.rotate == 255:  # stacked: one character per line
            text = "\n".join(ch for ch in text if not ch.isspace())
            wrap = True
        self.placed.append(_Placed(r1, c1, r2, c2, text, style.size or self.lay.font_size, wrap))

    def _apply_merges(self) -> None:
        seen = set()
        for m in self.merges:
            if m in seen:
                continue
            seen.add(m)
            r1, c1, r2, c2 = m
            self.ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)

    def _apply_borders(self) -> None:
        for r1, c1, r2, c2 in self.bordered:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    self.ws.cell(row=r, column=c).border = _GRID
        # cells whose own style asks for a border (the 复核 columns beside a bordered form)
        for m in self.merges:
            r1, c1, r2, c2 = m
            anchor = self.ws.cell(row=r1, column=c1)
            if anchor.border == _GRID:
                for r in range(r1, r2 + 1):
                    for c in range(c1, c2 + 1):
                        self.ws.cell(row=r, column=c).border = _GRID

    def _width(self, c1: int, c2: int) -> float:
        return sum(self.widths.get(get_column_letter(c), 8.43) for c in range(c1, c2 + 1))

    def _auto_widths(self) -> None:
        """Columns sized from their content (``"width": "auto"``): as wide as the widest line of a data cell
        within min/max, and never narrower than a number printed in it, so a number never wraps."""
        for b in self.lay.blocks:
            if b.kind != "table" or b.name not in self.data_rows:
                continue
            first, last = self.data_rows[b.name]
            for col in b.columns:
                if col.auto_width is None:
                    continue
                lo, hi = col.auto_width
                want, numbers = lo, 0.0
                for p in self.placed:
                    if p.col1 != col.first or p.col2 != col.first or not first <= p.row1 <= last:
                        continue
                    for line in p.text.split("\n"):
                        w = _display_width(line, p.size) + CELL_PADDING
                        want = max(want, min(w, hi))
                        if _NUMBER_LINE.match(line.strip()):
                            numbers = max(numbers, w)
                self.widths[get_column_letter(col.first)] = round(max(want, numbers), 1)

    def _apply_dimensions(self) -> None:
        self._auto_widths()
        for col, w in self.widths.items():
            self.ws.column_dimensions[col].width = w
        need: dict[int, float] = {}
        tall: list[_Placed] = []
        for p in self.placed:
            h = _text_height(p.text, self._width(p.col1, p.col2), p.size, p.wrap)
            if p.row1 == p.row2:
                need[p.row1] = max(need.get(p.row1, 0.0), h)
            else:
                tall.append(p)
        rows = {}
        for r in range(1, self.last_row + 1):
            h = max(need.get(r, 0.0), self.heights.get(r, 0.0), self.min_heights.get(r, 0.0))
            rows[r] = h or _line_height(self.lay.font_size) + 4
        for p in tall:  # a vertically merged cell: spread what is missing over its rows
            h = _text_height(p.text, self._width(p.col1, p.col2), p.size, p.wrap)
            have = sum(rows[r] for r in range(p.row1, p.row2 + 1))
            if h > have:
                extra = (h - have) / (p.row2 - p.row1 + 1)
                for r in range(p.row1, p.row2 + 1):
                    rows[r] += extra
        for r, h in rows.items():
            self.ws.row_dimensions[r].height = round(min(h, 409.0), 1)

    # -- page breaks -----------------------------------------------------------------------------------------
    def _row_h(self, r: int) -> float:
        return self.ws.row_dimensions[r].height or _line_height(self.lay.font_size) + 4

    def _page_capacity(self) -> float:
        """Printable height of a page in sheet points (the sheet is scaled to fit the paper's width)."""
        pr = self.lay.print
        w, h = PAPER_POINTS[pr.paper]
        if pr.orientation == "landscape":
            w, h = h, w
        m = pr.margins_cm
        pw = w - (m["left"] + m["right"]) * PT_PER_CM
        ph = h - (m["top"] + m["bottom"]) * PT_PER_CM
        c1, c2 = pr.columns or (1, self.lay.last_column)
        sheet_w = sum(_column_points(self.widths.get(get_column_letter(c), 8.43)) for c in range(c1, c2 + 1))
        scale = min(1.0, pw / sheet_w) if pr.fit_width else 1.0
        return ph / scale * PAGE_SAFETY

    def _apply_page_groups(self) -> None:
        """Page breaks between groups of rows (``print.page_groups``: the 自评表's 一级指标), so a merged label
        is never cut; the blocks after the table stay with its last group.  A group taller than a page is
        broken between rows, and any merged cell a break still crosses is split and its label repeated."""
        pg = self.lay.print.page_groups
        if pg is None or not self.records.get(pg[0]):
            return
        name, keys = pg
        recs = self.records[name]
        first, last = self.data_rows[name]
        block = self.lay.block(name)
        head_top = self.start[name]
        cap = self._page_capacity()
        title = sum(self._row_h(r) for r in range(head_top, first)) if self.lay.print.repeat_header == name else 0.0
        groups: list[tuple[int, int]] = []
        start = 0
        for i in range(1, len(recs) + 1):
            if i < len(recs) and all(recs[i].get(k) == recs[start].get(k) for k in keys):
                continue
            groups.append((first + start, first + i - 1))
            start = i
        tail = sum(self._row_h(r) for r in range(last + 1, self.last_row + 1))
        used = sum(self._row_h(r) for r in range(1, first))
        breaks: list[int] = []
        fresh = title  # what a new page starts with
        for gi, (r1, r2) in enumerate(groups):
            gh = sum(self._row_h(r) for r in range(r1, r2 + 1))
            need = gh + (tail if gi == len(groups) - 1 else 0.0)
            if used + need <= cap:
                used += gh
                continue
            if fresh + gh <= cap:  # the group moves to the next page
                if r1 == first:  # the table's first group: its header moves with it
                    breaks.append(head_top - 1)
                    used = sum(self._row_h(r) for r in range(head_top, first)) + gh
                else:
                    breaks.append(r1 - 1)
                    used = fresh + gh
                continue
            for r in range(r1, r2 + 1):  # taller than a page: break between its rows
                if used + self._row_h(r) > cap and used > fresh:
                    breaks.append(r - 1)
                    used = fresh
                used += self._row_h(r)
        self.breaks = sorted(set(b for b in breaks if b >= 1))
        if not self.breaks:
            return
        self._split_merges_at_breaks(block)

    def _split_merges_at_breaks(self, block: L.Block) -> None:
        """A merged cell crossing a page break is cut there into one merged cell per page, each with the
        label (so "绩效指标" and a long 一级指标 are printed whole on every page they span).  A "merge: all"
        column then starts below its header row, which repeats on each page as a print title."""
        out: list[tuple[int, int, int, int]] = []
        for m in self.merges:
            r1, c1, r2, c2 = m
            cuts = [b for b in self.breaks if r1 <= b < r2]
            if m in self.all_merges:
                cuts = sorted(set(cuts) | {self.data_rows[block.name][0] - 1})
            if not cuts:
                out.append(m)
                continue
            anchor = self.ws.cell(row=r1, column=c1)
            bounds = [r1 - 1, *cuts, r2]
            for a, b in zip(bounds, bounds[1:]):
                top = a + 1
                if m in self.all_merges and top < self.data_rows[block.name][0]:
                    continue  # the header row's cell of a "merge: all" column: left empty, bordered
                if top != r1:
                    cell = self.ws.cell(row=top, column=c1)
                    cell.value = anchor.value
                    cell._style = copy(anchor._style)
                if (top, c1) != (b, c2):
                    out.append((top, c1, b, c2))
            if m in self.all_merges:
                anchor.value = None
            self._fit_segments(anchor, [(a + 1, b) for a, b in zip(bounds, bounds[1:])], c1, c2)
        self.merges = out

    def _fit_segments(self, anchor: Any, segments: list[tuple[int, int]], c1: int, c2: int) -> None:
        """Rows tall enough for a repeated (stacked) label in each of its pieces."""
        text = str(anchor.value or self.ws.cell(row=segments[-1][0], column=c1).value or "")
        if not text:
            return
        size = anchor.font.sz or self.lay.font_size
        if anchor.alignment.text_rotation == 255:
            text = "\n".join(ch for ch in text if not ch.isspace())
        need = _text_height(text, self._width(c1, c2), size, True)
        for top, bottom in segments:
            have = sum(self._row_h(r) for r in range(top, bottom + 1))
            if have < need and bottom >= top:
                extra = (need - have) / (bottom - top + 1)
                for r in range(top, bottom + 1):
                    self.ws.row_dimensions[r].height = round(min(self._row_h(r) + extra, 409.0), 1)

    def _apply_view(self) -> None:
        """Frozen header and autofilter of a table block (``freeze`` / ``autofilter``)."""
        for b in self.lay.blocks:
            if b.kind != "table" or b.name not in self.data_rows:
                continue
            first, last = self.data_rows[b.name]
            if b.freeze and not self.ws.freeze_panes:
                self.ws.freeze_panes = f"A{first}"
            if b.autofilter and self.records.get(b.name):
                c1 = min(c.first for c in b.columns)
                c2 = max(c.last for c in b.columns)
                self.ws.auto_filter.ref = f"{get_column_letter(c1)}{first - 1}:{get_column_letter(c2)}{last}"

    def _apply_print(self) -> None:
        pr = self.lay.print
        ws = self.ws
        ws.page_setup.paperSize = L.PAPER_SIZES[pr.paper]
        ws.page_setup.orientation = pr.orientation
        ws.page_setup.fitToWidth = pr.fit_width
        ws.page_setup.fitToHeight = pr.fit_height
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        m = pr.margins_cm
        ws.page_margins = PageMargins(left=m["left"] / 2.54, right=m["right"] / 2.54, top=m["top"] / 2.54,
                                      bottom=m["bottom"] / 2.54, header=m["header"] / 2.54,
                                      footer=m["footer"] / 2.54)
        ws.print_options.horizontalCentered = pr.center
        c1, c2 = pr.columns or (1, self.lay.last_column)
        ws.print_area = f"{get_column_letter(c1)}1:{get_column_letter(c2)}{self.last_row}"
        for r in self.breaks:
            ws.row_breaks.append(Break(id=r))
        if pr.repeat_header:
            b = self.lay.block(pr.repeat_header)
            top = self.start[b.name]
            if b.height:
                ws.print_title_rows = f"{top}:{top + b.height - 1}"
        ws.sheet_view.showGridLines = False
        ws.oddFooter.center.text = "&A　第 &P 页"
        ws.oddFooter.center.size = 9


CELL_PADDING = 1.6   # column units around a cell's text (Excel's and LibreOffice's cell margins)
_NUMBER_LINE = re.compile(r"^[+\-−]?[\d,]+(\.\d+)?%?$|^\d{4}-\d\d-\d\d( \d\d:\d\d)?$")


PAPER_POINTS = {"A4": (595.3, 841.9), "A3": (841.9, 1190.6), "LETTER": (612.0, 792.0)}
PT_PER_CM = 72 / 2.54
PAGE_SAFETY = 0.93  # row heights as printed differ a little between Excel, WPS and LibreOffice


def _column_points(width: float) -> float:
    """A column's printed width in points: Excel's pixel rule for a 7-pixel digit, at 96 dpi."""
    return (int(width * 7 + 5)) * 0.75


def _table_name(case: Case, f: Field) -> str:
    """The 决算 table a field was printed in ("公开09"), from the pages its document's kinds name."""
    d = case.document(f.doc)
    if d is not None:
        for kind, pages in d.kinds.items():
            if kind.startswith("公开") and f.page in pages:
                return kind
    m = re.match(r"accounts\.(t0\d)\.", f.key)
    return f"公开{m.group(1)[1:]}" if m else ""


def _join_notes(*notes: str | None) -> str | None:
    parts = [n for n in notes if n]
    return "；".join(parts) if parts else None


def _line_height(size: float) -> float:
    return size * 1.4


def _display_width(text: str, size: float) -> float:
    """Width of one line in Excel column units (a column unit is about one digit of the default font)."""
    w = 0.0
    for ch in text:
        w += 1.8 if unicodedata.east_asian_width(ch) in ("W", "F") else 1.0
    return w * size / 10.0


_WRAP_TOKEN = re.compile(r"\s+|[A-Za-z0-9_.,:;%+\-−/()'\"=<>≥≤@#&*!?\[\]{}]+|.")


def _wrapped_lines(para: str, width: float, size: float) -> int:
    """Lines a paragraph takes in a wrapping cell ``width`` column units wide, wrapped as Excel, WPS and
    LibreOffice do: a line is broken between two CJK characters or at a space, never inside a run of Latin
    letters and digits (a word or a number) unless the run alone is wider than the line."""
    room = max(width - 1.0, 1.0)
    lines, used = 1, 0.0
    for tok in _WRAP_TOKEN.findall(para):
        w = _display_width(tok, size)
        if tok.isspace():
            used += w  # a space at the end of a line hangs over the edge; it never opens a new line
            continue
        if used + w <= room:
            used += w
            continue
        if used > 0:
            lines, used = lines + 1, 0.0
        while w > room:  # a run longer than a line is broken inside
            lines, w = lines + 1, w - room
        used = w
    return lines


def _text_height(text: str, width: float, size: float, wrap: bool) -> float:
    lines = 0
    for para in str(text).split("\n"):
        lines += _wrapped_lines(para, width, size) if wrap else 1
    return lines * _line_height(size) + 6


def _number_format(fmt: str | None, value: Decimal | None) -> str:
    if fmt is None:
        return "General"
    if fmt == "auto":
        if value is None:
            return "General"
        # a whole number as such (24 人); a fraction with 2 decimals like the forms, more only if it has them
        exp = value.as_tuple().exponent
        places = max(2, min(-exp, 4)) if isinstance(exp, int) and exp < 0 else 0
        return "0." + "0" * places if places else "0"
    return L.FORMAT_ALIASES.get(fmt, fmt)


def _put(cell: Any, value: Any, fmt: str | None) -> None:
    """Write a value: numbers as numbers with their format (percent numbers as ratios), datetimes as dates,
    everything else as a string cell that can never be a formula."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        _put_text(cell, "是" if value else "否")
        return
    d = _dec(value)
    if d is not None:
        if fmt == "percent":
            cell.value = d / 100
        else:
            cell.value = d
        cell.number_format = _number_format(fmt, d)
        return
    if isinstance(value, (int, float)):  # inf / nan: not a number Excel can hold
        _put_text(cell, str(value))
        return
    if isinstance(value, (datetime, date)):
        cell.value = _to_naive(value)
        cell.number_format = _number_format(fmt if fmt in ("datetime",) else "datetime", None)
        return
    _put_text(cell, str(value))


def _put_text(cell: Any, text: str) -> None:
    text = ILLEGAL_CHARACTERS_RE.sub("", text)[:32767]
    cell.value = text
    cell.data_type = "s"  # openpyxl makes "=…" a formula and "#N/A" an error: a document string is neither
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


# -- safe writing -------------------------------------------------------------------------------------------

def _reason(e: OSError) -> str:
    """Why a workbook could not be written, in the reviewer's words (``core.errors.os_error_reason``)."""
    return os_error_reason(e, "Excel文件")


def _ensure_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(str(out), "保存位置不是文件夹，无法保存Excel文件")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(str(out), "保存位置不是文件夹，无法保存Excel文件") from None
    except OSError as e:
        raise OutputError(str(out), _reason(e)) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(str(out), "保存位置只读或没有写入权限，无法保存Excel文件")


def _save_atomic(wb: Workbook, target: Path, *, overwrite: bool) -> None:
    """Write the workbook atomically (``core.review.atomic``): never a half file in place of a good one.

    The workbook is rendered in memory first, so openpyxl's zip archive never holds the file: a write that
    fails (a full disk) leaves no half-open archive behind to complain on stderr later."""
    buffer = io.BytesIO()
    try:
        wb.save(buffer)
        write_atomic(target, lambda f: f.write(buffer.getbuffer()), overwrite=overwrite)
    except FileExistsError:
        raise
    except OSError as e:
        raise OutputError(str(target), _reason(e)) from None


# -- the 汇总表 of a batch: one row per department --------------------------------------------------------------
#
# The district's overview after ``main.py batch``: one row per department with its key figures, its counts of
# errors and warnings and a link to its 问题清单.  Drawn from ``resources/layouts/summary.json`` like every other
# sheet; its rows come from the batch (``core.batch`` builds them from each case), not from a Case, so the
# table source "summary" is registered with the layout loader here, where its records are produced.  The one
# thing the layout schema cannot say is a per-row link: the link column gets a cell hyperlink after the sheet is
# drawn (a relative path to the case workbook and the sheet to open, so the output folder can be moved or copied
# as a whole).  Unit names and reasons are document text: string cells, never formulas.  A chart below the
# table shows each department's recomputed score (with its grade) and its open problems.

SUMMARY_SOURCE = "summary"
SUMMARY_LAYOUT = "summary"
SUMMARY_KEYS = frozenset({
    "seq", "name", "staff_authorized", "staff_actual", "annual_budget", "executed", "execution_rate",
    "sangong_budget", "sangong_final", "score_stated", "score_recomputed", "grade_stated", "grade_recomputed",
    "errors", "warnings", "status", "link", "note", "failed", "score_differs", "grade_differs",
    "materials", "materials_missing",
})
"""Record keys of the "summary" table source.  A record may also carry ``link_target`` (the case workbook,
relative to the 汇总表's folder) and ``link_sheet`` (the sheet to open there, default 问题清单)."""
L.SOURCES.setdefault(SUMMARY_SOURCE, SUMMARY_KEYS)

LINK_FONT_COLOR = "0563C1"


def summary_file_name(title: str) -> str:
    """``汇总表_<district or folder name>.xlsx`` (a name Windows accepts)."""
    return safe_file_name(f"汇总表_{title}.xlsx", fallback="汇总表")


def build_summary_workbook(
    rows: Iterable[Mapping[str, Any]],
    *,
    title: str = "",
    year: int | None = None,
    reviewer: str = "",
    layouts_dir: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
) -> BuiltWorkbook:
    """The 汇总表 in memory.  ``rows`` are mappings with the keys of ``SUMMARY_KEYS`` (amounts in 万元 as
    Decimal, percentages as percent numbers, counts as int) plus optional ``link_target``/``link_sheet``.
    ``title`` is the district (or folder) name printed in the head."""
    d = Path(layouts_dir) if layouts_dir is not None else L.layouts_dir()
    lay = L.load_layout(d / f"{SUMMARY_LAYOUT}.json")
    problems_sheet = _problems_sheet_name(d)
    records = []
    for n, r in enumerate(rows, 1):
        rec = dict(r)
        rec.setdefault("seq", n)
        if rec.get("link_target") and not rec.get("link"):
            rec["link"] = problems_sheet
        records.append(rec)
    ctx = _Context.build(Case(), [], [], reviewer, now or datetime.now())
    ctx.meta.update({
        "unit_name": title,
        "year": str(year) if year else "",
        "prev_year": str(year - 1) if year else "",
        "year_label": f"{year}年" if year else "本年",
        "prev_year_label": f"{year - 1}年" if year else "上年",
    })
    ctx.tree[SUMMARY_SOURCE] = records
    wb = Workbook()
    _set_default_font(wb, lay)
    wb.remove(wb.active)
    built = BuiltWorkbook(file_name=summary_file_name(title or "部门"), workbook=wb)
    writer = _SheetWriter(wb, lay, ctx)
    writer.write()
    built.formulas[lay.sheet] = writer.formulas
    _summary_links(writer, records, problems_sheet)
    _summary_charts(wb, records, lay)
    wb.active = 0  # the 汇总表 opens first
    built.formulas[CHART_SHEET] = set()
    return built


CHART_SHEET = "图表"


def _summary_charts(wb: Workbook, records: list[dict[str, Any]], lay: L.SheetLayout) -> None:
    """A sheet a leader reads at a glance: each department's recomputed score with its grade, and its open
    errors and warnings, as two bar charts over a small table of values (the charts' data; values, no formula)."""
    rows = [r for r in records if not r.get("failed")]
    ws = wb.create_sheet(CHART_SHEET)
    font = Font(name=lay.font_name, size=lay.font_size, charset=134, family=3)
    bold = Font(name=lay.font_name, size=lay.font_size, charset=134, family=3, bold=True)
    head = ["部门（复核等次）", "复核得分", "错误", "警告"]
    for c, text in enumerate(head, 1):
        cell = ws.cell(row=1, column=c)
        _put_text(cell, text)
        cell.font = bold
    for i, r in enumerate(rows, 2):
        grade = str(r.get("grade_recomputed") or "—")
        _put_text(ws.cell(row=i, column=1), f"{r.get('name') or ''}（{grade}）")
        for c, key in ((2, "score_recomputed"), (3, "errors"), (4, "warnings")):
            _put(ws.cell(row=i, column=c), r.get(key), "score" if key.startswith("score") else "count")
        for c in range(1, 5):
            ws.cell(row=i, column=c).font = font
    ws.column_dimensions["A"].width = 34
    for col in "BCD":
        ws.column_dimensions[col].width = 10
    if not rows:
        _put_text(ws.cell(row=2, column=1), "没有可作图的部门")
        return
    n = len(rows) + 1
    cats = Reference(ws, min_col=1, min_row=2, max_row=n)
    height = max(7.0, 0.7 * len(rows) + 3)
    score = BarChart()
    score.type = "bar"
    score.title = "各部门复核得分（括号内为复核等次）"
    score.add_data(Reference(ws, min_col=2, min_row=1, max_row=n), titles_from_data=True)
    score.set_categories(cats)
    score.y_axis.scaling.min, score.y_axis.scaling.max = 0, 100
    score.legend = None
    score.dataLabels = DataLabelList()
    score.dataLabels.showVal = True
    for flag in ("showCatName", "showSerName", "showLegendKey", "showPercent"):
        setattr(score.dataLabels, flag, False)
    score.height, score.width = height, 18
    ws.add_chart(score, "F2")
    probs = BarChart()
    probs.type = "bar"
    probs.grouping = "stacked"
    probs.overlap = 100
    probs.title = "各部门待处理问题（条）"
    probs.add_data(Reference(ws, min_col=3, max_col=4, min_row=1, max_row=n), titles_from_data=True)
    probs.set_categories(cats)
    probs.height, probs.width = height, 18
    ws.add_chart(probs, f"F{int(height * 2) + 4}")
    ws.page_setup.paperSize = L.PAPER_SIZES["A4"]
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


def export_summary(
    rows: Iterable[Mapping[str, Any]],
    out_dir: str | os.PathLike[str],
    *,
    title: str = "",
    year: int | None = None,
    reviewer: str = "",
    layouts_dir: str | os.PathLike[str] | None = None,
    now: datetime | None = None,
) -> Path:
    """Write the 汇总表 into ``out_dir`` atomically and return its path.  Raises ``OutputError`` (Chinese
    reason) when it cannot be written, ``layouts.LayoutError`` for a bad layout."""
    built = build_summary_workbook(rows, title=title, year=year, reviewer=reviewer, layouts_dir=layouts_dir,
                                   now=now)
    out = Path(out_dir)
    _ensure_dir(out)
    target = out / built.file_name
    _save_atomic(built.workbook, target, overwrite=True)
    return target


def _problems_sheet_name(layouts: Path) -> str:
    """The sheet a row's link opens: the 问题清单 of the case workbook, as its layout names it."""
    try:
        return L.load_layout(layouts / "findings.json").sheet
    except L.LayoutError:
        return "问题清单"


def _summary_links(writer: _SheetWriter, records: list[dict[str, Any]], default_sheet: str) -> None:
    """Give each row's link cell a hyperlink to ``<relative path>`` opening its 问题清单 sheet."""
    table = next((b for b in writer.lay.blocks if b.kind == "table" and b.source == SUMMARY_SOURCE), None)
    col = next((c for c in table.columns if c.key == "link"), None) if table else None
    if table is None or col is None or not records:
        return
    first, _ = writer.data_rows[table.name]
    for i, rec in enumerate(records):
        target = str(rec.get("link_target") or "").replace("\\", "/")
        if not target:
            continue
        sheet = str(rec.get("link_sheet") or default_sheet).replace("'", "''")
        cell = writer.ws.cell(row=first + i, column=col.first)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, target=target, location=f"'{sheet}'!A1",
                                   tooltip=f"打开{target}")
        font = cell.font
        cell.font = Font(name=font.name, size=font.size, charset=134, family=3, color=LINK_FONT_COLOR,
                         underline="single")
