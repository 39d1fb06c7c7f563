"""``main.py extract`` writes the coverage list beside the case's own keys (issue 20 part 1;
docs/fields-extended.md "Coverage")."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YUNXI = ROOT / "tests" / "data" / "packages" / "yunxi_2024"


def test_extract_lists_every_check_with_its_status(tmp_path):
    out = tmp_path / "case.json"
    r = subprocess.run([sys.executable, str(ROOT / "main.py"), "extract", str(YUNXI), "-o", str(out)], cwd=ROOT,
                       capture_output=True, text=True, encoding="utf-8", check=False)
    assert r.returncode == 0, r.stderr
    case = json.loads(out.read_text(encoding="utf-8"))
    assert set(case) >= {"schema", "tool_version", "documents", "fields", "indicators", "findings", "scores"}
    items = {it["check"]: it for it in case["coverage"]}
    # the 自评材料 alone: no 决算 in the package, so every 决算 identity is named as not applicable, and why
    assert items["accounts.i01a"] == {"check": "accounts.i01a", "name": "总表本年收入合计", "status": "不适用",
                                      "why": "材料中没有部门决算（公开01–09表）"}
    ran = items["cross.c03_project"]
    assert ran["status"] == "自动完成" and ran["errors"] == 1 and ran["result"] == "错误1项"
    fingerprints = {f["fingerprint"] for f in case["findings"] if f["check"] == "cross.c03_project"}
    assert set(ran["findings"]) == fingerprints
    assert ran["why"] == "未比对部分：材料中没有部门决算（公开01–09表）"
    assert {it["status"] for it in case["coverage"]} <= {"自动完成", "取数不足，需人工核对", "不适用"}
