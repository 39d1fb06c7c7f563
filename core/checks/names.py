"""The checks' Chinese names and problem groups (``resources/checks.json``), read in one place: the 问题清单,
the 复核意见, the window's findings list and the coverage list of every extraction name checks from here.

Why it exists apart from ``core.export.review_items`` (which re-exports it): ``main.py extract`` writes the
coverage list with the checks' names, and needs nothing else of the review items.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.resources import resource_path


@dataclass(frozen=True)
class CheckName:
    name: str
    group: str


@dataclass(frozen=True)
class CheckCatalogue:
    """``resources/checks.json``: a Chinese name and a problem group per check id."""

    checks: dict[str, CheckName]
    groups: tuple[str, ...]

    def name(self, check: str) -> str:
        c = self.checks.get(check)
        return c.name if c else ""

    def group(self, check: str) -> str:
        c = self.checks.get(check)
        return c.group if c else (self.groups[0] if self.groups else "")


@lru_cache(maxsize=4)
def check_catalogue(path: str | None = None) -> CheckCatalogue:
    p = Path(path) if path else resource_path("checks.json")
    data = json.loads(p.read_text(encoding="utf-8"))
    groups = tuple(str(g) for g in data.get("groups", []))
    checks = {str(k): CheckName(str(v.get("name", "")), str(v.get("group", "")))
              for k, v in data.get("checks", {}).items()}
    return CheckCatalogue(checks, groups)
