"""Build tests/packaging/data/cid_font_package/: the 云溪 2024 package, in a non-embedded Adobe-GB1 font.

    python3 tests/packaging/make_cid_fixture.py        (needs the dev requirements: reportlab, fontTools)

Why it exists: every other fixture embeds a TrueType subset with a ToUnicode map, and the real 决算 in
../shared/real does too, so none of them needs pdfminer's CMap data — a frozen build that lost
``pdfminer/cmap`` would still pass on them.  Many PDFs made by older Chinese office software instead name a
standard font (STSong-Light, encoding UniGB-UCS2-H) without embedding it or giving a ToUnicode map: a reader
turns codes into text only through the predefined CMaps (UniGB-UCS2-H, to-unicode-Adobe-GB1).  This package is
the same generated 云溪 package as tests/data/packages/yunxi_2024, with every font swapped for reportlab's
STSong-Light, so the frozen program must read Chinese through those CMaps (or through pdfium's built-in ones).

The output is committed (about 25 KB: nothing embedded); run this again only if the fixture generator changes.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = HERE / "data" / "cid_font_package"


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    import tools.fixtures.draw as draw
    import tools.fixtures.fonts as fonts
    from tools.fixtures import build_all
    from tools.fixtures.seedtext import DEFAULT_SEEDS

    class StandardCID(UnicodeCIDFont):
        """STSong-Light under the generator's font names; one Tj per string (no subsets to split at)."""

        def __init__(self, alias: str) -> None:
            super().__init__("STSong-Light")
            self.name = self.fontName = alias

        def splitString(self, text, doc, encoding="utf-8"):  # noqa: N802 (reportlab's name)
            return [(0, text)]

    def register() -> None:
        if not fonts._registered:
            for alias in (fonts.BODY, fonts.TITLE, fonts.BODY_RAD, fonts.TITLE_RAD):
                pdfmetrics.registerFont(StandardCID(alias))
            fonts._registered = True

    fonts.register_fonts = register
    draw.register_fonts = register
    with tempfile.TemporaryDirectory() as tmp:
        for name, rec in build_all(Path(tmp), DEFAULT_SEEDS, ["yunxi_2024"]):
            OUT.mkdir(parents=True, exist_ok=True)
            for old in OUT.glob("*.pdf"):
                old.unlink()
            for doc in rec.documents:
                (OUT / doc.file).write_bytes((Path(tmp) / name / doc.file).read_bytes())
                print(f"wrote {OUT / doc.file} ({doc.pages} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
