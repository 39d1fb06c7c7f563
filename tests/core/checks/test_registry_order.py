"""The checks run in the same order in every process, whichever check module was imported first (a test or a
tool importing ``core.checks.cross`` to call one check, say): the problem list of the window's workbook is in
the same order as the command line's (issue 14 found the window's rows permuted after other tests had run)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PROBE = """
import sys
{first}
from core.checks.registry import all_checks
print(",".join(c.id for c in all_checks()))
"""


def test_the_order_of_the_checks_does_not_depend_on_what_was_imported_first():
    orders = []
    for first in ("", "import core.checks.narrative", "import core.checks.cross, core.checks.accounts"):
        r = subprocess.run([sys.executable, "-c", PROBE.format(first=first)], cwd=ROOT, capture_output=True,
                           text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        orders.append(r.stdout.strip())
    assert orders[0] and orders[0] == orders[1] == orders[2]
    ids = orders[0].split(",")
    families = [i.split(".")[0] for i in ids]
    assert families.index("narrative") > families.index("basic")  # module order: 基础数据表 first
