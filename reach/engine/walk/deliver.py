"""Delivery inside a VPC and the way home: destination NACL and security groups, then the reply."""
from __future__ import annotations

from typing import Iterator

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code, FixCode
from ...packets import EMPTY, IntervalSet, to_cidrs, union
from .gates import acl, sg
from .state import Flow, Walk


def home(w: Walk, flow: Flow | None) -> None:
    """Replies come back into the function's subnet: its NACL inbound on 1024-65535 (1.25, 5.1)."""
    if flow is not None:
        w.reach(acl(w, flow.reply(), w.src.subnet_id, egress=False, on_src=False))


def arrive(w: Walk, vpc_id: str, flow: Flow | None, *, identity: bool,
           via: str = "a NAT") -> Iterator[tuple[str, Flow]]:
    """Delivery inside a VPC: the destination subnet's NACL in, the owner's SGs (4.6, 5.1).

    Yields (the answering subnet, its reply) for each part delivered; the caller sends the reply
    home by that subnet's routes (docs/semantics.md §6t T4)."""
    if flow is None:
        return
    parts = w.estate.subnets_holding(vpc_id, flow.dst)
    rest = flow.dst - union(p for _, p in parts)
    if rest:
        w.hop(vpc_id, Kind.VPC, Decision.DENY, f"no subnet holds {', '.join(to_cidrs(rest, 2))}", flow)
        w.deny(Blocker(component_id=vpc_id, kind=Kind.VPC, code=Code.DESTINATION_NOT_IN_SUBNET,
                       params=(("vpc", vpc_id), ("dest", ", ".join(to_cidrs(rest, 2))))), flow.to(rest))
    for subnet, part in parts:
        sid = subnet.subnet_id
        there = flow.to(part) if sid == w.src.subnet_id else acl(w, flow.to(part), sid, egress=False, on_src=True)
        for delivered in owner(w, there, identity=identity, via=via):
            yield sid, delivered.reply()


def owner(w: Walk, flow: Flow | None, *, identity: bool, cross_vpc: bool = False,
          via: str = "a NAT") -> Iterator[Flow]:
    """The destination's security groups, ingress (4.6, 7.4): by address, or as the target says.

    Yields the flow that each owner admits, in turn (its reply is walked before the next owner)."""
    if flow is None:
        return
    if w.dest.groups is not None:
        admitted = sg(w, flow, sorted(w.dest.groups), egress=False, owner=w.dest.component_id,
                      identity=identity, peers_groups=frozenset(w.src.groups), cross_vpc=cross_vpc, via=via)
        if admitted is not None:
            yield admitted
        return
    held = EMPTY
    by_eni: dict[str, tuple[list[str], IntervalSet]] = {}
    for lo, hi in flow.dst.spans:
        for addr in ([a for a in w.estate.enis_by_ip if lo <= a <= hi] if hi - lo > 4096
                     else range(lo, hi + 1)):
            for eni in w.estate.enis_by_ip.get(addr, [])[:1]:
                groups, have = by_eni.get(eni.network_interface_id, (eni.group_ids, EMPTY))
                by_eni[eni.network_interface_id] = (groups, have | IntervalSet([(addr, addr)]))
                held = held | IntervalSet([(addr, addr)])
    for eni_id, (groups, part) in by_eni.items():
        admitted = sg(w, flow.to(part), sorted(groups), egress=False, owner=eni_id, identity=identity,
                      peers_groups=frozenset(w.src.groups), cross_vpc=cross_vpc, via=via)
        if admitted is not None:
            yield admitted
    unheld = flow.dst - held
    if unheld:
        dest = ", ".join(to_cidrs(unheld, 2))
        w.hop(dest, Kind.DESTINATION, Decision.UNKNOWN, "no network interface holds this address", flow)
        w.unknown(Blocker(component_id=dest, kind=Kind.DESTINATION, code=Code.UNKNOWN_DESTINATION,
                          params=(("dest", dest),), fix=FixCode.ADD_TO_SNAPSHOT,
                          fix_params=(("missing", f"the network interface of {dest}"),),
                          missing=(f"network interface of {dest}",)), flow.to(unheld))
