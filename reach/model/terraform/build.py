"""Turn a plan or state into AWS shapes: each side of the plan as a world, then applied onto a base."""
from __future__ import annotations

import ipaddress
from collections import Counter
from typing import Any, Callable

from ...errors import ReachInputError
from . import compute, iam, network, security, tgw
from .document import Document, Instance
from .wiring import Wiring
from .world import UNKNOWN_PREFIX, World

Convert = Callable[[World, Instance], None]
# type -> (phase, converter). Phase 0 makes objects, 1 folds sub-resources into them.
MANAGED: dict[str, tuple[int, Convert]] = {
    "aws_vpc": (0, network.vpc), "aws_default_vpc": (0, network.vpc),
    "aws_subnet": (0, network.subnet), "aws_default_subnet": (0, network.subnet),
    "aws_route_table": (1, network.route_table), "aws_default_route_table": (1, network.route_table),
    "aws_internet_gateway": (0, network.internet_gateway),
    "aws_egress_only_internet_gateway": (0, network.internet_gateway),
    "aws_internet_gateway_attachment": (2, network.internet_gateway_attachment),
    "aws_nat_gateway": (0, network.nat_gateway), "aws_eip": (0, lambda w, i: None),
    "aws_vpc_endpoint": (0, network.vpc_endpoint),
    "aws_vpc_peering_connection": (0, network.peering),
    "aws_vpc_peering_connection_accepter": (2, network.peering),
    "aws_ec2_managed_prefix_list": (0, network.prefix_list),
    "aws_ec2_managed_prefix_list_entry": (2, network.prefix_list_entry),
    "aws_security_group": (1, security.security_group),
    "aws_default_security_group": (1, security.security_group),
    "aws_network_acl": (1, security.network_acl), "aws_default_network_acl": (1, security.network_acl),
    "aws_ec2_transit_gateway": (0, tgw.transit_gateway),
    "aws_ec2_transit_gateway_route_table": (0, tgw.tgw_route_table),
    "aws_ec2_transit_gateway_vpc_attachment": (1, tgw.vpc_attachment),
    "aws_db_subnet_group": (0, compute.db_subnet_group),
    "aws_lambda_function": (1, compute.function),
    "aws_rds_cluster": (1, compute.rds_cluster),
    "aws_db_instance": (2, compute.db_instance), "aws_rds_cluster_instance": (2, compute.db_instance),
    "aws_route": (2, network.route), "aws_route_table_association": (2, network.route_table_association),
    "aws_main_route_table_association": (2, network.main_route_table_association),
    "aws_vpc_endpoint_route_table_association": (2, network.endpoint_route_table_association),
    "aws_security_group_rule": (2, security.security_group_rule),
    "aws_vpc_security_group_ingress_rule": (2, security.security_group_rule),
    "aws_vpc_security_group_egress_rule": (2, security.security_group_rule),
    "aws_network_acl_rule": (2, security.network_acl_rule),
    "aws_network_acl_association": (2, security.network_acl_association),
    "aws_ec2_transit_gateway_route": (2, tgw.tgw_route),
    "aws_ec2_transit_gateway_route_table_association": (2, tgw.tgw_link),
    "aws_ec2_transit_gateway_route_table_propagation": (2, tgw.tgw_link),
    "aws_iam_role": (0, iam.role), "aws_iam_policy": (0, iam.managed_policy),
    "aws_iam_role_policy": (2, iam.role_policy),
    "aws_iam_role_policy_attachment": (2, iam.role_policy_attachment),
    "aws_iam_policy_attachment": (2, iam.policy_attachment),
    "aws_iam_role_policies_exclusive": (2, iam.role_exclusive),
    "aws_iam_role_policy_attachments_exclusive": (2, iam.role_exclusive),
    "aws_lambda_permission": (2, iam.lambda_permission),
}
# Data sources whose values are AWS objects: read when the plan stands alone (no base snapshot).
# A data source's role is not one: it does not show the role's policies.
DATA: dict[str, Convert] = {"aws_vpc": network.vpc, "aws_subnet": network.subnet,
                            "aws_iam_policy": iam.managed_policy}


def build_world(doc: Document, wiring: Wiring, side: str, account: str | None = None) -> World:
    """Every object one side of the plan holds, in AWS shapes."""
    w = World(doc, wiring, side, account=account, computed=iam.COMPUTED)
    present = [i for i in doc.instances if (i.after if side == "after" else i.before) is not None]
    for phase in (0, 1, 2):
        for inst in present:
            convert = (MANAGED.get(inst.type, (None, None)) if inst.mode == "managed"
                       else (0, DATA.get(inst.type)))
            if convert[0] == phase and convert[1] is not None:
                try:
                    convert[1](w, inst)
                except (TypeError, AttributeError, KeyError, IndexError, ValueError) as exc:
                    # A value of a type the provider never writes (a number for a name, ...).
                    raise ReachInputError(f"a value of an unexpected type ({exc})", file=doc.name,
                                          path=f"{inst.address} ({side})") from None
    _finish(w)
    return w


def unread_types(doc: Document) -> dict[str, int]:
    """Managed resource types reach does not read, with how many instances each has."""
    return dict(Counter(i.type for i in doc.instances if i.mode == "managed" and i.type not in MANAGED))


def _finish(w: World) -> None:
    """What AWS derives: endpoint routes, the one main table, VPC ids, peering CIDRs, members."""
    objects = w.objects
    for vpc_id, rt in w.main_tables.items():
        for other in objects["RouteTables"].values():
            if other.get("VpcId") == vpc_id and other["RouteTableId"] != rt:
                other["Associations"] = [a for a in other.get("Associations", []) if not a.get("Main")]
    for vpce, inst in w.gateway_endpoints:
        endpoint = objects["VpcEndpoints"][vpce]
        pl = w.ref(inst, "prefix_list_id")
        for rt in endpoint.get("RouteTableIds", []):
            w.fold("RouteTables", rt, "Routes", {"DestinationPrefixListId": pl, "GatewayId": vpce,
                                                 "State": "active", "Origin": "CreateRoute"}, inst)
    _infer_vpcs(w)
    subnets = objects["Subnets"]
    for nat in objects["NatGateways"].values():
        nat["VpcId"] = (subnets.get(nat.get("SubnetId")) or {}).get("VpcId")
    for fn in objects["Functions"].values():
        vc = fn.get("VpcConfig")
        if vc and not vc.get("VpcId"):
            vc["VpcId"] = next((subnets[s]["VpcId"] for s in vc.get("SubnetIds", []) if s in subnets), None)
    for group in w.db_subnet_groups.values():
        group["VpcId"] = next((subnets[s["SubnetIdentifier"]]["VpcId"] for s in group["Subnets"]
                               if s["SubnetIdentifier"] in subnets), None)
        for s in group["Subnets"]:
            az = (subnets.get(s["SubnetIdentifier"]) or {}).get("AvailabilityZone")
            if az:
                s["SubnetAvailabilityZone"] = {"Name": az}
    for pcx in objects["VpcPeeringConnections"].values():
        for side in ("RequesterVpcInfo", "AccepterVpcInfo"):
            info = pcx.get(side) or {}
            vpc = objects["Vpcs"].get(info.get("VpcId"))
            if vpc and vpc.get("CidrBlock"):
                info["CidrBlock"] = vpc["CidrBlock"]
                info["CidrBlockSet"] = [{"CidrBlock": vpc["CidrBlock"]}]
        if isinstance(pcx.get("Status"), list):  # folded by an accepter
            pcx["Status"] = pcx["Status"][-1]
    for att, rt in w.attachment_links:
        obj = objects["TransitGatewayAttachments"].get(att)
        if obj is not None:
            obj["Association"] = {"TransitGatewayRouteTableId": rt, "State": "associated"}
    compute.finish_clusters(w)
    for key, items in objects.items():
        for rid, obj in items.items():
            for field_name, extra in w.pending.pop((key, rid), []):
                obj.setdefault(field_name, []).append(extra)
    iam.finish(w)


def _infer_vpcs(w: World) -> None:
    """A VPC id the plan leaves unknown (set from a module `local`), taken from the one VPC the same
    module creates: for a subnet only when its CIDR lies in that VPC's (AWS refuses any other),
    for route tables and gateways, which the module's routes and associations tie to its subnets.
    Security groups, NACLs and endpoints are never inferred. Each inference is a note."""
    vpcs_of: dict[str, list[dict]] = {}
    for rid, vpc in w.objects["Vpcs"].items():
        if rid not in w.data_ids:
            vpcs_of.setdefault(w.module_of.get(rid, ""), []).append(vpc)
    for key in ("Subnets", "RouteTables", "InternetGateways", "EgressOnlyInternetGateways"):
        for rid, obj in w.objects[key].items():
            holder = (obj.get("Attachments") or [{}])[0] if "Gateway" in key else obj
            value = holder.get("VpcId")
            if not (isinstance(value, str) and value.startswith(UNKNOWN_PREFIX)):
                continue
            candidates = vpcs_of.get(w.module_of.get(rid, ""), [])
            if key == "Subnets":
                candidates = [v for v in candidates if _within(obj.get("CidrBlock"), v.get("CidrBlock"))]
            if len(candidates) == 1:
                holder["VpcId"] = candidates[0]["VpcId"]
                w.unknowns.pop(value, None)
                w.inferred.append((rid, "vpc_id", candidates[0]["VpcId"]))


def add_local_routes(lists: dict) -> None:
    """Every route table has a `local` route for each CIDR of its VPC (rule 2.2)."""
    vpcs = {v.get("VpcId"): v for v in lists.get("Vpcs", [])}
    for rt in lists.get("RouteTables", []):
        vpc = vpcs.get(rt.get("VpcId"))
        routes = rt.setdefault("Routes", [])
        if not vpc or any(r.get("GatewayId") == "local" for r in routes):
            continue
        cidrs = [a["CidrBlock"] for a in vpc.get("CidrBlockAssociationSet", []) if a.get("CidrBlock")]
        cidrs = cidrs or ([vpc["CidrBlock"]] if vpc.get("CidrBlock") else [])
        routes[:0] = [{"DestinationCidrBlock": c, "GatewayId": "local", "State": "active",
                       "Origin": "CreateRouteTable"} for c in cidrs]
        routes[len(cidrs):len(cidrs)] = [
            {"DestinationIpv6CidrBlock": a["Ipv6CidrBlock"], "GatewayId": "local", "State": "active",
             "Origin": "CreateRouteTable"} for a in vpc.get("Ipv6CidrBlockAssociationSet", [])
            if a.get("Ipv6CidrBlock")]


def _within(inner: Any, outer: Any) -> bool:
    try:
        return ipaddress.ip_network(inner).subnet_of(ipaddress.ip_network(outer))
    except (TypeError, ValueError):
        return False
