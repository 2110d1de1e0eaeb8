"""The estate's topology graph (networkx): what it holds, and the readers that share it."""
from __future__ import annotations

from reach.estate import Estate
from reach.estate.topology import linked_to, linked_vpcs, members, routes, topology
from reach.model import load_snapshot
from reach.render.diagrams.diagram import Diagram
from reach.render.diagrams.layout import ranks

from .conftest import CORPUS, ROOT


def test_the_graph_links_vpcs_through_peering_and_transit_gateways():
    peered = Estate.of(load_snapshot(CORPUS / "test-vpc-peering"))
    g = topology(peered)
    assert all(g.nodes[n]["kind"] for n in g)  # every node says what AWS component it is
    assert {d["kind"] for _, d in g.nodes(data=True)} >= {"vpc", "subnet", "route-table", "network-acl",
                                                          "vpc-peering-connection"}
    links = {v: linked_vpcs(peered, v) for v in peered.vpcs}
    assert any(links.values()) and all(v not in linked for v, linked in links.items())
    for v, linked in links.items():  # peering is symmetric
        assert all(v in links[other] for other in linked)
        assert linked == one_hub_away(g, v)  # read without the graph, the graph's answer
    tgw = Estate.of(load_snapshot(CORPUS / "test-transit-gateway"))
    assert set().union(*(linked_vpcs(tgw, v) for v in tgw.vpcs)) == set(tgw.vpcs)
    assert all(linked_vpcs(tgw, v) == one_hub_away(topology(tgw), v) for v in tgw.vpcs)


def one_hub_away(g, vpc_id: str) -> set[str]:
    hubs = [*linked_to(g, vpc_id, "vpc-peering-connection", "peers"),
            *linked_to(g, vpc_id, "transit-gateway", "attached")]
    return {v for h in hubs for _, v in g.out_edges(h) if v != vpc_id}


def test_a_vpc_holds_its_subnets_tables_gateways_and_routes():
    estate = Estate.of(load_snapshot(ROOT / "samples" / "categram" / "snapshot.json"))
    g = topology(estate)
    vpc = next(iter(estate.vpcs))
    assert members(g, vpc, "subnet") == sorted(s.subnet_id for s in estate.subnets_of_vpc[vpc])
    assert members(g, vpc, "route-table") == sorted(r for r, t in estate.route_tables.items() if t.vpc_id == vpc)
    assert linked_to(g, vpc, "internet-gateway", "attached") == [estate.igw_of(vpc)]
    table = estate.route_table_id(members(g, vpc, "subnet")[0])
    expected = {(r.target(), r.destination()) for r in estate.route_tables[table].routes if r.target() != "local"}
    assert {(t, data["destination"]) for t, data in routes(g, table)} == expected


def test_diagram_layers_are_topological_generations_with_cycles_cut():
    d = Diagram("t")
    for n in ("a", "b", "c", "d", "lone"):
        d.node(n, "x", [n])
    for s, t in (("a", "b"), ("b", "c"), ("c", "b"), ("d", "c")):
        d.edge(s, t)
    rank = ranks(d)
    assert rank["a"] == 0 and rank["b"] == 1 and rank["c"] == 2
    assert rank["d"] == 1  # a source sits next to its nearest successor
    assert rank["lone"] == 0
