"""Scenarios for peering (§6) and RDS resolution across it (§7)."""
from __future__ import annotations

from .estate import ALLOW_ALL, ask, base, blocker, function, route, sg, table


def peered(region_b: str = "us-east-1", status: str = "active", back: bool = True) -> dict:
    """VPC-A (base) peered with VPC-B 10.1.0.0/16, which holds db-b; F in A (TC22 layout)."""
    snap = base()
    snap["Vpcs"].append({"VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16"})
    snap["Subnets"].append({"SubnetId": "sn-b", "VpcId": "vpc-b", "CidrBlock": "10.1.1.0/24",
                            "AvailabilityZone": "us-east-1a"})
    snap["VpcPeeringConnections"] = [{
        "VpcPeeringConnectionId": "pcx-ab", "Status": {"Code": status},
        "RequesterVpcInfo": {"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "Region": "us-east-1"},
        "AccepterVpcInfo": {"VpcId": "vpc-b", "CidrBlock": "10.1.0.0/16", "Region": region_b}}]
    table(snap, "rt-priv")["Routes"].append(route("10.1.0.0/16", VpcPeeringConnectionId="pcx-ab"))
    snap["RouteTables"].append({"RouteTableId": "rt-b", "VpcId": "vpc-b", "Associations": [{"Main": True}],
                                "Routes": [route("10.0.0.0/16", VpcPeeringConnectionId="pcx-ab")] if back
                                else []})
    snap["NetworkAcls"].append({"NetworkAclId": "acl-b", "VpcId": "vpc-b", "IsDefault": True, "Entries": [
        {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": e, "CidrBlock": "0.0.0.0/0"}
        for e in (True, False)]})
    snap["SecurityGroups"].append({"GroupId": "sg-b", "VpcId": "vpc-b", "IpPermissionsEgress": ALLOW_ALL,
                                   "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                                      "UserIdGroupPairs": [{"GroupId": "sg-fn",
                                                                            "VpcPeeringConnectionId": "pcx-ab"}]}]})
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-b", "SubnetId": "sn-b", "VpcId": "vpc-b",
                                      "AvailabilityZone": "us-east-1a", "PrivateIpAddress": "10.1.1.10",
                                      "Description": "RDSNetworkInterface", "Groups": [{"GroupId": "sg-b"}]})
    snap["DBInstances"].append({"DBInstanceIdentifier": "db-b", "Engine": "postgres", "AvailabilityZone":
                                "us-east-1a", "Endpoint": {"Port": 5432},
                                "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-b"}],
                                "DBSubnetGroup": {"VpcId": "vpc-b", "Subnets": [{"SubnetIdentifier": "sn-b"}]}})
    return snap


def test_peering_with_routes_both_ways_and_group_reference():
    assert ask(peered(), "rds:db-b").verdict == "reachable"  # 6.1, 4.8


def test_tc22_no_return_route():
    assert blocker(ask(peered(back=False), "rds:db-b")) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-b")


def test_inactive_peering():
    assert blocker(ask(peered(status="pending-acceptance"), "rds:db-b")) == \
        ("unreachable", "BAD_STATE", "pcx-ab")


def test_tc23_inter_region_peering_drops_group_references():
    snap = peered(region_b="us-west-2")
    assert blocker(ask(snap, "rds:db-b")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-b")  # 6.7
    sg(snap, "sg-b")["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                         "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}]
    assert ask(snap, "rds:db-b").verdict == "reachable"


def test_tc24_peering_is_not_transitive():
    snap = peered()
    table(snap, "rt-priv")["Routes"].append(route("10.2.0.0/16", VpcPeeringConnectionId="pcx-ab"))
    assert blocker(ask(snap, "10.2.0.5:5432")) == \
        ("unreachable", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "pcx-ab")  # 6.2, 6.5


def test_tc25_tc26_no_edge_to_edge_through_the_peer():
    snap = peered()
    table(snap, "rt-priv")["Routes"] = [route("10.1.0.0/16", VpcPeeringConnectionId="pcx-ab"),
                                        route("0.0.0.0/0", VpcPeeringConnectionId="pcx-ab")]
    for target in ("internet", "dynamodb"):
        assert blocker(ask(snap, target)) == ("unreachable", "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR", "pcx-ab")


def test_tc29_public_rds_in_peer_resolves_public_and_loses_the_group():
    snap = peered()
    db = snap["DBInstances"][-1]
    db["PubliclyAccessible"] = True
    snap["NetworkInterfaces"][-1]["Association"] = {"PublicIp": "3.4.5.6"}
    snap["InternetGateways"].append({"InternetGatewayId": "igw-b",
                                     "Attachments": [{"VpcId": "vpc-b", "State": "available"}]})
    table(snap, "rt-b")["Routes"].append(route("0.0.0.0/0", GatewayId="igw-b"))
    a = ask(snap, "rds:db-b")
    assert blocker(a) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-b")  # 7.6, 4.7
    assert any(h.component_id == "nat-1" for h in a.paths[0].hops)
    snap["VpcPeeringConnections"][0]["AccepterVpcInfo"]["PeeringOptions"] = {
        "AllowDnsResolutionFromRemoteVpc": True}
    assert ask(snap, "rds:db-b").verdict == "reachable"  # 6.6


def test_rds_cluster_by_identifier_reaches_the_writer():
    snap = peered()
    snap["DBClusters"] = [{"DBClusterIdentifier": "cl", "Port": 5432, "Engine": "aurora-postgresql",
                           "DBClusterMembers": [{"DBInstanceIdentifier": "db-b", "IsClusterWriter": True}],
                           "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-b"}]}]
    snap["DBInstances"][-1]["DBClusterIdentifier"] = "cl"
    a = ask(snap, "rds:cl")
    assert a.verdict == "reachable" and a.target["port"] == 5432


def test_rds_without_its_eni_uses_the_subnet_of_its_group():
    snap = base()
    snap["NetworkInterfaces"] = []
    assert ask(snap, "rds:db-1").verdict == "reachable"  # 7.1
    sg(snap, "sg-db")["IpPermissions"] = []
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "SG_HAS_NO_RULES", "sg-db")  # 4.2


def test_function_subnet_missing_is_unknown():
    snap = base()
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-gone"]
    a = ask(snap, "internet")
    assert blocker(a) == ("unknown", "UNKNOWN_RESOURCE", "sn-gone") and a.missing == ["sn-gone"]


def test_no_route_to_a_peered_vpc_is_fixed_through_the_peering_that_joins_it():
    snap = peered()
    snap["Vpcs"].append({"VpcId": "vpc-c", "CidrBlock": "10.2.0.0/16"})
    # Listed first, active, and of the function's VPC too: but it leads to vpc-c, not to db-b's vpc-b.
    snap["VpcPeeringConnections"].insert(0, {
        "VpcPeeringConnectionId": "pcx-ac", "Status": {"Code": "active"},
        "RequesterVpcInfo": {"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "Region": "us-east-1"},
        "AccepterVpcInfo": {"VpcId": "vpc-c", "CidrBlock": "10.2.0.0/16", "Region": "us-east-1"}})
    table(snap, "rt-priv")["Routes"] = []  # neither the default route nor the one to vpc-b
    a = ask(snap, "rds:db-b")
    assert blocker(a) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")  # 2.5
    b = a.paths[0].blocked_by
    # A route through pcx-ac would only meet 6.5 (a peering carries only its peer's CIDRs).
    assert b.fix == "route-back" and dict(b.fix_params)["via"] == "pcx-ab"
    snap["VpcPeeringConnections"].pop()  # no peering joins vpc-b now: no route to name
    a = ask(snap, "rds:db-b")
    assert a.paths[0].blocked_by.code == "NO_ROUTE_TO_DESTINATION" and a.paths[0].blocked_by.fix is None
