"""`reach report --against OLD`: the page also shows what changed since a baseline snapshot."""
from __future__ import annotations

import html
import json
import re

import pytest
from typer.testing import CliRunner

from reach import load_snapshot
from reach.cli import app
from reach.questions.audit import audit
from reach.questions.diff import diff_snapshots
from reach.render.report.page import build_report
from reach.render.report.style import DIFF_CSS, MARKS
from reach.render.review import change_label

from .conftest import SAMPLES
from .test_review_report import Structure

OLD = SAMPLES / "categram" / "snapshot.json"
NEW = SAMPLES / "categram-changed" / "snapshot.json"


@pytest.fixture(scope="module")
def diff():
    return diff_snapshots(load_snapshot(OLD), load_snapshot(NEW))


@pytest.fixture(scope="module")
def page():
    return build_report(load_snapshot(NEW), against=load_snapshot(OLD), against_name=str(OLD))


def section(text: str) -> str:
    return re.search(r'<section id="changes">.*?</section>', text, re.S).group(0)


def table(text: str, name: str) -> str:
    return re.search(rf'<table id="{name}".*?</table>', text, re.S).group(0)


def change_rows(text: str) -> dict[tuple[str, str], str]:
    """Each row of the changed verdicts, by (function, target)."""
    rows = re.findall(r"<tr class=\"chg-[a-z]+\">.*?</tr>", table(text, "changed-verdicts"), re.S)
    out = {}
    for row in rows:
        question = re.search(r'<td class="question">(?:<a [^>]*>)?([^<]*)', row).group(1)
        fn, target = html.unescape(question).split(" → ")
        out[(fn, target)] = row
    return out


def matrix_cells(text: str) -> dict[tuple[str, str], str]:
    """Each cell of the audit matrix, by (function, target)."""
    matrix = table(text, "audit-matrix")
    targets = [html.unescape(t) for t in re.findall(r'<th scope="col">([^<]*)</th>', matrix)[1:]]
    out = {}
    row = r'<tr><th scope="row"><a href="#fn-[^"]*">([^<]*)</a></th>(.*?)</tr>'
    for fn, cells in re.findall(row, matrix):
        for t, cell in zip(targets, re.findall(r"<td[^>]*>.*?</td>", cells)):
            out[(html.unescape(fn), t)] = cell
    return out


def test_the_section_follows_the_summary_and_names_the_baseline(page):
    text = page.html
    assert text.index('<section id="summary">') < text.index('<section id="changes">') \
        < text.index('<section id="matrix">')
    assert f"<h2>What changed since <code>{html.escape(str(OLD))}</code></h2>" in text
    assert '<a href="#changes">What changed</a>' in text
    assert DIFF_CSS in text


def test_the_objects_are_exactly_the_causes_of_the_diff(page, diff):
    causes = {c.cause.component_id for c in diff.changes}
    assert len(causes) == 3
    objects = table(page.html, "changed-objects")
    listed = re.findall(r'<th scope="row"><code>([^<]*)</code></th>', objects)
    assert sorted(listed) == sorted(causes | {i for c in diff.changes for i in c.changed_components})
    assert set(listed) == causes
    for c in diff.changes:
        if c.cause.name:
            assert html.escape(c.cause.name) in objects


def test_every_changed_verdict_is_listed_with_badges_and_its_cause(page, diff):
    rows = change_rows(page.html)
    assert set(rows) == {(c.function, c.target) for c in diff.changes}
    for c in diff.changes:
        row = rows[(c.function, c.target)]
        assert f'<span class="chg">{change_label(c)[0]}</span>' in row
        assert re.search(rf'badge v-{c.old.value}">[^<]*</span> → <span class="badge v-{c.new.value}"', row)
        cause = re.search(r'<td class="cause">(.*?)</td>', row, re.S).group(1)
        assert f"{c.cause.kind} <code>{c.cause.component_id}</code>" in cause
        assert f"<code>{c.cause.code}</code>" in cause
        if c.cause.name:
            assert f"({html.escape(c.cause.name)})" in cause


def test_a_loss_shows_the_fix_of_the_new_blocker(page, diff):
    new = {(a.source["function"], a.target["spec"]): a for a in audit(load_snapshot(NEW)).results}
    rows = change_rows(page.html)
    for c in (c for c in diff.changes if c.lost):
        fixes = {b.fix_text for p in new[(c.function, c.target)].paths for b in p.blockers
                 if (b.code, b.reason) == (c.cause.code, c.cause.reason)}
        shown = re.search(r'<div class="fix"><b>Fix:</b> (.*?)</div>', rows[(c.function, c.target)]).group(1)
        assert html.unescape(shown) in fixes


def test_changed_cells_are_marked_with_text_and_the_rest_are_not(page, diff):
    cells = matrix_cells(page.html)
    changed = {(c.function, c.target): c for c in diff.changes}
    for key, cell in cells.items():
        c = changed.get(key)
        if c is None:
            assert "changed" not in cell and "was:" not in cell, key
        else:
            assert re.match(r'<td class="v-[a-z]+ changed"', cell), key
            assert f'<small class="was">was: {MARKS[c.old.value]} {c.old.value}</small>' in cell
    assert sum(' changed"' in cell for cell in cells.values()) == len(diff.changes)
    assert 'class="changed-key"' in page.html


def test_the_summary_counts_lost_gained_and_other(page, diff):
    lost = sum(c.lost for c in diff.changes)
    gained = sum(c.gained for c in diff.changes)
    other = len(diff.changes) - lost - gained
    summary = re.search(r'<section id="summary">.*?</section>', page.html, re.S).group(0)
    assert f"{len(diff.changes)} verdicts changed: {lost} lost, {gained} gained, {other} other" in summary
    assert re.findall(r'<div class="card [^"]*"><b>(\d+)</b><span>[^<]*(lost|gained|other)', summary) == [
        (str(lost), "lost"), (str(gained), "gained"), (str(other), "other")]
    assert page.changes == len(diff.changes)


def test_the_page_is_still_well_formed_and_self_contained(page):
    s = Structure()
    s.feed(page.html)
    assert s.errors == [] and s.stack == []
    assert len(s.ids) == len(set(s.ids))
    assert "<script" not in page.html and "<link" not in page.html and "@import" not in page.html
    assert not re.search(r"\s(src|href)=\"(?!#)", page.html)
    anchors = set(re.findall(r'href="#([^"]+)"', page.html))
    assert anchors <= set(s.ids)  # every link of the section lands on the page


def test_without_against_there_is_no_such_section():
    plain = build_report(load_snapshot(NEW)).html
    assert 'id="changes"' not in plain and "What changed" not in plain and "was:" not in plain
    assert DIFF_CSS not in plain and " changed\"" not in plain and plain.startswith("<!DOCTYPE html>")


def test_the_other_way_round_everything_is_gained_and_shows_the_old_block():
    back = build_report(load_snapshot(OLD), against=load_snapshot(NEW))
    rows = change_rows(back.html)
    gained = [row for row in rows.values() if "GAINED" in row]
    assert len(gained) == 14 and all("before: <code>" in r and "Fix:" not in r for r in gained)
    assert f"What changed since <code>{html.escape(str(NEW))}</code>" in back.html  # its file by default
    assert "Unchanged: the same (subnet, security-group set)" in back.html


def test_moved_and_removed_functions(write_json):
    data = json.loads(OLD.read_text())
    next(f for f in data["Functions"] if f["FunctionName"] == "misplaced")["VpcConfig"]["SubnetIds"] = \
        ["subnet-0e2c8a4f6b1d7a914"]
    data["Functions"] = [f for f in data["Functions"] if f["FunctionName"] != "thumbnailer"]
    new = load_snapshot(write_json(data))
    text = build_report(new, against=load_snapshot(OLD)).html
    enis = table(text, "changed-enis")
    assert 'class="eni-added"' in enis and 'class="eni-removed"' in enis
    assert "subnet-0e2c8a4f6b1d7a914" in enis
    rows = change_rows(text)
    gone = [row for (fn, _), row in rows.items() if fn == "thumbnailer"]
    assert len(gone) == 3 and all("GONE" in r and 'badge na">— not asked' in r for r in gone)
    assert "function <code>thumbnailer</code>" in gone[0] and "<a " not in gone[0]
    s = Structure()
    s.feed(text)
    assert s.errors == [] and s.stack == []


def test_a_function_filter_keeps_its_changes_only():
    text = build_report(load_snapshot(NEW), against=load_snapshot(OLD), functions="spread").html
    assert {fn for fn, _ in change_rows(text)} == {"spread"}
    assert "(12 more for functions not on this page)" in text


def run(*args: str):
    return CliRunner().invoke(app, ["report", "--snapshot", str(NEW), *map(str, args)])


def test_cli_writes_the_page_and_counts_the_changes(tmp_path, diff):
    out = tmp_path / "r.html"
    result = run("--against", OLD, "-o", out)
    assert result.exit_code == 0, result.stderr
    assert f"{len(diff.changes)} changed verdicts" in result.stderr and result.stdout == ""
    assert f"What changed since <code>{html.escape(str(OLD))}</code>" in out.read_text()


@pytest.mark.parametrize("args,message", [
    (["--against", "nope.json"], "nope.json"),
    (["--against", str(SAMPLES / "README.md")], "README.md"),
])
def test_bad_against_exits_2_with_one_line(args, message, tmp_path):
    result = run(*args, "-o", tmp_path / "r.html")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and message in result.stderr
    assert not (tmp_path / "r.html").exists()


def test_both_on_standard_input_exits_2():
    result = CliRunner().invoke(app, ["report", "--snapshot", "-", "--against", "-", "-o", "-"], input="{}")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "standard input" in result.stderr
