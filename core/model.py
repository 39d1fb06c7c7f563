"""The review case and everything in it, as plain dataclasses.

Why this module exists: every layer (extraction, checks, scoring, review, export, the window) speaks these
types and nothing else, so none of them needs to know about pdfplumber, openpyxl or Qt.  The JSON form is the
public contract of ``../shared/spec/contract.md``; ``Case.to_json`` / ``Case.from_json`` are the only
serialisers.

What it must not do: import any outside library, or hold logic beyond (de)serialisation and look-ups.
Money is ``Decimal`` here from parse to export; JSON numbers are written from ``Decimal`` through ``float``
only for values of at most 15 significant digits, which round-trip exactly, and read back as ``Decimal``.
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from typing import Any, Callable, Iterable, Iterator

SCHEMA = "review-case/1"

BBox = tuple[float, float, float, float]
"""``(x0, top, x1, bottom)`` in PDF points from the page's top-left, as pdfplumber reports."""

Value = Decimal | str | None


def union_bbox(boxes: Iterable[BBox]) -> BBox:
    """The smallest box that holds all ``boxes`` (which must not be empty); their coordinates gathered by
    ``zip`` (every line of every page asks for its box)."""
    cols = tuple(zip(*boxes))
    return (min(cols[0]), min(cols[1]), max(cols[2]), max(cols[3]))


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class SourceRef:
    """A place in the package: document id, 1-based page, box on that page."""

    doc: str
    page: int
    bbox: BBox

    def to_json(self) -> dict:
        return {"doc": self.doc, "page": self.page, "bbox": _bbox_json(self.bbox)}

    @staticmethod
    def from_json(d: dict) -> "SourceRef":
        return SourceRef(d["doc"], int(d["page"]), tuple(float(x) for x in d["bbox"]))  # type: ignore[arg-type]


class _Reads(threading.local):
    """Each thread's own stack of read sets: a check run in a background job (the window's reading or export)
    must neither note the reads of the UI thread nor lose its own to another thread's computation."""

    def __init__(self) -> None:
        self.stack: list[set] = []


_READS = _Reads()
"""While a check runs, the set on top of this thread's stack (``_READS.stack``) notes the id of every field whose
``value`` or ``raw`` is read (``core.checks.registry`` pushes one set per check, and one per shared computation,
which it merges into the check's when done), so an edit re-runs only the checks that read the edited field.  Empty
outside a check run: reading a value then costs one attribute and one list test."""


def tracking() -> bool:
    """Whether this thread is inside a tracked computation (a check run)."""
    return bool(_READS.stack)


def note_reads(ids: Iterable[str]) -> None:
    """Note reads of these fields' values for the computation under way, for a result computed earlier
    from them and served again (its computation's reads were noted for the check that ran it)."""
    stack = _READS.stack
    if stack:
        stack[-1].update(ids)


def compute_tracked(inner: set, compute: Callable[[], Any]) -> Any:
    """Run ``compute`` noting in ``inner`` the ids of the fields whose values it reads, then credit them to
    the computation under way that asked for it (if any)."""
    stack = _READS.stack
    stack.append(inner)
    try:
        return compute()
    finally:
        stack.pop()
        note_reads(inner)


class _NotedValue:
    """``Field.value`` / ``Field.raw``: stored in the instance, each read noted on the top set of the reading
    thread's stack (``_READS``)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj, owner=None, _reads=_READS):
        if obj is None:
            return self
        d = obj.__dict__
        stack = _reads.stack
        if stack:
            stack[-1].add(d["id"])
        return d[self.name]

    def __set__(self, obj, value) -> None:
        obj.__dict__[self.name] = value


@dataclass
class Field:
    """One printed statement of a quantity (or a text value) with its place.

    The same ``key`` may occur many times: every place a quantity is stated is its own Field.
    ``value`` keeps the document's unit (元 or 万元 for money; percent as 88.23 with unit "%").
    ``attrs`` carries extractor-specific context that checks may use, e.g. for narrative statements
    ``{"sentence": "...", "subject": "行政运行（项）"}``; it is serialised as-is (strings and numbers only).
    """

    key: str
    value: Value
    unit: str
    raw: str
    source: SourceRef
    label: str = ""
    confidence: float = 1.0
    form: str = ""  # the document kind it was read from: 基础数据表 / 自评表 / 决算 / 自评报告 / 决算说明
    id: str = ""  # stable within a case ("f1", "f2", ...), assigned by the pipeline; corrections refer to it
    attrs: dict[str, Any] = field(default_factory=dict)

    @property
    def doc(self) -> str:
        return self.source.doc

    @property
    def page(self) -> int:
        return self.source.page

    @property
    def bbox(self) -> BBox:
        return self.source.bbox

    def to_json(self) -> dict:
        d = {
            "id": self.id,
            "key": self.key,
            "label": self.label,
            "value": _value_json(self.value),
            "unit": self.unit,
            "raw": self.raw,
            "doc": self.source.doc,
            "page": self.source.page,
            "bbox": _bbox_json(self.source.bbox),
            "confidence": round(self.confidence, 3),
            "form": self.form,
        }
        if self.attrs:
            d["attrs"] = {k: _value_json(v) for k, v in self.attrs.items()}
        return d

    @staticmethod
    def from_json(d: dict) -> "Field":
        return Field(
            key=d["key"],
            value=_keep_printed_scale(_value_from_json(d.get("value")), d.get("raw", "")),
            unit=d.get("unit", ""),
            raw=d.get("raw", ""),
            source=SourceRef.from_json(d),
            label=d.get("label", ""),
            confidence=float(d.get("confidence", 1.0)),
            form=d.get("form", ""),
            id=d.get("id", ""),
            attrs={k: _value_from_json(v) for k, v in d.get("attrs", {}).items()},
        )


def uncertainty(f: "Field") -> str:
    """Why a printed figure is not certain enough to carry an error finding, or "" when it is.

    A figure is certain when it was read from an unambiguous place: a table cell with known row and column,
    or a narrative clause whose frame (``attrs["frame"]``, see docs/fields-extended.md) is complete — subject,
    scope and period explicit or inherited by a rule.  A value read by OCR is not, until the reviewer has
    accepted or corrected it (``REVIEWED_ATTR``); nor is one an extractor marked ``attrs["uncertain"]``.  ``core.checks.registry`` turns an error that
    rests on such a figure into a warning that says what to look at."""
    a = f.attrs
    why = a.get("uncertain")
    if why:
        return why if isinstance(why, str) else "口径不明确"
    frame = a.get("frame")
    if isinstance(frame, dict) and not frame.get("complete", True):
        return str(frame.get("why") or "口径不明确")
    if a.get("ocr") and not a.get(REVIEWED_ATTR):
        # a scan's figure is never more certain than its reading: until the reviewer accepted or corrected it,
        # a total that does not add up flags its cells for a look, it is not yet an error
        return "文字识别（OCR）把握不足" if f.confidence < 0.9 else "文字识别（OCR）读出，尚未与原件核对"
    return ""


REVIEWED_ATTR = "reviewed"
"""``Field.attrs[REVIEWED_ATTR]`` is True once the reviewer accepted the value as read or corrected it
(``core.review.session``): an OCR value is then as certain as a printed one."""


# installed after @dataclass has read the class (a descriptor in the body would be taken for a default)
Field.value = _NotedValue("value")  # type: ignore[assignment]
Field.raw = _NotedValue("raw")  # type: ignore[assignment]


@dataclass
class Indicator:
    """One 绩效指标 row of a 自评表, with 一级/二级 inherited from the merged cells above it.

    ``weight`` (分值) and ``score`` (得分) are Decimal or None when blank; ``target`` and ``actual`` are the
    printed strings (parse them with ``core.numbers.parse_target``).  ``cells`` holds the box of each printed
    cell by column name ("level3", "target", "actual", "weight", "score", "deviation") so a finding can point
    at the exact cell.
    """

    level1: str
    level2: str
    level3: str
    target: str
    actual: str
    weight: Decimal | None
    score: Decimal | None
    deviation: str
    source: SourceRef
    cells: dict[str, BBox] = field(default_factory=dict)
    id: str = ""  # "i1", "i2", ... assigned by the pipeline

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "level1": self.level1,
            "level2": self.level2,
            "level3": self.level3,
            "target": self.target,
            "actual": self.actual,
            "weight": _value_json(self.weight),
            "score": _value_json(self.score),
            "deviation": self.deviation,
            "doc": self.source.doc,
            "page": self.source.page,
            "bbox": _bbox_json(self.source.bbox),
            "cells": {k: _bbox_json(v) for k, v in self.cells.items()},
        }

    @staticmethod
    def from_json(d: dict) -> "Indicator":
        return Indicator(
            level1=d.get("level1", ""),
            level2=d.get("level2", ""),
            level3=d.get("level3", ""),
            target=d.get("target", ""),
            actual=d.get("actual", ""),
            weight=_decimal_or_none(d.get("weight")),
            score=_decimal_or_none(d.get("score")),
            deviation=d.get("deviation", ""),
            source=SourceRef.from_json(d),
            cells={k: tuple(float(x) for x in v) for k, v in d.get("cells", {}).items()},  # type: ignore[misc]
            id=d.get("id", ""),
        )


@dataclass
class AccountLine:
    """One 科目 line of a 决算 table (公开02/03/05 or 07/08): code, name and every column by name.

    ``table`` is "t02", "t03", "t05", ...; ``columns`` maps a column name ("total", "fiscal", "basic",
    "project", ...) to its Decimal value: a blank cell ("", "—", "-", "/") of a row that prints figures is
    a printed zero (0, ``raw`` as printed), None is a figure that could not be read.  ``unit`` is the
    table's unit; ``level`` is "类", "款" or "项" (from the code's length or the 类/款/项 columns), "" for
    the 合计 line.
    """

    table: str
    code: str
    name: str
    columns: dict[str, Decimal | None]
    unit: str
    source: SourceRef
    level: str = ""
    raw: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "table": self.table,
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "columns": {k: _value_json(v) for k, v in self.columns.items()},
            "raw": dict(self.raw),
            "unit": self.unit,
            "doc": self.source.doc,
            "page": self.source.page,
            "bbox": _bbox_json(self.source.bbox),
        }

    @staticmethod
    def from_json(d: dict) -> "AccountLine":
        return AccountLine(
            table=d["table"],
            code=d.get("code", ""),
            name=d.get("name", ""),
            columns={k: _decimal_or_none(v) for k, v in d.get("columns", {}).items()},
            unit=d.get("unit", ""),
            source=SourceRef.from_json(d),
            level=d.get("level", ""),
            raw={k: str(v) for k, v in (d.get("raw") or {}).items()},
        )


@dataclass
class Finding:
    """A failed consistency check: what disagrees, by how much, and every place involved."""

    check: str
    severity: Severity
    message: str
    keys: list[str] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    locations: list[SourceRef] = field(default_factory=list)

    @property
    def fingerprint(self) -> str:
        """Identity that survives re-running the checks: check id, keys and the pages involved.

        A reviewer's decision (已核实 / 不适用) is stored against this, so it sticks to "the same problem"
        even when a correction changes the numbers in it.
        """
        places = sorted({(loc.doc, loc.page) for loc in self.locations})
        stamp = (self.check, tuple(sorted(self.keys)), tuple(places))
        cached = self.__dict__.get("_fingerprint")
        if cached is not None and cached[0] == stamp:
            return cached[1]
        raw = json.dumps([self.check, list(stamp[1]), places], ensure_ascii=False)
        fp = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]
        self.__dict__["_fingerprint"] = (stamp, fp)
        return fp

    def to_json(self) -> dict:
        return {
            "check": self.check,
            "severity": self.severity.value,
            "message": self.message,
            "keys": list(self.keys),
            "values": [_value_json(v) for v in self.values],
            "locations": [loc.to_json() for loc in self.locations],
            "fingerprint": self.fingerprint,
        }

    @staticmethod
    def from_json(d: dict) -> "Finding":
        return Finding(
            check=d["check"],
            severity=Severity(d["severity"]),
            message=d.get("message", ""),
            keys=list(d.get("keys", [])),
            values=[_value_from_json(v) for v in d.get("values", [])],
            locations=[SourceRef.from_json(x) for x in d.get("locations", [])],
        )


@dataclass
class DocumentInfo:
    """A source file of the case: identity, size, which pages hold which form, and what was wrong with it.

    ``kinds`` maps a form name (基础数据表, 自评表, 自评报告, 决算说明, 公开01 … 公开09, 部门预算, 空白模板,
    扫描件 …) to its 1-based pages.  ``problems`` are ``{"code": ..., "message": <Chinese>}`` records.
    """

    id: str
    path: str
    sha256: str
    pages: int
    kinds: dict[str, list[int]] = field(default_factory=dict)
    problems: list[dict[str, str]] = field(default_factory=list)
    unit_name: str = ""
    year: int | None = None

    def to_json(self) -> dict:
        d: dict[str, Any] = {
            "id": self.id,
            "path": self.path,
            "sha256": self.sha256,
            "pages": self.pages,
            "kinds": {k: list(v) for k, v in self.kinds.items()},
            "problems": list(self.problems),
        }
        if self.unit_name:
            d["unit_name"] = self.unit_name
        if self.year is not None:
            d["year"] = self.year
        return d

    @staticmethod
    def from_json(d: dict) -> "DocumentInfo":
        return DocumentInfo(
            id=d["id"],
            path=d["path"],
            sha256=d.get("sha256", ""),
            pages=int(d.get("pages", 0)),
            kinds={k: [int(p) for p in v] for k, v in d.get("kinds", {}).items()},
            problems=list(d.get("problems", [])),
            unit_name=d.get("unit_name", ""),
            year=d.get("year"),
        )


REVIEW_SCORES_KEY = "review_scores"
"""The case JSON's top-level copy of ``scores["review"]`` (the 复核评分), written from it and not kept apart."""


@dataclass
class Case:
    """One department's package under review: the output of ``extract`` and the input of everything else."""

    documents: list[DocumentInfo] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    account_lines: list[AccountLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    scores: dict[str, Any] = field(default_factory=dict)
    tool_version: str = ""
    extra: dict[str, Any] = field(default_factory=dict)  # keys written by later layers (review, corrections)

    def __getstate__(self) -> dict[str, Any]:
        """Copies and pickles carry the data only: caches kept in ``__dict__`` under a leading underscore
        (the key index, a re-check's memos) belong to this object and are rebuilt on demand."""
        return {k: v for k, v in self.__dict__.items() if not k.startswith("_")}

    # -- look-ups used by checks -------------------------------------------------------------------------
    def _key_index(self) -> dict[str, list[Field]]:
        """Fields by key, rebuilt whenever the list of fields is not the one it was built from (a field's
        key never changes; corrections change values only, which the index does not hold)."""
        return self._indexes()[0]

    def structure_stamp(self) -> tuple:
        """Changes whenever ``fields`` is another list or fields are added or removed (a correction replaces
        the list when it adds a field, and changes values only otherwise)."""
        return (id(self.fields), len(self.fields), id(self.fields[0]) if self.fields else 0,
                id(self.fields[-1]) if self.fields else 0)

    def _indexes(self) -> tuple[dict[str, list[Field]], dict[int, int]]:
        """The key index and each field's position in ``fields`` (by object id)."""
        stamp = self.structure_stamp()
        cached = self.__dict__.get("_index")
        if cached is None or cached[0] != stamp:
            index: dict[str, list[Field]] = {}
            for f in self.fields:
                index.setdefault(f.key, []).append(f)
            cached = (stamp, index, {id(f): i for i, f in enumerate(self.fields)})
            self.__dict__["_index"] = cached
        return cached[1], cached[2]

    def all(self, key: str) -> list[Field]:
        """Every field with exactly this key, in document order."""
        return list(self._key_index().get(key, ()))

    def first(self, key: str) -> Field | None:
        found = self._key_index().get(key)
        return found[0] if found else None

    def value(self, key: str) -> Value:
        f = self.first(key)
        return f.value if f is not None else None

    def with_prefix(self, prefix: str) -> Iterator[Field]:
        """Every field whose key starts with ``prefix``, in document order (found from the key index; a
        prefix that takes a large share of the fields is quicker to find by going through them)."""
        index, pos = self._indexes()
        groups = [fs for key, fs in index.items() if key.startswith(prefix)]
        if len(groups) == 1:
            return iter(list(groups[0]))
        found = sum(map(len, groups))
        if found * 8 > len(self.fields):
            return (f for f in self.fields if f.key.startswith(prefix))
        return iter(sorted((f for fs in groups for f in fs), key=lambda f: pos[id(f)]))

    def with_prefixes(self, *prefixes: str) -> list[Field]:
        """Every field whose key starts with one of ``prefixes``, grouped by key (keys in order of first
        appearance, each key's fields in document order): found from the key index, not a scan."""
        return [f for key, fs in self._key_index().items() if key.startswith(prefixes) for f in fs]

    def field_by_id(self, fid: str) -> Field | None:
        for f in self.fields:
            if f.id == fid:
                return f
        return None

    def document(self, doc_id: str) -> DocumentInfo | None:
        for d in self.documents:
            if d.id == doc_id:
                return d
        return None

    def assign_ids(self) -> None:
        """Number fields and indicators in order (f1…, i1…) where they have no id yet."""
        _number(self.fields, "f")
        _number(self.indicators, "i")

    # -- JSON ----------------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "tool_version": self.tool_version,
            "documents": [x.to_json() for x in self.documents],
            "fields": [x.to_json() for x in self.fields],
            "indicators": [x.to_json() for x in self.indicators],
            "findings": [x.to_json() for x in self.findings],
            "scores": _jsonable(self.scores),
            "accounts": {"lines": [x.to_json() for x in self.account_lines]},
        }
        for k, v in self.extra.items():
            d[k] = _jsonable(v)
        review = d["scores"].get("review") if isinstance(d["scores"], dict) else None
        if review is not None:  # the 复核评分 at the top level too (docs/fields-extended.md): scores.review itself
            d[REVIEW_SCORES_KEY] = review
        return d

    def dumps(self) -> str:
        return readable_json(self.to_json())

    @staticmethod
    def from_json(d: dict) -> "Case":
        known = {"schema", "tool_version", "documents", "fields", "indicators", "findings", "scores", "accounts",
                 REVIEW_SCORES_KEY}
        scores = d.get("scores", {})
        if isinstance(scores, dict) and "review" not in scores and isinstance(d.get(REVIEW_SCORES_KEY), dict):
            scores = {**scores, "review": d[REVIEW_SCORES_KEY]}  # a file that kept the review at the top only
        return Case(
            documents=[DocumentInfo.from_json(x) for x in d.get("documents", [])],
            fields=[Field.from_json(x) for x in d.get("fields", [])],
            indicators=[Indicator.from_json(x) for x in d.get("indicators", [])],
            account_lines=[AccountLine.from_json(x) for x in d.get("accounts", {}).get("lines", [])],
            findings=[Finding.from_json(x) for x in d.get("findings", [])],
            scores=scores,
            tool_version=d.get("tool_version", ""),
            extra={k: v for k, v in d.items() if k not in known},
        )

    @staticmethod
    def loads(text: str) -> "Case":
        return Case.from_json(json.loads(text, parse_float=Decimal))


def _number(items: list, prefix: str) -> None:
    """Give every item without an id the next free ``<prefix><n>``."""
    used = {x.id for x in items if x.id}
    n = 0
    for x in items:
        if not x.id:
            n += 1
            while f"{prefix}{n}" in used:
                n += 1
            x.id = f"{prefix}{n}"
            used.add(x.id)


# -- JSON helpers ------------------------------------------------------------------------------------------

def _bbox_json(b: BBox) -> list[float]:
    return [round(float(x), 2) for x in b]


def _value_json(v: Any) -> Any:
    """Decimal → JSON number (exact for ≤ 15 significant digits, which covers every printed amount)."""
    if isinstance(v, Decimal):
        if v == v.to_integral_value() and abs(v) < Decimal(10) ** 15:
            return int(v)
        return float(v)
    return v


def _value_from_json(v: Any) -> Any:
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, int) and not isinstance(v, bool):
        return Decimal(v)
    return v


def _keep_printed_scale(v: Any, raw: str) -> Any:
    """JSON numbers lose trailing zeros (85.00 → 85); checks compare at the printed precision, so a value
    read back from JSON takes the scale of its printed text when the printed digits are the same number."""
    if not isinstance(v, Decimal) or not raw:
        return v
    import re

    m = re.search(r"\d[\d,，\s]*(?:[.．]\s*\d+)?", raw.replace("．", "."))
    if not m:
        return v
    digits = re.sub(r"[,，\s]", "", m.group(0))
    try:
        printed = Decimal(digits)
    except Exception:
        return v
    if printed == abs(v):
        return printed.copy_sign(v) if v != 0 else printed
    return v


def _decimal_or_none(v: Any) -> Decimal | None:
    if v is None or v == "":
        return None
    if isinstance(v, Decimal):
        return v
    if isinstance(v, float):
        return Decimal(repr(v))
    return Decimal(str(v))


def _one_line_encoder(allow_nan: bool) -> Callable[[Any], str]:
    """``JSONEncoder(…).encode`` without its per-call set-up: the C encoder made once (``encode`` makes one
    per call, a third of the time on a case's thousand small items), checked against ``encode`` on a probe;
    ``encode`` itself where that C encoder is not there or differs."""
    plain = json.JSONEncoder(ensure_ascii=False, allow_nan=allow_nan, separators=(", ", ": "))
    try:
        from json.encoder import c_make_encoder, encode_basestring

        made = c_make_encoder(None, plain.default, encode_basestring, None, ": ", ", ", False, False, allow_nan)

        def encode(o: Any, _made=made, _join="".join, _str=str, _text=encode_basestring) -> str:
            return _text(o) if o.__class__ is _str else _join(_made(o, 0))

        probe = {"a": [1.5, -2, "名\"", None, True, {}], "b": {"c": 0.1}}
        if encode(probe) == plain.encode(probe):
            return encode
    except Exception:  # noqa: BLE001 - another Python's json: its public encoder
        pass
    return plain.encode


_ENCODE = {nan: _one_line_encoder(nan) for nan in (False, True)}


def readable_json(o: Any, allow_nan: bool = True) -> str:
    """JSON for people reading the file as well as for programs: the top level one entry per line, each
    entry of a top-level list or dict (a field, a finding, a correction…) on one line of its own, and the
    lists inside those (an account's lines) one item per line; everything below on the item's line.

    Each one-line part goes through ``json``'s C encoder in one call (``json.dumps(indent=…)`` falls back
    to the pure-Python encoder: 4× slower on a case).  A part holding a ``Decimal`` is written with the
    Decimal's exact digits (``json`` would need a float, dropping 0.960's zero).
    """
    return _readable(o, 0, _ENCODE[allow_nan])


def _readable(o: Any, depth: int, encode: Callable[[Any], str]) -> str:
    is_dict = isinstance(o, dict)
    if not ((is_dict and depth < 2) or (depth < 3 and isinstance(o, (list, tuple)))):
        return _one_line(o, encode)
    if is_dict:
        items = [f"{encode(_json_key(k))}: {_readable(v, depth + 1, encode)}" for k, v in o.items()]
    elif depth == 2:  # a list inside an item: its items one per line, each on one line
        items = [_one_line(v, encode) for v in o]
    else:
        items = [_readable(v, depth + 1, encode) for v in o]
    open_, close = ("{", "}") if is_dict else ("[", "]")
    if not items:
        return open_ + close
    pad = "\n" + " " * (depth + 1)
    return open_ + pad + ("," + pad).join(items) + "\n" + " " * depth + close


def _one_line(o: Any, encode: Callable[[Any], str]) -> str:
    try:
        return encode(o)
    except TypeError:  # holds a Decimal (or is no JSON at all): written part by part
        if isinstance(o, Decimal):
            if not o.is_finite():
                raise ValueError(f"not a finite number: {o}") from None
            return str(o)
        if isinstance(o, dict):
            return "{" + ", ".join(f"{encode(_json_key(k))}: {_one_line(v, encode)}" for k, v in o.items()) + "}"
        if isinstance(o, (list, tuple)):
            return "[" + ", ".join(_one_line(v, encode) for v in o) + "]"
        raise


def _json_key(k: Any) -> str:
    """A dict key as ``json`` writes it (True as "true", 1.5 as "1.5")."""
    if isinstance(k, str):
        return k
    if k is True or k is False or k is None:
        return {True: "true", False: "false", None: "null"}[k]
    if isinstance(k, (int, float)):
        return json.dumps(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(k).__name__}")


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    return _value_json(v)
