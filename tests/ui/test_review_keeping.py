"""The window never loses a reviewer's decisions (issue 14), offscreen.

- The mistyped-command sequence: a review saved; the window opened on ["exprot", the folder, "-o", "out"] (what
  ``main.py exprot <dir> -o out`` did before the command line refused it); then the folder opened normally —
  the review is the same one, and "exprot：文件不存在" is shown that once, never again.
- 重新读取（新建审核） over a review keeps the old one in the history; 文件 › 审核记录历史… restores it.
- The window's export and ``main.py export`` of the same files give the same workbook (cell for cell, the
  time stamp aside): the command line uses the review saved in the window.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import openpyxl

from conftest import YUNXI
from core.review.corrections import VERIFIED
from core.review.store import history_dir, review_versions

ROOT = Path(__file__).resolve().parents[2]
OPEN_TIMEOUT = 60000


def open_and_wait(qtbot, window, paths):
    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window.open_paths([str(p) for p in paths])
    return window.session


def review_some(window) -> tuple[str, str]:
    session = window.session
    final = session.case.first("basic.sangong.final").id
    window.correct(final, "1.20", "与决算一致")
    finding = session.open_findings()[0]
    window.decide(finding.fingerprint, VERIFIED)
    return final, finding.fingerprint


def test_the_mistyped_command_sequence_keeps_the_review(qtbot, make_window, tmp_path, monkeypatch):
    assert YUNXI.is_dir(), "fixture package yunxi_2024 is part of the checkout"
    monkeypatch.chdir(tmp_path)  # "exprot", "-o" and "out" are relative, as typed
    first = make_window()
    open_and_wait(qtbot, first, [YUNXI])
    final, fingerprint = review_some(first)
    case_path = first.bridge.case_path
    first.close()

    mistyped = make_window()
    session = open_and_wait(qtbot, mistyped, ["exprot", YUNXI, "-o", "out"])
    assert mistyped.bridge.case_path == case_path
    assert str(session.field(final).value) == "1.20" and session.decision(fingerprint).status == VERIFIED
    banner = mistyped.banners.banner("unreadable")
    assert banner is not None and "exprot：文件不存在" in banner.text  # announced, this once
    mistyped.close()

    again = make_window()
    session = open_and_wait(qtbot, again, [YUNXI])
    assert str(session.field(final).value) == "1.20" and session.decision(fingerprint).status == VERIFIED
    assert "1条问题已处理" in again.statusBar().currentMessage()
    assert again.banners.banner("unreadable") is None  # the stale banner never comes back
    assert not history_dir(case_path).exists()  # nothing was replaced, so nothing had to be kept


def test_a_review_replaced_by_a_new_one_is_kept_and_restored_from_the_window(qtbot, make_window, prompts):
    from ui.dialogs.review_history import ReviewHistoryDialog, show_review_history

    window = make_window()
    open_and_wait(qtbot, window, [YUNXI])
    assert not show_review_history(window)  # one review only: said as a notice, not as an error
    assert prompts.asked("info")[-1][2] == "这个部门只有当前这一份审核记录，没有较早的记录。" and not prompts.asked("error")
    final, fingerprint = review_some(window)
    case_path = window.bridge.case_path

    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        window._reopen_fresh([str(YUNXI)])  # 重新读取（新建审核）: a new review of the same files
    assert window.bridge.case_path == case_path
    assert str(window.session.field(final).value) == "0.96" and window.session.decision(fingerprint) is None
    window.correct(final, "1.50", "新的审核")  # work in the new review too
    versions = review_versions(case_path)
    assert [v.current for v in versions] == [True, False] and versions[1].decisions == 1

    dialog = ReviewHistoryDialog(versions, "云溪区委组织部")
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 2
    assert dialog.selected() == versions[1] and dialog.restore_button.isEnabled()
    dialog.table.selectRow(0)
    assert not dialog.restore_button.isEnabled()  # the current one is not "restored"

    with qtbot.waitSignal(window.case_opened, timeout=OPEN_TIMEOUT):
        assert show_review_history(window, choose=lambda w, vs: vs[1])
    assert str(window.session.field(final).value) == "1.20"
    assert window.session.decision(fingerprint).status == VERIFIED
    after = review_versions(case_path)
    assert len(after) == 3 and any(v.corrections == 1 and v.decisions == 0 for v in after[1:])  # 1.50 kept
    assert window.act_review_history.text() == "审核记录历史…"


def cells(folder: Path) -> dict:
    out = {}
    for book in sorted(folder.rglob("*.xlsx")):
        for ws in openpyxl.load_workbook(book).worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None and not any(w in str(c.value) for w in ("导出时间", "生成时间", "导出于")):
                        out[(book.name, ws.title, c.coordinate)] = c.value
    return out


def test_the_windows_export_and_the_command_lines_give_the_same_workbook(qtbot, make_window, prompts, tmp_path):
    from core.pipeline import recheck

    window = make_window(recheck=recheck)  # the real checks, as main.py runs them
    open_and_wait(qtbot, window, [YUNXI])
    review_some(window)
    window_out = tmp_path / "窗口导出"
    prompts.export_folder_answer = str(window_out)
    with qtbot.waitSignal(window.export_finished, timeout=OPEN_TIMEOUT):
        window.act_export.trigger()

    cli_out = tmp_path / "命令行导出"
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(YUNXI), "-o", str(cli_out),
                        "--store", str(window.store_dir)], cwd=ROOT, capture_output=True, text=True,
                       encoding="utf-8", env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "已采用保存的审核记录" in r.stderr
    from_window, from_cli = cells(window_out), cells(cli_out)
    assert from_window and any("与决算一致" in str(v) for v in from_window.values())
    assert from_cli == from_window


def test_a_folder_with_nothing_to_read_names_every_format_the_window_reads(qtbot, make_window, prompts, tmp_path):
    """The window reads Word, Excel, WPS and OFD as well as PDF: "没有可以打开的PDF文件" sent a reviewer whose
    department sent .docx files looking for a converter."""
    (tmp_path / "说明.txt").write_text("不是审核材料", encoding="utf-8")
    window = make_window()
    window.open_paths([str(tmp_path)])
    (call,) = prompts.asked("error")
    assert call[1] == "无法打开" and "PDF、Word、Excel、WPS或OFD" in call[2]
