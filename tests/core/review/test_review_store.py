"""The case file: round trip, atomic writes that fail cleanly, autosave, where files live, sources, recovery.

The case is built right here: two source files on disk (so their sha256 is real), a 三公经费 stated in both,
and a ``recheck`` that reports them when they disagree.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import tempfile
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import OutputError
from core.model import Case, DocumentInfo, Field, Finding, Severity, SourceRef
from core.review import store
from core.review.session import SAVE_FAILED, SAVED, ReviewSession
from core.review.store import (
    AutoSaver,
    CaseFileError,
    case_path_for,
    case_path_for_case,
    find_case,
    load_case,
    load_case_for_export,
    recover_candidates,
    save_case,
    verify_sources,
)

TZ = timezone(timedelta(hours=8))


class Clock:
    """A clock the test moves by hand, one minute per reading, so every record has its own time."""

    def __init__(self) -> None:
        self.t = datetime(2025, 3, 1, 9, 0, tzinfo=TZ)

    def __call__(self) -> datetime:
        self.t += timedelta(minutes=1)
        return self.t


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "pkg"
    folder.mkdir()
    a, b = folder / "基础数据表.pdf", folder / "部门决算.pdf"
    a.write_bytes(b"%PDF-1.7 basic table")
    b.write_bytes(b"%PDF-1.7 accounts")
    return [a, b]


def make_case(sources: list[Path]) -> Case:
    docs = [DocumentInfo(f"d{i}", str(p), hashlib.sha256(p.read_bytes()).hexdigest(), 1, unit_name="云溪区委组织部")
            for i, p in enumerate(sources, 1)]
    return Case(
        documents=docs,
        fields=[
            Field("basic.sangong.final", Decimal("0.960"), "万元", "0.960", SourceRef("d1", 1, (300.0, 240.0, 340.0,
                  252.0)), id="f1"),
            Field("accounts.t09.final.total", Decimal("9600.00"), "元", "9,600.00",
                  SourceRef("d2", 9, (400.0, 300.0, 460.0, 312.0)), id="f2"),
            Field("basic.unit_name", "云溪区委组织部", "", "云溪区委组织部", SourceRef("d1", 1, (80.0, 60.0, 200.0, 72.0)),
                  id="f3"),
        ],
        tool_version="0.1.0",
    )


def recheck(case: Case) -> None:
    """三公经费 in 万元 equals 公开09's in 元, else an error; the score keeps the 万元 figure."""
    a, b = case.field_by_id("f1"), case.field_by_id("f2")
    case.findings[:] = []
    if a.value is None or b.value is None or a.value * 10000 != b.value:
        case.findings.append(Finding("cross.sangong", Severity.ERROR, "三公经费不一致", [a.key, b.key],
                                     [a.value, b.value], [a.source, b.source]))
    case.scores = {"sangong": {"final_wan": a.value}}


def make_session(sources: list[Path], clock: Clock | None = None) -> ReviewSession:
    case = make_case(sources)
    recheck(case)
    return ReviewSession(case, recheck, reviewer="张审核", clock=clock or Clock())


def worked_session(sources: list[Path]) -> ReviewSession:
    """Corrections with an undo and a redo pending, a decision, a text correction."""
    s = make_session(sources)
    s.correct("f1", "0.970", reason="原表数字模糊")
    s.decide(s.case.findings[0].fingerprint, "已核实", "已电话确认")
    s.correct("f2", "9,700.00")
    s.correct("f3", "云溪区委宣传部")
    s.undo()
    return s


# -- round trip ---------------------------------------------------------------------------------------------

def test_save_and_reopen_restores_values_corrections_decisions_and_undo_state_exactly(tmp_path, sources):
    s = worked_session(sources)
    path = tmp_path / "store" / "x.case.json"
    s.save(path)

    again = ReviewSession.from_file(path, recheck, clock=Clock())

    f1 = again.case.field_by_id("f1")
    assert isinstance(f1.value, Decimal) and str(f1.value) == "0.970"  # digit for digit, not 0.97
    assert str(again.original("f2")[0]) == "9600.00" and again.original("f2")[1] == "9,600.00"
    assert again.case.field_by_id("f3").value == "云溪区委组织部"  # the undone text correction
    assert again.corrections.records == s.corrections.records
    assert again.decisions.records == s.decisions.records
    assert (again.can_undo, again.can_redo) == (s.can_undo, s.can_redo) == (True, True)
    assert [f.to_json() for f in again.case.findings] == [f.to_json() for f in s.case.findings]
    assert store.case_text(again) == store.case_text(s)  # the session is rebuilt exactly
    assert again.reviewer == "张审核" and again.logs.created == s.logs.created

    again.redo()  # the redo stack came back too
    assert again.case.field_by_id("f3").value == "云溪区委宣传部"
    assert again.undo().fields == {"f3"} and again.undo().fields == {"f2"}


def test_the_file_is_the_contract_case_json_with_a_review_object(tmp_path, sources):
    s = worked_session(sources)
    path = s.save(tmp_path / "x.case.json")
    d = json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)

    assert d["schema"] == "review-case/1"
    assert {x["id"]: x["value"] for x in d["fields"]}["f1"] == Decimal("0.97")  # fields hold corrected values
    review = d["review"]
    assert set(review) >= {"reviewer", "corrections", "decisions", "created", "modified", "extracted_fields"}
    assert review["extracted_fields"][0] == {"id": "f1", "value": Decimal("0.960"), "raw": "0.960"}
    assert [c["kind"] for c in review["corrections"]] == ["edit", "edit", "edit", "undo"]
    assert review["corrections"][0]["new_raw"] == "0.970"
    assert review["decisions"][0]["status"] == "已核实"

    case, logs = load_case(path)  # load_case gives the parts; "review" is not left in case.extra
    assert "review" not in case.extra and len(logs.corrections) == 4


def test_a_plain_extract_json_opens_as_a_review_not_yet_begun(tmp_path, sources):
    case = make_case(sources)
    recheck(case)
    path = tmp_path / "extract.json"
    path.write_text(case.dumps(), encoding="utf-8")
    s = ReviewSession.from_file(path, recheck, reviewer="李")
    assert len(s.corrections) == 0 and s.reviewer == "李" and s.logs.created
    s.correct("f1", "0.97")
    assert s.original("f1") == (Decimal("0.96"), "0.960")


@pytest.mark.parametrize("content", [b"", b"{\"fields\": [", b"[1, 2]", "不是JSON".encode(), b"\xff\xfe"])
def test_a_damaged_case_file_is_refused_with_a_chinese_reason(tmp_path, content):
    path = tmp_path / "bad.case.json"
    path.write_bytes(content)
    with pytest.raises(CaseFileError) as e:
        ReviewSession.from_file(path, recheck)
    assert e.value.reason == "审核记录文件已损坏，或不是本工具保存的文件"


def test_a_case_file_whose_log_names_unknown_fields_is_refused(tmp_path, sources):
    s = worked_session(sources)
    path = s.save(tmp_path / "x.case.json")
    d = json.loads(path.read_text(encoding="utf-8"))
    d["fields"] = d["fields"][:1]
    path.write_text(json.dumps(d, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CaseFileError):
        ReviewSession.from_file(path, recheck)
    with pytest.raises(CaseFileError) as e:
        ReviewSession.from_file(tmp_path / "none.case.json", recheck)
    assert e.value.reason == "审核记录文件不存在"


# -- failed saves -------------------------------------------------------------------------------------------

def _fail_with(code: int):
    def boom(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return boom


@pytest.mark.parametrize(
    ("target", "code", "reason"),
    [
        ("fsync", errno.ENOSPC, "磁盘已满，无法保存审核记录"),
        ("replace", errno.ENOSPC, "磁盘已满，无法保存审核记录"),
        ("replace", errno.EROFS, "保存位置只读，无法保存审核记录"),
        ("mkstemp", errno.EROFS, "保存位置只读，无法保存审核记录"),
        ("mkstemp", errno.EACCES, "保存位置只读或没有写入权限（文件可能正被其他程序打开），无法保存审核记录"),
    ],
)
def test_a_failed_save_says_why_keeps_the_old_file_and_loses_nothing(tmp_path, sources, monkeypatch,
                                                                     target, code, reason):
    s = make_session(sources)
    path = s.save(tmp_path / "out" / "x.case.json")
    previous = path.read_bytes()
    events: list[tuple[str, object]] = []
    s.subscribe(lambda name, payload: events.append((name, payload)))
    s.correct("f1", "0.97")  # in memory

    where = {"fsync": (os, "fsync"), "replace": (os, "replace"), "mkstemp": (tempfile, "mkstemp")}
    with monkeypatch.context() as m:
        m.setattr(*where[target], _fail_with(code))
        with pytest.raises(OutputError) as e:
            s.save(path)
    assert e.value.reason == reason
    assert path.read_bytes() == previous  # the previous version, intact
    assert [p.name for p in path.parent.iterdir()] == ["x.case.json"]  # no temporary file left behind
    assert events[-1] == (SAVE_FAILED, e.value)
    assert s.case.field_by_id("f1").value == Decimal("0.97") and len(s.corrections) == 1  # still in memory

    elsewhere = s.save(tmp_path / "u盘" / "备份.case.json")  # "save elsewhere" works
    assert ReviewSession.from_file(elsewhere, recheck).case.field_by_id("f1").value == Decimal("0.97")


READ_ONLY_CHILD = """
import sys
from pathlib import Path
from core.errors import OutputError
from tests.core.review.test_review_store import make_session
try:
    make_session([Path(p) for p in sys.argv[2:]]).save(Path(sys.argv[1]) / "x.case.json")
except OutputError as e:
    print(e.reason)
    sys.exit(4)
"""


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_a_really_read_only_folder(tmp_path, sources):
    """The save runs in a child without root's override of permissions (tests/unprivileged.py), so the folder
    is really read-only for it even when the tests run as root (CI)."""
    import subprocess
    import sys

    from tests.unprivileged import unprivileged_prefix

    root = Path(__file__).resolve().parents[3]
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        r = subprocess.run([*unprivileged_prefix(), sys.executable, "-c", READ_ONLY_CHILD, str(folder),
                            *map(str, sources)], cwd=root, capture_output=True, text=True, encoding="utf-8",
                           env={**os.environ, "PYTHONPATH": str(root)}, timeout=120)
        assert r.returncode == 4, r.stderr
        assert r.stdout.strip() == "保存位置只读或没有写入权限（文件可能正被其他程序打开），无法保存审核记录"
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_a_save_sweeps_temporary_files_left_by_killed_saves(tmp_path, sources):
    s = make_session(sources)
    path = s.save(tmp_path / "x.case.json")
    orphan = tmp_path / ".x.case.json.abc123.tmp"  # left by a save that was killed long ago
    orphan.write_text("{partial")
    os.utime(orphan, (0, 0))
    fresh = tmp_path / ".x.case.json.def456.tmp"  # possibly another save in progress right now
    fresh.write_text("{partial")
    s.save(path)
    assert not orphan.exists() and fresh.exists()


# -- autosave -----------------------------------------------------------------------------------------------

def test_autosave_writes_once_per_change(tmp_path, sources):
    s = make_session(sources)
    saves: list[Path] = []
    s.subscribe(lambda name, payload: saves.append(payload) if name == SAVED else None)
    saver = AutoSaver(s, tmp_path / "x.case.json")
    assert len(saves) == 1  # on disk before the first change

    s.correct("f1", "0.97")  # field_did_change + findings_did_change + scores_did_change: one write
    assert len(saves) == 2
    s.decide(s.case.findings[0].fingerprint, "不适用", "")
    s.undo()
    s.correct("f1", "0.96")  # the value it already has (0.960): nothing to write
    assert len(saves) == 4
    assert ReviewSession.from_file(saver.path, recheck).case.field_by_id("f1").value == Decimal("0.960")


def test_autosave_failure_does_not_break_the_change_and_save_as_moves_on(tmp_path, sources, monkeypatch):
    s = make_session(sources)
    failures: list[OutputError] = []
    s.subscribe(lambda name, payload: failures.append(payload) if name == SAVE_FAILED else None)
    saver = AutoSaver(s, tmp_path / "x.case.json")

    with monkeypatch.context() as m:
        m.setattr(os, "fsync", _fail_with(errno.ENOSPC))
        change = s.correct("f1", "0.97")  # the correction itself succeeds
        assert change.fields == {"f1"}
        assert saver.last_error is not None and saver.last_error.reason == "磁盘已满，无法保存审核记录"
        assert [e.reason for e in failures] == ["磁盘已满，无法保存审核记录"]
        with pytest.raises(OutputError):
            saver.save_as(tmp_path / "other.case.json")
        assert saver.path == tmp_path / "x.case.json"

    saver.save_as(tmp_path / "other.case.json")
    assert saver.last_error is None and saver.path == tmp_path / "other.case.json"
    s.correct("f2", "9700")
    assert ReviewSession.from_file(tmp_path / "other.case.json", recheck).case.field_by_id("f2").value == 9700


# -- where case files live, and the sources -----------------------------------------------------------------

def test_the_case_path_depends_on_the_contents_not_on_names_or_order(tmp_path, sources):
    store_dir = tmp_path / "appdata"
    path = case_path_for(sources, store_dir)
    assert path.parent == store_dir and path.name.endswith(".case.json")
    moved = tmp_path / "copy"
    moved.mkdir()
    copies = [Path(shutil.copy(p, moved / f"renamed{i}.pdf")) for i, p in enumerate(sources)]
    assert case_path_for(list(reversed(copies)), store_dir) == path
    assert case_path_for_case(make_case(sources), store_dir) == path
    sources[0].write_bytes(b"%PDF-1.7 basic table, revised")
    assert case_path_for(sources, store_dir) != path


def test_reopening_the_same_files_finds_the_review_and_a_changed_file_is_announced(tmp_path, sources):
    store_dir = tmp_path / "appdata"
    s = make_session(sources)
    s.correct("f1", "0.97")
    path = s.save(case_path_for(sources, store_dir))
    assert find_case(sources, store_dir) == path
    assert [x.status for x in verify_sources(s.case)] == ["ok", "ok"]

    sources[1].write_bytes(b"%PDF-1.7 accounts, re-issued")
    assert find_case(sources, store_dir) == path  # found by the paths recorded, not silently restarted
    reopened = ReviewSession.from_file(path, recheck)
    assert verify_sources(reopened.case) == [("d1", str(sources[0]), "ok"), ("d2", str(sources[1]), "changed")]

    sources[0].unlink()
    assert [x.status for x in verify_sources(reopened.case)] == ["missing", "changed"]
    # the other file is gone: still this review (the window announces the missing file), never a new one
    assert find_case(sources[1:], store_dir) == path
    assert find_case([sources[1], tmp_path / "exprot", tmp_path / "-o"], store_dir) == path
    other = tmp_path / "pkg" / "另一个.pdf"
    other.write_bytes(b"%PDF-1.7 another")
    assert find_case([sources[1], other], store_dir) is None  # a different set of existing files
    assert path.exists()


# -- recovery -----------------------------------------------------------------------------------------------

def test_reviews_left_open_are_offered_back_and_closed_ones_are_not(tmp_path, sources):
    store_dir = tmp_path / "appdata"
    clock = Clock()
    open_one = make_session(sources, clock)
    saver = AutoSaver(open_one, store_dir / "a.case.json")
    open_one.correct("f1", "0.97")

    closed_one = make_session(sources, clock)
    closer = AutoSaver(closed_one, store_dir / "b.case.json")
    closed_one.correct("f1", "0.98")
    closer.close()

    exported = make_session(sources, clock)
    AutoSaver(exported, store_dir / "c.case.json")
    exported.correct("f1", "0.99")
    exported.mark_exported()

    (store_dir / "junk.case.json").write_text("{")  # unreadable files are skipped, not fatal
    later = make_session(sources, clock)
    AutoSaver(later, store_dir / "d.case.json")  # opened but never changed: still offered (it was open)

    found = recover_candidates(store_dir)
    assert [c.path.name for c in found] == ["d.case.json", "a.case.json"]  # most recent first
    assert found[1].title == "云溪区委组织部" and found[1].sources == tuple(str(p) for p in sources)

    saver.close()
    reopened = ReviewSession.from_file(store_dir / "b.case.json", recheck, clock=clock)
    AutoSaver(reopened, store_dir / "b.case.json")
    reopened.correct("f1", "0.95")  # changed after its last close: offered again
    assert [c.path.name for c in recover_candidates(store_dir)] == ["b.case.json", "d.case.json"]
    assert recover_candidates(tmp_path / "nowhere") == []


def test_save_case_is_the_plain_function_behind_session_save(tmp_path, sources):
    s = make_session(sources)
    events: list[str] = []
    s.subscribe(lambda name, payload: events.append(name))
    save_case(tmp_path / "x.case.json", s)  # no event: the caller owns the announcement
    assert events == [] and (tmp_path / "x.case.json").exists()


def test_export_reads_the_case_file_as_saved(tmp_path, sources):
    s = worked_session(sources)
    path = s.save(tmp_path / "x.case.json")
    case, corrections, decisions, reviewer = load_case_for_export(path)
    assert case.field_by_id("f1").value == Decimal("0.970") and case.field_by_id("f2").value == Decimal("9700.00")
    # the records as the window exports them (kinds named in Chinese for the 修改记录 sheet)
    from core.review.corrections import KIND_NAMES

    assert [c["kind"] for c in corrections] == [KIND_NAMES[k] for k in ("edit", "edit", "edit", "undo")]
    assert decisions[0].status == "已核实"
    assert reviewer == "张审核"
    assert [f.to_json() for f in case.findings] == [f.to_json() for f in s.case.findings]
    path.write_text("{")
    with pytest.raises(ValueError, match="审核记录文件已损坏"):
        load_case_for_export(path)
