"""The accounts of a snapshot: which were collected, which were not, and who owns what.

In a shared VPC the owner account holds the VPC, subnets, route tables, NACLs, gateways and
endpoints; a participant holds its own network interfaces and security groups, which live in the
owner's VPC (https://docs.aws.amazon.com/vpc/latest/userguide/vpc-share-limitations.html). A
peering or transit gateway attachment joins objects of two accounts (aws-rules 6.1, 6.8). When the
account on the other side was not collected, a path that needs it is `unknown`, and this names it.
"""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from ..model import Function, RegionSnapshot, Snapshot

# Gaps of these calls mean an account was not read at all (reach collect --accounts/--org).
ACCOUNT_LEVEL_CALLS = frozenset({"AssumeRole", "GetCallerIdentity", "DescribeRegions"})


class Accounts:
    """Per snapshot: collected accounts, unread ones (with why), each function's home, and the
    owner account of every object whose API shape names one."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.unread: dict[str, str] = {}
        self.collected: set[str] = set()
        self.home: dict[int, RegionSnapshot] = {}
        self.by_name: dict[str, list[Function]] = defaultdict(list)
        for rs in snapshot.regions:
            failed = [g for g in rs.gaps if g.call in ACCOUNT_LEVEL_CALLS]
            if failed:
                self.unread.setdefault(rs.account_id, f"{failed[0].service}:{failed[0].call} "
                                                      f"{failed[0].error or ''}".strip())
            else:
                self.collected.add(rs.account_id)
            for fn in rs.functions:
                self.home[id(fn)] = rs
                self.by_name[fn.qualified_name].append(fn)
        self._snapshot = snapshot

    # The rest is built on first use: a question about one function reads none or one of them.

    @cached_property
    def _databases(self) -> tuple[dict, dict, dict, dict]:
        """RDS identifiers are unique per account and Region only: every instance and cluster also
        gets a handle that is unique in the snapshot, its ARN (made up from its home if absent)."""
        databases: dict[str, list] = defaultdict(list)  # identifier -> instances and clusters
        by_arn: dict[str, object] = {}
        home: dict[int, tuple[str, RegionSnapshot]] = {}  # id(db) -> (ARN, home)
        instance_in: dict[tuple[str, str, str], object] = {}
        for rs in self._snapshot.regions:
            for kind, items in (("db", rs.db_instances), ("cluster", rs.db_clusters)):
                for db in items:
                    arn = getattr(db, "db_instance_arn" if kind == "db" else "db_cluster_arn", None) \
                        or f"arn:aws:rds:{rs.region}:{rs.account_id}:{kind}:{db.identifier}"
                    databases[db.identifier].append(db)
                    by_arn.setdefault(arn, db)
                    home[id(db)] = (arn, rs)
                    if kind == "db":
                        instance_in.setdefault((rs.account_id, rs.region, db.identifier), db)
        return databases, by_arn, home, instance_in

    @property
    def databases(self) -> dict[str, list]:
        return self._databases[0]

    @property
    def database_by_arn(self) -> dict[str, object]:
        return self._databases[1]

    @property
    def database_home(self) -> dict[int, tuple[str, RegionSnapshot]]:
        return self._databases[2]

    @property
    def instance_in(self) -> dict[tuple[str, str, str], object]:
        return self._databases[3]

    @cached_property
    def owner(self) -> dict[str, str]:
        """The owner account of every object whose API shape names one."""
        snapshot = self._snapshot
        owner: dict[str, str] = {}
        for key, id_field in (("Vpcs", "vpc_id"), ("Subnets", "subnet_id"),
                              ("RouteTables", "route_table_id"), ("NetworkAcls", "network_acl_id"),
                              ("SecurityGroups", "group_id"), ("VpcEndpoints", "vpc_endpoint_id"),
                              ("InternetGateways", "internet_gateway_id"),
                              ("TransitGateways", "transit_gateway_id"),
                              ("NetworkInterfaces", "network_interface_id")):
            for item in snapshot.index[key].values():
                if item.owner_id:
                    owner.setdefault(getattr(item, id_field), item.owner_id)
        for pcx in snapshot.index["VpcPeeringConnections"].values():
            for info in (pcx.requester_vpc_info, pcx.accepter_vpc_info):
                if info and info.vpc_id and info.owner_id:
                    owner.setdefault(info.vpc_id, info.owner_id)
        for att in snapshot.index["TransitGatewayAttachments"].values():
            if att.transit_gateway_id and att.transit_gateway_owner_id:
                owner.setdefault(att.transit_gateway_id, att.transit_gateway_owner_id)
            if att.resource_id and att.resource_owner_id:
                owner.setdefault(att.resource_id, att.resource_owner_id)
        return owner

    @cached_property
    def partners(self) -> dict[str, set[str]]:
        """The accounts each peering joins."""
        partners: dict[str, set[str]] = defaultdict(set)
        for pcx in self._snapshot.index["VpcPeeringConnections"].values():
            for info in (pcx.requester_vpc_info, pcx.accepter_vpc_info):
                if info and info.owner_id:
                    partners[pcx.vpc_peering_connection_id].add(info.owner_id)
        return partners

    def database_handle(self, db) -> str:
        """How a question names this database: its identifier, or its ARN when the identifier is
        used in several accounts or Regions."""
        if len(self.databases.get(db.identifier, ())) <= 1:
            return db.identifier
        return self.database_home[id(db)][0]

    @property
    def several(self) -> bool:
        return len(self.collected | set(self.unread)) > 1

    def account_of(self, fn: Function) -> str | None:
        rs = self.home.get(id(fn))
        return rs.account_id if rs else None

    def region_of(self, fn: Function) -> str | None:
        rs = self.home.get(id(fn))
        return rs.region if rs else None

    def missing_owner(self, component_id: str) -> str | None:
        """The account that owns `component_id` (or is joined by it), when that account was not
        collected; None when it was, or when no shape names its owner."""
        if "unknown" in self.collected:  # a snapshot that does not say its account: cannot tell
            return None
        for account in [self.owner.get(component_id), *sorted(self.partners.get(component_id, ()))]:
            if account and account not in self.collected:
                return account
        return None

    def notes_for(self, component_ids: Iterable[str]) -> list[dict]:
        """ACCOUNT_NOT_COLLECTED notes for the components of an unknown path whose account is
        missing from the snapshot."""
        out, seen = [], set()
        for cid in component_ids:
            account = self.missing_owner(cid)
            if account and (cid, account) not in seen:
                seen.add((cid, account))
                why = self.unread.get(account, "not in the snapshot")
                out.append({"code": "ACCOUNT_NOT_COLLECTED", "component_id": cid,
                            "account_id": account, "why": why})
        return out
