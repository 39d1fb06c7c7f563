"""The review: a reviewer's corrections and decisions over an extracted case, and the case file that keeps them.

- ``corrections``: the append-only logs (``CorrectionLog`` with undo/redo as appended records, ``DecisionLog``)
  and ``ReviewLogs``, the "review" object of the case file.
- ``session``: ``ReviewSession``, the one way to change a case under review; returns ``ChangeSet``s and sends
  plain events (no Qt).
- ``store``: the case file: atomic save, load, ``AutoSaver``, where case files live, source integrity and
  crash recovery.
"""

from core.lazy import lazy_names

# the names below are imported on first use (PEP 562): ``from core.review.atomic import write_text_atomic``
# (the extract command, the district's profile) must not pay for the session, the store and the logs (~40 ms)
_WHERE = {
    "Correction": "corrections", "CorrectionLog": "corrections", "Decision": "corrections",
    "DecisionLog": "corrections", "ReviewLogs": "corrections",
    "ChangeSet": "session", "InvalidEntry": "session", "ReviewSession": "session",
    "AutoSaver": "store", "CaseFileError": "store", "case_path_for": "store", "find_case": "store",
    "load_case": "store", "recover_candidates": "store", "save_case": "store", "verify_sources": "store",
}


__getattr__ = lazy_names(__name__, globals(), _WHERE)


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
