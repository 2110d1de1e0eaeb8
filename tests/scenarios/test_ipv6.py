"""IPv6 (issue 15): the function's IPv6 side (1.23), IPv6 routes, gateways, groups and NACLs."""
from __future__ import annotations

import pytest

from reach.engine.targets import parse_target
from reach.errors import ReachInputError

from .estate import acl, ask, base, blocker, by_id, entry, function, route, sg, table
from .test_peering import peered

V6 = "2600:1f18:aa00:1200::/56"
PUBLIC6 = "[2606:4700:4700::1111]:443"


def six(subnet: str) -> str:
    """The /64 of each subnet of base(): sn-pub 00, sn-priv 01, sn-priv-b 02, sn-db 03."""
    n = {"sn-pub": 0, "sn-priv": 1, "sn-priv-b": 2, "sn-db": 3}[subnet]
    return f"2600:1f18:aa00:12{n:02x}::/64"


def route6(dest: str, **target) -> dict:
    return {"DestinationIpv6CidrBlock": dest, "State": "active", "Origin": "CreateRoute", **target}


def dual(flag: bool = True, eigw: bool = True) -> dict:
    """base() made dual-stack: IPv6 on the VPC and every subnet, ::/0 to an egress-only gateway
    from the private subnets, groups and NACLs that allow IPv6 too, and the flag set (1.23)."""
    snap = base()
    snap["Vpcs"][0]["Ipv6CidrBlockAssociationSet"] = [
        {"Ipv6CidrBlock": V6, "Ipv6CidrBlockState": {"State": "associated"}}]
    for s in snap["Subnets"]:
        s["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": six(s["SubnetId"]),
                                            "Ipv6CidrBlockState": {"State": "associated"}}]
    if eigw:
        snap["EgressOnlyInternetGateways"] = [{"EgressOnlyInternetGatewayId": "eigw-1",
                                               "Attachments": [{"VpcId": "vpc-a", "State": "attached"}]}]
        table(snap, "rt-priv")["Routes"].append(route6("::/0", EgressOnlyInternetGatewayId="eigw-1"))
    for g in snap["SecurityGroups"]:
        for p in g["IpPermissionsEgress"]:
            p["Ipv6Ranges"] = [{"CidrIpv6": "::/0"}]
    acl = snap["NetworkAcls"][0]
    acl["Entries"][:0] = [{"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": e,
                           "Ipv6CidrBlock": "::/0"} for e in (True, False)]
    function(snap)["VpcConfig"]["Ipv6AllowedForDualStack"] = flag
    return snap


# --- the function's IPv6 side (1.23) ---

def test_tc21_ipv6_through_the_egress_only_gateway_without_nat():
    snap = dual()
    table(snap, "rt-priv")["Routes"] = [r for r in table(snap, "rt-priv")["Routes"]
                                        if "NatGatewayId" not in r]
    a = ask(snap, "internet")
    assert blocker(a) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")  # IPv4 needs NAT
    assert a.ipv6 is not None and a.ipv6.verdict.value == "reachable"
    assert a.to_dict()["ipv6"]["verdict"] == "reachable"
    assert [h.component_id for h in a.ipv6.paths[0].hops][:3] == ["sg-fn", "rt-priv", "acl-default"]
    assert "eigw-1" in [h.component_id for h in a.ipv6.paths[0].hops]
    assert ask(snap, "internet6").verdict.value == "reachable"
    assert ask(snap, PUBLIC6).verdict.value == "reachable"


def test_without_the_flag_there_is_no_ipv6_source():
    snap = dual(flag=False)
    a = ask(snap, "internet6")
    assert blocker(a) == ("unreachable", "LAMBDA_IPV6_NOT_ALLOWED", "fn")
    assert a.paths[0].blocked_by.fix == "allow-ipv6"
    assert ask(snap, "internet").ipv6 is None  # not dual-stack: no IPv6 part


def test_a_subnet_without_an_ipv6_cidr_gives_no_ipv6_source():
    snap = dual()
    by_id(snap["Subnets"], "SubnetId", "sn-priv")["Ipv6CidrBlockAssociationSet"] = []
    a = ask(snap, "internet6")
    assert blocker(a) == ("unreachable", "SUBNET_HAS_NO_IPV6_CIDR", "sn-priv")
    assert a.paths[0].blocked_by.fix == "add-subnet-ipv6"
    snap["Vpcs"][0]["Ipv6CidrBlockAssociationSet"] = []
    assert ask(snap, "internet6").paths[0].blocked_by.fix == "add-vpc-ipv6"


def test_a_function_outside_any_vpc_sends_no_ipv6():
    snap = dual()
    snap["Functions"].append({"FunctionName": "free", "Version": "$LATEST", "State": "Active"})
    a = ask(snap, "internet6", source="free")
    assert blocker(a)[:2] == ("unreachable", "LAMBDA_IPV6_OUTSIDE_VPC")
    assert ask(snap, "internet", source="free").verdict.value == "reachable"


def test_the_ipv6_source_is_the_enis_ipv6_address_when_the_snapshot_has_it():
    snap = dual()
    snap["NetworkInterfaces"].append({
        "NetworkInterfaceId": "eni-l", "InterfaceType": "lambda", "SubnetId": "sn-priv",
        "PrivateIpAddress": "10.0.1.50", "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:aa00:1201::50"}],
        "Description": "AWS Lambda VPC ENI-fn-1", "Groups": [{"GroupId": "sg-fn"}]})
    # The DB admits only that one IPv6 address on 5432: a rule narrower than the subnet.
    snap["NetworkInterfaces"][0]["Ipv6Addresses"] = [{"Ipv6Address": "2600:1f18:aa00:1203::10"}]
    sg(snap, "sg-db")["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                           "Ipv6Ranges": [{"CidrIpv6": "2600:1f18:aa00:1201::50/128"}]}]
    assert ask(snap, "[2600:1f18:aa00:1203::10]:5432").verdict.value == "reachable"
    snap["NetworkInterfaces"].pop()  # without the ENI, any address of the /64 may be its
    assert blocker(ask(snap, "[2600:1f18:aa00:1203::10]:5432"))[:2] == ("unknown", "SOURCE_ADDRESS_DEPENDS")


# --- routes (2.2, 2.4) ---

def test_tc21_ipv4_default_routes_never_carry_ipv6():
    snap = dual(eigw=False)  # 0.0.0.0/0 -> NAT only
    a = ask(snap, "internet6")
    assert blocker(a) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")
    assert a.paths[0].blocked_by.fix == "add-eigw"
    assert ask(snap, "internet").verdict.value == "reachable"


def test_the_local_route_covers_the_vpcs_ipv6_cidr():
    snap = dual()
    snap["NetworkInterfaces"][0]["Ipv6Addresses"] = [{"Ipv6Address": "2600:1f18:aa00:1203::10"}]
    sg(snap, "sg-db")["IpPermissions"][0]["Ipv6Ranges"] = [{"CidrIpv6": six("sn-priv")}]
    a = ask(snap, "[2600:1f18:aa00:1203::10]:5432")
    assert a.verdict.value == "reachable"
    assert any(h.detail.startswith(f"{V6} → local") for h in a.paths[0].hops)
    # An address of the VPC's /56 that no subnet holds goes nowhere (2.2).
    assert blocker(ask(snap, "[2600:1f18:aa00:12ff::1]:5432"))[:2] == (
        "unreachable", "DESTINATION_NOT_IN_SUBNET")


def test_a_blackholed_ipv6_route():
    snap = dual()
    snap["EgressOnlyInternetGateways"] = []
    table(snap, "rt-priv")["Routes"][-1]["State"] = "blackhole"
    assert blocker(ask(snap, "internet6")) == ("unreachable", "BAD_STATE_ROUTE", "rt-priv")


# --- gateways (2.11, 2.14, 2.18) ---

def test_egress_only_gateway_must_be_attached_and_known():
    snap = dual()
    snap["EgressOnlyInternetGateways"][0]["Attachments"] = []
    assert blocker(ask(snap, "internet6")) == ("unreachable", "BAD_STATE_ATTACHMENT", "eigw-1")
    snap["EgressOnlyInternetGateways"] = []
    assert blocker(ask(snap, "internet6"))[:3] == ("unknown", "UNKNOWN_RESOURCE", "eigw-1")


def test_replies_through_the_egress_only_gateway_need_the_nacl():
    snap = dual()
    # Inbound IPv6 allowed only on 443: the replies to ports 1024-65535 are dropped (2.14, 5.1).
    acl = snap["NetworkAcls"][0]
    by_id([e for e in acl["Entries"] if not e["Egress"]], "RuleNumber", 101).update(
        Protocol="6", PortRange={"From": 443, "To": 443})
    assert blocker(ask(snap, "internet6")) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-default")


def test_an_internet_gateway_carries_ipv6_without_a_public_address():
    snap = dual(eigw=False)
    table(snap, "rt-priv")["Routes"].append(route6("::/0", GatewayId="igw-1"))
    assert ask(snap, "internet6").verdict.value == "reachable"  # 2.11: IPv6 needs no public IPv4
    assert ask(snap, "internet").verdict.value == "reachable"  # IPv4 still through the NAT


NAT64_GOOGLE = "[64:ff9b::8.8.8.8]:443"  # 8.8.8.8 as DNS64 writes it (RFC 6052)


def nat64(snap: dict) -> dict:
    table(snap, "rt-priv")["Routes"].append(route6("64:ff9b::/96", NatGatewayId="nat-1"))
    return snap


def test_nat64_through_a_public_nat_gateway_continues_as_its_ipv4_flow():
    a = ask(nat64(dual()), NAT64_GOOGLE)
    assert a.verdict.value == "reachable"
    hops = [(h.component_id, h.kind.value, h.direction.value) for h in a.paths[0].hops]
    # In as IPv6, translated at the NAT, out through the public subnet's IGW, and back (2.18, 5.9).
    assert ("nat-1", "nat-gateway", "outbound") in hops and ("igw-1", "internet-gateway", "outbound") in hops
    assert hops.index(("rt-pub", "route-table", "outbound")) > hops.index(("nat-1", "nat-gateway", "outbound"))
    assert ask(nat64(dual()), "[64:ff9b::808:808]:443").verdict.value == "reachable"


def test_nat64_through_a_private_nat_gateway_has_no_internet():
    snap = nat64(dual())
    snap["NatGateways"][0]["ConnectivityType"] = "private"
    assert blocker(ask(snap, NAT64_GOOGLE)) == ("unreachable", "NGW_PRIVATE_CONNECTIVITY", "nat-1")


def test_nat64_needs_the_nat_subnets_nacl_to_admit_the_ipv6_packet():
    snap = nat64(dual())
    # The NAT's subnet gets a NACL that knows only IPv4: IPv4 still works, NAT64 does not.
    snap["NetworkAcls"].append(acl("acl-pub", ["sn-pub"], [entry(100, True, "allow", "0.0.0.0/0"),
                                                           entry(100, False, "allow", "0.0.0.0/0")]))
    assert ask(snap, "internet").verdict.value == "reachable"
    assert blocker(ask(snap, NAT64_GOOGLE)) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-pub")


def test_nat64_the_nat_subnets_nacl_out_is_fixed_for_the_ipv4_it_sends():
    """Past the NAT the packet is IPv4 (2.18): the NAT subnet's NACL that lets IPv6 in but no IPv4
    out is fixed with an IPv4 entry, each family's entries being apart (5.7), not with ::/0."""
    snap = nat64(dual())
    snap["NetworkAcls"].append(acl("acl-pub", ["sn-pub"], [
        entry(100, False, "allow", "0.0.0.0/0"),
        *[{"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": e, "Ipv6CidrBlock": "::/0"}
          for e in (True, False)]]))
    a = ask(snap, NAT64_GOOGLE)
    assert blocker(a) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-pub")
    fix = a.paths[0].blocked_by
    assert fix.fix.value == "allow-nacl" and dict(fix.fix_params)["direction"] == "outbound"
    assert dict(fix.fix_params)["cidr"] == "0.0.0.0/0"


def test_nat64_replies_come_home_as_ipv6():
    snap = nat64(dual())
    # The function's subnet admits IPv6 replies only from a range that excludes 64:ff9b::/96.
    inbound = by_id([e for e in snap["NetworkAcls"][0]["Entries"] if not e["Egress"]], "RuleNumber", 101)
    inbound["Ipv6CidrBlock"] = "2000::/3"
    snap["NetworkAcls"].append(acl("acl-pub", ["sn-pub"], [
        entry(100, True, "allow", "0.0.0.0/0"), entry(100, False, "allow", "0.0.0.0/0"),
        *[{"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": e, "Ipv6CidrBlock": "::/0"}
          for e in (True, False)]]))
    assert blocker(ask(snap, NAT64_GOOGLE)) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-default")
    assert ask(snap, "internet6").verdict.value == "reachable"


def test_nat64_to_a_private_ipv4_address_meets_the_igw_rules():
    a = ask(nat64(dual()), "[64:ff9b::10.9.0.5]:443")  # 10.9.0.5 is not on the internet (2.12)
    assert blocker(a) == ("unreachable", "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS", "igw-1")


def test_the_nat64_prefix_sent_to_an_internet_gateway_goes_nowhere():
    a = ask(dual(), NAT64_GOOGLE)  # ::/0 -> eigw-1 only: nobody translates it
    assert blocker(a) == ("unreachable", "NAT64_NOT_TRANSLATED", "eigw-1")
    assert (a.paths[0].blocked_by.fix, dict(a.paths[0].blocked_by.fix_params)["dest"]) == (
        "route-to-nat", "64:ff9b::/96")
    snap = dual(eigw=False)
    table(snap, "rt-priv")["Routes"].append(route6("::/0", GatewayId="igw-1"))
    assert blocker(ask(snap, NAT64_GOOGLE)) == ("unreachable", "NAT64_NOT_TRANSLATED", "igw-1")
    a = ask(dual(eigw=False), NAT64_GOOGLE)  # no IPv6 route at all: the fix is the NAT64 route
    assert blocker(a) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")
    assert dict(a.paths[0].blocked_by.fix_params)["nat"] == "nat-1"


def test_other_ipv6_sent_to_a_nat_gateway_is_unknown():
    snap = dual(eigw=False)
    table(snap, "rt-priv")["Routes"].append(route6("::/0", NatGatewayId="nat-1"))
    assert blocker(ask(snap, PUBLIC6)) == ("unknown", "UNSUPPORTED_COMPONENT", "nat-1")


# --- security groups (4.5) and NACLs (5.7) ---

def test_an_ipv4_only_group_blocks_ipv6():
    snap = dual()
    sg(snap, "sg-fn")["IpPermissionsEgress"][0]["Ipv6Ranges"] = []  # 0.0.0.0/0 only (2.4, 4.2)
    a = ask(snap, "internet")
    assert a.verdict.value == "reachable"
    assert blocker(a.ipv6) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-fn")
    fix = dict(a.ipv6.paths[0].blocked_by.fix_params)
    assert fix["peer"] == "::/0"


def test_an_ipv6_prefix_list_entry_admits_ipv6():
    snap = dual()
    snap["ManagedPrefixLists"].append({"PrefixListId": "pl-cf", "Entries": [{"Cidr": "2606:4700::/32"}]})
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                                  "PrefixListIds": [{"PrefixListId": "pl-cf"}]}]
    assert ask(snap, PUBLIC6).verdict.value == "reachable"
    assert blocker(ask(snap, "[2a00:1450:4001::200e]:443"))[:2] == ("unreachable", "ENI_SG_RULES_MISMATCH")


def test_nacl_first_match_is_per_family():
    snap = dual()
    acl = snap["NetworkAcls"][0]
    # An IPv4 deny-all ahead of everything changes nothing for IPv6 (5.7) ...
    acl["Entries"].insert(0, {"RuleNumber": 10, "Protocol": "-1", "RuleAction": "deny", "Egress": True,
                              "CidrBlock": "0.0.0.0/0"})
    assert ask(snap, "internet6").verdict.value == "reachable"
    # ... and an IPv6 deny for one range decides before the ::/0 allow for that range only.
    acl["Entries"].insert(0, {"RuleNumber": 20, "Protocol": "-1", "RuleAction": "deny", "Egress": True,
                              "Ipv6CidrBlock": "2606:4700::/32"})
    assert blocker(ask(snap, PUBLIC6)) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-default")
    assert ask(snap, "[2a00:1450:4001::200e]:443").verdict.value == "reachable"


def test_a_nacl_without_ipv6_entries_denies_ipv6():
    snap = dual()
    acl = snap["NetworkAcls"][0]
    acl["Entries"] = [e for e in acl["Entries"] if "Ipv6CidrBlock" not in e]
    assert blocker(ask(snap, "internet6")) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-default")


# --- IPv6-only subnets and what-ifs (1.23) ---

def test_an_ipv6_only_subnet_sends_nothing():
    snap = dual()
    sn = by_id(snap["Subnets"], "SubnetId", "sn-priv")
    del sn["CidrBlock"]
    sn["Ipv6Native"] = True
    for target in ("internet", "internet6", "dynamodb", "rds:db-1"):
        a = ask(snap, target)
        assert blocker(a) == ("unreachable", "LAMBDA_IPV6_ONLY_SUBNET", "sn-priv"), target
        assert a.paths[0].blocked_by.fix == "use-dual-stack-subnet"


def test_moving_a_dual_stack_function_to_a_subnet_without_ipv6():
    snap = dual()
    by_id(snap["Subnets"], "SubnetId", "sn-priv-b")["Ipv6CidrBlockAssociationSet"] = []
    a = ask(snap, "internet", subnets=["sn-priv-b"], security_groups=["sg-fn"])
    assert a.verdict.value == "reachable"  # IPv4 through the NAT as before
    assert [n["code"] for n in a.notes if n["code"] == "IPV6_FLAG_NEEDS_DUAL_STACK"] == [
        "IPV6_FLAG_NEEDS_DUAL_STACK"]
    # The IPv6 part is asked of the moved function too, not of where it is now.
    assert [p.subnet_id for p in a.ipv6.paths] == ["sn-priv-b"]
    assert blocker(a.ipv6) == ("unreachable", "SUBNET_HAS_NO_IPV6_CIDR", "sn-priv-b")
    stay = ask(snap, "internet", subnets=["sn-priv"], security_groups=["sg-fn"])
    assert stay.ipv6.verdict.value == "reachable"
    assert not [n for n in stay.notes if n["code"] == "IPV6_FLAG_NEEDS_DUAL_STACK"]


# --- the dual-stack endpoints of DynamoDB and S3 (3.6) ---

S3_V6 = {"PrefixListId": "pl-s3v6", "PrefixListName": "com.amazonaws.us-east-1.ipv6.s3", "AddressFamily": "IPv6",
         "Entries": [{"Cidr": "2600:1fa0:8000::/39"}]}


def s3_gateway(snap: dict, ip_type: str) -> dict:
    """An S3 gateway endpoint on rt-priv; dual-stack ones route the IPv6 prefix list too (3.2, 3.6)."""
    snap["ManagedPrefixLists"].append(S3_V6)
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-s3", "VpcEndpointType": "Gateway", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.s3", "State": "available",
                             "IpAddressType": ip_type, "RouteTableIds": ["rt-priv"]}]
    routes = table(snap, "rt-priv")["Routes"]
    routes.append(route("pl-s3", GatewayId="vpce-s3"))
    if ip_type == "dualstack":
        routes.append(route("pl-s3v6", GatewayId="vpce-s3"))
    return snap


def test_dynamodb_answers_for_the_default_endpoint_and_the_dual_stack_one():
    a = ask(dual(), "dynamodb")
    assert a.verdict.value == "reachable" and "nat-1" in [h.component_id for h in a.paths[0].hops]
    assert a.ipv6.target["endpoint"] == "dynamodb.us-east-1.api.aws"
    assert a.ipv6.verdict.value == "reachable"
    assert "eigw-1" in [h.component_id for h in a.ipv6.paths[0].hops]
    assert a.to_dict()["ipv6"]["target"]["endpoint"] == "dynamodb.us-east-1.api.aws"
    assert ask(dual(flag=False), "dynamodb").ipv6 is None  # no IPv6 source: no dual-stack part
    t = ask(dual(), "dynamodb:orders")  # the permission is the main answer's alone
    assert t.ipv6.verdict.value == "reachable" and t.ipv6.permission is None


def test_the_dual_stack_endpoint_without_an_ipv6_route():
    a = ask(dual(eigw=False), "s3")
    assert a.verdict.value == "reachable"  # IPv4 through the NAT
    assert a.ipv6.target["endpoint"] == "s3.dualstack.us-east-1.amazonaws.com"
    assert blocker(a.ipv6) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")
    assert a.ipv6.paths[0].blocked_by.fix == "add-eigw"


def test_a_dual_stack_s3_gateway_endpoint_carries_ipv6():
    snap = s3_gateway(dual(eigw=False), "dualstack")
    table(snap, "rt-priv")["Routes"] = [r for r in table(snap, "rt-priv")["Routes"] if "NatGatewayId" not in r]
    a = ask(snap, "s3")
    assert a.verdict.value == "reachable" and a.ipv6.verdict.value == "reachable"
    assert "vpce-s3" in [h.component_id for h in a.ipv6.paths[0].hops]


def test_an_ipv4_gateway_endpoint_leaves_ipv6_to_other_routes():
    # "traffic that uses AAAA records won't be routed through the gateway endpoint. Traffic will be
    # dropped or routed over an IPv6-compatible path if one is present" (3.6).
    snap = s3_gateway(dual(), "ipv4")
    a = ask(snap, "s3")
    assert "vpce-s3" in [h.component_id for h in a.paths[0].hops]
    assert a.ipv6.verdict.value == "reachable"
    assert "eigw-1" in [h.component_id for h in a.ipv6.paths[0].hops]
    assert "vpce-s3" not in [h.component_id for h in a.ipv6.paths[0].hops]
    snap = s3_gateway(dual(eigw=False), "ipv4")
    assert blocker(ask(snap, "s3").ipv6)[:2] == ("unreachable", "NO_ROUTE_TO_DESTINATION")


def test_ipv6_routed_to_an_ipv4_gateway_endpoint_is_unknown():
    snap = s3_gateway(dual(eigw=False), "ipv4")
    table(snap, "rt-priv")["Routes"].append(route("pl-s3v6", GatewayId="vpce-s3"))  # not what AWS builds
    assert blocker(ask(snap, "s3").ipv6) == ("unknown", "UNSUPPORTED_COMPONENT", "vpce-s3")


def test_a_dual_stack_interface_endpoint_answers_the_dual_stack_hostname():
    snap = dual(eigw=False)
    snap["NetworkInterfaces"].append({
        "NetworkInterfaceId": "eni-vpce", "InterfaceType": "vpc_endpoint", "SubnetId": "sn-db",
        "VpcId": "vpc-a", "PrivateIpAddress": "10.0.3.20", "Groups": [{"GroupId": "sg-vpce"}],
        "Ipv6Addresses": [{"Ipv6Address": "2600:1f18:aa00:1203::20"}]})
    snap["SecurityGroups"].append({"GroupId": "sg-vpce", "VpcId": "vpc-a", "IpPermissionsEgress": [],
                                   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                                      "Ipv6Ranges": [{"CidrIpv6": V6}]}]})
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-ddb", "VpcEndpointType": "Interface", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
                             "PrivateDnsEnabled": True, "IpAddressType": "dualstack",
                             "NetworkInterfaceIds": ["eni-vpce"], "SubnetIds": ["sn-db"],
                             "Groups": [{"GroupId": "sg-vpce"}]}]
    a = ask(snap, "dynamodb")
    assert a.ipv6.verdict.value == "reachable"
    assert "sg-vpce" in [h.component_id for h in a.ipv6.paths[0].hops]
    # An IPv4 endpoint does not answer for the dual-stack hostname: public addresses, no route.
    snap["VpcEndpoints"][0]["IpAddressType"] = "ipv4"
    assert blocker(ask(snap, "dynamodb").ipv6)[:2] == ("unreachable", "NO_ROUTE_TO_DESTINATION")


def test_without_the_services_ipv6_ranges_a_partial_answer_is_unknown():
    snap = dual()
    sg(snap, "sg-fn")["IpPermissionsEgress"][0]["Ipv6Ranges"] = [{"CidrIpv6": "2600::/16"}]
    a = ask(snap, "dynamodb")
    assert blocker(a.ipv6)[:2] == ("unknown", "UNKNOWN_DESTINATION")
    assert "the IPv6 prefix list of com.amazonaws.us-east-1.dynamodb" in a.ipv6.paths[0].missing
    # With the service's IPv6 list in the snapshot, the rule decides.
    snap["ManagedPrefixLists"].append({"PrefixListId": "pl-ddb6", "AddressFamily": "IPv6",
                                       "PrefixListName": "com.amazonaws.us-east-1.ipv6.dynamodb",
                                       "Entries": [{"Cidr": "2600:1f18:4000::/36"}]})
    assert ask(snap, "dynamodb").ipv6.verdict.value == "reachable"
    snap["ManagedPrefixLists"][-1]["Entries"] = [{"Cidr": "2a05:d000::/25"}]
    assert blocker(ask(snap, "dynamodb").ipv6)[:2] == ("unreachable", "ENI_SG_RULES_MISMATCH")


# --- peering and transit gateways (D9) ---

def test_ipv6_across_peering_to_the_peers_ipv6_cidr():
    snap = peered()
    peer_v6 = "2600:1f18:bb00:3400::/56"
    vpc_b = by_id(snap["Vpcs"], "VpcId", "vpc-b")
    vpc_b["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": peer_v6}]
    snap["Vpcs"][0]["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": V6}]
    by_id(snap["Subnets"], "SubnetId", "sn-priv")["Ipv6CidrBlockAssociationSet"] = [
        {"Ipv6CidrBlock": six("sn-priv")}]
    sb = next(s for s in snap["Subnets"] if s["VpcId"] == "vpc-b")
    sb["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": "2600:1f18:bb00:3401::/64"}]
    eni_b = next(e for e in snap["NetworkInterfaces"] if e.get("SubnetId") == sb["SubnetId"])
    eni_b["Ipv6Addresses"] = [{"Ipv6Address": "2600:1f18:bb00:3401::10"}]
    function(snap)["VpcConfig"]["Ipv6AllowedForDualStack"] = True
    for g in snap["SecurityGroups"]:
        for p in g.get("IpPermissionsEgress", []):
            p["Ipv6Ranges"] = [{"CidrIpv6": "::/0"}]
    for acl in snap["NetworkAcls"]:
        acl["Entries"][:0] = [{"RuleNumber": 101, "Protocol": "-1", "RuleAction": "allow", "Egress": e,
                               "Ipv6CidrBlock": "::/0"} for e in (True, False)]
    target = "[2600:1f18:bb00:3401::10]:5432"
    pcx = snap["VpcPeeringConnections"][0]["VpcPeeringConnectionId"]
    assert blocker(ask(snap, target))[:2] == ("unreachable", "NO_ROUTE_TO_DESTINATION")
    table(snap, "rt-priv")["Routes"].append(route6(peer_v6, VpcPeeringConnectionId=pcx))
    rt_b = next(t for t in snap["RouteTables"] if t["VpcId"] == "vpc-b" and
                any(a.get("SubnetId") == sb["SubnetId"] or a.get("Main") for a in t["Associations"]))
    rt_b["Routes"].append(route6(V6, VpcPeeringConnectionId=pcx))
    assert ask(snap, target).verdict.value == "reachable"


# --- targets (contract §2.1) ---

@pytest.mark.parametrize("spec,kind,port,name", [
    ("internet6", "internet6", 443, None), ("internet6:8443", "internet6", 8443, None),
    ("[2606:4700:4700::1111]:53", "address", 53, "2606:4700:4700::1111"),
    ("[2606:4700:4700:0::1111]:53", "address", 53, "2606:4700:4700::1111"),
])
def test_ipv6_targets_parse(spec, kind, port, name):
    t = parse_target(spec)
    assert (t.kind, t.port, t.name, t.ipv6) == (kind, port, name, True)
    assert not parse_target("internet").ipv6 and not parse_target("1.2.3.4:80").ipv6


@pytest.mark.parametrize("spec", ["[1.2.3.4]:80", "[2606::zz]:80", "internet6:99999", "[::1]"])
def test_bad_ipv6_targets_are_refused(spec):
    with pytest.raises(ReachInputError):
        parse_target(spec)
