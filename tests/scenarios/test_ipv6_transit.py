"""IPv6 through transit gateways (issue 15, D9; docs/semantics.md §6v and §6t T1-T5)."""
from __future__ import annotations

from .estate import ask, blocker, by_id, route, sg, table
from .test_ipv6 import V6, route6, six
from .test_transit_gateway import tgw_estate

V6_C = "2600:1f18:cc00:1200::/56"
DB6 = "2600:1f18:cc00:1201::10"
TO_DB6 = f"[{DB6}]:5432"
PUBLIC6 = "[2606:4700:4700::1111]:443"
ALLOW6 = {"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Ipv6CidrBlock": "::/0"}


def assoc6(cidr: str) -> list[dict]:
    return [{"Ipv6CidrBlock": cidr, "Ipv6CidrBlockState": {"State": "associated"}}]


def tgw6(support: tuple[str, str] = ("enable", "enable"), azs=("us-east-1a", "us-east-1b")) -> dict:
    """tgw_estate() made dual-stack: IPv6 CIDRs on both VPCs and their subnets, the function's
    subnets route VPC-C's IPv6 CIDR to tgw-1 and VPC-C routes VPC-A's back, NACLs and groups admit
    IPv6, the database's ENI has an IPv6 address, and the attachments' Ipv6Support is `support`
    (A's, C's)."""
    snap = tgw_estate(azs=azs)
    by_id(snap["Vpcs"], "VpcId", "vpc-a")["Ipv6CidrBlockAssociationSet"] = assoc6(V6)
    by_id(snap["Vpcs"], "VpcId", "vpc-c")["Ipv6CidrBlockAssociationSet"] = assoc6(V6_C)
    extra = {"sn-tgw-a": "2600:1f18:aa00:1209::/64", "sn-tgw-b": "2600:1f18:aa00:120a::/64",
             "sn-c": "2600:1f18:cc00:1201::/64"}
    for s in snap["Subnets"]:
        s["Ipv6CidrBlockAssociationSet"] = assoc6(extra.get(s["SubnetId"]) or six(s["SubnetId"]))
    for att, on in zip(snap["TransitGatewayAttachments"], support):
        att["Options"] = {**att["Options"], "Ipv6Support": on}
    table(snap, "rt-priv")["Routes"].append(route6(V6_C, TransitGatewayId="tgw-1"))
    table(snap, "rt-c")["Routes"].append(route6(V6, TransitGatewayId="tgw-1"))
    for nacl in snap["NetworkAcls"]:
        nacl["Entries"][:0] = [{**ALLOW6, "Egress": e} for e in (True, False)]
    for g in snap["SecurityGroups"]:
        for p in g["IpPermissionsEgress"]:
            p["Ipv6Ranges"] = [{"CidrIpv6": "::/0"}]
    sg(snap, "sg-c")["IpPermissions"][0]["Ipv6Ranges"] = [{"CidrIpv6": V6}]
    by_id(snap["NetworkInterfaces"], "NetworkInterfaceId", "eni-c")["Ipv6Addresses"] = [{"Ipv6Address": DB6}]
    snap["Functions"][0]["VpcConfig"]["Ipv6AllowedForDualStack"] = True
    return snap


def static6(snap: dict, cidr: str, attachment: str) -> None:
    snap["TransitGatewayRouteTables"][0].setdefault("Routes", []).append(
        {"DestinationCidrBlock": cidr, "State": "active", "Type": "static",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": attachment, "ResourceType": "vpc"}]})


def test_ipv6_through_a_transit_gateway_by_propagated_routes():
    a = ask(tgw6(), TO_DB6)
    assert a.verdict.value == "reachable"  # 6.9 over IPv6 CIDRs, T1-T5
    kinds = [h.kind for h in a.paths[0].hops]
    assert "transit-gateway-route-table" in kinds and "transit-gateway-attachment" in kinds


def test_ipv6_cidrs_propagate_only_from_attachments_with_ipv6_support():
    a = ask(tgw6(support=("enable", "disable")), TO_DB6)
    assert blocker(a) == ("unreachable", "TGW_RTB_CANNOT_ROUTE", "tgw-rtb-1")
    # The way back: A's IPv6 CIDR is missing from the table when A's attachment has it disabled.
    assert blocker(ask(tgw6(support=("disable", "enable")), TO_DB6)) == \
        ("unreachable", "TGW_RTB_CANNOT_ROUTE", "tgw-rtb-1")
    # IPv4 propagates either way.
    assert ask(tgw6(support=("disable", "disable")), "rds:db-c").verdict.value == "reachable"


def test_ipv6_support_filters_nothing_a_static_route_carries_ipv6():
    snap = tgw6(support=("disable", "disable"))
    static6(snap, V6_C, "tgw-attach-c")
    static6(snap, V6, "tgw-attach-a")
    assert ask(snap, TO_DB6).verdict.value == "reachable"


def test_ipv6_static_blackhole_in_the_tgw_table():
    snap = tgw6()
    snap["TransitGatewayRouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "2600:1f18:cc00:1201::/64", "State": "blackhole", "Type": "static"}]
    assert blocker(ask(snap, TO_DB6)) == ("unreachable", "TGW_RTB_BAD_STATE_ROUTE", "tgw-rtb-1")


def test_ipv6_needs_an_attachment_subnet_in_the_senders_az():
    a = ask(tgw6(azs=("us-east-1a",)), TO_DB6)
    assert a.verdict.value == "partial"  # 6.8
    assert blocker(a, "sn-priv")[0] == "reachable"
    assert blocker(a, "sn-priv-b") == ("unreachable", "TGW_ROUTE_AZ_RESTRICTION", "tgw-attach-a")


def test_ipv6_nacl_entries_judge_transit():
    snap = tgw6()
    acl_c = by_id(snap["NetworkAcls"], "NetworkAclId", "acl-c")
    acl_c["Entries"] = [e for e in acl_c["Entries"] if "Ipv6CidrBlock" not in e]  # IPv4 rules only
    a = ask(snap, TO_DB6)
    assert blocker(a)[:2] == ("unreachable", "SUBNET_ACL_RESTRICTION")  # 5.7
    assert blocker(a)[2] == "acl-c"
    assert ask(snap, "rds:db-c").verdict.value == "reachable"


def test_ipv6_reply_takes_its_own_route():
    snap = tgw6()
    table(snap, "rt-c")["Routes"] = [r for r in table(snap, "rt-c")["Routes"] if "DestinationIpv6CidrBlock" not in r]
    assert blocker(ask(snap, TO_DB6)) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-c")  # T4


def egress_hub(target: dict) -> dict:
    """The function's IPv6 default route goes to tgw-1, whose table sends ::/0 to VPC-C, whose
    attachment subnet sends ::/0 to `target`: centralised IPv6 egress."""
    snap = tgw6()
    table(snap, "rt-priv")["Routes"].append(route6("::/0", TransitGatewayId="tgw-1"))
    static6(snap, "::/0", "tgw-attach-c")
    table(snap, "rt-c")["Routes"].append(route6("::/0", **target))
    return snap


def test_ipv6_to_an_egress_only_gateway_after_transit_is_unknown():
    snap = egress_hub({"EgressOnlyInternetGatewayId": "eigw-c"})
    snap["EgressOnlyInternetGateways"] = [{"EgressOnlyInternetGatewayId": "eigw-c",
                                           "Attachments": [{"VpcId": "vpc-c", "State": "attached"}]}]
    a = ask(snap, PUBLIC6)
    assert blocker(a) == ("unknown", "IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED", "eigw-c")
    assert ask(snap, "internet6").verdict.value == "unknown"
    # The exit subnet's NACL still judges first: a deny there is sure.
    acl_c = by_id(snap["NetworkAcls"], "NetworkAclId", "acl-c")
    acl_c["Entries"] = [e for e in acl_c["Entries"] if not ("Ipv6CidrBlock" in e and e["Egress"])]
    assert blocker(ask(snap, PUBLIC6))[:2] == ("unreachable", "SUBNET_ACL_RESTRICTION")


def test_ipv6_to_an_internet_gateway_after_transit_is_unknown():
    snap = egress_hub({"GatewayId": "igw-c"})
    snap["InternetGateways"].append({"InternetGatewayId": "igw-c",
                                     "Attachments": [{"VpcId": "vpc-c", "State": "available"}]})
    assert blocker(ask(snap, PUBLIC6)) == ("unknown", "IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED", "igw-c")


def test_nat64_after_transit_is_unknown():
    snap = tgw6()
    table(snap, "rt-priv")["Routes"].append(route6("64:ff9b::/96", TransitGatewayId="tgw-1"))
    static6(snap, "64:ff9b::/96", "tgw-attach-c")
    table(snap, "rt-c")["Routes"].append(route6("64:ff9b::/96", NatGatewayId="nat-c"))
    snap["NatGateways"].append({"NatGatewayId": "nat-c", "VpcId": "vpc-c", "SubnetId": "sn-c",
                                "State": "available", "ConnectivityType": "public",
                                "NatGatewayAddresses": [{"PublicIp": "54.2.2.2", "PrivateIp": "10.2.1.9"}]})
    table(snap, "rt-c")["Routes"].append(route("0.0.0.0/0", GatewayId="igw-1"))
    a = ask(snap, "[64:ff9b::808:808]:443")
    assert blocker(a) == ("unknown", "IPV6_EGRESS_AFTER_TRANSIT_NOT_CHECKED", "nat-c")
