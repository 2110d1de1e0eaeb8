"""IAM policy documents in a plan: JSON text, `aws_iam_policy_document` data sources, never a guess."""
from __future__ import annotations

import json
from typing import Any

from ..iam import decode_document, parse_policy
from .document import Instance
from .network import known
from .world import UNKNOWN, World


def _marked(node: Any, path: tuple) -> bool:
    """Whether a mark tree (after_unknown, after_sensitive) marks anything at or under `path`."""
    for part in path:
        if node is True:
            return True
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    return _any_true(node)


def _any_true(node: Any) -> bool:
    if isinstance(node, dict):
        return any(_any_true(v) for v in node.values())
    if isinstance(node, list):
        return any(_any_true(v) for v in node)
    return node is True


def document(w: World, inst: Instance, *path: Any) -> dict | None:
    """The policy document at `path`: JSON text (`jsonencode` output, a heredoc), else the
    `aws_iam_policy_document` data source or `aws_iam_policy` it comes from; None when it stays
    unknown, is marked sensitive, or is not a valid policy (AWS would refuse it)."""
    if _marked(inst.sensitive, path):
        return None
    value = w.get(inst, *path)
    if isinstance(value, str) and value.strip():
        return _valid(value)
    if value is not UNKNOWN:
        return None
    targets = w.wiring.resolve(inst, path, many=False)
    if not targets or len(targets) != 1 or targets[0].instance is None:
        return None  # `jsonencode({...})` of unknown values: its shape is not in the plan
    source, attr = targets[0].instance, targets[0].attr
    if source.type == "aws_iam_policy_document" and attr in ("json", "minified_json"):
        return policy_document_data(w, source)
    if source.type == "aws_iam_policy" and attr == "policy":
        return document(w, source, "policy")
    return None


def _valid(text: Any) -> dict | None:
    try:
        doc = decode_document(text)
        parse_policy(doc)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def policy_document_data(w: World, inst: Instance) -> dict | None:
    """What `data.aws_iam_policy_document` renders: its `json` when known, else built from its
    `statement` blocks, source documents first and override documents last, a later statement
    replacing an earlier one with the same `sid` (AWS provider docs, aws_iam_policy_document)."""
    if _marked(inst.sensitive, ()):
        return None
    for attr in ("json", "minified_json"):
        text = w.get(inst, attr)
        if isinstance(text, str) and text.strip():
            return _valid(text)
    sources = _documents(w, inst, "source_policy_documents", "source_json")
    overrides = _documents(w, inst, "override_policy_documents", "override_json")
    blocks = w.get(inst, "statement")
    if sources is None or overrides is None or not isinstance(blocks, list):
        return None
    own = [_statement(w, inst, i) for i in range(len(blocks))]
    if any(s is None for s in own):
        return None
    statements: list[dict] = []
    for stmt in [*(s for d in sources for s in d), *own, *(s for d in overrides for s in d)]:
        at = next((i for i, s in enumerate(statements) if stmt.get("Sid") and s.get("Sid") == stmt["Sid"]), None)
        if at is None:
            statements.append(stmt)
        else:
            statements[at] = stmt
    doc: dict[str, Any] = {"Version": known(w.get(inst, "version")) or "2012-10-17", "Statement": statements}
    if known(w.get(inst, "policy_id")):
        doc["Id"] = w.get(inst, "policy_id")
    return _valid(json.dumps(doc))


def _documents(w: World, inst: Instance, *attrs: str) -> list[list[dict]] | None:
    """The statements of each source or override document; None when one is unknown."""
    out: list[list[dict]] = []
    for attr in attrs:
        value = w.get(inst, attr)
        texts = value if isinstance(value, list) else [value] if value not in (None, "") else []
        if value is UNKNOWN or any(not isinstance(t, str) for t in texts):
            return None
        for text in texts:
            doc = _valid(text)
            if doc is None:
                return None
            stmts = doc.get("Statement", [])
            out.append(stmts if isinstance(stmts, list) else [stmts])
    return out


def _statement(w: World, inst: Instance, i: int) -> dict | None:
    """One `statement` block as a policy statement; None when any of it is unknown."""
    block = w.get(inst, "statement", i)
    if not isinstance(block, dict) or (w.side == "after" and _marked(inst.unknown, ("statement", i))):
        return None
    stmt: dict[str, Any] = {}
    if block.get("sid"):
        stmt["Sid"] = block["sid"]
    stmt["Effect"] = block.get("effect") or "Allow"
    for attr, name in (("actions", "Action"), ("not_actions", "NotAction"), ("resources", "Resource"),
                       ("not_resources", "NotResource")):
        if block.get(attr):
            stmt[name] = list(block[attr])
    for attr, name in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(attr):
            stmt[name] = _principals(block[attr])
    conditions: dict[str, dict[str, list]] = {}
    for c in block.get("condition") or []:
        if not (isinstance(c, dict) and c.get("test") and c.get("variable")):
            return None  # a condition that cannot be read: leaving it out would widen the statement
        conditions.setdefault(c["test"], {}).setdefault(c["variable"], []).extend(c.get("values") or [])
    if conditions:
        stmt["Condition"] = conditions
    return stmt


def _principals(blocks: list[dict]) -> Any:
    """`principals {type = "*", identifiers = ["*"]}` is `"*"`; other types map to their lists."""
    out: dict[str, list[str]] = {}
    for b in blocks:
        if b.get("type") == "*" and "*" in (b.get("identifiers") or []):
            return "*"
        out.setdefault(b.get("type") or "AWS", []).extend(b.get("identifiers") or [])
    return out
