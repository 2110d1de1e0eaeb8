"""Follow configuration references (through module inputs and outputs) from an argument to its source."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .document import ConfigModule, Document, Instance

# One step of a reference: a name, or an index in brackets ([0], ["key"], [*]).
_STEP = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_-]*|\*)|\[("(?:[^"\\]|\\.)*"|\d+|\*)\]')
_MODULE = re.compile(r'module\.([A-Za-z0-9_-]+)(?:\[("(?:[^"\\]|\\.)*"|\d+)\])?')
_FLAGS = {"count.index", "each.key", "each.value", "count", "each"}


@dataclass(frozen=True)
class Target:
    """Where a reference leads: an instance's attribute (`attr` None for the object's id) or a constant."""

    instance: Instance | None = None
    attr: str | None = None
    constant: Any = None


def parse_reference(ref: str) -> list[Any]:
    """`aws_subnet.public[0].id` -> ['aws_subnet', 'public', 0, 'id']."""
    steps: list[Any] = []
    pos = 0
    while pos < len(ref):
        m = _STEP.match(ref, pos)
        if not m:
            return []
        if m.group(1) is not None:
            steps.append(m.group(1))
        else:
            key = m.group(2)
            steps.append(int(key) if key.isdigit() else json.loads(key) if key != "*" else "*")
        pos = m.end()
    return steps


def _module_steps(module: str) -> list[tuple[str, Any]]:
    return [(m.group(1), (int(m.group(2)) if m.group(2).isdigit() else json.loads(m.group(2)))
             if m.group(2) else None) for m in _MODULE.finditer(module)]


def _module_address(steps: list[tuple[str, Any]]) -> str:
    return ".".join(f"module.{c}" + (f"[{json.dumps(k)}]" if k is not None else "") for c, k in steps)


class Wiring:
    """Resolve `configuration ... expressions.*.references` to instances, module by module."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.instances: dict[tuple[str, str], list[Instance]] = {}
        for inst in doc.instances:
            self.instances.setdefault((inst.module, inst.config_address), []).append(inst)
        self.modules = {inst.module for inst in doc.instances}

    # --- configuration lookup ---

    def config_module(self, module: str) -> ConfigModule | None:
        cm: ConfigModule | None = self.doc.config
        for call, _ in _module_steps(module):
            cm = cm.modules.get(call) if cm else None
        return cm

    def expression(self, inst: Instance, path: tuple) -> dict | None:
        """The configuration expression of one argument (path through nested blocks)."""
        cm = self.config_module(inst.module)
        node: Any = (cm.resources.get(inst.config_address) or {}).get("expressions") if cm else None
        for part in path:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int):
                node = node[part] if part < len(node) else None
            else:
                return None
        return node if isinstance(node, dict) and ("references" in node or "constant_value" in node) else None

    def has_argument(self, inst: Instance, name: str) -> bool:
        cm = self.config_module(inst.module)
        exprs = (cm.resources.get(inst.config_address) or {}).get("expressions") if cm else None
        return bool(exprs) and name in exprs

    # --- resolution ---

    def resolve(self, inst: Instance, path: tuple, *, many: bool) -> list[Target] | None:
        """The targets of an argument; None when they cannot be told from the plan."""
        expr = self.expression(inst, path)
        if expr is None:
            return None
        return self._expression(expr, inst.module, inst.index, many=many, depth=0)

    def _expression(self, expr: dict, module: str, index: Any, *, many: bool,
                    depth: int) -> list[Target] | None:
        if "constant_value" in expr:
            value = expr["constant_value"]
            return [Target(constant=v) for v in value] if many and isinstance(value, list) else [
                Target(constant=value)]
        if depth > 20:
            return None
        refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
        flags = {r for r in refs if r in _FLAGS or r.startswith(("count.", "each."))}
        groups: dict[str, list[Any]] = {}
        for ref in refs:
            if ref in flags or ref.startswith(("path.", "terraform.", "self.")):
                continue
            steps = parse_reference(ref)
            if not steps:
                return None
            key = ".".join(str(s) for s in steps[:3 if steps[0] in ("data", "module") else 2])
            if len(steps) > len(groups.get(key, [])):
                groups[key] = steps
        values: list[list[Target]] = []
        for steps in groups.values():
            targets = self._steps(steps, module, index, flags, many=many, depth=depth)
            if targets is None:
                return None  # one input we cannot follow may decide the value
            if any(t.instance is not None or not isinstance(t.constant, (bool, int, float, type(None)))
                   for t in targets):
                values.append(targets)  # switches (booleans, counts) only pick between sources
        # Two sources may be a conditional's two branches: which one applies is not in the plan.
        return values[0] if len(values) == 1 else None

    def _steps(self, steps: list[Any], module: str, index: Any, flags: set[str], *, many: bool,
               depth: int) -> list[Target] | None:
        head = steps[0]
        if head == "var" and len(steps) >= 2:
            return self._variable(steps[1], module, many=many, depth=depth)
        if head == "local":
            return None  # locals are not in the JSON output
        if head == "module" and len(steps) >= 3:
            return self._output(steps, module, many=many, depth=depth)
        mode_data = head == "data"
        rest = steps[1:] if mode_data else steps
        if len(rest) < 2 or not isinstance(rest[0], str) or not isinstance(rest[1], str):
            return None
        address = f"{'data.' if mode_data else ''}{rest[0]}.{rest[1]}"
        candidates = self.instances.get((module, address), [])
        tail = rest[2:]
        if tail and not isinstance(tail[0], str) or (tail and tail[0] == "*"):
            key, tail = tail[0], tail[1:]
            if key != "*":
                candidates = [c for c in candidates if c.index == key]
            else:
                many = True
        elif len(candidates) > 1:
            if "count.index" in flags and isinstance(index, int):
                same = [c for c in candidates if c.index == index]
                candidates = same if same else candidates
            elif "each.key" in flags and index is not None:
                same = [c for c in candidates if c.index == index]
                candidates = same if same else candidates
            if len(candidates) > 1 and not many:
                return None
        attr = next((t for t in tail if isinstance(t, str) and t != "*"), None)
        ordered = sorted(candidates, key=lambda c: (str(type(c.index)), c.index if c.index is not None else 0))
        return [Target(instance=c, attr=None if attr == "id" else attr) for c in ordered]

    def _variable(self, name: str, module: str, *, many: bool, depth: int) -> list[Target] | None:
        steps = _module_steps(module)
        if not steps:
            if name in self.doc.variables:
                value = self.doc.variables[name]
                return [Target(constant=v) for v in value] if many and isinstance(value, list) else [
                    Target(constant=value)]
            return None
        parent = _module_address(steps[:-1])
        call, key = steps[-1]
        cm = self.config_module(parent)
        body = cm.calls.get(call) if cm else None
        expr = ((body or {}).get("expressions") or {}).get(name)
        if not isinstance(expr, dict):
            variable = (((body or {}).get("module") or {}).get("variables") or {}).get(name) or {}
            if "default" in variable:
                return [Target(constant=variable["default"])]
            return None
        return self._expression(expr, parent, key, many=many, depth=depth + 1)

    def _output(self, steps: list[Any], module: str, *, many: bool, depth: int) -> list[Target] | None:
        call = steps[1]
        rest = steps[2:]
        key = None
        if rest and not isinstance(rest[0], str):
            key, rest = rest[0], rest[1:]
        if not rest or not isinstance(rest[0], str):
            return None
        output = rest[0]
        prefix = (module + "." if module else "") + f"module.{call}"
        instances = sorted(m for m in self.modules if m == prefix or (
            m.startswith(prefix + "[") and m.count(".module.") == prefix.count(".module.")
            and "." not in m[len(prefix):].split("]", 1)[1]))
        if key is not None:
            instances = [m for m in instances if m == f"{prefix}[{json.dumps(key)}]"]
        cm = self.config_module(prefix)
        expr = ((cm.outputs.get(output) or {}).get("expression") if cm else None)
        if not isinstance(expr, dict):
            return None
        if not instances:
            instances = [prefix]
        out: list[Target] = []
        for child in instances:
            got = self._expression(expr, child, None, many=many, depth=depth + 1)
            if got is None:
                return None
            out += got
        return out if many or len(out) <= 1 else None
