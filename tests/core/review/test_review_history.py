"""No review is ever replaced: every way a case file could be written over by another review keeps the earlier
one in the case's history, from which it can be restored (issue 14).

The paths that can replace a review, each tested here at the store level (the window's and the command line's
own tests go through the same store): a new review of the same files (the case opened again with a mistyped or
missing argument, re-read after a source changed, a workspace case re-read), restoring an older version, and a
damaged file at the case's place.  The case is the store tests' small two-file case.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import OutputError
from core.review import casefile
from core.review.session import ReviewSession
from core.review.store import (
    AutoSaver,
    CaseFileError,
    case_path_for,
    find_case,
    history_dir,
    restore_version,
    review_versions,
    save_case,
)
from tests.core.review.test_review_store import Clock, make_session, recheck, sources  # noqa: F401  (fixture)


def decided(path: Path) -> int:
    return len(json.loads(path.read_text(encoding="utf-8"))["review"]["decisions"])


def test_a_new_review_of_the_same_files_keeps_the_saved_one_in_the_history(tmp_path, sources):
    store_dir = tmp_path / "appdata"
    first = make_session(sources)
    path = case_path_for(sources, store_dir)
    saver = AutoSaver(first, path)
    first.correct("f1", "0.97", reason="原表数字模糊")  # 三公经费 then disagrees: a finding to decide
    first.decide(first.case.findings[0].fingerprint, "已核实", "已电话确认")
    saver.close()
    assert decided(path) == 1 and not history_dir(path).exists()

    # the same files read again as a new review (a "fresh" open, or an old window that did not find it)
    second = make_session(sources)
    AutoSaver(second, path)  # saves at once, as the window does for a new review
    second.correct("f1", "0.98")  # and after each change: the history is written once, not per save
    assert decided(path) == 0
    kept = list(history_dir(path).glob("*.case.json"))
    assert len(kept) == 1 and decided(kept[0]) == 1
    versions = review_versions(path)
    assert [v.current for v in versions] == [True, False]
    assert (versions[1].decisions, versions[1].corrections, versions[1].reviewer) == (1, 1, "张审核")

    # restoring it makes it current and keeps the one it replaces: nothing is lost either way
    restore_version(path, versions[1].path)
    assert decided(path) == 1
    reopened = ReviewSession.from_file(path, recheck)
    assert str(reopened.case.field_by_id("f1").value) == "0.97"
    assert reopened.decisions.current()
    after = review_versions(path)
    assert len(after) == 3 and after[0].decisions == 1
    assert sorted(v.corrections for v in after[1:]) == [1, 1]  # the replaced review (0.98) and the old copy


def test_saving_the_same_review_again_and_again_keeps_no_copies(tmp_path, sources):
    path = tmp_path / "s" / "x.case.json"
    s = make_session(sources)
    for value in ("0.97", "0.98", "0.99"):
        s.correct("f1", value)
        s.save(path)
    reopened = ReviewSession.from_file(path, recheck)  # reopened later: still the same review
    reopened.correct("f1", "1.00")
    reopened.save(path)
    assert review_versions(path) == review_versions(path)[:1]
    assert not history_dir(path).exists()


def test_an_untouched_review_is_simply_replaced(tmp_path, sources):
    path = tmp_path / "s" / "x.case.json"
    make_session(sources).save(path)
    make_session(sources).save(path)
    assert not history_dir(path).exists()  # nothing a reviewer did was in it


def test_a_file_that_cannot_be_read_is_kept_byte_for_byte(tmp_path, sources):
    path = tmp_path / "s" / "x.case.json"
    path.parent.mkdir()
    path.write_bytes(b'{"fields": [trunc')
    make_session(sources).save(path)
    kept = list(history_dir(path).glob("*.case.json"))
    assert [k.read_bytes() for k in kept] == [b'{"fields": [trunc']
    assert not review_versions(path)[1].readable
    with pytest.raises(CaseFileError):
        restore_version(path, kept[0])  # refused before anything is touched
    assert json.loads(path.read_text(encoding="utf-8"))["review"]


def test_a_history_that_cannot_be_written_refuses_the_save_and_keeps_the_review(tmp_path, sources, monkeypatch):
    path = tmp_path / "s" / "x.case.json"
    first = make_session(sources)
    first.correct("f1", "0.97")
    first.save(path)
    before = path.read_bytes()

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(casefile, "write_bytes_atomic", full)
    with pytest.raises(OutputError) as e:
        save_case(path, make_session(sources))
    assert "磁盘已满" in e.value.reason
    assert path.read_bytes() == before


def test_the_mistyped_command_sequence_keeps_the_review(tmp_path, sources):
    """Issue 14: the folder's review saved; ``main.py exprot <dir> -o out`` once opened a window on
    ["exprot", dir, "-o", "out"]; the next normal opening showed a fresh review and "exprot：文件不存在"."""
    store_dir = tmp_path / "appdata"
    s = make_session(sources)
    path = case_path_for(sources, store_dir)
    saver = AutoSaver(s, path)
    s.correct("f2", "9,700.00")
    s.decide(s.case.findings[0].fingerprint, "已核实", "已电话确认")
    saver.close()

    mistyped = [tmp_path / "exprot", *sources, tmp_path / "-o", tmp_path / "out"]
    assert find_case(mistyped, store_dir) == path  # the missing arguments do not count
    again = ReviewSession.from_file(find_case(sources, store_dir), recheck)
    assert again.decisions.current() and "unreadable" not in again.case.extra
    assert not history_dir(path).exists()


def test_two_earlier_reviews_saved_in_the_same_second_list_the_one_kept_later_first(tmp_path):
    from core.review.store import keep_as_earlier_version, review_versions

    case_path = tmp_path / "x.case.json"
    for reviewer in ("李四", "王五"):  # kept in this order, both stamped with the same second
        earlier = tmp_path / f"{reviewer}.case.json"
        earlier.write_text(json.dumps({"review": {"reviewer": reviewer, "modified": "2026-12-07T08:46:00+00:00"}},
                                      ensure_ascii=False), encoding="utf-8")
        keep_as_earlier_version(earlier, case_path)
    assert [v.reviewer for v in review_versions(case_path)] == ["王五", "李四"]
