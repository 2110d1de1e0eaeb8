"""Build the estate from a snapshot: derived lookups (subnet → route table, NACL, ...) and a networkx graph."""
from __future__ import annotations

from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from ..model import Function, NetworkInterface, Snapshot, Subnet
from ..packets import IntervalSet, cidr_set, cidrs_set, ip_int
from .accounts import Accounts

if TYPE_CHECKING:  # networkx takes a tenth of a second to import; only build_graph needs it
    import networkx as nx


class Estate:
    """A snapshot with every lookup the rules need built once, so each is O(1)."""

    @classmethod
    def of(cls, snapshot: Snapshot) -> Estate:
        """The snapshot's estate, built on first use and kept with the snapshot (it never changes)."""
        estate = vars(snapshot).get("_estate")
        if estate is None:
            estate = vars(snapshot)["_estate"] = cls(snapshot)
        return estate

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        # Decisions that query.py keeps: destinations per (target, VPC, Region) and paths per
        # (ENI combination, destination). A loaded snapshot never changes, so they never go stale.
        self.memo: dict[str, dict] = defaultdict(dict)
        ix = snapshot.index
        self.vpcs = ix["Vpcs"]
        self.subnets = ix["Subnets"]
        self.route_tables = ix["RouteTables"]
        self.igws = ix["InternetGateways"]
        self.nats = ix["NatGateways"]
        self.endpoints = ix["VpcEndpoints"]
        self.groups = ix["SecurityGroups"]
        self.acls = ix["NetworkAcls"]
        self.enis = ix["NetworkInterfaces"]
        self.peerings = ix["VpcPeeringConnections"]
        self.tgws = ix["TransitGateways"]
        self.tgw_attachments = ix["TransitGatewayAttachments"]
        self.tgw_route_tables = ix["TransitGatewayRouteTables"]
        self.db_instances = ix["DBInstances"]
        self.db_clusters = ix["DBClusters"]
        self._route_table_of: dict[str, str] = {}
        self._main_table: dict[str, str] = {}
        for rt in snapshot.items("RouteTables"):
            for a in rt.associations:
                if a.main and rt.vpc_id:
                    self._main_table.setdefault(rt.vpc_id, rt.route_table_id)
                elif a.subnet_id:
                    self._route_table_of.setdefault(a.subnet_id, rt.route_table_id)
        self._acl_of: dict[str, str] = {}
        self._default_acl: dict[str, str] = {}
        for acl in snapshot.items("NetworkAcls"):
            for a in acl.associations:
                if a.subnet_id:
                    self._acl_of.setdefault(a.subnet_id, acl.network_acl_id)
            if acl.is_default and acl.vpc_id:
                self._default_acl.setdefault(acl.vpc_id, acl.network_acl_id)
        self.subnets_of_vpc: dict[str, list[Subnet]] = defaultdict(list)
        for s in self.subnets.values():
            self.subnets_of_vpc[s.vpc_id].append(s)
        self.enis_by_ip: dict[int, list[NetworkInterface]] = defaultdict(list)
        self.enis_by_group: dict[str, list[NetworkInterface]] = defaultdict(list)
        self.enis_by_instance: dict[str, NetworkInterface] = {}
        for eni in self.enis.values():
            for ip in self.eni_private_ips(eni) + self.eni_ipv6_ips(eni):
                self.enis_by_ip[ip_int(ip)].append(eni)
            for g in eni.group_ids:
                self.enis_by_group[g].append(eni)
            if eni.attachment and eni.attachment.instance_id:
                self.enis_by_instance.setdefault(eni.attachment.instance_id, eni)
        self.eni_by_public_ip = {ip_int(ip): eni for eni in self.enis.values()
                                 for ip in eni.public_ips() if ":" not in ip}
        self.functions: dict[str, Function] = {}
        self.functions_by_arn: dict[str, Function] = {}
        for fn in snapshot.items("Functions"):
            self.functions.setdefault(fn.qualified_name, fn)
            if fn.function_arn:
                self.functions_by_arn.setdefault(fn.function_arn, fn)
        self.gap_calls = {(g.region, g.call) for g in snapshot.gaps}
        self.accounts = Accounts(snapshot)

    # --- lookups (rule numbers from aws-rules.md) ---

    def route_table_id(self, subnet_id: str) -> str | None:
        """The explicit association, else the VPC's main table (2.1)."""
        explicit = self._route_table_of.get(subnet_id)
        if explicit:
            return explicit
        subnet = self.subnets.get(subnet_id)
        return self._main_table.get(subnet.vpc_id) if subnet else None

    def acl_id(self, subnet_id: str) -> str | None:
        """The associated NACL, else the VPC's default one (5.4)."""
        acl = self._acl_of.get(subnet_id)
        if acl:
            return acl
        subnet = self.subnets.get(subnet_id)
        return self._default_acl.get(subnet.vpc_id) if subnet else None

    def vpc_cidrs(self, vpc_id: str) -> list[str]:
        """Every CIDR of the VPC, IPv4 then IPv6: each has a `local` route (2.2)."""
        vpc = self.vpcs.get(vpc_id)
        return vpc.ipv4_cidrs() + vpc.ipv6_cidrs() if vpc else []

    def vpc_addresses(self, vpc_id: str) -> IntervalSet:
        return cidrs_set(self.vpc_cidrs(vpc_id))

    def subnet_addresses(self, subnet_id: str) -> IntervalSet:
        """The subnet's IPv4 and IPv6 addresses."""
        s = self.subnets.get(subnet_id)
        return cidrs_set(subnet_cidrs(s)) if s else IntervalSet()

    def subnets_holding(self, vpc_id: str, addresses: IntervalSet) -> list[tuple[Subnet, IntervalSet]]:
        """The subnets of a VPC that hold part of `addresses`, with that part."""
        out = []
        for s in self.subnets_of_vpc.get(vpc_id, []):
            part = cidrs_set(subnet_cidrs(s)) & addresses
            if part:
                out.append((s, part))
        return out

    def eni_private_ips(self, eni: NetworkInterface) -> list[str]:
        """The ENI's private IPv4 addresses, primary first (read once per ENI)."""
        memo = self.memo["eni_ips"]
        hit = memo.get(eni.network_interface_id)
        if hit is None or hit[0] is not eni:
            ips = [p.private_ip_address for p in eni.private_ip_addresses if p.private_ip_address]
            if eni.private_ip_address and eni.private_ip_address not in ips:
                ips.insert(0, eni.private_ip_address)
            hit = memo[eni.network_interface_id] = (eni, [ip for ip in ips if ":" not in ip])
        return list(hit[1])

    def eni_ipv6_ips(self, eni: NetworkInterface) -> list[str]:
        """The ENI's IPv6 addresses."""
        return [a.ipv6_address for a in eni.ipv6_addresses if a.ipv6_address]

    def prefix_list_cidrs(self, pl_id: str) -> list[str] | None:
        """A prefix list's CIDRs from ManagedPrefixLists Entries or PrefixLists Cidrs; None if unknown."""
        managed = self.snapshot.get("ManagedPrefixLists", pl_id)
        if managed is not None and managed.entries is not None:
            return [e.cidr for e in managed.entries]
        old = self.snapshot.get("PrefixLists", pl_id)
        if old is not None and "cidrs" in old.model_fields_set:
            return list(old.cidrs)
        return None

    def service_prefix_list(self, service: str, region: str) -> str | None:
        """The id of the AWS-managed prefix list com.amazonaws.<region>.<service> (3.2)."""
        name = f"com.amazonaws.{region}.{service}"
        for key in ("ManagedPrefixLists", "PrefixLists"):
            for pl in self.snapshot.items(key):
                if pl.prefix_list_name == name:
                    return pl.prefix_list_id
        return None

    def igw_of(self, vpc_id: str) -> str | None:
        for igw in self.igws.values():
            if any(a.vpc_id == vpc_id and a.state in (None, "available", "attached")
                   for a in igw.attachments):
                return igw.internet_gateway_id
        return None

    def lambda_enis(self, subnet_id: str, group_ids: list[str]) -> list[NetworkInterface]:
        """The snapshot's Hyperplane ENIs of one (subnet, security-group set) (1.5, 1.6, 1.13)."""
        return self._lambda_enis_by_combination.get((subnet_id, frozenset(group_ids)), [])

    def lambda_enis_in_subnet(self, subnet_id: str) -> list[NetworkInterface]:
        """Every Hyperplane ENI of one subnet, whatever its groups (1.15)."""
        return self._lambda_enis_by_subnet.get(subnet_id, [])

    def enis_in_subnet(self, subnet_id: str) -> list[NetworkInterface]:
        """Every ENI of one subnet, whatever its type (an index: no scan of all ENIs)."""
        return self._enis_by_subnet.get(subnet_id, [])

    @cached_property
    def _enis_by_subnet(self) -> dict[str, list[NetworkInterface]]:
        out: dict[str, list[NetworkInterface]] = defaultdict(list)
        for e in self.enis.values():
            if e.subnet_id:
                out[e.subnet_id].append(e)
        return dict(out)

    @cached_property
    def _lambda_enis_by_subnet(self) -> dict[str, list[NetworkInterface]]:
        out: dict[str, list[NetworkInterface]] = defaultdict(list)
        for e in self.enis.values():
            if e.interface_type == "lambda" and e.subnet_id:
                out[e.subnet_id].append(e)
        return dict(out)

    @cached_property
    def _lambda_enis_by_combination(self) -> dict[tuple[str, frozenset[str]], list[NetworkInterface]]:
        out: dict[tuple[str, frozenset[str]], list[NetworkInterface]] = defaultdict(list)
        for subnet_id, enis in self._lambda_enis_by_subnet.items():
            for e in enis:
                out[(subnet_id, frozenset(e.group_ids))].append(e)
        return dict(out)

    def has_gap(self, region: str | None, *calls: str) -> str | None:
        for call in calls:
            if (region, call) in self.gap_calls:
                return call
        return None

    @cached_property
    def graph(self) -> nx.MultiDiGraph:
        return build_graph(self)

    def linked_vpcs(self, vpc_id: str) -> set[str]:
        """The VPCs one peering connection or one transit gateway away (6.1, 6.8): where a
        function in `vpc_id` could route to, before any rule is checked."""
        g = self.graph
        if vpc_id not in g:
            return set()
        hubs = [u for u, _, rel in g.in_edges(vpc_id, data="relation") if rel in ("peers", "attached")
                and g.nodes[u].get("kind") in ("vpc-peering-connection", "transit-gateway")]
        return {v for h in hubs for _, v in g.out_edges(h) if v != vpc_id}


def build_graph(estate: Estate) -> nx.MultiDiGraph:
    """A graph of the estate: nodes are AWS ids, edges say how components connect and why."""
    import networkx as nx
    g = nx.MultiDiGraph()
    for vpc_id in estate.vpcs:
        g.add_node(vpc_id, kind="vpc")
    for s in estate.subnets.values():
        g.add_node(s.subnet_id, kind="subnet", az=s.availability_zone)
        g.add_edge(s.vpc_id, s.subnet_id, relation="contains")
        rt, acl = estate.route_table_id(s.subnet_id), estate.acl_id(s.subnet_id)
        if rt:
            g.add_edge(s.subnet_id, rt, relation="routes-by")
        if acl:
            g.add_edge(s.subnet_id, acl, relation="filtered-by")
    for acl_id in estate.acls:
        g.add_node(acl_id, kind="network-acl")
    for rt in estate.route_tables.values():
        g.add_node(rt.route_table_id, kind="route-table")
        for r in rt.routes:
            target = r.target()
            if target and target != "local":
                g.add_edge(rt.route_table_id, target, relation="route", destination=r.destination(),
                           state=r.state)
    for nat in estate.nats.values():
        g.add_node(nat.nat_gateway_id, kind="nat-gateway")
        if nat.subnet_id:
            g.add_edge(nat.subnet_id, nat.nat_gateway_id, relation="contains")
    for igw in estate.igws.values():
        g.add_node(igw.internet_gateway_id, kind="internet-gateway")
        for a in igw.attachments:
            g.add_edge(igw.internet_gateway_id, a.vpc_id, relation="attached", state=a.state)
    for e in estate.endpoints.values():
        g.add_node(e.vpc_endpoint_id, kind="vpc-endpoint", service=e.service_name)
        for s in e.subnet_ids:
            g.add_edge(s, e.vpc_endpoint_id, relation="contains")
    for p in estate.peerings.values():
        g.add_node(p.vpc_peering_connection_id, kind="vpc-peering-connection")
        for info in (p.requester_vpc_info, p.accepter_vpc_info):
            if info and info.vpc_id:
                g.add_edge(p.vpc_peering_connection_id, info.vpc_id, relation="peers")
    for att in estate.tgw_attachments.values():
        vpc = att.resource_id if att.resource_type in (None, "vpc") else None
        if (vpc or att.vpc_id) and att.transit_gateway_id:
            g.add_node(att.transit_gateway_id, kind="transit-gateway")
            g.add_edge(att.transit_gateway_id, vpc or att.vpc_id, relation="attached",
                       attachment=att.transit_gateway_attachment_id, state=att.state)
    for eni in estate.enis.values():
        g.add_node(eni.network_interface_id, kind="network-interface", type=eni.interface_type)
        if eni.subnet_id:
            g.add_edge(eni.subnet_id, eni.network_interface_id, relation="contains")
    for name, fn in estate.functions.items():
        g.add_node(name, kind="function")
        for s in fn.vpc_config.subnet_ids if fn.vpc_config else []:
            g.add_edge(name, s, relation="hyperplane-eni",
                       groups=tuple(sorted(fn.vpc_config.security_group_ids)))
    for node, data in g.nodes(data=True):
        data.setdefault("kind", "missing")  # referenced, but not in the snapshot
    return g


def subnet_cidrs(subnet: Subnet) -> list[str]:
    """A subnet's IPv4 CIDR and its IPv6 ones."""
    return ([subnet.cidr_block] if subnet.cidr_block else []) + subnet.ipv6_cidrs()
