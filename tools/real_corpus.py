"""Precision and recall of the findings on real documents nobody here wrote (``../shared/real/``).

For every real document with hand-verified defects (``real/narratives/key.json``; the whole 社会工作部 决算
carries the defects of its 决算情况说明), runs the pipeline as ``main.py extract`` does and prints, per
document: error findings, those that name a key defect, false errors (errors that name none), and the
defects no finding names.  A finding *names* a defect when it quotes the defect's figures (at least two of
them, or its only one) and those are at least 40% of the figures it quotes: a list of thirty figures names
nothing.  Rounding-level defects (尾数差异) count as named by a warning as well as by an error.

    python3 tools/real_corpus.py            # the table
    python3 tools/real_corpus.py --verbose  # every false error and every missed defect
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.model import Finding, Severity  # noqa: E402
from core.pipeline import extract_case  # noqa: E402

REAL = ROOT.parent / "shared" / "real"
NARRATIVES = REAL / "narratives"
ROUNDING_KINDS = {"share_rounding", "rounding_sum", "change_rate_rounding", "completion_rate_rounding"}
WHOLE_DOCUMENTS = {
    # a whole published 决算 whose 第三部分 is one of the narratives: it carries that narrative's defects
    "shanghai_putuo_shehuigongzuobu_2024_bumen_juesuan.pdf": "shanghai_putuo_shehuigongzuobu_2024_juesuan_shuoming.pdf",
}


def _num(v) -> float | None:
    try:
        return float(re.sub(r"[\s,%]", "", unicodedata.normalize("NFKC", str(v))))
    except ValueError:
        return None


def names(defect: dict, finding: Finding) -> bool:
    want = sorted({x for x in (_num(v) for v in defect.get("values", [])) if x is not None})
    text = re.sub(r"第\s*\d+\s*页", "", unicodedata.normalize("NFKC", finding.message)).replace(",", "")
    got = [x for x in (_num(v) for v in finding.values) if x is not None]
    got += [float(x) for x in re.findall(r"\d+(?:\.\d+)?", text)]

    def close(a: float, b: float) -> bool:
        return abs(a - b) <= max(0.0051, abs(b) * 1e-6)

    hits = sum(1 for w in want if any(close(g, w) for g in got))
    distinct = {round(g, 4) for g in got}
    used = sum(1 for g in distinct if any(close(g, w) for w in want))
    return bool(want) and hits >= min(2, len(want)) and used >= 0.4 * len(distinct)


@dataclass
class Result:
    document: str
    errors: int = 0
    errors_naming: int = 0
    false_errors: list[Finding] = field(default_factory=list)
    defects: int = 0
    named: int = 0
    substantive: int = 0
    substantive_named: int = 0
    missed: list[dict] = field(default_factory=list)


def cases() -> list[tuple[Path, dict]]:
    key = {c["file"]: c for c in json.loads((NARRATIVES / "key.json").read_text(encoding="utf-8"))["cases"]}
    out = [(NARRATIVES / name, case) for name, case in sorted(key.items())]
    for whole, part in WHOLE_DOCUMENTS.items():
        if (REAL / whole).exists() and part in key:
            out.append((REAL / whole, key[part]))
    return out


def evaluate(path: Path, case: dict) -> Result:
    findings = extract_case([path]).findings
    res = Result(path.name)
    defects = [d for d in case["inconsistencies"] if d.get("values")]
    for f in findings:
        if f.severity is not Severity.ERROR:
            continue
        res.errors += 1
        if any(names(d, f) for d in defects):
            res.errors_naming += 1
        else:
            res.false_errors.append(f)
    for d in defects:
        res.defects += 1
        rounding = d.get("kind") in ROUNDING_KINDS
        hit = any(names(d, f) for f in findings
                  if f.severity is Severity.ERROR or (f.severity is Severity.WARNING))
        res.named += hit
        if not rounding and d.get("severity") == "substantive":
            res.substantive += 1
            res.substantive_named += hit
        if not hit:
            res.missed.append(d)
    return res


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    if not NARRATIVES.is_dir():
        print(f"找不到真实材料目录：{NARRATIVES}", file=sys.stderr)
        return 2
    total = Result("合计")
    print(f"{'document':<62} errors naming false defects named substantive")
    for path, case in cases():
        r = evaluate(path, case)
        print(f"{r.document:<62} {r.errors:>6} {r.errors_naming:>6} {len(r.false_errors):>5} {r.defects:>7} "
              f"{r.named:>5} {r.substantive_named:>5}/{r.substantive}")
        total.errors += r.errors
        total.errors_naming += r.errors_naming
        total.false_errors += r.false_errors
        total.defects += r.defects
        total.named += r.named
        total.substantive += r.substantive
        total.substantive_named += r.substantive_named
        if verbose:
            for f in r.false_errors:
                print(f"    false error {f.check}: {f.message[:160]}")
            for d in r.missed:
                print(f"    missed {d['kind']} ({d.get('severity')}): {d.get('quote', '')[:100]}")
    print(f"{'合计':<62} {total.errors:>6} {total.errors_naming:>6} {len(total.false_errors):>5} "
          f"{total.defects:>7} {total.named:>5} {total.substantive_named:>5}/{total.substantive}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
