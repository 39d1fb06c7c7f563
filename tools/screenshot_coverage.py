"""Screenshot of the review window's 检查覆盖 tab (issue 20 part 1).

    QT_QPA_PLATFORM=offscreen python3 tools/screenshot_coverage.py [-o docs/screenshots]

Opens ``omission_unreadable_2024`` (its 公开05 unreadable) in the window at 1366×768, gives one of the five
checks that could not run a verdict of 通过 and one 不通过 (with notes), shows the tab with the first check
still open selected, and grabs the window offscreen.  Writes ``coverage-1366x768.png``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PACKAGE = ROOT / "tests" / "data" / "packages" / "omission_unreadable_2024"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("-o", "--output", default=str(ROOT / "docs" / "screenshots"))
    args = ap.parse_args()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from core.pipeline import recheck
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(QSettings(str(Path(tmp) / "settings.ini"), QSettings.Format.IniFormat))
        settings.reviewer, settings.reviewer_asked = "王芳", True
        window = MainWindow(settings, recheck=recheck, store_dir=Path(tmp) / "cases")
        window.resize(1366, 768)
        window.show()
        done = []
        window.case_opened.connect(lambda: done.append(True))
        window.open_paths(sorted(PACKAGE.glob("*.pdf")))
        while not done:
            app.processEvents()
        session = window.session
        session.set_check_verdict("accounts.i05a", "通过", "已对照公开05原表逐行核对，小计＝基本＋项目")
        session.set_check_verdict("accounts.i05c", "不通过", "公开05合计与公开04一般公共预算栏相差0.12万元")
        window.review_tabs.setCurrentWidget(window.coverage_panel)
        window.right.setSizes([260, 480])  # the coverage list given the room the findings list usually has
        window.show_check("accounts.i05b")
        for _ in range(40):
            app.processEvents()
        out = Path(args.output)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "coverage-1366x768.png"
        window.grab().save(str(path))
        print(path)
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
