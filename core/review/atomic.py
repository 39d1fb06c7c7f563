"""Atomic file writing: temporary file in the same folder, write, flush, fsync, replace, fsync the folder.

Why it exists: a reviewer's machine gets switched off at night; a case file or an export half-written at
that moment must never replace the previous good one.  Every writer of the project goes through here (case
files, the workspace, JSON output, the Excel workbooks).
"""

from __future__ import annotations

import errno
import os
import tempfile
import time
from pathlib import Path
from typing import BinaryIO, Callable

TEMP_SUFFIX = ".tmp"


def temp_prefix(path: Path) -> str:
    """Temporary files of ``path`` are ``.<name>.<random>.tmp`` beside it (the store sweeps old ones)."""
    return f".{Path(path).name}."


def write_atomic(path: Path, write: Callable[[BinaryIO], None], *, overwrite: bool = True) -> None:
    """Let ``write`` fill a temporary file beside ``path``, make it durable, then put it in place.

    The new file gets the mode of the file it replaces (else 0644: a report is as readable as the
    reviewer's other files, not mkstemp's 0600).  With ``overwrite=False`` an existing ``path`` raises
    ``FileExistsError`` — checked just before the rename.  On any failure the temporary file is removed
    and ``path`` is untouched."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=temp_prefix(path), suffix=TEMP_SUFFIX, dir=str(path.parent))
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            mode = 0o644
        os.chmod(tmp, mode)
        if not overwrite and path.exists():
            raise FileExistsError(errno.EEXIST, "文件已存在", str(path))
        _replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    _fsync_dir(path.parent)


def write_bytes_atomic(path: Path, data: bytes, *, overwrite: bool = True) -> None:
    write_atomic(path, lambda f: f.write(data), overwrite=overwrite)


def write_text_atomic(path: Path, text: str, *, overwrite: bool = True) -> None:
    write_bytes_atomic(path, text.encode("utf-8"), overwrite=overwrite)


def _replace(tmp: str, path: Path) -> None:
    """os.replace, retried briefly on Windows where a virus scanner or indexer may hold the target open."""
    for attempt in range(5):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if os.name != "nt" or attempt == 4:
                raise
            time.sleep(0.1 * (attempt + 1))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(str(folder), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
