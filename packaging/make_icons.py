"""Render the application icon (resources/icons/app.svg) into what installers need.

    QT_QPA_PLATFORM=offscreen python3 packaging/make_icons.py

Why it exists: the one source of the icon is the SVG the window already uses, but a Windows .exe needs an
``.ico`` (PyInstaller converts PNG, never SVG) and some Linux desktops (older UOS/Kylin docks) only look at
PNGs under ``hicolor/<size>/apps``.  The outputs are committed (a few KB), so a Windows build machine needs
neither this script nor a working Qt SVG renderer; run it again only when app.svg changes.

Writes packaging/icons/jixiao-review.ico (16–256 px) and packaging/icons/png/<size>.png.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "app.svg"
OUT = ROOT / "packaging" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def main() -> int:
    from PIL import Image
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage/QPainter need it)
    (OUT / "png").mkdir(parents=True, exist_ok=True)
    images = {}
    for size in SIZES:
        png = render_png(size)
        (OUT / "png" / f"{size}.png").write_bytes(png)
        images[size] = Image.open(io.BytesIO(png)).convert("RGBA")
    # Pillow writes every requested size from the largest image; give it the 256 px rendering.
    images[256].save(OUT / "jixiao-review.ico", format="ICO", sizes=[(s, s) for s in SIZES])
    print(f"wrote {OUT / 'jixiao-review.ico'} and {len(SIZES)} PNGs in {OUT / 'png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
