"""Transit gateway paths (6.8-6.10, 4.9): attachments per AZ, TGW route tables, and the way back.

NACLs around a TGW follow https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html: an attachment
subnet's NACL sees traffic entering the TGW on its inbound rules and traffic leaving the TGW on its
outbound rules, and nothing when the attachment shares the instance's subnet."""
from __future__ import annotations

from ...answer import Blocker, Decision
from ...packets import IntervalSet, cidr_set, describe, union
from ..rules import route_classes
from .deliver import home, owner
from .gates import acl
from .state import Walk


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


def tgw_routes(w: Walk, rt_id: str, dest: IntervalSet
               ) -> tuple[list[tuple[str, str, IntervalSet]], IntervalSet]:
    """Longest prefix over static, blackhole and propagated routes; static wins a tie (6.9).

    Returns (attachment id or "blackhole", route text, addresses) classes and the unrouted rest."""
    rt = w.estate.tgw_route_tables[rt_id]
    cands: list[tuple[int, int, str, str, IntervalSet]] = []
    for r in rt.routes:
        if not r.destination_cidr_block or ":" in r.destination_cidr_block:
            continue
        prefix = int(r.destination_cidr_block.split("/")[1])
        target = "blackhole" if r.state == "blackhole" else next(
            (a.transit_gateway_attachment_id for a in r.transit_gateway_attachments
             if a.transit_gateway_attachment_id), None)
        if target:
            cands.append((prefix, 0 if r.type != "propagated" else 1, target,
                          f"{r.destination_cidr_block} → {target}", cidr_set(r.destination_cidr_block)))
    for p in rt.propagations:
        att = w.estate.tgw_attachments.get(p.transit_gateway_attachment_id or "")
        if p.state in (None, "enabled") and att and att.resource_type == "vpc":
            for c in w.estate.vpc_cidrs(att.resource_id or ""):
                cands.append((int(c.split("/")[1]), 1, att.transit_gateway_attachment_id,
                              f"{c} → {att.transit_gateway_attachment_id} (propagated)", cidr_set(c)))
    cands.sort(key=lambda c: (-c[0], c[1]))
    rest, out = dest, []
    for _, _, target, text, net in cands:
        part = rest & net
        if part:
            out.append((target, text, part))
            rest = rest - part
    return out, rest


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


def through_tgw(w: Walk, tgw_id: str, S, D, ghost) -> None:
    """From the function's VPC into a transit gateway and on to another VPC's attachment."""
    src_sub = w.estate.subnets[w.src.subnet_id]
    tgw = w.estate.tgws.get(tgw_id)
    att = _attachment(w, tgw_id, w.src.vpc_id or "")
    if tgw is None or att is None:
        return w.missing_data(tgw_id, "transit-gateway", S, D, ghost,
                              what=tgw_id if tgw is None else f"the attachment of {w.src.vpc_id} to {tgw_id}")
    aid = att.transit_gateway_attachment_id
    if not att.subnet_ids:
        return w.missing_data(aid, "transit-gateway-attachment", S, D, ghost,
                              what=f"the subnets of {aid} (DescribeTransitGatewayVpcAttachments)")
    entry = _az_subnet(w, att, src_sub.availability_zone)
    if entry is None:
        w.hop(aid, "transit-gateway-attachment", Decision.DENY, f"no subnet in {src_sub.availability_zone}")
        return w.deny(Blocker(aid, "transit-gateway-attachment", "TGW_ROUTE_AZ_RESTRICTION",
                              (("az", src_sub.availability_zone or "?"),)), S, D, ghost)
    w.hop(aid, "transit-gateway-attachment", Decision.ALLOW, f"enters {tgw_id} in {entry}")

    def routed(S1, D1, g):
        _tgw_route(w, tgw, att, S1, D1, g)
    if entry != w.src.subnet_id:
        acl(w, entry, S, D, ghost, routed, egress=False, on_s=True)
    else:
        routed(S, D, ghost)


def _tgw_route(w: Walk, tgw, att, S, D, ghost) -> None:
    aid = att.transit_gateway_attachment_id
    rt_id = _route_table(w, att)
    if rt_id is None:
        w.hop(aid, "transit-gateway-attachment", Decision.DENY, "associated with no TGW route table")
        return w.deny(Blocker(aid, "transit-gateway-attachment", "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION"),
                      S, D, ghost)
    if rt_id not in w.estate.tgw_route_tables:
        return w.missing_data(rt_id, "transit-gateway-route-table", S, D, ghost, what=rt_id)
    unresolved = _unresolved_propagation(w, rt_id)
    if unresolved:  # a propagated route whose CIDRs are unknown may win for any part of D (6.9)
        vpc, aid_in = unresolved
        return w.missing_data(vpc, "vpc", S, D, ghost,
                              what=f"{vpc} (its CIDRs propagate into {rt_id} through {aid_in})")
    classes, rest = tgw_routes(w, rt_id, D)
    if rest:
        w.hop(rt_id, "transit-gateway-route-table", Decision.DENY, f"no route for {describe(rest)}")
        w.deny(Blocker(rt_id, "transit-gateway-route-table", "TGW_RTB_CANNOT_ROUTE",
                       (("dest", describe(rest)), ("toward", "for "))), S, rest, ghost)
    for target, text, part in classes:
        if target == "blackhole":
            w.hop(rt_id, "transit-gateway-route-table", Decision.DENY, text)
            w.deny(Blocker(rt_id, "transit-gateway-route-table", "TGW_RTB_BAD_STATE_ROUTE",
                           (("route", text), ("table", rt_id))), S, part, ghost)
            continue
        w.hop(rt_id, "transit-gateway-route-table", Decision.ALLOW, text)
        out = w.estate.tgw_attachments.get(target)
        if out is None or out.resource_type != "vpc":
            w.hop(target, "transit-gateway-attachment", Decision.UNKNOWN, "not a VPC attachment")
            w.unknown(Blocker(target, "transit-gateway-attachment", "UNSUPPORTED_COMPONENT",
                              (("detail", "only VPC attachments are modelled"),)), S, part, ghost)
            continue
        _into_vpc(w, tgw, att, out, S, part, ghost)


def _identity(w: Walk, tgw, a, b) -> bool:
    """Group references across a TGW need referencing support on it and both attachments (4.9)."""
    def on(opts) -> bool:
        return bool(opts) and opts.security_group_referencing_support == "enable"
    return on(tgw.options) and on(a.options) and on(b.options)


def _into_vpc(w: Walk, tgw, src_att, dst_att, S, D, ghost) -> None:
    vpc = dst_att.resource_id
    parts = w.estate.subnets_holding(vpc, D)
    rest = D - union(p for _, p in parts)
    if rest:
        w.hop(vpc, "vpc", Decision.DENY, f"no subnet holds {describe(rest)}")
        w.deny(Blocker(vpc, "vpc", "DESTINATION_NOT_IN_SUBNET", (("vpc", vpc), ("dest", describe(rest)))),
               S, rest, ghost)
    identity = _identity(w, tgw, src_att, dst_att)
    for subnet, part in parts:
        sid, did = subnet.subnet_id, dst_att.transit_gateway_attachment_id
        exit_sub = _az_subnet(w, dst_att, subnet.availability_zone)
        if exit_sub is None:
            w.hop(did, "transit-gateway-attachment", Decision.DENY,
                  f"no subnet in {subnet.availability_zone}")
            w.deny(Blocker(did, "transit-gateway-attachment", "TGW_ROUTE_AZ_RESTRICTION",
                           (("az", subnet.availability_zone or "?"),)), S, part, ghost)
            continue

        def exit_home(S4, D4, g4, exit_sub=exit_sub, sid=sid):
            if exit_sub == sid:
                return _reenter(w, src_att, S4, D4, g4)
            acl(w, exit_sub, S4, D4, g4, lambda S5, D5, g5: _reenter(w, src_att, S5, D5, g5),
                  egress=False, on_s=False, reply=True)

        def back(S3, D3, g3, sid=sid, exit_home=exit_home):
            _way_back(w, tgw, dst_att, src_att, sid, S3, D3, g3, exit_home)

        def reply(S2, D2, g2, sid=sid, back=back):
            acl(w, sid, S2, D2, g2, back, egress=True, on_s=True, reply=True)

        def to_owner(S1, D1, g1, reply=reply):
            owner(w, S1, D1, g1, reply, identity=identity, cross_vpc=identity)

        if exit_sub == sid:
            to_owner(S, part, ghost)
        else:
            acl(w, exit_sub, S, part, ghost, lambda S1, D1, g1, sid=sid, to_owner=to_owner: acl(
                w, sid, S1, D1, g1, to_owner, egress=False, on_s=True), egress=True, on_s=False)


def _way_back(w: Walk, tgw, dst_att, src_att, sid: str, S, D, ghost, then) -> None:
    """The reply needs the destination subnet's route to the TGW and the TGW's route back (0.3)."""
    rt = w.route_table(sid, S, D, ghost)
    if rt is None:
        return
    classes, _, _ = route_classes(w.estate, rt, w.estate.subnets[sid].vpc_id, S)
    to_tgw = union(p for c, p in classes
                   if c.target == tgw.transit_gateway_id and c.state != "blackhole")
    blocker = Blocker(rt, "route-table", "NO_ROUTE_TO_DESTINATION",
                      (("dest", describe(S - to_tgw)),
                       ("toward", f"back through {tgw.transit_gateway_id} to ")),
                      "route-back", (("dest", describe(S)), ("table", rt), ("via", tgw.transit_gateway_id)))

    def tgw_back(S1, D1, g):
        rt_id = _route_table(w, dst_att)
        if rt_id is None or rt_id not in w.estate.tgw_route_tables:
            did = dst_att.transit_gateway_attachment_id
            return w.missing_data(rt_id or did, "transit-gateway-route-table", S1, D1, g,
                                  what=rt_id or f"the route table of {did}")
        routes, _ = tgw_routes(w, rt_id, S1)
        ok = union(p for t, _, p in routes if t == src_att.transit_gateway_attachment_id)
        w.gate(S1, D1, g, allowed=ok, on_s=True, cont=then, component_id=rt_id,
               kind="transit-gateway-route-table", detail="return route to the source attachment",
               blocker=Blocker(rt_id, "transit-gateway-route-table", "TGW_RTB_CANNOT_ROUTE",
                               (("dest", describe(S1 - ok)), ("toward", "back to "))))
    w.gate(S, D, ghost, allowed=to_tgw, on_s=True, blocker=blocker, cont=tgw_back, component_id=rt,
           kind="route-table", detail=f"return route through {tgw.transit_gateway_id}")


def _reenter(w: Walk, src_att, S, D, ghost) -> None:
    """Back in the function's VPC: the entry subnet's NACL outbound, then the function's subnet."""
    src_sub = w.estate.subnets[w.src.subnet_id]
    entry = _az_subnet(w, src_att, src_sub.availability_zone)
    if entry and entry != w.src.subnet_id:
        acl(w, entry, S, D, ghost, lambda S1, D1, g: home(w, S1, D1, g), egress=True, on_s=True, reply=True)
    else:
        home(w, S, D, ghost)
