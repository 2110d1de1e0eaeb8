"""Scenarios for Lambda networking (§1) and gateways and NAT (§2): verdict, blocker, code."""
from __future__ import annotations

from .estate import ALLOW_ALL, acl, ask, base, blocker, entry, function, route, sg, table


def test_tc04_private_subnet_through_nat_reaches_internet_and_dynamodb():
    snap = base()
    assert ask(snap, "internet").verdict == "reachable"  # 1.22, 2.15
    assert ask(snap, "dynamodb").verdict == "reachable"
    assert ask(snap, "s3").verdict == "reachable"


def test_tc01_outside_vpc_reaches_services_not_private_rds():
    snap = base()
    snap["Functions"].append({"FunctionName": "out"})
    for target in ("internet", "dynamodb", "s3", "internet:8080"):
        assert ask(snap, target, "out").verdict == "reachable"  # 1.1
    a = ask(snap, "rds:db-1", "out")
    assert blocker(a) == ("unreachable", "DISCONNECTED_VPCS", "vpc-a")
    assert a.paths[0].subnet_id is None and len(a.paths) == 1


def test_tc01_empty_vpc_config_is_outside_any_vpc():
    snap = base()
    snap["Functions"].append({"FunctionName": "out", "VpcConfig": {"SubnetIds": [],
                                                                   "SecurityGroupIds": [], "VpcId": ""}})
    assert ask(snap, "internet", "out").verdict == "reachable"


def _public_db(snap, rule):
    db = snap["DBInstances"][0]
    db["PubliclyAccessible"] = True
    db["DBSubnetGroup"]["Subnets"][0]["SubnetIdentifier"] = "sn-pub"
    db["AvailabilityZone"] = "us-east-1a"
    eni = snap["NetworkInterfaces"][0]
    eni.update(SubnetId="sn-pub", AvailabilityZone="us-east-1a", PrivateIpAddress="10.0.0.20",
               Association={"PublicIp": "3.3.3.3"})
    sg(snap, "sg-db")["IpPermissions"] = [rule]
    snap["Functions"].append({"FunctionName": "out"})
    return snap


def test_tc02_public_rds_from_outside_vpc_judged_by_its_security_groups():
    only_app = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "UserIdGroupPairs": [{"GroupId": "sg-fn"}]}
    a = ask(_public_db(base(), only_app), "rds:db-1", "out")
    assert blocker(a) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")  # 1.1, 4.6, 7.2
    b = a.paths[0].blocked_by
    assert dict(b.params)["groups"] == "sg-db" and dict(b.params)["direction"] == "ingress"
    # Its public address is not known (TC02): no rule can name it, a VPC of its own can.
    assert b.fix == "put-in-vpc" and dict(b.fix_params) == {"dest": "db-1"}
    anywhere = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    assert ask(_public_db(base(), anywhere), "rds:db-1", "out").verdict == "reachable"


def test_tc02_public_rds_from_outside_vpc_judged_by_its_subnets_nacl():
    anywhere = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}
    snap = _public_db(base(), anywhere)
    snap["NetworkAcls"].append(acl("acl-pub", ["sn-pub"], [entry(100, False, "deny", "0.0.0.0/0", "6", (5432, 5432)),
                                                            entry(110, False, "allow", "0.0.0.0/0"),
                                                            entry(100, True, "allow", "0.0.0.0/0")]))
    a = ask(snap, "rds:db-1", "out")
    assert blocker(a) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-pub")  # 1.1, 5.1, 7.2
    params = dict(a.paths[0].blocked_by.params)
    assert params["acl_rule"].startswith("rule 100:") and params["direction"] == "inbound"
    assert a.paths[0].blocked_by.fix == "put-in-vpc"


def test_tc38_public_rds_in_own_vpc_resolves_private():
    only_fn = {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
               "UserIdGroupPairs": [{"GroupId": "sg-fn"}]}
    snap = _public_db(base(), only_fn)
    a = ask(snap, "rds:db-1")
    assert a.verdict == "reachable"  # 7.2: the private IP inside the VPC, over local
    assert not any(h.kind == "nat-gateway" for h in a.paths[0].hops)


def test_tc03_public_subnet_gives_no_internet():
    snap = base()
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-pub"]
    for target in ("internet", "dynamodb"):
        a = ask(snap, target)
        assert blocker(a) == ("unreachable", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "igw-1")
        assert a.paths[0].blocked_by.fix == "move-to-subnet"  # to a subnet that routes to the NAT
    assert ask(snap, "rds:db-1").verdict == "reachable"


def test_tc05_nat_subnet_without_igw_route():
    snap = base()
    table(snap, "rt-pub")["Routes"] = []
    a = ask(snap, "internet")
    assert blocker(a) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-pub")  # 2.15
    assert blocker(ask(snap, "dynamodb"))[1:] == ("NO_ROUTE_TO_DESTINATION", "rt-pub")


def test_tc06_private_nat_gateway_never_reaches_internet():
    snap = base()
    snap["NatGateways"][0]["ConnectivityType"] = "private"
    assert blocker(ask(snap, "internet")) == ("unreachable", "NGW_PRIVATE_CONNECTIVITY", "nat-1")  # 2.16


def test_nat_gateway_not_available():
    snap = base()
    snap["NatGateways"][0]["State"] = "Failed"
    assert blocker(ask(snap, "internet")) == ("unreachable", "BAD_STATE", "nat-1")


def test_tc07_blackhole_route_drops():
    snap = base()
    table(snap, "rt-priv")["Routes"] = [route("0.0.0.0/0", NatGatewayId="nat-9") | {"State": "blackhole"}]
    assert blocker(ask(snap, "internet")) == ("unreachable", "BAD_STATE_ROUTE", "rt-priv")  # 2.8


def test_tc08_explicit_association_beats_main():
    snap = base()
    table(snap, "rt-main")["Routes"].append(route("0.0.0.0/0", NatGatewayId="nat-1"))
    snap["RouteTables"].append({"RouteTableId": "rt-c", "VpcId": "vpc-a",
                                "Associations": [{"SubnetId": "sn-priv"}], "Routes": []})
    table(snap, "rt-priv")["Associations"] = [{"SubnetId": "sn-priv-b"}]
    assert blocker(ask(snap, "internet")) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-c")  # 2.1


def test_main_table_serves_subnets_without_explicit_association():
    snap = base()
    table(snap, "rt-priv")["Associations"] = []
    table(snap, "rt-main")["Routes"].append(route("0.0.0.0/0", NatGatewayId="nat-1"))
    a = ask(snap, "internet")
    assert a.verdict == "reachable" and a.paths[0].hops[1].component_id == "rt-main"  # 2.1


def test_missing_nat_is_unknown_and_named():
    snap = base()
    table(snap, "rt-priv")["Routes"] = [route("0.0.0.0/0", NatGatewayId="nat-gone")]
    a = ask(snap, "internet")
    assert blocker(a) == ("unknown", "UNKNOWN_RESOURCE", "nat-gone")
    assert a.missing == ["nat-gone"]


def test_igw_detached_from_nat_vpc():
    snap = base()
    snap["InternetGateways"][0]["Attachments"] = []
    assert blocker(ask(snap, "internet")) == ("unreachable", "BAD_STATE_ATTACHMENT", "igw-1")


def test_tc18_one_subnet_with_nat_one_without_is_partial():
    snap = base()
    snap["RouteTables"].append({"RouteTableId": "rt-b", "VpcId": "vpc-a",
                                "Associations": [{"SubnetId": "sn-priv-b"}], "Routes": []})
    table(snap, "rt-priv")["Associations"] = [{"SubnetId": "sn-priv"}]
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-priv", "sn-priv-b"]
    a = ask(snap, "internet")
    assert a.verdict == "partial"  # 0.1, 1.27
    assert blocker(a, "sn-priv")[0] == "reachable"
    assert blocker(a, "sn-priv-b") == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-b")
    assert a.paths[1].blocked_by.fix == "route-to-nat"


def test_nat_instance_needs_source_dest_check_off_and_public_ip():
    snap = base()
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-nat", "InterfaceType": "interface",
                                      "SubnetId": "sn-pub", "PrivateIpAddress": "10.0.0.50",
                                      "Groups": [{"GroupId": "sg-other"}], "SourceDestCheck": True,
                                      "Association": {"PublicIp": "18.1.1.1"},
                                      "Attachment": {"InstanceId": "i-nat"}})
    sg(snap, "sg-other")["IpPermissions"] = ALLOW_ALL
    table(snap, "rt-priv")["Routes"] = [route("0.0.0.0/0", InstanceId="i-nat")]
    assert blocker(ask(snap, "internet")) == ("unreachable", "ENI_SOURCE_DEST_CHECK_RESTRICTION", "eni-nat")
    snap["NetworkInterfaces"][-1]["SourceDestCheck"] = False
    assert ask(snap, "internet").verdict == "reachable"
    del snap["NetworkInterfaces"][-1]["Association"]
    assert blocker(ask(snap, "internet")) == ("unreachable", "ENI_PUBLIC_IP_REQUIRED", "eni-nat")


def test_tc13_no_egress_rules_blocks_everything():
    snap = base()
    sg(snap, "sg-fn")["IpPermissionsEgress"] = []
    for target in ("internet", "dynamodb", "rds:db-1"):
        assert blocker(ask(snap, target)) == ("unreachable", "SG_HAS_NO_RULES", "sg-fn")  # 4.2


def test_tc40_nat_subnet_nacl_blocks_internet_replies():
    snap = base()
    snap["NetworkAcls"].append(acl("acl-nat", ["sn-pub"], [
        entry(100, False, "allow", "10.0.0.0/16"), entry(100, True, "allow", "0.0.0.0/0")]))
    a = ask(snap, "internet")
    assert blocker(a) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-nat")  # 5.9, 2.18
    assert a.paths[0].blocked_by.fix == "allow-nacl"


def test_tc42_regional_nat_gateway_is_unknown():
    snap = base()
    snap["NatGateways"][0]["AvailabilityMode"] = "regional"
    assert blocker(ask(snap, "internet")) == ("unknown", "REGIONAL_NGW_ROUTE_AZ_RESTRICTION", "nat-1")


def test_function_state_inactive_is_judged_as_if_eni_existed():
    snap = base()
    function(snap)["State"] = "Inactive"
    a = ask(snap, "internet")
    assert a.verdict == "reachable"  # TC34, 1.11
    assert [n["code"] for n in a.notes] == ["FUNCTION_INACTIVE"]


def test_tc20_drifted_eni_is_judged_with_its_actual_groups():
    snap = base()
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-l", "InterfaceType": "lambda",
                                      "SubnetId": "sn-priv", "PrivateIpAddress": "10.0.1.77",
                                      "Description": "AWS Lambda VPC ENI-fn-1234",
                                      "Groups": [{"GroupId": "sg-other"}]})
    a = ask(snap, "rds:db-1")
    assert blocker(a) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")  # 1.15
    assert {"code": "ENI_GROUPS_DRIFTED", "component_id": "eni-l", "rule": "1.15"} in a.notes


def test_what_if_placement_without_a_function():
    snap = base()
    from reach import can_reach, parse_snapshot
    a = can_reach(parse_snapshot(snap), None, "internet", subnets=["sn-pub"], security_groups=["sg-fn"])
    assert blocker(a) == ("unreachable", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "igw-1")
    a = can_reach(parse_snapshot(snap), None, "internet", subnets=["sn-priv"], security_groups=["sg-fn"])
    assert a.verdict == "reachable"


def test_tc36_dedicated_tenancy_vpc_cannot_host_lambda_enis():
    snap = base()
    snap["Vpcs"][0]["InstanceTenancy"] = "dedicated"
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "LAMBDA_DEDICATED_TENANCY", "vpc-a")  # 1.19


def test_drift_on_a_shared_eni_governs_every_function_of_the_combination():
    snap = base()
    snap["Functions"].append({"FunctionName": "g", "VpcConfig": {"SubnetIds": ["sn-priv"],
                                                                 "SecurityGroupIds": ["sg-fn"]}})
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-l", "InterfaceType": "lambda",
                                      "SubnetId": "sn-priv", "PrivateIpAddress": "10.0.1.77",
                                      "Description": "AWS Lambda VPC ENI-g-1234",
                                      "Groups": [{"GroupId": "sg-other"}]})
    for name in ("fn", "g"):  # the ENI was created for g, and fn shares it (1.5, 1.14, 1.15)
        assert blocker(ask(snap, "rds:db-1", name)) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")


def test_two_enis_of_one_combination_with_different_groups_is_unknown():
    snap = base()
    for eni_id, ip, group in (("eni-l1", "10.0.1.70", "sg-fn"), ("eni-l2", "10.0.1.71", "sg-other")):
        snap["NetworkInterfaces"].append({"NetworkInterfaceId": eni_id, "InterfaceType": "lambda",
                                          "SubnetId": "sn-priv", "PrivateIpAddress": ip,
                                          "Description": f"AWS Lambda VPC ENI-fn-{eni_id}",
                                          "Groups": [{"GroupId": group}]})
    a = ask(snap, "rds:db-1")  # either ENI may carry the call (1.8); one was changed by hand (1.15)
    assert blocker(a)[:2] == ("unknown", "SOURCE_ADDRESS_DEPENDS")
