"""Transit gateway lookups the walk needs: attachments and their sides, subnets per AZ, tables (6.8, 6.9)."""
from __future__ import annotations

from ...estate import Estate


def same_az(a, b) -> bool:
    """Two subnets share an Availability Zone: by AZ id when both have one (AZ names differ between
    accounts, https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html), else by name."""
    if a.availability_zone_id and b.availability_zone_id:
        return a.availability_zone_id == b.availability_zone_id
    return a.availability_zone == b.availability_zone


def tgw_attachment(estate: Estate, tgw_id: str, vpc_id: str | None):
    """The VPC attachment of `vpc_id` to `tgw_id` (an available one first), if any."""
    found = [att for att in estate.tgw_attachments.values()
             if att.transit_gateway_id == tgw_id and att.resource_type == "vpc" and att.resource_id == vpc_id]
    return min(found, key=lambda a: a.state not in (None, "available"), default=None)


def az_subnet(estate: Estate, att, here) -> str | None:
    """The attachment's subnet in the AZ of subnet `here`: only traffic from an AZ with one can use
    the TGW (6.8)."""
    return next((s for s in att.subnet_ids if s in estate.subnets and same_az(estate.subnets[s], here)), None)


def lacking_subnets(estate: Estate, att) -> list[str]:
    """The attachment's subnets the snapshot does not hold: any of them may be the one of an AZ."""
    return [s for s in att.subnet_ids if s not in estate.subnets]


def exit_subnet(estate: Estate, att, origin) -> tuple[str | None, list[str]]:
    """The subnet through which the TGW hands a flow from `origin`'s AZ to the attachment's VPC.

    Without appliance mode the TGW keeps a flow in the AZ it came from, and crosses AZs only when
    the attachment has no subnet there; with it, the TGW picks one AZ per flow
    (https://docs.aws.amazon.com/vpc/latest/tgw/how-transit-gateways-work.html). When it may pick
    among subnets whose NACL and route table differ, the subnet is not decided: (None, candidates);
    when the snapshot lacks some of them it cannot tell either: (None, [])."""
    appliance = att.options is not None and getattr(att.options, "appliance_mode_support", None) == "enable"
    if not appliance:
        same = az_subnet(estate, att, origin)
        if same is not None:
            return same, []
    candidates = sorted(s for s in att.subnet_ids if s in estate.subnets)
    if lacking_subnets(estate, att):
        return None, []
    if len({(estate.acl_id(s), estate.route_table_id(s)) for s in candidates}) == 1:
        return candidates[0], []
    return None, candidates


def peer_side(estate: Estate, attachment_id: str, tgw_id: str):
    """The copy of an attachment that `tgw_id` lists: a TGW peering attachment has the same id on
    both sides, each with its own association (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html)."""
    memo = estate.memo["tgw"]
    if "sides" not in memo:
        memo["sides"] = {}
        for att in estate.snapshot.items("TransitGatewayAttachments"):
            memo["sides"].setdefault((att.transit_gateway_attachment_id, att.transit_gateway_id), att)
    att = memo["sides"].get((attachment_id, tgw_id))
    if att is None:
        one = estate.tgw_attachments.get(attachment_id)
        if one is not None and one.transit_gateway_id in (None, tgw_id):
            return one
    return att


def tgw_route_table(estate: Estate, att) -> str | None:
    """The one TGW route table the attachment is associated with on its TGW's side (6.9)."""
    if att.association and att.association.transit_gateway_route_table_id and \
            att.association.state in (None, "associated"):
        return att.association.transit_gateway_route_table_id
    for rt in estate.tgw_route_tables.values():
        if rt.transit_gateway_id not in (None, att.transit_gateway_id):
            continue
        if any(a.transit_gateway_attachment_id == att.transit_gateway_attachment_id
               and a.state in (None, "associated") for a in rt.associations):
            return rt.transit_gateway_route_table_id
    return None


def unresolved_propagation(estate: Estate, rt_id: str) -> tuple[str, str] | None:
    """A VPC attachment propagating into the table whose VPC the snapshot lacks (its account was
    not collected, say), when the table's routes were not collected either (SearchTransitGatewayRoutes
    lists propagated routes with their CIDRs, and then nothing is unresolved)."""
    rt = estate.tgw_route_tables[rt_id]
    if rt.routes:
        return None
    for p in rt.propagations:
        att = estate.tgw_attachments.get(p.transit_gateway_attachment_id or "")
        if p.state in (None, "enabled") and att and att.resource_type == "vpc" \
                and att.resource_id and att.resource_id not in estate.vpcs:
            return att.resource_id, att.transit_gateway_attachment_id
    return None
