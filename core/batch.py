"""Batch: every department of a folder extracted, checked, exported, and one 汇总表 over all of them.

Why it exists: at the start of a review round the reviewer wants every package read and checked overnight (or
over lunch), the problems of each department in its own workbook and a district overview to decide where to
start.  ``main.py batch DIR -o OUT_DIR`` runs this; the window can run it too (``run_batch`` takes progress
and cancel callbacks and never imports Qt).

How:

- The cases are those of the workspace of ``DIR`` (``core.workspace``: one per subfolder, loose files grouped
  by unit name), so the command line and the window always agree on what a department is.  When ``DIR``
  already has a workspace (``DIR/.jixiao/workspace.json``, the window's), the batch uses it: a case with a
  review is exported from its review file (the reviewer's corrections and decisions applied, its open
  counts), and the counts the batch finds are recorded there.  Otherwise the batch keeps its own workspace in
  ``OUT_DIR/.cache`` and never writes into ``DIR``.
- Cases run in parallel in a process pool (pdfplumber is CPU-bound; default ``min(cpu_count, 4)`` workers, the
  ``spawn`` start method everywhere, so it is also safe from a window's thread).  Each worker reads, checks,
  exports and returns a small summary; only this process writes the workspace and the 汇总表.
- Resume/cache: the extracted case of a set of sources is cached as its case JSON in
  ``<store>/cache/<key>.json``, ``key`` = sha256 of the sorted sha256s of its PDFs, the preset and
  ``engine_fingerprint()`` (tool version and the size/mtime of the extraction code and its resource files,
  so an upgrade never serves a stale result).
  A second run over unchanged packages reads the JSON instead of the PDFs and only re-exports (≈0.3 s a case).
  The paths recorded in a cached case are re-pointed to where the same bytes are now.
- A case that fails (no readable file, only a 部门预算 or a scan, a bug) gets a row in the 汇总表 saying why in
  Chinese; the batch goes on.  ``BatchResult.exit_code``: 0 when at least one case succeeded, 3 when none
  could be read (or there was nothing to read), 4 when an output could not be written.

What it must not do: import Qt or openpyxl (``core.export.excel`` writes the workbooks), or write a file other
than through ``core.review.atomic`` and the export.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import time
import traceback
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from core.district import DistrictProfile, apply_profile, find_profile, load_profile, profile_path
from core.errors import Cancelled, OutputError, os_error_reason
from core.model import Case, Field
from core.materials import MISSING, summary_text
from core.workspace import (
    STORE_NAME,
    WORKSPACE_FILE,
    Workspace,
    case_unit_name,
    count_open,
    document_kinds,
    review_completion,
)
from core.case_cache import (  # noqa: F401 - the cache's API, used here and re-exported for callers
    cache_key,
    engine_fingerprint,
    load_cached_case,
    save_cached_case,
)

log = logging.getLogger(__name__)

EXIT_OK, EXIT_NO_INPUT, EXIT_OUTPUT = 0, 3, 4
MAX_DEFAULT_JOBS = 4
NOT_REVIEWABLE = frozenset({"scanned", "budget", "template", "unrelated"})
"""Document problem codes that leave nothing to review in that document."""

_WAN = Decimal(10000)
_CENT = Decimal("0.01")

Line = Callable[[str], None]
Cancel = Callable[[], bool]


# -- what one case gives ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CaseJob:
    """Everything a worker needs for one case (plain values: it crosses a process boundary)."""

    case_id: str
    name: str
    files: tuple[str, ...]
    out_dir: str                 # this case's output folder
    digests: tuple[str, ...] = ()  # sha256s of the readable files as scanned (a review must be of these)
    copies: tuple[dict, ...] | None = None  # its copy findings (JSON) over the district (core.copies); None: not compared
    cache_file: str = ""         # "" : no cache (no readable source to key it by)
    review_file: str = ""        # an existing review of the case, exported with its corrections
    problem: str = ""            # known before reading (a folder without PDF)
    preset: str | None = None
    reviewer: str = ""
    district: DistrictProfile | None = None  # the district's rules (None: every rule)


@dataclass
class CaseOutcome:
    """What became of one case: its 汇总表 figures, counts, workbook, or why it failed."""

    case_id: str
    name: str
    ok: bool
    reason: str = ""                                    # Chinese, when not ok
    figures: dict[str, Any] = field(default_factory=dict)
    errors: int | None = None
    warnings: int | None = None
    workbooks: list[str] = field(default_factory=list)
    opinion: str = ""                                   # the draft 复核意见 (.docx) beside the workbook
    write_error: str = ""                               # Chinese, when the workbook could not be written
    source: str = ""                                    # "extracted" | "cache" | "review"
    cache_file: str = ""
    digests: list[str] = field(default_factory=list)
    unit_name: str = ""
    year: int | None = None
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    traceback: str = ""                                 # a bug's traceback (kept for the log, never printed)
    signature: dict = field(default_factory=dict)       # what the district comparison needs (core.copies)
    copies: int = 0                                     # copy findings over the district in its outputs
    kinds: dict[str, dict[str, list[int]]] = field(default_factory=dict)  # sha256 → forms (core.materials)
    complete: bool | None = None                        # 复核完成 (exported from a review), else None
    complete_reasons: list[str] = field(default_factory=list)  # why not, in Chinese

    @property
    def completion_text(self) -> str:
        """"复核完成", "未复核完成：<reasons>", or "" (not exported from a review)."""
        if self.complete is None:
            return ""
        return "复核完成" if self.complete else "未复核完成：" + "；".join(self.complete_reasons)


@dataclass
class BatchResult:
    """The whole run.  ``rows`` are the 汇总表 records in order."""

    out_dir: Path
    outcomes: list[CaseOutcome] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    copies_path: Path | None = None                     # the district list of copied text (材料雷同清单.csv)
    summary_path: Path | None = None
    summary_error: str = ""
    title: str = ""
    store_dir: Path | None = None
    seconds: float = 0.0

    @property
    def succeeded(self) -> int:
        return sum(1 for o in self.outcomes if o.ok)

    @property
    def failed(self) -> int:
        return sum(1 for o in self.outcomes if not o.ok)

    @property
    def write_errors(self) -> list[str]:
        return [o.write_error for o in self.outcomes if o.write_error]

    @property
    def exit_code(self) -> int:
        if self.summary_error or self.write_errors:
            return EXIT_OUTPUT
        if not self.succeeded:
            return EXIT_NO_INPUT
        return EXIT_OK


# -- the figures of a row -----------------------------------------------------------------------------------

def _num(case: Case, key: str) -> Field | None:
    f = case.first(key)
    return f if f is not None and isinstance(f.value, Decimal) else None


def _wan(f: Field | None) -> Decimal | None:
    """An amount in 万元 (a field printed in 元 converted and rounded to 0.01)."""
    if f is None or not isinstance(f.value, Decimal):
        return None
    if f.unit == "元":
        return (f.value / _WAN).quantize(_CENT, ROUND_HALF_UP)
    return f.value


def _dec(v: Any) -> Decimal | None:
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, Decimal):
        return v
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    return None


def case_figures(case: Case) -> tuple[dict[str, Any], list[str]]:
    """The 汇总表 figures of a case (keys of ``core.export.excel.SUMMARY_KEYS``) and notes on where some
    came from.  Amounts in 万元, percentages as printed (97.05), scores and grades stated vs recomputed."""
    notes: list[str] = []
    fig: dict[str, Any] = {}
    for key, name in (("basic.staff.authorized", "staff_authorized"), ("basic.staff.actual", "staff_actual")):
        f = _num(case, key)
        fig[name] = f.value if f else None
    fig["annual_budget"] = _wan(_num(case, "selfeval.funds.annual_budget"))
    fig["executed"] = _wan(_num(case, "selfeval.funds.executed"))
    rate = _num(case, "selfeval.funds.execution_rate")
    fig["execution_rate"] = rate.value if rate else None

    sb, sf = _num(case, "basic.sangong.budget"), _num(case, "basic.sangong.final")
    if sb is None and sf is None:
        tb, tf = _num(case, "accounts.t09.budget.total"), _num(case, "accounts.t09.final.total")
        if tb is not None or tf is not None:
            sb, sf = tb, tf
            unit = (tb or tf).unit  # type: ignore[union-attr]
            notes.append("“三公”经费取自决算公开09表" + ("（元折算为万元）" if unit == "元" else ""))
    fig["sangong_budget"], fig["sangong_final"] = _wan(sb), _wan(sf)

    scores = case.scores if isinstance(case.scores, dict) else {}
    sev = scores.get("selfeval") if isinstance(scores.get("selfeval"), dict) else {}
    stated = _dec(sev.get("total"))
    if stated is None:
        stated = _dec(case.value("selfeval.total_score"))
    recomputed = _dec(sev.get("recomputed_total"))
    weights = _dec(sev.get("weight_sum"))
    if weights is not None and weights != 100 and _dec(sev.get("normalized_total")) is not None:
        recomputed = _dec(sev.get("normalized_total"))  # the score the grade is read from, as in the workbook
    fig["score_stated"], fig["score_recomputed"] = stated, recomputed
    g_s = sev.get("grade") or case.value("selfeval.grade")
    g_r = sev.get("recomputed_grade")
    review = scores.get("review") if isinstance(scores.get("review"), dict) else {}
    if _dec(review.get("total")) is not None:  # the 复核评分 (reviewer's values, the cap), as in the workbook
        fig["score_recomputed"], g_r = _dec(review.get("total")), review.get("grade")
        recomputed = fig["score_recomputed"]
    fig["grade_stated"] = g_s.strip() if isinstance(g_s, str) and g_s.strip() else None
    fig["grade_recomputed"] = g_r.strip() if isinstance(g_r, str) and g_r.strip() else None
    tol = _score_tolerance()
    both = stated is not None and recomputed is not None
    fig["score_differs"] = bool(both and abs(stated - recomputed) > tol)  # type: ignore[operator]
    fig["grade_differs"] = bool(fig["grade_recomputed"] and fig["grade_stated"] != fig["grade_recomputed"])
    return fig, notes


def _score_tolerance() -> Decimal:
    try:
        from core.checks.tolerance import tolerances

        return tolerances().get("score", Decimal("0.05"))
    except Exception:  # an odd build without the tolerances file: the export's own default
        return Decimal("0.05")


def not_reviewable_reason(case: Case) -> str:
    """Why nothing in the case can be reviewed (only a 部门预算, a blank template, scans …), or ""."""
    if not case.documents:
        return "没有可读取的文件"
    reasons: list[str] = []
    for d in case.documents:
        bad = [p for p in d.problems if p.get("code") in NOT_REVIEWABLE]
        if not bad:
            return ""
        reasons.append(f"{Path(d.path).name}：{bad[0].get('message', '')}")
    return "；".join(reasons)


def _problems_text(problems: Iterable[dict[str, str]]) -> str:
    parts = []
    for p in problems:
        name = Path(str(p.get("path", ""))).name
        msg = str(p.get("message", ""))
        parts.append(f"{name}：{msg}" if name and p.get("code") != "empty_dir" else msg)
    return "；".join(parts) or "没有可读取的文件"


# -- the worker ---------------------------------------------------------------------------------------------

def process_case(job: CaseJob) -> CaseOutcome:
    """Read (or reuse), check, export one case.  Never raises: a bug becomes a failed outcome with a
    Chinese reason (and the traceback kept in ``traceback`` for the log)."""
    start = time.perf_counter()
    try:
        out = _process(job)
    except Exception as e:  # one department's bug must not stop the district
        out = CaseOutcome(job.case_id, job.name, ok=False,
                          reason=f"处理时发生程序错误（{type(e).__name__}：{e}），请将此材料反馈给开发人员",
                          traceback=traceback.format_exc())
    out.seconds = time.perf_counter() - start
    return out


def _process(job: CaseJob) -> CaseOutcome:
    from core.errors import DocumentError
    from core.export import export_workbooks
    from core.pipeline import NoInput, extract_case

    if not job.files:
        return CaseOutcome(job.case_id, job.name, ok=False, reason=job.problem or "没有可读取的文件")
    notes: list[str] = []
    case: Case | None = None
    corrections: list[Any] = []
    decisions: list[Any] = []
    reviewer = job.reviewer
    source = ""
    review = None  # the review file's session, when the outcome is the reviewer's
    if job.review_file and Path(job.review_file).is_file():
        from core.review.store import export_parts, open_for_export, verify_sources

        try:
            from core.pipeline import recheck

            def rules_then_recheck(c: Case) -> None:
                apply_profile(c, job.district)
                recheck(c, preset=job.preset)

            review = open_for_export(job.review_file, rules_then_recheck)
            case, corrections, decisions, saved_reviewer = export_parts(review)
        except (ValueError, DocumentError):
            case = review = None
            notes.append("审核记录文件无法读取，已重新提取")
        if case is not None:
            same = {d.sha256 for d in case.documents} == set(job.digests) or not job.digests
            if same and all(s.status == "ok" for s in verify_sources(case)):
                reviewer, source = saved_reviewer or reviewer, "review"
            else:
                case, corrections, decisions, review = None, [], [], None
                notes.append("材料在审核后有变动，本次按新材料重新提取（审核记录未采用）")
    cache_written = ""
    if case is None and job.cache_file:
        case = load_cached_case(job.cache_file, job.files)
        if case is not None:
            source = "cache"
            if apply_profile(case, job.district):  # cached under other rules of the district
                from core.pipeline import recheck

                recheck(case, preset=job.preset)
    if case is None:
        try:
            case = extract_case(list(job.files), preset=job.preset, district=job.district)
        except NoInput as e:
            return CaseOutcome(job.case_id, job.name, ok=False, reason="无法读取：" + _problems_text(e.problems))
        source = "extracted"
        if job.cache_file:
            try:
                save_cached_case(job.cache_file, case, Path(job.cache_file).stem)
                cache_written = job.cache_file
            except OSError as e:
                notes.append(f"缓存未能保存（{os_error_reason(e, '缓存')}），下次将重新提取")

    digests = sorted({d.sha256 for d in case.documents if d.sha256})
    unit = case_unit_name(case)
    year = _case_year(case)
    reason = not_reviewable_reason(case)
    if reason:
        return CaseOutcome(job.case_id, job.name, ok=False, reason=reason, source=source, digests=digests,
                           cache_file=cache_written or (job.cache_file if source == "cache" else ""),
                           unit_name=unit, year=year, kinds=document_kinds(case))
    unreadable = case.extra.get("unreadable") or []
    if unreadable:
        notes.append("部分文件无法读取：" + _problems_text(unreadable))
    copies = _attach_copies(case, job)
    complete: bool | None = None
    complete_reasons: list[str] = []
    if review is not None:
        errors, warnings = count_open(case, review.decisions.is_closed)
        notes.append("含审核人的修改和结论")
        # 复核完成 by the one rule the window uses, on the review read above (core.checks.coverage.review_complete)
        done = review_completion(case, review)
        complete, complete_reasons = done.complete, list(done.reasons)
    else:
        errors, warnings = count_open(case)
    figures, fig_notes = case_figures(case)
    notes.extend(fig_notes)
    cache_file = cache_written or (job.cache_file if source == "cache" else "")
    outcome = CaseOutcome(job.case_id, job.name, ok=True, figures=figures, errors=errors, warnings=warnings,
                          source=source, cache_file=cache_file,
                          digests=digests, unit_name=unit, year=year, notes=notes, kinds=document_kinds(case),
                          complete=complete, complete_reasons=complete_reasons)
    outcome.copies = copies
    if copies:
        notes.append(f"与其他单位材料雷同{copies}处（见材料雷同清单）")
    outcome.signature = _signature(case, job)
    try:
        from core.export.docx import export_review_opinion
        from core.export.review_items import review_items

        items = review_items(case, list(corrections), list(decisions))
        paths = export_workbooks(case, Path(job.out_dir), corrections=corrections, decisions=decisions,
                                 reviewer=reviewer, items=items)
        outcome.workbooks = [str(p) for p in paths]
        outcome.opinion = str(export_review_opinion(case, Path(job.out_dir), items=items))
    except OutputError as e:
        outcome.write_error = f"{e.path}：{e.reason}"
    except OSError as e:
        outcome.write_error = f"{job.out_dir}：{os_error_reason(e, '工作簿')}"
    return outcome


def _case_year(case: Case) -> int | None:
    years = [d.year for d in case.documents if isinstance(d.year, int) and 1990 < d.year < 2200]
    return Counter(years).most_common(1)[0][0] if years else None


# -- the run ------------------------------------------------------------------------------------------------

def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, MAX_DEFAULT_JOBS))


def batch_store_dir(folder: str | Path, out_dir: str | Path) -> Path:
    """The workspace a batch uses: the window's ``<folder>/.jixiao`` when there is one, else
    ``<out_dir>/.cache`` (the batch then writes nothing into the input folder)."""

    own = Path(folder) / STORE_NAME
    if (own / WORKSPACE_FILE).is_file():
        return own
    return Path(out_dir) / ".cache"


def run_batch(
    folder: str | Path,
    out_dir: str | Path,
    *,
    jobs: int | None = None,
    preset: str | None = None,
    reviewer: str = "",
    district: DistrictProfile | None = None,
    store_dir: str | Path | None = None,
    use_reviews: bool = True,
    review_stores: Iterable[str | Path] = (),
    progress: Line | None = None,
    on_case: Callable[[CaseOutcome, int, int], None] | None = None,
    cancel: Cancel | None = None,
    now: datetime | None = None,
) -> BatchResult:
    """Run every case of ``folder`` into ``out_dir`` (see the module docstring); ``progress`` gets one
    Chinese line per event ("[3/12] 中共…组织部 …完成（错误2 警告5）"), ``on_case(outcome, done, total)`` the
    outcome of each case as it finishes.  A case with a saved review is exported from it: the workspace's own
    review, or one found for the same files in ``review_stores`` (the window's case folder); ``use_reviews``
    False ignores every review (``--fresh``).  Raises ``OutputError`` when ``out_dir`` cannot be created,
    ``DocumentError`` when ``folder`` is not a folder, ``Cancelled`` when ``cancel`` says so.  ``district``
    is the district's profile (rules switched off); None reads the workspace's (``<store>/district.json``)."""

    started = time.perf_counter()
    say = progress or (lambda line: None)
    out = Path(os.path.abspath(out_dir))
    _make_dir(out)
    store = Path(os.path.abspath(store_dir)) if store_dir is not None else batch_store_dir(folder, out)
    say(f"正在扫描 {Path(folder)} …")
    ws = Workspace.open(folder, store, exclude=[out], save=False)
    if district is None:
        found = profile_path(ws.store_dir)
        district = load_profile(found if found.is_file() else (find_profile([folder]) or found))
    result = BatchResult(out_dir=out, title=ws.title, store_dir=store)
    entries = ws.list_cases()
    if not entries:
        say("文件夹中没有找到任何部门的材料（PDF文件）")
        result.seconds = time.perf_counter() - started
        return result
    case_dirs = _case_dir_names(entries)
    engine = engine_fingerprint()
    jobs_list: list[CaseJob] = []
    stores = [Path(d) for d in review_stores]
    for e in entries:
        digests = ws.digests(e.id)
        cache_file = str(ws.cache_dir / f"{cache_key(digests, preset, engine)}.json") if digests else ""
        review_file = str(e.case_file) if e.has_review else ""
        if use_reviews and not review_file and stores and e.files:
            from core.review.store import find_saved_review

            found = find_saved_review(e.files, stores)
            review_file = str(found) if found is not None else ""
        jobs_list.append(CaseJob(
            case_id=e.id, name=e.name, files=tuple(str(p) for p in e.files),
            out_dir=str(out / case_dirs[e.id]), digests=tuple(digests),
            cache_file=cache_file, review_file=review_file if use_reviews else "",
            problem=e.problem, preset=preset, reviewer=e.reviewer or reviewer, district=district))
    n = len(jobs_list)
    heavy = [j for j in jobs_list if not _cheap(j)]
    light = [j for j in jobs_list if _cheap(j)]
    workers = max(1, min(jobs or default_jobs(), len(heavy)))
    if len(heavy) < 2:
        workers = 1
    say(f"共{n}个部门，其中{len(heavy)}个需要读取PDF" + (f"，{workers}个进程并行处理" if workers > 1 else ""))
    outcomes: dict[str, CaseOutcome] = {}

    def finished(o: CaseOutcome) -> None:
        outcomes[o.case_id] = o
        say(_progress_line(o, len(outcomes), n))
        if o.traceback:
            log.error("case %s failed with a program error:\n%s", o.case_id, o.traceback)
        if o.ok:
            ws.record_counts(o.case_id, errors=o.errors, warnings=o.warnings, digests=o.digests,
                             unit_name=o.unit_name, cache_file=o.cache_file or None, save=False,
                             kinds=o.kinds)
        else:
            ws.record_failure(o.case_id, o.reason, save=False, kinds=o.kinds)
        if on_case:
            on_case(o, len(outcomes), n)

    if workers == 1:
        for job in heavy + light:
            if cancel and cancel():
                raise Cancelled()
            finished(process_case(job))
    else:
        _run_pool(heavy, light, workers, finished, cancel)

    _compare_district(ws, jobs_list, outcomes, result, say, cancel)
    result.outcomes = [outcomes[j.case_id] for j in jobs_list]
    result.rows = summary_rows(result.outcomes, [ws.case(j.case_id) for j in jobs_list], out)
    result.title = ws.title
    years = Counter(o.year for o in result.outcomes if o.ok and o.year)
    year = years.most_common(1)[0][0] if years else None
    try:
        from core.export.excel import export_summary

        result.summary_path = export_summary(result.rows, out, title=result.title, year=year,
                                             reviewer=reviewer, now=now)
    except OutputError as e:
        result.summary_error = f"{e.path}：{e.reason}"
    try:
        ws.save()
    except OutputError as e:  # the counts are a convenience; the outputs above are what matters
        say(f"提示：审核工作区状态未能保存（{e.reason}）")
    result.seconds = time.perf_counter() - started
    return result


def _cheap(job: CaseJob) -> bool:
    """A case that needs no PDF read: exported from its review or its cached case, or known to fail."""
    return not job.files or bool(job.review_file) or bool(job.cache_file and Path(job.cache_file).is_file())


def _run_pool(heavy: list[CaseJob], light: list[CaseJob], workers: int,
              finished: Callable[[CaseOutcome], None], cancel: Cancel | None) -> None:
    """The cases that read PDFs in a process pool; meanwhile the cheap ones (a JSON read and an export,
    ≈0.2 s) in this process, which would otherwise only wait."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        pending: dict[Future, CaseJob] = {pool.submit(process_case, j): j for j in heavy}
        todo = list(light)
        try:
            while pending or todo:
                if cancel and cancel():
                    raise Cancelled()
                if todo:
                    finished(process_case(todo.pop(0)))
                    timeout = 0.0
                else:
                    timeout = 0.5
                done = wait(pending, timeout=timeout, return_when=FIRST_COMPLETED).done if pending else set()
                for fut in done:
                    job = pending.pop(fut)
                    try:
                        outcome = fut.result()
                    except Exception as e:  # the worker process died (out of memory, killed)
                        outcome = CaseOutcome(job.case_id, job.name, ok=False,
                                              reason=f"处理进程意外退出（{type(e).__name__}），请单独重试此部门")
                    finished(outcome)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def _case_dir_names(entries: list[Any]) -> dict[str, str]:
    """An output folder per case: its name; when two cases have the same name, the name plus its folder or
    file name ("中共…组织部_材料2")."""
    from core.export import safe_file_name

    base = {e.id: safe_file_name(e.name, fallback="未命名单位") for e in entries}
    counts = Counter(v.casefold() for v in base.values())
    out: dict[str, str] = {}
    used: set[str] = set()
    for e in entries:
        name = base[e.id]
        if counts[name.casefold()] > 1:
            if e.folder is not None:
                tail = e.folder.name
            elif e.kind == "group":
                tail = "散件"
            else:
                tail = Path(e.files[0]).stem if e.files else e.id
            name = safe_file_name(f"{name}_{tail}", fallback="未命名单位")
        candidate, i = name, 2
        while candidate.casefold() in used:
            candidate = f"{name}_{i}"
            i += 1
        used.add(candidate.casefold())
        out[e.id] = candidate
    return out


def summary_rows(outcomes: list[CaseOutcome], entries: list[Any], out_dir: Path) -> list[dict[str, Any]]:
    """The 汇总表 records, one per case in the given order."""
    rows = []
    for n, (o, e) in enumerate(zip(outcomes, entries), 1):
        row: dict[str, Any] = {"seq": n, "name": e.name, "status": e.status}
        materials = getattr(e, "materials", ())
        row["materials"] = summary_text(materials)
        row["materials_missing"] = any(m.state == MISSING for m in materials)
        if o.ok:
            row.update(o.figures)
            row["errors"], row["warnings"] = o.errors, o.warnings
            notes = list(o.notes)
            if o.completion_text:
                notes.append(o.completion_text)
            if o.write_error:
                notes.append("工作簿未能写入：" + o.write_error)
                row["failed"] = True
            elif o.workbooks:
                wb = Path(o.workbooks[0])
                try:
                    row["link_target"] = wb.relative_to(out_dir).as_posix()
                except ValueError:
                    row["link_target"] = wb.as_posix()
            row["note"] = "；".join(notes)
        else:
            row["failed"] = True
            row["note"] = o.reason
        rows.append(row)
    return rows


def _progress_line(o: CaseOutcome, done: int, total: int) -> str:
    head = f"[{done}/{total}] {o.name} …"
    if not o.ok:
        return head + "失败：" + o.reason
    extra = {"cache": "；材料未变，沿用已缓存的提取结果", "review": "；按审核记录导出"}.get(o.source, "")
    line = head + f"完成（错误{o.errors} 警告{o.warnings}{extra}）"
    if o.completion_text:
        line += "，" + o.completion_text
    if o.write_error:
        line += f"，但工作簿未能写入：{o.write_error}"
    return line


def _make_dir(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise OutputError(str(out), "保存位置不是文件夹，无法保存输出文件")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(str(out), os_error_reason(e, "输出文件")) from None
    if not os.access(out, os.W_OK | os.X_OK):
        raise OutputError(str(out), "保存位置只读或没有写入权限，无法保存输出文件")


# -- copied text across the district (core.copies) ------------------------------------------------------------

def _attach_copies(case: Case, job: CaseJob) -> int:
    """Put the job's copy findings into the case (none on the first pass: a review saved by the window may
    hold the comparison of another day), re-checking when they changed; how many there are."""
    from core.copies import attach
    from core.model import Finding
    from core.pipeline import recheck

    found = [Finding.from_json(d) for d in job.copies or ()]
    if attach(case, found, compared=job.copies is not None):
        recheck(case, preset=job.preset)
    return len(found)


def _signature(case: Case, job: CaseJob) -> dict:
    from core.copies import case_signature

    try:
        return case_signature(case, case_id=job.case_id, digests=job.digests)
    except Exception:  # the comparison is a help; a bug in it must not fail the department
        log.exception("signature of %s failed", job.case_id)
        return {}


def _compare_district(ws: Workspace, jobs: list[CaseJob], outcomes: dict[str, CaseOutcome], result: BatchResult,
                      say: Line, cancel: Cancel | None) -> None:
    """Every case read: compare them (``core.copies``), keep each case's signature in the workspace's store,
    export again the cases that share text with another unit (their copy findings in the workbook and the
    复核意见; a cached case is a JSON read) and write the district list ``材料雷同清单.csv``."""
    from dataclasses import replace

    from core.copies import DistrictIndex, district_rows, save_signature
    from core.workspace import unit_key

    sigs = []
    for job in jobs:
        o = outcomes.get(job.case_id)
        if o is None or not o.ok or not o.signature:
            continue
        sig = dict(o.signature)
        entry = ws.case(job.case_id)
        if entry.unit_key:  # the workspace's name of the unit (a folder's, learnt from any of its files)
            sig["unit"], sig["unit_key"] = entry.name, unit_key(entry.name)
        try:
            save_signature(ws.store_dir, sig)
        except OSError as e:
            log.warning("signature of %s not kept: %s", job.case_id, e)
        sigs.append(sig)
    if len(sigs) < 2:
        return
    index = DistrictIndex(sigs)
    if not index.comparable:
        say(f"材料比对：只有{index.units}个单位，不足{index.cfg.min_units}个，无法区分共用模板和照搬，未比对")
        return
    by_id = {j.case_id: j for j in jobs}
    total = 0
    for sig in sigs:
        cid = sig["case_id"]
        found = index.findings(cid)
        if not found and not outcomes[cid].copies:
            continue
        if cancel and cancel():
            raise Cancelled()
        total += len(found)
        again = process_case(replace(by_id[cid], copies=tuple(f.to_json() for f in found)))
        if not again.ok:  # read before, not now (the files went meanwhile): keep the first outcome
            continue
        again.source = outcomes[cid].source
        outcomes[cid] = again
        say(f"{again.name}：与其他单位材料雷同{len(found)}处，已重新导出（错误{again.errors} 警告{again.warnings}）"
            if found else f"{again.name}：已重新导出（与其他单位的雷同已不存在）")
        ws.record_counts(cid, errors=again.errors, warnings=again.warnings, digests=again.digests,
                         unit_name=again.unit_name, cache_file=again.cache_file or None, save=False)
    rows = district_rows(index)
    if not rows:
        say("材料比对：各部门之间未发现雷同的文字、绩效指标或数字")
        return
    path = result.out_dir / "材料雷同清单.csv"
    try:
        _write_copies_csv(path, rows)
        result.copies_path = path
    except OSError as e:
        result.summary_error = result.summary_error or f"{path}：{os_error_reason(e, '材料雷同清单')}"
        return
    units = {r["unit_a"] for r in rows} | {r["unit_b"] for r in rows}
    say(f"材料比对：{len(units)}个单位之间有{len(rows)}处雷同，已写入 {path.name}")


COPIES_COLUMNS = (("kind", "类别"), ("unit_a", "单位"), ("place_a", "位置"), ("file_a", "文件"), ("text_a", "内容"),
                  ("unit_b", "相同的单位"), ("place_b", "其位置"), ("file_b", "其文件"), ("text_b", "其内容"))


def _write_copies_csv(path: Path, rows: list[dict[str, Any]]) -> None:
    """The district list as CSV with a BOM (Excel and WPS open it as Chinese text)."""
    import csv
    import io

    from core.review.atomic import write_text_atomic

    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["序号"] + [name for _, name in COPIES_COLUMNS])
    for n, r in enumerate(rows, 1):
        w.writerow([n] + [_csv_safe(str(r.get(k) or "")) for k, _ in COPIES_COLUMNS])
    write_text_atomic(path, "\ufeff" + buf.getvalue())


def _csv_safe(s: str) -> str:
    """Document text is never a formula when the CSV is opened in a spreadsheet ("=…", "+…", "@…")."""
    return "'" + s if s[:1] in ("=", "+", "-", "@") else s
