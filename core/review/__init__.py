"""The review: a reviewer's corrections and decisions over an extracted case, and the case file that keeps them.

- ``corrections``: the append-only logs (``CorrectionLog`` with undo/redo as appended records, ``DecisionLog``)
  and ``ReviewLogs``, the "review" object of the case file.
- ``session``: ``ReviewSession``, the one way to change a case under review; returns ``ChangeSet``s and sends
  plain events (no Qt).
- ``store``: the case file: atomic save, load, ``AutoSaver``, where case files live, source integrity and
  crash recovery.
"""

from core.review.corrections import Correction, CorrectionLog, Decision, DecisionLog, ReviewLogs
from core.review.session import ChangeSet, InvalidEntry, ReviewSession
from core.review.store import (
    AutoSaver,
    CaseFileError,
    case_path_for,
    find_case,
    load_case,
    recover_candidates,
    save_case,
    verify_sources,
)

__all__ = [
    "AutoSaver",
    "CaseFileError",
    "ChangeSet",
    "Correction",
    "CorrectionLog",
    "Decision",
    "DecisionLog",
    "InvalidEntry",
    "ReviewLogs",
    "ReviewSession",
    "case_path_for",
    "find_case",
    "load_case",
    "recover_candidates",
    "save_case",
    "verify_sources",
]
