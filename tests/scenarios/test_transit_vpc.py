"""Scenarios for transit through a VPC, replies by their own route and TGW peering (docs/semantics.md
§6t T1-T5; aws-rules 2.17, 5.9, 6.8-6.11)."""
from __future__ import annotations

from .estate import ALLOW_ALL, acl, ask, base, blocker, by_id, entry, function, route, table

ALLOW_BOTH = [entry(100, True, "allow", "0.0.0.0/0"), entry(100, False, "allow", "0.0.0.0/0")]


def _attachment(aid: str, tgw: str, vpc: str, subnets: list[str], rtb: str) -> dict:
    return {"TransitGatewayAttachmentId": aid, "TransitGatewayId": tgw, "ResourceType": "vpc",
            "ResourceId": vpc, "State": "available", "SubnetIds": subnets,
            "Association": {"TransitGatewayRouteTableId": rtb, "State": "associated"}}


def egress_estate() -> dict:
    """Centralised egress: the spoke VPC-A (base, fn in AZ a and b) sends 0.0.0.0/0 to tgw-1; the
    egress VPC-E's attachment subnets route it to the NAT gateway of their AZ, whose public subnets
    route to igw-e and back to tgw-1 for the spoke (https://docs.aws.amazon.com/vpc/latest/tgw/transit-gateway-nat-igw.html)."""
    snap = base()
    snap["Vpcs"].append({"VpcId": "vpc-e", "CidrBlock": "10.9.0.0/16"})
    e_subnets = [("sn-e-tgw-a", "10.9.0.0/28", "us-east-1a"), ("sn-e-tgw-b", "10.9.0.16/28", "us-east-1b"),
                 ("sn-e-pub-a", "10.9.1.0/24", "us-east-1a"), ("sn-e-pub-b", "10.9.2.0/24", "us-east-1b"),
                 ("sn-e-svc", "10.9.5.0/24", "us-east-1a")]
    snap["Subnets"] += [{"SubnetId": s, "VpcId": "vpc-e", "CidrBlock": c, "AvailabilityZone": z}
                        for s, c, z in e_subnets]
    snap["Subnets"] += [
        {"SubnetId": "sn-tgw-a", "VpcId": "vpc-a", "CidrBlock": "10.0.9.0/28", "AvailabilityZone": "us-east-1a"},
        {"SubnetId": "sn-tgw-b", "VpcId": "vpc-a", "CidrBlock": "10.0.9.16/28", "AvailabilityZone": "us-east-1b"}]
    snap["InternetGateways"].append({"InternetGatewayId": "igw-e",
                                     "Attachments": [{"VpcId": "vpc-e", "State": "available"}]})
    snap["NatGateways"] += [
        {"NatGatewayId": f"nat-e{z}", "VpcId": "vpc-e", "SubnetId": f"sn-e-pub-{z}", "State": "available",
         "ConnectivityType": "public",
         "NatGatewayAddresses": [{"PublicIp": f"54.9.9.{i}", "PrivateIp": f"10.9.{i}.9"}]}
        for i, z in ((1, "a"), (2, "b"))]
    snap["RouteTables"] += [
        {"RouteTableId": "rt-e-tgw-a", "VpcId": "vpc-e", "Associations": [{"SubnetId": "sn-e-tgw-a"}],
         "Routes": [route("0.0.0.0/0", NatGatewayId="nat-ea")]},
        {"RouteTableId": "rt-e-tgw-b", "VpcId": "vpc-e", "Associations": [{"SubnetId": "sn-e-tgw-b"}],
         "Routes": [route("0.0.0.0/0", NatGatewayId="nat-eb")]},
        {"RouteTableId": "rt-e-pub", "VpcId": "vpc-e",
         "Associations": [{"SubnetId": "sn-e-pub-a"}, {"SubnetId": "sn-e-pub-b"}],
         "Routes": [route("0.0.0.0/0", GatewayId="igw-e"), route("10.0.0.0/8", TransitGatewayId="tgw-1")]},
        {"RouteTableId": "rt-e-main", "VpcId": "vpc-e", "Associations": [{"Main": True}],
         "Routes": [route("10.0.0.0/8", TransitGatewayId="tgw-1")]}]
    snap["NetworkAcls"].append(acl("acl-e", [], ALLOW_BOTH, default=True) | {"VpcId": "vpc-e"})
    snap["TransitGateways"] = [{"TransitGatewayId": "tgw-1", "State": "available"}]
    snap["TransitGatewayAttachments"] = [
        _attachment("tgw-attach-a", "tgw-1", "vpc-a", ["sn-tgw-a", "sn-tgw-b"], "tgw-rtb-spoke"),
        _attachment("tgw-attach-e", "tgw-1", "vpc-e", ["sn-e-tgw-a", "sn-e-tgw-b"], "tgw-rtb-egress")]
    snap["TransitGatewayRouteTables"] = [
        {"TransitGatewayRouteTableId": "tgw-rtb-spoke", "TransitGatewayId": "tgw-1", "State": "available",
         "Routes": [{"DestinationCidrBlock": "0.0.0.0/0", "State": "active", "Type": "static",
                     "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-e"}]}]},
        {"TransitGatewayRouteTableId": "tgw-rtb-egress", "TransitGatewayId": "tgw-1", "State": "available",
         "Propagations": [{"TransitGatewayAttachmentId": "tgw-attach-a", "State": "enabled"}]}]
    table(snap, "rt-priv")["Routes"] = [route("0.0.0.0/0", TransitGatewayId="tgw-1")]
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-priv", "sn-priv-b"]
    return snap


def _ids(answer, subnet: str) -> list[str]:
    return [h.component_id for h in next(p for p in answer.paths if p.subnet_id == subnet).hops]


def test_centralised_egress_reaches_the_internet_per_az():
    a = ask(egress_estate(), "internet:443")
    assert a.verdict == "reachable"  # 2.17: the NAT translates traffic that came through the TGW
    for subnet, nat in (("sn-priv", "nat-ea"), ("sn-priv-b", "nat-eb")):
        ids = _ids(a, subnet)
        assert nat in ids and "igw-e" in ids
        # Out through the spoke's attachment, the egress attachment subnet of the same AZ, its
        # table, the NAT; back by the NAT subnet's route to tgw-1 and the egress table (T4).
        order = ["tgw-attach-a", "tgw-rtb-spoke", "tgw-attach-e", f"rt-e-tgw-{nat[-1]}", nat, "rt-e-pub", "igw-e",
                 "tgw-attach-e", "tgw-rtb-egress", "tgw-attach-a"]
        positions = [ids.index(i, ids.index(order[k - 1]) + 1 if k else 0) for k, i in enumerate(order)]
        assert positions == sorted(positions)


def test_centralised_egress_reaches_dynamodb_through_the_nat():
    assert ask(egress_estate(), "dynamodb").verdict == "reachable"


def test_missing_return_route_in_the_nat_subnet_table():
    snap = egress_estate()
    table(snap, "rt-e-pub")["Routes"] = [route("0.0.0.0/0", GatewayId="igw-e")]
    a = ask(snap, "internet:443")
    assert a.verdict == "unreachable"
    assert blocker(a, "sn-priv") == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-e-pub")
    fix = next(p for p in a.paths if p.subnet_id == "sn-priv").blocked_by
    assert dict(fix.fix_params)["via"] == "tgw-1" and fix.fix == "route-back"


def test_nat_subnet_nacl_blocking_replies_from_the_internet():
    snap = egress_estate()
    snap["NetworkAcls"].append(acl("acl-e-pub", ["sn-e-pub-a", "sn-e-pub-b"],
                                   [entry(100, True, "allow", "0.0.0.0/0"), entry(100, False, "allow", "10.0.0.0/8")])
                               | {"VpcId": "vpc-e"})
    a = ask(snap, "internet:443")
    assert a.verdict == "unreachable"
    assert blocker(a, "sn-priv") == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-e-pub")
    hop = next(h for h in a.paths[0].hops if h.component_id == "acl-e-pub" and h.decision == "deny")
    assert hop.direction == "reply"


def test_nat_subnet_nacl_must_let_the_reply_out_to_the_function_5_9():
    # The NAT's subnet sends the translated reply to the function's address: its outbound rules
    # match that address (5.9, T5), here denied while the internet is allowed.
    snap = base()
    snap["NetworkAcls"].append(acl("acl-pub", ["sn-pub"], [entry(50, True, "deny", "10.0.1.0/24")] + [
        entry(100, True, "allow", "0.0.0.0/0"), entry(100, False, "allow", "0.0.0.0/0")]))
    a = ask(snap, "internet:443")
    assert blocker(a) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-pub")


def test_centralised_interface_endpoint_through_the_tgw():
    snap = egress_estate()
    snap["SecurityGroups"].append({"GroupId": "sg-vpce", "VpcId": "vpc-e", "IpPermissionsEgress": ALLOW_ALL,
                                   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                                                      "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}]})
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-vpce", "InterfaceType": "vpc_endpoint",
                                      "SubnetId": "sn-e-svc", "VpcId": "vpc-e", "AvailabilityZone": "us-east-1a",
                                      "PrivateIpAddress": "10.9.5.10", "Groups": [{"GroupId": "sg-vpce"}]})
    a = ask(snap, "10.9.5.10:443")
    assert a.verdict == "reachable"
    ids = _ids(a, "sn-priv")
    assert ids.index("rt-e-tgw-a") < ids.index("sg-vpce")  # the attachment subnet's table: local (T3)
    assert ask(snap, "10.9.5.10:80").verdict == "unreachable"


def test_gateway_load_balancer_endpoint_is_a_named_unknown():
    snap = egress_estate()
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-gwlb", "VpcId": "vpc-e", "State": "available",
                             "VpcEndpointType": "GatewayLoadBalancer",
                             "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-1"}]
    table(snap, "rt-e-tgw-a")["Routes"] = [route("0.0.0.0/0", GatewayId="vpce-gwlb")]
    a = ask(snap, "internet:443")
    assert blocker(a, "sn-priv") == ("unknown", "PATH_THROUGH_GWLB_NOT_CHECKED", "vpce-gwlb")
    assert blocker(a, "sn-priv-b")[0] == "reachable"  # AZ b's attachment subnet goes to its NAT
    assert a.verdict == "unknown"


def test_gateway_endpoint_does_not_serve_traffic_from_a_tgw_6_11():
    snap = egress_estate()
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-ddb", "VpcId": "vpc-e", "State": "available",
                             "VpcEndpointType": "Gateway", "ServiceName": "com.amazonaws.us-east-1.dynamodb",
                             "RouteTableIds": ["rt-e-tgw-a", "rt-e-tgw-b"]}]
    for rt in ("rt-e-tgw-a", "rt-e-tgw-b"):
        table(snap, rt)["Routes"].append(route("pl-ddb", GatewayId="vpce-ddb"))
    a = ask(snap, "dynamodb")
    assert blocker(a, "sn-priv") == ("unreachable", "VPCE_GATEWAY_EGRESS_SOURCE_ADDRESS_RESTRICTION", "vpce-ddb")


def test_internet_gateway_straight_from_the_attachment_subnet_drops_private_sources():
    snap = egress_estate()
    table(snap, "rt-e-tgw-a")["Routes"] = [route("0.0.0.0/0", GatewayId="igw-e")]
    a = ask(snap, "internet:443")
    assert blocker(a, "sn-priv") == ("unreachable", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "igw-e")
    assert blocker(a, "sn-priv-b")[0] == "reachable"


def test_a_routing_loop_through_the_tgw_is_unknown():
    snap = egress_estate()
    table(snap, "rt-e-tgw-a")["Routes"] = [route("0.0.0.0/0", TransitGatewayId="tgw-1")]
    by_id(snap["TransitGatewayRouteTables"], "TransitGatewayRouteTableId", "tgw-rtb-egress")["Routes"] = [
        {"DestinationCidrBlock": "0.0.0.0/0", "State": "active", "Type": "static",
         "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-e"}]}]
    a = ask(snap, "internet:443")
    assert blocker(a, "sn-priv") == ("unknown", "UNSUPPORTED_COMPONENT", "tgw-1")


def test_exit_subnet_in_another_az_is_decided_only_when_they_agree():
    snap = egress_estate()
    snap["Subnets"] += [{"SubnetId": f"sn-e-tgw-{z}", "VpcId": "vpc-e", "CidrBlock": f"10.9.0.{n}/28",
                         "AvailabilityZone": f"us-east-1{z}"} for z, n in (("c", 32), ("d", 48))]
    by_id(snap["TransitGatewayAttachments"], "TransitGatewayAttachmentId", "tgw-attach-e")["SubnetIds"] = [
        "sn-e-tgw-c", "sn-e-tgw-d"]
    # The NAT sits in AZ c, where its replies can enter the TGW (6.8).
    snap["Subnets"].append({"SubnetId": "sn-e-pub-c", "VpcId": "vpc-e", "CidrBlock": "10.9.3.0/24",
                            "AvailabilityZone": "us-east-1c"})
    table(snap, "rt-e-pub")["Associations"].append({"SubnetId": "sn-e-pub-c"})
    snap["NatGateways"].append({"NatGatewayId": "nat-ec", "VpcId": "vpc-e", "SubnetId": "sn-e-pub-c",
                                "State": "available", "ConnectivityType": "public",
                                "NatGatewayAddresses": [{"PublicIp": "54.9.9.3", "PrivateIp": "10.9.3.9"}]})
    snap["RouteTables"].append({"RouteTableId": "rt-e-tgw-cd", "VpcId": "vpc-e",
                                "Associations": [{"SubnetId": "sn-e-tgw-c"}, {"SubnetId": "sn-e-tgw-d"}],
                                "Routes": [route("0.0.0.0/0", NatGatewayId="nat-ec")]})
    assert ask(snap, "internet:443").verdict == "reachable"  # both candidates behave alike
    snap["NetworkAcls"].append(acl("acl-e-d", ["sn-e-tgw-d"], ALLOW_BOTH) | {"VpcId": "vpc-e"})
    a = ask(snap, "internet:443")
    assert blocker(a, "sn-priv") == ("unknown", "TGW_EXIT_SUBNET_DEPENDS", "tgw-attach-e")


def two_tgw_estate(reply_route: bool = True) -> dict:
    """Asymmetric paths (Batfish test-transit-gateway-asymmetric-paths): VPC-A sends 10.2.0.0/16 to
    tgw-1, VPC-C sends the replies for 10.0.0.0/16 to tgw-2; each TGW joins both VPCs."""
    from .test_transit_gateway import tgw_estate
    snap = tgw_estate()
    snap["TransitGateways"].append({"TransitGatewayId": "tgw-2", "State": "available"})
    snap["TransitGatewayAttachments"] += [
        _attachment("tgw2-attach-a", "tgw-2", "vpc-a", ["sn-tgw-a", "sn-tgw-b"], "tgw2-rtb"),
        _attachment("tgw2-attach-c", "tgw-2", "vpc-c", ["sn-c"], "tgw2-rtb")]
    snap["TransitGatewayRouteTables"].append({
        "TransitGatewayRouteTableId": "tgw2-rtb", "TransitGatewayId": "tgw-2", "State": "available",
        "Propagations": [{"TransitGatewayAttachmentId": a, "State": "enabled"}
                         for a in (("tgw2-attach-a", "tgw2-attach-c") if reply_route else ("tgw2-attach-c",))]})
    table(snap, "rt-c")["Routes"] = [route("10.0.0.0/16", TransitGatewayId="tgw-2")]
    return snap


def test_reply_through_another_tgw_is_judged_by_its_own_tables():
    a = ask(two_tgw_estate(), "rds:db-c")
    assert a.verdict == "reachable"
    replies = [h.component_id for h in a.paths[0].hops if h.direction == "reply"]
    assert "tgw2-rtb" in replies and "tgw-rtb-1" not in replies


def test_reply_tgw_without_a_route_back_blocks_there():
    a = ask(two_tgw_estate(reply_route=False), "rds:db-c")
    assert blocker(a, "sn-priv") == ("unreachable", "TGW_RTB_CANNOT_ROUTE", "tgw2-rtb")


def peering_estate(peer_side: bool = True) -> dict:
    """VPC-A on tgw-1, VPC-C on tgw-2 (another Region), joined by a TGW peering attachment that
    each side lists with its own association and static routes (test-transit-gateway-peering)."""
    from .test_transit_gateway import tgw_estate
    snap = tgw_estate()
    snap["TransitGateways"].append({"TransitGatewayId": "tgw-2", "State": "available"})
    c = by_id(snap["TransitGatewayAttachments"], "TransitGatewayAttachmentId", "tgw-attach-c")
    c.update(TransitGatewayId="tgw-2", Association={"TransitGatewayRouteTableId": "tgw-rtb-2",
                                                    "State": "associated"})
    peering = {"TransitGatewayAttachmentId": "tgw-attach-p", "ResourceType": "peering", "State": "available"}
    snap["TransitGatewayAttachments"].append(peering | {
        "TransitGatewayId": "tgw-1", "ResourceId": "tgw-2",
        "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}})
    if peer_side:
        snap["TransitGatewayAttachments"].append(peering | {
            "TransitGatewayId": "tgw-2", "ResourceId": "tgw-1",
            "Association": {"TransitGatewayRouteTableId": "tgw-rtb-2", "State": "associated"}})
    static = [{"DestinationCidrBlock": "10.2.0.0/16", "State": "active", "Type": "static",
               "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-p"}]}]
    rtb1 = by_id(snap["TransitGatewayRouteTables"], "TransitGatewayRouteTableId", "tgw-rtb-1")
    rtb1.update(Routes=static, Propagations=[{"TransitGatewayAttachmentId": "tgw-attach-a", "State": "enabled"}])
    snap["TransitGatewayRouteTables"].append({
        "TransitGatewayRouteTableId": "tgw-rtb-2", "TransitGatewayId": "tgw-2", "State": "available",
        "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "State": "active", "Type": "static",
                    "TransitGatewayAttachments": [{"TransitGatewayAttachmentId": "tgw-attach-p"}]}],
        "Propagations": [{"TransitGatewayAttachmentId": "tgw-attach-c", "State": "enabled"}]})
    table(snap, "rt-c")["Routes"] = [route("10.0.0.0/16", TransitGatewayId="tgw-2")]
    return snap


def test_tgw_peering_routes_by_each_sides_table():
    a = ask(peering_estate(), "rds:db-c")
    assert a.verdict == "reachable"
    ids = _ids(a, "sn-priv")
    assert ids.index("tgw-rtb-1") < ids.index("tgw-attach-p") < ids.index("tgw-rtb-2")


def test_tgw_peering_without_the_peer_side_is_unknown_naming_it():
    a = ask(peering_estate(peer_side=False), "rds:db-c")
    assert blocker(a, "sn-priv") == ("unknown", "UNKNOWN_RESOURCE", "tgw-attach-p")
    assert "the tgw-2 side of tgw-attach-p" in a.missing


def test_ingress_fix_across_a_tgw_names_the_functions_subnet_not_a_nat():
    # Without referencing support the group is not seen across the TGW, but the address is (4.9):
    # the fix admits the function's subnet CIDR.
    from .test_transit_gateway import tgw_estate
    from .estate import sg
    snap = tgw_estate()
    sg(snap, "sg-c")["IpPermissions"] = []
    a = ask(snap, "rds:db-c")
    b = next(p for p in a.paths if p.subnet_id == "sn-priv").blocked_by
    assert (b.code, b.component_id, b.fix) == ("SG_HAS_NO_RULES", "sg-c", "allow-sg-ingress")
    assert dict(b.fix_params)["peer"] == "10.0.1.0/24"


def test_an_attachment_subnet_the_snapshot_lacks_may_be_the_one_of_the_az():
    # 6.8, §0: with no known attachment subnet in the function's AZ and one missing, the missing
    # one may be it, on the way in and on the way out alike.
    snap = egress_estate()
    by_id(snap["TransitGatewayAttachments"], "TransitGatewayAttachmentId", "tgw-attach-a")["SubnetIds"] = [
        "sn-tgw-a", "subnet-not-collected"]
    a = ask(snap, "internet:443")
    assert blocker(a, "sn-priv")[0] == "reachable"
    assert blocker(a, "sn-priv-b") == ("unknown", "UNKNOWN_RESOURCE", "tgw-attach-a")
    assert "subnet-not-collected (subnets of tgw-attach-a)" in a.missing
    snap = egress_estate()
    by_id(snap["TransitGatewayAttachments"], "TransitGatewayAttachmentId", "tgw-attach-e")["SubnetIds"] = [
        "sn-e-tgw-a", "subnet-not-collected"]
    a = ask(snap, "internet:443")
    assert blocker(a, "sn-priv")[0] == "reachable"
    assert blocker(a, "sn-priv-b") == ("unknown", "UNKNOWN_RESOURCE", "tgw-attach-e")
