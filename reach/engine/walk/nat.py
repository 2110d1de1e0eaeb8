"""NAT devices (NAT gateways and NAT instances) and arrival from the internet at a public address."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from ...answer import Blocker, Decision, Kind
from ...catalogue import Code, FixCode
from ...packets import (ALL_IPV6, EPHEMERAL, NAT64_PREFIX, PRIVATE, PUBLIC, SHARED_SPACE, IntervalSet, describe,
                        ip_set, nat64_embedded, port_set, to_cidrs, union)
from ..routes import route_classes
from ..rules import acl_allows, security_groups_allow
from .endpoints import gateway_endpoint
from .fixes import nat_fix, nat_route_fix, public_acl_fix, public_sg_fix
from .gates import acl, route_hop, routed, sg
from .state import Flow, Walk


@dataclass(frozen=True)
class NatDevice:
    component_id: str
    kind: Kind  # nat-gateway | network-interface
    subnet_id: str
    public: bool
    public_addresses: IntervalSet
    groups: tuple[str, ...] | None  # a NAT instance's SGs; a NAT gateway has none (2.21)


# A reply translated back by a NAT device, at the device, ready to go back to the function.
Back = tuple["NatDevice", Flow]


def nat_gateway(w: Walk, nat, flow: Flow | None, *, from_subnet: str | None = None) -> Iterator[Back]:
    """A NAT gateway (2.15-2.21): its state, its subnet's NACLs and route table, an attached IGW.

    Yields each reply back at the NAT, to be sent on to the function by the NAT subnet's routes
    (5.9; 2.17 for a function in another VPC). `from_subnet`: where the packets come from (the
    function's subnet unless they arrived through a transit gateway)."""
    if flow is None:
        return
    nid, kind = nat.nat_gateway_id, Kind.NAT_GATEWAY
    if nat.state not in (None, "available"):
        w.hop(nid, kind, Decision.DENY, f"state {nat.state}", flow)
        w.deny(Blocker(component_id=nid, kind=kind, code=Code.BAD_STATE, params=(("state", nat.state),),
                       **nat_fix(w)), flow)
        return
    six = flow.dst & ALL_IPV6
    other6 = six - NAT64_PREFIX
    if other6:
        # A NAT gateway translates only the well-known NAT64 prefix (2.18); what it does with other
        # IPv6 destinations AWS does not say: unknown, never a guess.
        detail = "a NAT gateway translates only IPv6 destinations in 64:ff9b::/96 (NAT64, 2.18)"
        w.hop(nid, kind, Decision.UNKNOWN, detail, flow.to(other6), rule="2.18")
        w.unknown(Blocker(component_id=nid, kind=kind, code=Code.UNSUPPORTED_COMPONENT, params=(("detail", detail),)),
                  flow.to(other6))
        if other6 == flow.dst:
            return
        flow = flow.to(flow.dst - other6)
    if nat.availability_mode == "regional":
        w.hop(nid, kind, Decision.UNKNOWN, "regional NAT gateway (2.20)", flow)
        w.unknown(Blocker(component_id=nid, kind=kind, code=Code.REGIONAL_NGW_ROUTE_AZ_RESTRICTION,
                          params=(("az", w.src.subnet_id or "?"),)), flow)
        return
    if nat.subnet_id is None or nat.subnet_id not in w.estate.subnets:
        w.missing_data(nid, kind, flow, what=nat.subnet_id or f"the subnet of {nid}")
        return
    public_ips = [a.public_ip for a in nat.nat_gateway_addresses if a.public_ip]
    device = NatDevice(nid, kind, nat.subnet_id, public=nat.is_public,
                       public_addresses=ip_set(public_ips) if public_ips else PUBLIC, groups=None)
    w.hop(nid, kind, Decision.ALLOW, f"{'public' if nat.is_public else 'private'} NAT gateway in {nat.subnet_id}",
          flow, refs=(nat.subnet_id,))
    four, six = flow.dst - ALL_IPV6, flow.dst & ALL_IPV6
    came_from = from_subnet or w.src.subnet_id
    if four:
        yield from through_device(w, device, flow.to(four), from_subnet=came_from)
    if six:
        # NAT64 (2.18): the packet to 64:ff9b::a.b.c.d enters the NAT's subnet as IPv6 and leaves
        # it as the NAT's own IPv4 flow to a.b.c.d, which goes on exactly as one the function sent
        # over IPv4; the reply is translated back on its way home
        # (https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-nat64-dns64.html).
        w.hop(nid, kind, Decision.ALLOW, f"NAT64: {describe(six)} translated to IPv4 {describe(nat64_embedded(six))}",
              flow.to(six), rule="2.18")
        yield from through_device(w, device, flow.to(six), from_subnet=came_from, nat64=True)


def through_device(w: Walk, dev: NatDevice, flow: Flow | None, *, from_subnet: str | None,
                   nat64: bool = False) -> Iterator[Back]:
    """Into the NAT's subnet, then by its own route table to an attached IGW (2.15, 5.9).

    `nat64`: the flow is IPv6 to 64:ff9b::/96 and leaves the NAT as IPv4 (2.18)."""
    if dev.subnet_id != from_subnet:
        flow = acl(w, flow, dev.subnet_id, egress=False, on_src=True)
    if nat64 and flow is not None:
        flow = flow.translated64()
    if dev.groups is not None:
        flow = sg(w, flow, list(dev.groups), egress=False, owner=dev.component_id,
                  peers_groups=frozenset(w.src.groups))
        flow = sg(w, flow, list(dev.groups), egress=True, owner=dev.component_id)
    if flow is not None:
        yield from _device_route(w, dev, flow)


def _device_route(w: Walk, dev: NatDevice, flow: Flow) -> Iterator[Back]:
    """The NAT's subnet's route table: to an IGW or a gateway endpoint (2.15, 6.3)."""
    n = dev.subnet_id
    rt = w.route_table(n, flow)
    if rt is None:
        return
    vpc = w.estate.subnets[n].vpc_id
    classes, no_route, missing = route_classes(w.estate, rt, vpc, flow.dst)
    if missing:
        w.missing_data(rt, Kind.ROUTE_TABLE, flow.to(flow.dst - no_route - union(c for _, c in classes)),
                       what=", ".join(missing))
    for choice, part in routed(w, rt, flow, classes, no_route, no_route_detail="the NAT's subnet has no route for ",
                               fix=lambda: nat_route_fix(w, rt)):
        t = choice.target
        if t.startswith("igw-"):
            route_hop(w, rt, choice, part)
            yield from _to_igw(w, dev, t, vpc, part)
        elif t.startswith("vpce-"):
            route_hop(w, rt, choice, part)
            yield from _replies(w, dev, acl(w, gateway_endpoint(w, t, part), n, egress=True, on_src=False))
        else:
            route_hop(w, rt, choice, part, decision=Decision.UNKNOWN)
            w.unknown(Blocker(component_id=t, kind=Kind.ROUTE_TARGET, code=Code.UNSUPPORTED_COMPONENT,
                              params=(("detail", f"the NAT's route to {t} is not modelled"),)), part)


def _to_igw(w: Walk, dev: NatDevice, igw_id: str, vpc: str, flow: Flow) -> Iterator[Back]:
    kind = Kind.INTERNET_GATEWAY
    igw = w.estate.igws.get(igw_id)
    if igw is None:
        w.missing_data(igw_id, kind, flow, what=igw_id)
        return
    if not igw.attached_to(vpc):
        w.hop(igw_id, kind, Decision.DENY, f"not attached to {vpc}", flow, refs=(vpc,))
        w.deny(Blocker(component_id=igw_id, kind=kind, code=Code.BAD_STATE_ATTACHMENT, params=(("vpc", vpc),),
                       refs=(vpc,), fix=FixCode.ATTACH_IGW, fix_params=(("component", igw_id), ("vpc", vpc))), flow)
        return
    if not dev.public:
        code = Code.NGW_PRIVATE_CONNECTIVITY if dev.kind == Kind.NAT_GATEWAY else Code.ENI_PUBLIC_IP_REQUIRED
        w.hop(dev.component_id, dev.kind, Decision.DENY, "no public address for the internet (2.16)", flow)
        w.deny(Blocker(component_id=dev.component_id, kind=dev.kind, code=code, fix=FixCode.PUBLIC_NAT,
                       fix_params=(("component", dev.component_id),)), flow)
        return
    private = flow.dst & PRIVATE
    if private:
        w.hop(igw_id, kind, Decision.DENY, "private destination (2.12)", flow)
        # Reachability Analyzer tells RFC 1918 from RFC 6598 (100.64.0.0/10) destinations apart
        # (https://docs.aws.amazon.com/vpc/latest/reachability/explanation-codes.html).
        for code, part in ((Code.IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS, private - SHARED_SPACE),
                           (Code.IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS, private & SHARED_SPACE)):
            if part:
                w.deny(Blocker(component_id=igw_id, kind=kind, code=code,
                               params=(("dest", describe(part)),)), flow.to(part))
    rest = flow.dst - private
    if not rest:
        return
    w.hop(igw_id, kind, Decision.ALLOW, f"to the internet from {dev.component_id}", flow, refs=(dev.component_id,))
    out = acl(w, flow.to(rest), dev.subnet_id, egress=True, on_src=False)
    if w.dest.public_owner is not None and out is not None:
        out = from_internet(w, out, dev.public_addresses)
    yield from _replies(w, dev, out)


def _replies(w: Walk, dev: NatDevice, flow: Flow | None) -> Iterator[Back]:
    """Replies reach the NAT on 1024-65535 (5.9, 2.18)."""
    if flow is None:
        return
    back = acl(w, flow.reply(), dev.subnet_id, egress=False, on_src=False)
    if back is not None and back.nat64:
        back = back.untranslated64()  # the NAT64 reply leaves the NAT as IPv6 again (2.18)
    if back is not None:
        yield dev, back


def nat_instance(w: Walk, target: str, flow: Flow) -> Iterator[Back]:
    """A route to an instance or ENI used as a NAT: it needs a public IP and source/dest check off."""
    kind = Kind.NETWORK_INTERFACE
    eni = w.estate.enis.get(target) if target.startswith("eni-") else w.estate.enis_by_instance.get(target)
    if eni is None or eni.subnet_id is None:
        w.missing_data(target, kind, flow, what=target if eni is None else f"the subnet of {target}")
        return
    eid = eni.network_interface_id
    if eni.subnet_id != w.src.subnet_id:
        flow = acl(w, flow, w.src.subnet_id, egress=True, on_src=False)
        if flow is None:
            return
    if eni.source_dest_check is not False:
        w.hop(eid, kind, Decision.DENY, "source/destination check is on", flow)
        w.deny(Blocker(component_id=eid, kind=kind, code=Code.ENI_SOURCE_DEST_CHECK_RESTRICTION), flow)
        return
    pub = [ip for ip in eni.public_ips() if ":" not in ip]
    w.hop(eid, kind, Decision.ALLOW, "NAT instance", flow, refs=(eni.subnet_id,))
    device = NatDevice(eid, kind, eni.subnet_id, public=bool(pub), public_addresses=ip_set(pub),
                       groups=tuple(eni.group_ids))
    yield from through_device(w, device, flow, from_subnet=w.src.subnet_id)


def from_internet(w: Walk, flow: Flow, sources: IntervalSet) -> Flow | None:
    """Arrive from the internet at a snapshot resource's public address (7.2, 7.3): its subnet's
    NACLs and route back to an IGW, and its SGs, which see only the public source (4.7)."""
    subnet_id, groups, owner = w.dest.public_owner
    subnet = w.estate.subnets.get(subnet_id)
    if subnet is None:
        return w.missing_data(owner, Kind.DESTINATION, flow, what=subnet_id or f"the subnet of {owner}")
    acl_id = w.estate.acl_id(subnet_id)
    rt = w.estate.route_table_id(subnet_id)
    if acl_id is None or rt is None:
        lacking = "NACL" if acl_id is None else "route table"
        return w.missing_data(owner, Kind.DESTINATION, flow, what=f"the {lacking} of {subnet_id}")
    port = port_set(w.port, w.port)
    classes, _, _ = route_classes(w.estate, rt, subnet.vpc_id, sources)
    back = union(part for c, part in classes if c.target.startswith("igw-") and c.live)
    reply = flow.reply()
    into = acl_allows(w.estate, acl_id, egress=False, protocol=w.protocol, others=sources, ports=port)
    out = acl_allows(w.estate, acl_id, egress=True, protocol=w.protocol, others=sources, ports=EPHEMERAL)
    ordered = sorted(groups)
    admitted = security_groups_allow(w.estate, ordered, egress=False, protocol=w.protocol, port=w.port,
                                     peers=sources, peer_groups=frozenset(w.src.groups), peer_identity=False)
    # Each check: (component, kind, code, leg, allowed, the reason's parameters, its fix).
    checks = [
        (acl_id, Kind.NETWORK_ACL_INGRESS, Code.SUBNET_ACL_RESTRICTION, flow, into.allowed,
         _acl_words(w, into, "inbound"), lambda: public_acl_fix(w, acl_id, sources, into, egress=False)),
        (ordered[0] if ordered else owner, Kind.SECURITY_GROUP_INGRESS, Code.ENI_SG_RULES_MISMATCH, flow,
         admitted.allowed, (("groups", ", ".join(ordered)), ("direction", "ingress"), ("flow", w.flow_text()),
                            ("via", "an internet gateway")),
         lambda: public_sg_fix(w, ordered, sources)),
        (acl_id, Kind.NETWORK_ACL_EGRESS, Code.SUBNET_ACL_RESTRICTION, reply, out.allowed,
         _acl_words(w, out, "outbound reply"), lambda: public_acl_fix(w, acl_id, sources, out, egress=True)),
        (rt, Kind.ROUTE_TABLE, Code.NO_ROUTE_TO_DESTINATION, reply, back,
         (("dest", describe(sources)), ("toward", "back to ")), lambda: {}),
    ]
    for component, kind, code, leg, allowed, params, fix in checks:
        if allowed == sources:
            w.hop(component, kind, Decision.ALLOW, f"from {', '.join(to_cidrs(sources, 2))}", leg, refs=(owner,))
            continue
        if not allowed:
            w.hop(component, kind, Decision.DENY, f"from {', '.join(to_cidrs(sources, 2))}", leg, refs=(owner,))
            return w.deny(Blocker(component_id=component, kind=kind, code=code, params=params, refs=(owner,),
                                  **fix()), flow)
        w.hop(component, kind, Decision.UNKNOWN, f"allows only {', '.join(to_cidrs(allowed, 3))}", leg, refs=(owner,))
        return w.unknown(Blocker(component_id=component, kind=kind, code=Code.SOURCE_ADDRESS_DEPENDS,
                                 params=(("subnet", "the Lambda service's public range"),
                                         ("detail", f"only {', '.join(to_cidrs(allowed, 3))} is allowed"))), flow)
    return flow


def _acl_words(w: Walk, res, direction: str) -> tuple[tuple[str, str], ...]:
    """A NACL blocker's reason parameters on the leg from the internet (5.1-5.9)."""
    return (("acl_rule", res.denied[0][0] if res.denied else "no rule"), ("direction", direction),
            ("flow", w.flow_text(reply=direction.endswith("reply"))))

