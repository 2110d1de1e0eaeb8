"""What changed inside one AWS object between two snapshots: routes, NACL entries, group rules, fields."""
from __future__ import annotations

import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..engine.rules import describe_entry
from ..model import NetworkAcl, RouteTable, SecurityGroup, Snapshot
from ..model.iam import RoleDetail
from ..estate.objects import find


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class Item(StrEnum):
    """What part of the object changed."""

    OBJECT = "object"  # the whole object exists on one side only
    ROUTE = "route"  # keyed by destination
    NACL_ENTRY = "nacl-entry"  # keyed by direction and rule number
    SG_RULE = "sg-rule"  # one protocol, port range and peer of a group's rules
    ASSOCIATION = "association"  # a subnet (or `main`) associated with a route table or NACL
    POLICY = "policy"  # a role's inline policy by name, or a managed policy it attaches by ARN
    FIELD = "field"  # any other field, by its name in the model


@dataclass(frozen=True)
class ObjectChange:
    """One difference inside an object: `before` and `after` are None on the side that lacks it."""

    change: Change
    item: Item
    key: str
    before: str | None = None
    after: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"change": self.change.value, "item": self.item.value, "key": self.key,
                "before": self.before, "after": self.after}


# Fields compared item by item above, or not worth a line (tags carry names, not behaviour).
_ITEMISED = {"routes", "entries", "ip_permissions", "ip_permissions_egress", "associations", "tags",
             "tag_list", "tag_set", "role_policy_list", "attached_managed_policies"}


def object_changes(old: Snapshot, new: Snapshot, rid: str) -> list[ObjectChange]:
    """Every difference in the object `rid` between the two snapshots, in a stable order."""
    a, b = _one(old, rid), _one(new, rid)
    if a is None and b is None:
        return []
    if a is None or b is None:
        return [ObjectChange(Change.ADDED if a is None else Change.REMOVED, Item.OBJECT, rid)]
    if type(a) is not type(b):
        return [ObjectChange(Change.CHANGED, Item.OBJECT, rid)]
    items: dict[tuple[Item, str], str] = {}
    after: dict[tuple[Item, str], str] = {}
    for source, target in ((a, items), (b, after)):
        target.update(_items(source))
    out = [_compare(k, items.get(k), after.get(k)) for k in dict.fromkeys([*items, *after])
           if items.get(k) != after.get(k)]
    for name, info in type(a).model_fields.items():
        if name in _ITEMISED or getattr(a, name) == getattr(b, name):
            continue
        va, vb = (next(iter(x.model_dump(mode="json", include={name}).values()), None) for x in (a, b))
        out.append(ObjectChange(Change.CHANGED, Item.FIELD, info.alias or name, _short(va), _short(vb)))
    return out


def _one(snapshot: Snapshot, rid: str) -> Any:
    hits = find(snapshot, rid)
    return hits[0][1] if hits else None


def _compare(key: tuple[Item, str], before: str | None, after: str | None) -> ObjectChange:
    change = Change.ADDED if before is None else Change.REMOVED if after is None else Change.CHANGED
    return ObjectChange(change, key[0], key[1], before, after)


def _items(obj: Any) -> dict[tuple[Item, str], str]:
    """The object's comparable parts, each under a key that survives reordering."""
    out: dict[tuple[Item, str], str] = {}
    if isinstance(obj, RouteTable):
        for r in obj.routes:
            state = " (blackhole)" if r.state == "blackhole" else ""
            out[(Item.ROUTE, r.destination() or "?")] = f"{r.target() or '?'}{state}"
        for assoc in obj.associations:
            out[(Item.ASSOCIATION, "main" if assoc.main else assoc.subnet_id or "?")] = "associated"
    elif isinstance(obj, NetworkAcl):
        for e in obj.entries:
            if e.rule_number < 32767:  # the default `*` rules cannot change
                out[(Item.NACL_ENTRY, f"{'outbound' if e.egress else 'inbound'} rule {e.rule_number}")] = \
                    describe_entry(e).split(": ", 1)[1]
        for assoc in obj.associations:
            out[(Item.ASSOCIATION, assoc.subnet_id or "?")] = "associated"
    elif isinstance(obj, RoleDetail):
        for inline in obj.role_policy_list:
            doc = inline.policy_document
            out[(Item.POLICY, inline.policy_name)] = _digest(doc.model_dump(mode="json") if doc else None)
        for attached in obj.attached_managed_policies:
            out[(Item.POLICY, attached.policy_arn)] = "attached"
    elif isinstance(obj, SecurityGroup):
        for direction, perms in (("ingress", obj.ip_permissions), ("egress", obj.ip_permissions_egress)):
            for p in perms:
                proto = "all" if p.ip_protocol == "-1" else p.ip_protocol
                ports = "" if p.ip_protocol == "-1" or p.from_port is None else (
                    f" {p.from_port}" if p.from_port == p.to_port else f" {p.from_port}-{p.to_port}")
                peers = [*(r.cidr_ip for r in p.ip_ranges), *(r.cidr_ipv6 for r in p.ipv6_ranges),
                         *(r.prefix_list_id for r in p.prefix_list_ids),
                         *(g.group_id or "?" for g in p.user_id_group_pairs)]
                prep = "to" if direction == "egress" else "from"
                for peer in peers:
                    rule = f"{direction} rule {proto}{ports} {prep} {peer}"
                    out[(Item.SG_RULE, rule)] = rule
    return out


def _digest(document: Any) -> str:
    """An inline policy stands for its document: a change shows as a change, not as the document."""
    import hashlib
    text = json.dumps(document, sort_keys=True, separators=(",", ":"))
    return "inline, document " + hashlib.sha256(text.encode()).hexdigest()[:8]


def _short(value: Any, limit: int = 80) -> str | None:
    """A field's value in one short line; a list or mapping is not spelled out (None)."""
    if value is None or isinstance(value, (list, dict)):
        return None
    text = value if isinstance(value, str) else json.dumps(value, separators=(",", ":"), sort_keys=True)
    return text if len(text) <= limit else text[:limit - 1] + "…"
