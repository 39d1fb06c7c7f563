"""The case file: where a review lives on disk, how it is written without ever being lost, and how it comes back.

Why it exists: a reviewer's afternoon of corrections must survive a crash, a kill -9, a full disk and a
read-only folder.  So every save is atomic (``core.review.atomic``: a temporary file in the same folder,
written, flushed, fsynced, then ``os.replace``d over the old one, then the folder fsynced where the platform
allows): at any instant the case file is either the previous complete version or the new complete version.
``AutoSaver`` writes after every change, so recovery is simply "the last saved file"; ``recover_candidates``
finds the reviews that were open when the program stopped.  A failed save raises ``OutputError`` with a Chinese reason and loses nothing:
the session keeps everything in memory and can be saved elsewhere.

The file is the contract's case JSON (``review-case/1``, the fields holding the *corrected* values, so
``export --case`` and any script read it as a case) plus a top-level ``"review"`` object
(``ReviewLogs.to_json``: reviewer, created, modified, closed, exported, extracted_fields, corrections,
decisions).  A value entered by hand is a field of the case (``attrs.manual``) and an ``add`` correction
carrying its definition; it is not among the extracted fields (nothing was extracted).  Numbers in the review object are written digit for digit from their Decimal (0.960 stays 0.960),
and loading restores field values from it, not from the float-rounded ``fields`` section.

Where a case file lives: ``<store_dir>/<name>.case.json``, ``name`` derived from the sorted sha256 of the
source files, so opening the same files again finds the review without re-extracting.  Each source's sha256 is
recorded in the case, and ``verify_sources`` reports a changed or missing one so the window can announce it
rather than silently re-read it.

What it must not do: import Qt, or write a case file other than through ``core.review.atomic``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import re
import sys
import time
import weakref
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from core.documents.pdf import sha256_of
from core.errors import DocumentError, OutputError, os_error_reason
from core.model import Case
from core.review.atomic import TEMP_SUFFIX, temp_prefix, write_bytes_atomic, write_text_atomic
from core.review.corrections import Correction, Decision, ReviewLogs, export_records, restore_added_fields
from core.review.session import SAVE_FAILED, SAVED, ChangeSet, ReviewSession

log = logging.getLogger(__name__)

CASE_SUFFIX = ".case.json"
ORPHAN_AGE_SECONDS = 600
"""A temporary file of ours older than this is the leftover of a save that was killed (a save takes well
under a second); the next save of the same file removes it."""


class CaseFileError(DocumentError):
    """A case file that cannot be read back (missing, unreadable, corrupt, not ours).  ``reason`` is Chinese.

    A ``DocumentError`` so that ``export --case`` reports it like any unreadable input (exit 3).
    """

    def __init__(self, path: str, reason: str, code: str = "case_file") -> None:
        super().__init__(path, reason, code=code)


# -- saving ----------------------------------------------------------------------------------------------------

def case_text(session: ReviewSession) -> str:
    """The whole case file as text (what ``save_case`` writes), for a session as it stands."""
    document = session.case.to_json()
    document["review"] = session.logs.to_json()
    return _dumps(document) + "\n"


def save_case(path: str | Path, session: ReviewSession) -> Path:
    """Write the session's case file atomically (``core.review.atomic``: temporary file in the same folder,
    write, flush, fsync, ``os.replace``, fsync the folder), creating its folder if need be.

    Raises ``OutputError`` with a Chinese reason ("磁盘已满，无法保存审核记录", "保存位置只读，…") and leaves the
    previous file as it was.  Prefer ``session.save(path)``, which also announces ``saved`` / ``save_failed``.
    """
    path = Path(path)
    text = case_text(session)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _remove_orphans(path)
        if _key(path) not in _written.get(session, ()):
            keep_other_review(path, session.logs)
        write_text_atomic(path, text)
    except OSError as e:
        raise OutputError(str(path), save_reason(e)) from e
    _written.setdefault(session, set()).add(_key(path))
    return path


_written: "weakref.WeakKeyDictionary[ReviewSession, set[str]]" = weakref.WeakKeyDictionary()
"""The case files each session has written: only the first save of a session to a path looks at what is
there (another review of the same case is moved to the history first, ``keep_other_review``)."""


def _key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def save_reason(e: OSError, what: str = "审核记录") -> str:
    """The Chinese reason a save failed, for the reviewer (see ``core.errors.os_error_reason``)."""
    return os_error_reason(e, what)


def _remove_orphans(path: Path) -> None:
    """Remove temporary files of ours that a killed save left next to ``path`` (old enough to be dead)."""
    prefix, cutoff = temp_prefix(path), time.time() - ORPHAN_AGE_SECONDS
    with suppress(OSError):
        for p in path.parent.iterdir():
            if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX):
                with suppress(OSError):
                    if p.stat().st_mtime < cutoff:
                        p.unlink()


def _dumps(o: Any, depth: int = 0) -> str:
    """JSON with Decimals written as their exact digits (``json`` would need float, dropping 0.960's zero).

    Layout for people reading the file: the top levels one entry per line, each field, correction or
    decision on one line of its own.  A one-line part without a Decimal in it (every part of the contract's
    case JSON) goes through ``json``'s C encoder in one call.
    """
    if isinstance(o, Decimal):
        if not o.is_finite():
            raise ValueError(f"not a finite number: {o}")
        return str(o)
    is_dict, is_list = isinstance(o, dict), isinstance(o, (list, tuple))
    multiline = (is_dict and depth < 2) or (is_list and depth < 3)
    if not multiline:
        try:
            return json.dumps(o, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))
        except TypeError:  # holds a Decimal: written part by part below
            pass
    if is_dict:
        items = [f"{json.dumps(str(k), ensure_ascii=False)}: {_dumps(v, depth + 1)}" for k, v in o.items()]
        return _wrap("{", items, "}", depth, multiline)
    if is_list:
        return _wrap("[", [_dumps(v, depth + 1) for v in o], "]", depth, multiline)
    return json.dumps(o, ensure_ascii=False, allow_nan=False)


def _wrap(open_: str, items: list[str], close: str, depth: int, multiline: bool) -> str:
    if not items:
        return open_ + close
    if not multiline:
        return open_ + ", ".join(items) + close
    pad = "\n" + " " * (depth + 1)
    return open_ + pad + ("," + pad).join(items) + "\n" + " " * depth + close


# -- history: no review is ever replaced ----------------------------------------------------------------------

HISTORY_DIR = "history"


def history_dir(case_path: str | Path) -> Path:
    """Where the earlier reviews of the case kept in ``case_path`` are: ``<store>/history/<name>/``."""
    case_path = Path(case_path)
    name = case_path.name[: -len(CASE_SUFFIX)] if case_path.name.endswith(CASE_SUFFIX) else case_path.stem
    return case_path.parent / HISTORY_DIR / name


def _identity(review: Any) -> tuple[str, str]:
    if isinstance(review, ReviewLogs):
        return review.review_id, review.created
    if isinstance(review, dict):
        return str(review.get("id", "") or ""), str(review.get("created", "") or "")
    return "", ""


def _same_review(a: tuple[str, str], b: tuple[str, str]) -> bool:
    if a[0] and b[0]:
        return a[0] == b[0]
    return bool(a[1]) and a[1] == b[1]


def _has_work(review: Any) -> bool:
    """A review a person did something in: a correction, a decision, or a value added by hand."""
    return isinstance(review, dict) and bool(review.get("corrections") or review.get("decisions"))


def keep_other_review(case_path: str | Path, logs: ReviewLogs | None) -> Path | None:
    """Before ``case_path`` is written with the review ``logs``: if it holds another review with work in it
    (corrections or decisions), copy that one into the case's history (``history_dir``) first.  Returns the
    copy's path (None when nothing had to be kept).  An unreadable file there is kept too, byte for byte.

    This is the one guard behind every way a review could be replaced: a new review of the same files (opened
    again with a missing argument, re-read after a change, a damaged review set aside), a restored older one.
    Raises ``OSError`` if the copy cannot be written; the case file is then not touched.
    """
    case_path = Path(case_path)
    try:
        data = case_path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        d = json.loads(data.decode("utf-8"), parse_float=Decimal)
        review = d.get("review") if isinstance(d, dict) else None
    except ValueError:
        review = {"corrections": ["?"]}  # not readable: keep it as it is
    if logs is not None and _same_review(_identity(review), _identity(logs)):
        return None
    if not _has_work(review):
        return None
    folder = history_dir(case_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = str((review or {}).get("modified", "") or "") if isinstance(review, dict) else ""
    base = (re.sub(r"[^0-9A-Za-z]+", "", stamp)[:14] or time.strftime("%Y%m%d%H%M%S"))
    target = folder / f"{base}{CASE_SUFFIX}"
    n = 1
    while target.exists():
        if target.read_bytes() == data:
            return target  # already kept
        n += 1
        target = folder / f"{base}-{n}{CASE_SUFFIX}"
    write_bytes_atomic(target, data)
    log.info("kept the earlier review %s as %s", case_path, target)
    return target


@dataclass(frozen=True)
class ReviewVersion:
    """One saved review of a case: the current one (``current``) or one kept in its history."""

    path: Path
    current: bool
    reviewer: str
    created: str
    modified: str
    corrections: int  # correction records (undo/redo included) in the log
    decisions: int
    readable: bool = True


def review_versions(case_path: str | Path) -> list[ReviewVersion]:
    """The current review of the case (first, if it exists) and every earlier one kept, most recent first."""
    case_path = Path(case_path)
    out: list[ReviewVersion] = []
    if case_path.is_file():
        out.append(_version(case_path, current=True))
    folder = history_dir(case_path)
    kept = sorted(folder.glob(f"*{CASE_SUFFIX}")) if folder.is_dir() else []
    older = [_version(p, current=False) for p in kept]
    older.sort(key=lambda v: (_sort_key(v.modified), v.path.name), reverse=True)
    return out + older


def _version(path: Path, *, current: bool) -> ReviewVersion:
    try:
        d = json.loads(path.read_bytes().decode("utf-8"), parse_float=Decimal)
        r = d.get("review") or {}
        return ReviewVersion(path, current, str(r.get("reviewer", "")), str(r.get("created", "")),
                             str(r.get("modified", "")), len(r.get("corrections") or []),
                             len(r.get("decisions") or []))
    except (OSError, ValueError, AttributeError):
        return ReviewVersion(path, current, "", "", "", 0, 0, readable=False)


def restore_version(case_path: str | Path, version: str | Path) -> Path:
    """Make the kept review ``version`` the case's current one.  The current one goes into the history first
    (``keep_other_review``), so restoring loses nothing and can itself be undone.  Raises ``CaseFileError``
    for a version that is not a readable review, ``OutputError`` when a file cannot be written."""
    case_path, version = Path(case_path), Path(version)
    _case, logs = load_case(version)  # refuses a damaged one before anything is touched
    try:
        keep_other_review(case_path, logs)
        write_bytes_atomic(case_path, version.read_bytes())
    except OSError as e:
        raise OutputError(str(case_path), save_reason(e)) from e
    return case_path


# -- loading ---------------------------------------------------------------------------------------------------

def load_case(path: str | Path) -> tuple[Case, ReviewLogs]:
    """Read a case file: the case (fields as saved) and its review logs.

    A plain ``extract`` JSON (no "review" object) loads as a review not yet begun.  Values the reviewer entered
    by hand are replayed from the log (``corrections.restore_added_fields``): the case holds those the log has
    not undone, rebuilt from their ``add`` records if the fields section lacks them.  Raises
    ``CaseFileError``.  Use ``ReviewSession.from_file`` to get the values replayed exactly and the checks
    re-run.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CaseFileError(str(path), "审核记录文件不存在", code="missing") from None
    except OSError as e:
        raise CaseFileError(str(path), f"无法读取审核记录文件（{e.strerror or e}）") from None
    try:
        d = json.loads(data.decode("utf-8"), parse_float=Decimal)
        if not isinstance(d, dict) or "fields" not in d:
            raise ValueError("not a case")
        review = d.pop("review", None)
        case = Case.from_json(d)
        logs = ReviewLogs.from_json(review) if review is not None else ReviewLogs()
        restore_added_fields(case, logs.corrections)
    except (ValueError, KeyError, TypeError, AttributeError) as e:
        raise CaseFileError(str(path), "审核记录文件已损坏，或不是本工具保存的文件") from e
    return case, logs


def load_case_for_export(path: str | Path, recheck: Any = None
                         ) -> tuple[Case, list[dict[str, Any]], list[Decision], str]:
    """For ``main.py export`` and ``batch``: the case with the corrections applied (values replayed digit for
    digit), every correction record as the window exports it (``export_records``) and every decision (the
    修改记录 lists exactly what the file holds), and the reviewer.  With ``recheck`` (the pipeline's) the
    checks and scores are run again, as the window does when it opens a review, so the workbook is the one
    the window would export; without it they are the saved ones (numbers as the case JSON keeps them).

    Raises ``ValueError`` whose text is the Chinese reason, which is what ``main.py`` reports (exit 3).
    """
    try:
        session = ReviewSession.from_file(path, recheck=recheck or _keep_saved_findings)
    except CaseFileError as e:
        raise ValueError(e.reason) from e
    return session.case, export_records(session.corrections.records), list(session.decisions), session.reviewer


def _keep_saved_findings(case: Case) -> None:
    """A recheck that keeps the findings and scores as saved."""


# -- where case files live -------------------------------------------------------------------------------------

def case_path_for(sources: Iterable[str | Path], store_dir: str | Path) -> Path:
    """The case file for these source files (folders already expanded to files) inside ``store_dir``.

    The name is the sha256 of the sorted sha256s of the files: stable however the files are named, ordered or
    moved, and different as soon as one byte of one file changes.  Raises ``DocumentError`` for a file that
    cannot be read.
    """
    digests = []
    for p in sources:
        try:
            digests.append(sha256_of(p))
        except OSError as e:
            raise DocumentError(str(p), f"无法读取文件（{e.strerror or e}）", code="unreadable") from None
    return _case_path(digests, store_dir)


def case_path_for_case(case: Case, store_dir: str | Path) -> Path:
    """The same name from the sha256s recorded in an extracted case (no re-hashing)."""
    return _case_path([d.sha256 for d in case.documents], store_dir)


def _case_path(digests: Iterable[str], store_dir: str | Path) -> Path:
    joined = "\n".join(sorted(set(digests)))
    return Path(store_dir) / f"{hashlib.sha256(joined.encode('ascii')).hexdigest()[:24]}{CASE_SUFFIX}"


def find_case(sources: Iterable[str | Path], store_dir: str | Path) -> Path | None:
    """The case file to reopen for these sources, or None.

    Sources that do not exist (a mistyped argument, a file moved away) do not count: they are announced by
    whoever opens the case, and must not turn a saved review into a new one.  First the file named by the
    content of the others (``case_path_for``); failing that, the most recently modified case file in
    ``store_dir`` recorded for the same paths — one of the files changed since, and the window must say so
    (``verify_sources``) rather than start a new review over the old one — or for these paths plus files that
    are gone now (the window announces them missing).
    """
    present = [Path(p) for p in sources if _exists(Path(p))]
    if not present:
        return None
    try:
        exact = case_path_for(present, store_dir)
    except DocumentError:
        exact = None  # a file that cannot be read: matched by its path below
    if exact is not None and exact.exists():
        return exact
    wanted = {_norm(p) for p in present}
    # a case file recording these paths contains each file's name: skip parsing the ones that do not
    needle = json.dumps(present[0].name, ensure_ascii=False)[1:-1].encode("utf-8")
    best: tuple[str, Path] | None = None
    for path, d in _case_files(store_dir, containing=needle):
        recorded = {_norm(Path(doc.get("path", ""))): str(doc.get("path", "")) for doc in d.get("documents", [])}
        if not wanted <= set(recorded) or any(_exists(Path(recorded[k])) for k in set(recorded) - wanted):
            continue
        modified = str(d.get("review", {}).get("modified", ""))
        if best is None or _later(modified, best[0]):
            best = (modified, path)
    return best[1] if best else None


def _exists(p: Path) -> bool:
    try:
        return p.exists()
    except OSError:
        return False


APP_FOLDERS = ("jixiao-review", "jixiao-review")
"""Organisation and application name (``ui.app``): Qt's per-user AppDataLocation is ``<base>/<org>/<app>``."""


WORKSPACE_REVIEWS = Path(".jixiao") / "reviews"
"""A workspace's review folder inside its district folder (``core.workspace``: STORE_NAME / REVIEWS_DIR)."""


def user_cases_dir() -> Path:
    """The window's case folder (``ui.settings.cases_dir``: Qt's AppDataLocation + ``cases``) found without Qt,
    so that the command line finds the reviews saved in the window.  Not created here."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base.joinpath(*APP_FOLDERS) / "cases"


def review_stores(inputs: Iterable[str | Path], extra: Iterable[str | Path] = ()) -> list[Path]:
    """Where reviews of these inputs may be kept: ``extra`` (``--store``), the window's own case folder, and
    the review folder of a workspace (``<district>/.jixiao/reviews``) holding an input, up to three levels up."""
    out: list[Path] = [Path(p) for p in extra]
    out.append(user_cases_dir())
    for a in inputs:
        p = Path(os.path.abspath(a))
        for folder in [p, *p.parents][:4]:
            out.append(folder / WORKSPACE_REVIEWS)
    seen: set[str] = set()
    unique = []
    for d in out:
        k = _key(d)
        if k not in seen and d.is_dir():
            seen.add(k)
            unique.append(d)
    return unique


def find_saved_review(files: Iterable[str | Path], stores: Iterable[str | Path]) -> Path | None:
    """The most recently changed review of these files (``find_case``) among ``stores``, or None."""
    files = list(files)
    found = [p for p in (find_case(files, d) for d in stores) if p is not None]
    if not found:
        return None
    return max(found, key=lambda p: _sort_key(_version(p, current=True).modified))


class SourceStatus(NamedTuple):
    doc_id: str
    path: str
    status: str  # "ok" | "changed" | "missing"


def verify_sources(case: Case) -> list[SourceStatus]:
    """Each source file of the case against its recorded sha256: "ok", "changed" or "missing".

    A document with no recorded sha256 cannot be vouched for and counts as "changed".
    """
    out = []
    for doc in case.documents:
        p = Path(doc.path)
        try:
            status = "ok" if doc.sha256 and sha256_of(p) == doc.sha256 else "changed"
        except OSError:  # gone, a folder now, or unreadable: either way not the file that was reviewed
            status = "missing"
        out.append(SourceStatus(doc.id, doc.path, status))
    return out


# -- autosave and recovery -------------------------------------------------------------------------------------

class AutoSaver:
    """Saves the session to ``path`` after every change, synchronously (the files are small).

    One operation sends several events with the same ``ChangeSet``; the file is written once for it.  A
    failed save does not raise into the operation that caused it: the session announces ``save_failed`` (the
    window shows the reason and offers ``save_as``), ``last_error`` holds it, and the next change tries again.
    """

    def __init__(self, session: ReviewSession, path: str | Path, *, save_now: bool = True) -> None:
        self.session = session
        self.path = Path(path)
        self.last_error: OutputError | None = None
        self._last_change: ChangeSet | None = None
        self._unsubscribe = session.subscribe(self._on_event)
        if save_now:  # a new review is on disk (and recoverable) before its first change
            self.save()

    def _on_event(self, name: str, payload: Any) -> None:
        if name in (SAVED, SAVE_FAILED) or payload is self._last_change:
            return
        self._last_change = payload
        self.save()

    def save(self) -> bool:
        """Save now; False (and ``last_error`` set) when it failed."""
        try:
            self.session.save(self.path)
        except OutputError as e:
            self.last_error = e
            return False
        self.last_error = None
        return True

    def save_as(self, path: str | Path) -> Path:
        """Save to another place and keep autosaving there (after a full disk or a read-only folder).
        Raises ``OutputError`` if that fails too; the target is unchanged then."""
        written = self.session.save(path)
        self.path, self.last_error = written, None
        return written

    def close(self) -> None:
        """The window closes the case normally: mark it closed, save, stop listening.  Raises ``OutputError``
        if the last save fails (and keeps listening), so the window can offer to save elsewhere first."""
        self.session.mark_closed()
        self.session.save(self.path)
        self.last_error = None
        self._unsubscribe()


@dataclass(frozen=True)
class RecoveryCandidate:
    """A review that was being worked on when the program stopped (for “上次未正常关闭的审核记录”)."""

    path: Path
    modified: str
    title: str  # the unit's name, or the first source file's name
    sources: tuple[str, ...]


def recover_candidates(store_dir: str | Path) -> list[RecoveryCandidate]:
    """Case files in ``store_dir`` changed after they were last closed or exported, most recent first."""
    out = []
    for path, d in _case_files(store_dir):
        review = d.get("review")
        if not isinstance(review, dict):
            continue
        modified = str(review.get("modified") or "")
        settled = max((str(review.get(k) or "") for k in ("closed", "exported")), key=_sort_key)
        if modified and _later(modified, settled):
            docs = d.get("documents", [])
            out.append(RecoveryCandidate(path, modified, _title(d), tuple(str(x.get("path", "")) for x in docs)))
    out.sort(key=lambda c: _sort_key(c.modified), reverse=True)
    return out


def _case_files(store_dir: str | Path, *, containing: bytes = b"") -> Iterable[tuple[Path, dict]]:
    """Every readable case file in ``store_dir`` (whose bytes hold ``containing``), parsed."""
    folder = Path(store_dir)
    if not folder.is_dir():
        return
    for path in sorted(folder.glob(f"*{CASE_SUFFIX}")):
        try:
            data = path.read_bytes()
            if containing not in data:
                continue
            d = json.loads(data.decode("utf-8"), parse_float=Decimal)
        except (OSError, ValueError) as e:
            log.warning("skipping unreadable case file %s: %s", path, e)
            continue
        if isinstance(d, dict):
            yield path, d


def _title(d: dict) -> str:
    for doc in d.get("documents", []):
        if doc.get("unit_name"):
            return str(doc["unit_name"])
    for f in d.get("fields", []):
        if str(f.get("key", "")).endswith(".unit_name") and isinstance(f.get("value"), str) and f["value"]:
            return f["value"]
    docs = d.get("documents", [])
    return Path(str(docs[0].get("path", ""))).name if docs else ""


def _sort_key(stamp: str) -> datetime:
    """ISO 8601 stamps compare as instants (offsets may differ after travel or a DST change); "" is oldest."""
    try:
        t = datetime.fromisoformat(stamp)
    except ValueError:
        return datetime.min.replace(tzinfo=datetime.now().astimezone().tzinfo)
    return t if t.tzinfo else t.astimezone()


def _later(a: str, b: str) -> bool:
    return _sort_key(a) > _sort_key(b)


def _norm(p: Path) -> str:
    return os.path.normcase(str(p.resolve()))
