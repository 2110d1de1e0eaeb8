"""A small estate in AWS shapes (TC04's layout) that each scenario bends to one rule."""
from __future__ import annotations

import copy

from reach import can_reach, parse_snapshot

ALLOW_ALL = [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]


def acl(acl_id: str, subnets: list[str], entries: list[dict], default: bool = False) -> dict:
    """A NACL with the given entries plus the final `*` deny both ways (5.2)."""
    deny = [{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": e,
             "CidrBlock": "0.0.0.0/0"} for e in (True, False)]
    return {"NetworkAclId": acl_id, "VpcId": "vpc-a", "IsDefault": default,
            "Associations": [{"NetworkAclId": acl_id, "SubnetId": s} for s in subnets],
            "Entries": entries + deny}


def entry(n: int, egress: bool, action: str, cidr: str, proto: str = "-1",
          ports: tuple[int, int] | None = None) -> dict:
    e = {"RuleNumber": n, "Protocol": proto, "RuleAction": action, "Egress": egress, "CidrBlock": cidr}
    if ports:
        e["PortRange"] = {"From": ports[0], "To": ports[1]}
    return e


def route(dest: str, **target) -> dict:
    key = "DestinationPrefixListId" if dest.startswith("pl-") else "DestinationCidrBlock"
    return {key: dest, "State": "active", "Origin": "CreateRoute", **target}


def base() -> dict:
    """VPC 10.0.0.0/16: public, two private and a DB subnet; a public NAT; F in sn-priv (TC04)."""
    subnets = [("sn-pub", "10.0.0.0/24", "us-east-1a"), ("sn-priv", "10.0.1.0/24", "us-east-1a"),
               ("sn-priv-b", "10.0.2.0/24", "us-east-1b"), ("sn-db", "10.0.3.0/24", "us-east-1b")]
    return {
        "SnapshotVersion": 1, "AccountId": "111122223333", "Region": "us-east-1",
        "Vpcs": [{"VpcId": "vpc-a", "CidrBlock": "10.0.0.0/16", "State": "available"}],
        "Subnets": [{"SubnetId": s, "VpcId": "vpc-a", "CidrBlock": c, "AvailabilityZone": az,
                     "AvailableIpAddressCount": 250} for s, c, az in subnets],
        "InternetGateways": [{"InternetGatewayId": "igw-1",
                              "Attachments": [{"VpcId": "vpc-a", "State": "available"}]}],
        "NatGateways": [{"NatGatewayId": "nat-1", "VpcId": "vpc-a", "SubnetId": "sn-pub",
                         "State": "available", "ConnectivityType": "public",
                         "NatGatewayAddresses": [{"PublicIp": "54.1.1.1", "PrivateIp": "10.0.0.9"}]}],
        "RouteTables": [
            {"RouteTableId": "rt-main", "VpcId": "vpc-a", "Associations": [{"Main": True}],
             "Routes": [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local", "State": "active"}]},
            {"RouteTableId": "rt-pub", "VpcId": "vpc-a", "Associations": [{"SubnetId": "sn-pub"}],
             "Routes": [route("0.0.0.0/0", GatewayId="igw-1")]},
            {"RouteTableId": "rt-priv", "VpcId": "vpc-a",
             "Associations": [{"SubnetId": "sn-priv"}, {"SubnetId": "sn-priv-b"}],
             "Routes": [route("0.0.0.0/0", NatGatewayId="nat-1")]},
        ],
        "NetworkAcls": [acl("acl-default", [], [entry(100, True, "allow", "0.0.0.0/0"),
                                                entry(100, False, "allow", "0.0.0.0/0")], default=True)],
        "SecurityGroups": [
            {"GroupId": "sg-fn", "VpcId": "vpc-a", "IpPermissions": [], "IpPermissionsEgress": ALLOW_ALL},
            {"GroupId": "sg-other", "VpcId": "vpc-a", "IpPermissions": [],
             "IpPermissionsEgress": ALLOW_ALL},
            {"GroupId": "sg-db", "VpcId": "vpc-a", "IpPermissionsEgress": ALLOW_ALL, "IpPermissions": [
                {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                 "UserIdGroupPairs": [{"GroupId": "sg-fn", "UserId": "111122223333"}]}]},
        ],
        "NetworkInterfaces": [{"NetworkInterfaceId": "eni-db", "InterfaceType": "interface",
                               "SubnetId": "sn-db", "VpcId": "vpc-a", "AvailabilityZone": "us-east-1b",
                               "PrivateIpAddress": "10.0.3.10", "Description": "RDSNetworkInterface",
                               "Groups": [{"GroupId": "sg-db"}]}],
        "DBInstances": [{"DBInstanceIdentifier": "db-1", "Engine": "postgres", "AvailabilityZone":
                         "us-east-1b", "PubliclyAccessible": False,
                         "Endpoint": {"Address": "db-1.x.us-east-1.rds.amazonaws.com", "Port": 5432},
                         "VpcSecurityGroups": [{"VpcSecurityGroupId": "sg-db", "Status": "active"}],
                         "DBSubnetGroup": {"VpcId": "vpc-a", "Subnets": [
                             {"SubnetIdentifier": "sn-db", "SubnetAvailabilityZone": {"Name": "us-east-1b"}}]}}],
        "ManagedPrefixLists": [
            {"PrefixListId": "pl-ddb", "PrefixListName": "com.amazonaws.us-east-1.dynamodb",
             "Entries": [{"Cidr": "52.94.0.0/22"}, {"Cidr": "52.119.224.0/20"}]},
            {"PrefixListId": "pl-s3", "PrefixListName": "com.amazonaws.us-east-1.s3",
             "Entries": [{"Cidr": "52.216.0.0/15"}]}],
        "Functions": [{"FunctionName": "fn", "Version": "$LATEST", "State": "Active",
                       "VpcConfig": {"SubnetIds": ["sn-priv"], "SecurityGroupIds": ["sg-fn"],
                                     "VpcId": "vpc-a"}}],
    }


def by_id(items: list[dict], key: str, value: str) -> dict:
    return next(i for i in items if i[key] == value)


def sg(snap: dict, group_id: str) -> dict:
    return by_id(snap["SecurityGroups"], "GroupId", group_id)


def table(snap: dict, rt_id: str) -> dict:
    return by_id(snap["RouteTables"], "RouteTableId", rt_id)


def function(snap: dict, name: str = "fn") -> dict:
    return by_id(snap["Functions"], "FunctionName", name)


def ask(snap: dict, target: str, source: str = "fn", **kw):
    return can_reach(parse_snapshot(copy.deepcopy(snap)), source, target, **kw)


def blocker(answer, subnet: str | None = None):
    path = next(p for p in answer.paths if subnet is None or p.subnet_id == subnet)
    b = path.blocked_by
    return (path.verdict.value, b.code if b else None, b.component_id if b else None)
