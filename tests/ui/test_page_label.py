"""The label above the pages names the document on screen: its mark as the fields and findings lists show it
(②第7页) and its name, cut in the middle when long (it was cut after 12 characters: "资阳区退役军人事务局20")."""

from __future__ import annotations

from conftest import PACKAGES

from ui.models.common import circled
from ui.widgets.document_panel import PAGE_LABEL_NAME_PX

SPLIT = PACKAGES / "split_files_2024"


def test_the_page_label_names_the_document_by_its_mark_and_its_whole_or_middle_cut_name(
        qtbot, make_window, tmp_path):
    import shutil

    window = make_window()
    files = []
    for i, pdf in enumerate(sorted(SPLIT.glob("*.pdf"))):  # the first with a long name, as departments send
        name = "资阳区退役军人事务局2024年度部门整体支出绩效评价基础数据表（盖章扫描前的电子版）.pdf" if i == 0 else pdf.name
        files.append(tmp_path / name)
        shutil.copy2(pdf, files[-1])
    with qtbot.waitSignal(window.case_opened, timeout=60000):
        window.open_paths([str(p) for p in files])
    panel = window.documents
    label = panel.page_label
    keys = panel.view.document_keys()
    cut = 0
    for i, key in enumerate(keys):
        panel.view.go_to(key, 1)
        qtbot.waitUntil(lambda k=key: panel.view.current_page() == (k, 1), timeout=5000)
        text, tip = label.text(), label.toolTip()
        total = panel.view.page_count(key)
        assert text.startswith(circled(i)) and text.endswith(f"第 1 / {total} 页")
        name = tip[:-4] if tip.lower().endswith(".pdf") else tip
        shown = text[len(circled(i)):-len(f"  第 1 / {total} 页")]
        assert tip.endswith(".pdf") and tip != ""
        fm = label.fontMetrics()
        if fm.horizontalAdvance(name) <= PAGE_LABEL_NAME_PX:
            assert shown == name
        else:  # the beginning and the end of the name, the middle elided
            head, _, tail = shown.partition("…")
            assert head and tail and name.startswith(head) and name.endswith(tail)
            cut += 1
    assert cut == 1
