"""Print how well extraction matches each fixture package's expected.json (developer tool): catalogue values
found exactly (key, page, value), figures filed under a wrong key (read at an expected figure's place, with its
value, but under another key: "wrong key" when the expected key is missing, "+n also under another key" when
the figure came out under both), and indicator rows.

    python tools/score_extraction.py [tests/data/packages/NAME ...] [--prefix basic. --prefix selfeval.] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.evaluation import Score, score_case  # noqa: E402
from core.pipeline import extract_case  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("packages", nargs="*")
    ap.add_argument("--prefix", action="append", default=[])
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    dirs = [Path(p) for p in a.packages] or sorted(p for p in (ROOT / "tests/data/packages").iterdir()
                                                   if (p / "expected.json").exists())
    total = Score()
    for d in dirs:
        expected = json.loads((d / "expected.json").read_text(encoding="utf-8"))
        files = [d / doc["file"] for doc in expected.get("documents", [])]
        case = extract_case(files)
        s = score_case(case, expected, keys_prefix=tuple(a.prefix))
        total = total.merge(s)
        print(f"{d.name:28s} fields {s.fields_found}/{s.fields_expected} ({s.field_recall:.1%})  "
              f"wrong key {s.misfiled} (+{s.doubled} also under another key)  "
              f"indicators {s.indicators_found}/{s.indicators_expected} ({s.indicator_recall:.1%})")
        if a.verbose:
            for key, e in s.wrong_key:
                print(f"   wrong key {key} = {e['value']} p{e['page']}   expected {e['key']}")
            for m in s.missing_fields:
                got = [(f.value, f.page) for f in case.all(m["key"])]
                print(f"   missing {m['key']} = {m['value']} p{m['page']}   got {got}")
            for m in s.missing_indicators:
                print(f"   missing indicator {m}")
    print(f"{'TOTAL':28s} fields {total.fields_found}/{total.fields_expected} ({total.field_recall:.1%})  "
          f"wrong key {total.misfiled} (+{total.doubled} also under another key; "
          f"precision {total.field_precision:.1%})  "
          f"indicators {total.indicators_found}/{total.indicators_expected} ({total.indicator_recall:.1%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
