"""`reach report` at 100 functions and with none: folded by function, grouped without script, each
repeated route drawn once; a snapshot without functions says so once; diagrams fit the column."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from bench.generate import SIZES, generate
from reach import load_snapshot, parse_snapshot
from reach.estate.objects import dump
from reach.questions.audit import audit
from reach.render.report.answers import GROUPS, figure_key, worst
from reach.render.report.page import build_report, slug

from .conftest import SAMPLES, corpus_dirs
from .test_review_report import Structure

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def estate():
    snap = parse_snapshot(generate(SIZES["S"]))  # 10 VPCs, 100 functions
    return snap, audit(snap)


@pytest.fixture(scope="module")
def big(estate):
    return build_report(estate[0])


def articles(html: str) -> dict[str, str]:
    return dict(re.findall(r'<article class="answer" id="([^"]+)">(.*?)</article>', html, re.S))


def test_a_hundred_functions_fold_one_by_one_inside_a_group_per_worst_verdict(estate, big):
    _, report = estate
    s = Structure()
    s.feed(big.html)
    assert s.errors == [] and s.stack == [] and len(s.ids) == len(set(s.ids))
    assert "<script" not in big.html
    by_fn: dict[str, list] = {}
    for a in report.results:
        by_fn.setdefault(a.source["function"], []).append(a)
    assert len(by_fn) >= 100
    folded = re.findall(r'<details class="function" id="fn-([^"]+)"( open)?>', big.html)
    assert len(folded) == len(by_fn) and not any(opened for _, opened in folded)
    groups = re.findall(r'<details class="group" id="group-([a-z]+)" open>(.*?)</details>\s*(?=<details '
                        r'class="group"|</section>)', big.html, re.S)
    assert [g for g, _ in groups] == [v.value for v in GROUPS if any(worst(x) == v for x in by_fn.values())]
    for verdict, body in groups:
        members = re.findall(r'<details class="function" id="fn-([^"]+)"', body)
        assert {fn for fn in members} == {fn for fn, xs in by_fn.items() if worst(xs).value == verdict}
    assert sum(len(re.findall(r'<details class="function"', body)) for _, body in groups) == len(by_fn)


def test_each_repeated_route_is_drawn_once_and_linked_from_every_answer_that_repeats_it(estate, big):
    _, report = estate
    blocked = [a for a in report.results if a.verdict.value != "reachable"]
    keys = {figure_key(a) for a in blocked}
    figures = re.findall(r'<figure class="figure" id="(fig-\d+)" data-shared-by="(\d+)">', big.html)
    assert len(figures) == len(keys) < len(blocked)
    assert sum(int(n) for _, n in figures) == len(blocked)
    assert max(int(n) for _, n in figures) > 1
    ids = {f for f, _ in figures}
    texts = articles(big.html)
    for a in blocked:
        anchor = "q-" + slug(a.source["function"], a.target["spec"])
        text = texts[anchor]
        drawn = re.findall(r'<figure class="figure" id="(fig-\d+)"', text)
        linked = re.findall(r'<p class="same-figure" data-figure="(fig-\d+)">[^<]*<a href="#(fig-\d+)">', text)
        assert len(drawn) + len(linked) == 1, anchor
        assert all(f in ids for f in drawn) and all(f == g and f in ids for f, g in linked)
    assert big.diagrams == big.html.count("<svg")


def test_a_small_page_shows_every_function_unfolded():
    page = build_report(load_snapshot(SAMPLES / "categram" / "snapshot.json"))
    folded = re.findall(r'<details class="function" id="fn-[^"]+"( open)?>', page.html)
    assert folded and all(folded)


@pytest.mark.parametrize("folder", corpus_dirs()[:4], ids=lambda p: p.name)
def test_a_snapshot_without_functions_says_so_once_without_empty_sections(folder):
    page = build_report(load_snapshot(folder))
    s = Structure()
    s.feed(page.html)
    assert page.answers == 0
    for gone in ("audit-matrix", "matrix", "functions"):
        assert gone not in s.ids
    assert 'href="#matrix"' not in page.html and 'href="#functions"' not in page.html
    summary = re.search(r'<section id="summary">.*?</section>', page.html, re.S).group(0)
    assert '<div class="cards">' not in summary and summary.count("<p>") == 1
    assert "vpcs" in s.ids


def boxes_and_nodes(svg: str):
    root = ET.fromstring(svg)
    boxes = {g.get("data-cluster"): g.find(f"{SVG}rect").attrib for g in root.iter(f"{SVG}g")
             if g.get("class") == "box"}
    nodes = {g.get("data-id"): (g.get("data-kind"), g.get("class"), g.find(f"{SVG}rect").attrib)
             for g in root.iter(f"{SVG}g") if (g.get("class") or "").startswith("node")}
    return root, boxes, nodes


def inside(inner: dict, outer: dict) -> bool:
    x, y, w, h = (float(inner[k]) for k in ("x", "y", "width", "height"))
    X, Y, W, H = (float(outer[k]) for k in ("x", "y", "width", "height"))
    return X <= x and Y <= y and x + w <= X + W and y + h <= Y + H


def test_vpc_diagrams_box_subnets_by_az_show_nacls_and_scale_to_the_column(estate, big):
    snap, _ = estate
    from reach.estate import Estate
    est = Estate.of(snap)
    pictures = re.findall(r'<figure class="figure wide" id="vpc-([^"]+)">(<svg.*?</svg>)', big.html, re.S)
    assert len(pictures) == 10
    for slug_, svg in pictures:
        root, boxes, nodes = boxes_and_nodes(svg)
        assert root.get("viewBox") and "max-width:100%" in root.get("style")
        vpc = next(v for v in est.vpcs if v.lower() == slug_)
        subnets = [s for s in est.subnets.values() if s.vpc_id == vpc]
        assert {f"{vpc}/{s.availability_zone}" for s in subnets} == set(boxes)
        for s in subnets:
            assert inside(nodes[s.subnet_id][2], boxes[f"{vpc}/{s.availability_zone}"]), s.subnet_id
        acls = {i for i, (kind, _, _) in nodes.items() if kind == "network-acl"}
        assert acls == {est.acl_id(s.subnet_id) for s in subnets}


def test_a_report_against_a_baseline_marks_the_changed_objects_in_its_vpc_diagram():
    old = load_snapshot(SAMPLES / "categram" / "snapshot.json")
    new = load_snapshot(SAMPLES / "categram-changed" / "snapshot.json")
    page = build_report(new, against=old)
    svg = re.search(r'<figure class="figure wide" id="vpc-[^"]+">(<svg.*?</svg>)', page.html, re.S).group(1)
    _, _, nodes = boxes_and_nodes(svg)
    marked = {i for i, (_, cls, _) in nodes.items() if cls.split()[-1] in ("changed", "added")}
    assert marked == {i for i in nodes if dump(new, i) and dump(old, i) != dump(new, i)}
    assert marked == {"rtb-0e1b3d5f7a9c2b703", "acl-0e8c6a4f2b1d9b401"}
    # The answers' diagrams mark the same objects where they draw them (a second role's box too).
    figures = re.findall(r'<figure class="figure" id="fig-\d+"[^>]*>(<svg.*?</svg>)', page.html, re.S)
    drawn = {i: cls for svg in figures for i, (_, cls, _) in boxes_and_nodes(svg)[2].items()}
    assert drawn
    for i, cls in drawn.items():
        base = re.split(r"[#@]", i)[0]
        changed = bool(dump(new, base)) and dump(old, base) != dump(new, base)
        assert (cls.split()[-1] == "changed") == changed, i
    assert {re.split(r"[#@]", i)[0] for i, cls in drawn.items() if cls.endswith("changed")} == \
        {"rtb-0e1b3d5f7a9c2b703", "acl-0e8c6a4f2b1d9b401", "sg-07e3b5d1f9a2c8b64"}
    plain = build_report(new)
    assert ' changed" data-id=' not in plain.html


def test_objects_removed_since_the_baseline_are_named_under_their_vpc_picture():
    path = SAMPLES / "categram" / "snapshot.json"
    raw = json.loads(path.read_text())
    raw["DBInstances"] = [x for x in raw["DBInstances"] if x["DBInstanceIdentifier"] != "categram-db-2"]
    page = build_report(parse_snapshot(raw), against=load_snapshot(path))
    caption = re.search(r'<figure class="figure wide" id="vpc-[^"]+">.*?<figcaption>(.*?)</figcaption>',
                        page.html, re.S).group(1)
    assert re.findall(r'<code data-id="([^"]+)">', caption) == ["categram-db-2"]
    _, _, nodes = boxes_and_nodes(re.search(r'<figure class="figure wide"[^>]*>(<svg.*?</svg>)', page.html,
                                            re.S).group(1))
    assert "categram-db-2" not in nodes and "categram-db-1" in nodes


def test_a_vpc_with_many_functions_lists_them_in_their_enis_boxes():
    from reach.questions.enis import plan_enis
    from reach.render.diagrams.vpc import FUNCTION_BOXES_UP_TO, draw_vpc
    snap = parse_snapshot(generate(SIZES["XS"], functions=200))
    rows = plan_enis(snap).enis
    vpc = max({r.vpc_id for r in rows}, key=lambda v: sum(len(r.functions) for r in rows if r.vpc_id == v))
    assert len({f for r in rows if r.vpc_id == vpc for f in r.functions}) > FUNCTION_BOXES_UP_TO
    d = draw_vpc(snap, vpc)
    assert not [n for n in d.nodes.values() if n.kind == "function"]
    enis = [n for n in d.nodes.values() if n.kind == "network-interface"]
    assert len(enis) == sum(r.vpc_id == vpc for r in rows)
    listed = [next(m for line in n.lines if (m := re.match(r"(\d+) functions?: ", line))) for n in enis]
    counts = sorted(int(m.group(1)) for m in listed)
    assert counts == sorted(len(r.functions) for r in rows if r.vpc_id == vpc)
