"""NAT devices (NAT gateways and NAT instances) and arrival from the internet at a public address."""
from __future__ import annotations

from dataclasses import dataclass

from ...answer import Blocker, Decision
from ...packets import (EMPTY, EPHEMERAL, PRIVATE, PUBLIC, SHARED_SPACE, IntervalSet, describe, ip_set,
                        port_set, to_cidrs)
from ..rules import acl_allows, route_classes, security_groups_allow
from .deliver import home
from .endpoints import gateway_endpoint
from .fixes import nat_fix, nat_route_fix
from .gates import acl, sg
from .state import Walk


@dataclass(frozen=True)
class NatDevice:
    component_id: str
    kind: str  # nat-gateway | network-interface
    subnet_id: str
    public: bool
    public_addresses: IntervalSet
    groups: tuple[str, ...] | None  # a NAT instance's SGs; a NAT gateway has none (2.21)


def nat_gateway(w: Walk, nat, S, D, ghost) -> None:
    """A NAT gateway (2.15-2.21): its state, its subnet's NACLs and route table, an attached IGW."""
    nid = nat.nat_gateway_id
    if nat.state not in (None, "available"):
        w.hop(nid, "nat-gateway", Decision.DENY, f"state {nat.state}")
        return w.deny(Blocker(nid, "nat-gateway", "BAD_STATE", (("state", nat.state),), *nat_fix(w)),
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


def through_device(w: Walk, dev: NatDevice, S, D, ghost) -> None:
    """Into the NAT's subnet, then by its own route table to an attached IGW (2.15, 5.9)."""
    n, sub = dev.subnet_id, w.src.subnet_id

    def routed(S1, D1, g):
        _device_route(w, dev, S1, D1, g)

    def filtered(S1, D1, g):
        if dev.groups is None:
            return routed(S1, D1, g)
        sg(w, list(dev.groups), S1, D1, g, lambda S2, D2, g2: sg(w, 
            list(dev.groups), S2, D2, g2, routed, egress=True, owner=dev.component_id),
            egress=False, owner=dev.component_id, peers_groups=frozenset(w.src.groups))

    if n != sub:
        acl(w, n, S, D, ghost, filtered, egress=False, on_s=True)
    else:
        filtered(S, D, ghost)


def _device_route(w: Walk, dev: NatDevice, S, D, ghost) -> None:
    n = dev.subnet_id
    rt = w.route_table(n, S, D, ghost)
    if rt is None:
        return
    vpc = w.estate.subnets[n].vpc_id
    classes, no_route, missing = route_classes(w.estate, rt, vpc, D)
    if missing:
        return w.missing_data(rt, "route-table", S, D, ghost, what=", ".join(missing))
    if no_route:
        w.hop(rt, "route-table", Decision.DENY, f"the NAT's subnet has no route for {describe(no_route)}")
        w.deny(Blocker(rt, "route-table", "NO_ROUTE_TO_DESTINATION",
                       (("dest", describe(no_route)), ("toward", "for ")), *nat_route_fix(w, rt)),
               S, no_route, ghost)
    out = lambda then: (lambda S1, D1, g: acl(w, n, S1, D1, g, then, egress=True, on_s=False))
    replies = lambda S1, D1, g: _replies(w, dev, S1, D1, g)
    for choice, part in classes:
        t = choice.target
        if choice.state == "blackhole":
            w.hop(rt, "route-table", Decision.DENY, choice.describe())
            w.deny(Blocker(rt, "route-table", "BAD_STATE_ROUTE", (("route", choice.describe()),
                                                                  ("table", rt)),
                           "fix-blackhole", (("route", choice.describe()), ("table", rt))), S, part, ghost)
        elif t.startswith("igw-"):
            w.hop(rt, "route-table", Decision.ALLOW, choice.describe())
            _to_igw(w, dev, t, vpc, S, part, ghost, out, replies)
        elif t.startswith("vpce-"):
            w.hop(rt, "route-table", Decision.ALLOW, choice.describe())
            gateway_endpoint(w, t, S, part, ghost, out(replies))
        else:
            w.hop(rt, "route-table", Decision.UNKNOWN, choice.describe())
            w.unknown(Blocker(t, "route-target", "UNSUPPORTED_COMPONENT",
                              (("detail", f"the NAT's route to {t} is not modelled"),)), S, part, ghost)


def _to_igw(w: Walk, dev: NatDevice, igw_id: str, vpc: str, S, D, ghost, out, replies) -> None:
    igw = w.estate.igws.get(igw_id)
    if igw is None:
        return w.missing_data(igw_id, "internet-gateway", S, D, ghost, what=igw_id)
    if not any(a.vpc_id == vpc and a.state in (None, "available", "attached") for a in igw.attachments):
        w.hop(igw_id, "internet-gateway", Decision.DENY, f"not attached to {vpc}")
        return w.deny(Blocker(igw_id, "internet-gateway", "BAD_STATE_ATTACHMENT", (("vpc", vpc),),
                              "attach-igw", (("component", igw_id), ("vpc", vpc))), S, D, ghost)
    if not dev.public:
        code = "NGW_PRIVATE_CONNECTIVITY" if dev.kind == "nat-gateway" else "ENI_PUBLIC_IP_REQUIRED"
        w.hop(dev.component_id, dev.kind, Decision.DENY, "no public address for the internet (2.16)")
        return w.deny(Blocker(dev.component_id, dev.kind, code, (),
                              "public-nat", (("component", dev.component_id),)), S, D, ghost)
    private = D & PRIVATE
    if private:
        w.hop(igw_id, "internet-gateway", Decision.DENY, "private destination (2.12)")
        # Reachability Analyzer tells RFC 1918 from RFC 6598 (100.64.0.0/10) destinations apart
        # (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html).
        for code, part in (("IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", private - SHARED_SPACE),
                           ("IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS", private & SHARED_SPACE)):
            if part:
                w.deny(Blocker(igw_id, "internet-gateway", code, (("dest", describe(part)),)), S, part, ghost)
    rest = D - private
    if not rest:
        return
    w.hop(igw_id, "internet-gateway", Decision.ALLOW, f"to the internet from {dev.component_id}")
    if w.dest.public_owner is not None:
        then = lambda S1, D1, g: from_internet(w, S1, D1, g, dev.public_addresses, replies)
    else:
        then = replies
    out(then)(S, rest, ghost)


def _replies(w: Walk, dev: NatDevice, S, D, ghost) -> None:
    """Replies reach the NAT on 1024-65535, then the function's subnet (5.9, 2.18)."""
    n, sub = dev.subnet_id, w.src.subnet_id

    def onward(S1, D1, g):
        if n == sub:
            return w.reach(S1, D1, g)
        acl(w, n, S1, D1, g, lambda S2, D2, g2: home(w, S2, D2, g2), egress=True, on_s=False,
              reply=True)
    acl(w, n, S, D, ghost, onward, egress=False, on_s=False, reply=True)


def nat_instance(w: Walk, target: str, S, D, ghost) -> None:
    """A route to an instance or ENI used as a NAT: it needs a public IP and source/dest check off."""
    eni = w.estate.enis.get(target) if target.startswith("eni-") else w.estate.enis_by_instance.get(target)
    if eni is None or eni.subnet_id is None:
        return w.missing_data(target, "network-interface", S, D, ghost,
                              what=target if eni is None else f"the subnet of {target}")
    eid = eni.network_interface_id

    def checks(S1, D1, g):
        if eni.source_dest_check is not False:
            w.hop(eid, "network-interface", Decision.DENY, "source/destination check is on")
            return w.deny(Blocker(eid, "network-interface", "ENI_SOURCE_DEST_CHECK_RESTRICTION"), S1, D1, g)
        pub = [ip for ip in eni.public_ips() if ":" not in ip]
        w.hop(eid, "network-interface", Decision.ALLOW, "NAT instance")
        through_device(w, NatDevice(eid, "network-interface", eni.subnet_id, public=bool(pub),
                                    public_addresses=ip_set(pub), groups=tuple(eni.group_ids)), S1, D1, g)
    if eni.subnet_id == w.src.subnet_id:
        checks(S, D, ghost)
    else:
        acl(w, w.src.subnet_id, S, D, ghost, checks, egress=True, on_s=False)


def from_internet(w: Walk, S, D, ghost, sources: IntervalSet, then) -> None:
    """Arrive from the internet at a snapshot resource's public address (7.2, 7.3): its subnet's
    NACLs and route back to an IGW, and its SGs, which see only the public source (4.7)."""
    subnet_id, groups, owner = w.dest.public_owner
    subnet = w.estate.subnets.get(subnet_id)
    if subnet is None:
        return w.missing_data(owner, "destination", S, D, ghost, what=subnet_id or f"the subnet of {owner}")
    acl_id = w.estate.acl_id(subnet_id)
    rt = w.estate.route_table_id(subnet_id)
    if acl_id is None or rt is None:
        lacking = "NACL" if acl_id is None else "route table"
        return w.missing_data(owner, "destination", S, D, ghost, what=f"the {lacking} of {subnet_id}")
    port = port_set(w.port, w.port)
    checks = [
        (acl_id, "network-acl-ingress", "SUBNET_ACL_RESTRICTION",
         acl_allows(w.estate, acl_id, egress=False, protocol=w.protocol, others=sources, ports=port).allowed),
        (sorted(groups)[0] if groups else owner, "security-group-ingress", "ENI_SG_RULES_MISMATCH",
         security_groups_allow(w.estate, sorted(groups), egress=False, protocol=w.protocol, port=w.port,
                               peers=sources, peer_groups=frozenset(w.src.groups),
                               peer_identity=False).allowed),
        (acl_id, "network-acl-egress", "SUBNET_ACL_RESTRICTION",
         acl_allows(w.estate, acl_id, egress=True, protocol=w.protocol, others=sources,
                    ports=EPHEMERAL).allowed),
    ]
    classes, _, _ = route_classes(w.estate, rt, subnet.vpc_id, sources)
    back = EMPTY
    for c, part in classes:
        if c.target.startswith("igw-") and c.state != "blackhole":
            back = back | part
    checks.append((rt, "route-table", "NO_ROUTE_TO_DESTINATION", back))
    for component, kind, code, allowed in checks:
        if allowed == sources:
            w.hop(component, kind, Decision.ALLOW, f"from {', '.join(to_cidrs(sources, 2))}")
            continue
        if not allowed:
            w.hop(component, kind, Decision.DENY, f"from {', '.join(to_cidrs(sources, 2))}")
            return w.deny(Blocker(component, kind, code, (("flow", w.flow_text()),
                                                          ("dest", describe(sources)),
                                                          ("toward", "back to "),
                                                          ("via", "an internet gateway"))),
                          S, D, ghost)
        w.hop(component, kind, Decision.UNKNOWN, f"allows only {', '.join(to_cidrs(allowed, 3))}")
        return w.unknown(Blocker(component, kind, "SOURCE_ADDRESS_DEPENDS",
                                 (("subnet", "the Lambda service's public range"),
                                  ("detail", f"only {', '.join(to_cidrs(allowed, 3))} is allowed"))),
                         S, D, ghost)
    then(S, D, ghost)
