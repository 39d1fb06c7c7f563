"""What the window remembers between runs: reviewer name, recent cases, window layout, folders.

Why it exists: QSettings keys are strings, and a typo in one is a silent bug; every key lives here once.
Case files themselves are not settings: they live in the per-user data folder (``cases_dir``) and are written
by ``core.review.store`` only.
"""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

MAX_RECENT = 10


def data_dir() -> Path:
    """The per-user data folder (QStandardPaths.AppDataLocation), created if needed."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    path = Path(base) if base else Path.home() / ".jixiao-review"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cases_dir() -> Path:
    """Where case files (``*.case.json``) are kept."""
    path = data_dir() / "cases"
    path.mkdir(parents=True, exist_ok=True)
    return path


class Settings:
    """Typed access to the window's QSettings."""

    def __init__(self, qsettings: QSettings | None = None) -> None:
        self._s = qsettings or QSettings()

    # -- reviewer -------------------------------------------------------------------------------------
    @property
    def reviewer(self) -> str:
        return str(self._s.value("review/reviewer", "") or "")

    @reviewer.setter
    def reviewer(self, name: str) -> None:
        self._s.setValue("review/reviewer", name.strip())

    @property
    def reviewer_asked(self) -> bool:
        return _bool(self._s.value("review/reviewer_asked", False))

    @reviewer_asked.setter
    def reviewer_asked(self, v: bool) -> None:
        self._s.setValue("review/reviewer_asked", bool(v))

    # -- recent cases ---------------------------------------------------------------------------------
    def recent_cases(self) -> list[dict]:
        """``[{"path": case file, "title": unit or file name, "sources": [...]}]``, most recent first."""
        raw = self._s.value("recent/cases", "[]")
        try:
            items = json.loads(str(raw))
        except ValueError:
            return []
        return [x for x in items if isinstance(x, dict) and x.get("path")]

    def add_recent_case(self, path: str | Path, title: str, sources: list[str]) -> None:
        path = str(path)
        items = [x for x in self.recent_cases() if x.get("path") != path]
        items.insert(0, {"path": path, "title": title, "sources": list(sources)})
        self._s.setValue("recent/cases", json.dumps(items[:MAX_RECENT], ensure_ascii=False))

    def remove_recent_case(self, path: str | Path) -> None:
        items = [x for x in self.recent_cases() if x.get("path") != str(path)]
        self._s.setValue("recent/cases", json.dumps(items, ensure_ascii=False))

    def clear_recent_cases(self) -> None:
        self._s.setValue("recent/cases", "[]")

    @property
    def last_case(self) -> str:
        return str(self._s.value("recent/last_case", "") or "")

    @last_case.setter
    def last_case(self, path: str) -> None:
        self._s.setValue("recent/last_case", str(path))

    # -- the district workspace -------------------------------------------------------------------------
    @property
    def last_workspace(self) -> str:
        """The workspace folder open when the window last closed ("" none): reopened at the next start."""
        return str(self._s.value("workspace/last", "") or "")

    @last_workspace.setter
    def last_workspace(self, path: str) -> None:
        self._s.setValue("workspace/last", str(path))

    # -- folders --------------------------------------------------------------------------------------
    @property
    def last_open_dir(self) -> str:
        return str(self._s.value("folders/open", "") or "")

    @last_open_dir.setter
    def last_open_dir(self, path: str) -> None:
        self._s.setValue("folders/open", str(path))

    @property
    def export_dir(self) -> str:
        return str(self._s.value("folders/export", "") or "")

    @export_dir.setter
    def export_dir(self, path: str) -> None:
        self._s.setValue("folders/export", str(path))

    # -- reasons the reviewer typed before (offered again as completions) -------------------------------
    def recent_reasons(self) -> list[str]:
        try:
            items = json.loads(str(self._s.value("review/reasons", "[]")))
        except ValueError:
            return []
        return [str(x) for x in items if x]

    def add_reason(self, reason: str) -> None:
        reason = reason.strip()
        if not reason:
            return
        items = [r for r in self.recent_reasons() if r != reason]
        items.insert(0, reason)
        self._s.setValue("review/reasons", json.dumps(items[:30], ensure_ascii=False))

    # -- window layout --------------------------------------------------------------------------------
    def layout_state(self, name: str) -> QByteArray | None:
        v = self._s.value(f"window/{name}")
        return v if isinstance(v, QByteArray) and not v.isEmpty() else None

    def set_layout_state(self, name: str, state: QByteArray) -> None:
        self._s.setValue(f"window/{name}", state)

    @property
    def zoom_mode(self) -> str:
        return str(self._s.value("view/zoom_mode", "fit_width") or "fit_width")

    @zoom_mode.setter
    def zoom_mode(self, mode: str) -> None:
        self._s.setValue("view/zoom_mode", mode)

    def sync(self) -> None:
        self._s.sync()


def _bool(v: object) -> bool:
    if isinstance(v, str):
        return v.lower() in ("1", "true", "yes")
    return bool(v)
