"""Compare an extracted case with a package's expected output (``expected.json`` written by the fixture
generator): which catalogue values and indicator rows came out exactly, under the right key, on the right page.

Why it exists: the extraction issue is judged on exactly this ("95% of the catalogue values and 95% of the
indicator rows come out exactly, under the right key, with the right page"); the tests, the benchmark and
``tools/score_extraction.py`` measure it the same way.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.model import Case


def _dec(v) -> Decimal | str | None:
    if v is None:
        return None
    if isinstance(v, Decimal):
        return v
    try:
        return Decimal(str(v))
    except (InvalidOperation, ValueError):
        return str(v).strip()


def _norm(s) -> str:
    from core.text import collapse, normalize

    return collapse(normalize(str(s or ""))).replace(" ", "")


def _same(a, b) -> bool:
    da, db = _dec(a), _dec(b)
    if isinstance(da, Decimal) and isinstance(db, Decimal):
        return da == db
    return str(a).strip() == str(b).strip()


@dataclass
class Score:
    fields_expected: int = 0
    fields_found: int = 0
    indicators_expected: int = 0
    indicators_found: int = 0
    missing_fields: list[dict] = field(default_factory=list)
    missing_indicators: list[dict] = field(default_factory=list)
    wrong_key: list[tuple[str, dict]] = field(default_factory=list)  # (key extracted, expected entry there)

    @property
    def misfiled(self) -> int:
        """Figures filed under a wrong key: the printed figure came out, on its page, at its place, but under
        another key than expected (and not also under the right one)."""
        return sum(1 for _, e in self.wrong_key if e in self.missing_fields)

    @property
    def doubled(self) -> int:
        """Figures that came out under the right key and, at the same place, under another key too."""
        return len(self.wrong_key) - self.misfiled

    @property
    def field_precision(self) -> float:
        """Of the figures found at an expected place, the share filed under the expected key."""
        bad = len(self.wrong_key)
        return self.fields_found / (self.fields_found + bad) if self.fields_found + bad else 1.0

    @property
    def field_recall(self) -> float:
        return self.fields_found / self.fields_expected if self.fields_expected else 1.0

    @property
    def indicator_recall(self) -> float:
        return self.indicators_found / self.indicators_expected if self.indicators_expected else 1.0

    def merge(self, other: "Score") -> "Score":
        return Score(self.fields_expected + other.fields_expected, self.fields_found + other.fields_found,
                     self.indicators_expected + other.indicators_expected,
                     self.indicators_found + other.indicators_found,
                     self.missing_fields + other.missing_fields, self.missing_indicators + other.missing_indicators,
                     self.wrong_key + other.wrong_key)


def score_case(case: Case, expected: dict, *, keys_prefix: tuple[str, ...] = ()) -> Score:
    """Expected fields are matched one-to-one (a key stated twice must be extracted twice)."""
    doc_by_file = {Path(d.path).name: d.id for d in case.documents}
    pool: Counter = Counter()
    for f in case.fields:
        pool[(f.key, f.doc, f.page, str(_dec(f.value)))] += 1
    s = Score()
    for e in expected.get("fields", []):
        if keys_prefix and not e["key"].startswith(keys_prefix):
            continue
        s.fields_expected += 1
        k = (e["key"], doc_by_file.get(e.get("file", ""), "?"), int(e["page"]), str(_dec(e["value"])))
        if pool[k] > 0:
            pool[k] -= 1
            s.fields_found += 1
        else:
            s.missing_fields.append(e)
    s.wrong_key = _wrong_keys(case, expected, pool, doc_by_file, keys_prefix)
    inds = list(case.indicators)
    return _score_indicators(s, inds, expected)


def _near(a, b, slack: float = 2.0) -> bool:
    """Whether the centre of box ``a`` lies inside box ``b`` (grown by ``slack`` points)."""
    cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
    return b[0] - slack <= cx <= b[2] + slack and b[1] - slack <= cy <= b[3] + slack


def _wrong_keys(case: Case, expected: dict, pool: Counter, doc_by_file: dict,
                keys_prefix: tuple[str, ...]) -> list[tuple[str, dict]]:
    """Extracted figures left over after matching whose value and printed place are those of an expected
    figure with another key: the figure was read, and filed under a wrong key."""
    spots: dict[tuple, list[dict]] = {}
    for e in expected.get("fields", []):
        if keys_prefix and not e["key"].startswith(keys_prefix):
            continue
        if "bbox" in e:
            spots.setdefault((doc_by_file.get(e.get("file", ""), "?"), int(e["page"]), str(_dec(e["value"]))),
                             []).append(e)
    left = Counter({k: n for k, n in pool.items() if n > 0})
    out: list[tuple[str, dict]] = []
    for f in case.fields:
        k = (f.key, f.doc, f.page, str(_dec(f.value)))
        if left[k] <= 0:
            continue
        for e in spots.get((f.doc, f.page, str(_dec(f.value))), []):
            if e["key"] != f.key and (_near(f.bbox, e["bbox"]) or _near(e["bbox"], f.bbox)):
                left[k] -= 1
                out.append((f.key, e))
                break
    return out


def _score_indicators(s: "Score", inds: list, expected: dict) -> "Score":
    for e in expected.get("indicators", []):
        s.indicators_expected += 1
        hit = None
        for i, ind in enumerate(inds):
            if (_norm(ind.level3) == _norm(e["level3"]) and _norm(ind.level1) == _norm(e.get("level1", ind.level1))
                    and _norm(ind.level2) == _norm(e.get("level2", ind.level2)) and _same(ind.weight, e.get("weight"))
                    and _same(ind.score, e.get("score")) and ind.source.page == int(e["page"])
                    and _norm(ind.target) == _norm(e.get("target", ind.target))
                    and _norm(ind.actual) == _norm(e.get("actual", ind.actual))):
                hit = i
                break
        if hit is None:
            s.missing_indicators.append(e)
        else:
            s.indicators_found += 1
            inds.pop(hit)
    return s
