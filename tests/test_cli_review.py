"""The command line and the reviewer's saved work (issue 14): a mistyped command is refused (exit 2, the closest
command named), never a window that replaces a review; ``export`` and ``batch`` use the saved review by default
and say so, ``--fresh`` ignores it; ``history`` lists and restores earlier reviews; ``--help`` is Chinese.

The saved review is made the way the window makes it (``ReviewSession`` over the extracted case, saved where
``find_case`` looks), in a store passed with ``--store``; every run has its own ``XDG_DATA_HOME`` so the
window's real case folder is never read.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests" / "data" / "packages"
CI = bool(os.environ.get("CI"))


def run(*args: str, data_home: Path, display: str | None = None, platform: str | None = None
        ) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8", XDG_DATA_HOME=str(data_home))
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        env.pop(k, None)
    if display is not None:
        env["DISPLAY"] = display
    if platform is not None:
        env["QT_QPA_PLATFORM"] = platform
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], cwd=ROOT, capture_output=True,
                          text=True, encoding="utf-8", env=env, timeout=300)


def copy_package(name: str, folder: Path) -> Path:
    found = sorted((PACKAGES / name).glob("*.pdf"))
    assert found, f"fixture package {name} missing from the checkout"
    folder.mkdir(parents=True)
    for p in found:
        shutil.copy2(p, folder / p.name)
    return folder


def saved_review(folder: Path, store: Path) -> Path:
    """A review of ``folder`` as the window saves it: 三公经费 corrected, a finding decided, a value added."""
    from core.pipeline import collect_inputs, extract_case, recheck
    from core.review import ReviewSession
    from core.review.store import AutoSaver, case_path_for

    files, _ = collect_inputs([folder])
    case = extract_case([str(f) for f in files])
    session = ReviewSession(case, recheck, reviewer="李审核")
    path = case_path_for(files, store)
    saver = AutoSaver(session, path)
    session.correct(case.first("basic.sangong.final").id, "1.20", reason="与决算一致")
    finding = session.open_findings()[0]
    session.decide(finding.fingerprint, "已核实", "已电话确认")
    saver.close()
    return path


def cells(folder: Path) -> dict[tuple[str, str, str], object]:
    out = {}
    for book in sorted(folder.rglob("*.xlsx")):
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        out[(book.name, ws.title, c.coordinate)] = c.value
    return out


def texts(folder: Path) -> str:
    return "\n".join(str(v) for v in cells(folder).values())


@pytest.fixture
def yunxi(tmp_path) -> Path:
    return copy_package("yunxi_2024", tmp_path / "云溪区委组织部")


# -- refusing what it does not understand --------------------------------------------------------------------

def test_help_is_chinese_and_lists_the_window_form_every_option_and_the_presets(tmp_path):
    import main
    from core.scoring.presets import list_presets

    r = run("--help", data_home=tmp_path)
    assert r.returncode == 0
    assert "main.py FILE_OR_DIR..." in r.stdout and "用法：" in r.stdout
    for command in main.COMMANDS:
        assert command in r.stdout
        sub = run(command, "--help", data_home=tmp_path)
        assert sub.returncode == 0, sub.stderr
        for english in ("usage:", "positional arguments", "options:", "optional arguments",
                        "show this help message", "show program's version"):
            assert english not in r.stdout + sub.stdout, (command, english)
    export_help = run("export", "--help", data_home=tmp_path).stdout
    for pid, _name in list_presets():
        assert pid in export_help
    for opt in ("--fresh", "--store", "--case", "--password", "--preset", "-o"):
        assert opt in export_help
    for parser in main._all_parsers():  # every option and argument has its help text
        for action in parser._actions:
            if not isinstance(action, main.argparse._SubParsersAction):
                assert action.help, (parser.prog, action.dest)


@pytest.mark.parametrize("args,hint", [
    (["exprot", "DIR", "-o", "OUT"], "您是否要运行 export？"),
    (["extrat", "DIR"], "您是否要运行 extract？"),
    (["bacth", "DIR", "-o", "OUT"], "您是否要运行 batch？"),
    (["export", "DIR", "-o", "OUT", "--fersh"], "您是否要使用 --fresh？"),
    (["batch", "DIR", "-o", "OUT", "--job", "2", "--reviwer", "张"], "您是否要使用 --reviewer？"),
    (["DIR", "-o", "OUT"], "不能使用选项 -o"),
])
def test_a_mistyped_command_or_option_exits_2_with_the_closest_one(tmp_path, args, hint):
    folder = tmp_path / "材料"
    folder.mkdir()
    subst = {"DIR": str(folder), "OUT": str(tmp_path / "out")}
    r = run(*[subst.get(a, a) for a in args], data_home=tmp_path, display=":0", platform="offscreen")
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert hint in r.stderr and "参数错误" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "jixiao-review").exists()  # no window was opened: nothing saved anywhere


def test_without_a_display_the_window_is_a_chinese_reason_not_an_abort(tmp_path, yunxi):
    for display in (None, ":97"):  # none at all; one that nothing listens on
        r = run(str(yunxi), data_home=tmp_path, display=display)
        assert r.returncode == 2, (display, r.returncode, r.stderr)
        assert "无法打开审核窗口" in r.stderr and "export" in r.stderr
        assert "qt.qpa" not in r.stderr and "Aborted" not in r.stderr and "Traceback" not in r.stderr
    assert run(data_home=tmp_path).returncode == 2  # the window on the last case: the same


# -- the saved review in export and batch ------------------------------------------------------------------

def test_the_mistyped_sequence_keeps_the_review_and_export_uses_it(tmp_path, yunxi):
    store = tmp_path / "cases"
    path = saved_review(yunxi, store)
    before = path.read_bytes()

    r = run("exprot", str(yunxi), "-o", str(tmp_path / "out"), data_home=tmp_path, display=":0",
            platform="offscreen")
    assert r.returncode == 2 and "您是否要运行 export？" in r.stderr
    assert path.read_bytes() == before

    reviewed, fresh = tmp_path / "审核后", tmp_path / "重新提取"
    r = run("export", str(yunxi), "-o", str(reviewed), "--store", str(store), data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "已采用保存的审核记录" in r.stderr and "李审核" in r.stderr and "--fresh" in r.stderr
    r = run("export", str(yunxi), "-o", str(fresh), "--store", str(store), "--fresh", data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "审核记录" not in r.stderr
    with_review, without = texts(reviewed), texts(fresh)
    assert "已电话确认" in with_review and "已电话确认" not in without
    assert "与决算一致" in with_review and "李审核" in with_review
    assert path.read_bytes() == before  # exporting reads the review, never rewrites it

    # the same workbook as export --case of the same file
    by_case = tmp_path / "按记录"
    assert run("export", "-o", str(by_case), "--case", str(path), data_home=tmp_path).returncode == 0
    assert stable(cells(by_case)) == stable(cells(reviewed))


def stable(c: dict) -> dict:
    """Cells without the export's own time stamp (导出时间/生成时间 lines)."""
    return {k: v for k, v in c.items() if not any(w in str(v) for w in ("导出时间", "生成时间", "导出于"))}


def test_a_changed_source_is_not_exported_from_the_old_review(tmp_path):
    folder = copy_package("split_files_2024", tmp_path / "分册")
    store = tmp_path / "cases"
    saved_review(folder, store)
    report = sorted(folder.glob("*.pdf"))[0]
    report.write_bytes(report.read_bytes() + b"\n% re-issued\n")
    r = run("export", str(folder), "-o", str(tmp_path / "out"), "--store", str(store), data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "在审核后有变动" in r.stderr and "--case" in r.stderr
    assert "已电话确认" not in texts(tmp_path / "out")


def test_batch_uses_the_review_saved_in_the_window_and_fresh_ignores_it(tmp_path):
    district = tmp_path / "区"
    reviewed = copy_package("yunxi_2024", district / "组织部")
    copy_package("variant_xuanchuan_2023", district / "宣传部")
    store = tmp_path / "cases"
    saved_review(reviewed, store)

    r = run("batch", str(district), "-o", str(tmp_path / "out"), "--jobs", "1", "--store", str(store),
            data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "1个部门按保存的审核记录导出" in r.stderr and "按审核记录导出" in r.stderr
    assert "已电话确认" in texts(tmp_path / "out")
    r = run("batch", str(district), "-o", str(tmp_path / "fresh"), "--jobs", "1", "--store", str(store),
            "--fresh", data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "按保存的审核记录导出" not in r.stderr
    assert "已电话确认" not in texts(tmp_path / "fresh")


def test_the_window_store_is_found_without_store_option(tmp_path, yunxi):
    from core.review.store import user_cases_dir

    old = os.environ.get("XDG_DATA_HOME")
    os.environ["XDG_DATA_HOME"] = str(tmp_path / "data")
    try:
        store = user_cases_dir()
    finally:
        if old is None:
            os.environ.pop("XDG_DATA_HOME")
        else:
            os.environ["XDG_DATA_HOME"] = old
    assert store == tmp_path / "data" / "jixiao-review" / "jixiao-review" / "cases"
    saved_review(yunxi, store)
    r = run("export", str(yunxi), "-o", str(tmp_path / "out"), data_home=tmp_path / "data")
    assert r.returncode == 0 and "已采用保存的审核记录" in r.stderr


# -- history -------------------------------------------------------------------------------------------------

def test_history_lists_the_reviews_and_restores_an_older_one(tmp_path, yunxi):
    from core.pipeline import collect_inputs, extract_case, recheck
    from core.review import ReviewSession

    store = tmp_path / "cases"
    path = saved_review(yunxi, store)
    files, _ = collect_inputs([yunxi])
    second = ReviewSession(extract_case([str(f) for f in files]), recheck, reviewer="王")
    second.correct(second.case.first("basic.sangong.final").id, "1.50")
    second.save(path)  # a new review of the same files: the first one goes to the history

    r = run("history", str(yunxi), "--store", str(store), data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()[:1].isdigit()]
    assert len(lines) == 2 and "当前" in lines[0] and "王" in lines[0] and "李审核" in lines[1]
    assert "1条问题结论" in lines[1]

    assert run("history", str(yunxi), "--store", str(store), "--restore", "5", data_home=tmp_path).returncode == 2
    r = run("history", str(yunxi), "--store", str(store), "--restore", "2", data_home=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "已把第2份" in r.stdout
    restored = ReviewSession.from_file(path, recheck)
    assert str(restored.case.first("basic.sangong.final").value) == "1.20"
    assert restored.reviewer == "李审核"
    lines = [ln for ln in r.stdout.splitlines() if ln.strip()[:1].isdigit()]
    assert len(lines) == 3  # the review it replaced is kept too

    r = run("history", str(tmp_path / "没有审核过"), "--store", str(store), data_home=tmp_path)
    assert r.returncode == 3 and "没有找到" in r.stderr
