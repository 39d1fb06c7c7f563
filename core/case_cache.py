"""The batch's cache of extracted cases: a set of sources read once is not read again until it, the preset or
the extraction code changes.

Why it exists apart from ``core.batch``: the workspace (``core.workspace``: the window's list of a district's
cases) opens a case from the cache too, and the batch builds on the workspace; with the cache here both use it
and neither imports the other to reach it.

Where: ``<store>/cache/<key>.json`` (``Workspace.cache_dir``), ``key`` = sha256 of the sorted sha256s of the
case's PDFs, the preset and ``engine_fingerprint()`` (tool version and the size/mtime of the extraction code and
its resource files, so an upgrade never serves a stale result).  The paths recorded in a cached case are
re-pointed to where the same bytes are now.

What it must not do: import Qt, ``core.batch`` or ``core.workspace``; write other than through
``core.review.atomic``.
"""

from __future__ import annotations

import hashlib
import json
import logging
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from core import __version__
from core.model import Case
from core.review.atomic import write_text_atomic

log = logging.getLogger(__name__)

CACHE_SCHEMA = "batch-cache/1"


def engine_fingerprint() -> str:
    """Changes whenever the code or data that shape an extracted case may have changed: the tool version
    plus the name, size and modification time of every Python file of ``core`` and every data file of
    ``resources`` that extraction, checks and scoring read (layouts only shape the export, which always
    runs).  In a frozen build the code is inside the executable and the version stands for it."""
    from core.resources import resources_dir

    h = hashlib.sha256(__version__.encode())
    core_dir = Path(__file__).resolve().parent
    res = resources_dir()
    data = sorted(p for p in res.rglob("*.json") if "layouts" not in p.parts)
    paths = sorted(core_dir.rglob("*.py")) + data
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{p.name}\0{st.st_size}\0{st.st_mtime_ns}\n".encode("utf-8", "replace"))
    return h.hexdigest()[:16]


def cache_key(digests: Iterable[str], preset: str | None, engine: str | None = None) -> str:
    """The cache entry of a set of sources: same bytes, same preset, same engine → same key."""
    engine = engine or engine_fingerprint()
    text = "\n".join(sorted(set(digests))) + f"\npreset={preset or ''}\nengine={engine}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def save_cached_case(path: str | Path, case: Case, key: str = "") -> None:
    """Write a case to the cache atomically (a wrapper object around the contract's case JSON)."""
    payload = {"schema": CACHE_SCHEMA, "key": key, "tool_version": __version__, "case": case.to_json()}
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(p, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))


def load_cached_case(path: str | Path, sources: Iterable[str | Path] = ()) -> Case | None:
    """A cached case, its documents re-pointed to ``sources`` holding the same bytes (sha256); None when the
    entry is missing, damaged or of another tool version."""
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"), parse_float=Decimal)
        if d.get("schema") != CACHE_SCHEMA or d.get("tool_version") != __version__:
            return None
        case = Case.from_json(d["case"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        log.info("cache entry %s unusable: %s", path, e)
        return None
    sources = [Path(s) for s in sources]
    if sources:
        from core.documents.pdf import sha256_of

        by_sha: dict[str, str] = {}
        for s in sources:
            try:
                by_sha.setdefault(sha256_of(s), str(s))
            except OSError:
                continue
        for doc in case.documents:
            if doc.sha256 not in by_sha:
                return None  # not the same sources after all
            doc.path = by_sha[doc.sha256]
    return case
