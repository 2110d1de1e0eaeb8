"""Draw a diagram as inline SVG (laid out by layout.py): no JavaScript, nothing fetched."""
from __future__ import annotations

from html import escape

from .diagram import Diagram, Node
from .layout import CHAR_W, GAP_RANK, LINE_H, MARGIN, PAD_X, PAD_Y, Box, layout

FONT = 11  # px: the size layout.py measures text at
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
             "reply": ("#6b7280", "2 3", 1.2, "#4b5563"), "member": ("#9ca3af", "2 3", 1.0, "#6b7280"),
             "assoc": ("#9ca3af", "", 1.0, "#6b7280")}
MARK_LOOK = {"changed": ("#d97706", "changed"), "added": ("#d97706", "new")}  # outline, tag


def to_svg(d: Diagram, *, prefix: str = "d") -> str:
    """The diagram as one <svg> element that shrinks to its container's width (never grows past its
    own); `prefix` keeps marker ids unique within a page."""
    if not d.nodes:
        return ""
    across = d.direction == "LR"  # ranks run left to right, else top to bottom
    at = layout(d)
    pos, sizes, rank = at.pos, at.sizes, at.rank
    right, bottom = at.width, at.height
    backs = [e for e in d.edges if e.source in pos and e.target in pos and rank[e.target] < rank[e.source]
             and e.style not in ("member", "assoc")]
    # An edge back up within one lane runs down the lane's right side; the others around the picture.
    inlane = {id(e): at.lane_side[e.source] for e in backs
              if e.source in at.lane_side and at.lane_side.get(e.target) == at.lane_side[e.source]}
    outer = [e for e in backs if id(e) not in inlane]
    room = 34 + 8 * len(outer) if outer else 0  # for the edges drawn around the far side
    width = right + MARGIN + (0 if across else room)
    height = bottom + MARGIN + (room if across else 0)
    gap = GAP_RANK["LR" if across else "TB"]
    body = [_box(b) for b in at.boxes]
    said: dict[str, set[str]] = {}  # the labels already drawn into each node
    body += [_edge(e, pos, sizes, rank, across, right, bottom, outer, prefix, gap, said, inlane.get(id(e)))
             for e in d.edges if e.source in pos and e.target in pos]
    body += [_node(d.nodes[n], *pos[n], *sizes[n]) for n in d.nodes]
    markers = "".join(
        f'<marker id="{prefix}-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="{look[0]}"/></marker>'
        for name, look in EDGE_LOOK.items())
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" role="img" '
            f'aria-label="{escape(d.title)}" width="{width:.0f}" height="{height:.0f}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" preserveAspectRatio="xMinYMin meet" '
            f'style="max-width:100%;height:auto" font-family="{escape(FONTS)}" font-size="{FONT}">'
            f'<title>{escape(d.title)}</title><defs>{markers}</defs>{"".join(body)}</svg>')


def _box(b: Box) -> str:
    """A boxed cluster (an Availability Zone, a subnet's lane): a tinted rectangle, its label on top."""
    return (f'<g class="box" data-cluster="{escape(b.cluster)}"><rect x="{b.x:.1f}" y="{b.y:.1f}" '
            f'width="{b.w:.1f}" height="{b.h:.1f}" rx="8" fill="#f8fafc" stroke="#94a3b8" '
            f'stroke-dasharray="6 3"/><text x="{b.x + 8:.1f}" y="{b.y + 13:.1f}" font-size="10.5" '
            f'font-weight="600" fill="#475569">{escape(b.label)}</text></g>')


def _node(n: Node, x: float, y: float, w: float, h: float) -> str:
    fill, stroke, dash, ink = NODE_LOOK.get(n.status, NODE_LOOK["plain"])
    radius = h / 2 if n.kind == "function" else 6
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    width = 2 if n.status in ("blocked", "unknown") else 1.2
    bold = ' font-weight="600"'
    text = "".join(
        f'<tspan x="{x + PAD_X:.1f}" y="{y + PAD_Y + LINE_H * (i + 1) - 3:.1f}"'
        f'{bold if i == 0 else ""}>{escape(line)}</tspan>' for i, line in enumerate(n.lines))
    mark, title = "", chr(10).join(n.lines)
    if n.mark in MARK_LOOK:  # changed since the baseline: a thick outline and a tag on the corner
        colour, tag = MARK_LOOK[n.mark]
        tw = len(tag) * CHAR_W + 8
        mark = (f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="{w + 6:.1f}" height="{h + 6:.1f}" '
                f'rx="{radius + 3:.1f}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
                f'<rect x="{x + w - tw:.1f}" y="{y - 9:.1f}" width="{tw:.1f}" height="14" rx="7" '
                f'fill="{colour}"/><text x="{x + w - tw / 2:.1f}" y="{y + 1.5:.1f}" text-anchor="middle" '
                f'font-size="10" font-weight="700" fill="#ffffff">{tag}</text>')
        title += f"\n({tag} since the baseline)"
    marked = f" {escape(n.mark)}" if n.mark else ""
    return (f'<g class="node {escape(n.status)}{marked}" data-id="{escape(n.id)}" data-kind="{escape(n.kind)}">'
            f'<title>{escape(title)}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" rx="{radius:.1f}" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{width}"{dashed}/><text fill="{ink}">{text}</text>{mark}</g>')


def _at(t: float, *points: tuple[float, float]) -> tuple[float, float]:
    """The point at t on a cubic Bézier curve."""
    weights = ((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t ** 2, t ** 3)
    return (sum(w * p[0] for w, p in zip(weights, points)), sum(w * p[1] for w, p in zip(weights, points)))


def _edge(e, pos, sizes, rank, across: bool, right: float, bottom: float, backs: list, prefix: str,
          gap: float, said: dict[str, set[str]], lane: float | None = None) -> str:
    (sx, sy), (sw, sh) = pos[e.source], sizes[e.source]
    (tx, ty), (tw, th) = pos[e.target], sizes[e.target]
    stroke, dash, width, ink = EDGE_LOOK.get(e.style, EDGE_LOOK["flow"])
    if lane is not None:  # back up its own lane, along the lane's right side
        a, b = (sx + sw, sy + sh / 2), (tx + tw, ty + th / 2)
        c = (8 * lane - a[0] - b[0]) / 6  # the curve's rightmost point is on the lane's side
        c1, c2 = (c, a[1]), (c, b[1])
    elif e in backs:  # around the far side, back to an earlier rank
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
        bend = max(gap, b[0] - a[0]) / 2
        c1, c2 = (a[0] + bend, a[1]), (b[0] - bend, b[1])
    else:
        a, b = (sx + sw / 2, sy + sh), (tx + tw / 2, ty)
        bend = max(gap, b[1] - a[1]) / 2
        c1, c2 = (a[0], a[1] + bend), (b[0], b[1] - bend)
    look = e.style if e.style in EDGE_LOOK else "flow"
    arrow = "" if e.style in ("member", "assoc") else f' marker-end="url(#{prefix}-{look})"'
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    path = (f'<path d="M{a[0]:.1f},{a[1]:.1f} C{c1[0]:.1f},{c1[1]:.1f} {c2[0]:.1f},{c2[1]:.1f} '
            f'{b[0]:.1f},{b[1]:.1f}" fill="none" stroke="{stroke}" stroke-width="{width}"{dashed}{arrow}/>')
    # Across (a VPC), a label sits near its target, where the edges into it have fanned out, and
    # is drawn once per target (several tables routing 0.0.0.0/0 to one gateway); top to bottom,
    # each label at its curve's middle.
    near = across and lane is None and e not in backs
    if not e.label or (near and e.label in said.setdefault(e.target, set())):
        return f'<g class="edge {escape(e.style)}">{path}</g>'
    if near:
        said[e.target].add(e.label)
    mx, my = _at(0.75 if near else 0.5, a, c1, c2, b)
    w = len(e.label) * (CHAR_W - 0.6) + 6
    weight = ' font-weight="600"' if e.style in ("blocked", "unknown") else ""
    label = (f'<rect x="{mx - w / 2:.1f}" y="{my - 8:.1f}" width="{w:.1f}" height="14" rx="3" fill="#ffffff" '
             f'fill-opacity="0.92"/><text x="{mx:.1f}" y="{my + 3:.1f}" text-anchor="middle" font-size="10" '
             f'fill="{ink}"{weight}>{escape(e.label)}</text>')
    return f'<g class="edge {escape(e.style)}">{path}{label}</g>'
