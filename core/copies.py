"""Copied text across a district: sentences, 绩效指标 and figures one department's package shares verbatim
with another's, and a package that names another unit of the district.

Why it exists: a department that writes its 自评报告 from a neighbour's (or last year's template filled by a
neighbour) leaves the other unit's work in it — its paragraph on its duties, its indicators, its clients'
count, sometimes its name.  No check on one package can see that; a reviewer with 150 packages cannot read
them side by side.  This module keeps, per case, what can be compared (its *signature*), indexes the
signatures of a workspace and reports what two units share, as findings on both cases.

What is compared (each normalised: NFKC and the radicals of ``core.text.normalize``, then letters, digits and
ideographs only, so spacing and punctuation do not matter):

- **sentences** of the narratives (自评报告, 决算说明; split at 。！？； and paragraph ends) with at least
  ``min_sentence_cjk`` ideographs.  The pipeline keeps them with their printed places in
  ``case.extra["passages"]`` (``core.passages.document_passages``), since a case does not otherwise hold its text;
- **indicator texts**: a 自评表 row's 三级指标 and 指标值 together;
- **figures in their context**: a narrative activity figure (``report.metric``: "服务对象1,236人次") with its
  subject, when the figure is distinctive (``distinctive_number``: at least three significant digits, not a
  percentage, a year or a round number);
- **unit names**: another unit of the workspace named in a package's narrative.

Precision first: what every department writes is not a copy.  The decision is by structure, not by a list of
phrases.  Counting *units* (cases of one unit — ``core.workspace.unit_key`` — count once):

- a passage shared by ``template_units`` (3) or more units is template text (the 自评报告 template's sentences,
  "根据《…》文件要求", the 决算's standard explanations);
- so is a sentence whose *skeleton* (its digits masked) is printed by that many units — a template sentence
  whose figures happen to agree in two packages — and a sentence made mostly (``template_share``) of
  character 4-grams that that many units print: template words with the figures or an item changed;
- an indicator whose 三级指标 alone is printed by that many units is a common indicator (预算执行率, 社会公众
  满意度, the 共性指标), and an indicator row must be specific (a 三级指标 of ``min_indicator_cjk``
  ideographs or a distinctive figure in its 指标值);
- a unit name mentioned by that many other units is a name everyone cites (区财政局), not a left-over;
- only what exactly two units share is a copy; the same unit's cases never count against each other.
- and nothing is reported before ``min_units`` (5) units of the district are known: with fewer, the template
  every department writes cannot be told from a copy (two packages share all of it).

Reported as warnings (``core.checks.copies`` turns ``case.extra["district_copies"]`` into findings, so they
survive every re-check, go into the problem list and the 复核意见 and take the reviewer's decisions like any
other): one finding per copied paragraph, one per other unit for indicators and for figures, one per unit
named; each located on its own case (the window lights the place up) and naming the other unit and its place
in the message.  A district list (``DistrictIndex.matches``) gives both places of every match.

Where (``copy_findings``): each case's signature is kept in ``<store>/copies/<case>.json`` (written when the
case is extracted or opened), and the index is built in memory from the signatures of the workspace's
current cases — an index, never all pairs: sentences and indicator rows are hashed to postings lists, the
4-gram counts are one pass over each unit's set of 4-grams.

What it must not do: import Qt, read PDFs itself, or flag what three units share.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from core.model import BBox, Case, Finding, Severity, SourceRef
from core.passages import (  # noqa: F401 (the extraction's part, also named here)
    CHECK_FIGURES,
    CHECK_INDICATORS,
    CHECK_TEXT,
    CHECK_UNIT_NAME,
    CHECKS,
    COPIES_KEY,
    PASSAGES_KEY,
    Settings,
    _sentences,
    norm,
    settings,
)

log = logging.getLogger(__name__)

SIGNATURE_SCHEMA = "district-signature/1"
COPIES_DIR = "copies"

# -- normalisation ------------------------------------------------------------------------------------------

_DIGITS = re.compile(r"\d+")


def skeleton(normed: str) -> str:
    """A normalised text with every run of digits masked: the template a sentence was filled from."""
    return _DIGITS.sub("#", normed)


def cjk_count(text: str) -> int:
    """Ideographs in ``text`` (CJK Unified Ideographs, Extension A, Compatibility Ideographs).  Compared
    character by character: a pattern of these ranges costs 2 ms to compile at every start."""
    return sum(1 for c in text
               if "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf" or "\uf900" <= c <= "\ufaff")


def shingles(normed: str, n: int = 4) -> set[str]:
    """The character ``n``-grams of a sentence's skeleton (the words it is made of, for ``template_share``)."""
    s = skeleton(normed)
    return {s[i:i + n] for i in range(max(0, len(s) - n + 1))} if len(s) >= n else {s} if s else set()


def distinctive_number(raw: str) -> bool:
    """Whether a printed figure is specific enough that two units printing it is no coincidence: at least
    three significant digits, not a percentage, not a year (1900–2100 as a whole number), not round (the
    significant digits are counted without trailing zeros: 1,236 has four, 15000 two)."""
    s = raw.replace(",", "").replace("，", "").replace(" ", "")
    if "%" in s or "％" in s:
        return False
    m = re.search(r"\d+(?:\.\d+)?", s)
    if not m:
        return False
    num = m.group(0)
    try:
        v = Decimal(num)
    except InvalidOperation:
        return False
    if v == v.to_integral_value() and 1900 <= v <= 2100 and "." not in num:
        return False
    digits = num.replace(".", "").lstrip("0").rstrip("0")
    return len(digits) >= 3


# -- a case's signature -------------------------------------------------------------------------------------

def case_signature(case: Case, *, case_id: str = "", unit: str = "", digests: Iterable[str] = ()) -> dict:
    """What of a case is compared across the district, as plain JSON (see the module docstring)."""
    from core.workspace import case_unit_name, unit_key

    unit = unit or case_unit_name(case)
    docs = {d.id: Path(d.path).name for d in case.documents}
    sentences = []
    for p in case.extra.get(PASSAGES_KEY, []) or []:  # read back from a case file, numbers are Decimal
        try:
            sentences.append([str(p[0]), str(p[1]), str(p[2]), int(p[3]),
                              [[int(b[0]), *(round(float(x), 1) for x in b[1:5])] for b in p[4]]])
        except (TypeError, ValueError, IndexError):
            continue
    indicators = []
    for ind in case.indicators:
        if not ind.level3.strip() or not ind.target.strip():
            continue
        boxes = [ind.cells[c] for c in ("level3", "target") if c in ind.cells] or [ind.source.bbox]
        indicators.append([ind.level3, ind.target, ind.source.doc, ind.source.page,
                           [[round(x, 1) for x in b] for b in boxes]])
    figures = []
    for f in case.fields:
        if not f.key.startswith("report.metric") or not isinstance(f.value, Decimal):
            continue
        subject = str(f.attrs.get("subject") or "").strip()
        if not subject or f.unit in ("%", "年") or not distinctive_number(f.raw or str(f.value)):
            continue
        figures.append([subject, str(f.value.normalize()), f.unit, f.key, f.doc, f.page,
                        [round(x, 1) for x in f.bbox], str(f.attrs.get("sentence") or "")])
    return {"schema": SIGNATURE_SCHEMA, "case_id": case_id, "unit": unit, "unit_key": unit_key(unit) if unit else "",
            "digests": sorted(set(digests) or {d.sha256 for d in case.documents if d.sha256}),
            "docs": docs, "kinds": {d.id: _doc_kind_names(d.kinds) for d in case.documents},
            "sentences": sentences, "indicators": indicators, "figures": figures}


def _doc_kind_names(kinds: dict[str, list[int]]) -> dict[str, str]:
    """page → the form printed there (for "××单位自评报告第3页")."""
    out: dict[str, str] = {}
    for k, pages in kinds.items():
        for p in pages:
            out.setdefault(str(p), "决算" if k.startswith("公开") else k)
    return out


# -- the index ----------------------------------------------------------------------------------------------

@dataclass
class Place:
    """One side of a match: a case, the printed text, where (its own document ids)."""

    case_id: str
    unit: str
    text: str
    doc: str
    page: int
    boxes: list[BBox]
    form: str = ""  # 自评报告 / 决算说明 / 自评表 …

    @property
    def where(self) -> str:
        return f"{self.form or '材料'}第{self.page}页"


@dataclass
class Match:
    """Something two units' packages share: ``kind`` is one of ``CHECKS``; ``a`` and ``b`` the places on
    each side (for a paragraph, ``items`` holds every sentence pair)."""

    kind: str
    a: Place
    b: Place
    items: list[tuple[Place, Place]] = field(default_factory=list)
    value: str = ""


@dataclass
class _Sig:
    case_id: str
    unit: str
    ident: str       # units are compared by this: unit_key, else the case id
    raw: dict


class DistrictIndex:
    """The signatures of a district's cases, indexed.  ``findings(case_id)`` gives a case's copy findings,
    ``matches()`` every match of the district (each pair once)."""

    def __init__(self, signatures: Iterable[dict], cfg: Settings | None = None) -> None:
        self.cfg = cfg or settings()
        self.sigs: dict[str, _Sig] = {}
        for s in signatures:
            cid = str(s.get("case_id") or "")
            if not cid:
                continue
            self.sigs[cid] = _Sig(cid, str(s.get("unit") or cid), str(s.get("unit_key") or "") or "case:" + cid, s)
        self._build()

    # building
    def _build(self) -> None:
        cfg = self.cfg
        self.sent_post: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self.sent_norm: dict[tuple[str, int], str] = {}
        skel_units: dict[str, set[str]] = defaultdict(set)
        shingle_units: Counter = Counter()
        self.ind_post: dict[str, list[tuple[str, int]]] = defaultdict(list)
        level3_units: dict[str, set[str]] = defaultdict(set)
        self.fig_post: dict[str, list[tuple[str, int]]] = defaultdict(list)
        for cid, sig in self.sigs.items():
            unit_shingles: set[str] = set()
            for i, p in enumerate(sig.raw.get("sentences", [])):
                n = norm(str(p[0]))
                if cjk_count(n) < cfg.min_sentence_cjk:
                    continue
                self.sent_norm[(cid, i)] = n
                self.sent_post[n].append((cid, i))
                skel_units[skeleton(n)].add(sig.ident)
                unit_shingles |= shingles(n)
            shingle_units.update(unit_shingles)  # a unit counts once per 4-gram (DF, not frequency)
            for i, row in enumerate(sig.raw.get("indicators", [])):
                l3 = norm(str(row[0]))
                level3_units[l3].add(sig.ident)
                self.ind_post[l3 + "|" + norm(str(row[1]))].append((cid, i))
            for i, fig in enumerate(sig.raw.get("figures", [])):
                self.fig_post[f"{norm(str(fig[0]))}|{fig[1]}|{fig[2]}"].append((cid, i))
        self.skel_units = skel_units
        self.shingle_units = shingle_units
        self.level3_units = level3_units

    @property
    def units(self) -> int:
        """How many units the index knows (cases of one unit count once)."""
        return len({s.ident for s in self.sigs.values()})

    @property
    def comparable(self) -> bool:
        """Whether enough units are known to tell what every department writes from what two share
        (``min_units``): below that nothing is reported."""
        return self.units >= self.cfg.min_units

    # helpers
    def _units(self, postings: list[tuple[str, int]]) -> set[str]:
        return {self.sigs[c].ident for c, _ in postings}

    def _pair(self, postings: list[tuple[str, int]], case_id: str) -> list[tuple[str, int]] | None:
        """The postings of the one other unit sharing this passage with ``case_id``'s unit, or None when the
        passage is not shared by exactly two units."""
        units = self._units(postings)
        me = self.sigs[case_id].ident
        if len(units) != 2 or me not in units:
            return None
        return [(c, i) for c, i in postings if self.sigs[c].ident != me]

    def _template_sentence(self, n: str) -> bool:
        cfg = self.cfg
        if len(self.skel_units.get(skeleton(n), ())) >= cfg.template_units:
            return True
        grams = shingles(n)
        if not grams:
            return True
        common = sum(1 for g in grams if self.shingle_units[g] >= cfg.template_units)
        return common >= cfg.template_share * len(grams)

    def _place(self, cid: str, text: str, doc: str, page: int, boxes: list, form: str = "") -> Place:
        sig = self.sigs[cid]
        if not form:
            form = sig.raw.get("kinds", {}).get(doc, {}).get(str(page), "")
        return Place(cid, sig.unit, text, doc, int(page), [tuple(float(x) for x in b) for b in boxes], form)

    def _sentence_place(self, cid: str, i: int) -> Place:
        p = self.sigs[cid].raw["sentences"][i]
        boxes = p[4] or [[0, 0, 0, 0, 0]]
        page = int(boxes[0][0])
        return self._place(cid, printed(str(p[0])), str(p[2]), page, [b[1:] for b in boxes if int(b[0]) == page],
                           str(p[1]))

    # matching
    def sentence_matches(self, case_id: str) -> list[Match]:
        """Copied paragraphs of ``case_id``: its sentences shared with exactly one other unit and not
        template, grouped by its paragraph and the other case."""
        sig = self.sigs[case_id]
        groups: dict[tuple[str, str, int], list[tuple[int, str, int]]] = {}
        for i, p in enumerate(sig.raw.get("sentences", [])):
            n = self.sent_norm.get((case_id, i))
            if n is None:
                continue
            other = self._pair(self.sent_post[n], case_id)
            if not other or self._template_sentence(n):
                continue
            oc, oi = other[0]
            groups.setdefault((oc, str(p[2]), int(p[3])), []).append((i, oc, oi))
        out = []
        for (oc, _doc, _para), items in groups.items():
            if sum(cjk_count(self.sent_norm[(case_id, i)]) for i, _, _ in items) < self.cfg.min_finding_cjk:
                continue
            pairs = [(self._sentence_place(case_id, i), self._sentence_place(c, j)) for i, c, j in items]
            out.append(Match(CHECK_TEXT, pairs[0][0], pairs[0][1], pairs))
        return out

    def indicator_matches(self, case_id: str) -> list[Match]:
        """Indicator rows (三级指标 + 指标值) shared with exactly one other unit, specific and not common."""
        cfg = self.cfg
        sig = self.sigs[case_id]
        by_other: dict[str, list[tuple[Place, Place]]] = {}
        for i, row in enumerate(sig.raw.get("indicators", [])):
            l3, target = norm(str(row[0])), str(row[1])
            other = self._pair(self.ind_post[l3 + "|" + norm(target)], case_id)
            if not other or len(self.level3_units.get(l3, ())) >= cfg.template_units:
                continue
            if cjk_count(l3) < cfg.min_indicator_cjk and not distinctive_number(target):
                continue
            oc, oi = other[0]
            orow = self.sigs[oc].raw["indicators"][oi]
            mine = self._place(case_id, f"{row[0]}（{row[1]}）", str(row[2]), int(row[3]), row[4], "自评表")
            theirs = self._place(oc, f"{orow[0]}（{orow[1]}）", str(orow[2]), int(orow[3]), orow[4], "自评表")
            by_other.setdefault(oc, []).append((mine, theirs))
        return [Match(CHECK_INDICATORS, items[0][0], items[0][1], items) for items in by_other.values()]

    def figure_matches(self, case_id: str, covered: Iterable[tuple[str, int, BBox]] = ()) -> list[Match]:
        """Distinctive activity figures with the same subject in exactly two units (not inside a copied
        sentence already reported: ``covered`` holds the line boxes of those)."""
        covered = list(covered)
        sig = self.sigs[case_id]
        by_other: dict[str, list[tuple[Place, Place]]] = {}
        for i, fig in enumerate(sig.raw.get("figures", [])):
            key = f"{norm(str(fig[0]))}|{fig[1]}|{fig[2]}"
            other = self._pair(self.fig_post[key], case_id)
            if not other or not distinctive_number(str(fig[1])):
                continue
            mine = self._place(case_id, f"{fig[0]}{fig[1]}{fig[2]}", str(fig[4]), int(fig[5]), [fig[6]])
            if any(d == mine.doc and p == mine.page and _overlap(b, mine.boxes[0]) for d, p, b in covered):
                continue
            oc, oi = other[0]
            ofig = self.sigs[oc].raw["figures"][oi]
            theirs = self._place(oc, f"{ofig[0]}{ofig[1]}{ofig[2]}", str(ofig[4]), int(ofig[5]), [ofig[6]])
            by_other.setdefault(oc, []).append((mine, theirs))
        return [Match(CHECK_FIGURES, items[0][0], items[0][1], items, value=items[0][0].text)
                for items in by_other.values()]

    def name_matches(self, case_id: str) -> list[Match]:
        """Another unit of the district named in this case's narrative (not in its 部门概况, where a
        department lists the units it is made of), unless that name is one many units cite."""
        cfg = self.cfg
        me = self.sigs[case_id]
        out = []
        for oc, other in self._name_targets().items():
            if other.ident == me.ident or len(other.ident) < cfg.min_name_chars or other.ident.startswith("case:"):
                continue
            if other.ident in me.ident or me.ident in other.ident:
                continue  # a unit and the unit its name is part of
            hits = self._mentions(case_id, other.ident)
            if not hits:
                continue
            citing = {self.sigs[c].ident for c in self.sigs
                      if self.sigs[c].ident not in (other.ident,) and self._mentions(c, other.ident, first=True)}
            if len(citing) >= cfg.template_units:
                continue
            places = [self._sentence_place(case_id, i) for i in hits[:5]]
            theirs = Place(oc, other.unit, other.unit, "", 0, [])
            out.append(Match(CHECK_UNIT_NAME, places[0], theirs, [(p, theirs) for p in places], value=other.unit))
        return out

    def _name_targets(self) -> dict[str, _Sig]:
        seen: dict[str, _Sig] = {}
        for s in self.sigs.values():
            seen.setdefault(s.ident, s)
        return {s.case_id: s for s in seen.values()}

    def _mentions(self, case_id: str, key: str, *, first: bool = False) -> list[int]:
        """The sentences of a case's narrative (not its 部门概况) naming ``key`` (its own name taken out)."""
        cache = self.__dict__.setdefault("_mapped", {})
        mapped = cache.get(case_id)
        if mapped is None:
            from core.workspace import short_name_form  # names written as unit_key writes them

            own = self.sigs[case_id].ident
            parts = []
            for i, p in enumerate(self.sigs[case_id].raw.get("sentences", [])):
                if str(p[1]) == "部门概况":
                    continue
                t = short_name_form(norm(str(p[0])))
                parts.append((i, t.replace(own, "\0") if len(own) >= self.cfg.min_name_chars else t))
            mapped = cache[case_id] = (parts, "\n".join(t for _, t in parts))
        parts, joined = mapped
        if key not in joined:  # one search over the whole text first: most units name no other
            return []
        out = []
        for i, t in parts:
            if key in t:
                out.append(i)
                if first:
                    break
        return out

    def case_matches(self, case_id: str) -> list[Match]:
        """Every match of one case: copied paragraphs, indicators, figures not inside a copied paragraph,
        other units named."""
        if case_id not in self.sigs or not self.comparable:
            return []
        done = self.__dict__.setdefault("_case_matches", {})  # a batch asks per case, then for the district list
        if case_id not in done:
            texts = self.sentence_matches(case_id)
            covered = [(pl.doc, pl.page, b) for m in texts for pl, _ in m.items for b in pl.boxes]
            done[case_id] = (texts + self.indicator_matches(case_id) + self.figure_matches(case_id, covered)
                             + self.name_matches(case_id))
        return list(done[case_id])

    def findings(self, case_id: str) -> list[Finding]:
        """The copy findings of one case (warnings), located on the case's own pages."""
        return [_finding(m) for m in self.case_matches(case_id)]

    def matches(self) -> list[Match]:
        """Every match of the district, each pair of places once (the side whose case id sorts first)."""
        return [m for cid in sorted(self.sigs) for m in self.case_matches(cid)
                if m.kind == CHECK_UNIT_NAME or m.a.case_id < m.b.case_id]


def _overlap(a: BBox, b: BBox) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def printed(text: str) -> str:
    """A sentence in the full-width punctuation it was printed with (the text layer's NFKC made "，" a ",";
    a thousands comma "1,236" and a decimal point stay)."""
    t = re.sub(r"\s+", "", text)
    return re.sub(r"[,;:()!?]", lambda m: m.group(0) if m.group(0) == "," and _is_grouping(t, m.start()) else
                  _FULL_WIDTH[m.group(0)], t)


def _excerpt(text: str, n: int = 40) -> str:
    """The start of a sentence for a message."""
    t = printed(text).rstrip("。；;，,")
    return t if len(t) <= n else t[:n] + "……"


def _is_grouping(t: str, i: int) -> bool:
    return 0 < i < len(t) - 3 and t[i - 1].isdigit() and t[i + 1:i + 4].isdigit()


def _finding(m: Match) -> Finding:
    mine = [a for a, _ in m.items] or [m.a]
    locs = [SourceRef(p.doc, p.page, b) for p in mine for b in (p.boxes or [(0.0, 0.0, 0.0, 0.0)])]
    other_key = "copies." + (m.b.unit or m.b.case_id)
    if m.kind == CHECK_TEXT:
        n = len(m.items)
        msg = (f"{m.a.where}的{'一段文字' if n > 1 else '一句话'}与“{m.b.unit}”{m.b.where}的文字相同"
               f"{f'（{n}句）' if n > 1 else ''}：“{_excerpt(m.a.text)}”。请核实是否照搬了其他单位的材料")
        keys, values = [other_key], []
    elif m.kind == CHECK_INDICATORS:
        rows = "、".join(a.text for a, _ in m.items)
        pages = "、".join(dict.fromkeys(f"第{b.page}页" for _, b in m.items))
        msg = (f"自评表有{len(m.items)}项绩效指标（三级指标和指标值）与“{m.b.unit}”自评表{pages}的完全相同：{rows}。"
               f"请核实指标是否按本单位的职责和工作设置")
        keys, values = [other_key], []
    elif m.kind == CHECK_FIGURES:
        figs = "、".join(f"“{a.text}”" for a, _ in m.items)
        where = "、".join(dict.fromkeys(b.where for _, b in m.items))
        msg = (f"{m.a.where}的数字{figs}与“{m.b.unit}”{where}所写的相同（同一事项、同一数字）。"
               f"请核实是否为其他单位的数据")
        keys, values = [other_key, "report.metric"], [a.text for a, _ in m.items]
    else:
        msg = (f"{m.a.where}出现本区另一单位的名称“{m.b.unit}”：“{_excerpt(m.a.text)}”。"
               f"请核实是否为套用其他单位材料后遗留的文字")
        keys, values = [other_key], []
    return Finding(check=m.kind, severity=Severity.WARNING, message=msg, keys=keys, values=values,
                   locations=locs)


# -- the store, and what the window and the batch call ---------------------------------------------------

def signature_path(store_dir: str | Path, case_id: str) -> Path:
    slug = re.sub(r'[\\/:*?"<>|\s]+', "_", case_id).strip("_")[:60] or "case"
    h = hashlib.sha1(case_id.encode("utf-8")).hexdigest()[:8]
    return Path(store_dir) / COPIES_DIR / f"{slug}-{h}.json"


def save_signature(store_dir: str | Path, signature: dict) -> Path:
    """Write a case's signature atomically into ``<store>/copies``."""
    from core.review.atomic import write_text_atomic

    p = signature_path(store_dir, signature["case_id"])
    p.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(p, _dumps(signature))
    return p


def _dumps(signature: dict) -> str:
    return json.dumps(signature, ensure_ascii=False, separators=(",", ":"))


def load_signature(path: str | Path) -> dict | None:
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return d if isinstance(d, dict) and d.get("schema") == SIGNATURE_SCHEMA else None


@dataclass(frozen=True)
class WorkspaceView:
    """What the comparison needs of a workspace, read on the workspace's own thread (``Workspace`` is not
    thread-safe): its store and, per case, id, name (when it is a printed unit name) and sources' digests."""

    store_dir: Path
    cases: tuple[tuple[str, str, tuple[str, ...]], ...]

    @staticmethod
    def of(workspace: Any) -> WorkspaceView:
        return WorkspaceView(Path(workspace.store_dir),
                             tuple((e.id, e.name if e.unit_key else "", tuple(workspace.digests(e.id)))
                                   for e in workspace.list_cases()))


_INDEX_CACHE: dict[str, tuple[tuple, DistrictIndex]] = {}


def workspace_index(workspace: Any | WorkspaceView, extra: Iterable[dict] = ()) -> DistrictIndex:
    """The index over the signatures kept for the workspace's current cases (a signature of other
    sources than the case has now is left out), with ``extra`` signatures in place of the stored ones of
    their cases.  Without ``extra`` it is kept in memory while the signature files are unchanged."""
    from core.workspace import unit_key

    view = workspace if isinstance(workspace, WorkspaceView) else WorkspaceView.of(workspace)
    extra = {s["case_id"]: s for s in extra}
    stamp: list[tuple] = []
    wanted: list[tuple[str, str, tuple[str, ...], Path]] = []
    for cid, name, digests in view.cases:
        if cid in extra:
            continue
        p = signature_path(view.store_dir, cid)
        try:
            st = p.stat()
        except OSError:
            continue
        stamp.append((cid, st.st_mtime_ns, st.st_size, digests, name))
        wanted.append((cid, name, digests, p))
    key = str(view.store_dir)
    hit = _INDEX_CACHE.get(key)
    if not extra and hit is not None and hit[0] == tuple(stamp):
        return hit[1]
    sigs = []
    for cid, name, digests, p in wanted:
        s = load_signature(p)
        if s is None or sorted(s.get("digests", [])) != sorted(digests):
            continue
        if name:  # the workspace's name of the unit (it may have learnt it since)
            s["unit"], s["unit_key"] = name, unit_key(name)
        sigs.append(s)
    index = DistrictIndex(sigs + list(extra.values()))
    if not extra:
        _INDEX_CACHE[key] = (tuple(stamp), index)
    return index


def signature_for(workspace: Any, case_id: str, case: Case) -> dict:
    """A workspace case's signature, named as the workspace names the unit (read on its thread)."""
    entry = workspace.case(case_id)
    return case_signature(case, case_id=case_id, unit=entry.name if entry.unit_key else "",
                          digests=workspace.digests(case_id))


def keep_signature(store_dir: str | Path, sig: dict) -> bool:
    """Save a case's signature in the store; a case without sentences (its review was saved before the
    tool kept them) takes the sentences of the signature kept for the same sources (a batch's).  False when
    it could not be saved (the comparison is a help: a read-only store must not stop the review)."""
    old = load_signature(signature_path(store_dir, sig["case_id"]))
    if not sig.get("sentences"):
        if old and sorted(old.get("digests", [])) == sorted(sig.get("digests", [])) and old.get("sentences"):
            sig = dict(sig, sentences=old["sentences"])
    if old is not None and _dumps(old) == _dumps(sig):
        return True  # unchanged: not written again, so the district index cached on its mtime stays valid
    try:
        save_signature(store_dir, sig)
    except (OSError, TypeError, ValueError) as e:
        log.warning("copies signature of %s not saved: %s", sig.get("case_id"), e)
        return False
    return True


def record_signature(workspace: Any, case_id: str, case: Case) -> dict:
    """Keep a case's signature in the workspace's store (after it was extracted or opened)."""
    sig = signature_for(workspace, case_id, case)
    keep_signature(workspace.store_dir, sig)
    return sig


def copy_findings(workspace: Any, case_id: str, case: Case | None = None) -> list[Finding]:
    """The copy findings of a workspace case over every case of the workspace whose signature is known
    (``case``, when given, is recorded first: the window passes the case it opened)."""
    if case is None:
        return workspace_index(workspace).findings(case_id)
    return comparison(workspace, case_id, case)() or []


def comparison(workspace: Any, case_id: str, case: Case) -> Callable[[], list[Finding] | None]:
    """The window's job: the workspace and the case read now, on the caller's thread; the returned function
    (run off the UI thread) keeps the case's signature and compares it with the district's: its findings,
    or None while too few units are known to compare (``DistrictIndex.comparable``)."""
    view = WorkspaceView.of(workspace)
    sig = signature_for(workspace, case_id, case)

    def run() -> list[Finding] | None:
        index = workspace_index(view) if keep_signature(view.store_dir, sig) else workspace_index(view, [sig])
        return index.findings(case_id) if index.comparable else None

    return run


def attach(case: Case, findings: Iterable[Finding], *, compared: bool = True) -> bool:
    """Put the copy findings into the case (``case.extra["district_copies"]``) for ``core.checks.copies``;
    an empty list says the case was compared and nothing found (the coverage of the review says so);
    ``compared`` False takes any earlier comparison out.  True when something changed: the caller re-runs
    the checks (``recheck`` or ``ReviewSession.refresh``)."""
    new = [f.to_json() for f in findings] if compared else None
    old = case.extra.get(COPIES_KEY)
    if old == new:
        return False
    if new is not None:
        case.extra[COPIES_KEY] = new
    else:
        case.extra.pop(COPIES_KEY, None)
    from core.checks.registry import invalidate

    invalidate(case, CHECKS)  # they read ``extra``, which the runner does not track: they run again
    return True


def district_rows(index: DistrictIndex) -> list[dict[str, Any]]:
    """The district list of matches, one row per place pair, for ``main.py batch``."""
    names = {CHECK_TEXT: "文字相同", CHECK_INDICATORS: "绩效指标相同", CHECK_FIGURES: "数字相同",
             CHECK_UNIT_NAME: "出现其他单位名称"}
    rows = []
    for m in index.matches():
        for a, b in m.items or [(m.a, m.b)]:
            rows.append({"kind": names[m.kind], "check": m.kind, "unit_a": a.unit, "place_a": a.where,
                         "file_a": index.sigs[a.case_id].raw.get("docs", {}).get(a.doc, ""), "page_a": a.page,
                         "text_a": a.text, "unit_b": b.unit, "place_b": b.where if b.page else "",
                         "file_b": index.sigs[b.case_id].raw.get("docs", {}).get(b.doc, "") if b.doc else "",
                         "page_b": b.page or None, "text_b": b.text})
    return rows
