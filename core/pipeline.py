"""Open → classify → extract → check → score: one department's files in, one ``Case`` out.

Why it exists: the command line, the window, the batch run and the tests all build a case the same way, and
this is that way.  It never imports Qt; long work reports progress through a callback and stops when the
``cancel`` callback says so.  A file that cannot be read is recorded with its Chinese reason and the other
files are still processed; only when no file could be read does it raise ``NoInput``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from core import __version__
from core.documents.classify import NARRATIVE_KINDS, TABLE_KINDS, Classification, classify
from core.documents.layout import Document, Line, Page, TextStream
from core.documents.pdf import sha256_of
from core.documents.reader import SUPPORTED_SUFFIXES, annotate_provenance, open_any, sniff_format
from core.documents.tables import LogicalTable, join_tables
from core.errors import Cancelled, DocumentError, ReviewError
from core.model import Case, DocumentInfo, Field

if TYPE_CHECKING:
    from core.district import DistrictProfile

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage in Chinese, done, total)
Cancel = Callable[[], bool]


def internal_error_reason(e: BaseException, *, extracting: bool = False) -> str:
    """The Chinese reason for a bug met on one file (``read_package``, ``build_case``): that file is named with
    it, the other files go on."""
    if extracting:
        return (f"提取该文件的数字时程序出错（{type(e).__name__}），其数字未能自动提取；"
                "请对照原文件人工审核，并将该文件反馈给维护人员")
    return f"读取该文件时程序出错（{type(e).__name__}），该文件未能读取；请对照原文件人工审核，并将该文件反馈给维护人员"


class NoInput(ReviewError):
    """No file of the case could be read; ``problems`` names each with its reason."""

    def __init__(self, problems: list[dict[str, str]]) -> None:
        super().__init__("没有可读取的文件")
        self.problems = problems


@dataclass
class Package:
    """The read documents of a case and what went wrong with the others."""

    documents: list[Document] = field(default_factory=list)
    classifications: dict[str, Classification] = field(default_factory=dict)
    failed: list[dict[str, str]] = field(default_factory=list)  # {"path", "code", "message"}


def collect_inputs(args: Iterable[str | Path]) -> tuple[list[Path], list[dict[str, str]]]:
    """Files of the case: a folder means every PDF, Word, Excel or OFD file in it (``SUPPORTED_SUFFIXES``,
    sorted, not recursive); a file named explicitly is taken whatever its extension (and refused later with a
    reason if it is none of these)."""
    files: list[Path] = []
    problems: list[dict[str, str]] = []
    for a in args:
        p = Path(a)
        if _is_dir(p):
            try:
                found = sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in SUPPORTED_SUFFIXES)
            except OSError as e:  # a folder that cannot be listed (permissions, a network drive gone)
                problems.append({"path": str(p), "code": "unreadable_dir",
                                 "message": "没有读取该文件夹的权限" if isinstance(e, PermissionError)
                                 else f"无法读取该文件夹（{e.strerror or e}）"})
                continue
            if not found:
                problems.append({"path": str(p), "code": "empty_dir", "message": "文件夹中没有PDF文件（也没有Word、Excel、WPS或OFD文件）"})
            files.extend(found)
        else:
            files.append(p)  # anything else (missing, a name too long…) is named by ``sniff`` with its reason
    unique: list[Path] = []
    seen: set[Path] = set()
    for f in files:
        try:
            r = f.resolve() if f.exists() else f
        except (OSError, RuntimeError):  # a name the system refuses, a symlink loop
            r = f
        if r in seen:
            continue
        seen.add(r)
        unique.append(f)
    return unique, problems


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False


def read_package(paths: list[Path], *, password: str | None = None, passwords: dict[str, str] | None = None,
                 progress: Progress | None = None, cancel: Cancel | None = None) -> Package:
    pkg = Package()
    hashes: dict[str, str] = {}
    for i, path in enumerate(paths):
        doc_id = f"d{len(pkg.documents) + 1}"
        try:
            sniff_format(path)
            digest = sha256_of(path)
            if digest in hashes:
                pkg.failed.append({"path": str(path), "code": "duplicate",
                                   "message": f"与“{Path(hashes[digest]).name}”内容完全相同，已跳过"})
                continue
            pw = (passwords or {}).get(str(path), password)

            def page_progress(done: int, total: int, _name=path.name) -> None:
                if progress:
                    progress(f"正在读取 {_name}", done, total)

            doc = open_any(path, doc_id, password=pw, progress=page_progress, cancel=cancel, sha256=digest)
            cls = classify(doc)
        except DocumentError as e:
            pkg.failed.append({"path": str(path), "code": e.code, "message": e.reason})
            continue
        except Cancelled:
            raise
        except Exception as e:  # a bug (or a file that exhausts memory): this file is named, the others go on
            log.exception("reading %s failed", path)
            pkg.failed.append({"path": str(path), "code": "internal_error", "message": internal_error_reason(e)})
            continue
        hashes[digest] = str(path)
        pkg.documents.append(doc)
        pkg.classifications[doc.id] = cls
    return pkg


def extract_case(args: Iterable[str | Path], *, password: str | None = None,
                 passwords: dict[str, str] | None = None, progress: Progress | None = None,
                 cancel: Cancel | None = None, preset: str | None = None,
                 district: DistrictProfile | None = None) -> Case:
    """The whole job of ``python main.py extract``.  Raises ``NoInput`` when nothing could be read.
    ``district`` (a ``core.district.DistrictProfile``) switches off the rules the district does not apply."""
    paths, problems = collect_inputs(args)
    pkg = read_package(paths, password=password, passwords=passwords, progress=progress, cancel=cancel)
    failed = problems + pkg.failed
    if not pkg.documents:
        raise NoInput(failed)
    _stop_if_cancelled(cancel)
    case = build_case(pkg)
    for p in failed:
        case.extra.setdefault("unreadable", []).append(p)
    _stop_if_cancelled(cancel)
    if progress:
        progress("正在检查", 0, 1)
    if district is not None:
        from core.district import apply_profile

        apply_profile(case, district)
    recheck(case, preset=preset)
    if progress:
        progress("完成", 1, 1)
    return case


def _stop_if_cancelled(cancel: Cancel | None) -> None:
    if cancel and cancel():
        raise Cancelled()


def build_case(pkg: Package) -> Case:
    case = Case(tool_version=__version__)
    case.__dict__[_STREAMS] = {}  # the narratives' joined text, for this build only (``narrative_stream``)
    try:
        _extract_all(pkg, case)
    finally:
        case.__dict__.pop(_STREAMS, None)
    case.assign_ids()
    return case


def _extract_all(pkg: Package, case: Case) -> None:
    for doc in pkg.documents:
        cls = pkg.classifications[doc.id]
        info = DocumentInfo(id=doc.id, path=doc.path, sha256=doc.sha256, pages=len(doc.pages), kinds=cls.kinds,
                            problems=list(doc.problems) + list(cls.problems), year=cls.year)
        case.documents.append(info)
        if cls.verdict in ("budget", "template", "scanned", "garbled"):
            continue
        sizes = len(case.fields), len(case.indicators), len(case.account_lines)
        try:
            extract_document(doc, cls, case)
            annotate_provenance(doc, case.fields[sizes[0]:])
        except Exception as e:  # a bug on one document: its figures are left out and it says so; the rest go on
            log.exception("extracting %s failed", doc.path)
            del case.fields[sizes[0]:], case.indicators[sizes[1]:], case.account_lines[sizes[2]:]
            info.problems.append({"code": "internal_error",
                                  "message": internal_error_reason(e, extracting=True)})
            continue
        if any(p.ocr for p in doc.pages):  # values read by OCR carry their recognition's certainty
            from core.documents.ocr import mark_fields

            mark_fields(case.fields[sizes[0]:], [doc])
        _keep_passages(doc, cls, case)
        names = [f.value for f in case.fields if f.doc == doc.id and f.key.endswith("unit_name")]
        if names:
            info.unit_name = str(names[0])


def _keep_passages(doc: Document, cls: Classification, case: Case) -> None:
    """The narrative's sentences with their places, for comparing packages across a district
    (``core.copies``): a case holds figures, not text."""
    from core.passages import PASSAGES_KEY, document_passages

    try:
        found = document_passages(doc, cls, case.__dict__.get(_STREAMS))
    except Exception:  # a help for the district comparison; never a reason to lose the document
        log.exception("passages of %s not kept", doc.path)
        return
    if found:
        case.extra.setdefault(PASSAGES_KEY, []).extend(found)


def extract_document(doc: Document, cls: Classification, case: Case) -> None:
    """Add the fields, indicators and account lines of one document to ``case``."""
    from core.extraction.accounts import FIGURELESS_KEY, extract_accounts, figureless_tables
    from core.extraction.basic_table import extract_basic
    from core.extraction.selfeval_sheet import extract_selfeval

    pages = {p.number: p for p in doc.pages}
    kinds = cls.kinds
    if "基础数据表" in kinds:
        tables = join_tables(doc, cls, kinds=("基础数据表",))
        case.fields.extend(extract_basic(tables, region_lines(doc, cls, "基础数据表", with_tables=True), doc.id))
    if "自评表" in kinds:
        tables = join_tables(doc, cls, kinds=("自评表",))
        fs, inds = extract_selfeval(tables, region_lines(doc, cls, "自评表", with_tables=False), doc.id)
        case.fields.extend(fs)
        case.indicators.extend(inds)
    if any(k in kinds for k in TABLE_KINDS):
        tables = join_tables(doc, cls, kinds=TABLE_KINDS)
        above = {id(t): lines_above(pages[t.pages[0]], t, cls) for t in tables}
        fs, lines = extract_accounts(tables, above, doc.id, default_unit=_doc_unit(doc, cls))
        case.fields.extend(fs)
        case.account_lines.extend(lines)
        empty = figureless_tables(pages, {k: v for k, v in kinds.items() if k in TABLE_KINDS})
        if empty:
            case.extra.setdefault(FIGURELESS_KEY, []).extend(dict(e, doc=doc.id) for e in empty)
    for kind in NARRATIVE_KINDS:
        if kind in kinds:
            case.fields.extend(_narrative(doc, cls, kind, case.__dict__.get(_STREAMS)))
    if "部门概况" in kinds:  # the 决算's 第一部分: part of its narrative (units, years, 决算单位构成)
        case.fields.extend(_narrative(doc, cls, "部门概况", case.__dict__.get(_STREAMS)))


_STREAMS = "_narrative_streams"


def narrative_stream(doc: Document, cls: Classification, kind: str,
                     streams: dict[tuple[str, str], TextStream | None] | None = None) -> TextStream | None:
    """The running text of the regions of ``kind`` (lines joined into paragraphs), None when they hold no
    line.  Joined once per build in ``streams``: the narrative extractor and the district's passages
    (``core.copies``) read the same text (joining it is a third of a narrative's extraction)."""
    key = (doc.id, kind)
    if streams is not None and key in streams:
        return streams[key]
    from core.documents.paragraphs import join_lines

    lines = region_lines(doc, cls, kind, with_tables=False)
    stream = join_lines(lines) if lines else None
    if streams is not None:
        streams[key] = stream
    return stream


def _narrative(doc: Document, cls: Classification, kind: str,
               streams: dict[tuple[str, str], TextStream | None] | None = None) -> list[Field]:
    try:
        from core.extraction.narrative import extract_narrative
    except ImportError:  # the narrative extractor is optional while it is being built
        log.warning("narrative extraction not available")
        return []
    stream = narrative_stream(doc, cls, kind, streams)
    if stream is None:
        return []
    return extract_narrative(doc.id, stream, kind)


def region_lines(doc: Document, cls: Classification, kind: str, *, with_tables: bool) -> list[Line]:
    """Lines printed in the regions of ``kind``; lines inside a table are left out unless ``with_tables``."""
    out: list[Line] = []
    pages = {p.number: p for p in doc.pages}
    for r in cls.regions_of(kind):
        page = pages[r.page]
        for ln in page.lines:
            y = (ln.bbox[1] + ln.bbox[3]) / 2
            if not (r.top - 1 <= y < r.bottom):
                continue
            if not with_tables and _inside_table(page, ln):
                continue
            out.append(ln)
    return out


def _inside_table(page: Page, ln: Line) -> bool:
    """Inside a ruled table.  (An unruled table is also lines of text; the narrative may read them.)"""
    x = (ln.bbox[0] + ln.bbox[2]) / 2
    y = (ln.bbox[1] + ln.bbox[3]) / 2
    return any(t.ruled and t.bbox[0] - 1 <= x <= t.bbox[2] + 1 and t.bbox[1] - 1 <= y <= t.bbox[3] + 1
               for t in page.tables)


def lines_above(page: Page, table: LogicalTable, cls: Classification) -> list[Line]:
    """The lines between the previous table (or the page top) and this table: its title, 公开0N表,
    金额单位, 部门."""
    first_cells = table.rows[0] if table.rows else []
    top = min((c.bbox[1] for c in first_cells if c.page == page.number), default=0.0)
    prev_bottom = max((t.bbox[3] for t in page.tables if t.bbox[3] <= top + 1 and t.bbox[1] < top - 1), default=0.0)
    return [ln for ln in page.lines if prev_bottom - 1 <= ln.bbox[1] and ln.bbox[3] <= top + 1]


def _doc_unit(doc: Document, cls: Classification) -> str:
    from core.numbers import unit_from_header

    for p in doc.pages:
        for ln in p.lines[:12]:
            u = unit_from_header(ln.text)
            if u:
                return u
    return ""


def recheck(case: Case, *, preset: str | None = None) -> None:
    """Re-run every check and the scoring on the case's current values (after a correction too).

    Like the checks, the scoring is done again only when an edit changed a value it read (the 自评表's
    figures, the fields its indicator rules look up), the fields or indicators changed, or the preset."""
    from core.checks.registry import changed_since_last_run, run_checks_incremental
    from core.model import compute_tracked

    case.findings = run_checks_incremental(case)
    try:
        from core.scoring import score_case
    except ImportError:
        log.warning("scoring not available")
        return
    changed = changed_since_last_run(case)
    last = case.__dict__.get("_score_state")
    if not (last is not None and changed is not None and last[0] == preset and last[2] is case.scores
            and last[1].isdisjoint(changed)):
        read: set[str] = set()
        try:
            case.scores = compute_tracked(read, lambda: score_case(case, preset) if preset else score_case(case))
        except Exception:  # scoring must never take the review down
            log.exception("scoring failed")
            case.scores = {}
        case.__dict__["_score_state"] = (preset, read, case.scores)
    # 复核评分 reads the findings, the reviewer's own values and the cap preset too: proposed again every time
    # (a few rows of arithmetic), replacing case.scores only when it changed; the memo above then holds the
    # scores with the review, so the next re-check still knows them for its own
    scored = case.scores
    try:
        from core.scoring.review_score import attach_review_scores

        attach_review_scores(case, preset)
    except Exception:
        log.exception("review scoring failed")
    if case.scores is not scored:  # the memo holds ``scored`` (set above, or found holding it)
        state = case.__dict__["_score_state"]
        case.__dict__["_score_state"] = (state[0], state[1], case.scores)
