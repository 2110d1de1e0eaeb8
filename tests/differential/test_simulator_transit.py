"""Check the simulator alone on hand-built transit gateway estates, a rule of §6t (T1-T5) each."""
from __future__ import annotations

import copy

from hypothesis import given, settings, strategies as st

from .estates import (ALLOW_ALL_EGRESS, DDB_PL, allow_all_entries, ddb_prefix_list_item, eni_item,
                      final_denies, function_item, gateway_endpoint_item, igw_item, nacl_entry,
                      nacl_item, nat_item, permission, route, route_table_item, sg_item, snapshot,
                      subnet_item, vpc_item)
from .simulator import simulate, trace
from .transit_estates import (gwlb_endpoint_item, peering_sides, tgw_item, tgw_route,
                              tgw_table_item, transit_estates, transit_packets,
                              vpc_attachment_item)

A, E, B = "vpc-0000000000000000a", "vpc-0000000000000000e", "vpc-0000000000000000b"
FN_A, FN_B, ATT_A, ATT_B = "subnet-a-fn-a", "subnet-a-fn-b", "subnet-a-tgw-a", "subnet-a-tgw-b"
E_ATT_A, E_ATT_B, E_PUB = "subnet-e-att-a", "subnet-e-att-b", "subnet-e-pub"
E_DB, B_DB = "subnet-e-db", "subnet-b-db"
TGW, TGW2, RTB, RTB2 = "tgw-01", "tgw-02", "tgw-rtb-01", "tgw-rtb-02"
AT_A, AT_E, AT_B, AT_B2, AT_A2 = ("tgw-attach-a", "tgw-attach-e", "tgw-attach-b", "tgw-attach-b2",
                                  "tgw-attach-a2")
NAT, IGW, VPCE, GWLB = "nat-000000000000000e", "igw-0e", "vpce-0gateway", "vpce-0gwlb"
SG_F, SG_DB, SG_B = "sg-0f", "sg-0db", "sg-0b"
DB_IP, B_IP, INTERNET, DDB = "10.1.3.10", "10.2.3.10", "8.8.8.8", "52.94.1.10"


def estate(*, referencing="disable") -> dict:
    """Centralised egress (transit-gateway-nat-igw): spoke A sends 0/0 to the TGW, egress VPC E
    routes it from its attachment subnets to a NAT, whose subnet returns 10/8 to the TGW."""
    return snapshot(
        Vpcs=[vpc_item(A, "10.0.0.0/16"), vpc_item(E, "10.1.0.0/16")],
        Subnets=[subnet_item(FN_A, A, "10.0.1.0/28", "us-east-1a"),
                 subnet_item(FN_B, A, "10.0.1.16/28", "us-east-1b"),
                 subnet_item(ATT_A, A, "10.0.9.0/28", "us-east-1a"),
                 subnet_item(ATT_B, A, "10.0.9.16/28", "us-east-1b"),
                 subnet_item(E_ATT_A, E, "10.1.9.0/28", "us-east-1a"),
                 subnet_item(E_ATT_B, E, "10.1.9.16/28", "us-east-1b"),
                 subnet_item(E_PUB, E, "10.1.2.0/28", "us-east-1a"),
                 subnet_item(E_DB, E, "10.1.3.0/28", "us-east-1b")],
        RouteTables=[
            route_table_item("rtb-a-main", A, [route("10.0.0.0/16", "local")], main=True),
            route_table_item("rtb-a-fn", A, [route("10.0.0.0/16", "local"),
                                             route("0.0.0.0/0", TGW)], [FN_A, FN_B]),
            route_table_item("rtb-e-main", E, [route("10.1.0.0/16", "local"),
                                               route("10.0.0.0/8", TGW)], [E_DB], main=True),
            route_table_item("rtb-e-att", E, [route("10.1.0.0/16", "local"),
                                              route("0.0.0.0/0", NAT)], [E_ATT_A, E_ATT_B]),
            route_table_item("rtb-e-pub", E, [route("10.1.0.0/16", "local"),
                                              route("0.0.0.0/0", IGW),
                                              route("10.0.0.0/8", TGW)], [E_PUB])],
        InternetGateways=[igw_item(IGW, E)],
        NatGateways=[nat_item(NAT, E_PUB, E, "10.1.2.5")],
        SecurityGroups=[sg_item(SG_F, A, [], [ALLOW_ALL_EGRESS]),
                        sg_item(SG_DB, E, [permission("tcp", (5432, 5432), cidrs=["10.0.0.0/16"])],
                                [ALLOW_ALL_EGRESS])],
        NetworkAcls=[nacl_item("acl-a", A, allow_all_entries(), is_default=True),
                     nacl_item("acl-e", E, allow_all_entries(), is_default=True)],
        ManagedPrefixLists=[ddb_prefix_list_item()],
        NetworkInterfaces=[eni_item("eni-0db", E_DB, E, DB_IP, [SG_DB], az="us-east-1b")],
        TransitGateways=[tgw_item(TGW, referencing)],
        TransitGatewayAttachments=[
            vpc_attachment_item(AT_A, TGW, A, [ATT_A, ATT_B], RTB, referencing),
            vpc_attachment_item(AT_E, TGW, E, [E_ATT_A, E_ATT_B], RTB, referencing)],
        TransitGatewayRouteTables=[tgw_table_item(RTB, TGW, [tgw_route("0.0.0.0/0", (AT_E, "vpc"))],
                                                  [AT_A, AT_E], [AT_A, AT_E])],
        Functions=[function_item("f", [FN_A, FN_B], [SG_F], A)])


def item(snap: dict, key: str, id_field: str, wanted: str) -> dict:
    return next(x for x in snap[key] if x[id_field] == wanted)


def rt(snap: dict, rt_id: str) -> dict:
    return item(snap, "RouteTables", "RouteTableId", rt_id)


def tgw_rt(snap: dict, rt_id: str) -> dict:
    return item(snap, "TransitGatewayRouteTables", "TransitGatewayRouteTableId", rt_id)


def att(snap: dict, att_id: str) -> dict:
    return item(snap, "TransitGatewayAttachments", "TransitGatewayAttachmentId", att_id)


def own_nacl(snap: dict, vpc: str, subnet: str, entries: list[dict]) -> None:
    """Give one subnet a NACL of its own (5.4)."""
    snap["NetworkAcls"].append(nacl_item(f"acl-{subnet}", vpc, entries + final_denies(), [subnet]))


def verdict(snap, ip=INTERNET, port=443, subnet=FN_A, protocol="tcp", **kw) -> str:
    return simulate(snap, "f", subnet, ip, port, protocol, **kw)


def reason(snap, ip=INTERNET, port=443, subnet=FN_A) -> str:
    return trace(snap, "f", subnet, ip, port)[1][0][2]


# --------------------------------------------------------------------------- T1-T3: out through E

def test_centralised_egress_reaches_the_internet_from_both_azs():
    snap = estate()
    assert verdict(snap) == verdict(snap, subnet=FN_B) == "reachable"
    assert verdict(snap, port=5432, protocol="udp") == "reachable"


def test_without_transit_rules_a_route_to_a_tgw_stays_unknown():
    assert verdict(estate(), transit=False) == "unknown"


def test_nat_subnet_without_the_return_route_drops_the_reply():
    snap = estate()
    rt(snap, "rtb-e-pub")["Routes"].pop()  # 10.0.0.0/8 → TGW (2.17)
    assert verdict(snap) == "unreachable"
    assert "not home" in reason(snap) or "no route" in reason(snap)


def test_nat_subnet_nacl_judges_the_translated_reply_by_the_functions_address():
    # 5.9 "out back to the function subnet", T5: the reply leaving the NAT's subnet goes to the
    # function's address, so an outbound rule for the spoke's CIDR lets it out.
    snap = estate()
    own_nacl(snap, E, E_PUB, [nacl_entry(100, True, "allow", "6", "0.0.0.0/0", (443, 443)),
                              nacl_entry(110, True, "allow", "-1", "10.0.0.0/16"),
                              nacl_entry(100, False)])
    assert verdict(snap) == "reachable"
    snap["NetworkAcls"][-1]["Entries"].pop(1)  # without 110 the reply cannot leave
    assert verdict(snap) == "unreachable"


def test_nat_subnet_nacl_without_transit_uses_the_functions_address_too():
    # The same fix without a TGW: F's subnet → NAT in E_PUB's place, in one VPC.
    snap = estate()
    rt(snap, "rtb-e-pub")["Routes"].pop()
    snap["Subnets"].append(subnet_item("subnet-e-fn", E, "10.1.4.0/28", "us-east-1a"))
    snap["RouteTables"].append(route_table_item(
        "rtb-e-fn", E, [route("10.1.0.0/16", "local"), route("0.0.0.0/0", NAT)], ["subnet-e-fn"]))
    snap["SecurityGroups"].append(sg_item("sg-0fe", E, [], [ALLOW_ALL_EGRESS]))
    snap["Functions"] = [function_item("f", ["subnet-e-fn"], ["sg-0fe"], E)]
    own_nacl(snap, E, E_PUB, [nacl_entry(100, True, "allow", "6", "0.0.0.0/0", (443, 443)),
                              nacl_entry(110, True, "allow", "-1", "10.1.4.0/28"),
                              nacl_entry(100, False)])
    assert verdict(snap, subnet="subnet-e-fn") == "reachable"
    snap["NetworkAcls"][-1]["Entries"].pop(1)  # without 110 the reply cannot leave for F (5.9)
    assert verdict(snap, subnet="subnet-e-fn") == "unreachable"


def test_attachment_without_a_subnet_in_the_senders_az():
    snap = estate()
    att(snap, AT_A)["SubnetIds"] = [ATT_A]  # 6.8
    assert verdict(snap) == "reachable"
    assert verdict(snap, subnet=FN_B) == "unreachable"
    assert "no subnet in the AZ" in reason(snap, subnet=FN_B)


def test_az_ids_decide_when_both_subnets_have_one():
    snap = estate()
    att(snap, AT_A)["SubnetIds"] = [ATT_A]
    for sid, zone in ((FN_B, "use1-az4"), (ATT_A, "use1-az4")):  # same zone id, other names
        item(snap, "Subnets", "SubnetId", sid)["AvailabilityZoneId"] = zone
    assert verdict(snap, subnet=FN_B) == "reachable"


def test_exit_in_another_az_when_the_attachment_has_none_in_the_flows():
    snap = estate()
    att(snap, AT_E)["SubnetIds"] = [E_ATT_A]  # FN_B's flow (AZ b) leaves through AZ a (T2)
    assert verdict(snap, subnet=FN_B) == "reachable"


def test_exit_in_another_az_is_unknown_when_those_subnets_differ():
    snap = estate()
    snap["Subnets"].append(subnet_item("subnet-e-att-c", E, "10.1.9.32/28", "us-east-1c"))
    att(snap, AT_E)["SubnetIds"] = [E_ATT_A, "subnet-e-att-c"]
    att(snap, AT_A)["SubnetIds"] = [ATT_B]
    rt(snap, "rtb-e-att")["Associations"].pop()  # E_ATT_B's association: now it is E_ATT_A's only
    own_nacl(snap, E, "subnet-e-att-c", [nacl_entry(100, True), nacl_entry(100, False)])
    assert verdict(snap, subnet=FN_B) == "unknown"


def test_attachment_subnet_nacl_judges_what_enters_the_tgw_even_from_its_own_subnet():
    snap = estate()
    own_nacl(snap, A, ATT_A, [nacl_entry(100, True),
                              nacl_entry(100, False, "allow", "6", "0.0.0.0/0", (1024, 65535))])
    assert verdict(snap) == "unreachable"  # 443 from the function may not enter ATT_A (T1)
    att(snap, AT_A)["SubnetIds"] = [FN_A, ATT_B]  # the function's own subnet is the attachment's
    snap["NetworkAcls"][-1]["Associations"][0]["SubnetId"] = FN_A
    # Judged in the sending subnet itself too: AWS's tgw-nacls page, "same subnet" (T1).
    assert verdict(snap) == "unreachable"


def test_exit_subnet_nacl_judges_the_packet_out_of_the_tgw():
    snap = estate()
    own_nacl(snap, E, E_ATT_A, [nacl_entry(100, True, "allow", "-1", "10.0.0.0/8"),
                                nacl_entry(100, False)])
    assert verdict(snap) == "unreachable"  # T3: out of E_ATT_A towards the NAT, to 8.8.8.8


def test_attachment_subnet_routes_to_an_igw_a_gateway_endpoint_or_a_gwlb_endpoint():
    snap = estate()
    rt(snap, "rtb-e-att")["Routes"][1] = route("0.0.0.0/0", IGW)
    assert verdict(snap) == "unreachable"  # a private source (2.11)
    snap = estate()
    snap["VpcEndpoints"] = [gateway_endpoint_item(VPCE, E, ["rtb-e-att"]),
                            gwlb_endpoint_item(GWLB, E, E_PUB)]
    rt(snap, "rtb-e-att")["Routes"].append(route(DDB_PL, VPCE))
    assert verdict(snap, DDB) == "unreachable"  # 6.11
    rt(snap, "rtb-e-att")["Routes"][1] = route("0.0.0.0/0", GWLB)
    assert verdict(snap) == "unknown"  # the appliance is not in the snapshot


def test_hairpin_back_to_the_tgw_is_a_loop():
    snap = estate()
    rt(snap, "rtb-e-att")["Routes"][1] = route("0.0.0.0/0", TGW)
    assert verdict(snap) == "unknown"
    assert "loop" in reason(snap)


def test_hairpin_to_a_second_tgw_goes_on():
    snap = estate()
    snap["TransitGateways"].append(tgw_item(TGW2))
    snap["TransitGatewayAttachments"].append(vpc_attachment_item("tgw-attach-e2", TGW2, E,
                                                                 [E_ATT_A, E_ATT_B], RTB2))
    snap["TransitGatewayAttachments"].append(vpc_attachment_item(AT_A2, TGW2, A, [ATT_A, ATT_B],
                                                                 RTB2))
    snap["TransitGatewayRouteTables"].append(tgw_table_item(RTB2, TGW2, [],
                                                            ["tgw-attach-e2", AT_A2], [AT_A2]))
    tgw_rt(snap, RTB)["Routes"] = [tgw_route("0.0.0.0/0", (AT_E, "vpc"))]
    tgw_rt(snap, RTB)["Propagations"] = [{"TransitGatewayAttachmentId": AT_E, "State": "enabled"}]
    rt(snap, "rtb-e-att")["Routes"][1] = route("0.0.0.0/0", TGW2)
    # 10.1.3.10 in E: TGW → E_ATT (local) would deliver; make E_ATT send the spoke's way via TGW2
    assert verdict(snap, DB_IP, 5432) == "reachable"
    assert verdict(snap, INTERNET) == "unreachable"  # TGW2's table has no route to 8.8.8.8


# --------------------------------------------------------------------------- TGW route tables

def test_delivery_in_the_far_vpc_and_group_references_across_the_tgw():
    snap = estate()
    assert verdict(snap, DB_IP, 5432) == "reachable"
    assert verdict(snap, DB_IP, 3306) == "unreachable"
    item(snap, "SecurityGroups", "GroupId", SG_DB)["IpPermissions"] = [
        permission("tcp", (5432, 5432), groups=[SG_F])]
    assert verdict(snap, DB_IP, 5432) == "unreachable"  # no referencing support (4.9)
    snap = estate(referencing="enable")
    item(snap, "SecurityGroups", "GroupId", SG_DB)["IpPermissions"] = [
        permission("tcp", (5432, 5432), groups=[SG_F])]
    assert verdict(snap, DB_IP, 5432) == "reachable"
    att(snap, AT_E)["Options"]["SecurityGroupReferencingSupport"] = "disable"
    assert verdict(snap, DB_IP, 5432) == "unreachable"


def test_static_route_wins_a_tie_and_a_blackhole_drops():
    snap = estate()
    # A static blackhole against the propagated route of the same length.
    tgw_rt(snap, RTB)["Routes"].append(tgw_route("10.1.0.0/16", None))
    assert verdict(snap, DB_IP, 5432) == "unreachable"
    assert "blackhole" in reason(snap, DB_IP, 5432)
    tgw_rt(snap, RTB)["Routes"][-1] = tgw_route("10.1.0.0/16", None, "propagated")
    tgw_rt(snap, RTB)["Routes"][-1]["State"] = "active"
    tgw_rt(snap, RTB)["Routes"][-1]["TransitGatewayAttachments"] = [
        {"TransitGatewayAttachmentId": AT_E, "ResourceType": "vpc"}]
    assert verdict(snap, DB_IP, 5432) == "reachable"


def test_longest_prefix_and_no_route():
    snap = estate()
    tgw_rt(snap, RTB)["Propagations"] = [{"TransitGatewayAttachmentId": AT_A, "State": "enabled"}]
    assert verdict(snap, DB_IP, 5432) == "reachable"  # by the static 0/0 to E
    tgw_rt(snap, RTB)["Routes"] = []
    assert verdict(snap, DB_IP, 5432) == "unreachable"


def test_association_missing_or_its_table_missing():
    snap = estate()
    att(snap, AT_A).pop("Association")
    assert verdict(snap) == "reachable"  # the table's Associations still list it
    tgw_rt(snap, RTB)["Associations"] = []
    assert verdict(snap) == "unreachable"
    snap = estate()
    att(snap, AT_A)["Association"]["TransitGatewayRouteTableId"] = "tgw-rtb-0gone"
    assert verdict(snap) == "unknown"


def test_a_tgw_missing_from_the_snapshot_is_unknown_and_one_not_attached_drops():
    snap = estate()
    rt(snap, "rtb-a-fn")["Routes"][1] = route("0.0.0.0/0", "tgw-0gone")
    assert verdict(snap) == "unknown"
    snap["TransitGateways"].append(tgw_item("tgw-0gone"))
    assert verdict(snap) == "unreachable"


def test_vpc_attachment_details_in_their_own_list():
    snap = estate()
    snap["TransitGatewayVpcAttachments"] = [
        {"TransitGatewayAttachmentId": a["TransitGatewayAttachmentId"], "TransitGatewayId": TGW,
         "VpcId": a["ResourceId"], "SubnetIds": a.pop("SubnetIds"), "Options": a.pop("Options"),
         "State": "available"} for a in snap["TransitGatewayAttachments"]]
    assert verdict(snap) == "reachable"


# --------------------------------------------------------------------------- T4: replies

def spoke_b(snap: dict, back_via: str | None) -> dict:
    """Spoke B (10.2/16) with a database; its subnet routes 10.0/16 back via back_via."""
    snap["Vpcs"].append(vpc_item(B, "10.2.0.0/16"))
    snap["Subnets"].append(subnet_item(B_DB, B, "10.2.3.0/28", "us-east-1a"))
    back = [route("10.0.0.0/16", back_via)] if back_via else []
    snap["RouteTables"].append(route_table_item("rtb-b", B, [route("10.2.0.0/16", "local"), *back],
                                                main=True))
    snap["NetworkAcls"].append(nacl_item("acl-b", B, allow_all_entries(), is_default=True))
    snap["SecurityGroups"].append(sg_item(
        SG_B, B, [permission("tcp", (5432, 5432), cidrs=["10.0.0.0/8"])], [ALLOW_ALL_EGRESS]))
    snap["NetworkInterfaces"].append(eni_item("eni-0b", B_DB, B, B_IP, [SG_B]))
    snap["TransitGatewayAttachments"].append(vpc_attachment_item(AT_B, TGW, B, [B_DB], RTB))
    tgw_rt(snap, RTB)["Propagations"].append({"TransitGatewayAttachmentId": AT_B,
                                              "State": "enabled"})
    return snap


def second_tgw(snap: dict) -> None:
    """TGW2 joins A and B, with propagation both ways."""
    snap["TransitGateways"].append(tgw_item(TGW2))
    snap["TransitGatewayAttachments"] += [vpc_attachment_item(AT_A2, TGW2, A, [ATT_A, ATT_B], RTB2),
                                          vpc_attachment_item(AT_B2, TGW2, B, [B_DB], RTB2)]
    snap["TransitGatewayRouteTables"].append(tgw_table_item(RTB2, TGW2, [], [AT_A2, AT_B2],
                                                            [AT_A2, AT_B2]))


def test_reply_by_the_same_tgw():
    assert verdict(spoke_b(estate(), TGW), B_IP, 5432) == "reachable"
    assert verdict(spoke_b(estate(), None), B_IP, 5432) == "unreachable"  # no route back


def test_reply_by_another_tgw_than_the_request_took():
    # test-transit-gateway-asymmetric-paths: the request goes by TGW, the reply by TGW2.
    snap = spoke_b(estate(), TGW2)
    second_tgw(snap)
    assert verdict(snap, B_IP, 5432) == "reachable"
    tgw_rt(snap, RTB2)["Propagations"] = [{"TransitGatewayAttachmentId": AT_B2, "State": "enabled"}]
    assert verdict(snap, B_IP, 5432) == "unreachable"  # TGW2 cannot route the reply to A


def test_reply_routed_to_a_nat_is_not_home():
    snap = spoke_b(estate(), NAT)
    assert verdict(snap, B_IP, 5432) == "unreachable"


def test_reply_leaves_the_tgw_through_the_functions_vpc_attachment_subnet_nacl():
    snap = spoke_b(estate(), TGW)
    own_nacl(snap, A, ATT_A, [nacl_entry(100, True, "allow", "-1", "10.2.0.0/16"),
                              nacl_entry(100, False)])
    assert verdict(snap, B_IP, 5432) == "unreachable"  # the reply goes to 10.0.1.x (T5)


def test_reply_from_the_destination_subnet_within_a_vpc_follows_its_route():
    # T4 also holds without a TGW: the answering subnet routes the function's subnet to a NAT.
    snap = estate()
    snap["Subnets"].append(subnet_item("subnet-a-db", A, "10.0.3.0/28", "us-east-1a"))
    snap["NetworkInterfaces"].append(eni_item("eni-0adb", "subnet-a-db", A, "10.0.3.10", [SG_F]))
    item(snap, "SecurityGroups", "GroupId", SG_F)["IpPermissions"] = [
        permission("-1", cidrs=["10.0.0.0/8"])]
    to_nat = route("10.0.1.0/28", "nat-000000000000000a")  # the function's subnet, to a NAT
    snap["RouteTables"].append(route_table_item("rtb-a-db", A, [route("10.0.0.0/16", "local"),
                                                                to_nat], ["subnet-a-db"]))
    assert verdict(snap, "10.0.3.10") == "unreachable"
    assert verdict(snap, "10.0.3.10", transit=False) == "reachable"  # the old reading


# --------------------------------------------------------------------------- T2: TGW peering

def peered(snap: dict) -> dict:
    """B is attached to TGW2 only; TGW and TGW2 peer, with static routes on each side."""
    snap = spoke_b(snap, TGW2)
    snap["TransitGatewayAttachments"] = [a for a in snap["TransitGatewayAttachments"]
                                         if a["TransitGatewayAttachmentId"] != AT_B]
    tgw_rt(snap, RTB)["Propagations"].pop()
    snap["TransitGateways"].append(tgw_item(TGW2))
    snap["TransitGatewayAttachments"] += [vpc_attachment_item(AT_B2, TGW2, B, [B_DB], RTB2),
                                          *peering_sides("tgw-attach-peer",
                                                         [(TGW, RTB), (TGW2, RTB2)])]
    tgw_rt(snap, RTB)["Routes"].append(tgw_route("10.2.0.0/16", ("tgw-attach-peer", "peering")))
    snap["TransitGatewayRouteTables"].append(tgw_table_item(
        RTB2, TGW2, [tgw_route("10.0.0.0/16", ("tgw-attach-peer", "peering"))],
        [AT_B2, "tgw-attach-peer"], [AT_B2]))
    return snap


def test_peering_routes_by_each_sides_table():
    snap = peered(estate())
    assert verdict(snap, B_IP, 5432) == "reachable"
    tgw_rt(snap, RTB2)["Routes"] = []  # B's side cannot route the reply back
    assert verdict(snap, B_IP, 5432) == "unreachable"


def test_peering_side_missing_is_unknown():
    snap = peered(estate())
    snap["TransitGatewayAttachments"].pop()  # TGW2's copy of the peering attachment
    assert verdict(snap, B_IP, 5432) == "unknown"


def test_peering_ping_pong_is_a_loop():
    snap = peered(estate())
    tgw_rt(snap, RTB2)["Routes"].append(tgw_route("10.2.3.0/24", ("tgw-attach-peer", "peering")))
    assert verdict(snap, B_IP, 5432) == "unknown"


def test_group_references_never_match_across_a_peering():
    snap = peered(estate(referencing="enable"))
    item(snap, "SecurityGroups", "GroupId", SG_B)["IpPermissions"] = [
        permission("tcp", (5432, 5432), groups=[SG_F])]
    assert verdict(snap, B_IP, 5432) == "unreachable"


def test_the_estate_builders_leave_the_base_untouched():
    base = estate()
    before = copy.deepcopy(base)
    peered(copy.deepcopy(base))
    assert base == before


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_simulator_walks_every_generated_transit_estate(data):
    # Each walk ends in a verdict with a reason (a Stop or every hop), never a crash.
    snap = data.draw(transit_estates())
    fn = data.draw(st.sampled_from(snap["Functions"]))
    ip, port, protocol = data.draw(transit_packets(snap))
    for subnet in fn["VpcConfig"]["SubnetIds"]:
        got, walked = trace(snap, fn["FunctionName"], subnet, ip, port, protocol)
        assert got in ("reachable", "unreachable", "unknown") and walked
        assert trace(snap, fn["FunctionName"], subnet, ip, port, protocol)[0] == got
