"""Which checks ran on a case, which could not, and why: the review's scope (issue 20).

Why it exists: a check whose figures are not in the package (a form missing, a table unreadable) returns no
finding, which reads as "passed".  This module lists every check of the catalogue for a case with one of three
statuses — 自动完成 (with its result), 取数不足，需人工核对 (naming what could not be read), 不适用 (naming why)
— so the 复核意见 can state its scope and a reviewer can check by hand what the tool could not.

What each check needs is data, not guessed from the code: ``resources/check_inputs.json`` lists per check its
*sources* (a form and the figures it must yield; see the file's description), and a test makes every registered
check appear there, so a new check cannot silently be missing from the coverage.  Whether a form is present
comes from the documents' classified page kinds; whether its figures were read, from the case's fields,
account lines and indicator rows; whether a page could not be read at all, from the documents' reading problems
(scans without text, garbled text layers, pages that failed) and the files that could not be opened.

A reviewer's verdict on a check (通过 / 不通过 / 不适用 + note, who and when) is stored by the review
(``core.review.corrections.CheckVerdictLog``); ``coverage`` takes the holding verdicts by check id and shows
them with the item.  ``review_complete`` says whether a package may be called 复核完成.

What it must not do: run checks (it reads ``case.findings``), import Qt or the export, or change the case.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.model import Case, Severity, readable_json
from core.resources import resource_path

AUTO = "自动完成"
SHORT = "取数不足，需人工核对"
NOT_APPLICABLE = "不适用"
STATUSES: tuple[str, ...] = (AUTO, SHORT, NOT_APPLICABLE)

PASS = "通过"
FAIL = "不通过"
MANUAL_NOT_APPLICABLE = "不适用"
MANUAL_VERDICTS: tuple[str, ...] = (PASS, FAIL, MANUAL_NOT_APPLICABLE)
"""A reviewer's verdict on a check; "" (reopened) withdraws one."""

VERDICTS_KEY = "check_verdicts"
"""``case.extra[VERDICTS_KEY]``: the reviewer's holding verdicts by check id, put there by the review session
(``ReviewSession``) so that whoever has the case (export, command line) sees them; ``coverage`` reads them when
not given any."""

UNREADABLE_CODES = frozenset({"scanned", "scanned_pages", "garbled", "page_error", "internal_error"})
"""Reading problems (``DocumentInfo.problems``) after which a page's figures are not in the case."""
_WHOLE_DOC_CODES = frozenset({"scanned", "internal_error"})
_PAGES = re.compile(r"第([\d、,，\-–]+)页")


# -- the data -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Source:
    """One input of a check: a form (or any of several) and the figures it must yield."""

    forms: tuple[str, ...]
    needs: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # "if": the source takes part only when these are in the case
    absent: str = ""                  # why it does not take part when a condition is not met
    main: bool = False


@dataclass(frozen=True)
class CheckInputs:
    check_id: str
    sources: tuple[Source, ...]
    min: int
    why: str = ""


@dataclass(frozen=True)
class FormInfo:
    kinds: tuple[str, ...]
    fields: tuple[str, ...]  # Field.form values that count for this form ("" = any)
    name: str


@dataclass(frozen=True)
class Catalogue:
    forms: dict[str, FormInfo]
    figures: dict[str, str]
    checks: dict[str, CheckInputs]
    names: dict[str, str]  # check id → Chinese name (resources/checks.json)
    empty_notes: tuple[str, ...] = ()  # words of a note saying a table printed without figures has no data


@lru_cache(maxsize=4)
def catalogue(path: str | None = None, names_path: str | None = None) -> Catalogue:
    """``resources/check_inputs.json`` (and the Chinese check names of ``resources/checks.json``)."""
    data = json.loads(Path(path or resource_path("check_inputs.json")).read_text(encoding="utf-8"))
    forms = {k: FormInfo(tuple(v["kinds"]), tuple(v.get("fields", ())), str(v["name"]))
             for k, v in data["forms"].items()}
    checks: dict[str, CheckInputs] = {}
    for cid, spec in data["checks"].items():
        sources = tuple(Source(forms=tuple(s["form"].split("|")), needs=tuple(s.get("needs", ())),
                               conditions=tuple(s.get("if", ())), absent=str(s.get("absent", "")),
                               main=bool(s.get("main", False)))
                        for s in spec["sources"])
        for s in sources:
            unknown = [f for f in s.forms if f not in forms]
            if unknown:
                raise ValueError(f"{cid}: unknown form {unknown}")
        checks[cid] = CheckInputs(cid, sources, int(spec.get("min", len(sources))), str(spec.get("why", "")))
    from core.checks.names import check_catalogue  # the one reader of checks.json

    names = {cid: c.name for cid, c in check_catalogue(names_path).checks.items()}
    return Catalogue(forms, {str(k): str(v) for k, v in data.get("figures", {}).items()}, checks, names,
                     tuple(str(w) for w in data.get("empty_table_notes", ())))


# -- the result -----------------------------------------------------------------------------------------------

@dataclass
class CoverageItem:
    """One check of the catalogue on one case.

    ``status`` is ``AUTO`` / ``SHORT`` / ``NOT_APPLICABLE``.  ``result`` says what an automatic check found
    ("通过", or "错误2项、提示1项") with ``findings`` the fingerprints of its findings; ``why`` says what could
    not be read (``SHORT``), why the check does not apply (``NOT_APPLICABLE``), or, for a check that ran on part
    of its sources, what it did not compare.  ``verdict`` / ``note`` / ``reviewer`` / ``time``: the reviewer's
    holding verdict on the check ("" when none)."""

    check_id: str
    name: str
    status: str
    result: str = ""
    why: str = ""
    findings: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    verdict: str = ""
    note: str = ""
    reviewer: str = ""
    time: str = ""
    pages: list[tuple[str, int]] = field(default_factory=list)  # (doc, page) of the forms not read (取数不足)

    @property
    def is_open(self) -> bool:
        """A required check still open: its figures could not be read and no reviewer has given a verdict."""
        return self.status == SHORT and not self.verdict

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"check": self.check_id, "name": self.name, "status": self.status}
        if self.status == AUTO:
            d["result"] = self.result
            d["errors"], d["warnings"] = self.errors, self.warnings
            d["findings"] = list(self.findings)
        if self.why:
            d["why"] = self.why
        if self.verdict:
            d["verdict"] = {"status": self.verdict, "note": self.note, "reviewer": self.reviewer, "time": self.time}
        return d


# -- what the case holds --------------------------------------------------------------------------------------

class _Holdings:
    """What is in the case, indexed once: page kinds, field keys by form, account tables, unreadable pages."""

    def __init__(self, case: Case, cat: Catalogue) -> None:
        self.case = case
        self.cat = cat
        self.kinds: dict[str, list[tuple[str, int]]] = {}
        for d in case.documents:
            for kind, pages in d.kinds.items():
                self.kinds.setdefault(kind, []).extend((d.id, p) for p in pages)
        self.keys_by_form: dict[str, set[str]] = {}
        for f in case.fields:
            self.keys_by_form.setdefault(f.form, set()).add(f.key)
        self.tables = {ln.table for ln in case.account_lines}
        self.indicators = bool(case.indicators)
        self.bad_pages: dict[str, tuple[set[int] | None, list[str]]] = {}  # doc → (pages or None = all, messages)
        for d in case.documents:
            for p in d.problems:
                if p.get("code") not in UNREADABLE_CODES:
                    continue
                pages, msgs = self.bad_pages.setdefault(d.id, (set(), []))
                msgs.append(str(p.get("message", "")))
                if p.get("code") in _WHOLE_DOC_CODES or pages is None:
                    self.bad_pages[d.id] = (None, msgs)
                else:
                    pages.update(_page_numbers(str(p.get("message", ""))))
        self.unread_files = [p for p in (case.extra.get("unreadable") or [])
                             if isinstance(p, dict) and p.get("code") != "duplicate"]
        self.figureless: dict[tuple[str, int], list[str]] = {}  # 决算 table pages printed without a figure
        for e in case.extra.get("figureless_tables") or []:  # core.extraction.accounts.FIGURELESS_KEY
            if isinstance(e, Mapping):
                self.figureless[(str(e.get("doc", "")), int(e.get("page", 0)))] = [str(n) for n in e.get("notes", [])]

    def present(self, form: str) -> bool:
        return any(self.kinds.get(k) for k in self.cat.forms[form].kinds)

    def pages(self, form: str) -> list[tuple[str, int]]:
        return sorted({dp for k in self.cat.forms[form].kinds for dp in self.kinds.get(k, ())})

    def pages_of(self, forms: Iterable[str]) -> list[tuple[str, int]]:
        """The pages of ``forms``, form by form."""
        return [dp for f in forms for dp in self.pages(f)]

    def has(self, need: str, forms: Iterable[str]) -> bool:
        """Whether one of the alternatives of ``need`` ("a|b.*|lines:t03|indicators|extra:k") is in the case, counting
        only fields read from ``forms``."""
        field_forms = {ff for f in forms for ff in self.cat.forms[f].fields}
        for alt in need.split("|"):
            if alt == "indicators":
                if self.indicators:
                    return True
                continue
            if alt.startswith("extra:"):  # a result a later layer put into the case (e.g. the district's copies)
                if alt[6:] in self.case.extra:
                    return True
                continue
            if alt.startswith("lines:"):
                if alt[6:] in self.tables:
                    return True
                continue
            pools = ([keys for form, keys in self.keys_by_form.items() if form in field_forms] if field_forms
                     else list(self.keys_by_form.values()))
            if alt.endswith(".*"):
                prefix = alt[:-1]
                if any(k.startswith(prefix) for keys in pools for k in keys):
                    return True
            elif any(alt in keys for keys in pools):
                return True
        return False

    def unreadable_on(self, form: str) -> list[str]:
        """The reading problems of the pages that hold ``form``."""
        out: list[str] = []
        for doc, page in self.pages(form):
            bad = self.bad_pages.get(doc)
            if bad is None:
                continue
            pages, msgs = bad
            if pages is None or page in pages:
                out.extend(m for m in msgs if m not in out)
        return out

    def printed_empty(self, forms: Iterable[str]) -> str:
        """Why ``forms`` hold no figure by the department's own statement: every page of them printed no
        figure and one carries a note saying there is no data ("…没有财政拨款“三公”经费支出，故本表无数据");
        "" otherwise (a table without figures and without such a note is still 取数不足)."""
        pages = self.pages_of(forms)
        if not pages or not self.cat.empty_notes or any(dp not in self.figureless for dp in pages):
            return ""
        notes = [n for dp in pages for n in self.figureless[dp] if any(w in n for w in self.cat.empty_notes)]
        if not notes:
            return ""
        where = "、".join(f"第{p}页" for _, p in pages)
        return f"{_form_names(self.cat, forms)}（{where}）未印数字，表内注明：{notes[0].rstrip('。.；; ')}"

    def unreadable_anywhere(self) -> list[str]:
        """Every page or file of the package that could not be read (a missing form may be in one of them)."""
        out: list[str] = []
        for d in self.case.documents:
            bad = self.bad_pages.get(d.id)
            if bad is not None:
                out.extend(f"{Path(d.path).name}：{m}" for m in bad[1])
        for p in self.unread_files:
            out.append(f"{Path(str(p.get('path', ''))).name}：{p.get('message', '')}")
        return out


def _page_numbers(message: str) -> set[int]:
    out: set[int] = set()
    for m in _PAGES.finditer(message):
        for part in re.split(r"[、,，]", m.group(1)):
            if re.fullmatch(r"\d+[\-–]\d+", part):
                a, b = (int(x) for x in re.split(r"[\-–]", part))
                out.update(range(a, b + 1))
            elif part.isdigit():
                out.add(int(part))
    return out


# -- the coverage ---------------------------------------------------------------------------------------------

def coverage(case: Case, verdicts: Mapping[str, Any] | None = None, *,
             check_ids: Iterable[str] | None = None) -> list[CoverageItem]:
    """One item per check of the catalogue, in the registry's order (``core.checks.registry.all_checks``).

    ``verdicts`` maps a check id to the reviewer's holding verdict (an object or dict with ``status``, ``note``,
    ``reviewer``, ``time``: ``CheckVerdictLog.current()`` of the review; by default those the review session
    kept in ``case.extra[VERDICTS_KEY]``); a verdict whose status is "" is none.
    A registered check missing from ``resources/check_inputs.json`` is listed as 取数不足 (never as passed)."""
    cat = catalogue()
    if verdicts is None:
        kept = case.extra.get(VERDICTS_KEY)
        verdicts = kept if isinstance(kept, Mapping) else {}
    if check_ids is None:
        from core.checks.registry import all_checks

        check_ids = [c.id for c in all_checks()]
    from core.checks import registry

    off = getattr(registry, "disabled_checks", lambda c: frozenset())(case)  # a district's switched-off rules
    held = _Holdings(case, cat)
    by_check: dict[str, list] = {}
    for f in case.findings:
        by_check.setdefault(f.check, []).append(f)
    items: list[CoverageItem] = []
    for cid in check_ids:
        if cid in off:
            item = CoverageItem(cid, cat.names.get(cid) or cid, NOT_APPLICABLE, why="本区县的审核规则未启用该检查")
        else:
            item = _item(cid, cat, held, by_check.get(cid, []))
        v = (verdicts or {}).get(cid)
        if v is not None and _get(v, "status"):
            item.verdict = str(_get(v, "status"))
            item.note = str(_get(v, "note", "") or _get(v, "reason", "") or "")
            item.reviewer = str(_get(v, "reviewer", "") or "")
            item.time = str(_get(v, "time", "") or "")
        items.append(item)
    return items


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, Mapping) else getattr(obj, name, default)


def _item(cid: str, cat: Catalogue, held: _Holdings, findings: list) -> CoverageItem:
    name = cat.names.get(cid) or cid
    spec = cat.checks.get(cid)
    if spec is None:
        return CoverageItem(cid, name, SHORT, why="该检查未登记所需材料和数字（resources/check_inputs.json），"
                                                  "无法判断是否已完成，请人工核对")
    crashed = [f for f in findings if f.severity == Severity.INFO and f.message.startswith(f"检查“{cid}”未能完成")]
    if crashed:
        return CoverageItem(cid, name, SHORT, why=crashed[0].message)

    ok: list[Source] = []
    short: list[str] = []     # why each present source could not be used
    short_pages: list[tuple[str, int]] = []  # the pages holding those sources, for the reviewer to look at
    na: list[str] = []        # why a source does not take part
    missing: list[Source] = []
    main_failed = False
    for s in spec.sources:
        forms = [f for f in s.forms if held.present(f)]
        if not forms:
            missing.append(s)
            if s.main:
                main_failed = True
            continue
        lacking = [n for n in s.needs if not held.has(n, forms)]
        empty = held.printed_empty(forms) if lacking else ""
        if empty:  # the department printed the table empty and said why: nothing to compare, not a gap
            na.append(empty)
            if s.main:
                main_failed = True
            continue
        if lacking:
            short.append(_short_reason(cat, held, forms, lacking))
            short_pages.extend(held.pages_of(forms))
            continue
        unmet = [c for c in s.conditions if not held.has(c, forms)]
        if unmet and any(held.unreadable_on(f) for f in forms):  # blank, or on a page that could not be read
            short.append(_short_reason(cat, held, forms, unmet))
            short_pages.extend(held.pages_of(forms))
            continue
        if unmet:
            na.append(s.absent or f"{_form_names(cat, forms)}中没有所需表述")
            if s.main:
                main_failed = True
            continue
        ok.append(s)

    absent_text = _absent_text(cat, held, missing)
    if short:
        return CoverageItem(cid, name, SHORT, why="；".join(short), pages=list(dict.fromkeys(short_pages)))
    if missing and len(ok) < spec.min or main_failed and missing and any(s.main for s in missing):
        unread = held.unreadable_anywhere()
        if unread:
            return CoverageItem(cid, name, SHORT,
                                why=f"{absent_text}；以下页面或文件未能读取，可能含有所需材料：{'；'.join(unread)}")
    if main_failed or len(ok) < spec.min:
        reasons = [r for r in (absent_text, *na) if r]
        return CoverageItem(cid, name, NOT_APPLICABLE, why="；".join(reasons) or "所需材料不全")
    errors = [f for f in findings if f.severity == Severity.ERROR]
    warnings = [f for f in findings if f.severity == Severity.WARNING]
    infos = [f for f in findings if f.severity == Severity.INFO]
    if errors or warnings or infos:
        parts = [f"错误{len(errors)}项" if errors else "", f"提示{len(warnings)}项" if warnings else "",
                 f"说明{len(infos)}项" if infos else ""]
        result = "、".join(p for p in parts if p)
    else:
        result = PASS
    partial = [r for r in (absent_text, *na) if r]
    return CoverageItem(cid, name, AUTO, result=result,
                        why=("未比对部分：" + "；".join(partial)) if partial else "",
                        findings=list(dict.fromkeys(f.fingerprint for f in findings)),
                        errors=len(errors), warnings=len(warnings))


def _form_names(cat: Catalogue, forms: Iterable[str]) -> str:
    return "或".join(cat.forms[f].name for f in forms)


def _absent_text(cat: Catalogue, held: _Holdings, missing: list[Source]) -> str:
    if not missing:
        return ""
    names = list(dict.fromkeys(_form_names(cat, s.forms) for s in missing))
    tables = [f for s in missing for f in s.forms if f.startswith("公开")]
    if tables and not held.present("决算表"):  # no 决算 at all: say so once, not table by table
        names = [n for n in names if "部门决算公开" not in n] + ["部门决算（公开01–09表）"]
    return f"材料中没有{'、'.join(names)}"


def _short_reason(cat: Catalogue, held: _Holdings, forms: list[str], lacking: list[str]) -> str:
    where = []
    for f in forms:
        pages = held.pages(f)
        docs = {d for d, _ in pages}
        nums = "、".join(str(p) for _, p in pages)
        where.append(f"{cat.forms[f].name}（第{nums}页）" if len(docs) == 1 and nums else cat.forms[f].name)
    figures = "、".join(dict.fromkeys(cat.figures.get(n, n) for n in lacking))
    text = f"{'或'.join(where)}中未读到：{figures}"
    problems = [m for f in forms for m in held.unreadable_on(f)]
    if problems:
        text += f"（{'；'.join(dict.fromkeys(problems))}）"
    return text


# -- open items and completion --------------------------------------------------------------------------------

def open_required(case: Case, verdicts: Mapping[str, Any] | None = None) -> list[CoverageItem]:
    """The required checks still open: 取数不足 with no verdict of the reviewer."""
    return [it for it in coverage(case, verdicts) if it.is_open]


def review_complete(case: Case, session_state: Any) -> tuple[bool, list[str]]:
    """Whether the package is 复核完成: no error or warning finding undecided and no required check open.

    ``session_state`` is a ``ReviewSession`` or its ``ReviewLogs`` (``casefile.load_case`` gives those): what is
    read is ``decisions.is_closed(fingerprint)`` and ``check_verdicts.current()``.  Returns ``(complete,
    reasons)``, the reasons in Chinese."""
    logs = getattr(session_state, "logs", session_state)
    decisions = getattr(logs, "decisions", None)
    verdict_log = getattr(logs, "check_verdicts", None)
    verdicts = verdict_log.current() if verdict_log is not None else {}
    undecided = [f for f in case.findings if f.severity in (Severity.ERROR, Severity.WARNING)
                 and not (decisions is not None and decisions.is_closed(f.fingerprint))]
    reasons: list[str] = []
    if undecided:
        errors = sum(1 for f in undecided if f.severity == Severity.ERROR)
        reasons.append(f"还有{len(undecided)}条问题未处理（其中错误{errors}条），需确认问题或排除")
    still_open = open_required(case, verdicts)
    if still_open:
        names = "、".join(it.name for it in still_open[:8]) + ("等" if len(still_open) > 8 else "")
        reasons.append(f"还有{len(still_open)}项检查取数不足，需人工核对并给出结论：{names}")
    return (not reasons, reasons)


def summary(items: list[CoverageItem]) -> dict[str, int]:
    """How many checks of each status (and how many 取数不足 ones the reviewer has decided)."""
    out = {s: 0 for s in STATUSES}
    for it in items:
        out[it.status] += 1
    out["人工已核对"] = sum(1 for it in items if it.status == SHORT and it.verdict)
    return out


def case_json_text(case: Case, verdicts: Mapping[str, Any] | None = None) -> str:
    """The case JSON of ``extract`` with the coverage list added under ``"coverage"`` (one object per check:
    ``check``, ``name``, ``status``, and ``result``/``errors``/``warnings``/``findings`` for 自动完成, ``why``,
    ``verdict``; docs/fields-extended.md).  Every other key is the case's own, unchanged."""
    d = case.to_json()
    d["coverage"] = [it.to_json() for it in coverage(case, verdicts)]
    return readable_json(d)
