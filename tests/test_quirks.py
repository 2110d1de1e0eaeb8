"""AWS's inconsistent values are normalised once, at the edge (contract §1.1)."""
from __future__ import annotations

from reach.model import Function, IpPermission, NatGateway, NetworkAclEntry, load_snapshot


def test_state_case_is_normalised():
    assert NatGateway.model_validate({"NatGatewayId": "nat-1", "State": "Available"}).state == "available"
    assert NatGateway.model_validate({"NatGatewayId": "nat-1", "State": "available"}).state == "available"


def test_protocols_by_name_and_number():
    names = [IpPermission.model_validate({"IpProtocol": p}).ip_protocol
             for p in ("tcp", "6", "TCP", "-1", "17", "1", "58", "50")]
    assert names == ["tcp", "tcp", "tcp", "-1", "udp", "icmp", "icmpv6", "50"]
    entry = NetworkAclEntry.model_validate({"RuleNumber": 100, "Protocol": "6", "RuleAction": "Allow",
                                            "Egress": False, "CidrBlock": "0.0.0.0/0"})
    assert (entry.protocol, entry.rule_action) == ("tcp", "allow")


def test_function_outside_vpc_in_every_spelling():
    spellings = [
        {"FunctionName": "a"},
        {"FunctionName": "a", "VpcConfig": {"SubnetIds": [], "SecurityGroupIds": [], "VpcId": ""}},
        {"FunctionName": "a", "VpcConfig": {"SubnetIds": [], "SecurityGroupIds": []}},
        {"FunctionName": "a", "VpcConfig": None},
    ]
    for raw in spellings:
        fn = Function.model_validate(raw)
        assert not fn.in_vpc and fn.vpc_config is None, raw


def test_function_in_vpc_and_versions():
    fn = Function.model_validate({"FunctionName": "api", "Version": "7", "VpcConfig": {
        "SubnetIds": ["subnet-1"], "SecurityGroupIds": ["sg-1"], "VpcId": "vpc-1"}})
    assert fn.in_vpc and fn.qualified_name == "api:7"
    assert Function.model_validate({"FunctionName": "api"}).qualified_name == "api"


def test_environment_values_are_never_kept(write_json):
    from reach.model import dump_snapshot
    path = write_json({"Functions": [{"FunctionName": "f", "Environment": {
        "Variables": {"DB_PASSWORD": "hunter2"}}}]})
    dumped = str(dump_snapshot(load_snapshot(path)))
    assert "hunter2" not in dumped and "Environment" not in dumped


def test_ipv6_and_secondary_cidrs():
    from reach.model import Vpc
    vpc = Vpc.model_validate({"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16",
        "CidrBlockAssociationSet": [
            {"CidrBlock": "10.0.0.0/16", "CidrBlockState": {"State": "associated"}},
            {"CidrBlock": "10.1.0.0/16", "CidrBlockState": {"State": "associated"}},
            {"CidrBlock": "10.2.0.0/16", "CidrBlockState": {"State": "disassociated"}}],
        "Ipv6CidrBlockAssociationSet": [
            {"Ipv6CidrBlock": "2600:1f18::/56", "Ipv6CidrBlockState": {"State": "associated"}}]})
    assert vpc.ipv4_cidrs() == ["10.0.0.0/16", "10.1.0.0/16"]
    assert vpc.ipv6_cidrs() == ["2600:1f18::/56"]
