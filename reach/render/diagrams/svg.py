"""Draw a diagram as inline SVG with a simple layered layout: no JavaScript, nothing fetched."""
from __future__ import annotations

from html import escape

import networkx as nx

from .diagram import Diagram, Node

CHAR_W, BOLD_W, LINE_H, FONT = 6.5, 7.1, 14, 11  # px per character (plain, bold), per line, at FONT px
PAD_X, PAD_Y, GAP_ORDER, MARGIN = 9, 6, 18, 14
GAP_RANK = {"TB": 46, "LR": 96}  # room between ranks for the edges and their labels
FONTS = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"

# status -> (fill, stroke, dash, text colour); edge style -> (stroke, dash, width, text colour)
NODE_LOOK = {"plain": ("#ffffff", "#4b5563", "", "#111827"),
             "function": ("#e8f0fe", "#1a56db", "", "#0b2a6b"),
             "reached": ("#e6f4ea", "#137333", "", "#0b3d1f"),
             "partial": ("#fef7e0", "#b06000", "", "#4a2800"),
             "missed": ("#f3f4f6", "#6b7280", "4 3", "#374151"),
             "blocked": ("#fde8e8", "#c81e1e", "5 3", "#771d1d"),
             "unknown": ("#fbe9f7", "#9c27b0", "5 3", "#4a148c")}
EDGE_LOOK = {"flow": ("#4b5563", "", 1.3, "#374151"), "blocked": ("#c81e1e", "5 3", 2.2, "#c81e1e"),
             "unknown": ("#9c27b0", "5 3", 2.0, "#7b1fa2"), "missed": ("#9ca3af", "4 3", 1.3, "#6b7280"),
             "reply": ("#6b7280", "2 3", 1.2, "#4b5563"), "member": ("#9ca3af", "2 3", 1.0, "#6b7280")}


def size(n: Node) -> tuple[float, float]:
    """A node's box: wide enough for its longest line."""
    widest = max([len(n.lines[0]) * BOLD_W, *(len(x) * CHAR_W for x in n.lines[1:])])
    return (widest + 2 * PAD_X, len(n.lines) * LINE_H + 2 * PAD_Y)


def ranks(d: Diagram) -> dict[str, int]:
    """Longest-path layers (networkx's topological generations) without the edges that close
    cycles; then each source moves next to its nearest successor."""
    if d.nodes and all(n.rank is not None for n in d.nodes.values()):
        used = sorted({n.rank for n in d.nodes.values()})
        return {nid: used.index(n.rank) for nid, n in d.nodes.items()}
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
    rank = {n: i for i, layer in enumerate(nx.topological_generations(g)) for n in layer}
    for node in (n for n in d.nodes if g.in_degree(n) == 0 and g.out_degree(n)):
        rank[node] = max(rank[node], min(rank[t] for t in g.successors(node)) - 1)
    return rank


def _columns(d: Diagram, rank: dict[str, int]) -> list[list[str]]:
    """Nodes per rank, ordered by first appearance, then by the mean place of their neighbours."""
    cols: list[list[str]] = [[] for _ in range(max(rank.values(), default=0) + 1)]
    for n in d.nodes:
        cols[rank[n]].append(n)
    near: dict[str, list[str]] = {n: [] for n in d.nodes}
    for e in d.edges:
        if e.source in near and e.target in near:
            near[e.target].append(e.source)
            near[e.source].append(e.target)
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


def to_svg(d: Diagram, *, prefix: str = "d") -> str:
    """The diagram as one <svg> element; `prefix` keeps marker ids unique within a page."""
    if not d.nodes:
        return ""
    across = d.direction == "LR"  # ranks run left to right, else top to bottom
    gap = GAP_RANK["LR" if across else "TB"]
    rank = ranks(d)
    cols = _columns(d, rank)
    sizes = {n: size(d.nodes[n]) for n in d.nodes}
    along = lambda n: sizes[n][0 if across else 1]  # noqa: E731 - extent along the rank axis
    side = lambda n: sizes[n][1 if across else 0]  # noqa: E731 - extent along the order axis
    extents = [sum(side(n) for n in c) + GAP_ORDER * (len(c) - 1) for c in cols]
    widest = max(extents)
    pos: dict[str, tuple[float, float]] = {}
    r_at = MARGIN
    for c, extent in zip(cols, extents):
        o_at = MARGIN + (widest - extent) / 2
        thick = max(along(n) for n in c)
        for n in c:
            r = r_at + (thick - along(n)) / 2
            pos[n] = (r, o_at) if across else (o_at, r)
            o_at += side(n) + GAP_ORDER
        r_at += thick + gap
    right = max(pos[n][0] + sizes[n][0] for n in d.nodes)
    bottom = max(pos[n][1] + sizes[n][1] for n in d.nodes)
    backs = [e for e in d.edges if e.source in pos and e.target in pos and rank[e.target] < rank[e.source]]
    width = right + MARGIN + (0 if across else 34 + 8 * len(backs))
    height = bottom + MARGIN + (34 + 8 * len(backs) if across else 0)
    body = [_edge(e, pos, sizes, rank, across, right, bottom, backs, prefix, gap) for e in d.edges
            if e.source in pos and e.target in pos]
    body += [_node(d.nodes[n], *pos[n], *sizes[n]) for n in d.nodes]
    markers = "".join(
        f'<marker id="{prefix}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{look[0]}"/></marker>'
        for name, look in EDGE_LOOK.items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
            f'aria-label="{escape(d.title)}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{escape(FONTS)}" font-size="{FONT}">'
            f'<title>{escape(d.title)}</title><defs>{markers}</defs>{"".join(body)}</svg>')


def _node(n: Node, x: float, y: float, w: float, h: float) -> str:
    fill, stroke, dash, ink = NODE_LOOK.get(n.status, NODE_LOOK["plain"])
    radius = h / 2 if n.kind == "function" else 6
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    width = 2 if n.status in ("blocked", "unknown") else 1.2
    bold = ' font-weight="600"'
    text = "".join(
        f'<tspan x="{x + PAD_X:.1f}" y="{y + PAD_Y + LINE_H * (i + 1) - 3:.1f}"'
        f'{bold if i == 0 else ""}>{escape(line)}</tspan>' for i, line in enumerate(n.lines))
    return (f'<g class="node {escape(n.status)}"><title>{escape(chr(10).join(n.lines))}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"{dashed}/><text fill="{ink}">{text}</text></g>')


def _edge(e, pos, sizes, rank, across: bool, right: float, bottom: float, backs: list, prefix: str,
          gap: float) -> str:
    (sx, sy), (sw, sh) = pos[e.source], sizes[e.source]
    (tx, ty), (tw, th) = pos[e.target], sizes[e.target]
    stroke, dash, width, ink = EDGE_LOOK.get(e.style, EDGE_LOOK["flow"])
    if e in backs:  # around the far side, back to an earlier rank
        k = 26 + 8 * backs.index(e)
        if across:
            a, b = (sx + sw / 2, sy + sh), (tx + tw / 2, ty + th)
            c1, c2 = (a[0], bottom + k), (b[0], bottom + k)
        else:
            a, b = (sx + sw, sy + sh / 2), (tx + tw, ty + th / 2)
            c1, c2 = (right + k, a[1]), (right + k, b[1])
    elif rank[e.target] == rank[e.source]:
        a, b = ((sx + sw / 2, sy + sh), (tx + tw / 2, ty)) if across else \
            ((sx + sw, sy + sh / 2), (tx, ty + th / 2))
        c1, c2 = a, b
    elif across:
        a, b = (sx + sw, sy + sh / 2), (tx, ty + th / 2)
        c1, c2 = (a[0] + gap / 2, a[1]), (b[0] - gap / 2, b[1])
    else:
        a, b = (sx + sw / 2, sy + sh), (tx + tw / 2, ty)
        c1, c2 = (a[0], a[1] + gap / 2), (b[0], b[1] - gap / 2)
    look = e.style if e.style in EDGE_LOOK else "flow"
    arrow = "" if e.style == "member" else f' marker-end="url(#{prefix}-{look})"'
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    path = (f'<path d="M{a[0]:.1f},{a[1]:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} '
            f'{b[0]:.1f},{b[1]:.1f}" fill="none" stroke="{stroke}" stroke-width="{width}"{dashed}{arrow}/>')
    if not e.label:
        return f'<g class="edge {escape(e.style)}">{path}</g>'
    mx = (a[0] + 3 * c1[0] + 3 * c2[0] + b[0]) / 8  # the curve's midpoint
    my = (a[1] + 3 * c1[1] + 3 * c2[1] + b[1]) / 8
    w = len(e.label) * (CHAR_W - 0.6) + 6
    weight = ' font-weight="600"' if e.style in ("blocked", "unknown") else ""
    label = (f'<rect x="{mx - w / 2:.1f}" y="{my - 8:.1f}" width="{w:.1f}" height="14" rx="3" fill="#ffffff" '
             f'fill-opacity="0.92"/><text x="{mx:.1f}" y="{my + 3:.1f}" text-anchor="middle" font-size="10" '
             f'fill="{ink}"{weight}>{escape(e.label)}</text>')
    return f'<g class="edge {escape(e.style)}">{path}{label}</g>'
