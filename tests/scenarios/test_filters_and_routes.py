"""Scenarios for security groups (§4), NACLs (§5), routing (§2) and endpoints (§3)."""
from __future__ import annotations

from .estate import acl, ask, base, blocker, entry, function, route, sg, table


def _gateway_endpoint(snap, tables, policy=None):
    ep = {"VpcEndpointId": "vpce-g", "VpcEndpointType": "Gateway", "VpcId": "vpc-a",
          "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
          "RouteTableIds": tables}
    if policy:
        ep["PolicyDocument"] = policy
    snap.setdefault("VpcEndpoints", []).append(ep)
    for t in tables:
        table(snap, t)["Routes"].append(route("pl-ddb", GatewayId="vpce-g"))


def test_tc10_gateway_endpoint_only():
    snap = base()
    table(snap, "rt-priv")["Routes"] = []
    _gateway_endpoint(snap, ["rt-priv"])
    a = ask(snap, "dynamodb")
    assert a.verdict == "reachable"  # 3.2
    assert any(h.component_id == "vpce-g" for h in a.paths[0].hops)
    assert blocker(ask(snap, "internet")) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")
    s3 = ask(snap, "s3")
    assert blocker(s3) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")
    assert s3.paths[0].blocked_by.fix == "add-gateway-endpoint"  # free, 3.1


def test_tc09_endpoint_on_main_table_only_goes_via_nat():
    snap = base()
    _gateway_endpoint(snap, ["rt-main"])
    a = ask(snap, "dynamodb")
    assert a.verdict == "reachable"
    assert any(h.component_id == "nat-1" for h in a.paths[0].hops)  # 2.1, 3.2
    assert not any(h.component_id == "vpce-g" for h in a.paths[0].hops)


def test_endpoint_policy_is_a_note_never_the_verdict():
    snap = base()
    table(snap, "rt-priv")["Routes"] = []
    _gateway_endpoint(snap, ["rt-priv"], policy='{"Statement":[{"Effect":"Deny","Principal":"*",'
                                                '"Action":"dynamodb:*","Resource":"*"}]}')
    a = ask(snap, "dynamodb")
    assert a.verdict == "reachable"  # 0.2, 3.10
    assert a.notes[0]["code"] == "ENDPOINT_POLICY"


def test_gateway_endpoint_carries_tcp_only():
    snap = base()
    table(snap, "rt-priv")["Routes"] = []
    _gateway_endpoint(snap, ["rt-priv"])
    a = ask(snap, "52.94.1.1:443", protocol="udp")
    assert blocker(a) == ("unreachable", "VPCE_GATEWAY_PROTOCOL_RESTRICTION", "vpce-g")  # 3.9


def test_tc11_egress_only_to_dynamodb_prefix_list():
    snap = base()
    _gateway_endpoint(snap, ["rt-priv"])
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-ddb"}]}]
    assert ask(snap, "dynamodb").verdict == "reachable"  # 4.10
    assert blocker(ask(snap, "internet")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-fn")
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-fn")


def test_tc12_prefix_list_rule_matches_addresses_whatever_the_path():
    snap = base()
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [
        {"IpProtocol": "6", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-ddb"}]}]
    a = ask(snap, "dynamodb")
    assert a.verdict == "reachable" and any(h.component_id == "nat-1" for h in a.paths[0].hops)  # 4.5


def test_missing_prefix_list_is_unknown():
    snap = base()
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListIds": [{"PrefixListId": "pl-gone"}]}]
    a = ask(snap, "internet")
    assert a.verdict == "unknown" and "pl-gone" in a.missing


def test_tc14_nacl_without_ephemeral_return():
    snap = base()
    snap["NetworkAcls"].append(acl("acl-f", ["sn-priv"], [
        entry(100, True, "allow", "0.0.0.0/0", "tcp", (443, 443)),
        entry(100, False, "allow", "0.0.0.0/0", "tcp", (443, 443))]))
    for target in ("internet", "dynamodb"):
        assert blocker(ask(snap, target)) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-f")  # 1.25


def test_nacl_reply_must_cover_the_whole_ephemeral_range():
    snap = base()
    snap["NetworkAcls"].append(acl("acl-f", ["sn-priv"], [
        entry(100, True, "allow", "0.0.0.0/0"),
        entry(100, False, "allow", "0.0.0.0/0", "6", (32768, 65535))]))  # Linux's range only (5.6)
    assert blocker(ask(snap, "internet")) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-f")
    snap["NetworkAcls"][-1]["Entries"][1]["PortRange"] = {"From": 1024, "To": 65535}
    assert ask(snap, "internet").verdict == "reachable"


def test_tc39_first_matching_nacl_rule_decides():
    snap = base()
    snap["NetworkAcls"].append(acl("acl-f", ["sn-priv"], [
        entry(50, True, "deny", "0.0.0.0/0", "tcp", (443, 443)), entry(100, True, "allow", "0.0.0.0/0"),
        entry(100, False, "allow", "0.0.0.0/0")]))
    for target in ("internet", "dynamodb"):
        assert blocker(ask(snap, target)) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-f")  # 5.2
    assert ask(snap, "internet:80").verdict == "reachable"


def test_tc15_nacl_not_evaluated_within_a_subnet():
    snap = base()
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-db"]
    snap["NetworkAcls"].append(acl("acl-empty", ["sn-db"], []))
    table(snap, "rt-priv")["Associations"].append({"SubnetId": "sn-db"})
    assert ask(snap, "rds:db-1").verdict == "reachable"  # 5.5, 2.22
    assert blocker(ask(snap, "internet")) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-empty")


def test_database_subnet_nacl_both_directions():
    snap = base()
    snap["NetworkAcls"].append(acl("acl-db", ["sn-db"], [
        entry(100, False, "allow", "10.0.1.0/24", "tcp", (5432, 5432)),
        entry(100, True, "allow", "10.0.1.0/24", "tcp", (5432, 5432))]))
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-db")  # 5.8
    snap["NetworkAcls"][-1]["Entries"][1]["PortRange"] = {"From": 1024, "To": 65535}
    assert ask(snap, "rds:db-1").verdict == "reachable"


def test_tc16_group_reference_matches_any_of_the_functions_groups():
    snap = base()
    function(snap)["VpcConfig"]["SecurityGroupIds"] = ["sg-other", "sg-fn"]
    assert ask(snap, "rds:db-1").verdict == "reachable"  # 4.4, 1.26
    function(snap)["VpcConfig"]["SecurityGroupIds"] = ["sg-other"]
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")


def test_tc17_cidr_rule_covering_one_subnet_is_partial():
    snap = base()
    sg(snap, "sg-db")["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                          "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}]
    function(snap)["VpcConfig"]["SubnetIds"] = ["sn-priv", "sn-priv-b"]
    a = ask(snap, "rds:db-1")
    assert a.verdict == "partial"  # 0.1
    assert blocker(a, "sn-priv-b") == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")


def test_cidr_rule_covering_part_of_a_subnet_depends_on_the_eni_address():
    snap = base()
    sg(snap, "sg-db")["IpPermissions"] = [{"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                          "IpRanges": [{"CidrIp": "10.0.1.0/25"}]}]
    a = ask(snap, "rds:db-1")
    assert blocker(a)[:2] == ("unknown", "SOURCE_ADDRESS_DEPENDS")
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-l", "InterfaceType": "lambda",
                                      "SubnetId": "sn-priv", "PrivateIpAddress": "10.0.1.200",
                                      "Groups": [{"GroupId": "sg-fn"}]})
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")


def test_protocols_and_port_ranges():
    snap = base()
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [{"IpProtocol": "6", "FromPort": 5000, "ToPort": 6000,
                                                "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}]
    assert ask(snap, "rds:db-1").verdict == "reachable"
    assert blocker(ask(snap, "rds:db-1", port=22))[1] == "ENI_SG_RULES_MISMATCH"
    assert blocker(ask(snap, "10.0.3.10:5432", protocol="udp"))[1] == "ENI_SG_RULES_MISMATCH"


def test_tc30_tc41_cidr_route_beats_prefix_list_entry():
    snap = base()
    _gateway_endpoint(snap, ["rt-priv"])
    table(snap, "rt-priv")["Routes"].append(route("52.94.0.0/22", GatewayId="igw-1"))  # 2.5, 2.6
    a = ask(snap, "dynamodb")
    assert a.verdict == "partial"
    assert blocker(a) == ("unreachable", "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS", "igw-1")
    assert a.paths[0].reached == "52.119.224.0/20"


def test_longest_prefix_wins_over_the_default_route():
    snap = base()
    table(snap, "rt-priv")["Routes"].append(route("8.8.8.0/24", GatewayId="igw-1"))
    assert blocker(ask(snap, "8.8.8.8:53"))[1] == "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"
    assert ask(snap, "1.1.1.1:53").verdict == "reachable"


def test_secondary_cidr_has_a_local_route():
    snap = base()
    snap["Vpcs"][0]["CidrBlockAssociationSet"] = [
        {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
        {"CidrBlock": "100.64.0.0/16", "CidrBlockState": {"State": "associated"}}]
    snap["Subnets"].append({"SubnetId": "sn-cg", "VpcId": "vpc-a", "CidrBlock": "100.64.1.0/24"})
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-x", "SubnetId": "sn-cg",
                                      "PrivateIpAddress": "100.64.1.5", "Groups": [{"GroupId": "sg-db"}]})
    a = ask(snap, "100.64.1.5:5432")
    assert a.verdict == "reachable"  # 2.2
    assert "local" in a.paths[0].hops[1].detail


def test_tc31_interface_endpoint_private_dns_off_uses_public_addresses():
    snap = base()
    table(snap, "rt-priv")["Routes"] = []
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-i", "VpcEndpointType": "Interface", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
                             "SubnetIds": ["sn-priv-b"], "Groups": [{"GroupId": "sg-vpce"}],
                             "PrivateDnsEnabled": False, "NetworkInterfaceIds": ["eni-vpce"]}]
    snap["SecurityGroups"].append({"GroupId": "sg-vpce", "VpcId": "vpc-a", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "UserIdGroupPairs": [{"GroupId": "sg-fn"}]}]})
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-vpce", "InterfaceType": "vpc_endpoint",
                                      "SubnetId": "sn-priv-b", "PrivateIpAddress": "10.0.2.30",
                                      "Groups": [{"GroupId": "sg-vpce"}]})
    a = ask(snap, "dynamodb")
    assert blocker(a) == ("unreachable", "NO_ROUTE_TO_DESTINATION", "rt-priv")  # 3.12
    assert a.notes[0]["code"] == "INTERFACE_ENDPOINT_PRIVATE_DNS_OFF"
    assert ask(snap, "10.0.2.30:443").verdict == "reachable"  # the vpce-specific hostname, TC31
    snap["VpcEndpoints"][0]["PrivateDnsEnabled"] = True
    assert ask(snap, "dynamodb").verdict == "reachable"


def test_tc32_interface_endpoint_security_group():
    snap = base()
    snap["VpcEndpoints"] = [{"VpcEndpointId": "vpce-i", "VpcEndpointType": "Interface", "VpcId": "vpc-a",
                             "ServiceName": "com.amazonaws.us-east-1.dynamodb", "State": "available",
                             "SubnetIds": ["sn-db"], "Groups": [{"GroupId": "sg-vpce"}],
                             "PrivateDnsEnabled": True, "NetworkInterfaceIds": []}]
    snap["SecurityGroups"].append({"GroupId": "sg-vpce", "VpcId": "vpc-a", "IpPermissions": [
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "IpRanges": [{"CidrIp": "10.0.2.0/24"}]}]})
    assert blocker(ask(snap, "dynamodb")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-vpce")  # 3.11


def test_gap_in_collection_gives_unknown_naming_it():
    snap = base()
    snap["NetworkAcls"] = []
    snap["Gaps"] = [{"Service": "ec2", "Call": "DescribeNetworkAcls", "Region": "us-east-1",
                     "Error": "AccessDenied"}]
    a = ask(snap, "internet")
    assert blocker(a)[:2] == ("unknown", "DATA_GAP")


def test_address_without_an_interface_is_unknown():
    assert blocker(ask(base(), "10.0.3.99:5432"))[:2] == ("unknown", "UNKNOWN_DESTINATION")


def test_missing_function_group_is_unknown():
    snap = base()
    function(snap)["VpcConfig"]["SecurityGroupIds"] = ["sg-gone"]
    a = ask(snap, "internet")
    assert a.verdict == "unknown" and "sg-gone" in a.missing


def test_one_missing_group_among_several_is_unknown_not_denied():
    snap = base()
    function(snap)["VpcConfig"]["SecurityGroupIds"] = ["sg-fn", "sg-gone"]
    sg(snap, "sg-fn")["IpPermissionsEgress"] = []
    a = ask(snap, "internet")
    assert a.verdict == "unknown" and "sg-gone" in a.missing  # 4.4: the union needs every group
    sg(snap, "sg-fn")["IpPermissionsEgress"] = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
    assert ask(snap, "internet").verdict == "reachable"  # what one group allows, the union allows


def test_outbound_nacl_judges_the_real_destination_even_through_a_nat_in_the_same_subnet():
    snap = base()
    snap["NatGateways"][0]["SubnetId"] = "sn-priv"  # misplaced: its own table routes back to it
    snap["NetworkAcls"].append(acl("acl-f", ["sn-priv"], [entry(100, False, "allow", "0.0.0.0/0")]))
    assert blocker(ask(snap, "8.8.8.8:443")) == ("unreachable", "SUBNET_ACL_RESTRICTION", "acl-f")  # 5.1


def test_group_reference_never_matches_the_function_by_another_enis_address():
    snap = base()
    snap["SecurityGroups"].append({"GroupId": "sg-app", "VpcId": "vpc-a", "IpPermissions": [],
                                   "IpPermissionsEgress": []})
    sg(snap, "sg-db")["IpPermissions"][0]["UserIdGroupPairs"] = [{"GroupId": "sg-app"}]
    snap["NetworkInterfaces"].append({"NetworkInterfaceId": "eni-ec2", "SubnetId": "sn-priv",
                                      "PrivateIpAddress": "10.0.1.9", "Groups": [{"GroupId": "sg-app"}]})
    assert blocker(ask(snap, "rds:db-1")) == ("unreachable", "ENI_SG_RULES_MISMATCH", "sg-db")  # 4.6, 1.26


def test_missing_group_is_the_one_named():
    snap = base()
    function(snap)["VpcConfig"]["SecurityGroupIds"] = ["sg-fn", "sg-gone"]
    sg(snap, "sg-fn")["IpPermissionsEgress"] = []
    assert blocker(ask(snap, "internet")) == ("unknown", "UNKNOWN_RESOURCE", "sg-gone")


def test_part_of_a_guessed_service_address_set_is_unknown_not_partial():
    snap = base()
    snap["ManagedPrefixLists"] = [p for p in snap["ManagedPrefixLists"] if p["PrefixListId"] != "pl-ddb"]
    table(snap, "rt-priv")["Routes"].append(route("52.94.0.0/22", GatewayId="igw-1"))
    a = ask(snap, "dynamodb")  # which DynamoDB addresses are real is not in the snapshot (§0)
    assert blocker(a)[:2] == ("unknown", "UNKNOWN_DESTINATION")
    assert "com.amazonaws.us-east-1.dynamodb" in a.missing
    table(snap, "rt-priv")["Routes"].pop()
    assert ask(snap, "dynamodb").verdict == "reachable"  # any public address gets through the NAT
