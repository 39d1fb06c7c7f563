"""Label synonyms (``resources/labels.json``) and matching a printed label against them.

Why it exists: labels differ between districts and years (实有人数 / 实际在职人数 / 年末实有人数; 全年执行数 /
全年决算数); the variants are data, and this module is the one place that decides whether a printed label
means a key.  Matching is on ``core.text.label_key`` (numbering, 其中：, colons, units and spaces removed);
a variant starting with "~" matches a label that contains it.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any, Callable, TypeVar

from core.resources import resource_path
from core.text import label_key

T = TypeVar("T")


@lru_cache(maxsize=1)
def labels() -> dict[str, Any]:
    return json.loads(resource_path("labels.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=4096)
def _variant_key(v: str) -> tuple[bool, str]:
    contains = v.startswith("~")
    return contains, label_key(v[1:] if contains else v)


def matches(label: str, variants: list[str] | tuple[str, ...], *, key: str | None = None) -> bool:
    """Whether printed ``label`` is one of ``variants`` (see module docstring)."""
    k = key if key is not None else label_key(label)
    if not k:
        return False
    for v in variants:
        contains, vk = _variant_key(v)
        if not vk:
            continue
        if (contains and vk in k) or k == vk:
            return True
    return False


def best_match(label: str, table: dict[str, list[str]]) -> str | None:
    """The key of ``table`` whose variants match ``label``; exact matches win over "contains" matches,
    and among "contains" matches the longest variant wins (公车运行维护 before 公车)."""
    m = _match_quality(label, table)
    return m[1] if m else None


def _match_quality(label: str, table: dict[str, list[str]]) -> tuple[tuple[int, int], str] | None:
    """(quality, key) of the best match: quality (1, len) for an exact match, (0, len) for "contains"."""
    k = label_key(label)
    if not k:
        return None
    exact = None
    best: tuple[int, str] | None = None
    for name, variants in table.items():
        for v in variants:
            contains, vk = _variant_key(v)
            if not vk:
                continue
            if not contains and k == vk:
                exact = exact or (len(vk), name)
            elif contains and vk in k:
                if best is None or len(vk) > best[0]:
                    best = (len(vk), name)
    if exact:
        return (1, exact[0]), exact[1]
    return ((0, best[0]), best[1]) if best else None


def header_roles(cells: list[T], table: dict[str, list[str]], *,
                 skip: Callable[[T], bool] = lambda c: False) -> dict[str, T]:
    """Which header cell names each column role of ``table``.

    When several cells of one header row match the same role ("得分", then a reviewer's "复核得分" or
    "得分差异" further right), the exact label wins over a label that merely contains a variant, and among
    equals the leftmost cell wins: the printed column, not a later annotation of it.
    """
    roles: dict[str, tuple[tuple[int, int], T]] = {}
    for c in cells:
        if skip(c):
            continue
        m = _match_quality(c.text, table)  # type: ignore[attr-defined]
        if m is None:
            continue
        quality, role = m
        if role not in roles or quality[0] > roles[role][0][0]:
            roles[role] = (quality, c)
    return {role: c for role, (_, c) in roles.items()}
