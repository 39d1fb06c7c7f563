"""The district workspace in the window, offscreen: the list of departments (model and filter through
qtmodeltester), opening a department's review from it, statuses set from the list and surviving a restart,
counts refreshed when the review is saved, a folder of new packages added, a failed workspace save.

The district is built in ``tmp_path`` from the fixture packages, as tests/core/test_workspace.py builds its
own: two department folders and the loose files of a third unit.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from conftest import PACKAGES
from core.workspace import DONE, IN_PROGRESS, UNREVIEWED, Workspace
from ui import style
from ui.models.common import STATUS_ROLE
from ui.models.workspace_model import (
    COL_ERRORS,
    COL_FILES,
    COL_MATERIALS,
    COL_NAME,
    COL_STATUS,
    COL_WARNINGS,
    WorkspaceFilter,
    WorkspaceModel,
)

OPEN_TIMEOUT = 60000
YUNXI = "中共岳阳市云溪区委组织部"
CLEAN = "岳阳市岳阳楼区发展和改革局"
TIANYUAN = "中共株洲市天元区委组织部"


def copy_into(folder: Path, package: str) -> list[Path]:
    found = sorted((PACKAGES / package).glob("*.pdf"))
    if not found:
        pytest.skip(f"fixture package {package} missing")
    folder.mkdir(parents=True, exist_ok=True)
    for p in found:
        shutil.copy2(p, folder / p.name)
    return [folder / p.name for p in found]


@pytest.fixture
def district(tmp_path) -> Path:
    root = tmp_path / "某区2024"
    copy_into(root / "01云溪", "yunxi_2024")
    copy_into(root / "02岳阳楼", "variant_clean_2024")
    copy_into(root, "tianyuan_2024")  # loose: two files printing one unit
    return root


def open_workspace(qtbot, window, folder: Path):
    with qtbot.waitSignal(window.workspace_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace(str(folder))
    return window.workspace


def rows(window) -> dict[str, tuple[str, str]]:
    """name → (status, errors) as the list shows them."""
    proxy = window.workspace_panel.proxy
    return {proxy.index(r, COL_NAME).data(): (proxy.index(r, COL_STATUS).data(), proxy.index(r, COL_ERRORS).data())
            for r in range(proxy.rowCount())}


def case_id(ws, name: str) -> str:
    return next(e.id for e in ws.list_cases() if e.name == name)


# -- the model --------------------------------------------------------------------------------------------

def test_workspace_model_and_filter_pass_qtmodeltester(qtmodeltester, district):
    ws = Workspace.open(district)
    model = WorkspaceModel(ws)
    qtmodeltester.check(model)
    proxy = WorkspaceFilter()
    proxy.setSourceModel(model)
    proxy.sort(COL_ERRORS, Qt.SortOrder.DescendingOrder)
    qtmodeltester.check(proxy)
    ws.set_status(case_id(ws, YUNXI), IN_PROGRESS)  # the model follows the workspace's events (in the window)
    proxy.set_status(IN_PROGRESS)
    qtmodeltester.check(proxy)


def test_the_model_lists_every_case_with_its_state(district):
    ws = Workspace.open(district)
    model = WorkspaceModel(ws)
    assert model.rowCount() == 3
    names = [model.index(r, COL_NAME).data() for r in range(3)]
    assert names == [e.name for e in ws.list_cases()] and set(names) == {YUNXI, CLEAN, TIANYUAN}
    r = model.row_of(case_id(ws, TIANYUAN))
    assert model.index(r, COL_STATUS).data() == UNREVIEWED
    assert model.index(r, COL_ERRORS).data() == "—" and model.index(r, COL_WARNINGS).data() == "—"
    assert model.index(r, COL_FILES).data() == "2"
    assert "尚未开始审核" in model.index(r, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)


# -- the window ---------------------------------------------------------------------------------------------

def test_the_workspace_page_lists_the_departments_with_their_statuses(qtbot, make_window, prompts, district,
                                                                      settings):
    window = make_window()
    prompts.workspace_answer = str(district)
    with qtbot.waitSignal(window.workspace_opened, timeout=OPEN_TIMEOUT):
        window.welcome.workspace_button.click()  # the start page's entry
    assert window.stack.currentWidget() is window.workspace_panel
    assert rows(window) == {YUNXI: (UNREVIEWED, "—"), CLEAN: (UNREVIEWED, "—"), TIANYUAN: (UNREVIEWED, "—")}
    assert window.workspace_panel.summary.text() == "共3个部门：未审3 · 审核中0 · 已完成0"
    assert settings.last_workspace == str(district)
    assert window.windowTitle().startswith(window.workspace.title)
    panel = window.workspace_panel
    panel.search.setText("岳阳楼")
    assert list(rows(window)) == [CLEAN]
    panel.search.clear()
    panel.status_filter.setCurrentText(DONE)
    assert rows(window) == {}
    panel.status_filter.setCurrentIndex(0)
    assert len(rows(window)) == 3


def test_double_click_opens_the_case_and_keeps_its_review_in_the_workspace(qtbot, make_window, district):
    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, YUNXI)
    table = window.workspace_panel.table
    idx = window.workspace_panel.proxy_index(cid)
    table.scrollTo(idx)
    pos = table.visualRect(idx).center()
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # QTest's double-click
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)  # needs the press before it
    assert window.stack.currentWidget() is window.main_splitter
    assert window.case_title() == YUNXI
    assert sorted(d.path for d in window.session.case.documents) == sorted(str(p) for p in ws.sources(cid))
    assert window.bridge.case_path == ws.case(cid).case_file
    assert window.bridge.case_path.parent == ws.review_dir and window.bridge.case_path.exists()
    # the first save made it 审核中, with the counts of the review
    qtbot.waitUntil(lambda: ws.case(cid).status == IN_PROGRESS)
    errors = sum(1 for f in window.session.open_findings() if f.severity.value == "error")
    assert ws.case(cid).open_errors == errors
    # a correction is saved, and the list's counts follow
    final = window.session.case.first("basic.sangong.final").id
    with qtbot.waitSignal(window.ws_bridge.cases_changed, timeout=5000):
        window.correct(final, "2")  # toy_recheck: an error now
    assert ws.case(cid).open_errors == errors + 1
    window.act_workspace.trigger()  # F9: back to the list, the review stays open
    assert window.stack.currentWidget() is window.workspace_panel and window.session is not None
    assert rows(window)[YUNXI] == (IN_PROGRESS, str(errors + 1))
    assert window.workspace_panel.current_case_id() == cid
    assert window.workspace_panel.back.isVisible()
    assert not window.act_undo.isEnabled()  # the review's keys wait behind the list
    window.workspace_panel.back.click()
    assert window.stack.currentWidget() is window.main_splitter and window.act_undo.isEnabled()


def test_enter_opens_the_current_case(qtbot, make_window, district):
    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, CLEAN)
    window.workspace_panel.select_case(cid)
    window.activateWindow()
    window.workspace_panel.table.setFocus()
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        qtbot.keyClick(window.workspace_panel.table, Qt.Key.Key_Return)
    assert window.case_title() == CLEAN


def test_a_status_set_from_the_list_survives_a_restart(qtbot, make_window, district, settings):
    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, TIANYUAN)
    panel = window.workspace_panel
    panel.select_case(cid)
    with qtbot.waitSignal(window.ws_bridge.cases_changed):
        panel.status_actions[IN_PROGRESS].trigger()  # Alt+2 (also in the context menu)
    assert rows(window)[TIANYUAN][0] == IN_PROGRESS
    assert panel.proxy_index(cid, COL_STATUS).data(STATUS_ROLE) == IN_PROGRESS
    assert ws.case(cid).reviewer == "测试员"
    window.close()

    again = make_window()  # a new window on the same settings: the workspace comes back by itself
    with qtbot.waitSignal(again.workspace_opened, timeout=OPEN_TIMEOUT):
        again.start([])
    assert again.stack.currentWidget() is again.workspace_panel
    assert again.workspace.folder == district
    assert rows(again)[TIANYUAN][0] == IN_PROGRESS and rows(again)[YUNXI][0] == UNREVIEWED


def test_closing_a_reviewed_case_and_reopening_it_from_the_list_restores_the_review(qtbot, make_window,
                                                                                   district):
    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, YUNXI)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    final = window.session.case.first("basic.sangong.final").id
    window.correct(final, "1.50", "按决算表")
    window.close_case_interactive()  # back to the list, not to the start page
    assert window.stack.currentWidget() is window.workspace_panel
    assert ws.case(cid).has_review
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    assert str(window.session.field(final).value) == "1.50"


def test_a_cached_extraction_opens_without_reading_the_pdfs(qtbot, make_window, district, yunxi_case):
    import copy

    from core.batch import save_cached_case

    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, YUNXI)
    cached = copy.deepcopy(yunxi_case)
    cached.first("basic.unit_name").label = "填报单位（批量提取的缓存）"
    path = ws.cache_dir / "yunxi.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    save_cached_case(path, cached)
    ws.record_case(cid, cached, cache_file=path)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    assert window.session.case.first("basic.unit_name").label == "填报单位（批量提取的缓存）"
    assert all(Path(d.path).parent == district / "01云溪" for d in window.session.case.documents)
    assert window.bridge.case_path == ws.case(cid).case_file


def test_add_folder_groups_new_packages_into_cases(qtbot, qtmodeltester, make_window, prompts, district,
                                                   tmp_path):
    window = make_window()
    open_workspace(qtbot, window, district)
    qtmodeltester.check(window.workspace_panel.model)  # the tester stays on while cases are added
    qtmodeltester.check(window.workspace_panel.proxy)
    arrived = tmp_path / "新收到"
    copy_into(arrived / "湘潭县委宣传部", "variant_xuanchuan_2023")
    copy_into(arrived, "variant_injected_2024")  # loose files of one more unit
    prompts.add_folder_answer = str(arrived)
    with qtbot.waitSignal(window.workspace_scanned, timeout=OPEN_TIMEOUT):
        window.workspace_panel.add_button.click()
    assert len(rows(window)) == 5
    assert "中共湘潭县委宣传部" in rows(window)
    assert "已添加2个部门" in window.statusBar().currentMessage()
    assert window.workspace_panel.table.isEnabled()
    added = window.workspace_panel.current_case_id()
    assert added in {e.id for e in window.workspace.list_cases()}


def test_a_failed_workspace_save_is_a_banner_and_nothing_is_lost(qtbot, make_window, district):
    window = make_window()
    ws = open_workspace(qtbot, window, district)
    store = district / ".jixiao"
    shutil.move(str(store), str(district / "store-aside"))
    store.write_text("a file where the workspace folder should be", encoding="utf-8")
    cid = case_id(ws, CLEAN)
    window.set_workspace_status(cid, IN_PROGRESS)
    banner = window.banners.banner("ws_save_failed")
    assert banner is not None and "未能保存" in banner.text and "没有丢失" in banner.text
    assert rows(window)[CLEAN][0] == IN_PROGRESS  # kept in memory, shown
    store.unlink()
    shutil.move(str(district / "store-aside"), str(store))
    (retry,) = banner.buttons()
    retry.click()
    assert window.banners.banner("ws_save_failed") is None
    assert Workspace.open(district, save=False).case(cid).status == IN_PROGRESS


def test_the_workspace_can_be_closed_and_is_then_not_reopened(qtbot, make_window, district, settings):
    window = make_window()
    open_workspace(qtbot, window, district)
    window.act_close_workspace.trigger()
    assert window.workspace is None and window.stack.currentWidget() is window.welcome
    assert settings.last_workspace == ""


# -- issue 20: expected materials, 已完成 only when the review is complete ------------------------------------------

def materials_cell(window, cid: str):
    return window.workspace_panel.proxy_index(cid, COL_MATERIALS)


def test_the_materials_column_says_what_each_department_sent_and_the_full_reading_corrects_it(
        qtbot, make_window, district):
    from core.materials import summary_text

    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, TIANYUAN)  # 自评报告及自评表 + 决算: no 基础数据表
    light = materials_cell(window, cid)
    assert light.data() == summary_text(ws.case(cid).materials) and "未确认" in light.data()
    tip = light.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.splitlines()[0] == f"{TIANYUAN}：应有材料" and "？ 基础数据表：前3页中未见" in tip
    assert "轻读（每个文件的前3页）" in tip
    # opening the case reads every page: the list then says what is missing, and where the rest is
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    qtbot.waitUntil(lambda: materials_cell(window, cid).data() == "缺基础数据表", timeout=10000)
    tip = materials_cell(window, cid).data(Qt.ItemDataRole.ToolTipRole)
    assert "缺 基础数据表：缺，材料中没有（完整提取）" in tip
    decision_file = next(p.name for p in ws.sources(cid) if "决算" in p.name)
    assert f"✓ 决算：{decision_file} 第" in tip
    assert materials_cell(window, cid).data(Qt.ItemDataRole.ForegroundRole) == style.ERROR
    window.workspace_panel.search.setText("缺基础数据表")  # the filter finds the departments lacking it
    assert list(rows(window)) == [TIANYUAN]


def test_done_is_refused_with_the_reasons_until_every_finding_is_decided(qtbot, make_window, prompts, district):
    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, YUNXI)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    qtbot.waitUntil(lambda: ws.case(cid).status == IN_PROGRESS)
    window.act_workspace.trigger()
    panel = window.workspace_panel
    panel.select_case(cid)
    undecided = [f for f in window.session.open_findings() if f.severity.value in ("error", "warning")]
    assert undecided

    panel.status_actions[DONE].trigger()  # Alt+3
    (refusal,) = prompts.asked("error")
    assert refusal[1] == "不能设为已完成"
    assert refusal[2].startswith(f"“{YUNXI}”还不能设为已完成：还有{len(undecided)}条问题未处理")
    assert rows(window)[YUNXI][0] == IN_PROGRESS and ws.case(cid).status == IN_PROGRESS

    for f in undecided:  # the reviewer decides every one (Ctrl+1 / Ctrl+2 in the review)
        window.session.decide(f.fingerprint, "确认问题")
    with qtbot.waitSignal(window.ws_bridge.cases_changed):
        panel.status_actions[DONE].trigger()
    assert len(prompts.asked("error")) == 1
    assert rows(window)[YUNXI][0] == DONE and Workspace.open(district, save=False).case(cid).status == DONE


def test_a_file_sent_again_reopens_the_case_and_opening_it_reads_the_new_file(qtbot, make_window, district):
    from core.review.store import review_versions

    window = make_window()
    ws = open_workspace(qtbot, window, district)
    cid = case_id(ws, YUNXI)
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    first = window.session.open_findings()[0]
    window.session.decide(first.fingerprint, "确认问题")
    earlier = window.bridge.case_path
    window.close_case_interactive()
    qtbot.waitUntil(lambda: ws.case(cid).has_review)

    pdf = ws.sources(cid)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% sent again\n")
    with qtbot.waitSignal(window.workspace_scanned, timeout=OPEN_TIMEOUT):
        window.rescan_workspace()
    entry = ws.case(cid)
    assert entry.reopened and not entry.has_review
    tip = window.workspace_panel.proxy_index(cid).data(Qt.ItemDataRole.ToolTipRole)
    assert "已重新打开审核" in tip and "审核记录历史" in tip

    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_workspace_case(cid)
    assert window.bridge.case_path == entry.case_file != earlier  # the new file's review, read afresh
    assert window.banners.banner("changed") is None
    assert window.session.decisions.current() == {}
    versions = review_versions(window.bridge.case_path)
    assert [v.current for v in versions] == [True, False] and versions[1].decisions == 1


def test_the_materials_column_is_wide_enough_for_what_it_says(qtbot, make_window, district):
    """At 1366×768 the 材料 column cut "自评表、基础数据表未确认" to "自评表、基础数据表未…": the column is as wide
    as its longest text, the name column takes what is left."""
    window = make_window()
    window.resize(1366, 768)
    open_workspace(qtbot, window, district)
    panel = window.workspace_panel
    table = panel.table
    texts = [panel.proxy.index(r, COL_MATERIALS).data() for r in range(panel.proxy.rowCount())]
    assert any("未确认" in t for t in texts)
    fm = table.fontMetrics()
    need = max(fm.horizontalAdvance(t) for t in texts)
    assert table.columnWidth(COL_MATERIALS) >= need + 6  # the text and the cell's margins
    assert table.columnWidth(COL_NAME) >= max(fm.horizontalAdvance(panel.proxy.index(r, COL_NAME).data())
                                              for r in range(panel.proxy.rowCount()))
