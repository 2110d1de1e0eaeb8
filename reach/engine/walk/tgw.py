"""Transit gateway paths (6.8-6.11, 2.17, 4.9; docs/semantics.md §6t T1-T5): into a TGW from a
subnet, its route tables (across TGW peering too), out into a VPC through the attachment subnet of
the flow's AZ, on from there by that subnet's route table (transit through a VPC), and each reply by
the route tables it meets, whatever way the request took.

NACLs around a TGW follow https://docs.aws.amazon.com/vpc/latest/tgw/tgw-nacls.html: an attachment
subnet's NACL sees traffic entering the TGW on its inbound rules (also from that same subnet) and
traffic leaving the TGW on its outbound rules; traffic leaving the TGW for the same subnet meets no
rules."""
from __future__ import annotations

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code, FixCode
from ...packets import ALL_IPV6, describe, union
from ..routes import tgw_route_classes
from .deliver import home, owner
from .gates import acl, route_hop, routed, subnet_routes
from .links import (az_subnet, exit_subnet, lacking_subnets, peer_side, tgw_attachment, tgw_route_table,
                    unresolved_propagation)
from .nat import nat_gateway
from .state import Flow, Walk

# Where a path has been: the (TGW, attachment) pairs it left a TGW by; leaving by one again is a
# routing loop (§6t T3).
Seen = frozenset[tuple[str, str]]


def through_tgw(w: Walk, tgw_id: str, flow: Flow | None) -> None:
    """From the function's subnet into a transit gateway (T1)."""
    if flow is not None:
        _enter(w, tgw_id, w.src.subnet_id, flow, seen=frozenset())


def _enter(w: Walk, tgw_id: str, subnet_id: str, flow: Flow, *, seen: Seen) -> None:
    """T1: from a subnet into the TGW through its VPC's attachment subnet in the same AZ (6.8),
    whose NACL judges the packet inbound; then the attachment's TGW route table (6.9)."""
    vpc_id = w.estate.subnets[subnet_id].vpc_id
    tgw = w.estate.tgws.get(tgw_id)
    att = tgw_attachment(w.estate, tgw_id, vpc_id)
    if tgw is None or att is None:
        return w.missing_data(tgw_id, Kind.TRANSIT_GATEWAY, flow,
                              what=tgw_id if tgw is None else f"the attachment of {vpc_id} to {tgw_id}")
    aid, kind = att.transit_gateway_attachment_id, Kind.TRANSIT_GATEWAY_ATTACHMENT
    if _down(w, att, flow):
        return
    if not att.subnet_ids:
        return w.missing_data(aid, kind, flow, what=f"the subnets of {aid} (DescribeTransitGatewayVpcAttachments)")
    here = w.estate.subnets[subnet_id]
    entry = az_subnet(w.estate, att, here)
    if entry is None and lacking_subnets(w.estate, att):
        return _lacking(w, att, flow)
    if entry is None:
        w.hop(aid, kind, Decision.DENY, f"no subnet in {here.availability_zone}", flow, refs=(tgw_id,))
        return w.deny(Blocker(component_id=aid, kind=kind, code=Code.TGW_ROUTE_AZ_RESTRICTION,
                              params=(("az", here.availability_zone or "?"),)), flow)
    w.hop(aid, kind, Decision.ALLOW, f"enters {tgw_id} in {entry}", flow, refs=(tgw_id, entry))
    # What enters the TGW meets the attachment subnet's inbound rules, by source address, also
    # from that same subnet (tgw-nacls.html, "same subnet").
    flow = acl(w, flow, entry, egress=False, on_src=not flow.is_reply)
    if flow is not None:
        # The TGW keeps the flow in the AZ it entered by (how-transit-gateways-work, AZs).
        _tgw_route(w, tgw, att, flow, origin=entry, seen=seen, came_in=att)


def _lacking(w: Walk, att, flow: Flow) -> None:
    """No attachment subnet of the flow's AZ is known, and the snapshot lacks some: the missing one
    may be it (6.8, §0)."""
    aid = att.transit_gateway_attachment_id
    w.missing_data(aid, Kind.TRANSIT_GATEWAY_ATTACHMENT, flow,
                   what=f"{', '.join(lacking_subnets(w.estate, att))} (subnets of {aid})")


def _down(w: Walk, att, flow: Flow) -> bool:
    """An attachment that is not available (pending, deleting, ...) carries nothing (6.8)."""
    if att.state in (None, "available"):
        return False
    aid = att.transit_gateway_attachment_id
    w.hop(aid, Kind.TRANSIT_GATEWAY_ATTACHMENT, Decision.DENY, f"state {att.state}", flow)
    w.deny(Blocker(component_id=aid, kind=Kind.TRANSIT_GATEWAY_ATTACHMENT, code=Code.BAD_STATE,
                   params=(("state", att.state),)), flow)
    return True


def _loop(w: Walk, tgw_id: str, flow: Flow) -> None:
    detail = f"the routes send the packets back into {tgw_id}: a loop"
    w.hop(tgw_id, Kind.TRANSIT_GATEWAY, Decision.UNKNOWN, detail, flow)
    w.unknown(Blocker(component_id=tgw_id, kind=Kind.TRANSIT_GATEWAY, code=Code.UNSUPPORTED_COMPONENT,
                      params=(("detail", detail),)), flow)


def _tgw_route(w: Walk, tgw, att, flow: Flow, *, origin: str, seen: Seen, came_in) -> None:
    """The TGW route table associated with the attachment the packets came in by (6.9), for
    their destination (a reply's is the function's address). `came_in`: the VPC attachment they
    entered by, or None after a TGW peering (no group references across it, 4.9)."""
    aid = att.transit_gateway_attachment_id
    rt_id = tgw_route_table(w.estate, att)
    if rt_id is None:
        w.hop(aid, Kind.TRANSIT_GATEWAY_ATTACHMENT, Decision.DENY, "associated with no TGW route table", flow)
        return w.deny(Blocker(component_id=aid, kind=Kind.TRANSIT_GATEWAY_ATTACHMENT,
                              code=Code.TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION), flow)
    kind = Kind.TRANSIT_GATEWAY_ROUTE_TABLE
    if rt_id not in w.estate.tgw_route_tables:
        return w.missing_data(rt_id, kind, flow, what=rt_id)
    unresolved = unresolved_propagation(w.estate, rt_id)
    if unresolved:  # a propagated route whose CIDRs are unknown may win for any part of the flow (6.9)
        vpc, aid_in = unresolved
        return w.missing_data(vpc, Kind.VPC, flow, what=f"{vpc} (its CIDRs propagate into {rt_id} through {aid_in})")
    classes, rest = tgw_route_classes(w.estate, rt_id, flow.toward)
    for choice, part in routed(w, rt_id, flow, classes, rest, kind=kind):
        route_hop(w, rt_id, choice, part, kind=kind)
        out = peer_side(w.estate, choice.target, tgw.transit_gateway_id)
        left = (tgw.transit_gateway_id, choice.target)
        if left in seen:
            _loop(w, tgw.transit_gateway_id, part)
        elif out is None:
            w.missing_data(choice.target, Kind.TRANSIT_GATEWAY_ATTACHMENT, part, what=choice.target)
        elif out.resource_type == "peering":
            _across_peering(w, out, part, origin=origin, seen=seen | {left})
        elif out.resource_type == "vpc":
            _exit(w, tgw, came_in, out, part, origin=origin, seen=seen | {left})
        else:
            w.hop(choice.target, Kind.TRANSIT_GATEWAY_ATTACHMENT, Decision.UNKNOWN,
                  f"a {out.resource_type} attachment", part)
            w.unknown(Blocker(component_id=choice.target, kind=Kind.TRANSIT_GATEWAY_ATTACHMENT,
                              code=Code.UNSUPPORTED_COMPONENT,
                              params=(("detail", f"{out.resource_type} attachments are not modelled"),)), part)


def _across_peering(w: Walk, att, flow: Flow, *, origin: str, seen: Seen) -> None:
    """T2: across a TGW peering attachment to the peer TGW, whose side of the same attachment is
    associated with its own route table (https://docs.aws.amazon.com/vpc/latest/tgw/tgw-peering.html)."""
    aid, kind = att.transit_gateway_attachment_id, Kind.TRANSIT_GATEWAY_ATTACHMENT
    peer_id = att.resource_id or "?"
    if _down(w, att, flow):
        return
    other, peer = peer_side(w.estate, aid, peer_id), w.estate.tgws.get(peer_id)
    if other is None or peer is None:
        return w.missing_data(aid if peer else peer_id, kind if peer else Kind.TRANSIT_GATEWAY, flow,
                              what=f"the {peer_id} side of {aid}" if peer else peer_id)
    w.hop(aid, kind, Decision.ALLOW, f"TGW peering to {peer_id}", flow, refs=(peer_id,), rule="6.9")
    _tgw_route(w, peer, other, flow, origin=origin, seen=seen, came_in=None)


def _exit(w: Walk, tgw, came_in, out, flow: Flow, *, origin: str, seen: Seen) -> None:
    """T2: out of the TGW into a VPC through the attachment subnet of the flow's AZ, then T3."""
    vpc = out.resource_id or "?"
    if vpc not in w.estate.vpcs:
        return w.missing_data(vpc, Kind.VPC, flow, what=vpc)
    did, kind = out.transit_gateway_attachment_id, Kind.TRANSIT_GATEWAY_ATTACHMENT
    if _down(w, out, flow):
        return
    if not out.subnet_ids:
        return w.missing_data(did, kind, flow, what=f"the subnets of {did} (DescribeTransitGatewayVpcAttachments)")
    x, others = exit_subnet(w.estate, out, w.estate.subnets[origin])
    if x is None and not others:
        return _lacking(w, out, flow)
    if x is None:
        az = w.estate.subnets[origin].availability_zone or "?"
        w.hop(did, kind, Decision.UNKNOWN, f"leaves through one of {', '.join(others)}", flow)
        return w.unknown(Blocker(component_id=did, kind=kind, code=Code.TGW_EXIT_SUBNET_DEPENDS,
                                 params=(("az", az), ("subnets", ", ".join(others)))), flow)
    w.hop(did, kind, Decision.ALLOW, f"leaves {tgw.transit_gateway_id} into {vpc} through {x}", flow,
          refs=(vpc, x))
    # References match across one TGW only, not after a peering or a transit VPC (4.9).
    identity = came_in is not None and len(seen) == 1 and _identity(tgw, came_in, out)
    _in_vpc(w, tgw, x, flow, seen=seen, identity=identity)


def _identity(tgw, a, b) -> bool:
    """Group references across a TGW need referencing support on it and both attachments (4.9)."""
    def on(opts) -> bool:
        return bool(opts) and opts.security_group_referencing_support == "enable"
    return on(tgw.options) and on(a.options) and on(b.options)


def _in_vpc(w: Walk, tgw, x: str, flow: Flow, *, seen: Seen, identity: bool) -> None:
    """T3: in the VPC, the attachment subnet's route table sends the packets on (2.1, 2.5)."""
    vpc = w.estate.subnets[x].vpc_id
    found = subnet_routes(w, x, flow)
    if found is None:
        return
    rt, classes, no_route = found
    for choice, part in routed(w, rt, flow, classes, no_route):
        route_hop(w, rt, choice, part)
        t = choice.target
        if t == "local":
            if part.is_reply:
                _landed(w, x, part)
            else:
                _deliver(w, vpc, x, part, identity=identity, via=tgw.transit_gateway_id)
        elif t.startswith("tgw-"):
            nxt = tgw_attachment(w.estate, t, vpc)
            gone = _leave(w, x, az_subnet(w.estate, nxt, w.estate.subnets[x]) if nxt else None, part)
            if gone is not None:
                _enter(w, t, x, gone, seen=seen)
        elif part.toward & ALL_IPV6 and t.startswith(("igw-", "eigw-", "nat-")):
            _ipv6_onward(w, x, t, vpc, part)
        elif part.is_reply and not t.startswith(("igw-", "vpce-")):
            _lost_reply(w, rt, x, t, part)
        elif t.startswith("nat-"):
            _to_nat(w, x, t, part, via=tgw.transit_gateway_id)
        elif t.startswith("igw-"):
            # The source is a private address of another VPC, which no IGW translates (2.11, 1.22).
            out = _leave(w, x, None, part)
            if out is not None:
                w.hop(t, Kind.INTERNET_GATEWAY, Decision.DENY, "the source is private and not this VPC's",
                      out, rule="1.22, 2.11")
                w.deny(Blocker(component_id=t, kind=Kind.INTERNET_GATEWAY,
                               code=Code.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS), out)
        elif t.startswith("vpce-"):
            _endpoint(w, x, t, vpc, part)
        else:
            _onward_unknown(w, t, part, "transit onward through it is not modelled")


def _ipv6_onward(w: Walk, x: str, target: str, vpc: str, flow: Flow) -> None:
    """IPv6 that came through a TGW, routed to an internet gateway, an egress-only one or a NAT
    gateway (NAT64): AWS documents these for its VPC's own addresses, and its centralised IPv6
    egress designs add NAT66 or proxies instead, so whether they forward another VPC's addresses
    is not known (docs/semantics.md §6v): `unknown`. A gateway is in no subnet, so the attachment
    subnet's NACL judges the packet outbound first; a NAT gateway may share that subnet, so there
    the walk stops at the route."""
    out = flow if target.startswith("nat-") else _leave(w, x, None, flow)
    if out is None:
        return
    w.hop(target, Kind.ROUTE_TARGET, Decision.UNKNOWN, "IPv6 of another VPC after a transit gateway", out,
          refs=(vpc,), rule="2.11, 2.14, 2.18")
    w.unknown(Blocker(component_id=target, kind=Kind.ROUTE_TARGET, code=Code.IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED,
                      params=(("vpc", vpc),), refs=(vpc,)), out)


def _lost_reply(w: Walk, rt: str, x: str, target: str, flow: Flow) -> None:
    """A reply routed anywhere but home does not come back from the address the function sent to
    (T4): the NAT or appliance there does not hold the function's connection."""
    out = _leave(w, x, None, flow)
    if out is None:
        return
    w.hop(rt, Kind.ROUTE_TABLE, Decision.DENY, f"the reply is routed to {target}, not home", out,
          refs=(target,), rule="0.3, 2.5")
    w.deny(Blocker(component_id=rt, kind=Kind.ROUTE_TABLE, code=Code.NO_ROUTE_TO_DESTINATION, refs=(target,),
                   params=(("dest", describe(out.src)), ("toward", "back to ")),
                   fix=FixCode.ROUTE_BACK, fix_params=(("dest", describe(out.src)), ("table", rt), ("via", "local"))),
           out)


def _leave(w: Walk, x: str, next_subnet: str | None, flow: Flow) -> Flow | None:
    """The attachment subnet's NACL judges what leaves it for a next hop in another subnet (T3)."""
    if next_subnet == x:
        return flow
    return acl(w, flow, x, egress=True, on_src=flow.is_reply)


def _onward_unknown(w: Walk, target: str, flow: Flow, detail: str) -> None:
    w.hop(target, Kind.ROUTE_TARGET, Decision.UNKNOWN, detail, flow)
    w.unknown(Blocker(component_id=target, kind=Kind.ROUTE_TARGET, code=Code.UNSUPPORTED_COMPONENT,
                      params=(("detail", detail),)), flow)


def _endpoint(w: Walk, x: str, vpce_id: str, vpc: str, flow: Flow) -> None:
    """A gateway endpoint serves only its own VPC's traffic (6.11, 3.5); a Gateway Load Balancer
    endpoint hands the packets to appliances the snapshot does not hold."""
    out = _leave(w, x, None, flow)
    if out is None:
        return
    ep = w.estate.endpoints.get(vpce_id)
    if ep is None:
        return w.missing_data(vpce_id, Kind.VPC_ENDPOINT, out, what=vpce_id)
    if ep.vpc_endpoint_type == "gatewayloadbalancer":
        w.hop(vpce_id, Kind.VPC_ENDPOINT, Decision.UNKNOWN, "Gateway Load Balancer endpoint", out)
        return w.unknown(Blocker(component_id=vpce_id, kind=Kind.VPC_ENDPOINT,
                                 code=Code.PATH_THROUGH_GWLB_NOT_CHECKED), out)
    if ep.vpc_endpoint_type != "gateway":
        return _onward_unknown(w, vpce_id, out, f"a route to a {ep.vpc_endpoint_type} endpoint")
    w.hop(vpce_id, Kind.VPC_ENDPOINT, Decision.DENY, "came through a transit gateway (6.11)", out,
          refs=(vpc,), rule="6.11, 3.5")
    w.deny(Blocker(component_id=vpce_id, kind=Kind.VPC_ENDPOINT,
                   code=Code.VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION, params=(("vpc", vpc),),
                   refs=(vpc,)), out)


def _to_nat(w: Walk, x: str, nat_id: str, flow: Flow, *, via: str) -> None:
    """Centralised egress (2.17): the NAT gateway translates traffic that came through the TGW; its
    replies go back to the function by the NAT subnet's own routes (T4)."""
    nat = w.estate.nats.get(nat_id)
    if nat is None:
        return w.missing_data(nat_id, Kind.NAT_GATEWAY, flow, what=nat_id)
    out = _leave(w, x, nat.subnet_id, flow)
    for dev, back in nat_gateway(w, nat, out, from_subnet=x):
        reply_from(w, dev.subnet_id, back, via=via)


def _deliver(w: Walk, vpc: str, x: str, flow: Flow, *, identity: bool, via: str) -> None:
    """T3 `local`: the destination subnet's NACL in, the owner's groups (4.9), then its reply."""
    parts = w.estate.subnets_holding(vpc, flow.dst)
    rest = flow.dst - union(p for _, p in parts)
    if rest:
        w.hop(vpc, Kind.VPC, Decision.DENY, f"no subnet holds {describe(rest)}", flow)
        w.deny(Blocker(component_id=vpc, kind=Kind.VPC, code=Code.DESTINATION_NOT_IN_SUBNET,
                       params=(("vpc", vpc), ("dest", describe(rest)))), flow.to(rest))
    for subnet, part in parts:
        sid = subnet.subnet_id
        there = flow.to(part)
        if x != sid:
            there = acl(w, acl(w, there, x, egress=True, on_src=False), sid, egress=False, on_src=True)
        for delivered in owner(w, there, identity=identity, cross_vpc=identity, via=via):
            reply_from(w, sid, delivered.reply(), via=via)


def reply_from(w: Walk, sid: str, flow: Flow | None, *, via: str | None) -> None:
    """T4: a reply goes where the answering subnet's route table sends the function's address,
    whatever way the request came (0.3): `local` in the function's VPC, a peering that joins it,
    or a TGW; anything else loses it. Then the subnet's NACL outbound (5.1). `via`: the peering or
    TGW the request came through, named by the fix when there is no way back."""
    if flow is None:
        return
    if sid == w.src.subnet_id:
        return w.reach(flow)  # within the function's subnet: no route table, no NACL (2.22, 5.5)
    vpc = w.estate.subnets[sid].vpc_id
    found = subnet_routes(w, sid, flow)
    if found is None:
        return
    rt, classes, no_route = found
    ways = [(c, p) for c, p in classes if c.live and (
        (c.target == "local" and vpc == w.src.vpc_id) or c.target.startswith("tgw-") or _joins(w, c.target, vpc))]
    lost = union(p for c, p in classes) - union(p for _, p in ways) | no_route
    if lost:
        # No route back, a blackhole, or a route to somewhere the function is not: the reply is lost.
        toward = f"back through {via} to " if via else "back to "
        home_cidr = w.estate.subnets[w.src.subnet_id].cidr_block or describe(lost)
        w.hop(rt, Kind.ROUTE_TABLE, Decision.DENY, f"no route {toward}{describe(lost)}", flow,
              refs=(via,) if via else (), rule="0.3, 2.5")
        w.deny(Blocker(component_id=rt, kind=Kind.ROUTE_TABLE, code=Code.NO_ROUTE_TO_DESTINATION,
                       params=(("dest", describe(lost)), ("toward", toward)), refs=(via,) if via else (),
                       fix=FixCode.ROUTE_BACK, fix_params=(("dest", home_cidr), ("table", rt), ("via", via or "local"))),
               flow.sent_from(lost))
    for choice, part in ways:
        leg = flow.sent_from(part)
        if choice.target != "local":  # the implicit local route is not a hop of its own
            route_hop(w, rt, choice, leg)
        leg = acl(w, leg, sid, egress=True, on_src=True)
        if leg is None:
            continue
        if choice.target.startswith("tgw-"):
            _enter(w, choice.target, sid, leg, seen=frozenset())
        else:
            home(w, leg)


def _joins(w: Walk, pcx_id: str, vpc: str) -> bool:
    """An active peering between `vpc` and the function's VPC carries the reply home (6.1)."""
    pcx = w.estate.peerings.get(pcx_id) if pcx_id.startswith("pcx-") else None
    ends = {i.vpc_id for i in (pcx.accepter_vpc_info, pcx.requester_vpc_info) if i} if pcx else set()
    return bool(pcx) and pcx.is_active and ends == {vpc, w.src.vpc_id}


def _landed(w: Walk, x: str, flow: Flow) -> None:
    """A reply out of the TGW into the function's VPC: the attachment subnet's NACL outbound,
    then the function's subnet inbound (T4, 1.25)."""
    if w.estate.subnets[x].vpc_id != w.src.vpc_id:
        return _onward_unknown(w, x, flow, "the reply arrives in a VPC that does not hold the function")
    if x == w.src.subnet_id:
        return w.reach(flow)  # the TGW's ENI shares the function's subnet: no NACL between them
    home(w, acl(w, flow, x, egress=True, on_src=True))
