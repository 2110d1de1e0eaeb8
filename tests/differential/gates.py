"""The simulator's per-hop checks on raw snapshot dicts: readers, security groups, route tables, NACLs.

Part of the deliberately naive oracle of the differential test (see simulator.py); it shares no
code with the engine in `reach` and reads the AWS JSON shapes of contract §1.1 directly.
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


def deny(reason: str) -> Stop:
    return Stop(UNREACHABLE, reason)


def missing(reason: str) -> Stop:
    return Stop(UNKNOWN, reason)


# --------------------------------------------------------------------------- small readers

def items_of(snap: dict, key: str) -> list[dict]:
    return snap.get(key) or []


def lower(value: Any) -> str:
    return str(value).strip().lower() if value is not None else ""


def protocol_number(value: Any) -> str:
    text = lower(value)
    return _PROTOCOL_NUMBERS.get(text, text)


def in_cidr(cidr: str | None, ip: str) -> bool:
    """Whether the IPv4 address `ip` lies in `cidr` (an IPv6 CIDR never holds an IPv4 address)."""
    if not cidr:
        return False
    net = ipaddress.ip_network(cidr, strict=False)
    addr = ipaddress.ip_address(ip)
    return net.version == addr.version and addr in net


def prefixlen(cidr: str) -> int:
    return ipaddress.ip_network(cidr, strict=False).prefixlen


def find(snap: dict, key: str, id_field: str, wanted: str | None) -> dict | None:
    return next((x for x in items_of(snap, key) if x.get(id_field) == wanted), None)


def find_function(snap: dict, name: str) -> dict:
    fn = find(snap, "Functions", "FunctionName", name)
    if fn is None:
        raise KeyError(f"no function {name!r} in the snapshot")
    return fn


def function_groups(fn: dict) -> list[str]:
    return list((fn.get("VpcConfig") or {}).get("SecurityGroupIds") or [])


def vpc_cidrs(snap: dict, vpc_id: str) -> list[str]:
    """The VPC's CIDRs: the primary IPv4 block, every associated one, and its IPv6 blocks."""
    vpc = find(snap, "Vpcs", "VpcId", vpc_id)
    if vpc is None:
        return []
    cidrs = [vpc["CidrBlock"]] if vpc.get("CidrBlock") else []
    for assoc in vpc.get("CidrBlockAssociationSet") or []:
        state = lower((assoc.get("CidrBlockState") or {}).get("State")) or "associated"
        if state == "associated" and assoc.get("CidrBlock") and assoc["CidrBlock"] not in cidrs:
            cidrs.append(assoc["CidrBlock"])
    return cidrs + ipv6_cidrs(vpc)


def ipv6_cidrs(item: dict) -> list[str]:
    """A VPC's or subnet's associated IPv6 CIDRs (2.2)."""
    out = []
    for assoc in item.get("Ipv6CidrBlockAssociationSet") or []:
        state = lower((assoc.get("Ipv6CidrBlockState") or {}).get("State")) or "associated"
        if state == "associated" and assoc.get("Ipv6CidrBlock"):
            out.append(assoc["Ipv6CidrBlock"])
    return out


def subnet_cidrs(subnet: dict) -> list[str]:
    return ([subnet["CidrBlock"]] if subnet.get("CidrBlock") else []) + ipv6_cidrs(subnet)


def is_v6(ip: str) -> bool:
    return ":" in ip


def _prefix_list_cidrs(snap: dict, pl_id: str) -> list[str] | None:
    """A prefix list's CIDRs from ManagedPrefixLists Entries or old PrefixLists Cidrs; None if absent."""
    mpl = find(snap, "ManagedPrefixLists", "PrefixListId", pl_id)
    if mpl is not None and mpl.get("Entries") is not None:
        return [e["Cidr"] for e in mpl["Entries"] if e.get("Cidr")]
    old = find(snap, "PrefixLists", "PrefixListId", pl_id)
    if old is not None:
        return list(old.get("Cidrs") or [])
    return None


def eni_addresses(eni: dict) -> set[str]:
    addrs = {eni["PrivateIpAddress"]} if eni.get("PrivateIpAddress") else set()
    for extra in eni.get("PrivateIpAddresses") or []:
        if extra.get("PrivateIpAddress"):
            addrs.add(extra["PrivateIpAddress"])
    for six in eni.get("Ipv6Addresses") or []:
        if six.get("Ipv6Address"):
            addrs.add(str(ipaddress.ip_address(six["Ipv6Address"])))
    return addrs


def eni_groups(eni: dict) -> set[str]:
    return {g["GroupId"] for g in eni.get("Groups") or [] if g.get("GroupId")}


def _eni_vpc(snap: dict, eni: dict) -> str | None:
    if eni.get("VpcId"):
        return eni["VpcId"]
    subnet = find(snap, "Subnets", "SubnetId", eni.get("SubnetId"))
    return subnet.get("VpcId") if subnet else None


def eni_with_address(snap: dict, ip: str) -> dict | None:
    return next((e for e in items_of(snap, "NetworkInterfaces") if ip in eni_addresses(e)), None)


def is_private(ip: str) -> bool:
    if is_v6(ip):
        return False
    addr = ipaddress.ip_address(ip)
    return any(addr in net for net in _NOT_PUBLIC)


def _peered_same_region(snap: dict, vpc_a: str, vpc_b: str) -> bool:
    """Whether an active same-Region peering joins the two VPCs (4.8, 6.1)."""
    for pcx in items_of(snap, "VpcPeeringConnections"):
        if lower((pcx.get("Status") or {}).get("Code")) != "active":
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
    rule_proto = protocol_number(perm.get("IpProtocol"))
    if rule_proto == "-1":  # all protocols, all ports
        return True
    if rule_proto != protocol_number(protocol):
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
        sg = find(snap, "SecurityGroups", "GroupId", gid)
        if sg is None:  # a group the snapshot lacks could hold any rule
            undecidable = True
            continue
        perms = sg.get("IpPermissionsEgress" if egress else "IpPermissions") or []
        for perm in perms:
            if not _rule_covers(perm, protocol, port):
                continue
            # CIDR peers (4.5).
            if any(in_cidr(r.get("CidrIp"), peer_ip) for r in perm.get("IpRanges") or []):
                return True
            if any(in_cidr(r.get("CidrIpv6"), peer_ip) for r in perm.get("Ipv6Ranges") or []):
                return True
            # Security-group peers match the ENIs carrying that group, by private IP (4.6).
            if any(peer_matches_group(p.get("GroupId")) for p in perm.get("UserIdGroupPairs") or []):
                return True
            # Prefix-list peers (4.10); a list the snapshot lacks cannot be decided.
            for ref in perm.get("PrefixListIds") or []:
                cidrs = _prefix_list_cidrs(snap, ref.get("PrefixListId"))
                if cidrs is None:
                    undecidable = True
                elif any(in_cidr(c, peer_ip) for c in cidrs):
                    return True
    return None if undecidable else False


def check_function_egress(ctx: dict, d: str, protocol: str, port: int) -> None:
    """Hop 1: the function's SG egress must allow the packet to d (4.1-4.6, 4.10)."""
    snap, vpc_id = ctx["snap"], ctx["vpc_id"]

    def group_holds_destination(group_id: str | None) -> bool:
        # d must be a private IP of an ENI carrying the group, in this VPC or one peered with it
        # in the same Region (4.6, 4.8).
        for eni in items_of(snap, "NetworkInterfaces"):
            if d not in eni_addresses(eni) or group_id not in eni_groups(eni):
                continue
            eni_vpc = _eni_vpc(snap, eni)
            if eni_vpc == vpc_id or (eni_vpc and _peered_same_region(snap, vpc_id, eni_vpc)):
                return True
        return False

    verdict = _sg_allows(snap, ctx["groups"], egress=True, protocol=protocol, port=port,
                         peer_ip=d, peer_matches_group=group_holds_destination)
    if verdict is None:
        raise missing("function SG egress depends on a group or prefix list the snapshot lacks")
    if not verdict:
        raise deny("no function SG egress rule allows the packet (4.2)")


def check_destination_ingress(ctx: dict, eni: dict, s: str, protocol: str, port: int,
                              refs: bool | None = True) -> None:
    """The destination ENI's SG ingress must allow the packet from s (4.4-4.6, 1.26).

    `refs` says whether a rule naming one of the function's groups matches: True within a VPC
    and across same-Region peering (4.8), across a TGW only with referencing support (4.9), None
    when the snapshot cannot tell.
    """
    fn_groups = set(ctx["groups"])

    def allows(match_refs: bool) -> bool | None:
        return _sg_allows(ctx["snap"], [g["GroupId"] for g in eni.get("Groups") or []],
                          egress=False, protocol=protocol, port=port, peer_ip=s,
                          # The Lambda ENI carries the function's groups, so a reference to one of
                          # them matches it (1.26).
                          peer_matches_group=lambda gid: match_refs and gid in fn_groups)
    verdict = allows(bool(refs))
    if verdict is False and refs is None and allows(True) is not False:
        verdict = None  # only a group reference the snapshot cannot judge would allow it
    if verdict is None:
        raise missing(f"{eni.get('NetworkInterfaceId')} SG ingress depends on missing data")
    if not verdict:
        raise deny(f"no SG ingress rule of {eni.get('NetworkInterfaceId')} allows the packet")


# --------------------------------------------------------------------------- route tables

def route_table_of(snap: dict, subnet: dict) -> dict:
    """The subnet's explicit association, else its VPC's main table (2.1)."""
    for rt in items_of(snap, "RouteTables"):
        if any(a.get("SubnetId") == subnet["SubnetId"] for a in rt.get("Associations") or []):
            return rt
    for rt in items_of(snap, "RouteTables"):
        if rt.get("VpcId") == subnet.get("VpcId") and any(
                a.get("Main") for a in rt.get("Associations") or []):
            return rt
    raise missing(f"no route table for {subnet['SubnetId']}")


def route_target(route: dict) -> str:
    for key in ("GatewayId", "NatGatewayId", "VpcPeeringConnectionId", "TransitGatewayId",
                "NetworkInterfaceId", "InstanceId", "EgressOnlyInternetGatewayId",
                "CarrierGatewayId", "LocalGatewayId", "CoreNetworkArn"):
        if route.get(key):
            return route[key]
    return ""


def _lookup_route(snap: dict, table: dict, vpc_id: str, ip: str, *, skip_missing: bool = False) -> dict | None:
    """The route the table uses for ip: longest prefix; a CIDR route beats a prefix-list one (2.5, 2.6).
    `skip_missing`: as if the routes to prefix lists the snapshot lacks were not there."""
    candidates = []  # (prefix length, 1 for a CIDR route / 0 for a prefix-list route, route)
    routes = table.get("Routes") or []
    for route in routes:
        dest = route.get("DestinationCidrBlock") or route.get("DestinationIpv6CidrBlock")
        if dest:
            if in_cidr(dest, ip):
                candidates.append((prefixlen(dest), 1, route))
        elif route.get("DestinationPrefixListId"):
            cidrs = _prefix_list_cidrs(snap, route["DestinationPrefixListId"])
            if cidrs is None and skip_missing:
                continue
            if cidrs is None:
                raise missing(f"prefix list {route['DestinationPrefixListId']} is not in the snapshot")
            # One candidate per prefix-list entry (2.6).
            for cidr in cidrs:
                if in_cidr(cidr, ip):
                    candidates.append((prefixlen(cidr), 0, route))
    # Every table routes each VPC CIDR locally (2.2), even when the snapshot omits the route.
    listed = {r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock") for r in routes}
    for cidr in vpc_cidrs(snap, vpc_id):
        if cidr not in listed and in_cidr(cidr, ip):
            candidates.append((prefixlen(cidr), 1, {"DestinationCidrBlock": cidr, "GatewayId": "local",
                                                     "State": "active"}))
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c[0], c[1]))[2]


def route_ways(snap: dict, table: dict, vpc_id: str, ip: str) -> list[dict | None] | None:
    """When routes of the table name prefix lists the snapshot lacks: every route ip may take.
    ip is in such a list or not; in it, a CIDR route of its full length still wins (2.5), else the
    list's route. So: each such list's route, and the route without them (None: no route)."""
    unknown = [r for r in table.get("Routes") or [] if r.get("DestinationPrefixListId")
               and not (r.get("DestinationCidrBlock") or r.get("DestinationIpv6CidrBlock"))
               and _prefix_list_cidrs(snap, r["DestinationPrefixListId"]) is None]
    if not unknown:
        return None
    other = _lookup_route(snap, table, vpc_id, ip, skip_missing=True)
    full = 128 if is_v6(ip) else 32
    dest = other and (other.get("DestinationCidrBlock") or other.get("DestinationIpv6CidrBlock"))
    if dest and prefixlen(dest) == full and other.get("Origin") != "EnableVgwRoutePropagation":
        return [other]
    return [*unknown, other]


def live_route_or_stop(table: dict, route: dict | None, ip: str) -> dict:
    """The route, unless there is none (2.5) or it is a blackhole (2.8)."""
    if route is None:
        raise deny(f"{table.get('RouteTableId')} has no route to {ip}")
    if lower(route.get("State")) == "blackhole":  # the target is gone (2.8)
        raise deny(f"{table.get('RouteTableId')} routes {ip} to a blackhole")
    return route


def route_or_stop(snap: dict, table: dict, vpc_id: str, ip: str) -> dict:
    route = _lookup_route(snap, table, vpc_id, ip)
    if route is None:
        raise deny(f"{table.get('RouteTableId')} has no route to {ip}")
    if lower(route.get("State")) == "blackhole":  # the target is gone (2.8)
        raise deny(f"{table.get('RouteTableId')} routes {ip} to a blackhole")
    return route


# --------------------------------------------------------------------------- network ACLs

def nacl_of(snap: dict, subnet: dict) -> dict:
    """The subnet's NACL: its association, else its VPC's default one (5.4)."""
    for acl in items_of(snap, "NetworkAcls"):
        if any(a.get("SubnetId") == subnet["SubnetId"] for a in acl.get("Associations") or []):
            return acl
    for acl in items_of(snap, "NetworkAcls"):
        if acl.get("VpcId") == subnet.get("VpcId") and acl.get("IsDefault"):
            return acl
    raise missing(f"no network ACL for {subnet['SubnetId']}")


def _nacl_decides(acl: dict, *, egress: bool, other_ip: str, protocol: str, port: int) -> bool:
    """First match by rule number decides; no match is the final `*` deny (5.2)."""
    entries = [e for e in acl.get("Entries") or [] if bool(e.get("Egress")) == egress]
    for entry in sorted(entries, key=lambda e: e.get("RuleNumber", 0)):
        # Each entry holds one family; first match per family (5.7).
        if not in_cidr(entry.get("CidrBlock") or entry.get("Ipv6CidrBlock"), other_ip):
            continue
        rule_proto = protocol_number(entry.get("Protocol"))
        if rule_proto != "-1":
            if rule_proto != protocol_number(protocol):
                continue
            ports = entry.get("PortRange")
            if ports and not (ports.get("From", 0) <= port <= ports.get("To", 65535)):
                continue
        return lower(entry.get("RuleAction")) == "allow"
    return False


def check_nacl(snap: dict, subnet: dict, *, egress: bool, other_ip: str, protocol: str,
                port: int) -> None:
    acl = nacl_of(snap, subnet)
    if not _nacl_decides(acl, egress=egress, other_ip=other_ip, protocol=protocol, port=port):
        way = "outbound" if egress else "inbound"
        raise deny(f"{acl.get('NetworkAclId')} {way} denies {other_ip} port {port}")


def check_nacl_ephemeral(snap: dict, subnet: dict, *, egress: bool, other_ip: str,
                          protocol: str) -> None:
    """A reply must pass on EVERY port 1024-65535 (5.1, 1.25, 5.6).

    The first-match decision only changes at a rule's range edges, so checking the range ends
    and each entry's From, To, From-1 and To+1 covers every port.
    """
    acl = nacl_of(snap, subnet)
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
            raise deny(f"{acl.get('NetworkAclId')} {way} denies the reply from/to {other_ip} "
                        f"on ephemeral port {p}")
