"""The package layout is one way down (docs/design.md): no upward import, no cycle, anywhere in reach/."""
from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent / "reach"

# Top first. A module may import from its own package and from any layer below its own; packages
# that share a layer are independent of each other. `reach` (the public API) and `reach.__main__`
# sit above them all. A new top-level module or package must be given a place here.
LAYERS: list[tuple[str, ...]] = [
    ("reach.cli",),
    ("reach.render",),
    ("reach.questions",),
    ("reach.engine",),
    ("reach.permissions",),
    ("reach.estate",),
    ("reach.answer",),
    ("reach.catalogue",),
    ("reach.collect",),
    ("reach.model",),
    ("reach.packets", "reach.errors", "reach.version", "reach.gcpause"),
]
TOP = ("reach", "reach.__main__")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(root: Path = ROOT) -> nx.DiGraph:
    """Every import between reach's modules, at any depth (inside functions and TYPE_CHECKING too)."""
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    graph = nx.DiGraph()
    graph.add_nodes_from(files)
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    module = ".".join(base + ([node.module] if node.module else []))
                else:
                    module = node.module or ""
                # `from . import x` names a submodule when there is one.
                targets = [f"{module}.{a.name}" if f"{module}.{a.name}" in files else module
                           for a in node.names]
            else:
                continue
            for target in targets:
                while target and target not in files and "." in target:
                    target = target.rpartition(".")[0]
                if target in files and target != name:
                    graph.add_edge(name, target, line=node.lineno)
    return graph


def layer_of(module: str) -> tuple[int, str] | None:
    """(rank from the bottom, the layer package holding it), or None for the top."""
    if module in TOP:
        return len(LAYERS), module
    for rank, members in enumerate(reversed(LAYERS)):
        for member in members:
            if module == member or module.startswith(member + "."):
                return rank, member
    return None


def violations(graph: nx.DiGraph) -> list[str]:
    """Upward imports, imports between independent siblings, and modules with no layer."""
    problems = []
    for module in graph:
        if layer_of(module) is None:
            problems.append(f"{module} is in no layer: give it one in tests/test_layers.py")
    for a, b, data in graph.edges(data=True):
        la, lb = layer_of(a), layer_of(b)
        if la is None or lb is None or la[1] == lb[1]:
            continue
        if lb[0] >= la[0]:
            problems.append(f"{a} (line {data['line']}) imports {b}: "
                            + ("an independent sibling" if lb[0] == la[0] else "an upper layer"))
    return problems


def test_imports_only_go_down():
    assert violations(import_graph()) == []


def test_no_import_cycle():
    graph = import_graph()
    cycle = next(iter(nx.simple_cycles(graph)), None)
    assert cycle is None, " → ".join(cycle + cycle[:1])


def test_the_check_sees_an_upward_import_and_a_cycle(tmp_path):
    """The rule itself: a planted upward import and a planted cycle are both found."""
    pkg = tmp_path / "reach"
    for rel, text in {
        "__init__.py": "",
        "engine/__init__.py": "",
        "engine/walk.py": "from ..render import show\nfrom . import gates\n",
        "engine/gates.py": "def f():\n    from .walk import x\n",
        "render/__init__.py": "",
        "render/show.py": "from ..engine.walk import x\n",
    }.items():
        (pkg / rel).parent.mkdir(parents=True, exist_ok=True)
        (pkg / rel).write_text(text)
    graph = import_graph(pkg)
    assert violations(graph) == ["reach.engine.walk (line 1) imports reach.render.show: an upper layer"]
    assert {"reach.engine.walk", "reach.engine.gates"} in [set(c) for c in nx.simple_cycles(graph)]
