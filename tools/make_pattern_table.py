"""Write resources/patterns.bin: the compiled code of every regular expression the program asks for while it
reads, checks and writes the fixture packages (and the real PDFs in ../shared/real when they are there),
for ``core.patterns.install`` (see its docstring).  Run it with the Python the program ships with, after
changing patterns and before a release build:

    python3 tools/make_pattern_table.py

It records what ``re`` is asked for (served from the table or not), so a pattern no longer used drops out.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ASKED: dict[tuple[str, int], None] = {}
_compile = re._compile


def _record(pattern, flags):
    if isinstance(pattern, str):
        f = flags.value if isinstance(flags, re.RegexFlag) else flags
        if not f & re.DEBUG:
            ASKED.setdefault((pattern, int(f)), None)
    return _compile(pattern, flags)


def _inputs() -> list[list[Path]]:
    packages = sorted(p for p in (ROOT / "tests" / "data" / "packages").iterdir() if p.is_dir())
    jobs = [[p] for p in packages]
    jobs += [[p] for p in sorted((ROOT / "tests" / "data" / "producers").rglob("*.pdf"))]
    real = ROOT.parent / "shared" / "real"
    if real.is_dir():
        jobs += [[p] for p in sorted(real.rglob("*.pdf"))]
    return jobs


def main() -> int:
    re._compile = _record  # only in this tool: note every pattern asked for
    import core

    for mod in pkgutil.walk_packages(core.__path__, "core."):
        importlib.import_module(mod.name)
    from core.checks.coverage import case_json_text
    from core.export.excel import export_workbooks
    from core.pipeline import NoInput, extract_case

    with tempfile.TemporaryDirectory() as tmp:
        for i, job in enumerate(_inputs()):
            try:
                case = extract_case(job)
            except NoInput:
                continue
            case_json_text(case)
            if i < 3:  # the export's patterns too (the window exports in the same process)
                export_workbooks(case, Path(tmp) / str(i))
    re._compile = _compile
    from core.patterns import TABLE, table_bytes

    out = ROOT / "resources" / TABLE
    out.write_bytes(table_bytes(list(ASKED)))
    print(f"{out.relative_to(ROOT)}: {len(ASKED)} patterns, {out.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
