"""Screenshot of the review window's 检查覆盖 tab (issue 20 part 1).

    QT_QPA_PLATFORM=offscreen python3 tools/screenshot_coverage.py [-o docs/screenshots]

Opens ``omission_unreadable_2024`` (its 公开05 unreadable) in the window at 1366×768, gives one of the five
checks that could not run a verdict of 通过 and one 不通过 (with notes), shows the tab with the first check
still open selected, and grabs the window offscreen.  Writes ``coverage-1366x768.png``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from screenshot_common import PACKAGES, make_window, output_dir, pump, save, wait_for

PACKAGE = PACKAGES / "omission_unreadable_2024"


def main() -> int:
    out = output_dir(__doc__)
    from PySide6.QtWidgets import QApplication

    from core.pipeline import recheck

    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        window = make_window(Path(tmp), (1366, 768), recheck=recheck)
        wait_for(window.case_opened, lambda: window.open_paths(sorted(PACKAGE.glob("*.pdf"))))
        session = window.session
        session.set_check_verdict("accounts.i05a", "通过", "已对照公开05原表逐行核对，小计＝基本＋项目")
        session.set_check_verdict("accounts.i05c", "不通过", "公开05合计与公开04一般公共预算栏相差0.12万元")
        window.review_tabs.setCurrentWidget(window.coverage_panel)
        window.right.setSizes([260, 480])  # the coverage list given the room the findings list usually has
        window.show_check("accounts.i05b")
        pump(40)
        save(window, out / "coverage-1366x768.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
