"""Apply a plan onto a base snapshot (or let it stand alone) and record what changed, by address."""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any, get_args

from ..load import dump_snapshot, parse_snapshot
from ..snapshot import RESOURCE_KEYS, RegionSnapshot, Snapshot
from . import iam
from .build import add_local_routes, build_world, unread_types
from .document import Document
from .sensitive import check_no_secrets
from .wiring import Wiring
from .world import World


def _id_fields() -> dict[str, str]:
    """Each snapshot key's id field as AWS spells it (`VpcId`, `DBInstanceIdentifier`, ...)."""
    out = {}
    for key, (attr, id_field) in RESOURCE_KEYS.items():
        model = get_args(RegionSnapshot.model_fields[attr].annotation)[0]
        field_info = model.model_fields.get(id_field)
        out[key] = field_info.alias if field_info and field_info.alias else "FunctionName"
    return {**out, **iam.ID_FIELDS}


_ID_FIELD = _id_fields()
# The keys a plan's objects go into: the network and compute ones, and IAM roles and policies.
# Function policies are only ever patched or made from the plan's aws_lambda_permission statements.
_KEYS = [*RESOURCE_KEYS, iam.ROLES, iam.POLICIES]


@dataclass(frozen=True)
class Change:
    """One AWS object the plan creates, updates or deletes, with the addresses that change it."""

    key: str
    id: str
    action: str                     # create | update | delete
    addresses: tuple[str, ...]


@dataclass
class PlanInfo:
    """What a snapshot built from Terraform carries beside the AWS shapes."""

    source: str
    kind: str                                           # plan | state
    format_version: str
    addresses: dict[str, str] = field(default_factory=dict)   # id -> Terraform address
    unknown: dict[str, str] = field(default_factory=dict)     # id or placeholder -> address.attr
    changes: list[Change] = field(default_factory=list)
    unread: dict[str, int] = field(default_factory=dict)      # resource type -> instances
    inferred: list[tuple[str, str, str]] = field(default_factory=list)

    def address_of(self, rid: str) -> str | None:
        """The Terraform address behind an id (synthetic or changed by the plan)."""
        return self.addresses.get(rid)

    def changed_by(self, rid: str) -> tuple[str, ...]:
        """The addresses of the changes that touch one AWS object (its own resource first)."""
        return next((c.addresses for c in self.changes if c.id == rid), ())

    def notes(self) -> list[dict[str, str]]:
        """Plain-data notes for every output: unread types (once each), unknown values, inferences."""
        out = [{"code": "TERRAFORM_TYPE_NOT_READ", "type": t, "instances": str(n)}
               for t, n in sorted(self.unread.items())]
        out += [{"code": "TERRAFORM_VALUE_UNKNOWN", "id": k, "attribute": v}
                for k, v in sorted(self.unknown.items())]
        out += [{"code": "TERRAFORM_VALUE_INFERRED", "id": rid, "attribute": attr, "value": value}
                for rid, attr, value in self.inferred]
        return out


def prior_snapshot(doc: Document) -> Snapshot:
    """The snapshot before apply, from the plan alone: prior_state, as `before` values."""
    world = build_world(doc, Wiring(doc), "before", iam.plan_account(doc.instances))
    data = _alone(doc, world)
    add_local_routes(data)
    check_no_secrets(doc, data)
    snapshot = parse_snapshot(data, name=f"{doc.name} (prior state)")
    snapshot.hide(world.opaque)
    snapshot.terraform = PlanInfo(doc.name, "state", doc.format_version, addresses=dict(world.addresses),
                                  unknown=dict(world.opaque), unread=unread_types(doc))
    return snapshot


def plan_snapshot(doc: Document, base: Snapshot | None = None) -> Snapshot:
    """The snapshot after apply: the plan alone (data sources from prior_state) or on `base`."""
    wiring = Wiring(doc)
    account = _base_account(base, doc.region) or iam.plan_account(doc.instances)
    after = build_world(doc, wiring, "after", account)
    before = build_world(doc, wiring, "before", account)
    info = PlanInfo(doc.name, doc.kind, doc.format_version, unread=unread_types(doc))
    changes = _changes(before, after, keep_data=base is None)
    if base is None:
        data = _alone(doc, after)
    else:
        data = _onto(dump_snapshot(base), doc.region, before, after, changes)
    for lists in _all_lists(data):
        add_local_routes(lists)
    check_no_secrets(doc, data)
    snapshot = parse_snapshot(data, name=doc.name)
    if base is not None:
        snapshot.unknown_keys = list(base.unknown_keys)
        snapshot.sources = [*base.sources, doc.name]
    for world in (before, after):
        info.addresses.update(world.addresses)
    for change in changes:
        if change.addresses:
            info.addresses.setdefault(change.id, change.addresses[0])
    info.changes = _role_arns([c for c in changes if c.action != "no-op"], snapshot, doc.region)
    info.unknown = {**after.unknowns, **after.opaque}
    info.inferred = after.inferred
    snapshot.hide(after.opaque)
    snapshot.terraform = info
    return snapshot


def _alone(doc: Document, w: World) -> dict:
    """One side of a plan as a snapshot of its own (no base): its objects, its function policies."""
    lists: dict[str, Any] = {key: list(w.objects.get(key, {}).values()) for key in _KEYS}
    lists[iam.FUNCTION_POLICIES] = [iam.function_policy(rid, items) for (key, rid), items
                                    in sorted(w.pending.items(), key=str) if key == iam.FUNCTION_POLICIES]
    return {"SnapshotVersion": 1, "AccountId": _account(w) or w.account or "unknown",
            "Region": doc.region or "unknown", **lists}


def _base_account(base: Snapshot | None, region: str | None) -> str | None:
    """The account of the base's lists the plan applies to (see `_region_lists`)."""
    if base is None or not base.regions:
        return None
    rs = next((r for r in base.regions if r.region == region), base.regions[0])
    return rs.account_id if rs.account_id != "unknown" else None


def _role_arns(changes: list[Change], snapshot: Snapshot, region: str | None) -> list[Change]:
    """A role's change by its ARN (how answers name a role), not by the name the plan keys it by."""
    arns: dict[str, str] = {}
    for rs in sorted(snapshot.regions, key=lambda rs: rs.region != region):  # IAM may sit in any
        for r in rs.role_detail_list:
            arns.setdefault(r.role_name, r.arn)
    return [Change(c.key, arns.get(c.id, c.id), c.action, c.addresses) if c.key == iam.ROLES else c
            for c in changes]


def _changes(before: World, after: World, *, keep_data: bool) -> list[Change]:
    out: list[Change] = []
    for key in _KEYS:
        old, new = before.objects.get(key, {}), after.objects.get(key, {})
        for rid in sorted({*old, *new}, key=str):  # an id of a type AWS never uses sorts too
            if not keep_data and rid in after.data_ids | before.data_ids:
                continue
            action = ("create" if rid not in old else "delete" if rid not in new
                      else "update" if old[rid] != new[rid] else "no-op")
            out.append(Change(key, rid, action, _addresses(before, after, rid, action)))
    for key_id in sorted({*before.pending, *after.pending}, key=str):
        old, new = before.pending.get(key_id, []), after.pending.get(key_id, [])
        if old != new:
            out.append(Change(key_id[0], key_id[1], "update", _addresses(before, after, key_id[1], "update")))
    return out


def _addresses(before: World, after: World, rid: str, action: str) -> tuple[str, ...]:
    """The changed resources behind one object (its own address first)."""
    by_address = {i.address: i for i in after.doc.instances}
    names = sorted(after.origin.get(rid, set()) | before.origin.get(rid, set()),
                   key=lambda a: (a.count(".") + a.count("["), a))
    changed = [a for a in names if by_address.get(a) and by_address[a].action != "no-op"]
    return tuple(changed or names) if action != "no-op" else tuple(names[:1])


def _account(w: World) -> str | None:
    for vpc in w.objects.get("Vpcs", {}).values():
        if vpc.get("OwnerId"):
            return vpc["OwnerId"]
    return None


def _onto(data: dict, region: str | None, before: World, after: World, changes: list[Change]) -> dict:
    """Creates add, updates replace the object with the same id, deletes remove it."""
    here = _region_lists(data, region)
    account = _account_lists(data, here)
    for change in changes:
        lists = _iam_home(account, change.key, change.id) if change.key in iam.ID_FIELDS else here
        if change.action == "no-op" and change.id not in _ids(lists, change.key):
            if change.id in after.objects.get(change.key, {}):
                lists.setdefault(change.key, []).append(after.objects[change.key][change.id])
            continue
        items = lists.setdefault(change.key, [])
        at = next((i for i, o in enumerate(items) if _same(o, change.key, change.id)), None)
        if (change.key, change.id) in before.pending or (change.key, change.id) in after.pending:
            old = before.pending.get((change.key, change.id), [])
            new = after.pending.get((change.key, change.id), [])
            if at is not None:
                items[at] = (iam.patch(items[at], old, new) if change.key in (iam.ROLES, iam.FUNCTION_POLICIES)
                             else _patched(items[at], old, new))
            elif change.key == iam.FUNCTION_POLICIES and new:
                items.append(iam.function_policy(change.id, new))
            continue
        if change.action == "delete":
            # Deleting aws_lambda_function deletes its published versions with it.
            items[:] = [o for o in items if not (_same(o, change.key, change.id) or (
                change.key == "Functions" and o.get("FunctionName") == change.id))]
        elif change.action in ("create", "update"):
            obj = after.objects[change.key][change.id]
            if at is None:
                items.append(obj)
            else:
                items[at] = obj
    _one_association(here, after)
    for lists in account:
        iam.keep_exclusive(lists, after)
    return data


def _account_lists(data: dict, lists: dict) -> list[dict]:
    """The lists of every Region of the account `lists` belongs to, `lists` first."""
    for acc in data.get("Accounts", []):
        regions = list(acc["Regions"].values())
        if any(r is lists for r in regions):
            return [lists, *(r for r in regions if r is not lists)]
    return [lists]


def _iam_home(account: list[dict], key: str, rid: str) -> dict:
    """Where an account-wide IAM object lives: the Region's lists that hold it, else those that
    hold the account's others of its kind (the collector writes them once), else the plan's."""
    for lists in account:
        if any(_same(o, key, rid) for o in lists.get(key, [])):
            return lists
    return next((lists for lists in account if lists.get(key)), account[0])


def _region_lists(data: dict, region: str | None) -> dict[str, Any]:
    if "Accounts" not in data:
        return data
    regions = [(r, lists) for a in data["Accounts"] for r, lists in a["Regions"].items()]
    match = [lists for r, lists in regions if r == region] or [regions[0][1]]
    return match[0]


def _all_lists(data: dict) -> list[dict]:
    if "Accounts" not in data:
        return [data]
    return [lists for a in data["Accounts"] for lists in a["Regions"].values()]


def _same(obj: dict, key: str, rid: str) -> bool:
    """Whether a base item is the object `rid` (a function: its $LATEST, not a published version)."""
    if key == iam.FUNCTION_POLICIES:
        return iam.function_policy_id(obj) == rid
    if obj.get(_ID_FIELD[key]) != rid:
        return False
    return key != "Functions" or obj.get("Version", "$LATEST") == "$LATEST"


def _ids(lists: dict, key: str) -> set:
    idf = _ID_FIELD[key]
    return {o.get(idf) for o in lists.get(key, [])}


def _patched(obj: dict, old: list, new: list) -> dict:
    """A base object with the plan's sub-resources (rules, routes, associations) swapped."""
    out = copy.deepcopy(obj)
    for field_name, item in old:
        items = out.get(field_name, [])
        at = next((i for i, o in enumerate(items) if _matches(o, item)), None)
        if at is not None:
            del items[at]
    for field_name, item in new:
        out.setdefault(field_name, []).append(item)
    return out


def _matches(have: Any, want: Any) -> bool:
    if isinstance(want, dict) and isinstance(have, dict):
        return all(_matches(have.get(k), v) for k, v in want.items())
    if isinstance(want, list) and isinstance(have, list):
        return len(want) == len(have) and all(any(_matches(h, w) for h in have) for w in want)
    return have == want


def _one_association(lists: dict, after: World) -> None:
    """A subnet has one route table and one NACL: the plan's association replaces the base's."""
    for key, field_name in (("RouteTables", "RouteTableId"), ("NetworkAcls", "NetworkAclId")):
        claimed = {a.get("SubnetId"): o[field_name] for o in after.objects.get(key, {}).values()
                   for a in o.get("Associations", []) if a.get("SubnetId")}
        for (k, rid), extras in after.pending.items():
            if k == key:
                claimed.update({item.get("SubnetId"): rid for f, item in extras
                                if f == "Associations" and isinstance(item, dict) and item.get("SubnetId")})
        for obj in lists.get(key, []):
            obj["Associations"] = [a for a in obj.get("Associations", []) if not (
                a.get("SubnetId") in claimed and claimed[a.get("SubnetId")] != obj.get(field_name))]
