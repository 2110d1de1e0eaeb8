"""Several accounts in one snapshot (contract §1.2): a network account A sharing sn-priv of vpc-a
with an application account B (RAM), and an account C peered with or attached to A's network."""
from __future__ import annotations

import copy

from .estate import ALLOW_ALL, base, route, table

A, B, C = "111111111111", "222222222222", "333333333333"
REGION = "us-east-1"


def _lists(single: dict) -> dict:
    return {k: v for k, v in single.items() if k not in ("SnapshotVersion", "AccountId", "Region")}


def network_account() -> dict:
    """A: TC04's VPC, every object owned by A; A's own function removed."""
    snap = _lists(base())
    for key, items in snap.items():
        for item in items:
            if key in ("Vpcs", "Subnets", "RouteTables", "NetworkAcls", "SecurityGroups",
                       "NetworkInterfaces"):
                item["OwnerId"] = A
    snap["Functions"] = []
    return snap


def payments_account() -> dict:
    """B: its function in A's shared subnet sn-priv, behind B's own group sg-pay, which lives in
    A's VPC. B's DescribeSubnets and DescribeVpcs list the shared subnet and its VPC (owner A);
    B sees none of A's route tables, NACLs or gateways. B's Hyperplane ENI is B's."""
    return {
        "Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "OwnerId": A, "State": "available"}],
        "Subnets": [{"SubnetId": "sn-priv", "VpcId": "vpc-a", "CidrBlock": "10.0.1.0/24",
                     "AvailabilityZone": "us-east-1a", "OwnerId": A, "AvailableIpAddressCount": 250}],
        "SecurityGroups": [{"GroupId": "sg-pay", "VpcId": "vpc-a", "OwnerId": B,
                            "IpPermissions": [], "IpPermissionsEgress": ALLOW_ALL}],
        "NetworkInterfaces": [{"NetworkInterfaceId": "eni-pay", "InterfaceType": "lambda",
                               "SubnetId": "sn-priv", "VpcId": "vpc-a", "OwnerId": B,
                               "AvailabilityZone": "us-east-1a", "PrivateIpAddress": "10.0.1.50",
                               "Groups": [{"GroupId": "sg-pay"}], "Status": "in-use"}],
        "Functions": [{"FunctionName": "payments", "Version": "$LATEST", "State": "Active",
                       "FunctionArn": f"arn:aws:lambda:{REGION}:{B}:function:payments",
                       "VpcConfig": {"SubnetIds": ["sn-priv"], "SecurityGroupIds": ["sg-pay"],
                                     "VpcId": "vpc-a"}}],
    }


def org(*accounts: tuple[str, dict]) -> dict:
    return {"SnapshotVersion": 1, "Accounts": [
        {"AccountId": account, "Regions": {REGION: copy.deepcopy(lists)}} for account, lists in accounts]}


def unread(call: str = "AssumeRole") -> dict:
    """An account the collector could not read: empty lists and one gap."""
    return {"Gaps": [{"Service": "sts", "Call": call, "Region": REGION,
                      "Error": "arn:aws:iam::x:role/ReachAudit: AccessDenied: not authorized"}]}


def reports_account(peered_with_a: bool = True) -> dict:
    """C: vpc-c 10.1.0.0/16 with fn `reports`, routed to A's VPC through pcx-ac (A accepted)."""
    lists = {
        "Vpcs": [{"VpcId": "vpc-c", "CidrBlock": "10.1.0.0/16", "OwnerId": C}],
        "Subnets": [{"SubnetId": "sn-c", "VpcId": "vpc-c", "CidrBlock": "10.1.1.0/24",
                     "AvailabilityZone": "us-east-1a", "OwnerId": C}],
        "RouteTables": [{"RouteTableId": "rt-c", "VpcId": "vpc-c", "OwnerId": C,
                         "Associations": [{"Main": True}],
                         "Routes": [route("10.0.0.0/16", VpcPeeringConnectionId="pcx-ac")]}],
        "NetworkAcls": [{"NetworkAclId": "acl-c", "VpcId": "vpc-c", "IsDefault": True, "Entries": [
            {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": e,
             "CidrBlock": "0.0.0.0/0"} for e in (True, False)]}],
        "SecurityGroups": [{"GroupId": "sg-rep", "VpcId": "vpc-c", "OwnerId": C,
                            "IpPermissions": [], "IpPermissionsEgress": ALLOW_ALL}],
        "VpcPeeringConnections": [peering()],
        "Functions": [{"FunctionName": "reports", "Version": "$LATEST", "State": "Active",
                       "FunctionArn": f"arn:aws:lambda:{REGION}:{C}:function:reports",
                       "VpcConfig": {"SubnetIds": ["sn-c"], "SecurityGroupIds": ["sg-rep"]}}],
    }
    return lists


def peering() -> dict:
    return {"VpcPeeringConnectionId": "pcx-ac", "Status": {"Code": "active"},
            "RequesterVpcInfo": {"VpcId": "vpc-c", "CidrBlock": "10.1.0.0/16", "OwnerId": C,
                                 "Region": REGION},
            "AccepterVpcInfo": {"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "OwnerId": A,
                                "Region": REGION}}


def network_peered() -> dict:
    """A's side of pcx-ac: the connection listed too, a route back, db-1 allowing C's range."""
    lists = network_account()
    lists["VpcPeeringConnections"] = [peering()]
    for rt in lists["RouteTables"]:
        if rt["RouteTableId"] in ("rt-priv", "rt-main"):
            rt["Routes"].append(route("10.1.0.0/16", VpcPeeringConnectionId="pcx-ac"))
    for g in lists["SecurityGroups"]:
        if g["GroupId"] == "sg-db":
            g["IpPermissions"].append({"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                                       "IpRanges": [{"CidrIp": "10.1.0.0/16"}]})
    return lists
