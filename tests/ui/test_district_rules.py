"""The district's 指标设置 rules in the window: 首选项 lists every rule with a checkbox; a rule unchecked is saved
in the district's profile and its findings leave the case on screen at once; the profile of an open workspace
is the one used; a damaged profile is said in a banner and every rule stays on."""

from __future__ import annotations

from conftest import PACKAGES

from core.checks.indicator_quality import RULE_CHECKS
from core.district import DistrictProfile, load_profile, profile_path, save_profile

BROKEN = PACKAGES / "indicator_rules_2024"
OPEN_TIMEOUT = 60000


def _open(qtbot, window):
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(BROKEN)])
    return window.session


def _ours(window) -> set[str]:
    return {f.check for f in window.session.case.findings if f.check in RULE_CHECKS}


def test_unchecking_a_rule_in_preferences_switches_it_off_for_the_district(qtbot, make_window, prompts):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    _open(qtbot, window)
    assert _ours(window) == set(RULE_CHECKS)
    off = frozenset({"indicator.all_full_marks", "indicator.benefit_no_method"})
    prompts.preferences_answer = ("张三", "", off)
    window.edit_preferences()
    listed, disabled = prompts.preferences_rules
    assert [r["id"] for r in listed] == list(RULE_CHECKS) and disabled == frozenset()
    assert _ours(window) == set(RULE_CHECKS) - off
    assert window.findings_model.rowCount() > 0
    assert load_profile(profile_path(window.store_dir)).disabled_rules == off
    # the next case opened is checked with the same rules; switching back brings the findings back
    prompts.preferences_answer = ("张三", "", frozenset())
    window.edit_preferences()
    assert prompts.preferences_rules[1] == off
    assert _ours(window) == set(RULE_CHECKS)


def test_the_preferences_dialog_has_a_checkbox_per_rule(qtbot):
    from core.checks.indicator_quality import rules
    from ui.dialogs.preferences import PreferencesDialog

    d = PreferencesDialog("张三", "", rules=list(rules().values()), disabled=frozenset({"indicator.all_full_marks"}))
    qtbot.addWidget(d)
    assert list(d.rule_boxes) == list(RULE_CHECKS)
    assert not d.rule_boxes["indicator.all_full_marks"].isChecked()
    assert d.rule_boxes["indicator.cost_lower_bound"].text() == "成本指标设为下限"
    assert "依据" in d.rule_boxes["indicator.cost_lower_bound"].toolTip()
    d.rule_boxes["indicator.cost_lower_bound"].setChecked(False)
    d.rule_boxes["indicator.all_full_marks"].setChecked(True)
    assert d.disabled_rules == frozenset({"indicator.cost_lower_bound"})
    assert d.district_note.text() == ""  # no file named: nothing said
    named = PreferencesDialog("张三", "", rules=list(rules().values()), district_file="/区/.jixiao/district.json")
    qtbot.addWidget(named)
    assert "/区/.jixiao/district.json" in named.district_note.text() and "所有部门适用" in named.district_note.text()


def test_a_damaged_profile_is_said_and_every_rule_stays_on(qtbot, make_window, tmp_path):
    from core.pipeline import recheck

    store = tmp_path / "cases"
    store.mkdir()
    profile_path(store).write_text("{broken", encoding="utf-8")
    window = make_window(recheck=recheck, store_dir=store)
    banner = window.banners.banner("district")
    assert banner is not None and "地区设置文件无法读取" in banner.label.text() and "全部审核规则" in banner.label.text()
    _open(qtbot, window)
    assert _ours(window) == set(RULE_CHECKS)


def test_a_profile_saved_beside_the_reviews_is_read_at_start(qtbot, make_window, tmp_path):
    from core.pipeline import recheck

    store = tmp_path / "cases"
    save_profile(DistrictProfile(frozenset({"indicator.deviation_full_marks"})), profile_path(store))
    window = make_window(recheck=recheck, store_dir=store)
    _open(qtbot, window)
    assert _ours(window) == set(RULE_CHECKS) - {"indicator.deviation_full_marks"}


def test_a_rule_off_by_default_is_unchecked_until_the_district_switches_it_on(make_window, monkeypatch):
    from core.checks.indicator_quality import rule

    monkeypatch.setitem(rule("indicator.all_full_marks"), "enabled_by_default", False)
    window = make_window()
    assert window.rules_not_applied() == {"indicator.all_full_marks"}
    assert window.set_disabled_rules(frozenset({"indicator.cost_lower_bound"}))
    saved = load_profile(profile_path(window.store_dir))
    assert saved.enabled_rules == {"indicator.all_full_marks"} and saved.disabled_rules == {"indicator.cost_lower_bound"}
    assert window.rules_not_applied() == {"indicator.cost_lower_bound"}


def _district_with_loose_files(tmp_path, disabled):
    """A district folder with its profile (``.jixiao/district.json``) and one department's files in a
    subfolder, as a reviewer keeps them; no workspace is opened in the window."""
    import shutil

    root = tmp_path / "岳阳市2024"
    dept = root / "某区某局"
    dept.mkdir(parents=True)
    for pdf in sorted(BROKEN.glob("*.pdf")):
        shutil.copy2(pdf, dept / pdf.name)
    path = profile_path(root / ".jixiao")
    save_profile(DistrictProfile(frozenset(disabled)), path)
    return dept, path


def test_loose_files_in_a_district_folder_are_checked_with_its_profile_as_on_the_command_line(
        qtbot, make_window, tmp_path, prompts):
    from core.pipeline import recheck

    off = {"indicator.all_full_marks", "indicator.benefit_no_method"}
    dept, path = _district_with_loose_files(tmp_path, off)
    window = make_window(recheck=recheck)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths(sorted(str(p) for p in dept.glob("*.pdf")))
    assert _ours(window) == set(RULE_CHECKS) - off
    banner = window.banners.banner("district_found")
    assert banner is not None and str(path) in banner.label.text() and "不采用2条审核规则" in banner.label.text()
    # 首选项 saves to that profile (the district's), not beside the window's reviews
    prompts.preferences_answer = ("张三", "", frozenset({"indicator.all_full_marks"}))
    window.edit_preferences()
    assert prompts.preferences_rules[1] == off
    assert prompts.preferences_district_file == str(path)  # the dialog says where (and for whom) it saves
    assert load_profile(path).disabled_rules == {"indicator.all_full_marks"}
    assert not profile_path(window.store_dir).exists()
    assert _ours(window) == set(RULE_CHECKS) - {"indicator.all_full_marks"}
    # the same review reopened from the recent list (no files given): the same profile, said again
    window.close_case()
    assert window.banners.banner("district_found") is None and window.district_path() == profile_path(window.store_dir)
    save_profile(DistrictProfile(frozenset({"indicator.benefit_no_method"})), path)  # the district changed it
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_case_file(window.settings.last_case)
    assert _ours(window) == set(RULE_CHECKS) - {"indicator.benefit_no_method"}
    assert window.banners.banner("district_found") is not None


def test_files_outside_any_district_folder_keep_the_windows_own_profile(qtbot, make_window, tmp_path):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    _open(qtbot, window)
    assert _ours(window) == set(RULE_CHECKS)
    assert window.banners.banner("district_found") is None
    assert window.district_path() == profile_path(window.store_dir)
