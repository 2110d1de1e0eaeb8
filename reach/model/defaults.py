"""What AWS creates with every new VPC, in API shapes: the main route table, default NACL and SG.

https://docs.aws.amazon.com/vpc/latest/userguide/default-network-acl.html
https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html"""
from __future__ import annotations


def local_routes(cidr: str | None, v6: str | None = None) -> list[dict]:
    """The `local` route of each VPC CIDR (rule 2.2)."""
    routes = [{"DestinationCidrBlock": cidr, "GatewayId": "local", "State": "active",
               "Origin": "CreateRouteTable"}] if cidr else []
    if v6:
        routes.append({"DestinationIpv6CidrBlock": v6, "GatewayId": "local", "State": "active",
                       "Origin": "CreateRouteTable"})
    return routes


def main_route_table(rt: str, vpc_id: str, cidr: str | None, v6: str | None = None) -> dict:
    return {"RouteTableId": rt, "VpcId": vpc_id, "Routes": local_routes(cidr, v6),
            "Associations": [{"Main": True, "RouteTableId": rt, "AssociationState": {"State": "associated"}}]}


def default_network_acl(acl: str, vpc_id: str) -> dict:
    """Rule 100 allows all, `*` denies the rest, both ways (5.4)."""
    entries = [{"RuleNumber": n, "Protocol": "-1", "RuleAction": action, "Egress": egress,
                "CidrBlock": "0.0.0.0/0"}
               for egress in (False, True) for n, action in ((100, "allow"), (32767, "deny"))]
    return {"NetworkAclId": acl, "VpcId": vpc_id, "IsDefault": True, "Entries": entries}


def default_security_group(sg: str, vpc_id: str) -> dict:
    """All traffic in from members of the group itself, all traffic out (4.x)."""
    return {"GroupId": sg, "GroupName": "default", "VpcId": vpc_id,
            "Description": "default VPC security group",
            "IpPermissions": [{"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": sg}]}],
            "IpPermissionsEgress": [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]}
