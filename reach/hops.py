"""The path from a Hyperplane ENI: routes and their targets, NAT, gateways, endpoints, peering (§1-§7)."""
from __future__ import annotations

from . import fixes
from .answer import Blocker, Decision
from .packets import EMPTY, PRIVATE, PUBLIC, IntervalSet, cidrs_set, describe, ip_set, to_cidrs, union
from .rules import RouteChoice, route_classes
from .walk import Walk


def start(w: Walk) -> None:
    S, D = w.src.addresses, w.dest.addresses
    if w.src.subnet_id is None:
        return _outside_vpc(w, S, D)
    w.sg(w.src.groups, S, D, False, lambda S1, D1, g: _leave(w, S1, D1, g), egress=True,
         owner=w.src.subnet_id, peers_groups=w.dest.groups or frozenset())


def _outside_vpc(w: Walk, S, D) -> None:
    """A function outside any VPC reaches AWS services and the internet, never private IPs (1.1)."""
    private = D & (PRIVATE | cidrs_set(c for v in w.estate.vpcs.values() for c in v.ipv4_cidrs()))
    if w.dest.public_owner is not None:
        private = EMPTY
    w.hop("lambda-service", "lambda-service", Decision.DENY if private else Decision.ALLOW,
          "the Lambda service network: AWS services and the internet only (1.1)")
    if private:
        vpc = next((v for v in w.estate.vpcs if w.estate.vpc_addresses(v) & private), "lambda-service")
        w.deny(Blocker(vpc, "vpc", "DISCONNECTED_VPCS", (("dest", describe(private)),),
                       "put-in-vpc", (("dest", w.dest.component_id),)), S, private, False)
    rest = D - private
    if rest:
        if w.dest.public_owner is not None:
            # The Lambda service's public address is not known: any public address (TC02).
            _from_internet(w, S, rest, False, PUBLIC, lambda S1, D1, g: w.reach(S1, D1, g))
        else:
            w.reach(S, rest, False)


def _leave(w: Walk, S, D, ghost) -> None:
    """Same-subnet traffic is switched without routes or NACLs (2.22, 5.5); the rest is routed."""
    here = w.estate.subnets.get(w.src.subnet_id)
    same = D & (w.estate.subnet_addresses(w.src.subnet_id) if here else EMPTY)
    if same:
        _arrive(w, w.src.vpc_id, S, same, ghost, identity=True, via_pcx=None)
    rest = D - same
    if rest:
        _route(w, w.src.subnet_id, S, rest, ghost)


def _route(w: Walk, subnet_id: str, S, D, ghost) -> None:
    """The subnet's route table: explicit else main (2.1), longest prefix (2.5, 2.6), blackholes (2.8)."""
    rt = w.route_table(subnet_id, S, D, ghost)
    if rt is None:
        return
    classes, no_route, missing_pl = route_classes(w.estate, rt, w.src.vpc_id, D)
    if missing_pl:
        w.missing_data(rt, "route-table", S, D - no_route - union(c for _, c in classes), ghost,
                       what=", ".join(missing_pl))
    if no_route:
        w.hop(rt, "route-table", Decision.DENY, f"no route for {describe(no_route)}")
        w.deny(Blocker(rt, "route-table", "NO_ROUTE_TO_DESTINATION",
                       (("dest", describe(no_route)), ("toward", "for ")), *fixes.route_fix(w, rt)),
               S, no_route, ghost)
    for choice, part in classes:
        if choice.state == "blackhole":
            w.hop(rt, "route-table", Decision.DENY, choice.describe())
            w.deny(Blocker(rt, "route-table", "BAD_STATE_ROUTE",
                           (("route", choice.describe()), ("table", rt)), "fix-blackhole",
                           (("route", choice.describe()), ("table", rt))), S, part, ghost)
            continue
        w.hop(rt, "route-table", Decision.ALLOW, choice.describe())
        _target(w, choice, S, part, ghost)


def _target(w: Walk, choice: RouteChoice, S, D, ghost) -> None:
    t, sub = choice.target, w.src.subnet_id
    out = lambda then: (lambda S1, D1, g: w.acl(sub, S1, D1, g, then, egress=True, on_s=False))
    if t == "local":
        return out(lambda S1, D1, g: _arrive(w, w.src.vpc_id, S1, D1, g, identity=True,
                                             via_pcx=None))(S, D, ghost)
    if t.startswith("nat-"):
        # Even when the NAT shares the subnet, the packet leaves it on the way to any address
        # outside it, and the subnet's outbound rules judge its real destination (5.1, 5.5).
        nat = w.estate.nats.get(t)
        return out(lambda S1, D1, g: _nat(w, nat, S1, D1, g) if nat else
                   w.missing_data(t, "nat-gateway", S1, D1, g, what=t))(S, D, ghost)
    if t.startswith("igw-"):
        return out(lambda S1, D1, g: _igw(w, t, S1, D1, g))(S, D, ghost)
    if t.startswith("vpce-"):
        return out(lambda S1, D1, g: _gateway_endpoint(
            w, t, S1, D1, g, lambda S2, D2, g2: _home(w, S2, D2, g2)))(S, D, ghost)
    if t.startswith("pcx-"):
        return out(lambda S1, D1, g: _peering(w, t, S1, D1, g))(S, D, ghost)
    if t.startswith("tgw-"):
        from .tgw import through_tgw
        return out(lambda S1, D1, g: through_tgw(w, t, S1, D1, g))(S, D, ghost)
    if t.startswith(("eni-", "i-")):
        from .devices import nat_instance
        return nat_instance(w, t, S, D, ghost)
    what = {"vgw-": "the path leaves AWS through a virtual private gateway",
            "eigw-": "egress-only internet gateways carry IPv6 only (2.14)"}
    detail = next((v for k, v in what.items() if t.startswith(k)), "this route target is not modelled")
    w.hop(t, "route-target", Decision.UNKNOWN, detail)
    w.unknown(Blocker(t, "route-target", "UNSUPPORTED_COMPONENT", (("detail", detail),)), S, D, ghost)


def _igw(w: Walk, igw_id: str, S, D, ghost) -> None:
    """An IGW needs a public IP on the source; a Lambda ENI has none (1.22, 2.11)."""
    igw = w.estate.igws.get(igw_id)
    if igw is None:
        return w.missing_data(igw_id, "internet-gateway", S, D, ghost, what=igw_id)
    if not any(a.vpc_id == w.src.vpc_id and a.state in (None, "available", "attached")
               for a in igw.attachments):
        w.hop(igw_id, "internet-gateway", Decision.DENY, f"not attached to {w.src.vpc_id}")
        return w.deny(Blocker(igw_id, "internet-gateway", "BAD_STATE_ATTACHMENT",
                              (("vpc", w.src.vpc_id or "?"),), "attach-igw",
                              (("component", igw_id), ("vpc", w.src.vpc_id or "?"))), S, D, ghost)
    w.hop(igw_id, "internet-gateway", Decision.DENY, "the Lambda ENI has no public IP (1.22)")
    w.deny(Blocker(igw_id, "internet-gateway", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", (),
                   *fixes.nat_fix(w, prefer_move=True)), S, D, ghost)


def _nat(w: Walk, nat, S, D, ghost) -> None:
    """A NAT gateway (2.15-2.21): its state, its subnet's NACLs and route table, an attached IGW."""
    from .devices import NatDevice, through_device
    nid = nat.nat_gateway_id
    if nat.state not in (None, "available"):
        w.hop(nid, "nat-gateway", Decision.DENY, f"state {nat.state}")
        return w.deny(Blocker(nid, "nat-gateway", "BAD_STATE", (("state", nat.state),), *fixes.nat_fix(w)),
                      S, D, ghost)
    if nat.availability_mode == "regional":
        w.hop(nid, "nat-gateway", Decision.UNKNOWN, "regional NAT gateway (2.20)")
        return w.unknown(Blocker(nid, "nat-gateway", "REGIONAL_NGW_ROUTE_AZ_RESTRICTION",
                                 (("az", w.src.subnet_id or "?"),)), S, D, ghost)
    if nat.subnet_id is None or nat.subnet_id not in w.estate.subnets:
        return w.missing_data(nid, "nat-gateway", S, D, ghost, what=nat.subnet_id or f"the subnet of {nid}")
    public_ips = [a.public_ip for a in nat.nat_gateway_addresses if a.public_ip]
    device = NatDevice(nid, "nat-gateway", nat.subnet_id, public=nat.is_public,
                       public_addresses=ip_set(public_ips) if public_ips else PUBLIC, groups=None)
    w.hop(nid, "nat-gateway", Decision.ALLOW, f"{'public' if nat.is_public else 'private'} NAT gateway in "
          f"{nat.subnet_id}")
    through_device(w, device, S, D, ghost)


def _gateway_endpoint(w: Walk, vpce_id: str, S, D, ghost, then) -> None:
    """A gateway endpoint serves its own Region's service over TCP only (3.2-3.9)."""
    ep = w.estate.endpoints.get(vpce_id)
    if ep is None:
        return w.missing_data(vpce_id, "vpc-endpoint", S, D, ghost, what=vpce_id)
    if ep.state not in (None, "available"):
        w.hop(vpce_id, "vpc-endpoint", Decision.DENY, f"state {ep.state}")
        return w.deny(Blocker(vpce_id, "vpc-endpoint", "BAD_STATE", (("state", ep.state),)), S, D, ghost)
    if ep.vpc_endpoint_type != "gateway":
        w.hop(vpce_id, "vpc-endpoint", Decision.UNKNOWN, f"{ep.vpc_endpoint_type} endpoint as a route target")
        return w.unknown(Blocker(vpce_id, "vpc-endpoint", "UNSUPPORTED_COMPONENT",
                                 (("detail", "Gateway Load Balancer endpoints are not modelled"),)),
                         S, D, ghost)
    if w.protocol != "tcp":
        w.hop(vpce_id, "vpc-endpoint", Decision.DENY, "gateway endpoints carry TCP only (3.9)")
        return w.deny(Blocker(vpce_id, "vpc-endpoint", "VPCE_GATEWAY_PROTOCOL_RESTRICTION"), S, D, ghost)
    w.hop(vpce_id, "vpc-endpoint", Decision.ALLOW, f"gateway endpoint to {ep.service_name}")
    fixes.policy_note(w, ep)
    then(S, D, ghost)


def _home(w: Walk, S, D, ghost) -> None:
    """Replies come back into the function's subnet: its NACL inbound on 1024-65535 (1.25, 5.1)."""
    w.acl(w.src.subnet_id, S, D, ghost, lambda S1, D1, g: w.reach(S1, D1, g), egress=False,
          on_s=False, reply=True)


def _peering(w: Walk, pcx_id: str, S, D, ghost) -> None:
    """Peering (6.1-6.7): active, only to the peer's CIDRs, not transitive, routes both ways."""
    pcx = w.estate.peerings.get(pcx_id)
    if pcx is None:
        return w.missing_data(pcx_id, "vpc-peering-connection", S, D, ghost, what=pcx_id)
    code = pcx.status.code if pcx.status else None
    if code != "active":
        w.hop(pcx_id, "vpc-peering-connection", Decision.DENY, f"status {code}")
        return w.deny(Blocker(pcx_id, "vpc-peering-connection", "BAD_STATE", (("state", code or "?"),),
                              "activate-peering", (("component", pcx_id),)), S, D, ghost)
    a, r = pcx.accepter_vpc_info, pcx.requester_vpc_info
    mine, peer = (r, a) if r and r.vpc_id == w.src.vpc_id else (a, r)
    if peer is None or peer.vpc_id is None:
        return w.missing_data(pcx_id, "vpc-peering-connection", S, D, ghost, what=f"the peer of {pcx_id}")
    peer_cidrs = peer.cidrs() or w.estate.vpc_cidrs(peer.vpc_id)
    inside = D & cidrs_set(peer_cidrs)
    outside = D - inside
    w.hop(pcx_id, "vpc-peering-connection", Decision.DENY if outside else Decision.ALLOW,
          f"to {peer.vpc_id} ({', '.join(peer_cidrs)})")
    if outside:
        w.deny(Blocker(pcx_id, "vpc-peering-connection", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
                       (("peer_vpc", peer.vpc_id), ("peer_cidrs", ", ".join(peer_cidrs)),
                        ("dest", describe(outside))), *fixes.peering_fix(w)),
               S, outside, ghost)
    if not inside:
        return
    if peer.vpc_id not in w.estate.vpcs:
        return w.missing_data(peer.vpc_id, "vpc", S, inside, ghost, what=peer.vpc_id)
    same_region = (mine is None or mine.region is None or peer.region is None
                   or mine.region == peer.region)
    _arrive(w, peer.vpc_id, S, inside, ghost, identity=same_region, via_pcx=pcx_id)


def _arrive(w: Walk, vpc_id: str, S, D, ghost, *, identity: bool, via_pcx: str | None) -> None:
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
        owner = lambda S1, D1, g1, back=back: _owner(w, S1, D1, g1, back, identity=identity)
        if same:
            owner(S, part, ghost)
        else:
            w.acl(sid, S, part, ghost, owner, egress=False, on_s=True)


def _owner(w: Walk, S, D, ghost, then, *, identity: bool, cross_vpc: bool = False) -> None:
    """The destination's security groups, ingress (4.6, 7.4): by address, or as the target says."""
    if w.dest.groups is not None:
        return w.sg(sorted(w.dest.groups), S, D, ghost, then, egress=False, owner=w.dest.component_id,
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
        w.sg(sorted(groups), S, part, ghost, then, egress=False, owner=eni_id, identity=identity,
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
    def home(S1, D1, g):
        return w.reach(S1, D1, g) if same else _home(w, S1, D1, g)

    def route_back(S1, D1, g):
        if via_pcx is None:
            return home(S1, D1, g)
        _route_back(w, sid, via_pcx, S1, D1, g, home)

    if same:
        return home(S, D, ghost)
    w.acl(sid, S, D, ghost, route_back, egress=True, on_s=True, reply=True)


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


def _from_internet(w: Walk, S, D, ghost, sources: IntervalSet, then) -> None:
    from .devices import from_internet
    from_internet(w, S, D, ghost, sources, then)
