"""VPC shapes: VPCs, subnets, route tables, gateways, endpoints, prefix lists, ENIs, peering."""
from __future__ import annotations


from .base import AwsModel, Cidr, IpAddress, RouteState, State, Tag


class CidrBlockState(AwsModel):
    state: State | None = None


class CidrBlockAssociation(AwsModel):
    cidr_block: Cidr
    association_id: str | None = None
    cidr_block_state: CidrBlockState | None = None


class Ipv6CidrBlockAssociation(AwsModel):
    ipv6_cidr_block: Cidr | None = None
    association_id: str | None = None
    ipv6_cidr_block_state: CidrBlockState | None = None


def _live(state: CidrBlockState | None) -> bool:
    return state is None or state.state in (None, "associated")


class Vpc(AwsModel):
    vpc_id: str
    cidr_block: Cidr | None = None
    cidr_block_association_set: list[CidrBlockAssociation] = []
    ipv6_cidr_block_association_set: list[Ipv6CidrBlockAssociation] = []
    state: State | None = None
    is_default: bool = False
    instance_tenancy: str | None = None
    owner_id: str | None = None
    tags: list[Tag] = []

    def ipv4_cidrs(self) -> list[str]:
        """Every associated IPv4 CIDR, primary first (each gets a `local` route, rule 2.2)."""
        cidrs = [self.cidr_block] if self.cidr_block else []
        for a in self.cidr_block_association_set:
            if _live(a.cidr_block_state) and a.cidr_block not in cidrs:
                cidrs.append(a.cidr_block)
        return cidrs

    def ipv6_cidrs(self) -> list[str]:
        return [a.ipv6_cidr_block for a in self.ipv6_cidr_block_association_set
                if a.ipv6_cidr_block and _live(a.ipv6_cidr_block_state)]


class Subnet(AwsModel):
    subnet_id: str
    vpc_id: str
    cidr_block: Cidr | None = None
    ipv6_cidr_block_association_set: list[Ipv6CidrBlockAssociation] = []
    availability_zone: str | None = None
    availability_zone_id: str | None = None
    available_ip_address_count: int | None = None
    map_public_ip_on_launch: bool | None = None
    ipv6_native: bool | None = None  # an IPv6-only subnet: no IPv4 CIDR
    state: State | None = None
    owner_id: str | None = None
    tags: list[Tag] = []

    def ipv6_cidrs(self) -> list[str]:
        return [a.ipv6_cidr_block for a in self.ipv6_cidr_block_association_set
                if a.ipv6_cidr_block and _live(a.ipv6_cidr_block_state)]


class RouteTableAssociation(AwsModel):
    route_table_association_id: str | None = None
    route_table_id: str | None = None
    subnet_id: str | None = None
    gateway_id: str | None = None
    main: bool = False
    association_state: CidrBlockState | None = None


class Route(AwsModel):
    """One route; its target is whichever of the target fields is set (rule 2.7)."""

    destination_cidr_block: Cidr | None = None
    destination_ipv6_cidr_block: Cidr | None = None
    destination_prefix_list_id: str | None = None
    gateway_id: str | None = None
    egress_only_internet_gateway_id: str | None = None
    nat_gateway_id: str | None = None
    vpc_peering_connection_id: str | None = None
    transit_gateway_id: str | None = None
    network_interface_id: str | None = None
    instance_id: str | None = None
    instance_owner_id: str | None = None
    carrier_gateway_id: str | None = None
    local_gateway_id: str | None = None
    core_network_arn: str | None = None
    state: RouteState | None = None
    origin: str | None = None

    def target(self) -> str | None:
        """The route's target id (`local`, igw-, nat-, pcx-, tgw-, eni-, i-, vpce-, ...)."""
        for value in (self.gateway_id, self.nat_gateway_id, self.vpc_peering_connection_id,
                      self.transit_gateway_id, self.egress_only_internet_gateway_id,
                      self.network_interface_id, self.instance_id, self.carrier_gateway_id,
                      self.local_gateway_id, self.core_network_arn):
            if value:
                return value
        return None

    def destination(self) -> str | None:
        return (self.destination_cidr_block or self.destination_ipv6_cidr_block
                or self.destination_prefix_list_id)


class RouteTable(AwsModel):
    route_table_id: str
    vpc_id: str | None = None
    associations: list[RouteTableAssociation] = []
    routes: list[Route] = []
    propagating_vgws: list[dict] = []
    owner_id: str | None = None
    tags: list[Tag] = []

    @property
    def is_main(self) -> bool:
        return any(a.main for a in self.associations)


class GatewayAttachment(AwsModel):
    vpc_id: str
    state: State | None = None


class InternetGateway(AwsModel):
    internet_gateway_id: str
    attachments: list[GatewayAttachment] = []
    owner_id: str | None = None

    def attached_to(self, vpc_id: str | None) -> bool:
        """Attached to the VPC (rule 2.11): `available` (AWS's word for an attached IGW) or `attached`."""
        return any(a.vpc_id == vpc_id and a.state in (None, "available", "attached") for a in self.attachments)
    tags: list[Tag] = []


class EgressOnlyInternetGateway(AwsModel):
    egress_only_internet_gateway_id: str
    attachments: list[GatewayAttachment] = []
    tags: list[Tag] = []

    def attached_to(self, vpc_id: str | None) -> bool:
        """Attached to the VPC (2.14): its attachment state is `attached`."""
        return any(a.vpc_id == vpc_id and a.state in (None, "available", "attached") for a in self.attachments)


class NatGatewayAddress(AwsModel):
    allocation_id: str | None = None
    network_interface_id: str | None = None
    private_ip: IpAddress | None = None
    public_ip: IpAddress | None = None
    is_primary: bool | None = None
    status: State | None = None


class NatGateway(AwsModel):
    nat_gateway_id: str
    vpc_id: str | None = None
    subnet_id: str | None = None
    state: State | None = None
    connectivity_type: State | None = None
    availability_mode: State | None = None
    nat_gateway_addresses: list[NatGatewayAddress] = []
    tags: list[Tag] = []

    @property
    def is_public(self) -> bool:
        """Public unless ConnectivityType says private (rule 2.16); public is the API default."""
        return self.connectivity_type in (None, "public")


class SecurityGroupIdentifier(AwsModel):
    group_id: str
    group_name: str | None = None


class VpcEndpoint(AwsModel):
    vpc_endpoint_id: str
    vpc_endpoint_type: State = "gateway"
    vpc_id: str | None = None
    service_name: str | None = None
    state: State | None = None
    policy_document: str | None = None
    route_table_ids: list[str] = []
    subnet_ids: list[str] = []
    groups: list[SecurityGroupIdentifier] = []
    private_dns_enabled: bool | None = None
    network_interface_ids: list[str] = []
    ip_address_type: str | None = None
    dns_options: dict | None = None
    owner_id: str | None = None
    tags: list[Tag] = []


class PrefixListEntry(AwsModel):
    cidr: Cidr
    description: str | None = None


class ManagedPrefixList(AwsModel):
    prefix_list_id: str
    prefix_list_name: str | None = None
    address_family: str | None = None
    state: State | None = None
    max_entries: int | None = None
    owner_id: str | None = None
    entries: list[PrefixListEntry] | None = None
    tags: list[Tag] = []


class PrefixList(AwsModel):
    """The older DescribePrefixLists shape: AWS service prefix lists with their CIDRs."""

    prefix_list_id: str
    prefix_list_name: str | None = None
    cidrs: list[Cidr] = []
    # Present when DescribeManagedPrefixLists output was saved under the same key, PrefixLists.
    address_family: str | None = None
    state: State | None = None
    max_entries: int | None = None
    owner_id: str | None = None


class EniAssociation(AwsModel):
    public_ip: IpAddress | None = None
    public_dns_name: str | None = None
    ip_owner_id: str | None = None
    allocation_id: str | None = None
    carrier_ip: str | None = None


class EniPrivateIp(AwsModel):
    private_ip_address: IpAddress | None = None
    primary: bool | None = None
    association: EniAssociation | None = None


class EniIpv6Address(AwsModel):
    ipv6_address: IpAddress


class EniAttachment(AwsModel):
    attachment_id: str | None = None
    instance_id: str | None = None
    instance_owner_id: str | None = None
    status: State | None = None
    device_index: int | None = None


class NetworkInterface(AwsModel):
    network_interface_id: str
    interface_type: State | None = None
    subnet_id: str | None = None
    vpc_id: str | None = None
    availability_zone: str | None = None
    groups: list[SecurityGroupIdentifier] = []
    private_ip_address: IpAddress | None = None
    private_ip_addresses: list[EniPrivateIp] = []
    ipv6_addresses: list[EniIpv6Address] = []
    association: EniAssociation | None = None
    attachment: EniAttachment | None = None
    source_dest_check: bool | None = None
    status: State | None = None
    description: str | None = None
    requester_id: str | None = None
    requester_managed: bool | None = None
    owner_id: str | None = None
    tag_set: list[Tag] = []

    @property
    def group_ids(self) -> list[str]:
        return [g.group_id for g in self.groups]

    def public_ips(self) -> list[str]:
        ips = [self.association.public_ip] if self.association and self.association.public_ip else []
        ips += [p.association.public_ip for p in self.private_ip_addresses
                if p.association and p.association.public_ip and p.association.public_ip not in ips]
        return ips


class PeeringOptions(AwsModel):
    allow_dns_resolution_from_remote_vpc: bool | None = None


class CidrBlockItem(AwsModel):
    cidr_block: Cidr


class Ipv6CidrBlockItem(AwsModel):
    ipv6_cidr_block: Cidr


class PeeringVpcInfo(AwsModel):
    vpc_id: str | None = None
    owner_id: str | None = None
    region: str | None = None
    cidr_block: Cidr | None = None
    cidr_block_set: list[CidrBlockItem] = []
    ipv6_cidr_block_set: list[Ipv6CidrBlockItem] = []
    peering_options: PeeringOptions | None = None

    def ipv6_cidrs(self) -> list[str]:
        return [c.ipv6_cidr_block for c in self.ipv6_cidr_block_set]

    def cidrs(self) -> list[str]:
        cidrs = [c.cidr_block for c in self.cidr_block_set]
        if self.cidr_block and self.cidr_block not in cidrs:
            cidrs.insert(0, self.cidr_block)
        return cidrs


class PeeringStatus(AwsModel):
    code: State | None = None
    message: str | None = None


class VpcPeeringConnection(AwsModel):
    vpc_peering_connection_id: str
    status: PeeringStatus | None = None
    accepter_vpc_info: PeeringVpcInfo | None = None
    requester_vpc_info: PeeringVpcInfo | None = None
    tags: list[Tag] = []

    @property
    def is_active(self) -> bool:
        """Carries traffic only when active (rule 6.1); a missing status is not active."""
        return self.status is not None and self.status.code == "active"
