"""Reading a page image: text by OCR (rapidocr's PP-OCR models run by onnxruntime) and ruling lines by OpenCV.

Why it exists: departments send the 基础数据表 and the 自评表 as scans of the signed, stamped paper, and some
PDFs have a text layer that is garbage ((cid:…) glyphs without a ToUnicode map) although the page looks right.
Such a page is rendered (by ``core.documents.pdf``, which owns PDFium) and handed here; what comes back is what
a text layer gives — characters with boxes in page coordinates, plus a recognition confidence each — and the
table rules found in the image as ruling edges, so the page is then read exactly like a text page: the same
lines, the same ruled-table grids (pdfplumber's algorithm on our edges), the same classification and extraction.

This is the only module that imports rapidocr, onnxruntime and OpenCV (cv2).  Everything runs offline: the
detection and recognition models are the files shipped inside the rapidocr wheel, given by path, so rapidocr's
download code is never reached; the orientation classifier is off (it turns short cells like "98%" upside down).

Steps for one page (``recognise``):
1. grey from the red channel, so a red stamp over a figure fades and the black print under it stays;
2. deskew: the angle (within ±3°) at which the rows of ink line up best (rules and text lines give sharp row
   profiles), the image turned by it;
3. rules: a morphological opening with long thin kernels keeps the horizontal and the vertical strokes longer
   than any character; each connected stroke is a ruling edge; rules are whitened out of the image given to OCR;
4. OCR with a box per character (``return_single_char_box``), each character's confidence kept;
5. every box is in the deskewed frame; ``PageImage.to_page`` maps a box back onto the page as displayed.

What it must not do: render pages (``pdf.py``), build lines or tables (``pdf.py`` does it with the text-page
code), or interpret content.
"""

from __future__ import annotations

import logging
import math
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.model import BBox

log = logging.getLogger(__name__)

RENDER_DPI = 200
"""Resolution a page image is rendered at for OCR: the PP-OCR models read 10.5-pt print well from 150 dpi up;
200 dpi costs about as much as the scans themselves hold (150–300 dpi)."""

UNCERTAIN_BELOW = 0.9
"""A value read by OCR whose least certain character is below this is *uncertain*: the reviewer must look at
it, and no error finding may rest on it (measured on the fixture scans: most misread values are under it)."""

MAX_SKEW = 3.0  # degrees searched for the page's tilt

OCR_ATTR = "ocr"
"""``Field.attrs[OCR_ATTR]`` is True on a value read by OCR; ``attrs[OCR_CONFIDENCE_ATTR]`` is the recognition
confidence of its least certain character (0–1), and ``Field.confidence`` is never above it."""
OCR_CONFIDENCE_ATTR = "ocr_confidence"

# Characters the recognition model gives in a traditional or variant form for the simplified ones printed on
# these forms (seen on the fixture scans): mapped before lines are built, so labels match.
_VARIANTS = str.maketrans({
    "決": "决", "經": "经", "費": "费", "預": "预", "執": "执", "實": "实", "際": "际", "數": "数",
    "據": "据", "門": "门", "項": "项", "額": "额", "標": "标", "務": "务", "車": "车", "購": "购", "維": "维",
    "護": "护", "運": "运", "業": "业", "綜": "综", "績": "绩", "價": "价", "評": "评", "計": "计", "總": "总",
    "財": "财", "資": "资", "產": "产", "質": "质", "時": "时", "達": "达", "對": "对", "應": "应",
    "單": "单", "個": "个", "關": "关", "與": "与", "於": "于", "為": "为", "會": "会", "員": "员", "報": "报",
    "編": "编", "億": "亿", "萬": "万", "圓": "元", "０": "0",
})


class OcrUnavailable(Exception):
    """The OCR engine cannot be loaded (a broken installation): pages stay unread, with the old reason."""


@dataclass
class PageImage:
    """The OCR of one page: characters and ruling edges in *deskewed* page coordinates (points), and the
    mapping back onto the page as displayed (``to_page``)."""

    chars: list[dict[str, Any]] = field(default_factory=list)  # pdf.py char dicts + "conf"
    edges: list[dict[str, Any]] = field(default_factory=list)  # pdfplumber-style ruling edges
    angle: float = 0.0  # the page image's tilt, degrees (counter-clockwise positive, as cv2)
    width: float = 0.0  # page size in points
    height: float = 0.0
    seconds: float = 0.0

    def to_page(self, box: BBox) -> BBox:
        """A box of the deskewed frame on the page as displayed: the bounding box of the box turned back."""
        if abs(self.angle) < 1e-6:
            return box
        return turn_box(box, -self.angle, self.width / 2, self.height / 2)


def turn_box(box: BBox, angle: float, cx: float, cy: float) -> BBox:
    """The bounding box of ``box`` turned ``angle`` degrees counter-clockwise on screen about ``(cx, cy)``
    (y runs down, as in cv2 and PIL: a point (dx, dy) from the centre goes to (dx cos + dy sin, -dx sin + dy cos)).
    The page was straightened by turning it ``angle`` (cv2 sense); turning back is ``-angle``."""
    a = math.radians(angle)
    cos, sin = math.cos(a), math.sin(a)
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - cx, y - cy
        xs.append(cx + dx * cos + dy * sin)
        ys.append(cy - dx * sin + dy * cos)
    return (min(xs), min(ys), max(xs), max(ys))


_ENGINE = None
_ENGINE_LOCK = threading.Lock()


def model_dir() -> Path:
    """The folder of rapidocr's bundled models (inside the installed package, or the frozen bundle)."""
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


def _engine():
    global _ENGINE
    with _ENGINE_LOCK:
        if _ENGINE is None:
            try:
                import os

                from rapidocr import RapidOCR

                models = model_dir()
                det = models / "PP-OCRv6_det_small.onnx"
                rec = models / "PP-OCRv6_rec_small.onnx"
                if not (det.is_file() and rec.is_file()):
                    raise OcrUnavailable(f"OCR模型文件缺失（{models}）")
                threads = max(1, min(4, os.cpu_count() or 1))
                _ENGINE = RapidOCR(params={
                    "Global.use_cls": False,
                    "Global.log_level": "error",
                    "Det.model_path": str(det),
                    "Rec.model_path": str(rec),
                    # detection on the page scaled to 1280 pixels at most: half the time of the full 200-dpi
                    # image, the same lines found (measured on the fixture scans)
                    "Det.limit_type": "max",
                    "Det.limit_side_len": 1280,
                    "EngineConfig.onnxruntime.intra_op_num_threads": threads,
                    "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                })
            except OcrUnavailable:
                raise
            except Exception as e:  # an incomplete installation: say so, never crash the reading
                log.warning("OCR engine unavailable: %s", e)
                raise OcrUnavailable(f"文字识别（OCR）组件无法加载：{type(e).__name__}") from None
        return _ENGINE


def available() -> bool:
    """Whether the OCR stack can be imported (cheap: nothing is loaded)."""
    try:
        import cv2  # noqa: F401
        import onnxruntime  # noqa: F401
        import rapidocr  # noqa: F401
    except Exception:
        return False
    return True


# -- image → grey, deskewed ------------------------------------------------------------------------------------

def _grey(image):
    """Grey levels for reading: the red channel of a colour image (BGR from PDFium), so red stamps fade."""
    import numpy as np

    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        image = image[:, :, :3]
    b, g, r = (image[:, :, k].astype(np.int16) for k in range(3))
    redness = r - np.maximum(g, b)
    if int(np.count_nonzero(redness > 40)) < 50:
        return image[:, :, 1].copy()  # no red ink: the green channel is as good a grey as any
    grey = image[:, :, 2].copy()
    # the seal's own strokes: red and light in the red channel.  Print under the seal stays dark in every
    # channel (a JPEG's colour smear makes black next to red reddish, but not light: it stays ink)
    grey[(redness > 40) & (r > 140)] = 255
    return grey


def _ink(grey):
    """Ink as 255 on 0: a local threshold, so uneven scan light and a faint grey background do not count."""
    import cv2

    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 31, 15)


def _skew(ink) -> float:
    """The angle (degrees, cv2 sense) that straightens the page: rows of ink (rules, text lines) line up best.

    A coarse then a fine search over ±``MAX_SKEW`` of the variance of the row sums, on a reduced image."""
    import cv2
    import numpy as np

    h, w = ink.shape
    f = min(1.0, 900.0 / max(w, 1))
    small = cv2.resize(ink, (max(1, int(w * f)), max(1, int(h * f))), interpolation=cv2.INTER_AREA)
    sh, sw = small.shape
    centre = (sw / 2, sh / 2)

    def score(angle: float) -> float:
        m = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(small, m, (sw, sh), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = turned.sum(axis=1, dtype=np.float64)
        return float(np.var(rows))

    best = max((score(a / 4), a / 4) for a in range(int(-MAX_SKEW * 4), int(MAX_SKEW * 4) + 1))[1]
    fine = max((score(best + d / 40), best + d / 40) for d in range(-10, 11))[1]
    return fine if abs(fine) >= 0.05 else 0.0


def _turn(img, angle: float, border: int):
    import cv2

    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=border)


# -- rules -----------------------------------------------------------------------------------------------------

def _rules(ink, scale: float):
    """Horizontal and vertical rule masks (255 where a rule is) from the ink, and the edges they make.

    A rule is a stroke longer than any character (about 22 pt), found by a morphological opening with a
    line-shaped kernel after closing gaps of a few pixels (a noisy scan breaks thin rules)."""
    import cv2

    long = max(15, int(22 * scale))
    close = max(2, int(1.2 * scale))
    hmask = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (close, 1)))
    hmask = cv2.morphologyEx(hmask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (long, 1)))
    vmask = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (1, close)))
    vmask = cv2.morphologyEx(vmask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, long)))
    edges: list[dict] = []
    thick = 4 * scale  # a stroke thicker than 4 pt is a filled block, not a rule
    reach = 1.5  # pt added at each end, so rules that stop a pixel short of a crossing still cross
    n, _, stats, _ = cv2.connectedComponentsWithStats(hmask, connectivity=8)
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if w < long or h > thick:
            continue
        top = (y + h / 2) / scale
        x0, x1 = x / scale - reach, (x + w) / scale + reach
        edges.append({"x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0.0,
                      "orientation": "h", "object_type": "line"})
    n, _, stats, _ = cv2.connectedComponentsWithStats(vmask, connectivity=8)
    for i in range(1, n):
        x, y, w, h, _area = stats[i]
        if h < long or w > thick:
            continue
        xm = (x + w / 2) / scale
        top, bottom = y / scale - reach, (y + h) / scale + reach
        edges.append({"x0": xm, "x1": xm, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
                      "orientation": "v", "object_type": "line"})
    return hmask, vmask, edges


# -- OCR -------------------------------------------------------------------------------------------------------

def recognise(image, scale: float, width: float, height: float) -> PageImage:
    """OCR one rendered page: ``image`` is the page rendered by PDFium (H×W×3 BGR or H×W grey, uint8) at
    ``scale`` pixels per point; ``width``/``height`` the page size in points.  Raises ``OcrUnavailable``."""
    import time

    import cv2
    import numpy as np

    started = time.perf_counter()
    engine = _engine()
    grey = _grey(image)
    angle = _skew(_ink(grey))
    if angle:
        grey = _turn(grey, angle, 255)
    ink = _ink(grey)
    hmask, vmask, edges = _rules(ink, scale)
    # rules whitened out of what OCR reads: a digit next to a rule is otherwise read with a "1" or "|"
    rules = cv2.dilate(cv2.bitwise_or(hmask, vmask), np.ones((3, 3), np.uint8))
    clean = grey.copy()
    clean[rules > 0] = 255
    del ink, hmask, vmask, rules
    bgr = cv2.cvtColor(clean, cv2.COLOR_GRAY2BGR)
    with _ENGINE_LOCK:
        result = engine(bgr, use_cls=False, return_word_box=True, return_single_char_box=True)
    chars = _chars(result, scale)
    return PageImage(chars=chars, edges=edges, angle=angle, width=width, height=height,
                     seconds=time.perf_counter() - started)


def _chars(result, scale: float) -> list[dict]:
    """pdf.py character dicts (page points, deskewed frame) with each character's confidence as "conf"."""
    out: list[dict] = []
    boxes = getattr(result, "boxes", None)
    words = getattr(result, "word_results", None)
    if boxes is None or not words:
        return out
    for line_box, line_words in zip(boxes, words):
        line_top = min(p[1] for p in line_box) / scale
        line_bottom = max(p[1] for p in line_box) / scale
        # the detector's box is padded (unclip); keep the characters' height inside it, a little tighter
        pad = (line_bottom - line_top) * 0.12
        top, bottom = line_top + pad, line_bottom - pad
        line: list[dict] = []
        for item in line_words:
            text, conf, quad = item[0], float(item[1]), item[2]
            if not text or not text.strip():
                continue
            xs = [p[0] for p in quad]
            x0, x1 = min(xs) / scale, max(xs) / scale
            text = text.translate(_VARIANTS)
            # a "word" of several characters (rare with single-char boxes) is shared out evenly
            step = (x1 - x0) / len(text)
            for k, ch in enumerate(text):
                line.append({"text": ch, "x0": x0 + k * step, "x1": x0 + (k + 1) * step, "top": top,
                             "bottom": bottom, "upright": True, "conf": conf})
        _close_number_gaps(line, bottom - top)
        out.extend(line)
    return out


_NUMBER_CHARS = set("0123456789.,%")


def _close_number_gaps(line: list[dict], height: float) -> None:
    """The characters of a number read in one run touch, as printed: the recogniser's per-character boxes
    are narrow estimates with gaps between them, which ``build_lines`` would take for spaces ("17 9.3 3").
    Two number characters next to each other in the recognised text, less than half a line height apart,
    are widened to meet halfway.  (Figures of two cells are further apart: a rule and its padding.)"""
    for a, b in zip(line, line[1:]):
        if a["text"] in _NUMBER_CHARS and b["text"] in _NUMBER_CHARS:
            gap = b["x0"] - a["x1"]
            if 0 < gap < 0.5 * height:
                mid = (a["x1"] + b["x0"]) / 2
                a["x1"] = b["x0"] = mid


# -- certainty of values read by OCR ----------------------------------------------------------------------------

def value_confidence(ocr_chars: list[tuple[BBox, float]], box: BBox) -> float | None:
    """The confidence of a value printed in ``box`` on an OCR page: that of its least certain character
    (characters whose centre lies in the box), or None when no OCR character is there."""
    x0, top, x1, bottom = box
    tol = 0.5
    found = [c for b, c in ocr_chars
             if x0 - tol <= (b[0] + b[2]) / 2 <= x1 + tol and top - tol <= (b[1] + b[3]) / 2 <= bottom + tol]
    return min(found) if found else None


def mark_fields(fields, documents) -> None:
    """Mark every field read from an OCR page: ``attrs["ocr"] = True``, ``attrs["ocr_confidence"]`` the
    recognition confidence of its least certain character, and ``Field.confidence`` capped by it (an OCR value
    is never more certain than its recognition).  ``documents`` are ``layout.Document``s."""
    pages = {(d.id, p.number): p for d in documents for p in d.pages if p.ocr}
    if not pages:
        return
    for f in fields:
        page = pages.get((f.source.doc, f.source.page))
        if page is None:
            continue
        conf = value_confidence(page.ocr_conf, f.source.bbox)
        if conf is None:  # a value whose box holds no OCR character (a whole cell's box): the page's least
            conf = min((c for _, c in page.ocr_conf), default=0.0)
        conf = round(conf, 3)
        f.attrs[OCR_ATTR] = True
        f.attrs[OCR_CONFIDENCE_ATTR] = conf
        f.confidence = min(f.confidence, conf)


def is_uncertain(f) -> bool:
    """Whether a field's value was read by OCR and is under ``UNCERTAIN_BELOW`` sure (its recognition, or the
    extractor's own doubt, which ``Field.confidence`` also holds): ``core.model.uncertainty`` says the same."""
    return bool(f.attrs.get(OCR_ATTR)) and f.confidence < UNCERTAIN_BELOW
