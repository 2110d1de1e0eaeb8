"""Scenarios for transit gateways (6.8-6.10) and group references across them (4.9)."""
from __future__ import annotations

from .estate import ALLOW_ALL, ask, base, blocker, function, route, sg, table


def tgw_estate(azs=("us-east-1a", "us-east-1b"), referencing: bool = False) -> dict:
    """VPC-A (base) and VPC-C 10.2.0.0/16 attached to tgw-1, with propagation both ways (TC27)."""
    snap = base()
    snap["Vpcs"].append({"VpcId": "vpc-c", "CidrBlock": "10.2.0.0/16"})
    snap["Subnets"] += [
        {"SubnetId": "sn-c", "VpcId": "vpc-c", "CidrBlock": "10.2.1.0/24", "AvailabilityZone": "us-east-1a"},
        {"SubnetId": "sn-tgw-a", "VpcId": "vpc-a", "CidrBlock": "10.0.9.0/28", "AvailabilityZone": "us-east-1a"},
        {"SubnetId": "sn-tgw-b", "VpcId": "vpc-a", "CidrBlock": "10.0.9.16/28",
         "AvailabilityZone": "us-east-1b"}]
    opt = {"SecurityGroupReferencingSupport": "enable" if referencing else "disable"}
    snap["TransitGateways"] = [{"TransitGatewayId": "tgw-1", "State": "available", "Options": opt}]
    subnets = {"us-east-1a": "sn-tgw-a", "us-east-1b": "sn-tgw-b"}
    snap["TransitGatewayAttachments"] = [
        {"TransitGatewayAttachmentId": "tgw-attach-a", "TransitGatewayId": "tgw-1", "ResourceType": "vpc",
         "ResourceId": "vpc-a", "State": "available", "SubnetIds": [subnets[z] for z in azs],
         "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}, "Options": opt},
        {"TransitGatewayAttachmentId": "tgw-attach-c", "TransitGatewayId": "tgw-1", "ResourceType": "vpc",
         "ResourceId": "vpc-c", "State": "available", "SubnetIds": ["sn-c"],
         "Association": {"TransitGatewayRouteTableId": "tgw-rtb-1", "State": "associated"}, "Options": opt}]
    snap["TransitGatewayRouteTables"] = [{
        "TransitGatewayRouteTableId": "tgw-rtb-1", "TransitGatewayId": "tgw-1", "State": "available",
        "Propagations": [{"TransitGatewayAttachmentId": a, "State": "enabled"}
                         for a in ("tgw-attach-a", "tgw-attach-c")]}]
    table(snap, "rt-priv")["Routes"].append(route("10.2.0.0/16", TransitGatewayId="tgw-1"))
    snap["RouteTables"].append({"RouteTableId": "rt-c", "VpcId": "vpc-c", "Associations": [{"Main": True}],
                                "Routes": [route("10.0.0.0/16", TransitGatewayId="tgw-1")]})
    snap["NetworkAcls"].append({"NetworkAclId": "acl-c", "VpcId": "vpc-c", "IsDefault": True, "Entries": [
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": e, "CidrBlock": "0.0.0.0/0"}
        for e in (True, False)]})
    snap["SecurityGroups"].append({"GroupId": "sg-c", "VpcId": "vpc-c", "IpPermissionsEgress": ALLOW_ALL,
                                   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                                      "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}]})
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-c", "SubnetId": "sn-c", "VpcId": "vpc-c",
                                      "AvailabilityZone": "us-east-1a", "PrivateIpAddress": "10.2.1.10",
                                      "Description": "RDSNetworkInterface", "Groups": [{"GroupId": "sg-c"}]})
    snap["DBInstances"].append({"DBInstanceIdentifier": "db-c", "Engine": "postgres",
                                "AvailabilityZone": "us-east-1a", "Endpoint": {"Port": 5432},
                                "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-c"}],
                                "DBSubnetGroup": {"VpcId": "vpc-c", "Subnets": [{"SubnetIdentifier": "sn-c"}]}})
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-priv", "sn-priv-b"]
    return snap


def test_transit_gateway_with_propagated_routes_both_ways():
    a = ask(tgw_estate(), "rds:db-c")
    assert a.verdict == "reachable"  # 6.9
    assert any(h.kind == "transit-gateway-route-table" for h in a.paths[0].hops)


def test_tc27_attachment_without_a_subnet_in_the_functions_az():
    a = ask(tgw_estate(azs=("us-east-1a",)), "rds:db-c")
    assert a.verdict == "partial"  # 6.8, 0.1
    assert blocker(a, "sn-priv")[0] == "reachable"
    assert blocker(a, "sn-priv-b") == ("unreachable", "TGW_ROUTE_AZ_RESTRICTION", "tgw-attach-a")


def test_tc28_group_references_need_referencing_support():
    snap = tgw_estate()
    sg(snap, "sg-c")["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                         "UserIdGroupPairs": [{"GroupId": "sg-fn"}]}]
    assert blocker(ask(snap, "rds:db-c"))[1:] == ("ENI_SG_RULES_MISMATCH", "sg-c")  # 4.9
    snap = tgw_estate(referencing=True)
    sg(snap, "sg-c")["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                         "UserIdGroupPairs": [{"GroupId": "sg-fn"}]}]
    assert ask(snap, "rds:db-c").verdict == "reachable"


def test_tgw_static_blackhole_beats_propagated_route():
    snap = tgw_estate()
    snap["TransitGatewayRouteTables"][0]["Routes"] = [
        {"DestinationCidrBlock": "10.2.1.0/24", "State": "blackhole", "Type": "static"}]
    assert blocker(ask(snap, "rds:db-c"))[1:] == ("TGW_RTB_BAD_STATE_ROUTE", "tgw-rtb-1")


def test_tgw_without_a_route_to_the_destination():
    snap = tgw_estate()
    snap["TransitGatewayRouteTables"][0]["Propagations"] = [
        {"TransitGatewayAttachmentId": "tgw-attach-a", "State": "enabled"}]
    assert blocker(ask(snap, "rds:db-c"))[1:] == ("TGW_RTB_CANNOT_ROUTE", "tgw-rtb-1")


def test_tgw_attachment_with_no_route_table_association():
    snap = tgw_estate()
    del snap["TransitGatewayAttachments"][0]["Association"]
    assert blocker(ask(snap, "rds:db-c"))[1:] == ("TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION", "tgw-attach-a")


def test_tgw_destination_vpc_without_the_route_back():
    snap = tgw_estate()
    table(snap, "rt-c")["Routes"] = []
    assert blocker(ask(snap, "rds:db-c"))[1:] == ("NO_ROUTE_TO_DESTINATION", "rt-c")  # 0.3


def test_tgw_attachment_subnet_nacl_sees_traffic_entering_the_tgw():
    from .estate import acl, entry
    snap = tgw_estate()
    snap["NetworkAcls"].append(acl("acl-tgw", ["sn-tgw-a", "sn-tgw-b"], [
        entry(100, True, "allow", "0.0.0.0/0"), entry(100, False, "allow", "10.0.2.0/24")]))
    a = ask(snap, "rds:db-c")
    assert a.verdict == "partial"  # tgw-nacls: inbound rules see traffic into the TGW
    assert blocker(a, "sn-priv") == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-tgw")


def test_tgw_attachment_unknown_subnets_is_unknown():
    snap = tgw_estate()
    snap["TransitGatewayAttachments"][0]["SubnetIds"] = []
    assert blocker(ask(snap, "rds:db-c"))[:2] == ("unknown", "UNKNOWN_RESOURCE")


def test_tgw_corpus_snapshot_answers_without_error():
    from reach import can_reach, load_snapshot
    from ..conftest import CORPUS
    for name in ("test-transit-gateway", "test-transit-gateway-multi-table", "pybatfish-hybrid-cloud"):
        snap = load_snapshot(CORPUS / name)
        subnet = next(iter(snap.index["Subnets"].values()))
        # A VpcConfig has subnets and security groups, or neither (Lambda refuses one alone).
        group = next(g.group_id for g in snap.items("SecurityGroups") if g.vpc_id == subnet.vpc_id)
        for eni in snap.items("NetworkInterfaces"):
            if eni.interface_type == "interface" and eni.private_ip_address:
                a = can_reach(snap, None, f"{eni.private_ip_address}:22",
                              subnets=[subnet.subnet_id], security_groups=[group])
                assert a.verdict.value in ("reachable", "unreachable", "partial", "unknown")
