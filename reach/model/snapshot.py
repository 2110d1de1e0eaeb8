"""The snapshot: per-(account, region) lists in AWS shapes, and one index of every resource by id."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from pydantic import ConfigDict, Field

from .base import AwsModel
from .compute import DbCluster, DbInstance, Function
from .iam import (Bucket, BucketPolicy, FunctionPolicy, FunctionUrlConfig, ManagedPolicy,
                  OrgPolicyLevel, ResourcePolicy, RoleDetail)
from .network import (EgressOnlyInternetGateway, InternetGateway, ManagedPrefixList, NatGateway,
                      NetworkInterface, PrefixList, RouteTable, Subnet, Vpc, VpcEndpoint,
                      VpcPeeringConnection)
from .tgw import TransitGateway, TransitGatewayAttachment, TransitGatewayRouteTable
from .security import NetworkAcl, SecurityGroup


class Gap(AwsModel):
    """A call the collector could not make (AccessDenied, region not enabled); answers that need
    its data are `unknown`."""

    service: str
    call: str
    region: str | None = None
    error: str | None = None


class RegionSnapshot(AwsModel):
    """One account and region, in the shape of contract §1.1."""

    model_config = ConfigDict(defer_build=True)

    account_id: str = "unknown"
    region: str = "unknown"
    vpcs: list[Vpc] = []
    subnets: list[Subnet] = []
    route_tables: list[RouteTable] = []
    internet_gateways: list[InternetGateway] = []
    egress_only_internet_gateways: list[EgressOnlyInternetGateway] = []
    nat_gateways: list[NatGateway] = []
    vpc_endpoints: list[VpcEndpoint] = []
    security_groups: list[SecurityGroup] = []
    network_acls: list[NetworkAcl] = []
    managed_prefix_lists: list[ManagedPrefixList] = []
    prefix_lists: list[PrefixList] = []
    network_interfaces: list[NetworkInterface] = []
    vpc_peering_connections: list[VpcPeeringConnection] = []
    transit_gateways: list[TransitGateway] = []
    transit_gateway_attachments: list[TransitGatewayAttachment] = []
    transit_gateway_route_tables: list[TransitGatewayRouteTable] = []
    functions: list[Function] = []
    db_instances: list[DbInstance] = Field(default=[], alias="DBInstances")
    db_clusters: list[DbCluster] = Field(default=[], alias="DBClusters")
    # Permissions (contract §1.1; reach/model/iam.py): account-wide, read from any of its regions.
    role_detail_list: list[RoleDetail] = []
    policies: list[ManagedPolicy] = []
    function_policies: list[FunctionPolicy] = []
    resource_policies: list[ResourcePolicy] = []
    bucket_policies: list[BucketPolicy] = []
    function_url_configs: list[FunctionUrlConfig] = []
    buckets: list[Bucket] = []
    service_control_policies: list[OrgPolicyLevel] | None = None  # None: not judged
    resource_control_policies: list[OrgPolicyLevel] | None = None
    gaps: list[Gap] = []


# Snapshot key -> the attribute of RegionSnapshot and the id field of its items (contract §1.1).
RESOURCE_KEYS: dict[str, tuple[str, str]] = {
    "Vpcs": ("vpcs", "vpc_id"),
    "Subnets": ("subnets", "subnet_id"),
    "RouteTables": ("route_tables", "route_table_id"),
    "InternetGateways": ("internet_gateways", "internet_gateway_id"),
    "EgressOnlyInternetGateways": ("egress_only_internet_gateways", "egress_only_internet_gateway_id"),
    "NatGateways": ("nat_gateways", "nat_gateway_id"),
    "VpcEndpoints": ("vpc_endpoints", "vpc_endpoint_id"),
    "SecurityGroups": ("security_groups", "group_id"),
    "NetworkAcls": ("network_acls", "network_acl_id"),
    "ManagedPrefixLists": ("managed_prefix_lists", "prefix_list_id"),
    "PrefixLists": ("prefix_lists", "prefix_list_id"),
    "NetworkInterfaces": ("network_interfaces", "network_interface_id"),
    "VpcPeeringConnections": ("vpc_peering_connections", "vpc_peering_connection_id"),
    "TransitGateways": ("transit_gateways", "transit_gateway_id"),
    "TransitGatewayAttachments": ("transit_gateway_attachments", "transit_gateway_attachment_id"),
    "TransitGatewayRouteTables": ("transit_gateway_route_tables", "transit_gateway_route_table_id"),
    "Functions": ("functions", "qualified_name"),
    "DBInstances": ("db_instances", "db_instance_identifier"),
    "DBClusters": ("db_clusters", "db_cluster_identifier"),
}


def _owner(item: object) -> str | None:
    """The account that owns an object, when its API shape says (OwnerId, TransitGatewayOwnerId)."""
    return getattr(item, "owner_id", None) or getattr(item, "transit_gateway_owner_id", None)


@dataclass(frozen=True)
class LoadWarning:
    """A dangling reference or other oddity found while loading; questions consult these."""

    code: str
    component_id: str
    field: str
    missing_id: str
    account_id: str = "unknown"
    region: str = "unknown"


@dataclass
class Snapshot:
    """Everything loaded, merged across files, accounts and regions, with every resource by id."""

    regions: list[RegionSnapshot]
    unknown_keys: list[tuple[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    # Objects whose contents are unknown (a Terraform value known only after apply): listed, but
    # left out of the index, so every answer that needs them is `unknown`, naming them.
    opaque: dict[str, str] = field(default_factory=dict)
    terraform: object | None = None  # model.terraform.PlanInfo when built from a plan or state

    def __post_init__(self) -> None:
        self._warnings: list[LoadWarning] = []
        # Scans whose warnings no answer reads (dangling references): run on first use of
        # `warnings`, so a cold `reach can` does not pay for them (docs/performance.md).
        self._deferred: list[Callable[[Snapshot], Iterable[LoadWarning]]] = []
        self.index: dict[str, dict[str, object]] = {key: {} for key in RESOURCE_KEYS}
        self.location: dict[str, RegionSnapshot] = {}
        # Each id seen twice: (key, the copy indexed so far, the other, both in one account and
        # Region). The loader drops ids whose copies differ (checks.py).
        self.duplicates: list[tuple[str, object, object, bool]] = []
        seen_in: dict[str, dict[str, RegionSnapshot]] = {key: {} for key in RESOURCE_KEYS}
        for rs in self.regions:
            for key, (attr, id_field) in RESOURCE_KEYS.items():
                table, region_of = self.index[key], seen_in[key]
                for item in getattr(rs, attr):
                    rid = getattr(item, id_field)
                    first = table.get(rid)
                    if first is not None:
                        self.duplicates.append((key, first, item, region_of[rid] is rs))
                    # One object can be listed by several accounts: a peering by both of its
                    # sides, a shared subnet and its VPC by the owner and each participant, a
                    # TGW attachment by the TGW's owner and the VPC's. The owner's copy is kept:
                    # it alone carries what only the owner sees (a TGW attachment's association).
                    if first is None or (_owner(item) == rs.account_id
                                         and _owner(first) != self.location[rid].account_id):
                        table[rid] = item
                        region_of[rid] = rs
                        self.location[rid] = rs

    @property
    def warnings(self) -> list[LoadWarning]:
        """Every warning of the load, the deferred scans' included (run now if not yet)."""
        self._run_deferred()
        return self._warnings

    def _run_deferred(self) -> None:
        while self._deferred:
            self._warnings.extend(self._deferred.pop(0)(self))

    def read_warnings(self) -> list[LoadWarning]:
        """The warnings found while reading (SUBNET_OUTSIDE_VPC, DUPLICATE_ID, ...), without
        running the deferred scans: what the engine consults."""
        return self._warnings

    def defer_warnings(self, scan: Callable[[Snapshot], Iterable[LoadWarning]]) -> None:
        """Add the warnings of `scan(self)`, run when `warnings` is first read (given the
        snapshot, not holding it: no reference cycle keeps a frozen snapshot alive)."""
        self._deferred.append(scan)

    def hide(self, opaque: dict[str, str]) -> None:
        """Mark objects as opaque: kept in their lists, but not found by id."""
        self._run_deferred()  # the deferred scans see the snapshot as it was loaded
        self.opaque.update(opaque)
        for table in self.index.values():
            for rid in opaque:
                table.pop(rid, None)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Snapshot) and self.regions == other.regions

    def items(self, key: str) -> Iterator:
        """Every item of one snapshot key, across accounts and regions."""
        for rs in self.regions:
            yield from getattr(rs, RESOURCE_KEYS[key][0])

    def get(self, key: str, rid: str | None):
        return self.index.get(key, {}).get(rid) if rid else None

    def region_of(self, rid: str) -> str | None:
        rs = self.location.get(rid)
        return rs.region if rs else None

    @property
    def gaps(self) -> list[Gap]:
        return [g for rs in self.regions for g in rs.gaps]
