"""Diagrams as data (nodes, edges, clusters) and their mermaid and Graphviz dot text, deterministic."""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field, replace

# Worse statuses win when two hops are drawn as one node.
_SEVERITY = {"plain": 0, "reached": 1, "partial": 2, "missed": 3, "unknown": 4, "blocked": 5}
WRAP = 44  # characters per label line


@dataclass(frozen=True)
class Node:
    """A box: `id` is the AWS id (a suffix tells apart a second role of the same object)."""

    id: str
    kind: str
    lines: tuple[str, ...]
    status: str = "plain"  # plain | function | target | reached | partial | missed | blocked | unknown
    cluster: str | None = None
    mark: str = ""  # "changed" or "added" since a baseline snapshot, in a report made --against it


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str = ""
    style: str = "flow"  # flow | blocked | unknown | missed | reply | member (is in) | assoc (uses)


@dataclass(frozen=True)
class Cluster:
    """A group of nodes: an Availability Zone, a VPC, a subnet's lane. The SVG draws a `box`
    cluster as a band of its own around its members; mermaid and dot draw every cluster."""

    id: str
    label: str
    parent: str | None = None
    box: bool = False


@dataclass
class Diagram:
    """What one picture shows; the same data is written as mermaid, dot or SVG."""

    title: str
    direction: str = "LR"  # LR: ranks left to right; TB: top to bottom
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    clusters: dict[str, Cluster] = field(default_factory=dict)
    align: tuple[str, ...] = ()  # kinds whose nodes share one layer in the SVG (every subnet)

    def node(self, nid: str, kind: str, lines: list[str] | tuple[str, ...], status: str = "plain",
             cluster: str | None = None) -> str:
        """Add a node once; drawn again, it keeps its first label and takes the worse status."""
        old = self.nodes.get(nid)
        if old is None:
            self.nodes[nid] = Node(nid, kind, wrap(lines), status, cluster)
        elif _SEVERITY.get(status, 0) > _SEVERITY.get(old.status, 0):
            self.nodes[nid] = replace(old, status=status)
        return nid

    def edge(self, source: str, target: str, label: str = "", style: str = "flow") -> None:
        e = Edge(source, target, label, style)
        if e not in self.edges:
            self.edges.append(e)

    def cluster(self, cid: str, label: str, parent: str | None = None, box: bool = False) -> str:
        self.clusters.setdefault(cid, Cluster(cid, label, parent, box))
        return cid

    def aws_ids(self) -> list[str]:
        """The AWS id of each node, without the suffix of a second role (`#ingress`, `@subnet-…`)."""
        return list(dict.fromkeys(aws_id(nid) for nid in self.nodes))

    def mark(self, marks: dict[str, str]) -> None:
        """Mark the nodes whose AWS object changed ({AWS id: "changed" | "added"})."""
        for nid, n in self.nodes.items():
            if aws_id(nid) in marks:
                self.nodes[nid] = replace(n, mark=marks[aws_id(nid)])


def aws_id(nid: str) -> str:
    """A node id's AWS id: what comes before a role's `#` or a lane's `@` suffix."""
    return re.split(r"[#@]", nid, maxsplit=1)[0]


def wrap(lines: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Label lines wrapped at WRAP characters, empty ones dropped."""
    out: list[str] = []
    for line in lines:
        if line:
            out += textwrap.wrap(line, WRAP, break_on_hyphens=False, break_long_words=True) or [line]
    return tuple(out)


# --- ids ---

_RESERVED = {"end", "graph", "subgraph", "flowchart", "class", "classdef", "click", "style",
             "linkstyle", "direction", "default"}


def safe_ids(ids: list[str]) -> dict[str, str]:
    """Map each id to a mermaid-safe one ([A-Za-z0-9_]), distinct and stable for the same input."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for raw in ids:
        base = re.sub(r"[^A-Za-z0-9_]", "_", raw) or "n"
        if base[0].isdigit() or base.lower() in _RESERVED:
            base = f"n_{base}"
        safe, i = base, 2
        while safe in used:
            safe, i = f"{base}_{i}", i + 1
        used.add(safe)
        out[raw] = safe
    return out


# --- mermaid ---

_MERMAID_SHAPES = {"function": ('(["', '"])'), "target": ('{{"', '"}}'), "db-instance": ('[("', '")]'),
                   "db-cluster": ('[("', '")]')}
_CLASSES = {
    "function": "fill:#e8f0fe,stroke:#1a56db,color:#0b2a6b",
    "target": "fill:#f3f4f6,stroke:#374151,color:#111827",
    "reached": "fill:#e6f4ea,stroke:#137333,color:#0b3d1f",
    "partial": "fill:#fef7e0,stroke:#b06000,color:#4a2800",
    "missed": "fill:#f3f4f6,stroke:#6b7280,color:#374151,stroke-dasharray:4 3",
    "blocked": "fill:#fde8e8,stroke:#c81e1e,color:#771d1d,stroke-width:2px,stroke-dasharray:5 3",
    "unknown": "fill:#fbe9f7,stroke:#9c27b0,color:#4a148c,stroke-dasharray:5 3",
}
_LINKS = {"blocked": "stroke:#c81e1e,stroke-width:2px,stroke-dasharray:5 3,color:#c81e1e",
          "unknown": "stroke:#9c27b0,stroke-width:2px,stroke-dasharray:5 3",
          "missed": "stroke:#9ca3af,stroke-dasharray:4 3",
          "reply": "stroke:#6b7280,stroke-dasharray:2 3"}


def _mm(text: str) -> str:
    return (text.replace("&", "#38;").replace('"', "#34;").replace("<", "#60;").replace(">", "#62;")
            .replace("|", "#124;"))


def to_mermaid(d: Diagram) -> str:
    """The diagram as a mermaid flowchart (GitHub and GitLab render it in Markdown)."""
    ids = safe_ids([*d.nodes, *(f"cluster:{c}" for c in d.clusters)])
    lines = [f"flowchart {d.direction}", f"  %% {d.title}"]

    def node_line(n: Node, indent: str) -> str:
        left, right = _MERMAID_SHAPES.get(n.kind, ('["', '"]'))
        return f"{indent}{ids[n.id]}{left}{'<br/>'.join(_mm(x) for x in n.lines)}{right}"

    def emit(parent: str | None, indent: str) -> None:
        for c in (c for c in d.clusters.values() if c.parent == parent):
            lines.append(f'{indent}subgraph {ids["cluster:" + c.id]} ["{_mm(c.label)}"]')
            emit(c.id, indent + "  ")
            lines.append(f"{indent}end")
        lines.extend(node_line(n, indent) for n in d.nodes.values() if n.cluster == parent)

    emit(None, "  ")
    styled: dict[str, list[int]] = {}
    for i, e in enumerate(d.edges):
        label = f'|"{_mm(e.label)}"|' if e.label else ""
        arrow = {"flow": "-->", "member": "---", "assoc": "---"}.get(e.style, "-.->")
        lines.append(f"  {ids[e.source]} {arrow}{label} {ids[e.target]}")
        if e.style in _LINKS:
            styled.setdefault(e.style, []).append(i)
    for name, style in _CLASSES.items():
        members = [ids[n.id] for n in d.nodes.values() if n.status == name]
        if members:
            lines.append(f"  classDef {name} {style}")
            lines.append(f"  class {','.join(members)} {name}")
    for name, idx in styled.items():
        lines.append(f"  linkStyle {','.join(map(str, idx))} {_LINKS[name]}")
    return "\n".join(lines) + "\n"


# --- dot ---

_DOT_NODES = {
    "function": 'shape=box, style="rounded,filled", fillcolor="#e8f0fe", color="#1a56db"',
    "target": 'shape=hexagon, style=filled, fillcolor="#f3f4f6", color="#374151"',
    "reached": 'style="rounded,filled", fillcolor="#e6f4ea", color="#137333"',
    "partial": 'style="rounded,filled", fillcolor="#fef7e0", color="#b06000"',
    "missed": 'style="rounded,filled,dashed", fillcolor="#f3f4f6", color="#6b7280"',
    "blocked": 'style="rounded,filled,dashed", fillcolor="#fde8e8", color="#c81e1e", penwidth=2',
    "unknown": 'style="rounded,filled,dashed", fillcolor="#fbe9f7", color="#9c27b0", penwidth=2',
}
_DOT_EDGES = {"blocked": 'color="#c81e1e", fontcolor="#c81e1e", style=dashed, penwidth=2',
              "unknown": 'color="#9c27b0", fontcolor="#9c27b0", style=dashed, penwidth=2',
              "missed": 'color="#9ca3af", style=dashed',
              "reply": 'color="#6b7280", style=dotted',
              "member": 'dir=none, style=dotted, color="#9ca3af"',
              "assoc": 'dir=none, color="#9ca3af"'}


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(d: Diagram) -> str:
    """The diagram as Graphviz dot; node ids are the AWS ids, quoted."""
    lines = ["digraph reach {",
             f'  graph [rankdir={d.direction}, label={_q(d.title)}, labelloc=t, fontname="Helvetica", '
             'fontsize=12, nodesep=0.25, ranksep=0.45];',
             '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#4b5563", '
             'fontname="Helvetica", fontsize=10];',
             '  edge [color="#4b5563", fontname="Helvetica", fontsize=9];']

    def node_line(n: Node, indent: str) -> str:
        extra = _DOT_NODES.get(n.status)
        if n.kind in ("db-instance", "db-cluster"):
            extra = "shape=cylinder" + (f", {extra}" if extra else "")
        attrs = f"label={_q(chr(10).join(n.lines))}" + (f", {extra}" if extra else "")
        return f"{indent}{_q(n.id)} [{attrs}];"

    def emit(parent: str | None, indent: str) -> None:
        for c in (c for c in d.clusters.values() if c.parent == parent):
            lines.append(f"{indent}subgraph {_q('cluster_' + c.id)} {{")
            lines.append(f'{indent}  label={_q(c.label)}; style="rounded"; color="#9ca3af";')
            emit(c.id, indent + "  ")
            lines.append(f"{indent}}}")
        lines.extend(node_line(n, indent) for n in d.nodes.values() if n.cluster == parent)

    emit(None, "  ")
    for e in d.edges:
        attrs = [f"label={_q(e.label)}"] if e.label else []
        if e.style in _DOT_EDGES:
            attrs.append(_DOT_EDGES[e.style])
        tail = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"  {_q(e.source)} -> {_q(e.target)}{tail};")
    lines.append("}")
    return "\n".join(lines) + "\n"
