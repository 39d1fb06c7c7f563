"""What the screenshot tools (``tools/screenshot_*.py``) share: the arguments, a window with a reviewer named
in settings of its own, waiting for it to open something, letting it draw, and saving a grab of it.

Imported by the tools as ``screenshot_common`` (they are run as scripts, ``tools/`` first on the path); it puts
the checkout on the path and the offscreen platform in place before Qt is loaded.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
PACKAGES = ROOT / "tests" / "data" / "packages"


def output_dir(description: str | None) -> Path:
    """The folder named by ``-o`` (docs/screenshots by default), made if missing."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("-o", "--output", default=str(ROOT / "docs" / "screenshots"))
    out = Path(ap.parse_args().output)
    out.mkdir(parents=True, exist_ok=True)
    return out


def make_window(tmp: Path, size: tuple[int, int] | None = None, **kwargs):
    """A shown ``MainWindow`` with its settings and reviews in ``tmp`` and 王芳 as the reviewer (never asked)."""
    from PySide6.QtCore import QSettings

    from ui.main_window import MainWindow
    from ui.settings import Settings

    settings = Settings(QSettings(str(tmp / "settings.ini"), QSettings.Format.IniFormat))
    settings.reviewer, settings.reviewer_asked = "王芳", True
    window = MainWindow(settings, store_dir=tmp / "cases", **kwargs)
    if size is not None:
        window.resize(*size)
    window.show()
    return window


def wait_for(signal, start: Callable[[], object]) -> None:
    """Call ``start`` and process events until ``signal`` is emitted (a case or a workspace opened)."""
    from PySide6.QtWidgets import QApplication

    done: list[bool] = []
    signal.connect(lambda *_: done.append(True))
    start()
    while not done:
        QApplication.processEvents()


def pump(n: int = 40, pause: float = 0.0) -> None:
    """Let the window settle: ``n`` rounds of events, ``pause`` seconds after each (pages are drawn off the UI
    thread)."""
    from PySide6.QtWidgets import QApplication

    for _ in range(n):
        QApplication.processEvents()
        if pause:
            time.sleep(pause)


def save(window, path: Path, *, few_colours: bool = False) -> Path:
    """Grab ``window`` into ``path`` and print it; ``few_colours``: 256 colours, no dithering (a third of the
    size, the text as sharp: the window has few colours)."""
    window.grab().save(str(path))
    if few_colours:
        from PIL import Image

        with Image.open(path) as im:
            small = im.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                               dither=Image.Dither.NONE)
        small.save(path, optimize=True)
    print(path)
    return path
