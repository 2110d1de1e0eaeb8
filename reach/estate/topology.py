"""The estate's topology as one networkx graph: VPCs, subnets, route tables and their routes, gateways,
endpoints, peering and transit gateway attachments, ENIs and functions. Nodes are AWS ids with a
`kind`; edges carry a `relation` (contains, routes-by, filtered-by, route, attached, peers,
hyperplane-eni). `reach graph --vpc`, the report's diagrams and the audit's linked VPCs read it."""
from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Iterator

from .indexes import Estate

if TYPE_CHECKING:  # networkx takes a tenth of a second to import: only building the graph needs it
    import networkx as nx


def topology(estate: Estate) -> nx.MultiDiGraph:
    """The estate's graph, built once per estate."""
    memo = estate.memo["topology"]
    if "graph" not in memo:
        memo["graph"] = _build(estate)
    return memo["graph"]


def members(g: nx.MultiDiGraph, parent: str, kind: str) -> list[str]:
    """The nodes of one kind that `parent` (a VPC or a subnet) contains, sorted by id."""
    if parent not in g:
        return []
    return sorted({v for _, v, rel in g.out_edges(parent, data="relation")
                   if rel == "contains" and g.nodes[v].get("kind") == kind})


def linked_to(g: nx.MultiDiGraph, vpc_id: str, kind: str, relation: str) -> list[str]:
    """The components of one kind linked to the VPC by `relation` (an IGW attached, a peering), sorted."""
    if vpc_id not in g:
        return []
    return sorted({u for u, _, rel in g.in_edges(vpc_id, data="relation")
                   if rel == relation and g.nodes[u].get("kind") == kind})


def linked_vpcs(estate: Estate, vpc_id: str) -> set[str]:
    """The VPCs one peering connection or one transit gateway away (6.1, 6.8): where a function in
    `vpc_id` could route to, before any rule is checked. The graph's `peers` and `attached` edges,
    read without building the graph (the audit needs only these: on the L bench estate the graph
    is about 60 MB)."""
    memo = estate.memo["vpc_links"]
    if not memo:
        hubs, vpcs_of = memo["hubs"], memo["vpcs"] = defaultdict(set), defaultdict(set)
        for hub, _, vpcs in vpc_links(estate):
            for vpc, _ in vpcs:
                hubs[vpc].add(hub)
                vpcs_of[hub].add(vpc)
    return {v for h in memo["hubs"].get(vpc_id, ()) for v in memo["vpcs"][h] if v != vpc_id}


def vpc_links(estate: Estate) -> Iterator[tuple[str, str, list[tuple[str, dict]]]]:
    """(hub, its kind, [(VPC, edge data)]): each peering connection with its two VPCs, and each
    transit gateway attachment of a VPC with its gateway."""
    for p in estate.peerings.values():
        yield p.vpc_peering_connection_id, "vpc-peering-connection", [
            (info.vpc_id, {"relation": "peers"}) for info in (p.requester_vpc_info, p.accepter_vpc_info)
            if info and info.vpc_id]
    for att in estate.tgw_attachments.values():
        vpc = att.resource_id if att.resource_type in (None, "vpc") else None
        if (vpc or att.vpc_id) and att.transit_gateway_id:
            yield att.transit_gateway_id, "transit-gateway", [(vpc or att.vpc_id, {
                "relation": "attached", "attachment": att.transit_gateway_attachment_id, "state": att.state})]


def routes(g: nx.MultiDiGraph, table_id: str) -> list[tuple[str, dict]]:
    """A route table's routes to targets other than `local`: (target, edge data)."""
    return [(v, data) for _, v, data in g.out_edges(table_id, data=True) if data.get("relation") == "route"]


def _build(estate: Estate) -> nx.MultiDiGraph:
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
        if rt.vpc_id:
            g.add_edge(rt.vpc_id, rt.route_table_id, relation="contains")
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
        if e.vpc_id:
            g.add_edge(e.vpc_id, e.vpc_endpoint_id, relation="contains")
        for s in e.subnet_ids:
            g.add_edge(s, e.vpc_endpoint_id, relation="contains")
    for hub, kind, vpcs in vpc_links(estate):
        g.add_node(hub, kind=kind)
        for vpc, data in vpcs:
            g.add_edge(hub, vpc, **data)
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
