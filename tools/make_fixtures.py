"""Build the fixture packages under ``tests/data/packages``: realistic PDFs of 部门整体支出绩效自评 packages,
each with the ``expected.json`` written by the generator from what it printed.

    python tools/make_fixtures.py [--out tests/data/packages] [--seeds ../shared/seeds] [--only NAME ...]

Deterministic: fixed PDF dates and ids (reportlab ``invariant=1``), so a re-run produces identical bytes.
See ``tests/data/packages/README.md`` for what each package exercises.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools.fixtures import PACKAGES, build_all  # noqa: E402
from tools.fixtures.seedtext import DEFAULT_SEEDS  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "tests" / "data" / "packages")
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--only", nargs="*", metavar="NAME", help="build only these packages: " + ", ".join(PACKAGES))
    args = ap.parse_args(argv)
    unknown = set(args.only or []) - set(PACKAGES)
    if unknown:
        ap.error(f"unknown package(s): {', '.join(sorted(unknown))}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rec in build_all(args.out, args.seeds, args.only):
        docs = ", ".join(f"{d.file} ({d.pages} p.)" for d in rec.documents)
        print(f"{name}: {docs}; {len(rec.fields)} fields, {len(rec.indicators)} indicators")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
