"""The district's rules in the window: which 指标设置 rules the district applies (``core.district``).

The profile is the open workspace's (``<workspace>/.jixiao/district.json``), else the one beside the window's
own reviews (``<store_dir>/district.json``).  Every re-check of the window goes through ``recheck_with_district``,
which puts the profile on the case first (the checks runner skips the rules it switches off), so a rule
switched off in 首选项 disappears from the findings at once and stays off for every case of the district.

``MainWindow`` mixes this in.
"""

from __future__ import annotations

import logging
from pathlib import Path

from core.district import DistrictProfile, apply_profile, load_profile, profile_path, save_profile
from core.errors import DocumentError, OutputError

log = logging.getLogger(__name__)


class DistrictMixin:
    """Part of ``ui.main_window.MainWindow`` (see the module docstring)."""

    _district: DistrictProfile = DistrictProfile()

    def district_path(self) -> Path:
        ws = getattr(self, "workspace", None)
        return profile_path(ws.store_dir if ws is not None else self.store_dir)

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

    def set_disabled_rules(self, disabled: frozenset[str]) -> bool:
        """Save the district's rules as chosen in 首选项 and re-check the case on screen; False (the reason
        shown) when the profile cannot be saved."""
        profile = DistrictProfile(frozenset(disabled), self._district.caps_preset)
        if profile == self._district:
            return True
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
