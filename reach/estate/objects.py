"""Look AWS objects up by id in a snapshot's index: their kind, Name tag and comparable dump."""
from __future__ import annotations

from typing import Any

from ..model import Snapshot
from ..model.base import name_tag

# Snapshot key -> the kind reach names the object by (the singular of the AWS API's noun).
KINDS = {
    "Vpcs": "vpc", "Subnets": "subnet", "RouteTables": "route-table",
    "InternetGateways": "internet-gateway", "EgressOnlyInternetGateways": "egress-only-internet-gateway",
    "NatGateways": "nat-gateway", "VpcEndpoints": "vpc-endpoint", "SecurityGroups": "security-group",
    "NetworkAcls": "network-acl", "ManagedPrefixLists": "prefix-list", "PrefixLists": "prefix-list",
    "NetworkInterfaces": "network-interface", "VpcPeeringConnections": "vpc-peering-connection",
    "TransitGateways": "transit-gateway", "TransitGatewayAttachments": "transit-gateway-attachment",
    "TransitGatewayRouteTables": "transit-gateway-route-table", "Functions": "function",
    "DBInstances": "db-instance", "DBClusters": "db-cluster",
    "RoleDetailList": "iam-role", "Policies": "iam-policy",
}


def _iam(snapshot: Snapshot) -> dict[str, tuple[str, Any]]:
    """IAM roles and managed policies by ARN (they are not in the index: contract §1.1)."""
    found = snapshot.__dict__.get("_iam_by_arn")
    if found is None:
        found = snapshot.__dict__["_iam_by_arn"] = {}
        for rs in snapshot.regions:
            for role in rs.role_detail_list:
                found.setdefault(role.arn, ("RoleDetailList", role))
            for policy in rs.policies:
                found.setdefault(policy.arn, ("Policies", policy))
    return found


def find(snapshot: Snapshot, rid: str) -> list[tuple[str, Any]]:
    """Every (snapshot key, object) that holds `rid` (a prefix list can be in two keys)."""
    hits = [(key, table[rid]) for key, table in snapshot.index.items() if rid in table]
    iam = _iam(snapshot).get(rid) if rid.startswith("arn:") else None
    return hits + [iam] if iam else hits


def kind_of(rid: str, *snapshots: Snapshot, default: str = "") -> str:
    """The object's kind from whichever snapshot holds it."""
    for snap in snapshots:
        hits = find(snap, rid)
        if hits:
            return KINDS[hits[0][0]]
    return default


def name_of(rid: str, *snapshots: Snapshot) -> str | None:
    """The object's Name tag, if any snapshot holds it with one."""
    for snap in snapshots:
        for _, obj in find(snap, rid):
            tags = [t for attr in ("tags", "tag_list", "tag_set") for t in getattr(obj, attr, None) or []]
            name = name_tag(tags)
            if name:
                return name
    return None


def dump(snapshot: Snapshot, rid: str) -> list[tuple[str, dict]]:
    """The object as data, for comparing two snapshots; [] when the snapshot lacks it."""
    return [(key, obj.model_dump(mode="json")) for key, obj in find(snapshot, rid)]
