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
"""
from __future__ import annotations

import ipaddress
from typing import Any, Iterable

REACHABLE = "reachable"
UNREACHABLE = "unreachable"
UNKNOWN = "unknown"

# Lambda and NAT gateways use source ports 1024-65535, so replies come back to those (1.25, 5.6).
EPHEMERAL = (1024, 65535)
# IPv6 addresses that stand for IPv4 ones, which only a NAT gateway translates (2.18, RFC 6052).
NAT64_PREFIX = "64:ff9b::/96"

# Private and shared address space an internet gateway never carries (2.12).
_NOT_PUBLIC = [ipaddress.ip_network(c) for c in
               ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10")]

# Protocol names and IANA numbers are the same thing to AWS (contract §1.1).
_PROTOCOL_NUMBERS = {"tcp": "6", "udp": "17", "icmp": "1", "icmpv6": "58", "all": "-1"}


class Stop(Exception):
    """A hop did not allow the packet: `verdict` is "unreachable" (a deny) or "unknown"."""

    def __init__(self, verdict: str, reason: str):
        super().__init__(f"{verdict}: {reason}")
        self.verdict = verdict
        self.reason = reason


def _deny(reason: str) -> Stop:
    return Stop(UNREACHABLE, reason)


def _missing(reason: str) -> Stop:
    return Stop(UNKNOWN, reason)


# --------------------------------------------------------------------------- small readers

def _items(snap: dict, key: str) -> list[dict]:
    return snap.get(key) or []


def _lower(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def _protocol(value: Any) -> str:
    text = _lower(value)
    return _PROTOCOL_NUMBERS.get(text, text)


def _in(cidr: str | None, ip: str) -> bool:
    """Whether the IPv4 address `ip` lies in `cidr` (an IPv6 CIDR never holds an IPv4 address)."""
    if not cidr:
        return False
    net = ipaddress.ip_network(cidr, strict=False)
    addr = ipaddress.ip_address(ip)
    return net.version == addr.version and addr in net


def _prefixlen(cidr: str) -> int:
    return ipaddress.ip_network(cidr, strict=False).prefixlen


def _find(snap: dict, key: str, id_field: str, wanted: str | None) -> dict | None:
    return next((x for x in _items(snap, key) if x.get(id_field) == wanted), None)


def _function(snap: dict, name: str) -> dict:
    fn = _find(snap, "Functions", "FunctionName", name)
    if fn is None:
        raise KeyError(f"no function {name!r} in the snapshot")
    return fn


def _function_groups(fn: dict) -> list[str]:
    return list((fn.get("VpcConfig") or {}).get("SecurityGroupIds") or [])


def _vpc_cidrs(snap: dict, vpc_id: str) -> list[str]:
    """The VPC's CIDRs: the primary IPv4 block, every associated one, and its IPv6 blocks."""
    vpc = _find(snap, "Vpcs", "VpcId", vpc_id)
    if vpc is None:
        return []
    cidrs = [vpc["CidrBlock"]] if vpc.get("CidrBlock") else []
    for assoc in vpc.get("CidrBlockAssociationSet") or []:
        state = _lower((assoc.get("CidrBlockState") or {}).get("State")) or "associated"
        if state == "associated" and assoc.get("CidrBlock") and assoc["CidrBlock"] not in cidrs:
            cidrs.append(assoc["CidrBlock"])
    return cidrs + _ipv6_cidrs(vpc)


def _ipv6_cidrs(item: dict) -> list[str]:
    """A VPC's or subnet's associated IPv6 CIDRs (2.2)."""
    out = []
    for assoc in item.get("Ipv6CidrBlockAssociationSet") or []:
        state = _lower((assoc.get("Ipv6CidrBlockState") or {}).get("State")) or "associated"
        if state == "associated" and assoc.get("Ipv6CidrBlock"):
            out.append(assoc["Ipv6CidrBlock"])
    return out


def _subnet_cidrs(subnet: dict) -> list[str]:
    return ([subnet["CidrBlock"]] if subnet.get("CidrBlock") else []) + _ipv6_cidrs(subnet)


def _is_v6(ip: str) -> bool:
    return ":" in ip


def _prefix_list_cidrs(snap: dict, pl_id: str) -> list[str] | None:
    """A prefix list's CIDRs from ManagedPrefixLists Entries or old PrefixLists Cidrs; None if absent."""
    mpl = _find(snap, "ManagedPrefixLists", "PrefixListId", pl_id)
    if mpl is not None and mpl.get("Entries") is not None:
        return [e["Cidr"] for e in mpl["Entries"] if e.get("Cidr")]
    old = _find(snap, "PrefixLists", "PrefixListId", pl_id)
    if old is not None:
        return list(old.get("Cidrs") or [])
    return None


def _eni_addresses(eni: dict) -> set[str]:
    addrs = {eni["PrivateIpAddress"]} if eni.get("PrivateIpAddress") else set()
    for extra in eni.get("PrivateIpAddresses") or []:
        if extra.get("PrivateIpAddress"):
            addrs.add(extra["PrivateIpAddress"])
    for six in eni.get("Ipv6Addresses") or []:
        if six.get("Ipv6Address"):
            addrs.add(str(ipaddress.ip_address(six["Ipv6Address"])))
    return addrs


def _eni_groups(eni: dict) -> set[str]:
    return {g["GroupId"] for g in eni.get("Groups") or [] if g.get("GroupId")}


def _eni_vpc(snap: dict, eni: dict) -> str | None:
    if eni.get("VpcId"):
        return eni["VpcId"]
    subnet = _find(snap, "Subnets", "SubnetId", eni.get("SubnetId"))
    return subnet.get("VpcId") if subnet else None


def _eni_with_address(snap: dict, ip: str) -> dict | None:
    return next((e for e in _items(snap, "NetworkInterfaces") if ip in _eni_addresses(e)), None)


def _is_private(ip: str) -> bool:
    if _is_v6(ip):
        return False
    addr = ipaddress.ip_address(ip)
    return any(addr in net for net in _NOT_PUBLIC)


def _peered_same_region(snap: dict, vpc_a: str, vpc_b: str) -> bool:
    """Whether an active same-Region peering joins the two VPCs (4.8, 6.1)."""
    for pcx in _items(snap, "VpcPeeringConnections"):
        if _lower((pcx.get("Status") or {}).get("Code")) != "active":
            continue
        acc, req = pcx.get("AccepterVpcInfo") or {}, pcx.get("RequesterVpcInfo") or {}
        if {acc.get("VpcId"), req.get("VpcId")} != {vpc_a, vpc_b}:
            continue
        if acc.get("Region") and req.get("Region") and acc["Region"] != req["Region"]:
            continue
        return True
    return False


# --------------------------------------------------------------------------- security groups

def _rule_covers(perm: dict, protocol: str, port: int) -> bool:
    """Whether an IpPermission's protocol and destination ports cover the packet (4.5)."""
    rule_proto = _protocol(perm.get("IpProtocol"))
    if rule_proto == "-1":  # all protocols, all ports
        return True
    if rule_proto != _protocol(protocol):
        return False
    lo, hi = perm.get("FromPort"), perm.get("ToPort")
    if lo is None or hi is None or lo == -1:
        return True
    return lo <= port <= hi


def _sg_allows(snap: dict, group_ids: Iterable[str], *, egress: bool, protocol: str, port: int,
               peer_ip: str, peer_matches_group) -> bool | None:
    """Union of the groups' rules in one direction (4.4): True allow, False none, None undecidable.

    `peer_matches_group(group_id)` says whether a UserIdGroupPairs peer covers the other side.
    """
    undecidable = False
    for gid in group_ids:
        sg = _find(snap, "SecurityGroups", "GroupId", gid)
        if sg is None:  # a group the snapshot lacks could hold any rule
            undecidable = True
            continue
        perms = sg.get("IpPermissionsEgress" if egress else "IpPermissions") or []
        for perm in perms:
            if not _rule_covers(perm, protocol, port):
                continue
            # CIDR peers (4.5).
            if any(_in(r.get("CidrIp"), peer_ip) for r in perm.get("IpRanges") or []):
                return True
            if any(_in(r.get("CidrIpv6"), peer_ip) for r in perm.get("Ipv6Ranges") or []):
                return True
            # Security-group peers match the ENIs carrying that group, by private IP (4.6).
            if any(peer_matches_group(p.get("GroupId")) for p in perm.get("UserIdGroupPairs") or []):
                return True
            # Prefix-list peers (4.10); a list the snapshot lacks cannot be decided.
            for ref in perm.get("PrefixListIds") or []:
                cidrs = _prefix_list_cidrs(snap, ref.get("PrefixListId"))
                if cidrs is None:
                    undecidable = True
                elif any(_in(c, peer_ip) for c in cidrs):
                    return True
    return None if undecidable else False


def _check_function_egress(ctx: dict, d: str, protocol: str, port: int) -> None:
    """Hop 1: the function's SG egress must allow the packet to d (4.1-4.6, 4.10)."""
    snap, vpc_id = ctx["snap"], ctx["vpc_id"]

    def group_holds_destination(group_id: str | None) -> bool:
        # d must be a private IP of an ENI carrying the group, in this VPC or one peered with it
        # in the same Region (4.6, 4.8).
        for eni in _items(snap, "NetworkInterfaces"):
            if d not in _eni_addresses(eni) or group_id not in _eni_groups(eni):
                continue
            eni_vpc = _eni_vpc(snap, eni)
            if eni_vpc == vpc_id or (eni_vpc and _peered_same_region(snap, vpc_id, eni_vpc)):
                return True
        return False

    verdict = _sg_allows(snap, ctx["groups"], egress=True, protocol=protocol, port=port,
                         peer_ip=d, peer_matches_group=group_holds_destination)
    if verdict is None:
        raise _missing("function SG egress depends on a group or prefix list the snapshot lacks")
    if not verdict:
        raise _deny("no function SG egress rule allows the packet (4.2)")


def _check_destination_ingress(ctx: dict, eni: dict, s: str, protocol: str, port: int) -> None:
    """The destination ENI's SG ingress must allow the packet from s (4.4-4.6, 1.26)."""
    fn_groups = set(ctx["groups"])
    verdict = _sg_allows(ctx["snap"], [g["GroupId"] for g in eni.get("Groups") or []],
                         egress=False, protocol=protocol, port=port, peer_ip=s,
                         # The Lambda ENI carries the function's groups, so a reference to one of
                         # them matches it (1.26), also across same-Region peering (4.8).
                         peer_matches_group=lambda gid: gid in fn_groups)
    if verdict is None:
        raise _missing(f"{eni.get('NetworkInterfaceId')} SG ingress depends on missing data")
    if not verdict:
        raise _deny(f"no SG ingress rule of {eni.get('NetworkInterfaceId')} allows the packet")


# --------------------------------------------------------------------------- route tables

def _route_table(snap: dict, subnet: dict) -> dict:
    """The subnet's explicit association, else its VPC's main table (2.1)."""
    for rt in _items(snap, "RouteTables"):
        if any(a.get("SubnetId") == subnet["SubnetId"] for a in rt.get("Associations") or []):
            return rt
    for rt in _items(snap, "RouteTables"):
        if rt.get("VpcId") == subnet.get("VpcId") and any(
                a.get("Main") for a in rt.get("Associations") or []):
            return rt
    raise _missing(f"no route table for {subnet['SubnetId']}")


def _route_target(route: dict) -> str:
    for key in ("GatewayId", "NatGatewayId", "VpcPeeringConnectionId", "TransitGatewayId",
                "NetworkInterfaceId", "InstanceId", "EgressOnlyInternetGatewayId",
                "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn"):
        if route.get(key):
            return route[key]
    return ""


def _lookup_route(snap: dict, table: dict, vpc_id: str, ip: str) -> dict | None:
    """The route the table uses for ip: longest prefix; a CIDR route beats a prefix-list one (2.5, 2.6)."""
    candidates = []  # (prefix length, 1 for a CIDR route / 0 for a prefix-list route, route)
    routes = table.get("Routes") or []
    for route in routes:
        dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
        if dest:
            if _in(dest, ip):
                candidates.append((_prefixlen(dest), 1, route))
        elif route.get("DestinationPrefixListId"):
            cidrs = _prefix_list_cidrs(snap, route["DestinationPrefixListId"])
            if cidrs is None:
                raise _missing(f"prefix list {route['DestinationPrefixListId']} is not in the snapshot")
            # One candidate per prefix-list entry (2.6).
            for cidr in cidrs:
                if _in(cidr, ip):
                    candidates.append((_prefixlen(cidr), 0, route))
    # Every table routes each VPC CIDR locally (2.2), even when the snapshot omits the route.
    listed = {r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock") for r in routes}
    for cidr in _vpc_cidrs(snap, vpc_id):
        if cidr not in listed and _in(cidr, ip):
            candidates.append((_prefixlen(cidr), 1, {"DestinationCidrBlock": cidr, "GatewayId": "local",
                                                     "State": "active"}))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def _route_or_stop(snap: dict, table: dict, vpc_id: str, ip: str) -> dict:
    route = _lookup_route(snap, table, vpc_id, ip)
    if route is None:
        raise _deny(f"{table.get('RouteTableId')} has no route to {ip}")
    if _lower(route.get("State")) == "blackhole":  # the target is gone (2.8)
        raise _deny(f"{table.get('RouteTableId')} routes {ip} to a blackhole")
    return route


# --------------------------------------------------------------------------- network ACLs

def _nacl(snap: dict, subnet: dict) -> dict:
    """The subnet's NACL: its association, else its VPC's default one (5.4)."""
    for acl in _items(snap, "NetworkAcls"):
        if any(a.get("SubnetId") == subnet["SubnetId"] for a in acl.get("Associations") or []):
            return acl
    for acl in _items(snap, "NetworkAcls"):
        if acl.get("VpcId") == subnet.get("VpcId") and acl.get("IsDefault"):
            return acl
    raise _missing(f"no network ACL for {subnet['SubnetId']}")


def _nacl_decides(acl: dict, *, egress: bool, other_ip: str, protocol: str, port: int) -> bool:
    """First match by rule number decides; no match is the final `*` deny (5.2)."""
    entries = [e for e in acl.get("Entries") or [] if bool(e.get("Egress")) == egress]
    for entry in sorted(entries, key=lambda e: e.get("RuleNumber", 0)):
        # Each entry holds one family; first match per family (5.7).
        if not _in(entry.get("CidrBlock") or entry.get("Ipv6CidrBlock"), other_ip):
            continue
        rule_proto = _protocol(entry.get("Protocol"))
        if rule_proto != "-1":
            if rule_proto != _protocol(protocol):
                continue
            ports = entry.get("PortRange")
            if ports and not (ports.get("From", 0) <= port <= ports.get("To", 65535)):
                continue
        return _lower(entry.get("RuleAction")) == "allow"
    return False


def _check_nacl(snap: dict, subnet: dict, *, egress: bool, other_ip: str, protocol: str,
                port: int) -> None:
    acl = _nacl(snap, subnet)
    if not _nacl_decides(acl, egress=egress, other_ip=other_ip, protocol=protocol, port=port):
        way = "outbound" if egress else "inbound"
        raise _deny(f"{acl.get('NetworkAclId')} {way} denies {other_ip} port {port}")


def _check_nacl_ephemeral(snap: dict, subnet: dict, *, egress: bool, other_ip: str,
                          protocol: str) -> None:
    """A reply must pass on EVERY port 1024-65535 (5.1, 1.25, 5.6).

    The first-match decision only changes at a rule's range edges, so checking the range ends
    and each entry's From, To, From-1 and To+1 covers every port.
    """
    acl = _nacl(snap, subnet)
    lo, hi = EPHEMERAL
    points = {lo, hi}
    for entry in acl.get("Entries") or []:
        ports = entry.get("PortRange") or {}
        for edge in (ports.get("From"), ports.get("To")):
            if edge is None:
                continue
            for p in (edge - 1, edge, edge + 1):
                if lo <= p <= hi:
                    points.add(p)
    for p in sorted(points):
        if not _nacl_decides(acl, egress=egress, other_ip=other_ip, protocol=protocol, port=p):
            way = "outbound" if egress else "inbound"
            raise _deny(f"{acl.get('NetworkAclId')} {way} denies the reply from/to {other_ip} "
                        f"on ephemeral port {p}")


# --------------------------------------------------------------------------- the walk

def _subnet_holding(snap: dict, vpc_id: str, ip: str) -> dict | None:
    return next((s for s in _items(snap, "Subnets")
                 if s.get("VpcId") == vpc_id and any(_in(c, ip) for c in _subnet_cidrs(s))), None)


def _deliver_in_vpc(ctx: dict, vpc_id: str, s: str, d: str, protocol: str, port: int,
                    via_pcx: str | None = None) -> None:
    """Deliver to the ENI holding d inside vpc_id, then check the way back (0.3, 5.8)."""
    snap, src = ctx["snap"], ctx["subnet"]
    dest_subnet = _subnet_holding(snap, vpc_id, d)
    if dest_subnet is None:  # the local route leads nowhere: no ENI can hold d (2.2)
        raise _deny(f"{d} is in no subnet of {vpc_id}")
    crosses = dest_subnet["SubnetId"] != src["SubnetId"]  # NACLs only at subnet edges (5.5)
    if crosses:
        _check_nacl(snap, dest_subnet, egress=False, other_ip=s, protocol=protocol, port=port)
    eni = _eni_with_address(snap, d)
    if eni is None:  # whatever holds d is not in the snapshot: its SGs are unknown (4.6)
        raise _missing(f"no ENI holds {d}")
    _check_destination_ingress(ctx, eni, s, protocol, port)
    # The reply: SGs are stateful (4.1), NACLs are not (5.1).
    if crosses:
        _check_nacl_ephemeral(snap, dest_subnet, egress=True, other_ip=s, protocol=protocol)
    if via_pcx is not None:
        # The peer must route the reply back over the same peering (6.1, 0.3).
        back = _route_or_stop(snap, _route_table(snap, dest_subnet), vpc_id, s)
        if _route_target(back) != via_pcx:
            raise _deny(f"the return route to {s} in {vpc_id} does not use {via_pcx}")
    if crosses:
        _check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)


def _via_gateway_endpoint(ctx: dict, endpoint_id: str, protocol: str, d: str) -> None:
    """A gateway endpoint carries TCP only and must be available (3.1, 3.9); IPv6 only when its
    IP address type is dual-stack or IPv6 (3.6)."""
    ep = _find(ctx["snap"], "VpcEndpoints", "VpcEndpointId", endpoint_id)
    if ep is None:
        raise _missing(f"{endpoint_id} is not in the snapshot")
    if _lower(ep.get("State")) != "available":  # a pending or deleted endpoint carries nothing (2.8)
        raise _deny(f"{endpoint_id} is {ep.get('State')}")
    if _lower(ep.get("VpcEndpointType")) != "gateway":
        raise _deny(f"{endpoint_id} is not a gateway endpoint")
    if _protocol(protocol) != "6":
        raise _deny(f"{endpoint_id} carries TCP only (3.9)")
    if _is_v6(d) and _lower(ep.get("IpAddressType")) not in ("dualstack", "ipv6"):
        raise _missing(f"IPv6 routed to {endpoint_id}, whose IP address type is {ep.get('IpAddressType')}")


def _via_nat(ctx: dict, nat_id: str, s: str, d: str, protocol: str, port: int) -> None:
    """Through a NAT gateway and its own subnet's route table and NACLs (2.15-2.18, 5.9)."""
    snap, src = ctx["snap"], ctx["subnet"]
    nat = _find(snap, "NatGateways", "NatGatewayId", nat_id)
    if nat is None:
        raise _missing(f"{nat_id} is not in the snapshot")
    if _lower(nat.get("State")) != "available":  # failed, pending or deleted NATs drop it (2.8)
        raise _deny(f"{nat_id} is {nat.get('State')}")
    # NAT64 (2.18): only 64:ff9b::/96 is translated, to the IPv4 address in its last 32 bits
    # (RFC 6052); the NAT then sends that IPv4 packet as its own. Other IPv6: not said, unknown.
    d4 = d
    if _is_v6(d):
        if not _in(NAT64_PREFIX, d):
            raise _missing(f"{nat_id} translates only 64:ff9b::/96, not {d}")
        d4 = str(ipaddress.IPv4Address(int(ipaddress.IPv6Address(d)) & 0xFFFFFFFF))
    nat_subnet = _find(snap, "Subnets", "SubnetId", nat.get("SubnetId"))
    if nat_subnet is None:  # its route table and NACL are unknown (2.15, 5.9)
        raise _missing(f"the subnet of {nat_id} is not in the snapshot")
    crosses = nat_subnet["SubnetId"] != src["SubnetId"]
    if crosses:  # the packet enters the NAT's subnet (5.9)
        _check_nacl(snap, nat_subnet, egress=False, other_ip=s, protocol=protocol, port=port)
    # The NAT forwards by its own subnet's route table (2.15).
    route = _route_or_stop(snap, _route_table(snap, nat_subnet), nat_subnet["VpcId"], d4)
    target = _route_target(route)
    if target.startswith("igw-"):
        igw = _find(snap, "InternetGateways", "InternetGatewayId", target)
        if igw is None:
            raise _missing(f"{target} is not in the snapshot")
        if not _attached(igw, nat_subnet["VpcId"]):
            raise _deny(f"{target} is not attached to {nat_subnet['VpcId']}")
        if _is_private(d4):  # an IGW carries only public destinations (2.12)
            raise _deny(f"{d4} is not a public address")
        if _lower(nat.get("ConnectivityType") or "public") != "public":
            raise _deny(f"{nat_id} is a private NAT gateway; the IGW drops its traffic (2.16)")
    elif target.startswith("vpce-") and route.get("DestinationPrefixListId"):
        _via_gateway_endpoint(ctx, target, protocol, d4)
    else:  # any other next hop of the NAT (2.7) is outside the agreed reading: unknown
        raise _missing(f"{nat_id} forwards {d} to {target or 'nothing'}, which this simulator "
                       f"does not follow")
    # Leaving the NAT's subnet towards d (as IPv4 after NAT64), then the replies (5.9); the NAT
    # translates the reply back to IPv6 from d before it leaves for the function (2.18).
    _check_nacl(snap, nat_subnet, egress=True, other_ip=d4, protocol=protocol, port=port)
    _check_nacl_ephemeral(snap, nat_subnet, egress=False, other_ip=d4, protocol=protocol)
    if crosses:
        # The NAT translates the reply back, so the function's subnet sees it come from d.
        _check_nacl_ephemeral(snap, nat_subnet, egress=True, other_ip=d, protocol=protocol)
    _check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)


def _attached(igw: dict, vpc_id: str) -> bool:
    return any(a.get("VpcId") == vpc_id and _lower(a.get("State")) in ("available", "attached")
               for a in igw.get("Attachments") or [])


def _via_peering(ctx: dict, pcx_id: str, s: str, d: str, protocol: str, port: int) -> None:
    """Across a VPC peering connection into the peer VPC (6.1-6.5)."""
    snap = ctx["snap"]
    pcx = _find(snap, "VpcPeeringConnections", "VpcPeeringConnectionId", pcx_id)
    if pcx is None:  # its status and peer are unknown (6.1)
        raise _missing(f"{pcx_id} is not in the snapshot")
    if _lower((pcx.get("Status") or {}).get("Code")) != "active":
        raise _deny(f"{pcx_id} is {(pcx.get('Status') or {}).get('Code')} (6.1)")
    acc, req = pcx.get("AccepterVpcInfo") or {}, pcx.get("RequesterVpcInfo") or {}
    if req.get("VpcId") == ctx["vpc_id"]:
        peer = acc
    elif acc.get("VpcId") == ctx["vpc_id"]:
        peer = req
    else:
        raise _deny(f"{pcx_id} does not join {ctx['vpc_id']}")
    peer_vpc = peer.get("VpcId")
    peer_cidrs = _vpc_cidrs(snap, peer_vpc) or (
        [peer["CidrBlock"]] if peer.get("CidrBlock") else []) + [
        c["CidrBlock"] for c in peer.get("CidrBlockSet") or [] if c.get("CidrBlock")] + [
        c["Ipv6CidrBlock"] for c in peer.get("Ipv6CidrBlockSet") or [] if c.get("Ipv6CidrBlock")]
    if not any(_in(c, d) for c in peer_cidrs):  # peering is not transitive (6.2, 6.5)
        raise _deny(f"{d} is outside the CIDRs of {peer_vpc}")
    _deliver_in_vpc(ctx, peer_vpc, s, d, protocol, port, via_pcx=pcx_id)


def _walk(ctx: dict, s: str, d: str, protocol: str, port: int) -> None:
    """Walk one packet from source address s; return when every hop allows it, else raise Stop."""
    snap, src = ctx["snap"], ctx["subnet"]
    # Hop 1: the function's SG egress (4.1-4.6, 4.10).
    _check_function_egress(ctx, d, protocol, port)
    # Within the source subnet: no route table and no NACL (2.22, 5.5).
    if any(_in(c, d) for c in _subnet_cidrs(src)):
        _deliver_in_vpc(ctx, ctx["vpc_id"], s, d, protocol, port)
        return
    # Hop 2: the source subnet's route table (2.1, 2.5, 2.6, 2.8).
    route = _route_or_stop(snap, _route_table(snap, src), ctx["vpc_id"], d)
    # Hop 3: the source subnet's NACL outbound, matched against the real destination (5.1-5.4).
    _check_nacl(snap, src, egress=True, other_ip=d, protocol=protocol, port=port)
    # Hop 4: the route's target.
    target = _route_target(route)
    if target == "local":
        _deliver_in_vpc(ctx, ctx["vpc_id"], s, d, protocol, port)
    elif target.startswith("igw-"):
        igw = _find(snap, "InternetGateways", "InternetGatewayId", target)
        if igw is None or not _attached(igw, ctx["vpc_id"]):
            raise _deny(f"{target} is not attached to {ctx['vpc_id']}")
        if not _is_v6(d):
            # The Lambda ENI has no public IP, so the IGW drops the packet (1.22, 2.11).
            raise _deny(f"{target} drops traffic from an ENI without a public IP (2.11)")
        if _in(NAT64_PREFIX, d):  # only a NAT gateway translates 64:ff9b::/96 (2.18)
            raise _deny(f"{d} needs NAT64 at a NAT gateway, not {target}")
        # An IPv6 address needs no translation: out and back through the IGW (2.11).
        _check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)
    elif target.startswith("eigw-"):
        eigw = _find(snap, "EgressOnlyInternetGateways", "EgressOnlyInternetGatewayId", target)
        if eigw is None:
            raise _missing(f"{target} is not in the snapshot")
        if not _attached(eigw, ctx["vpc_id"]):
            raise _deny(f"{target} is not attached to {ctx['vpc_id']}")
        if not _is_v6(d):  # IPv6 only (2.14)
            raise _deny(f"{target} carries IPv6 only (2.14)")
        if _in(NAT64_PREFIX, d):  # only a NAT gateway translates 64:ff9b::/96 (2.18)
            raise _deny(f"{d} needs NAT64 at a NAT gateway, not {target}")
        # Stateful: the reply of an outbound connection comes back in (2.14), through the NACL.
        _check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)
    elif target.startswith("nat-"):
        _via_nat(ctx, target, s, d, protocol, port)
    elif target.startswith("vpce-") and route.get("DestinationPrefixListId"):
        _via_gateway_endpoint(ctx, target, protocol, d)
        # The reply from the service enters the function's subnet (5.1, 3.8).
        _check_nacl_ephemeral(snap, src, egress=False, other_ip=d, protocol=protocol)
    elif target.startswith("pcx-"):
        _via_peering(ctx, target, s, d, protocol, port)
    else:  # TGW, ENI, instance, VGW, EIGW... targets (2.7) are outside this simulator
        raise _missing(f"route target {target or '(none)'} is not simulated")


# --------------------------------------------------------------------------- public entry points

def _described_function(eni: dict) -> str:
    """The function named in a Lambda ENI's Description, "AWS Lambda VPC ENI-<name>-<suffix>" (1.14)."""
    text = eni.get("Description") or ""
    prefix = "AWS Lambda VPC ENI-"
    return text[len(prefix):].rsplit("-", 1)[0] if text.startswith(prefix) else ""


def sources(snap: dict, function_name: str, subnet_id: str,
            six: bool = False) -> list[tuple[str, list[str]]]:
    """The (address, security groups) the function's ENI in subnet_id may have.

    The snapshot's `lambda` ENIs serving this (subnet, SG set) combination when it has any (1.5,
    1.6, 1.13): those whose groups equal the set, and those changed by hand that were created for
    the combination (their Description names a function with it, 1.14, and their groups are no live
    combination's), which keep serving it with the groups they now carry (1.15, TC20). Otherwise every usable address of the subnet (AWS
    reserves the first four and the last) that no other interface holds, with the function's
    own groups.
    """
    fn = _function(snap, function_name)
    groups = _function_groups(fn)
    subnet = _find(snap, "Subnets", "SubnetId", subnet_id)
    if six:
        # An IPv6 source needs the flag and an IPv6 CIDR on the subnet (1.23).
        if not (fn.get("VpcConfig") or {}).get("Ipv6AllowedForDualStack") or not _ipv6_cidrs(subnet):
            return []

    def has_combination(f: dict) -> bool:
        config = f.get("VpcConfig") or {}
        return subnet_id in (config.get("SubnetIds") or []) and set(_function_groups(f)) == set(groups)

    combination_functions = {f["FunctionName"] for f in _items(snap, "Functions") if has_combination(f)}
    # Group sets some function (any version) uses in this subnet: an ENI carrying one of them
    # serves that combination, whatever function its Description names (1.5, 1.7).
    live_sets = [set(_function_groups(f)) for f in _items(snap, "Functions")
                 if subnet_id in ((f.get("VpcConfig") or {}).get("SubnetIds") or [])]
    found = []
    serving: list[list[str]] = []  # the group sets of the ENIs that serve the combination
    for eni in _items(snap, "NetworkInterfaces"):
        if _lower(eni.get("InterfaceType")) != "lambda" or eni.get("SubnetId") != subnet_id:
            continue
        changed_by_hand = (_described_function(eni) in combination_functions
                           and _eni_groups(eni) not in live_sets)
        if _eni_groups(eni) == set(groups) or changed_by_hand:
            # Any of its private addresses, secondary ones included, may send (1.20).
            found += [(address, sorted(_eni_groups(eni))) for address in sorted(_eni_addresses(eni))
                      if _is_v6(address) == six]
            serving.append(sorted(_eni_groups(eni)))
    if found:
        return found
    # An address another interface holds cannot be the new ENI's: the snapshot's ENIs (every
    # private address) and its NAT gateways' private IPs (2.15, each is a NAT ENI's address).
    held = set()
    for eni in _items(snap, "NetworkInterfaces"):
        held |= _eni_addresses(eni)
    for nat in _items(snap, "NatGateways"):
        held |= {a["PrivateIp"] for a in nat.get("NatGatewayAddresses") or [] if a.get("PrivateIp")}
    net = ipaddress.ip_network(_ipv6_cidrs(subnet)[0] if six else subnet["CidrBlock"], strict=False)
    first, last = int(net.network_address) + 4, int(net.broadcast_address) - 1
    if six:  # too many to walk: the ends stand for the subnet (see the module docstring)
        ends = [n for n in (first, first + 1, last - 1, last)
                if str(ipaddress.ip_address(n)) not in held]
        # ENIs serving the combination without an IPv6 address in the snapshot still send with
        # the groups they carry (1.15), from an address of the subnet.
        sets = [list(g) for g in dict.fromkeys(tuple(g) for g in serving)] or [groups]
        return [(str(ipaddress.ip_address(n)), g) for g in sets for n in (ends[0], ends[-1])] if ends else []
    return [(str(ipaddress.ip_address(n)), groups) for n in range(first, last + 1)
            if str(ipaddress.ip_address(n)) not in held]


def source_addresses(snap: dict, function_name: str, subnet_id: str) -> list[str]:
    """The addresses the function's ENI in subnet_id may have (see `sources`)."""
    return [address for address, _ in sources(snap, function_name, subnet_id)]


def _no_ipv6_source(snap: dict, function_name: str, subnet: dict) -> str | None:
    """Why the function's ENI in this subnet has no IPv6 source, if it has none (1.23)."""
    if not ((_function(snap, function_name).get("VpcConfig") or {}).get("Ipv6AllowedForDualStack")):
        return "the function does not set Ipv6AllowedForDualStack (1.23)"
    if not _ipv6_cidrs(subnet):
        return f"{subnet['SubnetId']} has no IPv6 CIDR (1.23)"
    return None


def trace(snapshot: dict, function_name: str, subnet_id: str, dst_ip: str, port: int,
          protocol: str = "tcp") -> tuple[str, list[tuple[str, str, str]]]:
    """Simulate and also return (source address, verdict, reason) for each address walked."""
    _function(snapshot, function_name)
    subnet = _find(snapshot, "Subnets", "SubnetId", subnet_id)
    if subnet is None:
        return UNKNOWN, [("*", UNKNOWN, f"{subnet_id} is not in the snapshot")]
    seen: list[tuple[str, str, str]] = []
    verdicts: set[str] = set()
    six = _is_v6(dst_ip)
    if six and (why := _no_ipv6_source(snapshot, function_name, subnet)):
        return UNREACHABLE, [("*", UNREACHABLE, why)]
    for s, groups in sources(snapshot, function_name, subnet_id, six):
        # The ENI's own groups govern its traffic (1.15).
        ctx = {"snap": snapshot, "subnet": subnet, "vpc_id": subnet.get("VpcId"), "groups": groups}
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
             protocol: str = "tcp") -> str:
    """Return "reachable", "unreachable" or "unknown" for the function's ENI in subnet_id."""
    return trace(snapshot, function_name, subnet_id, dst_ip, port, protocol)[0]


def simulate_outside_vpc(snapshot: dict, function_name: str, dst_ip: str, port: int,
                         protocol: str = "tcp") -> str:
    """A function with no VpcConfig reaches the internet but no private address (1.1)."""
    _function(snapshot, function_name)
    # Lambda sends no IPv6 from a function outside a VPC (1.23).
    if _is_v6(dst_ip):
        return UNREACHABLE
    # Only public addresses are on the internet: not RFC 1918, not RFC 6598 shared space (2.12).
    if _is_private(dst_ip):
        return UNREACHABLE
    for vpc in _items(snapshot, "Vpcs"):
        if any(_in(c, dst_ip) for c in _vpc_cidrs(snapshot, vpc["VpcId"])):
            return UNREACHABLE
    return REACHABLE
