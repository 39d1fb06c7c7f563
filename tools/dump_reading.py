"""Dump what reading and extraction produce, to diff before/after a change to page reading.

    python3 tools/dump_reading.py OUT_DIR

For every fixture package (tests/data/packages/*), every producer PDF (tests/data/producers/*) and every
real PDF (../shared/real/**.pdf) it writes one JSON file: per document each page's lines (text and every
character box), tables (cells with text, boxes, merged flags), flags and error; and for packages the case's
fields (key, value, page, bbox) and findings.  A developer's tool for speed work: a change to the page reader
must leave these files byte-identical (``diff -r``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.documents.reader import open_any
from core.pipeline import extract_case


def _r(v):
    return [float(x) for x in v] if v is not None else None


def page_json(p) -> dict:
    return {
        "n": p.number, "w": p.width, "h": p.height, "img": p.image_only, "garbled": p.garbled, "err": p.error,
        "ocr": p.ocr,
        "lines": [[ln.text, [_r(b) for b in ln.boxes]] for ln in p.lines],
        "tables": [{"bbox": _r(t.bbox), "ruled": t.ruled,
                    "rows": [[[c.text, _r(c.bbox), c.row, c.col, c.merged, c.page, _r(c.text_bbox)] for c in row]
                             for row in t.rows]} for t in p.tables],
    }


def case_json(case) -> dict:
    return {
        "fields": [[f.key, str(f.value), f.unit, f.raw, f.source.doc, f.source.page, _r(f.source.bbox), f.form]
                   for f in case.fields],
        "indicators": [i.to_json() for i in case.indicators],
        "findings": [[x.check, str(x.severity), x.message, x.keys, [str(v) for v in x.values],
                      [[loc.doc, loc.page, _r(loc.bbox)] for loc in x.locations]] for x in case.findings],
        "documents": [[d.path.split("/")[-1], d.kinds, d.problems] for d in case.documents],
    }


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pkgs = sorted(p for p in (ROOT / "tests/data/packages").iterdir() if p.is_dir())
    pkgs += [q for q in sorted((ROOT / "tests/data/packages/not_reviewable").iterdir()) if q.is_dir()]
    singles = sorted((ROOT / "tests/data/producers").rglob("*.pdf"))
    singles += sorted((ROOT.parent / "shared/real").rglob("*.pdf"))
    for pkg in pkgs:
        files = sorted(pkg.glob("*.pdf"))
        if not files:
            continue
        data = {"docs": {f.name: [page_json(p) for p in open_any(f, "d").pages] for f in files}}
        try:
            data["case"] = case_json(extract_case(files))
        except Exception as e:  # noqa: BLE001
            data["case"] = repr(e)
        (out / f"pkg_{pkg.name}.json").write_text(json.dumps(data, ensure_ascii=False, indent=0, default=str))
    for f in singles:
        data = {"docs": {f.name: [page_json(p) for p in open_any(f, "d").pages]}}
        try:
            data["case"] = case_json(extract_case([f]))
        except Exception as e:  # noqa: BLE001
            data["case"] = repr(e)
        (out / f"pdf_{f.parent.name}_{f.stem}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=0, default=str))
    print(f"{len(pkgs)} packages, {len(singles)} PDFs → {out}")


if __name__ == "__main__":
    main()
