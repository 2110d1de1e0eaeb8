"""Transit gateway shapes: gateways, attachments (per side for peering), route tables and their routes."""
from __future__ import annotations

from .base import AwsModel, Cidr, OptionalId, State, Tag


class TransitGatewayOptions(AwsModel):
    association_default_route_table_id: OptionalId = None
    propagation_default_route_table_id: OptionalId = None
    default_route_table_association: State | None = None
    default_route_table_propagation: State | None = None
    security_group_referencing_support: State | None = None


class TransitGateway(AwsModel):
    transit_gateway_id: str
    state: State | None = None
    owner_id: str | None = None
    options: TransitGatewayOptions | None = None
    tags: list[Tag] = []


class TgwAssociation(AwsModel):
    transit_gateway_route_table_id: str | None = None
    state: State | None = None


class TgwAttachmentOptions(AwsModel):
    security_group_referencing_support: State | None = None
    appliance_mode_support: State | None = None
    ipv6_support: State | None = None  # whether the VPC's IPv6 CIDRs propagate (docs/semantics.md §6v)


class TransitGatewayAttachment(AwsModel):
    """A TGW attachment; `SubnetIds` and `Options` come from DescribeTransitGatewayVpcAttachments."""

    transit_gateway_attachment_id: str
    transit_gateway_id: str | None = None
    transit_gateway_owner_id: str | None = None
    resource_owner_id: str | None = None
    resource_type: State | None = None
    resource_id: str | None = None
    vpc_id: str | None = None
    state: State | None = None
    association: TgwAssociation | None = None
    subnet_ids: list[str] = []
    options: TgwAttachmentOptions | None = None
    tags: list[Tag] = []


class TgwRouteAttachment(AwsModel):
    resource_id: str | None = None
    resource_type: State | None = None
    transit_gateway_attachment_id: str | None = None


class TransitGatewayRoute(AwsModel):
    destination_cidr_block: Cidr | None = None
    prefix_list_id: str | None = None
    state: State | None = None
    type: State | None = None
    transit_gateway_attachments: list[TgwRouteAttachment] = []


class TgwRouteTableLink(AwsModel):
    """An association or a propagation of a TGW route table."""

    transit_gateway_attachment_id: str | None = None
    resource_id: str | None = None
    resource_type: State | None = None
    state: State | None = None


class TransitGatewayRouteTable(AwsModel):
    transit_gateway_route_table_id: str
    transit_gateway_id: str | None = None
    state: State | None = None
    default_association_route_table: bool | None = None
    default_propagation_route_table: bool | None = None
    routes: list[TransitGatewayRoute] = []
    associations: list[TgwRouteTableLink] = []
    propagations: list[TgwRouteTableLink] = []
    tags: list[Tag] = []
