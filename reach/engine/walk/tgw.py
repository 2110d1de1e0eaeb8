"""Transit gateway paths (6.8-6.10, 4.9): attachments per AZ, TGW route tables, and the way back.

NACLs around a TGW follow https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html: an attachment
subnet's NACL sees traffic entering the TGW on its inbound rules and traffic leaving the TGW on its
outbound rules, and nothing when the attachment shares the instance's subnet."""
from __future__ import annotations

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code, FixCode
from ...packets import describe, union
from ..routes import route_classes, tgw_route_classes
from .deliver import home, owner
from .gates import acl, route_hop, routed
from .state import Flow, Walk


def _attachment(w: Walk, tgw_id: str, vpc_id: str):
    for att in w.estate.tgw_attachments.values():
        if att.transit_gateway_id == tgw_id and att.resource_type == "vpc" and att.resource_id == vpc_id \
                and att.state in (None, "available"):
            return att
    return None


def _az_subnet(w: Walk, att, az: str | None) -> str | None:
    """The attachment's subnet in an AZ: only ENIs in AZs with one can use the TGW (6.8)."""
    return next((s for s in att.subnet_ids if s in w.estate.subnets
                 and w.estate.subnets[s].availability_zone == az), None)


def _route_table(w: Walk, att) -> str | None:
    """The one TGW route table the attachment is associated with decides its next hop (6.9)."""
    if att.association and att.association.transit_gateway_route_table_id and \
            att.association.state in (None, "associated"):
        return att.association.transit_gateway_route_table_id
    for rt in w.estate.tgw_route_tables.values():
        if any(a.transit_gateway_attachment_id == att.transit_gateway_attachment_id
               and a.state in (None, "associated") for a in rt.associations):
            return rt.transit_gateway_route_table_id
    return None


def _unresolved_propagation(w: Walk, rt_id: str) -> tuple[str, str] | None:
    """A VPC attachment propagating into the table whose VPC the snapshot lacks (its account was
    not collected, say), when the table's routes were not collected either (SearchTransitGatewayRoutes
    lists propagated routes with their CIDRs, and then nothing is unresolved)."""
    rt = w.estate.tgw_route_tables[rt_id]
    if rt.routes:
        return None
    for p in rt.propagations:
        att = w.estate.tgw_attachments.get(p.transit_gateway_attachment_id or "")
        if p.state in (None, "enabled") and att and att.resource_type == "vpc" \
                and att.resource_id and att.resource_id not in w.estate.vpcs:
            return att.resource_id, att.transit_gateway_attachment_id
    return None


def through_tgw(w: Walk, tgw_id: str, flow: Flow | None) -> None:
    """From the function's VPC into a transit gateway and on to another VPC's attachment."""
    if flow is None:
        return
    src_sub = w.estate.subnets[w.src.subnet_id]
    tgw = w.estate.tgws.get(tgw_id)
    att = _attachment(w, tgw_id, w.src.vpc_id or "")
    if tgw is None or att is None:
        return w.missing_data(tgw_id, Kind.TRANSIT_GATEWAY, flow,
                              what=tgw_id if tgw is None else f"the attachment of {w.src.vpc_id} to {tgw_id}")
    aid, kind = att.transit_gateway_attachment_id, Kind.TRANSIT_GATEWAY_ATTACHMENT
    if not att.subnet_ids:
        return w.missing_data(aid, kind, flow, what=f"the subnets of {aid} (DescribeTransitGatewayVpcAttachments)")
    entry = _az_subnet(w, att, src_sub.availability_zone)
    if entry is None:
        w.hop(aid, kind, Decision.DENY, f"no subnet in {src_sub.availability_zone}", flow, refs=(tgw_id,))
        return w.deny(Blocker(component_id=aid, kind=kind, code=Code.TGW_ROUTE_AZ_RESTRICTION,
                              params=(("az", src_sub.availability_zone or "?"),)), flow)
    w.hop(aid, kind, Decision.ALLOW, f"enters {tgw_id} in {entry}", flow, refs=(tgw_id, entry))
    if entry != w.src.subnet_id:
        flow = acl(w, flow, entry, egress=False, on_src=True)
    if flow is not None:
        _tgw_route(w, tgw, att, flow)


def _tgw_route(w: Walk, tgw, att, flow: Flow) -> None:
    aid = att.transit_gateway_attachment_id
    rt_id = _route_table(w, att)
    if rt_id is None:
        w.hop(aid, Kind.TRANSIT_GATEWAY_ATTACHMENT, Decision.DENY, "associated with no TGW route table", flow)
        return w.deny(Blocker(component_id=aid, kind=Kind.TRANSIT_GATEWAY_ATTACHMENT,
                              code=Code.TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION), flow)
    kind = Kind.TRANSIT_GATEWAY_ROUTE_TABLE
    if rt_id not in w.estate.tgw_route_tables:
        return w.missing_data(rt_id, kind, flow, what=rt_id)
    unresolved = _unresolved_propagation(w, rt_id)
    if unresolved:  # a propagated route whose CIDRs are unknown may win for any part of the flow (6.9)
        vpc, aid_in = unresolved
        return w.missing_data(vpc, Kind.VPC, flow, what=f"{vpc} (its CIDRs propagate into {rt_id} through {aid_in})")
    classes, rest = tgw_route_classes(w.estate, rt_id, flow.dst)
    for choice, part in routed(w, rt_id, flow, classes, rest, kind=kind):
        route_hop(w, rt_id, choice, part, kind=kind)
        out = w.estate.tgw_attachments.get(choice.target)
        if out is None or out.resource_type != "vpc":
            w.hop(choice.target, Kind.TRANSIT_GATEWAY_ATTACHMENT, Decision.UNKNOWN, "not a VPC attachment", part)
            w.unknown(Blocker(component_id=choice.target, kind=Kind.TRANSIT_GATEWAY_ATTACHMENT,
                              code=Code.UNSUPPORTED_COMPONENT,
                              params=(("detail", "only VPC attachments are modelled"),)), part)
            continue
        _into_vpc(w, tgw, att, out, part)


def _identity(tgw, a, b) -> bool:
    """Group references across a TGW need referencing support on it and both attachments (4.9)."""
    def on(opts) -> bool:
        return bool(opts) and opts.security_group_referencing_support == "enable"
    return on(tgw.options) and on(a.options) and on(b.options)


def _into_vpc(w: Walk, tgw, src_att, dst_att, flow: Flow) -> None:
    vpc = dst_att.resource_id
    parts = w.estate.subnets_holding(vpc, flow.dst)
    rest = flow.dst - union(p for _, p in parts)
    if rest:
        w.hop(vpc, Kind.VPC, Decision.DENY, f"no subnet holds {describe(rest)}", flow)
        w.deny(Blocker(component_id=vpc, kind=Kind.VPC, code=Code.DESTINATION_NOT_IN_SUBNET,
                       params=(("vpc", vpc), ("dest", describe(rest)))), flow.to(rest))
    identity = _identity(tgw, src_att, dst_att)
    did = dst_att.transit_gateway_attachment_id
    for subnet, part in parts:
        sid = subnet.subnet_id
        exit_sub = _az_subnet(w, dst_att, subnet.availability_zone)
        there = flow.to(part)
        if exit_sub is None:
            w.hop(did, Kind.TRANSIT_GATEWAY_ATTACHMENT, Decision.DENY, f"no subnet in {subnet.availability_zone}",
                  there)
            w.deny(Blocker(component_id=did, kind=Kind.TRANSIT_GATEWAY_ATTACHMENT, code=Code.TGW_ROUTE_AZ_RESTRICTION,
                           params=(("az", subnet.availability_zone or "?"),)), there)
            continue
        if exit_sub != sid:
            there = acl(w, acl(w, there, exit_sub, egress=True, on_src=False), sid, egress=False, on_src=True)
        for delivered in owner(w, there, identity=identity, cross_vpc=identity):
            back = acl(w, delivered.reply(), sid, egress=True, on_src=True)
            back = _way_back(w, tgw, dst_att, src_att, sid, back)
            if back is not None and exit_sub != sid:
                back = acl(w, back, exit_sub, egress=False, on_src=False)
            _reenter(w, src_att, back)


def _way_back(w: Walk, tgw, dst_att, src_att, sid: str, flow: Flow | None) -> Flow | None:
    """The reply needs the destination subnet's route to the TGW and the TGW's route back (0.3)."""
    if flow is None:
        return None
    rt = w.route_table(sid, flow)
    if rt is None:
        return None
    tgw_id = tgw.transit_gateway_id
    classes, _, _ = route_classes(w.estate, rt, w.estate.subnets[sid].vpc_id, flow.src)
    to_tgw = union(p for c, p in classes if c.target == tgw_id and c.live)
    blocker = Blocker(component_id=rt, kind=Kind.ROUTE_TABLE, code=Code.NO_ROUTE_TO_DESTINATION, refs=(tgw_id,),
                      params=(("dest", describe(flow.src - to_tgw)), ("toward", f"back through {tgw_id} to ")),
                      fix=FixCode.ROUTE_BACK, fix_params=(("dest", describe(flow.src)), ("table", rt), ("via", tgw_id)))
    flow = w.gate(flow, allowed=to_tgw, on_src=True, blocker=blocker, component_id=rt, kind=Kind.ROUTE_TABLE,
                  detail=f"return route through {tgw_id}", refs=(tgw_id,), rule="0.3, 2.5")
    rt_id = _route_table(w, dst_att)
    kind = Kind.TRANSIT_GATEWAY_ROUTE_TABLE
    if rt_id is None or rt_id not in w.estate.tgw_route_tables:
        return w.missing_data(rt_id or dst_att.transit_gateway_attachment_id, kind, flow,
                              what=rt_id or f"the route table of {dst_att.transit_gateway_attachment_id}")
    src_aid = src_att.transit_gateway_attachment_id
    routes, _ = tgw_route_classes(w.estate, rt_id, flow.src)
    ok = union(p for c, p in routes if c.target == src_aid)
    return w.gate(flow, allowed=ok, on_src=True, component_id=rt_id, kind=kind, refs=(src_aid,),
                  detail="return route to the source attachment", rule="0.3, 6.9",
                  blocker=Blocker(component_id=rt_id, kind=kind, code=Code.TGW_RTB_CANNOT_ROUTE,
                                  params=(("dest", describe(flow.src - ok)), ("toward", "back to "))))


def _reenter(w: Walk, src_att, flow: Flow | None) -> None:
    """Back in the function's VPC: the entry subnet's NACL outbound, then the function's subnet."""
    if flow is None:
        return
    src_sub = w.estate.subnets[w.src.subnet_id]
    entry = _az_subnet(w, src_att, src_sub.availability_zone)
    if entry and entry != w.src.subnet_id:
        flow = acl(w, flow, entry, egress=True, on_src=True)
    home(w, flow)
