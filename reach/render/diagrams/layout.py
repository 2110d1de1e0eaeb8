"""Place a diagram's nodes: layers from networkx, order by neighbours, and a band per boxed cluster."""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from .diagram import Diagram, Node

CHAR_W, BOLD_W, LINE_H = 6.5, 7.1, 14  # px per character (plain, bold) and per line, at 11 px
PAD_X, PAD_Y, GAP_ORDER, MARGIN = 9, 6, 18, 14
GAP_RANK = {"TB": 46, "LR": 44}  # least room between layers; LR widens a gap for its edges' labels
BOX_PAD, BOX_LABEL, BOX_GAP = 10, 18, 14  # a band's padding, its label's height, room between bands
LANE_BACK = 24  # in TB, room at a band's right for the edges that go back up within it (replies)


@dataclass
class Box:
    """A boxed cluster's rectangle over one run of consecutive banded layers."""

    cluster: str
    label: str
    x: float
    y: float
    w: float
    h: float


@dataclass
class Layout:
    pos: dict[str, tuple[float, float]]
    sizes: dict[str, tuple[float, float]]
    rank: dict[str, int]
    boxes: list[Box] = field(default_factory=list)
    width: float = 0.0
    height: float = 0.0
    lane_side: dict[str, float] = field(default_factory=dict)  # TB: x where a node's band routes back


def size(n: Node) -> tuple[float, float]:
    """A node's box: wide enough for its longest line."""
    widest = max([len(n.lines[0]) * BOLD_W, *(len(x) * CHAR_W for x in n.lines[1:])])
    return (widest + 2 * PAD_X, len(n.lines) * LINE_H + 2 * PAD_Y)


def ranks(d: Diagram) -> dict[str, int]:
    """Longest-path layers over networkx's topological order, without the edges that close cycles;
    nodes of a kind in `d.align` share one layer (every subnet in one column); then each source
    moves next to its nearest successor."""
    g = nx.DiGraph()
    g.add_nodes_from(d.nodes)
    # A reply that returns to a node the request already placed does not move that node.
    placed = {x for e in d.edges if e.style != "reply" for x in (e.source, e.target)}
    g.add_edges_from((e.source, e.target) for e in d.edges
                     if e.source in d.nodes and e.target in d.nodes and e.source != e.target
                     and not (e.style == "reply" and e.target in placed))
    while True:
        try:
            g.remove_edge(*nx.find_cycle(g)[-1][:2])
        except nx.NetworkXNoCycle:
            break
    order = list(nx.topological_sort(g))
    aligned = [n for n in order if d.nodes[n].kind in d.align]
    floor: dict[str, int] = {}
    for _ in range(len(d.nodes) + 1):  # each pass only raises layers, so this ends
        rank: dict[str, int] = {}
        for n in order:
            rank[n] = max([rank[p] + 1 for p in g.predecessors(n)] + [floor.get(n, 0)])
        top = {k: max(rank[n] for n in aligned if d.nodes[n].kind == k) for k in d.align
               if any(d.nodes[n].kind == k for n in aligned)}
        raised = {n: top[d.nodes[n].kind] for n in aligned}
        if raised == {n: rank[n] for n in aligned}:
            break
        floor = raised
    for node in (n for n in d.nodes if g.in_degree(n) == 0 and g.out_degree(n) and n not in aligned):
        rank[node] = max(rank[node], min(rank[t] for t in g.successors(node)) - 1)
    return rank


def _neighbours(d: Diagram) -> dict[str, list[str]]:
    near: dict[str, list[str]] = {n: [] for n in d.nodes}
    for e in d.edges:
        if e.source in near and e.target in near and e.source != e.target:
            near[e.target].append(e.source)
            near[e.source].append(e.target)
    return near


def _columns(d: Diagram, rank: dict[str, int], near: dict[str, list[str]]) -> list[list[str]]:
    """Nodes per layer, ordered by first appearance, then by the mean place of their neighbours."""
    cols: list[list[str]] = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for n in d.nodes:
        cols[rank[n]].append(n)
    for sweep in (1, 1, -1, 1):
        seq = range(1, len(cols)) if sweep > 0 else range(len(cols) - 2, -1, -1)
        for i in seq:
            ref = cols[i - sweep]
            where = {n: (k + 0.5) / len(ref) for k, n in enumerate(ref)}
            mine = {n: (k + 0.5) / len(cols[i]) for k, n in enumerate(cols[i])}

            def key(n: str) -> float:
                hits = [where[m] for m in near[n] if m in where]
                return sum(hits) / len(hits) if hits else mine[n]
            cols[i] = sorted(cols[i], key=key)
    return cols


def band_of(d: Diagram, node: Node) -> str | None:
    """The boxed cluster a node sits in (its own cluster or the nearest boxed one above it)."""
    c = d.clusters.get(node.cluster) if node.cluster else None
    while c is not None and not c.box:
        c = d.clusters.get(c.parent) if c.parent else None
    return c.id if c else None


def layout(d: Diagram) -> Layout:
    """Layers along the rank axis (x for LR, y for TB) and order across it. Layers that mostly hold
    members of boxed clusters share one band per cluster, so a box (an AZ, a subnet's lane) holds
    its members in every such layer; other layers place each node near its neighbours."""
    across = d.direction == "LR"
    rank = ranks(d)
    near = _neighbours(d)
    cols = _columns(d, rank, near)
    sizes = {n: size(d.nodes[n]) for n in d.nodes}
    along = {n: sizes[n][0 if across else 1] for n in d.nodes}  # extent along the rank axis
    side = {n: sizes[n][1 if across else 0] for n in d.nodes}  # extent along the order axis
    band = {n: band_of(d, d.nodes[n]) for n in d.nodes}
    bands = list(dict.fromkeys(c for c in d.clusters if d.clusters[c].box and c in band.values()))
    banded = [bool(c) and 2 * sum(band[n] is not None for n in c) >= len(c) for c in cols]
    # The rank axis: each layer as thick as its thickest node; an LR gap wide enough for labels.
    starts, r_at = [], float(MARGIN)
    for i, c in enumerate(cols):
        if not across and banded[i] and (i == 0 or not banded[i - 1]):
            r_at += BOX_LABEL  # a band's label sits above its first row
        starts.append(r_at)
        r_at += max((along[n] for n in c), default=0) + _gap(d, rank, i, across)
    pos: dict[str, tuple[float, float]] = {}
    order: dict[str, float] = {}  # each placed node's start on the order axis
    boxes: list[Box] = []
    lane_side: dict[str, float] = {}
    if any(banded):
        spans = _bands(cols, banded, band, bands, side, across)
        for i, c in enumerate(cols):
            if banded[i]:
                for n, o in _in_bands(c, band, bands, side, spans, across).items():
                    order[n] = o
        last = max(i for i, b in enumerate(banded) if b)
        for i in [*range(last + 1, len(cols)), *range(last, -1, -1)]:
            if not banded[i]:
                order.update(_near(cols[i], near, order, side))
        boxes = _boxes(d, cols, banded, band, bands, spans, starts, along, across)
        if not across:
            lane_side = {n: spans[b][0] + spans[b][1] - BOX_PAD - LANE_BACK / 2 for n, b in band.items()
                         if b is not None and b in spans}
    else:
        extents = [sum(side[n] for n in c) + GAP_ORDER * (len(c) - 1) for c in cols]
        for c, extent in zip(cols, extents):
            o = MARGIN + (max(extents) - extent) / 2
            for n in c:
                order[n] = o
                o += side[n] + GAP_ORDER
    for i, c in enumerate(cols):
        thick = max((along[n] for n in c), default=0)
        for n in c:
            r = starts[i] + (thick - along[n]) / 2
            pos[n] = (r, order[n]) if across else (order[n], r)
    right = max([pos[n][0] + sizes[n][0] for n in d.nodes] + [b.x + b.w for b in boxes])
    bottom = max([pos[n][1] + sizes[n][1] for n in d.nodes] + [b.y + b.h for b in boxes])
    return Layout(pos, sizes, rank, boxes, right, bottom, lane_side)


def _gap(d: Diagram, rank: dict[str, int], i: int, across: bool) -> float:
    """Room after layer i: in LR, wide enough for the longest label on an edge leaving it."""
    if not across:
        return GAP_RANK["TB"]
    labels = [len(e.label) for e in d.edges if e.label and rank.get(e.source) == i
              and rank.get(e.target, -1) > i]
    return max(GAP_RANK["LR"], max(labels, default=0) * (CHAR_W - 0.6) + 30)


def _bands(cols, banded, band, bands, side, across) -> dict[str | None, tuple[float, float, float]]:
    """Each band's start, extent and inset (label and padding) on the order axis: room for its
    members in every banded layer; then, unboxed, the nodes of no band in those layers."""
    spans: dict[str | None, tuple[float, float, float]] = {}
    o = float(MARGIN)
    for b in [*bands, None]:
        need = [sum(side[n] for n in c if band[n] == b) + GAP_ORDER * (sum(band[n] == b for n in c) - 1)
                for c, on in zip(cols, banded) if on and any(band[n] == b for n in c)]
        if not need:
            continue
        inset = 0.0 if b is None else BOX_PAD + (BOX_LABEL if across else 0)
        extent = inset + _tail(b, across) + max(need)
        spans[b] = (o, extent, inset)
        o += extent + BOX_GAP
    return spans


def _tail(b: str | None, across: bool) -> float:
    """A band's room after its members: padding, and in TB a lane for edges going back up."""
    return 0.0 if b is None else BOX_PAD + (0 if across else LANE_BACK)


def _in_bands(col, band, bands, side, spans, across: bool) -> dict[str, float]:
    """A banded layer: each band's members stacked in its band, centred in the room it has."""
    out: dict[str, float] = {}
    for b in [*bands, None]:
        mine = [n for n in col if band[n] == b]
        if not mine:
            continue
        start, extent, inset = spans[b]
        stack = sum(side[n] for n in mine) + GAP_ORDER * (len(mine) - 1)
        room = extent - inset - _tail(b, across)
        o = start + inset + (room - stack) / 2
        for n in mine:
            out[n] = o
            o += side[n] + GAP_ORDER
    return out


def _near(col, near, placed: dict[str, float], side) -> dict[str, float]:
    """A free layer: each node as near the middle of its placed neighbours as the others allow."""
    def want(n: str) -> float:
        hits = [placed[m] + side[m] / 2 for m in near[n] if m in placed]
        return max(MARGIN, sum(hits) / len(hits) - side[n] / 2) if hits else MARGIN
    wanted = sorted(col, key=lambda n: (want(n), col.index(n)))
    out: dict[str, float] = {}
    o = float(MARGIN)
    for n in wanted:
        out[n] = max(want(n), o)
        o = out[n] + side[n] + GAP_ORDER
    if not wanted:
        return out
    pushed = sum(out[n] - want(n) for n in wanted) / len(wanted)
    shift = min(pushed, min(out.values()) - MARGIN)
    return {n: o - shift for n, o in out.items()}


def _boxes(d, cols, banded, band, bands, spans, starts, along, across) -> list[Box]:
    """A rectangle per band and per run of consecutive banded layers, around the band's members."""
    out: list[Box] = []
    runs: list[list[int]] = []
    for i, on in enumerate(banded):
        if on and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif on:
            runs.append([i])
    for run in runs:
        r0 = starts[run[0]] - BOX_PAD - (0 if across else BOX_LABEL)
        r1 = starts[run[-1]] + max(along[n] for n in cols[run[-1]]) + BOX_PAD
        for b in bands:
            if not any(band[n] == b for i in run for n in cols[i]):
                continue
            o, extent, _ = spans[b]
            x, y, w, h = (r0, o, r1 - r0, extent) if across else (o, r0, extent, r1 - r0)
            out.append(Box(b, d.clusters[b].label, x, y, w, h))
    return out
