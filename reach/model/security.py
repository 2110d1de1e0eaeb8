"""Security groups and network ACLs, in the shapes of DescribeSecurityGroups and DescribeNetworkAcls."""
from __future__ import annotations

from typing import Annotated

from pydantic import Field

from .base import AclPort, AwsModel, Cidr, Port, Protocol, State, Tag, aws_shape


@aws_shape
class IpRange:
    cidr_ip: Cidr
    description: str | None = None


@aws_shape
class Ipv6Range:
    cidr_ipv6: Cidr
    description: str | None = None


@aws_shape
class PrefixListId:
    prefix_list_id: str
    description: str | None = None


@aws_shape
class UserIdGroupPair:
    """A security-group reference, possibly in another account or across a peering (rule 4.8)."""

    group_id: str | None = None
    group_name: str | None = None
    user_id: str | None = None
    vpc_id: str | None = None
    vpc_peering_connection_id: str | None = None
    peering_status: str | None = None
    description: str | None = None


@aws_shape
class IpPermission:
    """One rule of a security group; `-1` means every protocol and port (rule 4.5)."""

    ip_protocol: Protocol
    from_port: Port | None = None
    to_port: Port | None = None
    ip_ranges: list[IpRange] = Field(default_factory=list)
    ipv6_ranges: list[Ipv6Range] = Field(default_factory=list)
    prefix_list_ids: list[PrefixListId] = Field(default_factory=list)
    user_id_group_pairs: list[UserIdGroupPair] = Field(default_factory=list)


class SecurityGroup(AwsModel):
    group_id: str
    group_name: str | None = None
    description: str | None = None
    vpc_id: str | None = None
    owner_id: str | None = None
    ip_permissions: list[IpPermission] = []
    ip_permissions_egress: list[IpPermission] = []
    tags: list[Tag] = []


class PortRange(AwsModel):
    from_: AclPort | None = Field(default=None, alias="From")
    to: AclPort | None = None


class IcmpTypeCode(AwsModel):
    type: Port | None = None
    code: Port | None = None


class NetworkAclEntry(AwsModel):
    """One NACL rule; rules run from the lowest number up and the first match decides (5.2)."""

    # 1-32766 for rules people add; 32767 is the default rule `*` (5.2), and DescribeNetworkAcls
    # lists the IPv6 `*` rule as 32768 (5.3).
    rule_number: Annotated[int, Field(ge=1, le=32768)]
    protocol: Protocol
    rule_action: State
    egress: bool
    cidr_block: Cidr | None = None
    ipv6_cidr_block: Cidr | None = None
    port_range: PortRange | None = None
    icmp_type_code: IcmpTypeCode | None = None


class NetworkAclAssociation(AwsModel):
    network_acl_association_id: str | None = None
    network_acl_id: str | None = None
    subnet_id: str | None = None


class NetworkAcl(AwsModel):
    network_acl_id: str
    vpc_id: str | None = None
    is_default: bool = False
    associations: list[NetworkAclAssociation] = []
    entries: list[NetworkAclEntry] = []
    owner_id: str | None = None
    tags: list[Tag] = []
