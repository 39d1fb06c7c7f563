"""What the parts of the review window share: its title, how it names a file, small helpers."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

APP_TITLE = "绩效自评审核"
SCANNED_CODES = ("scanned", "scanned_pages")
"""Document problems meaning pages are images without a text layer (``core.documents.pdf``): the reviewer is
told so and offered hand entry against the page image."""


def doc_key(path: str | Path) -> str:
    """How the window names a file: its normalised absolute path (the same before and after extraction)."""
    return os.path.normcase(os.path.abspath(str(path)))


def key_after(key: str) -> str:
    """The catalogue key after ``key`` (a reviewer entering a 基础数据表 by hand goes row by row), "" at the
    end."""
    from ui.field_catalogue import load_catalogue

    keys = [e.key for e in load_catalogue()]
    try:
        i = keys.index(key)
    except ValueError:
        return ""
    return keys[i + 1] if i + 1 < len(keys) else ""


def local_paths(mime) -> list[str]:
    if not mime.hasUrls():
        return []
    paths = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
    return [p for p in paths if p]


_CHECK_NAMES: dict[str, str] | None = None


def check_names() -> dict[str, str]:
    """Chinese names of the registered checks (first line of a check's docstring when it is Chinese)."""
    global _CHECK_NAMES
    if _CHECK_NAMES is not None:
        return _CHECK_NAMES
    names: dict[str, str] = {}
    try:
        from core.checks.registry import all_checks

        for info in all_checks():
            first = (info.rule.splitlines() or [""])[0].strip()
            if re.search(r"[\u4e00-\u9fff]", first):
                name = re.split(r"[。；;:：]", first)[0]
                names[info.id] = name if len(name) <= 30 else name[:29] + "…"
    except Exception:  # noqa: BLE001 - a broken check module must not stop the window
        log.exception("check names unavailable")
    _CHECK_NAMES = names
    return names
