"""Keep values Terraform marks sensitive (after_sensitive, before_sensitive) out of every output."""
from __future__ import annotations

from typing import Any

from .document import Document

REDACTED = "(sensitive)"


def sensitive_values(doc: Document) -> set[str]:
    """Every string value marked sensitive anywhere in the plan or state."""
    found: set[str] = set()
    for inst in doc.instances:
        for values in (inst.after, inst.before):
            _collect(values, inst.sensitive, found)
    return {v for v in found if v}


def _collect(value: Any, mark: Any, found: set[str]) -> None:
    if mark is True:
        _strings(value, found)
    elif isinstance(mark, dict) and isinstance(value, dict):
        for k, m in mark.items():
            _collect(value.get(k), m, found)
    elif isinstance(mark, list) and isinstance(value, list):
        for v, m in zip(value, mark):
            _collect(v, m, found)


def _strings(value: Any, found: set[str]) -> None:
    if isinstance(value, str):
        found.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _strings(v, found)
    elif isinstance(value, list):
        for v in value:
            _strings(v, found)


def check_no_secrets(doc: Document, data: dict) -> None:
    """Replace, in place, any sensitive value that reached the AWS shapes (a tag, a name)."""
    secrets = sensitive_values(doc)
    if secrets:
        _scrub(data, secrets)


def _scrub(node: Any, secrets: set[str]) -> Any:
    if isinstance(node, dict):
        for k, v in node.items():
            node[k] = REDACTED if isinstance(v, str) and v in secrets else _scrub(v, secrets)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            node[i] = REDACTED if isinstance(v, str) and v in secrets else _scrub(v, secrets)
    return node
