"""The label lexicon of the narrative (resources/narrative_labels.json) and how labels are compared."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from core.resources import resource_path
from core.text import collapse

_QUOTES = "“”\"‘’'「」『』"
_GAP = r"[\s“”\"‘’'「」『』]*"


@lru_cache(maxsize=8192)
def _canon(s: str) -> str:
    """Normalised label text without quotes and spaces (how labels are looked up).  Kept per text: the
    lexicon's labels and the words around each figure are asked for again and again."""
    t = collapse(s)
    return "".join(ch for ch in t if ch not in _QUOTES and not ch.isspace())


_GAPS = re.compile(_GAP[:-1] + "+")  # a run of what may stand between a label's characters


def _pattern(label: str) -> str:
    """The label as a pattern over text whose gaps (spaces, quotes) are taken out: a label never holds one
    (``_canon``), so "label characters with gaps between them" is "the label" once the gaps are gone."""
    parts = []
    for ch in _canon(label):
        if ch == "(":
            parts.append(r"[(（]")
        elif ch == ")":
            parts.append(r"[)）]")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


def _without_gaps(text: str, start: int, end: int) -> tuple[str, list[int] | None]:
    """``text[start:end]`` without its gaps, and where each remaining character stands in ``text`` (None
    when there was no gap: the i-th character is at ``start + i``)."""
    seg = text[start:end]
    if _GAPS.search(seg) is None:
        return seg, None
    kept: list[str] = []
    where: list[int] = []
    prev = 0
    for m in _GAPS.finditer(seg):
        if m.start() > prev:
            kept.append(seg[prev:m.start()])
            where.extend(range(start + prev, start + m.start()))
        prev = m.end()
    if prev < len(seg):
        kept.append(seg[prev:])
        where.extend(range(start + prev, end))
    return "".join(kept), where


@dataclass(frozen=True)
class _Entry:
    kind: str  # "direct" | "topic" | "measure"
    name: str  # key (direct), topic id (topic), measure id (measure)
    value_kind: str = "money"  # direct: money | count | score
    strong: bool = True  # topic: a 财政拨款 qualifier is weak, a 三公 item strong


class _Lexicon:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.entries: dict[str, _Entry] = {}
        for d in data["direct"]:
            for lab in d["labels"]:
                self.entries.setdefault(_canon(lab), _Entry("direct", d["key"], d.get("kind", "money")))
        for t in data["topics"]:
            for lab in t["labels"]:
                entry = _Entry("topic", t["topic"], strong=t.get("strong", True))
                self.entries.setdefault(_canon(lab), entry)
        for m in data["measures"]:
            for lab in m["labels"]:
                self.entries.setdefault(_canon(lab), _Entry("measure", m["measure"]))
        labels = sorted(self.entries, key=len, reverse=True)
        # matched over the text with its gaps taken out (``matches``): the same labels at the same places as
        # the labels with a gap pattern between their characters, and 40× cheaper to compile (90 ms → 2 ms).
        # Grouped by first character, longest first inside each group as before: the labels that can start
        # at a place are those of its character, so a place is tried against ~50 groups, not ~220 labels
        # (the first label that matches there is the same; scanning a 说明 twice as fast)
        by_first: dict[str, list[str]] = {}
        for x in labels:
            by_first.setdefault(x[0], []).append(x)
        self.regex = re.compile("(?=(" + "|".join(
            _pattern(c) + "(?:" + "|".join(_pattern(x[1:]) for x in xs) + ")" for c, xs in by_first.items()) + "))")
        self.topics = {t["topic"]: t for t in data["topics"]}
        self.contexts = data["contexts"]
        self.names: dict[str, str] = data["names"]
        self.family: dict[str, int] = {}
        for i, fam in enumerate(data["splits"]):
            for k in fam:
                self.family[k] = i
        self.level1 = [(name, _canon(w)) for name, ws in data["level1"].items() for w in ws]
        self.level1.sort(key=lambda x: len(x[1]), reverse=True)
        self.fillers = sorted((_canon(x) for x in data["subject_fillers"]), key=len, reverse=True)
        self.placeholders = [re.compile(p) for p in data["placeholders"]]
        self.problem_sections = [_canon(x) for x in data["problem_sections"]]
        self.empty_bodies = {_canon(x) for x in data["empty_bodies"]}
        self.partial = {_canon(k): v for k, v in data.get("partial", {}).get("labels", {}).items()}
        self.fund_parts = {_canon(x) for x in data.get("partial", {}).get("fund_parts", [])}
        self.other_money = re.compile(data.get("partial", {}).get("other_money", "(?!)"))
        self.share_wholes = {k: v for k, v in data.get("share_wholes", {}).items() if not k.startswith("_")}
        self.clause_keys = [
            (r["key"], tuple(_canon(x) for x in r["labels"]), tuple(_canon(x) for x in r["all"]),
             tuple(_canon(x) for x in r.get("none", ())))
            for r in data.get("clause_keys", {}).get("rules", [])
        ]

    def matches(self, text: str, start: int, end: int) -> list[tuple[int, int, _Entry]]:
        """Every label in ``text[start:end]``, except those inside a longer label ("预算" inside
        "一般公共预算支出", "公用经费" inside "日常公用经费")."""
        found = []
        solid, where = _without_gaps(text, start, end)
        for m in self.regex.finditer(solid):
            s, e = m.span(1)
            s, e = (start + s, start + e) if where is None else (where[s], where[e - 1] + 1)
            entry = self.entries.get(_canon(text[s:e]))
            if entry is not None:
                found.append((s, e, entry))
        return [x for x in found
                if not any(y is not x and y[0] <= x[0] and x[1] <= y[1] and y[1] - y[0] > x[1] - x[0]
                           for y in found)]


@lru_cache(maxsize=1)
def _anomaly_rules() -> list[tuple[str, re.Pattern, str]]:
    data = json.loads(resource_path("narrative_labels.json").read_text(encoding="utf-8"))
    return [(r["kind"], re.compile(r["pattern"]), r["message"]) for r in data.get("anomalies", [])]


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    data = json.loads(resource_path("narrative_labels.json").read_text(encoding="utf-8"))
    return _Lexicon(data)


@lru_cache(maxsize=16384)
def canonical_subject(s: str) -> str:
    """A metric's noun phrase reduced for comparison: no punctuation, years, leading fillers (全年, 累计,
    共…) or trailing verbs/measure words (为, 达, 人数 …)."""
    t = _canon(s)
    t = re.sub(r"[()（）:：,，、。;；!?！？<>《》\[\]【】]", "", t)
    t = re.sub(r"(?:19|20)\d{2}年(?:度|末|底|初)?", "", t)
    fillers = lexicon().fillers
    changed = True
    while changed and t:
        changed = False
        for f in fillers:
            if t.startswith(f) and len(t) > len(f):
                t = t[len(f):]
                changed = True
                break
    t = re.sub(r"(?:总人数|总数|人数|人次|数量|总额|金额|达到|共计|累计|合计|为|达|共|计|约|近|超过|超|逾|有|是|了|的)+$", "", t)
    return t
