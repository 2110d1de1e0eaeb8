"""The path from a Hyperplane ENI: routes and their targets, NAT, gateways, endpoints, peering (§1-§7)."""
from __future__ import annotations

from ...answer import Blocker, Decision
from ...packets import EMPTY, PRIVATE, PUBLIC, cidrs_set, describe, union
from ..rules import RouteChoice, route_classes
from .deliver import arrive, home
from .endpoints import gateway_endpoint
from .fixes import nat_fix, peering_fix, route_fix
from .gates import acl, sg
from .nat import from_internet, nat_gateway, nat_instance
from .state import Walk
from .tgw import through_tgw


def start(w: Walk) -> None:
    S, D = w.src.addresses, w.dest.addresses
    if w.src.subnet_id is None:
        return _outside_vpc(w, S, D)
    sg(w, w.src.groups, S, D, False, lambda S1, D1, g: _leave(w, S1, D1, g), egress=True,
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
            from_internet(w, S, rest, False, PUBLIC, lambda S1, D1, g: w.reach(S1, D1, g))
        else:
            w.reach(S, rest, False)


def _leave(w: Walk, S, D, ghost) -> None:
    """Same-subnet traffic is switched without routes or NACLs (2.22, 5.5); the rest is routed."""
    here = w.estate.subnets.get(w.src.subnet_id)
    same = D & (w.estate.subnet_addresses(w.src.subnet_id) if here else EMPTY)
    if same:
        arrive(w, w.src.vpc_id, S, same, ghost, identity=True, via_pcx=None)
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
        # The blocker is the prefix list whose entries are missing, not the table that names it.
        w.missing_data(missing_pl[0], "prefix-list", S, D - no_route - union(c for _, c in classes),
                       ghost, what=", ".join(missing_pl))
    if no_route:
        w.hop(rt, "route-table", Decision.DENY, f"no route for {describe(no_route)}")
        w.deny(Blocker(rt, "route-table", "NO_ROUTE_TO_DESTINATION",
                       (("dest", describe(no_route)), ("toward", "for ")), *route_fix(w, rt)),
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
    out = lambda then: (lambda S1, D1, g: acl(w, sub, S1, D1, g, then, egress=True, on_s=False))
    if t == "local":
        return out(lambda S1, D1, g: arrive(w, w.src.vpc_id, S1, D1, g, identity=True,
                                             via_pcx=None))(S, D, ghost)
    if t.startswith("nat-"):
        # Even when the NAT shares the subnet, the packet leaves it on the way to any address
        # outside it, and the subnet's outbound rules judge its real destination (5.1, 5.5).
        nat = w.estate.nats.get(t)
        return out(lambda S1, D1, g: nat_gateway(w, nat, S1, D1, g) if nat else
                   w.missing_data(t, "nat-gateway", S1, D1, g, what=t))(S, D, ghost)
    if t.startswith("igw-"):
        return out(lambda S1, D1, g: _igw(w, t, S1, D1, g))(S, D, ghost)
    if t.startswith("vpce-"):
        return out(lambda S1, D1, g: gateway_endpoint(
            w, t, S1, D1, g, lambda S2, D2, g2: home(w, S2, D2, g2)))(S, D, ghost)
    if t.startswith("pcx-"):
        return out(lambda S1, D1, g: _peering(w, t, S1, D1, g))(S, D, ghost)
    if t.startswith("tgw-"):
        return out(lambda S1, D1, g: through_tgw(w, t, S1, D1, g))(S, D, ghost)
    if t.startswith(("eni-", "i-")):
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
                   *nat_fix(w, prefer_move=True)), S, D, ghost)





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
                        ("dest", describe(outside))), *peering_fix(w)),
               S, outside, ghost)
    if not inside:
        return
    if peer.vpc_id not in w.estate.vpcs:
        return w.missing_data(peer.vpc_id, "vpc", S, inside, ghost, what=peer.vpc_id)
    same_region = (mine is None or mine.region is None or peer.region is None
                   or mine.region == peer.region)
    arrive(w, peer.vpc_id, S, inside, ghost, identity=same_region, via_pcx=pcx_id)





