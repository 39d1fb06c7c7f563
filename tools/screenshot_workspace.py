"""Screenshot of the district workspace page (issue 20: the 材料 column, statuses, a reopened case).

    QT_QPA_PLATFORM=offscreen python3 tools/screenshot_workspace.py [-o docs/screenshots]

Builds a district in a temporary folder from the fixture packages — 云溪 reviewed to the end and 已完成, 天元
and 岳阳楼 read in full (天元 has no 基础数据表), 北湖 without its 基础数据表 and only light-read, 湘潭 half
reviewed and then sent again (reopened) — opens it in the window at 1366×768 and 1600×1000 and grabs the
window offscreen.  Writes ``workspace-<w>x<h>.png``.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from screenshot_common import PACKAGES, make_window, output_dir, pump, save, wait_for


def build(root: Path) -> None:
    from core.checks.coverage import PASS, open_required
    from core.pipeline import extract_case, recheck
    from core.review import ReviewSession
    from core.review.corrections import CONFIRMED, EXCLUDED
    from core.review.store import save_case
    from core.workspace import DONE, IN_PROGRESS, Workspace

    def copy(package: str, folder: str, leave_out: str = "") -> None:
        (root / folder).mkdir(parents=True)
        for p in sorted((PACKAGES / package).glob("*.pdf")):
            if not (leave_out and leave_out in p.name):
                shutil.copy2(p, root / folder / p.name)

    copy("yunxi_2024", "01云溪区委组织部")
    copy("tianyuan_2024", "02天元区委组织部")
    copy("split_files_2024", "03北湖区民政局", leave_out="基础数据表")
    copy("variant_clean_2024", "04岳阳楼区发改局")
    copy("variant_xuanchuan_2023", "05湘潭县委宣传部")
    ws = Workspace.open(root)
    by_folder = {e.folder.name: e.id for e in ws.list_cases()}

    yunxi = by_folder["01云溪区委组织部"]
    session = ReviewSession(extract_case(ws.sources(yunxi)), recheck, reviewer="王芳")
    for f in session.open_findings():
        session.decide(f.fingerprint, CONFIRMED if f.severity.value == "error" else EXCLUDED, "已与单位核对")
    for it in open_required(session.case):
        session.set_check_verdict(it.check_id, PASS, "已人工核对")
    session.mark_closed()  # closed normally: no "not closed" banner
    save_case(ws.case(yunxi).case_file, session)
    ws.refresh(yunxi)
    ws.set_status(yunxi, DONE, reviewer="王芳")

    for folder in ("02天元区委组织部", "04岳阳楼区发改局"):
        ws.record_case(by_folder[folder], extract_case(ws.sources(by_folder[folder])))

    xiangtan = by_folder["05湘潭县委宣传部"]
    session = ReviewSession(extract_case(ws.sources(xiangtan)), recheck, reviewer="李明")
    open_ = session.open_findings()
    if open_:
        session.decide(open_[0].fingerprint, CONFIRMED)
    session.mark_closed()
    save_case(ws.case(xiangtan).case_file, session)
    ws.refresh(xiangtan)
    ws.set_status(xiangtan, IN_PROGRESS)
    pdf = ws.sources(xiangtan)[0]
    pdf.write_bytes(pdf.read_bytes() + b"\n% sent again\n")  # the department sends its file again
    ws.rescan()


def main() -> int:
    out = output_dir(__doc__)
    from PySide6.QtWidgets import QApplication

    QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "岳阳市云溪区2024"
        build(root)
        window = make_window(Path(tmp))
        wait_for(window.workspace_opened, lambda: window.open_workspace(str(root)))
        for w, h in ((1366, 768), (1600, 1000)):
            window.resize(w, h)
            pump(20)
            save(window, out / f"workspace-{w}x{h}.png")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
