"""The simulator's transit gateway lookups on raw snapshot dicts: attachments, AZs, TGW routes.

Written from docs/semantics.md §6t (T1, T2) and aws-rules 6.8-6.10, independently of the engine.
A VPC attachment's `SubnetIds` and `Options` are read from its TransitGatewayAttachments item or
from a TransitGatewayVpcAttachments item with the same id; a peering attachment is listed once per
side, each copy with its own `TransitGatewayId` and `Association`.
"""
from __future__ import annotations

from .gates import (deny, find, in_cidr, items_of, lower, missing, nacl_of, prefixlen,
                    route_table_of, vpc_cidrs)


def attachment_sides(snap: dict, att_id: str) -> list[dict]:
    """Every listed side of attachment att_id, a VPC one completed by its VPC-attachment item."""
    vpc_items = [a for a in items_of(snap, "TransitGatewayVpcAttachments")
                 if a.get("TransitGatewayAttachmentId") == att_id]
    sides = []
    for item in items_of(snap, "TransitGatewayAttachments"):
        if item.get("TransitGatewayAttachmentId") != att_id:
            continue
        extra = next((v for v in vpc_items
                      if v.get("TransitGatewayId") in (None, item.get("TransitGatewayId"))), {})
        sides.append({**extra, **item, "SubnetIds": item.get("SubnetIds", extra.get("SubnetIds")),
                      "Options": item.get("Options", extra.get("Options"))})
    if not sides:  # only DescribeTransitGatewayVpcAttachments knows it
        sides = [{**v, "ResourceType": "vpc", "ResourceId": v.get("VpcId")} for v in vpc_items]
    return sides


def side_on(snap: dict, att_id: str, tgw_id: str) -> dict:
    """Attachment att_id as transit gateway tgw_id sees it; unknown when that side is not listed."""
    side = next((a for a in attachment_sides(snap, att_id)
                 if a.get("TransitGatewayId") == tgw_id), None)
    if side is None:
        raise missing(f"{att_id} is not in the snapshot on the side of {tgw_id}")
    if lower(side.get("State")) != "available":
        raise deny(f"{att_id} is {side.get('State')} on {tgw_id}")
    return side


def check_tgw(snap: dict, tgw_id: str) -> None:
    """The transit gateway must be in the snapshot (its state and options decide) and available."""
    tgw = find(snap, "TransitGateways", "TransitGatewayId", tgw_id)
    if tgw is None:
        raise missing(f"{tgw_id} is not in the snapshot")
    if lower(tgw.get("State")) not in ("", "available"):
        raise deny(f"{tgw_id} is {tgw.get('State')}")


def vpc_attachment(snap: dict, tgw_id: str, vpc_id: str) -> dict:
    """The available VPC attachment of tgw_id to vpc_id (T1)."""
    check_tgw(snap, tgw_id)
    listed = [*items_of(snap, "TransitGatewayAttachments"),
              *items_of(snap, "TransitGatewayVpcAttachments")]
    ids = {a.get("TransitGatewayAttachmentId") for a in listed}
    for att_id in sorted(i for i in ids if i):
        for side in attachment_sides(snap, att_id):
            if (side.get("TransitGatewayId") == tgw_id and lower(side.get("ResourceType")) == "vpc"
                    and (side.get("ResourceId") or side.get("VpcId")) == vpc_id):
                if lower(side.get("State")) != "available":
                    raise deny(f"{att_id} of {tgw_id} to {vpc_id} is {side.get('State')}")
                return side
    raise deny(f"{tgw_id} has no attachment to {vpc_id}")


def same_az(a: dict, b: dict) -> bool:
    """AZs compare by AvailabilityZoneId when both subnets have one, else by name (§6t T1)."""
    if a.get("AvailabilityZoneId") and b.get("AvailabilityZoneId"):
        return a["AvailabilityZoneId"] == b["AvailabilityZoneId"]
    name = a.get("AvailabilityZone")
    return bool(name) and name == b.get("AvailabilityZone")


def _attachment_subnets(snap: dict, att: dict) -> tuple[list[dict], list[str]]:
    """The attachment's subnets the snapshot holds, and the ids it lacks."""
    found, lacking = [], []
    for sid in att.get("SubnetIds") or []:
        subnet = find(snap, "Subnets", "SubnetId", sid)
        (found.append(subnet) if subnet is not None else lacking.append(sid))
    return found, lacking


def entry_subnet(snap: dict, att: dict, sender: dict) -> dict:
    """The attachment's subnet in the sending subnet's AZ: none there drops the packet (6.8, T1)."""
    found, lacking = _attachment_subnets(snap, att)
    here = [s for s in found if same_az(s, sender)]
    name = att.get("TransitGatewayAttachmentId")
    if here:
        return here[0]
    if lacking:
        raise missing(f"{name} has subnets the snapshot lacks: {lacking}")
    raise deny(f"{name} has no subnet in the AZ of {sender['SubnetId']} (6.8)")


def exit_subnet(snap: dict, att: dict, flow: dict) -> dict:
    """Where the packet leaves the TGW into the attachment's VPC (T2).

    The attachment's subnet in the flow's AZ; without one the TGW picks another AZ's subnet, which
    is decided only when all of them share one NACL and one route table.
    """
    found, lacking = _attachment_subnets(snap, att)
    here = [s for s in found if same_az(s, flow)]
    if here:
        return here[0]
    name = att.get("TransitGatewayAttachmentId")
    if lacking or not found:
        raise missing(f"{name}: no subnet in the flow's AZ, and not all its others are known")
    if len({nacl_of(snap, s).get("NetworkAclId") for s in found}) > 1 or \
            len({route_table_of(snap, s).get("RouteTableId") for s in found}) > 1:
        raise missing(f"{name} has no subnet in the flow's AZ and its other subnets differ (T2)")
    return sorted(found, key=lambda s: s["SubnetId"])[0]


def associated_table(snap: dict, side: dict) -> dict:
    """The TGW route table associated with this side of the attachment (6.9)."""
    att_id, tgw_id = side.get("TransitGatewayAttachmentId"), side.get("TransitGatewayId")
    assoc = side.get("Association") or {}
    linked = ("", "associated")
    table_id = (assoc.get("TransitGatewayRouteTableId")
                if lower(assoc.get("State")) in linked else None)
    if table_id is None:
        for table in items_of(snap, "TransitGatewayRouteTables"):
            if table.get("TransitGatewayId") not in (None, tgw_id):
                continue
            if any(a.get("TransitGatewayAttachmentId") == att_id and lower(a.get("State")) in linked
                   for a in table.get("Associations") or []):
                table_id = table["TransitGatewayRouteTableId"]
                break
    if table_id is None:  # no association: the TGW has no table to route by (6.9)
        raise deny(f"{att_id} is associated with no route table of {tgw_id}")
    table = find(snap, "TransitGatewayRouteTables", "TransitGatewayRouteTableId", table_id)
    if table is None:
        raise missing(f"{table_id} is not in the snapshot")
    return table


def _propagated(snap: dict, table: dict) -> list[tuple[str, str]]:
    """(CIDR, attachment id) routes propagated from VPC attachments (6.9): the VPC's IPv4 CIDRs,
    and its IPv6 ones when the attachment's Options say Ipv6Support enable (D9,
    API_CreateTransitGatewayVpcAttachmentRequestOptions).

    Propagation does not cross a TGW peering (T2), so only VPC attachments count.
    """
    out = []
    for prop in table.get("Propagations") or []:
        if lower(prop.get("State")) not in ("", "enabled"):
            continue
        att_id = prop.get("TransitGatewayAttachmentId")
        sides = [a for a in attachment_sides(snap, att_id)
                 if a.get("TransitGatewayId") in (None, table.get("TransitGatewayId"))]
        if not sides:
            raise missing(f"{att_id} propagates into {table.get('TransitGatewayRouteTableId')} "
                          f"but is not in the snapshot")
        side = sides[0]
        if lower(side.get("ResourceType")) != "vpc" or lower(side.get("State")) != "available":
            continue
        vpc_id = side.get("ResourceId") or side.get("VpcId")
        if find(snap, "Vpcs", "VpcId", vpc_id) is None:
            raise missing(f"{vpc_id} propagates through {att_id} but is not in the snapshot")
        six = lower((side.get("Options") or {}).get("Ipv6Support")) == "enable"
        out += [(c, att_id) for c in vpc_cidrs(snap, vpc_id) if six or ":" not in c]
    return out


def tgw_next(snap: dict, table: dict, ip: str) -> str:
    """The attachment the table sends ip to: longest prefix, static before propagated (6.9)."""
    candidates = []  # (prefix length, 1 static / 0 propagated, attachment id; None: blackhole)
    for r in table.get("Routes") or []:
        dest = r.get("DestinationCidrBlock")
        if not dest:
            if r.get("PrefixListId"):
                raise missing(f"{table.get('TransitGatewayRouteTableId')} routes by prefix list "
                              f"{r['PrefixListId']}, which this simulator does not follow")
            continue
        if not in_cidr(dest, ip):
            continue
        atts = r.get("TransitGatewayAttachments") or []
        target = None if lower(r.get("State")) == "blackhole" else (
            atts[0].get("TransitGatewayAttachmentId") if atts else "")
        candidates.append((prefixlen(dest), int(lower(r.get("Type")) != "propagated"), target))
    for dest, att_id in _propagated(snap, table):
        if in_cidr(dest, ip):
            candidates.append((prefixlen(dest), 0, att_id))
    name = table.get("TransitGatewayRouteTableId")
    if not candidates:
        raise deny(f"{name} has no route to {ip}")
    best = max(candidates, key=lambda c: (c[0], c[1]))
    if best[2] is None:
        raise deny(f"{name} routes {ip} to a blackhole")
    if not best[2]:
        raise missing(f"{name} routes {ip} to no named attachment")
    return best[2]
