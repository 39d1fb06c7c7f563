"""Build the fixture district ``tests/data/district``: five departments of one district, one copying a
paragraph and two indicators of another (``tools/fixtures/district.py`` says what each package holds).

    python tools/make_district_fixture.py [--out tests/data/district]

Deterministic like ``tools/make_fixtures.py`` (fixed PDF dates and ids): a re-run produces identical bytes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.fixtures.district import build_district


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "district")
    args = ap.parse_args(argv)
    expected = build_district(args.out)
    for folder, unit in expected["packages"].items():
        print(f"{folder}: {unit}")
    print(f"{len(expected['copies'])} copies expected, written to {args.out / 'expected.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
