"""CloudFormation resources -> the AWS API shapes of a snapshot (their properties are mostly those shapes)."""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from ..defaults import default_network_acl, default_security_group, main_route_table
from ..terraform.world import UNKNOWN, unknown_value
from .intrinsics import Resolver

_ROUTE_FIELDS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId",
                 "GatewayId", "NatGatewayId", "VpcPeeringConnectionId", "TransitGatewayId",
                 "EgressOnlyInternetGatewayId", "InstanceId", "NetworkInterfaceId", "CarrierGatewayId",
                 "LocalGatewayId", "CoreNetworkArn")
_DESTINATIONS = ("DestinationCidrBlock", "DestinationIpv6CidrBlock", "DestinationPrefixListId")


class Stack:
    """Every resource of one template converted; what cannot be known is a named placeholder."""

    def __init__(self, template: dict) -> None:
        self.r = Resolver(template)
        self.lists: dict[str, dict[str, dict]] = defaultdict(dict)
        self.opaque: dict[str, str] = {}
        self.unread: dict[str, int] = defaultdict(int)
        self.skipped: dict[str, str] = {}
        self.subnet_groups: dict[str, list[str]] = {}
        self.egress_rules: set[str] = set()

    def build(self) -> None:
        handlers = {"AWS::EC2::VPC": self.vpc, "AWS::EC2::Subnet": self.subnet,
                    "AWS::EC2::RouteTable": self.route_table, "AWS::EC2::InternetGateway": self.igw,
                    "AWS::EC2::EgressOnlyInternetGateway": self.igw, "AWS::EC2::NatGateway": self.nat,
                    "AWS::EC2::SecurityGroup": self.security_group, "AWS::EC2::NetworkAcl": self.acl,
                    "AWS::EC2::VPCEndpoint": self.endpoint, "AWS::EC2::VPCPeeringConnection": self.peering,
                    "AWS::RDS::DBSubnetGroup": self.db_subnet_group, "AWS::Lambda::Function": self.function,
                    "AWS::RDS::DBCluster": self.db_cluster}
        later = {"AWS::EC2::Route": self.route, "AWS::EC2::SubnetRouteTableAssociation": self.rt_association,
                 "AWS::EC2::VPCGatewayAttachment": self.attachment, "AWS::EC2::SecurityGroupIngress": self.sg_rule,
                 "AWS::EC2::SecurityGroupEgress": self.sg_rule, "AWS::EC2::NetworkAclEntry": self.acl_entry,
                 "AWS::EC2::SubnetNetworkAclAssociation": self.acl_association,
                 "AWS::EC2::VPCCidrBlock": self.cidr_block, "AWS::RDS::DBInstance": self.db_instance,
                 "AWS::EC2::EIP": lambda n, p: None}
        for table in (handlers, later):
            for name, res in self.r.resources.items():
                handler = table.get(res.get("Type"))
                if handler is None:
                    if res.get("Type") not in handlers and res.get("Type") not in later and table is handlers:
                        self.unread[res.get("Type")] += 1
                    continue
                if "Condition" in res:
                    # Whether a resource with a Condition is created depends on parameters: unknown.
                    self.skipped[name] = "Condition"
                    continue
                handler(name, res.get("Properties") or {})
        for nat in self.lists["NatGateways"].values():
            nat["VpcId"] = (self.lists["Subnets"].get(nat.get("SubnetId")) or {}).get("VpcId")

    # --- helpers ---

    def v(self, props: dict, key: str) -> Any:
        value = self.r.value(props.get(key))
        return None if value is UNKNOWN else value

    def put(self, key: str, rid: str, obj: dict) -> None:
        self.lists[key][rid] = {k: v for k, v in obj.items() if v is not None}

    def parent(self, key: str, rid: str | None) -> dict | None:
        return self.lists[key].get(rid) if rid else None

    def tags(self, props: dict) -> list[dict]:
        tags = self.r.value(props.get("Tags"))
        return [{"Key": t["Key"], "Value": t["Value"]} for t in tags or []
                if isinstance(t, dict) and isinstance(t.get("Key"), str) and isinstance(t.get("Value"), str)] \
            if isinstance(tags, list) else []

    # --- resources ---

    def vpc(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        cidr = self.v(props, "CidrBlock")
        if cidr is None:
            self.opaque[rid] = f"{name}.CidrBlock"
        self.put("Vpcs", rid, {"VpcId": rid, "CidrBlock": cidr, "State": "available",
                               "InstanceTenancy": self.v(props, "InstanceTenancy") or "default",
                               "CidrBlockAssociationSet": [{"CidrBlock": cidr, "CidrBlockState": {
                                   "State": "associated"}}] if cidr else [], "Tags": self.tags(props)})
        rt = self.r.derived(name, "MainRouteTable", "rtb")
        acl = self.r.derived(name, "DefaultNetworkAcl", "acl")
        sg = self.r.derived(name, "DefaultSecurityGroup", "sg")
        self.put("RouteTables", rt, main_route_table(rt, rid, cidr))
        self.put("NetworkAcls", acl, default_network_acl(acl, rid))
        self.put("SecurityGroups", sg, default_security_group(sg, rid))

    def cidr_block(self, name: str, props: dict) -> None:
        vpc = self.parent("Vpcs", self.r.ref(name, "VpcId", props.get("VpcId")))
        cidr = self.v(props, "CidrBlock")
        if vpc is not None and cidr:
            vpc.setdefault("CidrBlockAssociationSet", []).append(
                {"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}})
        # An Amazon-provided IPv6 block is known only after deploy: the IPv6 side stays unjudged.

    def subnet(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        cidr = self.v(props, "CidrBlock")
        if cidr is None:
            self.opaque[rid] = f"{name}.CidrBlock"
        self.put("Subnets", rid, {"SubnetId": rid, "VpcId": self.r.ref(name, "VpcId", props.get("VpcId")),
                                  "CidrBlock": cidr, "AvailabilityZone": self.v(props, "AvailabilityZone"),
                                  "MapPublicIpOnLaunch": bool(self.v(props, "MapPublicIpOnLaunch")),
                                  "State": "available", "Tags": self.tags(props)})

    def route_table(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        vpc_id = self.r.ref(name, "VpcId", props.get("VpcId"))
        vpc = self.parent("Vpcs", vpc_id) or {}
        routes = main_route_table(rid, vpc_id, vpc.get("CidrBlock"))["Routes"]
        self.put("RouteTables", rid, {"RouteTableId": rid, "VpcId": vpc_id, "Routes": routes,
                                      "Associations": [], "Tags": self.tags(props)})

    def route(self, name: str, props: dict) -> None:
        rt_id = self.r.ref(name, "RouteTableId", props.get("RouteTableId"))
        route: dict[str, Any] = {"State": "active", "Origin": "CreateRoute"}
        for key in _ROUTE_FIELDS:
            if key in props:
                route[key] = self.r.ref(name, key, props[key])
        if "VpcEndpointId" in props:
            route["GatewayId"] = self.r.ref(name, "VpcEndpointId", props["VpcEndpointId"])
        table = self.parent("RouteTables", rt_id)
        if table is None:
            self.skipped[name] = "RouteTableId"  # a table from another stack (Fn::ImportValue)
        elif any(str(route.get(k, "")).startswith("known-after-apply:") for k in _DESTINATIONS):
            self.opaque[rt_id] = f"{name}.Destination"
        else:
            table["Routes"].append(route)

    def rt_association(self, name: str, props: dict) -> None:
        rt_id = self.r.ref(name, "RouteTableId", props.get("RouteTableId"))
        table = self.parent("RouteTables", rt_id)
        if table is None:
            self.skipped[name] = "RouteTableId"
            return
        table["Associations"].append({"RouteTableId": rt_id, "Main": False,
                                      "SubnetId": self.r.ref(name, "SubnetId", props.get("SubnetId")),
                                      "AssociationState": {"State": "associated"}})

    def igw(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        if "EgressOnly" in self.r.resources[name]["Type"]:
            vpc_id = self.r.ref(name, "VpcId", props.get("VpcId"))
            self.put("EgressOnlyInternetGateways", rid, {"EgressOnlyInternetGatewayId": rid, "Attachments": [
                {"VpcId": vpc_id, "State": "attached"}] if vpc_id else []})
        else:
            self.put("InternetGateways", rid, {"InternetGatewayId": rid, "Attachments": [],
                                               "Tags": self.tags(props)})

    def attachment(self, name: str, props: dict) -> None:
        igw = self.parent("InternetGateways", self.r.ref(name, "InternetGatewayId", props.get("InternetGatewayId")))
        if igw is not None:
            igw["Attachments"].append({"VpcId": self.r.ref(name, "VpcId", props.get("VpcId")),
                                       "State": "available"})

    def nat(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        public = (self.v(props, "ConnectivityType") or "public") == "public"
        self.put("NatGateways", rid, {"NatGatewayId": rid, "State": "available",
                                      "SubnetId": self.r.ref(name, "SubnetId", props.get("SubnetId")),
                                      "ConnectivityType": "public" if public else "private",
                                      "NatGatewayAddresses": [{"AllocationId": self.r.ref(
                                          name, "AllocationId", props.get("AllocationId"))}] if public else [],
                                      "Tags": self.tags(props)})

    def _permission(self, name: str, rule: dict, egress: bool, own: str) -> dict:
        protocol = str(self.r.value(rule.get("IpProtocol"))).lower()
        perm: dict[str, Any] = {"IpProtocol": protocol}
        if protocol not in ("-1", "all"):
            perm["FromPort"], perm["ToPort"] = self.v(rule, "FromPort"), self.v(rule, "ToPort")
        peer = "Destination" if egress else "Source"
        for key, field, inner in (("CidrIp", "IpRanges", "CidrIp"), ("CidrIpv6", "Ipv6Ranges", "CidrIpv6"),
                                  (f"{peer}PrefixListId", "PrefixListIds", "PrefixListId"),
                                  (f"{peer}SecurityGroupId", "UserIdGroupPairs", "GroupId")):
            if key in rule:
                value = self.r.ref(name, key, rule[key])
                if value and value.startswith("known-after-apply:") and field in ("IpRanges", "Ipv6Ranges"):
                    field, inner = "PrefixListIds", "PrefixListId"  # an unknown CIDR: unknown answers
                if value:
                    perm.setdefault(field, []).append({inner: value})
        return perm

    def security_group(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        obj = {"GroupId": rid, "GroupName": self.v(props, "GroupName") or name,
               "Description": self.v(props, "GroupDescription"),
               "VpcId": self.r.ref(name, "VpcId", props.get("VpcId")), "Tags": self.tags(props),
               "IpPermissions": [self._permission(name, r, False, rid)
                                 for r in self.r.value(props.get("SecurityGroupIngress")) or []
                                 if isinstance(r, dict)] if isinstance(
                   self.r.value(props.get("SecurityGroupIngress")), (list, type(None))) else []}
        egress = self.r.value(props.get("SecurityGroupEgress"))
        # Without SecurityGroupEgress, AWS adds its default rule: all traffic out (4.x).
        obj["IpPermissionsEgress"] = [self._permission(name, r, True, rid) for r in egress or []
                                      if isinstance(r, dict)] if "SecurityGroupEgress" in props else \
            [{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}]
        for key in ("SecurityGroupIngress", "SecurityGroupEgress"):
            if self.r.value(props.get(key)) is UNKNOWN:
                self.opaque[rid] = f"{name}.{key}"
        self.put("SecurityGroups", rid, obj)

    def sg_rule(self, name: str, props: dict) -> None:
        egress = self.r.resources[name]["Type"].endswith("Egress")
        group_id = self.r.ref(name, "GroupId", props.get("GroupId"))
        group = self.parent("SecurityGroups", group_id)
        if group is None:
            self.skipped[name] = "GroupId"
            return
        field = "IpPermissionsEgress" if egress else "IpPermissions"
        declared = (self.r.resources.get(self.r.addresses.get(group_id, ""), {}).get("Properties") or {})
        if egress and group_id not in self.egress_rules and "SecurityGroupEgress" not in declared:
            group[field] = []  # the first egress rule replaces AWS's default allow-all
        if egress:
            self.egress_rules.add(group_id)
        group[field].append(self._permission(name, props, egress, group_id))

    def acl(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        self.put("NetworkAcls", rid, {"NetworkAclId": rid, "VpcId": self.r.ref(name, "VpcId", props.get("VpcId")),
                                      "IsDefault": False, "Associations": [], "Tags": self.tags(props),
                                      "Entries": [{"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny",
                                                   "Egress": e, "CidrBlock": "0.0.0.0/0"} for e in (False, True)]})

    def acl_entry(self, name: str, props: dict) -> None:
        acl = self.parent("NetworkAcls", self.r.ref(name, "NetworkAclId", props.get("NetworkAclId")))
        if acl is None:
            self.skipped[name] = "NetworkAclId"
            return
        entry = {"RuleNumber": self.v(props, "RuleNumber"), "Protocol": str(self.v(props, "Protocol")),
                 "RuleAction": self.v(props, "RuleAction"), "Egress": bool(self.v(props, "Egress")),
                 "CidrBlock": self.v(props, "CidrBlock"), "Ipv6CidrBlock": self.v(props, "Ipv6CidrBlock"),
                 "PortRange": self.v(props, "PortRange"),
                 "IcmpTypeCode": self.v(props, "Icmp")}
        if any(self.r.value(props.get(k)) is UNKNOWN for k in ("CidrBlock", "Ipv6CidrBlock", "PortRange")):
            self.opaque[acl["NetworkAclId"]] = f"{name}.CidrBlock"
        acl["Entries"].append({k: v for k, v in entry.items() if v is not None})

    def acl_association(self, name: str, props: dict) -> None:
        acl_id = self.r.ref(name, "NetworkAclId", props.get("NetworkAclId"))
        acl = self.parent("NetworkAcls", acl_id)
        if acl is None:
            self.skipped[name] = "NetworkAclId"
            return
        acl["Associations"].append({"NetworkAclId": acl_id,
                                    "SubnetId": self.r.ref(name, "SubnetId", props.get("SubnetId"))})

    def endpoint(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        kind = self.v(props, "VpcEndpointType") or "Gateway"
        policy = self.v(props, "PolicyDocument")
        service = self.v(props, "ServiceName")
        obj = {"VpcEndpointId": rid, "VpcEndpointType": kind, "ServiceName": service,
               "VpcId": self.r.ref(name, "VpcId", props.get("VpcId")), "State": "available",
               "RouteTableIds": self.r.refs(name, "RouteTableIds", props.get("RouteTableIds")),
               "SubnetIds": self.r.refs(name, "SubnetIds", props.get("SubnetIds")),
               "Groups": [{"GroupId": g} for g in self.r.refs(name, "SecurityGroupIds", props.get("SecurityGroupIds"))],
               "PrivateDnsEnabled": bool(self.v(props, "PrivateDnsEnabled")),
               "PolicyDocument": json.dumps(policy) if isinstance(policy, dict) else policy}
        self.put("VpcEndpoints", rid, obj)
        if str(kind).lower() == "gateway":
            pl = f"known-after-apply:{name}.PrefixListId (the prefix list of {service or 'its service'})"
            for rt in obj["RouteTableIds"]:
                table = self.parent("RouteTables", rt)
                if table is not None:
                    table["Routes"].append({"DestinationPrefixListId": pl, "GatewayId": rid,
                                            "State": "active", "Origin": "CreateRoute"})

    def peering(self, name: str, props: dict) -> None:
        rid = self.r.id_of(name)
        self.put("VpcPeeringConnections", rid, {
            "VpcPeeringConnectionId": rid, "Status": {"Code": "active"},
            "RequesterVpcInfo": {"VpcId": self.r.ref(name, "VpcId", props.get("VpcId"))},
            "AccepterVpcInfo": {k: v for k, v in {
                "VpcId": self.r.ref(name, "PeerVpcId", props.get("PeerVpcId")),
                "OwnerId": self.v(props, "PeerOwnerId"), "Region": self.v(props, "PeerRegion")}.items() if v}})

    def function(self, name: str, props: dict) -> None:
        fname = self.v(props, "FunctionName") or name
        obj: dict[str, Any] = {"FunctionName": fname, "Runtime": self.v(props, "Runtime"),
                               "Handler": self.v(props, "Handler"), "Version": "$LATEST", "State": "Active",
                               "Role": self.r.ref(name, "Role", props.get("Role")),
                               "PackageType": self.v(props, "PackageType") or "Zip"}
        if fname == name:
            self.r.addresses[fname] = name
        vc = props.get("VpcConfig")
        if vc is not None:
            vc = vc if isinstance(vc, dict) else {}
            obj["VpcConfig"] = {"SubnetIds": self.r.refs(name, "VpcConfig.SubnetIds", vc.get("SubnetIds")),
                                "SecurityGroupIds": self.r.refs(name, "VpcConfig.SecurityGroupIds",
                                                                vc.get("SecurityGroupIds"))}
            if self.r.value(props.get("VpcConfig")) is UNKNOWN and not obj["VpcConfig"]["SubnetIds"]:
                text = unknown_value(name, "VpcConfig")
                self.r.unknowns[text] = f"{name}.VpcConfig"
                obj["VpcConfig"]["SubnetIds"] = [text]
        self.put("Functions", fname, obj)

    def db_subnet_group(self, name: str, props: dict) -> None:
        group = self.v(props, "DBSubnetGroupName") or self.r.id_of(name)
        self.subnet_groups[self.r.id_of(name)] = self.subnet_groups[group] = \
            self.r.refs(name, "SubnetIds", props.get("SubnetIds"))

    def _group(self, name: str, props: dict) -> dict | None:
        if "DBSubnetGroupName" not in props:
            return None
        group = self.r.ref(name, "DBSubnetGroupName", props["DBSubnetGroupName"])
        return {"DBSubnetGroupName": group, "Subnets": [
            {"SubnetIdentifier": s, "SubnetAvailabilityZone": {"Name": (self.lists["Subnets"].get(s) or {}).get(
                "AvailabilityZone")}} for s in self.subnet_groups.get(group, [])]}

    def db_instance(self, name: str, props: dict) -> None:
        ident = self.v(props, "DBInstanceIdentifier") or self.r.id_of(name)
        cluster = self.r.ref(name, "DBClusterIdentifier", props["DBClusterIdentifier"]) \
            if "DBClusterIdentifier" in props else None
        groups = self.r.refs(name, "VPCSecurityGroups", props.get("VPCSecurityGroups"))
        parent = self.lists["DBClusters"].get(cluster or "")
        if parent and not groups:
            groups = [g["VpcSecurityGroupId"] for g in parent.get("VpcSecurityGroups", [])]
        self.put("DBInstances", ident, {
            "DBInstanceIdentifier": ident, "DBInstanceStatus": "available", "Engine": self.v(props, "Engine"),
            "PubliclyAccessible": bool(self.v(props, "PubliclyAccessible")), "DBClusterIdentifier": cluster,
            "VpcSecurityGroups": [{"VpcSecurityGroupId": g, "Status": "active"} for g in groups],
            "DBSubnetGroup": self._group(name, props) or (self._group(name, {"DBSubnetGroupName": parent[
                "DBSubnetGroup"]}) if parent and parent.get("DBSubnetGroup") else None),
            "Endpoint": {"Port": int(self.v(props, "Port"))} if str(self.v(props, "Port") or "").isdigit() else None})
        if parent is not None:
            parent.setdefault("DBClusterMembers", []).append({"DBInstanceIdentifier": ident})

    def db_cluster(self, name: str, props: dict) -> None:
        ident = self.v(props, "DBClusterIdentifier") or self.r.id_of(name)
        group = self._group(name, props)
        port = self.v(props, "Port")
        self.put("DBClusters", ident, {
            "DBClusterIdentifier": ident, "Status": "available", "Engine": self.v(props, "Engine"),
            "Port": int(port) if str(port or "").isdigit() else None,
            "VpcSecurityGroups": [{"VpcSecurityGroupId": g, "Status": "active"}
                                  for g in self.r.refs(name, "VpcSecurityGroupIds", props.get("VpcSecurityGroupIds"))],
            "DBSubnetGroup": group["DBSubnetGroupName"] if group else None})
