"""Where reviews live on disk, how they are kept while the reviewer works, and how they come back.

Why it exists: a reviewer's afternoon of corrections must survive a crash, a kill -9, a full disk and a
read-only folder, and no other review may ever replace it.  The file itself — its text, the atomic write that
never goes over another review, reading it back — is ``core.review.casefile`` (re-exported here).
``AutoSaver`` writes after every change, so recovery is simply "the last saved file"; ``recover_candidates``
finds the reviews that were open when the program stopped.  A failed save raises ``OutputError`` with a Chinese
reason and loses nothing: the session keeps everything in memory and can be saved elsewhere.  A review that
another replaced is in the case's history (``history_dir``): ``review_versions`` lists them, ``restore_version``
brings one back (the window's 审核记录历史…, ``main.py history``).

Where a case file lives: ``<store_dir>/<name>.case.json``, ``name`` derived from the sorted sha256 of the
source files, so opening the same files again finds the review without re-extracting; the window's store is
``user_cases_dir()`` (found without Qt, so the command line finds the window's reviews), a workspace's is
``<district>/.jixiao/reviews``.  Each source's sha256 is recorded in the case, and ``verify_sources`` reports a
changed or missing one so the window can announce it rather than silently re-read it.

What it must not do: import Qt, or write a case file other than through ``core.review.casefile``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from core.documents.pdf import sha256_of
from core.errors import DocumentError, OutputError
from core.model import Case
from core.review.casefile import (  # noqa: F401 - the case file's API, re-exported for the store's users
    CASE_SUFFIX,
    HISTORY_DIR,
    ORPHAN_AGE_SECONDS,
    CaseFileError,
    _key,
    case_text,
    history_dir,
    keep_other_review,
    load_case,
    restore_version,
    save_case,
    save_reason,
)
from core.review.corrections import Decision, export_records
from core.review.session import SAVE_FAILED, SAVED, ChangeSet, ReviewSession

log = logging.getLogger(__name__)


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
    sources: tuple[str, ...] = ()  # the sorted sha256s of the files it reviewed (another version's: differ)


def review_versions(case_path: str | Path) -> list[ReviewVersion]:
    """The current review of the case (first, if it exists) and every earlier one kept, most recent first."""
    case_path = Path(case_path)
    out: list[ReviewVersion] = []
    if case_path.is_file():
        out.append(_version(case_path, current=True))
    folder = history_dir(case_path)
    kept = sorted(folder.glob(f"*{CASE_SUFFIX}")) if folder.is_dir() else []
    older = [_version(p, current=False) for p in kept]
    # two reviews saved in the same second: the one kept later (its name numbered -2, -3 …) is the more recent
    older.sort(key=lambda v: (_sort_key(v.modified), _kept_order(v.path), v.path.name), reverse=True)
    return out + older


def _kept_order(path: Path) -> int:
    """1 for ``<stamp>.jixiao``, n for ``<stamp>-n.jixiao`` (``keep_as_earlier_version`` numbers a second review
    kept under the same stamp)."""
    stem = path.name[: -len(CASE_SUFFIX)] if path.name.endswith(CASE_SUFFIX) else path.stem
    head, _, n = stem.rpartition("-")
    return int(n) if head and n.isdigit() else 1


def _version(path: Path, *, current: bool) -> ReviewVersion:
    try:
        d = json.loads(path.read_bytes().decode("utf-8"), parse_float=Decimal)
        r = d.get("review") or {}
        sources = tuple(sorted({str(x.get("sha256", "")) for x in d.get("documents") or [] if x.get("sha256")}))
        return ReviewVersion(path, current, str(r.get("reviewer", "")), str(r.get("created", "")),
                             str(r.get("modified", "")), len(r.get("corrections") or []),
                             len(r.get("decisions") or []), sources=sources)
    except (OSError, ValueError, AttributeError):
        return ReviewVersion(path, current, "", "", "", 0, 0, readable=False)


def keep_as_earlier_version(earlier: str | Path, case_path: str | Path) -> Path:
    """Keep ``earlier`` — the review of an earlier version of a case's files — in the history of ``case_path``,
    where the review of the files as they are now is (or will be), so that ``review_versions(case_path)``
    (``main.py history``, 审核记录历史…) lists it with its decisions, corrections and verdicts.  The file is
    copied byte for byte, a damaged one too; ``earlier`` stays where it is (the recent-cases list and
    ``export --case`` still find it).  Returns the copy (the one already there when the same bytes were kept
    before).  Raises ``OSError`` when it cannot be read or written."""
    from core.review.atomic import write_bytes_atomic

    earlier = Path(earlier)
    data = earlier.read_bytes()
    folder = history_dir(case_path)
    stamp = ""
    try:
        review = json.loads(data.decode("utf-8"), parse_float=Decimal).get("review") or {}
        stamp = str(review.get("modified", "") or "")
    except (ValueError, AttributeError):
        pass
    base = "".join(ch for ch in stamp if ch.isalnum())[:14] or datetime.now().strftime("%Y%m%d%H%M%S")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{base}{CASE_SUFFIX}"
    n = 1
    while target.exists():
        if target.read_bytes() == data:
            return target
        n += 1
        target = folder / f"{base}-{n}{CASE_SUFFIX}"
    write_bytes_atomic(target, data)
    log.info("kept the review %s of an earlier version of the files in the history of %s", earlier, case_path)
    return target


def carry_history(earlier: str | Path, case_path: str | Path) -> Path | None:
    """A case's files changed: the review of the earlier files (``earlier``, if it was ever written) and every
    review kept in its history go into the history of ``case_path`` (the review of the files as they are now),
    so a file sent a second and a third time keeps every earlier review in view.  Returns the copy of
    ``earlier`` (None when it was never written).  Raises ``OSError``."""
    folder = history_dir(earlier)
    for older in sorted(folder.glob(f"*{CASE_SUFFIX}")) if folder.is_dir() else []:
        keep_as_earlier_version(older, case_path)
    return keep_as_earlier_version(earlier, case_path) if Path(earlier).is_file() else None


def load_case_for_export(path: str | Path, recheck: Any = None
                         ) -> tuple[Case, list[dict[str, Any]], list[Decision], str]:
    """For ``main.py export`` and ``batch``: the case with the corrections applied (values replayed digit for
    digit), every correction record as the window exports it (``export_records``) and every decision (the
    修改记录 lists exactly what the file holds), and the reviewer.  With ``recheck`` (the pipeline's) the
    checks and scores are run again, as the window does when it opens a review, so the workbook is the one
    the window would export; without it they are the saved ones (numbers as the case JSON keeps them).

    Raises ``ValueError`` whose text is the Chinese reason, which is what ``main.py`` reports (exit 3).
    """
    return export_parts(open_for_export(path, recheck))


def open_for_export(path: str | Path, recheck: Any = None) -> ReviewSession:
    """The review of a case file as ``load_case_for_export`` reads it, as a session: for a caller that also
    needs the review's logs (a batch's 复核完成, ``core.workspace.review_completion``) without reading the file
    again.  Raises ``ValueError`` whose text is the Chinese reason."""
    try:
        return ReviewSession.from_file(path, recheck=recheck or _keep_saved_findings)
    except CaseFileError as e:
        raise ValueError(e.reason) from e


def export_parts(session: ReviewSession) -> tuple[Case, list[dict[str, Any]], list[Decision], str]:
    """``load_case_for_export``'s four parts of an open review: case, correction records, decisions, reviewer."""
    records = session.corrections.records
    labels = {r.field_id: session.label_of(r.field_id) for r in records if session.is_indicator_cell(r.field_id)}
    return session.case, export_records(records, labels=labels), list(session.decisions), session.reviewer


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
