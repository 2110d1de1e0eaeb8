"""Simulate one concrete packet at a time from a Lambda function's ENI through a raw snapshot dict.

This is the deliberately naive oracle of the differential test. It shares no code with the
engine in `reach`: it reads the snapshot in its raw AWS JSON shapes (contract §1.1) and walks
the hops of aws-rules.md in a fixed order, one source address and one port at a time, stopping
at the first hop that does not allow the packet: a deny gives "unreachable", missing data gives
"unknown", and a packet every hop allows is "reachable".

IPv6 packets take the same hops with IPv6 rules, routes and CIDRs (2.4): the function has an IPv6
source only with Ipv6AllowedForDualStack in a subnet with an IPv6 CIDR (1.23), an internet or
egress-only internet gateway carries IPv6 from an address without a public IPv4 one (2.11, 2.14),
and a NAT gateway translates 64:ff9b::/96 (NAT64) to the IPv4 address it embeds and sends that on
as its own IPv4 packet (other IPv6 through a NAT gateway is unknown). An IPv6 subnet cannot be walked address
by address, so its first and last usable addresses stand for it: every CIDR the generator puts in a
rule is the whole VPC, a whole subnet, ::/0 or one address, so these two decide like any other.

Where it refines the agreed reading, the rule book decided: an ENI's possible addresses include
its secondary ones and exclude addresses other interfaces hold (`sources`); a hand-changed
Hyperplane ENI keeps serving its combination with the groups it carries (1.15, TC20); and only
public addresses (not RFC 1918, not 100.64.0.0/10) are on the internet (2.12).

Transit gateways follow docs/semantics.md §6t: into a TGW by the sending VPC's attachment subnet in
the sender's AZ (T1), across TGW route tables and peerings (T2, lookups in transit.py), and in the
far VPC by the exit subnet's route table: delivered, through a NAT gateway, dropped at an IGW or a
gateway endpoint, unknown at a GWLB endpoint, or into a TGW again (T3). Every reply takes its own
route from the subnet that answers it (T4), its NACLs matched against the reply's own addresses on
1024-65535 (T5). IPv6 takes the same way over IPv6 routes (a VPC's IPv6 CIDRs propagate only from
an attachment with Ipv6Support enabled, which filters nothing); IPv6 that came through a TGW and is
routed to an internet, egress-only or NAT gateway is unknown, since AWS does not say whether these
forward another VPC's IPv6 addresses (docs/semantics.md §6v). `transit=False` keeps the reading
from before §6t for an engine that predates it (switch.py).
"""
from __future__ import annotations

import ipaddress
from typing import NamedTuple

from .gates import (NAT64_PREFIX, REACHABLE, UNKNOWN, UNREACHABLE, Stop, check_destination_ingress,
                    check_function_egress, check_nacl, check_nacl_ephemeral, deny,
                    eni_with_address, find, find_function, in_cidr, ipv6_cidrs, is_private, is_v6,
                    items_of, live_route_or_stop, lower, missing, protocol_number, route_or_stop,
                    route_table_of, route_target, route_ways, subnet_cidrs, vpc_cidrs)
from .sources import no_ipv6_source, sources
from .transit import (associated_table, check_tgw, entry_subnet, exit_subnet, side_on, tgw_next,
                      vpc_attachment)

# --------------------------------------------------------------------------- the walk

def _subnet_holding(snap: dict, vpc_id: str, ip: str) -> dict | None:
    return next((s for s in items_of(snap, "Subnets")
                 if s.get("VpcId") == vpc_id and any(in_cidr(c, ip) for c in subnet_cidrs(s))),
                None)


class Pkt(NamedTuple):
    """One packet: a request, or a reply (to the function's address, on ports 1024-65535)."""

    src: str
    dst: str
    protocol: str
    port: int
    reply: bool = False

    def back(self) -> Pkt:
        return Pkt(self.dst, self.src, self.protocol, self.port, True)


def _edge(snap: dict, subnet: dict, pkt: Pkt, *, egress: bool) -> None:
    """A subnet's NACL: outbound rules match the packet's destination, inbound its source (T5)."""
    other = pkt.dst if egress else pkt.src
    if pkt.reply:  # every port a reply may use (1.25, 5.6)
        check_nacl_ephemeral(snap, subnet, egress=egress, other_ip=other, protocol=pkt.protocol)
    else:
        check_nacl(snap, subnet, egress=egress, other_ip=other, protocol=pkt.protocol,
                   port=pkt.port)


def _deliver_in_vpc(ctx: dict, vpc_id: str, s: str, d: str, protocol: str, port: int,
                    via_pcx: str | None = None) -> None:
    """Deliver to the ENI holding d inside vpc_id, then check the way back (0.3, 5.8)."""
    snap, src = ctx["snap"], ctx["subnet"]
    dest_subnet = _subnet_holding(snap, vpc_id, d)
    if dest_subnet is None:  # the local route leads nowhere: no ENI can hold d (2.2)
        raise deny(f"{d} is in no subnet of {vpc_id}")
    crosses = dest_subnet["SubnetId"] != src["SubnetId"]  # NACLs only at subnet edges (5.5)
    if crosses:
        check_nacl(snap, dest_subnet, egress=False, other_ip=s, protocol=protocol, port=port)
    if ctx["transit"]:
        _arrive(ctx, dest_subnet, Pkt(s, d, protocol, port), refs=True)
        return
    eni = eni_with_address(snap, d)
    if eni is None:  # whatever holds d is not in the snapshot: its SGs are unknown (4.6)
        raise missing(f"no ENI holds {d}")
    check_destination_ingress(ctx, eni, s, protocol, port)
    # The reply: SGs are stateful (4.1), NACLs are not (5.1).
    if crosses:
        check_nacl_ephemeral(snap, dest_subnet, egress=True, other_ip=s, protocol=protocol)
    if via_pcx is not None:
        # The peer must route the reply back over the same peering (6.1, 0.3).
        back = route_or_stop(snap, route_table_of(snap, dest_subnet), vpc_id, s)
        if route_target(back) != via_pcx:
            raise deny(f"the return route to {s} in {vpc_id} does not use {via_pcx}")
    if crosses:
        check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)


def _arrive(ctx: dict, dest_subnet: dict, pkt: Pkt, *, refs: bool | None) -> None:
    """The ENI holding the destination admits the packet, then its reply goes home (4.4, T4)."""
    eni = eni_with_address(ctx["snap"], pkt.dst)
    if eni is None:  # whatever holds d is not in the snapshot: its SGs are unknown (4.6)
        raise missing(f"no ENI holds {pkt.dst}")
    check_destination_ingress(ctx, eni, pkt.src, pkt.protocol, pkt.port, refs)
    _reply_from(ctx, dest_subnet, pkt.back())


def _reply_from(ctx: dict, subnet: dict, reply: Pkt) -> None:
    """T4: the answering subnet's NACL and route table send the reply home, whatever way the
    request came: locally in the function's VPC, over a peering that joins it, or into a TGW."""
    snap, src = ctx["snap"], ctx["subnet"]
    if subnet["SubnetId"] == src["SubnetId"]:  # within the function's subnet (2.22, 5.5)
        return
    back = route_or_stop(snap, route_table_of(snap, subnet), subnet["VpcId"], reply.dst)
    target = route_target(back)
    home = target == "local" and subnet["VpcId"] == ctx["vpc_id"]
    if target.startswith("pcx-"):
        home = _peering_joins(snap, target, subnet["VpcId"], ctx["vpc_id"])
    if not (home or target.startswith("tgw-")):
        raise deny(f"{subnet['SubnetId']} routes the reply to {reply.dst} to {target}, "
                   f"not home (T4)")
    _edge(snap, subnet, reply, egress=True)
    if home:
        _edge(snap, src, reply, egress=False)
    else:
        _into_tgw(ctx, target, subnet, reply, _trip(), sender_out=False)


def _peering_joins(snap: dict, pcx_id: str, vpc_a: str, vpc_b: str) -> bool:
    pcx = find(snap, "VpcPeeringConnections", "VpcPeeringConnectionId", pcx_id)
    if pcx is None:
        raise missing(f"{pcx_id} is not in the snapshot")
    ends = {(pcx.get(k) or {}).get("VpcId") for k in ("AccepterVpcInfo", "RequesterVpcInfo")}
    return lower((pcx.get("Status") or {}).get("Code")) == "active" and ends == {vpc_a, vpc_b}


# ---------------------------------------------------------------- transit gateways (§6t)

def _trip() -> dict:
    """One packet's way through TGWs: attachments left (a loop check) and crossings (for 4.9)."""
    return {"left": set(), "crossings": [], "peered": False}


def _into_tgw(ctx: dict, tgw_id: str, sender: dict, pkt: Pkt, trip: dict, *,
              sender_out: bool) -> None:
    """T1: into tgw_id through the sending VPC's attachment subnet in the sender's AZ (6.8, 6.9)."""
    snap = ctx["snap"]
    att = vpc_attachment(snap, tgw_id, sender["VpcId"])
    entry = entry_subnet(snap, att, sender)
    # The attachment subnet's inbound rules judge what enters the TGW, with the source address,
    # also when it is the sender's own subnet (T1; tgw-nacls.html, "same subnet").
    if entry["SubnetId"] != sender["SubnetId"] and sender_out:
        _edge(snap, sender, pkt, egress=True)
    _edge(snap, entry, pkt, egress=False)
    trip["crossings"].append({"tgw": tgw_id, "in": att, "out": None})
    _across_tgw(ctx, tgw_id, associated_table(snap, att), entry, pkt, trip)


def _across_tgw(ctx: dict, tgw_id: str, table: dict, flow: dict, pkt: Pkt, trip: dict) -> None:
    """T2: the TGW route table names the attachment the packet leaves by."""
    snap = ctx["snap"]
    att_id = tgw_next(snap, table, pkt.dst)
    if (att_id, tgw_id) in trip["left"]:
        raise missing(f"{tgw_id} sends {pkt.dst} back out of {att_id} again: a loop (T3)")
    trip["left"].add((att_id, tgw_id))
    side = side_on(snap, att_id, tgw_id)
    kind = lower(side.get("ResourceType"))
    if kind == "vpc":
        trip["crossings"][-1]["out"] = side
        _out_of_tgw(ctx, exit_subnet(snap, side, flow), pkt, trip)
    elif kind == "peering":  # the peer side's own association decides next (tgw-peering)
        peer_tgw = side.get("ResourceId")
        check_tgw(snap, peer_tgw)
        trip["peered"] = True
        _across_tgw(ctx, peer_tgw, associated_table(snap, side_on(snap, att_id, peer_tgw)), flow,
                    pkt, trip)
    else:  # VPN, Direct Connect, Connect
        raise missing(f"{att_id} is a {kind or 'typeless'} attachment, which this simulator "
                      f"does not follow")


def _out_of_tgw(ctx: dict, exit_sn: dict, pkt: Pkt, trip: dict) -> None:
    """T3: in the attachment's VPC, the exit subnet's route table decides the next hop."""
    snap = ctx["snap"]
    vpc_id = exit_sn["VpcId"]
    route = route_or_stop(snap, route_table_of(snap, exit_sn), vpc_id, pkt.dst)
    target = route_target(route)
    if target == "local":
        dest = _subnet_holding(snap, vpc_id, pkt.dst)
        if dest is None:
            raise deny(f"{pkt.dst} is in no subnet of {vpc_id}")
        if dest["SubnetId"] != exit_sn["SubnetId"]:
            _edge(snap, exit_sn, pkt, egress=True)
            _edge(snap, dest, pkt, egress=False)
        if not pkt.reply:  # a reply here has reached the function's subnet (T4)
            _arrive(ctx, dest, pkt, refs=_references_cross(snap, trip))
    elif target.startswith("tgw-"):  # back into a TGW from this VPC (T1 again)
        _into_tgw(ctx, target, exit_sn, pkt, trip, sender_out=True)
    elif is_v6(pkt.dst) and target.startswith(("igw-", "eigw-", "nat-")):
        # Another VPC's IPv6 at a gateway of this one: not documented either way (§6v). A NAT
        # gateway may share the exit subnet, so only a gateway's way out meets its NACL first.
        if not target.startswith("nat-"):
            _edge(snap, exit_sn, pkt, egress=True)
        raise missing(f"{target} would forward {pkt.src}'s IPv6 after a TGW, which AWS does not "
                      f"document")
    elif target.startswith("nat-") and not pkt.reply:  # translated as from this VPC (2.17)
        nat = find(snap, "NatGateways", "NatGatewayId", target)
        if nat is not None and nat.get("SubnetId") != exit_sn["SubnetId"]:
            _edge(snap, exit_sn, pkt, egress=True)
        _via_nat(ctx, target, exit_sn, pkt.src, pkt.dst, pkt.protocol, pkt.port)
    else:
        _edge(snap, exit_sn, pkt, egress=True)
        _dead_end(snap, target, pkt)


def _dead_end(snap: dict, target: str, pkt: Pkt) -> None:
    """T3's other next hops: none carries a packet that came through a TGW."""
    if target.startswith("vpce-"):
        ep = find(snap, "VpcEndpoints", "VpcEndpointId", target)
        kind = lower((ep or {}).get("VpcEndpointType"))
        if kind == "gateway":  # serves only its own VPC's sources (6.11, 3.5)
            raise deny(f"{target} is a gateway endpoint, which no TGW traffic may use (6.11)")
        raise missing(f"{pkt.dst} goes to {target} ({kind or 'not in the snapshot'}), "
                      f"whose appliance is not in the snapshot")
    if target.startswith("igw-"):  # a private source with no public address (2.11, 1.22)
        raise deny(f"{target} drops {pkt.src}, which has no public address (2.11)")
    if pkt.reply:  # a reply routed to anything but home is lost (T4)
        raise deny(f"the reply to {pkt.dst} is routed to {target}, not home (T4)")
    raise missing(f"route target {target} after a TGW is not simulated")


def _references_cross(snap: dict, trip: dict) -> bool | None:
    """Group references match across one TGW only with referencing support on the TGW and both
    attachments (4.9); never across a TGW peering or a transit VPC."""
    if trip["peered"] or len(trip["crossings"]) != 1:
        return False
    crossing = trip["crossings"][0]
    tgw = find(snap, "TransitGateways", "TransitGatewayId", crossing["tgw"])
    values = [lower(((x or {}).get("Options") or {}).get("SecurityGroupReferencingSupport"))
              for x in (tgw, crossing["in"], crossing["out"])]
    if "disable" in values:
        return False
    return True if all(v == "enable" for v in values) else None


def _via_gateway_endpoint(ctx: dict, endpoint_id: str, protocol: str, d: str) -> None:
    """A gateway endpoint carries TCP only and must be available (3.1, 3.9); IPv6 only when its
    IP address type is dual-stack or IPv6 (3.6)."""
    ep = find(ctx["snap"], "VpcEndpoints", "VpcEndpointId", endpoint_id)
    if ep is None:
        raise missing(f"{endpoint_id} is not in the snapshot")
    if lower(ep.get("State")) != "available":  # a pending or deleted endpoint carries nothing (2.8)
        raise deny(f"{endpoint_id} is {ep.get('State')}")
    if lower(ep.get("VpcEndpointType")) != "gateway":
        raise deny(f"{endpoint_id} is not a gateway endpoint")
    if protocol_number(protocol) != "6":
        raise deny(f"{endpoint_id} carries TCP only (3.9)")
    if is_v6(d) and lower(ep.get("IpAddressType")) not in ("dualstack", "ipv6"):
        raise missing(f"IPv6 routed to {endpoint_id}, whose IP address type is {ep.get('IpAddressType')}")


def _via_nat(ctx: dict, nat_id: str, sender: dict, s: str, d: str, protocol: str,
             port: int) -> None:
    """Through a NAT gateway and its own subnet's route table and NACLs (2.15-2.18, 5.9).

    `sender` is the subnet the packet comes from: the function's, or a TGW attachment's (2.17).
    """
    snap, src = ctx["snap"], ctx["subnet"]
    nat = find(snap, "NatGateways", "NatGatewayId", nat_id)
    if nat is None:
        raise missing(f"{nat_id} is not in the snapshot")
    if lower(nat.get("State")) != "available":  # failed, pending or deleted NATs drop it (2.8)
        raise deny(f"{nat_id} is {nat.get('State')}")
    # NAT64 (2.18): only 64:ff9b::/96 is translated, to the IPv4 address in its last 32 bits
    # (RFC 6052); the NAT then sends that IPv4 packet as its own. Other IPv6: not said, unknown.
    d4 = d
    if is_v6(d):
        if not in_cidr(NAT64_PREFIX, d):
            raise missing(f"{nat_id} translates only 64:ff9b::/96, not {d}")
        d4 = str(ipaddress.IPv4Address(int(ipaddress.IPv6Address(d)) & 0xFFFFFFFF))
    nat_subnet = find(snap, "Subnets", "SubnetId", nat.get("SubnetId"))
    if nat_subnet is None:  # its route table and NACL are unknown (2.15, 5.9)
        raise missing(f"the subnet of {nat_id} is not in the snapshot")
    crosses = nat_subnet["SubnetId"] != sender["SubnetId"]
    if crosses:  # the packet enters the NAT's subnet (5.9)
        check_nacl(snap, nat_subnet, egress=False, other_ip=s, protocol=protocol, port=port)
    # The NAT forwards by its own subnet's route table (2.15).
    route = route_or_stop(snap, route_table_of(snap, nat_subnet), nat_subnet["VpcId"], d4)
    target = route_target(route)
    if target.startswith("igw-"):
        _check_attached(snap, target, nat_subnet["VpcId"])
        if is_private(d4):  # an IGW carries only public destinations (2.12)
            raise deny(f"{d4} is not a public address")
        if lower(nat.get("ConnectivityType") or "public") != "public":
            raise deny(f"{nat_id} is a private NAT gateway; the IGW drops its traffic (2.16)")
    elif target.startswith("vpce-") and route.get("DestinationPrefixListId"):
        _via_gateway_endpoint(ctx, target, protocol, d4)
    else:  # any other next hop of the NAT (2.7) is outside the agreed reading: unknown
        raise missing(f"{nat_id} forwards {d} to {target or 'nothing'}, which this simulator "
                       f"does not follow")
    # Leaving the NAT's subnet towards d (as IPv4 after NAT64), then the replies (5.9); the NAT
    # translates the reply back to IPv6 from d before it leaves for the function (2.18).
    check_nacl(snap, nat_subnet, egress=True, other_ip=d4, protocol=protocol, port=port)
    check_nacl_ephemeral(snap, nat_subnet, egress=False, other_ip=d4, protocol=protocol)
    if ctx["transit"]:
        # Translated back, the reply goes from the NAT's subnet to the function's address, as
        # that subnet routes it (5.9 "out back to the function subnet", T4, T5).
        _reply_from(ctx, nat_subnet, Pkt(d, s, protocol, port, True))
        return
    if crosses:
        # Translated back, the reply leaves the NAT's subnet for the function's address s (5.9, T5).
        check_nacl_ephemeral(snap, nat_subnet, egress=True, other_ip=s, protocol=protocol)
    check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)


def _check_attached(snap: dict, gateway_id: str, vpc_id: str) -> None:
    """An internet or egress-only internet gateway must be in the snapshot (else unknown, §0) and
    attached to the VPC (else it carries nothing, 2.11, 2.14)."""
    key, id_field = (("EgressOnlyInternetGateways", "EgressOnlyInternetGatewayId") if gateway_id.startswith("eigw-")
                     else ("InternetGateways", "InternetGatewayId"))
    gateway = find(snap, key, id_field, gateway_id)
    if gateway is None:
        raise missing(f"{gateway_id} is not in the snapshot")
    if not any(a.get("VpcId") == vpc_id and lower(a.get("State")) in ("available", "attached")
               for a in gateway.get("Attachments") or []):
        raise deny(f"{gateway_id} is not attached to {vpc_id}")


def _via_peering(ctx: dict, pcx_id: str, s: str, d: str, protocol: str, port: int) -> None:
    """Across a VPC peering connection into the peer VPC (6.1-6.5)."""
    snap = ctx["snap"]
    pcx = find(snap, "VpcPeeringConnections", "VpcPeeringConnectionId", pcx_id)
    if pcx is None:  # its status and peer are unknown (6.1)
        raise missing(f"{pcx_id} is not in the snapshot")
    if lower((pcx.get("Status") or {}).get("Code")) != "active":
        raise deny(f"{pcx_id} is {(pcx.get('Status') or {}).get('Code')} (6.1)")
    acc, req = pcx.get("AccepterVpcInfo") or {}, pcx.get("RequesterVpcInfo") or {}
    if req.get("VpcId") == ctx["vpc_id"]:
        peer = acc
    elif acc.get("VpcId") == ctx["vpc_id"]:
        peer = req
    else:
        raise deny(f"{pcx_id} does not join {ctx['vpc_id']}")
    peer_vpc = peer.get("VpcId")
    peer_cidrs = vpc_cidrs(snap, peer_vpc) or (
        [peer["CidrBlock"]] if peer.get("CidrBlock") else []) + [
        c["CidrBlock"] for c in peer.get("CidrBlockSet") or [] if c.get("CidrBlock")] + [
        c["Ipv6CidrBlock"] for c in peer.get("Ipv6CidrBlockSet") or [] if c.get("Ipv6CidrBlock")]
    if not any(in_cidr(c, d) for c in peer_cidrs):  # peering is not transitive (6.2, 6.5)
        raise deny(f"{d} is outside the CIDRs of {peer_vpc}")
    _deliver_in_vpc(ctx, peer_vpc, s, d, protocol, port, via_pcx=pcx_id)


def _walk(ctx: dict, s: str, d: str, protocol: str, port: int) -> None:
    """Walk one packet from source address s; return when every hop allows it, else raise Stop."""
    snap, src = ctx["snap"], ctx["subnet"]
    # Hop 1: the function's SG egress (4.1-4.6, 4.10).
    check_function_egress(ctx, d, protocol, port)
    # Within the source subnet: no route table and no NACL (2.22, 5.5).
    if any(in_cidr(c, d) for c in subnet_cidrs(src)):
        _deliver_in_vpc(ctx, ctx["vpc_id"], s, d, protocol, port)
        return
    # Hop 2: the source subnet's route table (2.1, 2.5, 2.6, 2.8).
    table = route_table_of(snap, src)
    ways = route_ways(snap, table, ctx["vpc_id"], d)
    if ways is None:
        return _routed(ctx, live_route_or_stop(table, route_or_stop(snap, table, ctx["vpc_id"], d), d),
                       s, d, protocol, port)
    # A prefix list of the table is missing: the packet gets through only if it would whichever
    # route it takes (the reading of docs/semantics.md, "either way"); otherwise unknown.
    for route in ways:
        try:
            _routed(ctx, live_route_or_stop(table, route, d), s, d, protocol, port)
        except Stop as stop:
            raise missing(f"a prefix list of {table.get('RouteTableId')} is missing and one way "
                          f"fails: {stop.reason}") from None


def _routed(ctx: dict, route: dict, s: str, d: str, protocol: str, port: int) -> None:
    """Hops 3 and 4 of the source subnet: its NACL outbound, then the route's target."""
    snap, src = ctx["snap"], ctx["subnet"]
    # Hop 3: the source subnet's NACL outbound, matched against the real destination (5.1-5.4).
    check_nacl(snap, src, egress=True, other_ip=d, protocol=protocol, port=port)
    # Hop 4: the route's target.
    target = route_target(route)
    if target == "local":
        _deliver_in_vpc(ctx, ctx["vpc_id"], s, d, protocol, port)
    elif target.startswith("igw-"):
        _check_attached(snap, target, ctx["vpc_id"])
        if not is_v6(d):
            # The Lambda ENI has no public IP, so the IGW drops the packet (1.22, 2.11).
            raise deny(f"{target} drops traffic from an ENI without a public IP (2.11)")
        if in_cidr(NAT64_PREFIX, d):  # only a NAT gateway translates 64:ff9b::/96 (2.18)
            raise deny(f"{d} needs NAT64 at a NAT gateway, not {target}")
        # An IPv6 address needs no translation: out and back through the IGW (2.11).
        check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)
    elif target.startswith("eigw-"):
        _check_attached(snap, target, ctx["vpc_id"])
        if not is_v6(d):  # IPv6 only (2.14)
            raise deny(f"{target} carries IPv6 only (2.14)")
        if in_cidr(NAT64_PREFIX, d):  # only a NAT gateway translates 64:ff9b::/96 (2.18)
            raise deny(f"{d} needs NAT64 at a NAT gateway, not {target}")
        # Stateful: the reply of an outbound connection comes back in (2.14), through the NACL.
        check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)
    elif target.startswith("nat-"):
        _via_nat(ctx, target, src, s, d, protocol, port)
    elif target.startswith("vpce-") and route.get("DestinationPrefixListId"):
        _via_gateway_endpoint(ctx, target, protocol, d)
        # The reply from the service enters the function's subnet (5.1, 3.8).
        check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)
    elif target.startswith("pcx-"):
        _via_peering(ctx, target, s, d, protocol, port)
    elif target.startswith("tgw-") and ctx["transit"]:
        _into_tgw(ctx, target, src, Pkt(s, d, protocol, port), _trip(), sender_out=False)
    else:  # ENI, instance, VGW... targets (2.7) are outside this simulator
        raise missing(f"route target {target or '(none)'} is not simulated")


# --------------------------------------------------------------------------- public entry points

def trace(snapshot: dict, function_name: str, subnet_id: str, dst_ip: str, port: int,
          protocol: str = "tcp", *, transit: bool = True) -> tuple[str, list[tuple[str, str, str]]]:
    """Simulate and also return (source address, verdict, reason) for each address walked.

    `transit=False` keeps the reading from before docs/semantics.md §6t (routes to a TGW unknown,
    replies judged as before), for comparing with an engine that predates it.
    """
    find_function(snapshot, function_name)
    subnet = find(snapshot, "Subnets", "SubnetId", subnet_id)
    if subnet is None:
        return UNKNOWN, [("*", UNKNOWN, f"{subnet_id} is not in the snapshot")]
    seen: list[tuple[str, str, str]] = []
    verdicts: set[str] = set()
    if not subnet.get("CidrBlock") and (subnet.get("Ipv6Native") or ipv6_cidrs(subnet)):
        # No IPv4 address for the ENI, and Lambda sends no IPv6 from IPv6-only subnets (1.23).
        return UNREACHABLE, [("*", UNREACHABLE, f"{subnet_id} is IPv6-only: Lambda sends nothing from it")]
    six = is_v6(dst_ip)
    if six and (why := no_ipv6_source(snapshot, function_name, subnet)):
        return UNREACHABLE, [("*", UNREACHABLE, why)]
    for s, groups in sources(snapshot, function_name, subnet_id, six):
        # The ENI's own groups govern its traffic (1.15).
        ctx = {"snap": snapshot, "subnet": subnet, "vpc_id": subnet.get("VpcId"), "groups": groups,
               "transit": transit}
        try:
            _walk(ctx, s, dst_ip, protocol, port)
            seen.append((s, REACHABLE, "every hop allows"))
            verdicts.add(REACHABLE)
        except Stop as stop:
            seen.append((s, stop.verdict, stop.reason))
            verdicts.add(stop.verdict)
        # Mixed or unknown already decides the path: "unknown" (agreed reading). Stop early.
        if UNKNOWN in verdicts or len(verdicts) > 1:
            return UNKNOWN, seen
    if not verdicts:
        return UNKNOWN, [("*", UNKNOWN, f"{subnet_id} has no usable address")]
    return verdicts.pop(), seen


def simulate(snapshot: dict, function_name: str, subnet_id: str, dst_ip: str, port: int,
             protocol: str = "tcp", *, transit: bool = True) -> str:
    """Return "reachable", "unreachable" or "unknown" for the function's ENI in subnet_id."""
    return trace(snapshot, function_name, subnet_id, dst_ip, port, protocol, transit=transit)[0]


def simulate_outside_vpc(snapshot: dict, function_name: str, dst_ip: str, port: int,
                         protocol: str = "tcp") -> str:
    """A function with no VpcConfig reaches the internet but no private address (1.1)."""
    find_function(snapshot, function_name)
    # Lambda sends no IPv6 from a function outside a VPC (1.23).
    if is_v6(dst_ip):
        return UNREACHABLE
    # Only public addresses are on the internet: not RFC 1918, not RFC 6598 shared space (2.12).
    if is_private(dst_ip):
        return UNREACHABLE
    for vpc in items_of(snapshot, "Vpcs"):
        if any(in_cidr(c, dst_ip) for c in vpc_cidrs(snapshot, vpc["VpcId"])):
            return UNREACHABLE
    return REACHABLE
