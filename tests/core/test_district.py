"""A district's profile: switched-off rules and the 复核评分 cap preset, saved beside the workspace.

A missing file is the default profile; a damaged one is a Chinese reason (never a silent default that would
switch a district's disabled rules back on); saving is atomic and a failure is a Chinese reason too.
"""

from __future__ import annotations

import json

import pytest

from core.district import DistrictProfile, load_profile, profile_path, save_profile
from core.errors import DocumentError, OutputError
from core.workspace import Workspace


def test_default_profile_enables_everything():
    p = DistrictProfile()
    assert p.disabled_rules == frozenset()
    assert p.caps_preset is None
    assert p.is_enabled("IQ-01")


def test_round_trip_through_json_and_file(tmp_path):
    p = DistrictProfile(disabled_rules=frozenset({"IQ-06", "IQ-02"}), caps_preset="strict")
    assert DistrictProfile.from_json(p.to_json()) == p
    assert p.to_json()["disabled_rules"] == ["IQ-02", "IQ-06"]   # sorted: the file diffs cleanly
    path = tmp_path / "district.json"
    save_profile(p, path)
    assert load_profile(path) == p
    assert not p.is_enabled("IQ-06") and p.is_enabled("IQ-01")
    # no temporary file left beside it
    assert [f.name for f in tmp_path.iterdir()] == ["district.json"]


def test_a_list_becomes_a_frozenset_and_the_profile_is_hashable():
    p = DistrictProfile(disabled_rules=["IQ-03"])  # type: ignore[arg-type]
    assert p.disabled_rules == frozenset({"IQ-03"})
    assert hash(p) == hash(DistrictProfile(frozenset({"IQ-03"})))


def test_missing_file_is_the_default_profile(tmp_path):
    assert load_profile(tmp_path / "nothing.json") == DistrictProfile()


@pytest.mark.parametrize("content, words", [
    (b"{not json", "不是有效的JSON"),
    (b"\xff\xfe\x00garbage", "不是有效的JSON"),
    (b"[1, 2]", "JSON对象"),
    (b'{"disabled_rules": "IQ-01"}', "disabled_rules"),
    (b'{"disabled_rules": [1]}', "disabled_rules"),
    (b'{"caps_preset": 7}', "caps_preset"),
    (b'{"version": 99}', "版本"),
])
def test_a_bad_file_is_a_chinese_reason(tmp_path, content, words):
    path = tmp_path / "district.json"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as e:
        load_profile(path)
    assert words in e.value.reason
    assert e.value.code == "bad_profile"
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.reason)


def test_a_folder_in_its_place_is_a_chinese_reason(tmp_path):
    (tmp_path / "district.json").mkdir()
    with pytest.raises(DocumentError) as e:
        load_profile(tmp_path / "district.json")
    assert "文件夹" in e.value.reason


def test_a_file_saved_with_a_bom_reads(tmp_path):
    path = tmp_path / "district.json"
    path.write_bytes("\ufeff".encode() + json.dumps({"disabled_rules": ["IQ-05"]}).encode())
    assert load_profile(path).disabled_rules == frozenset({"IQ-05"})


def test_save_failure_is_an_output_error_and_keeps_the_old_file(tmp_path, monkeypatch):
    blocker = tmp_path / "a_file"
    blocker.write_text("x")
    with pytest.raises(OutputError) as e:
        save_profile(DistrictProfile(), blocker / "district.json")
    assert "地区设置" in e.value.reason

    good = tmp_path / "district.json"
    save_profile(DistrictProfile(frozenset({"IQ-01"})), good)
    before = good.read_bytes()

    class Boom(Exception):
        pass

    import core.district as D
    import core.review.atomic as A

    def dying(path, text, **kw):  # the write dies half way: the atomic writer leaves the old file whole
        def write(f):
            f.write(text.encode()[:5])
            raise Boom()
        A.write_atomic(path, write)

    monkeypatch.setattr(D, "write_text_atomic", dying)
    with pytest.raises(Boom):
        save_profile(DistrictProfile(frozenset({"IQ-02"})), good)
    assert good.read_bytes() == before
    assert [f.name for f in tmp_path.iterdir() if f.name.startswith(".")] == []


def test_profile_path_is_in_the_workspace_store(tmp_path):
    (tmp_path / "ws").mkdir()
    ws = Workspace.open(tmp_path / "ws")
    assert profile_path(ws.store_dir) == ws.store_dir / "district.json"
    assert profile_path(ws.store_dir).parent == tmp_path / "ws" / ".jixiao"


def test_applying_a_profile_to_a_case_and_reading_it_back():
    from core.district import apply_profile, case_profile
    from core.model import Case

    case = Case()
    p = DistrictProfile(frozenset({"indicator.all_full_marks"}), caps_preset="strict")
    assert apply_profile(case, p) is True
    assert case_profile(case) == p and case.extra["district"]["disabled_rules"] == ["indicator.all_full_marks"]
    assert apply_profile(case, p) is False  # nothing changed: no need to re-check
    assert apply_profile(case, DistrictProfile()) is True
    assert "district" not in case.extra  # the default profile leaves no trace in a saved case
    case.extra["district"] = {"disabled_rules": 5}
    assert case_profile(case) == DistrictProfile()


def test_find_profile_walks_up_from_the_inputs_to_the_workspace(tmp_path):
    from core.district import find_profile

    case_dir = tmp_path / "ws" / "统战部"
    case_dir.mkdir(parents=True)
    (case_dir / "a.pdf").write_bytes(b"%PDF-1.4")
    assert find_profile([case_dir / "a.pdf"]) is None
    target = profile_path(tmp_path / "ws" / ".jixiao")
    save_profile(DistrictProfile(frozenset({"x"})), target)
    assert find_profile([case_dir / "a.pdf"]) == target
    assert find_profile([case_dir]) == target
    assert find_profile([tmp_path / "ws"]) == target


def test_rules_off_by_default_and_switched_on():
    p = DistrictProfile(frozenset({"a"}), None, frozenset({"b"}))
    assert not p.is_enabled("a") and p.is_enabled("b", by_default=False) and not p.is_enabled("c", by_default=False)
    assert DistrictProfile.from_json(p.to_json()) == p
    assert "enabled_rules" not in DistrictProfile(frozenset({"a"})).to_json()  # the file stays as simple as it was
