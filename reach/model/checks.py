"""What AWS itself would refuse, found once the shapes are read: each is exit 2 naming file and path.

Checks of one value (a CIDR, a protocol, a rule number) are types in base.py, run by pydantic-core;
here are the checks across fields and items: port ranges, contradictions, duplicates, main tables.
"""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any, Iterator

from ..errors import ReachInputError
from .snapshot import RESOURCE_KEYS, LoadWarning, RegionSnapshot

SUBNET_OUTSIDE_VPC = "SUBNET_OUTSIDE_VPC"
DUPLICATE_ID = "DUPLICATE_ID"
INVALID_PORT_RANGE = "INVALID_PORT_RANGE"
_PORTED = {"tcp", "udp"}
# Listed by two accounts or Regions, these differ by nature: a function name or an RDS identifier
# is unique only within its account and Region, and each side of a peering or TGW peering
# attachment describes it from its own end.
_PER_SIDE_KEYS = {"Functions", "DBInstances", "DBClusters", "VpcPeeringConnections",
                  "TransitGatewayAttachments"}
# Fields that differ between two accounts' (or two moments') views of one object.
_VIEW_FIELDS = {"tags", "tag_set", "tag_list", "available_ip_address_count"}


@dataclass(frozen=True)
class Source:
    """One parsed file (or one region of a §1.2 file) and the JSON path its lists sit under."""

    lists: RegionSnapshot
    file: str
    prefix: str = ""

    def path(self, key: str, index: int, rest: str = "") -> str:
        return f"{self.prefix}{key}[{index}]{rest}"


def check_source(src: Source) -> list[LoadWarning]:
    """Port ranges AWS refuses, in one file's lists: a range that ends before it starts is
    refused; a tcp or udp rule with port -1 (Batfish's own fixtures have one) is a warning, and
    the rule admits no port rather than every port."""
    warnings = []
    for i, sg in enumerate(src.lists.security_groups):
        for direction, perms in (("IpPermissions", sg.ip_permissions),
                                 ("IpPermissionsEgress", sg.ip_permissions_egress)):
            for j, p in enumerate(perms):
                lo, hi = p.from_port, p.to_port
                if lo is None or hi is None or 0 <= lo <= hi or p.ip_protocol not in _PORTED:
                    continue
                where = f"{direction}[{j}]"
                # For tcp and udp a port range is 0-65535; -1 ("all") is for ICMP types only
                # (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html).
                if lo < 0 or hi < 0:
                    warnings.append(LoadWarning(INVALID_PORT_RANGE, sg.group_id, where, f"{lo}-{hi}"))
                else:
                    raise ReachInputError(f"{p.ip_protocol} rule's ports run from {lo} down to {hi}",
                                          file=src.file, path=src.path("SecurityGroups", i, f".{where}"))
    for i, acl in enumerate(src.lists.network_acls):
        for j, e in enumerate(acl.entries):
            if e.port_range is not None and _reversed(e.port_range.from_, e.port_range.to):
                raise ReachInputError(
                    f"PortRange runs from {e.port_range.from_} down to {e.port_range.to}",
                    file=src.file, path=src.path("NetworkAcls", i, f".Entries[{j}].PortRange"))
    return warnings


def _reversed(lo: int | None, hi: int | None) -> bool:
    return lo is not None and hi is not None and lo > hi


def check_region(sources: list[Source], rs: RegionSnapshot) -> list[LoadWarning]:
    """One VPC has one main route table (2.1): a second is refused. A subnet's CIDR lies inside
    its VPC's CIDRs (2.2); one outside is a warning, as Batfish's own test snapshot has one."""
    main: dict[str, str] = {}
    for rt in rs.route_tables:
        if rt.is_main and rt.vpc_id:
            first = main.setdefault(rt.vpc_id, rt.route_table_id)
            if first != rt.route_table_id:
                raise _at(sources, "RouteTables", rt.route_table_id,
                          f"{rt.route_table_id} is a second main route table of {rt.vpc_id} "
                          f"({first} is main already); a VPC has exactly one")
    warnings = []
    vpc_nets = {v.vpc_id: [_span(c) for c in _vpc_cidrs(v)] for v in rs.vpcs}
    for s in rs.subnets:
        nets = vpc_nets.get(s.vpc_id)
        if not nets or not s.cidr_block:
            continue  # a subnet of a VPC the snapshot lacks is a dangling reference (refs.py)
        version, lo, hi = _span(s.cidr_block)
        if not any(v == version and a <= lo and hi <= b for v, a, b in nets):
            warnings.append(LoadWarning(SUBNET_OUTSIDE_VPC, s.subnet_id, "CidrBlock", s.vpc_id,
                                        rs.account_id, rs.region))
    return warnings


def _vpc_cidrs(vpc) -> Iterator[str]:
    if vpc.cidr_block:
        yield vpc.cidr_block
    yield from (a.cidr_block for a in vpc.cidr_block_association_set)


def _span(cidr: str) -> tuple[int, int, int]:
    """An IP version and the first and last address of a CIDR the Cidr type has accepted."""
    address, _, bits = cidr.partition("/")
    if ":" in address:
        net = ipaddress.ip_network(cidr, strict=False)
        return 6, int(net.network_address), int(net.broadcast_address)
    a, b, c, d = map(int, address.split("."))
    size = 1 << (32 - int(bits))
    first = (a << 24 | b << 16 | c << 8 | d) & -size
    return 4, first, first + size - 1


def ambiguous_ids(duplicates: list[tuple[str, Any, Any, bool]]) -> dict[str, set[str]]:
    """The ids listed twice with different contents, by key. Which copy is true cannot be told,
    and taking the first would make the verdict depend on list order: the loader drops every copy,
    so answers through the object are `unknown` naming it, with a DUPLICATE_ID warning. (Batfish's
    own fixtures repeat groups and endpoints with different contents, so this cannot be exit 2.)
    Identical copies are one object; so are copies that differ only in what each account or
    moment sees (tags, free addresses), and the two ends' views of a peering."""
    out: dict[str, set[str]] = {}
    for key, first, second, same_region in duplicates:
        if first == second or not same_region and (key in _PER_SIDE_KEYS or
                                                   _comparable(first) == _comparable(second)):
            continue
        if key == "TransitGatewayAttachments" and first.transit_gateway_id != second.transit_gateway_id:
            continue  # a TGW peering attachment: one id, listed by each TGW with its own side (6.9)
        out.setdefault(key, set()).add(getattr(first, RESOURCE_KEYS[key][1]))
    return out


def drop_ambiguous(parts: list[RegionSnapshot], ambiguous: dict[str, set[str]]
                   ) -> tuple[list[RegionSnapshot], list[LoadWarning]]:
    """The parts without any copy of the ambiguous ids, and one DUPLICATE_ID warning for each."""
    warnings = [LoadWarning(DUPLICATE_ID, rid, key, rid) for key, ids in ambiguous.items()
                for rid in sorted(ids)]
    out = []
    for rs in parts:
        update = {}
        for key, ids in ambiguous.items():
            attr, id_field = RESOURCE_KEYS[key]
            items = getattr(rs, attr)
            kept = [item for item in items if getattr(item, id_field) not in ids]
            if len(kept) != len(items):
                update[attr] = kept
        out.append(rs.model_copy(update=update) if update else rs)
    return out, warnings


def _comparable(item) -> dict:
    return {k: v for k, v in item.__dict__.items() if k not in _VIEW_FIELDS}


def _places(sources: list[Source], key: str, rid: str) -> list[tuple[str, str]]:
    attr, id_field = RESOURCE_KEYS[key]
    return [(src.file, src.path(key, i)) for src in sources
            for i, item in enumerate(getattr(src.lists, attr)) if getattr(item, id_field) == rid]


def _at(sources: list[Source], key: str, rid: str, message: str, *, field: str = "",
        nth: int = 0) -> ReachInputError:
    places = _places(sources, key, rid)
    if not places:
        return ReachInputError(message)
    file, path = places[min(nth, len(places) - 1)]
    return ReachInputError(message, file=file, path=path + field)
