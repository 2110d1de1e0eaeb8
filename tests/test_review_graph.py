"""`reach graph`: mermaid and dot text of one answer's paths or a whole VPC, as golden files."""
from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET

import pydot
import pytest
from typer.testing import CliRunner

from reach import can_reach, load_snapshot
from reach.cli import app
from reach.questions.audit import audit
from reach.render.diagrams.diagram import to_dot, to_mermaid
from reach.render.diagrams.draw import draw_answer
from reach.render.diagrams.vpc import draw_vpc
from reach.render.diagrams.svg import to_svg

from .conftest import ROOT, SAMPLES, corpus_dirs, sample_dirs

GOLDEN = ROOT / "tests" / "golden" / "review"
CATEGRAM = SAMPLES / "categram" / "snapshot.json"
PEERED = SAMPLES / "peered" / "snapshot.json"
# golden name -> (snapshot, graph arguments)
CASES = {
    "spread-s3": (CATEGRAM, ["spread", "s3"]),
    "misplaced-internet": (CATEGRAM, ["misplaced", "internet"]),
    "api-rds": (CATEGRAM, ["api", "rds:categram-db"]),
    "categram-vpc": (CATEGRAM, ["--vpc", "vpc-0a1b2c3d4e5f60001"]),
    "peered-apps-vpc": (PEERED, ["--vpc", "vpc-0b5e8c7d2a4f10a01"]),
}


def graph(snapshot, args, fmt: str):
    return CliRunner().invoke(app, ["graph", *args, "--snapshot", str(snapshot), "--format", fmt])


@pytest.mark.parametrize("fmt,ext", [("mermaid", "mmd"), ("dot", "dot")])
@pytest.mark.parametrize("name", CASES)
def test_golden(name, fmt, ext):
    snapshot, args = CASES[name]
    result = graph(snapshot, args, fmt)
    assert result.exit_code == 0, result.stderr
    path = GOLDEN / f"{name}.{ext}"
    if os.environ.get("REACH_UPDATE_GOLDEN"):
        path.write_text(result.stdout)
    assert result.stdout == path.read_text(), f"{path} differs; REACH_UPDATE_GOLDEN=1 rewrites it"
    assert graph(snapshot, args, fmt).stdout == result.stdout  # deterministic


def parse_dot(text: str) -> None:
    """Parse dot back with pydot (a test dependency)."""
    graphs = pydot.graph_from_dot_data(text)
    assert graphs and graphs[0].get_name() == "reach"


@pytest.mark.parametrize("name", CASES)
def test_dot_golden_parses_back(name):
    parse_dot((GOLDEN / f"{name}.dot").read_text())


def test_dot_has_the_aws_ids_and_marks_blocked_hops():
    text = (GOLDEN / "misplaced-internet.dot").read_text()
    assert '"igw-0c9e7a5b3d1f2a801" [label="internet-gateway igw-0c9e7a5b3d1f2a801\\ncategram-igw' in text
    edge = next(line for line in text.splitlines() if '-> "igw-0c9e7a5b3d1f2a801"' in line)
    assert 'label="IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"' in edge and "style=dashed" in edge
    assert 'color="#c81e1e"' in edge


def mermaid_parts(text: str):
    declared = set(re.findall(r"^\s*([A-Za-z0-9_]+)(?:\[|\(|\{)", text, re.M))
    edges = re.findall(r"^\s*([A-Za-z0-9_]+) (-->|-\.->|---)(?:\|\"[^\"]*\"\|)? ([A-Za-z0-9_]+)$", text, re.M)
    return declared, edges


@pytest.mark.parametrize("name", CASES)
def test_mermaid_is_well_formed(name):
    text = (GOLDEN / f"{name}.mmd").read_text()
    assert text.startswith("flowchart ")
    declared, edges = mermaid_parts(text)
    edge_lines = [line for line in text.splitlines() if re.search(r" (-->|-\.->|---)", line)]
    assert len(edges) == len(edge_lines) > 0
    for a, _, b in edges:
        assert a in declared and b in declared, (a, b)
    assert text.count("subgraph ") == len(re.findall(r"^\s*end$", text, re.M))
    for index in re.findall(r"linkStyle ([\d,]+) ", text):
        assert all(int(i) < len(edges) for i in index.split(","))


def test_mermaid_marks_the_blocked_hop_in_red():
    text = (GOLDEN / "misplaced-internet.mmd").read_text()
    assert 'sg_0a91c3e5b7d2f4a63["security-group-egress sg-0a91c3e5b7d2f4a63' in text
    _, edges = mermaid_parts(text)
    i = next(k for k, (_, _, b) in enumerate(edges) if b == "igw_0c9e7a5b3d1f2a801")
    assert '-.->|"IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS"| igw_0c9e7a5b3d1f2a801' in text
    assert re.search(rf"linkStyle (\d+,)*{i}(,\d+)* stroke:#c81e1e", text)
    assert re.search(r"class ([a-z0-9_,]+,)?igw_0c9e7a5b3d1f2a801(,[a-z0-9_]+)? blocked", text)


def test_two_subnets_whose_paths_differ_are_two_subgraphs():
    text = (GOLDEN / "spread-s3.mmd").read_text()
    assert text.count("subgraph cluster_lane_") == 2
    assert 'sg_0d2f6a1b7c9e84a12["' in text and 'sg_0d2f6a1b7c9e84a12_subnet_0e2c8a4f6b1d7a914["' in text
    assert "subnet_0b7d1f3e9a5c6e213 --> sg_0d2f6a1b7c9e84a12\n" in text
    assert "subnet_0e2c8a4f6b1d7a914 --> sg_0d2f6a1b7c9e84a12_subnet_0e2c8a4f6b1d7a914\n" in text
    assert '-.->|"NO_ROUTE_TO_DESTINATION"| rtb_07f9b1d3e5a8c4704' in text


def test_vpc_picture_holds_the_whole_vpc():
    text = (GOLDEN / "categram-vpc.mmd").read_text()
    for az in ("us-east-1a", "us-east-1b"):
        assert f' ["{az}"]' in text
    for rid in ("subnet_0b7d1f3e9a5c6e213", "rtb_0a4c6e8f1b3d5a701", "igw_0c9e7a5b3d1f2a801",
                "nat_0f1e2d3c4b5a69001", "vpce_0e4a8c2f6b1d3a9b1", "eni_0a1c3e5b7d9f2c501",
                "categram_db_1", "categram_db", "film_fetcher", "api_7"):
        assert re.search(rf"^\s*{rid}[\[\(\{{]", text, re.M), rid
    assert 'rtb_0e1b3d5f7a9c2b703 -->|"0.0.0.0/0"| nat_0f1e2d3c4b5a69001' in text
    peered = (GOLDEN / "peered-apps-vpc.mmd").read_text()
    assert 'pcx_0e7c1a9f3b5d2c4e8["vpc-peering-connection pcx-0e7c1a9f3b5d2c4e8' in peered
    assert 'pcx_0e7c1a9f3b5d2c4e8 ---|"peer"| vpc_0d3a6f9c1e7b20b02' in peered


@pytest.mark.parametrize("args,message", [
    (["api", "internet", "--vpc", "vpc-0a1b2c3d4e5f60001"], "not both"),
    (["api"], "missing FUNCTION and TARGET"),
    (["--vpc", "vpc-nope"], "unknown VPC"),
    (["nope", "internet"], "unknown function"),
    (["api", "rds:nope"], "unknown target"),
])
def test_bad_input_exits_2_with_one_line(args, message):
    result = graph(CATEGRAM, args, "mermaid")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr


def test_every_answer_and_vpc_of_every_sample_draws():
    for folder in sample_dirs():
        snap = load_snapshot(folder / "snapshot.json")
        pictures = [draw_answer(snap, a) for a in audit(snap).results]
        pictures += [draw_vpc(snap, v) for v in snap.index["Vpcs"]]
        for i, p in enumerate(pictures):
            declared, edges = mermaid_parts(to_mermaid(p))
            assert all(a in declared and b in declared for a, _, b in edges), folder.name
            assert to_dot(p).count("{") == to_dot(p).count("}")
            ET.fromstring(to_svg(p, prefix=f"p{i}"))  # well-formed XML


def test_a_function_outside_any_vpc_draws_the_lambda_service_network():
    snap = load_snapshot(CATEGRAM)
    p = draw_answer(snap, can_reach(snap, "thumbnailer", "rds:categram-db"))
    assert [n.id for n in p.nodes.values()] == ["thumbnailer", "lambda-service", "rds:categram-db"]
    assert p.nodes["lambda-service"].status == "blocked"
    assert any(e.label == "DISCONNECTED_VPCS" and e.style == "blocked" for e in p.edges)


@pytest.mark.parametrize("folder", corpus_dirs()[:20], ids=lambda p: p.name)
def test_corpus_vpcs_draw(folder):
    snap = load_snapshot(folder)
    for vpc in sorted(snap.index["Vpcs"])[:6]:
        p = draw_vpc(snap, vpc)
        to_mermaid(p), to_dot(p)
        ET.fromstring(to_svg(p))


PEERED_APP_1A, PEERED_APP_1B = "subnet-0a2c4e6f8b1d3a011", "subnet-0b3d5f7a9c2e4b012"


def test_subnets_whose_paths_differ_are_drawn_apart_in_lanes():
    snap = load_snapshot(CATEGRAM)
    p = draw_answer(snap, can_reach(snap, "spread", "s3"))
    lanes = [c for c in p.clusters.values() if c.box]
    assert len(lanes) == 2
    by_lane = {c.id: {n.id for n in p.nodes.values() if n.cluster == c.id} for c in lanes}
    first, second = by_lane.values()
    assert "subnet-0b7d1f3e9a5c6e213" in first and "subnet-0e2c8a4f6b1d7a914" in second
    # The group both subnets' ENIs use is drawn once in each lane, not shared across them.
    assert "sg-0d2f6a1b7c9e84a12" in first and "sg-0d2f6a1b7c9e84a12@subnet-0e2c8a4f6b1d7a914" in second
    assert p.nodes["rtb-07f9b1d3e5a8c4704"].status == "blocked"
    assert p.nodes["s3"].cluster is None and p.nodes["spread"].cluster is None


def test_subnets_whose_paths_are_the_same_share_their_boxes():
    snap = load_snapshot(PEERED)
    answer = can_reach(snap, "orders", "internet")
    assert {p.subnet_id for p in answer.paths} == {PEERED_APP_1A, PEERED_APP_1B}
    p = draw_answer(snap, answer)
    assert not p.clusters
    hops = [n for n in p.nodes.values() if n.kind not in ("function", "subnet", "target")]
    assert len({n.id for n in hops}) == len(hops) and all("@" not in n.id for n in hops)
    into = {(e.source, e.target) for e in p.edges}
    first_hop = {t for s, t in into if s == PEERED_APP_1A}
    assert first_hop == {t for s, t in into if s == PEERED_APP_1B} and len(first_hop) == 1


def test_graph_draws_a_what_if_placement():
    result = graph(CATEGRAM, ["api", "internet", "--subnet", "subnet-0f3a9c1e5b7d20a11",
                              "--sg", "sg-0d2f6a1b7c9e84a12"], "dot")
    assert result.exit_code == 0, result.stderr
    parse_dot(result.stdout)
    assert '"subnet-0f3a9c1e5b7d20a11" [' in result.stdout
    real = {p.subnet_id for p in can_reach(load_snapshot(CATEGRAM), "api", "internet").paths}
    assert real and not any(f'"{s}"' in result.stdout for s in real)
    new = graph(CATEGRAM, ["internet", "--subnet", "subnet-0f3a9c1e5b7d20a11", "--sg", "sg-0d2f6a1b7c9e84a12"],
                "mermaid")
    assert new.exit_code == 0 and "subnet_0f3a9c1e5b7d20a11[" in new.stdout and "what_if([" in new.stdout


@pytest.mark.parametrize("snapshot,args,flag", [
    (CATEGRAM, ["api", "internet", "--subnet", "subnet-0f3a9c1e5b7d20a11"], "--sg"),
    (CATEGRAM, ["api", "internet", "--sg", "sg-0d2f6a1b7c9e84a12"], "--subnet"),
    (CATEGRAM, ["api", "internet", "--subnet", "subnet-0f3a9c1e5b7d20a11", "--sg", "sg-nope"], "sg-nope"),
    (PEERED, ["orders", "internet", "--subnet", PEERED_APP_1A, "--sg", "sg-0e9a2c4d6f8b1e065"],
     "sg-0e9a2c4d6f8b1e065"),
    (CATEGRAM, ["--vpc", "vpc-0a1b2c3d4e5f60001", "--subnet", "subnet-0f3a9c1e5b7d20a11", "--sg",
                "sg-0d2f6a1b7c9e84a12"], "--vpc"),
])
def test_graph_checks_a_what_if_placement_as_can_does(snapshot, args, flag):
    result = graph(snapshot, args, "mermaid")
    can = CliRunner().invoke(app, ["can", *args, "--snapshot", str(snapshot)]) if "--vpc" not in args else None
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and flag in result.stderr
    if can is not None:
        assert can.exit_code == 2 and can.stderr == result.stderr


def test_the_svg_draws_each_lane_as_a_box_around_its_nodes():
    from .test_review_report_scale import boxes_and_nodes, inside
    snap = load_snapshot(CATEGRAM)
    p = draw_answer(snap, can_reach(snap, "spread", "s3"))
    root = ET.fromstring(to_svg(p))
    boxes = [(g.get("data-cluster"), g.find("{http://www.w3.org/2000/svg}rect").attrib) for g in root.iter(
        "{http://www.w3.org/2000/svg}g") if g.get("class") == "box"]
    _, _, nodes = boxes_and_nodes(to_svg(p))
    assert {c for c, _ in boxes} == {"lane-1", "lane-2"}
    for n in p.nodes.values():
        mine = [rect for c, rect in boxes if c == n.cluster]
        if n.cluster:
            assert any(inside(nodes[n.id][2], rect) for rect in mine), n.id
        else:
            assert not any(inside(nodes[n.id][2], rect) for _, rect in boxes), n.id


DUAL_NO_NAT = SAMPLES / "dualstack-no-nat" / "snapshot.json"


def test_graph_draws_the_ipv6_part_apart():
    # IPv4 has no route (no NAT), IPv6 goes out through the egress-only gateway (1.23, 2.14).
    answer = can_reach(load_snapshot(DUAL_NO_NAT), "fetcher", "internet")
    d = draw_answer(load_snapshot(DUAL_NO_NAT), answer)
    assert d.title.endswith("unreachable; over IPv6: reachable")
    assert d.nodes["internet"].status == "missed" and d.nodes["internet6"].status == "reached"
    six = {n.id for n in d.nodes.values() if n.cluster and n.cluster.endswith("@ipv6")}
    assert "eigw-0f8b1d3c5e7a9f802@ipv6" in six
    assert not any(n.startswith("eigw-") for n in d.nodes if not n.endswith("@ipv6"))
    assert d.clusters["ipv6"].label.startswith("over IPv6: internet6: reachable")
    assert all(d.clusters[n.cluster].parent == "ipv6" for n in d.nodes.values() if n.id in six)
    text = graph(DUAL_NO_NAT, ["fetcher", "internet"], "mermaid").stdout
    assert "over IPv6: internet6: reachable" in text and "internet6{{" in text
    parse_dot(graph(DUAL_NO_NAT, ["fetcher", "internet"], "dot").stdout)
    ET.fromstring(to_svg(d))  # the report's SVG draws it too


def test_graph_names_the_dual_stack_endpoint():
    d = draw_answer(load_snapshot(DUAL_NO_NAT), can_reach(load_snapshot(DUAL_NO_NAT), "fetcher", "dynamodb"))
    assert "dynamodb over IPv6" in d.nodes and "dynamodb.us-east-1.api.aws" in d.nodes["dynamodb over IPv6"].lines
    assert d.nodes["dynamodb over IPv6"].status == "reached" and d.nodes["dynamodb"].status == "missed"
    # A function without the flag has no IPv6 part to draw.
    plain = draw_answer(load_snapshot(DUAL_NO_NAT), can_reach(load_snapshot(DUAL_NO_NAT), "fetcher-v4", "internet"))
    assert "ipv6" not in plain.clusters and "internet6" not in plain.nodes
