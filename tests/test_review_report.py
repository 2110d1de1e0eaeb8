"""`reach report`: one self-contained HTML page with the matrix, the answers, the ENI plan and diagrams."""
from __future__ import annotations

import html
import os
import re
import stat
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from typer.testing import CliRunner

from reach import can_reach, load_snapshot
from reach.cli import app
from reach.questions.audit import audit
from reach.questions.enis import plan_enis
from reach.render.report.page import build_report, write_report

from .conftest import SAMPLES, corpus_dirs, sample_dirs

CATEGRAM = SAMPLES / "categram" / "snapshot.json"
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "source", "wbr", "path", "rect"}


class Structure(HTMLParser):
    """Check that every element opened is closed in order, and collect ids and tags."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []
        self.tags: dict[str, int] = {}
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        self.ids += [v for k, v in attrs if k == "id"]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()


@pytest.fixture(scope="module")
def page():
    return build_report(load_snapshot(CATEGRAM))


def test_page_is_well_formed_with_unique_ids(page):
    s = Structure()
    s.feed(page.html)
    assert s.errors == [] and s.stack == []
    assert len(s.ids) == len(set(s.ids))
    assert s.tags["svg"] == page.diagrams and page.diagrams >= 2
    for svg in re.findall(r"<svg.*?</svg>", page.html, re.S):
        ET.fromstring(svg)


def test_page_is_self_contained_and_fetches_nothing(page):
    html = page.html
    assert "<script" not in html and "<link" not in html and "@import" not in html
    assert not re.search(r"\s(src|href)=\"(?!#)", html)
    assert set(re.findall(r"https?://[^\s\"'<>)]+", html)) <= {"http://www.w3.org/2000/svg"}
    assert "@media print" in html


def test_matrix_holds_every_answer_with_text_labels(page):
    report = audit(load_snapshot(CATEGRAM))
    table = re.search(r'<table id="audit-matrix".*?</table>', page.html, re.S).group(0)
    assert table.count("<tr>") == 1 + len({a.source["function"] for a in report.results})
    targets = re.findall(r'<th scope="col">([^<]*)</th>', table)[1:]
    assert targets == ["internet", "dynamodb", "s3", "rds:categram-db"]
    rows = {fn: re.findall(r"<td[^>]*>.*?</td>", cells) for fn, cells in
            re.findall(r'<tr><th scope="row"><a href="#fn-[^"]*">([^<]*)</a></th>(.*?)</tr>', table)}
    for a in report.results:
        cell = rows[a.source["function"]][targets.index(a.target["spec"])]
        assert cell.startswith(f'<td class="v-{a.verdict.value}">') and f"{a.verdict.value}</a>" in cell
    assert page.answers == len(report.results)
    misplaced = re.search(r">misplaced</a></th>(.*?)</tr>", table).group(1)
    assert misplaced.count("IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS") == 3
    assert re.search(r">thumbnailer</a></th>.*?<td class=\"na\"", table)


def test_answers_show_blockers_fixes_and_a_diagram_when_blocked(page):
    article = re.search(r'<article class="answer" id="q-misplaced-internet">.*?</article>',
                        page.html, re.S).group(0)
    assert "UNREACHABLE" in article and "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS" in article
    fix = can_reach(load_snapshot(CATEGRAM), "misplaced", "internet").paths[0].blocked_by
    assert fix.fix == "move-to-subnet" and html.escape(fix.fix_text) in article
    assert "<svg" in article and "igw-0c9e7a5b3d1f2a801" in article
    ok = re.search(r'<article class="answer" id="q-api-internet">.*?</article>', page.html, re.S).group(0)
    assert "<svg" not in ok and "REACHABLE" in ok


def test_eni_plan_and_vpc_diagram(page):
    plan = plan_enis(load_snapshot(CATEGRAM))
    table = re.search(r'<table id="eni-plan".*?</table>', page.html, re.S).group(0)
    assert table.count("<tr>") == 1 + plan.eni_count
    assert "[ENI_MISSING]" in page.html
    vpcs = re.search(r'<section id="vpcs">.*?</section>', page.html, re.S).group(0)
    assert vpcs.count("<svg") == 1 and "vpc-0a1b2c3d4e5f60001" in vpcs


def test_every_sample_makes_a_report():
    for folder in sample_dirs():
        p = build_report(load_snapshot(folder / "snapshot.json"))
        s = Structure()
        s.feed(p.html)
        assert s.errors == [] and s.stack == [], folder.name


@pytest.mark.parametrize("folder", corpus_dirs(), ids=lambda p: p.name)
def test_a_snapshot_without_functions_still_draws_its_vpcs(folder):
    snap = load_snapshot(folder)
    p = build_report(snap)
    assert p.answers == 0 and "nothing to ask" in p.html
    assert p.diagrams == min(len(snap.index["Vpcs"]), 12)
    for svg in re.findall(r"<svg.*?</svg>", p.html, re.S):
        ET.fromstring(svg)
    assert "(" in re.search(r"Snapshot <code>(.*?)</code>", p.html).group(1)  # a folder: "DIR (N files)"


def test_write_is_atomic_and_readable(tmp_path, page):
    out = tmp_path / "report.html"
    out.write_text("old")
    write_report(page.html, str(out))
    assert out.read_text() == page.html
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_cli_writes_the_file_and_says_so(tmp_path):
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", "--snapshot", str(CATEGRAM), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
    assert f"wrote {out}" in result.stderr and result.stdout == ""


def test_cli_to_standard_output_and_a_function_filter():
    result = CliRunner().invoke(app, ["report", "--snapshot", str(CATEGRAM), "-o", "-",
                                      "--function", "spread", "--title", "Categram <review>"])
    assert result.exit_code == 0
    assert "<title>Categram &lt;review&gt;</title>" in result.stdout
    assert 'id="fn-spread"' in result.stdout and 'id="fn-api"' not in result.stdout


@pytest.mark.parametrize("args,message", [
    (["-o", "/nonexistent-dir/r.html"], "cannot write"),
    (["--function", "nope"], "--function"),
])
def test_bad_input_exits_2(args, message):
    result = CliRunner().invoke(app, ["report", "--snapshot", str(CATEGRAM), *args])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
