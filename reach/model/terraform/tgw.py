"""Terraform transit gateways, attachments, route tables and routes -> DescribeTransitGateway* shapes."""
from __future__ import annotations

from typing import Any

from .document import Instance
from .network import known, tags
from .wiring import Target
from .world import World


def transit_gateway(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    assoc = known(w.get(inst, "default_route_table_association")) or "enable"
    prop = known(w.get(inst, "default_route_table_propagation")) or "enable"
    default_rt = w.target_value(Target(instance=inst, attr="association_default_route_table_id"))
    w.put("TransitGateways", rid, {"TransitGatewayId": rid, "State": "available", "Tags": tags(w, inst),
                                   "Options": {"DefaultRouteTableAssociation": assoc,
                                               "DefaultRouteTablePropagation": prop,
                                               "AssociationDefaultRouteTableId": default_rt,
                                               "PropagationDefaultRouteTableId": default_rt}}, inst)
    if "enable" in (assoc, prop):
        w.tgw_default[rid] = default_rt
        w.put("TransitGatewayRouteTables", default_rt, {
            "TransitGatewayRouteTableId": default_rt, "TransitGatewayId": rid, "State": "available",
            "DefaultAssociationRouteTable": assoc == "enable",
            "DefaultPropagationRouteTable": prop == "enable", "Routes": [], "Associations": [],
            "Propagations": []}, inst)
        if not (w.side == "after" and inst.action in ("create", "replace")):
            w.make_opaque(default_rt, inst, "association_default_route_table_id (not managed by Terraform)")


def vpc_attachment(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    tgw = w.ref(inst, "transit_gateway_id")
    vpc_id = w.ref(inst, "vpc_id")
    obj: dict[str, Any] = {"TransitGatewayAttachmentId": rid, "TransitGatewayId": tgw,
                           "ResourceType": "vpc", "ResourceId": vpc_id, "VpcId": vpc_id,
                           "State": "available", "SubnetIds": w.refs(inst, "subnet_ids"),
                           "Options": {"ApplianceModeSupport": known(w.get(inst, "appliance_mode_support"))
                                       or "disable",
                                       "Ipv6Support": known(w.get(inst, "ipv6_support")) or "disable"},
                           "Tags": tags(w, inst)}
    link = {"TransitGatewayAttachmentId": rid, "ResourceId": vpc_id, "ResourceType": "vpc"}
    default_rt = w.tgw_default.get(tgw)
    if default_rt and w.get(inst, "transit_gateway_default_route_table_association") is not False:
        w.fold("TransitGatewayRouteTables", default_rt, "Associations", {**link, "State": "associated"},
               inst)
        obj["Association"] = {"TransitGatewayRouteTableId": default_rt, "State": "associated"}
    if default_rt and w.get(inst, "transit_gateway_default_route_table_propagation") is not False:
        w.fold("TransitGatewayRouteTables", default_rt, "Propagations", {**link, "State": "enabled"},
               inst)
    w.put("TransitGatewayAttachments", rid, obj, inst)


def tgw_route_table(w: World, inst: Instance) -> None:
    rid = w.id_of(inst)
    w.put("TransitGatewayRouteTables", rid, {
        "TransitGatewayRouteTableId": rid, "TransitGatewayId": w.ref(inst, "transit_gateway_id"),
        "State": "available", "Routes": [], "Associations": [], "Propagations": [],
        "Tags": tags(w, inst)}, inst)


def tgw_route(w: World, inst: Instance) -> None:
    blackhole = w.get(inst, "blackhole") is True
    route: dict[str, Any] = {"DestinationCidrBlock": known(w.get(inst, "destination_cidr_block")),
                             "Type": "static", "State": "blackhole" if blackhole else "active",
                             "TransitGatewayAttachments": [] if blackhole else [
                                 {"TransitGatewayAttachmentId": w.ref(inst, "transit_gateway_attachment_id")}]}
    rt = w.ref(inst, "transit_gateway_route_table_id")
    if route["DestinationCidrBlock"] is None:
        w.make_opaque(rt, inst, "destination_cidr_block")
        return
    w.fold("TransitGatewayRouteTables", rt, "Routes", route, inst)


def tgw_link(w: World, inst: Instance) -> None:
    """A route-table association or propagation."""
    rt = w.ref(inst, "transit_gateway_route_table_id")
    att = w.ref(inst, "transit_gateway_attachment_id")
    association = inst.type.endswith("association")
    w.fold("TransitGatewayRouteTables", rt, "Associations" if association else "Propagations",
           {"TransitGatewayAttachmentId": att, "State": "associated" if association else "enabled"},
           inst)
    if association:
        w.attachment_links.append((att, rt))
