"""A district's own review settings (区/县财政局的复核口径), kept beside its workspace.

Why it exists: districts differ in what their reviewers hold against a 自评表.  One switches off an
indicator rule it does not apply (a 满意度 without a survey is accepted where the 一体化 系统 already holds
the survey), another caps 复核评分 deductions with its own preset.  These are the district's, not the case's,
so they live in the workspace's store folder (``<folder>/.jixiao/district.json``) and every case reviewed
there uses them; the command line takes ``--district FILE`` or reads that file.

Plain Python (no Qt).  The file is small JSON::

    {"version": 1, "disabled_rules": ["indicator.all_full_marks"], "caps_preset": null}

(and ``enabled_rules``: rules that are off unless a district switches them on).

A missing file is the default profile (every rule on, 复核评分's default caps); a file that cannot be read or
is not such JSON is a ``DocumentError`` with a Chinese reason, never a silent default (a district that
switched a rule off must not find it back on because of a typo).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import DocumentError, OutputError, os_error_reason
from core.model import Case
from core.review.atomic import write_text_atomic

PROFILE_FILE = "district.json"
PROFILE_VERSION = 1
_STORE_NAME = ".jixiao"
"""The workspace's folder in a district folder (``core.workspace.STORE_NAME``, not imported from there: the
command line looks for a profile before every extract, and loading the workspace module costs it ~20 ms)."""


@dataclass(frozen=True)
class DistrictProfile:
    """``disabled_rules``: ids of rules (the indicator rules ``indicator.…``, or any check id) the district does
    not apply.  ``caps_preset``: the id of a 复核评分 cap preset; ``None`` is that module's default.
    ``enabled_rules``: rules off by default (``enabled_by_default: false``) that the district applies."""

    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    caps_preset: str | None = None
    enabled_rules: frozenset[str] = field(default_factory=frozenset)  # rules off by default it switches on

    def __post_init__(self) -> None:
        # A list or set given by a caller becomes a frozenset (the profile is hashable and immutable).
        for name in ("disabled_rules", "enabled_rules"):
            if not isinstance(getattr(self, name), frozenset):
                object.__setattr__(self, name, frozenset(getattr(self, name)))

    def is_enabled(self, rule_id: str, *, by_default: bool = True) -> bool:
        """Whether the district applies the rule (one off by default only when it switched it on)."""
        if rule_id in self.disabled_rules:
            return False
        return by_default or rule_id in self.enabled_rules

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "version": PROFILE_VERSION,
            "disabled_rules": sorted(self.disabled_rules),
            "caps_preset": self.caps_preset,
        }
        if self.enabled_rules:
            d["enabled_rules"] = sorted(self.enabled_rules)
        return d

    @classmethod
    def from_json(cls, data: Any) -> DistrictProfile:
        """The profile from its JSON object; ``ValueError`` (Chinese) when it is not one."""
        if not isinstance(data, dict):
            raise ValueError("不是地区设置（应为JSON对象）")  # noqa: TRY004  one Chinese reason for every bad content
        version = data.get("version", PROFILE_VERSION)
        if not isinstance(version, int) or version > PROFILE_VERSION:
            raise ValueError(f"地区设置的版本（{version}）高于本程序支持的版本，请升级审核工具")
        lists = {}
        for name in ("disabled_rules", "enabled_rules"):
            rules = data.get(name, [])
            if not isinstance(rules, list) or not all(isinstance(r, str) and r.strip() for r in rules):
                raise ValueError(f"“{name}”应为规则编号的列表")
            lists[name] = frozenset(r.strip() for r in rules)
        caps = data.get("caps_preset")
        if caps is not None and (not isinstance(caps, str) or not caps.strip()):
            raise ValueError("“caps_preset”应为评分上限方案的编号或null")
        return cls(lists["disabled_rules"], caps.strip() if caps else None, lists["enabled_rules"])


def profile_path(store_dir: str | Path) -> Path:
    """Where a workspace keeps its district profile: ``<store_dir>/district.json`` (the workspace's
    ``store_dir``, see ``core.workspace.Workspace``)."""
    return Path(store_dir) / PROFILE_FILE


def load_profile(path: str | Path) -> DistrictProfile:
    """The profile saved at ``path``; the default one when there is no file.  A file that cannot be read
    or is not a profile raises ``DocumentError`` with the Chinese reason."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        return DistrictProfile()
    except IsADirectoryError:
        raise DocumentError(str(p), "地区设置文件是一个文件夹，无法读取", code="bad_profile") from None
    except OSError as e:
        raise DocumentError(str(p), f"无法读取地区设置文件（{e.strerror or e}）", code="bad_profile") from None
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise DocumentError(str(p), "地区设置文件不是有效的JSON（文件可能已损坏）", code="bad_profile") from None
    try:
        return DistrictProfile.from_json(data)
    except ValueError as e:
        raise DocumentError(str(p), f"地区设置文件内容有误：{e}", code="bad_profile") from None


def save_profile(profile: DistrictProfile, path: str | Path) -> None:
    """Write ``profile`` to ``path`` atomically (the previous file stays whole if this fails);
    ``OutputError`` with the Chinese reason when it cannot be written."""
    p = Path(path)
    text = json.dumps(profile.to_json(), ensure_ascii=False, indent=2) + "\n"
    try:
        p.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(p, text)
    except OSError as e:
        raise OutputError(str(p), os_error_reason(e, "地区设置")) from e


def apply_profile(case: Case, profile: DistrictProfile | None) -> bool:
    """Make ``profile`` the one the checks of ``case`` run with (``core.checks.registry.disabled_checks``
    reads it from ``case.extra``); the default profile leaves no trace in the case.  True when this changed
    the rules the case is checked with (the caller then re-runs the checks)."""
    from core.checks.registry import DISTRICT_EXTRA

    before = case.extra.get(DISTRICT_EXTRA)
    if profile is None or profile == DistrictProfile():
        case.extra.pop(DISTRICT_EXTRA, None)
        now = None
    else:
        now = profile.to_json()
        case.extra[DISTRICT_EXTRA] = now
    return before != now


def case_profile(case: Case) -> DistrictProfile:
    """The profile ``case`` is checked with (the default one when none was applied, or it is unreadable)."""
    from core.checks.registry import DISTRICT_EXTRA

    try:
        return DistrictProfile.from_json(case.extra.get(DISTRICT_EXTRA) or {})
    except ValueError:
        return DistrictProfile()


def find_profile(inputs: list[str | Path]) -> Path | None:
    """The district profile of the workspace the inputs are in: the nearest ``.jixiao/district.json`` in
    the folders holding them (a case folder inside a workspace finds the workspace's); None when there is
    none."""
    for raw in inputs:
        p = Path(os.path.abspath(raw))
        for folder in ([p] if _is_dir(p) else []) + list(p.parents):
            candidate = profile_path(folder / _STORE_NAME)
            try:
                if candidate.is_file():
                    return candidate
            except OSError:  # a name too long for the system, a folder we may not read: no profile there
                continue
    return None


def _is_dir(p: Path) -> bool:
    try:
        return p.is_dir()
    except OSError:
        return False
