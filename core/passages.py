"""What extraction keeps of a narrative for comparing packages across a district (``core.copies``): its
sentences with their places (``document_passages``), the keys and check ids they are filed under, and the
thresholds of ``resources/copies.json``.

Why it exists: every extraction keeps the passages, while the comparison itself (signatures, the district's
index, its findings) runs only in a workspace or a batch; ``main.py extract`` imports this module, not
``core.copies`` (whose classes cost a few milliseconds to create at every start).  ``core.copies`` takes all
of it from here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from core.model import BBox

PASSAGES_KEY = "passages"
"""``case.extra`` key: the narrative's sentences with their places (``document_passages``)."""
COPIES_KEY = "district_copies"
"""``case.extra`` key: the copy findings (JSON) last computed for this case over its workspace."""
CHECK_TEXT = "copies.text"
CHECK_INDICATORS = "copies.indicators"
CHECK_FIGURES = "copies.figures"
CHECK_UNIT_NAME = "copies.unit_name"
CHECKS = (CHECK_TEXT, CHECK_INDICATORS, CHECK_FIGURES, CHECK_UNIT_NAME)


@dataclass(frozen=True)
class Settings:
    """The thresholds (``resources/copies.json`` may override them)."""

    min_sentence_cjk: int = 20     # a sentence shorter than this is too generic to compare
    min_finding_cjk: int = 30      # a copied paragraph (its matched sentences together) at least this long
    template_units: int = 3        # shared by this many units: template, not a copy
    min_units: int = 5             # fewer units known: template cannot be told from a copy, nothing reported
    template_share: float = 0.5    # a sentence whose 4-grams are this much template words is template
    min_indicator_cjk: int = 6     # a 三级指标 this long (or a distinctive 指标值) is specific
    min_name_chars: int = 5        # a unit's key shorter than this is not searched for
    keep_sentence_chars: int = 8   # sentences kept in a case (names are searched in these too)


@lru_cache(maxsize=1)
def settings() -> Settings:
    """The thresholds of ``resources/copies.json`` (the defaults above when it is missing or damaged)."""
    try:
        from core.resources import resource_path

        d = json.loads(resource_path("copies.json").read_text(encoding="utf-8"))
        known = Settings.__dataclass_fields__
        return Settings(**{k: type(getattr(Settings(), k))(v) for k, v in d.get("thresholds", {}).items()
                           if k in known})
    except (OSError, ValueError, TypeError):
        return Settings()


def norm(text: str) -> str:
    """``text`` compared: NFKC + radicals (``core.text.normalize``), then only letters, digits and ideographs
    (spacing and punctuation of any width ignored), Latin letters in lower case."""
    from core.text import normalize

    return "".join(c for c in normalize(text).lower() if c.isalnum())


# -- passages of a document (at extraction) ----------------------------------------------------------------

_SENTENCE_END = set("。！？!?；;")
PASSAGE_KINDS = ("自评报告", "决算说明", "部门概况")


def document_passages(doc: Any, cls: Any, streams: dict | None = None) -> list[list]:
    """The sentences of a document's narratives as ``[text, kind, doc, paragraph, [[page, x0, top, x1,
    bottom], …]]`` (one box per printed line the sentence is on), for ``case.extra["passages"]``.  Only
    sentences with at least ``keep_sentence_chars`` letters or ideographs are kept.  ``streams``: the
    narratives' text as the extraction joined it (``core.pipeline.narrative_stream``), not joined again."""
    from core.pipeline import narrative_stream

    cfg = settings()
    out: list[list] = []
    kinds = getattr(cls, "kinds", {}) or {}
    for kind in PASSAGE_KINDS:
        if kind not in kinds:
            continue
        stream = narrative_stream(doc, cls, kind, streams)
        if stream is None:
            continue
        for text, para, a in _spans(stream.text):
            if len(norm(text)) >= cfg.keep_sentence_chars:
                boxes = _line_boxes(stream.places[a:a + len(text)])
                out.append([text, kind, doc.id, para, [[p, *(round(x, 1) for x in b)] for p, b in boxes]])
    return out


def _sentences(text: str, places: list[tuple[int, BBox]]) -> Iterator[tuple[str, int, list[tuple[int, BBox]]]]:
    """(sentence, paragraph number, line boxes) of a joined stream."""
    for s, para, a in _spans(text):
        yield s, para, _line_boxes(places[a:a + len(s)])


def _spans(text: str) -> Iterator[tuple[str, int, int]]:
    """(sentence, paragraph number, where it starts in ``text``) of a joined stream: its boxes are worked out
    only for the sentences kept (``document_passages``)."""
    para = 0
    start = 0
    n = len(text)
    ends = [i for i, c in enumerate(text) if c == "\n" or c in _SENTENCE_END]
    ends.append(n)
    for i in ends:
        stop = i + 1 if i < n and text[i] != "\n" else i
        chunk = text[start:stop]
        lead = len(chunk) - len(chunk.lstrip())
        s = chunk.strip()
        if s:
            yield s, para, start + lead
        if i < n and text[i] == "\n":
            para += 1
        start = i + 1


def _line_boxes(places: list[tuple[int, BBox]]) -> list[tuple[int, BBox]]:
    """One box per printed line: consecutive characters on the same page and baseline."""
    out: list[tuple[int, BBox]] = []
    page_now = None
    last: BBox = (0.0, 0.0, 0.0, 0.0)
    x0 = top = x1 = bottom = 0.0
    for page, b in places:  # one pass, the union kept as it grows (``union_bbox`` of each line's boxes)
        if not (b[2] > b[0] or b[3] > b[1]):
            continue
        if page_now == page:
            h = max(last[3] - last[1], 1.0)
            if abs(b[1] - last[1]) < 0.6 * h and b[0] >= last[0] - 2 * h:
                # compared, not min()/max(): four calls per character cost 8 times as much
                if b[0] < x0:  # noqa: PLR1730
                    x0 = b[0]
                if b[1] < top:  # noqa: PLR1730
                    top = b[1]
                if b[2] > x1:  # noqa: PLR1730
                    x1 = b[2]
                if b[3] > bottom:  # noqa: PLR1730
                    bottom = b[3]
                last = b
                continue
        if page_now is not None:
            out.append((page_now, (x0, top, x1, bottom)))
        page_now, last = page, b
        x0, top, x1, bottom = b[0], b[1], b[2], b[3]
    if page_now is not None:
        out.append((page_now, (x0, top, x1, bottom)))
    return out
