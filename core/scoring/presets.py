"""Scoring presets: the 共性指标 rule tables of the Hunan 评分表 variants, read from ``resources/presets/*.json``.

Why it exists: weights and scoring rules differ by year and city (domain §2.2: "Do not hard-code one weight
set"), so each variant is a data file a district can pick or copy, and this module is the only code that
knows the file format.  It loads and validates presets and evaluates the piecewise scoring functions they
describe; it computes no indicator values (``core.scoring.indicators`` does) and never touches a Case.

Preset file schema (one JSON object per file; numbers are decimal *strings* so no float ever enters)::

    {
      "id": "hunan_c",                       # file name without .json, stable; the district's setting stores it
      "name": "…",                           # Chinese, shown in the preset picker
      "source": "https://…",                 # where the 评分表 was read
      "about": "…",                          # what is covered, what was inferred
      "default_preset": "default",           # only in default.json: the preset used when none is chosen
      "selfeval": {…},                       # optional: overrides of the 自评表 settings (default.json holds all)
      "rules": [
        {
          "id": "staff_control_rate",        # stable indicator id
          "name": "在职人员控制率",
          "level1": "投入", "level2": "预算配置",
          "formula": "在职人员数 / 编制数 × 100%",      # shown to the reviewer
          "inputs": {"在职人员数": ["basic.staff.actual"],   # Chinese input name → field keys, first present wins;
                     "上年三公经费预算数": ["basic.sangong.prev_budget",
                                  {"key": "basic.sangong.prev", "substitute": "上年三公经费决算数"}]},
                                             # an object entry is a stand-in: used only when the keys before it
                                             # are absent, and named in the item's note
          "compute": {"op": "ratio", "args": ["在职人员数", "编制数"]},
                                             # ratio: a/b×100; change: (a−b)/b×100; value: a; none: not computable
          "weight": "5",                     # 分值 (null: value listed, not scored)
          "scoring": {…},                    # the piecewise function, below
          "scoring_text": "…"                # the rule as printed in the 评分表
        }
      ]
    }

Scoring functions (``scoring.type``); the value is in percent for ratio/change:

- ``threshold_deduct``: ``{"full_if": "<=100", "per_point": "0.5"}`` full marks when the condition holds,
  else deduct ``per_point`` per percentage point beyond the limit; or ``{"full_if": ">=100", "per": "5",
  "deduct": "2", "steps": "floor"}`` deduct 2 per 5 points (``steps``: ``exact`` proportional, ``floor`` only
  whole steps, ``ceil`` any started step).  Never below 0 ("扣完为止").
- ``bands``: ``{"bands": [["=0", "5"], ["<=10", "4"], …, ["else", "0"]], "use_abs": true}`` first matching
  condition gives the points; a condition is ``<op><number>`` on the value, or ``<op><input name>`` to compare
  with another input (``["<=年初结转和结余", "2"]``); ``use_abs`` compares ``|value|``.
- ``linear_cap``: ``{"full_at": "100"}`` score = 分值 × min(value / full_at, 1) ("按完成比例计算得分，满分为止").
- ``none``: the value is listed, not scored.  ``manual``: needs a reviewer (no data in the package).
"""

from __future__ import annotations

import json
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from core.resources import resource_path

PRESET_DIR = "presets"
DEFAULT_FILE = "default.json"

SCORING_TYPES = {"threshold_deduct", "bands", "linear_cap", "none", "manual"}
COMPUTE_OPS = {"ratio", "change", "value", "none"}

_COND = re.compile(r"^\s*(<=|>=|<|>|=|≤|≥|≦|≧|＜|＞|＝)\s*(.+?)\s*$")
_OP_NORMAL = {"≤": "<=", "≦": "<=", "≥": ">=", "≧": ">=", "＜": "<", "＞": ">", "＝": "="}


class PresetError(ValueError):
    """A preset file that does not follow the schema (a packaging bug, not bad input)."""


def q2(d: Decimal) -> Decimal:
    """Round half up to 0.01 (scores and percentages are shown to two decimals)."""
    return d.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def dec(v: Any) -> Decimal:
    """A decimal from a preset number (a string, or an int); floats are refused so none sneaks in."""
    if isinstance(v, Decimal):
        return v
    if isinstance(v, bool) or isinstance(v, float):
        raise PresetError(f"preset numbers must be strings, got {v!r}")
    try:
        return Decimal(str(v))
    except InvalidOperation as e:
        raise PresetError(f"not a number: {v!r}") from e


# -- loading -------------------------------------------------------------------------------------------------

def _preset_files() -> list:
    d = resource_path(PRESET_DIR)
    return sorted(p for p in d.glob("*.json")) if d.is_dir() else []


@lru_cache(maxsize=None)
def _load_all() -> dict[str, dict]:
    out: dict[str, dict] = {}
    for path in _preset_files():
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "rules" not in data:
            continue
        validate_preset(data, path.stem)
        out[data["id"]] = data
    return out


def validate_preset(data: dict, stem: str = "") -> None:
    """Raise ``PresetError`` unless ``data`` follows the schema in the module docstring."""
    pid = data.get("id")
    if not pid or not isinstance(pid, str):
        raise PresetError(f"{stem}: preset without id")
    if stem and pid != stem:
        raise PresetError(f"{stem}: id {pid!r} differs from the file name")
    if not data.get("name"):
        raise PresetError(f"{pid}: preset without name")
    seen: set[str] = set()
    for r in data["rules"]:
        rid = r.get("id")
        if not rid or rid in seen:
            raise PresetError(f"{pid}: rule without id or duplicated: {rid!r}")
        seen.add(rid)
        for k in ("name", "formula", "inputs", "compute", "scoring"):
            if k not in r:
                raise PresetError(f"{pid}.{rid}: missing {k}")
        op = r["compute"].get("op")
        if op not in COMPUTE_OPS:
            raise PresetError(f"{pid}.{rid}: unknown compute op {op!r}")
        for a in r["compute"].get("args", []):
            if a not in r["inputs"]:
                raise PresetError(f"{pid}.{rid}: compute argument {a!r} is not an input")
        for name, keys in r["inputs"].items():
            if not isinstance(keys, list) or not keys:
                raise PresetError(f"{pid}.{rid}: input {name!r} needs a list of keys")
        s = r["scoring"]
        t = s.get("type")
        if t not in SCORING_TYPES:
            raise PresetError(f"{pid}.{rid}: unknown scoring type {t!r}")
        if r.get("weight") is not None:
            dec(r["weight"])
        elif t not in ("none",):
            raise PresetError(f"{pid}.{rid}: a scored rule needs a weight")
        if t == "threshold_deduct":
            if not _COND.match(s.get("full_if", "")):
                raise PresetError(f"{pid}.{rid}: bad full_if {s.get('full_if')!r}")
            if "per_point" not in s and not ("per" in s and "deduct" in s):
                raise PresetError(f"{pid}.{rid}: threshold_deduct needs per_point or per+deduct")
            if s.get("steps", "exact") not in ("exact", "floor", "ceil"):
                raise PresetError(f"{pid}.{rid}: bad steps {s.get('steps')!r}")
        elif t == "bands":
            bands = s.get("bands") or []
            if not bands:
                raise PresetError(f"{pid}.{rid}: bands needs bands")
            for cond, pts in bands:
                dec(pts)
                if cond != "else" and not _COND.match(cond):
                    raise PresetError(f"{pid}.{rid}: bad band condition {cond!r}")


def reload() -> None:
    """Forget the loaded presets (tests, or after the district edits a file)."""
    _load_all.cache_clear()
    _default_file.cache_clear()


def list_presets() -> list[tuple[str, str]]:
    """``[(id, name)]`` of every preset, the default first."""
    presets = _load_all()
    first = default_preset_id()
    ids = sorted(presets, key=lambda i: (i != first, i))
    return [(i, presets[i]["name"]) for i in ids]


def get_preset(preset_id: str | None = None) -> dict:
    """The preset with this id (None: the default).  Raises ``KeyError`` naming the known ids."""
    presets = _load_all()
    pid = preset_id or default_preset_id()
    if pid not in presets:
        raise KeyError(f"未知的评分预设“{pid}”；可选：{', '.join(sorted(presets))}")
    return presets[pid]


@lru_cache(maxsize=1)
def _default_file() -> dict:
    path = resource_path(f"{PRESET_DIR}/{DEFAULT_FILE}")
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def default_preset_id() -> str:
    """The preset used when the district has chosen none: ``default_preset`` in ``default.json``."""
    return _default_file().get("default_preset") or _default_file().get("id") or "default"


def selfeval_settings(preset_id: str | None = None) -> dict:
    """The 自评表 settings (等次 bands, 3× factor, post-hoc share, 二级 keyword rules): those of
    ``default.json``, overridden key by key by the chosen preset's ``selfeval`` section."""
    base = dict(_default_file().get("selfeval", {}))
    if preset_id:
        try:
            base.update(get_preset(preset_id).get("selfeval", {}))
        except KeyError:
            pass
    base.setdefault("grade_bands", [["90", "优"], ["80", "良"], ["60", "中"], ["0", "差"]])
    base.setdefault("far_above_factor", "3")
    base.setdefault("posthoc_equal_share", "0.75")
    base.setdefault("posthoc_min_rows", 4)
    base.setdefault("classification", [])
    return base


def grade_for(total: Decimal | None, bands: list | None = None) -> str | None:
    """评价等次 of a total: "90（含）-100分为优、80（含）-90分为良、60（含）-80分为中、60分以下为差"."""
    if total is None:
        return None
    for lower, name in bands or selfeval_settings()["grade_bands"]:
        if total >= dec(lower):
            return name
    return bands[-1][1] if bands else "差"


# -- scoring functions -----------------------------------------------------------------------------------------

def parse_condition(cond: str) -> tuple[str, str]:
    m = _COND.match(cond)
    if not m:
        raise PresetError(f"bad condition {cond!r}")
    return _OP_NORMAL.get(m.group(1), m.group(1)), m.group(2)


def compare(a: Decimal, op: str, b: Decimal) -> bool:
    return {"<=": a <= b, ">=": a >= b, "<": a < b, ">": a > b, "=": a == b}[op]


def _operand(text: str, inputs: dict[str, Decimal | None]) -> Decimal | None:
    if text in inputs:
        return inputs[text]
    return dec(text)


def apply_scoring(scoring: dict, value: Decimal, weight: Decimal | None,
                  inputs: dict[str, Decimal | None] | None = None) -> tuple[Decimal | None, str]:
    """Score ``value`` by the piecewise function ``scoring``; returns ``(score, how)`` where ``how`` is a
    short Chinese explanation ("超过标准31.88个百分点，扣31.88分"). ``score`` is None for none/manual."""
    inputs = inputs or {}
    t = scoring["type"]
    if t in ("none", "manual") or weight is None:
        return None, ""
    if t == "threshold_deduct":
        op, lim = parse_condition(scoring["full_if"])
        limit = dec(lim)
        if compare(value, op, limit):
            return q2(weight), "达到标准，计满分"
        gap = abs(value - limit)
        if "per_point" in scoring:
            per, deduct, steps = Decimal(1), dec(scoring["per_point"]), scoring.get("steps", "exact")
        else:
            per, deduct, steps = dec(scoring["per"]), dec(scoring["deduct"]), scoring.get("steps", "exact")
        n = gap / per
        if steps == "floor":
            n = Decimal(math.floor(n))
        elif steps == "ceil":
            n = Decimal(math.ceil(n))
        lost = n * deduct
        score = max(Decimal(0), weight - lost)
        side = "超过" if op in ("<=", "<", "=") and value > limit else "低于"
        how = f"{side}标准{plain(q2(gap))}个百分点，扣{plain(q2(lost))}分"
        if lost >= weight:
            how += "，扣完为止"
        return q2(score), how
    if t == "bands":
        v = abs(value) if scoring.get("use_abs") else value
        for cond, pts in scoring["bands"]:
            if cond == "else":
                return q2(min(dec(pts), weight)), f"不属于前列各档，计{plain(dec(pts))}分"
            op, rhs = parse_condition(cond)
            other = _operand(rhs, inputs)
            if other is None:
                return None, f"缺少数据：{rhs}"
            if compare(v, op, other):
                return q2(min(dec(pts), weight)), f"属“{cond}”档，计{plain(dec(pts))}分"
        return Decimal("0.00"), "不在任何一档，计0分"
    if t == "linear_cap":
        full = dec(scoring.get("full_at", "100"))
        frac = min(max(value / full, Decimal(0)), Decimal(1)) if full else Decimal(0)
        return q2(weight * frac), "按完成比例计分，满分为止"
    raise PresetError(f"unknown scoring type {t!r}")


def plain(d: Decimal) -> str:
    """A decimal as a reviewer writes it: 5.00 → 5, 4.50 → 4.5."""
    s = format(d, "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"
