"""Find what the snapshot lacks: dangling references (a route to a NAT it does not hold) and whole
kinds of data never collected (no RouteTables key at all). Warnings, never load errors."""
from __future__ import annotations

from typing import Iterator

from .snapshot import RESOURCE_KEYS, LoadWarning, RegionSnapshot, Snapshot

CODE = "DANGLING_REFERENCE"
MISSING_DATA = "MISSING_DATA"
# The kinds every question about a function needs: where it runs, its groups, the subnet's
# route table and NACL (design.md, "Reasoning").
NEEDED_KEYS = ("Functions", "Vpcs", "Subnets", "RouteTables", "SecurityGroups", "NetworkAcls")

# Route-target id prefixes and the snapshot key that must hold them (rule 2.7). vgw-, cagw-,
# lgw- and core networks are outside the snapshot format and are not checked.
_TARGET_KEYS = {"igw-": "InternetGateways", "eigw-": "EgressOnlyInternetGateways",
                "nat-": "NatGateways", "pcx-": "VpcPeeringConnections", "tgw-": "TransitGateways",
                "eni-": "NetworkInterfaces", "vpce-": "VpcEndpoints"}


def check_references(snap: Snapshot) -> list[LoadWarning]:
    """Return one warning per reference to an id the snapshot does not hold."""
    out: list[LoadWarning] = []
    for rs in snap.regions:
        for component_id, field, key, rid in _references(snap, rs):
            if rid and snap.get(key, rid) is None and not _known_elsewhere(snap, key, rid):
                out.append(LoadWarning(CODE, component_id, field, rid, rs.account_id, rs.region))
    return out


def missing_kinds(lists: list[RegionSnapshot], rs: RegionSnapshot) -> list[LoadWarning]:
    """One warning per needed kind that no file of this account and Region holds, not even as
    an empty list (a snapshot of `describe-subnets` alone lacks route tables, groups, NACLs)."""
    given = set().union(*(part.model_fields_set for part in lists))
    return [LoadWarning(MISSING_DATA, rs.region, key, "", rs.account_id, rs.region)
            for key in NEEDED_KEYS if RESOURCE_KEYS[key][0] not in given]


def _known_elsewhere(snap: Snapshot, key: str, rid: str) -> bool:
    if key == "PrefixLists":
        return snap.get("ManagedPrefixLists", rid) is not None
    if key == "Instances":  # a NAT instance: known when one of the snapshot's ENIs is attached to it
        return any(e.attachment and e.attachment.instance_id == rid
                   for e in snap.items("NetworkInterfaces"))
    return False


def _references(snap: Snapshot, rs) -> Iterator[tuple[str, str, str, str | None]]:
    for s in rs.subnets:
        yield s.subnet_id, "VpcId", "Vpcs", s.vpc_id
    for rt in rs.route_tables:
        for i, a in enumerate(rt.associations):
            yield rt.route_table_id, f"Associations[{i}].SubnetId", "Subnets", a.subnet_id
        for i, r in enumerate(rt.routes):
            if r.destination_prefix_list_id:
                yield (rt.route_table_id, f"Routes[{i}].DestinationPrefixListId", "PrefixLists",
                       r.destination_prefix_list_id)
            target = r.target()
            if r.instance_id:
                yield rt.route_table_id, f"Routes[{i}].InstanceId", "Instances", r.instance_id
            elif target:
                key = next((k for p, k in _TARGET_KEYS.items() if target.startswith(p)), None)
                if key:
                    yield rt.route_table_id, f"Routes[{i}]", key, target
    for n in rs.nat_gateways:
        yield n.nat_gateway_id, "SubnetId", "Subnets", n.subnet_id
    for e in rs.vpc_endpoints:
        for i, rt in enumerate(e.route_table_ids):
            yield e.vpc_endpoint_id, f"RouteTableIds[{i}]", "RouteTables", rt
        for i, s in enumerate(e.subnet_ids):
            yield e.vpc_endpoint_id, f"SubnetIds[{i}]", "Subnets", s
        for i, g in enumerate(e.groups):
            yield e.vpc_endpoint_id, f"Groups[{i}].GroupId", "SecurityGroups", g.group_id
        for i, eni in enumerate(e.network_interface_ids):
            yield e.vpc_endpoint_id, f"NetworkInterfaceIds[{i}]", "NetworkInterfaces", eni
    for sg in rs.security_groups:
        for direction, perms in (("IpPermissions", sg.ip_permissions),
                                 ("IpPermissionsEgress", sg.ip_permissions_egress)):
            for i, p in enumerate(perms):
                for j, pair in enumerate(p.user_id_group_pairs):
                    yield (sg.group_id, f"{direction}[{i}].UserIdGroupPairs[{j}].GroupId",
                           "SecurityGroups", pair.group_id)
                for j, pl in enumerate(p.prefix_list_ids):
                    yield (sg.group_id, f"{direction}[{i}].PrefixListIds[{j}].PrefixListId",
                           "PrefixLists", pl.prefix_list_id)
    for acl in rs.network_acls:
        for i, a in enumerate(acl.associations):
            yield acl.network_acl_id, f"Associations[{i}].SubnetId", "Subnets", a.subnet_id
    for eni in rs.network_interfaces:
        yield eni.network_interface_id, "SubnetId", "Subnets", eni.subnet_id
        for i, g in enumerate(eni.groups):
            yield eni.network_interface_id, f"Groups[{i}].GroupId", "SecurityGroups", g.group_id
    for fn in rs.functions:
        if fn.vpc_config:
            for i, s in enumerate(fn.vpc_config.subnet_ids):
                yield fn.qualified_name, f"VpcConfig.SubnetIds[{i}]", "Subnets", s
            for i, g in enumerate(fn.vpc_config.security_group_ids):
                yield fn.qualified_name, f"VpcConfig.SecurityGroupIds[{i}]", "SecurityGroups", g
    for db in rs.db_instances:
        for i, g in enumerate(db.vpc_security_groups):
            yield (db.identifier, f"VpcSecurityGroups[{i}].VpcSecurityGroupId", "SecurityGroups",
                   g.vpc_security_group_id)
        if db.db_subnet_group:
            for i, s in enumerate(db.db_subnet_group.subnets):
                yield (db.identifier, f"DBSubnetGroup.Subnets[{i}].SubnetIdentifier", "Subnets",
                       s.subnet_identifier)
        if db.db_cluster_identifier:
            yield db.identifier, "DBClusterIdentifier", "DBClusters", db.db_cluster_identifier
    for c in rs.db_clusters:
        for i, g in enumerate(c.vpc_security_groups):
            yield (c.identifier, f"VpcSecurityGroups[{i}].VpcSecurityGroupId", "SecurityGroups",
                   g.vpc_security_group_id)
    for pcx in rs.vpc_peering_connections:
        for side in ("AccepterVpcInfo", "RequesterVpcInfo"):
            info = pcx.accepter_vpc_info if side == "AccepterVpcInfo" else pcx.requester_vpc_info
            if info:
                yield pcx.vpc_peering_connection_id, f"{side}.VpcId", "Vpcs", info.vpc_id
    for att in rs.transit_gateway_attachments:
        yield att.transit_gateway_attachment_id, "TransitGatewayId", "TransitGateways", att.transit_gateway_id
