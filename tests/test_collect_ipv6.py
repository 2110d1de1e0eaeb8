"""The collector keeps every IPv6 field the engine reads (issue 15), against moto on 127.0.0.1."""
from __future__ import annotations

import boto3

from reach import parse_snapshot
from reach.collect import collect_snapshot

from .test_collect import endpoint, fake_aws_env  # noqa: F401  (the moto server fixtures)

REGION = "ap-southeast-2"


def test_ipv6_fields_survive_collection(endpoint):  # noqa: F811
    ec2 = boto3.client("ec2", region_name=REGION, endpoint_url=endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16", AmazonProvidedIpv6CidrBlock=True)["Vpc"]["VpcId"]
    v6 = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Ipv6CidrBlockAssociationSet"][0]["Ipv6CidrBlock"]
    sub64 = v6.replace("/56", "/64")
    subnet = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    ec2.associate_subnet_cidr_block(SubnetId=subnet, Ipv6CidrBlock=sub64)
    eigw = ec2.create_egress_only_internet_gateway(VpcId=vpc)["EgressOnlyInternetGateway"][
        "EgressOnlyInternetGatewayId"]
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=rt, SubnetId=subnet)
    ec2.create_route(RouteTableId=rt, DestinationIpv6CidrBlock="::/0", EgressOnlyInternetGatewayId=eigw)
    sg = ec2.create_security_group(GroupName="six", Description="six", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "Ipv6Ranges": [{"CidrIpv6": "2606:4700::/32"}]}])
    acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=120, Protocol="-1", RuleAction="allow",
                                 Egress=True, Ipv6CidrBlock="::/0")

    raw = collect_snapshot(boto3.Session(region_name=REGION), regions=[REGION], endpoint_url=endpoint)
    snap = parse_snapshot(raw)
    assert [v.ipv6_cidrs() for v in snap.items("Vpcs") if v.vpc_id == vpc] == [[v6]]
    # moto writes this association's state as the text of a dict, so read the raw item here.
    items = raw["Regions"][REGION]["Subnets"] if "Regions" in raw else raw["Subnets"]
    assert [a["Ipv6CidrBlock"] for s in items if s["SubnetId"] == subnet
            for a in s["Ipv6CidrBlockAssociationSet"]] == [sub64]
    assert [g.egress_only_internet_gateway_id for g in snap.items("EgressOnlyInternetGateways")] == [eigw]
    table = next(t for t in snap.items("RouteTables") if t.route_table_id == rt)
    assert any(r.destination_ipv6_cidr_block == "::/0" and r.egress_only_internet_gateway_id == eigw
               for r in table.routes)
    group = next(g for g in snap.items("SecurityGroups") if g.group_id == sg)
    assert any(r.cidr_ipv6 == "2606:4700::/32" for p in group.ip_permissions_egress for r in p.ipv6_ranges)
    nacl = next(a for a in snap.items("NetworkAcls") if a.network_acl_id == acl)
    assert any(e.ipv6_cidr_block == "::/0" and e.rule_number == 120 for e in nacl.entries)
