"""The district's rules in the window: which 指标设置 rules the district applies (``core.district``).

The profile is the one of the workspace the case's files are in (``find_profile``: the nearest
``.jixiao/district.json`` above loose files opened directly, as the command line finds it; the window says
which it used in a banner), else the open workspace's (``<workspace>/.jixiao/district.json``), else the one
beside the window's own reviews (``<store_dir>/district.json``).  Every re-check of the window goes through
``recheck_with_district``, which puts the profile on the case first (the checks runner skips the rules it switches off), so a rule
switched off in 首选项 disappears from the findings at once and stays off for every case of the district.

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.district import (
    DistrictProfile,
    apply_profile,
    find_profile,
    load_profile,
    profile_path,
    save_profile,
)
from core.errors import DocumentError, OutputError

log = logging.getLogger(__name__)


class DistrictMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    _district: DistrictProfile = DistrictProfile()
    _district_found: Path | None = None  # the profile of the workspace folder the case's files are in

    def district_path(self) -> Path:
        if self._district_found is not None:
            return self._district_found
        ws = getattr(self, "workspace", None)
        return profile_path(ws.store_dir if ws is not None else self.store_dir)

    def use_district_of(self, sources: list[str], *, refresh: bool = True) -> None:
        """Before (or, for a saved review, after) a case opens: the profile of the workspace folder its files
        are in, found as the command line finds it (``core.district.find_profile``), is the one its checks run
        with and the one 首选项 saves to; a banner names it.  ``sources`` empty (a case of the open workspace,
        or no case): the open workspace's profile, else the window's own."""
        found = find_profile(sources) if sources else None
        ws = getattr(self, "workspace", None)
        if found is not None and ws is not None and found == profile_path(ws.store_dir):
            found = None  # the open workspace's own: no news
        if found != self._district_found:
            self._district_found = found
            self.load_district(refresh=refresh)
        if not hasattr(self, "banners"):
            return
        if found is None:
            self.banners.remove("district_found")
        elif self.banners.banner("district") is None:  # a damaged one is said by load_district
            self.banners.show_banner(f"本案材料位于工作区内，已采用该工作区的地区设置{_summary(self._district)}：{found}"
                                     "（在“首选项”中修改）", "info", key="district_found")

    def district_profile(self) -> DistrictProfile:
        return self._district

    def recheck_with_district(self, case) -> None:
        """The window's re-check (open, correction, refresh): the district's profile, then the checks."""
        apply_profile(case, self._district)
        self._district_base_recheck(case)

    def load_district(self, *, refresh: bool = True) -> None:
        """Read the profile that now applies (after a workspace was opened or closed); re-check the case on
        screen when it changes.  A damaged file is said in a banner and every rule stays on."""
        path = self.district_path()
        try:
            profile = load_profile(path)
        except DocumentError as e:
            log.warning("district profile %s unreadable: %s", path, e.reason)
            profile = DistrictProfile()
            if hasattr(self, "banners"):
                self.banners.show_banner(f"地区设置文件无法读取（{e.reason}），本次采用全部审核规则：{path}",
                                         "warning", key="district")
        else:
            if hasattr(self, "banners"):
                self.banners.remove("district")
        changed = profile != self._district
        self._district = profile
        if changed and refresh and getattr(self, "session", None) is not None:
            self.session.refresh()

    def set_disabled_rules(self, not_applied: frozenset[str]) -> bool:
        """Save the indicator rules the district applies, as chosen in 首选项 (``not_applied``: the rules left
        unchecked), and re-check the case on screen; False (the reason shown) when it cannot be saved.  A rule
        on by default is switched off by ``disabled_rules``, one off by default switched on by
        ``enabled_rules``; rules not in the dialog keep their state."""
        from core.checks.indicator_quality import rules

        listed = rules()
        on_by_default = {rid for rid, r in listed.items() if r.get("enabled_by_default", True)}
        old = self._district
        disabled = (old.disabled_rules - set(listed)) | (frozenset(not_applied) & on_by_default)
        enabled = (old.enabled_rules - set(listed)) | (set(listed) - on_by_default - frozenset(not_applied))
        profile = DistrictProfile(frozenset(disabled), old.caps_preset, frozenset(enabled))
        if profile == old:
            return True
        return self._save_district(profile)

    def set_caps_choice(self, caps_id: str | None) -> bool:
        """Save the district's 复核评分 cap preset, as chosen in 首选项, and re-score the case on screen (the
        window's re-check applies the profile, ``core.scoring.review_score`` reads its ``caps_preset``); False
        (the reason shown) when it cannot be saved."""
        from dataclasses import replace

        from core.scoring.review_score import default_caps_id

        old = self._district
        wanted = None if caps_id in (None, default_caps_id()) else caps_id  # the default leaves no trace
        if wanted == old.caps_preset:
            return True
        profile = replace(old, caps_preset=wanted)
        return self._save_district(profile)

    def _save_district(self, profile: DistrictProfile) -> bool:
        """Save ``profile`` as the district's and re-check the case on screen; False (the reason shown) when
        it cannot be saved (the profile in force stays the old one)."""
        path = self.district_path()
        try:
            save_profile(profile, path)
        except OutputError as e:
            self.prompts.error("无法保存地区设置", f"{path}：{e.reason}")
            return False
        self._district = profile
        if getattr(self, "session", None) is not None:
            self.session.refresh()
        return True

    def rules_not_applied(self) -> frozenset[str]:
        """The indicator rules the district does not apply (unchecked in 首选项)."""
        from core.checks.indicator_quality import rules

        return frozenset(rid for rid, r in rules().items()
                         if not self._district.is_enabled(rid, by_default=r.get("enabled_by_default", True)))


def _summary(profile: DistrictProfile) -> str:
    """"（不采用2条审核规则，复核评分上限：…）" — what the profile changes, for the banner naming it."""
    parts = []
    if profile.disabled_rules:
        parts.append(f"不采用{len(profile.disabled_rules)}条审核规则")
    if profile.enabled_rules:
        parts.append(f"另采用{len(profile.enabled_rules)}条规则")
    if profile.caps_preset:
        from core.scoring.review_score import list_caps

        names = dict(list_caps())
        parts.append(f"复核评分上限：{names.get(profile.caps_preset) or profile.caps_preset}")
    return f"（{'，'.join(parts)}）" if parts else "（全部审核规则）"
