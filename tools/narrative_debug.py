"""Print the narrative figures of one document with their keys and frames (a developer's lens on extraction).

    python3 tools/narrative_debug.py FILE.pdf [TEXT-FILTER]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.pipeline import extract_case  # noqa: E402


def main(argv: list[str]) -> int:
    case = extract_case([argv[0]])
    flt = argv[1] if len(argv) > 1 else ""
    for f in case.fields:
        if f.form not in ("决算说明", "自评报告"):
            continue
        sent = str(f.attrs.get("sentence", ""))
        if flt and flt not in sent and flt not in f.raw:
            continue
        fr = f.attrs.get("frame") or {}
        print(f"{f.id:>5} p{f.page} {f.key:<32} {f.raw:<12} {fr.get('scope','')}/{fr.get('period','')}/"
              f"{fr.get('measure','')} {'✓' if fr.get('complete') else '?'} {f.attrs.get('subject','')} | {sent[:70]}")
    for x in case.findings:
        if not flt or flt in x.message:
            print(x.severity.value, x.check, x.message[:200])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
