"""`reach audit -f json` keeps each answer's paths as their JSON text (render.audit.json_compactor):
the bytes written are the ones the full answers give, in one process or several."""
from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import pytest

from bench.generate import SIZES, generate
from reach import load_snapshot, parse_snapshot
from reach.questions.audit import audit
from reach.render import console
from reach.render.audit import _Written, json_compactor, lean_path_json, render_audit
from reach.render.fix_commands import FixFormat, answer_with_commands


@pytest.fixture(scope="module")
def raw() -> dict:
    raw = generate(SIZES["XS"], seed=7, functions=120)  # more than a fork's worth of questions
    raw["NatGateways"] = raw["NatGateways"][1:]  # answers that miss ids (unknown)
    return raw


def written(report, monkeypatch, **options) -> str:
    buffer = io.StringIO()
    monkeypatch.setattr(console.out, "_file", buffer)  # (the `file` property would keep the old stream)
    render_audit(report, "json", **options)
    return buffer.getvalue()


@pytest.mark.parametrize("hops, fix_format", [(False, None), (True, None), (False, FixFormat.terraform)])
@pytest.mark.parametrize("jobs", [1, 2])
def test_compacted_answers_write_the_same_bytes(raw, monkeypatch, hops, fix_format, jobs):
    full = audit(parse_snapshot(raw), hops=hops, jobs=jobs)
    lean = audit(parse_snapshot(raw), hops=hops, jobs=jobs,
                 compact=json_compactor(hops=hops, fix_format=fix_format))
    assert all(isinstance(p, _Written) for a in lean.results for p in a.paths)
    assert any(a.missing for a in full.results)
    assert [a.missing for a in lean.results] == [a.missing for a in full.results]
    expected = written(full, monkeypatch, hops=hops, fix_format=fix_format)
    assert expected.startswith('{"results": [{')
    assert written(lean, monkeypatch, hops=hops, fix_format=fix_format) == expected


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_answer_shared_with_a_pending_or_inactive_function_is_written_with_its_own_notes(raw, monkeypatch,
                                                                                           jobs):
    """Functions of one VpcConfig share an answer, written once where it was made; a Pending or
    Inactive one's answer carries notes of its own (1.9, 1.11), so it is written anew."""
    raw = {**raw, "Functions": [dict(fn) for fn in raw["Functions"]]}
    for n, fn in enumerate(raw["Functions"]):
        if n % 7 == 3:
            fn["State"] = "Pending"
        elif n % 11 == 5:
            fn["State"] = "Inactive"
    full = audit(parse_snapshot(raw), hops=False, jobs=jobs)
    lean = audit(parse_snapshot(raw), hops=False, jobs=jobs, compact=json_compactor(hops=False))
    own_notes = [a for a in lean.results if a.paths.made_for[3] != a.notes]
    assert own_notes and any(n["code"] == "FUNCTION_PENDING" for a in own_notes for n in a.notes)
    assert written(lean, monkeypatch, hops=False) == written(full, monkeypatch, hops=False)


SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples").glob("*/snapshot.json"))


@pytest.mark.parametrize("source", ["generated", *SAMPLES], ids=lambda s: getattr(s, "parent", Path(s)).name)
def test_a_lean_path_put_together_from_parts_is_its_json(source, raw):
    """`lean_path_json` (a path's head and each blocker encoded once, then joined) writes exactly
    what `json.dumps(path.to_dict(hops=False))` does, for every path of every answer: blocked and
    not, several blockers, missing ids, reached parts and prefix lists."""
    snap = parse_snapshot(copy.deepcopy(raw)) if source == "generated" else load_snapshot(str(source))
    paths = [p for a in audit(snap, hops=False).results for p in (*a.paths, *(a.ipv6.paths if a.ipv6 else ()))]
    assert paths
    for p in paths:
        assert lean_path_json(p) == json.dumps(p.to_dict(hops=False))
    if source == "generated":
        assert any(len(p.blockers) > 1 for p in paths) and any(p.missing for p in paths)
        assert any(not p.blockers for p in paths) and any(p.subnet_id is None for p in paths)
    elif source.parent.name == "categram":
        assert any(p.reached and p.reached_prefix_lists for p in paths)


@pytest.mark.parametrize("hops, fix_format", [(False, None), (True, None), (False, FixFormat.aws_cli)])
@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.parent.name)
def test_each_audit_result_is_the_answer_reach_can_gives(sample, monkeypatch, hops, fix_format):
    """Contract §2.3: each result is shaped like §2.1's answer, field for field and in its order,
    the IPv6 part of a dual-stack function's answer (1.23) and its fix commands included."""
    full = audit(load_snapshot(str(sample)), hops=hops)
    lean = audit(load_snapshot(str(sample)), hops=hops, compact=json_compactor(hops=hops, fix_format=fix_format))
    results = json.loads(written(lean, monkeypatch, hops=hops, fix_format=fix_format))["results"]
    expected = [answer_with_commands(a.to_dict(hops=hops), a, fix_format) for a in full.results]
    assert [json.dumps(r) for r in results] == [json.dumps(e) for e in expected]
    if sample.parent.name == "dualstack":
        assert any("ipv6" in r for r in results)
