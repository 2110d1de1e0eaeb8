"""Terraform VPC resources -> DescribeVpcs/Subnets/RouteTables/... shapes (gateways, endpoints, TGW)."""
from __future__ import annotations

from typing import Any

from ..defaults import default_network_acl, default_security_group, main_route_table
from .document import Instance
from .world import UNKNOWN, World

# aws_route_table `route` blocks and aws_route arguments -> EC2 Route fields (rule 2.7).
ROUTE_TARGETS = {"gateway_id": "GatewayId", "nat_gateway_id": "NatGatewayId",
                 "transit_gateway_id": "TransitGatewayId",
                 "vpc_peering_connection_id": "VpcPeeringConnectionId",
                 "network_interface_id": "NetworkInterfaceId",
                 "egress_only_gateway_id": "EgressOnlyInternetGatewayId",
                 "vpc_endpoint_id": "GatewayId", "instance_id": "InstanceId",
                 "carrier_gateway_id": "CarrierGatewayId", "local_gateway_id": "LocalGatewayId",
                 "core_network_arn": "CoreNetworkArn"}
ROUTE_DESTINATIONS = {"cidr_block": "DestinationCidrBlock", "destination_cidr_block": "DestinationCidrBlock",
                      "ipv6_cidr_block": "DestinationIpv6CidrBlock",
                      "destination_ipv6_cidr_block": "DestinationIpv6CidrBlock",
                      "destination_prefix_list_id": "DestinationPrefixListId"}


def tags(w: World, inst: Instance) -> list[dict]:
    value = w.get(inst, "tags")
    if not isinstance(value, dict):
        value = w.get(inst, "tags_all")
    return [{"Key": k, "Value": v} for k, v in sorted((value or {}).items())
            if isinstance(v, str)] if isinstance(value, dict) else []


def known(value: Any) -> Any:
    return None if value is UNKNOWN or value == "" else value


def vpc(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    cidr = known(w.get(inst, "cidr_block"))
    if cidr is None:
        w.make_opaque(rid, inst, "cidr_block")
    obj: dict[str, Any] = {"VpcId": rid, "State": "available",
                           "IsDefault": inst.type == "aws_default_vpc" or bool(w.get(inst, "default")),
                           "InstanceTenancy": known(w.get(inst, "instance_tenancy")) or "default",
                           "Tags": tags(w, inst)}
    if cidr:
        obj["CidrBlock"] = cidr
        obj["CidrBlockAssociationSet"] = [{"CidrBlock": cidr, "CidrBlockState": {"State": "associated"}}]
    v6 = known(w.get(inst, "ipv6_cidr_block"))
    if v6:
        obj["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": v6,
                                              "Ipv6CidrBlockState": {"State": "associated"}}]
    if known(w.get(inst, "owner_id")):
        obj["OwnerId"] = w.get(inst, "owner_id")
    if inst.mode == "data":
        w.put("Vpcs", rid, obj, inst)
        return
    w.put("Vpcs", rid, obj, inst)
    _vpc_defaults(w, inst, rid, cidr, v6)


def _vpc_defaults(w: World, inst: Instance, vpc_id: str, cidr: str | None, v6: str | None) -> None:
    """What AWS creates with every VPC: the main route table, the default NACL and SG.

    Their contents are AWS's documented defaults (model/defaults.py) only for a VPC this plan
    creates; for one that exists already they may have been edited outside Terraform, so they
    stay opaque (unknown) unless an aws_default_* resource manages them (the base snapshot, when
    given, holds them)."""
    created = w.side == "after" and inst.action in ("create", "replace")
    rt = w.target_value(_attr(inst, "main_route_table_id"))
    acl = w.target_value(_attr(inst, "default_network_acl_id"))
    sg = w.target_value(_attr(inst, "default_security_group_id"))
    for rid in (rt, acl, sg):
        w.parents[rid] = vpc_id
    w.put("RouteTables", rt, main_route_table(rt, vpc_id, cidr, v6), inst)
    w.put("NetworkAcls", acl, default_network_acl(acl, vpc_id), inst)
    w.put("SecurityGroups", sg, default_security_group(sg, vpc_id), inst)
    if not created:
        for rid, what in ((rt, "main_route_table_id"), (acl, "default_network_acl_id"),
                          (sg, "default_security_group_id")):
            w.make_opaque(rid, inst, f"{what} (not managed by Terraform)")


def _attr(inst: Instance, attr: str):
    from .wiring import Target
    return Target(instance=inst, attr=attr)


def subnet(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    cidr = known(w.get(inst, "cidr_block"))
    if cidr is None:
        w.make_opaque(rid, inst, "cidr_block")
    obj = {"SubnetId": rid, "VpcId": w.ref(inst, "vpc_id"), "State": "available",
           "AvailabilityZone": known(w.get(inst, "availability_zone")),
           "AvailabilityZoneId": known(w.get(inst, "availability_zone_id")),
           "MapPublicIpOnLaunch": bool(known(w.get(inst, "map_public_ip_on_launch"))),
           "Tags": tags(w, inst)}
    if cidr:
        obj["CidrBlock"] = cidr
    v6 = known(w.get(inst, "ipv6_cidr_block"))
    if v6:
        obj["Ipv6CidrBlockAssociationSet"] = [{"Ipv6CidrBlock": v6,
                                              "Ipv6CidrBlockState": {"State": "associated"}}]
    w.put("Subnets", rid, {k: v for k, v in obj.items() if v is not None}, inst)


def route_fields(w: World, inst: Instance, *path: Any) -> dict | None:
    """One route's destination and target; None when the destination is unknown."""
    route: dict[str, Any] = {"State": "active", "Origin": "CreateRoute"}
    block = w.get(inst, *path) if path else w.values(inst)
    if not isinstance(block, dict):
        return None
    for arg, field_name in ROUTE_DESTINATIONS.items():
        value = w.get(inst, *path, arg)
        if value is UNKNOWN and not path and not w.wiring.has_argument(inst, arg):
            continue  # computed, not configured
        if value is UNKNOWN:
            return None
        if value:
            route[field_name] = value
    for arg, field_name in ROUTE_TARGETS.items():
        value = w.get(inst, *path, arg)
        if value is UNKNOWN:
            value = _unknown_target(w, inst, path, arg)
        if value:
            route[field_name] = value
    return route


def _unknown_target(w: World, inst: Instance, path: tuple, arg: str) -> str | None:
    if not path:  # aws_route: every target argument is computed; only the configured one counts
        return w.ref(inst, arg) if w.wiring.has_argument(inst, arg) else None
    # `route` is a set: its elements line up with the configuration's blocks only one to one.
    cm = w.wiring.config_module(inst.module)
    blocks = ((cm.resources.get(inst.config_address) or {}).get("expressions") or {}).get(
        "route") if cm else None
    n = len(w.get(inst, "route") or [])
    if isinstance(blocks, list) and len(blocks) == n == 1:
        if arg not in blocks[0]:
            return None
        return w.ref(inst, "route", 0, arg)
    return w.placeholder(inst, (*path, arg))


def route_table(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    vpc_id = w.ref(inst, "vpc_id")
    if inst.type == "aws_default_route_table":
        rid = w.ref(inst, "default_route_table_id") or rid
        vpc_id = w.parents.get(rid, vpc_id)
    obj = {"RouteTableId": rid, "VpcId": vpc_id, "Routes": [], "Associations": [],
           "Tags": tags(w, inst)}
    prior = w.objects["RouteTables"].get(rid)
    if prior:  # aws_default_route_table takes over the VPC's main table
        obj["Associations"] = prior.get("Associations", [])
        obj["Routes"] = [r for r in prior.get("Routes", []) if r.get("GatewayId") == "local"]
        w.opaque.pop(rid, None)
    routes = w.get(inst, "route")
    if routes is UNKNOWN:
        if w.wiring.has_argument(inst, "route"):
            w.make_opaque(rid, inst, "route")
    elif isinstance(routes, list):
        for i in range(len(routes)):
            r = route_fields(w, inst, "route", i)
            if r is None:
                w.make_opaque(rid, inst, f"route[{i}]")
            else:
                obj["Routes"].append(r)
    w.put("RouteTables", rid, obj, inst)


def route(w: World, inst: Instance) -> None:
    r = route_fields(w, inst)
    rt = w.ref(inst, "route_table_id")
    if r is None:
        w.make_opaque(rt, inst, "destination")
        return
    w.fold("RouteTables", rt, "Routes", r, inst)


def route_table_association(w: World, inst: Instance) -> None:
    rt = w.ref(inst, "route_table_id")
    assoc = {"RouteTableAssociationId": w.id_of(inst), "RouteTableId": rt, "Main": False,
             "AssociationState": {"State": "associated"}}
    subnet_id = w.ref(inst, "subnet_id")
    if subnet_id:
        assoc["SubnetId"] = subnet_id
    else:
        gateway = w.ref(inst, "gateway_id")
        if gateway:
            assoc["GatewayId"] = gateway
    w.fold("RouteTables", rt, "Associations", assoc, inst)


def main_route_table_association(w: World, inst: Instance) -> None:
    rt = w.ref(inst, "route_table_id")
    w.fold("RouteTables", rt, "Associations", {"Main": True, "RouteTableId": rt,
                                               "AssociationState": {"State": "associated"}}, inst)
    w.main_tables[w.ref(inst, "vpc_id")] = rt


def internet_gateway(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    vpc_id = w.ref(inst, "vpc_id")
    state = "attached" if inst.type == "aws_egress_only_internet_gateway" else "available"
    obj = {"Attachments": [{"VpcId": vpc_id, "State": state}] if vpc_id else [], "Tags": tags(w, inst)}
    if inst.type == "aws_egress_only_internet_gateway":
        w.put("EgressOnlyInternetGateways", rid, {"EgressOnlyInternetGatewayId": rid, **obj}, inst)
    else:
        w.put("InternetGateways", rid, {"InternetGatewayId": rid, **obj}, inst)


def internet_gateway_attachment(w: World, inst: Instance) -> None:
    w.fold("InternetGateways", w.ref(inst, "internet_gateway_id"), "Attachments",
           {"VpcId": w.ref(inst, "vpc_id"), "State": "available"}, inst)


def nat_gateway(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    connectivity = known(w.get(inst, "connectivity_type")) or "public"
    address: dict[str, Any] = {}
    allocation = w.get(inst, "allocation_id")
    if isinstance(allocation, str) and allocation:
        address["AllocationId"] = allocation
    elif allocation is UNKNOWN:
        # AWS refuses a public NAT gateway without an Elastic IP; which one does not change a path.
        targets = w.wiring.resolve(inst, ("allocation_id",), many=False) or []
        if len(targets) == 1:
            address["AllocationId"] = w.target_value(targets[0])
    for arg, field_name in (("public_ip", "PublicIp"), ("private_ip", "PrivateIp")):
        if known(w.get(inst, arg)):
            address[field_name] = w.get(inst, arg)
    obj = {"NatGatewayId": rid, "SubnetId": w.ref(inst, "subnet_id"), "State": "available",
           "ConnectivityType": connectivity, "NatGatewayAddresses": [address] if address else [],
           "Tags": tags(w, inst)}
    if known(w.get(inst, "availability_mode")):
        obj["AvailabilityMode"] = w.get(inst, "availability_mode")
    w.put("NatGateways", rid, obj, inst)


def vpc_endpoint(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    kind = known(w.get(inst, "vpc_endpoint_type")) or "Gateway"
    obj = {"VpcEndpointId": rid, "VpcEndpointType": kind, "VpcId": w.ref(inst, "vpc_id"),
           "ServiceName": known(w.get(inst, "service_name")), "State": "available",
           "RouteTableIds": w.refs(inst, "route_table_ids"), "SubnetIds": w.refs(inst, "subnet_ids"),
           "Groups": [{"GroupId": g} for g in w.refs(inst, "security_group_ids")],
           "PrivateDnsEnabled": bool(known(w.get(inst, "private_dns_enabled"))),
           "Tags": tags(w, inst)}
    policy = known(w.get(inst, "policy"))
    if isinstance(policy, str):
        obj["PolicyDocument"] = policy
    w.put("VpcEndpoints", rid, obj, inst)
    if kind.lower() == "gateway":
        w.gateway_endpoints.append((rid, inst))


def endpoint_route_table_association(w: World, inst: Instance) -> None:
    w.fold("VpcEndpoints", w.ref(inst, "vpc_endpoint_id"), "RouteTableIds",
           w.ref(inst, "route_table_id"), inst)


def peering(w: World, inst: Instance) -> None:
    if inst.type == "aws_vpc_peering_connection_accepter":
        pcx = w.ref(inst, "vpc_peering_connection_id")
        w.fold("VpcPeeringConnections", pcx, "Status", {"Code": "active"}, inst)
        return
    rid = w.id_of(inst)
    status = known(w.get(inst, "accept_status"))
    if status is None:
        status = "active" if w.get(inst, "auto_accept") is True else "pending-acceptance"
    region = known(w.get(inst, "peer_region"))
    w.put("VpcPeeringConnections", rid, {
        "VpcPeeringConnectionId": rid, "Status": {"Code": status},
        "RequesterVpcInfo": {"VpcId": w.ref(inst, "vpc_id")},
        "AccepterVpcInfo": {k: v for k, v in {"VpcId": w.ref(inst, "peer_vpc_id"),
                                               "OwnerId": known(w.get(inst, "peer_owner_id")),
                                               "Region": region}.items() if v},
        "Tags": tags(w, inst)}, inst)


def prefix_list(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    entries = w.get(inst, "entry")
    obj = {"PrefixListId": rid, "PrefixListName": known(w.get(inst, "name")),
           "AddressFamily": known(w.get(inst, "address_family")), "State": "create-complete",
           "MaxEntries": known(w.get(inst, "max_entries")), "Tags": tags(w, inst),
           "Entries": [{"Cidr": e.get("cidr"), **({"Description": e["description"]}
                                                  if e.get("description") else {})}
                       for e in entries if isinstance(e, dict) and e.get("cidr")]
           if isinstance(entries, list) else []}
    if entries is UNKNOWN:
        w.make_opaque(rid, inst, "entry")
    w.put("ManagedPrefixLists", rid, obj, inst)


def prefix_list_entry(w: World, inst: Instance) -> None:
    cidr = known(w.get(inst, "cidr"))
    pl = w.ref(inst, "prefix_list_id")
    if cidr is None:
        w.make_opaque(pl, inst, "cidr")
    else:
        w.fold("ManagedPrefixLists", pl, "Entries", {"Cidr": cidr}, inst)
