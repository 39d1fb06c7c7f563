"""The case file itself: its text, the one place it is written (atomically, never over another review), and
reading it back.

Why it exists apart from ``store``: the session saves and reopens itself through these functions, and ``store``
(where case files live, autosave, recovery, the history) builds on the session; with the file's reading and
writing here, neither imports the other inside a function to get round a cycle.

Writing: ``save_case`` writes the whole file through ``core.review.atomic`` (a temporary file in the same folder,
written, flushed, fsynced, then ``os.replace``d over the old one, the folder fsynced where the platform allows),
so at any instant the case file is the previous complete version or the new one.  Before the first write of a
session to a path, a different review with work in it found there is copied into the case's history
(``keep_other_review``): no way of opening a case — a mistyped argument, a re-read after a change, a restored
older version — can replace a reviewer's work.

The file is the contract's case JSON (``review-case/1``, the fields holding the *corrected* values) plus a
top-level ``"review"`` object (``ReviewLogs.to_json``).  Numbers in the review object are written digit for digit
from their Decimal (0.960 stays 0.960).

What it must not do: import Qt, or import ``core.review.session`` / ``core.review.store`` (they import this).
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
import weakref
from contextlib import suppress
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.errors import DocumentError, OutputError, os_error_reason
from core.model import Case, readable_json
from core.review.atomic import TEMP_SUFFIX, temp_prefix, write_bytes_atomic, write_text_atomic
from core.review.corrections import ReviewLogs, restore_added_fields

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

def case_text(session: Any) -> str:
    """The whole case file as text (what ``save_case`` writes), for a session as it stands."""
    document = session.case.to_json()
    document["review"] = session.logs.to_json()
    return _dumps(document) + "\n"


def save_case(path: str | Path, session: Any) -> Path:
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


_written: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()
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


def _dumps(o: Any) -> str:
    """JSON with Decimals written as their exact digits (``json`` would need float, dropping 0.960's zero), laid
    out for people reading the file (``core.model.readable_json``, the writer of ``extract``'s case JSON too): the
    top levels one entry per line, each field, correction or decision on one line of its own."""
    return readable_json(o, allow_nan=False)


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
    """A review a person did something in: a correction, a decision, a value added by hand, or a verdict on a
    check the tool could not run."""
    return isinstance(review, dict) and bool(review.get("corrections") or review.get("decisions")
                                             or review.get("check_verdicts"))


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
