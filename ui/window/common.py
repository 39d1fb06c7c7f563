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
    """Chinese names of the checks, by id: those of the problem list (``resources/checks.json`` through
    ``core.checks.names.check_catalogue``, which the export and the coverage list read too), so the window
    names a finding as the workbook does."""
    global _CHECK_NAMES
    if _CHECK_NAMES is not None:
        return _CHECK_NAMES
    names: dict[str, str] = {}
    try:
        from core.checks.names import check_catalogue

        names = {cid: entry.name for cid, entry in check_catalogue().checks.items() if entry.name}
    except Exception:  # a damaged resource file must not stop the window
        log.exception("check names unavailable")
    _CHECK_NAMES = names
    return names


def unit_name_from_text(index, doc_ids: list[str], pages: int = 8) -> str:
    """The unit name printed in the documents, read from the text index's first lines of the first pages
    (``core.workspace.unit_name_from_lines``); a name that wraps on a cover or a table title ("中共上海市普陀区委"
    / "社会工作部 2024年度" / "部门决算") is read whole from the lines joined; "" when none is printed."""
    from core.workspace import unit_name_from_lines

    single: list[str] = []
    joined: list[str] = []
    for doc in doc_ids:
        by_page = getattr(index, "pages", {}).get(doc, {})
        for number in sorted(by_page)[:pages]:
            lines = [ln.text for ln in by_page[number][:8]]
            single.extend(lines)
            joined.extend(re.sub(r"\s+", "", "".join(lines[i:i + 3])) for i in range(len(lines)))
    short = unit_name_from_lines(single)
    if not short:
        return ""
    best = short
    for line in joined:  # the same name going on after a line break, up to the year or the document's title
        if not line.startswith(short):
            continue
        m = re.match(r"[\u4e00-\u9fff（）()]{1,12}?(?=\d{4}|年度|部门决算|决算|部门整体|整体支出|绩效)", line[len(short):])
        if m and m.group(0)[-1] in _NAME_ENDS and len(short) + len(m.group(0)) > len(best):
            best = short + m.group(0)
    return best


_NAME_ENDS = "部局委办院会所站队馆校厅处社联团署室心司"
"""Last characters of a unit's name (部, 局, 委员会, 办公室, 中心, 公司…)."""
