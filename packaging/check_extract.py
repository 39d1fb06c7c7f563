"""Check what a built program's ``extract`` wrote: enough fields with Chinese labels and Chinese text read.

    python3 packaging/check_extract.py OUT.json [OUT2.json ...] [--min 20]

Why it exists: the smoke tests of the bundle (tests/packaging) and of the .deb in a clean Debian root
(packaging/test_deb_in_chroot.sh, where the root has no Python) run the frozen ``jixiao-cli extract`` and
judge its JSON here, on the machine that runs the test.  A frozen build that lost the PDF text layer's
Chinese (a pdfminer without its CMap data, a missing pdfium) still exits 0 but extracts no field, or fields
whose printed text holds no Chinese: both fail here.

A field counts when its label is Chinese and its value is not empty; at least one counted field must also have
Chinese printed text (``raw``) — labels come from our catalogue, ``raw`` only from the PDF.  Exit 1 when a
file has fewer than ``--min`` such fields.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

CJK = re.compile(r"[\u3400-\u9fff]")


def chinese_fields(case: dict) -> list[dict]:
    return [f for f in case.get("fields", [])
            if CJK.search(str(f.get("label", ""))) and str(f.get("value", "")).strip() not in ("", "None")]


def judge(path: Path, minimum: int) -> tuple[bool, str]:
    try:
        case = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        return False, f"{path}: not readable JSON ({e})"
    fields = chinese_fields(case)
    with_text = [f for f in fields if CJK.search(str(f.get("raw", "")))]
    kinds = sorted({k for d in case.get("documents", []) for k in d.get("kinds", {})})
    sample = "、".join(f"{f['label']}={str(f['value'])[:16]}" for f in with_text[:3])
    ok = len(fields) >= minimum and bool(with_text)
    return ok, (f"{'ok  ' if ok else 'FAIL'} {path.name}: {len(fields)} fields with Chinese labels "
                f"({len(with_text)} with Chinese printed text), "
                f"pages read as {'/'.join(kinds) or 'nothing'}; "
                f"e.g. {sample or '-'}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("json", nargs="+", type=Path)
    ap.add_argument("--min", type=int, default=20)
    args = ap.parse_args(argv)
    try:
        sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[attr-defined]
    except Exception:
        pass
    failed = 0
    for path in args.json:
        ok, line = judge(path, args.min)
        print(line)
        failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
