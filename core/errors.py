"""One root error for the core, and the document errors that carry a Chinese reason for the reviewer.

A ``DocumentError`` is bad *input* (not a PDF, encrypted, corrupt, scanned…): the command line prints its
``reason`` and exits 3, the window shows it; neither ever shows a traceback for it.  Anything else raised is
a bug.
"""

from __future__ import annotations

import errno


class ReviewError(Exception):
    """Root of every error the core raises on purpose."""


class DocumentError(ReviewError):
    """A file that cannot be read as a package document.  ``reason`` is Chinese, for the reviewer."""

    def __init__(self, path: str, reason: str, code: str = "unreadable") -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
        self.code = code


class PasswordRequired(DocumentError):
    """The PDF is encrypted and no (or a wrong) password was given."""

    def __init__(self, path: str, wrong: bool = False) -> None:
        reason = "密码不正确，无法打开加密的PDF" if wrong else "PDF已加密，需要输入密码才能打开"
        super().__init__(path, reason, code="encrypted")
        self.wrong = wrong


class OutputError(ReviewError):
    """An output (JSON, Excel, case file) could not be written.  ``reason`` is Chinese."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class Cancelled(ReviewError):
    """The reviewer cancelled a long operation."""


def os_error_reason(e: OSError, what: str = "文件") -> str:
    """The Chinese reason writing ``what`` failed, worded so the reviewer knows what to do about it.
    The one place that turns an OSError into words (case files, exports, JSON output)."""
    if e.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return f"磁盘已满，无法保存{what}"
    if e.errno == errno.EROFS:
        return f"保存位置只读，无法保存{what}"
    if e.errno in (errno.EACCES, errno.EPERM) or isinstance(e, PermissionError):
        return f"保存位置只读或没有写入权限（文件可能正被其他程序打开），无法保存{what}"
    if isinstance(e, NotADirectoryError) or e.errno == errno.ENOTDIR:
        return f"保存位置不是文件夹，无法保存{what}"
    if e.errno == errno.ENOENT:
        return f"保存位置（目录）不存在，无法保存{what}"
    if e.errno == errno.ENAMETOOLONG:
        return f"文件名过长，无法保存{what}"
    return f"无法保存{what}（{e.strerror or e}）"
