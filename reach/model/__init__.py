"""The snapshot model: AWS shapes as frozen pydantic models, the loader and the dumper."""
from .compute import DbCluster, DbInstance, Function, VpcConfig
from .load import dump_snapshot, parse_snapshot
from .source import load_snapshot, open_plan
from .network import (EgressOnlyInternetGateway, InternetGateway, ManagedPrefixList, NatGateway,
                      NetworkInterface, PrefixList, Route, RouteTable, Subnet, Vpc, VpcEndpoint,
                      VpcPeeringConnection)
from .tgw import TransitGateway, TransitGatewayAttachment, TransitGatewayRouteTable
from .security import IpPermission, NetworkAcl, NetworkAclEntry, SecurityGroup
from .snapshot import RESOURCE_KEYS, Gap, LoadWarning, RegionSnapshot, Snapshot

__all__ = [
    "DbCluster", "DbInstance", "EgressOnlyInternetGateway", "Function", "Gap", "InternetGateway",
    "IpPermission", "LoadWarning", "ManagedPrefixList", "NatGateway", "NetworkAcl",
    "NetworkAclEntry", "NetworkInterface", "PrefixList", "RESOURCE_KEYS", "RegionSnapshot", "Route",
    "RouteTable", "SecurityGroup", "Snapshot", "Subnet", "TransitGateway",
    "TransitGatewayAttachment", "TransitGatewayRouteTable", "Vpc", "VpcConfig", "VpcEndpoint",
    "VpcPeeringConnection", "dump_snapshot", "load_snapshot", "open_plan", "parse_snapshot",
]
