"""Ruled tables from ruling lines: pdfplumber's "lines" table strategy, computed on plain tuples.

Why it exists: reading a page with PDFium gives ruling edges of our own (``pdf._pdfium_edges``, the OCR'd
rules, the OFD and drawn Word/Excel pages); finding the cells they enclose is pdfplumber's algorithm
(``pdfplumber.table``: ``merge_edges`` → ``edges_to_intersections`` → ``intersections_to_cells`` →
``cells_to_tables``, MIT licence), whose reference code builds a dict per edge, compares sets of edge boxes
for every pair of crossings it looks at and imports pdfminer with it.  This module gives the same cells —
the same numbers, in the same order, float for float (``tests/core/documents/test_ruling.py`` compares it
with pdfplumber's functions on real and random rulings) — in a fraction of the time, and lets a page with
rules be read without importing pdfplumber at all.

What it must not do: differ from pdfplumber's result in any way (a cell order or a coordinate that differs
by one unit in the last place changes which characters a cell gets).  Edges come in as pdfplumber-style
dicts (``x0``, ``x1``, ``top``, ``bottom``, ``width``, ``height``, ``orientation``).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable

# An edge here: (x0, top, x1, bottom, length) — length is pdfplumber's "height" of a vertical edge and
# "width" of a horizontal one (the only dimension its filters read).
Edge = tuple
Point = tuple[float, float]
Cell = tuple[float, float, float, float]


def _snap(edges: list[Edge], pos: int, tolerance: float) -> list[Edge]:
    """pdfplumber's ``snap_objects``: cluster the edges on coordinate ``pos`` (0: x0 of vertical edges, 1: top
    of horizontal ones; a value joins a cluster when within ``tolerance`` of the previous distinct value) and
    move every edge of a cluster to the cluster's mean, as pdfplumber computes it (``v + (mean - v)``)."""
    if not edges:
        return []
    values = sorted({e[pos] for e in edges})
    cluster_of: dict[float, int] = {}
    n = 0
    last = values[0]
    for v in values:
        if v > last + tolerance:
            n += 1
        cluster_of[v] = n
        last = v
    clusters: list[list[Edge]] = [[] for _ in range(n + 1)]
    for e in edges:  # in input order within a cluster, as pdfplumber's stable sort leaves them
        clusters[cluster_of[e[pos]]].append(e)
    out: list[Edge] = []
    for cluster in clusters:
        if not cluster:
            continue
        avg = sum(e[pos] for e in cluster) / len(cluster)
        for e in cluster:
            d = avg - e[pos]
            if pos == 0:  # a vertical edge moves sideways: x0 and x1
                out.append((e[0] + d, e[1], e[2] + d, e[3], e[4]))
            else:  # a horizontal edge moves up or down: top and bottom
                out.append((e[0], e[1] + d, e[2], e[3] + d, e[4]))
    return out


def _join(group: list[Edge], vertical: bool, tolerance: float) -> list[Edge]:
    """pdfplumber's ``join_edge_group``: edges on one line joined where they overlap or nearly touch."""
    lo, hi = (1, 3) if vertical else (0, 2)
    group = sorted(group, key=lambda e: e[lo])
    joined = [group[0]]
    for e in group[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + tolerance:
            if e[hi] > last[hi]:
                if vertical:  # resize_object(last, "bottom", v): height + (v - bottom)
                    joined[-1] = (last[0], last[1], last[2], e[3], last[4] + (e[3] - last[3]))
                else:  # resize_object(last, "x1", v): width = v - x0
                    joined[-1] = (last[0], last[1], e[2], last[3], e[2] - last[0])
        else:
            joined.append(e)
    return joined


def merge_edges(edges: Iterable[dict], snap: float = 3, join: float = 3,
                min_length: float = 3) -> tuple[list[Edge], list[Edge]]:
    """The ruling edges snapped, joined and filtered as ``pdfplumber.table.merge_edges`` and then
    ``utils.filter_edges(min_length=…)`` do: (vertical, horizontal) edges, each list in pdfplumber's order."""
    v_in: list[Edge] = []
    h_in: list[Edge] = []
    for e in edges:
        if e["orientation"] == "v":
            v_in.append((e["x0"], e["top"], e["x1"], e["bottom"], e["height"]))
        else:
            h_in.append((e["x0"], e["top"], e["x1"], e["bottom"], e["width"]))
    out = []
    for lst, pos, vertical in ((h_in, 1, False), (v_in, 0, True)):  # pdfplumber groups "h" before "v"
        snapped = _snap(lst, pos, snap)
        groups: dict[float, list[Edge]] = {}
        for e in snapped:
            groups.setdefault(e[pos], []).append(e)
        merged: list[Edge] = []
        for key in sorted(groups):
            merged.extend(e for e in _join(groups[key], vertical, join) if e[4] >= min_length)
        out.append(merged)
    h, v = out
    return v, h


def intersections(v_edges: list[Edge], h_edges: list[Edge], x_tol: float = 3,
                  y_tol: float = 3) -> dict[Point, tuple[set, set]]:
    """pdfplumber's ``edges_to_intersections``: each crossing point (x of the vertical, top of the horizontal
    edge) with the boxes of the vertical and of the horizontal edges through it (as sets: pdfplumber compares
    the edges at a point by their boxes only)."""
    out: dict[Point, tuple[set, set]] = {}
    hs = sorted(h_edges, key=lambda e: (e[1], e[0]))
    tops = [e[1] for e in hs]
    slack = y_tol + 1.0  # the exact test below decides; the bisection only narrows the candidates
    for v in sorted(v_edges, key=lambda e: (e[0], e[1])):
        vx, vtop, vbottom = v[0], v[1], v[3]
        vbox = v[:4]
        for k in range(bisect_left(tops, vtop - slack), bisect_right(tops, vbottom + slack)):
            h = hs[k]
            if vtop <= h[1] + y_tol and vbottom >= h[1] - y_tol and vx >= h[0] - x_tol and vx <= h[2] + x_tol:
                point = (vx, h[1])
                sets = out.get(point)
                if sets is None:
                    sets = out[point] = (set(), set())
                sets[0].add(vbox)
                sets[1].add(h[:4])
    return out


def cells(inter: dict[Point, tuple[set, set]]) -> list[Cell]:
    """pdfplumber's ``intersections_to_cells``: for each crossing (in sorted order) the smallest cell it is
    the top-left corner of — the first crossing below it joined by a vertical edge, then the first to its
    right joined by a horizontal edge, whose bottom-right corner is a crossing joined to both."""
    points = sorted(inter)
    below_of: dict[float, list[Point]] = {}
    right_of: dict[float, list[Point]] = {}
    for p in points:  # sorted by x then y: each list is in pdfplumber's order
        below_of.setdefault(p[0], []).append(p)
    for p in sorted(points, key=lambda p: (p[1], p[0])):
        right_of.setdefault(p[1], []).append(p)
    below_idx = {p: i for lst in below_of.values() for i, p in enumerate(lst)}
    right_idx = {p: i for lst in right_of.values() for i, p in enumerate(lst)}
    out: list[Cell] = []
    for pt in points:
        pv, ph = inter[pt]
        col = below_of[pt[0]]
        row = right_of[pt[1]]
        right: list[Point] | None = None
        found = None
        for below_pt in col[below_idx[pt] + 1:]:
            bv, bh = inter[below_pt]
            if pv.isdisjoint(bv):
                continue
            if right is None:
                right = [r for r in row[right_idx[pt] + 1:] if not ph.isdisjoint(inter[r][1])]
            for right_pt in right:
                corner = (right_pt[0], below_pt[1])
                sets = inter.get(corner)
                if sets is not None and not sets[0].isdisjoint(inter[right_pt][0]) and not sets[1].isdisjoint(bh):
                    found = (pt[0], pt[1], corner[0], corner[1])
                    break
            if found:
                break
        if found:
            out.append(found)
    return out


def tables(cell_list: list[Cell]) -> list[list[Cell]]:
    """pdfplumber's ``cells_to_tables``: cells grouped into tables by shared corners, in pdfplumber's order
    (cells in the order it adds them, tables by their top-left cell); single-cell groups dropped."""
    remaining = list(cell_list)
    corners: set[Point] = set()
    current: list[Cell] = []
    groups: list[list[Cell]] = []
    while remaining:
        before = len(current)
        kept: list[Cell] = []
        for c in remaining:
            cc = ((c[0], c[1]), (c[0], c[3]), (c[2], c[1]), (c[2], c[3]))
            if not current or any(p in corners for p in cc):
                corners.update(cc)
                current.append(c)
            else:
                kept.append(c)
        remaining = kept
        if len(current) == before:
            groups.append(current)
            corners = set()
            current = []
    if current:
        groups.append(current)
    groups.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in groups if len(t) > 1]
