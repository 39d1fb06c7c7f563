"""Ctrl+F's index: plain Python, on lines with a box per character (no Qt needed)."""

from __future__ import annotations

from ui.search import TextIndex


def _line(index: TextIndex, doc: str, page: int, text: str, x0: float = 100.0, top: float = 50.0) -> None:
    boxes = [(x0 + 10 * i, top, x0 + 10 * i + 10, top + 12) for i in range(len(text))]
    index.add_line(doc, page, text, boxes)


def test_a_hit_boxes_exactly_the_matched_characters():
    index = TextIndex()
    _line(index, "d1", 3, "三公经费支出0.96万元")
    (hit,) = index.search("0.96")
    assert (hit.doc, hit.page) == ("d1", 3)
    assert hit.bbox == (160.0, 50.0, 200.0, 62.0)
    assert hit.context == "三公经费支出0.96万元"


def test_spaces_are_ignored_on_both_sides():
    index = TextIndex()
    _line(index, "d1", 1, "基本 支出 701.92")
    assert len(index.search("基本支出")) == 1
    assert len(index.search("支出 701")) == 1


def test_query_is_normalised_like_the_page_text():
    index = TextIndex()
    _line(index, "d1", 1, "合计1361.52")
    assert len(index.search("１３６１．５２")) == 1  # full-width digits typed by an input method
    assert len(index.search("合计")) == 1


def test_hits_come_in_document_order_and_every_occurrence_counts():
    index = TextIndex()
    _line(index, "d2", 1, "项目支出")
    _line(index, "d1", 2, "项目支出与项目支出", top=80)
    _line(index, "d1", 1, "项目支出")
    hits = index.search("项目支出", ["d1", "d2"])
    assert [(h.doc, h.page) for h in hits] == [("d1", 1), ("d1", 2), ("d1", 2), ("d2", 1)]
    assert hits[1].bbox[0] < hits[2].bbox[0]
    assert index.search("   ") == []
