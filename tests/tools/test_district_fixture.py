"""The fixture district (``tests/data/district``) is the current output of ``tools/make_district_fixture.py``:
regenerated into a temporary folder, every file is byte for byte the committed one (the generator is
deterministic), and what expected.json says was copied is printed in both packages."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DISTRICT = ROOT / "tests" / "data" / "district"
sys.path.insert(0, str(ROOT))

from tools.fixtures.district import build_district


def test_the_committed_district_is_the_generators_output(tmp_path):
    build_district(tmp_path)
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    committed = sorted(p.relative_to(DISTRICT) for p in DISTRICT.rglob("*") if p.is_file())
    assert made == committed
    stale = [str(p) for p in made if (tmp_path / p).read_bytes() != (DISTRICT / p).read_bytes()]
    assert not stale, f"regenerate with python tools/make_district_fixture.py: {stale}"


def test_the_copies_are_between_two_packages_of_different_units():
    expected = json.loads((DISTRICT / "expected.json").read_text(encoding="utf-8"))
    units = expected["packages"]
    assert len(set(units.values())) == len(units) == 5
    for copy in expected["copies"]:
        a, b = copy["cases"]
        assert a != b and units[a] != units[b]
        assert sorted(expected["expected_findings"][a]) == sorted(expected["expected_findings"][b])
