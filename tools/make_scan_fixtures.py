"""Make scanned copies of fixture packages: image-only PDFs as a department's scanner would send them.

    python tools/make_scan_fixtures.py            # writes tests/data/scans/<name>/ (PDF + expected.json)

Each scan takes some pages of a generated fixture PDF (``tests/data/packages``), renders them at 150–300 dpi,
turns each page by up to 2°, adds scanner noise, stamps a red seal over a printed figure, and saves the pages as
JPEG images in a PDF with no text layer (Pillow's PDF writer: one DCT image per page, the page the size of the
original).  Beside it, ``expected.json`` is the package's own expected.json cut to those pages (renumbered, the
file renamed), every box moved by the same turn as the page, so a test can say whether a value read from the scan
is the printed one *and* whether its box frames the figure where it appears on the scanned page.

Deterministic: the noise comes from a seeded generator; re-running gives the same images (and, Pillow's PDF
writer stamping no date, the same bytes).  Keep the output small: a few pages per package, JPEG quality 35–60.
"""

from __future__ import annotations

import io
import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image, ImageDraw, ImageFilter, ImageFont

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ROOT / "tests" / "data" / "packages"
OUT = ROOT / "tests" / "data" / "scans"
FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"  # installed by .ci/run (fonts-wqy-microhei)


@dataclass
class ScanSpec:
    name: str  # output folder
    package: str  # folder under tests/data/packages
    file: str  # the source PDF's name
    pages: list[int]  # 1-based pages of the source, in order
    dpi: int
    angles: list[float]  # degrees, counter-clockwise on screen, one per page
    noise: float  # standard deviation of the grey noise added (0–255 scale)
    quality: int  # JPEG quality
    blur: float = 0.0  # a scanner's softness (Gaussian radius in pixels)
    stamps: dict[int, str] = field(default_factory=dict)  # source page → key of a figure the seal covers
    out_file: str = ""


SPECS = [
    # a fair scan: 200 dpi, under 1.2°, light noise, the seal over the 三公经费 figure
    ScanSpec("yunxi_2024", "yunxi_2024", "云溪区委组织部2024年度部门整体支出绩效自评材料.pdf", [1, 3, 4], 200,
             [0.7, -1.1, 0.4], 5.0, 30, 0.4, {1: "basic.sangong.final"},
             "云溪区委组织部基础数据表及自评表（扫描件）.pdf"),
    # a bad one: 150 dpi, up to 2°, heavy noise, soft
    ScanSpec("xuanchuan_2023", "variant_xuanchuan_2023", "湘潭县委宣传部2023年度部门整体支出绩效评价材料.pdf",
             [1, 2, 3], 150, [-2.0, 1.5, 1.8], 10.0, 30, 0.6, {1: "basic.public.final"},
             "湘潭县委宣传部绩效评价材料（扫描件）.pdf"),
    # one page alone in a file, a fine 240-dpi scan turned the other way
    ScanSpec("split_files_2024", "split_files_2024", "01-部门整体支出绩效评价基础数据表.pdf", [1], 240, [-0.9], 4.0,
             30, 0.5, {1: "basic.public.final"}, "01-基础数据表（扫描件）.pdf"),
]


def turn_point(x: float, y: float, angle: float, cx: float, cy: float) -> tuple[float, float]:
    """Where a point goes when the page is turned ``angle`` degrees counter-clockwise about ``(cx, cy)``
    (y down: Pillow's ``Image.rotate``)."""
    a = math.radians(angle)
    dx, dy = x - cx, y - cy
    return cx + dx * math.cos(a) + dy * math.sin(a), cy - dx * math.sin(a) + dy * math.cos(a)


def turn_bbox(b: list[float], angle: float, w: float, h: float) -> list[float]:
    pts = [turn_point(x, y, angle, w / 2, h / 2) for x, y in ((b[0], b[1]), (b[2], b[1]), (b[0], b[3]), (b[2], b[3]))]
    return [round(min(p[0] for p in pts), 1), round(min(p[1] for p in pts), 1),
            round(max(p[0] for p in pts), 1), round(max(p[1] for p in pts), 1)]


def seal(size: int) -> Image.Image:
    """A round red seal (ring, star, 专用章) on a transparent ground, ``size`` pixels across."""
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    red = (215, 30, 35, 215)
    ring = max(3, size // 28)
    d.ellipse((ring, ring, size - ring, size - ring), outline=red, width=ring)
    c, r = size / 2, size * 0.13
    star = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.42
        a = math.pi / 2 + k * math.pi / 5
        star.append((c + rad * math.cos(a), c - 0.05 * size - rad * math.sin(a)))
    d.polygon(star, fill=red)
    font = ImageFont.truetype(FONT, max(10, size // 9))
    d.text((c, size * 0.72), "财务专用章", fill=red, font=font, anchor="mm")
    arc = ImageFont.truetype(FONT, max(10, size // 10))
    text = "绩效评价专用"
    for k, ch in enumerate(text):
        a = math.radians(150 - k * 120 / (len(text) - 1))
        x, y = c + size * 0.36 * math.cos(a), c - size * 0.36 * math.sin(a)
        glyph = Image.new("RGBA", (size // 6, size // 6), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((size // 12, size // 12), ch, fill=red, font=arc, anchor="mm")
        glyph = glyph.rotate(math.degrees(a) - 90, resample=Image.BICUBIC)
        img.alpha_composite(glyph, (int(x - size // 12), int(y - size // 12)))
    return img


def stamp(page: Image.Image, centre: tuple[float, float], size: int) -> Image.Image:
    """Ink of the seal over the page: darker of the two, as ink on paper (the print under it shows through)."""
    s = seal(size)
    layer = Image.new("RGB", page.size, (255, 255, 255))
    mask = s.getchannel("A")
    layer.paste(s.convert("RGB"), (int(centre[0] - size / 2), int(centre[1] - size / 2)), mask)
    return Image.fromarray(np.minimum(np.asarray(page), np.asarray(layer)))


def scan_page(src: pdfium.PdfDocument, index: int, spec: ScanSpec, k: int, rng: np.random.Generator,
              stamp_at: list[float] | None) -> tuple[Image.Image, float, float]:
    page = src[index]
    w, h = page.get_size()
    img = page.render(scale=spec.dpi / 72).to_pil().convert("RGB")
    page.close()
    if stamp_at is not None:
        s = spec.dpi / 72
        centre = ((stamp_at[0] + stamp_at[2]) / 2 * s + 0.25 * 42 * s, (stamp_at[1] + stamp_at[3]) / 2 * s)
        img = stamp(img, centre, int(42 * s * 2))  # a seal 84 pt (3 cm) across, its left part over the figure
    img = img.rotate(spec.angles[k], resample=Image.BICUBIC, fillcolor=(255, 255, 255))
    if spec.blur:
        img = img.filter(ImageFilter.GaussianBlur(spec.blur))
    a = np.asarray(img).astype(np.float32)
    grain = rng.normal(0.0, spec.noise, size=a.shape[:2]).astype(np.float32)[..., None]  # a sensor's grain
    a = a * np.float32(0.97) + np.float32(4.0) + grain  # paper a shade off white
    specks = rng.random(a.shape[:2]) < 0.0004  # dust
    a[specks] = 60
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    return img, w, h


def make(spec: ScanSpec) -> Path:
    rng = np.random.default_rng(17)
    src_path = PACKAGES / spec.package / spec.file
    expected = json.loads((PACKAGES / spec.package / "expected.json").read_text(encoding="utf-8"))
    src = pdfium.PdfDocument(str(src_path))
    out_dir = OUT / spec.name
    out_dir.mkdir(parents=True, exist_ok=True)
    images: list[Image.Image] = []
    geometry: dict[int, tuple[float, float, float]] = {}  # source page → (angle, w, h)
    for k, p in enumerate(spec.pages):
        key = spec.stamps.get(p)
        at = None
        if key:
            at = next(f["bbox"] for f in expected["fields"]
                      if f["key"] == key and f["file"] == spec.file and f["page"] == p)
        img, w, h = scan_page(src, p - 1, spec, k, rng, at)
        if not key:  # a page without the seal, scanned in grey (as most office scanners are set): smaller
            img = img.convert("L")
        # JPEG artefacts: the page goes through JPEG at the spec's quality (Pillow's PDF writer keeps the JPEG)
        buf = io.BytesIO()
        img.save(buf, format="JPEG", quality=spec.quality, optimize=True)
        images.append(Image.open(io.BytesIO(buf.getvalue())))
        geometry[p] = (spec.angles[k], w, h)
    src.close()
    pdf = out_dir / spec.out_file
    images[0].save(pdf, format="PDF", save_all=True, append_images=images[1:], resolution=float(spec.dpi))
    renumber = {p: k + 1 for k, p in enumerate(spec.pages)}

    def moved(item: dict) -> dict | None:
        if item.get("file") != spec.file or item.get("page") not in renumber:
            return None
        angle, w, h = geometry[item["page"]]
        out = dict(item, file=spec.out_file, page=renumber[item["page"]])
        for name in ("bbox", "cell_bbox"):
            if out.get(name):
                out[name] = turn_bbox(out[name], angle, w, h)
        return out

    cut = {
        "package": spec.name, "source": f"{spec.package}/{spec.file}", "source_pages": spec.pages,
        "unit_name": expected.get("unit_name"), "year": expected.get("year"),
        "scan": {"dpi": spec.dpi, "angles": spec.angles, "noise": spec.noise, "jpeg_quality": spec.quality,
                 "blur": spec.blur, "stamped": [{"page": renumber[p], "key": k} for p, k in spec.stamps.items()]},
        "documents": [{"file": spec.out_file, "pages": len(spec.pages),
                       "kinds": {kind: [renumber[p] for p in pages if p in renumber]
                                 for doc in expected["documents"] if doc["file"] == spec.file
                                 for kind, pages in doc["kinds"].items() if any(p in renumber for p in pages)}}],
        "fields": [m for m in map(moved, expected.get("fields", [])) if m],
        "indicators": [m for m in map(moved, expected.get("indicators", [])) if m],
    }
    (out_dir / "expected.json").write_text(json.dumps(cut, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf


def main() -> int:
    for spec in SPECS:
        pdf = make(spec)
        print(f"{pdf.relative_to(ROOT)}  {pdf.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
