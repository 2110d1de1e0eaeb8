"""Delivery inside a VPC and the way home: destination NACL and security groups, then the reply."""
from __future__ import annotations

from ...answer import Blocker, Decision
from ...packets import EMPTY, IntervalSet, describe, to_cidrs, union
from ..rules import route_classes
from .gates import acl, sg
from .state import Walk


def home(w: Walk, S, D, ghost) -> None:
    """Replies come back into the function's subnet: its NACL inbound on 1024-65535 (1.25, 5.1)."""
    acl(w, w.src.subnet_id, S, D, ghost, lambda S1, D1, g: w.reach(S1, D1, g), egress=False,
          on_s=False, reply=True)


def arrive(w: Walk, vpc_id: str, S, D, ghost, *, identity: bool, via_pcx: str | None) -> None:
    """Delivery inside a VPC: the destination subnet's NACL in, the owner's SGs, then the reply."""
    parts = w.estate.subnets_holding(vpc_id, D)
    rest = D - union(p for _, p in parts)
    if rest:
        w.hop(vpc_id, "vpc", Decision.DENY, f"no subnet holds {', '.join(to_cidrs(rest, 2))}")
        w.deny(Blocker(vpc_id, "vpc", "DESTINATION_NOT_IN_SUBNET",
                       (("vpc", vpc_id), ("dest", ", ".join(to_cidrs(rest, 2)))),), S, rest, ghost)
    for subnet, part in parts:
        sid = subnet.subnet_id
        same = sid == w.src.subnet_id
        back = lambda S2, D2, g2, sid=sid, same=same: _reply(w, sid, same, via_pcx, S2, D2, g2)
        to_owner = lambda S1, D1, g1, back=back: owner(w, S1, D1, g1, back, identity=identity)
        if same:
            to_owner(S, part, ghost)
        else:
            acl(w, sid, S, part, ghost, to_owner, egress=False, on_s=True)


def owner(w: Walk, S, D, ghost, then, *, identity: bool, cross_vpc: bool = False) -> None:
    """The destination's security groups, ingress (4.6, 7.4): by address, or as the target says."""
    if w.dest.groups is not None:
        return sg(w, sorted(w.dest.groups), S, D, ghost, then, egress=False, owner=w.dest.component_id,
                    identity=identity, peers_groups=frozenset(w.src.groups), cross_vpc=cross_vpc)
    held = EMPTY
    by_eni: dict[str, tuple[list[str], IntervalSet]] = {}
    for lo, hi in D.spans:
        for addr in ([a for a in w.estate.enis_by_ip if lo <= a <= hi] if hi - lo > 4096
                     else range(lo, hi + 1)):
            for eni in w.estate.enis_by_ip.get(addr, [])[:1]:
                groups, have = by_eni.get(eni.network_interface_id, (eni.group_ids, EMPTY))
                by_eni[eni.network_interface_id] = (groups, have | IntervalSet([(addr, addr)]))
                held = held | IntervalSet([(addr, addr)])
    for eni_id, (groups, part) in by_eni.items():
        sg(w, sorted(groups), S, part, ghost, then, egress=False, owner=eni_id, identity=identity,
             peers_groups=frozenset(w.src.groups), cross_vpc=cross_vpc)
    unheld = D - held
    if unheld:
        dest = ", ".join(to_cidrs(unheld, 2))
        w.hop(dest, "destination", Decision.UNKNOWN, "no network interface holds this address")
        w.unknown(Blocker(dest, "destination", "UNKNOWN_DESTINATION", (("dest", dest),),
                          "add-to-snapshot", (("missing", f"the network interface of {dest}"),),
                          (f"network interface of {dest}",)), S, unheld, ghost)


def _reply(w: Walk, sid: str, same: bool, via_pcx: str | None, S, D, ghost) -> None:
    """Replies: NACLs are stateless (5.1) and peering needs a route back (0.3, 6.1)."""
    def at_home(S1, D1, g):
        return w.reach(S1, D1, g) if same else home(w, S1, D1, g)

    def route_back(S1, D1, g):
        if via_pcx is None:
            return at_home(S1, D1, g)
        _route_back(w, sid, via_pcx, S1, D1, g, at_home)

    if same:
        return at_home(S, D, ghost)
    acl(w, sid, S, D, ghost, route_back, egress=True, on_s=True, reply=True)


def _route_back(w: Walk, sid: str, via: str, S, D, ghost, then) -> None:
    rt = w.route_table(sid, S, D, ghost)
    if rt is None:
        return
    vpc = w.estate.subnets[sid].vpc_id
    classes, no_route, _ = route_classes(w.estate, rt, vpc, S)
    back = union(p for c, p in classes if c.target == via and c.state != "blackhole")
    blocker = Blocker(rt, "route-table", "NO_ROUTE_TO_DESTINATION",
                      (("dest", describe(S - back)), ("toward", f"back through {via} to ")),
                      "route-back",
                      (("dest", w.estate.subnets[w.src.subnet_id].cidr_block or "?"), ("table", rt),
                       ("via", via)))
    w.gate(S, D, ghost, allowed=back, on_s=True, blocker=blocker, cont=then, component_id=rt,
           kind="route-table", detail=f"return route to the source through {via}")
