"""The filters as walk gates: security groups (4.x) and network ACLs (5.x), and a route-table lookup."""
from __future__ import annotations

from typing import Callable, Iterator

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code, FixCode
from ...packets import EPHEMERAL, IntervalSet, describe, port_set, to_cidrs, union
from ..routes import Classes, RouteChoice, route_classes
from ..rules import acl_allows, security_groups_allow
from .fixes import NONE, Fix, acl_fix, sg_fix
from .state import Flow, Walk


def sg(w: Walk, flow: Flow | None, groups: list[str], *, egress: bool, owner: str, identity: bool = True,
       peers_groups: frozenset[str] = frozenset(), cross_vpc: bool = False, via: str = "a NAT") -> Flow | None:
    """Security groups (4.1-4.10): egress narrows the destinations, ingress the sources. `via`:
    what the packets crossed when the function's group identity is not seen (4.7-4.9).

    Returns the flow that goes on, or None when nothing is left to judge."""
    if flow is None:
        return None
    peers = flow.dst if egress else flow.src
    res = security_groups_allow(w.estate, groups, egress=egress, protocol=w.protocol, port=w.port,
                                peers=peers, peer_groups=peers_groups, peer_identity=identity,
                                cross_vpc=cross_vpc)
    first = min(groups) if groups else owner
    if not w.trace and not res.unknown and res.allowed == peers and peers:
        w.trail.append(first)  # all of it allowed: the gate has nothing to record but its id
        return flow
    kind = Kind.SECURITY_GROUP_EGRESS if egress else Kind.SECURITY_GROUP_INGRESS
    if res.unknown:
        w.missing_data(res.missing[0] if res.missing else first, kind,
                       flow.to(res.unknown) if egress else flow.sent_from(res.unknown),
                       what=", ".join(res.missing) or first)
    code = Code.SG_HAS_NO_RULES if res.empty else (
        Code.SG_REFERENCES_NOT_PRESERVED if res.lost_reference and not res.allowed else
        Code.ENI_SG_RULES_MISMATCH)

    def blocker() -> Blocker:
        return Blocker(component_id=first, kind=kind, code=code, refs=tuple(sorted(groups)),
                       params=(("groups", ", ".join(groups)), ("direction", "egress" if egress else "ingress"),
                               ("flow", w.flow_text()), ("via", via)),
                       **sg_fix(w, groups, egress=egress, identity=identity))
    out = w.gate(flow, allowed=res.allowed, on_src=not egress, blocker=blocker, component_id=first,
                 kind=kind, detail=lambda _: "; ".join(res.rules) or "no rule matches",
                 refs=tuple(sorted(groups)))
    if not res.unknown:
        return out
    # What the snapshot cannot decide was recorded as unknown above; the rest goes on.
    rest = (out.dst if egress else out.src) - res.unknown
    if not rest:
        return None
    return out.to(rest) if egress else out.sent_from(rest)


def acl(w: Walk, flow: Flow | None, subnet_id: str, *, egress: bool, on_src: bool) -> Flow | None:
    """A subnet's NACL (5.1-5.9): first match; replies need the whole ephemeral range (1.25).

    `on_src`: the NACL judges the flow's sources (else its destinations) as the other side."""
    if flow is None:
        return None
    acl_id = w.estate.acl_id(subnet_id)
    kind = Kind.NETWORK_ACL_EGRESS if egress else Kind.NETWORK_ACL_INGRESS
    if acl_id is None or acl_id not in w.estate.acls:
        w.missing_data(acl_id or subnet_id, kind, flow, what=acl_id or f"the network ACL of {subnet_id}")
        return None
    reply = flow.is_reply
    others = flow.src if on_src else flow.dst
    res = acl_allows(w.estate, acl_id, egress=egress, protocol=w.protocol, others=others,
                     ports=EPHEMERAL if reply else port_set(w.port, w.port))
    if not w.trace and res.allowed == others and others:
        w.trail.append(acl_id)  # all of it allowed: the gate has nothing to record but its id
        return flow
    denied_by = res.denied[0][0] if res.denied else ""

    def blocker() -> Blocker:
        return Blocker(component_id=acl_id, kind=kind, code=Code.SUBNET_ACL_RESTRICTION, refs=(subnet_id,),
                       params=(("acl_rule", denied_by), ("flow", w.flow_text(reply)),
                               ("direction", ("outbound" if egress else "inbound") + (" reply" if reply else ""))),
                       **acl_fix(w, acl_id, subnet_id, egress=egress, on_src=on_src, reply=reply, others=others,
                                   denies=res.deny_numbers))

    def detail(denied: bool) -> str:
        text = ("reply " if reply else "") + "; ".join(res.rules)
        if res.denied:
            text += f"; {denied_by} denies {', '.join(to_cidrs(others - res.allowed, 3))}"
        return text.strip("; ")
    return w.gate(flow, allowed=res.allowed, on_src=on_src, blocker=blocker, component_id=acl_id,
                  kind=kind, detail=detail, refs=(subnet_id,))


def routed(w: Walk, table_id: str, flow: Flow, classes: Classes, no_route: IntervalSet, *,
           kind: Kind = Kind.ROUTE_TABLE, no_route_detail: str = "no route for ",
           fix: Callable[[], Fix] = lambda: NONE) -> Iterator[tuple[RouteChoice, Flow]]:
    """One route-table lookup's outcome: the part with no route is dropped (2.5, 6.9), blackhole
    routes drop theirs (2.8), and each live route's part goes on, in the order the routes won."""
    vpc = kind == Kind.ROUTE_TABLE
    if no_route:
        w.hop(table_id, kind, Decision.DENY, f"{no_route_detail}{describe(no_route)}", flow)
        w.deny(Blocker(component_id=table_id, kind=kind,
                       code=Code.NO_ROUTE_TO_DESTINATION if vpc else Code.TGW_RTB_CANNOT_ROUTE,
                       params=(("dest", describe(no_route)), ("toward", "back to " if flow.is_reply else "for ")),
                       **fix()), flow.heading(no_route))
    for choice, part in classes:
        if choice.live:
            yield choice, flow.heading(part)
            continue
        route = (("route", choice.describe()), ("table", table_id))
        w.hop(table_id, kind, Decision.DENY, choice.describe(), flow, refs=(choice.target,), rule="2.8" if vpc else "6.9")
        w.deny(Blocker(component_id=table_id, kind=kind, params=route, refs=(choice.target,),
                       code=Code.BAD_STATE_ROUTE if vpc else Code.TGW_RTB_BAD_STATE_ROUTE,
                       **({"fix": FixCode.FIX_BLACKHOLE, "fix_params": route} if vpc else {})),
               flow.heading(part))


def route_hop(w: Walk, table_id: str, choice: RouteChoice, flow: Flow, *, kind: Kind = Kind.ROUTE_TABLE,
              decision: Decision = Decision.ALLOW) -> None:
    """Record the route a part of the flow takes."""
    w.hop(table_id, kind, decision, choice.describe, flow, refs=(choice.target,) if choice.target != "local" else ())


def subnet_routes(w: Walk, subnet_id: str, flow: Flow) -> tuple[str, Classes, IntervalSet] | None:
    """A subnet's route table (2.1) split over the addresses the packets go to (2.5, 2.6), or None
    when the snapshot lacks it; the part a missing prefix list leaves undecided is unknown, naming
    the list rather than the table."""
    rt = w.route_table(subnet_id, flow)
    if rt is None:
        return None
    classes, no_route, missing_pl = route_classes(w.estate, rt, w.estate.subnets[subnet_id].vpc_id, flow.toward)
    if missing_pl:
        w.missing_data(missing_pl[0], Kind.PREFIX_LIST,
                       flow.heading(flow.toward - no_route - union(c for _, c in classes)), what=", ".join(missing_pl))
    return rt, classes, no_route
