"""Screenshots of the review window as a reviewer sees it (docs/screenshots/).

    QT_QPA_PLATFORM=offscreen python3 tools/screenshot_review.py [-o docs/screenshots]

- ``review-<w>x<h>-finding.png``: the yunxi_2024 package, the first open finding chosen with F8 (its places
  boxed on the page, the fields it names selected, its whole message under the list);
- ``review-<w>x<h>-indicator.png``: the same package on the 绩效指标 tab, a 实际值 cell chosen;
- ``juesuan-1366x768-field.png`` / ``juesuan-1600x1000-finding.png``: the real 上海普陀 社会工作部 2024 决算
  (``../shared/real``, skipped when it is not beside the checkout) — the 年初预算 of its 说明 and the finding
  on it;
- ``district-profile-1366x768.png``: a department's loose files inside a district folder with a profile
  (``.jixiao/district.json``): the banner naming the profile the case is checked with.

Each view at 1366×768 (a common office laptop) and, where named, 1600×1000; grabbed offscreen.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from screenshot_common import PACKAGES, ROOT, make_window, output_dir, save, wait_for
from screenshot_common import pump as settle

YUNXI = PACKAGES / "yunxi_2024"
RULES = PACKAGES / "indicator_rules_2024"
REAL = ROOT.parent / "shared" / "real" / "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf"


def main() -> int:
    out = output_dir(__doc__)
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()

    def pump(n: int = 40) -> None:
        settle(n, 0.02)  # pages are drawn off the UI thread

    def window_on(tmp: Path, paths: list[str], size: tuple[int, int]) -> MainWindow:
        window = make_window(tmp, size)
        wait_for(window.case_opened, lambda: window.open_paths(paths))
        pump(80)
        return window

    def shot(window: MainWindow, name: str) -> None:
        pump(100)
        save(window, out / name, few_colours=True)

    for size in ((1366, 768), (1600, 1000)):
        tag = f"{size[0]}x{size[1]}"
        with tempfile.TemporaryDirectory() as tmp:
            window = window_on(Path(tmp), [str(YUNXI)], size)
            window.next_item(1)  # F8: the first open finding
            window.findings.table.setFocus()
            shot(window, f"review-{tag}-finding.png")
            window.fields.tabs.setCurrentIndex(1)
            iid = window.session.case.indicators[4].id + ".actual"  # 人才培训: 15000人次 against ≥1000
            if window.fields.select_indicator(iid):
                window.show_indicator(iid)
            shot(window, f"review-{tag}-indicator.png")
            window.close()
            pump(5)

    if REAL.exists():
        for size, name in (((1366, 768), "juesuan-1366x768-field.png"),
                           ((1600, 1000), "juesuan-1600x1000-finding.png")):
            with tempfile.TemporaryDirectory() as tmp:
                window = window_on(Path(tmp), [str(REAL)], size)
                if name.endswith("field.png"):
                    fld = window.session.case.first("report.initial_budget")
                    if fld is not None and window.fields.select_field(fld.id):
                        window.show_field(fld.id)
                else:
                    window.next_item(1)
                shot(window, name)
                window.close()
                pump(5)

    from core.district import DistrictProfile, profile_path, save_profile

    with tempfile.TemporaryDirectory() as tmp:
        district = Path(tmp) / "益阳市资阳区2024"
        dept = district / "资阳区某局"
        dept.mkdir(parents=True)
        for pdf in sorted(RULES.glob("*.pdf")):
            shutil.copy2(pdf, dept / pdf.name)
        save_profile(DistrictProfile(frozenset({"indicator.all_full_marks", "indicator.benefit_no_method"}),
                                     "yitihua_execution"), profile_path(district / ".jixiao"))
        window = window_on(Path(tmp), [str(p) for p in sorted(dept.glob("*.pdf"))], (1366, 768))
        window.next_item(1)
        shot(window, "district-profile-1366x768.png")
        window.close()
        pump(5)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
