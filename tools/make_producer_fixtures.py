"""Fixture PDFs made by another PDF producer: LibreOffice (developer tool, needs ``soffice`` with Calc and Writer).

    python tools/make_producer_fixtures.py        # writes tests/data/producers/libreoffice/

Why it exists: every package of ``tests/data/packages`` is drawn by our own generator, so extraction could
quietly come to depend on how *that* generator places text.  Departments print from Excel and Word/WPS; these
PDFs come from LibreOffice instead — other fonts, other glyph placement, ruled cells drawn as Calc draws them,
justified paragraphs laid out by Writer:

* ``<package>_forms.pdf``: the 基础数据表 and 自评表 sheets of our Excel export of a fixture package, printed by
  Calc.  Harder than the source in three ways: the 自评表 has the reviewer's extra columns to the right of 得分
  (复核得分, 得分差异 — a header naming 得分 twice), the 总分 row is labelled "总分（绩效自评综合得分）" with 分值
  and 得分 beside it, and the sheet's repeated title rows make a vertical "绩效指标" cell spill into the next row.
* ``lingling_report.pdf``: seed 000's narrative (the two title lines added, as the package does) typeset by
  Writer from HTML.

``expected.json`` names, for each PDF, the source package; the expected figures are that package's own
``expected.json`` (written by the generator from what it printed), so nothing here is taken from our extractor.
LibreOffice output is not byte-stable (it stamps dates), so the PDFs are committed and this script is re-run
by hand when the export layout changes.
"""

from __future__ import annotations

import html
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests/data/packages"
OUT = ROOT / "tests/data/producers/libreoffice"
SEEDS = ROOT.parent / "shared/seeds"

FORM_PACKAGES = ("yunxi_2024", "variant_clean_2024", "variant_injected_2024", "variant_xuanchuan_2023")
FORM_SHEETS = ("基础数据表", "整体支出绩效自评表")


def _soffice(src: Path, outdir: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        sys.exit("soffice (LibreOffice) not found")
    subprocess.run([exe, "--headless", "--convert-to", "pdf", "--outdir", str(outdir), str(src)], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
    pdf = outdir / (src.stem + ".pdf")
    if not pdf.exists():
        sys.exit(f"LibreOffice did not convert {src.name}")
    return pdf


def forms_pdf(package: str, tmp: Path) -> Path:
    import openpyxl

    out = tmp / package
    subprocess.run([sys.executable, str(ROOT / "main.py"), "export", str(PACKAGES / package), "-o", str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    wb = openpyxl.load_workbook(next(out.glob("*.xlsx")))
    for name in list(wb.sheetnames):
        if name not in FORM_SHEETS:
            del wb[name]
    xlsx = tmp / f"{package}_forms.xlsx"
    wb.save(xlsx)
    return _soffice(xlsx, tmp)


def lingling_pdf(tmp: Path) -> Path:
    seed = (SEEDS / "000_4aab2cec78df20e0.txt").read_text(encoding="utf-8")
    paras = [ln.strip() for ln in seed.splitlines() if ln.strip()]
    body = ("<h2 style='text-align:center'>中共永州市零陵区委组织部</h2>"
            "<h2 style='text-align:center'>2024年度部门整体支出绩效自评报告</h2>"
            + "\n".join(f"<p style='text-indent:2em;line-height:150%;text-align:justify'>{html.escape(p)}</p>"
                        for p in paras))
    src = tmp / "lingling_report.html"
    src.write_text("<html><head><meta charset='utf-8'><style>body{font-family:'WenQuanYi Micro Hei';"
                   f"font-size:12pt}}</style></head><body>{body}</body></html>", encoding="utf-8")
    return _soffice(src, tmp)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    made = []
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        for package in FORM_PACKAGES:
            shutil.copyfile(forms_pdf(package, tmp), OUT / f"{package}_forms.pdf")
            made.append({"file": f"{package}_forms.pdf", "source": package, "forms": list(FORM_SHEETS),
                         "keys": ["basic.", "selfeval."],
                         "not_printed": ["selfeval.level1_weight."]})
        shutil.copyfile(lingling_pdf(tmp), OUT / "lingling_report.pdf")
        made.append({"file": "lingling_report.pdf", "source": "lingling_2024", "forms": ["自评报告"],
                     "keys": ["report."], "not_printed": []})
    (OUT / "expected.json").write_text(json.dumps({
        "producer": "LibreOffice (soffice --convert-to pdf)",
        "note": "expected figures: the source package's expected.json, keys with these prefixes, less not_printed "
                "(the Excel export prints 一级指标 names without their （40分） subtotal)",
        "pdfs": made}, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for m in made:
        print(OUT / m["file"], (OUT / m["file"]).stat().st_size // 1024, "KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
