"""``core.documents.ruling`` gives pdfplumber's ruled-table cells exactly: on the rulings of the fixture and real
PDFs, and on random rulings made to hit its corner cases (edges within the snap tolerance of each other,
joined pieces, short stubs, crossings just off a rule's end).  Exactly means the same floats in the same
order: a cell that moves by one unit in the last place takes other characters."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pdfplumber import table as pt
from pdfplumber import utils as pu

from core.documents import ruling
from core.documents.pdf import _pdfium_raw


def _reference(edges: list[dict]):
    merged = pu.filter_edges(pt.merge_edges(edges, 3, 3, 3, 3), min_length=3)
    v = [(e["x0"], e["top"], e["x1"], e["bottom"], e["height"]) for e in merged if e["orientation"] == "v"]
    h = [(e["x0"], e["top"], e["x1"], e["bottom"], e["width"]) for e in merged if e["orientation"] == "h"]
    inter = pt.edges_to_intersections(merged, 3, 3)
    sets = {p: ({pu.obj_to_bbox(e) for e in d["v"]}, {pu.obj_to_bbox(e) for e in d["h"]})
            for p, d in inter.items()}
    cells = pt.intersections_to_cells(inter)
    return v, h, sets, cells, pt.cells_to_tables(cells)


def _ours(edges: list[dict]):
    v, h = ruling.merge_edges(edges, 3, 3, 3)
    inter = ruling.intersections(v, h, 3, 3)
    cells = ruling.cells(inter)
    return v, h, inter, cells, ruling.tables(cells)


def _assert_same(edges: list[dict]) -> None:
    ref, ours = _reference(edges), _ours(edges)
    names = ("vertical edges", "horizontal edges", "crossings", "cells", "tables")
    for name, a, b in zip(names, ref, ours):
        assert a == b, name


def _edge(x0: float, top: float, x1: float, bottom: float) -> dict:
    if top == bottom:
        return {"x0": x0, "x1": x1, "top": top, "bottom": top, "width": x1 - x0, "height": 0.0,
                "orientation": "h", "object_type": "line"}
    return {"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0.0, "height": bottom - top,
            "orientation": "v", "object_type": "line"}


def _page_edges(path) -> list[list[dict]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        out = []
        for i in range(len(pdf)):
            pg = pdf[i]
            try:
                edges = _pdfium_raw(pg, i + 1)[2]
            finally:
                pg.close()
            if len(edges) >= 4:
                out.append(edges)
        return out
    finally:
        pdf.close()


def test_same_cells_as_pdfplumber_on_the_fixture_rulings(packages_dir):
    pages = 0
    for path in sorted(packages_dir.glob("*/*.pdf"))[:8]:
        for edges in _page_edges(path):
            _assert_same(edges)
            pages += 1
    assert pages >= 20


@pytest.mark.real
def test_same_cells_as_pdfplumber_on_the_real_rulings(real_dir):
    pages = 0
    for path in sorted(real_dir.rglob("*.pdf")):
        for edges in _page_edges(path):
            _assert_same(edges)
            pages += 1
    assert pages >= 40


def _random_grid(rng: random.Random) -> list[dict]:
    """A form's grid as producers draw it: rows and columns of rule pieces, some drawn twice or a little
    off (within or just past the 3 pt snap tolerance), some cut short, plus stray stubs."""
    xs = sorted({round(rng.uniform(20, 560), rng.choice((0, 1, 3))) for _ in range(rng.randint(2, 7))})
    ys = sorted({round(rng.uniform(20, 800), rng.choice((0, 1, 3))) for _ in range(rng.randint(2, 9))})
    edges: list[dict] = []

    def jitter() -> float:
        return rng.choice((0.0, 0.0, 0.3, -0.7, 1.5, 2.9, 3.1, -3.2, 1e-9))

    for y in ys:
        # a horizontal rule drawn in pieces between columns, sometimes with gaps
        for a, b in pairwise(xs):
            if rng.random() < 0.85:
                yy = y + jitter()
                edges.append(_edge(a + jitter(), yy, b + jitter(), yy))
    for x in xs:
        for a, b in pairwise(ys):
            if rng.random() < 0.85:
                xx = x + jitter()
                edges.append(_edge(xx, a + jitter(), xx, b + jitter()))
    for _ in range(rng.randint(0, 6)):  # stubs and stray short rules
        x, y = rng.uniform(0, 600), rng.uniform(0, 840)
        if rng.random() < 0.5:
            edges.append(_edge(x, y, x + rng.uniform(0.5, 12), y))
        else:
            edges.append(_edge(x, y, x, y + rng.uniform(0.5, 12)))
    rng.shuffle(edges)
    return [e for e in edges if e["x1"] > e["x0"] or e["bottom"] > e["top"]]


def test_same_cells_as_pdfplumber_on_random_grids():
    rng = random.Random(19)
    n_cells = 0
    for _ in range(400):
        edges = _random_grid(rng)
        _assert_same(edges)
        n_cells += len(_ours(edges)[3])
    assert n_cells > 1000  # the grids do make cells


coord = st.floats(min_value=0, max_value=60, allow_nan=False).map(lambda v: round(v * 4) / 4)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.booleans(), coord, coord, st.floats(min_value=0.25, max_value=40)), max_size=30))
def test_same_cells_as_pdfplumber_on_any_short_rules(specs):
    """Short rules crowded in a small square: every snapping, joining and near-miss crossing case."""
    edges = [_edge(a, b, a + n, b) if horizontal else _edge(a, b, a, b + n) for horizontal, a, b, n in specs]
    _assert_same(edges)
