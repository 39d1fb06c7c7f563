"""Where bundled data files live, in a source checkout and in a frozen (PyInstaller) build.

The only module that knows about ``sys._MEIPASS``: everything else asks ``resource_path("presets/x.json")``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(relative: str) -> Path:
    return resources_dir() / relative
