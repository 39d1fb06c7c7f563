"""Scoring: the 自评表 recomputed and the 共性指标 scored by the district's preset.

Why it exists: the reviewer needs what the package is *worth*, not only what is inconsistent.  ``score_case``
is the single entry point the pipeline calls after the checks; it fills ``case.scores`` with::

    {"selfeval": score_selfeval(case),          # core.scoring.selfeval
     "indicators": score_indicators(case, id)}  # core.scoring.indicators, rules from resources/presets

``score_selfeval`` returns ``{"total", "recomputed_total", "normalized_total", "weight_sum", "stated_weight",
"stated_score_sum", "grade", "grade_of_total", "recomputed_grade", "execution_rate": {"stated", "recomputed"},
"execution_score": {"stated", "recomputed", "weight"}, "level1": {name: {"stated_weight", "weight_sum",
"score_sum", "recomputed_score_sum", "report_weight", "report_score"}}, "rows": [{"indicator_id", "level1",
"level2", "level3", "target", "actual", "weight", "score", "recomputed_score", "met", "note"}]}``.

``score_indicators`` returns ``{"preset", "preset_name", "source", "total_weight", "total_score",
"scored_weight", "score_rate", "grade", "missing", "note", "items": [{"id", "name", "level1", "level2",
"formula", "inputs": {中文名: Decimal}, "sources", "value", "unit", "weight", "score", "rule",
"scoring_text", "note"}]}``.

What it must not do: raise on a partial case (missing inputs become None and a note), use float.
"""

from __future__ import annotations

from typing import Any

from core.model import Case
from core.scoring.indicators import score_indicators
from core.scoring.presets import default_preset_id, get_preset, list_presets
from core.scoring.selfeval import score_selfeval


def score_case(case: Case, preset_id: str | None = None) -> dict[str, Any]:
    """Score ``case`` with the preset ``preset_id`` (None: ``default_preset`` of ``presets/default.json``),
    store the result in ``case.scores`` and return it."""
    pid = preset_id or default_preset_id()
    case.scores = {
        "selfeval": score_selfeval(case, pid),
        "indicators": score_indicators(case, pid),
    }
    return case.scores


__all__ = ["score_case", "score_selfeval", "score_indicators", "list_presets", "get_preset",
           "default_preset_id"]
