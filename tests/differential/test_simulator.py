"""Check the differential simulator alone on tiny hand-built estates from aws-rules.md's tricky cases."""
from __future__ import annotations

import pytest

from .estates import (ALLOW_ALL_EGRESS, allow_all_entries, ddb_prefix_list_item, eni_item,
                      final_denies, function_item, gateway_endpoint_item, igw_item, nacl_entry,
                      nacl_item, nat_item, pcx_item, permission, route, route_table_item,
                      sg_item, snapshot, subnet_item, vpc_item)
from .simulator import simulate, simulate_outside_vpc, trace
from .sources import source_addresses

VPC_A, VPC_B = "vpc-0a00000000000000a", "vpc-0b00000000000000b"
SN_PRIV, SN_PUB, SN_DB, SN_X = ("subnet-0000000000000001", "subnet-0000000000000002",
                                "subnet-0000000000000003", "subnet-0000000000000004")
SN_PEER = "subnet-0000000000000005"
IGW, NAT, VPCE, PCX = ("igw-00000000000000001", "nat-00000000000000001",
                       "vpce-0000000000000001", "pcx-00000000000000001")
SG_F, SG_Y, SG_DB = "sg-0000000000000000f", "sg-0000000000000000e", "sg-0000000000000000d"
DB_IP, PEER_DB_IP = "10.0.3.10", "10.1.5.10"
INTERNET, DDB = "8.8.8.8", "52.94.1.10"


def base_estate(fn_subnets=(SN_PRIV,), fn_groups=(SG_F,), *, priv_routes=None,
                db_ingress=None) -> dict:
    """TC04's shape: F in SN-priv (0/0 → public NAT in SN-pub, 0/0 → IGW), RDS in SN-db."""
    if priv_routes is None:
        priv_routes = [route("0.0.0.0/0", NAT)]
    if db_ingress is None:
        db_ingress = [permission("tcp", (5432, 5432), groups=[SG_F])]
    return snapshot(
        Vpcs=[vpc_item(VPC_A, "10.0.0.0/16")],
        Subnets=[subnet_item(SN_PRIV, VPC_A, "10.0.1.0/28"),
                 subnet_item(SN_PUB, VPC_A, "10.0.2.0/28"),
                 subnet_item(SN_DB, VPC_A, "10.0.3.0/28"),
                 subnet_item(SN_X, VPC_A, "10.0.4.0/28")],
        RouteTables=[
            route_table_item("rtb-000000000000main", VPC_A, [route("10.0.0.0/16", "local")],
                             main=True),
            route_table_item("rtb-0000000000000priv", VPC_A,
                             [route("10.0.0.0/16", "local"), *priv_routes], [SN_PRIV]),
            route_table_item("rtb-00000000000000pub", VPC_A,
                             [route("10.0.0.0/16", "local"), route("0.0.0.0/0", IGW)], [SN_PUB]),
        ],
        InternetGateways=[igw_item(IGW, VPC_A)],
        NatGateways=[nat_item(NAT, SN_PUB, VPC_A, "10.0.2.5")],
        SecurityGroups=[sg_item(SG_F, VPC_A, [], [ALLOW_ALL_EGRESS]),
                        sg_item(SG_Y, VPC_A, [], [ALLOW_ALL_EGRESS]),
                        sg_item(SG_DB, VPC_A, db_ingress, [ALLOW_ALL_EGRESS])],
        NetworkAcls=[nacl_item("acl-00000000000000001", VPC_A, allow_all_entries(),
                               [SN_PRIV, SN_PUB, SN_DB, SN_X], is_default=True)],
        ManagedPrefixLists=[ddb_prefix_list_item()],
        NetworkInterfaces=[eni_item("eni-000000000000000db", SN_DB, VPC_A, DB_IP, [SG_DB])],
        Functions=[function_item("f", fn_subnets, fn_groups, VPC_A)],
    )


def table(estate: dict, rt_id: str) -> dict:
    return next(rt for rt in estate["RouteTables"] if rt["RouteTableId"] == rt_id)


def verdict(estate, ip, port=443, protocol="tcp", subnet=SN_PRIV, fn="f"):
    return simulate(estate, fn, subnet, ip, port, protocol)


def test_tc04_nat_gives_internet_and_dynamodb():
    e = base_estate()
    assert verdict(e, INTERNET) == "reachable"
    assert verdict(e, DDB) == "reachable"
    assert verdict(e, DB_IP, 5432) == "reachable"
    assert verdict(e, DB_IP, 3306) == "unreachable"  # the DB SG allows 5432 only


def test_tc03_igw_without_public_ip():
    e = base_estate(fn_subnets=(SN_PUB,))
    assert verdict(e, INTERNET, subnet=SN_PUB) == "unreachable"
    assert verdict(e, DDB, subnet=SN_PUB) == "unreachable"
    assert verdict(e, DB_IP, 5432, subnet=SN_PUB) == "reachable"


def test_tc05_nat_subnet_without_igw_route():
    e = base_estate()
    e["NatGateways"] = [nat_item(NAT, SN_X, VPC_A, "10.0.4.5")]  # SN-x uses the main table: local only
    assert verdict(e, INTERNET) == "unreachable"
    assert verdict(e, DDB) == "unreachable"


def test_tc06_private_nat_and_unavailable_nat():
    e = base_estate()
    e["NatGateways"] = [nat_item(NAT, SN_PUB, VPC_A, "10.0.2.5", connectivity="private")]
    assert verdict(e, INTERNET) == "unreachable"
    e["NatGateways"] = [nat_item(NAT, SN_PUB, VPC_A, "10.0.2.5", state="deleted")]
    assert verdict(e, INTERNET) == "unreachable"
    e["NatGateways"] = []
    assert verdict(e, INTERNET) == "unknown"  # the route names a NAT the snapshot lacks


def test_tc07_blackhole_route():
    e = base_estate(priv_routes=[route("0.0.0.0/0", "nat-00000000000000009", state="blackhole")])
    assert verdict(e, INTERNET) == "unreachable"


def test_tc08_explicit_association_beats_main():
    e = base_estate(priv_routes=[])
    table(e, "rtb-000000000000main")["Routes"].append(route("0.0.0.0/0", NAT))
    assert verdict(e, INTERNET) == "unreachable"
    # Without its explicit association the subnet falls back to the main table (2.1).
    table(e, "rtb-0000000000000priv")["Associations"] = []
    assert verdict(e, INTERNET) == "reachable"


def test_tc10_tc30_gateway_endpoint_and_longer_cidr_route():
    e = base_estate(priv_routes=[route("pl-02cd2c6b", VPCE)])
    e["VpcEndpoints"] = [gateway_endpoint_item(VPCE, VPC_A, ["rtb-0000000000000priv"])]
    assert verdict(e, DDB) == "reachable"
    assert verdict(e, "3.218.181.5") == "reachable"
    assert verdict(e, INTERNET) == "unreachable"
    assert verdict(e, DDB, protocol="udp") == "unreachable"  # gateway endpoints carry TCP (3.9)
    # TC30/TC41: an equal-length CIDR route beats the prefix-list entry (2.5).
    table(e, "rtb-0000000000000priv")["Routes"].append(route("52.94.0.0/22", IGW))
    assert verdict(e, DDB) == "unreachable"
    assert verdict(e, "3.218.181.5") == "reachable"


def test_tc14_nacl_without_ephemeral_return():
    e = base_estate()
    e["NetworkAcls"].append(nacl_item("acl-00000000000000002", VPC_A, [
        nacl_entry(100, True, "allow", "6", "0.0.0.0/0", (443, 443)),
        nacl_entry(100, False, "allow", "6", "0.0.0.0/0", (443, 443)),
        *final_denies()], [SN_PRIV]))
    e["NetworkAcls"][0]["Associations"] = [a for a in e["NetworkAcls"][0]["Associations"]
                                           if a["SubnetId"] != SN_PRIV]
    assert verdict(e, INTERNET) == "unreachable"
    # Opening all but one ephemeral port is still not enough (every port must pass).
    e["NetworkAcls"][1]["Entries"].append(nacl_entry(110, False, "allow", "6", "0.0.0.0/0",
                                                     (1025, 65535)))
    assert verdict(e, INTERNET) == "unreachable"
    e["NetworkAcls"][1]["Entries"].append(nacl_entry(120, False, "allow", "6", "0.0.0.0/0",
                                                     (1024, 1024)))
    assert verdict(e, INTERNET) == "reachable"


def test_tc15_same_subnet_ignores_nacl():
    e = base_estate()
    e["NetworkInterfaces"] = [eni_item("eni-000000000000000db", SN_PRIV, VPC_A, "10.0.1.10",
                                       [SG_DB])]
    e["NetworkAcls"].append(nacl_item("acl-00000000000000002", VPC_A, final_denies(), [SN_PRIV]))
    e["NetworkAcls"][0]["Associations"] = [a for a in e["NetworkAcls"][0]["Associations"]
                                           if a["SubnetId"] != SN_PRIV]
    assert verdict(e, "10.0.1.10", 5432) == "reachable"
    assert verdict(e, INTERNET) == "unreachable"
    assert verdict(e, "10.0.1.11", 5432) == "unknown"  # no ENI holds that address


def test_tc16_sg_reference():
    e = base_estate(fn_groups=(SG_F, SG_Y))
    assert verdict(e, DB_IP, 5432) == "reachable"
    e["Functions"] = [function_item("f", [SN_PRIV], [SG_Y], VPC_A)]
    assert verdict(e, DB_IP, 5432) == "unreachable"


def test_tc17_cidr_source_per_subnet_and_mixed_sources():
    e = base_estate(fn_subnets=(SN_PRIV, SN_X),
                    db_ingress=[permission("tcp", (5432, 5432), cidrs=["10.0.1.0/28"])])
    assert verdict(e, DB_IP, 5432) == "reachable"
    assert verdict(e, DB_IP, 5432, subnet=SN_X) == "unreachable"
    # A rule for part of the subnet: some ENI addresses pass, some do not → unknown.
    e["SecurityGroups"][2]["IpPermissions"] = [permission("tcp", (5432, 5432),
                                                          cidrs=["10.0.1.8/29"])]
    assert verdict(e, DB_IP, 5432) == "unknown"
    # A lambda ENI of the combination fixes the source address (1.13).
    e["NetworkInterfaces"].append(eni_item("eni-0000000000000000a", SN_PRIV, VPC_A, "10.0.1.9",
                                           [SG_F], "lambda"))
    assert source_addresses(e, "f", SN_PRIV) == ["10.0.1.9"]
    assert verdict(e, DB_IP, 5432) == "reachable"
    e["NetworkInterfaces"][-1] = eni_item("eni-0000000000000000a", SN_PRIV, VPC_A, "10.0.1.5",
                                          [SG_F], "lambda")
    assert verdict(e, DB_IP, 5432) == "unreachable"
    # A secondary address may send too (1.20): one address passes, one does not → unknown.
    e["NetworkInterfaces"][-1]["PrivateIpAddresses"].append({"Primary": False,
                                                             "PrivateIpAddress": "10.0.1.9"})
    assert source_addresses(e, "f", SN_PRIV) == ["10.0.1.5", "10.0.1.9"]
    assert verdict(e, DB_IP, 5432) == "unknown"


def peered_estate(*, return_route: bool, status: str = "active") -> dict:
    e = base_estate(priv_routes=[route("10.1.0.0/16", PCX)])
    e["Vpcs"].append(vpc_item(VPC_B, "10.1.0.0/16"))
    e["Subnets"].append(subnet_item(SN_PEER, VPC_B, "10.1.5.0/28"))
    peer_routes = [route("10.1.0.0/16", "local")]
    if return_route:
        peer_routes.append(route("10.0.0.0/16", PCX))
    e["RouteTables"].append(route_table_item("rtb-0000000000000peer", VPC_B, peer_routes,
                                             main=True))
    e["VpcPeeringConnections"] = [pcx_item(PCX, (VPC_A, ["10.0.0.0/16"]),
                                           (VPC_B, ["10.1.0.0/16"]), status)]
    e["NetworkAcls"].append(nacl_item("acl-00000000000000003", VPC_B, allow_all_entries(),
                                      is_default=True))
    e["SecurityGroups"].append(sg_item("sg-0000000000000000b", VPC_B,
                                       [permission("6", (5432, 5432), groups=[SG_F])], []))
    e["NetworkInterfaces"].append(eni_item("eni-0000000000000000b", SN_PEER, VPC_B, PEER_DB_IP,
                                           ["sg-0000000000000000b"]))
    return e


def test_tc22_peering_needs_the_return_route():
    assert verdict(peered_estate(return_route=False), PEER_DB_IP, 5432) == "unreachable"
    assert verdict(peered_estate(return_route=True), PEER_DB_IP, 5432) == "reachable"
    assert verdict(peered_estate(return_route=True, status="deleted"), PEER_DB_IP, 5432) \
        == "unreachable"
    # The SG reference also works for the function's egress rule towards the peer (4.8).
    e = peered_estate(return_route=True)
    e["SecurityGroups"][0]["IpPermissionsEgress"] = [
        permission("tcp", (5432, 5432), groups=["sg-0000000000000000b"])]
    assert verdict(e, PEER_DB_IP, 5432) == "reachable"
    e["VpcPeeringConnections"][0]["Status"]["Code"] = "pending-acceptance"
    assert verdict(e, PEER_DB_IP, 5432) == "unreachable"


def test_tc39_nacl_first_match_deny():
    e = base_estate()
    e["NetworkAcls"][0]["Entries"] = [nacl_entry(50, True, "deny", "6", "0.0.0.0/0", (443, 443)),
                                      *allow_all_entries()]
    assert verdict(e, INTERNET) == "unreachable"
    assert verdict(e, DDB) == "unreachable"
    assert verdict(e, INTERNET, 80) == "reachable"


def test_missing_data_is_unknown():
    e = base_estate(fn_groups=("sg-0000000000000dead",))
    assert verdict(e, INTERNET) == "unknown"
    e = base_estate()
    e["SecurityGroups"][0]["IpPermissionsEgress"] = [
        permission("tcp", (443, 443), prefix_lists=["pl-0000dead"])]
    assert verdict(e, DDB) == "unknown"
    e["SecurityGroups"][0]["IpPermissionsEgress"].append(
        permission("tcp", (443, 443), prefix_lists=["pl-02cd2c6b"]))
    assert verdict(e, DDB) == "reachable"  # TC12: the SG matches the prefix list, via NAT
    e2 = base_estate()
    e2["RouteTables"] = [rt for rt in e2["RouteTables"] if rt["RouteTableId"] != "rtb-000000000000main"]
    assert verdict(e2, DB_IP, 5432, subnet=SN_X) == "unknown"  # no route table at all for SN-x
    e3 = base_estate(fn_subnets=(SN_PUB,))
    e3["InternetGateways"] = []  # the public table's gateway is not in the snapshot (§0)
    assert verdict(e3, INTERNET, subnet=SN_PUB) == "unknown"
    assert verdict(e3, INTERNET) == "unknown"  # through the NAT, whose table names it too


def test_function_outside_vpc():
    e = base_estate()
    e["Functions"] = [function_item("g", no_vpc_config=True)]
    assert simulate_outside_vpc(e, "g", INTERNET, 443) == "reachable"
    assert simulate_outside_vpc(e, "g", DB_IP, 5432) == "unreachable"
    assert simulate_outside_vpc(e, "g", "192.168.1.1", 5432) == "unreachable"
    assert simulate_outside_vpc(e, "g", "100.64.0.1", 443) == "unreachable"  # not public (2.12)


@pytest.mark.parametrize("ip", [INTERNET, DDB, DB_IP])
def test_trace_names_a_reason(ip):
    verdict_, walked = trace(base_estate(), "f", SN_PRIV, ip, 443)
    assert walked and all(reason for _, _, reason in walked)


def test_tc20_hand_changed_eni_governs_every_function_of_its_combination():
    e = base_estate(fn_groups=(SG_F, SG_Y))
    e["SecurityGroups"][0]["IpPermissionsEgress"] = []  # sg-f: no egress; sg-y allows all
    e["Functions"].append(function_item("g", [SN_PRIV], [SG_Y, SG_F], VPC_A))
    assert verdict(e, DB_IP, 5432) == "reachable"
    # The combination's ENI, created for g, now carries sg-f only (1.14, 1.15).
    e["NetworkInterfaces"].append(eni_item("eni-0000000000000000a", SN_PRIV, VPC_A, "10.0.1.9",
                                           [SG_F], "lambda",
                                           description="AWS Lambda VPC ENI-g-0a1b2c3d"))
    assert verdict(e, DB_IP, 5432, fn="g") == "unreachable"
    assert verdict(e, DB_IP, 5432, fn="f") == "unreachable"
    # An ENI named after a function of another combination is not this one's.
    e["NetworkInterfaces"][-1]["Description"] = "AWS Lambda VPC ENI-other-0a1b2c3d"
    assert verdict(e, DB_IP, 5432) == "reachable"


def test_addresses_other_interfaces_hold_are_not_the_enis():
    e = base_estate(db_ingress=[permission("tcp", (5432, 5432), cidrs=["10.0.1.9/32"])])
    assert verdict(e, DB_IP, 5432) == "unknown"  # the ENI may or may not get 10.0.1.9
    e["NetworkInterfaces"].append(eni_item("eni-0000000000000000a", SN_PRIV, VPC_A, "10.0.1.9",
                                           [SG_Y]))
    assert "10.0.1.9" not in source_addresses(e, "f", SN_PRIV)
    assert verdict(e, DB_IP, 5432) == "unreachable"
    e["NetworkInterfaces"].pop()
    e["NatGateways"].append(nat_item("nat-00000000000000002", SN_PRIV, VPC_A, "10.0.1.9"))
    assert verdict(e, DB_IP, 5432) == "unreachable"  # a NAT's ENI holds it


def test_every_eni_of_the_combination_may_carry_the_traffic():
    e = base_estate(fn_groups=(SG_F, SG_Y))
    e["SecurityGroups"][0]["IpPermissionsEgress"] = []
    e["NetworkInterfaces"] += [
        eni_item("eni-0000000000000000a", SN_PRIV, VPC_A, "10.0.1.6", [SG_F, SG_Y], "lambda",
                 description="AWS Lambda VPC ENI-f-0a1b2c3d"),
        eni_item("eni-0000000000000000b", SN_PRIV, VPC_A, "10.0.1.7", [SG_F], "lambda",
                 description="AWS Lambda VPC ENI-f-4e5f6a7b")]
    # Through the first ENI the DB is reached, through the changed one not (1.8, 1.15).
    assert verdict(e, DB_IP, 5432) == "unknown"


# --- IPv6 (1.23, 2.4, 2.11, 2.14, 5.7), on the dual-stack samples ---

def _sample(name: str) -> dict:
    import json
    from pathlib import Path
    return json.loads((Path(__file__).resolve().parents[2] / "samples" / name / "snapshot.json").read_text())


P1A, V4_ONLY = "subnet-0b4d6f8a1c3e5b612", "subnet-0d6f8b1c3e5a7d614"
CF6 = "2606:4700:4700::1111"


def test_ipv6_goes_out_through_the_egress_only_gateway_without_nat():
    for name in ("dualstack", "dualstack-no-nat"):
        assert simulate(_sample(name), "fetcher", P1A, CF6, 443) == "reachable"
    assert simulate(_sample("dualstack"), "fetcher", P1A, INTERNET, 443) == "reachable"
    assert simulate(_sample("dualstack-no-nat"), "fetcher", P1A, INTERNET, 443) == "unreachable"


def test_no_ipv6_source_without_the_flag_or_the_subnet_cidr():
    snap = _sample("dualstack")
    verdict, walked = trace(snap, "fetcher-v4", P1A, CF6, 443)
    assert verdict == "unreachable" and "Ipv6AllowedForDualStack" in walked[0][2]
    verdict, walked = trace(snap, "mixed", V4_ONLY, CF6, 443)
    assert verdict == "unreachable" and "no IPv6 CIDR" in walked[0][2]
    assert simulate(snap, "mixed", P1A, CF6, 443) == "reachable"


def test_ipv6_sources_are_the_ends_of_the_subnet():
    snap = _sample("dualstack")
    from .sources import sources
    assert [a for a, _ in sources(snap, "fetcher", P1A, six=True)] == [
        "2600:1f18:4a3:6e10::4", "2600:1f18:4a3:6e10:ffff:ffff:ffff:fffe"]


def test_an_ipv4_only_group_blocks_ipv6():
    verdict, walked = trace(_sample("dualstack"), "old-groups", P1A, CF6, 443)
    assert verdict == "unreachable" and "SG egress" in walked[0][2]


def test_ipv4_nacl_entries_never_decide_ipv6():
    snap = _sample("dualstack")
    acl = snap["NetworkAcls"][0]
    acl["Entries"].insert(0, {"CidrBlock": "0.0.0.0/0", "Egress": True, "Protocol": "-1",
                              "RuleAction": "deny", "RuleNumber": 1})
    assert simulate(snap, "fetcher", P1A, CF6, 443) == "reachable"
    acl["Entries"] = [e for e in acl["Entries"] if "Ipv6CidrBlock" not in e]
    assert simulate(snap, "fetcher", P1A, CF6, 443) == "unreachable"


def test_an_internet_gateway_carries_ipv6_but_not_the_nat64_prefix():
    snap = _sample("dualstack")
    table = next(t for t in snap["RouteTables"] if t["RouteTableId"] == "rtb-0c3e5a7b9d2f4c903")
    for r in table["Routes"]:
        if r.get("DestinationIpv6CidrBlock") == "::/0":
            r.pop("EgressOnlyInternetGatewayId")
            r["GatewayId"] = "igw-0e7a9c1b3d5f7e801"
    assert simulate(snap, "fetcher", P1A, CF6, 443) == "reachable"
    verdict, walked = trace(snap, "fetcher", P1A, "64:ff9b::808:808", 443)
    assert verdict == "unreachable" and "NAT64" in walked[0][2]


def test_nat64_through_a_nat_gateway_continues_as_ipv4():
    snap = _sample("dualstack")
    table = next(t for t in snap["RouteTables"] if t["RouteTableId"] == "rtb-0c3e5a7b9d2f4c903")
    table["Routes"].append({"DestinationIpv6CidrBlock": "64:ff9b::/96", "NatGatewayId": "nat-0a9c2e4b6d8f1a803",
                            "State": "active"})
    assert simulate(snap, "fetcher", P1A, "64:ff9b::808:808", 443) == "reachable"
    # 10.9.0.5 as NAT64: the NAT's IGW drops a private destination (2.12).
    assert simulate(snap, "fetcher", P1A, "64:ff9b::a09:5", 443) == "unreachable"
    # Only the NAT64 prefix is translated: other IPv6 into a NAT gateway is not said.
    table["Routes"].append({"DestinationIpv6CidrBlock": "2606:4700::/32", "NatGatewayId": "nat-0a9c2e4b6d8f1a803",
                            "State": "active"})
    assert simulate(snap, "fetcher", P1A, CF6, 443) == "unknown"


def test_a_function_outside_any_vpc_sends_no_ipv6():
    snap = _sample("dualstack")
    snap["Functions"].append(function_item("free", no_vpc_config=True))
    assert simulate_outside_vpc(snap, "free", CF6, 443) == "unreachable"
