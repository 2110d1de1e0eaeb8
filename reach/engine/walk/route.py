"""The start of a walk: SG egress, the source subnet's route table and its targets, peering (§1-§6)."""
from __future__ import annotations

from dataclasses import replace

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code, FixCode
from ...packets import ALL_IPV6, EMPTY, NAT64_PREFIX, PRIVATE, PUBLIC, cidrs_set, describe, union
from ..routes import RouteChoice, route_classes, route_hypotheses
from .deliver import arrive, home
from .endpoints import gateway_endpoint
from .fixes import nat64_fix, nat_fix, peering_fix, route_fix
from .gates import acl, route_hop, routed, sg
from .nat import from_internet, nat_gateway, nat_instance
from .state import Flow, Walk
from .tgw import reply_from, through_tgw

# Route targets the walk does not follow, and why (2.7).
_UNFOLLOWED = {"vgw-": "the path leaves AWS through a virtual private gateway"}
# Targets the walk follows for IPv4 but not for IPv6 (docs/semantics.md §6v), and why.
_NOT_FOR_IPV6 = {"eni-": "IPv6 through a NAT instance is not followed",
                 "i-": "IPv6 through a NAT instance is not followed"}


def start(w: Walk) -> None:
    """Walk every packet of the source's addresses toward the destination's addresses."""
    flow = Flow(w.src.addresses, w.dest.addresses)
    if w.src.subnet_id is None:
        return _outside_vpc(w, flow)
    flow = sg(w, flow, w.src.groups, egress=True, owner=w.src.subnet_id,
              peers_groups=w.dest.groups or frozenset())
    if flow is not None:
        _leave(w, flow)


def _outside_vpc(w: Walk, flow: Flow) -> None:
    """A function outside any VPC reaches AWS services and the internet, never private IPs (1.1)."""
    private = flow.dst & (PRIVATE | w.estate.vpcs_ipv4)
    if w.dest.public_owner is not None:
        private = EMPTY
    w.hop("lambda-service", Kind.LAMBDA_SERVICE, Decision.DENY if private else Decision.ALLOW,
          "the Lambda service network: AWS services and the internet only (1.1)", flow)
    if private:
        vpc = next((v for v in w.estate.vpcs if w.estate.vpc_addresses(v) & private), "lambda-service")
        w.deny(Blocker(component_id=vpc, kind=Kind.VPC, code=Code.DISCONNECTED_VPCS,
                       params=(("dest", describe(private)),), fix=FixCode.PUT_IN_VPC,
                       fix_params=(("dest", w.dest.component_id),)), flow.to(private))
    rest = flow.dst - private
    if not rest:
        return
    if w.dest.public_owner is not None:
        # The Lambda service's public address is not known: any public address (TC02).
        w.reach(from_internet(w, flow.to(rest), PUBLIC))
    else:
        w.reach(flow.to(rest))


def _leave(w: Walk, flow: Flow) -> None:
    """Same-subnet traffic is switched without routes or NACLs (2.22, 5.5); the rest is routed."""
    here = w.estate.subnets.get(w.src.subnet_id)
    same = flow.dst & (w.estate.subnet_addresses(w.src.subnet_id) if here else EMPTY)
    if same:
        for sid, back in arrive(w, w.src.vpc_id, flow.to(same), identity=True):
            reply_from(w, sid, back, via=None)
    rest = flow.dst - same
    if rest:
        _route(w, w.src.subnet_id, flow.to(rest))


def _route(w: Walk, subnet_id: str, flow: Flow) -> None:
    """The subnet's route table: explicit else main (2.1), longest prefix (2.5, 2.6), blackholes (2.8)."""
    rt = w.route_table(subnet_id, flow)
    if rt is None:
        return
    classes, no_route, missing_pl = route_classes(w.estate, rt, w.src.vpc_id, flow.dst)
    if missing_pl:
        undecided = flow.to(flow.dst - no_route - union(c for _, c in classes))
        if undecided.dst and not _either_way(w, rt, undecided, missing_pl):
            # The blocker is the prefix list whose entries are missing, not the table that names it.
            w.missing_data(missing_pl[0], Kind.PREFIX_LIST, undecided, what=", ".join(missing_pl))
    for choice, part in routed(w, rt, flow, classes, no_route, fix=lambda: route_fix(w, rt)):
        route_hop(w, rt, choice, part)
        _target(w, choice, part)


def _either_way(w: Walk, rt: str, flow: Flow, missing_pl: list[str]) -> bool:
    """The table's prefix lists cannot be expanded, yet every address gets through whichever
    route it takes (routes.route_hypotheses): then it gets through, and the walk records each way.
    Decided only when every way reaches all of the flow; otherwise False and nothing recorded."""
    if flow.ghost:
        return False
    trials: list[Walk] = []
    for classes, no_route in route_hypotheses(w.estate, rt, w.src.vpc_id, flow.dst):
        if no_route:
            return False
        trial = replace(w, hops=[], blockers=[], outcomes=[], missing=[], notes=[], trail=[])
        for choice, part in routed(trial, rt, flow, classes, EMPTY):
            route_hop(trial, rt, choice, part)
            _target(trial, choice, part)
        reached = union(d for k, src, d in trial.outcomes if k == "reach" and src == flow.src)
        if any(k != "reach" for k, _, _ in trial.outcomes) or reached != flow.dst:
            return False
        trials.append(trial)
    w.hop(missing_pl[0], Kind.PREFIX_LIST, Decision.ALLOW,
          f"{', '.join(missing_pl)}: entries not in the snapshot, but every address gets through "
          "by either route", flow, refs=tuple(missing_pl), rule="2.5, 2.6")
    for trial in trials:
        w.hops.extend(trial.hops)
        w.trail.extend(trial.trail)
        w.outcomes.extend(trial.outcomes)
        w.notes.extend(n for n in trial.notes if n not in w.notes)
    return True


def _target(w: Walk, choice: RouteChoice, flow: Flow) -> None:
    """The route's target. The packet leaves the subnet for any address outside it, so the subnet's
    outbound rules judge its real destination, even when the target shares the subnet (5.1, 5.5)."""
    t = choice.target
    six = flow.dst & ALL_IPV6
    if six and t.startswith(tuple(_NOT_FOR_IPV6)):
        # Judged up to the subnet's outbound NACL, then unknown at the target.
        detail = next(v for k, v in _NOT_FOR_IPV6.items() if t.startswith(k))
        gone = flow.to(six) if t.startswith(("eni-", "i-")) else \
            acl(w, flow.to(six), w.src.subnet_id, egress=True, on_src=False)
        if gone is not None:
            w.hop(t, Kind.ROUTE_TARGET, Decision.UNKNOWN, detail, gone)
            w.unknown(Blocker(component_id=t, kind=Kind.ROUTE_TARGET, code=Code.UNSUPPORTED_COMPONENT,
                              params=(("detail", detail),)), gone)
        if not flow.dst - six:
            return
        flow = flow.to(flow.dst - six)
    if t.startswith(("eni-", "i-")):
        for dev, back in nat_instance(w, t, flow):
            reply_from(w, dev.subnet_id, back, via=None)
        return
    if not t.startswith(("local", "nat-", "igw-", "eigw-", "vpce-", "pcx-", "tgw-")):
        detail = next((v for k, v in _UNFOLLOWED.items() if t.startswith(k)), "this route target is not modelled")
        w.hop(t, Kind.ROUTE_TARGET, Decision.UNKNOWN, detail, flow)
        return w.unknown(Blocker(component_id=t, kind=Kind.ROUTE_TARGET, code=Code.UNSUPPORTED_COMPONENT,
                                 params=(("detail", detail),)), flow)
    out = acl(w, flow, w.src.subnet_id, egress=True, on_src=False)
    if out is None:
        return
    if t == "local":
        for sid, back in arrive(w, w.src.vpc_id, out, identity=True):
            reply_from(w, sid, back, via=None)
    elif t.startswith("nat-"):
        nat = w.estate.nats.get(t)
        if nat is None:
            return w.missing_data(t, Kind.NAT_GATEWAY, out, what=t)
        for dev, back in nat_gateway(w, nat, out):
            reply_from(w, dev.subnet_id, back, via=None)
    elif t.startswith("igw-"):
        _igw(w, t, out)
    elif t.startswith("eigw-"):
        _eigw(w, t, out)
    elif t.startswith("vpce-"):
        home(w, gateway_endpoint(w, t, out))
    elif t.startswith("pcx-"):
        _peering(w, t, out)
    else:
        through_tgw(w, t, out)


def _attached(w: Walk, gw_id: str, kind: Kind, gw, flow: Flow, *, rule: str = "") -> bool:
    """Whether an internet or egress-only gateway is in the snapshot and attached to the source's
    VPC; a route to a detached one goes nowhere (2.11, 2.14). When not, the hop says why."""
    if gw is None:
        w.missing_data(gw_id, kind, flow, what=gw_id)
        return False
    vpc = w.src.vpc_id or "?"
    if gw.attached_to(w.src.vpc_id):
        return True
    w.hop(gw_id, kind, Decision.DENY, f"not attached to {vpc}", flow, refs=(vpc,), rule=rule)
    w.deny(Blocker(component_id=gw_id, kind=kind, code=Code.BAD_STATE_ATTACHMENT, params=(("vpc", vpc),),
                   refs=(vpc,), fix=FixCode.ATTACH_IGW, fix_params=(("component", gw_id), ("vpc", vpc))), flow)
    return False


def _igw(w: Walk, igw_id: str, flow: Flow) -> None:
    """An IGW needs a public IP on the source; a Lambda ENI has none (1.22, 2.11)."""
    kind = Kind.INTERNET_GATEWAY
    if not _attached(w, igw_id, kind, w.estate.igws.get(igw_id), flow):
        return
    flow = _untranslated(w, igw_id, kind, flow)
    if flow is None:
        return
    six = flow.dst & ALL_IPV6
    if six:
        # The ENI's IPv6 address is public as it is: no translation, out and back (2.11).
        w.hop(igw_id, kind, Decision.ALLOW, "IPv6: the ENI's own address, no public IPv4 needed (2.11)",
              flow.to(six), rule="2.11")
        home(w, flow.to(six))
    four = flow.dst - six
    if not four:
        return
    w.hop(igw_id, kind, Decision.DENY, "the Lambda ENI has no public IP (1.22)", flow.to(four), rule="1.22, 2.11")
    w.deny(Blocker(component_id=igw_id, kind=kind, code=Code.IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS,
                   **nat_fix(w, prefer_move=True)), flow.to(four))


def _untranslated(w: Walk, gw_id: str, kind: Kind, flow: Flow) -> Flow | None:
    """64:ff9b::/96 addresses stand for IPv4 ones and only a NAT gateway translates them (2.18):
    sent to an internet gateway as they are, they lead nowhere. AWS: "You will then need to route
    this traffic through the NAT gateway"
    (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html); RFC 6052
    keeps the well-known prefix out of global routing. Returns the rest of the flow, or None."""
    synthesised = flow.dst & NAT64_PREFIX
    if not synthesised:
        return flow
    w.hop(gw_id, kind, Decision.DENY, "64:ff9b::/96 needs NAT64 at a NAT gateway (2.18)", flow.to(synthesised),
          rule="2.18")
    rt = w.estate.route_table_id(w.src.subnet_id or "") or "the function's route table"
    w.deny(Blocker(component_id=gw_id, kind=kind, code=Code.NAT64_NOT_TRANSLATED,
                   params=(("dest", describe(synthesised)),), **nat64_fix(w, rt)), flow.to(synthesised))
    rest = flow.dst - synthesised
    return flow.to(rest) if rest else None


def _eigw(w: Walk, eigw_id: str, flow: Flow) -> None:
    """An egress-only internet gateway (2.14): IPv6 only, stateful, no group; the reply comes back
    through it and meets the function subnet's NACL inbound."""
    kind = Kind.EGRESS_ONLY_INTERNET_GATEWAY
    if not _attached(w, eigw_id, kind, w.estate.eigws.get(eigw_id), flow, rule="2.14"):
        return
    flow = _untranslated(w, eigw_id, kind, flow)
    if flow is None:
        return
    four = flow.dst - (flow.dst & ALL_IPV6)
    if four:  # AWS takes no IPv4 route to one; a snapshot that has it is not carried (2.14)
        w.hop(eigw_id, kind, Decision.DENY, "IPv6 only (2.14)", flow.to(four), rule="2.14")
        w.deny(Blocker(component_id=eigw_id, kind=kind, code=Code.EIGW_IPV6_ONLY), flow.to(four))
        if four == flow.dst:
            return
        flow = flow.to(flow.dst - four)
    w.hop(eigw_id, kind, Decision.ALLOW, "egress-only: outbound IPv6, replies come back (2.14)", flow, rule="2.14")
    home(w, flow)


def _peering(w: Walk, pcx_id: str, flow: Flow) -> None:
    """Peering (6.1-6.7): active, only to the peer's CIDRs, not transitive, routes both ways."""
    kind = Kind.VPC_PEERING_CONNECTION
    pcx = w.estate.peerings.get(pcx_id)
    if pcx is None:
        return w.missing_data(pcx_id, kind, flow, what=pcx_id)
    if not pcx.is_active:
        code = pcx.status.code if pcx.status else None
        w.hop(pcx_id, kind, Decision.DENY, f"status {code}", flow)
        return w.deny(Blocker(component_id=pcx_id, kind=kind, code=Code.BAD_STATE, params=(("state", code or "?"),),
                              fix=FixCode.ACTIVATE_PEERING, fix_params=(("component", pcx_id),)), flow)
    a, r = pcx.accepter_vpc_info, pcx.requester_vpc_info
    mine, peer = (r, a) if r and r.vpc_id == w.src.vpc_id else (a, r)
    if peer is None or peer.vpc_id is None:
        return w.missing_data(pcx_id, kind, flow, what=f"the peer of {pcx_id}")
    peer_cidrs = w.estate.peer_cidrs(peer)
    inside = flow.dst & cidrs_set(peer_cidrs)
    outside = flow.dst - inside
    w.hop(pcx_id, kind, Decision.DENY if outside else Decision.ALLOW,
          f"to {peer.vpc_id} ({', '.join(peer_cidrs)})", flow, refs=(peer.vpc_id,))
    if outside:
        w.deny(Blocker(component_id=pcx_id, kind=kind, code=Code.PCX_REQUIRES_ADDRESS_IN_VPC_CIDR, refs=(peer.vpc_id,),
                       params=(("peer_vpc", peer.vpc_id), ("peer_cidrs", ", ".join(peer_cidrs)),
                               ("dest", describe(outside))), **peering_fix(w)), flow.to(outside))
    if not inside:
        return
    if peer.vpc_id not in w.estate.vpcs:
        return w.missing_data(peer.vpc_id, Kind.VPC, flow.to(inside), what=peer.vpc_id)
    same_region = mine is None or mine.region is None or peer.region is None or mine.region == peer.region
    for sid, back in arrive(w, peer.vpc_id, flow.to(inside), identity=same_region, via=pcx_id):
        reply_from(w, sid, back, via=pcx_id)
