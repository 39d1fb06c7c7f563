"""The district's 复核评分 cap preset in the window (issue 20 part 3): 首选项 lists the presets of
resources/review_caps.json; the one chosen is saved in the district profile and the case on screen is
re-scored at once (the 复核得分 line under the 绩效指标 table says which rule applies)."""

from __future__ import annotations

from decimal import Decimal

from conftest import PACKAGES

from core.district import load_profile, profile_path

TIANYUAN = PACKAGES / "tianyuan_2024"
OPEN_TIMEOUT = 60000


def test_choosing_the_caps_in_preferences_rescores_the_case_and_is_saved(qtbot, make_window, prompts):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(TIANYUAN)])
    assert window.session.case.scores["review"]["caps"]["id"] == "none"
    prompts.preferences_answer = ("张三", "", frozenset(), "yitihua_execution")
    window.edit_preferences()
    listed, chosen = prompts.preferences_caps
    assert [cid for cid, _ in listed] == ["none", "yitihua_execution"] and chosen is None
    caps = window.session.case.scores["review"]["caps"]
    assert caps["id"] == "yitihua_execution" and caps["basis_value"] == Decimal("88.23")
    assert "一体化系统" in window.fields.review_total.text()
    assert load_profile(profile_path(window.store_dir)).caps_preset == "yitihua_execution"
    prompts.preferences_answer = ("张三", "", frozenset(), "none")  # back to the default: no trace left
    window.edit_preferences()
    assert prompts.preferences_caps[1] == "yitihua_execution"
    assert window.session.case.scores["review"]["caps"]["id"] == "none"
    assert load_profile(profile_path(window.store_dir)).caps_preset is None


def test_the_preferences_dialog_offers_the_cap_presets(qtbot):
    from core.scoring.review_score import list_caps
    from ui.dialogs.preferences import PreferencesDialog

    d = PreferencesDialog("张三", "", caps=list_caps(), caps_preset="yitihua_execution")
    qtbot.addWidget(d)
    assert d.caps.count() == 2 and d.caps_preset == "yitihua_execution"
    assert d.caps.currentText() == "一体化系统：按预算执行率封顶"
    d.caps.setCurrentIndex(0)
    assert d.caps_preset == "none"
    plain = PreferencesDialog("张三", "")
    qtbot.addWidget(plain)
    assert plain.caps_preset is None  # nothing listed, nothing chosen
