"""Which pages of a document hold which form.

Why it exists: a package arrives as one PDF or several, in any order, with annex numbers and titles that vary
by district; every extractor needs to know where its form is.  A page may hold the end of one form and the
start of the next (a narrative ending above the 自评表), so the answer is a list of *regions*: a kind and the
vertical range of the page it covers.  Narrative kinds carry over to following pages until another title
starts; a table that continues on the next page (no title of its own, same columns) keeps its kind.

The titles are data (``resources/forms.json``).  A 部门预算 or an unfilled template is recognised as such
and reported, not reviewed.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from core.documents.layout import Document, Page, Table
from core.resources import resource_path
from core.text import label_key

TABLE_KINDS = tuple(f"公开0{i}" for i in range(1, 10))
NARRATIVE_KINDS = ("自评报告", "决算说明")
SHEET_KINDS = ("基础数据表", "自评表", "项目自评表")
# kinds that continue over following pages until another title starts
_CARRY = set(NARRATIVE_KINDS) | set(SHEET_KINDS) | set(TABLE_KINDS) | {"名词解释", "部门概况"}

_MAX_TITLE_LEN = 42  # a title line is short; a sentence that merely names a form is not a title


@dataclass
class Region:
    kind: str
    page: int
    top: float
    bottom: float


@dataclass
class Classification:
    regions: list[Region] = field(default_factory=list)
    verdict: str = "reviewable"  # "reviewable" | "budget" | "template" | "unknown" | "scanned"
    problems: list[dict[str, str]] = field(default_factory=list)
    year: int | None = None

    @property
    def kinds(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = {}
        for r in self.regions:
            pages = out.setdefault(r.kind, [])
            if r.page not in pages:
                pages.append(r.page)
        return out

    def regions_of(self, kind: str) -> list[Region]:
        return [r for r in self.regions if r.kind == kind]

    def kind_at(self, page: int, y: float) -> str | None:
        best = None
        for r in self.regions:
            if r.page == page and r.top - 1 <= y < r.bottom:
                best = r.kind
        return best

    def table_kind(self, table: Table) -> str | None:
        return self.kind_at(table.page, table.bbox[1] + 1)


@lru_cache(maxsize=1)
def _rules() -> dict:
    data = json.loads(resource_path("forms.json").read_text(encoding="utf-8"))
    for group in ("accounts_tables", "forms"):
        for rule in data[group]:
            rule["_titles"] = [_key(t) for t in rule.get("titles", [])]
            rule["_numbers"] = [_key(t) for t in rule.get("numbers", [])]
    for rule in data["accounts_tables"]:  # the line endings that name the table, for one str.endswith
        rule["_endings"] = tuple(t + unit for t in (t.translate(_QUOTES) for t in rule["_titles"])
                                 for unit in ("", "(万元)", "(元)"))
    data["_form_title_ends"] = frozenset(t[-1] for rule in data["forms"] for t in rule["_titles"])
    return data


def _key(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("\"", "“")


_QUOTES = str.maketrans({"\"": "“", "”": "“", "'": "“", "‘": "“", "’": "“"})


_HAS_QUOTE = re.compile("[\"”'‘’]").search


def _line_key(text: str) -> str:
    """The text without whitespace (str.split's whitespace is re's \\s), its quotes as “."""
    key = "".join(text.split())
    return key.translate(_QUOTES) if _HAS_QUOTE(key) else key


def _title_candidates(page: Page) -> list[tuple[float, str]]:
    """(top, key) of short lines: titles, annex marks, 公开0N表 marks.  A title wrapped onto a second
    line ("…部门决算情况" / "说明") is also tried joined."""
    out = []
    lines = page.lines
    keys = [_line_key(ln.text) for ln in lines]
    for i, ln in enumerate(lines):
        k = keys[i]
        if 0 < len(k) <= _MAX_TITLE_LEN:
            out.append((ln.bbox[1], k))
            if i + 1 < len(lines):
                k2 = keys[i + 1]
                gap = lines[i + 1].bbox[1] - ln.bbox[3]
                short = min(len(k), len(k2)) <= 8
                if 0 < len(k2) and short and len(k + k2) <= _MAX_TITLE_LEN + 8 \
                        and gap < (ln.bbox[3] - ln.bbox[1]) * 1.5:
                    out.append((ln.bbox[1], k + k2))
    return out


def _is_toc(page: Page) -> bool:
    """A table-of-contents page: titled 目录, or (continuing one) many short lines naming forms, no table."""
    if page.tables:
        return False
    if any(_line_key(ln.text) == "目录" for ln in page.lines[:5]):
        return True
    return False


def _looks_like_toc_continuation(page: Page) -> bool:
    if page.tables or not page.lines:
        return False
    keys = [_line_key(ln.text) for ln in page.lines]
    short = sum(1 for k in keys if len(k) <= 30)
    named = sum(1 for k in keys if _match_accounts(k) or _match_form(k) or re.match(r"^第[一二三四五六七八九十]+部分", k))
    return short >= 0.8 * len(keys) and named >= 2


def _match_accounts(key: str) -> str | None:
    for rule in _rules()["accounts_tables"]:
        for n in rule["_numbers"]:
            if n in key:
                return rule["kind"]
    # the title must end the line (after optional numbering / unit name / year): "一、收入支出决算总表"
    for rule in _rules()["accounts_tables"]:
        if key.endswith(rule["_endings"]):
            return rule["kind"]
    return None


_SENTENCE_PUNCT = re.compile(r"[。，,；;]|[:：].+")


def _match_form(key: str) -> str | None:
    """A form title ends its line ("附件2 部门整体支出绩效评价基础数据表", "2024年度…整体支出绩效自评表");
    a sentence that merely names a form ("填报项目支出绩效自评表（附件4）。表述格式参考如下：") is not one."""
    rules = _rules()
    if rules["_form_title_ends"].isdisjoint(key):  # no title can be in it (most lines of a page)
        return None
    for rule in rules["forms"]:
        if rule.get("prefix") and not key.startswith(rule["prefix"]):
            continue
        for t in rule["_titles"]:
            i = key.rfind(t)
            if i < 0:
                continue
            tail = key[i + len(t):]
            head = key[:i]
            if tail and not re.fullmatch(r"[(（][^)）]{0,8}[)）]", tail):
                continue
            if _SENTENCE_PUNCT.search(head.split("附件")[-1] if "附件" in head else head):
                continue
            return rule["kind"]
    return None


def _content_form(page: Page) -> str | None:
    text = _line_key(page.text)
    for rule in _rules()["forms"]:
        for group in rule.get("content", []):
            if all(w in text for w in group):
                return rule["kind"]
    return None


def _is_budget_title(key: str) -> bool:
    """"2026年部门财务收支预算总表", "收支预算总表", "一般公共预算支出预算表": a budget table title.
    ("一般公共预算财政拨款支出决算表" names a 决算 table: it says 决算.)"""
    if "决算" in key or "预算" not in key:
        return False
    return bool(re.search(r"预算(总表|表|公开表)(\(.*\))?$", key)) or key.endswith("部门预算")


def _has_figures(page: Page) -> bool:
    if page.tables:
        return True
    n = sum(1 for ln in page.lines if re.search(r"\d[\d,]*\.\d{2}\b", ln.text))
    return n >= 5


def _starts(page: Page, cands: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """Kinds that start on this page, with the y where they start (``cands``: its ``_title_candidates``)."""
    found: list[tuple[float, str]] = []
    figures = _has_figures(page)
    budget_page = any(_is_budget_title(k) for _, k in cands)
    for top, key in cands:
        kind = None
        if budget_page and _is_budget_title(key):
            kind = "部门预算"
        elif figures and not budget_page:
            kind = _match_accounts(key)
        if kind is None:
            kind = _match_form(key)
            if kind == "目录" and key not in ("目录",):
                kind = None
        if kind is not None:
            if found and found[-1][1] == kind:
                continue  # a two-line title
            found.append((top, kind))
    # a 公开0N mark and a title on neighbouring lines name one table: keep the first occurrence of a kind
    # within 60pt of the previous start of the same kind
    merged: list[tuple[float, str]] = []
    for top, kind in found:
        if any(k == kind and abs(top - t) < 60 for t, k in merged):
            continue
        merged.append((top, kind))
    if not merged:
        content = _content_form(page)
        if content:
            merged.append((0.0, content))
    return merged


def classify(doc: Document) -> Classification:
    """Regions of each kind over the document's pages, plus a document-level verdict."""
    result = Classification()
    current: str | None = None
    last_table_cols: int | None = None
    cands = {}  # the title candidates of each page (id), found once

    def candidates(page: Page) -> list[tuple[float, str]]:
        found = cands.get(id(page))
        if found is None:
            found = cands[id(page)] = _title_candidates(page)
        return found

    for page in doc.pages:
        if page.image_only or page.garbled:
            current = None
            continue
        if _is_toc(page) or (current == "目录" and _looks_like_toc_continuation(page)):
            result.regions.append(Region("目录", page.number, 0.0, page.height + 1))
            current = "目录"
            continue
        starts = _starts(page, candidates(page))
        if starts and starts[0][0] > 0:
            first_top = starts[0][0]
        else:
            first_top = None
        # region before the first title on the page continues the previous kind
        if current and current in _CARRY and (not starts or (first_top is not None and first_top > 0)):
            top_limit = first_top if first_top is not None else page.height + 1
            carried = current
            if current in TABLE_KINDS:
                carried = current if _continues_table(page, last_table_cols, top_limit) else None
            if carried and _has_content_above(page, top_limit):
                result.regions.append(Region(carried, page.number, 0.0, top_limit))
        for i, (top, kind) in enumerate(starts):
            bottom = starts[i + 1][0] if i + 1 < len(starts) else page.height + 1
            result.regions.append(Region(kind, page.number, top, bottom))
            current = kind
        if current == "目录":
            current = None
        if page.tables:
            last_table_cols = page.tables[-1].n_cols
    _verdict(doc, result, candidates)
    return result


def _continues_table(page: Page, prev_cols: int | None, top_limit: float) -> bool:
    tables = [t for t in page.tables if t.bbox[1] < top_limit]
    if not tables or prev_cols is None:
        return False
    return abs(tables[0].n_cols - prev_cols) <= 1


def _has_content_above(page: Page, limit: float) -> bool:
    return any(ln.bbox[1] < limit for ln in page.lines) or any(t.bbox[1] < limit for t in page.tables)


_YEAR_RE = re.compile(r"(20\d\d)\s*年")


def _verdict(doc: Document, result: Classification, candidates) -> None:
    kinds = result.kinds
    all_text = "\n".join(p.text for p in doc.pages)
    key_text = _line_key(all_text)
    years = Counter()
    for p in doc.pages:
        for top, k in candidates(p):
            for y in _YEAR_RE.findall(k):
                years[int(y)] += 1
    if years:
        result.year = years.most_common(1)[0][0]

    if doc.pages and all(p.image_only for p in doc.pages):
        result.verdict = "scanned"
        return
    readable = [p for p in doc.pages if p.lines or p.image_only or p.garbled]
    if readable and all(p.garbled or p.image_only for p in readable) and any(p.garbled for p in readable):
        result.verdict = "garbled"  # the text layer is unreadable everywhere: nothing to review (doc.problems says why)
        return
    reviewable = {k for k in kinds if k in TABLE_KINDS or k in NARRATIVE_KINDS or k in SHEET_KINDS}
    title_keys = [k for p in doc.pages for _, k in candidates(p)]
    is_budget = "部门预算" in kinds or any(_is_budget_title(k) for k in title_keys)
    if is_budget and not ({"决算说明"} | set(TABLE_KINDS) | {"自评表", "基础数据表", "自评报告"}) & set(kinds):
        result.verdict = "budget"
        result.regions = [Region("部门预算", p.number, 0.0, p.height + 1) for p in doc.pages]
        result.problems.append({"code": "budget", "message": "这是部门预算，不是部门决算或绩效自评材料，不作审核"})
        return
    markers = sum(key_text.count(_key(m)) for m in _rules()["template_markers"])
    markers += len(re.findall(r"(?<![A-Za-z])X{2,}(?![A-Za-z])", all_text))  # "XX", "20XX年", "XXX万元"
    n_figures = len(re.findall(r"\d[\d,]*\.\d{2}", all_text))
    if markers >= 3 and n_figures < 5:
        result.verdict = "template"
        result.regions = [Region("空白模板", p.number, 0.0, p.height + 1) for p in doc.pages]
        result.problems.append({"code": "template", "message": "这是未填写的空白模板（只有说明文字和XX占位，没有数字），不作审核"})
        return
    if not reviewable:
        result.verdict = "unknown"
        result.problems.append({"code": "unrelated",
                                "message": "未识别出基础数据表、自评表、自评报告或部门决算表，可能不是绩效自评材料"})
